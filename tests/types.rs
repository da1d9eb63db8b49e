//! Values that cross stages as types: a scale a library leaves to the
//! framework that includes it is no scale at all, not an empty name.

use std::path::Path;

use crate::support::kub_in;

/// A project whose one library names no scale for its task and competence.
fn library_without_scales() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("frameworks")).unwrap();
    let library = "library delad \"Delad\"\nlanguages sv\n\ncompetence samarbete \"Samarbete\"\n\n\
                   area grund \"Grund\" {\n  task sopa \"Sopa golvet\"\n}\n";
    std::fs::write(dir.path().join("frameworks/delad.kub"), library).unwrap();
    dir
}

fn show(dir: &Path, args: &[&str]) -> String {
    let run = kub_in(dir, args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn a_library_that_leaves_the_scale_to_its_framework_shows_no_scale() {
    let dir = library_without_scales();
    let outline = show(dir.path(), &["show", "delad"]);
    assert!(outline.contains("  task sopa  Sopa golvet\n"), "{outline}");
    assert!(outline.contains("  samarbete  Samarbete\n"), "{outline}");
    assert!(!outline.contains("scale"), "{outline}");

    let json: serde_json::Value =
        serde_json::from_str(&show(dir.path(), &["show", "delad", "--format", "json"])).unwrap();
    assert_eq!(json["areas"][0]["tasks"][0]["scale"], serde_json::Value::Null);
    assert_eq!(json["competences"][0]["scale"], serde_json::Value::Null);
}

#[test]
fn a_framework_including_the_library_gives_its_items_the_default_scale() {
    let dir = library_without_scales();
    let framework = "framework lokal \"Lokal\"\nversion 1.0\nlanguages sv\ninclude \"delad.kub\"\n\
                     rate tasks with ja-nej\nrate competences with ja-nej\n\n\
                     scale ja-nej \"Ja eller nej\" {\n  level nej \"Nej\"\n  level ja \"Ja\"\n}\n\n\
                     certificate {\n  achieved ja-nej from ja\n}\n";
    std::fs::write(dir.path().join("frameworks/lokal.kub"), framework).unwrap();
    let outline = show(dir.path(), &["show", "lokal"]);
    assert!(outline.contains("  task sopa  Sopa golvet  [scale ja-nej, from delad]\n"), "{outline}");
    assert!(outline.contains("  samarbete  Samarbete  [scale ja-nej]\n"), "{outline}");
}
