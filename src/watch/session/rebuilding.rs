//! The rebuild: which documents a change makes stale, building them
//! (certificates first, in groups a stop or a newer save can come between)
//! and removing those that no longer exist.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::changes::Changes;
use super::outcome::Rebuild;
use super::{Relevance, Session};
use crate::build::{
    Builder, DocumentKind, INDEX_FILE, OWNERS_FILE, Plan, PlannedDocument, Report, Settings, Skipped, plan,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::register::{Kept, REGISTER_DIR, Register, keep_issued, restore};
use crate::source::FileId;
use crate::watch::SavedSince;
use crate::watch::paths::{canonical, is_kub_file};

/// A document whose files are in the output folder.
#[derive(Debug, Clone)]
pub(super) struct Built {
    pub(super) kind: DocumentKind,
    pub(super) inputs: BTreeSet<FileId>,
}

/// Documents are built in groups of this many per thread, so that a stop
/// or a newer save is noticed between groups without ever leaving a file
/// half written. Each group costs a few microseconds to start.
const GROUP_PER_THREAD: usize = 2;

impl Session {
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
    pub(super) fn build(
        &mut self,
        changed: &BTreeSet<FileId>,
        template_kinds: &BTreeSet<DocumentKind>,
        built_already: &[PathBuf],
        cancel: &AtomicBool,
        newer: &dyn SavedSince,
        rebuild: &mut Rebuild,
    ) -> Vec<Skipped> {
        let options = &self.options;
        let mut names = options.output_names();
        rebuild.diagnostics.extend(names.problem().cloned());
        let plan = plan(&self.checked, &options.kinds, &options.languages(), &mut names, None);
        if let Err(problem) = names.save() {
            rebuild.failed.push((PathBuf::from(OWNERS_FILE), vec![problem]));
        }
        if let Some(builder) = &self.builder {
            builder.keep_layouts_of(plan.documents.len());
        }
        let broken = self.broken_files();
        // Issued certificates are never built again; those the change
        // touches are written as issued, with what would change on them.
        let mut unissued = plan.clone();
        let register = Register::of_project(&options.project.root);
        // Every issued certificate is listed on the index page; only those
        // the change touches are written again.
        let mut kept = Vec::new();
        if let Some(builder) = &self.builder {
            let (touched, untouched): (Vec<Kept>, Vec<Kept>) =
                keep_issued(&mut unissued, &register, builder, &self.checked, &options.project.root)
                    .into_iter()
                    .partition(|kept| {
                        !kept.document.inputs.is_disjoint(changed)
                            || template_kinds.contains(&DocumentKind::Certificate)
                            || !self.documents.contains_key(&kept.document.stem)
                    });
            let restored = restore(&touched, &register, builder, &options.out, &options.formats);
            rebuild.written += restored.written.len();
            rebuild.unchanged += restored.unchanged;
            if !restored.problems.is_empty() {
                rebuild.failed.push((PathBuf::from(REGISTER_DIR), restored.problems));
            }
            kept = touched;
            kept.extend(untouched);
        }
        let stale = self.stale(&unissued, changed, template_kinds, built_already, &broken, rebuild);
        self.remove_gone(&plan, &broken, rebuild);
        match &self.builder {
            Some(builder) => {
                let overtaking = Overtaking {
                    newer,
                    relevance: Relevance {
                        places: &self.places,
                        files: &self.files,
                        wanted_includes: &self.wanted_includes,
                    },
                };
                let mut built = Recorded { documents: &mut self.documents, overtaken: &mut self.overtaken };
                build_in_groups(builder, &stale, &self.options, &mut built, cancel, &overtaking, rebuild);
                write_index(builder, &unissued, &kept, &self.options, rebuild);
            }
            None => rebuild.waiting = stale.len(),
        }
        plan.skipped
    }

    /// The planned documents that `changed` files or `template_kinds` make
    /// stale, but not those `built_already` nor those made from a `broken`
    /// file, whose last good version is kept.
    fn stale<'p>(
        &self,
        plan: &'p Plan,
        changed: &BTreeSet<FileId>,
        template_kinds: &BTreeSet<DocumentKind>,
        built_already: &[PathBuf],
        broken: &HashSet<FileId>,
        rebuild: &mut Rebuild,
    ) -> Vec<&'p PlannedDocument> {
        let mut stale = Vec::new();
        for document in &plan.documents {
            if built_already.contains(&document.stem) {
                continue;
            }
            let before = self.documents.get(&document.stem);
            let outdated = match before {
                None => true,
                Some(built) => {
                    built.inputs != document.inputs
                        || !document.inputs.is_disjoint(changed)
                        || self.overtaken.contains(&document.stem)
                }
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
        stale
    }

    /// Removes the files of documents that are no longer planned, unless
    /// they are made from a `broken` file, which may come back when fixed.
    fn remove_gone(&mut self, plan: &Plan, broken: &HashSet<FileId>, rebuild: &mut Rebuild) {
        let planned: HashSet<&PathBuf> = plan.documents.iter().map(|document| &document.stem).collect();
        // A document overtaken and then no longer planned is owed nothing.
        self.overtaken.retain(|stem| planned.contains(stem));
        let gone: Vec<PathBuf> = self.documents.keys().filter(|stem| !planned.contains(stem)).cloned().collect();
        for stem in gone {
            let built = &self.documents[&stem];
            if built.inputs.iter().any(|file| broken.contains(file)) {
                rebuild.kept += 1;
                continue;
            }
            remove_outputs(&self.options.out, &stem, built.kind);
            self.documents.remove(&stem);
            rebuild.removed.push(stem);
        }
    }

    /// The certificate of a single saved assessment, planned on its own and
    /// built before the rest is even planned, which with hundreds of
    /// participants takes longer than the certificate. Only a certificate
    /// that is the same document as before (same name, same files) is built
    /// early, so that planning everything can only agree. Returns the stems
    /// built.
    pub(super) fn certificate_first(
        &mut self,
        changes: &Changes,
        cancel: &AtomicBool,
        rebuild: &mut Rebuild,
    ) -> Vec<PathBuf> {
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
        let register = Register::of_project(&options.project.root);
        if !keep_issued(&mut early.clone(), &register, builder, &self.checked, &options.project.root).is_empty() {
            // An issued certificate: the full rebuild keeps it as issued.
            return Vec::new();
        }
        let same = match early.documents.as_slice() {
            [document] => self.documents.get(&document.stem).is_some_and(|built| built.inputs == document.inputs),
            _ => false,
        };
        if !same {
            return Vec::new();
        }
        let report = builder.run(&early, &options.formats, &options.out, 1, cancel, &|_| {});
        let mut built = Recorded { documents: &mut self.documents, overtaken: &mut self.overtaken };
        record(&early, report, &mut built, rebuild);
        early.documents.into_iter().map(|document| document.stem).collect()
    }
}

/// What a newer save has made stale, as a rebuild sees it between groups.
enum Saved {
    Nothing,
    /// These files changed (or went away): documents made from them are stale.
    Files(HashSet<FileId>),
    /// Templates, settings, folders or lost events: anything may be stale.
    Anything,
}

/// Asks the watcher, between groups, what has been saved since the rebuild
/// began, and says which files that touches.
struct Overtaking<'a> {
    newer: &'a dyn SavedSince,
    relevance: Relevance<'a>,
}

