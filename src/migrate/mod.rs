//! Migration: moving assessments to another version of the framework they
//! follow. Ids the new version renamed are written with their new names and
//! the `follows` line names the new version, and the file is given the
//! layout of `kub fmt`, every comment kept where it belongs.
//!
//! Only assessments that follow the target framework's id, in any version,
//! are migrated. Moving a participant to another framework, even one that
//! extends theirs, changes what they are assessed against: that is a
//! decision for a person, not a rewrite.
//!
//! A migration is all or nothing: when any file cannot be migrated (it has
//! syntax errors, or rates an item the new version no longer has and nobody
//! said what to do with those ratings), no file is written, so that a
//! cohort never ends up half on one version and half on the other.

mod edit;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Framework, FrameworkKind, FrameworkRef, Lookup, Resolution, Workspace, compare_versions};
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::{AssessmentDoc, AssessmentItem, Document, ItemKind, Token};
use edit::{Edits, statement_removal};

/// What to do with the ratings of an item the new version does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovedRatings {
    /// Migrate nothing and name each such rating.
    Refuse,
    /// Delete those ratings; a goal about such a task becomes a goal of the
    /// whole placement, so its text is kept.
    Drop,
    /// Keep them as written; `kub check` then reports them.
    Keep,
}

/// What a migration does to the references to one id in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// The id is written as the new version's id.
    Renamed(String),
    /// The new version does not have the item: its ratings are deleted.
    Dropped,
    /// The new version does not have the item: its ratings are kept.
    Kept,
}

/// One id a migration changes in a file, with how often the file uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdChange {
    /// What kind of item the id names.
    pub kind: ItemKind,
    /// The id as the file writes it.
    pub id: String,
    /// What happens to it.
    pub action: Action,
    /// How many ratings use it.
    pub ratings: usize,
    /// How many goals name it.
    pub goals: usize,
}

/// One assessment that follows the target framework, and what migrating it changes.
#[derive(Debug, Clone)]
pub struct FileMigration {
    /// The file, as kub read it.
    pub path: PathBuf,
    /// The version its `follows` line names now.
    pub version_before: String,
    /// The ids it changes, in the order the file first uses them.
    pub changes: Vec<IdChange>,
    /// The file's new text, when it changes.
    pub text: Option<String>,
}

/// What migrating a set of assessments to one framework version does.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The framework version the assessments move to.
    pub target: FrameworkRef,
    /// Every assessment found that follows the target's id, in path order.
    pub files: Vec<FileMigration>,
    /// Assessments found that follow other frameworks; they are left alone.
    pub other_frameworks: Vec<PathBuf>,
    /// Why the migration cannot be made: syntax errors, ratings that would
    /// be lost. When there is an error here, no file is written.
    pub diagnostics: Vec<Diagnostic>,
}

