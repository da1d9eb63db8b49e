//! Resolution: joining each framework with what it extends and includes,
//! applying removals and overrides, and settling which scale rates what.
//!
//! [`Resolver::build`] reads as the outline; each part lives in a file
//! named after it: [`graph`] (extends, include, circles), [`header`]
//! (version, languages, single properties), [`merge`] (a file's own and
//! included definitions), [`tailoring`] (remove, override), [`renames`]
//! (ids a version renamed), [`certificate`]
//! (the certificate block) and [`scales`] (which scale rates what).
//!
//! Only diagnostics that need resolution's state are raised here: what the
//! graph leads to, what is defined or given twice as the pieces are
//! joined, what a tailoring names that its parent lacks, and scales that
//! do not exist. They also decide whether a framework is broken, which
//! assessments that follow it depend on. Judgements of a resolved
//! framework belong to `check`.

mod certificate;
mod graph;
mod header;
mod merge;
mod renames;
mod scales;
mod tailoring;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::framework::*;
use super::lower::Lowerer;
use super::workspace::Workspace;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::{Document, FrameworkDoc, FrameworkItem};
use header::{languages, title};

pub use graph::load_includes;

/// Every framework and library of a workspace, resolved.
#[derive(Debug, Default, Clone)]
pub struct Resolution {
    resolved: HashMap<FileId, Arc<Framework>>,
    /// Files whose framework has errors (its own or inherited).
    broken: HashSet<FileId>,
    /// Framework files by id, in load order.
    by_id: HashMap<String, Vec<FileId>>,
    /// Where each framework file names its id.
    id_locations: HashMap<FileId, Location>,
    /// Framework files with syntax errors, which are not read, by the
    /// version they state: what follows them says so once, not more.
    unread: HashMap<FileId, Option<String>>,
    /// Problems found while resolving: unknown frameworks, circles, missing includes.
    pub diagnostics: Vec<Diagnostic>,
}

/// What looking a framework up by id and version found.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// The framework, resolved without errors.
    Found(&'a Arc<Framework>),
    /// The framework exists but has errors.
    Broken(FileId),
    /// The id exists, in these other versions.
    OtherVersions(Vec<String>),
    /// No framework has the id; these are the ids there are.
    Unknown(Vec<String>),
    /// The id names a library, which cannot be followed.
    Library,
}

impl Resolution {
    /// All resolved frameworks and libraries, in load order.
    pub fn frameworks(&self) -> Vec<&Arc<Framework>> {
        let mut files: Vec<&FileId> = self.resolved.keys().collect();
        files.sort();
        files.into_iter().map(|file| &self.resolved[file]).collect()
    }

    /// The framework or library resolved from this file, if it is one.
    pub fn framework_of(&self, file: FileId) -> Option<&Arc<Framework>> {
        self.resolved.get(&file)
    }

    /// The files a framework is made from: its own, what it extends and what
    /// it includes, all the way down. A change to any of them changes it.
    pub fn files_behind(&self, framework: &Framework, workspace: &Workspace) -> std::collections::BTreeSet<FileId> {
        let mut files: std::collections::BTreeSet<FileId> = [framework.location.file].into_iter().collect();
        for parent in &framework.extends {
            if let Some(file) = self
                .by_id
                .get(&parent.id)
                .into_iter()
                .flatten()
                .find(|file| self.resolved.get(file).is_some_and(|f| f.version == parent.version))
            {
                files.insert(*file);
            }
        }
        for include in &framework.includes {
            if let Some(file) = workspace.file_id(Path::new(include)) {
                files.insert(file);
            }
        }
        files
    }

    /// Where a framework file names its id, for pointing at the framework.
    pub fn id_location(&self, file: FileId) -> Location {
        self.id_locations.get(&file).copied().unwrap_or(Location::new(file, Span::default()))
    }

    /// Whether the framework from this file has errors, its own or inherited.
    pub fn is_broken(&self, file: FileId) -> bool {
        self.broken.contains(&file)
    }

    /// Whether the framework file could not be read for its syntax errors.
    pub fn is_unread(&self, file: FileId) -> bool {
        self.unread.contains_key(&file)
    }

    /// Whether the file is an unread framework that may be this version:
    /// it states the version, or its version line was not read.
    fn unread_as(&self, file: FileId, version: &str) -> bool {
        self.unread.get(&file).is_some_and(|stated| stated.as_deref().is_none_or(|stated| stated == version))
    }

    /// The file a resolved framework came from.
    pub fn file_of(&self, framework: &Framework) -> FileId {
        framework.location.file
    }

