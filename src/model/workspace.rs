//! The files of one run: found on disk (or given in memory), parsed once.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::boundary::Boundary;
use super::walk::{self, Identity};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, SourceMap};
use crate::syntax::ast::{Document, FrameworkItem};
use crate::syntax::{self, Parsed};

/// Every kub file of a run, parsed, and the sources diagnostics point into.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    /// The text of every file read, for diagnostics to point into.
    pub sources: SourceMap,
    parsed: HashMap<FileId, Parsed>,
    by_path: HashMap<PathBuf, FileId>,
    /// Files read from disk by what they are, so that a file reached by two
    /// paths (through a link) is read once.
    by_identity: HashMap<Identity, FileId>,
    /// The folders `include` may read from.
    pub boundary: Boundary,
    /// Problems met while finding and reading files.
    pub load_diagnostics: Vec<Diagnostic>,
    /// How many threads parse files that are loaded together.
    threads: usize,
}

impl Workspace {
    /// An empty workspace that parses on as many threads as the machine has cores.
    pub fn new() -> Self {
        Workspace::with_threads(crate::parallel::default_threads())
    }

    /// A workspace that parses on `threads` threads.
    pub fn with_threads(threads: usize) -> Self {
        Workspace { threads: threads.max(1), ..Workspace::default() }
    }

    /// How many threads parse files loaded together; at least 1.
    pub fn threads(&self) -> usize {
        self.threads.max(1)
    }

    /// Adds a file from memory (tests, editors, watch mode), replacing an
    /// earlier version of the same path.
    pub fn add_source(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        let id = self.insert_source(path.into(), text.into());
        let parsed = syntax::parse_on(id, self.sources.get(id).text(), self.threads());
        self.parsed.insert(id, parsed);
        id
    }

    /// Adds many files at once, parsing them in parallel.
    pub fn add_sources(&mut self, files: Vec<(PathBuf, String)>) -> Vec<FileId> {
        let files = files.into_iter().map(|(path, text)| SourceFile::new(normalize(&path), text)).collect();
        self.add_files(files)
    }

    /// Files whose lines are indexed, under normalized paths, parsed in parallel.
    fn add_files(&mut self, files: Vec<SourceFile>) -> Vec<FileId> {
        let ids: Vec<FileId> = files.into_iter().map(|file| self.insert_file(file)).collect();
        let sources = &self.sources;
        let threads = self.threads();
        let parsed = crate::parallel::map(&ids, threads, |&id| syntax::parse_on(id, sources.get(id).text(), threads));
        self.parsed.extend(ids.iter().copied().zip(parsed));
        ids
    }

    /// Stores a file's text under its path, without parsing it.
    fn insert_source(&mut self, path: PathBuf, text: String) -> FileId {
        self.insert_file(SourceFile::new(normalize(&path), text))
    }

    /// Stores a file under its path, which is normalized, without parsing it.
    fn insert_file(&mut self, file: SourceFile) -> FileId {
        match self.by_path.get(file.path()) {
            Some(&id) => {
                self.sources.replace(id, file);
                id
            }
            None => {
                let key = file.path().to_path_buf();
                let id = self.sources.add(file);
                self.by_path.insert(key, id);
                id
            }
        }
    }

    /// Forgets a file (it was deleted).
    pub fn remove(&mut self, path: &Path) -> Option<FileId> {
        let id = self.by_path.remove(&normalize(path))?;
        self.parsed.remove(&id);
        // A new file may get the same inode, and other spellings must not find the old one.
        self.by_path.retain(|_, other| *other != id);
        self.by_identity.retain(|_, other| *other != id);
        Some(id)
    }

