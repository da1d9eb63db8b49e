//! A watch session: the checked workspace, the builder and what is in the
//! output folder, kept between rebuilds so that saving one file re-reads
//! that file and rebuilds only the documents made from it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;

use super::paths::{
    canonical, is_hidden_below, is_kub_file, is_template_file, is_temporary, kub_files_below, template_kind,
};
use crate::build::Settings;
use crate::build::{Builder, DocumentKind, OWNERS_FILE, Plan, PlannedDocument, Report, Skipped, plan};
use crate::check::{Checked, check};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::workspace::normalize;
use crate::project::PROJECT_FILE;
use crate::source::{FileId, SourceMap};

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

/// A document whose files are in the output folder.
#[derive(Debug, Clone)]
struct Built {
    kind: DocumentKind,
    inputs: BTreeSet<FileId>,
}

/// Where things are, as canonical paths, the form the watcher reports.
#[derive(Debug)]
struct Places {
    /// The given paths and the framework folders.
    roots: Vec<Root>,
    templates: Option<PathBuf>,
    project_file: PathBuf,
    logo: Option<PathBuf>,
    /// Folders kub writes to, whose events are its own.
    output: Vec<PathBuf>,
    /// The current folder, to show paths relative to it.
    current: PathBuf,
}

#[derive(Debug)]
struct Root {
    /// As the user or kub.toml spelled it, which is how messages show files.
    given: PathBuf,
    canonical: PathBuf,
    folder: bool,
}

/// Documents are built in groups of this many per thread, so that a stop
/// is noticed between groups without ever leaving a file half written.
const GROUP_PER_THREAD: usize = 4;

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
}

