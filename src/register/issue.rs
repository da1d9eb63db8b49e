//! `kub issue`: issuing the certificates of signed participants, building
//! their PDFs and recording each in the register, or saying why not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use super::versions::framework_fingerprint;
use super::{FORMAT, Issue, KeptFile, Recipe, Record, Register, assessment_of, changes};
use crate::build::{Builder, DocumentKind, Format, Plan, PlannedDocument, certificate_json};
use crate::canonical::{self, sha256_hex};
use crate::check::{Checked, CheckedAssessment, framework_for};
use crate::diagnostic::{Code, Diagnostic};
use crate::render::{TypstDocument, write_atomically};

/// What issuing needs besides the plan and the register.
pub struct Issuing<'a> {
    /// The checked workspace the plan was made from.
    pub checked: &'a Checked,
    /// Builds the certificates.
    pub builder: &'a Builder,
    /// The project's folder: assessment paths are recorded relative to it.
    pub project_root: &'a Path,
    /// The output folder the PDFs are written to.
    pub out: &'a Path,
    /// The organisation's template folder, or `None` for the bundled templates.
    pub templates: Option<&'a Path>,
    /// The day of issue.
    pub today: NaiveDate,
    /// `--reissue --reason`: why certificates that changed are issued again.
    pub reissue: Option<&'a str>,
}

/// What became of one participant's certificate.
#[derive(Debug)]
pub enum IssueOutcome {
    /// Issued, for the first time or again.
    Issued {
        /// The record's name, such as `amal-hassan-slottsskogen`.
        name: String,
        /// The issue's number: 1 for a first issue.
        number: u32,
        /// Its verification code.
        code: String,
    },
    /// Issued before with the same content: nothing to do.
    Unchanged {
        /// The record's name.
        name: String,
        /// The code of the certificate in force.
        code: String,
    },
    /// Refused or failed, with why.
    Problem(Vec<Diagnostic>),
}

/// Issues the certificate of every certificate document in `plan` and
/// records it in `register`. A certificate issued before is left as it is
/// when unchanged, and issued again only with a reason.
pub fn issue(issuing: &Issuing, plan: &Plan, register: &mut Register) -> Vec<IssueOutcome> {
    plan.documents
        .iter()
        .filter(|document| document.kind == DocumentKind::Certificate)
        .map(|document| issue_one(issuing, document, register).unwrap_or_else(IssueOutcome::Problem))
        .collect()
}

fn issue_one(
    issuing: &Issuing,
    document: &PlannedDocument,
    register: &mut Register,
) -> Result<IssueOutcome, Vec<Diagnostic>> {
    let progression = issuing.builder.issued_progression(document).expect("a certificate is made from an assessment");
    let data = canonical::value_of(&progression);
    let (checked_assessment, assessment) = assessment_of(issuing.checked, document, issuing.project_root)
        .expect("a certificate is planned from one of the checked assessments");
    let existing = register.position(&data, Some(&assessment));
    if let Some(index) = existing {
        let record = &register.records[index];
        let current = record.current();
        if current.certificate == data {
            return Ok(IssueOutcome::Unchanged { name: record.name(), code: current.verification_code.clone() });
        }
        if issuing.reissue.is_none() {
            return Err(vec![refused(record, &current.certificate, &data)]);
        }
    }
    let name = match existing {
        Some(index) => register.records[index].name(),
        None => free_name(register, document),
    };
    let number = existing.map_or(1, |index| register.records[index].current().number + 1);
    let issued = new_issue(issuing, document, (checked_assessment, &register.dir), &name, number, data)?;
    let code = issued.verification_code.clone();
    let record = match existing {
        Some(index) => {
            let record = &mut register.records[index];
            record.issues.push(issued);
            record.participant = progression.participant.register_name();
            record.assessment = assessment;
            record.clone()
        }
        None => {
            let record = Record {
                format: FORMAT,
                participant: progression.participant.register_name(),
                framework: progression.framework.id.clone(),
                assessment,
                issues: vec![issued],
                extensions: BTreeMap::new(),
                path: register.dir.join(format!("{name}.json")),
            };
            register.records.push(record.clone());
            record
        }
    };
    register.save(&record).map_err(|error| vec![write_failed(&record.path, &error)])?;
    Ok(IssueOutcome::Issued { name, number, code })
}

