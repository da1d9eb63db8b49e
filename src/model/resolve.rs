//! Resolution: joining each framework with what it extends and includes,
//! applying removals and overrides, and settling which scale rates what.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::boundary::Refused;
use super::framework::*;
use super::lower::{Lowerer, TaskFields, duplicate_id};
use super::text::Lang;
use super::workspace::Workspace;
use crate::diagnostic::{Code, Diagnostic, did_you_mean, list_words};
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::{self, Document, FrameworkDoc, FrameworkItem, ItemKind};

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
    pub diagnostics: Vec<Diagnostic>,
}

/// What looking a framework up by id and version found.
#[derive(Debug)]
pub enum Lookup<'a> {
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

    pub fn is_broken(&self, file: FileId) -> bool {
        self.broken.contains(&file)
    }

    /// The file a resolved framework came from.
    pub fn file_of(&self, framework: &Framework) -> FileId {
        framework.location.file
    }

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
                None if self.broken.contains(file) => {}
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

/// Loads the library files that frameworks include but were not given.
pub fn load_includes(workspace: &mut Workspace) {
    let mut checked = HashSet::new();
    loop {
        let mut wanted = Vec::new();
        for file in workspace.file_ids() {
            if !checked.insert(file) {
                continue;
            }
            let Some(Document::Framework(doc)) = workspace.parsed(file).and_then(|p| p.document.as_ref()) else {
                continue;
            };
            for item in &doc.items {
                if let FrameworkItem::Include { path, .. } = item
                    && let Ok(target) = workspace.boundary.include_target(workspace.path(file), &path.value)
                {
                    wanted.push(target);
                }
            }
        }
        let before = workspace.file_ids().len();
        for path in wanted {
            if workspace.file_id(&path).is_none() && path.is_file() {
                workspace.load_file(&path);
            }
        }
        if workspace.file_ids().len() == before {
            break;
        }
    }
}

