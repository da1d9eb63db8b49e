//! Benchmark of `kub diff` on a framework of 5,000 tasks and a revised
//! copy, run in release mode:
//!
//! ```text
//! cargo bench --bench diff
//! ```
//!
//! Prints the median of comparing the two resolved frameworks, of the whole
//! library path (reading, parsing, resolving and checking both files, then
//! comparing and wording the result), and of running the `kub` binary,
//! process start included, when `target/release/kub` has been built.

use std::path::Path;
use std::time::Duration;

#[path = "support/generated.rs"]
#[allow(dead_code)]
mod generated;
use generated::{Generated, median};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kub::diagnostic::render::Color;
use kub::diff::side::{self, Origin};
use kub::project::Project;

const TASKS: usize = 5_000;
const REPEATS: usize = 15;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("old.kub"), Generated::default().framework("bench-diff", TASKS)).expect("written");
    std::fs::write(
        dir.path().join("new.kub"),
        Generated { revised: true, ..Generated::default() }.framework("bench-diff", TASKS),
    )
    .expect("written");
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/kub");
    // Sides are read as `kub diff` reads them: from the current folder's project.
    std::env::set_current_dir(dir.path()).expect("the temporary folder can be entered");
    let project = Project::discover(Path::new(".")).expect("no kub.toml");
    let (old_origin, new_origin) = (Origin::File("old.kub".into()), Origin::File("new.kub".into()));
    let load = || {
        let (old, new) = side::load_both(&old_origin, &new_origin, &project);
        (old.expect("the old version resolves"), new.expect("the new version resolves"))
    };
    let (old, new) = load();
    let changes = kub::diff::compare(&old.framework, &new.framework).changes().count();
    println!("kub diff of two versions of a {TASKS}-task framework ({changes} changes), median of {REPEATS}");
    let compare = median(REPEATS, || {
        let comparison = kub::diff::compare(&old.framework, &new.framework);
        assert_eq!(comparison.changes().count(), changes);
    });
    println!("  comparing the resolved frameworks      {:>8.2} ms", ms(compare));
    let whole = median(REPEATS, || {
        let (old, new) = load();
        let comparison = kub::diff::compare(&old.framework, &new.framework);
        assert!(!kub::diff::human::text(&comparison, None, Color::Never).is_empty());
    });
    println!("  reading both files, comparing, wording {:>8.2} ms", ms(whole));
    if binary.is_file() {
        let process = median(REPEATS, || {
            let output = std::process::Command::new(&binary)
                .args(["diff", "old.kub", "new.kub", "--color=never"])
                .output()
                .expect("kub runs");
            assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
        });
        println!("  the kub binary, process start included {:>8.2} ms", ms(process));
    } else {
        println!("  (build target/release/kub to time the binary too)");
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