    /// The framework an assessment or `extends` names by id and version, or why there is none.
    pub fn lookup(&self, id: &str, version: &str) -> Lookup<'_> {
        let Some(files) = self.by_id.get(id) else {
            let mut ids: Vec<String> = self.by_id.keys().cloned().collect();
            ids.sort();
            return Lookup::Unknown(ids);
        };
        let mut versions = Vec::new();
        for file in files {
            match self.resolved.get(file) {
                Some(framework) if framework.kind == FrameworkKind::Library => {
                    return Lookup::Library;
                }
                Some(framework) if framework.version == version => {
                    return if self.broken.contains(file) { Lookup::Broken(*file) } else { Lookup::Found(framework) };
                }
                Some(framework) => versions.push(framework.version.clone()),
                None if self.unread_as(*file, version) => return Lookup::Broken(*file),
                None => {}
            }
        }
        if versions.is_empty() && files.iter().any(|file| self.broken.contains(file)) {
            return Lookup::Broken(files[0]);
        }
        versions.sort_by(|a, b| compare_versions(a, b));
        Lookup::OtherVersions(versions)
    }

    /// Finds a framework or library as people name it on the command line:
    /// `id@version`, or `id` alone for its newest version.
    pub fn find(&self, target: &str) -> Option<&Arc<Framework>> {
        match target.split_once('@') {
            Some((id, version)) => match self.lookup(id, version) {
                Lookup::Found(framework) => Some(framework),
                _ => None,
            },
            None => self.find_by_id(target),
        }
    }

    /// Finds a framework or library by id alone: the newest version.
    pub fn find_by_id(&self, id: &str) -> Option<&Arc<Framework>> {
        self.by_id
            .get(id)?
            .iter()
            .filter_map(|file| self.resolved.get(file))
            .max_by(|a, b| compare_versions(&a.version, &b.version))
    }

    /// The ids of all frameworks and libraries, for suggestions.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.by_id.keys().map(String::as_str).collect();
        ids.sort();
        ids
    }
}

/// Orders versions numerically: 2.10 comes after 2.9.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |v: &str| v.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    parts(a).cmp(&parts(b))
}

/// Resolves every framework and library in the workspace.
pub fn resolve(workspace: &Workspace) -> Resolution {
    let mut resolver =
        Resolver { workspace, done: HashMap::new(), stack: Vec::new(), resolution: Resolution::default() };
    let framework_files: Vec<FileId> =
        workspace.file_ids().into_iter().filter(|file| framework_doc(workspace, *file).is_some()).collect();
    resolver.register(&framework_files);
    resolver.register_unread();
    for file in framework_files {
        if !resolver.resolution.broken.contains(&file) {
            resolver.resolve_file(file);
        }
    }
    resolver.resolution
}

/// The version a framework file states, if it states one.
fn own_version(doc: &FrameworkDoc) -> Option<String> {
    doc.items.iter().find_map(|item| match item {
        FrameworkItem::Version { version, .. } => Some(version.text.clone()),
        _ => None,
    })
}

fn framework_doc(workspace: &Workspace, file: FileId) -> Option<&FrameworkDoc> {
    match workspace.parsed(file)?.document.as_ref()? {
        Document::Framework(doc) => Some(doc),
        Document::Assessment(_) => None,
    }
}

struct Resolver<'w> {
    workspace: &'w Workspace,
    done: HashMap<FileId, Option<Arc<Framework>>>,
    /// The files being resolved, with the statement that led to the next.
    stack: Vec<(FileId, Option<Location>)>,
    resolution: Resolution,
}

