//! `kub build`: the documents of the example cohort, their sources pinned by
//! snapshots, their PDFs reproducible, archival and readable in every script.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{kub, kub_in, repo_root};

fn build(out: &Path, extra: &[&str]) -> crate::support::Run {
    let out = out.to_str().unwrap();
    let mut args = vec!["build", "examples", "--out", out];
    args.extend_from_slice(extra);
    kub(&args)
}

fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in walk(dir) {
        if entry.extension().is_some_and(|e| e == extension) {
            found.push(entry);
        }
    }
    found.sort();
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all
}

fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext from poppler-utils runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The whole documents pinned end to end, one of each kind and format; the
/// parts of the others are pinned in `document_parts.rs`.
const PINNED: &[&str] = &[
    "certificates/amal-hassan-slottsskogen.typ",
    "certificates/olena-kovalenko-slottsskogen.html",
    "progress/khaled-alomar-lager-og-logistik.typ",
    "progress/amal-hassan-slottsskogen.html",
    "checklists/slottsskogen-1-0.typ",
    "summaries/lager-og-logistik-1-0.typ",
];

#[test]
fn every_document_source_is_made_and_a_few_are_pinned() {
    let out = tempfile::tempdir().unwrap();
    let run = build(out.path(), &["--format", "typ,html,json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut sources = files_in(out.path(), "typ");
    sources.extend(files_in(out.path(), "html"));
    assert!(
        sources.len() >= 45,
        "sources of certificates, progress reports, checklists and summaries: {}",
        sources.len()
    );
    for pinned in PINNED {
        let text = std::fs::read_to_string(out.path().join(pinned)).unwrap();
        insta::assert_snapshot!(format!("document__{}", pinned.replace('/', "__")), text);
    }
}

#[test]
fn every_kind_of_document_is_made_for_the_examples() {
    let out = tempfile::tempdir().unwrap();
    let run = build(out.path(), &["--format", "pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let certificates = files_in(&out.path().join("certificates"), "pdf");
    let reports = files_in(&out.path().join("progress"), "pdf");
    let checklists = files_in(&out.path().join("checklists"), "pdf");
    let summaries = files_in(&out.path().join("summaries"), "pdf");
    assert_eq!(certificates.len(), 10, "every signed assessment but the running one");
    assert_eq!(reports.len(), 11, "every assessment");
    assert_eq!(checklists.len(), 5, "every framework");
    assert_eq!(summaries.len(), 6, "every framework followed, and park-och-natur across its workplaces");
    assert!(
        run.stderr.contains(
            "skipped examples/park-och-natur/asa-oberg.kub: no certificate: there is no final assessment yet"
        ),
        "{}",
        run.stderr
    );
    for certificate in &certificates {
        let pages = Command::new("pdfinfo").arg(certificate).output().unwrap();
        let info = String::from_utf8_lossy(&pages.stdout);
        assert!(info.contains("Pages:           1"), "{} is one page:\n{info}", certificate.display());
    }
}

#[test]
fn building_twice_gives_byte_identical_pdfs() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    assert_eq!(build(first.path(), &["--format", "pdf"]).code, 0);
    assert_eq!(build(second.path(), &["--format", "pdf", "--threads", "1"]).code, 0);
    let pdfs = files_in(first.path(), "pdf");
    assert!(!pdfs.is_empty());
    for pdf in pdfs {
        let twin = second.path().join(pdf.strip_prefix(first.path()).unwrap());
        assert!(
            std::fs::read(&pdf).unwrap() == std::fs::read(&twin).unwrap(),
            "{} differs between builds",
            pdf.display()
        );
    }
}

#[test]
fn names_in_every_script_are_printed_with_embedded_fonts() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(out.path(), &["--format", "pdf", "--only", "certificate"]).code, 0);
    let cases = [
        ("yonas-gebremedhin-park-och-natur.pdf", "ዮናስ ገብረመድህን", "NotoSansEthiopic"),
        ("olena-kovalenko-slottsskogen.pdf", "Олена Коваленко", "NotoSans-"),
        ("soren-aero-bogh-lager-og-logistik.pdf", "Søren Ærø Bøgh", "NotoSans-"),
        ("amal-hassan-slottsskogen.pdf", "حسن", "NotoSansArabic"),
    ];
    for (file, name, font) in cases {
        let pdf = out.path().join("certificates").join(file);
        let text = pdf_text(&pdf);
        for word in name.split_whitespace() {
            assert!(text.contains(word), "{file}: `{word}` is not in the text:\n{text}");
        }
        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        let line = fonts
            .lines()
            .find(|line| line.contains(font))
            .unwrap_or_else(|| panic!("{file} has no {font} font:\n{fonts}"));
        assert!(line.split_whitespace().any(|column| column == "yes"), "{file}: {font} is embedded:\n{fonts}");
    }
}

#[test]
fn certificates_are_archival_and_carry_their_data() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(out.path(), &["--format", "pdf", "--only", "certificate"]).code, 0);
    let pdf = out.path().join("certificates/amal-hassan-slottsskogen.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("pdfaid:part>3<") || text.contains("pdfaid:part=\"3\""), "PDF/A-3 metadata");
    assert!(text.contains("pdfaid:conformance>B<") || text.contains("pdfaid:conformance=\"B\""), "level B");
    let attached = Command::new("pdfdetach").arg("-list").arg(&pdf).output().unwrap();
    assert!(
        String::from_utf8_lossy(&attached.stdout).contains("certificate.json"),
        "the certificate's data is attached"
    );
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Author:") && info.contains("Kent Olsson"), "{info}");
    assert!(
        info.contains("CreationDate:    Wed Oct 28 00:00:00 2026"),
        "dated by the sign-off, not the clock:\n{info}"
    );
}

