//! What the benchmarks measure with: a framework of any number of tasks in
//! areas of fifty, in Swedish and English, each task with two criteria and
//! an SeQF level, and the median of repeated runs.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// How a generated framework is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    /// Laid out untidily and commented, as a file is before `kub fmt`.
    pub untidy: bool,
    /// Version 2.0, with the kinds of change a workshop makes: every
    /// seventh task's SeQF level raised, every eleventh dropped, a criterion
    /// added to every thirteenth, each area's first task moved to its end
    /// and a new task in each area.
    pub revised: bool,
}

impl Generated {
    /// The framework `id` with `tasks` tasks.
    pub fn framework(self, id: &str, tasks: usize) -> String {
        let version = if self.revised { "2.0" } else { "1.0" };
        let mut out = String::new();
        if self.untidy {
            out.push_str("# Genererat ramverk\n");
        }
        let _ = writeln!(
            out,
            "framework {id} \"Genererat ramverk\" en \"Generated framework\"\nversion {version}\nlanguages sv en"
        );
        out.push_str("rate tasks with kub\nscale kub \"KUB\" en \"KUB\" {\n");
        for level in ["introducerad", "med-stod", "sjalvstandigt", "handleder"] {
            let spacing = if self.untidy { ("    ", "   ") } else { ("  ", " ") };
            let _ = writeln!(out, "{}level {level}{}\"{level}\" en \"{level}\"", spacing.0, spacing.1);
        }
        out.push_str("}\n");
        for area in 0..tasks.div_ceil(50) {
            self.area(&mut out, area, (area * 50)..((area + 1) * 50).min(tasks));
        }
        out.push_str("certificate {\n  achieved kub from sjalvstandigt\n  seqf all-required\n}\n");
        out
    }

    fn area(self, out: &mut String, area: usize, tasks: std::ops::Range<usize>) {
        let comment = if self.untidy { format!(" # område {area}") } else { String::new() };
        let _ = writeln!(out, "area omrade-{area} \"Område {area}\" en \"Area {area}\" {{{comment}");
        let mut ids: Vec<usize> = tasks.collect();
        if self.revised {
            ids.retain(|task| !task.is_multiple_of(11));
            ids.rotate_left(1);
        }
        for task in ids {
            self.task(out, task);
        }
        if self.revised {
            let _ = writeln!(
                out,
                "  task ny-{area} \"Ny uppgift {area}\" en \"New task {area}\" {{\n    criterion \"Gör det\" en \"Does it\"\n    seqf 1\n  }}"
            );
        }
        out.push_str(if self.untidy { "}\n\n" } else { "}\n" });
    }

    fn task(self, out: &mut String, task: usize) {
        let level = if self.revised && task.is_multiple_of(7) { task % 4 + 2 } else { task % 4 + 1 };
        let required = task.is_multiple_of(3);
        if self.untidy {
            let _ = writeln!(
                out,
                "  # Uppgift {task}\n  task uppgift-{task} \"Uppgift {task}\" en \"Task {task}\" {{\n      criterion \"Gör det säkert\" en \"Does it safely\"\n    criterion \"Gör det i tid\"   en \"Does it on time\" # tid\n    seqf {level} skills {}  }}",
                if required { "required\n" } else { "\n" }
            );
            return;
        }
        let extra = if self.revised && task.is_multiple_of(13) {
            "    criterion \"Städar efter sig\" en \"Tidies up\"\n"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  task uppgift-{task} \"Uppgift {task}\" en \"Task {task}\" {{\n    criterion \"Gör det säkert\" en \"Does it safely\"\n    criterion \"Gör det i tid\" en \"Does it on time\"\n{extra}    seqf {level} skills\n{}  }}",
            if required { "    required\n" } else { "" }
        );
    }
}

/// The median time of `runs` runs.
pub fn median(runs: usize, mut run: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}
