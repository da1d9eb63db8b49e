//! The fonts bundled with kub, and which characters they can draw.
//!
//! Documents use only these fonts, never the system's, so a certificate looks
//! the same on every machine. `fonts/README.md` says what each file is for.
//!
//! Shared like [`crate::diagnostic`]: `render` typesets with the fonts, and
//! `check` refuses the characters they cannot draw, so that both stages read
//! one list of files and neither reaches into the other.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use typst::foundations::Bytes;
use typst::text::Font;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The font files, embedded in the binary. Each holds exactly one face.
const FONT_FILES: &[&[u8]] = &[
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../fonts/NotoSansEthiopic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansEthiopic-Bold.ttf"),
];

/// Every bundled font face, parsed the first time it is asked for.
pub fn fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| FONT_FILES.iter().flat_map(|&data| Font::iter(Bytes::new(data))).collect())
}

/// The characters of `text` that no bundled font can draw, each once, in the
/// order they first appear.
///
/// Typst draws such characters as empty boxes without a warning, so a check
/// calls this first. Whitespace and invisible control and format characters
/// (such as a zero-width joiner) are never reported: they need no glyph.
///
/// ```
/// use kub::fonts::uncovered_characters;
///
/// assert!(uncovered_characters("Åsa Øberg, Олена, ሰላም").is_empty());
/// assert_eq!(uncovered_characters("Anna 😀"), vec!['😀']);
/// ```
pub fn uncovered_characters(text: &str) -> Vec<char> {
    let mut uncovered = Vec::new();
    for c in text.chars() {
        if !is_drawable(c) && !uncovered.contains(&c) {
            uncovered.push(c);
        }
    }
    uncovered
}

/// Characters below this are looked up in the fonts once and remembered:
/// the Latin, Greek and Cyrillic letters most texts are made of.
const REMEMBERED: usize = 0x800;

/// Whether `c` needs no glyph or has one. Asking the fonts walks every
/// face's coverage table, which a framework of thousands of texts would do
/// for each of its letters; the answer for a common character is kept.
fn is_drawable(c: char) -> bool {
    // 0: not asked yet, 1: drawable, 2: not drawable.
    static KNOWN: [AtomicU8; REMEMBERED] = [const { AtomicU8::new(0) }; REMEMBERED];
    let ask = |c: char| !needs_glyph(c) || is_covered(c);
    let Some(known) = KNOWN.get(c as usize) else {
        return ask(c);
    };
    match known.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => {
            let drawable = ask(c);
            known.store(if drawable { 1 } else { 2 }, Ordering::Relaxed);
            drawable
        }
    }
}

fn needs_glyph(c: char) -> bool {
    !c.is_whitespace() && !matches!(c.general_category(), GeneralCategory::Control | GeneralCategory::Format)
}

fn is_covered(c: char) -> bool {
    fonts().iter().any(|font| font.info().coverage.contains(c as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_file_parses_to_one_face() {
        assert_eq!(fonts().len(), FONT_FILES.len());
    }

    #[test]
    fn nordic_letters_are_covered() {
        assert_eq!(uncovered_characters("ÅÄÖ åäö ÆØ æø Ü ü é"), Vec::<char>::new());
    }

    #[test]
    fn cyrillic_arabic_and_ethiopic_are_covered() {
        assert_eq!(uncovered_characters("Олена Коваленко"), Vec::<char>::new());
        assert_eq!(uncovered_characters("أمل حسن"), Vec::<char>::new());
        assert_eq!(uncovered_characters("ሰላም ተስፋይ"), Vec::<char>::new());
    }

    #[test]
    fn cjk_and_emoji_are_not_covered() {
        assert_eq!(uncovered_characters("Anna 李 😀 李"), vec!['李', '😀']);
    }

    #[test]
    fn a_remembered_answer_is_the_fonts_answer() {
        for c in (0..REMEMBERED as u32).filter_map(char::from_u32) {
            let asked = !needs_glyph(c) || is_covered(c);
            assert_eq!(is_drawable(c), asked, "{c:?} asked first");
            assert_eq!(is_drawable(c), asked, "{c:?} remembered");
        }
    }

    #[test]
    fn invisible_characters_need_no_glyph() {
        assert_eq!(uncovered_characters("a\u{200D}b\u{202E}c\td\u{0}"), Vec::<char>::new());
    }
}
