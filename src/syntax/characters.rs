//! Which characters a text may hold, and the words kub uses for those it may
//! not.
//!
//! A quoted text is printed on a certificate and in reports, so it may hold
//! every character a reader can see, plus the few invisible ones that
//! writing needs. The rule, in one table:
//!
//! | Characters                                   | In a text                          |
//! |----------------------------------------------|------------------------------------|
//! | printable characters of every script         | allowed                            |
//! | TAB (U+0009)                                 | allowed                            |
//! | LINE FEED (U+000A)                           | allowed in triple-quoted texts     |
//! | CARRIAGE RETURN (U+000D)                     | allowed just before a line feed    |
//! | ZWNJ, ZWJ (U+200C, U+200D), variation selectors, soft hyphen, word joiner | allowed: scripts and emoji need them |
//! | LRM, RLM, ALM (U+200E, U+200F, U+061C)       | allowed: see below                 |
//! | other C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F) | rejected |
//! | bidirectional embeddings, overrides, isolates (U+202A–U+202E, U+2066–U+2069) | rejected |
//! | deprecated format controls (U+206A–U+206F)   | rejected                           |
//! | LINE and PARAGRAPH SEPARATOR (U+2028, U+2029) | rejected                          |
//! | ZERO WIDTH NO-BREAK SPACE / byte order mark (U+FEFF) | rejected                   |
//! | interlinear annotation controls (U+FFF9–U+FFFB) | rejected                        |
//! | noncharacters (U+FDD0–U+FDEF, U+nFFFE, U+nFFFF) | rejected                        |
//!
//! Embeddings, overrides and isolates are rejected because they reorder the
//! text around them: an override in a name reverses the words after it.
//! The three direction *marks* are kept: they are what a writer of Arabic
//! or Hebrew uses to place punctuation and digits correctly, they cannot
//! open a run that outlives the text, and documents isolate every
//! right-to-left value anyway. Private-use and unassigned code points are
//! not rejected here: no bundled font draws them, so the font check
//! (`K0501`) reports them with the text they are in.
//!
//! Each kind of text also has a longest length ([`Field::limit`]).
//!
//! Comments follow the same rule, so that no direction control can make a
//! file read differently from what kub parses.

use std::fmt::Write;

/// What a quoted text is, which decides how long it may be.
///
/// Documents are laid out for texts up to these lengths, in characters: a
/// name at the limit still fits the certificate's one page, wrapped. The
/// limits are far above what real texts need (the longest description in
/// the bundled frameworks has under 400 characters) and far below what
/// would turn a page into many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A name: of a participant, supervisor, assessor or signer, of a
    /// workplace or an organisation.
    Name,
    /// A supervisor's role.
    Role,
    /// A title or label, or an occupation.
    Title,
    /// An assessment criterion or what a level of a competence looks like.
    Criterion,
    /// A description of a framework, area, task, scale or the like.
    Description,
    /// A rating comment or a development goal.
    Comment,
    /// A reference, personal number, ESCO address or included file.
    Reference,
}

impl Field {
    /// The most characters a text of this kind may have.
    pub fn limit(self) -> usize {
        match self {
            Field::Name | Field::Role => 100,
            Field::Title => 200,
            Field::Criterion => 500,
            Field::Description => 2000,
            Field::Comment => 1000,
            Field::Reference => 200,
        }
    }

    /// The kind of text, in words, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Field::Name => "a name",
            Field::Role => "a role",
            Field::Title => "a title",
            Field::Criterion => "a criterion",
            Field::Description => "a description",
            Field::Comment => "a comment",
            Field::Reference => "a reference",
        }
    }
}

/// Where a character stands, which decides whether line breaks are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A text in single quotes: one line.
    Line,
    /// A text in triple quotes: any number of lines.
    Block,
    /// A `#` comment: one line.
    Comment,
}

/// Why a character may not stand in a text, or `None` if it may. `next` is
/// the character after it, since a carriage return is allowed only as part
/// of a Windows line ending.
pub(crate) fn refusal(c: char, next: Option<char>, place: Place) -> Option<&'static str> {
    let code = u32::from(c);
    match c {
        '\t' => None,
        '\n' if place == Place::Block => None,
        '\r' if next == Some('\n') && place != Place::Line => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
            Some("control characters cannot be shown in a document and are often pasted by mistake")
        }
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("this invisible direction control changes the order in which the text around it is read")
        }
        '\u{206a}'..='\u{206f}' => Some("this deprecated control changes how digits and letters are drawn"),
        '\u{2028}' | '\u{2029}' => {
            Some("texts break lines with a plain line break, in triple quotes (or `\\n` in single quotes)")
        }
        '\u{feff}' => Some("a byte order mark belongs only at the very start of a file, never inside a text"),
        '\u{fff9}'..='\u{fffb}' => Some("interlinear annotation controls are for program use, not for documents"),
        _ if (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe => {
            Some("noncharacters are reserved for program use and never part of a text")
        }
        _ => None,
    }
}

