//! The register of issued certificates: plain JSON files under `issued/` in
//! the project, meant to be committed, that record every certificate kub
//! issued, so that no later build changes one unnoticed and any can be
//! rebuilt byte for byte. docs/register.md describes the format.
//!
//! One record per participant and framework (`issued/NAME.json`) holds
//! every issue of their certificate, oldest first: the data exactly as
//! printed, the framework's fingerprint, the verification code, and the
//! recipe of the PDF. The Typst source each PDF was compiled from is kept
//! beside it (`issued/NAME/N.typ`), and the logo once by its digest
//! (`issued/files/`).

mod compare;
mod issue;
mod keep;
pub mod pdf;
mod verify;
mod versions;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use compare::changes;
pub use issue::{IssueOutcome, Issuing, issue};
pub use keep::{Kept, Restored, keep_issued, rebuild, restore};
pub use verify::{Finding, Verification, data_from_json, data_from_pdf, describe, verify};
pub use versions::unversioned_changes;

use crate::build::PlannedDocument;
use crate::canonical;
use crate::check::{Checked, CheckedAssessment};
use crate::diagnostic::{Code, Diagnostic};
use crate::render::write_atomically;
use crate::render::{Bytes, TypstDocument};

/// The register's folder in the project.
pub const REGISTER_DIR: &str = "issued";

/// The version of the register's format this kub writes. A record of a
/// later format is read, but its unknown fields are kept as they are.
pub const FORMAT: u32 = 1;

/// One participant's certificates on one framework, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The format's version: [`FORMAT`].
    pub format: u32,
    /// The participant's name, as printed.
    pub participant: String,
    /// The framework's id.
    pub framework: String,
    /// The assessment file, relative to the project's folder, when last issued.
    pub assessment: String,
    /// Every issue, oldest first; the last one is the certificate in force.
    pub issues: Vec<Issue>,
    /// Fields a later kub adds, kept as they are when this kub writes the
    /// record again.
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Value>,
    /// Where the record is kept.
    #[serde(skip)]
    pub path: PathBuf,
}

/// One issued certificate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Issue {
    /// 1 for the first issue, counting up with each reissue.
    pub number: u32,
    /// The day it was issued.
    pub issued_on: NaiveDate,
    /// Why it was reissued; `None` for a first issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The code printed on it.
    pub verification_code: String,
    /// The framework it rests on.
    pub framework: FrameworkStamp,
    /// How its PDF was made, to make it again.
    pub document: Recipe,
    /// The certificate's data exactly as printed: what its templates saw
    /// and what is attached to its PDF.
    pub certificate: Value,
    /// Fields a later kub adds (a signed credential, a proof), kept as
    /// they are when this kub writes the record again.
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Value>,
}

/// A framework version and the fingerprint of its resolved content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkStamp {
    /// Its id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// `sha256:` and the SHA-256 of the resolved framework's canonical
    /// JSON: the same however the files are formatted or commented.
    pub fingerprint: String,
}

/// What a certificate's PDF was compiled from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recipe {
    /// The PDF's path in the output folder, as issued.
    pub pdf: String,
    /// The SHA-256 of the PDF.
    pub pdf_sha256: String,
    /// The Typst source, relative to `issued/`.
    pub source: String,
    /// The SHA-256 of the Typst source.
    pub source_sha256: String,
    /// The template the source was made from, such as `certificate.typ`.
    pub template: String,
    /// The template folder: `bundled`, or the organisation's folder.
    pub templates: String,
    /// The files the source reads besides its data: the logo, the QR code,
    /// the signed credential attached to the PDF.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<KeptFile>,
    /// The PDF's document identifier.
    pub ident: String,
    /// The PDF's date.
    pub date: NaiveDate,
    /// The kub version that compiled it; the same version compiles the
    /// same bytes.
    pub kub: String,
}

/// A file a Typst source reads, kept in the register by its digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeptFile {
    /// The name the source reads it by, such as `logo.png`.
    pub name: String,
    /// Its path, relative to `issued/`.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
}

