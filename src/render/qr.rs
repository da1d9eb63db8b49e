//! The QR code printed on a certificate: the text it carries and the SVG
//! image the certificate template places.
//!
//! Without an issuer key the text is the organisation's verification page
//! when kub.toml names one (`verify-url`), so that a phone opens it;
//! otherwise a short `kub:verify` link with the verification code and the
//! framework, which [`VerificationLink::parse`] reads back. With a key it
//! is the signed statement ([`crate::credential::statement`]), after the
//! verification page's address and a `#` when there is one
//! ([`VerificationLink::signed_text`]).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::diagnostic::{Code, Diagnostic};

/// The placeholders a `verify-url` may hold; `{code}` is required.
pub const VERIFY_URL_PLACEHOLDERS: [&str; 3] = ["{code}", "{framework}", "{version}"];

/// The scheme of the link kub writes when there is no verification page.
const KUB_SCHEME: &str = "kub:verify?";

/// The longest text kub puts in a QR code. A longer one still fits in a
/// QR code, but its modules get too small to scan reliably from paper at
/// the size the certificate prints it.
pub const MAX_QR_TEXT: usize = 300;

/// The longest text kub puts in a QR code that carries a signed statement:
/// a QR code of version 22 at error correction level M at most, printed
/// large enough (see [`QrImage::printed_height`]) to keep its modules
/// readable from paper.
pub const MAX_SIGNED_QR_TEXT: usize = 850;

/// The size of a module a phone reads well from a printed page, in mm.
const MODULE_MM: f64 = 0.34;
/// The smallest module kub prints when a full page leaves no more room, in mm.
const SMALLEST_MODULE_MM: f64 = 0.26;

/// What a certificate's QR code points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationLink {
    /// The verification code printed on the certificate.
    pub code: String,
    /// The framework's id.
    pub framework: String,
    /// The framework's version.
    pub version: String,
}

impl VerificationLink {
    /// The text the QR code carries: `verify_url` with its placeholders
    /// filled in, or else a `kub:verify` link.
    pub fn text(&self, verify_url: Option<&str>) -> String {
        match verify_url {
            Some(url) => url
                .replace("{code}", &crate::percent::encode(&self.code))
                .replace("{framework}", &crate::percent::encode(&self.framework))
                .replace("{version}", &crate::percent::encode(&self.version)),
            None => format!(
                "{KUB_SCHEME}code={}&framework={}&version={}",
                crate::percent::encode(&self.code),
                crate::percent::encode(&self.framework),
                crate::percent::encode(&self.version)
            ),
        }
    }

    /// The text of a QR code that carries the signed statement `jws`: the
    /// statement alone, or after the verification page's address as its
    /// fragment, which browsers never send to the server, so that the
    /// page's own script can check the statement and no server logs the
    /// participant's name. An address with a fragment of its own (a page
    /// that routes by it) gets the statement as `jws=` in that fragment.
    pub fn signed_text(&self, verify_url: Option<&str>, jws: &str) -> String {
        match verify_url {
            None => jws.to_string(),
            Some(_) => {
                let page = self.text(verify_url);
                let separator = match page.split_once('#') {
                    None => "#",
                    Some((_, fragment)) if fragment.contains('?') => "&jws=",
                    Some(_) => "?jws=",
                };
                format!("{page}{separator}{jws}")
            }
        }
    }

    /// Reads a `kub:verify` link back, as a checker gets it from a scanned
    /// code; `None` for any other text, such as an organisation's own URL.
    pub fn parse(text: &str) -> Option<VerificationLink> {
        let query = text.trim().strip_prefix(KUB_SCHEME)?;
        let mut link = VerificationLink { code: String::new(), framework: String::new(), version: String::new() };
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=')?;
            let value = crate::percent::decode(value)?;
            match key {
                "code" => link.code = value,
                "framework" => link.framework = value,
                "version" => link.version = value,
                _ => {}
            }
        }
        let complete = !link.code.is_empty() && !link.framework.is_empty() && !link.version.is_empty();
        complete.then_some(link)
    }
}

/// A QR code drawn as SVG, and its size in modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrImage {
    /// The SVG, without an XML declaration.
    pub svg: String,
    /// Modules a side, the quiet zone included.
    pub modules: usize,
}

impl QrImage {
    /// How tall to print the code, and how small it may get on a full page,
    /// in mm: a short verification link's 19 mm and 10 mm, and for a denser
    /// code (a signed statement) enough for modules a phone reads from paper.
    pub fn printed_height(&self) -> (f64, f64) {
        let modules = self.modules as f64;
        let round = |mm: f64| (mm * 10.0).ceil() / 10.0;
        (round((modules * MODULE_MM).max(19.0)), round((modules * SMALLEST_MODULE_MM).max(10.0)))
    }
}

