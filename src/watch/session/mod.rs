//! A watch session: the checked workspace, the builder and what is in the
//! output folder, kept between rebuilds so that saving one file re-reads
//! that file and rebuilds only the documents made from it.
//!
//! Its parts: `changes` sorts a batch of changed paths into what they mean
//! and reads the files again; `rebuilding` decides which documents that
//! makes stale, builds them and removes those that are gone; `places` knows
//! where the watched files and the output are; `outcome` is what a rebuild
//! tells the command line.

mod changes;
mod outcome;
mod places;
mod rebuilding;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use notify::RecursiveMode;

use self::changes::Changes;
use self::places::Places;
use self::rebuilding::Built;
use super::paths::{is_kub_file, is_template_file, is_temporary};
use super::watcher::SavedSince;
use crate::build::{Builder, DocumentKind, Settings};
use crate::check::{Checked, check};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap};

pub use self::outcome::{Change, How, Rebuild};

/// The state kept between rebuilds.
pub struct Session {
    options: Settings,
    places: Places,
    checked: Checked,
    /// Every diagnostic now, font coverage and unreadable files included.
    diagnostics: Vec<Diagnostic>,
    builder: Option<Builder>,
    /// Why the templates did not load at the start, until the first build
    /// tells it.
    template_problems: Vec<Diagnostic>,
    /// Kinds whose templates changed since they last loaded.
    stale_kinds: BTreeSet<DocumentKind>,
    /// What is in the output folder (or was tried), by stem.
    documents: BTreeMap<PathBuf, Built>,
    /// Loaded files by canonical path.
    files: HashMap<PathBuf, FileId>,
    /// Files that exist but cannot be read; their last text is kept.
    unreadable: BTreeMap<PathBuf, Diagnostic>,
    /// Files that frameworks include but that are not there (yet).
    wanted_includes: HashSet<PathBuf>,
    /// Documents a newer save overtook before they were built, by stem:
    /// the next rebuild builds them whatever it is for.
    overtaken: BTreeSet<PathBuf>,
}

impl Session {
    /// Loads and checks every file, and loads the templates; builds nothing
    /// yet, so that the caller can start watching first and miss no save
    /// made during the first build.
    pub fn load(options: Settings) -> Session {
        let places = Places::new(&options);
        let mut checked = check(options.project.workspace(&options.paths));
        // They are among the diagnostics now; a later check must not repeat them.
        checked.workspace.load_diagnostics.clear();
        let (builder, template_problems) = match builder(&options) {
            Ok(builder) => (Some(builder), Vec::new()),
            Err(problems) => (None, problems),
        };
        let mut session = Session {
            options,
            places,
            checked,
            diagnostics: Vec::new(),
            builder,
            template_problems,
            stale_kinds: BTreeSet::new(),
            documents: BTreeMap::new(),
            files: HashMap::new(),
            unreadable: BTreeMap::new(),
            wanted_includes: HashSet::new(),
            overtaken: BTreeSet::new(),
        };
        session.index_files();
        session.diagnostics = session.all_diagnostics();
        session
    }

    /// Builds every document: the first build of a watch. Documents made
    /// from files that `newer` says were saved meanwhile are left to the
    /// next rebuild.
    pub fn build_all(&mut self, cancel: &AtomicBool, newer: &dyn SavedSince) -> Rebuild {
        let started = Instant::now();
        let mut rebuild = Rebuild {
            diagnostics: self.diagnostics.clone(),
            template_problems: std::mem::take(&mut self.template_problems),
            ..Rebuild::default()
        };
        rebuild.skipped = self.build(&BTreeSet::new(), &BTreeSet::new(), &[], cancel, newer, &mut rebuild);
        self.finish(&mut rebuild, started);
        rebuild
    }

    /// Brings the outputs up to date with the changed `paths`: re-reads
    /// those files, checks again and rebuilds the documents made from them.
    /// With `rescan`, every file is read again, since events were lost.
    /// Documents made from files that `newer` says were saved meanwhile
    /// are left to the next rebuild.
    pub fn apply(
        &mut self,
        paths: &BTreeSet<PathBuf>,
        rescan: bool,
        cancel: &AtomicBool,
        newer: &dyn SavedSince,
    ) -> Rebuild {
        let started = Instant::now();
        let mut changes = Changes::default();
        for path in paths {
            self.note(path, &mut changes);
        }
        if rescan {
            self.rescan(&mut changes);
        }
        let mut rebuild = Rebuild { changes: std::mem::take(&mut changes.seen), ..Rebuild::default() };
        if changes.restart {
            rebuild.restart = true;
            return rebuild;
        }
        let mut template_kinds = BTreeSet::new();
        if !changes.templates.is_empty() {
            // Kinds whose templates changed while they did not load are
            // stale too once they do.
            self.stale_kinds.extend(&changes.templates);
            match builder(&self.options) {
                Ok(builder) => {
                    self.builder = Some(builder);
                    template_kinds = std::mem::take(&mut self.stale_kinds);
                }
                Err(problems) => rebuild.template_problems = problems,
            }
        }
        let before = std::mem::take(&mut self.diagnostics);
        if !changes.files.is_empty() || changes.recheck {
            let loaded: HashSet<FileId> = self.checked.workspace.file_ids().into_iter().collect();
            let workspace = std::mem::take(&mut self.checked.workspace);
            self.checked = check(workspace);
            for file in self.index_files() {
                if !loaded.contains(&file) {
                    changes.files.insert(file);
                }
            }
        }
        let early = self.certificate_first(&changes, cancel, &mut rebuild);
        self.diagnostics = self.all_diagnostics();
        rebuild.diagnostics = self.worth_showing(&before, &changes);
        let skipped = self.build(&changes.files, &template_kinds, &early, cancel, newer, &mut rebuild);
        let changed_paths: HashSet<String> =
            rebuild.changes.iter().map(|change| change.path.display().to_string()).collect();
        rebuild.skipped = skipped.into_iter().filter(|skipped| changed_paths.contains(&skipped.what)).collect();
        self.finish(&mut rebuild, started);
        rebuild
    }

