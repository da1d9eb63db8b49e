//! Reading a file attached to a PDF, such as the `certificate.json` of a
//! kub certificate (PDF/A-3), without a PDF library: kub writes its PDFs
//! with plain objects (no object streams), so the attachment is found by
//! its name in the catalogue's `EmbeddedFiles`, or else as the one
//! embedded file stream holding certificate data.
//!
//! Every step is checked: a PDF that is cut short, re-saved in another
//! form or edited by hand gives an error in plain words, never a panic.

use std::io::Read;

/// The bytes of the file attached to `pdf` under `name`, or why they
/// cannot be read. When the name cannot be found (a PDF tool may write
/// names in another form), the first attached file for which `accept`
/// holds is taken.
pub fn attached_file(pdf: &[u8], name: &str, accept: &dyn Fn(&[u8]) -> bool) -> Result<Vec<u8>, String> {
    if !pdf.starts_with(b"%PDF-") {
        return Err("it is not a PDF file".to_string());
    }
    if let Some(bytes) = by_name(pdf, name) {
        return bytes;
    }
    let mut last_problem = None;
    for object in embedded_file_objects(pdf) {
        match stream_data(pdf, object) {
            Ok(bytes) if accept(&bytes) => return Ok(bytes),
            Ok(_) => {}
            Err(problem) => last_problem = Some(problem),
        }
    }
    Err(last_problem.unwrap_or_else(|| format!("it has no attached {name}")))
}

/// The file attached under `name`, found through the names tree: `(name)
/// N 0 R` points to a file specification whose `/EF` names the stream.
fn by_name(pdf: &[u8], name: &str) -> Option<Result<Vec<u8>, String>> {
    let literal = format!("({name})");
    let at = find(pdf, literal.as_bytes(), 0)?;
    let (spec, _) = reference(&pdf[at + literal.len()..])?;
    let spec = object(pdf, spec)?;
    let ef = find(spec, b"/EF", 0)?;
    let after = &spec[ef + 3..];
    let key = find(after, b"/F", 0)?;
    let (stream, _) = reference(&after[key + 2..])?;
    Some(object(pdf, stream).ok_or_else(|| format!("its attached {name} is missing")).and_then(|o| stream_data(pdf, o)))
}

/// Every object whose dictionary says it is an embedded file.
fn embedded_file_objects(pdf: &[u8]) -> Vec<&[u8]> {
    let mut objects = Vec::new();
    let mut from = 0;
    while let Some(at) = find(pdf, b"/EmbeddedFile", from) {
        from = at + 1;
        let after = pdf.get(at + b"/EmbeddedFile".len()).copied();
        if after.is_some_and(|byte| byte.is_ascii_alphanumeric()) {
            continue; // `/EmbeddedFiles`, the names tree
        }
        let start = rfind(&pdf[..at], b" obj").map_or(0, |start| start + 4);
        let end = find(pdf, b"endobj", at).unwrap_or(pdf.len());
        objects.push(&pdf[start..end]);
    }
    objects
}

/// The contents of object `number`: the bytes between `N G obj` and `endobj`.
fn object(pdf: &[u8], number: u32) -> Option<&[u8]> {
    let header = format!("{number} 0 obj");
    let mut from = 0;
    while let Some(at) = find(pdf, header.as_bytes(), from) {
        from = at + 1;
        let starts_a_line = at == 0 || pdf[at - 1].is_ascii_whitespace();
        if !starts_a_line {
            continue;
        }
        let start = at + header.len();
        let end = find(pdf, b"endobj", start)?;
        return Some(&pdf[start..end]);
    }
    None
}

