//! Check: every diagnostic about a set of files, from syntax to the
//! assessments checked against their frameworks.

mod assessment;
mod framework;

pub use assessment::{check_assessment, framework_for};
pub use framework::check_framework;

use crate::diagnostic::Diagnostics;
use crate::model::{self, Assessment, Resolution, Workspace};
use crate::source::FileId;
use crate::syntax::ast::Document;

/// A checked workspace: its resolved frameworks and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    pub workspace: Workspace,
    pub resolution: Resolution,
    /// Assessments whose framework was found, with whether they have errors.
    pub assessments: Vec<CheckedAssessment>,
    pub diagnostics: Diagnostics,
}

/// An assessment that could be measured against its framework.
#[derive(Debug, Clone)]
pub struct CheckedAssessment {
    pub file: FileId,
    pub assessment: Assessment,
    pub has_errors: bool,
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
        }
    }
    diagnostics.extend(resolution.diagnostics.iter().cloned());
    for framework in resolution.frameworks() {
        diagnostics.extend(check_framework(framework));
    }
    let mut assessments = Vec::new();
    for file in workspace.file_ids() {
        let Some(Document::Assessment(doc)) = workspace.parsed(file).and_then(|p| p.document.as_ref()) else {
            continue;
        };
        let mut found = Vec::new();
        let assessment = model::lower_assessment(file, doc, &mut found);
        if let Some(assessment) = assessment {
            match framework_for(&assessment, &resolution) {
                Ok(framework) => found.extend(check_assessment(&assessment, framework)),
                Err(diagnostic) => found.push(diagnostic),
            }
            let has_errors = found.iter().any(|d| d.is_error());
            assessments.push(CheckedAssessment { file, assessment, has_errors });
        }
        diagnostics.extend(found);
    }
    diagnostics.sort();
    Checked { workspace, resolution, assessments, diagnostics }
}
