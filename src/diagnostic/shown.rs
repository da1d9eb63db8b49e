//! What a diagnostic shows of its source lines: invisible characters made
//! visible, a byte order mark left out, and very long lines cut around the
//! caret.
//!
//! A source line is printed as written except where that would mislead or
//! flood the terminal. A control character or a direction override printed
//! raw could ring the bell, recolour the terminal or reverse the line; a
//! one-megabyte line would bury the message. The shown text is therefore a
//! copy with those parts replaced, plus a map from offsets in the file to
//! offsets in the copy, so that carets still point at the right character
//! and line and column numbers stay those of the file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::files::{Error as FilesError, Files};

use crate::source::{FileId, SourceFile, SourceMap};
use crate::syntax::characters::is_unprintable;

/// Lines up to this many characters are shown whole.
const LONGEST_SHOWN_LINE: usize = 160;
/// Characters shown before the caret on a line that is cut.
const BEFORE_CARET: usize = 50;
/// Characters shown from the caret on, on a line that is cut.
const FROM_CARET: usize = 100;
/// What stands for the part of a line that is cut.
const ELLIPSIS: &str = "…";

/// A stretch of the file and what is shown for it.
#[derive(Debug, Clone)]
struct Segment {
    file: Range<usize>,
    shown: Range<usize>,
    /// Copied byte for byte, so offsets inside it map one to one.
    copied: bool,
}

/// One file as a diagnostic shows it.
#[derive(Debug)]
struct ShownFile<'a> {
    source: &'a SourceFile,
    /// The file's text with personal identity numbers masked, byte for
    /// byte the same length: an excerpt never prints one.
    masked: Cow<'a, str>,
    text: String,
    line_starts: Vec<usize>,
    segments: Vec<Segment>,
}

impl<'a> ShownFile<'a> {
    /// `source` shown with the lines that `labels` (ranges in the file)
    /// cover, each cut around the first start or end of a label on it;
    /// other lines are left empty.
    fn new(source: &'a SourceFile, labels: &[Range<usize>]) -> ShownFile<'a> {
        let carets: Vec<usize> = labels.iter().flat_map(|label| [label.start, label.end]).collect();
        let masked = crate::personal_number::mask_source(source.text());
        let mut shown = ShownFile { source, masked, text: String::new(), line_starts: vec![0], segments: Vec::new() };
        let text = source.text();
        let starts = source.line_starts();
        for (index, &start) in starts.iter().enumerate() {
            let end = starts.get(index + 1).map_or(text.len(), |next| next - 1);
            let line = &text[start..end];
            // A line next to a label may be printed too, between two labels.
            let before = index.checked_sub(1).map_or(start, |previous| starts[previous]);
            let after = starts.get(index + 2).map_or(text.len(), |next| next - 1);
            let marked = labels.iter().any(|label| label.start <= after && before <= label.end);
            let bom = if start == 0 && line.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
            if bom > 0 {
                shown.push(start..start + bom, "", false);
            }
            if marked {
                shown.line(start + bom, &line[bom..], &carets);
            } else if end > start + bom {
                // A line the diagnostic does not point at is never printed,
                // so it is not copied either: a file with many diagnostics
                // is not copied once for each.
                shown.push(start + bom..end, "", false);
            }
            if end < text.len() {
                shown.copy(end..end + 1);
                shown.line_starts.push(shown.text.len());
            }
        }
        shown
    }

    /// One line without its line break, cut if it is long.
    fn line(&mut self, start: usize, line: &str, carets: &[usize]) {
        let simple = line.len() <= LONGEST_SHOWN_LINE && !line.chars().any(is_unprintable);
        if simple {
            self.copy(start..start + line.len());
            return;
        }
        let characters = line.chars().count();
        let (first, last) = if characters <= LONGEST_SHOWN_LINE {
            (0, characters)
        } else {
            let caret = carets.iter().copied().filter(|&caret| (start..=start + line.len()).contains(&caret)).min();
            let caret_char = caret.and_then(|caret| line.get(..caret - start)).map_or(0, |head| head.chars().count());
            let first = caret_char.saturating_sub(BEFORE_CARET);
            (first, (first + BEFORE_CARET + FROM_CARET).min(characters))
        };
        let byte_of = |nth: usize| line.char_indices().nth(nth).map_or(line.len(), |(index, _)| index);
        let (from, to) = (byte_of(first), byte_of(last));
        if from > 0 {
            self.push(start..start + from, ELLIPSIS, false);
        }
        for (index, c) in line[from..to].char_indices() {
            let at = start + from + index;
            let range = at..at + c.len_utf8();
            if is_unprintable(c) {
                self.push(range, &visible(c), false);
            } else {
                self.copy(range);
            }
        }
        if to < line.len() {
            self.push(start + to..start + line.len(), ELLIPSIS, false);
        }
    }

    fn copy(&mut self, range: Range<usize>) {
        let text = &self.masked[range.clone()];
        // Neighbouring copies are one segment, so that the map stays small.
        if let Some(last) = self.segments.last_mut().filter(|last| last.copied && last.file.end == range.start) {
            last.file.end = range.end;
            last.shown.end += text.len();
            self.text.push_str(text);
            return;
        }
        let text = text.to_string();
        self.push(range, &text, true);
    }

    fn push(&mut self, file: Range<usize>, shown: &str, copied: bool) {
        let start = self.text.len();
        self.text.push_str(shown);
        self.segments.push(Segment { file, shown: start..self.text.len(), copied });
    }

    /// Where a file offset is in the shown text. An offset inside a part
    /// that is replaced or cut stands for the end of what is shown for it.
    fn shown_offset(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|segment| segment.file.end <= offset);
        match self.segments.get(index) {
            Some(segment) if segment.copied => segment.shown.start + offset.saturating_sub(segment.file.start),
            Some(segment) if offset <= segment.file.start => segment.shown.start,
            Some(segment) => segment.shown.end,
            None => self.text.len(),
        }
    }

