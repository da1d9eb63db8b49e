//! How the process takes memory from the system.

/// Asks the kernel to back this process's memory with ordinary pages, not
/// transparent huge pages.
///
/// mimalloc asks for huge pages on every region it maps. Where the system
/// gives them only to those who ask and compacts memory to find one (the
/// common `madvise` setting), the first touch of each 2 MB can stall while
/// the kernel compacts: checking 10,000 assessments spent from 0.2 to 2 s in
/// the kernel, varying from run to run, against 0.3 s with ordinary pages,
/// and building the examples peaked at 160 MB instead of 120 MB. kub's
/// memory is mostly short-lived trees, which gain little from huge pages.
///
/// Call it first thing in `main`; it changes nothing elsewhere than Linux,
/// and where the kernel refuses, memory stays as it was.
pub fn use_ordinary_pages() {
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
}