/// A character as kub names it in messages: its Unicode name where kub
/// knows it, and always its code point, such as
/// `RIGHT-TO-LEFT OVERRIDE (U+202E)`. Never the character itself, which may
/// be invisible or change how the message reads.
pub fn describe(c: char) -> String {
    let mut out = String::new();
    match name(c) {
        Some(name) => write!(out, "{name} (U+{:04X})", u32::from(c)),
        None => write!(out, "U+{:04X}", u32::from(c)),
    }
    .expect("writing to a String cannot fail");
    out
}

/// True for characters that should never be printed raw in a message or
/// an excerpt of a source line: controls other than TAB and LF, and the
/// invisible format characters that change how a line reads.
pub fn is_unprintable(c: char) -> bool {
    c != '\t' && c != '\n' && (c.is_control() || refusal(c, None, Place::Line).is_some())
}

fn name(c: char) -> Option<&'static str> {
    const C0: [&str; 32] = [
        "NULL",
        "START OF HEADING",
        "START OF TEXT",
        "END OF TEXT",
        "END OF TRANSMISSION",
        "ENQUIRY",
        "ACKNOWLEDGE",
        "BELL",
        "BACKSPACE",
        "CHARACTER TABULATION",
        "LINE FEED",
        "LINE TABULATION",
        "FORM FEED",
        "CARRIAGE RETURN",
        "SHIFT OUT",
        "SHIFT IN",
        "DATA LINK ESCAPE",
        "DEVICE CONTROL ONE",
        "DEVICE CONTROL TWO",
        "DEVICE CONTROL THREE",
        "DEVICE CONTROL FOUR",
        "NEGATIVE ACKNOWLEDGE",
        "SYNCHRONOUS IDLE",
        "END OF TRANSMISSION BLOCK",
        "CANCEL",
        "END OF MEDIUM",
        "SUBSTITUTE",
        "ESCAPE",
        "INFORMATION SEPARATOR FOUR",
        "INFORMATION SEPARATOR THREE",
        "INFORMATION SEPARATOR TWO",
        "INFORMATION SEPARATOR ONE",
    ];
    let named = match c {
        '\u{0}'..='\u{1f}' => C0[c as usize],
        '\u{7f}' => "DELETE",
        '\u{85}' => "NEXT LINE",
        '\u{80}'..='\u{9f}' => "C1 CONTROL",
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{ad}' => "SOFT HYPHEN",
        '\u{61c}' => "ARABIC LETTER MARK",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{200e}' => "LEFT-TO-RIGHT MARK",
        '\u{200f}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202a}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202b}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202c}' => "POP DIRECTIONAL FORMATTING",
        '\u{202d}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202e}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{206a}' => "INHIBIT SYMMETRIC SWAPPING",
        '\u{206b}' => "ACTIVATE SYMMETRIC SWAPPING",
        '\u{206c}' => "INHIBIT ARABIC FORM SHAPING",
        '\u{206d}' => "ACTIVATE ARABIC FORM SHAPING",
        '\u{206e}' => "NATIONAL DIGIT SHAPES",
        '\u{206f}' => "NOMINAL DIGIT SHAPES",
        '\u{feff}' => "BYTE ORDER MARK",
        '\u{fff9}' => "INTERLINEAR ANNOTATION ANCHOR",
        '\u{fffa}' => "INTERLINEAR ANNOTATION SEPARATOR",
        '\u{fffb}' => "INTERLINEAR ANNOTATION TERMINATOR",
        _ if (0xfdd0..=0xfdef).contains(&u32::from(c)) || u32::from(c) & 0xfffe == 0xfffe => "NONCHARACTER",
        _ => return None,
    };
    Some(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_of_every_script_and_the_joiners_they_need_are_allowed() {
        for c in "Åsa Øberg أمل ሰላም Олена 👩\u{200d}🔧 \u{200c}\u{fe0f}\u{ad}\u{2060}\u{200e}\u{200f}\u{61c}\t".chars()
        {
            assert_eq!(refusal(c, None, Place::Line), None, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn controls_and_direction_overrides_are_rejected() {
        for c in ['\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{feff}'] {
            assert!(refusal(c, None, Place::Block).is_some(), "U+{:04X}", u32::from(c));
        }
        assert!(refusal('\u{fdd0}', None, Place::Line).is_some());
        assert!(refusal('\u{10ffff}', None, Place::Line).is_some());
    }

    #[test]
    fn line_breaks_only_where_texts_have_lines() {
        assert_eq!(refusal('\n', None, Place::Block), None);
        assert!(refusal('\n', None, Place::Line).is_some());
        assert_eq!(refusal('\r', Some('\n'), Place::Block), None);
        assert!(refusal('\r', Some('x'), Place::Block).is_some());
        assert!(refusal('\u{2028}', None, Place::Block).is_some());
    }

    #[test]
    fn characters_are_described_by_name_and_code_point() {
        assert_eq!(describe('\u{202e}'), "RIGHT-TO-LEFT OVERRIDE (U+202E)");
        assert_eq!(describe('\u{0}'), "NULL (U+0000)");
        assert_eq!(describe('\u{e000}'), "U+E000");
    }
}
