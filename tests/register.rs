//! The register of issued certificates: `kub issue`, `kub build` and
//! `kub check` with issued certificates, `kub verify`, and the
//! verification code over everything a certificate prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{copy_dir, kub_in, pdf_text, repo_root};

/// A project with the bundled frameworks and the given example folders.
fn project(examples: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    for example in examples {
        copy_dir(&repo_root().join("examples").join(example), &dir.path().join("examples").join(example));
    }
    dir
}

/// Replaces `from` (which must be there) with `to` in a file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every certificate PDF in the output folder, with its bytes.
fn certificates(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir.join("out/certificates"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    found.sort();
    found
}

fn record(dir: &Path, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("issued").join(format!("{name}.json"))).unwrap()).unwrap()
}

/// Makes Amal Hassan's certificate on slottsskogen change: a new title
/// and a required task she has not achieved, which takes her SeQF level.
fn change_slottsskogen(dir: &Path) {
    let framework = dir.join("frameworks/slottsskogen.kub");
    edit(&framework, "\"Park- och naturarbete i Slottsskogen\"", "\"Parkarbete i Slottsskogen\"");
    edit(
        &framework,
        "override task beskarning {",
        "override task utmarkning {\n  required\n}\n\noverride task beskarning {",
    );
}

#[test]
fn issuing_the_examples_records_every_signed_participant_once() {
    let dir =
        project(&["slottsskogen", "park-och-natur", "lager-og-logistik", "kulturtolk-forskola", "sprakvalidering"]);
    let run = kub_in(dir.path(), &["issue", "examples"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("10 certificates issued, 0 already issued"), "{}", run.stderr);
    assert!(run.stderr.contains("not issued examples/park-och-natur/asa-oberg.kub"), "{}", run.stderr);

    for (pdf, bytes) in certificates(dir.path()) {
        let name = pdf.file_stem().unwrap().to_string_lossy().into_owned();
        let record = record(dir.path(), &name);
        let issue = &record["issues"][0];
        assert_eq!(record["format"], 1);
        assert_eq!(issue["number"], 1);
        assert_eq!(issue["document"]["pdf_sha256"], kub::canonical::sha256_hex(&bytes), "{name}");
        assert!(issue["framework"]["fingerprint"].as_str().unwrap().starts_with("sha256:"));
        let printed = pdf_text(&pdf);
        let code = issue["verification_code"].as_str().unwrap();
        assert!(printed.contains(code), "{name}: the code {code} is printed");
        assert_eq!(issue["certificate"]["verification_code"], code);
        assert!(dir.path().join("issued").join(issue["document"]["source"].as_str().unwrap()).is_file());
    }

    let again = kub_in(dir.path(), &["issue", "examples"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("0 certificates issued, 10 already issued and unchanged"), "{}", again.stderr);
    assert!(again.stderr.contains("already issued, unchanged: amal-hassan-slottsskogen"), "{}", again.stderr);
}

#[test]
fn a_framework_changed_without_a_new_version_is_an_error_and_the_build_keeps_the_issued_pdfs() {
    let dir = project(&["slottsskogen"]);
    assert_eq!(kub_in(dir.path(), &["issue", "examples"]).code, 0);
    let issued = certificates(dir.path());
    assert_eq!(issued.len(), 2);
    change_slottsskogen(dir.path());

    let check = kub_in(dir.path(), &["check", "examples", "--format", "short"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains(
            "frameworks/slottsskogen.kub:7:9: error[K0602]: slottsskogen 1.0 has changed since 2 certificates were issued on it; give it a new version"
        ),
        "{}",
        check.stdout
    );
    let human = kub_in(dir.path(), &["check", "examples"]);
    assert!(
        human.stderr.contains("hint: the certificate issued to أمل حسن would change: SeQF 3 → 1"),
        "{}",
        human.stderr
    );

    let build = kub_in(dir.path(), &["build", "examples"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(build.stderr.contains("error[K0601]: the certificate issued to أمل حسن on slottsskogen 1.0 would change: SeQF 3 → 1; framework title “Park- och naturarbete i Slottsskogen” → “Parkarbete i Slottsskogen”; task “Märka ut en arbetsplats nära gångväg eller gata” now required"), "{}", build.stderr);
    assert!(build.stderr.contains("error[K0601]: the certificate issued to Олена Коваленко"), "{}", build.stderr);
    assert_eq!(certificates(dir.path()), issued, "the issued PDFs are byte for byte as issued");
    assert!(dir.path().join("out/progress/amal-hassan-slottsskogen.pdf").is_file(), "other documents are built");
    let printed = pdf_text(&dir.path().join("out/certificates/amal-hassan-slottsskogen.pdf"));
    assert!(printed.contains("Park- och naturarbete i Slottsskogen"), "{printed}");
}

#[test]
fn an_issued_certificate_is_rebuilt_byte_for_byte_from_the_register_after_the_framework_moved_on() {
    let dir = project(&["slottsskogen"]);
    assert_eq!(kub_in(dir.path(), &["issue", "examples"]).code, 0);
    let issued = certificates(dir.path());
    change_slottsskogen(dir.path());
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let build = kub_in(dir.path(), &["build", "examples", "--only", "certificate"]);
    assert_eq!(build.code, 1, "the change is still reported: {}", build.stderr);
    assert_eq!(certificates(dir.path()), issued, "rebuilt from the register alone");

    // The same, through the library: the register alone gives the bytes.
    let register = kub::register::Register::of_project(dir.path());
    let engine = kub::render::PdfEngine::new();
    for record in &register.records {
        let pdf = kub::register::rebuild(&register, record.current(), &engine).unwrap();
        let path = dir.path().join("out").join(&record.current().document.pdf);
        assert_eq!(pdf, std::fs::read(path).unwrap(), "{}", record.participant);
    }
}

#[test]
fn a_new_version_is_fine_and_a_reissue_with_a_reason_keeps_both_certificates() {
    let dir = project(&["slottsskogen"]);
    assert_eq!(kub_in(dir.path(), &["issue", "examples"]).code, 0);
    let first_pdf = std::fs::read(dir.path().join("out/certificates/amal-hassan-slottsskogen.pdf")).unwrap();
    let framework = dir.path().join("frameworks/slottsskogen.kub");
    std::fs::copy(&framework, dir.path().join("frameworks/slottsskogen-1.0.kub")).unwrap();
    change_slottsskogen(dir.path());
    edit(&framework, "version 1.0", "version 1.1");

    let check = kub_in(dir.path(), &["check", "examples"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("K0602"), "{}", check.stderr);
    let build = kub_in(dir.path(), &["build", "examples"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.contains("kept 2 issued certificates as issued"), "{}", build.stderr);

    let amal = "examples/slottsskogen/amal-hassan.kub";
    assert_eq!(kub_in(dir.path(), &["migrate", amal, "--to", "slottsskogen@1.1"]).code, 0);
    let refused = kub_in(dir.path(), &["issue", amal]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("error[K0604]: the certificate issued to أمل حسن on slottsskogen 1.0 would change: SeQF 3 → 1; framework version “1.0” → “1.1”"), "{}", refused.stderr);
    let no_reason = kub_in(dir.path(), &["issue", amal, "--reissue"]);
    assert_eq!(no_reason.code, 2, "{}", no_reason.stderr);

    let reissued = kub_in(dir.path(), &["issue", amal, "--reissue", "--reason", "Nytt ramverk 1.1"]);
    assert_eq!(reissued.code, 0, "{}", reissued.stderr);
    assert!(reissued.stderr.contains("issued amal-hassan-slottsskogen again, issue 2"), "{}", reissued.stderr);
    let record = record(dir.path(), "amal-hassan-slottsskogen");
    let issues = record["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["framework"]["version"], "1.0");
    assert_eq!(issues[0]["certificate"]["seqf"]["level"], 3);
    assert_eq!(issues[1]["framework"]["version"], "1.1");
    assert_eq!(issues[1]["reason"], "Nytt ramverk 1.1");
    assert_eq!(issues[1]["certificate"]["seqf"]["level"], 1);
    assert!(dir.path().join("issued/amal-hassan-slottsskogen/1.typ").is_file());
    assert!(dir.path().join("issued/amal-hassan-slottsskogen/2.typ").is_file());
    assert_eq!(kub_in(dir.path(), &["build", "examples"]).code, 0);

    let old = dir.path().join("first.pdf");
    std::fs::write(&old, &first_pdf).unwrap();
    let verify = kub_in(dir.path(), &["verify", "first.pdf"]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    assert!(verify.stderr.contains("warning[K0612]: this certificate was replaced on"), "{}", verify.stderr);
    assert!(verify.stderr.contains(": Nytt ramverk 1.1"), "{}", verify.stderr);
}

/// The PDF with its attached certificate.json replaced by `json`.
fn with_attachment(pdf: &[u8], json: &[u8]) -> Vec<u8> {
    let find = |needle: &[u8], from: usize| {
        pdf[from..].windows(needle.len()).position(|w| w == needle).map(|at| at + from).unwrap()
    };
    let marker = find(b"/Type/EmbeddedFile", 0);
    let dictionary = pdf[..marker].windows(2).rposition(|w| w == b"<<").unwrap();
    let stream = find(b"stream\n", marker);
    let end = find(b"\nendstream", stream);
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(json).unwrap();
    let compressed = encoder.finish().unwrap();
    let old = String::from_utf8_lossy(&pdf[dictionary..stream]).into_owned();
    let length_at = old.find("/Length ").unwrap() + "/Length ".len();
    let digits = old[length_at..].chars().take_while(char::is_ascii_digit).count();
    let new = format!("{}{}{}", &old[..length_at], compressed.len(), &old[length_at + digits..]);
    let mut edited = pdf[..dictionary].to_vec();
    edited.extend(new.as_bytes());
    edited.extend(b"stream\n");
    edited.extend(&compressed);
    edited.extend(&pdf[end..]);
    edited
}

#[test]
fn verify_tells_what_a_certificate_states_and_detects_edited_data_and_an_edited_register() {
    let dir = project(&["slottsskogen"]);
    assert_eq!(kub_in(dir.path(), &["issue", "examples"]).code, 0);
    let pdf_path = dir.path().join("out/certificates/amal-hassan-slottsskogen.pdf");
    let pdf = std::fs::read(&pdf_path).unwrap();

    let genuine = kub_in(dir.path(), &["verify", "out/certificates/amal-hassan-slottsskogen.pdf"]);
    assert_eq!(genuine.code, 0, "{}", genuine.stderr);
    for fact in [
        "participant: أمل حسن",
        "framework: Park- och naturarbete i Slottsskogen (slottsskogen 1.0)",
        "SeQF level: 3",
        "tasks achieved: 22 of 27: Klippa gräs med åkgräsklippare;",
        "signed: by Kent Olsson on 2026-10-28",
        "issued by: Göteborgs Stad, park- och naturförvaltningen",
        "genuine: the certificate states what it was issued with",
    ] {
        assert!(genuine.stdout.contains(fact), "{fact}: {}", genuine.stdout);
    }
    let json = kub_in(dir.path(), &["verify", "out/certificates/amal-hassan-slottsskogen.json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);

    // Edited data in the PDF's attachment, its code left as it was.
    let data: Value = serde_json::from_slice(&std::fs::read(pdf_path.with_extension("json")).unwrap()).unwrap();
    let mut edited = data.clone();
    edited["seqf"]["level"] = 5.into();
    std::fs::write(dir.path().join("edited.pdf"), with_attachment(&pdf, edited.to_string().as_bytes())).unwrap();
    let run = kub_in(dir.path(), &["verify", "edited.pdf"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("error[K0606]: the certificate's data was changed after it was made"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("NOT genuine"), "{}", run.stdout);

    // Edited data with a code made to match: the register knows better.
    edited["verification_code"] = kub::report::verification_code(&edited).into();
    std::fs::write(dir.path().join("edited.json"), edited.to_string()).unwrap();
    let run = kub_in(dir.path(), &["verify", "edited.json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("error[K0608]: no certificate with the code"), "{}", run.stderr);
    let elsewhere = tempfile::tempdir().unwrap();
    let register = dir.path().join("issued");
    let run = kub_in(
        elsewhere.path(),
        &["verify", dir.path().join("edited.json").to_str().unwrap(), "--register", register.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);

    // An edited register entry.
    let record_path = dir.path().join("issued/amal-hassan-slottsskogen.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&record_path).unwrap()).unwrap();
    record["issues"][0]["certificate"]["seqf"]["level"] = 5.into();
    std::fs::write(&record_path, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    let run = kub_in(dir.path(), &["verify", "out/certificates/amal-hassan-slottsskogen.pdf"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error[K0605]: the register's entry for أمل حسن was edited after the certificate was issued"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[K0608]: the certificate does not state what was issued to أمل حسن: SeQF 5 → 3"),
        "{}",
        run.stderr
    );

    let not_a_certificate = kub_in(dir.path(), &["verify", "frameworks/slottsskogen.kub"]);
    assert_eq!(not_a_certificate.code, 1);
    assert!(not_a_certificate.stderr.contains("K0607"), "{}", not_a_certificate.stderr);
}

/// Certificate data for one participant, from the bundled frameworks with
/// `framework` and `assessment` in place of their files.
fn certificate_data(framework: (&str, &str), assessment: (&str, &str)) -> Option<Value> {
    let mut workspace = kub::model::Workspace::new();
    let mut files = Vec::new();
    let mut folders = vec![repo_root().join("frameworks")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.ends_with(framework.0) {
                files.push((path, framework.1.to_string()));
            } else if path.extension().is_some_and(|e| e == "kub") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files.push((PathBuf::from(assessment.0), assessment.1.to_string()));
    workspace.add_sources(files);
    let checked = kub::check::check(workspace);
    let entry = checked.assessments.iter().find(|entry| !entry.has_errors)?;
    let framework = kub::check::framework_for(&entry.assessment, &checked.resolution).ok()?;
    let lang = kub::report::document_language(&entry.assessment, framework, None);
    Some(kub::canonical::value_of(&kub::report::progression(&entry.assessment, framework, lang)))
}

/// Each quoted text of `text`, made different by one letter.
fn each_text_changed(text: &str) -> Vec<String> {
    let quotes: Vec<usize> = text.match_indices('"').map(|(at, _)| at).collect();
    quotes
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| format!("{}x{}", &text[..pair[1]], &text[pair[1]..]))
        .collect()
}

#[test]
fn changing_any_printed_text_of_the_framework_or_the_assessment_changes_the_verification_code() {
    let framework_path = "slottsskogen.kub";
    let framework = std::fs::read_to_string(repo_root().join("frameworks").join(framework_path)).unwrap();
    let assessment_path = "examples/slottsskogen/amal-hassan.kub";
    let assessment = std::fs::read_to_string(repo_root().join(assessment_path)).unwrap();
    let original = certificate_data((framework_path, &framework), (assessment_path, &assessment)).unwrap();
    let code = original["verification_code"].as_str().unwrap().to_string();
    let mut printed = 0;
    let variants = each_text_changed(&framework)
        .into_iter()
        .map(|text| (text, assessment.clone()))
        .chain(each_text_changed(&assessment).into_iter().map(|text| (framework.clone(), text)));
    for (framework, assessment) in variants {
        let Some(changed) = certificate_data((framework_path, &framework), (assessment_path, &assessment)) else {
            continue;
        };
        let without_code = |data: &Value| {
            let mut data = data.clone();
            data["verification_code"] = Value::Null;
            data
        };
        if without_code(&changed) == without_code(&original) {
            continue; // a text in another language, not on this certificate
        }
        printed += 1;
        assert_ne!(changed["verification_code"], code.as_str(), "a changed text left the code as it was");
    }
    assert!(printed >= 20, "only {printed} texts were printed");
}

#[test]
fn watch_keeps_issued_certificates_as_issued() {
    let dir = project(&["slottsskogen"]);
    assert_eq!(kub_in(dir.path(), &["issue", "examples"]).code, 0);
    let issued = certificates(dir.path());
    let (mut child, stderr) = crate::support::spawn_kub(dir.path(), &["watch", "examples", "--out", "out"]);
    let wait_for = |what: &str| {
        let started = std::time::Instant::now();
        while !stderr.lock().unwrap().contains(what) {
            assert!(started.elapsed().as_secs() < 120, "waited in vain for {what}: {}", stderr.lock().unwrap());
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait_for("watching ");
    change_slottsskogen(dir.path());
    wait_for("saved frameworks/slottsskogen.kub");
    let _ = child.kill();
    let _ = child.wait();
    let printed = stderr.lock().unwrap().clone();
    assert!(
        printed.contains("error[K0601]: the certificate issued to أمل حسن on slottsskogen 1.0 would change"),
        "{printed}"
    );
    assert_eq!(certificates(dir.path()), issued);
}
