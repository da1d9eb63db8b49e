//! `kub build` and issued certificates: an issued certificate is never
//! built again from today's files. Its PDF is the one issued (compiled
//! again from the register when it is missing), and a build that would
//! change it says what would change and fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Issue, Record, Register, assessment_of, changes, issue::listed};
use crate::build::{Builder, DocumentKind, Format, Plan, PlannedDocument};
use crate::canonical::{self, sha256_hex};
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::{PdfEngine, write_output};

/// A planned certificate taken out of a build because it was issued.
#[derive(Debug)]
pub struct Kept {
    /// The document the build would have made.
    pub document: PlannedDocument,
    /// The register's record of it.
    pub record: Record,
    /// What today's files would change on it; empty when nothing would.
    pub changes: Vec<String>,
}

/// What restoring the issued certificates did.
#[derive(Debug, Default)]
pub struct Restored {
    /// Files written, relative to the output folder.
    pub written: Vec<PathBuf>,
    /// Files already as issued.
    pub unchanged: usize,
    /// Certificates today's files would change, and issued PDFs that could
    /// not be made again.
    pub problems: Vec<Diagnostic>,
}

/// Takes every certificate the register holds out of `plan`, with what
/// today's files would change on it.
pub fn keep_issued(
    plan: &mut Plan,
    register: &Register,
    builder: &Builder,
    checked: &Checked,
    project_root: &Path,
) -> Vec<Kept> {
    let mut kept = Vec::new();
    plan.documents.retain(|document| {
        if document.kind != DocumentKind::Certificate {
            return true;
        }
        let Some(progression) = builder.issued_progression(document) else { return true };
        let today = canonical::value_of(&progression);
        let assessment = assessment_of(checked, document, project_root).map(|(_, path)| path);
        let Some(index) = register.position(&today, assessment.as_deref()) else { return true };
        let record = &register.records[index];
        let changes = changes(&record.current().certificate, &today);
        kept.push(Kept { document: document.clone(), record: record.clone(), changes });
        false
    });
    kept
}

/// Writes the issued certificates into `out` as they were issued: the PDF
/// (compiled again from the register when the one in `out` is not the
/// issued one) and the data; the HTML from today's templates when the
/// certificate is unchanged. A changed certificate is an error.
pub fn restore(
    kept: &[Kept],
    register: &Register,
    builder: &Builder,
    out: &Path,
    formats: &BTreeSet<Format>,
) -> Restored {
    let mut restored = Restored::default();
    for certificate in kept {
        if !certificate.changes.is_empty() {
            restored.problems.push(would_change(certificate));
        }
        let issue = certificate.record.current();
        let stem = &certificate.document.stem;
        if formats.contains(&Format::Pdf) {
            let path = stem.with_extension("pdf");
            match issued_pdf(register, builder, issue, &out.join(&path)) {
                Ok(Some(pdf)) => write(&mut restored, out, path, &pdf),
                Ok(None) => restored.unchanged += 1,
                Err(problem) => restored.problems.push(problem),
            }
        }
        if formats.contains(&Format::Json) {
            let json = canonical::to_pretty(&issue.certificate);
            write(&mut restored, out, stem.with_extension("json"), json.as_bytes());
        }
        if formats.contains(&Format::Html) && certificate.changes.is_empty() {
            let html_only = [Format::Html].into_iter().collect();
            match builder.build(&certificate.document, &html_only) {
                Ok(built) => {
                    for (path, bytes) in built.files {
                        write(&mut restored, out, path, bytes.as_slice());
                    }
                }
                Err(problems) => restored.problems.extend(problems),
            }
        }
    }
    restored.written.sort();
    restored
}

/// The issued PDF's bytes when `existing` is not it, else `None`.
fn issued_pdf(
    register: &Register,
    builder: &Builder,
    issue: &Issue,
    existing: &Path,
) -> Result<Option<Vec<u8>>, Diagnostic> {
    if std::fs::read(existing).is_ok_and(|bytes| sha256_hex(&bytes) == issue.document.pdf_sha256) {
        return Ok(None);
    }
    rebuild(register, issue, builder.engine()).map(Some)
}

/// An issued certificate's PDF compiled again from the register alone,
/// checked to be the very bytes issued.
pub fn rebuild(register: &Register, issue: &Issue, engine: &PdfEngine) -> Result<Vec<u8>, Diagnostic> {
    let typst = register.typst_document(issue)?;
    let pdf = engine.compile(&typst).map_err(|problems| {
        let why = problems.first().map_or_else(String::new, |problem| problem.message.clone());
        Diagnostic::new(
            Code::IssuedRebuildFailed,
            format!("cannot rebuild the issued certificate {}: {why}", issue.document.pdf),
        )
    })?;
    if sha256_hex(&pdf) != issue.document.pdf_sha256 {
        return Err(Diagnostic::new(
            Code::IssuedRebuildFailed,
            format!(
                "the issued certificate {} cannot be made again byte for byte: it was made by kub {}, this is kub {}",
                issue.document.pdf,
                issue.document.kub,
                env!("CARGO_PKG_VERSION")
            ),
        )
        .hint("keep the issued PDF, or build it with the kub version named"));
    }
    Ok(pdf)
}

fn write(restored: &mut Restored, out: &Path, relative: PathBuf, bytes: &[u8]) {
    let path = out.join(&relative);
    if std::fs::read(&path).is_ok_and(|existing| existing == bytes) {
        restored.unchanged += 1;
        return;
    }
    match write_output(&path, bytes) {
        Ok(()) => restored.written.push(relative),
        Err(error) => restored.problems.push(
            Diagnostic::new(Code::RegisterWriteFailed, format!("cannot write {}: {error}", path.display()))
                .hint("check that the output folder is writable and that the disk has room"),
        ),
    }
}

/// The error for a certificate today's files would change.
fn would_change(certificate: &Kept) -> Diagnostic {
    let record = &certificate.record;
    let issue = record.current();
    Diagnostic::new(
        Code::IssuedCertificateChanged,
        format!(
            "the certificate issued to {} on {} {} would change: {}",
            record.participant,
            issue.framework.id,
            issue.framework.version,
            listed(&certificate.changes)
        ),
    )
    .hint(format!("the issued certificate is kept as it was issued on {}", issue.issued_on))
    .hint(format!(
        "undo the change, give the framework a new version, or issue it again with a reason: kub issue {} --reissue --reason \"...\"",
        record.assessment
    ))
}