impl Resolver<'_> {
    fn resolve_file(&mut self, file: FileId) -> Option<Arc<Framework>> {
        if let Some(done) = self.done.get(&file) {
            return done.clone();
        }
        let doc = framework_doc(self.workspace, file)?;
        self.stack.push((file, None));
        let mut diagnostics = Vec::new();
        let (framework, dependency_broken) = self.build(file, doc, &mut diagnostics);
        self.stack.pop();
        let broken = dependency_broken || diagnostics.iter().any(Diagnostic::is_error);
        self.resolution.diagnostics.extend(diagnostics);
        let framework = framework.map(Arc::new);
        if broken {
            self.resolution.broken.insert(file);
        }
        if let Some(framework) = &framework {
            self.resolution.resolved.insert(file, framework.clone());
        }
        self.done.insert(file, framework.clone());
        framework
    }

    /// Files every framework under its id, and refuses a second file with
    /// the same id and version: which of the two to follow is unknowable.
    fn register(&mut self, framework_files: &[FileId]) {
        let mut seen: HashMap<(String, String), FileId> = HashMap::new();
        for &file in framework_files {
            let doc = framework_doc(self.workspace, file).expect("filtered to frameworks");
            self.resolution.by_id.entry(doc.id.text.clone()).or_default().push(file);
            self.resolution.id_locations.insert(file, Location::new(file, doc.id.span));
            let (FrameworkKind::Framework, Some(version)) = (doc.kind, own_version(doc)) else {
                continue;
            };
            let key = (doc.id.text.clone(), version.clone());
            let Some(&first) = seen.get(&key) else {
                seen.insert(key, file);
                continue;
            };
            let first_doc = framework_doc(self.workspace, first).expect("a framework");
            self.resolution.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateFramework,
                    format!("the framework `{} {version}` is defined in two files", doc.id.text),
                )
                .at(Location::new(file, doc.id.span))
                .related(Location::new(first, first_doc.id.span), "also defined here")
                .hint("give one of them a new version or a new id"),
            );
            self.resolution.broken.insert(file);
        }
    }

    /// Files the frameworks whose syntax errors kept them from being read
    /// under their ids, so that what follows or extends them learns why
    /// they cannot be used instead of hearing they do not exist.
    fn register_unread(&mut self) {
        for file in self.workspace.file_ids() {
            let Some(Document::Framework(doc)) = self.workspace.parsed(file).and_then(|p| p.partial.as_ref()) else {
                continue;
            };
            self.resolution.by_id.entry(doc.id.text.clone()).or_default().push(file);
            self.resolution.id_locations.insert(file, Location::new(file, doc.id.span));
            self.resolution.broken.insert(file);
            self.resolution.unread.insert(file, own_version(doc));
        }
    }

    /// Builds one framework; the flag says whether something it depends on
    /// has errors.
    fn build(
        &mut self,
        file: FileId,
        doc: &FrameworkDoc,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Option<Framework>, bool) {
        // What this framework tailors comes first: everything starts from it.
        let Ok(parent) = self.parent(file, doc, diagnostics) else {
            // What it extends is missing or has errors, reported there.
            return (None, true);
        };
        // The default language decides what an untagged text is in.
        let Some(languages) = languages(file, doc, parent.as_deref(), diagnostics) else {
            return (None, true);
        };
        let mut lower = Lowerer { file, default_language: languages[0], owner: doc.id.text.clone(), diagnostics };
        let mut framework = match &parent {
            Some(parent) => {
                let mut framework = Framework::clone(parent);
                // Items move while this one is built; lookups scan until it is done.
                framework.index = Default::default();
                framework.extends.insert(0, parent.reference());
                framework.extends_titles.insert(0, parent.title.clone());
                framework
            }
            None => empty_framework(doc.kind, &doc.id.text, lower.at(doc.id.span)),
        };
        framework.kind = doc.kind;
        framework.id = doc.id.text.clone();
        framework.location = lower.at(doc.id.span);
        framework.languages = languages;
        title(doc, &mut framework, &mut lower, parent.is_some());
        self.header(doc, &mut framework, &mut lower, parent.is_some());
        let include_failed = self.includes(file, doc, &mut framework, lower.diagnostics);
        merge::definitions(doc, &mut framework, &mut lower);
        tailoring::tailoring(doc, &mut framework, &mut lower);
        renames::renames(doc, &mut framework, &lower);
        certificate::certificate(doc, &mut framework, &mut lower);
        // Scales missing because an include failed would only repeat that error.
        let mut scale_diagnostics = Vec::new();
        scales::settle_scales(&mut framework, &mut scale_diagnostics);
        framework.reindex();
        if !include_failed {
            lower.diagnostics.extend(scale_diagnostics);
        }
        (Some(framework), include_failed)
    }
}

fn empty_framework(kind: FrameworkKind, id: &str, location: Location) -> Framework {
    Framework {
        kind,
        id: id.to_string(),
        version: String::new(),
        title: Default::default(),
        languages: Vec::new(),
        occupation: None,
        organisation: None,
        description: None,
        esco: None,
        extends: Vec::new(),
        extends_titles: Vec::new(),
        includes: Vec::new(),
        rate_tasks_with: None,
        rate_competences_with: None,
        rate_tasks_location: None,
        rate_competences_location: None,
        scales: Vec::new(),
        areas: Vec::new(),
        competences: Vec::new(),
        tracks: Vec::new(),
        certificate: CertificateRules::default(),
        removed: Vec::new(),
        renames: Vec::new(),
        location,
        index: Default::default(),
        task_ids: Default::default(),
    }
}

fn misplaced(what: &str, place: &str, location: Location, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::MisplacedStatement, format!("{what} has no meaning in {place}")).at(location).hint(hint)
}
