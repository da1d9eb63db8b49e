//! The workspace the editor opened, checked as `kub check` checks a
//! folder, with the texts of open documents in place of what is on disk.

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Checked, check};
use crate::model::{Framework, Lookup, Workspace};
use crate::project::{BrokenProject, Project};
use crate::source::FileId;
use crate::syntax::ast::Document;

/// The checked workspace and the open documents' texts.
pub struct Analysis {
    root: Option<PathBuf>,
    /// The texts of open documents, which stand in for the files on disk.
    overlays: HashMap<PathBuf, String>,
    /// Files changed since the last check: edited, closed, saved or changed on disk.
    changed: BTreeSet<PathBuf>,
    checked: Option<Checked>,
    /// The last framework resolved from each file, for completion and
    /// hover while the file has syntax errors as it is being typed.
    last_good: HashMap<PathBuf, Arc<Framework>>,
    /// Whether a fault in a check is survived (see [`super::Options`]).
    survive_faults: bool,
    /// A `kub.toml` that could not be read; the project's defaults are used meanwhile.
    broken_project: Option<Box<BrokenProject>>,
}

impl Analysis {
    /// The workspace of the folder `root`, or of no folder until a file is opened.
    pub fn new(root: Option<PathBuf>, survive_faults: bool) -> Self {
        Analysis {
            root,
            overlays: HashMap::new(),
            changed: BTreeSet::new(),
            checked: None,
            last_good: HashMap::new(),
            survive_faults,
            broken_project: None,
        }
    }

    /// Whether there is a folder to check yet.
    pub fn has_folder(&self) -> bool {
        self.root.is_some()
    }

    /// Puts an open document's text in place of the file on disk.
    pub fn set_text(&mut self, path: &Path, text: String) {
        if self.root.is_none() {
            // A single file opened without a folder: its folder is the project.
            self.root = path.parent().map(Path::to_path_buf);
        }
        self.overlays.insert(path.to_path_buf(), text);
        self.changed.insert(path.to_path_buf());
    }

    /// The document was closed: from now on the file on disk counts.
    pub fn close(&mut self, path: &Path) {
        self.overlays.remove(path);
        self.changed.insert(path.to_path_buf());
    }

    /// The file changed on disk (saved, created, deleted); an open document's text still counts.
    pub fn disk_changed(&mut self, path: &Path) {
        self.changed.insert(path.to_path_buf());
    }

    /// The text of an open document, or `None` if it is not open.
    pub fn open_text(&self, path: &Path) -> Option<&str> {
        self.overlays.get(path).map(String::as_str)
    }

    /// Whether changes wait to be checked.
    pub fn is_stale(&self) -> bool {
        self.checked.is_none() || !self.changed.is_empty()
    }

