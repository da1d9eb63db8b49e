//! Writing documents: whole files or nothing, under names safe on every file
//! system.

use std::fs::{self, File};
use std::io::{self, ErrorKind, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The longest file stem [`safe_file_stem`] makes, in bytes; room is left
/// for a suffix and an extension within every file system's name limit.
const MAX_STEM: usize = 64;

/// Temporaries are named `.kub-` and six random letters or digits, then
/// `.tmp`: hidden, so watchers ignore them, and distinct from any name a
/// person or another program would choose.
const TEMPORARY_PREFIX: &str = ".kub-";
const TEMPORARY_SUFFIX: &str = ".tmp";
const TEMPORARY_RANDOM: usize = 6;

/// A temporary lives while one file is written, well under a second. One
/// this old was left by a kub that was killed, never by one still writing
/// (a `kub watch` and a `kub build` may share an output folder).
const STALE_AFTER: Duration = Duration::from_secs(60);

/// Writes `bytes` to `path` so that readers see either the old file or the
/// complete new one, never a half-written file, even if kub is stopped.
///
/// The bytes go to a temporary file in the same folder, which is flushed to
/// disk and then renamed over `path`. Missing folders are created.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_whole(path, bytes, Durability::Flushed)
}

/// Writes a document that the next build can make again (a PDF, a page,
/// the index page) as [`write_atomically`] does, whole or not at all, but
/// leaves it to the system when to put it on disk: flushing each of a
/// cohort's documents took longer than typesetting one. After a power cut
/// such a file may be empty, and the next build writes it again, since its
/// bytes differ. The register, user's files and settings are flushed.
pub fn write_output(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_whole(path, bytes, Durability::LeftToTheSystem)
}

#[derive(PartialEq)]
enum Durability {
    Flushed,
    LeftToTheSystem,
}

fn write_whole(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    create_folder(folder)?;
    let mut file = temporary_file(folder)?;
    file.write_all(bytes)?;
    if durability == Durability::Flushed {
        file.as_file().sync_all()?;
    }
    file.persist(path).map_err(|error| error.error)?;
    if durability == Durability::Flushed {
        sync_folder(folder)?;
    }
    Ok(())
}

/// Creates `folder` and the folders above it. A file where the folder
/// should be is told as what it is, rather than as "file exists".
fn create_folder(folder: &Path) -> io::Result<()> {
    fs::create_dir_all(folder).map_err(|error| match error.kind() {
        ErrorKind::AlreadyExists => io::Error::new(
            ErrorKind::NotADirectory,
            format!("{} is a file, where kub keeps a folder of documents", folder.display()),
        ),
        _ => error,
    })
}

/// A hidden temporary file, which watchers ignore, readable like any file
/// kub writes (tempfile's default would be private to the user).
fn temporary_file(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX).rand_bytes(TEMPORARY_RANDOM);
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

/// Why no file at all can be written into an output folder, when an error
/// says so; any other error concerns one file only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// Read-only, not permitted, or a part of the path is a file.
    Unwritable,
    /// The disk or the user's quota is full.
    DiskFull,
}

/// Whether a failed write means that every further write to the same
/// folder fails too, so that a build should stop rather than try each
/// remaining document.
pub fn blocks_every_write(error: &io::Error) -> Option<Blocked> {
    match error.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(Blocked::DiskFull),
        ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied | ErrorKind::NotADirectory => {
            Some(Blocked::Unwritable)
        }
        _ => None,
    }
}

/// Makes sure that `folder` exists and that a file can be written in it,
/// by writing and removing a temporary, so that a build can stop before it
/// makes any document when the output folder cannot take them.
pub fn check_writable(folder: &Path) -> io::Result<()> {
    create_folder(folder)?;
    let mut probe = temporary_file(folder)?;
    probe.write_all(b"kub")?;
    probe.close()
}

/// Removes the temporaries that writes interrupted by a kill left in
/// `folder` and its subfolders, and returns how many. Only files named the
/// way [`write_atomically`] names them, and older than any write takes,
/// are removed; links are not followed.
pub fn remove_stale_temporaries(folder: &Path) -> usize {
    let now = SystemTime::now();
    let mut removed = 0;
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        // An unreadable folder holds nothing kub could have written.
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                folders.push(entry.path());
                continue;
            }
            let stale = entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .is_ok_and(|modified| now.duration_since(modified).is_ok_and(|age| age >= STALE_AFTER));
            if kind.is_file() && stale && is_temporary_name(&entry.file_name().to_string_lossy()) {
                removed += usize::from(fs::remove_file(entry.path()).is_ok());
            }
        }
    }
    removed
}

