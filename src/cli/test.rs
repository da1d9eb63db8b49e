//! `kub test`: every document compared with its approved snapshot, shown
//! as diffs; `--accept` takes every change, `--review` asks about each on
//! a terminal, `--images` draws the pages that changed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::Outcome;
use super::build::{BuildArgs, SettingsError};
use crate::build::{Builder, Plan, Settings};
use crate::check::check;
use crate::diagnostic::render::{self, Color};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::review::{self, Compared, Comparison, Scope, Store, Verdict, slashed};
use crate::source::SourceMap;

/// The folder in the output folder that `--images` draws into.
const PICTURE_FOLDER: &str = "review";

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Files or folders with assessments and frameworks (default: the current folder).
    paths: Vec<PathBuf>,
    /// The folder of approved snapshots (default: `snapshots` in the project's folder).
    #[arg(long)]
    snapshots: Option<PathBuf>,
    /// Accept every change: write today's snapshots and remove stale ones.
    #[arg(long, conflicts_with = "review")]
    accept: bool,
    /// Walk through the changes one by one and accept, reject or skip each (needs a terminal).
    #[arg(long)]
    review: bool,
    /// Also draw each page that changed beside its approved page, as PNG pictures.
    #[arg(long)]
    images: bool,
    /// Write every document in this language (sv, da, en or nb) instead of each participant's choice.
    #[arg(long)]
    lang: Option<String>,
    /// A folder of templates that override the bundled ones.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Worker threads, at least 1 (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

/// What to do with the differences found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Show,
    Accept,
    Review,
}

/// How the differences ended up, for the closing lines.
#[derive(Debug, Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
}

/// Runs `kub test`; diagnostics are coloured by `color`, diffs on
/// standard output by `diff_color`.
pub(super) fn run(args: &TestArgs, color: Color, diff_color: Color) -> Outcome {
    let settings = match settings(args) {
        Ok(settings) => settings,
        Err(error) => return error.report(color),
    };
    let checked = check(settings.project.workspace(&settings.paths));
    let sources = &checked.workspace.sources;
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(checked.diagnostics.iter().cloned());
    diagnostics.sort();
    eprint!("{}", render::human(&diagnostics, sources, color));
    let builder = match Builder::new(settings.templates.as_deref(), &settings.branding) {
        Ok(builder) => builder,
        Err(problems) => {
            eprint!("{}", render::human(&problems, sources, color));
            return Outcome::Problems;
        }
    };
    let plan = review::plan(&checked, &settings);
    let store = Store::new(&args.snapshots.clone().unwrap_or_else(|| review::snapshot_folder(&settings.project)));
    let comparison = review::compare(&builder, &plan, &checked, &store, &Scope::of(&settings), settings.threads);

    let mut tally =
        Tally { errors: diagnostics.error_count(), warnings: diagnostics.warning_count(), ..Tally::default() };
    for (stem, problems) in &comparison.failed {
        eprintln!("failed: {}", stem.display());
        eprint!("{}", render::human(problems, sources, color));
        tally.errors += problems.iter().filter(|problem| problem.is_error()).count().max(1);
    }
    report(&comparison.problems, sources, color, &mut tally);
    if args.images {
        draw(&builder, &plan, &comparison, &settings.out.join(PICTURE_FOLDER), sources, color, &mut tally);
    }
    let mode = match (args.accept, args.review) {
        (true, _) => Mode::Accept,
        (false, true) if std::io::stdin().is_terminal() => Mode::Review,
        _ => Mode::Show,
    };
    settle(&comparison, &store, mode, sources, (color, diff_color), &mut tally);
    if args.review && mode == Mode::Show {
        let problem = Diagnostic::new(
            Code::ReviewNeedsTerminal,
            "`kub test --review` asks about each change, but its input is not a terminal, so it asked nothing",
        )
        .hint("run it in a terminal, or accept every change shown with `kub test --accept`");
        report([&problem], sources, color, &mut tally);
    }
    eprintln!("{}", closing_line(&comparison, &store, mode, &tally));
    let pending = comparison.compared.iter().filter(|compared| compared.differs()).count();
    let undecided = match mode {
        Mode::Accept => 0,
        Mode::Review => pending.saturating_sub(tally.accepted),
        Mode::Show => pending,
    };
    if tally.errors == 0 && undecided == 0 { Outcome::Success } else { Outcome::Problems }
}

