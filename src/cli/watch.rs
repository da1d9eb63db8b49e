//! `kub watch`: build everything once, then rebuild what each saved file
//! changes, with one status line per rebuild, until Ctrl-C.

use std::fmt::Write as _;
use std::io::Write as _;

use super::Outcome;
use super::build::{BuildArgs, SettingsError, sweep_temporaries};
use crate::build::{DocumentKind, failed_error_count};
use crate::diagnostic::render::{self, Color};
use crate::source::SourceMap;
use crate::watch::{Batch, How, Rebuild, Session, Timing, Watcher};

pub(super) fn run(args: &BuildArgs, color: Color) -> Outcome {
    let settings = match args.settings() {
        Ok(settings) => settings,
        Err(error) => return error.report(color),
    };
    let mut watcher = match Watcher::new(Timing::default()) {
        Ok(watcher) => watcher,
        Err(cannot) => return Outcome::Usage(cannot.to_string()),
    };
    // Ctrl-C and SIGTERM end the wait, or the rebuild between two groups of
    // documents; every file is written whole or not at all.
    let stop = watcher.stop_handle();
    if let Err(error) = ctrlc::set_handler(move || stop.stop()) {
        eprintln!("warning: Ctrl-C will not stop kub cleanly: {error}");
    }

    sweep_temporaries(&settings.out);
    let mut session = Session::load(settings);
    // Watch before building, so that a file saved during the first build
    // is rebuilt right after it.
    for problem in watcher.watch(&session.folders()) {
        eprintln!("warning: {problem}");
    }
    let first = session.build_all(watcher.stopping(), &watcher);
    print_details(&first, session.sources(), color);
    if first.cancelled {
        return Outcome::Success;
    }
    eprintln!("{}", first_summary(&first, &session));
    let places: Vec<String> = session.watched_places().iter().map(|p| p.display().to_string()).collect();
    eprintln!("watching {} for changes; Ctrl-C stops", places.join(", "));

    loop {
        session.drop_unused_layouts();
        let (paths, rescan) = match watcher.next(&|path| session.is_relevant(path)) {
            Batch::Stop => break,
            Batch::Problem(message) => {
                eprintln!("warning: {message}");
                continue;
            }
            Batch::Changed { paths, rescan } => (paths, rescan),
        };
        let rebuild = session.apply(&paths, rescan, watcher.stopping(), &watcher);
        if rebuild.restart {
            match args.settings() {
                Ok(settings) => {
                    session = Session::load(settings);
                    for problem in watcher.watch(&session.folders()) {
                        eprintln!("warning: {problem}");
                    }
                    let mut first = session.build_all(watcher.stopping(), &watcher);
                    first.changes = rebuild.changes;
                    print_details(&first, session.sources(), color);
                    eprintln!("{}", status(&first, "started over"));
                }
                Err(SettingsError::Usage(message)) => {
                    eprintln!("error: {message}");
                    eprintln!("{}", status(&rebuild, "previous settings kept"));
                }
                Err(SettingsError::Project(broken)) => {
                    eprint!("{}", render::human([&broken.diagnostic], &broken.sources, color));
                    eprintln!("{}", status(&rebuild, "previous settings kept"));
                }
            }
        } else if rescan || !rebuild.is_nothing() {
            print_details(&rebuild, session.sources(), color);
            eprintln!("{}", status(&rebuild, ""));
        }
        if watcher.stopping().load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        for problem in watcher.watch(&session.folders()) {
            eprintln!("warning: {problem}");
        }
    }
    Outcome::Success
}