impl Overtaking<'_> {
    fn saved(&self) -> Saved {
        let newer = self.newer.saved_since(&|path| self.relevance.is_relevant(path));
        if newer.rescan {
            return Saved::Anything;
        }
        let mut files = HashSet::new();
        for path in &newer.paths {
            if !is_kub_file(path) || self.relevance.wanted_includes.contains(path) {
                return Saved::Anything;
            }
            // A file not loaded yet is added: it makes documents of its
            // own, and the summary it joins is planned anew anyway.
            if let Some(&file) = self.relevance.files.get(&canonical(path)) {
                files.insert(file);
            }
        }
        if files.is_empty() { Saved::Nothing } else { Saved::Files(files) }
    }
}

/// Where a rebuild keeps what it built, and what it left for a newer save.
struct Recorded<'a> {
    documents: &'a mut BTreeMap<PathBuf, Built>,
    overtaken: &'a mut BTreeSet<PathBuf>,
}

/// Builds the `stale` documents, certificates first, in groups: they are
/// what people wait for, and a compile alone has the machine to itself.
/// Stops between groups when `cancel` is set or the output folder takes no
/// file; drops the documents a newer save has made stale, which the next
/// rebuild makes.
fn build_in_groups(
    builder: &Builder,
    stale: &[&PlannedDocument],
    options: &Settings,
    built: &mut Recorded<'_>,
    cancel: &AtomicBool,
    overtaking: &Overtaking<'_>,
    rebuild: &mut Rebuild,
) {
    let mut waiting: VecDeque<&PlannedDocument> = stale.iter().copied().collect();
    // Stable, so that certificates come first and the plan's order holds.
    waiting.make_contiguous().sort_by_key(|document| document.kind);
    let threads = options.threads.max(1);
    while !waiting.is_empty() {
        if cancel.load(Ordering::SeqCst) {
            rebuild.cancelled = true;
            break;
        }
        match overtaking.saved() {
            Saved::Nothing => {}
            Saved::Files(files) => waiting.retain(|document| {
                let keep = !document.inputs.iter().any(|file| files.contains(file));
                if !keep {
                    built.overtaken.insert(document.stem.clone());
                    rebuild.overtaken += 1;
                }
                keep
            }),
            Saved::Anything => {
                rebuild.overtaken += waiting.len();
                built.overtaken.extend(waiting.drain(..).map(|document| document.stem.clone()));
                break;
            }
        }
        // Certificates are grouped on their own, so that they never wait
        // for the slower documents after them.
        let certificates = match waiting.front() {
            Some(document) => document.kind == DocumentKind::Certificate,
            None => break,
        };
        let size = waiting
            .iter()
            .take(threads * GROUP_PER_THREAD)
            .take_while(|document| (document.kind == DocumentKind::Certificate) == certificates)
            .count();
        let group = Plan { documents: waiting.drain(..size).cloned().collect(), skipped: vec![] };
        let report = builder.run(&group, &options.formats, &options.out, threads, cancel, &|_| {});
        let blocked = report.stopped.is_some();
        record(&group, report, built, rebuild);
        if blocked || rebuild.cancelled {
            break;
        }
    }
}