/// Resolves every framework and library in the workspace.
pub fn resolve(workspace: &Workspace) -> Resolution {
    let mut resolver =
        Resolver { workspace, done: HashMap::new(), stack: Vec::new(), resolution: Resolution::default() };
    let framework_files: Vec<FileId> = workspace
        .file_ids()
        .into_iter()
        .filter(|file| {
            matches!(workspace.parsed(*file).and_then(|p| p.document.as_ref()), Some(Document::Framework(_)))
        })
        .collect();
    let mut seen: HashMap<(String, String), FileId> = HashMap::new();
    for &file in &framework_files {
        let doc = framework_doc(workspace, file).expect("filtered to frameworks");
        resolver.resolution.by_id.entry(doc.id.text.clone()).or_default().push(file);
        resolver.resolution.id_locations.insert(file, Location::new(file, doc.id.span));
        let version = doc.items.iter().find_map(|item| match item {
            FrameworkItem::Version { version, .. } => Some(version.text.clone()),
            _ => None,
        });
        if let (FrameworkKind::Framework, Some(version)) = (doc.kind, version) {
            if let Some(&first) = seen.get(&(doc.id.text.clone(), version.clone())) {
                let first_doc = framework_doc(workspace, first).expect("a framework");
                resolver.resolution.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateFramework,
                        format!("the framework `{} {version}` is defined in two files", doc.id.text),
                    )
                    .at(Location::new(file, doc.id.span))
                    .related(Location::new(first, first_doc.id.span), "also defined here")
                    .hint("give one of them a new version or a new id"),
                );
                resolver.resolution.broken.insert(file);
                continue;
            }
            seen.insert((doc.id.text.clone(), version), file);
        }
    }
    for file in framework_files {
        if !resolver.resolution.broken.contains(&file) {
            resolver.resolve_file(file);
        }
    }
    resolver.resolution
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

    /// Builds one framework; the flag says whether something it depends on
    /// has errors.
    fn build(
        &mut self,
        file: FileId,
        doc: &FrameworkDoc,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Option<Framework>, bool) {
        let at = |span: Span| Location::new(file, span);
        let mut dependency_broken = false;

        // What this framework tailors comes first: everything starts from it.
        let mut parent: Option<Arc<Framework>> = None;
        let extends: Vec<(&ast::Token, &ast::Token, Span)> = doc
            .items
            .iter()
            .filter_map(|item| match item {
                FrameworkItem::Extends { id, version, span } => Some((id, version, *span)),
                _ => None,
            })
            .collect();
        for (index, (id, version, span)) in extends.iter().enumerate() {
            if doc.kind == FrameworkKind::Library {
                diagnostics.push(misplaced(
                    "`extends`",
                    "a library",
                    at(*span),
                    "a library cannot extend a framework; make this file a `framework`, or remove the line",
                ));
                continue;
            }
            if index > 0 {
                diagnostics.push(
                    Diagnostic::new(Code::DuplicateProperty, "a framework can extend only one other framework")
                        .at(at(*span))
                        .related(at(extends[0].2), "first `extends` here")
                        .hint("to combine shared definitions, `include` a library instead"),
                );
                continue;
            }
            match self.extended(file, id, version, at(*span), diagnostics) {
                Ok(found) => parent = Some(found),
                Err(()) => dependency_broken = true,
            }
        }
        if !extends.is_empty() && parent.is_none() {
            // What it extends is missing or has errors, reported there.
            return (None, true);
        }

        // The default language decides what an untagged text is in.
        let mut languages: Option<Vec<Lang>> = None;
        let mut languages_span = None;
        let mut scratch = Lowerer {
            file,
            default_language: Lang::parse("sv").expect("sv is known"),
            owner: doc.id.text.clone(),
            diagnostics,
        };
        for item in &doc.items {
            if let FrameworkItem::Languages { languages: codes, span } = item {
                if languages.is_some() {
                    scratch.diagnostics.push(
                        Diagnostic::new(Code::DuplicateProperty, "`languages` is given twice")
                            .at(at(*span))
                            .related(at(languages_span.expect("set with languages")), "first given here")
                            .hint("list every language on one `languages` line, the default first"),
                    );
                    continue;
                }
                let parsed: Vec<Lang> = codes.iter().filter_map(|code| scratch.language(code)).collect();
                languages_span = Some(*span);
                languages = Some(parsed);
            }
        }
        let languages = match (languages, &parent) {
            (Some(languages), _) if !languages.is_empty() => languages,
            (Some(_), _) => return (None, true),
            (None, Some(parent)) => parent.languages.clone(),
            (None, None) => {
                scratch.diagnostics.push(
                    Diagnostic::new(Code::MissingProperty, format!("`{}` does not say which languages it is written in", doc.id.text))
                        .at(at(doc.header_span))
                        .hint("add a line such as `languages sv en`; the first language is the default, and its texts are required"),
                );
                return (None, true);
            }
        };
        let mut lower =
            Lowerer { file, default_language: languages[0].clone(), owner: doc.id.text.clone(), diagnostics };

        let mut framework = match &parent {
            Some(parent) => {
                let mut framework = Framework::clone(parent);
                // Items move while this one is built; lookups scan until it is done.
                framework.index = Default::default();
                framework.extends.insert(0, parent.reference());
                framework
            }
            None => empty_framework(doc.kind, &doc.id.text, at(doc.id.span)),
        };
        framework.kind = doc.kind;
        framework.id = doc.id.text.clone();
        framework.location = at(doc.id.span);
        framework.languages = languages;
        match &doc.title {
            Some(title) => framework.title = lower.text(title),
            None if parent.is_none() => {
                lower.diagnostics.push(
                    Diagnostic::new(Code::MissingTitle, format!("`{}` has no title", doc.id.text))
                        .at(at(doc.id.span))
                        .hint(format!("write the title in quotes after the id: `framework {} \"...\"`", doc.id.text)),
                );
            }
            None => {}
        }

        self.header(doc, &mut framework, &mut lower, parent.is_some());
        let mut include_failed = false;
        for item in &doc.items {
            if let FrameworkItem::Include { path, span } = item
                && self.include(file, path, at(*span), &mut framework, lower.diagnostics).is_err()
            {
                include_failed = true;
            }
        }
        dependency_broken |= include_failed;
        definitions(doc, &mut framework, &mut lower);
        tailoring(doc, &mut framework, &mut lower);
        certificate(doc, &mut framework, &mut lower);
        // Scales missing because an include failed would only repeat that error.
        let mut scale_diagnostics = Vec::new();
        settle_scales(&mut framework, &mut scale_diagnostics);
        framework.reindex();
        if !include_failed {
            lower.diagnostics.extend(scale_diagnostics);
        }
        (Some(framework), dependency_broken)
    }

    fn header(&self, doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer, inherits: bool) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut once = |name: &'static str, span: Span, lower: &mut Lowerer| -> bool {
            if let Some(first) = seen.get(name) {
                lower.diagnostics.push(
                    Diagnostic::new(Code::DuplicateProperty, format!("`{name}` is given twice"))
                        .at(lower.at(span))
                        .related(lower.at(*first), "first given here")
                        .hint("keep one of them"),
                );
                return false;
            }
            seen.insert(name, span);
            true
        };
        let mut version = None;
        for item in &doc.items {
            match item {
                FrameworkItem::Version { version: v, span } if once("version", *span, lower) => {
                    version = Some(v.text.clone());
                }
                FrameworkItem::Occupation { text, span } if once("occupation", *span, lower) => {
                    framework.occupation = Some(lower.text(text));
                }
                FrameworkItem::Organisation { text, span } if once("organisation", *span, lower) => {
                    framework.organisation = Some(lower.text(text));
                }
                FrameworkItem::Description(description) if once("description", description.span, lower) => {
                    framework.description = Some(lower.text(&description.text));
                }
                FrameworkItem::Esco { uri, span } if once("esco", *span, lower) => {
                    framework.esco = Some(uri.value.clone());
                }
                FrameworkItem::Rate { target, scale, span } => match target.text.as_str() {
                    "tasks" => {
                        if once("rate tasks", *span, lower) {
                            framework.rate_tasks_with = Some(scale.text.clone());
                            framework.rate_tasks_location = Some(lower.at(scale.span));
                        }
                    }
                    "competences" => {
                        if once("rate competences", *span, lower) {
                            framework.rate_competences_with = Some(scale.text.clone());
                            framework.rate_competences_location = Some(lower.at(scale.span));
                        }
                    }
                    other => {
                        let diagnostic = Diagnostic::new(
                            Code::UnknownRateTarget,
                            format!("`rate {other}` does not say what to rate"),
                        )
                        .at(lower.at(target.span))
                        .label("expected `tasks` or `competences`")
                        .hint_if(did_you_mean(other, ["tasks", "competences"]));
                        lower.diagnostics.push(diagnostic);
                    }
                },
                _ => {}
            }
        }
        match version {
            Some(version) => framework.version = version,
            None if doc.kind == FrameworkKind::Framework => {
                let hint = if inherits {
                    "a tailoring has a version of its own; add a line such as `version 1.0`"
                } else {
                    "add a line such as `version 1.0`; assessments name the version they follow"
                };
                lower.diagnostics.push(
                    Diagnostic::new(Code::MissingProperty, format!("the framework `{}` has no version", doc.id.text))
                        .at(lower.at(doc.header_span))
                        .hint(hint),
                );
            }
            None => framework.version = String::new(),
        }
    }

    fn extended(
        &mut self,
        file: FileId,
        id: &ast::Token,
        version: &ast::Token,
        location: Location,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Arc<Framework>, ()> {
        let candidates: Vec<FileId> = self.resolution.by_id.get(&id.text).cloned().unwrap_or_default();
        let mut versions = Vec::new();
        let mut target = None;
        for candidate in &candidates {
            let Some(doc) = framework_doc(self.workspace, *candidate) else {
                continue;
            };
            if doc.kind == FrameworkKind::Library {
                diagnostics.push(
                    Diagnostic::new(
                        Code::IncludeNotLibrary,
                        format!("`{}` is a library, and a library cannot be extended", id.text),
                    )
                    .at(Location::new(file, id.span))
                    .related(Location::new(*candidate, doc.id.span), "the library")
                    .hint("use `include \"PATH\"` to bring in a library's definitions"),
                );
                return Err(());
            }
            let candidate_version = doc.items.iter().find_map(|item| match item {
                FrameworkItem::Version { version, .. } => Some(version.text.clone()),
                _ => None,
            });
            if candidate_version.as_deref() == Some(version.text.as_str()) {
                target = Some(*candidate);
            } else if let Some(v) = candidate_version {
                versions.push(v);
            }
        }
        let Some(target) = target else {
            if candidates.is_empty() {
                let ids: Vec<&str> = self.resolution.by_id.keys().map(String::as_str).collect();
                diagnostics.push(
                    Diagnostic::new(Code::UnknownFramework, format!("there is no framework `{}` to extend", id.text))
                        .at(Location::new(file, id.span))
                        .label("unknown framework")
                        .hint_if(did_you_mean(&id.text, ids))
                        .hint("kub looks for frameworks in the files and folders it is given, and in the project's `frameworks` folder"),
                );
            } else {
                versions.sort_by(|a, b| compare_versions(a, b));
                let listed: Vec<String> = versions.iter().map(|v| format!("`{v}`")).collect();
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownVersion,
                        format!("the framework `{}` has no version {}", id.text, version.text),
                    )
                    .at(Location::new(file, version.span))
                    .label("unknown version")
                    .hint(format!("versions found: {}", list_words(&listed, "and"))),
                );
            }
            return Err(());
        };
        if self.stack.iter().any(|(f, _)| *f == target) {
            let name = |f: FileId| framework_doc(self.workspace, f).map_or_else(String::new, |d| d.id.text.clone());
            diagnostics.push(self.cycle(target, location, Code::ExtendsCycle, name));
            return Err(());
        }
        if let Some(top) = self.stack.last_mut() {
            top.1 = Some(location);
        }
        let resolved = self.resolve_file(target);
        match resolved {
            Some(parent) if !self.resolution.broken.contains(&target) => Ok(parent),
            _ => Err(()),
        }
    }

    /// The diagnostic for the circle of `extends` or `include` that
    /// `target`, named at `location`, would close, with every link shown.
    fn cycle(&self, target: FileId, location: Location, code: Code, name: impl Fn(FileId) -> String) -> Diagnostic {
        let (what, verb, keyword) = match code {
            Code::ExtendsCycle => ("frameworks extend", "extends", "extends"),
            _ => ("files include", "includes", "include"),
        };
        let position = self.stack.iter().position(|(f, _)| *f == target).expect("the target is being resolved");
        let mut chain: Vec<String> = self.stack[position..].iter().map(|(f, _)| format!("`{}`", name(*f))).collect();
        chain.push(format!("`{}`", name(target)));
        let mut diagnostic =
            Diagnostic::new(code, format!("{what} each other in a circle: {}", chain.join(&format!(" {verb} "))))
                .at(location)
                .label("this closes the circle")
                .hint(format!("remove one `{keyword}` from the circle"));
        // The statement leading from each file to the next; the last file's
        // is the one being reported.
        for statement in self.stack[position..self.stack.len() - 1].iter().filter_map(|(_, s)| *s) {
            diagnostic = diagnostic.related(statement, format!("{verb} here"));
        }
        diagnostic
    }

    fn include(
        &mut self,
        file: FileId,
        path: &ast::Str,
        location: Location,
        framework: &mut Framework,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<(), ()> {
        let path_location = Location::new(file, path.span);
        let target_path = match self.workspace.boundary.include_target(self.workspace.path(file), &path.value) {
            Ok(target) => target,
            Err(refused) => {
                diagnostics.push(outside_project(&path.value, path_location, refused));
                return Err(());
            }
        };
        let Some(target) = self.workspace.file_id(&target_path) else {
            diagnostics.push(
                Diagnostic::new(Code::IncludeNotFound, format!("there is no file `{}` to include", path.value))
                    .at(path_location)
                    .label(format!("looked for {}", target_path.display()))
                    .hint("include paths are relative to the folder of the file that includes them"),
            );
            return Err(());
        };
        match framework_doc(self.workspace, target) {
            Some(doc) if doc.kind == FrameworkKind::Library => {}
            Some(doc) => {
                diagnostics.push(
                    Diagnostic::new(Code::IncludeNotLibrary, format!("`{}` is a framework, and only libraries can be included", path.value))
                        .at(path_location)
                        .related(Location::new(target, doc.id.span), "defined as a framework here")
                        .hint(format!("to tailor it, write `extends {} VERSION`; to share its definitions, move them into a `library`", doc.id.text)),
                );
                return Err(());
            }
            None => {
                let what = if self.workspace.parsed(target).is_some_and(|p| p.document.is_some()) {
                    "an assessment"
                } else {
                    "a file with errors"
                };
                diagnostics.push(
                    Diagnostic::new(Code::IncludeNotLibrary, format!("`{}` is {what}, not a library", path.value))
                        .at(path_location)
                        .hint("only files that start with `library` can be included"),
                );
                return Err(());
            }
        }
        if self.stack.iter().any(|(f, _)| *f == target) {
            let name = |f: FileId| self.workspace.path(f).display().to_string();
            diagnostics.push(self.cycle(target, location, Code::IncludeCycle, name));
            return Err(());
        }
        if let Some(top) = self.stack.last_mut() {
            top.1 = Some(location);
        }
        let library = self.resolve_file(target);
        let Some(library) = library else {
            return Err(());
        };
        let display = self.workspace.path(target).display().to_string();
        if !framework.includes.contains(&display) {
            framework.includes.push(display);
        }
        for included in &library.includes {
            if !framework.includes.contains(included) {
                framework.includes.push(included.clone());
            }
        }
        merge_definitions(framework, &library, diagnostics);
        if self.resolution.broken.contains(&target) { Err(()) } else { Ok(()) }
    }
}

