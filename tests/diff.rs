//! `kub diff`: every kind of change between two versions of a framework,
//! changes that come through `extends` and `include`, the impact on
//! assessments, versions read from git, and the exit codes.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::support::{fixtures, kub_in};

/// Runs `kub diff` in a fixture's folder with the arguments in its `diff.args`.
fn diff_fixture(fixture: &Path, extra: &[&str]) -> crate::support::Run {
    let args = std::fs::read_to_string(fixture.join("diff.args")).expect("every diff fixture has diff.args");
    let mut all: Vec<&str> = vec!["diff"];
    all.extend(args.split_whitespace());
    all.extend(extra);
    kub_in(fixture, &all)
}

#[test]
fn every_fixture_pair_is_described_in_words_and_json() {
    let entries = fixtures("diff");
    assert!(entries.len() >= 6, "at least six pairs of versions");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for fixture in entries {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let human = diff_fixture(&fixture, &[]);
        let json = diff_fixture(&fixture, &["--format", "json"]);
        let equal = name == "no-changes";
        assert_eq!(human.code, if equal { 0 } else { 1 }, "{name}: exit code\n{}", human.stderr);
        assert_eq!(json.code, human.code, "{name}: the JSON run ends like the human one");
        assert!(human.stderr.is_empty(), "{name}: nothing on stderr\n{}", human.stderr);
        let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("kub diff prints JSON");
        assert_eq!(value["equal"], equal, "{name}");
        for change in value["changes"].as_array().unwrap() {
            seen.insert(format!("{} {} {}", change["kind"], change["item"], change["aspect"]).replace('"', ""));
        }
        insta::with_settings!({
            snapshot_path => "snapshots/diff",
            prepend_module_to_snapshot => false,
            description => format!("kub diff in tests/fixtures/diff/{name}"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.clone(), human.stdout);
            insta::assert_snapshot!(format!("{name}.json"), json.stdout);
        });
    }
    let expected = [
        "added task null",
        "removed task null",
        "moved task parent",
        "moved task position",
        "moved area position",
        "added area null",
        "removed area null",
        "changed task seqf",
        "changed task required",
        "changed task evidence",
        "changed task scale",
        "changed task title",
        "added criterion text",
        "changed criterion text",
        "added area description",
        "changed framework version",
        "changed framework languages",
        "changed framework extends",
        "added framework description",
        "moved scale order",
        "changed level label",
        "added level null",
        "removed level null",
        "removed scale null",
        "changed certificate achieved-from",
        "changed certificate seqf-rule",
        "added competence null",
        "removed competence null",
        "moved competence position",
        "changed descriptor text",
        "added track null",
        "removed track null",
        "moved milestone parent",
        "added milestone null",
        "removed milestone null",
        "changed milestone sfi",
    ];
    let missing: Vec<&str> = expected.iter().copied().filter(|kind| !seen.contains(*kind)).collect();
    assert!(missing.is_empty(), "no fixture shows {missing:?}");
}

#[test]
fn a_changed_seqf_level_is_said_in_plain_words() {
    let run = diff_fixture(&fixtures("diff").into_iter().find(|f| f.ends_with("tasks-and-areas")).unwrap(), &[]);
    assert!(
        run.stdout.contains("~ task grasklippning \"Klippa gräs med åkgräsklippare\": SeQF level: 2 skills → 3 skills"),
        "{}",
        run.stdout
    );
}

#[test]
fn changes_in_a_base_framework_show_in_its_tailoring_marked_with_where_they_come_from() {
    let fixture = fixtures("diff").into_iter().find(|f| f.ends_with("tailoring-base-changed")).unwrap();
    let run = diff_fixture(&fixture, &[]);
    assert!(run.stdout.contains("SeQF level: 2 skills → 3 skills (defined in park)"), "{}", run.stdout);
    // The tailoring removed `vinter` before and does not have `lekplatser` after: neither shows up.
    assert!(!run.stdout.contains("vinter") && !run.stdout.contains("lekplatser"), "{}", run.stdout);
}

