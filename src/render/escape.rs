//! Escaping text for Typst source, so that a name is always shown as written
//! and never read as markup or code.
//!
//! Typst markup gives meaning to most ASCII punctuation (`#` starts code, `*`
//! bold, `=` at a line start a heading, `//` a comment ...), but a backslash
//! before any character that is not whitespace makes it literal. Escaping
//! every ASCII punctuation character is therefore safe without knowing the
//! lexer's rules in detail, and stays safe when Typst adds syntax.

use std::fmt::Write;

use typst::syntax::is_newline;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// `text` as Typst markup that shows exactly `text`.
///
/// ASCII punctuation gets a backslash; a line break (`\n`, `\r\n` and the
/// other newlines Typst knows) becomes a Typst line break `\ `, so a value
/// never starts a new source line where `= ` or `- ` would mean something;
/// other control characters become `\u{..}` escapes. A very long word gets
/// invisible places where a line may break (see [`LONG_WORD`]). Everything
/// else, including all non-ASCII text, is written as is.
///
/// ```
/// use kub::render::escape::typst_markup;
///
/// assert_eq!(typst_markup("#read(\"x\")"), r#"\#read\(\"x\"\)"#);
/// assert_eq!(typst_markup("Anna\nÖberg"), r"Anna\ Öberg");
/// ```
pub fn typst_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut chars = text.chars().peekable();
    let mut word = 0;
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        word = if c.is_whitespace() { 0 } else { word + 1 };
        if word > LONG_WORD && word % LONG_WORD == 1 && may_break_between(previous, c) {
            out.push(WORD_BREAK);
        }
        previous = c;
        if is_newline(c) {
            out.push_str("\\ ");
        } else if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c.is_control() && c != '\t' {
            push_unicode_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// A word longer than this many characters gets a chance to break after
/// every this many characters. Typst breaks lines only between words, so
/// one long unbroken word (a name pasted without spaces, an address) would
/// otherwise run off the page. Real words of this length are rare, and a
/// break is only taken where the line is full.
const LONG_WORD: usize = 30;

/// ZERO WIDTH SPACE: a place where a line may break, invisible otherwise.
const WORD_BREAK: char = '\u{200b}';

/// Whether a line may break between `before` and `after` without splitting
/// a character: never before a combining mark, a joiner or a variation
/// selector, nor after a joiner.
fn may_break_between(before: char, after: char) -> bool {
    let joins = |c: char| {
        matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::Format
        )
    };
    !joins(after) && !joins(before)
}

/// `text` as a Typst string literal, quotes included, for values used in
/// code, such as `#set text(lang: ...)`.
///
/// Inside a Typst string only `\\ \" \n \r \t \u{..}` are escapes, so this is
/// deliberately not JSON escaping (JSON's `\b`, `\f` and `\uXXXX` are not
/// Typst escapes). Other control characters and the Unicode line and
/// paragraph separators become `\u{..}`, so the literal stays on one line.
///
/// ```
/// use kub::render::escape::typst_string;
///
/// assert_eq!(typst_string("say \"hej\"\n"), r#""say \"hej\"\n""#);
/// ```
pub fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_newline(c) => push_unicode_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// FIRST STRONG ISOLATE: opens a run whose direction its own first letter
/// decides and that cannot reorder the text around it.
pub const ISOLATE_START: char = '\u{2068}';
/// POP DIRECTIONAL ISOLATE: closes the run [`ISOLATE_START`] opened.
pub const ISOLATE_END: char = '\u{2069}';

/// True when `text` holds a right-to-left letter or mark, so that placed
/// among other words it could pull neighbouring punctuation and digits
/// into its own order.
///
/// Documents wrap such a value in [`ISOLATE_START`] ... [`ISOLATE_END`]:
/// the Unicode isolates, which Typst and every browser honour, confine the
/// value's direction to the value itself. Values without right-to-left
/// characters are left as they are: the documents are written in
/// left-to-right languages, so such a value cannot reorder its
/// surroundings, and leaving them alone keeps the generated sources and
/// extracted text simple.
///
/// ```
/// use kub::render::escape::needs_isolation;
///
/// assert!(needs_isolation("رهف الخطيب"));
/// assert!(!needs_isolation("Åsa Öberg"));
/// ```
pub fn needs_isolation(text: &str) -> bool {
    text.chars().any(crate::script::is_right_to_left)
}

/// `text` wrapped in isolates if it needs them (see [`needs_isolation`]).
pub fn isolated(text: String) -> String {
    if needs_isolation(&text) { format!("{ISOLATE_START}{text}{ISOLATE_END}") } else { text }
}

/// True for the control characters HTML does not allow in a document: all
/// but tab, line feed and carriage return.
pub fn is_html_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn push_unicode_escape(out: &mut String, c: char) {
    write!(out, "\\u{{{:x}}}", u32::from(c)).expect("writing to a String cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ascii_punctuation_character_is_escaped() {
        let punctuation: String = (' '..='~').filter(char::is_ascii_punctuation).collect();
        let escaped = typst_markup(&punctuation).replace(WORD_BREAK, "");
        assert_eq!(escaped.len(), 2 * punctuation.len());
        assert!(escaped.chars().step_by(2).all(|c| c == '\\'));
    }

    #[test]
    fn letters_digits_and_other_scripts_are_kept() {
        assert_eq!(typst_markup("Åsa 12 أمل ሰላም"), "Åsa 12 أمل ሰላም");
    }

    #[test]
    fn line_starts_cannot_become_markup() {
        assert_eq!(typst_markup("x\n= heading"), r"x\ \= heading");
        assert_eq!(typst_markup("- a\r\n1. b"), r"\- a\ 1\. b");
        assert_eq!(typst_markup("a\u{2029}b"), r"a\ b");
    }

    #[test]
    fn long_words_may_break_but_short_ones_and_escapes_stay_whole() {
        assert_eq!(typst_markup(&"a".repeat(30)), "a".repeat(30));
        let long = typst_markup(&format!("{}\u{301}{}", "a".repeat(30), "#".repeat(30)));
        assert_eq!(long.matches(WORD_BREAK).count(), 1, "{long}");
        assert!(!long.contains("\u{200b}\u{301}") && !long.contains("\\\u{200b}"), "{long}");
        assert_eq!(long.replace(WORD_BREAK, ""), format!("{}\u{301}{}", "a".repeat(30), r"\#".repeat(30)));
    }

    #[test]
    fn control_characters_become_unicode_escapes() {
        assert_eq!(typst_markup("a\u{0}b\u{1b}\tc"), "a\\u{0}b\\u{1b}\tc");
    }

    #[test]
    fn right_to_left_values_are_isolated() {
        assert_eq!(isolated("أمل (Amal)".to_string()), "\u{2068}أمل (Amal)\u{2069}");
        assert_eq!(isolated("Amal\u{200f}".to_string()), "\u{2068}Amal\u{200f}\u{2069}");
        assert_eq!(isolated("Amal".to_string()), "Amal");
    }

    #[test]
    fn strings_use_only_typst_escapes() {
        assert_eq!(typst_string(r"a\b"), r#""a\\b""#);
        assert_eq!(typst_string("\u{8}\u{c}\u{2028}"), r#""\u{8}\u{c}\u{2028}""#);
        assert_eq!(typst_string("tab\there\r"), r#""tab\there\r""#);
    }
}
