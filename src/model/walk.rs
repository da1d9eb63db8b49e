//! Finding the `.kub` files below a folder: every file once, on any tree.
//!
//! A folder can hold symbolic links that lead back up the tree, to a
//! sibling, or nowhere. The walk remembers every folder and file it has
//! read by its identity on disk (device and inode; the canonical path where
//! the system has no inodes), so a link is followed only while it leads
//! somewhere new. Real folders are walked before any link is followed, so a
//! file reachable both ways is named by its real path.

use std::collections::{HashMap, HashSet};
use std::fs::DirEntry;
use std::path::{Path, PathBuf};

use super::workspace::{normalize, plain_io_error};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::EXTENSION;

/// Which file or folder a path leads to, however it is spelled or linked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity(Key);

#[cfg(unix)]
type Key = (u64, u64);
#[cfg(not(unix))]
type Key = PathBuf;

impl Identity {
    /// The identity of what `path` leads to, following links.
    pub fn of(path: &Path) -> std::io::Result<Identity> {
        let metadata = std::fs::metadata(path)?;
        Ok(Identity::from_metadata(path, &metadata))
    }

    #[cfg(unix)]
    fn from_metadata(_path: &Path, metadata: &std::fs::Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        Identity((metadata.dev(), metadata.ino()))
    }

    #[cfg(not(unix))]
    fn from_metadata(path: &Path, _metadata: &std::fs::Metadata) -> Identity {
        Identity(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// A `.kub` file a walk found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The file's path, as reached from the path the walk started at.
    pub path: PathBuf,
    /// `None` when the file could not even be looked at; reading it will
    /// say why.
    pub identity: Option<Identity>,
}

/// What a walk found: the files in a stable order, and the folders it
/// could not read and the links it skipped.
#[derive(Debug, Default)]
pub struct Walk {
    /// The `.kub` files, in a stable order.
    pub files: Vec<Found>,
    /// Folders that could not be read and links skipped, as diagnostics.
    pub problems: Vec<Diagnostic>,
}

/// Every `.kub` file below `root`, skipping hidden entries and anything
/// below the folders in `skip`, each file once, sorted by path.
pub fn kub_files(root: &Path, skip: &[PathBuf]) -> Walk {
    let mut walker = Walker {
        skip,
        enclosing: enclosing_folders(root),
        folders: HashMap::new(),
        files: HashMap::new(),
        links: Vec::new(),
        walk: Walk::default(),
    };
    match Identity::of(root) {
        Ok(identity) => {
            walker.folders.insert(identity, root.to_path_buf());
            walker.walk_below(root);
        }
        Err(error) => walker.unreadable_folder(root, &error),
    }
    // Links found while following links join the end of the queue; each
    // link is looked at once, and leads into a new folder at most once, so
    // the queue runs dry.
    let mut next = 0;
    while let Some(link) = walker.links.get(next).cloned() {
        next += 1;
        walker.follow(&link);
    }
    walker.walk.files.sort_by(|a, b| a.path.cmp(&b.path));
    walker.walk
}

struct Walker<'a> {
    skip: &'a [PathBuf],
    /// The folders that hold the root: a link to one of them leads back
    /// into the walk.
    enclosing: HashMap<Identity, PathBuf>,
    /// Every folder walked, with the path it was first walked under.
    folders: HashMap<Identity, PathBuf>,
    /// Every file found, with the path it was first found under.
    files: HashMap<Identity, PathBuf>,
    /// Links met so far, followed once the real folders are done.
    links: Vec<PathBuf>,
    walk: Walk,
}

impl Walker<'_> {
    /// Walks the real folders below `top` (already marked as visited),
    /// queueing the links it meets.
    fn walk_below(&mut self, top: &Path) {
        let mut pending = vec![top.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in self.entries(&folder) {
                let path = entry.path();
                if entry.file_name().to_string_lossy().starts_with('.') || self.skip.iter().any(|s| path.starts_with(s))
                {
                    continue;
                }
                match entry.file_type() {
                    Ok(kind) if kind.is_symlink() => self.links.push(path),
                    Ok(kind) if kind.is_dir() => match Identity::of(&path) {
                        Ok(identity) => {
                            if self.first_visit_of_folder(identity, &path, None) {
                                pending.push(path);
                            }
                        }
                        Err(error) => self.unreadable_folder(&path, &error),
                    },
                    Ok(_) if is_kub(&path) => {
                        let identity = Identity::of(&path).ok();
                        self.add_file(path, identity, None);
                    }
                    Ok(_) => {}
                    Err(error) => self.unreadable_entry(&path, &error),
                }
            }
        }
    }

