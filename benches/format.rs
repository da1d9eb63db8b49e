//! Benchmark of `kub fmt`, run in release mode:
//!
//! ```text
//! cargo bench --bench format
//! ```
//!
//! Formats a generated framework of 5,000 tasks, commented and laid out
//! untidily, and prints the median of several runs next to the time
//! parsing alone takes (formatting parses twice: once to read the file and
//! once to prove the result means the same).

use std::time::Duration;

// The same allocator as the `kub` binary, so the figures are the binary's.
#[path = "support/generated.rs"]
#[allow(dead_code)]
mod generated;
use generated::{Generated, median};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kub::format::format;
use kub::source::FileId;

fn main() {
    for tasks in [500, 5_000] {
        let text = Generated { untidy: true, ..Generated::default() }.framework("bench", tasks);
        let parse = median(15, || drop(kub::syntax::parse(FileId::default(), &text)));
        let formatted = format(FileId::default(), &text).expect("the generated framework formats");
        let untidy = median(15, || drop(format(FileId::default(), &text)));
        let tidy = median(15, || drop(format(FileId::default(), &formatted)));
        println!(
            "{tasks} tasks ({} KB): format {} ms (already formatted: {} ms); parse alone {} ms",
            text.len() / 1024,
            millis(untidy),
            millis(tidy),
            millis(parse)
        );
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}