    /// The files diagnostics point into.
    pub fn sources(&self) -> &SourceMap {
        &self.checked.workspace.sources
    }

    /// The folders to watch: the given folders, the framework and template
    /// folders recursively; the folders of kub.toml, the logo, single
    /// files and included files elsewhere on their own.
    pub fn folders(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let places = &self.places;
        let mut folders = Vec::new();
        let parent = |path: &Path| path.parent().map(|parent| (parent.to_path_buf(), RecursiveMode::NonRecursive));
        for root in &places.roots {
            if root.folder {
                folders.push((root.canonical.clone(), RecursiveMode::Recursive));
            } else {
                folders.extend(parent(&root.canonical));
            }
        }
        folders.extend(places.templates.iter().map(|dir| (dir.clone(), RecursiveMode::Recursive)));
        folders.extend(parent(&places.project_file));
        folders.extend(places.logo.as_deref().and_then(parent));
        folders.extend(self.files.keys().filter_map(|file| parent(file)));
        folders.extend(self.wanted_includes.iter().filter_map(|file| parent(file)));
        folders.sort();
        folders.dedup();
        folders.retain(|(folder, _)| folder.is_dir());
        folders
    }

    /// The given folders and the template folder, as spelled, for telling
    /// the user what is watched.
    pub fn watched_places(&self) -> Vec<PathBuf> {
        let mut places: Vec<PathBuf> = self.places.roots.iter().map(|root| root.given.clone()).collect();
        places.extend(self.options.templates.clone());
        places
    }

    /// Drops the layouts the last few builds did not use. Call it between
    /// builds, once the status is out: it takes a few milliseconds.
    pub fn drop_unused_layouts(&self) {
        if let Some(builder) = &self.builder {
            builder.drop_unused_layouts();
        }
    }

    /// The settings the session was started with.
    pub fn options(&self) -> &Settings {
        &self.options
    }

    /// Whether a changed path (canonical, as the watcher reports it) can
    /// matter: a `.kub` file that is or could be loaded, a template,
    /// kub.toml, the logo, or a folder that held or brings `.kub` files.
    pub fn is_relevant(&self, path: &Path) -> bool {
        self.relevance().is_relevant(path)
    }

    fn relevance(&self) -> Relevance<'_> {
        Relevance { places: &self.places, files: &self.files, wanted_includes: &self.wanted_includes }
    }

    fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = Diagnostics::new();
        all.extend(self.checked.diagnostics.iter().cloned());
        all.extend(self.unreadable.values().cloned());
        all.sort();
        all.into_vec()
    }

    /// The diagnostics of the changed files, and any that is new.
    fn worth_showing(&self, before: &[Diagnostic], changes: &Changes) -> Vec<Diagnostic> {
        let unreadable: Vec<&Diagnostic> =
            changes.looked_at.iter().filter_map(|path| self.unreadable.get(path)).collect();
        self.diagnostics
            .iter()
            .filter(|diagnostic| {
                let in_changed_file = diagnostic.location.is_some_and(|at| changes.files.contains(&at.file));
                in_changed_file || unreadable.contains(diagnostic) || !before.contains(diagnostic)
            })
            .cloned()
            .collect()
    }

    fn finish(&self, rebuild: &mut Rebuild, started: Instant) {
        rebuild.errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        rebuild.warnings = self.diagnostics.len() - rebuild.errors;
        rebuild.elapsed = started.elapsed();
    }
}

/// What decides whether a changed path can matter, apart from the rest of
/// the session so that a rebuild can ask it while it builds.
struct Relevance<'a> {
    places: &'a Places,
    files: &'a HashMap<PathBuf, FileId>,
    wanted_includes: &'a HashSet<PathBuf>,
}

impl Relevance<'_> {
    fn is_relevant(&self, path: &Path) -> bool {
        let places = self.places;
        if places.is_output(path) || places.is_hidden(path) {
            return false;
        }
        if path == places.project_file || places.logo.as_deref() == Some(path) {
            return true;
        }
        if places.is_template(path) {
            return path.is_dir() || (is_template_file(path) && !is_temporary(path));
        }
        if is_kub_file(path) && !is_temporary(path) {
            return places.is_source(path) || self.files.contains_key(path) || self.wanted_includes.contains(path);
        }
        if path.is_dir() {
            return places.is_source(path);
        }
        // A folder that went away takes its files with it.
        self.files.keys().any(|file| file.starts_with(path) && file != path)
    }
}

/// The builder of a watch: it keeps each document's last source, so that a
/// save lays out again only what it changed.
fn builder(options: &Settings) -> Result<Builder, Vec<Diagnostic>> {
    let mut builder = Builder::new(options.templates.as_deref(), &options.branding)?;
    builder.keep_sources();
    Ok(builder)
}
