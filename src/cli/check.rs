//! `kub check`: report every problem in frameworks and assessments.

use std::path::PathBuf;

use super::{DiagnosticFormat, Outcome, paths_or_current};
use crate::check::check;
use crate::diagnostic::render::{self, Color};
use crate::project::Project;
use crate::render::coverage::missing_glyphs;

pub(super) fn run(paths: &[PathBuf], format: DiagnosticFormat, color: Color) -> Outcome {
    let paths = paths_or_current(paths);
    if let Some(missing) = paths.iter().find(|path| !path.exists()) {
        return Outcome::Usage(format!("{} does not exist", missing.display()));
    }
    let project = match Project::discover(&paths[0]) {
        Ok(project) => project,
        Err(diagnostic) => {
            eprint!("{}", render::human([&diagnostic], &Default::default(), color));
            return Outcome::Problems;
        }
    };
    let checked = check(project.workspace(&paths));
    let mut diagnostics = checked.diagnostics.clone();
    diagnostics.extend(missing_glyphs(&checked));
    diagnostics.sort();
    let diagnostics = &diagnostics;
    let sources = &checked.workspace.sources;
    match format {
        DiagnosticFormat::Json => println!("{}", render::json(diagnostics, sources)),
        DiagnosticFormat::Short => print!("{}", render::short(diagnostics, sources)),
        DiagnosticFormat::Human => {
            eprint!("{}", render::human(diagnostics, sources, color));
            let files = checked.workspace.file_ids().len();
            eprintln!(
                "checked {files} file{}: {}",
                if files == 1 { "" } else { "s" },
                render::summary(diagnostics.error_count(), diagnostics.warning_count())
            );
        }
    }
    if diagnostics.has_errors() { Outcome::Problems } else { Outcome::Success }
}