/// An include that is not read: it leaves the project's folders.
fn outside_project(written: &str, at: Location, refused: Refused) -> Diagnostic {
    match refused {
        Refused::Absolute => Diagnostic::new(
            Code::IncludeOutsideProject,
            format!("`{written}` is an absolute path, and includes must be relative to this file"),
        )
        .at(at)
        .label("not read")
        .hint("write the path from this file's folder, for example `include \"shared/library.kub\"`"),
        Refused::Outside(target) => Diagnostic::new(
            Code::IncludeOutsideProject,
            format!("`{written}` leads outside the project, to {}", target.display()),
        )
        .at(at)
        .label("not read: outside the project's folders")
        .hint("move the library into the project, or name its folder under `frameworks` in kub.toml"),
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
        location,
        index: Default::default(),
        task_ids: Default::default(),
    }
}

fn misplaced(what: &str, place: &str, location: Location, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::MisplacedStatement, format!("{what} has no meaning in {place}")).at(location).hint(hint)
}

/// Adds an item unless one with the same id exists; the same definition
/// reached twice (a library included along two paths) is not a duplicate.
fn add_unique<T>(
    items: &mut Vec<T>,
    item: T,
    kind: &str,
    id: impl Fn(&T) -> &str,
    location: impl Fn(&T) -> Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(existing) = items.iter().find(|existing| id(existing) == id(&item)) {
        if location(existing) != location(&item) {
            diagnostics.push(duplicate_id(kind, id(&item), location(&item), location(existing)));
        }
        return false;
    }
    items.push(item);
    true
}