/// `text` as a QR code in SVG: black modules on white with the quiet zone
/// the standard asks for, since the certificate prints it on a tinted box.
///
/// Error correction level M survives a fold or a smudge on a printed copy
/// and keeps a verification link at 29 to 33 modules a side.
pub fn qr_svg(text: &str) -> Result<String, Diagnostic> {
    qr_image(text, MAX_QR_TEXT).map(|image| image.svg)
}

/// `text` as a QR code, refused when longer than `max` bytes.
pub fn qr_image(text: &str, max: usize) -> Result<QrImage, Diagnostic> {
    if text.len() > max {
        return Err(too_long(text, max));
    }
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| too_long(text, max))?;
    let svg = code.render::<svg::Color>().quiet_zone(true).module_dimensions(4, 4).build();
    // Without the XML declaration the same text serves Typst and inline HTML.
    let svg = match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    };
    Ok(QrImage { svg, modules: code.width() + 8 })
}

fn too_long(text: &str, max: usize) -> Diagnostic {
    let fix = if max == MAX_QR_TEXT {
        "shorten `verify-url` in kub.toml; the verification code is all the page needs"
    } else {
        "shorten `verify-url` in kub.toml, or leave it out: the signed statement alone is what a verifier needs"
    };
    Diagnostic::new(
        Code::VerifyLinkTooLong,
        format!(
            "the certificate's QR code would carry {} characters, more than the {max} that scan reliably from paper",
            text.len()
        ),
    )
    .hint(fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> VerificationLink {
        VerificationLink { code: "7F3A-09C2-B4D1".into(), framework: "park-och-natur".into(), version: "2.1".into() }
    }

    #[test]
    fn without_a_verification_page_the_link_names_code_and_framework() {
        let text = link().text(None);
        assert_eq!(text, "kub:verify?code=7F3A-09C2-B4D1&framework=park-och-natur&version=2.1");
        assert_eq!(VerificationLink::parse(&text), Some(link()));
    }

    #[test]
    fn a_verification_page_gets_the_values_escaped() {
        let mut odd = link();
        odd.version = "1.0 beta&x".into();
        let text = odd.text(Some("https://intyg.example.se/v?c={code}&f={framework}@{version}"));
        assert_eq!(text, "https://intyg.example.se/v?c=7F3A-09C2-B4D1&f=park-och-natur@1.0%20beta%26x");
        assert_eq!(VerificationLink::parse(&text), None);
        assert_eq!(VerificationLink::parse(&odd.text(None)), Some(odd));
    }

    #[test]
    fn broken_links_are_not_read() {
        assert_eq!(VerificationLink::parse("kub:verify?code=AB&framework=x"), None);
        assert_eq!(VerificationLink::parse("kub:verify?code=%ZZ&framework=x&version=1"), None);
        assert_eq!(VerificationLink::parse("https://example.se"), None);
    }

    #[test]
    fn a_signed_statement_follows_the_page_address_as_its_fragment() {
        assert_eq!(link().signed_text(None, "eyJ.a.b"), "eyJ.a.b");
        let page = link().signed_text(Some("https://intyg.example.se/v?c={code}"), "eyJ.a.b");
        assert_eq!(page, "https://intyg.example.se/v?c=7F3A-09C2-B4D1#eyJ.a.b");
        let routed = link().signed_text(Some("https://intyg.example.se/#/v?c={code}"), "eyJ.a.b");
        assert_eq!(routed, "https://intyg.example.se/#/v?c=7F3A-09C2-B4D1&jws=eyJ.a.b");
    }

    #[test]
    fn a_dense_code_prints_larger() {
        let short = qr_image(&link().text(None), MAX_QR_TEXT).unwrap();
        assert_eq!(short.printed_height().0, 19.0);
        let dense = qr_image(&"x".repeat(500), MAX_SIGNED_QR_TEXT).unwrap();
        let (height, smallest) = dense.printed_height();
        assert!(height > 25.0 && smallest < height, "{height} {smallest}");
    }

    #[test]
    fn the_image_is_an_svg_and_overlong_texts_are_refused() {
        let svg = qr_svg(&link().text(None)).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
        let error = qr_svg(&"x".repeat(MAX_QR_TEXT + 1)).unwrap_err();
        assert_eq!(error.code, Code::VerifyLinkTooLong);
    }
}
