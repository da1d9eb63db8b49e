//! `kub verify`: check a certificate (its PDF, or its JSON) against its own
//! verification code and the register, and say what it states; a signed
//! credential, on its own or attached to the PDF, is checked too. With
//! `--qr`, the signed statement of a certificate's QR code is checked
//! instead (`verify_qr`).

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use super::Outcome;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::render::{self, Color};
use crate::project::Project;
use crate::register::{self, REGISTER_DIR, Register};
use crate::source::SourceMap;

/// The options of `kub verify`.
#[derive(Debug, Clone, Args)]
pub(crate) struct VerifyArgs {
    /// A certificate's PDF, or the JSON kub wrote beside it. With --qr:
    /// the certificate's PDF or credential the QR code should belong to.
    #[arg(required_unless_present = "qr")]
    pub file: Option<PathBuf>,
    /// A certificate's QR code: a photo or scan of it (PNG or JPEG), or the
    /// text a phone's scanner shows. Checks the issuer's signed statement in it.
    #[arg(long, value_name = "IMAGE-OR-TEXT")]
    pub qr: Option<String>,
    /// The register of issued certificates to check it against (default:
    /// the project's `issued/`, when there is one).
    #[arg(long, value_name = "DIR")]
    pub register: Option<PathBuf>,
    /// The issuer's public key (`did:key:z6Mk…` or `z6Mk…`) for a signed
    /// credential, instead of kub.toml's.
    #[arg(long)]
    pub key: Option<String>,
}

/// What a certificate's file holds, by its kind.
struct Certificate {
    data: Value,
    /// The PDF's bytes, when the data came from a PDF.
    pdf: Option<Vec<u8>>,
}

pub(super) fn run(args: &VerifyArgs, color: Color) -> Outcome {
    if let Some(scanned) = &args.qr {
        return super::verify_qr::run(scanned, args.file.as_deref(), args.key.as_deref(), color);
    }
    let Some(file) = &args.file else { return Outcome::Usage("give a certificate's PDF or JSON to verify".into()) };
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => return Outcome::Usage(format!("cannot read {}: {error}", file.display())),
    };
    if is_credential(&bytes) {
        return super::verify_credential::check(&String::from_utf8_lossy(&bytes), args.key.as_deref(), color);
    }
    let register = match register_for(args) {
        Ok(register) => register,
        Err(message) => return Outcome::Usage(message),
    };
    let sources = SourceMap::new();
    let certificate = match read_certificate(file, bytes) {
        Ok(certificate) => certificate,
        Err(problem) => {
            eprint!("{}", render::human([&problem], &sources, color));
            return Outcome::Problems;
        }
    };
    for (what, fact) in register::describe(&certificate.data) {
        println!("{what:>18}: {fact}");
    }
    let verification = register::verify(&certificate.data, certificate.pdf.as_deref(), register.as_ref());
    eprint!(
        "{}",
        render::human(&register.iter().flat_map(|r| r.problems.clone()).collect::<Vec<_>>(), &sources, color)
    );
    eprint!("{}", render::human(&verification.problems, &sources, color));
    for confirmed in &verification.confirmed {
        println!("ok: {confirmed}");
    }
    if register.is_none() {
        println!("note: no register was given, so only the certificate's own data was checked (--register DIR)");
    }
    let genuine = verification.genuine();
    if genuine {
        println!("genuine: the certificate states what it was issued with");
    } else {
        println!("NOT genuine: see the errors above");
    }
    let credential = certificate.pdf.as_deref().and_then(attached_credential);
    match credential.map(|text| {
        println!();
        super::verify_credential::check(&text, args.key.as_deref(), color)
    }) {
        Some(Outcome::Success) | None if genuine => Outcome::Success,
        Some(usage @ Outcome::Usage(_)) => usage,
        _ => Outcome::Problems,
    }
}

/// Whether a file is a signed credential (JSON-LD, with its `@context`)
/// rather than a certificate's PDF or data.
pub(super) fn is_credential(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Value>(bytes).is_ok_and(|json| json.get("@context").is_some())
}

/// The signed credential attached to a certificate's PDF, if it has one.
fn attached_credential(pdf: &[u8]) -> Option<String> {
    Some(String::from_utf8_lossy(&attached_credential_bytes(pdf)?).into_owned())
}

/// The bytes of the signed credential attached to a certificate's PDF.
pub(super) fn attached_credential_bytes(pdf: &[u8]) -> Option<Vec<u8>> {
    register::pdf::attached_file(pdf, crate::credential::ATTACHMENT_NAME, &is_credential).ok()
}

/// Reads certificate data from a file by its kind: the attachment of a
/// PDF, or JSON. Other kinds of credential are told apart here.
fn read_certificate(path: &Path, bytes: Vec<u8>) -> Result<Certificate, Diagnostic> {
    let is_pdf = bytes.starts_with(b"%PDF-") || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf {
        let data = register::data_from_pdf(&bytes)?;
        return Ok(Certificate { data, pdf: Some(bytes) });
    }
    Ok(Certificate { data: register::data_from_json(&bytes)?, pdf: None })
}

/// The register asked for, else the project's when it has one.
fn register_for(args: &VerifyArgs) -> Result<Option<Register>, String> {
    if let Some(dir) = &args.register {
        if !dir.is_dir() {
            return Err(format!("the register {} is not a folder", dir.display()));
        }
        return Ok(Some(Register::load(dir)));
    }
    let root = Project::discover(Path::new(".")).map(|project| project.root).unwrap_or_else(|_| PathBuf::from("."));
    let dir = root.join(REGISTER_DIR);
    Ok(dir.is_dir().then(|| Register::load(&dir)))
}