fn task_exists(framework: &Framework, task: &Task, diagnostics: &mut Vec<Diagnostic>) -> bool {
    if !framework.task_ids.contains(&task.id) {
        return false;
    }
    match framework.task(&task.id) {
        Some(existing) if existing.location != task.location => {
            let mut diagnostic = duplicate_id("task", &task.id, task.location, existing.location);
            if existing.location.file != task.location.file && existing.defined_in != framework.id {
                diagnostic.hints = vec![
                    format!(
                        "`{}` comes from `{}`; to change it here, write `override task {} {{ ... }}`",
                        task.id, existing.defined_in, task.id
                    ),
                    "to add a different task, give it an id of its own".to_string(),
                ];
            }
            diagnostics.push(diagnostic);
            true
        }
        Some(_) => true,
        None => false,
    }
}

fn merge_definitions(framework: &mut Framework, library: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for scale in &library.scales {
        add_unique(&mut framework.scales, scale.clone(), "scale", |s| &s.id, |s| s.location, diagnostics);
    }
    for area in &library.areas {
        let mut area = area.clone();
        area.tasks.retain(|task| !task_exists(framework, task, diagnostics));
        let ids: Vec<String> = area.tasks.iter().map(|task| task.id.clone()).collect();
        if add_unique(&mut framework.areas, area, "area", |a| &a.id, |a| a.location, diagnostics) {
            framework.task_ids.extend(ids);
        }
    }
    for competence in &library.competences {
        add_unique(
            &mut framework.competences,
            competence.clone(),
            "competence",
            |c| &c.id,
            |c| c.location,
            diagnostics,
        );
    }
    for track in &library.tracks {
        add_track(framework, track.clone(), diagnostics);
    }
    if framework.rate_tasks_with.is_none() {
        framework.rate_tasks_with = library.rate_tasks_with.clone();
    }
    if framework.rate_competences_with.is_none() {
        framework.rate_competences_with = library.rate_competences_with.clone();
    }
}

