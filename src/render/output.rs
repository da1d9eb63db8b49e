//! Writing documents: whole files or nothing, under names safe on every file
//! system.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The longest file stem [`safe_file_stem`] makes, in bytes; room is left
/// for a suffix and an extension within every file system's name limit.
const MAX_STEM: usize = 64;

/// Writes `bytes` to `path` so that readers see either the old file or the
/// complete new one, never a half-written file, even if kub is stopped.
///
/// The bytes go to a temporary file in the same folder, which is flushed to
/// disk and then renamed over `path`. Missing folders are created.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(folder)?;
    let mut file = temporary_file(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

/// A hidden temporary file, which watchers ignore, readable like any file
/// kub writes (tempfile's default would be private to the user).
fn temporary_file(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kub-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// Makes the rename itself durable: on Unix a rename is recorded in the
/// folder, which has to be flushed too.
fn sync_folder(folder: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(folder)?.sync_all()?;
    }
    Ok(())
}

/// A file stem made from any name, the same every time, using only `a-z`,
/// `0-9` and `-`.
///
/// Accented Latin letters lose their accents (`Åsa Öberg` becomes
/// `asa-oberg`), `æ`, `ø`, `ß` and a few others are spelt out, everything
/// else separates words. A name with nothing left, such as one written only
/// in Arabic, becomes `name-` and a short hash of it, so different names
/// still get different stems.
///
/// ```
/// use kub::render::output::safe_file_stem;
///
/// assert_eq!(safe_file_stem("Søren Ærø-Hansen"), "soren-aero-hansen");
/// assert_eq!(safe_file_stem("../../etc/passwd"), "etc-passwd");
/// assert_eq!(safe_file_stem("Олена Коваленко"), "olena-kovalenko");
/// assert!(safe_file_stem("أمل حسن").starts_with("name-"));
/// ```
pub fn safe_file_stem(text: &str) -> String {
    let mut stem = String::with_capacity(text.len().min(MAX_STEM));
    for c in text.nfd() {
        match fold_letter(c) {
            Some(ascii) => stem.push_str(ascii),
            None if c.is_alphabetic() && !c.is_ascii() && transliterate_cyrillic(c).is_some() => {
                stem.push_str(transliterate_cyrillic(c).unwrap_or_default())
            }
            None if c.is_ascii_alphanumeric() => stem.push(c.to_ascii_lowercase()),
            None if is_combining_mark(c) => {}
            None if !stem.is_empty() && !stem.ends_with('-') => stem.push('-'),
            None => {}
        }
        if stem.len() > MAX_STEM {
            break;
        }
    }
    if stem.len() > MAX_STEM {
        // Cut at the last word boundary, unless that leaves little.
        let cut = match stem[..=MAX_STEM].rfind('-') {
            Some(dash) if dash > MAX_STEM / 2 => dash,
            _ => MAX_STEM,
        };
        stem.truncate(cut);
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        let hash = Sha256::digest(text.as_bytes());
        let short: String = hash.iter().take(4).map(|byte| format!("{byte:02x}")).collect();
        format!("name-{short}")
    } else if is_reserved_on_windows(stem) {
        format!("{stem}-file")
    } else {
        stem.to_string()
    }
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

/// Accents left over after decomposition, such as the ring of `å`.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Names Windows keeps for devices, whatever the extension.
fn is_reserved_on_windows(stem: &str) -> bool {
    const DEVICES: &[&str] = &["con", "prn", "aux", "nul"];
    let numbered = ["com", "lpt"]
        .iter()
        .any(|prefix| stem.strip_prefix(prefix).is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit()));
    DEVICES.contains(&stem) || numbered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nordic_names_become_readable_ascii() {
        assert_eq!(safe_file_stem("Åsa Öberg"), "asa-oberg");
        assert_eq!(safe_file_stem("Jäger-Ødegård, Æsa"), "jager-odegard-aesa");
        assert_eq!(safe_file_stem("Þóra Guðmundsdóttir"), "thora-gudmundsdottir");
    }

    #[test]
    fn punctuation_and_spaces_collapse_to_one_dash() {
        assert_eq!(safe_file_stem("  Anna -- B. / Svensson!! "), "anna-b-svensson");
    }

    #[test]
    fn long_names_are_cut_at_a_word() {
        let stem = safe_file_stem(&"Anna-Karin Lindqvist ".repeat(20));
        assert!(stem.len() <= MAX_STEM);
        assert!("anna-karin-lindqvist-".repeat(20).starts_with(&format!("{stem}-")));
    }

    #[test]
    fn nothing_left_gives_a_stable_hashed_name() {
        let arabic = safe_file_stem("أمل حسن");
        assert_eq!(arabic.len(), "name-".len() + 8);
        assert_eq!(arabic, safe_file_stem("أمل حسن"));
        assert_ne!(arabic, safe_file_stem("ሰላም ተስፋይ"));
        assert!(safe_file_stem("").starts_with("name-"));
    }

    #[test]
    fn device_names_are_avoided() {
        assert_eq!(safe_file_stem("CON"), "con-file");
        assert_eq!(safe_file_stem("com1"), "com1-file");
        assert_eq!(safe_file_stem("common"), "common");
    }

    #[test]
    fn writes_create_the_folder_and_replace_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/certificate.pdf");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let leftovers = fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1);
    }
}
