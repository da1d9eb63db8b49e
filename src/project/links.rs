//! The kub.toml settings that reach outside kub: the verification page a
//! certificate's QR code links to, the base of CASE URIs and the country
//! Europass credentials name. Each is checked where it is written, since a
//! wrong one would be printed on every certificate or exported file.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::export::Country;
use crate::render::qr::{MAX_QR_TEXT, VERIFY_URL_PLACEHOLDERS};
use crate::source::{FileId, Location, Span};

/// `verify-url`: an http(s) address with `{code}` in it and no placeholder
/// kub would leave unfilled.
pub(super) fn verify_url(url: &toml::Spanned<String>, file: FileId) -> Result<String, Diagnostic> {
    let text = url.get_ref();
    let problem = if !is_web_address(text) {
        Some(("is not a web address".to_string(), "not http:// or https://"))
    } else if !text.contains("{code}") {
        Some(("has no `{code}` where the verification code goes".to_string(), "no {code}"))
    } else if let Some(unknown) = unknown_placeholder(text) {
        Some((format!("has `{unknown}`, which kub does not fill in"), "unknown placeholder"))
    } else if text.len() > MAX_QR_TEXT / 2 {
        Some((format!("is {} characters long; the QR code needs a short one", text.len()), "too long"))
    } else {
        None
    };
    match problem {
        None => Ok(text.clone()),
        Some((what, label)) => Err(Diagnostic::new(Code::InvalidVerifyUrl, format!("`verify-url` {what}"))
            .at(located(url, file))
            .label(label)
            .hint(format!(
                "write the address of your verification page with {} in it, for example \
                 \"https://intyg.example.se/verify?code={{code}}\"",
                VERIFY_URL_PLACEHOLDERS.join(", ")
            ))),
    }
}

/// `case-url`: the http(s) address under which CASE URIs are made.
pub(super) fn case_url(url: &toml::Spanned<String>, file: FileId) -> Result<String, Diagnostic> {
    let text = url.get_ref();
    if is_web_address(text) && !text.contains(['{', '}', ' ', '?', '#']) {
        return Ok(text.trim_end_matches('/').to_string());
    }
    Err(Diagnostic::new(Code::InvalidCaseUrl, "`case-url` is not a plain web address")
        .at(located(url, file))
        .label("expected http:// or https:// with no query")
        .hint("write where your CASE documents are published, for example \"https://kub.example.se/ims/case/v1p0\""))
}

/// `country`: a two-letter ISO 3166 code kub knows the Europass name of.
pub(super) fn country(country: &toml::Spanned<String>, file: FileId) -> Result<Country, Diagnostic> {
    let code = country.get_ref();
    Country::parse(code).ok_or_else(|| {
        Diagnostic::new(Code::UnknownCountry, format!("`{code}` is not a country code kub knows"))
            .at(located(country, file))
            .label("unknown country")
            .hint_if(did_you_mean(&code.to_ascii_uppercase(), Country::codes()))
            .hint("write the two-letter ISO 3166 code of the issuing organisation's country, such as SE or DK")
    })
}

fn is_web_address(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace))
}

/// The first `{...}` in `text` that is not one of kub's placeholders.
fn unknown_placeholder(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map_or(rest.len(), |end| start + end + 1);
        let placeholder = &rest[start..end];
        if !VERIFY_URL_PLACEHOLDERS.contains(&placeholder) {
            return Some(placeholder);
        }
        rest = &rest[end..];
    }
    None
}

fn located<T>(value: &toml::Spanned<T>, file: FileId) -> Location {
    let span = value.span();
    Location::new(file, Span::new(span.start, span.end))
}
