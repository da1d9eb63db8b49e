//! Running the real `kub` binary from the repository root.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of `kub` printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `kub` with `args` in `dir`, without colours.
pub fn kub_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(args)
        .arg("--color=never")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("kub runs");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// Runs `kub` in the repository root.
pub fn kub(args: &[&str]) -> Run {
    kub_in(&repo_root(), args)
}

/// The fixtures (files or folders) in a folder under tests/fixtures.
pub fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures").join(kind);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

/// The text of a PDF as `pdftotext` reads it, in content order, with its
/// whitespace collapsed.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|error| panic!("cannot run pdftotext (install poppler-utils): {error}"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Starts `kub` with `args` in `dir` as a long-running process, such as
/// `kub watch`, and collects what it prints on stderr as it goes.
pub fn spawn_kub(dir: &Path, args: &[&str]) -> (std::process::Child, std::sync::Arc<std::sync::Mutex<String>>) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(args)
        .arg("--color=never")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kub starts");
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let pipe = child.stderr.take().expect("stderr is piped");
    let buffer = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut buffer = buffer.lock().unwrap();
            buffer.push_str(&line);
            buffer.push('\n');
        }
    });
    (child, stderr)
}

/// A project in a temporary folder with an issuer key: the bundled
/// frameworks, the example folders `copies` (repository path, path in the
/// project), and a kub.toml whose `[issuer]` names a key that `kub key new`
/// made outside the project. `settings` go before the `[issuer]` table;
/// `issuer` holds its name and url lines.
pub struct SignedProject {
    /// Keeps the folder (and the key beside the project) until dropped.
    pub dir: tempfile::TempDir,
    /// The project's folder.
    pub root: PathBuf,
    /// The issuer's public key as a `did:key`.
    pub did: String,
}

impl SignedProject {
    pub fn new(copies: &[(&str, &str)], settings: &str, issuer: &str) -> SignedProject {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        copy_dir(&repo_root().join("frameworks"), &root.join("frameworks"));
        for (from, to) in copies {
            copy_dir(&repo_root().join(from), &root.join(to));
        }
        let key = dir.path().join("keys/issuer.pem");
        let made = kub_in(dir.path(), &["key", "new", "--out", key.to_str().unwrap()]);
        assert_eq!(made.code, 0, "{}{}", made.stdout, made.stderr);
        let did = made.stdout.lines().find_map(|line| line.strip_prefix("public key: ")).unwrap().to_string();
        let toml = format!(
            "organisation = \"Göteborgs Stad\"\n{settings}\n[issuer]\n{issuer}key = \"{did}\"\n\
             private-key = \"../keys/issuer.pem\"\n"
        );
        std::fs::write(root.join("kub.toml"), toml).unwrap();
        SignedProject { dir, root, did }
    }
}