    /// The workspace checked with every change so far.
    pub fn current(&mut self) -> View<'_> {
        if self.is_stale() {
            self.recheck();
        }
        self.view()
    }

    /// The last check, even if changes have come since: for answers that
    /// read only the frameworks while a document is being typed.
    pub fn last(&mut self) -> View<'_> {
        if self.checked.is_none() {
            self.recheck();
        }
        self.view()
    }

    fn view(&mut self) -> View<'_> {
        let checked = self.checked.get_or_insert_with(|| check(Workspace::new()));
        View { checked, last_good: &self.last_good }
    }

    /// The project's `kub.toml`, when it could not be read.
    pub fn broken_project(&self) -> Option<&BrokenProject> {
        self.broken_project.as_deref()
    }

    fn recheck(&mut self) {
        let changed = std::mem::take(&mut self.changed);
        let workspace = match self.checked.take() {
            Some(checked) => {
                let mut workspace = checked.workspace;
                for path in &changed {
                    self.refresh(&mut workspace, path);
                }
                workspace
            }
            None => self.load(),
        };
        // A fault in a check must not take the editor's session down with
        // it: the next change starts again from the files.
        let checked = if self.survive_faults {
            catch_unwind(AssertUnwindSafe(|| check(workspace)))
        } else {
            Ok(check(workspace))
        };
        match checked {
            Ok(checked) => {
                for framework in checked.resolution.frameworks() {
                    let path = checked.workspace.path(framework.location.file).to_path_buf();
                    self.last_good.insert(path, Arc::clone(framework));
                }
                self.checked = Some(checked);
            }
            Err(_) => {
                eprintln!("kub lsp: checking the workspace failed; it is read again at the next change");
                self.checked = None;
            }
        }
    }

    /// Reads the project from disk and puts the open documents in.
    fn load(&mut self) -> Workspace {
        let Some(root) = self.root.clone() else {
            return Workspace::new();
        };
        let mut workspace = match Project::for_folder(&root) {
            Ok(project) => {
                self.broken_project = None;
                project.workspace(std::slice::from_ref(&root))
            }
            Err(broken) => {
                // Until kub.toml is fixed, the folder is checked as if it had none.
                self.broken_project = Some(broken);
                let mut workspace = Workspace::new();
                workspace.boundary.allow(&root);
                workspace.load(&root);
                workspace
            }
        };
        let overlays: Vec<PathBuf> = self.overlays.keys().cloned().collect();
        for path in overlays {
            self.refresh(&mut workspace, &path);
        }
        workspace
    }

    /// Brings one file of the workspace up to date: the open document's
    /// text, else the file on disk, else nothing (it was deleted).
    fn refresh(&self, workspace: &mut Workspace, path: &Path) {
        if path.file_name().is_some_and(|name| name == crate::project::PROJECT_FILE) {
            return;
        }
        if let Some(text) = self.overlays.get(path) {
            workspace.boundary.allow(path.parent().unwrap_or(path));
            workspace.add_source(path, text.clone());
            return;
        }
        let is_kub = path.extension().is_some_and(|extension| extension == crate::syntax::EXTENSION);
        match std::fs::read_to_string(path) {
            Ok(text) if is_kub => {
                workspace.add_source(path, text);
            }
            _ => {
                workspace.remove(path);
            }
        }
    }

    /// Whether `kub.toml` itself changed, so that everything is read again.
    pub fn project_file_changed(&mut self) {
        self.checked = None;
        self.changed.clear();
    }
}

/// What the features read from a check: files by path, their parse, and
/// the framework each names.
pub struct View<'a> {
    /// The checked workspace.
    pub checked: &'a Checked,
    last_good: &'a HashMap<PathBuf, Arc<Framework>>,
}

impl<'a> View<'a> {
    /// The framework resolved from a file at the last check that could
    /// read it.
    fn resolved(&self, file: FileId) -> Option<&'a Framework> {
        let resolved = self.checked.resolution.framework_of(file).or_else(|| self.last_good.get(self.path(file)));
        resolved.map(|framework| &**framework)
    }

    /// The workspace checked.
    pub fn workspace(&self) -> &'a Workspace {
        &self.checked.workspace
    }

    /// The id of the file at `path`, if the workspace has it.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        let workspace = self.workspace();
        workspace.file_id(path).filter(|&id| workspace.parsed(id).is_some())
    }

    /// What a file says: its syntax tree, or what could be read of it.
    pub fn document(&self, file: FileId) -> Option<&'a Document> {
        let parsed = self.workspace().parsed(file)?;
        parsed.document.as_ref().or(parsed.partial.as_ref())
    }

    /// The framework that ids in this file belong to: the file's own for a
    /// framework or library, the one it follows for an assessment.
    pub fn framework_of(&self, file: FileId) -> Option<&'a Framework> {
        match self.document(file)? {
            Document::Framework(_) => self.resolved(file),
            Document::Assessment(doc) => self.followed(&doc.framework.text, &doc.version.text),
        }
    }

    /// The framework an assessment names, or its newest version when the
    /// version named does not exist, so that its ids can still be offered.
    pub fn followed(&self, id: &str, version: &str) -> Option<&'a Framework> {
        let resolution = &self.checked.resolution;
        match resolution.lookup(id, version) {
            Lookup::Found(framework) => Some(framework),
            Lookup::Broken(file) => self.resolved(file),
            _ => resolution.find_by_id(id).map(|framework| &**framework),
        }
    }

    /// The text of a file in the workspace.
    pub fn text(&self, file: FileId) -> &'a str {
        self.workspace().sources.get(file).text()
    }

    /// The path of a file in the workspace.
    pub fn path(&self, file: FileId) -> &'a Path {
        self.workspace().path(file)
    }
}
