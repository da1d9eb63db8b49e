//! Reading a certificate's QR code back: its text from a photo or scan
//! (PNG or JPEG), and the signed statement in that text, checked against
//! the issuer's key. The other half of [`super::qr`].

use std::io::Cursor;

use image::imageops::FilterType;
use image::{GrayImage, ImageFormat, ImageReader};

use super::qr::VerificationLink;
use crate::credential::ExpectedKey;
use crate::credential::statement::{StatementCheck, verify_statement};
use crate::diagnostic::{Code, Diagnostic};

/// The longest side a photo is shrunk to when the code cannot be read at
/// full size: a phone's photo has more pixels than a code needs, and its
/// noise can hide the code's finder patterns.
const SHRUNK_SIDE: u32 = 1600;

/// The longest side an image is enlarged to.
const ENLARGED_SIDE: u32 = 8000;

/// The texts of the QR codes in a PNG or JPEG image, a signed statement
/// first when there is one.
pub fn texts_in_image(bytes: &[u8]) -> Result<Vec<String>, Diagnostic> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| not_found(format!("the image cannot be read: {error}")))?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err(not_found("the file is not a PNG or JPEG image".into()));
    }
    let image = reader.decode().map_err(|error| not_found(format!("the image cannot be read: {error}")))?.to_luma8();
    let mut texts = Vec::new();
    for attempt in Attempt::ALL {
        texts = attempt.prepare(&image).map(|prepared| decode(&prepared)).unwrap_or_default();
        if !texts.is_empty() {
            break;
        }
    }
    if texts.is_empty() {
        return Err(not_found("no QR code could be read in the image".into()));
    }
    texts.sort_by_key(|text| statement_in(text).is_err());
    Ok(texts)
}

/// The ways an image is tried, in order. A dense code's anti-aliased or
/// blurred edges can mislead the decoder's sampling: black and white only
/// gives it sharp edges, and twice the size more pixels per module.
#[derive(Clone, Copy)]
enum Attempt {
    AsIs,
    BlackAndWhite,
    Enlarged,
    Shrunk,
}

impl Attempt {
    const ALL: [Attempt; 4] = [Attempt::AsIs, Attempt::BlackAndWhite, Attempt::Enlarged, Attempt::Shrunk];

    /// The image to try, if this attempt applies to one of its size.
    fn prepare(self, image: &GrayImage) -> Option<GrayImage> {
        let longest = image.width().max(image.height());
        let resized = |side: u32| {
            let scale = f64::from(side) / f64::from(longest);
            let size = |pixels: u32| ((f64::from(pixels) * scale) as u32).max(1);
            image::imageops::resize(image, size(image.width()), size(image.height()), FilterType::Triangle)
        };
        match self {
            Attempt::AsIs => Some(image.clone()),
            Attempt::BlackAndWhite => Some(black_and_white(image.clone())),
            Attempt::Enlarged => (longest <= ENLARGED_SIDE / 2).then(|| black_and_white(resized(longest * 2))),
            Attempt::Shrunk => (longest > SHRUNK_SIDE).then(|| resized(SHRUNK_SIDE)),
        }
    }
}

/// Each pixel black or white, split at the middle between the darkest and
/// the lightest pixel.
fn black_and_white(mut image: GrayImage) -> GrayImage {
    let (darkest, lightest) = image.pixels().fold((255u8, 0u8), |(low, high), p| (low.min(p.0[0]), high.max(p.0[0])));
    let middle = (u16::from(darkest) + u16::from(lightest)) / 2;
    for pixel in image.pixels_mut() {
        pixel.0[0] = if u16::from(pixel.0[0]) <= middle { 0 } else { 255 };
    }
    image
}

/// The texts of the QR codes rqrr finds and decodes in `image`.
fn decode(image: &GrayImage) -> Vec<String> {
    let (width, height) = (image.width() as usize, image.height() as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| image.get_pixel(x as u32, y as u32).0[0]);
    prepared.detect_grids().iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
}

