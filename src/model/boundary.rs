//! The project's boundary: the folders an `include` may read from.
//!
//! A framework from elsewhere must not be able to make kub read any file on
//! the machine (and quote it in a diagnostic) by including `/etc/passwd` or
//! `../../../secret`. An include is read only if its path is relative and,
//! with `..` resolved and symbolic links followed, stays inside one of the
//! boundary's folders.

use std::path::{Component, Path, PathBuf};

use super::workspace::normalize;

/// The folders whose files may be included, as canonical paths. Without
/// any, the current folder is the boundary.
#[derive(Debug, Default, Clone)]
pub struct Boundary {
    folders: Vec<PathBuf>,
}

/// Why an include is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The path starts from the root of the disk.
    Absolute,
    /// The path leads here, outside every folder of the boundary.
    Outside(PathBuf),
}

impl Boundary {
    /// Lets includes read files anywhere below `folder`.
    pub fn allow(&mut self, folder: &Path) {
        let folder = canonical(folder);
        if !self.folders.contains(&folder) {
            self.folders.push(folder);
        }
    }

    /// Where `include "written"` in the file `including` leads, if it may
    /// be read. Nothing is read to decide.
    pub fn include_target(&self, including: &Path, written: &str) -> Result<PathBuf, Refused> {
        let written = Path::new(written);
        let absolute = written.has_root()
            || written.is_absolute()
            || matches!(written.components().next(), Some(Component::Prefix(_)));
        if absolute {
            return Err(Refused::Absolute);
        }
        let folder = including.parent().unwrap_or(Path::new(""));
        let target = normalize(&folder.join(written));
        let resolved = canonical(&target);
        let inside = if self.folders.is_empty() {
            resolved.starts_with(canonical(Path::new(".")))
        } else {
            self.folders.iter().any(|folder| resolved.starts_with(folder))
        };
        if inside { Ok(target) } else { Err(Refused::Outside(target)) }
    }
}

/// A path made absolute with `..` and symbolic links resolved as far as it
/// exists; the part that does not exist (yet) is kept as written. The
/// watcher reports paths in this form, so watch mode compares with it too.
pub fn canonical(path: &Path) -> PathBuf {
    // `a.kub` has the empty path as its folder, which means here.
    let path = if path.as_os_str().is_empty() { Path::new(".") } else { path };
    if let Ok(found) = std::fs::canonicalize(path) {
        return found;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => canonical(parent).join(name),
        _ => absolute,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundary_at(folder: &Path) -> Boundary {
        let mut boundary = Boundary::default();
        boundary.allow(folder);
        boundary
    }

    #[test]
    fn absolute_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = boundary_at(dir.path());
        let including = dir.path().join("a.kub");
        assert_eq!(boundary.include_target(&including, "/etc/passwd"), Err(Refused::Absolute));
        let inside = dir.path().join("lib.kub");
        assert_eq!(boundary.include_target(&including, &inside.display().to_string()), Err(Refused::Absolute));
    }

    #[test]
    fn climbing_out_is_refused_and_staying_in_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join("shared")).unwrap();
        let boundary = boundary_at(&project);
        let including = project.join("shared/a.kub");
        assert_eq!(boundary.include_target(&including, "b.kub"), Ok(project.join("shared/b.kub")));
        assert_eq!(boundary.include_target(&including, "../c.kub"), Ok(project.join("c.kub")));
        assert_eq!(boundary.include_target(&including, "../../x.kub"), Err(Refused::Outside(dir.path().join("x.kub"))));
        assert!(matches!(
            boundary.include_target(&including, "../../../../../../etc/passwd"),
            Err(Refused::Outside(_))
        ));
    }

    #[test]
    fn the_folder_of_a_file_named_alone_is_the_current_folder() {
        let mut boundary = Boundary::default();
        boundary.allow(Path::new("a.kub").parent().unwrap());
        assert!(matches!(
            boundary.include_target(Path::new("a.kub"), "../../../../etc/passwd"),
            Err(Refused::Outside(_))
        ));
        assert!(boundary.include_target(Path::new("a.kub"), "shared/lib.kub").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_project_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, project.join("door")).unwrap();
        let boundary = boundary_at(&project);
        let refused = boundary.include_target(&project.join("a.kub"), "door/secret.kub");
        assert_eq!(refused, Err(Refused::Outside(project.join("door/secret.kub"))));
    }
}
