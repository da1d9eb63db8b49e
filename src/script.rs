//! Which script a character or a name is written in: one answer for the
//! `lang` that marks a name in HTML, for the direction a name is set in, and
//! for the letters a file name can spell.

pub use unicode_script::Script;
use unicode_script::UnicodeScript;

/// The mark a writer puts in to make neutral characters run right to left.
const RIGHT_TO_LEFT_MARK: char = '\u{200F}';

/// The scripts written from right to left.
const RIGHT_TO_LEFT: &[Script] = &[
    Script::Adlam,
    Script::Arabic,
    Script::Avestan,
    Script::Chorasmian,
    Script::Cypriot,
    Script::Elymaic,
    Script::Garay,
    Script::Hanifi_Rohingya,
    Script::Hatran,
    Script::Hebrew,
    Script::Imperial_Aramaic,
    Script::Inscriptional_Pahlavi,
    Script::Inscriptional_Parthian,
    Script::Kharoshthi,
    Script::Lydian,
    Script::Mandaic,
    Script::Manichaean,
    Script::Mende_Kikakui,
    Script::Meroitic_Cursive,
    Script::Meroitic_Hieroglyphs,
    Script::Nabataean,
    Script::Nko,
    Script::Old_Hungarian,
    Script::Old_North_Arabian,
    Script::Old_Sogdian,
    Script::Old_South_Arabian,
    Script::Old_Turkic,
    Script::Old_Uyghur,
    Script::Palmyrene,
    Script::Phoenician,
    Script::Psalter_Pahlavi,
    Script::Samaritan,
    Script::Sidetic,
    Script::Sogdian,
    Script::Syriac,
    Script::Thaana,
    Script::Yezidi,
];

/// The scripts documents tell apart when they mark a name's script; letters
/// of any other script count as of no script in particular.
const TOLD_APART: &[Script] = &[
    Script::Latin,
    Script::Greek,
    Script::Cyrillic,
    Script::Armenian,
    Script::Hebrew,
    Script::Arabic,
    Script::Syriac,
    Script::Thaana,
    Script::Georgian,
    Script::Ethiopic,
];

/// The script of one character. Marks and punctuation shared by several
/// scripts are `Common` or `Inherited`.
pub fn of(c: char) -> Script {
    c.script()
}

/// Whether `c` runs right to left: a letter or digit of a right-to-left
/// script, a mark or sign used only by such scripts (Arabic vowel marks, the
/// Arabic comma), or the right-to-left mark.
pub fn is_right_to_left(c: char) -> bool {
    let scripts = c.script_extension();
    c == RIGHT_TO_LEFT_MARK
        || (!scripts.is_common() && !scripts.is_inherited() && scripts.iter().all(|s| RIGHT_TO_LEFT.contains(&s)))
}

/// Whether more than half of the letters of `text` run right to left.
pub fn is_mostly_right_to_left(text: &str) -> bool {
    let right_to_left = text.chars().filter(|&c| is_right_to_left(c)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && right_to_left * 2 > letters
}

/// The ISO 15924 code of the script most of a text's letters are written in,
/// such as `Latn`, `Arab`, `Ethi` or `Cyrl`, or `Zyyy` when it has no
/// letters or none of a script told apart. The first script to reach the
/// highest count wins, so ties keep the order of the text.
pub fn dominant_code(text: &str) -> &'static str {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let code = counted_script(c).short_name();
        match counts.iter_mut().find(|(known, _)| *known == code) {
            Some((_, count)) => *count += 1,
            None => counts.push((code, 1)),
        }
    }
    counts.iter().fold(("Zyyy", 0), |best, &(code, count)| if count > best.1 { (code, count) } else { best }).0
}

/// The script a letter counts for: a mark shared by scripts (an Arabic vowel
/// mark) counts for the one script it belongs to, if one; a letter of a
/// script not told apart counts as `Common` (`Zyyy`).
fn counted_script(c: char) -> Script {
    let script = match c.script() {
        Script::Common | Script::Inherited => {
            let mut scripts = c.script_extension().iter();
            match (scripts.next(), scripts.next()) {
                (Some(only), None) => only,
                _ => Script::Common,
            }
        }
        script => script,
    };
    if TOLD_APART.contains(&script) { script } else { Script::Common }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_set_in_their_direction() {
        assert!(is_mostly_right_to_left("رهف الخطيب"));
        assert!(is_mostly_right_to_left("מרים כהן"));
        assert!(is_right_to_left('\u{060C}'));
        assert!(is_right_to_left('\u{064E}'));
        assert!(!is_mostly_right_to_left("Åsa Öberg"));
        assert!(!is_mostly_right_to_left("Åsa رهف"));
        assert!(!is_mostly_right_to_left("2026"));
    }

    #[test]
    fn the_dominant_script_is_that_of_most_letters() {
        assert_eq!(dominant_code("Åsa Öberg"), "Latn");
        assert_eq!(dominant_code("مُحَمَّد"), "Arab");
        assert_eq!(dominant_code("ሰላም"), "Ethi");
        assert_eq!(dominant_code("李小龍"), "Zyyy");
        assert_eq!(dominant_code("12 34"), "Zyyy");
        assert_eq!(dominant_code("ab بت"), "Latn");
    }
}