fn not_found(message: String) -> Diagnostic {
    Diagnostic::new(Code::QrCodeNotFound, message)
        .hint("photograph or scan the code again, sharp, straight on and filling a good part of the picture")
        .hint("or give the text a phone's QR scanner shows: kub verify --qr 'eyJ…'")
}

/// The compact JWS in a scanned text: the whole text, or the fragment of a
/// verification page's address (or its `jws=`); a code without one says
/// what it carries instead.
pub fn statement_in(scanned: &str) -> Result<&str, Diagnostic> {
    let text = scanned.trim();
    let candidate = match text.split_once('#') {
        Some((_, fragment)) => fragment.rsplit_once("jws=").map_or(fragment, |(_, jws)| jws),
        None => text,
    };
    if looks_like_jws(candidate) {
        return Ok(candidate);
    }
    if let Some(link) = VerificationLink::parse(text) {
        return Err(unsigned(format!(
            "the QR code carries only the verification code {} (framework {} {}), not a signed statement",
            link.code, link.framework, link.version
        )));
    }
    if text.starts_with("https://") || text.starts_with("http://") {
        return Err(unsigned(format!("the QR code carries only the address {text}, not a signed statement")));
    }
    Err(Diagnostic::new(Code::QrStatementUnreadable, "the QR code's text is not a statement kub signs")
        .hint("scan the QR code of a certificate kub made with an issuer key: its text starts with `eyJ`"))
}

/// Three dot-separated base64url parts, the first a JSON object (`eyJ`).
fn looks_like_jws(text: &str) -> bool {
    let base64url =
        |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3 && parts[0].starts_with("eyJ") && parts.iter().all(|part| base64url(part))
}

fn unsigned(message: String) -> Diagnostic {
    Diagnostic::new(Code::QrUnsigned, message).hint(
        "anyone can make such a code: check the certificate's PDF with `kub verify CERTIFICATE.pdf`, or ask the issuer",
    )
}

/// Checks what a scanned QR code carries against the issuer's key.
pub fn verify_scanned(scanned: &str, expected: Option<&ExpectedKey>) -> StatementCheck {
    match statement_in(scanned) {
        Ok(jws) => verify_statement(jws, expected),
        Err(problem) => StatementCheck { claims: None, key_id: None, trust: None, problems: vec![problem] },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_is_found_bare_or_after_a_page_address() {
        let jws = "eyJhbGciOiJFZERTQSJ9.eyJqdGkiOiJ4In0.c2ln";
        assert_eq!(statement_in(jws), Ok(jws));
        assert_eq!(statement_in(&format!("https://intyg.example.se/v?code=AB#{jws}")), Ok(jws));
        assert_eq!(statement_in(&format!("https://intyg.example.se/#/v?code=AB&jws={jws}\n")), Ok(jws));
    }

    #[test]
    fn codes_without_a_statement_say_what_they_carry() {
        let code = |text: &str| statement_in(text).unwrap_err().code;
        assert_eq!(code("kub:verify?code=AB&framework=x&version=1"), Code::QrUnsigned);
        assert_eq!(code("https://intyg.example.se/v?code=AB"), Code::QrUnsigned);
        assert_eq!(code("hello"), Code::QrStatementUnreadable);
        assert_eq!(code("eyJ.a"), Code::QrStatementUnreadable);
    }

    #[test]
    fn an_image_without_a_code_or_not_an_image_is_refused() {
        assert_eq!(texts_in_image(b"%PDF-1.7").unwrap_err().code, Code::QrCodeNotFound);
        let mut png = Vec::new();
        GrayImage::from_pixel(40, 40, image::Luma([255]))
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let error = texts_in_image(&png).unwrap_err();
        assert_eq!(error.code, Code::QrCodeNotFound);
        assert!(error.message.contains("no QR code"), "{}", error.message);
    }
}
