//! `kub check`: report every problem in frameworks and assessments.

use std::path::PathBuf;

use super::{DiagnosticFormat, Outcome, paths_or_current};
use crate::check::check;
use crate::diagnostic::render::{self, Color};
use crate::project::Project;

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
    let diagnostics = &checked.diagnostics;
    let sources = &checked.workspace.sources;
    match format {
        DiagnosticFormat::Json => println!("{}", render::json(diagnostics, sources)),
        DiagnosticFormat::Short => print!("{}", render::short(diagnostics, sources)),
        DiagnosticFormat::Human => {
            eprint!("{}", render::human(diagnostics, sources, color));
            let files = checked.workspace.file_ids().len();
            eprintln!(
                "checked {files} file{}: {}{}",
                if files == 1 { "" } else { "s" },
                render::summary(diagnostics.error_count(), diagnostics.warning_count()),
                certificates_ready(&checked),
            );
        }
    }
    if diagnostics.has_errors() { Outcome::Problems } else { Outcome::Success }
}

/// "; 9 of 11 assessments ready for a certificate", computed as the
/// documents would be, or nothing when there are no assessments.
fn certificates_ready(checked: &crate::check::Checked) -> String {
    if checked.assessments.is_empty() {
        return String::new();
    }
    let ready = checked
        .assessments
        .iter()
        .filter(|entry| !entry.has_errors)
        .filter_map(|entry| {
            let framework = crate::check::framework_for(&entry.assessment, &checked.resolution).ok()?;
            let lang = crate::report::document_language(&entry.assessment, framework, None);
            Some(crate::report::progression(&entry.assessment, framework, &lang))
        })
        .filter(|progression| progression.certificate_issued)
        .count();
    format!("; {ready} of {} assessments ready for a certificate", checked.assessments.len())
}