fn add_track(framework: &mut Framework, mut track: Track, diagnostics: &mut Vec<Diagnostic>) {
    track.milestones.retain(|milestone| match framework.milestone(&milestone.id) {
        Some((_, existing)) if existing.location != milestone.location => {
            diagnostics.push(duplicate_id("milestone", &milestone.id, milestone.location, existing.location));
            false
        }
        Some(_) => false,
        None => true,
    });
    add_unique(&mut framework.tracks, track, "track", |t| &t.id, |t| t.location, diagnostics);
}

/// The file's own scales, areas, competences and tracks.
fn definitions(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer) {
    for item in &doc.items {
        match item {
            FrameworkItem::Scale(def) => {
                let scale = lower.scale(def);
                add_unique(&mut framework.scales, scale, "scale", |s| &s.id, |s| s.location, lower.diagnostics);
            }
            FrameworkItem::Area(def) => {
                let (title, description, area_scale) = lower.area_header(def);
                let title = title.unwrap_or_else(|| {
                    lower.diagnostics.push(
                        Diagnostic::new(Code::MissingTitle, format!("the area `{}` has no title", def.id.text))
                            .at(lower.at(def.id.span))
                            .hint(format!("write the title in quotes after the id: `area {} \"...\"`", def.id.text)),
                    );
                    Default::default()
                });
                let mut area = Area {
                    id: def.id.text.clone(),
                    title,
                    description,
                    tasks: Vec::new(),
                    defined_in: lower.owner.clone(),
                    location: lower.at(def.id.span),
                };
                add_tasks(&mut area, &def.tasks, area_scale.as_ref(), framework, lower);
                add_unique(&mut framework.areas, area, "area", |a| &a.id, |a| a.location, lower.diagnostics);
            }
            FrameworkItem::Competence(def) => {
                let (mut competence, scale) = lower.competence(def);
                if let Some((scale, location)) = scale {
                    competence.scale = scale;
                    competence.scale_location = Some(location);
                }
                add_unique(
                    &mut framework.competences,
                    competence,
                    "competence",
                    |c| &c.id,
                    |c| c.location,
                    lower.diagnostics,
                );
            }
            FrameworkItem::Track(def) => {
                if let Some(track) = lower.track(def) {
                    add_track(framework, track, lower.diagnostics);
                }
            }
            _ => {}
        }
    }
}

