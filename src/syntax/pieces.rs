//! Reading a large framework on several threads: the file is cut before
//! blocks at its top level, each piece is parsed and lowered on a thread of
//! its own, and the pieces' statements are joined in order.
//!
//! A piece starts where a top-level statement starts, outside any block,
//! text or comment, and no statement of a framework goes on with a keyword
//! after its last required part, so a file whose pieces all parse is read
//! into the same statements as when it is parsed whole. Should any piece
//! fail, this path gives up and the whole file is read on one thread, so
//! that syntax errors are reported and recovered from exactly as before.

use pest::Parser;

use super::ast::{Document, FrameworkItem};
use super::grammar::{KubParser, Rule};
use super::lower::Lowering;
use super::shift::Shift;
use super::tokens;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// Below this size a file is read on one thread: a thread costs more to
/// start than it saves on a small file.
pub(super) const SMALLEST_SPLIT: usize = 64 * 1024;

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

/// Reads a framework or library in up to `pieces` pieces, one thread each;
/// `None` when the file is no framework or library, cannot be cut, or any
/// piece fails to parse.
pub(super) fn parse(file: FileId, text: &str, pieces: usize) -> Option<Joined> {
    if !starts_a_framework(text) {
        return None;
    }
    let cuts = cuts(text, pieces);
    if cuts.is_empty() {
        return None;
    }
    let (first_end, rest) = (cuts[0], pieces_after(text, &cuts));
    let (head, tails) = std::thread::scope(|scope| {
        let workers: Vec<_> =
            rest.iter().map(|&(start, end)| scope.spawn(move || statements(file, text, start, end))).collect();
        let head = head(file, &text[..first_end]);
        // A worker that panicked fails its piece; the whole file is then
        // read on this thread, which meets the same fault as without pieces.
        let tails: Option<Vec<Piece<Vec<FrameworkItem>>>> =
            workers.into_iter().map(|worker| worker.join().ok().flatten()).collect();
        (head, tails)
    });
    join(head?, tails?)
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