    /// The entries of a folder by name, or none if it cannot be read.
    fn entries(&mut self, folder: &Path) -> Vec<DirEntry> {
        let listing = match std::fs::read_dir(folder) {
            Ok(listing) => listing,
            Err(error) => {
                self.unreadable_folder(folder, &error);
                return Vec::new();
            }
        };
        let mut entries = Vec::new();
        for entry in listing {
            match entry {
                Ok(entry) => entries.push(entry),
                Err(error) => self.unreadable_folder(folder, &error),
            }
        }
        entries.sort_by_key(DirEntry::file_name);
        entries
    }

    /// Follows one link, if it leads somewhere not yet walked.
    fn follow(&mut self, link: &Path) {
        let written = std::fs::read_link(link).map(|target| target.display().to_string()).unwrap_or_default();
        let metadata = match std::fs::metadata(link) {
            Ok(metadata) => metadata,
            Err(error) => {
                let why = if error.kind() == std::io::ErrorKind::NotFound {
                    "which does not exist".to_string()
                } else if leads_in_a_circle(link) {
                    "which is a circle of links".to_string()
                } else {
                    format!("which cannot be followed ({})", plain_io_error(&error))
                };
                self.walk.problems.push(
                    Diagnostic::new(
                        Code::BrokenLink,
                        format!("skipped the link {}: it points to {written}, {why}", link.display()),
                    )
                    .hint("point the link at an existing file or folder, or remove it"),
                );
                return;
            }
        };
        let identity = Identity::from_metadata(link, &metadata);
        if metadata.is_dir() {
            if let Some(holder) = self.enclosing.get(&identity) {
                let holder = holder.clone();
                self.skipped(link, &holder, Some(&written), "folder");
                return;
            }
            if self.first_visit_of_folder(identity, link, Some(&written)) {
                self.walk_below(link);
            }
        } else if metadata.is_file() && is_kub(link) {
            self.add_file(link.to_path_buf(), Some(identity), Some(&written));
        }
    }

    /// Marks a folder as walked; says so and returns false if it was
    /// already, under another path.
    fn first_visit_of_folder(&mut self, identity: Identity, path: &Path, link: Option<&str>) -> bool {
        match self.folders.get(&identity) {
            Some(first) => {
                let first = first.clone();
                self.skipped(path, &first, link, "folder");
                false
            }
            None => {
                self.folders.insert(identity, path.to_path_buf());
                true
            }
        }
    }

    fn add_file(&mut self, path: PathBuf, identity: Option<Identity>, link: Option<&str>) {
        if let Some(identity) = identity {
            if let Some(first) = self.files.get(&identity) {
                let first = first.clone();
                self.skipped(&path, &first, link, "file");
                return;
            }
            self.files.insert(identity.clone(), path.clone());
            self.walk.files.push(Found { path, identity: Some(identity) });
        } else {
            self.walk.files.push(Found { path, identity: None });
        }
    }