/// Adds new tasks to an area, refusing ids used anywhere in the framework.
fn add_tasks(
    area: &mut Area,
    defs: &[ast::TaskDef],
    area_scale: Option<&(String, Location)>,
    framework: &mut Framework,
    lower: &mut Lowerer,
) {
    for def in defs {
        let (mut task, scale) = lower.task(def, area_scale);
        if let Some((scale, location)) = scale {
            task.scale = scale;
            task.scale_location = Some(location);
        }
        if task_exists(framework, &task, lower.diagnostics) {
            continue;
        }
        let id = task.id.clone();
        if add_unique(&mut area.tasks, task, "task", |t| &t.id, |t| t.location, lower.diagnostics) {
            framework.task_ids.insert(id);
        }
    }
}

/// Removals and overrides of inherited or included items.
fn tailoring(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer) {
    for item in &doc.items {
        match item {
            FrameworkItem::Remove { kind, id, span } => remove(framework, *kind, id, lower.at(*span), lower),
            FrameworkItem::OverrideTask(def) => override_task(framework, def, lower),
            FrameworkItem::OverrideArea(def) => override_area(framework, def, lower),
            FrameworkItem::OverrideCompetence(def) => override_competence(framework, def, lower),
            _ => {}
        }
    }
}

fn unknown_item(
    kind: &str,
    id: &ast::Token,
    candidates: Vec<&str>,
    framework: &Framework,
    lower: &Lowerer,
) -> Diagnostic {
    let from = match framework.extends.first() {
        Some(parent) => format!("`{parent}`"),
        None => "this framework".to_string(),
    };
    Diagnostic::new(Code::UnknownItem, format!("there is no {kind} `{}` in {from}", id.text))
        .at(lower.at(id.span))
        .label(format!("unknown {kind}"))
        .hint_if(did_you_mean(&id.text, candidates))
        .hint(match framework.extends.first() {
            Some(parent) => format!("`kub show {}` lists what the framework contains", parent.id),
            None => "`kub show` lists what a framework contains".to_string(),
        })
}

fn remove(framework: &mut Framework, kind: ItemKind, id: &ast::Token, location: Location, lower: &mut Lowerer) {
    let found = match kind {
        ItemKind::Task => {
            framework.task_ids.remove(&id.text);
            framework.areas.iter_mut().any(|area| {
                let before = area.tasks.len();
                area.tasks.retain(|task| task.id != id.text);
                area.tasks.len() != before
            })
        }
        ItemKind::Area => {
            for area in framework.areas.iter().filter(|area| area.id == id.text) {
                for task in &area.tasks {
                    framework.task_ids.remove(&task.id);
                }
            }
            remove_where(&mut framework.areas, |area| area.id == id.text)
        }
        ItemKind::Competence => remove_where(&mut framework.competences, |c| c.id == id.text),
        ItemKind::Track => remove_where(&mut framework.tracks, |t| t.id == id.text),
        ItemKind::Milestone => framework.tracks.iter_mut().any(|track| {
            let before = track.milestones.len();
            track.milestones.retain(|m| m.id != id.text);
            track.milestones.len() != before
        }),
    };
    if found {
        framework.removed.push(Removed {
            kind: kind.word().to_string(),
            id: id.text.clone(),
            by: framework.id.clone(),
            location,
        });
        return;
    }
    let candidates: Vec<&str> = match kind {
        ItemKind::Task => framework.tasks().map(|t| t.id.as_str()).collect(),
        ItemKind::Area => framework.areas.iter().map(|a| a.id.as_str()).collect(),
        ItemKind::Competence => framework.competences.iter().map(|c| c.id.as_str()).collect(),
        ItemKind::Track => framework.tracks.iter().map(|t| t.id.as_str()).collect(),
        ItemKind::Milestone => framework.milestones().map(|(_, m)| m.id.as_str()).collect(),
    };
    let diagnostic = unknown_item(kind.word(), id, candidates, framework, lower);
    lower.diagnostics.push(diagnostic);
}

fn remove_where<T>(items: &mut Vec<T>, matches: impl Fn(&T) -> bool) -> bool {
    let before = items.len();
    items.retain(|item| !matches(item));
    items.len() != before
}

fn override_task(framework: &mut Framework, def: &ast::TaskDef, lower: &mut Lowerer) {
    let fields: TaskFields = lower.task_fields(def);
    let owner = framework.id.clone();
    let Some(task) =
        framework.areas.iter_mut().flat_map(|area| area.tasks.iter_mut()).find(|task| task.id == def.id.text)
    else {
        let candidates: Vec<&str> = framework.tasks().map(|t| t.id.as_str()).collect();
        let diagnostic = unknown_item("task", &def.id, candidates, framework, lower);
        lower.diagnostics.push(diagnostic);
        return;
    };
    if let Some(title) = fields.title {
        task.title = title;
    }
    if let Some(description) = fields.description {
        task.description = Some(description);
    }
    if let Some(criteria) = fields.criteria {
        task.criteria = criteria;
    }
    if let Some(seqf) = fields.seqf {
        task.seqf = Some(seqf);
    }
    if let Some(required) = fields.required {
        task.required = required;
    }
    if let Some(esco) = fields.esco {
        task.esco = Some(esco);
    }
    if let Some(evidence) = fields.evidence {
        task.evidence = Some(evidence);
    }
    if let Some((scale, location)) = fields.scale {
        task.scale = scale;
        task.scale_location = Some(location);
    }
    if !task.overridden_in.contains(&owner) {
        task.overridden_in.push(owner);
    }
}

