//! Writing a new issuer key file: owner-only permissions, never over an
//! existing file, never into the output folder, and not into a git working
//! tree unless asked to, since a committed private key lets anyone sign in
//! the issuer's name.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::keys;
use crate::diagnostic::{Code, Diagnostic};

/// A key file just written, and the public key to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    /// Where the private key was written.
    pub path: PathBuf,
    /// The public key as a `did:key`, for kub.toml's `[issuer]` `key`.
    pub did: String,
}

/// Where `kub key new` writes without `--out`: kub's folder in the user's
/// configuration folder, outside any project.
pub fn default_key_path() -> Option<PathBuf> {
    let config =
        std::env::var_os("XDG_CONFIG_HOME").filter(|dir| !dir.is_empty()).map(PathBuf::from).or_else(|| {
            std::env::var_os("HOME").filter(|dir| !dir.is_empty()).map(|home| Path::new(&home).join(".config"))
        })?;
    Some(config.join("kub").join("issuer-key.pem"))
}

/// Makes a new Ed25519 key and writes its private half to `path` as PKCS#8
/// PEM, readable by its owner alone. `output` is the project's output
/// folder, where a key is never written; `force` allows replacing a file
/// and writing inside a git working tree.
pub fn write_new_key(path: &Path, force: bool, output: Option<&Path>) -> Result<NewKey, Diagnostic> {
    if let Some(output) = output.filter(|output| super::is_inside(path, output)) {
        return Err(Diagnostic::new(
            Code::KeyFileInOutput,
            format!("{} is inside the output folder {}, whose files are handed out", path.display(), output.display()),
        )
        .hint("choose a path outside the output folder with --out"));
    }
    if path.exists() && !force {
        return Err(Diagnostic::new(
            Code::KeyFileExists,
            format!("{} already exists; kub never overwrites a key file", path.display()),
        )
        .hint("choose another path with --out, or pass --force to replace it (the old key is then lost)"));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).map_err(|error| cannot_write(path, &error))?;
    if !force && in_git_working_tree(&folder) {
        return Err(Diagnostic::new(
            Code::KeyFileInRepository,
            format!("{} is inside a git repository, where a commit could publish the private key", path.display()),
        )
        .hint(
            "write the key outside the repository with --out, or pass --force if the file is ignored and never pushed",
        ));
    }
    let key =
        keys::generate().map_err(|why| Diagnostic::new(Code::OutputFailed, format!("cannot make a key: {why}")))?;
    // A temporary file is created readable by its owner alone and then
    // moved into place, so the key is never readable by others, not even
    // half written.
    let mut file = tempfile::Builder::new()
        .prefix(".kub-key-")
        .tempfile_in(&folder)
        .map_err(|error| cannot_write(path, &error))?;
    restrict_to_owner(file.path()).map_err(|error| cannot_write(path, &error))?;
    file.write_all(keys::to_pem(&key).as_bytes()).and_then(|()| file.flush()).map_err(|e| cannot_write(path, &e))?;
    let persisted = if force { file.persist(path).map(drop) } else { file.persist_noclobber(path).map(drop) };
    persisted.map_err(|error| cannot_write(path, &error.error))?;
    Ok(NewKey { path: path.to_path_buf(), did: keys::did_key(&key.verifying_key()) })
}

fn cannot_write(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Code::OutputFailed, format!("cannot write the key file {}: {error}", path.display()))
        .hint("choose a folder you may write to with --out")
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Whether `folder` is inside a git working tree; false where git is not
/// installed, since then nothing can be committed by accident either.
fn in_git_working_tree(folder: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(["rev-parse", "--is-inside-work-tree"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|output| output.status.success() && output.stdout.starts_with(b"true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_owner_only_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/issuer.pem");
        let key = write_new_key(&path, false, None).unwrap();
        assert!(key.did.starts_with("did:key:z6Mk"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(keys::from_pem(&text).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(write_new_key(&path, false, None).unwrap_err().code, Code::KeyFileExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        let inside = write_new_key(&dir.path().join("out/k.pem"), true, Some(&dir.path().join("out")));
        assert_eq!(inside.unwrap_err().code, Code::KeyFileInOutput);
    }
}