    /// Reports a path skipped because what it leads to is read already.
    fn skipped(&mut self, path: &Path, first: &Path, link: Option<&str>, what: &str) {
        let holds_link = what == "folder" && (path.starts_with(first) || self.enclosing.values().any(|f| f == first));
        let message = match link {
            Some(written) if holds_link => format!(
                "skipped the link {} (to {written}): it leads back to {}, which holds the link, and would go round in circles",
                path.display(),
                first.display()
            ),
            Some(written) => format!(
                "skipped the link {} (to {written}): it leads to the {what} {}, which is read already",
                path.display(),
                first.display()
            ),
            None => format!(
                "skipped {}: it is the same {what} as {}, which is read already",
                path.display(),
                first.display()
            ),
        };
        self.walk.problems.push(
            Diagnostic::new(Code::LinkSkipped, message)
                .hint("kub reads every file once; remove the link if nothing else needs it"),
        );
    }

    fn unreadable_folder(&mut self, folder: &Path, error: &std::io::Error) {
        self.walk.problems.push(
            Diagnostic::new(
                Code::FolderUnreadable,
                format!("cannot read the folder {}: {}", folder.display(), plain_io_error(error)),
            )
            .hint("the .kub files in it are left out; give your user permission to read the folder, or move the files"),
        );
    }

    fn unreadable_entry(&mut self, path: &Path, error: &std::io::Error) {
        self.walk.problems.push(Diagnostic::new(
            Code::FolderUnreadable,
            format!("cannot tell what {} is: {}", path.display(), plain_io_error(error)),
        ));
    }
}

/// The folders above `root`, which a link may lead back to.
fn enclosing_folders(root: &Path) -> HashMap<Identity, PathBuf> {
    let Ok(canonical) = std::fs::canonicalize(root) else {
        return HashMap::new();
    };
    canonical
        .ancestors()
        .skip(1)
        .filter_map(|folder| Some((Identity::of(folder).ok()?, folder.to_path_buf())))
        .collect()
}

/// Whether a link that cannot be followed points, link by link, back to
/// itself. Links in the folders on the way are not followed, so a circle
/// through them is reported with the system's words instead.
fn leads_in_a_circle(link: &Path) -> bool {
    let mut seen = HashSet::new();
    let mut at = normalize(link);
    while seen.insert(at.clone()) {
        let Ok(target) = std::fs::read_link(&at) else {
            return false;
        };
        at = normalize(&at.parent().unwrap_or(Path::new("")).join(target));
    }
    true
}

fn is_kub(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == EXTENSION)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    fn codes(walk: &Walk) -> Vec<&str> {
        walk.problems.iter().map(|problem| problem.code.as_str()).collect()
    }

    #[test]
    fn links_into_what_was_read_are_skipped_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/x.kub"), "").unwrap();
        std::fs::write(root.join("a/.hidden.kub"), "").unwrap();
        symlink("..", root.join("a/b/up")).unwrap();
        symlink(&root, root.join("a/b/home")).unwrap();
        symlink("a", root.join("a-again")).unwrap();
        symlink("a/b/x.kub", root.join("x-again.kub")).unwrap();
        symlink("gone", root.join("gone.kub")).unwrap();

        let walk = kub_files(&root, &[]);

        let files: Vec<&Path> = walk.files.iter().map(|found| found.path.as_path()).collect();
        assert_eq!(files, [root.join("a/b/x.kub")]);
        assert_eq!(codes(&walk), ["K0004", "K0005", "K0004", "K0004", "K0004"]);
    }

    #[test]
    fn a_link_out_of_the_tree_is_followed_and_named_by_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let shared = dir.path().join("shared");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::write(shared.join("lib.kub"), "").unwrap();
        symlink(&root, shared.join("back")).unwrap();
        symlink(&shared, root.join("shared")).unwrap();

        let walk = kub_files(&root, &[]);

        let files: Vec<&Path> = walk.files.iter().map(|found| found.path.as_path()).collect();
        assert_eq!(files, [root.join("shared/lib.kub")]);
        assert_eq!(codes(&walk), ["K0004"], "{:?}", walk.problems);
    }
}
