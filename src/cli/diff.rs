//! `kub diff OLD NEW`: what changed between two versions of a framework,
//! and with `--assessments`, what that does to the participants.

use std::path::PathBuf;

use clap::ValueEnum;

use super::{Outcome, broken_project};
use crate::diagnostic::render::{self, Color};
use crate::diff::side::{self, Origin, SideError};
use crate::diff::{self as library, human};
use crate::model::Workspace;
use crate::project::Project;

/// The arguments of `kub diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 when the two versions are the same, 1 when they differ \
    (or a framework has errors, which are shown), 2 when the command is wrong.\n\n\
    Examples:\n  kub diff park-1.0.kub park-1.1.kub\n  \
    kub diff HEAD~1:frameworks/park.kub frameworks/park.kub --assessments examples")]
pub(crate) struct DiffArgs {
    /// The older version: a framework file, or `REV:path` read from git (`HEAD~1:frameworks/park.kub`).
    old: String,
    /// The newer version: a framework file, or `REV:path`.
    new: String,
    /// Assessments (files or folders) that follow the old framework: show
    /// which name removed items and whose certificate would change.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    assessments: Vec<PathBuf>,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// The changes in plain words.
    Human,
    /// A JSON object for scripts (docs/diff.md).
    Json,
}

pub(super) fn run(args: &DiffArgs, color: Color) -> Outcome {
    if let Some(missing) = args.assessments.iter().find(|path| !path.exists()) {
        return Outcome::Usage(format!("{} does not exist", missing.display()));
    }
    let project = match Project::discover(std::path::Path::new(".")) {
        Ok(project) => project,
        Err(broken) => return broken_project(&broken, color),
    };
    let (old_origin, new_origin) = (Origin::parse(&args.old), Origin::parse(&args.new));
    let (old, new) = match side::load_both(&old_origin, &new_origin, &project) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => return refused([old.err(), new.err()], args.format, color),
    };
    let mut comparison = library::compare(&old.framework, &new.framework);
    comparison.old.source = old_origin.label();
    comparison.new.source = new_origin.label();
    let impact = (!args.assessments.is_empty()).then(|| {
        let mut workspace = Workspace::new();
        for path in &args.assessments {
            workspace.load(path);
        }
        library::impact(&old.framework, &new.framework, &workspace)
    });
    match args.format {
        DiffFormat::Human => print!("{}", human::text(&comparison, impact.as_ref(), color)),
        DiffFormat::Json => println!("{}", human::json(&comparison, impact.as_ref())),
    }
    let outcome = if comparison.is_empty() { Outcome::Success } else { Outcome::Problems };
    // The process ends here: freeing two large frameworks part by part
    // would take as long as comparing them.
    std::mem::forget((old, new, comparison, impact));
    outcome
}

/// Shows why one or both sides cannot be compared: a usage error wins,
/// since the command must be corrected first.
/// With `--format json`, the errors are printed as `kub check --format
/// json` prints them, on standard output.
fn refused(errors: [Option<SideError>; 2], format: DiffFormat, color: Color) -> Outcome {
    let mut usage = None;
    for error in errors.into_iter().flatten() {
        match error {
            SideError::Usage(message) => usage = usage.or(Some(message)),
            SideError::Problems { diagnostics, sources, .. } if format == DiffFormat::Json => {
                println!("{}", render::json(&diagnostics, &sources));
            }
            SideError::Problems { diagnostics, sources, label } => {
                eprint!("{}", render::human(&diagnostics, &sources, color));
                eprintln!("{label} cannot be compared until its errors are fixed");
            }
        }
    }
    match usage {
        Some(message) => Outcome::Usage(message),
        None => Outcome::Problems,
    }
}
