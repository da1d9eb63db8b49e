//! Renamed ids and `kub migrate`, on the small project in
//! tests/projects/renames: park-demo 1.0, 1.1 (renames `klippning`) and 2.0
//! (renames `beskarnig` and the competence `samarbete`, and drops `rojsag`),
//! with assessments written against 1.0.

use std::path::{Path, PathBuf};

use crate::support::{Run, copy_dir, kub_in, repo_root};

/// A copy of the project to migrate, so that the repository's files stay as they are.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("renames");
    copy_dir(&repo_root().join("tests/projects/renames"), &root);
    (dir, root)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn original(name: &str) -> String {
    read(&repo_root().join("tests/projects/renames/assessments").join(name))
}

fn comments(text: &str) -> Vec<&str> {
    text.lines().filter_map(|line| line.find('#').map(|at| &line[at..])).collect()
}

/// `kub check` of the whole project.
fn check(root: &Path) -> Run {
    kub_in(root, &["check", "."])
}

#[test]
fn migrate_rewrites_ids_and_the_follows_line_and_nothing_else() {
    let (_dir, root) = project();
    let run = kub_in(&root, &["migrate", "assessments/amal-hassan.kub", "--to", "park-demo@2.0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "assessments/amal-hassan.kub: task klippning → grasklippning (2 ratings), \
         task beskarnig → beskarning (3 ratings, 1 goal), \
         competence samarbete → samarbetsformaga (2 ratings), follows 1.0 → 2.0\n"
    );
    assert!(run.stderr.contains("1 file migrated to `park-demo 2.0`"), "{}", run.stderr);
    // The ids and the version are rewritten, and the file is laid out as
    // `kub fmt` lays it out, comments included.
    let expected = original("amal-hassan.kub")
        .replace("park-demo 1.0", "park-demo 2.0")
        .replace("task klippning ", "task grasklippning ")
        .replace("task beskarnig ", "task beskarning ")
        .replace("competence samarbete ", "competence samarbetsformaga ");
    let expected = kub::format::format(Default::default(), &expected).unwrap();
    let migrated = read(&root.join("assessments/amal-hassan.kub"));
    assert_eq!(migrated, expected);
    assert_eq!(comments(&migrated), comments(&original("amal-hassan.kub")));
    // The file the run was not given is untouched.
    assert_eq!(read(&root.join("assessments/olena-kovalenko.kub")), original("olena-kovalenko.kub"));
}

#[test]
fn a_migrated_project_checks_clean_and_a_second_run_changes_nothing() {
    let (_dir, root) = project();
    let first = kub_in(&root, &["migrate", "assessments", "--to", "park-demo@2.0", "--removed", "drop"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let after_first = read(&root.join("assessments/amal-hassan.kub"));
    let checked = check(&root);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(checked.stderr.contains("0 errors, 0 warnings"), "{}", checked.stderr);

    let second = kub_in(&root, &["migrate", "assessments", "--to", "park-demo@2.0"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.stdout, "");
    assert!(second.stderr.contains("nothing to migrate: all 2 assessments already follow `park-demo 2.0`"));
    assert_eq!(read(&root.join("assessments/amal-hassan.kub")), after_first);
}

#[test]
fn migrate_refuses_when_an_item_the_new_version_lacks_carries_ratings() {
    let (_dir, root) = project();
    let run = kub_in(&root, &["migrate", "assessments", "--to", "park-demo@2.0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    for place in ["olena-kovalenko.kub:11:8", "olena-kovalenko.kub:17:8", "olena-kovalenko.kub:21:11"] {
        assert!(run.stderr.contains(place), "{place} not named:\n{}", run.stderr);
    }
    assert_eq!(run.stderr.matches("error[K0430]: `park-demo 2.0` has no task `rojsag`").count(), 3, "{}", run.stderr);
    assert!(run.stderr.contains("nothing migrated"), "{}", run.stderr);
    // All or nothing: the file that could be migrated is not either.
    for name in ["amal-hassan.kub", "olena-kovalenko.kub"] {
        assert_eq!(read(&root.join("assessments").join(name)), original(name), "{name} was changed");
    }
}

#[test]
fn removed_drop_deletes_those_ratings_and_keeps_the_goals_words() {
    let (_dir, root) = project();
    let run =
        kub_in(&root, &["migrate", "assessments/olena-kovalenko.kub", "--to", "park-demo@2.0", "--removed", "drop"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("dropped task rojsag (2 ratings, 1 goal)"), "{}", run.stdout);
    let migrated = read(&root.join("assessments/olena-kovalenko.kub"));
    assert!(!migrated.contains("rojsag"), "{migrated}");
    assert!(migrated.contains("\ngoal \"Röja längs bäcken utan handledare\"\n"), "{migrated}");
    // The dropped rating's own comment goes with it; the others stay.
    assert!(!migrated.contains("# with a helmet and visor"), "{migrated}");
    assert!(migrated.starts_with("# Olena cleared scrub, which the second version no longer has.\n"));
    assert!(migrated.contains("occasion mapping 2026-03-04 by \"Kent Olsson\" {\n  task grasklippning med-stod\n}\n"));
}

#[test]
fn a_migrated_file_is_given_the_layout_of_kub_fmt() {
    let (_dir, root) = project();
    let path = root.join("assessments/amal-hassan.kub");
    let spread_out = read(&path).replace("occasion final", "occasion   final").replace("\n  task ", "\n      task ");
    std::fs::write(&path, &spread_out).unwrap();
    let run = kub_in(&root, &["migrate", "assessments/amal-hassan.kub", "--to", "park-demo@2.0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let migrated = read(&path);
    assert!(!migrated.contains("occasion   final") && !migrated.contains("\n      task "), "{migrated}");
    assert_eq!(comments(&migrated), comments(&original("amal-hassan.kub")));
    let formatted = kub_in(&root, &["fmt", "--check", "assessments/amal-hassan.kub"]);
    assert_eq!(formatted.code, 0, "a migrated file is not in kub fmt's layout:\n{}", formatted.stdout);
}

#[test]
fn removed_keep_keeps_those_ratings_for_check_to_report() {
    let (_dir, root) = project();
    let run =
        kub_in(&root, &["migrate", "assessments/olena-kovalenko.kub", "--to", "park-demo@2.0", "--removed", "keep"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("kept task rojsag (2 ratings, 1 goal), which `park-demo 2.0` does not have"));
    let migrated = read(&root.join("assessments/olena-kovalenko.kub"));
    assert!(migrated.contains("  task rojsag med-stod # with a helmet and visor\n"), "{migrated}");
    let checked = kub_in(&root, &["check", ".", "--format", "short"]);
    assert_eq!(checked.code, 1);
    assert!(checked.stdout.contains("olena-kovalenko.kub:13:8: error[K0401]"), "{}", checked.stdout);
}

#[test]
fn a_dry_run_prints_the_changes_and_writes_nothing() {
    let (_dir, root) = project();
    let run = kub_in(&root, &["migrate", "assessments", "--to", "park-demo@2.0", "--removed", "drop", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("assessments/amal-hassan.kub: task klippning → grasklippning"), "{}", run.stdout);
    assert!(run.stdout.contains("assessments/olena-kovalenko.kub: "), "{}", run.stdout);
    assert!(run.stderr.contains("2 files would be migrated to `park-demo 2.0`; nothing written"), "{}", run.stderr);
    for name in ["amal-hassan.kub", "olena-kovalenko.kub"] {
        assert_eq!(read(&root.join("assessments").join(name)), original(name));
    }
    // `--check` is the same, and fails while something would change.
    let check = kub_in(&root, &["migrate", "assessments/amal-hassan.kub", "--to", "park-demo@2.0", "--check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(read(&root.join("assessments/amal-hassan.kub")), original("amal-hassan.kub"));
}

#[test]
fn a_file_with_syntax_errors_is_never_rewritten() {
    let (_dir, root) = project();
    let broken = original("amal-hassan.kub").replace("task klippning     med-stod ", "task klippning { med-stod ");
    std::fs::write(root.join("assessments/amal-hassan.kub"), &broken).unwrap();
    let run = kub_in(&root, &["migrate", "assessments/amal-hassan.kub", "--to", "park-demo@2.0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[K0101]"), "{}", run.stderr);
    assert!(run.stderr.contains("amal-hassan.kub:10:"), "{}", run.stderr);
    assert_eq!(read(&root.join("assessments/amal-hassan.kub")), broken);
}

#[test]
fn a_target_that_is_not_a_framework_version_is_a_usage_error() {
    let (_dir, root) = project();
    let no_version = kub_in(&root, &["migrate", "assessments", "--to", "park-demo"]);
    assert_eq!(no_version.code, 2);
    assert!(no_version.stderr.contains("write `--to ID@VERSION`"), "{}", no_version.stderr);
    let unknown = kub_in(&root, &["migrate", "assessments", "--to", "park-demo@3.0"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("versions found: 1.0, 1.1, 2.0"), "{}", unknown.stderr);
}

#[test]
fn check_counts_an_old_id_for_the_new_one_with_a_hint() {
    let (_dir, root) = project();
    // Amal's file moved to 2.0 by hand, its ids left as they were in 1.1.
    let by_hand =
        original("amal-hassan.kub").replace("park-demo 1.0", "park-demo 2.0").replace("klippning", "grasklippning");
    std::fs::write(root.join("assessments/amal-hassan.kub"), by_hand).unwrap();
    std::fs::remove_file(root.join("assessments/olena-kovalenko.kub")).unwrap();
    let run = kub_in(&root, &["check", ".", "--format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let warnings: Vec<&str> = run.stdout.lines().filter(|line| line.contains("warning[K0429]")).collect();
    assert_eq!(warnings.len(), 6, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "amal-hassan.kub:11:8: warning[K0429]: the task `beskarnig` is called `beskarning` in `park-demo 2.0`"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("amal-hassan.kub:12:14: warning[K0429]: the competence `samarbete`"), "{}", run.stdout);
    // The documents count the ratings for the new ids.
    let shown = kub_in(&root, &["show", "assessments/amal-hassan.kub"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let progression: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let task = progression["areas"][0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|task| task["id"] == "beskarning")
        .expect("the renamed task is in the progression");
    assert_eq!(task["current"]["level"], "sjalvstandigt");
    assert_eq!(task["achieved"], true);
    assert_eq!(progression["competences"][0]["current"]["level"], "sjalvstandigt", "{}", progression["competences"]);
    // And so does the certificate, goals included.
    let built = kub_in(&root, &["build", "assessments", "--out", "out", "--only", "certificate", "--format", "json"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let certificate = read(&root.join("out/certificates/amal-hassan-park-demo.json"));
    let certificate: serde_json::Value = serde_json::from_str(&certificate).unwrap();
    let achieved: Vec<&str> = certificate["areas"][0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|task| task["achieved"] == true)
        .map(|task| task["id"].as_str().unwrap())
        .collect();
    assert_eq!(achieved, ["grasklippning", "beskarning"]);
    assert_eq!(certificate["competences"][0]["id"], "samarbetsformaga");
    assert_eq!(certificate["competences"][0]["current"]["level"], "sjalvstandigt");
    assert_eq!(certificate["goals"][0]["task"], "Beskära buskar", "{}", certificate["goals"]);
}

#[test]
fn a_tailoring_inherits_the_renames_of_the_framework_it_extends() {
    let (_dir, root) = project();
    std::fs::write(
        root.join("frameworks/slottsskogen-demo.kub"),
        "framework slottsskogen-demo \"Parkarbete i Slottsskogen\" en \"Park work in Slottsskogen\"\n\
         version 1.0\nextends park-demo 2.0\n",
    )
    .unwrap();
    let tailored = original("amal-hassan.kub")
        .replace("park-demo 1.0", "slottsskogen-demo 1.0")
        .replace("klippning", "grasklippning")
        .replace("competence samarbete", "competence samarbetsformaga");
    std::fs::write(root.join("assessments/amal-hassan.kub"), tailored).unwrap();
    std::fs::remove_file(root.join("assessments/olena-kovalenko.kub")).unwrap();
    let run = kub_in(&root, &["check", ".", "--format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "amal-hassan.kub:11:8: warning[K0429]: the task `beskarnig` is called `beskarning` in `slottsskogen-demo 1.0`"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_old_and_a_new_id_at_one_occasion_are_one_item_rated_twice() {
    let (_dir, root) = project();
    let twice = original("amal-hassan.kub")
        .replace("park-demo 1.0", "park-demo 2.0")
        .replace("klippning", "grasklippning")
        .replace("  competence samarbete med-stod\n", "  competence samarbete med-stod\n  task beskarning med-stod\n");
    std::fs::write(root.join("assessments/amal-hassan.kub"), twice).unwrap();
    let run = kub_in(&root, &["check", "assessments/amal-hassan.kub", "--format", "short"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("amal-hassan.kub:13:8: error[K0406]: `beskarning` is rated twice at the mapping on 2026-02-05"),
        "{}",
        run.stdout
    );
}
