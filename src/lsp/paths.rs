//! File URIs to paths and back: the editor names files by `file:` URI, the
//! workspace by path.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// The path a `file:` URI names, if it names one.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file://host/path`: only files on this machine are read.
    let path = &rest[rest.find('/')?..];
    let decoded = crate::percent::decode(path)?;
    // `file:///C:/folder` on Windows names `C:/folder`.
    let decoded = match decoded.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => decoded[1..].to_string(),
        _ => decoded,
    };
    Some(crate::model::workspace::normalize(Path::new(&decoded)))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&uri).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_paths_with_nordic_letters_and_spaces() {
        let path = Path::new("/home/kub/åsa öberg/ärende #2.kub");
        let uri = from_path(path).unwrap();
        assert_eq!(uri.as_str(), "file:///home/kub/%C3%A5sa%20%C3%B6berg/%C3%A4rende%20%232.kub");
        assert_eq!(to_path(&uri).unwrap(), path);
    }

    #[test]
    fn refuses_what_is_not_a_local_file() {
        assert_eq!(to_path(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
        assert_eq!(to_path(&Uri::from_str("https://example.org/a.kub").unwrap()), None);
    }
}
