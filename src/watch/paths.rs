//! Which changed paths matter to watch mode: editor temporaries, hidden
//! files and kub's own output are noise; `.kub` files, templates and
//! `kub.toml` are not.

use std::path::{Path, PathBuf};

use crate::build::{DocumentKind, STRINGS_FILE};
pub use crate::model::boundary::canonical;
use crate::syntax::EXTENSION;

/// Whether a file name is one editors and tools write for a moment while
/// saving: vim's swap files, `file~` backups and its `4913` probe (a name
/// without extension), emacs's `#file#`, JetBrains's `___jb_tmp___`
/// files, and the like. Zola ignores the same list.
///
/// ```
/// use kub::watch::paths::is_temporary;
/// use std::path::Path;
///
/// assert!(is_temporary(Path::new("examples/amal.kub~")));
/// assert!(is_temporary(Path::new("examples/4913")));
/// assert!(is_temporary(Path::new("examples/amal.kub___jb_tmp___")));
/// assert!(!is_temporary(Path::new("examples/amal.kub")));
/// ```
pub fn is_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|name| name.to_string_lossy()) else {
        return false;
    };
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    name.ends_with('~')
        || name.starts_with('#')
        || name.starts_with(".#")
        || ["___jb_tmp___", "___jb_old___", "___jb_bak___"].iter().any(|mark| name.ends_with(mark))
        || matches!(extension.as_deref(), None | Some("swp" | "swx" | "swo" | "tmp" | "bck" | "kate-swp"))
}

/// Whether `path` or a folder on the way to it from `root` is hidden.
/// Folders above `root` do not count: a project may live in a hidden folder.
pub fn is_hidden_below(path: &Path, root: &Path) -> bool {
    let below = path.strip_prefix(root).unwrap_or_else(|_| Path::new(path.file_name().unwrap_or_default()));
    below.components().any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
}

/// Whether a path names a `.kub` file.
pub fn is_kub_file(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == EXTENSION)
}

/// Whether a file in a template folder is one kub reads: a `.typ` or
/// `.html` template or `strings.toml`.
pub fn is_template_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == STRINGS_FILE)
        || path.extension().is_some_and(|extension| extension == "typ" || extension == "html")
}

/// The one kind of document a template file is for, if it is only used by
/// that kind: `certificate.typ` or `certificate.html` at the top of the
/// template folder. Shared parts, layouts and `strings.toml` touch every
/// kind, and give `None`.
pub fn template_kind(path: &Path, template_dir: &Path) -> Option<DocumentKind> {
    let relative = path.strip_prefix(template_dir).ok()?;
    if relative.components().count() != 1 || !is_template_file(relative) || is_strings(relative) {
        return None;
    }
    let stem = relative.file_stem()?.to_string_lossy();
    DocumentKind::ALL.into_iter().find(|kind| kind.template() == stem)
}

fn is_strings(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == STRINGS_FILE)
}

/// Every `.kub` file below a folder, skipping hidden entries and the
/// folders in `skip`, by canonical path (as the watcher reports them, so a
/// file reached through a link is known by its real path), in a stable
/// order. The first load reported the folders it could not read and the
/// links it skipped; a rescan does not repeat them.
pub fn kub_files_below(dir: &Path, skip: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = crate::model::walk::kub_files(dir, skip)
        .files
        .into_iter()
        .filter(|found| !is_temporary(&found.path))
        .map(|found| canonical(&found.path))
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporaries_are_recognised() {
        for name in [
            "a.kub.swp",
            ".a.kub.swp",
            "a.kub.swx",
            "a.kub~",
            "#a.kub#",
            ".#a.kub",
            "a.kub___jb_tmp___",
            "a.kub___jb_old___",
            "a.kub___jb_bak___",
            "a.kub.tmp",
            ".kub-x1y2.tmp",
            "a.kub.bck",
            "a.kub.kate-swp",
            "4913",
            "sedAb12Cd",
        ] {
            assert!(is_temporary(Path::new(name)), "{name} is a temporary file");
        }
        for name in ["a.kub", "certificate.typ", "base.html", "strings.toml", "kub.toml"] {
            assert!(!is_temporary(Path::new(name)), "{name} is a real file");
        }
    }

    #[test]
    fn only_folders_below_the_root_hide_a_file() {
        let root = Path::new("/home/u/.projects/kub");
        assert!(!is_hidden_below(&root.join("examples/a.kub"), root));
        assert!(is_hidden_below(&root.join(".git/a.kub"), root));
        assert!(is_hidden_below(&root.join("examples/.a.kub"), root));
    }

    #[test]
    fn top_level_templates_name_their_kind() {
        let dir = Path::new("/p/templates");
        assert_eq!(template_kind(&dir.join("certificate.typ"), dir), Some(DocumentKind::Certificate));
        assert_eq!(template_kind(&dir.join("summary.html"), dir), Some(DocumentKind::Summary));
        assert_eq!(template_kind(&dir.join("layout/certificate.typ"), dir), None);
        assert_eq!(template_kind(&dir.join("base.typ"), dir), None);
        assert_eq!(template_kind(&dir.join("strings.toml"), dir), None);
    }
}
