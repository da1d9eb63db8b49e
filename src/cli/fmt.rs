//! `kub fmt`: lay files out in the canonical layout, check that they are,
//! or format standard input for an editor.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{Outcome, paths_or_current};
use crate::diagnostic::render::{self, Color};
use crate::format::{FileOutcome, FormatError, Formatting, Mode, format, format_files};
use crate::source::{SourceFile, SourceMap};

/// The arguments of `kub fmt`.
#[derive(Debug, clap::Args)]
pub(crate) struct FmtArgs {
    /// Files or folders to format (default: the current folder); `-` reads
    /// standard input and writes the result to standard output.
    paths: Vec<PathBuf>,
    /// Change nothing: list the files whose layout differs, and exit with 1 if any does.
    #[arg(long)]
    check: bool,
}

pub(super) fn run(args: &FmtArgs, color: Color) -> Outcome {
    let mode = if args.check { Mode::Check } else { Mode::Write };
    if args.paths.iter().any(|path| path == Path::new("-")) {
        if args.paths.len() > 1 {
            return Outcome::Usage("`-` formats standard input alone; name files in a separate run".into());
        }
        return standard_input(mode, color);
    }
    let paths = paths_or_current(&args.paths);
    if let Some(missing) = paths.iter().find(|path| !path.exists()) {
        return Outcome::Usage(format!("{} does not exist", missing.display()));
    }
    let formatting = format_files(&paths, mode);
    report(&formatting, mode, color);
    if formatting.is_clean(mode) { Outcome::Success } else { Outcome::Problems }
}

/// Lists the files formatted on standard output and everything that went
/// wrong on standard error, ending with a count.
fn report(formatting: &Formatting, mode: Mode, color: Color) {
    eprint!("{}", render::human(&formatting.problems, &formatting.sources, color));
    let mut stdout = std::io::stdout().lock();
    let (mut changed, mut left) = (0, 0);
    for file in &formatting.files {
        let path = file.path.display();
        match &file.outcome {
            FileOutcome::Unchanged => {}
            FileOutcome::Reformatted => {
                changed += 1;
                let _ = writeln!(stdout, "{path}");
            }
            FileOutcome::Broken(diagnostics) => {
                left += 1;
                eprint!("{}", render::human(diagnostics, &formatting.sources, color));
                eprintln!("left {path} as it is: it has syntax errors");
            }
            FileOutcome::Failed(reason) => {
                left += 1;
                eprintln!("error: {path}: {reason}");
            }
            FileOutcome::WouldChangeMeaning => {
                left += 1;
                eprintln!("error: left {path} as it is: formatting it would change what it says; please report this");
            }
        }
    }
    let total = formatting.files.len();
    let files = if total == 1 { "file" } else { "files" };
    let summary = match mode {
        Mode::Write => format!("reformatted {changed} of {total} {files}"),
        Mode::Check if changed == 0 => format!("all {total} {files} formatted"),
        Mode::Check => format!("{changed} of {total} {files} not formatted; `kub fmt` formats them"),
    };
    let left = if left > 0 { format!("; {left} left as they are") } else { String::new() };
    eprintln!("{summary}{left}");
}

/// Formats standard input to standard output; with syntax errors, writes
/// nothing there and shows the errors.
fn standard_input(mode: Mode, color: Color) -> Outcome {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: could not read standard input: {error}");
        return Outcome::Problems;
    }
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("<stdin>", text.clone()));
    match format(file, &text) {
        Ok(formatted) if mode == Mode::Check => {
            if formatted == text {
                Outcome::Success
            } else {
                Outcome::Problems
            }
        }
        Ok(formatted) => {
            let _ = std::io::stdout().lock().write_all(formatted.as_bytes());
            Outcome::Success
        }
        Err(FormatError::Syntax(diagnostics)) => {
            eprint!("{}", render::human(&diagnostics, &sources, color));
            Outcome::Problems
        }
        Err(FormatError::WouldChangeMeaning) => {
            eprintln!("error: formatting this would change what it says; please report this");
            Outcome::Problems
        }
    }
}