/// Who a certificate is about: the participant's name, the framework's id
/// and the first day of the placement. Two certificates with the same
/// identity are versions of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    participant: String,
    framework: String,
    period_start: Option<String>,
}

impl Identity {
    /// The identity of a certificate's data.
    pub fn of(certificate: &Value) -> Identity {
        let text = |pointer: &str| certificate.pointer(pointer).and_then(Value::as_str).map(str::to_string);
        Identity {
            participant: text("/participant/name").unwrap_or_default(),
            framework: text("/framework/id").unwrap_or_default(),
            period_start: text("/period/start"),
        }
    }
}

impl Record {
    /// The certificate in force: the last issue.
    pub fn current(&self) -> &Issue {
        self.issues.last().expect("a record holds at least one issue")
    }

    /// The record's name in the register, such as `amal-hassan-slottsskogen`.
    pub fn name(&self) -> String {
        self.path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// The register of a project: every record under `issued/`.
#[derive(Debug, Clone)]
pub struct Register {
    /// The register's folder.
    pub dir: PathBuf,
    /// The records, by file name.
    pub records: Vec<Record>,
    /// Records that could not be read.
    pub problems: Vec<Diagnostic>,
}

impl Register {
    /// The register in `dir` (a project's `issued/`); empty when the folder
    /// does not exist yet.
    pub fn load(dir: &Path) -> Register {
        let dir = crate::model::workspace::normalize(dir);
        let mut register = Register { dir, records: Vec::new(), problems: Vec::new() };
        let Ok(entries) = std::fs::read_dir(&register.dir) else { return register };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "json") && path.is_file())
            .collect();
        paths.sort();
        for path in paths {
            match read_record(&path) {
                Ok(record) => register.records.push(record),
                Err(problem) => register.problems.push(problem),
            }
        }
        register
    }

    /// The register of the project in `root`.
    pub fn of_project(root: &Path) -> Register {
        Register::load(&root.join(REGISTER_DIR))
    }

    /// What `kub check` and `kub build` report about the register: records
    /// that cannot be read, and frameworks changed under issued
    /// certificates ([`unversioned_changes`]).
    pub fn check(&self, checked: &Checked, organisation: Option<&str>) -> Vec<Diagnostic> {
        let mut found = self.problems.clone();
        found.extend(unversioned_changes(checked, self, organisation));
        found
    }

    /// The record of the certificate with this data's identity.
    pub fn find(&self, certificate: &Value) -> Option<&Record> {
        self.position(certificate, None).map(|index| &self.records[index])
    }

    /// Where the record of a certificate is: the record made from the same
    /// assessment file for the same framework, else the one with the same
    /// identity. The file comes first, so that a participant's name
    /// corrected in it is a change to their certificate, not a new one.
    pub fn position(&self, certificate: &Value, assessment: Option<&str>) -> Option<usize> {
        let identity = Identity::of(certificate);
        let same_file =
            |record: &Record| assessment == Some(record.assessment.as_str()) && record.framework == identity.framework;
        self.records
            .iter()
            .position(same_file)
            .or_else(|| self.records.iter().position(|record| Identity::of(&record.current().certificate) == identity))
    }

