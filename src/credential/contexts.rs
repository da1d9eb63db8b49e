//! The JSON-LD contexts a credential may name, bundled so that signing and
//! verifying never fetch anything: a context kub does not hold is an error.
//!
//! `credentials-v2.jsonld` is the W3C copy with its `@vocab`, so a field no
//! context defines is still signed rather than silently dropped.

/// Each context kub holds, by the URL a credential names it with.
const CONTEXTS: &[(&str, &str)] = &[
    ("https://www.w3.org/ns/credentials/v2", include_str!("contexts/credentials-v2.jsonld")),
    ("https://www.w3.org/2018/credentials/v1", include_str!("contexts/credentials-v1.jsonld")),
    ("https://w3id.org/security/data-integrity/v1", include_str!("contexts/data-integrity-v1.jsonld")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", include_str!("contexts/ob-v3p0-3.0.3.json")),
    ("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json", include_str!("contexts/ob-v3p0-extensions.json")),
];

/// The contexts an Open Badges 3.0 credential lists, in the required order.
pub const OPEN_BADGES: [&str; 2] =
    ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"];

/// The bundled context named by `url`, if kub holds it.
pub fn bundled(url: &str) -> Option<&'static str> {
    CONTEXTS.iter().find(|(known, _)| *known == url).map(|(_, text)| *text)
}

/// The URLs of every bundled context, for messages.
pub fn known() -> impl Iterator<Item = &'static str> {
    CONTEXTS.iter().map(|(url, _)| *url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_is_json() {
        for (url, text) in CONTEXTS {
            let parsed: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(parsed.get("@context").is_some(), "{url}");
        }
    }
}
