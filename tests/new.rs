//! `kub new` writes files that parse and check, and never overwrites one.

use crate::support::{copy_dir, kub, kub_in, repo_root};

fn project_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    dir
}

#[test]
fn a_new_assessment_lists_every_item_and_checks_with_only_unrated_warnings() {
    let project = project_copy();
    let run = kub_in(
        project.path(),
        &["new", "assessment", "--framework", "slottsskogen", "--participant", "Åsa Öberg", "--date", "2026-03-02"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(project.path().join("asa-oberg.kub")).unwrap();
    insta::assert_snapshot!("new_assessment_slottsskogen", written);

    let check = kub_in(project.path(), &["check", "asa-oberg.kub", "--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(&check.stdout).unwrap();
    let codes: std::collections::BTreeSet<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["K0409", "K0425", "K0432"].into_iter().collect(),
        "only `not rated yet`, `no final occasion` and the blank workplace and supervisor"
    );

    let show = kub(&["show", "slottsskogen", "--format", "json"]);
    let framework: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    let tasks: usize =
        framework["areas"].as_array().unwrap().iter().map(|a| a["tasks"].as_array().unwrap().len()).sum();
    let unrated_tasks = diagnostics.iter().filter(|d| d["message"].as_str().unwrap().contains("not rated yet")).count();
    let competences = framework["competences"].as_array().unwrap().len();
    assert_eq!(unrated_tasks, tasks + competences, "every task and competence is listed once");
}

#[test]
fn a_new_tailoring_extends_its_parent_and_checks_clean() {
    let project = project_copy();
    let run = kub_in(
        project.path(),
        &["new", "framework", "angered-park", "--extends", "park-och-natur", "--title", "Parkarbete i Angered"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(project.path().join("frameworks/angered-park.kub")).unwrap();
    assert!(written.contains("extends park-och-natur 2.1"));
    assert!(written.contains("# remove task grasklippning"));
    let check = kub_in(project.path(), &["check", "frameworks/angered-park.kub"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("0 errors, 0 warnings"), "{}", check.stderr);
    let show = kub_in(project.path(), &["show", "angered-park"]);
    assert!(show.stdout.contains("extends       park-och-natur 2.1"), "{}", show.stdout);
}

#[test]
fn new_never_overwrites_a_file() {
    let project = project_copy();
    let target = project.path().join("taken.kub");
    std::fs::write(&target, "keep me").unwrap();
    let run = kub_in(project.path(), &["new", "assessment", "--framework", "park-och-natur", "--output", "taken.kub"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

#[test]
fn new_names_an_unknown_framework_and_suggests_one() {
    let run = kub(&["new", "assessment", "--framework", "park-och-natr"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `park-och-natur`?"), "{}", run.stderr);
}