#[test]
fn the_impact_lists_removed_references_by_line_and_changed_certificates() {
    let fixture = fixtures("diff").into_iter().find(|f| f.ends_with("impact")).unwrap();
    let run = diff_fixture(&fixture, &["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let impact = &value["impact"];
    assert_eq!(impact["unchanged"], 1);
    let amal = &impact["assessments"][0];
    assert_eq!(amal["participant"], "Amal Hassan");
    let reference = &amal["removed_references"][0];
    assert_eq!((reference["line"].as_u64(), reference["column"].as_u64()), (Some(10), Some(8)));
    assert_eq!(reference["id"], "krattning");
    assert_eq!(amal["certificate"]["seqf_before"], 2);
    assert_eq!(amal["certificate"]["seqf_after"], 1);
    let skipped: Vec<&str> =
        impact["skipped"].as_array().unwrap().iter().map(|s| s["file"].as_str().unwrap()).collect();
    assert_eq!(skipped, ["assessments/broken.kub"], "an assessment of another framework is left out silently");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Kub Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn a_version_is_read_from_git_with_the_library_it_includes_at_that_revision() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let fixture = fixtures("diff").into_iter().find(|f| f.ends_with("included-library-changed")).unwrap();
    crate::support::copy_dir(&fixture.join("old"), root);
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "First version"]);
    // The framework file stays the same; only the library it includes changes.
    std::fs::copy(fixture.join("new/shared/kompetenser.kub"), root.join("shared/kompetenser.kub")).unwrap();
    git(root, &["commit", "--quiet", "-am", "Competences revised"]);

    let run = kub_in(root, &["diff", "HEAD~1:stad.kub", "stad.kub"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("stad 4.0 (HEAD~1:stad.kub) → stad 4.0 (stad.kub): 6 changes"), "{}", run.stdout);
    assert!(
        run.stdout.contains("+ competence sakerhet \"Säkerhet\": added (defined in kompetenser)"),
        "{}",
        run.stdout
    );

    let both = kub_in(root, &["diff", "HEAD~1:stad.kub", "HEAD:stad.kub"]);
    assert_eq!(both.stdout.replace("HEAD:stad.kub", "stad.kub"), run.stdout);

    let same = kub_in(root, &["diff", "HEAD:stad.kub", "stad.kub"]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);

    let unknown = kub_in(root, &["diff", "no-such-revision:stad.kub", "stad.kub"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("no-such-revision:stad.kub"), "{}", unknown.stderr);
}

#[test]
fn a_framework_with_errors_is_shown_with_its_diagnostics_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixtures("diff").into_iter().find(|f| f.ends_with("tasks-and-areas")).unwrap();
    crate::support::copy_dir(&fixture, dir.path());
    let broken = std::fs::read_to_string(dir.path().join("new/park.kub")).unwrap().replace("seqf 3 skills", "seqf 9");
    std::fs::write(dir.path().join("new/park.kub"), broken).unwrap();
    let run = kub_in(dir.path(), &["diff", "old/park.kub", "new/park.kub"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("error[K0208]"), "{}", run.stderr);
    assert!(run.stderr.contains("new/park.kub cannot be compared until its errors are fixed"), "{}", run.stderr);
}

#[test]
fn a_wrong_argument_is_a_usage_error() {
    let fixture = fixtures("diff").into_iter().find(|f| f.ends_with("impact")).unwrap();
    let missing = kub_in(&fixture, &["diff", "old/park.kub", "new/nothing.kub"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("new/nothing.kub does not exist"), "{}", missing.stderr);
    let assessment = kub_in(&fixture, &["diff", "old/park.kub", "assessments/li-wei.kub"]);
    assert_eq!(assessment.code, 2);
    assert!(assessment.stderr.contains("is an assessment"), "{}", assessment.stderr);
}

#[test]
fn a_tailoring_can_be_compared_with_the_framework_it_extends_beside_it() {
    let run = crate::support::kub(&["diff", "frameworks/slottsskogen.kub", "frameworks/park-och-natur.kub"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("~ extends: park-och-natur 2.1 → none"), "{}", run.stdout);
    assert!(run.stdout.contains("+ task rojsag \"Röja sly med röjsåg\": added"), "{}", run.stdout);
}

#[test]
fn a_copy_of_the_same_version_beside_the_original_does_not_clash_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixtures("diff").into_iter().find(|f| f.ends_with("tasks-and-areas")).unwrap();
    let original = std::fs::read_to_string(fixture.join("old/park.kub")).unwrap();
    std::fs::write(dir.path().join("park.kub"), &original).unwrap();
    std::fs::write(dir.path().join("park-draft.kub"), original.replace("seqf 3\n", "seqf 4\n")).unwrap();
    let run = kub_in(dir.path(), &["diff", "park.kub", "park-draft.kub"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("task beskarning \"Beskära buskar\": SeQF level: 3 → 4"), "{}", run.stdout);
}

#[test]
fn a_declared_rename_is_one_renamed_item_and_its_ratings_still_count() {
    let project = crate::support::repo_root().join("tests/projects/renames");
    let run = kub_in(
        &project,
        &["diff", "frameworks/park-demo-1.1.kub", "frameworks/park-demo-2.0.kub", "--assessments", "assessments"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("task beskarning \"Beskära buskar\": renamed from beskarnig to beskarning"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("competence samarbetsformaga \"Samarbete\": renamed from samarbete to samarbetsformaga")
    );
    assert!(!run.stdout.contains("task beskarning \"Beskära buskar\": added"), "{}", run.stdout);
    // The participants rated the renamed items under their old ids; the
    // certificate still counts them, so they are neither lost nor gained.
    assert!(!run.stdout.contains("achieved: beskarnig"), "{}", run.stdout);
    assert!(!run.stdout.contains("achieved: samarbete"), "{}", run.stdout);
    assert!(run.stdout.contains("task rojsag is removed in the new version"), "{}", run.stdout);
}
