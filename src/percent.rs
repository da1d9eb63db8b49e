//! Percent-encoding of the parts of a URL (RFC 3986), for the QR code's
//! links, the index page's links and the language server's file URIs.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Every character but RFC 3986's unreserved ones, which never need encoding.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `text` with every character but letters, digits and `-._~` encoded.
pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

/// `text` decoded, or `None` when a `%` is not followed by two hex digits
/// or the bytes are not UTF-8: such a link was not written by a tool that
/// follows the standard, so it is refused rather than guessed at.
pub(crate) fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let well_formed = bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'%')
        .all(|(at, _)| bytes.get(at + 1..at + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)));
    if !well_formed {
        return None;
    }
    percent_decode_str(text).decode_utf8().ok().map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_unreserved_characters_and_decoding_undoes_it() {
        let text = "Åsa Öberg/park-och_natur.2~1 ?&=#%";
        assert_eq!(encode(text), "%C3%85sa%20%C3%96berg%2Fpark-och_natur.2~1%20%3F%26%3D%23%25");
        assert_eq!(decode(&encode(text)).as_deref(), Some(text));
    }

    #[test]
    fn a_broken_escape_or_broken_utf8_is_refused() {
        assert_eq!(decode("a%2"), None);
        assert_eq!(decode("a%zz"), None);
        assert_eq!(decode("%C3"), None);
        assert_eq!(decode("plain"), Some("plain".to_string()));
    }
}
