fn main() -> std::process::ExitCode {
    kub::cli::run()
}
