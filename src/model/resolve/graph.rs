//! The graph of `extends` and `include`: finding what a framework tailors
//! or includes, loading libraries that were not given, and refusing
//! circles. Its diagnostics can only be found while following the graph,
//! so they are raised here rather than in `check`.

use std::collections::HashSet;
use std::sync::Arc;

use super::merge::merge_definitions;
use super::{Resolver, compare_versions, framework_doc, misplaced, own_version};
use crate::diagnostic::{Code, Diagnostic, did_you_mean, list_words};
use crate::model::boundary::Refused;
use crate::model::framework::*;
use crate::model::workspace::Workspace;
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::{self, FrameworkDoc, FrameworkItem};

/// Loads the library files that frameworks include but were not given.
pub fn load_includes(workspace: &mut Workspace) {
    let mut checked = HashSet::new();
    loop {
        let mut wanted = Vec::new();
        for file in workspace.file_ids() {
            if checked.insert(file) {
                wanted.extend(workspace.include_targets(file));
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

/// Why an `extends` or `include` line gives a file nothing to build on.
/// Either way the reason is among the diagnostics already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unfollowed {
    /// The line is wrong: what it names is missing, of the wrong kind,
    /// outside the project, or closes a circle; reported at the line.
    Refused,
    /// What it names has errors of its own, reported in its file.
    Broken,
}

impl Resolver<'_> {
    /// The framework this one extends, or none; an error when it names one
    /// that is missing or broken, since everything starts from it.
    pub(super) fn parent(
        &mut self,
        file: FileId,
        doc: &FrameworkDoc,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<Arc<Framework>>, Unfollowed> {
        let at = |span: Span| Location::new(file, span);
        let extends: Vec<(&ast::Token, &ast::Token, Span)> = doc
            .items
            .iter()
            .filter_map(|item| match item {
                FrameworkItem::Extends { id, version, span } => Some((id, version, *span)),
                _ => None,
            })
            .collect();
        let mut parent = Ok(None);
        for (index, (id, version, span)) in extends.iter().enumerate() {
            if doc.kind == FrameworkKind::Library {
                diagnostics.push(misplaced(
                    "`extends`",
                    "a library",
                    at(*span),
                    "a library cannot extend a framework; make this file a `framework`, or remove the line",
                ));
                parent = Err(Unfollowed::Refused);
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
            parent = self.extended(file, id, version, at(*span), diagnostics).map(Some);
        }
        parent
    }

    /// Follows every `include` of the file; true when one of them failed.
    pub(super) fn includes(
        &mut self,
        file: FileId,
        doc: &FrameworkDoc,
        framework: &mut Framework,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        let mut failed = false;
        for item in &doc.items {
            if let FrameworkItem::Include { path, span } = item
                && self.include(file, path, Location::new(file, *span), framework, diagnostics).is_err()
            {
                failed = true;
            }
        }
        failed
    }

    fn extended(
        &mut self,
        file: FileId,
        id: &ast::Token,
        version: &ast::Token,
        location: Location,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Arc<Framework>, Unfollowed> {
        let candidates: Vec<FileId> = self.resolution.by_id.get(&id.text).cloned().unwrap_or_default();
        let mut versions = Vec::new();
        let mut target = None;
        for candidate in &candidates {
            let Some(doc) = framework_doc(self.workspace, *candidate) else {
                if self.resolution.unread_as(*candidate, &version.text) {
                    let what =
                        format!("the framework `{} {}` could not be read because its file", id.text, version.text);
                    diagnostics.push(unreadable(&what, location, self.resolution.id_location(*candidate)));
                    return Err(Unfollowed::Broken);
                }
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
                return Err(Unfollowed::Refused);
            }
            let candidate_version = own_version(doc);
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
            return Err(Unfollowed::Refused);
        };
        if self.stack.iter().any(|(f, _)| *f == target) {
            let name = |f: FileId| framework_doc(self.workspace, f).map_or_else(String::new, |d| d.id.text.clone());
            diagnostics.push(self.cycle(target, location, Code::ExtendsCycle, name));
            return Err(Unfollowed::Refused);
        }
        if let Some(top) = self.stack.last_mut() {
            top.1 = Some(location);
        }
        let resolved = self.resolve_file(target);
        match resolved {
            Some(parent) if !self.resolution.broken.contains(&target) => Ok(parent),
            _ => Err(Unfollowed::Broken),
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
    ) -> Result<(), Unfollowed> {
        let path_location = Location::new(file, path.span);
        let target_path = match self.workspace.boundary.include_target(self.workspace.path(file), &path.value) {
            Ok(target) => target,
            Err(refused) => {
                diagnostics.push(outside_project(&path.value, path_location, refused));
                return Err(Unfollowed::Refused);
            }
        };
        let Some(target) = self.workspace.file_id(&target_path) else {
            diagnostics.push(
                Diagnostic::new(Code::IncludeNotFound, format!("there is no file `{}` to include", path.value))
                    .at(path_location)
                    .label(format!("looked for {}", target_path.display()))
                    .hint("include paths are relative to the folder of the file that includes them"),
            );
            return Err(Unfollowed::Refused);
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
                return Err(Unfollowed::Refused);
            }
            None if self.workspace.parsed(target).is_some_and(|p| p.has_syntax_errors()) => {
                let whole_file = Location::new(target, Span::default());
                diagnostics.push(unreadable(
                    &format!("`{}` could not be read because it", path.value),
                    location,
                    whole_file,
                ));
                return Err(Unfollowed::Broken);
            }
            None => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::IncludeNotLibrary,
                        format!("`{}` is an assessment, not a library", path.value),
                    )
                    .at(path_location)
                    .hint("only files that start with `library` can be included"),
                );
                return Err(Unfollowed::Refused);
            }
        }
        if self.stack.iter().any(|(f, _)| *f == target) {
            let name = |f: FileId| self.workspace.path(f).display().to_string();
            diagnostics.push(self.cycle(target, location, Code::IncludeCycle, name));
            return Err(Unfollowed::Refused);
        }
        if let Some(top) = self.stack.last_mut() {
            top.1 = Some(location);
        }
        let library = self.resolve_file(target);
        let Some(library) = library else {
            return Err(Unfollowed::Broken);
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
        if self.resolution.broken.contains(&target) { Err(Unfollowed::Broken) } else { Ok(()) }
    }
}

/// The one diagnostic for extending or including a file that has syntax
/// errors: everything it defines is unknown, and saying so item by item
/// would bury the real errors.
fn unreadable(what: &str, at: Location, target: Location) -> Diagnostic {
    Diagnostic::new(Code::UnreadableDependency, format!("{what} has syntax errors"))
        .at(at)
        .related(target, "the file with syntax errors")
        .hint("fix the syntax errors in that file first; `kub check` lists them")
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
