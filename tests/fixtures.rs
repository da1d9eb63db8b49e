//! One broken file (or folder) per mistake; each gets a snapshot of what
//! `kub check` says about it, and must name the codes it expects.

use crate::support::{expected_codes, fixtures, kub, repo_root};

fn check_fixtures(kind: &str) {
    let entries = fixtures(kind);
    assert!(!entries.is_empty(), "no fixtures in tests/fixtures/{kind}");
    for fixture in entries {
        let relative = fixture.strip_prefix(repo_root()).unwrap().to_string_lossy().replace('\\', "/");
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let run = kub(&["check", &relative]);
        let expected = expected_codes(&fixture);
        assert!(!expected.is_empty(), "{relative} does not say `# expect: CODE`");
        for code in &expected {
            assert!(
                run.stderr.contains(&format!("[{code}]")),
                "{relative} should report {code}, but kub said:\n{}",
                run.stderr
            );
        }
        let errors_expected = !run.stderr.contains(" 0 errors");
        assert_eq!(run.code, if errors_expected { 1 } else { 0 }, "{relative}: exit code\n{}", run.stderr);
        insta::with_settings!({
            snapshot_path => format!("snapshots/{kind}"),
            prepend_module_to_snapshot => false,
            description => relative.clone(),
            omit_expression => true,
            // The project's own frameworks are counted too; their number is not the point.
            filters => vec![(r"checked \d+ files?", "checked [N] files")],
        }, {
            insta::assert_snapshot!(name, run.stderr);
        });
    }
}

#[test]
fn broken_frameworks_are_reported() {
    check_fixtures("framework");
}

#[test]
fn broken_assessments_are_reported() {
    check_fixtures("assessment");
}

#[test]
fn diagnostics_as_json_have_positions_codes_and_hints() {
    let run = kub(&["check", "tests/fixtures/framework/seqf-level-out-of-range.kub", "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let first = &diagnostics[0];
    assert_eq!(first["code"], "K0208");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().unwrap() > 0);
    assert!(first["column"].as_u64().unwrap() > 0);
    assert!(first["end_column"].as_u64().is_some());
    assert!(first["file"].as_str().unwrap().ends_with("seqf-level-out-of-range.kub"));
    assert!(!first["hints"].as_array().unwrap().is_empty());
}
