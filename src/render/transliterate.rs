//! Letters spelt in plain ASCII, for names that must be ASCII (file names):
//! the one place that says how a letter outside ASCII is written without it.

/// How `c` is written in ASCII letters, if kub knows: Nordic and other
/// letters that do not decompose (`æ` is `ae`), and Ukrainian and Russian
/// letters. Accented letters are not here: they decompose into a base letter
/// and an accent, and the accent is dropped.
pub fn in_ascii(c: char) -> Option<&'static str> {
    fold_letter(c).or_else(|| transliterate_cyrillic(c))
}

/// Letters that do not decompose into a base letter and accents.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' | 'Æ' => "ae",
        'ø' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        'þ' | 'Þ' => "th",
        'ð' | 'Ð' | 'đ' | 'Đ' => "d",
        'ł' | 'Ł' => "l",
        'ı' => "i",
        _ => return None,
    })
}

/// Ukrainian and Russian letters in the Ukrainian national romanisation,
/// so that `Олена Коваленко` becomes `olena-kovalenko`.
fn transliterate_cyrillic(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next()?;
    Some(match lower {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "h",
        'ґ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' | 'ы' => "y",
        'і' | 'ї' | 'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "iu",
        'я' => "ia",
        'ь' | 'ъ' => "",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::in_ascii;

    #[test]
    fn letters_are_spelt_in_ascii() {
        assert_eq!(in_ascii('Æ'), Some("ae"));
        assert_eq!(in_ascii('щ'), Some("shch"));
        assert_eq!(in_ascii('Ж'), Some("zh"));
        assert_eq!(in_ascii('a'), None);
        assert_eq!(in_ascii('ب'), None);
    }
}
