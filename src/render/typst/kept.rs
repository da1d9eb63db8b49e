//! Sources kept from one compile to the next on the same thread, so that
//! what two documents share keeps its place in Typst's memo caches.
//!
//! Typst caches layout by content, and content carries spans: a node's file
//! and number in its source. Parsing a participant's certificate afresh
//! numbers every node anew, so even a task title every participant shares
//! is laid out again for each. Editing the previous participant's source
//! into the next one instead, hunk by hunk, keeps the numbers of every line
//! the two share, and with them the cached layouts of what those lines make.

use std::cell::RefCell;
use std::ops::Range;

use similar::{Algorithm, DiffTag, TextDiff};
use typst::syntax::{FileId, Source};

thread_local! {
    /// The last source compiled on this thread under each file id.
    static KEPT: RefCell<Vec<Source>> = const { RefCell::new(Vec::new()) };
}

/// The source of `text` under `id`: the one last compiled on this thread
/// under the same id, edited into `text`, or a new one.
pub(super) fn source(id: FileId, text: String) -> Source {
    KEPT.with_borrow_mut(|kept| {
        let Some(index) = kept.iter().position(|source| source.id() == id) else {
            let source = Source::new(id, text);
            kept.push(source.clone());
            return source;
        };
        let source = &mut kept[index];
        edit_into(source, &text);
        source.clone()
    })
}

/// Edits `source` into `new`, one hunk of changed lines at a time from the
/// last, so that the byte ranges of the hunks before stay valid.
fn edit_into(source: &mut Source, new: &str) {
    let old = source.text().to_string();
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).diff_lines(old.as_str(), new);
    let old_lines = line_starts(&old);
    let new_lines = line_starts(new);
    // The old lines of an inserted hunk are told by where the hunks before
    // it end, not by the hunk itself, whose old index can be off.
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
    debug_assert_eq!(source.text(), new);
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

/// Forgets the sources kept on this thread, so that the next compile
/// parses its source afresh.
pub(super) fn forget() {
    KEPT.with_borrow_mut(Vec::clear);
}
