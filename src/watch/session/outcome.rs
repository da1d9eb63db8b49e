//! What one build or rebuild did, and the changed files it was for, for
//! the command line to tell.

use std::path::PathBuf;
use std::time::Duration;

use crate::build::{DocumentKind, Skipped};
use crate::diagnostic::Diagnostic;

/// How a file changed, as seen on disk once the events had settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// It existed and was written again.
    Saved,
    /// It is new.
    Added,
    /// It is gone.
    Deleted,
}

/// One changed file, named as messages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The file that changed.
    pub path: PathBuf,
    /// Whether it was saved, added or deleted.
    pub how: How,
}

/// What one build or rebuild did, for the command line to tell.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// The files that changed; empty for the first build.
    pub changes: Vec<Change>,
    /// `kub.toml` changed: the caller starts a new session.
    pub restart: bool,
    /// Diagnostics worth showing now: every one in a changed file and any
    /// that is new elsewhere (all of them for the first build).
    pub diagnostics: Vec<Diagnostic>,
    /// Why the templates could not be loaded; the previous ones are kept.
    pub template_problems: Vec<Diagnostic>,
    /// The kind of each document built, certificates first.
    pub built: Vec<DocumentKind>,
    /// Files written.
    pub written: usize,
    /// Files whose bytes were already on disk.
    pub unchanged: usize,
    /// Documents whose build failed, with why.
    pub failed: Vec<(PathBuf, Vec<Diagnostic>)>,
    /// Documents that no longer exist, whose files were removed.
    pub removed: Vec<PathBuf>,
    /// Documents left as they were because a file they are made from has
    /// errors.
    pub kept: usize,
    /// Documents that wait for templates that load.
    pub waiting: usize,
    /// Files that give no document, with why (of the changed files only,
    /// after the first build).
    pub skipped: Vec<Skipped>,
    /// Errors and warnings in all files now.
    pub errors: usize,
    /// Warnings in all files now.
    pub warnings: usize,
    /// How long the rebuild took.
    pub elapsed: Duration,
    /// A stop was asked for before every document was built.
    pub cancelled: bool,
    /// Documents left to the next rebuild, because a file they are made
    /// from was saved again while this one ran.
    pub overtaken: usize,
    /// Why documents could not be written at all (a full disk, a read-only
    /// output folder); the rest of the rebuild waits for the next change.
    pub output_problem: Option<Diagnostic>,
}

impl Rebuild {
    /// Nothing changed after all, such as a file made and removed again
    /// before kub looked.
    pub fn is_nothing(&self) -> bool {
        self.changes.is_empty()
            && self.diagnostics.is_empty()
            && self.template_problems.is_empty()
            && self.built.is_empty()
            && self.failed.is_empty()
            && self.removed.is_empty()
            && self.output_problem.is_none()
    }
}
