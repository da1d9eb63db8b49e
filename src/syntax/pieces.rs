//! Reading a large framework in pieces: the file is cut before blocks at
//! its top level, the threads take the pieces in turn, parsing and lowering
//! each, and the pieces' statements are joined in order.
//!
//! A piece starts where a top-level statement starts, outside any block,
//! text or comment, and no statement of a framework goes on with a keyword
//! after its last required part, so a file whose pieces all parse is read
//! into the same statements as when it is parsed whole. Should any piece
//! fail, this path gives up and the whole file is read on one thread, so
//! that syntax errors are reported and recovered from exactly as before.

use std::sync::atomic::{AtomicUsize, Ordering};

use pest::Parser;

use super::ast::{Document, FrameworkItem};
use super::grammar::{KubParser, Rule};
use super::lower::Lowering;
use super::shift::Shift;
use super::tokens;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// Below this size a file is read whole: cutting it and starting threads
/// cost more than they save on a small file.
pub(super) const SMALLEST_SPLIT: usize = 64 * 1024;

/// About the size of a piece: small enough that a piece's parse tree fits
/// in the processor's cache and its memory is reused by the next piece,
/// large enough that starting a parse is a small part of it.
pub(super) const PIECE_SIZE: usize = 8 * 1024;

/// The words that open a top-level block, before which a file is cut:
/// blocks hold most of a framework, and each ends at its own `}`.
const CUT_BEFORE: &[&str] = &["area", "competence", "track", "scale", "certificate"];

/// A framework or library read in pieces, with the problems its lowering
/// found in texts, in the order a whole-file reading finds them.
pub(super) struct Joined {
    /// The whole file's syntax tree.
    pub document: Document,
    /// The problems found in its texts, in file order; those in comments
    /// are found afterwards, from the whole text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a framework or library in about `pieces` pieces on up to
/// `threads` threads; `None` when the file is no framework or library,
/// cannot be cut, or any piece fails to parse.
///
/// Pieces are many more than threads, and each thread parses its pieces one
/// after another, dropping a piece's parse tree once it is lowered: pest's
/// tree takes twenty bytes and more for every byte read, so the memory a
/// thread touches stays that of one piece rather than growing with the file.
pub(super) fn parse(file: FileId, text: &str, pieces: usize, threads: usize) -> Option<Joined> {
    if !starts_a_framework(text) {
        return None;
    }
    let cuts = cuts(text, pieces);
    if cuts.is_empty() {
        return None;
    }
    let ranges = pieces_after(text, &cuts);
    let next = AtomicUsize::new(0);
    // The head is taken first by the calling thread; every thread then
    // takes the next piece left until none is.
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let lowered = match index {
                0 => head(file, &text[..cuts[0]]).map(Lowered::Head),
                _ => match ranges.get(index - 1) {
                    Some(&(start, end)) => statements(file, text, start, end).map(Lowered::Tail),
                    None => break done,
                },
            };
            done.push((index, lowered));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.clamp(1, cuts.len())).map(|_| scope.spawn(worker)).collect();
        let mut done = worker();
        for helper in helpers {
            // A worker that panicked fails its pieces; the whole file is then
            // read on this thread, which meets the same fault as without pieces.
            done.extend(helper.join().ok()?);
        }
        Some(done)
    })?;
    if done.len() != cuts.len() + 1 {
        return None;
    }
    done.sort_unstable_by_key(|(index, _)| *index);
    let mut lowered = done.into_iter().map(|(_, lowered)| lowered);
    let Some(Some(Lowered::Head(head))) = lowered.next() else { return None };
    let tails = lowered
        .map(|piece| match piece {
            Some(Lowered::Tail(tail)) => Some(tail),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    join(head, tails)
}

/// What the first piece or a later one lowered to.
enum Lowered {
    Head(Piece<Document>),
    Tail(Piece<Vec<FrameworkItem>>),
}

/// What a piece lowered to, with the problems found in its texts.
struct Piece<T> {
    lowered: T,
    diagnostics: Vec<Diagnostic>,
}

/// The first piece: the header line and the statements up to the first cut.
fn head(file: FileId, text: &str) -> Option<Piece<Document>> {
    let mut pairs = KubParser::parse(Rule::file, text).ok()?;
    let mut lowering = Lowering::new(file);
    let document = lowering.file(pairs.next()?);
    Some(Piece { lowered: document, diagnostics: lowering.into_diagnostics() })
}

/// The statements between two cuts, with their spans in the whole file.
fn statements(file: FileId, text: &str, start: usize, end: usize) -> Option<Piece<Vec<FrameworkItem>>> {
    let mut pairs = KubParser::parse(Rule::framework_body, &text[start..end]).ok()?;
    let mut lowering = Lowering::new(file);
    let mut items = lowering.framework_body(pairs.next()?);
    let mut diagnostics = lowering.into_diagnostics();
    items.shift(start);
    diagnostics.shift(start);
    Some(Piece { lowered: items, diagnostics })
}

/// The pieces' statements after the head's, in file order.
fn join(head: Piece<Document>, tails: Vec<Piece<Vec<FrameworkItem>>>) -> Option<Joined> {
    let Piece { lowered: Document::Framework(mut framework), mut diagnostics } = head else {
        return None;
    };
    framework.items.reserve(tails.iter().map(|tail| tail.lowered.len()).sum());
    for tail in tails {
        framework.items.extend(tail.lowered);
        diagnostics.extend(tail.diagnostics);
    }
    Some(Joined { document: Document::Framework(framework), diagnostics })
}

/// The byte ranges from each cut to the next, the last to the end.
fn pieces_after(text: &str, cuts: &[usize]) -> Vec<(usize, usize)> {
    cuts.iter().zip(cuts.iter().skip(1).chain(std::iter::once(&text.len()))).map(|(&a, &b)| (a, b)).collect()
}

/// Whether the first word of the file, after spacing and comments, is
/// `framework` or `library`: only those files hold blocks at the top level.
fn starts_a_framework(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{FEFF}');
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix('#') {
            Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
            None => break,
        }
    }
    ["framework", "library"].iter().any(|word| keyword_at(rest.as_bytes(), 0, word))
}

