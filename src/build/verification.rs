//! An issued certificate's QR code as the templates place it: the short
//! verification link, or with an issuer key the issuer's signed statement
//! about the certificate's credential, with how tall it prints.

use serde::Serialize;

use super::{Builder, DocumentKind, PlannedDocument};
use crate::diagnostic::Diagnostic;
use crate::render::Bytes;
use crate::report::Progression;

/// What an issued certificate's QR code says, and the code as SVG, which
/// Typst reads as the file [`QR_FILE`] and HTML takes inline. A code that
/// carries a signed statement is denser, so it says how tall it prints
/// (`height`, and `smallest` on a full page); a short link leaves both out
/// and prints at the template's own size.
#[derive(Serialize)]
pub(super) struct Verification {
    link: String,
    pub(super) qr: String,
    file: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    signed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smallest: Option<String>,
}

/// The name under which a certificate's Typst source reads its QR code.
pub(super) const QR_FILE: &str = "verification-qr.svg";

impl Builder {
    /// The QR code of an issued certificate: with a signed credential, the
    /// issuer's signed statement about it. A draft gets none: there is
    /// nothing yet to verify.
    pub(super) fn verification(
        &self,
        document: &PlannedDocument,
        issued: Option<&Progression>,
        credential: Option<&Bytes>,
    ) -> Result<Option<Verification>, Diagnostic> {
        use crate::render::qr::{MAX_QR_TEXT, MAX_SIGNED_QR_TEXT, VerificationLink, qr_image};
        let Some(progression) = issued else { return Ok(None) };
        if document.kind != DocumentKind::Certificate || !progression.certificate_issued {
            return Ok(None);
        }
        let link = VerificationLink {
            code: progression.verification_code.clone(),
            framework: progression.framework.id.clone(),
            version: progression.framework.version.clone(),
        };
        let verify_url = self.verify_url.as_deref();
        let statement = self.issuer.as_ref().zip(credential).and_then(|(issuer, credential)| {
            crate::credential::statement::Claims::of(progression, credential).map(|c| issuer.sign_statement(&c))
        });
        let Some(statement) = statement else {
            let link = link.text(verify_url);
            let qr = qr_image(&link, MAX_QR_TEXT)?.svg;
            return Ok(Some(Verification { link, qr, file: QR_FILE, signed: false, height: None, smallest: None }));
        };
        let link = link.signed_text(verify_url, &statement);
        let image = qr_image(&link, MAX_SIGNED_QR_TEXT)?;
        let (height, smallest) = image.printed_height();
        Ok(Some(Verification {
            link,
            qr: image.svg,
            file: QR_FILE,
            signed: true,
            height: Some(format!("{height}mm")),
            smallest: Some(format!("{smallest}mm")),
        }))
    }
}
