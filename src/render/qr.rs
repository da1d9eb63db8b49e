//! The QR code printed on a certificate: the text it carries and the SVG
//! image the certificate template places.
//!
//! The text is the organisation's verification page when kub.toml names one
//! (`verify-url`), so that a phone opens it; otherwise a short `kub:verify`
//! link with the verification code and the framework, which
//! [`VerificationLink::parse`] reads back, for a checker to be pointed at.

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
                .replace("{code}", &percent_encode(&self.code))
                .replace("{framework}", &percent_encode(&self.framework))
                .replace("{version}", &percent_encode(&self.version)),
            None => format!(
                "{KUB_SCHEME}code={}&framework={}&version={}",
                percent_encode(&self.code),
                percent_encode(&self.framework),
                percent_encode(&self.version)
            ),
        }
    }

    /// Reads a `kub:verify` link back, as a checker gets it from a scanned
    /// code; `None` for any other text, such as an organisation's own URL.
    pub fn parse(text: &str) -> Option<VerificationLink> {
        let query = text.trim().strip_prefix(KUB_SCHEME)?;
        let mut link = VerificationLink { code: String::new(), framework: String::new(), version: String::new() };
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=')?;
            let value = percent_decode(value)?;
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

/// `text` as a QR code in SVG: black modules on white with the quiet zone
/// the standard asks for, since the certificate prints it on a tinted box.
///
/// Error correction level M survives a fold or a smudge on a printed copy
/// and keeps a verification link at 29 to 33 modules a side.
pub fn qr_svg(text: &str) -> Result<String, Diagnostic> {
    if text.len() > MAX_QR_TEXT {
        return Err(too_long(text));
    }
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| too_long(text))?;
    let svg = code.render::<svg::Color>().quiet_zone(true).module_dimensions(4, 4).build();
    // Without the XML declaration the same text serves Typst and inline HTML.
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    })
}

fn too_long(text: &str) -> Diagnostic {
    Diagnostic::new(
        Code::VerifyLinkTooLong,
        format!(
            "the certificate's QR code would carry {} characters, more than the {MAX_QR_TEXT} that scan reliably from paper",
            text.len()
        ),
    )
    .hint("shorten `verify-url` in kub.toml; the verification code is all the page needs")
}

/// Escapes everything but the characters a URL's query leaves as they are.
fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
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
    fn the_image_is_an_svg_and_overlong_texts_are_refused() {
        let svg = qr_svg(&link().text(None)).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
        let error = qr_svg(&"x".repeat(MAX_QR_TEXT + 1)).unwrap_err();
        assert_eq!(error.code, Code::VerifyLinkTooLong);
    }
}
