//! Signed credentials: `kub key new`, a build with an issuer key writing a
//! credential per certificate (and into its PDF), and `kub verify` on it,
//! untouched and tampered with.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{SignedProject, kub_in};

/// The bundled frameworks and the Slottsskogen examples, with an issuer key.
fn signed_project() -> SignedProject {
    SignedProject::new(
        &[("examples/slottsskogen", "slottsskogen")],
        "",
        "name = \"Göteborgs Stad, park- och naturförvaltningen\"\nurl = \"https://goteborg.se\"\n",
    )
}

/// What these tests do with the project: build its certificates and verify them.
trait Credentials {
    fn build(&self, formats: &str) -> Vec<PathBuf>;
    fn verify(&self, file: &Path, extra: &[&str]) -> crate::support::Run;
}

impl Credentials for SignedProject {
    fn build(&self, formats: &str) -> Vec<PathBuf> {
        let run = kub_in(&self.root, &["build", "slottsskogen", "--only", "certificate", "--format", formats]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut credentials: Vec<PathBuf> = std::fs::read_dir(self.root.join("out/certificates"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.to_string_lossy().ends_with(".credential.json"))
            .collect();
        credentials.sort();
        assert!(!credentials.is_empty(), "no credential written");
        credentials
    }

    fn verify(&self, file: &Path, extra: &[&str]) -> crate::support::Run {
        let mut args = vec!["verify", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        kub_in(&self.root, &args)
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn key_new_writes_an_owner_only_key_prints_only_the_public_half_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("issuer.pem");
    let run = kub_in(dir.path(), &["key", "new", "--out", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pem = std::fs::read_to_string(&path).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{pem}");
    let body = pem.lines().nth(1).unwrap();
    assert!(!run.stdout.contains(body) && !run.stderr.contains(body), "the private key was printed");
    assert!(run.stdout.contains("public key: did:key:z6Mk"), "{}", run.stdout);
    assert!(run.stdout.contains("[issuer]") && run.stdout.contains("private-key = "), "{}", run.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let again = kub_in(dir.path(), &["key", "new", "--out", path.to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("K0634"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), pem, "the key file was overwritten");
}

#[test]
fn key_new_refuses_a_git_repository_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let initialised = Command::new("git").arg("init").arg("-q").arg(dir.path()).status();
    if !initialised.is_ok_and(|status| status.success()) {
        return; // Without git nothing can be committed by accident, and kub allows the key.
    }
    let path = dir.path().join("secrets/issuer.pem");
    let run = kub_in(dir.path(), &["key", "new", "--out", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("K0635") && run.stderr.contains("git repository"), "{}", run.stderr);
    assert!(!path.exists());
    let forced = kub_in(dir.path(), &["key", "new", "--out", path.to_str().unwrap(), "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(path.exists());
}

#[test]
fn key_new_never_writes_into_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kub.toml"), "output = \"docs\"\n").unwrap();
    let run = kub_in(dir.path(), &["key", "new", "--out", "docs/key.pem", "--force"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("K0636"), "{}", run.stderr);
}

#[test]
fn a_build_with_an_issuer_key_writes_credentials_that_verify_and_are_the_same_each_time() {
    let project = signed_project();
    let credentials = project.build("json");
    let first: Vec<Vec<u8>> = credentials.iter().map(|path| std::fs::read(path).unwrap()).collect();
    std::fs::remove_dir_all(project.root.join("out")).unwrap();
    let again: Vec<Vec<u8>> = project.build("json").iter().map(|path| std::fs::read(path).unwrap()).collect();
    assert_eq!(first, again, "a rebuild signed different bytes");
    for credential in &credentials {
        let run = project.verify(credential, &[]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("valid: the signature holds"), "{}", run.stdout);
        assert!(run.stdout.contains("issued by   Göteborgs Stad, park- och naturförvaltningen"), "{}", run.stdout);
        assert!(run.stdout.contains("kub.toml"), "{}", run.stdout);
    }
    // Outside the project only the did:key vouches for the key, and kub says so.
    let elsewhere = tempfile::tempdir().unwrap();
    let run = kub_in(elsewhere.path(), &["verify", credentials[0].to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("proves that the holder of that key signed it"), "{}", run.stdout);
    let given = kub_in(elsewhere.path(), &["verify", credentials[0].to_str().unwrap(), "--key", &project.did]);
    assert_eq!(given.code, 0, "{}", given.stderr);
}

#[test]
fn a_credential_states_the_certificate_without_comments_or_personal_details() {
    let project = signed_project();
    let credential_path = project.build("json").into_iter().find(|p| p.to_string_lossy().contains("amal")).unwrap();
    let text = std::fs::read_to_string(&credential_path).unwrap();
    let credential: Value = serde_json::from_str(&text).unwrap();
    let certificate = read_json(&PathBuf::from(credential_path.to_string_lossy().replace(".credential.json", ".json")));
    // Open Badges 3.0's required properties (the 1EdTech JSON schema is not
    // available offline, so they are checked one by one).
    assert_eq!(
        credential["@context"],
        serde_json::json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(credential["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert!(credential["id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(credential["issuer"]["id"], project.did.as_str());
    assert_eq!(credential["validFrom"], "2026-10-30T00:00:00Z".replace("10-30", &signed_day(&certificate)));
    let subject = &credential["credentialSubject"];
    assert_eq!(subject["identifier"][0]["identityHash"], "أمل حسن");
    let achievement = &subject["achievement"];
    for field in ["id", "type", "name", "description"] {
        assert!(!achievement[field].is_null(), "the achievement lacks {field}");
    }
    assert!(
        achievement["criteria"]["narrative"].as_str().unwrap().contains("”Självständigt” eller högre"),
        "{}",
        achievement
    );
    assert_eq!(achievement["version"], "1.0");
    let descriptions = achievement["resultDescription"].as_array().unwrap();
    let tasks =
        certificate["areas"].as_array().unwrap().iter().map(|a| a["tasks"].as_array().unwrap().len()).sum::<usize>();
    let competences = certificate["competences"].as_array().unwrap().len();
    assert_eq!(descriptions.len(), tasks + competences + 1, "one per task and competence, and the SeQF level");
    for description in descriptions.iter().filter(|d| d["resultType"] == "RubricCriterionLevel") {
        let levels = description["rubricCriterionLevel"].as_array().unwrap();
        assert!(levels.iter().any(|level| level["id"] == description["requiredLevel"]), "{description}");
    }
    let seqf = certificate["seqf"]["level"].as_u64().unwrap();
    let eqf = subject["result"].as_array().unwrap().iter().find(|r| !r["value"].is_null()).unwrap();
    assert_eq!(eqf["value"], seqf.to_string());
    assert_eq!(eqf["alignment"][0]["targetUrl"], format!("http://data.europa.eu/snb/eqf/{seqf}"));
    // The credential states what the certificate's data states.
    let statement = kub::credential::verify(&text, None).statement.unwrap();
    assert_eq!(kub::credential::differences(&statement, &certificate), Vec::<String>::new());
    // No supervisor comment, personal number or case reference.
    assert!(!text.contains("GBG-2026-014"), "the case reference is in the credential");
    let comments = certificate["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|area| area["tasks"].as_array().unwrap())
        .flat_map(|task| task["ratings"].as_array().unwrap())
        .filter_map(|rating| rating["comment"].as_str())
        .collect::<Vec<_>>();
    assert!(!comments.is_empty());
    for comment in comments {
        assert!(!text.contains(comment), "a comment is in the credential: {comment}");
    }
    for supervisor in ["Kent Olsson", "Mirja Lindqvist"] {
        assert!(!text.contains(supervisor), "{supervisor} is named in the credential");
    }
}

/// A change made to a signed credential.
type Edit = fn(&mut Value);

fn signed_day(certificate: &Value) -> String {
    certificate["signed"]["date"].as_str().unwrap()[5..].to_string()
}

#[test]
fn every_tampering_fails_with_its_own_message() {
    let project = signed_project();
    let path = project.build("json").remove(0);
    let original = read_json(&path);
    let tampered = project.root.join("tampered.credential.json");
    let verdict = |edit: &dyn Fn(&mut Value), extra: &[&str]| {
        let mut credential = original.clone();
        edit(&mut credential);
        std::fs::write(&tampered, serde_json::to_string_pretty(&credential).unwrap()).unwrap();
        let run = project.verify(&tampered, extra);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(run.stdout.contains("NOT VALID"), "{}", run.stdout);
        run.stderr
    };
    let edits: Vec<(&str, Edit)> = vec![
        ("participant", |c| c["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else".into()),
        ("level", |c| {
            let levels = c["credentialSubject"]["achievement"]["resultDescription"][0]["rubricCriterionLevel"].clone();
            c["credentialSubject"]["result"][0]["achievedLevel"] =
                levels[levels.as_array().unwrap().len() - 1]["id"].clone();
        }),
        ("date", |c| c["validFrom"] = "2020-01-01T00:00:00Z".into()),
        ("issuer name", |c| c["issuer"]["name"] = "Another Town".into()),
        ("added field", |c| c["credentialSubject"]["achievement"]["creditsAvailable"] = "60".into()),
        ("unknown field", |c| c["credentialSubject"]["grade"] = "A".into()),
        ("removed result", |c| {
            c["credentialSubject"]["result"].as_array_mut().unwrap().pop();
        }),
        ("proof date", |c| c["proof"][0]["created"] = "2030-01-01T00:00:00Z".into()),
    ];
    for (what, edit) in &edits {
        let stderr = verdict(edit, &[]);
        assert!(stderr.contains("K0640") && stderr.contains("changed after it was signed"), "{what}: {stderr}");
    }
    let stderr = verdict(&|c| c["@context"][1] = "https://example.org/context.json".into(), &[]);
    assert!(stderr.contains("K0638") && stderr.contains("https://example.org/context.json"), "{stderr}");
    let stderr = verdict(&|c| c.as_object_mut().unwrap().remove("proof").map(drop).unwrap(), &[]);
    assert!(stderr.contains("K0639") && stderr.contains("not signed"), "{stderr}");

    // Another key, given on the command line, or a key not the issuer's own.
    let other = tempfile::tempdir().unwrap();
    let made = kub_in(other.path(), &["key", "new", "--out", other.path().join("k.pem").to_str().unwrap()]);
    let other_did = made.stdout.lines().find_map(|line| line.strip_prefix("public key: ")).unwrap().to_string();
    let stderr = verdict(&|_| {}, &["--key", &other_did]);
    assert!(stderr.contains("K0642"), "{stderr}");
    let stderr = verdict(&|c| c["issuer"]["id"] = other_did.clone().into(), &[]);
    assert!(stderr.contains("K0642") && stderr.contains("signed with a key of"), "{stderr}");

    // A valid credential of another issuer, checked in this project.
    let foreign = signed_project();
    let foreign_credential = foreign.build("json").remove(0);
    let run = project.verify(&foreign_credential, &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("K0643") && run.stderr.contains("not by the issuer in kub.toml"), "{}", run.stderr);
}

#[test]
fn the_pdf_carries_the_same_credential_as_an_attachment() {
    let project = signed_project();
    let credential = project.build("pdf").remove(0);
    let pdf = PathBuf::from(credential.to_string_lossy().replace(".credential.json", ".pdf"));
    let list = Command::new("pdfdetach").arg("-list").arg(&pdf).output().expect("pdfdetach runs (poppler-utils)");
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("credential.json") && listed.contains("certificate.json"), "{listed}");
    let saved = project.root.join("embedded.json");
    let status = Command::new("pdfdetach")
        .arg("-savefile")
        .arg("credential.json")
        .arg("-o")
        .arg(&saved)
        .arg(&pdf)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&saved).unwrap(), std::fs::read(&credential).unwrap());
    assert_eq!(project.verify(&saved, &[]).code, 0);
}

#[test]
fn a_broken_issuer_key_stops_the_build_with_its_code() {
    let project = signed_project();
    let toml = std::fs::read_to_string(project.root.join("kub.toml")).unwrap();
    std::fs::write(project.root.join("kub.toml"), toml.replace("../keys/issuer.pem", "../keys/missing.pem")).unwrap();
    let run = kub_in(&project.root, &["build", "slottsskogen", "--only", "certificate", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("K0630") && run.stderr.contains("missing.pem"), "{}", run.stderr);
    let other = tempfile::tempdir().unwrap();
    let made = kub_in(other.path(), &["key", "new", "--out", other.path().join("k.pem").to_str().unwrap()]);
    assert_eq!(made.code, 0);
    let key = other.path().join("k.pem");
    let mismatched = toml.replace("../keys/issuer.pem", key.to_str().unwrap());
    std::fs::write(project.root.join("kub.toml"), mismatched).unwrap();
    let run = kub_in(&project.root, &["build", "slottsskogen", "--only", "certificate", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("K0632"), "{}", run.stderr);
}

#[test]
fn esco_links_become_alignments() {
    let project = signed_project();
    let framework = project.root.join("frameworks/slottsskogen.kub");
    let occupation = "http://data.europa.eu/esco/occupation/3b1bd1f4-1ea5-4b2f-9e8a-cc6c1a5e4bb7";
    let skill = "http://data.europa.eu/esco/skill/6c2ffb8b-9f6e-4f8e-9b0e-6b6f6d0e1f40";
    let text = std::fs::read_to_string(&framework).unwrap();
    let text = text.replacen("version 1.0\n", &format!("version 1.0\nesco \"{occupation}\"\n"), 1);
    let text = text.replacen(
        "    \"Clean the park after large events\"\n  {\n",
        &format!("    \"Clean the park after large events\"\n  {{\n    esco \"{skill}\"\n"),
        1,
    );
    std::fs::write(&framework, text).unwrap();
    let credential_path = project.build("json").remove(0);
    let credential = read_json(&credential_path);
    let achievement = &credential["credentialSubject"]["achievement"];
    assert_eq!(achievement["alignment"][0]["targetUrl"], occupation, "{achievement}");
    let cleaning = achievement["resultDescription"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["alignment"][0]["targetUrl"] == skill)
        .unwrap_or_else(|| panic!("no description aligned to {skill}"));
    assert_eq!(cleaning["alignment"][0]["targetFramework"], "ESCO");
    assert_eq!(project.verify(&credential_path, &[]).code, 0);
}
