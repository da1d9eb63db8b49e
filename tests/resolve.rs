//! Where checks run: the font-coverage check is part of `check::check`, so a
//! caller of the library gets it without asking; errors found while
//! resolving break a framework and every tailoring of it.

use std::path::{Path, PathBuf};

use kub::diagnostic::Code;

use crate::support::{copy_dir, kub_in, repo_root};

/// The bundled frameworks and one example assessment whose participant is
/// called `name`.
fn project_with_participant(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    let assessment = std::fs::read_to_string(repo_root().join("examples/slottsskogen/amal-hassan.kub")).unwrap();
    assert!(assessment.contains("\"أمل حسن\""), "the example names its participant");
    let path = dir.path().join("deltagare.kub");
    std::fs::write(&path, assessment.replace("\"أمل حسن\"", &format!("\"{name}\""))).unwrap();
    (dir, path)
}

fn check(dir: &Path, path: &Path) -> kub::check::Checked {
    let project = kub::project::Project::discover(dir).unwrap();
    kub::check::check(project.workspace(&[path.to_path_buf()]))
}

#[test]
fn check_itself_stops_a_character_no_bundled_font_can_draw() {
    let (dir, path) = project_with_participant("Amal Hassan 🌳");
    let checked = check(dir.path(), &path);
    let file = checked.workspace.file_id(&path).expect("the assessment is loaded");
    let glyphs: Vec<_> = checked.diagnostics.iter().filter(|d| d.code == Code::MissingGlyph).collect();
    assert_eq!(glyphs.len(), 1, "{:?}", checked.diagnostics);
    let at = glyphs[0].location.expect("the error points at the name");
    assert_eq!(at.file, file);
    let (line, column) = checked.workspace.sources.get(file).line_column(at.span.start);
    assert_eq!((line, column), (7, 13));
    assert!(glyphs[0].message.contains("`🌳` (U+1F333)"), "{}", glyphs[0].message);
    let entry = checked.assessments.iter().find(|a| a.file == file).expect("the assessment is checked");
    assert!(entry.has_errors, "an undrawable name keeps the assessment from a certificate");
}

#[test]
fn a_drawable_name_leaves_the_assessment_ready() {
    let (dir, path) = project_with_participant("Олена Коваленко");
    let checked = check(dir.path(), &path);
    assert!(!checked.diagnostics.iter().any(|d| d.code == Code::MissingGlyph), "{:?}", checked.diagnostics);
    let file = checked.workspace.file_id(&path).unwrap();
    assert!(!checked.assessments.iter().find(|a| a.file == file).unwrap().has_errors);
}

/// A framework rating its tasks with `rate_with`, and a tailoring of it
/// with an empty area of its own.
fn framework_and_tailoring(rate_with: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "base.kub",
        &format!(
            "framework base \"Bas\"\nversion 1.0\nlanguages sv\nrate tasks with {rate_with}\n\
             scale ja-nej \"Ja eller nej\" {{\n  level nej \"Nej\"\n  level ja \"Ja\"\n}}\n\
             area a \"A\" {{\n  task t \"T\" {{ scale ja-nej }}\n}}\n\
             certificate {{\n  achieved ja-nej from ja\n  seqf all-required\n}}\n"
        ),
    );
    write("tailoring.kub", "framework tailoring \"Anpassning\"\nversion 1.0\nextends base 1.0\narea tom \"Tom\" { }\n");
    dir
}

#[test]
fn an_error_found_while_resolving_breaks_the_tailorings_of_the_framework() {
    let dir = framework_and_tailoring("saknas");
    let run = kub_in(dir.path(), &["check", "--format", "short", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "base.kub:4:17: error[K0214]: there is no scale `saknas`\n");

    // Resolved, the tailoring is judged too.
    let dir = framework_and_tailoring("ja-nej");
    let run = kub_in(dir.path(), &["check", "--format", "short", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "tailoring.kub:4:6: warning[K0224]: the area `tom` has no tasks\n");
}