/// Builds the certificate, writes its documents and its Typst source
/// into the register's folder, and gives the register's entry for it.
fn new_issue(
    issuing: &Issuing,
    document: &PlannedDocument,
    (assessment, register_dir): (&CheckedAssessment, &Path),
    name: &str,
    number: u32,
    data: Value,
) -> Result<Issue, Vec<Diagnostic>> {
    let framework =
        framework_for(&assessment.assessment, &issuing.checked.resolution).map_err(|problem| vec![problem])?;
    let (typst, pdf) = issuing.builder.certificate(document)?;
    let source = format!("{name}/{number}.typ");
    write(&register_dir.join(&source), typst.source.as_bytes())?;
    let files = keep_files(register_dir, &typst)?;
    write_documents(issuing, document, &pdf)?;
    let recipe = Recipe {
        pdf: document.stem.with_extension("pdf").display().to_string().replace('\\', "/"),
        pdf_sha256: sha256_hex(&pdf),
        source,
        source_sha256: sha256_hex(typst.source.as_bytes()),
        template: typst.name.clone(),
        templates: issuing.templates.map_or_else(|| "bundled".to_string(), |dir| dir.display().to_string()),
        files,
        ident: typst.ident.clone(),
        date: typst.date,
        kub: env!("CARGO_PKG_VERSION").to_string(),
    };
    Ok(Issue {
        number,
        issued_on: issuing.today,
        reason: issuing.reissue.filter(|_| number > 1).map(str::to_string),
        verification_code: data
            .get(crate::report::VERIFICATION_FIELD)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        framework: super::FrameworkStamp {
            id: framework.id.clone(),
            version: framework.version.clone(),
            fingerprint: framework_fingerprint(framework),
        },
        document: recipe,
        certificate: data,
        extensions: BTreeMap::new(),
    })
}

/// The files a certificate's source reads besides its data (the logo, the
/// QR code, the signed credential), each kept once under `issued/files/`
/// by its digest.
fn keep_files(register_dir: &Path, typst: &TypstDocument) -> Result<Vec<KeptFile>, Vec<Diagnostic>> {
    let mut kept = Vec::new();
    for (name, bytes) in typst.files.iter().filter(|(name, _)| name != "certificate.json") {
        let sha256 = sha256_hex(bytes.as_slice());
        let extension = Path::new(name).extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
        let file = format!("files/{sha256}.{extension}");
        let path = register_dir.join(&file);
        if !path.is_file() {
            write(&path, bytes.as_slice())?;
        }
        kept.push(KeptFile { name: name.clone(), file, sha256 });
    }
    Ok(kept)
}

/// The certificate's PDF, data and HTML in the output folder.
fn write_documents(issuing: &Issuing, document: &PlannedDocument, pdf: &[u8]) -> Result<(), Vec<Diagnostic>> {
    let html_only = [Format::Html].into_iter().collect();
    let built = issuing.builder.build(document, &html_only)?;
    let progression = issuing.builder.issued_progression(document).expect("a certificate is made from an assessment");
    let json = certificate_json(&progression);
    write(&issuing.out.join(document.stem.with_extension("pdf")), pdf)?;
    write(&issuing.out.join(document.stem.with_extension("json")), json.as_bytes())?;
    for (relative, bytes) in built.files {
        write(&issuing.out.join(relative), bytes.as_slice())?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Vec<Diagnostic>> {
    write_atomically(path, bytes).map_err(|error| vec![write_failed(path, &error)])
}

fn write_failed(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Code::RegisterWriteFailed, format!("cannot write {}: {error}", path.display()))
        .hint("check that the project folder and the output folder are writable and that the disk has room")
}

/// A name for a new record: the document's name, with a number added if
/// another participant's record has it.
fn free_name(register: &Register, document: &PlannedDocument) -> String {
    let wanted = document.stem.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let taken = |name: &str| {
        register.records.iter().any(|record| record.name() == name)
            || register.dir.join(format!("{name}.json")).exists()
    };
    let mut name = wanted.clone();
    let mut number = 2;
    while taken(&name) {
        name = format!("{wanted}-{number}");
        number += 1;
    }
    name
}

/// The refusal to issue a changed certificate without a reason.
fn refused(record: &Record, issued: &Value, today: &Value) -> Diagnostic {
    let changed = changes(issued, today);
    let path = PathBuf::from(&record.assessment);
    Diagnostic::new(
        Code::ReissueNeeded,
        format!(
            "the certificate issued to {} on {} {} would change: {}",
            record.participant,
            record.current().framework.id,
            record.current().framework.version,
            listed(&changed)
        ),
    )
    .hint(format!(
        "if the change is meant, issue it again with a reason: kub issue {} --reissue --reason \"...\"",
        path.display()
    ))
    .hint("the register keeps both certificates; the one issued first stays as it was")
}

/// Changes in one line, at most five of them.
pub(super) fn listed(changes: &[String]) -> String {
    let mut text = changes.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
    if changes.len() > 5 {
        text.push_str(&format!("; and {} more", changes.len() - 5));
    }
    text
}