fn override_area(framework: &mut Framework, def: &ast::AreaDef, lower: &mut Lowerer) {
    let (title, description, area_scale) = lower.area_header(def);
    let Some(index) = framework.areas.iter().position(|area| area.id == def.id.text) else {
        let candidates: Vec<&str> = framework.areas.iter().map(|a| a.id.as_str()).collect();
        let diagnostic = unknown_item("area", &def.id, candidates, framework, lower);
        lower.diagnostics.push(diagnostic);
        return;
    };
    let mut area = framework.areas[index].clone();
    if let Some(title) = title {
        area.title = title;
    }
    if let Some(description) = description {
        area.description = Some(description);
    }
    add_tasks(&mut area, &def.tasks, area_scale.as_ref(), framework, lower);
    framework.areas[index] = area;
}

fn override_competence(framework: &mut Framework, def: &ast::CompetenceDef, lower: &mut Lowerer) {
    let title = def.title.as_ref().map(|title| lower.text(title));
    let (description, scale, descriptors) = lower.competence_parts(def);
    let Some(competence) = framework.competences.iter_mut().find(|c| c.id == def.id.text) else {
        let candidates: Vec<&str> = framework.competences.iter().map(|c| c.id.as_str()).collect();
        let diagnostic = unknown_item("competence", &def.id, candidates, framework, lower);
        lower.diagnostics.push(diagnostic);
        return;
    };
    if let Some(title) = title {
        competence.title = title;
    }
    if let Some(description) = description {
        competence.description = Some(description);
    }
    if let Some((scale, location)) = scale {
        competence.scale = scale;
        competence.scale_location = Some(location);
    }
    for descriptor in descriptors {
        match competence.descriptors.iter_mut().find(|d| d.level == descriptor.level) {
            Some(existing) => *existing = descriptor,
            None => competence.descriptors.push(descriptor),
        }
    }
}

fn certificate(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer) {
    let blocks: Vec<&ast::CertificateDef> = doc
        .items
        .iter()
        .filter_map(|item| match item {
            FrameworkItem::Certificate(def) => Some(def),
            _ => None,
        })
        .collect();
    for (index, block) in blocks.iter().enumerate() {
        if doc.kind == FrameworkKind::Library {
            lower.diagnostics.push(misplaced(
                "a `certificate` block",
                "a library",
                lower.at(block.span),
                "certificate rules belong in the framework that includes the library",
            ));
            continue;
        }
        if index > 0 {
            lower.diagnostics.push(
                Diagnostic::new(Code::DuplicateProperty, "the certificate rules are given in two blocks")
                    .at(lower.at(block.span))
                    .related(lower.at(blocks[0].span), "first block")
                    .hint("write all certificate rules in one `certificate { ... }` block"),
            );
            continue;
        }
        framework.certificate.location =
            Some(lower.at(Span::new(block.span.start, block.span.start + "certificate".len())));
        let mut own_scales: Vec<(String, Span)> = Vec::new();
        for rule in &block.achieved {
            if let Some((_, first)) = own_scales.iter().find(|(scale, _)| *scale == rule.scale.text) {
                lower.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        format!("the achieved level of the scale `{}` is given twice", rule.scale.text),
                    )
                    .at(lower.at(rule.span))
                    .related(lower.at(*first), "first given here")
                    .hint("keep one of them"),
                );
                continue;
            }
            own_scales.push((rule.scale.text.clone(), rule.span));
            framework.certificate.achieved.retain(|existing| existing.scale != rule.scale.text);
            framework.certificate.achieved.push(AchievedFrom {
                scale: rule.scale.text.clone(),
                level: rule.level.text.clone(),
                location: lower.at(rule.level.span),
            });
            check_level_reference(framework, &rule.scale, &rule.level, lower);
        }
        for (index, rule) in block.seqf_rules.iter().enumerate() {
            if index > 0 {
                lower.diagnostics.push(
                    Diagnostic::new(Code::DuplicateProperty, "the SeQF rule is given twice")
                        .at(lower.at(rule.span))
                        .related(lower.at(block.seqf_rules[0].span), "first given here")
                        .hint("a certificate has one SeQF rule; keep one of them"),
                );
                continue;
            }
            if let Some(parsed) = lower.seqf_rule(rule) {
                framework.certificate.seqf = Some(parsed);
            }
        }
    }
}

