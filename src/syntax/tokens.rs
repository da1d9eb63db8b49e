//! A rough lexical scan that knows only words, braces, quoted texts and
//! comments: enough for recovery to find where statements and blocks start
//! and end in a file that does not parse.

use super::keywords;
use crate::source::Span;

/// What a token is, as far as finding statements and blocks goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A run of letters, digits, `-` and `_`.
    Word,
    /// `{`
    Open,
    /// `}`
    Close,
    /// A quoted text, single or triple quoted, closed or not.
    Quoted,
    /// Any other character.
    Other,
}

/// One token of the scan, with its place in the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// Whether a statement may start here: a reserved word first on its
    /// line or right after a brace.
    pub starts_statement: bool,
}

impl Token {
    /// Where the token is in its text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// Splits a text into tokens, leaving out spacing and comments.
pub(super) fn scan(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut index = 0;
    let mut line_start = true;
    let bytes = text.as_bytes();
    while index < bytes.len() {
        // Spacing and ASCII words are most of a file: read as bytes, they
        // need no decoding.
        match bytes[index] {
            b' ' | b'\t' | b'\r' => {
                index += 1;
                continue;
            }
            b'\n' => {
                line_start = true;
                index += 1;
                continue;
            }
            _ => {}
        }
        let Some(c) = text[index..].chars().next() else { break };
        let start = index;
        let (kind, end) = match c {
            '\n' => {
                line_start = true;
                index += 1;
                continue;
            }
            c if c.is_whitespace() || c == '\u{FEFF}' => {
                index += c.len_utf8();
                continue;
            }
            '#' => {
                index = text[index..].find('\n').map_or(text.len(), |offset| index + offset);
                continue;
            }
            '{' => (Kind::Open, index + 1),
            '}' => (Kind::Close, index + 1),
            '"' => (Kind::Quoted, quoted_end(text, index)),
            c if is_word_char(c) => (Kind::Word, word_end(text, index)),
            c => (Kind::Other, index + c.len_utf8()),
        };
        let after_brace = tokens.last().is_some_and(|last| matches!(last.kind, Kind::Open | Kind::Close));
        let starts_statement =
            kind == Kind::Word && (line_start || after_brace) && keywords::is_reserved(&text[start..end]);
        line_start = false;
        tokens.push(Token { kind, start, end, starts_statement });
        index = end;
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Where the word starting at `start` ends.
fn word_end(text: &str, start: usize) -> usize {
    let ascii = text.as_bytes()[start..].iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    let end = start + ascii.count();
    // A letter outside ASCII goes on the word, as the grammar's message for it needs.
    if text.as_bytes().get(end).is_some_and(|b| !b.is_ascii()) {
        return end + text[end..].chars().take_while(|c| is_word_char(*c)).map(char::len_utf8).sum::<usize>();
    }
    end
}

/// Where a quoted text starting at `start` ends: after its closing quote,
/// or at the end of the line (of the file, for triple quotes) if it is not closed.
pub(super) fn quoted_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    if text[start..].starts_with("\"\"\"") {
        return memchr::memmem::find(&bytes[start + 3..], b"\"\"\"")
            .map_or(text.len(), |offset| start + 3 + offset + 3);
    }
    // Bytes rather than characters: every byte of a character outside
    // ASCII is above 0x7F, so none is taken for a quote, backslash or line
    // end, and the next of those three is found by a vector search.
    let mut index = start + 1;
    while let Some(offset) = memchr::memchr3(b'"', b'\\', b'\n', &bytes[index..]) {
        let at = index + offset;
        match bytes[at] {
            b'"' => return at + 1,
            b'\n' => return at,
            // A backslash takes the byte after it, unless that ends the line.
            _ => match bytes.get(at + 1) {
                Some(b'\n') => return at + 1,
                Some(_) => index = at + 2,
                None => break,
            },
        }
    }
    text.len()
}

/// Whether the text between two tokens is what the grammar skips there:
/// spacing and comments.
pub(super) fn is_spacing(gap: &str) -> bool {
    let mut in_comment = false;
    gap.chars().all(|c| match c {
        '\n' => {
            in_comment = false;
            true
        }
        _ if in_comment => true,
        '#' => {
            in_comment = true;
            true
        }
        c => matches!(c, ' ' | '\t' | '\r' | '\u{FEFF}'),
    })
}

/// The comments of a text, each from its `#` to the end of its line: in a
/// file that parses, exactly the grammar's comments.
pub(super) fn comments(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    // Most files have no comment: one search for `#` saves reading every text.
    let mut index = if text.contains('#') { 0 } else { text.len() };
    std::iter::from_fn(move || {
        while index < bytes.len() {
            match bytes[index] {
                b'"' => index = quoted_end(text, index),
                b'#' => {
                    let start = index;
                    index = text[index..].find('\n').map_or(text.len(), |offset| index + offset);
                    return Some(Span::new(start, index));
                }
                _ => index += 1,
            }
        }
        None
    })
}

/// The index of the first token that ends after `position`, if any.
pub(super) fn at(tokens: &[Token], position: usize) -> Option<usize> {
    let index = tokens.partition_point(|token| token.end <= position);
    (index < tokens.len()).then_some(index)
}

/// The offset of the `{` that is still open at `position`, the innermost one.
pub(super) fn open_brace_before(tokens: &[Token], position: usize) -> Option<usize> {
    let mut open = Vec::new();
    for token in tokens.iter().take_while(|token| token.start < position) {
        match token.kind {
            Kind::Open => open.push(token.start),
            Kind::Close => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_start_lines_or_follow_braces() {
        let text = "area a \"A\" {\n  task t \"task\" { seqf 2 }\n  # task in a comment\n}\n";
        let starts: Vec<&str> =
            scan(text).iter().filter(|t| t.starts_statement).map(|t| &text[t.start..t.end]).collect();
        assert_eq!(starts, ["area", "task", "seqf"]);
    }

    #[test]
    fn braces_inside_texts_do_not_count() {
        let text = "task a \"{\" {\n description \"\"\"\n}\n\"\"\"\n";
        let tokens = scan(text);
        assert_eq!(tokens.iter().filter(|t| t.kind == Kind::Open).count(), 1);
        assert_eq!(tokens.iter().filter(|t| t.kind == Kind::Close).count(), 0);
        assert_eq!(open_brace_before(&tokens, text.len()), Some(11));
    }

    #[test]
    fn comments_are_found_outside_texts_only() {
        let text = "# head\ntask a \"# no\" { # one\r\n description \"\"\"\n# no\n\"\"\" # two \\\"\n}#three";
        let found: Vec<&str> = comments(text).map(|span| &text[span.range()]).collect();
        assert_eq!(found, ["# head", "# one\r", "# two \\\"", "#three"]);
    }

    #[test]
    fn unclosed_texts_end_at_the_end_of_their_line() {
        let text = "task a \"open\ntask b";
        let tokens = scan(text);
        assert_eq!(tokens.len(), 5);
        assert!(tokens[3].starts_statement);
    }
}
