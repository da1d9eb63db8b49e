//! `kub test`: documents compared with their approved snapshots, on the
//! bundled examples and on a small project of its own whose templates are
//! edited, accepted, reviewed and drawn.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{copy_dir, kub, kub_in, repo_root};

/// A project with the bundled frameworks and the Slottsskogen participants
/// under `people/`, its snapshots accepted, and a copy of the bundled
/// templates under `my-templates/` to edit.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    copy_dir(&repo_root().join("examples/slottsskogen"), &dir.path().join("people"));
    copy_dir(&repo_root().join("templates"), &dir.path().join("my-templates"));
    let accepted = kub_in(dir.path(), &["test", "people", "--accept"]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    dir
}

/// Rewords the text under every certificate's verification code, in
/// Swedish (Amal's) and English (Olena's).
fn edit_certificate_template(dir: &Path) {
    let strings = dir.join("my-templates/strings.toml");
    let mut text = std::fs::read_to_string(&strings).unwrap();
    for (old, new) in [
        ("Koden räknas fram ur intygets innehåll.", "Koden beräknas ur allt som står i intyget."),
        ("The code is derived from the content of this certificate.", "The code is computed from all it says."),
    ] {
        assert!(text.contains(old), "the bundled strings have the sentence the test edits");
        text = text.replace(old, new);
    }
    std::fs::write(strings, text).unwrap();
}

