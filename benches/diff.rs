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

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kub::diagnostic::render::Color;
use kub::diff::side::{self, Origin};
use kub::project::Project;

const TASKS: usize = 5_000;
const REPEATS: usize = 15;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("old.kub"), framework(TASKS, false)).expect("written");
    std::fs::write(dir.path().join("new.kub"), framework(TASKS, true)).expect("written");
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
    let compare = median(|| {
        let comparison = kub::diff::compare(&old.framework, &new.framework);
        assert_eq!(comparison.changes().count(), changes);
    });
    println!("  comparing the resolved frameworks      {:>8.2} ms", ms(compare));
    let whole = median(|| {
        let (old, new) = load();
        let comparison = kub::diff::compare(&old.framework, &new.framework);
        assert!(!kub::diff::human::text(&comparison, None, Color::Never).is_empty());
    });
    println!("  reading both files, comparing, wording {:>8.2} ms", ms(whole));
    if binary.is_file() {
        let process = median(|| {
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

fn median(mut run: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..REPEATS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// A framework of `tasks` tasks in areas of fifty. The revised version
/// changes every seventh task's SeQF level, drops every eleventh, adds a
/// criterion to every thirteenth, moves every area's first task to its end
/// and adds a task to every area: the kinds of change a workshop makes.
fn framework(tasks: usize, revised: bool) -> String {
    let version = if revised { "2.0" } else { "1.0" };
    let mut out = format!(
        "framework bench-diff \"Genererat ramverk\" en \"Generated framework\"\nversion {version}\nlanguages sv en\n\
         rate tasks with kub\nscale kub \"KUB\" en \"KUB\" {{\n"
    );
    for level in ["introducerad", "med-stod", "sjalvstandigt", "handleder"] {
        let _ = writeln!(out, "  level {level} \"{level}\" en \"{level}\"");
    }
    out.push_str("}\n");
    for area in 0..tasks.div_ceil(50) {
        let _ = writeln!(out, "area omrade-{area} \"Område {area}\" en \"Area {area}\" {{");
        let mut ids: Vec<usize> = ((area * 50)..((area + 1) * 50).min(tasks)).collect();
        if revised {
            ids.retain(|task| task % 11 != 0);
            ids.rotate_left(1);
        }
        for task in ids {
            let level = if revised && task % 7 == 0 { task % 4 + 2 } else { task % 4 + 1 };
            let extra =
                if revised && task % 13 == 0 { "    criterion \"Städar efter sig\" en \"Tidies up\"\n" } else { "" };
            let _ = writeln!(
                out,
                "  task uppgift-{task} \"Uppgift {task}\" en \"Task {task}\" {{\n    criterion \"Gör det säkert\" en \"Does it safely\"\n    criterion \"Gör det i tid\" en \"Does it on time\"\n{extra}    seqf {level} skills\n{}  }}",
                if task % 3 == 0 { "    required\n" } else { "" }
            );
        }
        if revised {
            let _ = writeln!(
                out,
                "  task ny-{area} \"Ny uppgift {area}\" en \"New task {area}\" {{\n    criterion \"Gör det\" en \"Does it\"\n    seqf 1\n  }}"
            );
        }
        out.push_str("}\n");
    }
    out.push_str("certificate {\n  achieved kub from sjalvstandigt\n  seqf all-required\n}\n");
    out
}