/// Where to cut a file into about `pieces` pieces of similar size: before
/// the first top-level block keyword at or after each share of its length.
/// A scan that knows texts, long texts, comments and braces, as the grammar
/// does, keeps every cut outside them.
pub(super) fn cuts(text: &str, pieces: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut targets = (1..pieces.max(1)).map(|piece| text.len() * piece / pieces).peekable();
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    let mut index = 0;
    while index < bytes.len() {
        let Some(&target) = targets.peek() else { break };
        match bytes[index] {
            b'"' => index = tokens::quoted_end(text, index),
            b'#' => index = text[index..].find('\n').map_or(text.len(), |offset| index + offset),
            b'{' => {
                depth += 1;
                index += 1;
            }
            b'}' => {
                // A `}` with no block open: the file does not parse.
                let Some(outer) = depth.checked_sub(1) else { break };
                depth = outer;
                index += 1;
            }
            b'\n' => {
                index += 1;
                while bytes.get(index).is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'\r')) {
                    index += 1;
                }
                if depth == 0 && index >= target && CUT_BEFORE.iter().any(|word| keyword_at(bytes, index, word)) {
                    cuts.push(index);
                    while targets.next_if(|&target| target <= index).is_some() {}
                }
            }
            _ => index += 1,
        }
    }
    cuts
}

/// Whether `word` stands at `index` as a whole word.
fn keyword_at(bytes: &[u8], index: usize, word: &str) -> bool {
    bytes[index..].starts_with(word.as_bytes())
        && !bytes
            .get(index + word.len())
            .is_some_and(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'))
}

#[cfg(test)]
mod tests;
