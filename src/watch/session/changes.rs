//! What changed: a batch of changed paths sorted out into `.kub` files
//! saved, added or deleted, templates, and kub.toml, each read again from
//! disk as it is once the events have settled.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::Session;
use super::outcome::{Change, How};
use crate::build::DocumentKind;
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use crate::watch::paths::{canonical, is_kub_file, kub_files_below, template_kind};

/// What a batch of paths turned out to be.
#[derive(Default)]
pub(super) struct Changes {
    /// Files whose text changed, that were added or that went away.
    pub(super) files: BTreeSet<FileId>,
    /// A file appeared that a framework may include.
    pub(super) recheck: bool,
    /// The kinds whose templates changed.
    pub(super) templates: BTreeSet<DocumentKind>,
    pub(super) restart: bool,
    pub(super) seen: Vec<Change>,
    /// Canonical paths of the files looked at, for their read errors.
    pub(super) looked_at: BTreeSet<PathBuf>,
}

impl Session {
    /// Sorts out what one changed path is and takes it in.
    pub(super) fn note(&mut self, path: &Path, changes: &mut Changes) {
        if path == self.places.project_file {
            changes.restart = true;
            changes.seen.push(Change { path: self.places.shown(path), how: how_on_disk(path) });
            return;
        }
        if self.places.is_template(path) || self.places.logo.as_deref() == Some(path) {
            let only = self.places.templates.as_deref().and_then(|dir| template_kind(path, dir));
            match only {
                Some(kind) => changes.templates.insert(kind),
                None => {
                    changes.templates.extend(DocumentKind::ALL);
                    true
                }
            };
            if !path.is_dir() {
                changes.seen.push(Change { path: self.places.shown(path), how: how_on_disk(path) });
            }
            return;
        }
        if is_kub_file(path) {
            self.note_source(path, changes, false);
        } else if path.is_dir() {
            for file in kub_files_below(path, &self.places.output) {
                if self.is_relevant(&file) {
                    self.note_source(&file, changes, false);
                }
            }
        } else {
            let gone: Vec<PathBuf> = self.files.keys().filter(|file| file.starts_with(path)).cloned().collect();
            for file in gone {
                self.note_source(&file, changes, false);
            }
        }
    }

    /// Takes in a `.kub` file as it is on disk now: changed, added, or gone.
    /// With `only_if_different`, a file read again with the same text is
    /// not reported as saved.
    pub(super) fn note_source(&mut self, path: &Path, changes: &mut Changes, only_if_different: bool) {
        // The watcher follows links, so one file can be reported under
        // several paths (`new/loop/new/kim.kub` for `new/kim.kub`); it is
        // one file, known by its canonical path.
        let path = &canonical(path);
        // A new folder's files come both with the folder and on their own.
        if !changes.looked_at.insert(path.to_path_buf()) {
            return;
        }
        let loaded = self.files.get(path).copied();
        let workspace = &mut self.checked.workspace;
        match read_text(path) {
            Ok(Some(text)) => {
                self.unreadable.remove(path);
                match loaded {
                    Some(file) => {
                        let same = workspace.sources.get(file).text() == text;
                        if !same {
                            let spelled = workspace.path(file).to_path_buf();
                            workspace.add_source(spelled, text);
                            changes.files.insert(file);
                        }
                        if !(same && only_if_different) {
                            changes.seen.push(Change { path: workspace.path(file).to_path_buf(), how: How::Saved });
                        }
                    }
                    None => {
                        let spelled = self.places.spelled(path);
                        if self.places.is_source(path) {
                            let file = workspace.add_source(spelled.clone(), text);
                            self.files.insert(path.to_path_buf(), file);
                            changes.files.insert(file);
                        } else {
                            // Only loaded if a framework includes it.
                            changes.recheck = true;
                        }
                        changes.seen.push(Change { path: spelled, how: How::Added });
                    }
                }
            }
            Ok(None) => {
                self.unreadable.remove(path);
                if let Some(file) = loaded {
                    let spelled = workspace.path(file).to_path_buf();
                    workspace.remove(&spelled);
                    self.files.remove(path);
                    changes.files.insert(file);
                    changes.seen.push(Change { path: spelled, how: How::Deleted });
                }
            }
            Err(problem) => {
                let spelled = match loaded {
                    Some(file) => workspace.path(file).to_path_buf(),
                    None => self.places.spelled(path),
                };
                let message = format!("cannot read {}: {problem}", spelled.display());
                let diagnostic = Diagnostic::new(Code::FileUnreadable, message)
                    .hint("the last version that could be read is used until the file is fixed");
                self.unreadable.insert(path.to_path_buf(), diagnostic);
                changes.seen.push(Change { path: spelled, how: How::Saved });
            }
        }
    }

    /// Events were lost: reads every loaded file and every file in the
    /// given folders again, and reloads the templates.
    pub(super) fn rescan(&mut self, changes: &mut Changes) {
        let mut paths: BTreeSet<PathBuf> = self.files.keys().cloned().collect();
        for root in self.places.roots.iter().filter(|root| root.folder) {
            paths.extend(kub_files_below(&root.canonical, &self.places.output));
        }
        for path in paths {
            if self.is_relevant(&path) {
                self.note_source(&path, changes, true);
            }
        }
        changes.recheck = true;
        changes.templates.extend(DocumentKind::ALL);
    }

    /// Records the canonical path of every file loaded since the last call
    /// and returns them all; refreshes the includes still missing.
    pub(super) fn index_files(&mut self) -> Vec<FileId> {
        let known: HashSet<FileId> = self.files.values().copied().collect();
        let workspace = &self.checked.workspace;
        let all = workspace.file_ids();
        for &file in &all {
            if !known.contains(&file) {
                self.files.insert(canonical(workspace.path(file)), file);
            }
        }
        self.wanted_includes = missing_includes(&self.checked, &self.files);
        all
    }
}

fn how_on_disk(path: &Path) -> How {
    if path.exists() { How::Saved } else { How::Deleted }
}

/// A file's text; `None` if it is gone; why not if it cannot be read.
fn read_text(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| "it is not UTF-8 text".to_string()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.to_string()),
    }
}

/// The canonical paths of files that frameworks include but that are not
/// loaded, because they do not exist (yet).
fn missing_includes(checked: &Checked, loaded: &HashMap<PathBuf, FileId>) -> HashSet<PathBuf> {
    let workspace = &checked.workspace;
    let mut missing = HashSet::new();
    // Files outside the project are never read, so not watched either.
    for file in workspace.file_ids() {
        for target in workspace.include_targets(file) {
            let target = canonical(&target);
            if !loaded.contains_key(&target) {
                missing.insert(target);
            }
        }
    }
    missing
}
