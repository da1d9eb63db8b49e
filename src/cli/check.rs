//! `kub check`: report every problem in frameworks and assessments.

use std::path::PathBuf;

use super::{DiagnosticFormat, Outcome, broken_project, paths_or_current};
use crate::check::check;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::render::{self, Color};
use crate::project::Project;
use crate::register::Register;
use crate::source::SourceMap;

pub(super) fn run(paths: &[PathBuf], format: DiagnosticFormat, color: Color) -> Outcome {
    let paths = paths_or_current(paths);
    if let Some(missing) = paths.iter().find(|path| !path.exists()) {
        return Outcome::Usage(format!("{} does not exist", missing.display()));
    }
    let project = match Project::discover(&paths[0]) {
        Ok(project) => project,
        Err(broken) if format == DiagnosticFormat::Human => return broken_project(&broken, color),
        Err(broken) => {
            print_diagnostics([&broken.diagnostic], &broken.sources, format);
            return Outcome::Problems;
        }
    };
    let checked = check(project.workspace(&paths));
    let register = Register::of_project(&project.root);
    let mut diagnostics = checked.diagnostics.clone();
    diagnostics.extend(register.check(&checked, project.organisation.as_deref()));
    diagnostics.sort();
    let diagnostics = &diagnostics;
    let sources = &checked.workspace.sources;
    match format {
        DiagnosticFormat::Json | DiagnosticFormat::Short => print_diagnostics(diagnostics, sources, format),
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
    let outcome = if diagnostics.has_errors() { Outcome::Problems } else { Outcome::Success };
    // The process ends here: freeing thousands of parsed files part by part
    // would take a tenth of the time it took to check them.
    std::mem::forget(checked);
    outcome
}

/// Diagnostics in a format for editors and scripts, on standard output.
fn print_diagnostics<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    format: DiagnosticFormat,
) {
    match format {
        DiagnosticFormat::Json => println!("{}", render::json(diagnostics, sources)),
        _ => print!("{}", render::short(diagnostics, sources)),
    }
}

/// "; 9 of 11 assessments ready for a certificate", computed as the
/// documents would be, or nothing when there are no assessments.
/// Assessments with syntax errors count among the whole, so that a broken
/// file is not silently left out of it.
fn certificates_ready(checked: &crate::check::Checked) -> String {
    let assessments = crate::check::assessment_file_count(&checked.workspace).max(checked.assessments.len());
    if assessments == 0 {
        return String::new();
    }
    let ready = crate::report::ready_for_certificate(checked);
    format!("; {ready} of {assessments} assessments ready for a certificate")
}
