//! Output names: stable for each participant whatever else is built, never
//! taken from another participant, never holding a personal identity
//! number; and kub.toml's language as a default only.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::support::{Run, kub_in};

const FRAMEWORK: &str = r#"framework verkstad "Verkstad" da "Værksted"
version 1.0
languages sv da
rate tasks with steg

scale steg "Steg" da "Trin" {
  level borjar "Börjar" da "Begynder"
  level klarar "Klarar" da "Klarer"
}

area arbete "Arbete" da "Arbejde" {
  task sortera "Sortera material" da "Sortere materialer" {
    criterion "Sorterar rätt" da "Sorterer rigtigt"
    required
  }
}

certificate {
  achieved steg from klarar
}
"#;

/// A project with a kub.toml, the framework above and no assessments yet.
fn project(settings: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kub.toml"), settings).unwrap();
    write(dir.path(), "frameworks/verkstad.kub", FRAMEWORK);
    dir
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A signed assessment of `name`; `details` goes inside the participant's
/// braces, and `year` sets the period.
fn assessment(name: &str, details: &str, year: u32) -> String {
    format!(
        r#"assessment follows verkstad 1.0

participant "{name}" {{ {details} }}
workplace "Verkstan"
supervisor "Kent Olsson" role "Handledare"
period {year}-02-02 to {year}-06-30

occasion final {year}-06-20 by "Kent Olsson" {{
  task sortera klarar
}}
signed "Kent Olsson" {year}-06-25
"#
    )
}

/// `kub build` of `paths` into `out` in the project, HTML and JSON only:
/// names are the point, not PDFs.
fn build(project: &Path, paths: &[&str], out: &str) -> Run {
    let mut args = vec!["build"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--out", out, "--format", "html,json"]);
    kub_in(project, &args)
}

/// Every file below `dir`, relative to it, with `/` between parts.
fn files_below(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                walk(&entry.path(), found);
            } else {
                found.push(entry.path());
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found);
    let mut names: Vec<String> =
        found.iter().map(|path| path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/")).collect();
    names.sort();
    names
}

/// The code a participant's name gets when the plain one belongs to someone
/// else: from the assessment file's path in the project.
fn code(relative: &str) -> String {
    Sha256::digest(relative.as_bytes()).iter().take(3).map(|byte| format!("{byte:02x}")).collect()
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

fn progress(out: &Path, stem: &str) -> String {
    std::fs::read_to_string(out.join("progress").join(format!("{stem}.html")))
        .unwrap_or_else(|error| panic!("progress/{stem}.html: {error}; the folder has {:?}", files_below(out)))
}

#[test]
fn a_participant_keeps_their_name_when_a_namesake_arrives() {
    let dir = project("");
    let root = dir.path();
    write(root, "assessments/svensk.kub", &assessment("Åsa Öberg", "", 2026));
    let first = build(root, &["assessments"], "out");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let out = root.join("out");
    assert!(progress(&out, "asa-oberg-verkstad").contains("2026"));

    // A namesake whose file would come first gets a name of their own.
    write(root, "assessments/aaa.kub", &assessment("Asa Oberg", "", 2025));
    let second = build(root, &["assessments"], "out");
    assert_eq!(second.code, 0, "{}", second.stderr);
    let newcomer = format!("asa-oberg-verkstad-{}", code("assessments/aaa.kub"));
    assert!(progress(&out, "asa-oberg-verkstad").contains("Åsa Öberg"), "the first keeps the plain name");
    assert!(progress(&out, &newcomer).contains("Asa Oberg"));
    assert_eq!(
        files_below(&out.join("progress")),
        sorted(vec!["asa-oberg-verkstad.html".into(), format!("{newcomer}.html")])
    );

    // Built again, or each alone, nobody's name moves.
    let listing = files_below(&out);
    for paths in [&["assessments"][..], &["assessments/aaa.kub"], &["assessments/svensk.kub"]] {
        let again = build(root, paths, "out");
        assert_eq!(again.code, 0, "{}", again.stderr);
        assert_eq!(files_below(&out), listing, "after building {paths:?}");
        assert!(progress(&out, "asa-oberg-verkstad").contains("Åsa Öberg"));
        assert!(progress(&out, &newcomer).contains("Asa Oberg"));
    }
}

#[test]
fn separate_builds_into_one_folder_never_overwrite_each_other() {
    let dir = project("");
    let root = dir.path();
    write(root, "group-a/asa.kub", &assessment("Åsa Öberg", r#"reference "A-1""#, 2026));
    write(root, "group-b/asa.kub", &assessment("Åsa Öberg", r#"reference "B-7""#, 2026));
    let out = root.join("shared");

    let first = build(root, &["group-a"], "shared");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let certificate = out.join("certificates/asa-oberg-verkstad.json");
    let before = std::fs::read(&certificate).unwrap();

    let second = build(root, &["group-b"], "shared");
    assert_eq!(second.code, 0, "{}", second.stderr);
    let theirs = format!("asa-oberg-verkstad-{}", code("group-b/asa.kub"));
    assert_eq!(std::fs::read(&certificate).unwrap(), before, "group a's certificate is untouched");
    assert!(std::fs::read_to_string(out.join(format!("certificates/{theirs}.json"))).unwrap().contains("B-7"));

    // The record of owners is hidden in the output folder.
    assert!(out.join(".kub/owners.json").is_file());
    // Deleting a participant's documents frees their name.
    for stem in ["certificates/asa-oberg-verkstad", "progress/asa-oberg-verkstad"] {
        for extension in ["html", "json"] {
            let _ = std::fs::remove_file(out.join(format!("{stem}.{extension}")));
        }
    }
    std::fs::remove_dir_all(root.join("group-a")).unwrap();
    let third = build(root, &["group-b"], "shared");
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_eq!(
        files_below(&out.join("certificates")),
        vec![format!("{theirs}.html"), format!("{theirs}.json")],
        "group b keeps its own name"
    );
}

#[test]
fn a_copy_in_a_backup_folder_is_warned_about_and_gets_its_own_name() {
    let dir = project("");
    let root = dir.path();
    let text = assessment("Åsa Öberg", "", 2026);
    write(root, "assessments/asa.kub", &text);
    write(root, "assessments/backup/asa.kub", &text);

    let check = kub_in(root, &["check", "assessments"]);
    assert_eq!(check.code, 0, "a warning: {}", check.stderr);
    assert!(check.stderr.contains("warning[K0428]"), "{}", check.stderr);
    assert!(check.stderr.contains("┌─ assessments/backup/asa.kub:3:13"), "at the copy: {}", check.stderr);
    assert!(check.stderr.contains("in assessments/asa.kub"), "names the original: {}", check.stderr);
    assert_eq!(check.stderr.matches("[K0428]").count(), 1, "{}", check.stderr);

    let run = build(root, &["assessments"], "out");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[K0428]"), "{}", run.stderr);
    let copy = format!("asa-oberg-verkstad-{}", code("assessments/backup/asa.kub"));
    assert_eq!(
        files_below(&root.join("out/certificates")),
        sorted(vec![
            "asa-oberg-verkstad.html".into(),
            "asa-oberg-verkstad.json".into(),
            format!("{copy}.html"),
            format!("{copy}.json"),
        ])
    );
}

#[test]
fn no_part_of_a_personal_number_reaches_names_documents_or_messages() {
    let dir = project("");
    let root = dir.path();
    // Names in scripts that have no Latin spelling here, so that the file
    // name is all there is to name the documents after.
    let files = [
        ("assessments/19811218-9876.kub", "أمل حسن", ""),
        ("assessments/811218-9876.kub", "ሰላም ተስፋይ", ""),
        ("assessments/811218+9876.kub", "خالد العمر", ""),
        ("assessments/8112189876.kub", "ዮናስ ገብረመድህን", ""),
        ("assessments/amal_811218-9876.kub", "فاطمة", ""),
        ("assessments/9876.kub", "ሰላም", ""),
        ("assessments/reference.kub", "Amal Hassan", r#"reference "19811218-9876""#),
        ("assessments/held.kub", "Omar Said", r#"personal-number "811218-9876""#),
    ];
    for (path, name, details) in files {
        write(root, path, &assessment(name, details, 2026));
    }
    let run = build(root, &["assessments"], "out");
    assert_eq!(run.code, 0, "{}", run.stderr);

    let out = root.join("out");
    let outputs = files_below(&out);
    assert!(outputs.len() >= 8 * 3, "{outputs:?}");
    for output in &outputs {
        assert!(!output.contains("9876") && !output.contains("811218"), "a file name: {output}");
        let text = std::fs::read_to_string(out.join(output)).unwrap();
        assert!(!text.contains("9876") && !text.contains("811218"), "the contents of {output}");
    }
    assert!(outputs.contains(&"progress/amal-verkstad.html".to_string()), "{outputs:?}");

    // Each file named after a number is warned about, at its first line,
    // without the digits; only the file's own path shows them.
    for path in ["19811218-9876", "811218-9876", "811218+9876", "8112189876", "amal_811218-9876"] {
        assert!(run.stderr.contains(&format!("┌─ assessments/{path}.kub:1:1")), "{path}: {}", run.stderr);
    }
    assert_eq!(run.stderr.matches("warning[K0426]").count(), 5, "{}", run.stderr);
    assert!(run.stderr.contains("`amal_XXXXXX-XXXX.kub`"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[K0427]"), "{}", run.stderr);
    assert!(run.stderr.contains("┌─ assessments/reference.kub:3:39"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[K0415]"), "{}", run.stderr);
    for line in run.stderr.lines().filter(|line| !line.contains("┌─")) {
        assert!(!line.contains("9876") && !line.contains("811218"), "a message or excerpt shows a number: {line}");
    }
}

#[test]
fn an_invalid_personal_number_is_not_echoed() {
    let dir = project("");
    let root = dir.path();
    write(root, "a.kub", &assessment("Omar Said", r#"personal-number "19811218-9875""#, 2026));
    write(root, "b.kub", &assessment("Aziz Said", r#"personal-number "12345""#, 2026));
    for format in ["human", "json", "short"] {
        let run = kub_in(root, &["check", ".", "--format", format]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(all.matches("K0414").count(), 2, "{format}: {all}");
        for digits in ["9875", "811218", "12345"] {
            assert!(!all.contains(digits), "{format} shows {digits}: {all}");
        }
    }
    let run = kub_in(root, &["check", "."]);
    assert!(run.stderr.contains("┌─ a.kub:3:43"), "{}", run.stderr);
    assert!(run.stderr.contains(r#"personal-number "XXXXXXXX-XXXX""#), "{}", run.stderr);
    assert!(run.stderr.contains(r#"personal-number "XXXXX""#), "{}", run.stderr);
}

#[test]
fn kub_toml_language_is_a_default_that_a_participant_overrides() {
    let dir = project("language = \"sv\"\n");
    let root = dir.path();
    write(root, "assessments/dansk.kub", &assessment("Søren Bøgh", "language da", 2026));
    write(root, "assessments/svensk.kub", &assessment("Åsa Öberg", "", 2026));
    let run = build(root, &["assessments"], "out");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = root.join("out");
    let danish = progress(&out, "soren-bogh-verkstad");
    assert!(danish.contains(r#"<html lang="da">"#) && danish.contains("Progressionsskema"), "{danish}");
    let swedish = progress(&out, "asa-oberg-verkstad");
    assert!(swedish.contains(r#"<html lang="sv">"#) && swedish.contains("Progressionsrapport"), "{swedish}");

    // `--lang` still forces every document.
    let forced = kub_in(root, &["build", "assessments", "--out", "forced", "--format", "html", "--lang", "sv"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(progress(&root.join("forced"), "soren-bogh-verkstad").contains(r#"<html lang="sv">"#));
}

#[test]
fn kub_toml_language_is_not_used_for_a_framework_without_it() {
    let dir = project("language = \"en\"\n");
    let root = dir.path();
    write(root, "assessments/svensk.kub", &assessment("Åsa Öberg", "", 2026));
    let run = build(root, &["assessments"], "out");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let swedish = progress(&root.join("out"), "asa-oberg-verkstad");
    assert!(swedish.contains(r#"<html lang="sv">"#), "the framework's own language: {swedish}");
}

#[test]
fn an_unreadable_record_of_owners_is_reported_and_started_afresh() {
    let dir = project("");
    let root = dir.path();
    write(root, "assessments/asa.kub", &assessment("Åsa Öberg", "", 2026));
    let first = build(root, &["assessments"], "out");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let record = root.join("out/.kub/owners.json");
    std::fs::write(&record, "{ not json").unwrap();

    let second = build(root, &["assessments"], "out");
    assert_eq!(second.code, 0, "a warning only: {}", second.stderr);
    assert!(second.stderr.contains("warning[K0516]"), "{}", second.stderr);
    let text = std::fs::read_to_string(&record).unwrap();
    let owners: serde_json::Value = serde_json::from_str(&text).expect("the record is written again");
    assert!(owners["participants"]["asa-oberg-verkstad"].is_string(), "{text}");
    assert!(progress(&root.join("out"), "asa-oberg-verkstad").contains("Åsa Öberg"));

    let third = build(root, &["assessments"], "out");
    assert!(!third.stderr.contains("K0516"), "{}", third.stderr);
}

#[test]
fn kub_show_speaks_the_language_a_build_would() {
    let dir = project("language = \"da\"\n");
    let root = dir.path();
    write(root, "assessments/svensk.kub", &assessment("Åsa Öberg", "", 2026));
    write(root, "assessments/egen.kub", &assessment("Anna Berg", "language sv", 2026));
    for (file, expected) in [("assessments/svensk.kub", "da"), ("assessments/egen.kub", "sv")] {
        let run = kub_in(root, &["show", file]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let model: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(model["language"], expected, "{file}");
    }
}