fn snapshot_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.join("snapshots")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_bundled_examples_match_their_snapshots() {
    let run = kub(&["test", "examples"]);
    assert_eq!(run.code, 0, "run `kub test examples --accept` after reading the diff:\n{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("tested 33 documents against snapshots: 33 the same"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_template_edit_is_shown_per_document_until_it_is_accepted() {
    let dir = project();
    let unchanged = kub_in(dir.path(), &["test", "people"]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.stderr);
    let before = snapshot_files(dir.path());

    edit_certificate_template(dir.path());
    let changed = kub_in(dir.path(), &["test", "people", "--templates", "my-templates"]);
    assert_eq!(changed.code, 1, "{}", changed.stderr);
    for stem in ["certificates/amal-hassan-slottsskogen", "certificates/olena-kovalenko-slottsskogen"] {
        assert!(changed.stdout.contains(&format!("error[K0620]: {stem} changed")), "{}", changed.stdout);
        assert!(changed.stdout.contains(&format!("+++ {stem} (today)")), "{}", changed.stdout);
    }
    let changed_line = |sign: char, sentence: &str| {
        changed.stdout.lines().any(|line| line.starts_with(sign) && line.contains(&format!("│ {sentence}")))
    };
    assert!(changed_line('-', "Koden räknas fram ur intygets innehåll."), "{}", changed.stdout);
    assert!(changed_line('+', "Koden beräknas ur allt som står i intyget."), "{}", changed.stdout);
    let hunk = |line: &str| line.starts_with("@@ -") && line.ends_with(" @@ page 1 of 1 · A4 portrait");
    assert!(changed.stdout.lines().any(hunk), "hunks name the page they are on:\n{}", changed.stdout);
    assert!(!changed.stdout.contains("progress/"), "progress reports do not show the sentence:\n{}", changed.stdout);
    assert!(changed.stderr.contains("2 changed"), "{}", changed.stderr);
    assert_eq!(snapshot_files(dir.path()), before, "kub test alone writes nothing");

    let accepted = kub_in(dir.path(), &["test", "people", "--templates", "my-templates", "--accept"]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(accepted.stderr.contains("accepted 2"), "{}", accepted.stderr);
    let after = kub_in(dir.path(), &["test", "people", "--templates", "my-templates"]);
    assert_eq!(after.code, 0, "{}{}", after.stdout, after.stderr);
    assert_eq!(after.stdout, "");
}

#[test]
fn images_draw_each_changed_page_beside_its_approved_page() {
    let dir = project();
    edit_certificate_template(dir.path());
    let run = kub_in(dir.path(), &["test", "people", "--templates", "my-templates", "--images"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("drew 2 pictures of changed pages into out/review"), "{}", run.stderr);
    for stem in ["amal-hassan-slottsskogen", "olena-kovalenko-slottsskogen"] {
        let picture = dir.path().join(format!("out/review/certificates/{stem}-page-1.png"));
        let bytes = std::fs::read(&picture).unwrap_or_else(|error| panic!("{}: {error}", picture.display()));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{} is a PNG", picture.display());
        // Two A4 pages side by side are wider than they are tall.
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert!(width > height && height > 1000, "{width} × {height}");
    }
    let pictures = std::fs::read_dir(dir.path().join("out/review/certificates")).unwrap().count();
    assert_eq!(pictures, 2, "one picture per changed page, none for unchanged ones");
}

#[test]
fn review_without_a_terminal_never_asks_and_accepts_nothing() {
    let dir = project();
    edit_certificate_template(dir.path());
    let before = snapshot_files(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(["test", "people", "--templates", "my-templates", "--review", "--color=never"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[K0626]"), "{stderr}");
    assert!(!stderr.contains("[a]ccept"), "it asked: {stderr}");
    assert_eq!(snapshot_files(dir.path()), before);
}

#[test]
fn review_on_a_terminal_accepts_rejects_and_skips_one_by_one() {
    let dir = project();
    edit_certificate_template(dir.path());
    // `script` gives kub a terminal and passes the answers to it.
    let kub_command =
        format!("{} test people --templates my-templates --review --color=never", env!("CARGO_BIN_EXE_kub"));
    let mut child = Command::new("script")
        .args(["-qec", &kub_command, "/dev/null"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script runs");
    child.stdin.take().unwrap().write_all(b"a\nr\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("accept this change? [a]ccept, [r]eject, [s]kip, [q]uit"), "{shown}");
    assert!(shown.contains("accepted 1, rejected 1, skipped 0"), "{shown}");
    let after = kub_in(dir.path(), &["test", "people", "--templates", "my-templates"]);
    assert_eq!(after.code, 1);
    assert!(after.stderr.contains("1 changed"), "{}", after.stderr);
}

#[test]
fn new_documents_and_stale_snapshots_are_named() {
    let dir = project();
    let snapshots = dir.path().join("snapshots");
    std::fs::remove_file(snapshots.join("certificates/amal-hassan-slottsskogen.snap")).unwrap();
    std::fs::copy(
        snapshots.join("progress/amal-hassan-slottsskogen.snap"),
        snapshots.join("progress/someone-who-left.snap"),
    )
    .unwrap();
    let run = kub_in(dir.path(), &["test", "people"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("error[K0621]: certificates/amal-hassan-slottsskogen is new"), "{}", run.stdout);
    assert!(run.stderr.contains("warning[K0622]: snapshots/progress/someone-who-left.snap belongs to no document"));

    // A snapshot of documents from files not tested this time is not stale.
    let other = kub_in(dir.path(), &["test", "people/amal-hassan.kub"]);
    assert!(!other.stderr.contains("olena-kovalenko-slottsskogen.snap belongs"), "{}", other.stderr);

    let accepted = kub_in(dir.path(), &["test", "people", "--accept"]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(snapshots.join("certificates/amal-hassan-slottsskogen.snap").is_file());
    assert!(!snapshots.join("progress/someone-who-left.snap").exists());
    assert_eq!(kub_in(dir.path(), &["test", "people"]).code, 0);
}

#[test]
fn a_file_kub_did_not_write_is_never_overwritten() {
    let dir = project();
    let mine = dir.path().join("snapshots/certificates/amal-hassan-slottsskogen.snap");
    std::fs::write(&mine, "my own notes\n").unwrap();
    let run = kub_in(dir.path(), &["test", "people", "--accept"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[K0624]"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own notes\n");
}
