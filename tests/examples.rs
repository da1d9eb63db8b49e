//! The bundled example cohort: it checks with only the intended warnings,
//! and every participant's progression model is pinned.

use std::path::PathBuf;

use crate::support::{kub, repo_root};

fn example_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in std::fs::read_dir(repo_root().join("examples")).unwrap() {
        let folder = folder.unwrap().path();
        if folder.is_dir() {
            for file in std::fs::read_dir(&folder).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_some_and(|e| e == "kub") {
                    files.push(file);
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_examples_check_with_only_the_intended_warnings() {
    let run = kub(&["check", "examples", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["code"].as_str().unwrap().to_string()))
        .collect();
    // asa-oberg.kub says at its top that it carries these on purpose.
    let intended = vec![
        ("examples/park-och-natur/asa-oberg.kub".to_string(), "K0409".to_string()),
        ("examples/park-och-natur/asa-oberg.kub".to_string(), "K0412".to_string()),
    ];
    let mut found_sorted = found.clone();
    found_sorted.sort();
    assert_eq!(found_sorted, intended, "unexpected diagnostics: {}", run.stdout);
}

#[test]
fn the_cohort_is_varied_enough_to_show_what_kub_does() {
    let files = example_files();
    assert!(files.len() >= 9, "at least nine assessments");
    let mut frameworks = std::collections::BTreeSet::new();
    let mut scripts = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        frameworks.insert(text.lines().find(|l| l.starts_with("assessment follows")).unwrap().to_string());
        let name = text.lines().find(|l| l.trim_start().starts_with("participant")).unwrap();
        for c in name.chars() {
            let script = match c as u32 {
                0x0600..=0x06FF => "arabic",
                0x1200..=0x137F => "ethiopic",
                0x0400..=0x04FF => "cyrillic",
                0x00C0..=0x00FF => "latin with diacritics",
                _ => continue,
            };
            scripts.insert(script);
        }
        let occasions = text.lines().filter(|l| l.starts_with("occasion")).count();
        assert!(occasions >= 3 || file.ends_with("asa-oberg.kub"), "{} has {occasions} occasions", file.display());
    }
    assert!(frameworks.len() >= 3, "{frameworks:?}");
    assert_eq!(scripts.len(), 4, "{scripts:?}");
}

#[test]
fn every_example_participant_has_a_pinned_progression() {
    for file in example_files() {
        let relative = file.strip_prefix(repo_root()).unwrap().to_string_lossy().replace('\\', "/");
        let run = kub(&["show", &relative]);
        assert_eq!(run.code, 0, "{relative}: {}", run.stderr);
        let progression: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let name = relative.trim_start_matches("examples/").trim_end_matches(".kub").replace('/', "__");
        insta::assert_json_snapshot!(format!("progression__{name}"), progression);
    }
}

#[test]
fn a_tailoring_removes_what_the_workplace_does_not_do() {
    let run = kub(&["show", "examples/slottsskogen/amal-hassan.kub"]);
    let progression: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let tasks: Vec<&str> = progression["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["tasks"].as_array().unwrap())
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(!tasks.contains(&"rojsag"), "slottsskogen removes the brush cutter task");
    assert!(tasks.contains(&"beskarning"));
}

#[test]
fn a_generated_cohort_checks_clean_for_every_framework() {
    let mut workspace = kub::model::Workspace::new();
    workspace.load(&repo_root().join("frameworks"));
    let checked = kub::check::check(workspace.clone());
    for id in ["park-och-natur", "slottsskogen", "kulturtolk-forskola", "lager-og-logistik", "sprakvalidering"] {
        let framework = checked.resolution.find_by_id(id).unwrap();
        let mut cohort = workspace.clone();
        for seed in 0..20 {
            let (_, text) = kub::scaffold::sample_assessment(framework, seed);
            cohort.add_source(format!("generated/{id}-{seed}.kub"), text);
        }
        let result = kub::check::check(cohort);
        assert!(result.diagnostics.is_empty(), "{id}: {:?}", result.diagnostics.iter().next());
        assert_eq!(result.assessments.len(), 20);
    }
}

#[test]
fn a_progression_sealed_once_as_issued_is_the_progression_sealed_as_made() {
    let mut workspace = kub::model::Workspace::new();
    workspace.load(&repo_root().join("frameworks"));
    workspace.load(&repo_root().join("examples"));
    let checked = kub::check::check(workspace);
    assert!(checked.assessments.len() >= 10, "the examples are read");
    for entry in &checked.assessments {
        let framework = kub::check::framework_for(&entry.assessment, &checked.resolution).unwrap();
        let lang = kub::report::document_language(&entry.assessment, framework, None);
        let sealed = kub::report::progression(&entry.assessment, framework, lang);
        let unsealed = kub::report::unsealed_progression(&entry.assessment, framework, lang);
        assert_eq!(unsealed.verification_code, "", "only sealing computes the code");
        let issued = serde_json::to_value(unsealed.into_issued(None)).unwrap();
        assert_eq!(issued, serde_json::to_value(&sealed).unwrap());
        let by_organisation = sealed.into_issued(Some("Exempelkommunen"));
        assert_ne!(by_organisation.verification_code, issued["verification_code"], "the code covers the issuer");
    }
}