#[test]
fn a_broken_assessment_fails_the_build_but_the_others_are_built() {
    let project = tempfile::tempdir().unwrap();
    let examples = project.path().join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    for file in ["slottsskogen/amal-hassan.kub", "slottsskogen/olena-kovalenko.kub"] {
        std::fs::copy(repo_root().join("examples").join(file), examples.join(Path::new(file).file_name().unwrap()))
            .unwrap();
    }
    let broken = examples.join("olena-kovalenko.kub");
    let text = std::fs::read_to_string(&broken).unwrap().replacen("task beskarning", "task beskarnig", 1);
    std::fs::write(&broken, text).unwrap();
    std::os::unix::fs::symlink(repo_root().join("frameworks"), project.path().join("frameworks")).unwrap();
    let run = kub_in(project.path(), &["build", "examples", "--out", "out", "--format", "pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("K0401"), "{}", run.stderr);
    assert!(run.stderr.contains("skipped examples/olena-kovalenko.kub: it has errors"), "{}", run.stderr);
    assert!(project.path().join("out/certificates/amal-hassan-slottsskogen.pdf").is_file());
    assert!(!project.path().join("out/certificates/olena-kovalenko-slottsskogen.pdf").exists());
}

#[test]
fn an_organisation_overrides_one_block_of_the_certificate() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("certificate.typ"),
        "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}Utfärdat av Arbetsmarknad och vuxenutbildning, {{ doc.workplace }}.{% endblock %}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = build(
        out.path(),
        &["--format", "pdf,typ", "--only", "certificate", "--templates", templates.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&out.path().join("certificates/amal-hassan-slottsskogen.pdf"));
    assert!(text.contains("Utfärdat av Arbetsmarknad och vuxenutbildning, Slottsskogen."), "{text}");
    assert!(text.contains("أمل") || text.contains("لمأ"), "the rest of the certificate is still there");
}

#[test]
fn a_broken_template_is_reported_with_its_file_and_line() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("certificate.typ"),
        "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}{{ doc.participant.nmae }}{% endblock %}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = build(
        out.path(),
        &["--format", "pdf", "--only", "certificate", "--templates", templates.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("K0502"), "{}", run.stderr);
    assert!(run.stderr.contains("certificate.typ:2"), "{}", run.stderr);
}
