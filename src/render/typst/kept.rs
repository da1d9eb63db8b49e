//! Sources kept from one compile of a document to the next, for watch mode.
//!
//! Typst caches layout by content, and content carries spans: a node's file
//! and number in its source. Parsing a document's new source afresh numbers
//! every node anew, so after a save nothing laid out before is found again,
//! however little changed. Editing the source compiled last time into the
//! new one instead, hunk by hunk as an editor would, keeps the numbers of
//! every line the two share, and with them the cached layout of what those
//! lines make: only what the save changed is laid out again.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use similar::{Algorithm, DiffTag, TextDiff};
use typst::syntax::{FileId, Source};

/// How many documents' sources are kept, and up to how many documents made
/// in turn the layouts of all of them are kept (about 5 MB a document): a
/// save rebuilds a participant's three to five documents, and a
/// framework's save all of its cohort's.
const KEPT_DOCUMENTS: usize = 64;

/// How many compiles a memoized Typst result may go unused when the
/// documents made in turn are too many to keep the layouts of: a save
/// rebuilds three to five documents, and what the participant's
/// certificate laid out should still be there at the next save, a few
/// other participants' saves later.
const SAVES_BETWEEN: usize = 12;

/// How many builds a memoized Typst result may go unused when the layouts
/// of every document are kept: a framework's save rebuilds them all, and
/// those not rebuilt by the saves of two or three participants in between
/// should still be there at the next (the examples' 33 documents then
/// hold about 270 MB while their framework is edited, against 175 to
/// 190 MB with layouts dropped after each compile).
const BUILDS_BETWEEN: usize = 4;

/// The last source compiled of each document, by the document's
/// identifier, the most recent last.
pub(super) struct KeptSources {
    sources: Mutex<Vec<(String, Source)>>,
    /// How many documents are made in turn (every document of a project),
    /// or `usize::MAX` until told.
    in_turn: AtomicUsize,
}

impl Default for KeptSources {
    fn default() -> Self {
        KeptSources { sources: Mutex::default(), in_turn: AtomicUsize::new(usize::MAX) }
    }
}

impl KeptSources {
    /// Says how many documents are made in turn: every document of a
    /// project, which a framework's save rebuilds.
    pub(super) fn make_in_turn(&self, documents: usize) {
        self.in_turn.store(documents, Ordering::Relaxed);
    }

    /// Whether the layouts of every document made in turn are kept. A
    /// framework's save rebuilds every document made from it, one after
    /// the other, so a document's layout is used again only if it outlives
    /// the compiles of all the others. Up to [`KEPT_DOCUMENTS`] documents,
    /// it does. With more, dropping by age would drop each just before its
    /// turn came, and keeping them all would take memory in proportion to
    /// the cohort.
    fn keeps_every_layout(&self) -> bool {
        self.in_turn.load(Ordering::Relaxed) <= KEPT_DOCUMENTS
    }

    /// How many compiles a memoized result may go unused before it is
    /// dropped after each compile; `None` when the layouts of every
    /// document are kept, and dropped between builds instead: with a
    /// project's layouts in the caches, dropping costs 5 to 10 ms, which
    /// a save would otherwise wait for after each document.
    pub(super) fn cache_age_after_compile(&self) -> Option<usize> {
        (!self.keeps_every_layout()).then_some(SAVES_BETWEEN)
    }

    /// How many builds a memoized result may go unused before it is
    /// dropped between builds; `None` when it is dropped after each
    /// compile.
    pub(super) fn cache_age_between_builds(&self) -> Option<usize> {
        self.keeps_every_layout().then_some(BUILDS_BETWEEN)
    }

    /// The source of `text` under `id` for the document `ident`: the one
    /// compiled last for that document, edited into `text`. A document not
    /// compiled before starts from the last source compiled under the same
    /// id (another participant's certificate shares most of its lines), or
    /// from a new one.
    pub(super) fn source(&self, ident: &str, id: FileId, text: String) -> Source {
        let previous = {
            let mut sources = self.lock();
            match sources.iter().position(|(kept, _)| kept == ident) {
                Some(index) => Some(sources.remove(index).1),
                None => sources.iter().rev().find(|(_, source)| source.id() == id).map(|(_, source)| source.clone()),
            }
        };
        let source = match previous {
            Some(mut source) => {
                edit_into(&mut source, &text);
                source
            }
            None => Source::new(id, text),
        };
        let mut sources = self.lock();
        if sources.len() >= KEPT_DOCUMENTS {
            sources.remove(0);
        }
        sources.push((ident.to_string(), source.clone()));
        source
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, Source)>> {
        // A compile that panicked leaves whole sources behind: still usable.
        self.sources.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Edits `source` into `new`, one hunk of changed lines at a time from the
/// last, so that the byte ranges of the hunks before stay valid.
fn edit_into(source: &mut Source, new: &str) {
    if source.text() == new {
        return;
    }
    let old = source.text().to_string();
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).diff_lines(old.as_str(), new);
    let (old_lines, new_lines) = (line_starts(&old), line_starts(new));
    // An inserted hunk's old lines are told by where the hunks before it
    // end: the old index `similar` gives an insertion can be off.
    let mut old_line = 0;
    let mut hunks = Vec::new();
    for op in diff.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_range = old_line..old_line + old_range.len();
        old_line = old_range.end;
        if tag != DiffTag::Equal {
            hunks.push((old_range, new_range));
        }
    }
    for (old_range, new_range) in hunks.into_iter().rev() {
        source.edit(bytes(&old_lines, old_range), &new[bytes(&new_lines, new_range)]);
    }
    if source.text() != new {
        // Not expected; a fresh parse is always right.
        source.replace(new);
    }
}