    /// Reads a file, or every `.kub` file below a folder, in a stable order.
    pub fn load(&mut self, path: &Path) {
        if path.is_dir() {
            let walk = walk::kub_files(path, &[]);
            self.load_diagnostics.extend(walk.problems);
            let mut files = Vec::with_capacity(walk.files.len());
            for found in walk.files {
                match found.identity.as_ref().and_then(|identity| self.by_identity.get(identity)) {
                    // Given before by another path: known by this one too.
                    Some(&id) => {
                        self.by_path.entry(normalize(&found.path)).or_insert(id);
                    }
                    None if self.file_id(&found.path).is_none() => files.push(found),
                    None => {}
                }
            }
            // Reading, checking the encoding and indexing the lines are done
            // on every thread, not only the parsing after them.
            let read = crate::parallel::map(&files, self.threads(), |found| {
                let text = String::from_utf8(std::fs::read(&found.path).ok()?).ok()?;
                Some(SourceFile::new(normalize(&found.path), text))
            });
            let mut texts = Vec::with_capacity(files.len());
            let mut identities = Vec::with_capacity(files.len());
            for (found, file) in files.into_iter().zip(read) {
                match file {
                    Some(file) => {
                        texts.push(file);
                        identities.push(found.identity);
                    }
                    None => {
                        // Reported with the reason by the one-file path.
                        self.load_file(&found.path);
                    }
                }
            }
            let ids = self.add_files(texts);
            for (id, identity) in ids.into_iter().zip(identities) {
                if let Some(identity) = identity {
                    self.by_identity.entry(identity).or_insert(id);
                }
            }
        } else {
            self.load_file(path);
        }
    }

    /// Reads one file unless it is already loaded; returns its id.
    pub fn load_file(&mut self, path: &Path) -> Option<FileId> {
        if let Some(&id) = self.by_path.get(&normalize(path)) {
            return Some(id);
        }
        let identity = Identity::of(path).ok();
        if let Some(&id) = identity.as_ref().and_then(|identity| self.by_identity.get(identity)) {
            self.by_path.insert(normalize(path), id);
            return Some(id);
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    let id = self.add_source(path.to_path_buf(), text);
                    if let Some(identity) = identity {
                        self.by_identity.insert(identity, id);
                    }
                    Some(id)
                }
                Err(_) => {
                    self.load_diagnostics.push(
                        Diagnostic::new(Code::FileUnreadable, format!("{} is not UTF-8 text", path.display()))
                            .hint("save the file as UTF-8; most editors have it under \"Save with encoding\""),
                    );
                    None
                }
            },
            Err(error) => {
                self.load_diagnostics.push(Diagnostic::new(
                    Code::FileUnreadable,
                    format!("cannot read {}: {}", path.display(), plain_io_error(&error)),
                ));
                None
            }
        }
    }

    /// The id of the file loaded from this path, if it was.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(&normalize(path)).copied()
    }

    /// What the file with this id parses to, if it is a loaded kub file.
    pub fn parsed(&self, id: FileId) -> Option<&Parsed> {
        self.parsed.get(&id)
    }

    /// Where the includes of a framework file lead, leaving out those the
    /// boundary refuses: those are never read, whether they exist or not.
    pub fn include_targets(&self, id: FileId) -> Vec<PathBuf> {
        let Some(Document::Framework(doc)) = self.parsed(id).and_then(|parsed| parsed.document.as_ref()) else {
            return Vec::new();
        };
        doc.items
            .iter()
            .filter_map(|item| match item {
                FrameworkItem::Include { path, .. } => self.boundary.include_target(self.path(id), &path.value).ok(),
                _ => None,
            })
            .collect()
    }

    /// The ids of all loaded files, in the order they were loaded.
    pub fn file_ids(&self) -> Vec<FileId> {
        let mut ids: Vec<FileId> = self.parsed.keys().copied().collect();
        ids.sort();
        ids
    }

    /// The path the file with this id was read from.
    pub fn path(&self, id: FileId) -> &Path {
        self.sources.get(id).path()
    }
}

pub(super) fn plain_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// A path with `.` and `..` resolved lexically, so that two spellings of one
/// file compare equal.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let at_root_or_above = matches!(out.components().next_back(), None | Some(Component::ParentDir));
                if at_root_or_above {
                    out.push("..");
                } else {
                    out.pop();
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}