/// What a batch of paths turned out to be.
#[derive(Default)]
struct Changes {
    /// Files whose text changed, that were added or that went away.
    files: BTreeSet<FileId>,
    /// A file appeared that a framework may include.
    recheck: bool,
    /// The kinds whose templates changed.
    templates: BTreeSet<DocumentKind>,
    restart: bool,
    seen: Vec<Change>,
    /// Canonical paths of the files looked at, for their read errors.
    looked_at: BTreeSet<PathBuf>,
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
        let (builder, template_problems) = match Builder::new(options.templates.as_deref(), &options.branding) {
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
        };
        session.index_files();
        session.diagnostics = session.all_diagnostics();
        session
    }

    /// Builds every document: the first build of a watch.
    pub fn build_all(&mut self, cancel: &AtomicBool) -> Rebuild {
        let started = Instant::now();
        let mut rebuild = Rebuild {
            diagnostics: self.diagnostics.clone(),
            template_problems: std::mem::take(&mut self.template_problems),
            ..Rebuild::default()
        };
        rebuild.skipped = self.build(&BTreeSet::new(), &BTreeSet::new(), &[], cancel, &mut rebuild);
        self.finish(&mut rebuild, started);
        rebuild
    }

    /// Brings the outputs up to date with the changed `paths`: re-reads
    /// those files, checks again and rebuilds the documents made from them.
    /// With `rescan`, every file is read again, since events were lost.
    pub fn apply(&mut self, paths: &BTreeSet<PathBuf>, rescan: bool, cancel: &AtomicBool) -> Rebuild {
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
            match Builder::new(self.options.templates.as_deref(), &self.options.branding) {
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
        let skipped = self.build(&changes.files, &template_kinds, &early, cancel, &mut rebuild);
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

    /// The settings the session was started with.
    pub fn options(&self) -> &Settings {
        &self.options
    }

    /// Whether a changed path (canonical, as the watcher reports it) can
    /// matter: a `.kub` file that is or could be loaded, a template,
    /// kub.toml, the logo, or a folder that held or brings `.kub` files.
    pub fn is_relevant(&self, path: &Path) -> bool {
        let places = &self.places;
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

    /// Sorts out what one changed path is and takes it in.
    fn note(&mut self, path: &Path, changes: &mut Changes) {
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
    fn note_source(&mut self, path: &Path, changes: &mut Changes, only_if_different: bool) {
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
    fn rescan(&mut self, changes: &mut Changes) {
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
    fn index_files(&mut self) -> Vec<FileId> {
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

    /// Files with errors, their own or those of what they build on.
    fn broken_files(&self) -> HashSet<FileId> {
        let mut broken: HashSet<FileId> = self
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .filter_map(|diagnostic| diagnostic.location.map(|at| at.file))
            .collect();
        broken.extend(self.checked.assessments.iter().filter(|a| a.has_errors).map(|a| a.file));
        let workspace = &self.checked.workspace;
        broken.extend(workspace.file_ids().into_iter().filter(|&file| self.checked.resolution.is_broken(file)));
        broken.extend(self.unreadable.keys().filter_map(|path| self.files.get(path)));
        broken
    }

    /// Plans every document, builds those that `changed` files or
    /// `template_kinds` make stale (but not those `built_already`) and
    /// removes those that are gone. Returns what the plan skipped.
    fn build(
        &mut self,
        changed: &BTreeSet<FileId>,
        template_kinds: &BTreeSet<DocumentKind>,
        built_already: &[PathBuf],
        cancel: &AtomicBool,
        rebuild: &mut Rebuild,
    ) -> Vec<Skipped> {
        let options = &self.options;
        let mut names = options.output_names();
        rebuild.diagnostics.extend(names.problem().cloned());
        let plan = plan(&self.checked, &options.kinds, &options.languages(), &mut names, None);
        if let Err(problem) = names.save() {
            rebuild.failed.push((PathBuf::from(OWNERS_FILE), vec![problem]));
        }
        let broken = self.broken_files();

        let mut stale: Vec<&PlannedDocument> = Vec::new();
        for document in &plan.documents {
            if built_already.contains(&document.stem) {
                continue;
            }
            let before = self.documents.get(&document.stem);
            let outdated = match before {
                None => true,
                Some(built) => built.inputs != document.inputs || !document.inputs.is_disjoint(changed),
            };
            if !(outdated || template_kinds.contains(&document.kind)) {
                continue;
            }
            // Made from a file that is broken now: keep the last good one.
            if before.is_some_and(|built| built.inputs.iter().any(|file| broken.contains(file))) {
                rebuild.kept += 1;
                continue;
            }
            stale.push(document);
        }

        let planned: HashSet<&PathBuf> = plan.documents.iter().map(|document| &document.stem).collect();
        let gone: Vec<PathBuf> = self.documents.keys().filter(|stem| !planned.contains(stem)).cloned().collect();
        for stem in gone {
            let built = &self.documents[&stem];
            if built.inputs.iter().any(|file| broken.contains(file)) {
                rebuild.kept += 1;
                continue;
            }
            remove_outputs(&options.out, &stem, built.kind);
            self.documents.remove(&stem);
            rebuild.removed.push(stem);
        }

        let Some(builder) = &self.builder else {
            rebuild.waiting = stale.len();
            return plan.skipped;
        };
        // Certificates first, in groups of their own: they are what people
        // wait for, and a compile alone has the machine to itself.
        stale.sort_by_key(|document| document.kind);
        let threads = options.threads.max(1);
        let certificates = stale.partition_point(|document| document.kind == DocumentKind::Certificate);
        let (first, rest) = stale.split_at(certificates);
        let groups = first.chunks(threads * GROUP_PER_THREAD).chain(rest.chunks(threads * GROUP_PER_THREAD));
        for group in groups {
            if cancel.load(Ordering::SeqCst) {
                rebuild.cancelled = true;
                break;
            }
            let group = Plan { documents: group.iter().map(|document| (*document).clone()).collect(), skipped: vec![] };
            let report = builder.run(&group, &options.formats, &options.out, threads, cancel, &|_| {});
            let blocked = report.stopped.is_some();
            record(&group, report, &mut self.documents, rebuild);
            if blocked || rebuild.cancelled {
                break;
            }
        }
        plan.skipped
    }

    /// The certificate of a single saved assessment, planned on its own and
    /// built before the rest is even planned, which with hundreds of
    /// participants takes longer than the certificate. Only a certificate
    /// that is the same document as before (same name, same files) is built
    /// early, so that planning everything can only agree. Returns the stems
    /// built.
    fn certificate_first(&mut self, changes: &Changes, cancel: &AtomicBool, rebuild: &mut Rebuild) -> Vec<PathBuf> {
        let options = &self.options;
        let mut files = changes.files.iter().copied();
        let (Some(file), None, Some(builder)) = (files.next(), files.next(), &self.builder) else {
            return Vec::new();
        };
        let clean = self.checked.assessments.iter().any(|entry| entry.file == file && !entry.has_errors);
        let wanted = options.kinds.contains(&DocumentKind::Certificate) && changes.templates.is_empty();
        if !clean || !wanted || cancel.load(Ordering::SeqCst) {
            return Vec::new();
        }
        let kinds = BTreeSet::from([DocumentKind::Certificate]);
        let only = HashSet::from([file]);
        // Only a name the record already gives is used; nothing new is claimed.
        let mut names = options.output_names();
        let early = plan(&self.checked, &kinds, &options.languages(), &mut names, Some(&only));
        let same = match early.documents.as_slice() {
            [document] => self.documents.get(&document.stem).is_some_and(|built| built.inputs == document.inputs),
            _ => false,
        };
        if !same {
            return Vec::new();
        }
        let report = builder.run(&early, &options.formats, &options.out, 1, cancel, &|_| {});
        record(&early, report, &mut self.documents, rebuild);
        early.documents.into_iter().map(|document| document.stem).collect()
    }

    fn finish(&self, rebuild: &mut Rebuild, started: Instant) {
        rebuild.errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        rebuild.warnings = self.diagnostics.len() - rebuild.errors;
        rebuild.elapsed = started.elapsed();
    }
}

/// Takes in how a group of documents went.
fn record(group: &Plan, report: Report, documents: &mut BTreeMap<PathBuf, Built>, rebuild: &mut Rebuild) {
    let built: HashSet<&PathBuf> = report.built.iter().collect();
    let failed: HashSet<&PathBuf> = report.failed.iter().map(|(stem, _)| stem).collect();
    for document in &group.documents {
        if built.contains(&document.stem) {
            rebuild.built.push(document.kind);
        }
        // A document that failed is tried again when what it is made from,
        // or its template, changes; one not tried yet (the batch stopped)
        // is not recorded, so the next rebuild makes it.
        if built.contains(&document.stem) || failed.contains(&document.stem) {
            documents.insert(document.stem.clone(), Built { kind: document.kind, inputs: document.inputs.clone() });
        }
    }
    rebuild.written += report.written.len();
    rebuild.unchanged += report.unchanged;
    rebuild.failed.extend(report.failed);
    rebuild.cancelled |= report.interrupted;
    if rebuild.output_problem.is_none() {
        rebuild.output_problem = report.stopped;
    }
}

impl Places {
    fn new(options: &Settings) -> Places {
        let project = &options.project;
        let mut roots = Vec::new();
        for given in project.framework_dirs.iter().chain(&options.paths) {
            let given = normalize(given);
            if roots.iter().any(|root: &Root| root.given == given) {
                continue;
            }
            roots.push(Root { canonical: canonical(&given), folder: given.is_dir(), given });
        }
        let out = canonical(&options.out);
        let mut output: Vec<PathBuf> = DocumentKind::ALL.iter().map(|kind| out.join(kind.folder())).collect();
        // The whole output folder is kub's, unless files to watch are in it.
        if !roots.iter().any(|root| root.canonical.starts_with(&out)) {
            output.push(out);
        }
        Places {
            roots,
            templates: options.templates.as_deref().map(canonical),
            project_file: canonical(&project.root.join(PROJECT_FILE)),
            logo: options.branding.logo.as_deref().map(canonical),
            output,
            current: canonical(Path::new(".")),
        }
    }

    fn is_output(&self, path: &Path) -> bool {
        self.output.iter().any(|folder| path.starts_with(folder))
    }

    fn is_template(&self, path: &Path) -> bool {
        self.templates.as_deref().is_some_and(|dir| path.starts_with(dir))
    }

    /// Whether a path is a given file or lies in a given folder.
    fn is_source(&self, path: &Path) -> bool {
        self.roots
            .iter()
            .any(|root| if root.folder { path.starts_with(&root.canonical) } else { path == root.canonical })
    }

    /// Hidden below the folder it was found in: `.git`, `.vscode`, `.a.kub`.
    fn is_hidden(&self, path: &Path) -> bool {
        let folders = self.roots.iter().filter(|root| root.folder).map(|root| root.canonical.as_path());
        match folders.chain(self.templates.as_deref()).find(|folder| path.starts_with(folder)) {
            Some(folder) => is_hidden_below(path, folder),
            None => path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')),
        }
    }

    /// A file's path as the workspace spells it: through the given folder
    /// it is in, else relative to the current folder.
    fn spelled(&self, path: &Path) -> PathBuf {
        for root in &self.roots {
            if root.folder
                && let Ok(below) = path.strip_prefix(&root.canonical)
            {
                return normalize(&root.given.join(below));
            }
            if !root.folder && path == root.canonical {
                return root.given.clone();
            }
        }
        self.shown(path)
    }

    /// A path relative to the current folder if it is below it.
    fn shown(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.current) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
            _ => path.to_path_buf(),
        }
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

/// Removes every file a document may have, whatever formats were asked for.
fn remove_outputs(out: &Path, stem: &Path, kind: DocumentKind) {
    for format in kind.formats() {
        let path = out.join(stem).with_extension(format.extension());
        // Gone already is as good as removed.
        let _ = std::fs::remove_file(path);
    }
}
