//! Positions as the editor counts them: lines from 0, and columns in UTF-16
//! code units unless the editor offered UTF-8 bytes when the session began.
//!
//! kub works in byte offsets; an editor works in lines and columns. A name
//! such as `Åsa` or `أمل` takes more bytes than UTF-16 units, so the two are
//! converted here and nowhere else.

use lsp_types::{Position, Range};

use crate::source::Span;

/// The byte order mark some editors write at the start of a file and no
/// editor counts as a column.
const BOM: char = '\u{feff}';

/// How columns are counted, as agreed with the editor in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8, when the editor offers it.
    Utf8,
    /// Code units of UTF-16: the protocol's default.
    Utf16,
}

impl Encoding {
    /// How many columns a character takes.
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// Where each line of a text starts, for converting in both directions.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` for an editor that counts columns in `encoding`.
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, line_starts, encoding }
    }

    /// The first byte of a line that counts as a column: a byte order
    /// mark at the start of the file does not.
    fn line_start(&self, line: usize) -> usize {
        let start = self.line_starts[line];
        if line == 0 && self.text.starts_with(BOM) { BOM.len_utf8() } else { start }
    }

    /// The editor's position of a byte offset; an offset inside a character
    /// or past the end counts as the character's start or the end.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_start(line).min(offset);
        let column: usize = self.text[start..offset].chars().map(|c| self.encoding.width(c)).sum();
        Position::new(line as u32, column as u32)
    }

    /// The editor's range of a span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of an editor's position. A column past the end of
    /// its line means the line's end, a line past the last means the end
    /// of the text, and a column inside a character means its start.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return self.text.len();
        }
        let start = self.line_start(line);
        let end = self.line_starts.get(line + 1).map_or(self.text.len(), |&next| next - 1);
        let mut column = 0;
        for (index, c) in self.text[start..end.max(start)].char_indices() {
            if column >= position.character as usize || c == '\r' && index + 1 == end - start {
                return start + index;
            }
            column += self.encoding.width(c);
            if column > position.character as usize {
                return start + index;
            }
        }
        end.max(start)
    }

    /// The byte span of an editor's range.
    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        Span::new(start, self.offset(range.end).max(start))
    }

    /// The editor's range covering the whole text.
    pub fn whole(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_columns_in_the_agreed_encoding() {
        let text = "participant \"Åsa Öberg\"\ntask x # أمل 😀 y\n";
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        let y = text.find(" y").unwrap() + 1;
        // أمل is three UTF-16 units and six bytes; the emoji two units and four bytes.
        assert_eq!(utf16.position(y), Position::new(1, 16));
        assert_eq!(utf8.position(y), Position::new(1, 21));
        assert_eq!(utf16.offset(Position::new(1, 16)), y);
        assert_eq!(utf8.offset(Position::new(1, 21)), y);
        let o = text.find('Ö').unwrap();
        assert_eq!(utf16.position(o + 2), Position::new(0, 18));
        assert_eq!(utf16.offset(Position::new(0, 18)), o + 2);
    }

    #[test]
    fn round_trips_every_offset_on_character_boundaries() {
        let text = "\u{feff}assessment \"Åsa\"\r\n\noccasion أمل 😀\n";
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let index = LineIndex::new(text, encoding);
            for (offset, _) in text.char_indices().skip(1) {
                if text[..offset].ends_with('\r') {
                    continue;
                }
                assert_eq!(index.offset(index.position(offset)), offset, "{encoding:?} at {offset}");
            }
        }
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "ab\ncd";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(Position::new(0, 99)), 2);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.position(99), Position::new(1, 2));
        assert_eq!(index.position(0), Position::new(0, 0));
    }
}
