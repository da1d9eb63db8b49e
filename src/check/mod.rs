//! Check: every diagnostic about a set of files, from syntax to the
//! assessments checked against their frameworks, with the shape of the
//! ESCO addresses frameworks give ([`esco`]).

mod areas;
mod assessment;
mod blank_names;
mod certificate;
mod esco;
mod framework;
mod glyphs;
mod participants;
mod renames;
mod scales;
mod texts;

pub use assessment::{check_assessment, framework_for};
pub use framework::check_framework;

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{self, Assessment, Resolution, Workspace};
use crate::source::FileId;
use crate::syntax::ast::Document;

/// A checked workspace: its resolved frameworks and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The files checked, parsed.
    pub workspace: Workspace,
    /// Every framework resolved, and which are broken.
    pub resolution: Resolution,
    /// Assessments whose framework was found, with whether they have errors.
    pub assessments: Vec<CheckedAssessment>,
    /// Every diagnostic of every file, sorted by file and position.
    pub diagnostics: Diagnostics,
}

/// An assessment that could be measured against its framework.
#[derive(Debug, Clone)]
pub struct CheckedAssessment {
    /// The assessment's file.
    pub file: FileId,
    /// The assessment as read, shared with the documents planned from it.
    pub assessment: Arc<Assessment>,
    /// Whether checking it found errors (in its syntax, or against its
    /// framework), so that no document is made from it.
    pub has_errors: bool,
}

/// How many files of the workspace are assessments, those with syntax
/// errors (read in part) included: the whole that "N of M assessments
/// ready" counts against.
pub fn assessment_file_count(workspace: &Workspace) -> usize {
    workspace
        .file_ids()
        .into_iter()
        .filter_map(|file| workspace.parsed(file))
        .filter(|parsed| matches!(parsed.document.as_ref().or(parsed.partial.as_ref()), Some(Document::Assessment(_))))
        .count()
}

/// Resolves and checks every file in the workspace.
pub fn check(mut workspace: Workspace) -> Checked {
    model::load_includes(&mut workspace);
    let resolution = model::resolve(&workspace);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(workspace.load_diagnostics.iter().cloned());
    for file in workspace.file_ids() {
        if let Some(parsed) = workspace.parsed(file) {
            diagnostics.extend(parsed.diagnostics.iter().cloned());
            // ESCO addresses are judged where they are written, so that a
            // library's and a broken framework's are judged too.
            if let Some(Document::Framework(doc)) = &parsed.document {
                diagnostics.extend(esco::check_esco(file, doc));
            }
        }
    }
    diagnostics.extend(resolution.diagnostics.iter().cloned());
    for framework in resolution.frameworks() {
        diagnostics.extend(check_framework(framework));
    }
    let assessment_files: Vec<FileId> = workspace
        .file_ids()
        .into_iter()
        .filter(|file| {
            matches!(workspace.parsed(*file).and_then(|p| p.document.as_ref()), Some(Document::Assessment(_)))
        })
        .collect();
    for &file in &assessment_files {
        if let Some(Document::Assessment(doc)) = workspace.parsed(file).and_then(|p| p.document.as_ref()) {
            diagnostics.extend(participants::file_name(&workspace, file, doc.header_span));
        }
    }
    let checked = crate::parallel::map(&assessment_files, workspace.threads(), |&file| {
        let Some(Document::Assessment(doc)) = workspace.parsed(file).and_then(|p| p.document.as_ref()) else {
            unreachable!("filtered to assessments");
        };
        // A blank name on a signed assessment keeps its certificate from being made.
        let mut found = blank_names::blank_names(file, doc);
        let assessment = model::lower_assessment(file, doc, &mut found).map(|mut assessment| {
            match framework_for(&assessment, &resolution) {
                Ok(framework) => {
                    // From here on every stage sees the ids the framework has now.
                    assessment.follow_renames(framework);
                    found.extend(check_assessment(&assessment, framework));
                }
                Err(diagnostic) => found.push(diagnostic),
            }
            if let Some(parsed) = workspace.parsed(file) {
                assessment::comments_are_not_reasons(&mut found, workspace.sources.get(file).text(), &parsed.comments);
            }
            let syntax_errors = workspace.parsed(file).is_some_and(|p| p.diagnostics.iter().any(Diagnostic::is_error));
            let has_errors = syntax_errors || found.iter().any(|d| d.is_error());
            CheckedAssessment { file, assessment: Arc::new(assessment), has_errors }
        });
        (assessment, found)
    });
    let mut assessments = Vec::new();
    for (assessment, found) in checked {
        assessments.extend(assessment);
        diagnostics.extend(found);
    }
    diagnostics.extend(participants::duplicates(&assessments, &workspace));
    let mut checked = Checked { workspace, resolution, assessments, diagnostics };
    let undrawable = glyphs::missing_glyphs(&checked);
    glyphs::mark_undrawable(&mut checked, &undrawable);
    checked.diagnostics.extend(undrawable);
    checked.diagnostics.sort();
    checked
}
