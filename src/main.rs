//! The `kub` binary: the command line in [`kub::cli`], with a faster allocator.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kub::cli::run()
}