impl Migration {
    /// Whether something stops the migration; the reasons are in `diagnostics`.
    pub fn is_refused(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether it is refused because ratings of items the new version does
    /// not have would be lost, which `--removed` can settle.
    pub fn loses_ratings(&self) -> bool {
        self.diagnostics.iter().any(|diagnostic| diagnostic.code == Code::RemovedItemRated)
    }

    /// The files whose text the migration changes.
    pub fn changed(&self) -> impl Iterator<Item = &FileMigration> {
        self.files.iter().filter(|file| file.text.is_some())
    }

    /// Writes every changed file atomically and returns how many were
    /// written; writes nothing when the migration is refused. On a failed
    /// write, the files before it have been written and the others not.
    pub fn write(&self) -> Result<usize, (PathBuf, std::io::Error)> {
        if self.is_refused() {
            return Ok(0);
        }
        let mut written = 0;
        for file in self.changed() {
            let text = file.text.as_deref().unwrap_or_default();
            crate::render::output::write_atomically(&file.path, text.as_bytes())
                .map_err(|error| (file.path.clone(), error))?;
            written += 1;
        }
        Ok(written)
    }
}

impl FileMigration {
    /// What migrating the file changes, in one line of plain words:
    /// ``task beskarnig → beskarning (3 ratings), follows 1.0 → 2.0``;
    /// `None` when it changes nothing.
    pub fn describe(&self, target: &FrameworkRef) -> Option<String> {
        self.text.as_ref()?;
        let mut parts: Vec<String> = self
            .changes
            .iter()
            .map(|change| {
                let (kind, id, uses) = (change.kind.word(), &change.id, uses(change));
                match &change.action {
                    Action::Renamed(to) => format!("{kind} {id} → {to} ({uses})"),
                    Action::Dropped => format!("dropped {kind} {id} ({uses})"),
                    Action::Kept => format!("kept {kind} {id} ({uses}), which `{target}` does not have"),
                }
            })
            .collect();
        if self.version_before != target.version {
            parts.push(format!("follows {} → {}", self.version_before, target.version));
        }
        Some(parts.join(", "))
    }
}

/// "3 ratings", "1 rating, 1 goal".
fn uses(change: &IdChange) -> String {
    let counted = |count: usize, noun: &str| match count {
        0 => None,
        1 => Some(format!("1 {noun}")),
        _ => Some(format!("{count} {noun}s")),
    };
    [counted(change.ratings, "rating"), counted(change.goals, "goal")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Works out what migrating the assessments under `paths` to `target`
/// changes, without writing anything.
pub fn plan(
    workspace: &Workspace,
    resolution: &Resolution,
    target: &Framework,
    paths: &[PathBuf],
    removed: RemovedRatings,
) -> Migration {
    let mut migration = Migration {
        target: target.reference(),
        files: Vec::new(),
        other_frameworks: Vec::new(),
        diagnostics: Vec::new(),
    };
    let roots: Vec<PathBuf> = paths.iter().filter_map(|path| path.canonicalize().ok()).collect();
    for file in workspace.file_ids() {
        let path = workspace.path(file);
        let under_paths = path.canonicalize().is_ok_and(|path| roots.iter().any(|root| path.starts_with(root)));
        let Some(parsed) = workspace.parsed(file).filter(|_| under_paths) else { continue };
        let unreadable =
            |d: &&Diagnostic| d.is_error() && (parsed.document.is_none() || d.code.as_str().starts_with("K01"));
        let syntax_errors: Vec<&Diagnostic> = parsed.diagnostics.iter().filter(unreadable).collect();
        if parsed.document.is_none() || !syntax_errors.is_empty() {
            // A file kub cannot read whole is never rewritten; one that is
            // no assessment is none of this command's business.
            let is_assessment = match &parsed.document {
                Some(document) => matches!(document, Document::Assessment(_)),
                None => looks_like_assessment(workspace.sources.get(file).text()),
            };
            if is_assessment {
                migration.diagnostics.extend(syntax_errors.into_iter().cloned());
            }
            continue;
        }
        let Some(Document::Assessment(doc)) = &parsed.document else { continue };
        if doc.framework.text != target.id {
            migration.other_frameworks.push(path.to_path_buf());
            continue;
        }
        let versions = Versions::between(resolution, &doc.version.text, target);
        let text = workspace.sources.get(file).text();
        let mut file_plan = FilePlan { file, text, versions, removed, edits: Edits::default(), changes: Vec::new() };
        let refusals = file_plan.plan(doc);
        migration.diagnostics.extend(refusals);
        migration.files.push(file_plan.finish(path, doc));
    }
    migration
}

/// A file kub could not parse starts, after comments, with `assessment`.
fn looks_like_assessment(text: &str) -> bool {
    let first_word = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .and_then(|line| line.split_whitespace().next());
    first_word.is_some_and(|word| word.trim_start_matches('\u{FEFF}') == "assessment")
}

/// The versions of the target's framework an assessment passes through on
/// its way: each one's renames are followed in turn, so that an id renamed
/// in 1.1 and again in 2.0 reaches 2.0 from 1.0.
struct Versions<'r> {
    /// The framework the assessment follows now, when kub has it.
    source: Option<&'r Framework>,
    /// The versions after it, up to and including the target, oldest first.
    path: Vec<&'r Framework>,
    target: &'r Framework,
}

impl<'r> Versions<'r> {
    fn between(resolution: &'r Resolution, from: &str, target: &'r Framework) -> Self {
        let source = match resolution.lookup(&target.id, from) {
            Lookup::Found(framework) => Some(&**framework),
            _ => None,
        };
        let mut path: Vec<&Framework> = resolution
            .frameworks()
            .into_iter()
            .filter(|framework| framework.id == target.id && framework.kind == FrameworkKind::Framework)
            .filter(|framework| !resolution.is_broken(resolution.file_of(framework)))
            .filter(|framework| compare_versions(&framework.version, from).is_gt())
            .filter(|framework| compare_versions(&framework.version, &target.version).is_lt())
            .map(|framework| &**framework)
            .collect();
        path.sort_by(|a, b| compare_versions(&a.version, &b.version));
        path.push(target);
        Versions { source, path, target }
    }

    /// The id an item written `id` has in the target version.
    fn current_id(&self, kind: ItemKind, id: &str) -> String {
        let mut current = id.to_string();
        for framework in &self.path {
            if let Some(followed) = framework.follow_renames(kind, &current) {
                current = followed.id;
            }
        }
        current
    }
}

/// One rating or goal that names an item.
struct Reference<'d> {
    kind: ItemKind,
    id: &'d Token,
    /// What deleting the reference deletes: a rating's line, or a goal's `task ID`.
    removal: Span,
    is_goal: bool,
}

/// The edits for one file, worked out reference by reference.
struct FilePlan<'a> {
    file: FileId,
    text: &'a str,
    versions: Versions<'a>,
    removed: RemovedRatings,
    edits: Edits,
    changes: Vec<IdChange>,
}