/// The settings `kub build` would use for these paths and options.
fn settings(args: &TestArgs) -> Result<Settings, SettingsError> {
    if args.threads == Some(0) {
        let message = "kub needs at least 1 worker thread; leave --threads out for one per core";
        return Err(SettingsError::Usage(message.into()));
    }
    let build = BuildArgs {
        paths: args.paths.clone(),
        out: None,
        lang: args.lang.clone(),
        only: Vec::new(),
        format: Vec::new(),
        templates: args.templates.clone(),
        threads: args.threads,
    };
    build.settings()
}

/// Prints diagnostics on standard error and counts them.
fn report<'a>(
    problems: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    color: Color,
    tally: &mut Tally,
) {
    for problem in problems {
        eprint!("{}", render::human([problem], sources, color));
        if problem.is_error() {
            tally.errors += 1;
        } else {
            tally.warnings += 1;
        }
    }
}

/// Shows, accepts or asks about each difference and each stale snapshot.
fn settle(
    comparison: &Comparison,
    store: &Store,
    mode: Mode,
    sources: &SourceMap,
    (color, diff_color): (Color, Color),
    tally: &mut Tally,
) {
    let mut quit = false;
    for compared in &comparison.compared {
        if let Verdict::Foreign(problem) = &compared.verdict {
            report([problem], sources, color, tally);
            continue;
        }
        let Some(headline) = compared.diagnostic() else { continue };
        print!("{}", render::human([&headline], sources, diff_color));
        print!("{}", shown(compared, store, mode, diff_color));
        let decision = match mode {
            Mode::Show => continue,
            Mode::Accept => Decision::Accept,
            Mode::Review if quit => Decision::Skip,
            Mode::Review => ask("accept this change?"),
        };
        quit |= decision == Decision::Quit;
        decide(decision, || review::accept(store, compared), sources, color, tally);
    }
    for stem in &comparison.stale {
        let warning = Diagnostic::new(
            Code::SnapshotStale,
            format!("{} belongs to no document any more", store.path(stem).display()),
        );
        let decision = match mode {
            Mode::Show => {
                report([&warning], sources, color, tally);
                continue;
            }
            Mode::Accept => Decision::Accept,
            Mode::Review if quit => Decision::Skip,
            Mode::Review => {
                print!("{}", render::human([&warning], sources, diff_color));
                ask("remove this snapshot?")
            }
        };
        quit |= decision == Decision::Quit;
        decide(decision, || store.remove(stem), sources, color, tally);
    }
}

