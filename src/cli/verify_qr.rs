//! `kub verify --qr IMAGE-OR-TEXT [CERTIFICATE]`: checks the signed
//! statement of a certificate's QR code (from a photo or scan, or the text
//! a phone's scanner shows) against the issuer's key, says what it states,
//! and checks that it belongs to the certificate's credential. Exit 0
//! valid, 1 not valid, 2 the command was wrong.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::Outcome;
use super::verify::{attached_credential_bytes, is_credential};
use super::verify_credential::{expected_key, trust_note};
use crate::credential::statement::{Claims, StatementCheck, check_credential, find_credential};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::render::{self, Color};
use crate::project::Project;
use crate::register::REGISTER_DIR;
use crate::render::qr_scan::{texts_in_image, verify_scanned};
use crate::source::SourceMap;

pub(super) fn run(scanned: &str, certificate: Option<&Path>, key: Option<&str>, color: Color) -> Outcome {
    let expected = match expected_key(key, color) {
        Ok(expected) => expected,
        Err(outcome) => return outcome,
    };
    let credential = match certificate.map(credential_of).transpose() {
        Ok(credential) => credential,
        Err(usage) => return usage,
    };
    let text = match scanned_text(scanned) {
        Ok(text) => text,
        Err(outcome) => return outcome(color),
    };
    let mut check = verify_scanned(&text, expected.as_ref());
    let mut confirmed = None;
    if let Some(claims) = check.claims.clone().filter(|_| check.is_valid()) {
        match belongs(&claims, certificate, credential.as_deref()) {
            Ok(found) => confirmed = found,
            Err(problem) => check.problems.push(problem),
        }
    }
    print!("{}", describe(&check, confirmed.as_deref()));
    if check.is_valid() {
        Outcome::Success
    } else {
        eprint!("{}", render::human(&check.problems, &SourceMap::new(), color));
        Outcome::Problems
    }
}

/// The scanned text: read from the image `argument` names, or `argument`
/// itself when it names no file.
fn scanned_text(argument: &str) -> Result<String, Box<dyn FnOnce(Color) -> Outcome>> {
    let path = Path::new(argument);
    if !path.is_file() {
        let image = [".png", ".jpg", ".jpeg"].iter().any(|e| argument.to_ascii_lowercase().ends_with(e));
        if image {
            let message = format!("cannot read {argument}: there is no such file");
            return Err(Box::new(move |_| Outcome::Usage(message)));
        }
        return Ok(argument.to_string());
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let message = format!("cannot read {argument}: {error}");
            return Err(Box::new(move |_| Outcome::Usage(message)));
        }
    };
    if bytes.starts_with(b"%PDF-") {
        let message = format!(
            "--qr takes a photo or scan of the QR code (PNG or JPEG) or its text, not a PDF; to check that the code \
             belongs to {argument}, give it after the code: kub verify --qr IMAGE {argument}"
        );
        return Err(Box::new(move |_| Outcome::Usage(message)));
    }
    match texts_in_image(&bytes) {
        Ok(texts) => Ok(texts.into_iter().next().unwrap_or_default()),
        Err(problem) => Err(Box::new(move |color| problems(&[problem], color))),
    }
}

fn problems(problems: &[Diagnostic], color: Color) -> Outcome {
    eprint!("{}", render::human(problems, &SourceMap::new(), color));
    println!("NOT VALID: the QR code could not be checked");
    Outcome::Problems
}

/// The signed credential of a certificate's PDF or `.credential.json`;
/// empty for a PDF without one, which then belongs to no statement.
fn credential_of(path: &Path) -> Result<Vec<u8>, Outcome> {
    let bytes = std::fs::read(path).map_err(|e| Outcome::Usage(format!("cannot read {}: {e}", path.display())))?;
    if bytes.starts_with(b"%PDF-") {
        return Ok(attached_credential_bytes(&bytes).unwrap_or_default());
    }
    if is_credential(&bytes) {
        return Ok(bytes);
    }
    Err(Outcome::Usage(format!(
        "{} is neither a certificate's PDF nor its .credential.json, which the QR code is checked against",
        path.display()
    )))
}

/// Whether the statement's credential is the one given, or else the one
/// the project keeps; the file that confirmed it, if any.
fn belongs(claims: &Claims, given: Option<&Path>, credential: Option<&[u8]>) -> Result<Option<String>, Diagnostic> {
    if let (Some(path), Some(bytes)) = (given, credential) {
        let name = path.display().to_string();
        return check_credential(claims, bytes, &name).map(|()| Some(name));
    }
    let Some((path, bytes)) = find_credential(&project_folders(), &claims.jti) else { return Ok(None) };
    let name = path.display().to_string();
    check_credential(claims, &bytes, &name).map(|()| Some(name))
}

/// Where a project keeps credentials: the register's kept files first,
/// then the certificates in the output folder.
fn project_folders() -> Vec<PathBuf> {
    match Project::discover(&std::env::current_dir().unwrap_or_default()) {
        Ok(project) if project.file.is_some() => {
            vec![project.root.join(REGISTER_DIR).join("files"), project.output.join("certificates")]
        }
        _ => Vec::new(),
    }
}

/// The verdict and what the statement says, for a person to read.
fn describe(check: &StatementCheck, confirmed: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(claims) = &check.claims {
        let _ = writeln!(out, "Signed statement in the QR code");
        let _ = writeln!(out, "  to          {}", claims.name);
        let _ = writeln!(out, "  for         {}", claims.fw.replacen('@', " ", 1));
        if let Some(level) = claims.seqf {
            let _ = writeln!(out, "  SeQF level  {level}");
        }
        let _ = writeln!(out, "  issued on   {}", claims.issued_on());
        let _ = writeln!(out, "  credential  {}", claims.jti);
        if let Some(key) = &check.key_id {
            let _ = writeln!(out, "  signed by   {key}");
        }
    }
    match check.trust {
        Some(trust) if check.is_valid() => {
            let _ = writeln!(out, "valid: the statement is signed with the issuer's key and unchanged since");
            let _ = writeln!(out, "{}", trust_note(trust, "statement"));
            match confirmed {
                Some(file) => {
                    let _ = writeln!(out, "ok: {file} carries the credential the QR code vouches for");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "note: no copy of the credential was given or found in this project; to check that the QR \
                         code belongs to a certificate, give its PDF: kub verify --qr CODE CERTIFICATE.pdf"
                    );
                }
            }
            let _ = writeln!(out, "compare the name, framework and level above with the printed certificate");
        }
        _ => {
            let _ = writeln!(out, "NOT VALID: do not rely on this QR code or the certificate it is printed on");
        }
    }
    out
}
