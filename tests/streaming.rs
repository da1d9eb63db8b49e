//! Checking and building many participants: each rated item is looked up
//! once and judged by its first rating at an occasion, and a plan makes
//! each participant's progression when a document needs it, in that
//! document's language.

use std::path::Path;

use crate::support::{kub, repo_root};

/// The codes and lines of `kub check --format json` on `file`.
fn codes_and_lines(file: &Path) -> Vec<(String, u64)> {
    let run = kub(&["check", file.to_str().unwrap(), "--format", "json"]);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON diagnostics");
    diagnostics
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
        .collect()
}

/// An assessment of park-och-natur whose follow-up rates `trimning` at
/// `levels`, one line each, after `med-stod` at the mapping.
fn pruning_rated(levels: &[&str]) -> String {
    let mut text = String::from(
        "assessment follows park-och-natur 2.1\n\nparticipant \"Amal Hassan\"\nworkplace \"Slottsskogen\"\n\
         supervisor \"Kent Olsson\" role \"Arbetsledare\"\nperiod 2026-02-02 to 2026-10-30\n\n\
         occasion mapping 2026-02-05 by \"Kent Olsson\" {\n  task trimning med-stod\n}\n\
         occasion follow-up 2026-05-12 by \"Kent Olsson\" {\n",
    );
    for level in levels {
        text.push_str(&format!("  task trimning {level}\n"));
    }
    text.push_str("}\n");
    text
}

#[test]
fn an_item_rated_twice_at_an_occasion_is_compared_by_its_first_rating() {
    let dir = tempfile::tempdir_in(repo_root().join("target")).unwrap();
    let file = dir.path().join("twice.kub");

    // The first rating is lower than the mapping's: the warning is on it,
    // and the second rating is an error, not compared again.
    std::fs::write(&file, pruning_rated(&["introducerad", "handleder"])).unwrap();
    let found = codes_and_lines(&file);
    assert!(found.contains(&("K0412".into(), 12)), "{found:?}");
    assert!(found.contains(&("K0406".into(), 13)), "{found:?}");
    assert_eq!(found.iter().filter(|(code, _)| code == "K0412").count(), 1, "{found:?}");

    // The first rating is not lower, so the lower second one is only rated twice.
    std::fs::write(&file, pruning_rated(&["handleder", "introducerad"])).unwrap();
    let found = codes_and_lines(&file);
    assert!(found.contains(&("K0406".into(), 13)), "{found:?}");
    assert!(!found.iter().any(|(code, _)| code == "K0412"), "{found:?}");
}

/// The rows of a CSV that kub wrote, split at `;`.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.trim_start_matches('\u{feff}').lines().map(|line| line.split(';').map(str::to_string).collect()).collect()
}

#[test]
fn a_participant_reading_english_is_summarised_in_the_frameworks_swedish() {
    let out = tempfile::tempdir().unwrap();
    let args = ["build", "examples", "--out", out.path().to_str().unwrap(), "--only", "summary,progress"];
    let run = kub(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mowing = |path: &Path| {
        rows(path).into_iter().find(|row| row.contains(&"grasklippning".to_string())).expect("a mowing row")
    };
    // Olena reads English: her progression report is in English ...
    let own = mowing(&out.path().join("progress/olena-kovalenko-slottsskogen.csv"));
    assert!(own.contains(&"Mow grass with a ride-on mower".to_string()), "{own:?}");
    // ... and the cohort's summary, in the framework's Swedish, has her row in Swedish.
    let summary = rows(&out.path().join("summaries/slottsskogen-1-0.csv"));
    let hers = summary
        .iter()
        .find(|row| row[0] == "Олена Коваленко" && row.contains(&"grasklippning".to_string()))
        .expect("Olena's mowing row in the summary");
    assert!(hers.contains(&"Klippa gräs med åkgräsklippare".to_string()), "{hers:?}");
    assert_eq!(summary[0][0], "Deltagare");
    // Both are the same rating, achieved.
    assert!(hers.contains(&"Ja".to_string()) && own.contains(&"Yes".to_string()), "{hers:?} {own:?}");
}