/// Whether a file name is one [`write_atomically`] gives its temporaries.
fn is_temporary_name(name: &str) -> bool {
    name.strip_prefix(TEMPORARY_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMPORARY_SUFFIX))
        .is_some_and(|random| random.len() == TEMPORARY_RANDOM && random.bytes().all(|b| b.is_ascii_alphanumeric()))
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
        match super::transliterate::in_ascii(c) {
            Some(ascii) => stem.push_str(ascii),
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
    fn a_full_disk_or_an_unwritable_folder_stops_every_write() {
        let kind = |kind: ErrorKind| blocks_every_write(&io::Error::from(kind));
        assert_eq!(kind(ErrorKind::StorageFull), Some(Blocked::DiskFull));
        assert_eq!(kind(ErrorKind::QuotaExceeded), Some(Blocked::DiskFull));
        assert_eq!(kind(ErrorKind::ReadOnlyFilesystem), Some(Blocked::Unwritable));
        assert_eq!(kind(ErrorKind::PermissionDenied), Some(Blocked::Unwritable));
        assert_eq!(kind(ErrorKind::NotADirectory), Some(Blocked::Unwritable));
        assert_eq!(kind(ErrorKind::IsADirectory), None, "one file in the way of one document");
        assert_eq!(kind(ErrorKind::InvalidFilename), None);
        assert_eq!(kind(ErrorKind::Interrupted), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn errors_from_the_system_are_told_apart_by_their_number() {
        let os = |number: i32| blocks_every_write(&io::Error::from_raw_os_error(number));
        // ENOSPC, EDQUOT, EROFS, EACCES, EPERM, ENOTDIR; EISDIR and EEXIST are not.
        assert_eq!(os(28), Some(Blocked::DiskFull));
        assert_eq!(os(122), Some(Blocked::DiskFull));
        assert_eq!(os(30), Some(Blocked::Unwritable));
        assert_eq!(os(13), Some(Blocked::Unwritable));
        assert_eq!(os(1), Some(Blocked::Unwritable));
        assert_eq!(os(20), Some(Blocked::Unwritable));
        assert_eq!(os(21), None);
        assert_eq!(os(17), None);
    }

    #[test]
    fn writing_under_a_file_is_blocked() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("out"), "a file, not a folder").unwrap();
        let error = check_writable(&dir.path().join("out/certificates")).unwrap_err();
        assert_eq!(blocks_every_write(&error), Some(Blocked::Unwritable), "{error}");
        let error = write_atomically(&dir.path().join("out/a.pdf"), b"pdf").unwrap_err();
        assert_eq!(blocks_every_write(&error), Some(Blocked::Unwritable), "{error}");
        let error = write_atomically(&dir.path().join("out/certificates/a.pdf"), b"pdf").unwrap_err();
        assert_eq!(blocks_every_write(&error), Some(Blocked::Unwritable), "{error}");
    }

    #[test]
    fn a_file_where_a_folder_belongs_is_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("progress"), "a file, not a folder").unwrap();
        let error = write_atomically(&dir.path().join("progress/anna.pdf"), b"pdf").unwrap_err();
        assert_eq!(blocks_every_write(&error), Some(Blocked::Unwritable), "{error}");
        assert!(error.to_string().ends_with("progress is a file, where kub keeps a folder of documents"), "{error}");
    }

    #[test]
    fn a_writable_folder_is_made_and_left_empty() {
        let dir = tempfile::tempdir().unwrap();
        check_writable(&dir.path().join("out")).unwrap();
        assert_eq!(fs::read_dir(dir.path().join("out")).unwrap().count(), 0);
    }

    #[test]
    fn only_old_temporaries_of_kubs_own_pattern_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        let file = |relative: &str, modified: SystemTime| {
            let path = dir.path().join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            File::create(&path).unwrap().set_modified(modified).unwrap();
        };
        file(".kub-a1B2c3.tmp", old);
        file("certificates/.kub-Zz9900.tmp", old);
        file("certificates/.kub-fresh1.tmp", SystemTime::now());
        for kept in [".kub-notes.txt", "kub-a1B2c3.tmp", ".kub-toolong1.tmp", ".kub-a1-2c3.tmp", "my.tmp"] {
            file(&format!("certificates/{kept}"), old);
        }

        assert_eq!(remove_stale_temporaries(dir.path()), 2);

        let mut left: Vec<String> = fs::read_dir(dir.path().join("certificates"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".kub-a1-2c3.tmp", ".kub-fresh1.tmp", ".kub-notes.txt", ".kub-toolong1.tmp", "kub-a1B2c3.tmp", "my.tmp"]
        );
        assert!(!dir.path().join(".kub-a1B2c3.tmp").exists());
        assert_eq!(remove_stale_temporaries(&dir.path().join("missing")), 0);
    }

    #[test]
    fn temporaries_are_named_the_way_the_sweep_looks_for() {
        let dir = tempfile::tempdir().unwrap();
        let file = temporary_file(dir.path()).unwrap();
        let name = file.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(is_temporary_name(&name), "{name}");
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
