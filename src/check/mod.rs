//! Check: every diagnostic about a set of files, from syntax to the
//! assessments checked against their frameworks.

mod framework;

pub use framework::check_framework;

use crate::diagnostic::Diagnostics;
use crate::model::{self, Resolution, Workspace};
use crate::syntax::ast::Document;

/// A checked workspace: its resolved frameworks and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    pub workspace: Workspace,
    pub resolution: Resolution,
    pub diagnostics: Diagnostics,
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
    for file in workspace.file_ids() {
        let Some(Document::Assessment(_doc)) = workspace.parsed(file).and_then(|p| p.document.as_ref()) else {
            continue;
        };
    }
    diagnostics.sort();
    Checked {
        workspace,
        resolution,
        diagnostics,
    }
}
