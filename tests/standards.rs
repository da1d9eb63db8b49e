//! kub's output against the standards it claims: every example's signed
//! credential against 1EdTech's Open Badges 3.0 JSON schema, and CASE
//! identifiers that an item keeps from one framework version to the next,
//! through a rename too. (The Europass export is checked against the EDC
//! SHACL shapes by `scripts/check-edc.sh`, which CI runs after the tests.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{SignedProject, kub_in, repo_root};

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The complaints of the pinned schema `name` about `value`, one line each.
fn schema_errors(name: &str, value: &Value) -> Vec<String> {
    let schema = read_json(&repo_root().join("tests/fixtures/interop").join(name));
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    validator.iter_errors(value).map(|error| format!("{error} at {}", error.instance_path())).collect()
}

/// The bundled frameworks and every example, with an issuer key made by
/// `kub key new` outside the project.
fn signed_examples() -> (tempfile::TempDir, PathBuf) {
    let project = SignedProject::new(
        &[("examples", "examples")],
        "",
        "name = \"Göteborgs Stad\"\nurl = \"https://goteborg.se\"\n",
    );
    (project.dir, project.root)
}

#[test]
fn every_example_credential_is_valid_against_the_open_badges_3_schema() {
    let (_dir, root) = signed_examples();
    let run = kub_in(&root, &["build", "examples", "--only", "certificate", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut credentials: Vec<PathBuf> = std::fs::read_dir(root.join("out/certificates"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".credential.json"))
        .collect();
    credentials.sort();
    // One credential for each issued certificate of the examples; drafts get none.
    assert_eq!(credentials.len(), 10, "{credentials:?}");
    for path in &credentials {
        let credential = read_json(path);
        let errors = schema_errors("ob_v3p0_achievementcredential_schema.json", &credential);
        assert!(errors.is_empty(), "{} breaks the Open Badges 3.0 schema:\n{}", path.display(), errors.join("\n"));
        assert!(credential.get("credentialSchema").is_none(), "credentialSchema changes the signed terms");
        assert_eq!(credential["proof"][0]["cryptosuite"], "eddsa-rdfc-2022");
    }
}

#[test]
fn the_schema_catches_what_a_credential_must_not_lack() {
    // A guard on the guard: the pinned schema really judges credentials.
    let (_dir, root) = signed_examples();
    let run = kub_in(&root, &["build", "examples/slottsskogen", "--only", "certificate", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = std::fs::read_dir(root.join("out/certificates"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(".credential.json"))
        .unwrap();
    let mut credential = read_json(&path);
    credential["credentialSubject"]["achievement"].as_object_mut().unwrap().remove("criteria");
    credential["@context"] = serde_json::json!(["https://www.w3.org/ns/credentials/v2"]);
    let errors = schema_errors("ob_v3p0_achievementcredential_schema.json", &credential);
    assert!(errors.iter().any(|e| e.contains("criteria")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("@context")), "{errors:?}");
}

/// A framework `lager` at `version`, with the task lines `tasks`.
fn lager(version: &str, tasks: &str, renames: &str) -> String {
    format!(
        "framework lager \"Lagerarbete\"\nversion {version}\nlanguages sv\n{renames}\
         scale enkel \"Enkel\" {{\n  level nej \"Nej\"\n  level ja \"Ja\"\n}}\nrate tasks with enkel\n\
         area lager \"Lager\" {{\n{tasks}}}\ncertificate {{\n  achieved enkel from ja\n}}\n"
    )
}

/// The CASE package `kub export` makes of `source`.
fn case_package(source: &str) -> Value {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("lager.kub"), source).unwrap();
    let run = kub_in(project.path(), &["export", "--format", "case", "lager", "--changed", "2026-05-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = project.path().join("out/case");
    let file = std::fs::read_dir(&folder).unwrap().next().unwrap().unwrap().path();
    let package = read_json(&file);
    let errors = schema_errors("case-v1p0-cfpackage-schema.json", &package);
    assert!(errors.is_empty(), "not a valid CASE 1.0 package:\n{}", errors.join("\n"));
    package
}

/// Each task's identifier, by the id the package writes for it.
fn task_identifiers(package: &Value) -> BTreeMap<String, String> {
    package["CFItems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["CFItemType"] == "Task")
        .map(|item| (item["humanCodingScheme"].as_str().unwrap().into(), item["identifier"].as_str().unwrap().into()))
        .collect()
}

#[test]
fn an_item_keeps_its_case_identifier_across_versions_and_renames() {
    let first = case_package(&lager("1.0", "  task plock \"Plocka order\"\n  task truck \"Köra truck\"\n", ""));
    let second = case_package(&lager(
        "2.0",
        "  task plock \"Plocka order med skanner\"\n  task motviktstruck \"Köra motviktstruck\"\n  task inventera \"Inventera\"\n",
        "renamed task truck to motviktstruck\n",
    ));
    assert_eq!(first["CFDocument"]["identifier"], second["CFDocument"]["identifier"], "the document's identifier");
    assert_eq!((&first["CFDocument"]["version"], &second["CFDocument"]["version"]), (&"1.0".into(), &"2.0".into()));

    let (before, after) = (task_identifiers(&first), task_identifiers(&second));
    // Changed wording, same item.
    assert_eq!(before["plock"], after["plock"]);
    assert_eq!(
        second["CFItems"].as_array().unwrap().iter().find(|i| i["humanCodingScheme"] == "plock").unwrap()["fullStatement"],
        "Plocka order med skanner"
    );
    // Renamed: the identifier of the id it had first.
    assert_eq!(before["truck"], after["motviktstruck"]);
    // New: an identifier of its own.
    assert!(!before.values().any(|id| *id == after["inventera"]));

    // The task's place in the tree and its rubric criterion keep their identifiers too.
    let child_of = |package: &Value, task: &str| -> String {
        package["CFAssociations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["associationType"] == "isChildOf" && a["originNodeURI"]["identifier"] == task)
            .map(|a| a["identifier"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(child_of(&first, &before["truck"]), child_of(&second, &after["motviktstruck"]));
    let criterion = |package: &Value, task: &str| -> String {
        package["CFRubrics"][0]["CFRubricCriteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["CFItemURI"]["identifier"] == task)
            .map(|c| c["identifier"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(criterion(&first, &before["truck"]), criterion(&second, &after["motviktstruck"]));
}