impl FilePlan<'_> {
    /// Plans the edits of every reference; returns the ratings that would be lost.
    fn plan(&mut self, doc: &AssessmentDoc) -> Vec<Diagnostic> {
        let mut refusals = Vec::new();
        for reference in references(doc, self.text) {
            let current = self.versions.current_id(reference.kind, &reference.id.text);
            let action = if self.versions.target.has_item(reference.kind, &current) {
                if current == reference.id.text {
                    continue;
                }
                self.edits.replace(reference.id.span, &current);
                Action::Renamed(current)
            } else {
                match self.removed {
                    RemovedRatings::Refuse => {
                        refusals.push(self.refusal(&reference));
                        continue;
                    }
                    RemovedRatings::Drop => {
                        self.edits.delete(reference.removal);
                        Action::Dropped
                    }
                    RemovedRatings::Keep => Action::Kept,
                }
            };
            self.count(&reference, action);
        }
        refusals
    }

    fn count(&mut self, reference: &Reference, action: Action) {
        let (kind, id) = (reference.kind, &reference.id.text);
        let index = match self.changes.iter().position(|c| c.kind == kind && &c.id == id && c.action == action) {
            Some(index) => index,
            None => {
                self.changes.push(IdChange { kind, id: id.clone(), action, ratings: 0, goals: 0 });
                self.changes.len() - 1
            }
        };
        let change = &mut self.changes[index];
        if reference.is_goal {
            change.goals += 1;
        } else {
            change.ratings += 1;
        }
    }

    /// Why a reference stops the migration: the new version lacks its item.
    fn refusal(&self, reference: &Reference) -> Diagnostic {
        let (kind, id, target) = (reference.kind.word(), &reference.id.text, self.versions.target.reference());
        let message = match reference.is_goal {
            true => format!("`{target}` has no {kind} `{id}`, which this goal is about"),
            false => format!("`{target}` has no {kind} `{id}`, so this rating would be lost"),
        };
        let diagnostic = Diagnostic::new(Code::RemovedItemRated, message)
            .at(Location::new(self.file, reference.id.span))
            .label(format!("not in `{target}`"));
        let diagnostic = match self.versions.source {
            Some(source) if !source.has_item(reference.kind, id) => {
                diagnostic.hint(format!("`{}` has no {kind} `{id}` either: correct the id first", source.reference()))
            }
            _ => diagnostic,
        };
        diagnostic.hint(
            "to migrate anyway, add `--removed drop` (the ratings are deleted; a goal keeps its words but no longer \
             names the task) or `--removed keep` (they stay as written, for `kub check` to report)",
        )
    }

    fn finish(self, path: &Path, doc: &AssessmentDoc) -> FileMigration {
        let mut edits = self.edits;
        let target_version = &self.versions.target.version;
        if &doc.version.text != target_version {
            edits.replace(doc.version.span, target_version);
        }
        let text = (!edits.is_empty()).then(|| crate::format::laid_out(edits.apply(self.text)));
        FileMigration {
            path: path.to_path_buf(),
            version_before: doc.version.text.clone(),
            changes: self.changes,
            text,
        }
    }
}

/// Every rating and every goal about a task, in the order written.
fn references<'d>(doc: &'d AssessmentDoc, text: &str) -> Vec<Reference<'d>> {
    let mut references = Vec::new();
    for item in &doc.items {
        match item {
            AssessmentItem::Occasion(occasion) => {
                references.extend(occasion.ratings.iter().map(|rating| Reference {
                    kind: rating.kind.into(),
                    id: &rating.item,
                    removal: statement_removal(text, rating.span),
                    is_goal: false,
                }));
            }
            AssessmentItem::Goal { task: Some(task), text: goal_text, span } => {
                // `goal task ID "..."` loses `task ID `, keeping its words.
                let keyword =
                    text[span.start..task.span.start].rfind("task").map_or(task.span.start, |at| span.start + at);
                references.push(Reference {
                    kind: ItemKind::Task,
                    id: task,
                    removal: Span::new(keyword, goal_text.span.start),
                    is_goal: true,
                });
            }
            _ => {}
        }
    }
    references
}