/// What a difference looks like on screen: its diff, or for a new
/// document its whole snapshot when it is reviewed or accepted.
fn shown(compared: &Compared, store: &Store, mode: Mode, color: Color) -> String {
    let approved_name = format!("{} (approved)", store.path(&compared.stem).display());
    let today_name = format!("{} (today)", slashed(&compared.stem));
    match (&compared.verdict, &compared.approved) {
        (Verdict::Changed, Some(approved)) => {
            let diff = review::unified(approved, &compared.today.text, (&approved_name, &today_name), color);
            format!("{diff}\n")
        }
        (Verdict::New, _) if mode == Mode::Review => {
            let diff = review::unified("", &compared.today.text, ("/dev/null", &today_name), color);
            format!("{diff}\n")
        }
        _ => String::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Accept,
    Reject,
    Skip,
    Quit,
}

/// Asks on the terminal until the answer is one kub knows; the end of
/// input counts as quitting.
fn ask(question: &str) -> Decision {
    let stdin = std::io::stdin();
    loop {
        eprint!("{question} [a]ccept, [r]eject, [s]kip, [q]uit: ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        match stdin.lock().read_line(&mut answer) {
            Ok(0) | Err(_) => return Decision::Quit,
            Ok(_) => {}
        }
        match answer.trim().to_lowercase().as_str() {
            "a" | "accept" | "y" | "yes" => return Decision::Accept,
            "r" | "reject" | "n" | "no" => return Decision::Reject,
            "s" | "skip" | "" => return Decision::Skip,
            "q" | "quit" => return Decision::Quit,
            _ => eprintln!("answer a, r, s or q"),
        }
    }
}

fn decide(
    decision: Decision,
    apply: impl FnOnce() -> Result<(), Diagnostic>,
    sources: &SourceMap,
    color: Color,
    tally: &mut Tally,
) {
    match decision {
        Decision::Accept => match apply() {
            Ok(()) => tally.accepted += 1,
            Err(problem) => report([&problem], sources, color, tally),
        },
        Decision::Reject => tally.rejected += 1,
        Decision::Skip | Decision::Quit => tally.skipped += 1,
    }
}

/// Draws the changed pages of every document that differs into `folder`,
/// after clearing the pictures of an earlier run, and says where they are.
fn draw(
    builder: &Builder,
    plan: &Plan,
    comparison: &Comparison,
    folder: &Path,
    sources: &SourceMap,
    color: Color,
    tally: &mut Tally,
) {
    review::clear_pictures(folder);
    let mut pictures = 0;
    for compared in comparison.compared.iter().filter(|compared| compared.differs()) {
        match review::draw_changes(builder, plan, compared, folder) {
            Ok(written) => pictures += written.len(),
            Err(problem) => report([&problem], sources, color, tally),
        }
    }
    let plural = if pictures == 1 { "picture" } else { "pictures" };
    eprintln!(
        "drew {pictures} {plural} of changed pages into {}: the approved page on the left, today's on the right",
        folder.display()
    );
}

/// The closing line: what was compared and how it came out.
fn closing_line(comparison: &Comparison, store: &Store, mode: Mode, tally: &Tally) -> String {
    let count = |wanted: fn(&Verdict) -> bool| comparison.compared.iter().filter(|c| wanted(&c.verdict)).count();
    let mut parts = vec![format!("{} the same", count(|v| matches!(v, Verdict::Same)))];
    for (number, word) in [
        (count(|v| matches!(v, Verdict::Changed)), "changed"),
        (count(|v| matches!(v, Verdict::LookChanged)), "may look different"),
        (count(|v| matches!(v, Verdict::New)), "new"),
        (comparison.stale.len(), "stale"),
        (comparison.failed.len(), "failed"),
    ] {
        if number > 0 {
            parts.push(format!("{number} {word}"));
        }
    }
    let documents = comparison.compared.len() + comparison.failed.len();
    let mut line = format!(
        "tested {documents} document{} against {}: {}",
        if documents == 1 { "" } else { "s" },
        store.dir().display(),
        parts.join(", ")
    );
    match mode {
        Mode::Accept => line.push_str(&format!("; accepted {}", tally.accepted)),
        Mode::Review => line.push_str(&format!(
            "; accepted {}, rejected {}, skipped {}",
            tally.accepted, tally.rejected, tally.skipped
        )),
        Mode::Show => {}
    }
    line.push_str(&format!("; {}", render::summary(tally.errors, tally.warnings)));
    if mode == Mode::Show && comparison.compared.iter().any(|compared| matches!(compared.verdict, Verdict::LookChanged))
    {
        line.push_str("\n`kub test --images` draws the pages that look different beside their approved pages");
    }
    let pending = comparison.compared.iter().any(|compared| compared.differs()) || !comparison.stale.is_empty();
    if mode == Mode::Show && pending {
        line.push_str("\naccept every change with `kub test --accept`, or one by one with `kub test --review`");
    }
    line
}
