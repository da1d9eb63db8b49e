//! `kub verify`: whether a certificate's data is what it was made as, and
//! what the register says was issued; and what the certificate states, in
//! plain words.

use serde_json::Value;

use super::{Register, changes, issue::listed};
use crate::canonical::sha256_hex;
use crate::diagnostic::{Code, Diagnostic};
use crate::report::{VERIFICATION_FIELD, verification_code};

/// What checking a certificate found.
#[derive(Debug, Default)]
pub struct Verification {
    /// What was confirmed, in plain words.
    pub confirmed: Vec<String>,
    /// What is wrong, or worth knowing (a certificate replaced by a later one).
    pub problems: Vec<Diagnostic>,
}

impl Verification {
    /// True when nothing found makes the certificate doubtful.
    pub fn genuine(&self) -> bool {
        !self.problems.iter().any(Diagnostic::is_error)
    }
}

/// One fact of what a certificate states, for [`describe`].
pub type Finding = (&'static str, String);

/// Checks certificate data (`data`, from a PDF's attachment or a JSON
/// file) against its own verification code and, with a register, against
/// the issued entry; `pdf` is the PDF's bytes when the data came from one.
pub fn verify(data: &Value, pdf: Option<&[u8]>, register: Option<&Register>) -> Verification {
    let mut verification = Verification::default();
    let carried = data.get(VERIFICATION_FIELD).and_then(Value::as_str).unwrap_or_default().to_string();
    let recomputed = verification_code(data);
    if carried == recomputed {
        verification
            .confirmed
            .push(format!("the verification code {carried} matches everything the certificate states"));
    } else {
        verification.problems.push(
            Diagnostic::new(
                Code::CertificateDataAltered,
                format!(
                    "the certificate's data was changed after it was made: it carries the verification code {}, but what it states gives {recomputed}",
                    if carried.is_empty() { "(none)" } else { &carried }
                ),
            )
            .hint("compare the code printed on the certificate with both; ask the issuing organisation for the certificate as issued"),
        );
    }
    if let Some(register) = register {
        against_register(&mut verification, data, &carried, pdf, register);
    }
    verification
}

fn against_register(
    verification: &mut Verification,
    data: &Value,
    code: &str,
    pdf: Option<&[u8]>,
    register: &Register,
) {
    let name = data.pointer("/participant/name").and_then(Value::as_str).unwrap_or("(no name)");
    let Some(record) = register.find(data) else {
        verification.problems.push(
            Diagnostic::new(
                Code::NotInRegister,
                format!(
                    "the register {} holds no certificate issued to {name} on this framework",
                    register.dir.display()
                ),
            )
            .hint("check that this is the register of the organisation that issued it (`--register DIR`)"),
        );
        return;
    };
    let Some(issue) = record.issues.iter().find(|issue| issue.verification_code == code) else {
        verification.problems.push(
            Diagnostic::new(
                Code::NotAsIssued,
                format!(
                    "no certificate with the code {code} was issued to {name}: the register's certificate in force has the code {}",
                    record.current().verification_code
                ),
            )
            .hint(format!("the register's record is {}", record.path.display())),
        );
        return;
    };
    let altered = register.altered(record, issue);
    if !altered.is_empty() {
        verification.problems.push(
            Diagnostic::new(
                Code::RegisterEntryAltered,
                format!(
                    "the register's entry for {name} was edited after the certificate was issued: {}",
                    altered[1..].join("; ")
                ),
            )
            .hint(format!("restore {} from version control and verify again", altered[0])),
        );
    }
    if issue.certificate != *data {
        let changed = changes(&issue.certificate, data);
        verification.problems.push(Diagnostic::new(
            Code::NotAsIssued,
            format!("the certificate does not state what was issued to {name}: {}", listed(&changed)),
        ));
    }
    if let Some(pdf) = pdf
        && sha256_hex(pdf) != issue.document.pdf_sha256
    {
        verification.problems.push(
            Diagnostic::new(
                Code::NotAsIssued,
                format!("this PDF is not the one issued to {name}: its bytes differ from the issued PDF's"),
            )
            .hint("a PDF re-saved or edited in another program is not the issued document, even with the same data"),
        );
    }
    let number = issue.number;
    if let Some(later) = record.issues.iter().find(|later| later.number > number) {
        let reason = later.reason.as_deref().map(|reason| format!(": {reason}")).unwrap_or_default();
        verification.problems.push(Diagnostic::new(
            Code::CertificateReplaced,
            format!(
                "this certificate was replaced on {} by a new issue with the code {}{reason}",
                later.issued_on, later.verification_code
            ),
        ));
    }
    if verification.genuine() {
        verification.confirmed.push(format!(
            "it is the certificate issued to {name} on {} (issue {number} in {})",
            issue.issued_on,
            record.path.display()
        ));
    }
}

/// The certificate data attached to a certificate's PDF.
pub fn data_from_pdf(pdf: &[u8]) -> Result<Value, Diagnostic> {
    let is_certificate = |bytes: &[u8]| {
        serde_json::from_slice::<Value>(bytes).is_ok_and(|value| value.get(VERIFICATION_FIELD).is_some())
    };
    let bytes = super::pdf::attached_file(pdf, "certificate.json", &is_certificate).map_err(|why| {
        Diagnostic::new(
            Code::CertificateDataMissing,
            format!("the certificate's data cannot be read from the PDF: {why}"),
        )
        .hint("kub verifies the PDFs kub builds, which carry their data as an attachment (certificate.json)")
    })?;
    data_from_json(&bytes)
}

/// Certificate data written as JSON (a certificate's `.json`, or the
/// attachment of its PDF).
pub fn data_from_json(bytes: &[u8]) -> Result<Value, Diagnostic> {
    let missing = |why: String| {
        Diagnostic::new(Code::CertificateDataMissing, format!("this is not a certificate's data: {why}"))
            .hint("give the certificate's PDF or the .json kub wrote beside it")
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|error| missing(error.to_string()))?;
    if value.get(VERIFICATION_FIELD).is_none() || value.pointer("/participant/name").is_none() {
        return Err(missing("it has no participant or no verification code".to_string()));
    }
    Ok(value)
}

/// What a certificate states, fact by fact, in plain words.
pub fn describe(data: &Value) -> Vec<Finding> {
    let text = |pointer: &str| data.pointer(pointer).and_then(Value::as_str).map(str::to_string);
    let mut facts = Vec::new();
    facts.push(("participant", text("/participant/name").unwrap_or_else(|| "(no name)".into())));
    facts.push((
        "framework",
        format!(
            "{} ({} {})",
            text("/framework/title").unwrap_or_default(),
            text("/framework/id").unwrap_or_default(),
            text("/framework/version").unwrap_or_default()
        ),
    ));
    let seqf = data.pointer("/seqf/level").and_then(Value::as_u64);
    facts.push(("SeQF level", seqf.map_or_else(|| "none stated".to_string(), |level| level.to_string())));
    let achieved: Vec<String> = data
        .pointer("/areas")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|area| area.get("tasks").and_then(Value::as_array).into_iter().flatten())
        .filter(|task| task.get("achieved").and_then(Value::as_bool) == Some(true))
        .filter_map(|task| task.get("title").and_then(Value::as_str).map(str::to_string))
        .collect();
    let total = data.pointer("/summary/tasks").and_then(Value::as_u64).unwrap_or_default();
    let mut tasks = format!("{} of {total}", achieved.len());
    if !achieved.is_empty() {
        tasks.push_str(&format!(": {}", achieved.join("; ")));
    }
    facts.push(("tasks achieved", tasks));
    let reached = data.pointer("/summary/milestones_reached").and_then(Value::as_u64).unwrap_or_default();
    let milestones = data.pointer("/summary/milestones").and_then(Value::as_u64).unwrap_or_default();
    if milestones > 0 {
        facts.push(("milestones reached", format!("{reached} of {milestones}")));
    }
    if let (Some(signer), Some(date)) = (text("/signed/name"), text("/signed/date")) {
        facts.push(("signed", format!("by {signer} on {date}")));
    }
    if let Some(issuer) = text("/issuer") {
        facts.push(("issued by", issuer));
    }
    facts.push(("verification code", text(&format!("/{VERIFICATION_FIELD}")).unwrap_or_else(|| "(none)".into())));
    facts
}
