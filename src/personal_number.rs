//! Spotting Swedish and Danish personal identity numbers in any text, so
//! that no part of one reaches a file name, a document or a diagnostic.
//!
//! A number looks like one when it has a date part (`YYYYMMDD`, `YYMMDD`,
//! or Danish `DDMMYY`) followed by four serial digits, with or without a
//! `-`, `+`, space or `_` between them. The check digit is not required: a
//! mistyped number is personal data too.

use std::borrow::Cow;
use std::ops::Range;

/// The byte ranges of everything in `text` that looks like a personal
/// identity number, in order.
///
/// ```
/// use kub::personal_number::find;
///
/// assert_eq!(find("amal-19811218-9876.kub"), vec![5..18]);
/// assert_eq!(find("811218+9876"), vec![0..11]);
/// assert_eq!(find("1812819876"), vec![0..10]);
/// assert!(find("period 2026-02-02 to 2026-10-30").is_empty());
/// assert!(find("GBG-2026-014").is_empty());
/// ```
pub fn find(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() || (at > 0 && bytes[at - 1].is_ascii_digit()) {
            at += 1;
            continue;
        }
        match match_at(bytes, at) {
            Some(end) => {
                found.push(at..end);
                at = end;
            }
            None => at += 1,
        }
    }
    found
}

/// Whether `text` holds anything that looks like a personal identity number.
pub fn contains(text: &str) -> bool {
    !find(text).is_empty()
}

/// `text` with the digits of every personal identity number in it replaced
/// by `X`, keeping every other character (and so every column) in place.
pub fn mask(text: &str) -> String {
    let mut masked = text.as_bytes().to_vec();
    for range in find(text) {
        for byte in &mut masked[range] {
            if byte.is_ascii_digit() {
                *byte = b'X';
            }
        }
    }
    // Only ASCII digits were replaced by an ASCII letter.
    String::from_utf8(masked).unwrap_or_default()
}

/// The end of a personal identity number starting at `start`, if one does.
fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    let run = digit_run(bytes, start);
    let after_run = start + run;
    match run {
        10 | 12 if plausible_date(&bytes[start..start + run - 4]) => return Some(after_run),
        6 | 8 => {}
        _ => return None,
    }
    let serial_start = match bytes.get(after_run) {
        Some(b'-' | b'+' | b' ' | b'_') => after_run + 1,
        _ => return None,
    };
    let serial = digit_run(bytes, serial_start);
    (serial == 4 && plausible_date(&bytes[start..after_run])).then_some(serial_start + 4)
}

fn digit_run(bytes: &[u8], start: usize) -> usize {
    bytes.get(start..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_digit()).count())
}

/// Whether six or eight digits can be the date part of a personal number:
/// `YYYYMMDD`, `YYMMDD` or `DDMMYY`. A coordination number adds 60 to the day.
fn plausible_date(digits: &[u8]) -> bool {
    let number = |range: Range<usize>| -> u32 {
        digits[range].iter().fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
    };
    let day_ok = |day: u32| (1..=31).contains(&day) || (61..=91).contains(&day);
    let month_ok = |month: u32| (1..=12).contains(&month);
    match digits.len() {
        8 => (18..=20).contains(&number(0..2)) && month_ok(number(4..6)) && day_ok(number(6..8)),
        6 => (month_ok(number(2..4)) && day_ok(number(4..6))) || (day_ok(number(0..2)) && month_ok(number(2..4))),
        _ => false,
    }
}

/// A source file's text as a diagnostic may quote it: the digits of
/// personal identity numbers replaced by `X`, both where they look like one
/// and wherever `personal-number` gives one (a mistyped number has no shape
/// to go by). Every byte stays where it was, so spans still fit.
pub fn mask_source(text: &str) -> Cow<'_, str> {
    const KEYWORD: &str = "personal-number";
    if !text.contains(KEYWORD) && !contains(text) {
        return Cow::Borrowed(text);
    }
    let mut shown = mask(text).into_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find(KEYWORD) {
        let after = from + found + KEYWORD.len();
        let line_end = text[after..].find('\n').map_or(text.len(), |end| after + end);
        let value = &text.as_bytes()[after..line_end];
        if let Some(open) = value.iter().position(|&b| b == b'"') {
            let close = value[open + 1..].iter().position(|&b| b == b'"').map_or(value.len(), |c| open + 1 + c);
            for byte in &mut shown[after + open + 1..after + close] {
                if byte.is_ascii_digit() {
                    *byte = b'X';
                }
            }
        }
        from = line_end;
    }
    // Only ASCII digits were replaced, by an ASCII letter.
    Cow::Owned(String::from_utf8(shown).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_is_found() {
        for text in [
            "19811218-9876",
            "198112189876",
            "811218-9876",
            "811218+9876",
            "8112189876",
            "811218 9876",
            "811218_9876",
            "181281-1234",
            "20010161-1234",
        ] {
            assert_eq!(find(text), vec![0..text.len()], "{text}");
        }
    }

    #[test]
    fn numbers_inside_names_are_found() {
        assert_eq!(find("amal_811218-9876_backup"), vec![5..16]);
        assert_eq!(find("x19811218-9876"), vec![1..14]);
    }

    #[test]
    fn dates_years_and_references_are_not_numbers() {
        for text in
            ["2026-02-02", "GBG-2026-014", "20260202", "version 2.1", "123456-123", "19811218-98765", "991399-1234"]
        {
            assert!(find(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn masking_keeps_the_columns() {
        assert_eq!(mask("personal-number \"19811218-9876\""), "personal-number \"XXXXXXXX-XXXX\"");
        assert_eq!(mask("Åsa 811218+9876"), "Åsa XXXXXX+XXXX");
    }

    #[test]
    fn excerpts_never_show_a_personal_number() {
        let text =
            "participant \"Amal\" {\n  personal-number \"12345\"\n}\n# 811218-9876\nperiod 2026-02-02 to 2026-10-30\n";
        let shown = mask_source(text);
        assert_eq!(
            shown,
            "participant \"Amal\" {\n  personal-number \"XXXXX\"\n}\n# XXXXXX-XXXX\nperiod 2026-02-02 to 2026-10-30\n"
        );
        assert_eq!(shown.len(), text.len());
    }
}
