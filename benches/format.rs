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

use std::fmt::Write as _;
use std::time::{Duration, Instant};

// The same allocator as the `kub` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kub::format::format;
use kub::source::FileId;

fn main() {
    for tasks in [500, 5_000] {
        let text = untidy_framework(tasks);
        let parse = median(|| drop(kub::syntax::parse(FileId::default(), &text)));
        let formatted = format(FileId::default(), &text).expect("the generated framework formats");
        let untidy = median(|| drop(format(FileId::default(), &text)));
        let tidy = median(|| drop(format(FileId::default(), &formatted)));
        println!(
            "{tasks} tasks ({} KB): format {} ms (already formatted: {} ms); parse alone {} ms",
            text.len() / 1024,
            millis(untidy),
            millis(tidy),
            millis(parse)
        );
    }
}

fn median(mut run: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn millis(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

/// A framework with `tasks` tasks in areas of fifty, in two languages, with
/// comments, uneven spacing and every text on its statement's line.
fn untidy_framework(tasks: usize) -> String {
    let mut out = String::from(
        "# Genererat ramverk\nframework bench \"Genererat ramverk\" en \"Generated framework\"\nversion 1.0\nlanguages sv en\n",
    );
    out.push_str("rate tasks with kub\nscale kub \"KUB\" en \"KUB\" {\n");
    for level in ["introducerad", "med-stod", "sjalvstandigt", "handleder"] {
        let _ = writeln!(out, "    level {level}   \"{level}\" en \"{level}\"");
    }
    out.push_str("}\n");
    for area in 0..tasks.div_ceil(50) {
        let _ = writeln!(out, "area omrade-{area} \"Område {area}\" en \"Area {area}\" {{ # område {area}");
        for task in (area * 50)..((area + 1) * 50).min(tasks) {
            let _ = writeln!(
                out,
                "  # Uppgift {task}\n  task uppgift-{task} \"Uppgift {task}\" en \"Task {task}\" {{\n      criterion \"Gör det säkert\" en \"Does it safely\"\n    criterion \"Gör det i tid\"   en \"Does it on time\" # tid\n    seqf {} skills {}  }}",
                task % 4 + 1,
                if task % 3 == 0 { "required\n" } else { "\n" }
            );
        }
        out.push_str("}\n\n");
    }
    out.push_str("certificate {\n  achieved kub from sjalvstandigt\n  seqf all-required\n}\n");
    out
}