    /// Where an offset in the shown text is in the file.
    fn file_offset(&self, shown: usize) -> usize {
        let index = self.segments.partition_point(|segment| segment.shown.end <= shown);
        match self.segments.get(index) {
            Some(segment) if segment.copied => segment.file.start + shown.saturating_sub(segment.shown.start),
            Some(segment) => segment.file.start,
            None => self.source.text().len(),
        }
    }
}

/// A character that must not be printed, as something that can: a control
/// picture for the C0 controls and DEL, its code point otherwise.
fn visible(c: char) -> String {
    match u32::from(c) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).map_or_else(String::new, String::from),
        0x7f => "\u{2421}".to_string(),
        code => format!("<U+{code:04X}>"),
    }
}

/// The files one diagnostic points into, as it shows them.
pub(super) struct Shown<'a> {
    files: HashMap<FileId, ShownFile<'a>>,
}

impl<'a> Shown<'a> {
    /// The files of `labels` (file and range of each) from `map`.
    pub(super) fn new(map: &'a SourceMap, labels: &[(FileId, Range<usize>)]) -> Shown<'a> {
        let mut ranges: HashMap<FileId, Vec<Range<usize>>> = HashMap::new();
        for (file, range) in labels {
            ranges.entry(*file).or_default().push(range.clone());
        }
        let files = ranges.into_iter().map(|(file, ranges)| (file, ShownFile::new(map.get(file), &ranges))).collect();
        Shown { files }
    }

    /// Where a range of the file is in what is shown of it.
    pub(super) fn range(&self, file: FileId, range: Range<usize>) -> Range<usize> {
        match self.files.get(&file) {
            Some(shown) => shown.shown_offset(range.start)..shown.shown_offset(range.end),
            None => range,
        }
    }

    fn file(&self, id: FileId) -> Result<&ShownFile<'a>, FilesError> {
        self.files.get(&id).ok_or(FilesError::FileMissing)
    }
}

impl<'b> Files<'b> for Shown<'_> {
    type FileId = FileId;
    type Name = String;
    type Source = &'b str;

    fn name(&'b self, id: FileId) -> Result<String, FilesError> {
        Ok(self.file(id)?.source.path().display().to_string())
    }

    fn source(&'b self, id: FileId) -> Result<&'b str, FilesError> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'b self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let starts = &self.file(id)?.line_starts;
        Ok(starts.partition_point(|&start| start <= byte_index).saturating_sub(1))
    }

    fn line_range(&'b self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.file(id)?;
        let starts = &file.line_starts;
        let start =
            *starts.get(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: starts.len() - 1 })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(file.text.len());
        Ok(start..end)
    }

    /// The column in the file, in characters, whatever is shown before it.
    fn column_number(&'b self, id: FileId, _line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let file = self.file(id)?;
        Ok(file.source.line_column(file.file_offset(byte_index)).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, caret: usize) -> (String, usize) {
        let file = SourceFile::new("a.kub", text);
        let label = caret..caret;
        let shown = ShownFile::new(&file, std::slice::from_ref(&label));
        let at = shown.shown_offset(caret);
        (shown.text.clone(), file.line_column(shown.file_offset(at)).1)
    }

    #[test]
    fn lines_near_a_label_are_shown_as_written_and_others_left_out() {
        let text = "task a \"Åsa\"\n  level b\n  level c\n  level d\n";
        assert_eq!(shown(text, 3).0, "task a \"Åsa\"\n  level b\n\n\n");
        assert_eq!(shown(text, 26).0, "\n  level b\n  level c\n  level d\n");
    }

    #[test]
    fn invisible_characters_are_shown_by_code_point() {
        let (text, column) = shown("a \u{0}b \"x\u{202e}y\"", 7);
        assert_eq!(text, "a \u{2400}b \"x<U+202E>y\"");
        assert_eq!(column, 8);
    }

    #[test]
    fn a_byte_order_mark_is_left_out_and_columns_stay_right() {
        let (text, column) = shown("\u{feff}task x", 8);
        assert_eq!(text, "task x");
        assert_eq!(column, 6);
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("participant \"{}\" x", "a".repeat(100_000));
        let caret = line.len() - 1;
        let (text, column) = shown(&line, caret);
        assert!(text.chars().count() < 200, "{text}");
        assert!(text.starts_with('…') && text.ends_with("\" x"), "{text}");
        assert_eq!(column, line.chars().count());
    }
}
