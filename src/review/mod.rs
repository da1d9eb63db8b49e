//! `kub test`: every document built as `kub build` builds it and compared
//! with the snapshot approved for it, so that an organisation sees what a
//! change to a framework or a template does to its documents before they
//! ship.
//!
//! A snapshot ([`snapshot`]) is text: what each page says, laid out as the
//! page lays it out ([`pages`]), the data the templates see and the HTML.
//! Differences are shown as unified diffs ([`unified`]); pending changes
//! live in memory only, so the snapshot folder changes only when a change
//! is accepted. Pages that changed can be drawn side by side ([`pictures`]).

mod pages;
mod pictures;
mod snapshot;
mod unified;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

pub use pages::pages_text;
pub use snapshot::{Found, Header, Snapshot, Store, compose, slashed};
pub use unified::unified;

use crate::build::{Builder, OutputNames, Plan, PlannedDocument, Settings};
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::project::Project;
use crate::render::write_atomically;
use crate::source::FileId;

/// How a document compares with its approved snapshot.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// It says, shows and holds what was approved.
    Same,
    /// What it says, its data or its HTML changed.
    Changed,
    /// It says the same, but its Typst source changed, so it may look different.
    LookChanged,
    /// There is no approved snapshot yet.
    New,
    /// A file kub did not write is where its snapshot belongs.
    Foreign(Diagnostic),
}

/// One document compared.
#[derive(Debug, Clone)]
pub struct Compared {
    /// Its output name without extension, such as `certificates/amal-hassan-slottsskogen`.
    pub stem: PathBuf,
    /// How it compares.
    pub verdict: Verdict,
    /// Its snapshot as made today.
    pub today: Snapshot,
    /// The approved snapshot's text, if there is one.
    pub approved: Option<String>,
    /// The Typst source kept with the approved snapshot, if there is one.
    pub approved_source: Option<String>,
    /// Its place in the plan, to lay it out again for pictures.
    pub index: usize,
}

impl Compared {
    /// Whether accepting would change the snapshot folder.
    pub fn differs(&self) -> bool {
        !matches!(self.verdict, Verdict::Same | Verdict::Foreign(_))
    }

    /// The diagnostic that says how the document differs, if it does.
    pub fn diagnostic(&self) -> Option<Diagnostic> {
        let stem = slashed(&self.stem);
        match &self.verdict {
            Verdict::Same => None,
            Verdict::Changed => Some(Diagnostic::new(Code::SnapshotChanged, format!("{stem} changed"))),
            Verdict::LookChanged => Some(Diagnostic::new(
                Code::SnapshotLookChanged,
                format!("{stem} says the same, but its Typst source changed, so its pages may look different"),
            )),
            Verdict::New => {
                Some(Diagnostic::new(Code::SnapshotNew, format!("{stem} is new: it has no approved snapshot")))
            }
            Verdict::Foreign(problem) => Some(problem.clone()),
        }
    }
}

/// Every document of a plan compared with its snapshot.
#[derive(Debug, Default)]
pub struct Comparison {
    /// The documents made, in the plan's order.
    pub compared: Vec<Compared>,
    /// Documents that could not be made, with why.
    pub failed: Vec<(PathBuf, Vec<Diagnostic>)>,
    /// Snapshots of documents that are no longer made.
    pub stale: Vec<PathBuf>,
    /// Problems with the snapshot folder itself.
    pub problems: Vec<Diagnostic>,
}

/// Which snapshots a run speaks for: those of documents made from files
/// under the paths tested or the project's framework folders. A snapshot of
/// another part of the project is not stale just because it was not tested.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The project's folder, which snapshot headers name files relative to.
    pub root: PathBuf,
    /// The paths tested and the framework folders.
    pub paths: Vec<PathBuf>,
}

impl Scope {
    /// The scope of a run with these settings.
    pub fn of(settings: &Settings) -> Scope {
        let mut paths = settings.paths.clone();
        paths.extend(settings.project.framework_dirs.iter().cloned());
        Scope { root: settings.project.root.clone(), paths }
    }

    fn covers(&self, made_from: &[PathBuf]) -> bool {
        let root = absolute(&self.root);
        let paths: Vec<PathBuf> = self.paths.iter().map(|path| absolute(path)).collect();
        made_from.is_empty()
            || made_from
                .iter()
                .map(|file| root.join(file))
                .any(|file| !file.exists() || paths.iter().any(|path| file.starts_with(path)))
    }
}

/// The folder of snapshots in a project's folder, unless `--snapshots`
/// names another.
const SNAPSHOT_FOLDER: &str = "snapshots";

/// Where a project keeps its snapshots: `snapshots/` in its folder.
pub fn snapshot_folder(project: &Project) -> PathBuf {
    if project.root == Path::new(".") { PathBuf::from(SNAPSHOT_FOLDER) } else { project.root.join(SNAPSHOT_FOLDER) }
}

/// Every document `kub build` would make with these settings, named as a
/// fresh build names them, whatever an output folder remembers, so that
/// snapshots are named the same on every machine.
pub fn plan(checked: &Checked, settings: &Settings) -> Plan {
    let mut names = OutputNames::unrecorded(&settings.project.root);
    crate::build::plan(checked, &settings.kinds, &settings.languages(), &mut names, None)
}

