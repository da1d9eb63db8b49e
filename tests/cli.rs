//! The command line: a broken kub.toml is a located problem in a file for
//! every command, and `kub show` refuses what it cannot show.

use std::path::Path;

use tempfile::TempDir;

use crate::support::{Run, kub, kub_in};

/// A project folder with only this kub.toml.
fn project(settings: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kub.toml"), settings).unwrap();
    dir
}

fn every_command_in(root: &Path) -> Vec<(&'static str, Run)> {
    let commands: [(&str, &[&str]); 6] = [
        ("check", &["check"]),
        ("build", &["build", "--out", "out"]),
        ("watch", &["watch", "--out", "out"]),
        ("show framework", &["show", "park-och-natur"]),
        ("show assessment", &["show", "a.kub"]),
        ("new", &["new", "framework", "egen", "--extends", "park-och-natur"]),
    ];
    commands.into_iter().map(|(name, args)| (name, kub_in(root, args))).collect()
}

#[test]
fn a_broken_project_file_is_shown_at_its_place_by_every_command() {
    let dir = project("organisation = \"Slottsskogen\"\nlanguage = \n");
    for (command, run) in every_command_in(dir.path()) {
        assert_eq!(run.code, 1, "{command}: {run:?}");
        assert!(run.stderr.starts_with("error[K0101]: kub.toml is not a valid project file"), "{command}: {run:?}");
        assert!(run.stderr.contains("┌─ kub.toml:2:12"), "{command}: {run:?}");
        assert!(run.stderr.contains("2 │ language = \n  │            ^"), "{command}: {run:?}");
    }
    assert!(!dir.path().join("out").exists(), "nothing is built with a broken kub.toml");
}

#[test]
fn a_broken_project_file_is_located_in_json_too() {
    let dir = project("colour = \"red\"\n");
    let run = kub_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "K0101", "{diagnostic}");
    assert_eq!(
        (&diagnostic["file"], &diagnostic["line"], &diagnostic["column"]),
        (&"kub.toml".into(), &1.into(), &1.into())
    );
    assert!(diagnostic["message"].as_str().unwrap().contains("unknown field `colour`"), "{diagnostic}");
}

#[test]
fn a_project_language_documents_are_not_written_in_is_an_error_in_kub_toml() {
    for (language, code) in [("fi", "K0423"), ("xx", "K0204")] {
        let dir = project(&format!("language = \"{language}\"\n"));
        for (command, run) in every_command_in(dir.path()) {
            assert_eq!(run.code, 1, "{language} {command}: {run:?}");
            assert!(run.stderr.starts_with(&format!("error[{code}]")), "{language} {command}: {run:?}");
            assert!(run.stderr.contains("┌─ kub.toml:1:12"), "{language} {command}: {run:?}");
            assert!(run.stderr.contains("documents are written in sv, da, en or nb"), "{language} {command}: {run:?}");
        }
    }
}

#[test]
fn a_wrong_flag_is_still_a_usage_error() {
    let run = kub(&["build", "examples", "--lang", "fi", "--out", "never-written"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("documents are written in sv, da, en or nb, not `fi`"), "{run:?}");
}

#[test]
fn an_assessment_is_not_shown_as_a_tree() {
    let run = kub(&["show", "examples/slottsskogen/amal-hassan.kub", "--format", "tree"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains("an assessment is shown as JSON"), "{run:?}");

    let run = kub(&["show", "examples/slottsskogen/amal-hassan.kub", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let progression: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(progression["participant"]["reference"], "GBG-2026-014");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_without_a_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // A framework whose JSON is far larger than a pipe holds.
    let renhold = crate::support::repo_root().join("tests/projects/norwegian/frameworks/renhold.kub");
    let framework = std::fs::read_to_string(renhold).unwrap();
    let tasks: String = (0..3000).map(|n| format!("  task t{n} \"Oppgave {n}\" sv \"Uppgift {n}\"\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("frameworks")).unwrap();
    std::fs::write(
        dir.path().join("frameworks/stor.kub"),
        format!("{framework}\narea stor \"Stor\" sv \"Stor\" {{\n{tasks}}}\n"),
    )
    .unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(["show", "renhold", "--format", "json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut start = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut start).unwrap();
    // The reader goes away, as `| head` does.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&start).contains("renhold"));
}