/// Takes in how a group of documents went.
fn record(group: &Plan, report: Report, recorded: &mut Recorded<'_>, rebuild: &mut Rebuild) {
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
            let done = Built { kind: document.kind, inputs: document.inputs.clone() };
            recorded.documents.insert(document.stem.clone(), done);
            recorded.overtaken.remove(&document.stem);
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

/// Removes every file a document may have, whatever formats were asked for.
fn remove_outputs(out: &Path, stem: &Path, kind: DocumentKind) {
    for format in kind.formats() {
        let path = out.join(stem).with_extension(format.extension());
        // Gone already is as good as removed.
        let _ = std::fs::remove_file(path);
    }
}

/// Rewrites the output folder's index page after a rebuild, so that a
/// status or a document that came or went shows at once. A page kub did
/// not make stays as it is; `kub build` says so. An output folder that
/// cannot be made has been reported already.
fn write_index(builder: &Builder, unissued: &Plan, kept: &[Kept], options: &Settings, rebuild: &mut Rebuild) {
    if !options.out.is_dir() {
        return;
    }
    let documents: Vec<_> = unissued.documents.iter().chain(kept.iter().map(|k| &k.document)).collect();
    let issued = kept.iter().map(|k| k.document.stem.clone()).collect();
    if let Err(problem) = builder.write_index_page(&documents, &issued, options) {
        let message = format!("the index page was not written: {problem}");
        rebuild.failed.push((PathBuf::from(INDEX_FILE), vec![Diagnostic::new(Code::OutputFailed, message)]));
    }
}
