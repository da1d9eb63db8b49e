//! Formatting: every framework and assessment file in one canonical layout.
//!
//! The layout is made for people who write a framework together and merge
//! their work with git: one statement a line, each language of a text on
//! lines of its own, blocks apart, no alignment that an edit elsewhere
//! would redo. Comments stay where they were written and the text of every
//! string is kept exactly; `docs/formatting.md` gives the rules.
//!
//! Formatting never changes what a file means: the result is parsed again
//! and compared with the original before it is handed back.

mod files;
mod merge;
mod printer;
mod tree;

pub use files::{FileOutcome, FormattedFile, Formatting, Mode, format_files};
pub use merge::{Merged, merge_versions};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::{self, ast::Document};

/// Why a text could not be formatted.
#[derive(Debug, Clone)]
pub enum FormatError {
    /// The text has syntax errors, so its layout is left as it is.
    Syntax(Vec<Diagnostic>),
    /// The layout would have changed what the text means. This is a fault
    /// in kub, never in the file; the file is left as it is.
    WouldChangeMeaning,
}

/// The canonical layout of a framework or assessment file.
///
/// ```
/// use kub::source::FileId;
/// let messy = "library  demo \"Demo\" en   \"Demo\"\nlanguages sv   en\n";
/// let formatted = kub::format::format(FileId::default(), messy).unwrap();
/// assert_eq!(formatted, "library demo \"Demo\"\n  en\n  \"Demo\"\nlanguages sv en\n");
/// ```
pub fn format(file: FileId, text: &str) -> Result<String, FormatError> {
    let parsed = syntax::parse(file, text);
    let errors: Vec<Diagnostic> =
        parsed.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).cloned().collect();
    let document = match parsed.document {
        Some(document) if errors.is_empty() => document,
        _ => return Err(FormatError::Syntax(if errors.is_empty() { parsed.diagnostics } else { errors })),
    };
    let statements = tree::statements(text, &document);
    let formatted = printer::print(text, &statements, &parsed.comments);
    // The same words in the same order, with the same comments, mean the
    // same; reading the new text again is needed only where the layout
    // changed a word or a text (a long text's indentation, say).
    let same_comments = syntax::comments(&formatted).eq(comment_texts(&parsed.comments));
    if same_comments && syntax::same_tokens(text, &formatted) {
        return Ok(formatted);
    }
    let reparsed = syntax::parse(file, &formatted);
    let same_comments = comment_texts(&reparsed.comments).eq(comment_texts(&parsed.comments));
    match reparsed.document {
        Some(again) if same_comments && same_meaning(&document, &again) => Ok(formatted),
        _ => Err(FormatError::WouldChangeMeaning),
    }
}

/// A text kub writes itself (a new file, a migrated one) in the canonical
/// layout; should the layout refuse it, the text is kept as it is rather
/// than lost.
pub fn laid_out(text: String) -> String {
    format(FileId::default(), &text).unwrap_or(text)
}

fn comment_texts(comments: &[syntax::ast::Comment]) -> impl Iterator<Item = &str> {
    comments.iter().map(|comment| comment.text.as_str())
}

/// True when two syntax trees say the same, wherever their parts are.
pub fn same_meaning(one: &Document, other: &Document) -> bool {
    without_spans(one) == without_spans(other)
}

/// A syntax tree as JSON, with every position left out.
///
/// Positions are cut out of the JSON text rather than out of a parsed JSON
/// value, which is many times faster. A string's quotes are escaped inside
/// JSON, so the pattern cut out can only ever be a position.
fn without_spans(document: &Document) -> String {
    const POSITION: &str = "span\":{\"start\":";
    let json = serde_json::to_string(document).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    let mut rest = json.as_str();
    while let Some(at) = rest.find(POSITION) {
        let key = rest[..at].rfind('"').unwrap_or(at);
        let end = rest[at..].find('}').map_or(rest.len(), |close| at + close + 1);
        out.push_str(rest[..key].strip_suffix(',').unwrap_or(&rest[..key]));
        rest = &rest[end..];
        if out.ends_with('{') {
            rest = rest.strip_prefix(',').unwrap_or(rest);
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(text: &str) -> Document {
        syntax::parse(FileId::default(), text).document.expect("parses")
    }

    #[test]
    fn spacing_is_no_part_of_meaning() {
        let one = document("library a \"A\" en \"A\"\nlanguages sv en\nscale s { level x }\n");
        let other = document("library   a\n\"A\"   en \"A\"\n\n languages sv en scale s {\n level x\n}");
        assert!(same_meaning(&one, &other));
    }

    #[test]
    fn every_word_and_text_is_part_of_meaning() {
        let one = document("library a \"A\"\nlanguages sv en\n");
        for other in [
            "library b \"A\"\nlanguages sv en\n",
            "library a \"B\"\nlanguages sv en\n",
            "library a \"A\"\nlanguages en sv\n",
        ] {
            assert!(!same_meaning(&one, &document(other)), "{other}");
        }
    }
}