/// Where each line starts, and after the last, where the text ends.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
    if *starts.last().unwrap_or(&0) != text.len() {
        starts.push(text.len());
    }
    starts
}

fn bytes(starts: &[usize], lines: Range<usize>) -> Range<usize> {
    starts[lines.start]..starts[lines.end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> FileId {
        named("kept-test.typ")
    }

    fn named(name: &str) -> FileId {
        super::super::file_id(name).expect("a valid name")
    }

    #[test]
    fn an_edited_source_reads_as_the_new_text_and_keeps_the_spans_of_unchanged_lines() {
        let kept = KeptSources::default();
        let first = "#let a = 1\n= Title\nSome text.\n#let b = 2\nEnd.\n";
        let second = "#let a = 1\n= Title\nOther text,\nsplit in two.\n#let b = 2\nEnd.\nMore.\n";
        let before = kept.source("doc", id(), first.to_string());
        let after = kept.source("doc", id(), second.to_string());
        assert_eq!(after.text(), second);
        // Trees compare with their spans; their printed forms leave spans out.
        let fresh = Source::new(id(), second.to_string());
        assert_eq!(format!("{:?}", after.root()), format!("{:?}", fresh.root()), "the same tree as a fresh parse");
        let first_line_span = |source: &Source| source.root().children().next().map(|node| node.span());
        assert_eq!(first_line_span(&before), first_line_span(&after), "the unchanged first line keeps its span");
    }

    #[test]
    fn a_document_is_edited_from_its_own_last_source_though_others_came_between() {
        let kept = KeptSources::default();
        let first_line_span = |source: &Source| source.root().children().next().map(|node| node.span());
        let anna = kept.source("anna", id(), "= Anna Berg\nPrune trees.\n".to_string());
        let yonas = kept.source("yonas", id(), "= Yonas\nPlant bulbs.\nMow the lawn.\n".to_string());
        assert_eq!(yonas.text(), "= Yonas\nPlant bulbs.\nMow the lawn.\n", "a new document starts from another's");
        let again = kept.source("anna", id(), "= Anna Berg\nPrune trees.\nMow the lawn.\n".to_string());
        assert_eq!(first_line_span(&anna), first_line_span(&again), "the heading keeps the span it had for Anna");
        assert_ne!(first_line_span(&yonas), first_line_span(&again));
    }

    #[test]
    fn edits_at_the_start_the_end_and_everywhere_give_the_new_text() {
        let kept = KeptSources::default();
        let texts = ["a\nb\nc\n", "x\na\nb\nc\n", "x\na\nb\nc\ny", "", "only\n", "p\nq\nr\ns\n", "s\nr\nq\np\n"];
        for text in texts {
            assert_eq!(kept.source("doc", id(), text.to_string()).text(), text);
        }
    }

    #[test]
    fn layouts_outlive_a_build_of_every_document_unless_too_many_are_made_in_turn() {
        let kept = KeptSources::default();
        assert_eq!(kept.cache_age_after_compile(), Some(SAVES_BETWEEN), "until told, dropped after each compile");
        assert_eq!(kept.cache_age_between_builds(), None);
        kept.make_in_turn(33);
        assert_eq!(kept.cache_age_after_compile(), None);
        assert_eq!(kept.cache_age_between_builds(), Some(BUILDS_BETWEEN));
        kept.make_in_turn(KEPT_DOCUMENTS + 1);
        assert_eq!(
            kept.cache_age_after_compile(),
            Some(SAVES_BETWEEN),
            "a build of all would drop each before its turn"
        );
        assert_eq!(kept.cache_age_between_builds(), None);
    }

    #[test]
    fn only_the_most_recent_sources_are_kept() {
        let kept = KeptSources::default();
        for n in 0..KEPT_DOCUMENTS + 10 {
            kept.source(&format!("doc-{n}"), named(&format!("doc-{n}.typ")), format!("{n}\n"));
        }
        assert_eq!(kept.lock().len(), KEPT_DOCUMENTS);
    }
}
