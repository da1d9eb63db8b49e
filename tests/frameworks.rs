//! The bundled frameworks check clean, and their resolved models are pinned.

use crate::support::kub;

const FRAMEWORKS: &[&str] = &[
    "park-och-natur",
    "slottsskogen",
    "kulturtolk-forskola",
    "sprakvalidering",
    "lager-og-logistik",
    "generella-kompetenser",
    "arbetsplatssvenska",
];

#[test]
fn the_bundled_frameworks_have_no_errors_and_no_warnings() {
    let run = kub(&["check", "frameworks"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 errors, 0 warnings"), "{}", run.stderr);
}

#[test]
fn every_framework_resolves_to_its_pinned_model() {
    for id in FRAMEWORKS {
        let run = kub(&["show", id, "--format", "json"]);
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        let model: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        insta::assert_json_snapshot!(format!("resolved_{id}"), model);
    }
}

#[test]
fn every_framework_shows_as_a_tree() {
    for id in FRAMEWORKS {
        let run = kub(&["show", id]);
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        insta::assert_snapshot!(format!("outline_{id}"), run.stdout);
    }
}

#[test]
fn a_tailoring_shows_what_it_removed_and_changed() {
    let run = kub(&["show", "slottsskogen", "--lang", "en"]);
    assert!(run.stdout.contains("extends       park-och-natur 2.1"));
    assert!(run.stdout.contains("removed by tailoring"));
    assert!(run.stdout.contains("changed in slottsskogen"));
}