/// A stream object's data, decompressed.
fn stream_data(pdf: &[u8], object: &[u8]) -> Result<Vec<u8>, String> {
    let keyword = find(object, b"stream", 0).ok_or("its attachment has no data")?;
    let dictionary = &object[..keyword];
    let mut start = keyword + b"stream".len();
    if object.get(start) == Some(&b'\r') {
        start += 1;
    }
    if object.get(start) == Some(&b'\n') {
        start += 1;
    }
    let end = match length(pdf, dictionary) {
        Some(length) => start.checked_add(length).filter(|end| *end <= object.len()),
        None => find(object, b"endstream", start),
    }
    .ok_or("its attachment is cut short")?;
    let raw = &object[start..end];
    if find(dictionary, b"/FlateDecode", 0).is_some() {
        let mut data = Vec::new();
        flate2::read::ZlibDecoder::new(raw)
            .read_to_end(&mut data)
            .map_err(|error| format!("its attachment cannot be decompressed ({error})"))?;
        Ok(data)
    } else if find(dictionary, b"/Filter", 0).is_some() {
        Err("its attachment is compressed in a way kub does not read".to_string())
    } else {
        Ok(raw.to_vec())
    }
}

/// A stream's `/Length`, written directly or as a reference to an object
/// holding the number.
fn length(pdf: &[u8], dictionary: &[u8]) -> Option<usize> {
    let at = find(dictionary, b"/Length", 0)?;
    let after = &dictionary[at + b"/Length".len()..];
    if let Some((number, _)) = reference(after) {
        return number_at(object(pdf, number)?).map(|(n, _)| n as usize);
    }
    number_at(after).map(|(n, _)| n as usize)
}

/// `N G R` at the start of `bytes` (after whitespace): the object number.
fn reference(bytes: &[u8]) -> Option<(u32, usize)> {
    let (number, used) = number_at(bytes)?;
    let (_, more) = number_at(&bytes[used..])?;
    let rest = &bytes[used + more..];
    let skipped = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    if rest.get(skipped) != Some(&b'R') {
        return None;
    }
    Some((u32::try_from(number).ok()?, used + more + skipped + 1))
}

/// A whole number at the start of `bytes` (after whitespace), and how many
/// bytes it took.
fn number_at(bytes: &[u8]) -> Option<(u64, usize)> {
    let skipped = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let digits = bytes[skipped..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[skipped..skipped + digits]).ok()?;
    Some((text.parse().ok()?, skipped + digits))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|at| at + from)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn deflated(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn pdf_with(stream: &[u8], filter: &str) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<</Type/Catalog/Names<</EmbeddedFiles<</Names[(certificate.json)2 0 R]>>>>>>\nendobj\n2 0 obj\n<</Type/Filespec/EF<</F 3 0 R>>>>\nendobj\n3 0 obj\n".to_vec();
        pdf.extend(format!("<</Length {}/Type/EmbeddedFile{filter}>>\nstream\n", stream.len()).as_bytes());
        pdf.extend(stream);
        pdf.extend(b"\nendstream\nendobj\n");
        pdf
    }

    #[test]
    fn an_attached_file_is_read_by_its_name() {
        let pdf = pdf_with(&deflated(br#"{"a":1}"#), "/Filter/FlateDecode");
        assert_eq!(attached_file(&pdf, "certificate.json", &|_| false).unwrap(), br#"{"a":1}"#);
        let plain = pdf_with(br#"{"b":2}"#, "");
        assert_eq!(attached_file(&plain, "certificate.json", &|_| false).unwrap(), br#"{"b":2}"#);
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_make_the_reader_panic(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
                                          cut in 0usize..400) {
            let mut pdf = pdf_with(&deflated(br#"{"a":1}"#), "/Filter/FlateDecode");
            let cut = cut.min(pdf.len());
            pdf.truncate(cut.max(5));
            pdf.extend(tail);
            let _ = attached_file(&pdf, "certificate.json", &|_| true);
        }
    }

    #[test]
    fn broken_pdfs_give_reasons_not_panics() {
        assert!(attached_file(b"hello", "certificate.json", &|_| true).unwrap_err().contains("not a PDF"));
        let pdf = pdf_with(&deflated(br#"{"a":1}"#), "/Filter/FlateDecode");
        for cut in [20, 60, 120, 150, pdf.len() - 30] {
            assert!(attached_file(&pdf[..cut], "certificate.json", &|_| true).is_err(), "cut at {cut}");
        }
        let mut garbled = pdf.clone();
        let at = garbled.len() - 25;
        garbled[at] ^= 0xff;
        let _ = attached_file(&garbled, "certificate.json", &|_| true);
    }
}
