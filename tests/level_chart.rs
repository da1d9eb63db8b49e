//! The progression report's chart of levels as a reader sees it: the means
//! kub computes, printed with the number formats of the string table, and
//! the shared blocks of `parts/facts.typ`, which a template folder may
//! replace.

use std::path::{Path, PathBuf};

use crate::support::{kub, pdf_text};

/// Khaled's tasks use a scale of five levels, his general competences the
/// KUB scale of four; his documents are in Danish.
const MIXED_SCALES: &str = "examples/lager-og-logistik/khaled-alomar.kub";

/// Builds Khaled's progression report with the template folder `templates`
/// (files and their texts) and returns the HTML and the PDF's text.
fn progress_report(templates: &[(&str, &str)]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let template_dir = dir.path().join("templates");
    for (name, text) in templates {
        let path = template_dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(&template_dir).unwrap();
    let out = dir.path().join("out");
    let run = kub(&[
        "build",
        MIXED_SCALES,
        "--out",
        out.to_str().unwrap(),
        "--only",
        "progress",
        "--format",
        "html,pdf",
        "--templates",
        template_dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(only_file(&out.join("progress"), "html")).unwrap();
    (html, pdf_text(&only_file(&out.join("progress"), "pdf")))
}

fn only_file(dir: &Path, extension: &str) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn each_row_is_printed_on_its_own_scale_with_the_languages_decimal_separator() {
    let (html, _) = progress_report(&[]);
    // The goods-receipt area's mean at the mapping, on the five-level scale.
    assert!(html.contains(">2,0</meter> <small>2,0 / 5</small>"), "{html}");
    // The general competences are on a scale of four, not on the tasks' one.
    assert!(html.contains("/ 4</small>"), "{html}");
}

#[test]
fn number_formats_come_from_the_string_table() {
    let strings = "[da]\ndecimal_separator = \"·\"\npercent = \"{percent} pct.\"\n";
    let (html, pdf) = progress_report(&[("strings.toml", strings)]);
    assert!(html.contains("<small>2·0 / 5</small>"), "{html}");
    // Tasks and competences use different scales, so the chart's axis is in
    // per cent rather than in one scale's levels.
    assert!(pdf.contains("25 pct. 50 pct. 75 pct. 100 pct."), "{pdf}");
}

#[test]
fn a_template_folder_may_replace_the_shared_fact_blocks() {
    let facts = "#let fact(label, value, label-size: 0.8em) = [Fact #label: #value]\n\
                 #let figure-card(value, label, size: 1.7em) = [Figure #value for #label]\n";
    let (_, pdf) = progress_report(&[("parts/facts.typ", facts)]);
    assert!(pdf.contains("Fact Periode: 5. januar 2026"), "{pdf}");
    assert!(pdf.contains("Figure 15 / 20 for Opnåede arbejdsopgaver"), "{pdf}");
}