fn check_level_reference(framework: &Framework, scale: &ast::Token, level: &ast::Token, lower: &mut Lowerer) {
    match framework.scale(&scale.text) {
        None => {
            let ids: Vec<&str> = framework.scales.iter().map(|s| s.id.as_str()).collect();
            let diagnostic = unknown_scale(&scale.text, lower.at(scale.span), ids);
            lower.diagnostics.push(diagnostic);
        }
        Some(found) if found.rank(&level.text).is_none() => {
            let levels: Vec<String> = found.level_ids().map(|l| format!("`{l}`")).collect();
            let diagnostic =
                Diagnostic::new(Code::UnknownLevel, format!("the scale `{}` has no level `{}`", found.id, level.text))
                    .at(lower.at(level.span))
                    .label("unknown level")
                    .related(found.location, "the scale is defined here")
                    .hint_if(did_you_mean(&level.text, found.level_ids()))
                    .hint(format!("its levels are {}", list_words(&levels, "and")));
            lower.diagnostics.push(diagnostic);
        }
        Some(_) => {}
    }
}

fn unknown_scale(id: &str, location: Location, ids: Vec<&str>) -> Diagnostic {
    let listed: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    let hint = if listed.is_empty() {
        "no scale is defined yet: add `scale ID { level ... }`, or include a library that has one".to_string()
    } else {
        format!("the scales here are {}", list_words(&listed, "and"))
    };
    Diagnostic::new(Code::UnknownScale, format!("there is no scale `{id}`"))
        .at(location)
        .label("unknown scale")
        .hint_if(did_you_mean(id, ids))
        .hint(hint)
}

/// Gives every task and competence its scale, from what it names or the
/// framework's defaults, and checks that the scales exist.
fn settle_scales(framework: &mut Framework, diagnostics: &mut Vec<Diagnostic>) {
    let is_framework = framework.kind == FrameworkKind::Framework;
    let scale_ids: Vec<String> = framework.scales.iter().map(|s| s.id.clone()).collect();
    let ids: Vec<&str> = scale_ids.iter().map(String::as_str).collect();
    let defaults = [
        (framework.rate_tasks_with.clone(), framework.rate_tasks_location),
        (framework.rate_competences_with.clone(), framework.rate_competences_location),
    ];
    for (default, location) in &defaults {
        if let Some(default) = default
            && !scale_ids.contains(default)
        {
            diagnostics.push(unknown_scale(default, location.unwrap_or(framework.location), ids.clone()));
        }
    }
    let missing_scale = |kind: &str, id: &str, location: Location, diagnostics: &mut Vec<Diagnostic>| {
        diagnostics.push(
            Diagnostic::new(Code::NoRatingScale, format!("the {kind} `{id}` has no scale to be rated with"))
                .at(location)
                .hint(match ids.as_slice() {
                    [only] => {
                        format!("add `rate {kind}s with {only}` to the framework, or `scale {only}` to the {kind}")
                    }
                    _ => format!("add `rate {kind}s with SCALE` to the framework, or `scale SCALE` to the {kind}"),
                }),
        );
    };
    let default_task_scale = framework.rate_tasks_with.clone();
    let default_competence_scale = framework.rate_competences_with.clone();
    for task in framework.areas.iter_mut().flat_map(|area| area.tasks.iter_mut()) {
        if task.scale.is_empty() {
            match &default_task_scale {
                Some(scale) => task.scale = scale.clone(),
                None if is_framework => missing_scale("task", &task.id, task.location, diagnostics),
                None => {}
            }
        } else if let Some(location) = task.scale_location.filter(|_| !scale_ids.contains(&task.scale)) {
            diagnostics.push(unknown_scale(&task.scale, location, ids.clone()));
        }
    }
    for competence in &mut framework.competences {
        if competence.scale.is_empty() {
            match &default_competence_scale {
                Some(scale) => competence.scale = scale.clone(),
                None if is_framework => missing_scale("competence", &competence.id, competence.location, diagnostics),
                None => {}
            }
        } else if let Some(location) = competence.scale_location.filter(|_| !scale_ids.contains(&competence.scale)) {
            diagnostics.push(unknown_scale(&competence.scale, location, ids.clone()));
        }
        // Descriptors follow the scale's order, and name its levels.
        if let Some(scale) = framework.scales.iter().find(|s| s.id == competence.scale) {
            for descriptor in &competence.descriptors {
                if scale.rank(&descriptor.level).is_none() {
                    let levels: Vec<String> = scale.level_ids().map(|l| format!("`{l}`")).collect();
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownLevel,
                            format!("the scale `{}` has no level `{}`", scale.id, descriptor.level),
                        )
                        .at(descriptor.location)
                        .label("unknown level")
                        .related(scale.location, "the scale is defined here")
                        .hint_if(did_you_mean(&descriptor.level, scale.level_ids()))
                        .hint(format!("its levels are {}", list_words(&levels, "and"))),
                    );
                }
            }
            competence.descriptors.sort_by_key(|d| scale.rank(&d.level).unwrap_or(usize::MAX));
        }
    }
}
