//! Names in two scripts, several signers, blank names, documents in
//! Norwegian, `kub new framework` without `--extends`, and the diagnostics a
//! workshop trial asked for.

use std::path::Path;

use crate::support::{copy_dir, kub_in, pdf_text, repo_root};

fn project_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    dir
}

fn norwegian_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/projects/norwegian"), dir.path());
    dir
}

/// The codes `kub check --format json` reports for `paths`, with their line and column.
fn codes(dir: &Path, paths: &[&str]) -> Vec<(String, u64, u64)> {
    let mut args = vec!["check", "--format", "json"];
    args.extend(paths);
    let run = kub_in(dir, &args);
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    diagnostics
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_string();
            (code, d["line"].as_u64().unwrap_or(0), d["column"].as_u64().unwrap_or(0))
        })
        .collect()
}

#[test]
fn a_new_assessment_with_a_latin_form_is_named_after_it() {
    let project = project_copy();
    let run = kub_in(
        project.path(),
        &[
            "new",
            "assessment",
            "--framework",
            "slottsskogen",
            "--participant",
            "أمل حسن",
            "--latin",
            "Amal Hassan",
            "--date",
            "2026-03-02",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("wrote amal-hassan.kub"), "not name-<hash>.kub: {}", run.stderr);
    let written = std::fs::read_to_string(project.path().join("amal-hassan.kub")).unwrap();
    assert!(written.contains("participant \"أمل حسن\" latin \"Amal Hassan\""), "{written}");
    assert!(written.contains("language sv          # the certificate's language: sv, da, en or nb"), "{written}");
    // The placeholders are reminders while the placement runs, not errors.
    let check = kub_in(project.path(), &["check", "amal-hassan.kub"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("warning[K0432]: the workplace is blank"), "{}", check.stderr);
    let format = kub_in(project.path(), &["fmt", "--check", "amal-hassan.kub"]);
    assert_eq!(format.code, 0, "kub new writes files in kub fmt's layout: {}", format.stderr);
}

#[test]
fn a_certificate_in_norwegian_shows_both_scripts_and_every_signer_once() {
    let project = norwegian_project();
    let check = kub_in(project.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("0 errors, 0 warnings; 1 of 1 assessments ready"), "{}", check.stderr);

    let build = kub_in(project.path(), &["build", "assessments", "--out", "out", "--format", "pdf"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // The Latin form names the files; the Cyrillic name would need a hash.
    let pdf = project.path().join("out/certificates/oksana-melnyk-renhold.pdf");
    let text = pdf_text(&pdf);
    for expected in [
        "KOMPETANSEBEVIS",
        "Oksana Melnyk",
        "Оксана Мельник",
        "OPPNÅDDE ARBEIDSOPPGAVER",
        "Ingrid Haugen, Renholdsleder 12. juni 2026",
        "Kari Berg, Enhetsleder 15. juni 2026",
        "Per Nilsen, Fagarbeider 15. juni 2026",
        "Verifiseringskode",
    ] {
        assert!(text.contains(expected), "`{expected}` not in the certificate:\n{text}");
    }
    assert!(text.find("Oksana Melnyk") < text.find("Оксана Мельник"), "the Latin form comes first:\n{text}");
    // Both supervisors signed: neither is listed again as a supervisor.
    assert_eq!(text.matches("Ingrid Haugen").count(), 1, "{text}");
    assert_eq!(text.matches("Per Nilsen").count(), 1, "{text}");
    assert!(!text.contains("Veileder "), "{text}");

    let show = kub_in(project.path(), &["show", "assessments/oksana-melnyk.kub"]);
    let data: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(data["participant"]["latin"], "Oksana Melnyk");
    assert_eq!(data["cosigned"][0]["role"], "Enhetsleder");
    assert_eq!(data["cosigned"][1]["name"], "Per Nilsen");
}

#[test]
fn a_blank_name_stops_the_certificate_of_a_signed_assessment() {
    let project = norwegian_project();
    let file = project.path().join("assessments/oksana-melnyk.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("workplace \"Halden sykehus, renholdsavdelingen\"", "workplace \"\"")).unwrap();
    assert_eq!(codes(project.path(), &["assessments"]), [("K0433".to_string(), 6, 11)]);
    let check = kub_in(project.path(), &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("0 of 1 assessments ready"), "{}", check.stderr);
    let build = kub_in(project.path(), &["build", "assessments", "--out", "out", "--format", "pdf"]);
    assert!(!project.path().join("out/certificates/oksana-melnyk-renhold.pdf").exists(), "{}", build.stderr);
}

#[test]
fn a_person_signs_once_and_every_signature_follows_the_final_assessment() {
    let project = norwegian_project();
    let file = project.path().join("assessments/oksana-melnyk.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    let twice = text.replace(
        "signed \"Per Nilsen\" 2026-06-15",
        "signed \"per  nilsen\" 2026-06-15\nsigned \"Per Nilsen\" 2026-06-16",
    );
    std::fs::write(&file, twice).unwrap();
    assert_eq!(codes(project.path(), &["assessments"]), [("K0431".to_string(), 37, 1)]);
    let early = text.replace("role \"Enhetsleder\" 2026-06-15", "role \"Enhetsleder\" 2026-06-01");
    std::fs::write(&file, early).unwrap();
    assert_eq!(codes(project.path(), &["assessments"]), [("K0411".to_string(), 35, 39)]);
}

#[test]
fn kub_fmt_keeps_the_latin_form_and_the_signers_roles() {
    let project = norwegian_project();
    let file = project.path().join("assessments/oksana-melnyk.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    let squeezed = text.replace("latin \"Oksana Melnyk\" {", "latin   \"Oksana Melnyk\"\n{").replace(
        "signed \"Kari Berg\" role \"Enhetsleder\" 2026-06-15",
        "signed \"Kari Berg\"\n  role \"Enhetsleder\"   2026-06-15",
    );
    std::fs::write(&file, squeezed).unwrap();
    let format = kub_in(project.path(), &["fmt", "assessments"]);
    assert_eq!(format.code, 0, "{}", format.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "kub fmt restores the canonical layout");
}

#[test]
fn a_new_industry_framework_includes_the_shared_libraries_and_checks_with_placeholder_warnings() {
    let project = project_copy();
    let run = kub_in(project.path(), &["new", "framework", "aldreomsorg", "--title", "Äldreomsorg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(project.path().join("frameworks/aldreomsorg.kub")).unwrap();
    for expected in [
        "framework aldreomsorg \"Äldreomsorg\"",
        "include \"shared/generella-kompetenser.kub\"",
        "include \"shared/arbetsplatssvenska.kub\"",
        "rate tasks with kub",
        "achieved kub from sjalvstandigt",
    ] {
        assert!(written.contains(expected), "`{expected}` missing:\n{written}");
    }
    let found = codes(project.path(), &["frameworks/aldreomsorg.kub"]);
    assert!(!found.is_empty() && found.iter().all(|(code, _, _)| code == "K0235"), "{found:?}");
    let check = kub_in(project.path(), &["check", "frameworks/aldreomsorg.kub"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let show = kub_in(project.path(), &["show", "aldreomsorg", "--format", "json"]);
    let framework: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(framework["competences"].as_array().map(Vec::len), Some(10), "the general competences are included");
    assert_eq!(framework["tracks"].as_array().map(Vec::len), Some(5), "the language tracks are included");
}

#[test]
fn an_assessment_with_syntax_errors_counts_among_those_not_ready() {
    let project = norwegian_project();
    std::fs::write(
        project.path().join("assessments/broken.kub"),
        "assessment follows renhold 1.0\n\nparticipant \"Sara Lind\"\nperiod 2026-01-12 to\n",
    )
    .unwrap();
    let check = kub_in(project.path(), &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("; 1 of 2 assessments ready for a certificate"), "{}", check.stderr);
}

#[test]
fn a_lowered_rating_with_a_comment_shows_the_quoted_note_that_counts() {
    let project = norwegian_project();
    let file = project.path().join("assessments/oksana-melnyk.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    let lowered = text.replace(
        "  competence punktlighet selvstendig\n  milestone melder-muntlig",
        "  competence punktlighet med-stotte # lang reisevei etter flyttingen\n  milestone melder-muntlig",
    );
    std::fs::write(&file, &lowered).unwrap();
    let check = kub_in(project.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("warning[K0412]"), "{}", check.stderr);
    let fix = "`competence punktlighet med-stotte \"lang reisevei etter flyttingen\"`";
    assert!(check.stderr.contains(fix), "{}", check.stderr);
    // The quoted note it suggests is what silences the warning.
    std::fs::write(
        &file,
        lowered.replace("med-stotte # lang reisevei etter flyttingen", "med-stotte \"lang reisevei etter flyttingen\""),
    )
    .unwrap();
    let check = kub_in(project.path(), &["check"]);
    assert!(!check.stderr.contains("K0412"), "{}", check.stderr);
}

#[test]
fn a_mistyped_language_code_is_followed_by_one_warning_not_one_per_text() {
    let found = codes(&repo_root(), &["tests/fixtures/framework/wrong-language-code-with-texts.kub"]);
    let codes: Vec<&str> = found.iter().map(|(code, _, _)| code.as_str()).collect();
    assert_eq!(codes, ["K0207", "K0204"], "{found:?}");
}
