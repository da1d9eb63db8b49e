//! The signed statement in a certificate's QR code: every example
//! certificate, built with an issuer key, prints a code that decodes from
//! the page to a statement that verifies and names its credential, on one
//! page; `kub verify --qr` with a scan and with text, and each way it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kub::credential::statement::{digest, verify_statement};
use kub::credential::{ExpectedKey, KeyTrust};
use serde_json::Value;

use crate::exports::pages;
use crate::support::{Run, SignedProject, kub_in};

/// The bundled frameworks and every example, with an issuer key;
/// `settings` go into kub.toml before the issuer.
fn signed_examples(settings: &str) -> SignedProject {
    SignedProject::new(&[("examples", "examples")], settings, "name = \"Göteborgs Stad\"\n")
}

/// What these tests do with the project: build certificates and verify.
trait Examples {
    fn build(&self, path: &str) -> Vec<PathBuf>;
    fn verify(&self, args: &[&str]) -> Run;
}

impl Examples for SignedProject {
    /// Builds the certificates of `path` and gives the issued ones' PDFs.
    fn build(&self, path: &str) -> Vec<PathBuf> {
        let run = kub_in(&self.root, &["build", path, "--only", "certificate", "--format", "pdf,json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut pdfs: Vec<PathBuf> = std::fs::read_dir(self.root.join("out/certificates"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
            .filter(|pdf| read_json(&pdf.with_extension("json"))["certificate_issued"] == true)
            .collect();
        pdfs.sort();
        pdfs
    }

    fn verify(&self, args: &[&str]) -> Run {
        kub_in(&self.root, &[&["verify"], args].concat())
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn credential_of(pdf: &Path) -> PathBuf {
    pdf.with_extension("credential.json")
}

/// The first page as a PNG, as a scanner gives it.
fn page_scan(pdf: &Path, dpi: u32) -> PathBuf {
    let prefix = pdf.with_extension("scan");
    let mut command = Command::new("pdftoppm");
    command.args(["-r", &dpi.to_string(), "-f", "1", "-l", "1", "-singlefile", "-png"]);
    let status = command.arg(pdf).arg(&prefix).status().expect("pdftoppm runs (install poppler-utils)");
    assert!(status.success());
    pdf.with_extension("scan.png")
}

/// The texts of the QR codes on a PDF's first page, read with rqrr from
/// the page drawn at 450 dpi without smoothing, as a laser printer prints
/// it: rqrr misreads dense codes whose edges are smoothed grey.
fn qr_codes(pdf: &Path) -> Vec<String> {
    let prefix = pdf.with_extension("print");
    let mut command = Command::new("pdftoppm");
    command.args(["-r", "450", "-gray", "-aa", "no", "-aaVector", "no", "-f", "1", "-l", "1", "-singlefile"]);
    let status = command.arg(pdf).arg(&prefix).status().expect("pdftoppm runs (install poppler-utils)");
    assert!(status.success());
    let bytes = std::fs::read(pdf.with_extension("print.pgm")).unwrap();
    // A binary PGM: "P5", width, height and the largest value, each
    // followed by one whitespace byte, then one byte a pixel.
    let fields: Vec<&[u8]> = bytes.splitn(5, |byte| byte.is_ascii_whitespace()).collect();
    let number = |field: &[u8]| -> usize { std::str::from_utf8(field).unwrap().parse().unwrap() };
    let (width, height) = (number(fields[1]), number(fields[2]));
    let pixels = fields[4];
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    image.detect_grids().iter().map(|grid| grid.decode().expect("the QR code decodes").1).collect()
}

#[test]
fn every_signed_example_certificate_prints_a_statement_that_verifies_on_one_page() {
    let project = signed_examples("");
    let pdfs = project.build("examples");
    assert_eq!(pdfs.len(), 10, "issued example certificates");
    let expected = ExpectedKey::given(&project.did).unwrap();
    for pdf in &pdfs {
        assert_eq!(pages(pdf), 1, "{} is not one page", pdf.display());
        let codes = qr_codes(pdf);
        assert_eq!(codes.len(), 1, "{}", pdf.display());
        let check = verify_statement(&codes[0], Some(&expected));
        assert!(check.is_valid(), "{}: {:?}", pdf.display(), check.problems);
        assert_eq!(check.trust, Some(KeyTrust::Given));
        let claims = check.claims.unwrap();
        let credential = std::fs::read(credential_of(pdf)).unwrap();
        assert_eq!(claims.sha256, digest(&credential), "{}", pdf.display());
        assert_eq!(claims.jti, read_json(&credential_of(pdf))["id"]);
        let data = read_json(&pdf.with_extension("json"));
        assert_eq!(claims.name, data["participant"]["name"].as_str().unwrap());
        let framework = &data["framework"];
        assert_eq!(
            claims.fw,
            format!("{}@{}", framework["id"].as_str().unwrap(), framework["version"].as_str().unwrap())
        );
        assert_eq!(claims.seqf.map(u64::from), data["seqf"]["level"].as_u64(), "{}", pdf.display());
    }
}

#[test]
fn kub_verify_qr_reads_a_scanned_page_and_the_codes_text() {
    let project = signed_examples("");
    let pdfs = project.build("examples/slottsskogen");
    let pdf = pdfs[0].to_str().unwrap();
    let scan = page_scan(&pdfs[0], 450);
    let run = project.verify(&["--qr", scan.to_str().unwrap(), pdf]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let name = read_json(&pdfs[0].with_extension("json"))["participant"]["name"].as_str().unwrap().to_string();
    assert!(run.stdout.contains(&format!("  to          {name}")), "{}", run.stdout);
    assert!(run.stdout.contains("for         slottsskogen 1.0"), "{}", run.stdout);
    assert!(run.stdout.contains("valid: the statement is signed with the issuer's key"), "{}", run.stdout);
    assert!(run.stdout.contains("the issuer's key named in this project's kub.toml"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("ok: {pdf} carries the credential the QR code vouches for")),
        "{}",
        run.stdout
    );

    // The text alone: the project's own output folder holds the credential.
    let text = &qr_codes(&pdfs[0])[0];
    let run = project.verify(&["--qr", text]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("carries the credential the QR code vouches for"), "{}", run.stdout);

    // Outside any project only the statement's own did:key vouches for it.
    let elsewhere = tempfile::tempdir().unwrap();
    let run = kub_in(elsewhere.path(), &["verify", "--qr", text]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("proves that the holder of that key signed it"), "{}", run.stdout);
    assert!(run.stdout.contains("note: no copy of the credential was given"), "{}", run.stdout);
}

#[test]
fn a_tampered_statement_a_wrong_key_and_another_certificate_each_have_their_message() {
    let project = signed_examples("");
    let pdfs = project.build("examples/slottsskogen");
    assert_eq!(pdfs.len(), 2);
    let text = qr_codes(&pdfs[0]).remove(0);
    let refused = |run: Run, code: &str, words: &str| {
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(code) && run.stderr.contains(words), "{}", run.stderr);
        assert!(run.stdout.contains("NOT VALID"), "{}", run.stdout);
    };

    // A higher SeQF level written into the claims, the signature kept.
    let parts: Vec<&str> = text.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["seqf"] = 5.into();
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2]);
    refused(project.verify(&["--qr", &forged]), "K0666", "changed after it was signed");

    // Another key given on the command line.
    let other = tempfile::tempdir().unwrap();
    let made = kub_in(other.path(), &["key", "new", "--out", other.path().join("k.pem").to_str().unwrap()]);
    let other_did = made.stdout.lines().find_map(|line| line.strip_prefix("public key: ")).unwrap().to_string();
    refused(project.verify(&["--qr", &text, "--key", &other_did]), "K0667", "not with the issuer's key");

    // The code of one certificate checked against the other's PDF.
    let another = pdfs[1].to_str().unwrap();
    refused(project.verify(&["--qr", &text, another]), "K0668", "but");
    // And against its own credential, changed after the code was made.
    let credential = credential_of(&pdfs[0]);
    let mut changed = std::fs::read_to_string(&credential).unwrap();
    changed.push('\n');
    std::fs::write(&credential, changed).unwrap();
    refused(project.verify(&["--qr", &text, credential.to_str().unwrap()]), "K0668", "changed or issued again");
}

#[test]
fn codes_without_a_statement_and_wrong_arguments_are_told_apart() {
    let project = signed_examples("");
    std::fs::write(project.root.join("kub.toml"), "organisation = \"Göteborgs Stad\"\n").unwrap();
    let pdfs = project.build("examples/slottsskogen");
    let link = qr_codes(&pdfs[0]).remove(0);
    assert!(link.starts_with("kub:verify?"), "{link}");
    let run = project.verify(&["--qr", &link]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("K0664") && run.stderr.contains("not a signed statement"), "{}", run.stderr);

    // A PDF is not a scan: the usage says where it goes.
    let run = project.verify(&["--qr", pdfs[0].to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("kub verify --qr IMAGE"), "{}", run.stderr);
    let run = project.verify(&["--qr", "missing.png"]);
    assert_eq!(run.code, 2, "{}", run.stderr);

    // A file that is no image, and text that is no statement.
    let json = pdfs[0].with_extension("json");
    let run = project.verify(&["--qr", json.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("K0663") && run.stderr.contains("not a PNG or JPEG"), "{}", run.stderr);
    let run = project.verify(&["--qr", "hello"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("K0665"), "{}", run.stderr);
}

#[test]
fn with_a_verification_page_the_statement_follows_its_address() {
    let project = signed_examples("verify-url = \"https://intyg.example.se/verify?code={code}\"\n");
    let pdfs = project.build("examples/slottsskogen");
    let text = qr_codes(&pdfs[0]).remove(0);
    let code = read_json(&pdfs[0].with_extension("json"))["verification_code"].as_str().unwrap().to_string();
    let page = format!("https://intyg.example.se/verify?code={code}#eyJ");
    assert!(text.starts_with(&page), "{text}");
    let run = project.verify(&["--qr", &text, pdfs[0].to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(pages(&pdfs[0]), 1);
}