/// Diagnostics, template problems, failed and skipped documents, as
/// `kub build` prints them.
fn print_details(rebuild: &Rebuild, sources: &SourceMap, color: Color) {
    let mut out = render::human(&rebuild.diagnostics, sources, color);
    out.push_str(&render::human(&rebuild.template_problems, sources, color));
    for (stem, problems) in &rebuild.failed {
        let _ = writeln!(out, "failed: {}", stem.display());
        out.push_str(&render::human(problems, sources, color));
    }
    if let Some(problem) = &rebuild.output_problem {
        out.push_str(&render::human([problem], sources, color));
    }
    for skipped in &rebuild.skipped {
        let _ = writeln!(out, "skipped {}: {}", skipped.what, skipped.why);
    }
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

/// The line after the first build, like `kub build`'s.
fn first_summary(rebuild: &Rebuild, session: &Session) -> String {
    let total = rebuild.built.len() + rebuild.failed.len() + rebuild.waiting + rebuild.overtaken;
    let mut line = format!(
        "built {} of {total} documents into {} in {:.1} s ({} files written, {} unchanged); {}",
        rebuild.built.len(),
        session.options().out.display(),
        rebuild.elapsed.as_secs_f64(),
        rebuild.written,
        rebuild.unchanged,
        render::summary(rebuild.errors + failed_errors(rebuild), rebuild.warnings),
    );
    if !rebuild.template_problems.is_empty() {
        line.push_str("; the templates have errors, so documents are built once they are fixed");
    }
    line
}

/// One line per rebuild: when, what changed and what was done, such as
/// `12:04:31 saved examples/a.kub → rebuilt 3 documents (certificate,
/// progress, summary) in 38 ms`.
fn status(rebuild: &Rebuild, note: &str) -> String {
    let time = chrono::Local::now().format("%H:%M:%S");
    let mut parts = Vec::new();
    if !rebuild.built.is_empty() {
        let mut kinds: Vec<DocumentKind> = rebuild.built.clone();
        kinds.dedup();
        let kinds: Vec<&str> = kinds.iter().map(|kind| kind.template()).collect();
        parts.push(format!(
            "rebuilt {} ({}) in {} ms",
            count(rebuild.built.len(), "document"),
            kinds.join(", "),
            rebuild.elapsed.as_millis()
        ));
    }
    if !rebuild.removed.is_empty() {
        parts.push(format!("removed {}", count(rebuild.removed.len(), "document")));
    }
    if !rebuild.failed.is_empty() {
        parts.push(format!("{} failed", count(rebuild.failed.len(), "document")));
    }
    if !rebuild.template_problems.is_empty() {
        parts.push("template error, previous templates kept".to_string());
    }
    if rebuild.output_problem.is_some() {
        parts.push("the output folder takes no files, the rest is built after the next change".to_string());
    }
    if rebuild.waiting > 0 {
        parts.push(format!("{} wait for the templates to be fixed", count(rebuild.waiting, "document")));
    }
    if rebuild.overtaken > 0 {
        parts.push(format!("{} left for the newer save", count(rebuild.overtaken, "document")));
    }
    if rebuild.errors > 0 {
        let kept = if rebuild.kept > 0 { ", previous documents kept" } else { "" };
        parts.push(format!("{}{kept}", count(rebuild.errors, "error")));
    }
    if !note.is_empty() {
        parts.push(note.to_string());
    }
    if rebuild.cancelled {
        parts.push("stopped".to_string());
    }
    if parts.is_empty() {
        parts.push(format!("nothing to rebuild ({} ms)", rebuild.elapsed.as_millis()));
    }
    format!("{time} {} → {}", what_changed(rebuild), parts.join("; "))
}

/// `saved examples/a.kub`, `3 files added`, `20 files changed`.
fn what_changed(rebuild: &Rebuild) -> String {
    let word = |how: How| match how {
        How::Saved => "saved",
        How::Added => "added",
        How::Deleted => "deleted",
    };
    match rebuild.changes.as_slice() {
        [] => "files changed".to_string(),
        [change] => format!("{} {}", word(change.how), change.path.display()),
        [first, rest @ ..] if rest.iter().all(|change| change.how == first.how) => {
            format!("{} files {}", rebuild.changes.len(), word(first.how))
        }
        changes => format!("{} files changed", changes.len()),
    }
}

/// The errors of failed documents and of an output folder that takes no
/// files.
fn failed_errors(rebuild: &Rebuild) -> usize {
    failed_error_count(&rebuild.failed) + usize::from(rebuild.output_problem.is_some())
}

fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