/// Makes every planned document on `threads` threads and compares each
/// with its approved snapshot in `store`. Stale snapshots are looked for
/// only when no file has errors: a file with errors makes no documents,
/// and its snapshots are not stale for that.
pub fn compare(
    builder: &Builder,
    plan: &Plan,
    checked: &Checked,
    store: &Store,
    scope: &Scope,
    threads: usize,
) -> Comparison {
    // Typst's layout recurses deeply: each document gets room on its stack.
    let made = crate::parallel::map_with_stack(&plan.documents, threads, 16 * 1024 * 1024, |document| {
        let made_from = made_from(document, checked, &scope.root);
        today(builder, document, made_from)
    });
    let mut comparison = Comparison::default();
    for (index, (document, made)) in plan.documents.iter().zip(made).enumerate() {
        match made {
            Ok(today) => comparison.compared.push(judge(store, document, today, index)),
            Err(problems) => comparison.failed.push((document.stem.clone(), problems)),
        }
    }
    if checked.diagnostics.has_errors() {
        return comparison;
    }
    let made: HashSet<&Path> = plan.documents.iter().map(|document| document.stem.as_path()).collect();
    match store.stems() {
        Err(problem) => comparison.problems.push(problem),
        Ok(stems) => {
            for stem in stems.into_iter().filter(|stem| !made.contains(stem.as_path())) {
                match store.read(&stem) {
                    Found::Approved { text, .. } if scope.covers(&snapshot::made_from(&text)) => {
                        comparison.stale.push(stem);
                    }
                    Found::Foreign(problem) => comparison.problems.push(problem),
                    _ => {}
                }
            }
        }
    }
    comparison
}

/// A document's snapshot as made today.
fn today(builder: &Builder, document: &PlannedDocument, made_from: Vec<String>) -> Result<Snapshot, Vec<Diagnostic>> {
    let rendered = builder.render(document)?;
    let mut data = builder.template_data(document);
    // The fixed texts are the same for every document; a change to them
    // shows on the pages.
    if let Some(map) = data.as_object_mut() {
        map.remove("t");
    }
    let header =
        Header { stem: &document.stem, what: format!("{} in {}", document.kind.template(), document.lang), made_from };
    let text = compose(&header, &pages_text(&rendered.pages), &data, rendered.html.as_deref());
    Ok(Snapshot { text, source: rendered.source })
}

fn judge(store: &Store, document: &PlannedDocument, today: Snapshot, index: usize) -> Compared {
    let stem = document.stem.clone();
    let (verdict, approved, approved_source) = match store.read(&stem) {
        Found::Missing => (Verdict::New, None, None),
        Found::Foreign(problem) => (Verdict::Foreign(problem), None, None),
        Found::Approved { text, source } => {
            let verdict = if text != today.text {
                Verdict::Changed
            } else if source.as_ref().is_some_and(|source| *source != today.source) {
                Verdict::LookChanged
            } else {
                Verdict::Same
            };
            (verdict, Some(text), source)
        }
    };
    Compared { stem, verdict, today, approved, approved_source, index }
}

/// The files a document is made from, relative to the project: its
/// assessments when it has any, else its frameworks.
fn made_from(document: &PlannedDocument, checked: &Checked, root: &Path) -> Vec<String> {
    let assessments: BTreeSet<_> = checked.assessments.iter().map(|entry| entry.file).collect();
    let (own, others): (Vec<FileId>, Vec<FileId>) =
        document.inputs.iter().partition(|file| assessments.contains(*file));
    let files = if own.is_empty() { others } else { own };
    let root = absolute(root);
    let mut paths: Vec<String> = files
        .into_iter()
        .map(|file| {
            let path = absolute(checked.workspace.path(file));
            slashed(path.strip_prefix(&root).unwrap_or(&path))
        })
        .collect();
    paths.sort();
    paths
}

/// Accepts today's snapshot of a compared document, or removes a stale one.
pub fn accept(store: &Store, compared: &Compared) -> Result<(), Diagnostic> {
    store.write(&compared.stem, &compared.today)
}

/// Draws each page of a changed document that looks different from its
/// approved page, the approved page beside today's, into `folder`, and
/// returns the pictures written. Without an approved Typst source the
/// approved side is left blank.
pub fn draw_changes(
    builder: &Builder,
    plan: &Plan,
    compared: &Compared,
    folder: &Path,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let Some(document) = plan.documents.get(compared.index) else { return Ok(Vec::new()) };
    let failed = |why: String| {
        Diagnostic::new(Code::PictureFailed, format!("cannot draw the pages of {}: {why}", slashed(&compared.stem)))
    };
    let lay_out = |source: &str| {
        builder.lay_out(document, source.to_string()).map_err(|problems| {
            let first = problems.first().map_or_else(String::new, |problem| problem.message.clone());
            failed(format!("its Typst source no longer lays out ({first})"))
        })
    };
    let today = lay_out(&compared.today.source)?;
    let approved = compared.approved_source.as_deref().map(lay_out).transpose()?;
    let approved_pages = approved.as_ref().map_or(&[][..], |pages| pages.pages());
    let mut written = Vec::new();
    for number in 0..approved_pages.len().max(today.pages().len()) {
        let Some(png) = pictures::side_by_side(approved_pages.get(number), today.pages().get(number)) else {
            continue;
        };
        let path = folder.join(format!("{}-page-{}.png", compared.stem.display(), number + 1));
        write_atomically(&path, &png).map_err(|error| failed(format!("{}: {error}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}

/// Removes the pictures an earlier `kub test --images` left in `folder`,
/// so that every picture there is of today's changes; only PNG files named
/// as kub names them are removed.
pub fn clear_pictures(folder: &Path) {
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                folders.push(path);
            } else if is_picture_name(&name) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

fn is_picture_name(name: &str) -> bool {
    let Some(rest) = name.strip_suffix(".png") else { return false };
    rest.rsplit_once("-page-")
        .is_some_and(|(_, number)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pictures_kub_names_are_cleared() {
        assert!(is_picture_name("amal-hassan-slottsskogen-page-2.png"));
        assert!(!is_picture_name("logo.png"));
        assert!(!is_picture_name("my-page-.png"));
        assert!(!is_picture_name("notes-page-1.txt"));
    }
}