    /// A path in the register's folder.
    fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Writes a record, whole or not at all.
    fn save(&self, record: &Record) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(record).expect("a record serialises") + "\n";
        write_atomically(&record.path, text.as_bytes())
    }

    /// Problems with an issue's entry: its data does not give its code, or
    /// its Typst source is not the one recorded. Such an entry was edited
    /// by hand after kub wrote it.
    pub fn altered(&self, record: &Record, issue: &Issue) -> Vec<String> {
        let mut problems = Vec::new();
        let recomputed = crate::report::verification_code(&issue.certificate);
        if recomputed != issue.verification_code {
            problems.push(format!(
                "its certificate data gives the verification code {recomputed}, not the {} it records",
                issue.verification_code
            ));
        }
        let carried = issue.certificate.get(crate::report::VERIFICATION_FIELD).and_then(Value::as_str);
        if carried != Some(issue.verification_code.as_str()) {
            problems.push(format!(
                "its certificate data carries the code {}, not the {} it records",
                carried.unwrap_or("(none)"),
                issue.verification_code
            ));
        }
        match std::fs::read(self.path(&issue.document.source)) {
            Ok(source) if canonical::sha256_hex(&source) != issue.document.source_sha256 => problems
                .push(format!("its Typst source {} is not the one issued (its digest differs)", issue.document.source)),
            Ok(_) => {}
            Err(error) => problems.push(format!("its Typst source {} cannot be read: {error}", issue.document.source)),
        }
        if !problems.is_empty() {
            problems.insert(0, format!("{}, issue {}", record.path.display(), issue.number));
        }
        problems
    }

    /// The Typst document an issue's PDF was compiled from, read back from
    /// the register, to compile the same bytes again.
    pub fn typst_document(&self, issue: &Issue) -> Result<TypstDocument, Diagnostic> {
        let recipe = &issue.document;
        let cannot = |what: String| {
            Diagnostic::new(
                Code::IssuedRebuildFailed,
                format!("cannot rebuild the issued certificate {}: {what}", recipe.pdf),
            )
            .hint("restore the register's files from version control (`git checkout issued/`)")
        };
        let source = std::fs::read(self.path(&recipe.source))
            .map_err(|error| cannot(format!("its Typst source {} cannot be read ({error})", recipe.source)))?;
        if canonical::sha256_hex(&source) != recipe.source_sha256 {
            return Err(cannot(format!("its Typst source {} was changed after it was issued", recipe.source)));
        }
        let source = String::from_utf8(source).map_err(|_| cannot(format!("{} is not UTF-8 text", recipe.source)))?;
        let data = crate::canonical::to_pretty(&issue.certificate);
        let mut files = vec![("certificate.json".to_string(), Bytes::from_string(data))];
        for kept in &recipe.files {
            let bytes = std::fs::read(self.path(&kept.file))
                .map_err(|error| cannot(format!("its file {} ({}) cannot be read ({error})", kept.file, kept.name)))?;
            if canonical::sha256_hex(&bytes) != kept.sha256 {
                return Err(cannot(format!("its file {} ({}) was changed after it was issued", kept.file, kept.name)));
            }
            files.push((kept.name.clone(), Bytes::new(bytes)));
        }
        Ok(TypstDocument {
            name: recipe.template.clone(),
            source,
            files,
            archival: true,
            ident: recipe.ident.clone(),
            date: recipe.date,
        })
    }
}

/// The assessment a planned certificate is made from, with its path as
/// the register records it: relative to the project's folder.
pub(crate) fn assessment_of<'a>(
    checked: &'a Checked,
    document: &PlannedDocument,
    project_root: &Path,
) -> Option<(&'a CheckedAssessment, String)> {
    let entry = checked.assessments.iter().find(|entry| document.inputs.contains(&entry.file))?;
    let path = crate::model::workspace::normalize(checked.workspace.path(entry.file));
    let root = crate::model::workspace::normalize(project_root);
    let relative = if root == Path::new(".") { path.as_path() } else { path.strip_prefix(&root).unwrap_or(&path) };
    Some((entry, relative.display().to_string().replace('\\', "/")))
}

/// Reads one record, or says in plain words why it cannot be used.
fn read_record(path: &Path) -> Result<Record, Diagnostic> {
    let unreadable = |why: String| {
        Diagnostic::new(
            Code::RegisterUnreadable,
            format!("the register's record {} cannot be used: {why}", path.display()),
        )
        .hint("restore it from version control (`git checkout -- FILE`); kub writes these files itself")
    };
    let text = std::fs::read_to_string(path).map_err(|error| unreadable(error.to_string()))?;
    let mut record: Record = serde_json::from_str(&text).map_err(|error| unreadable(error.to_string()))?;
    if record.issues.is_empty() {
        return Err(unreadable("it lists no issued certificate".to_string()));
    }
    record.path = path.to_path_buf();
    Ok(record)
}
