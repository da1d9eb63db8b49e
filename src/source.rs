//! Source files and byte spans: what every diagnostic points into.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The byte order mark some editors write at the start of a UTF-8 file.
const BOM: char = '\u{feff}';

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// The first byte, from 0.
    pub start: usize,
    /// The byte just after the last.
    pub end: usize,
}

impl Span {
    /// The bytes from `start` up to, not including, `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The same bytes, for slicing the file's text.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// Identifies a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub(crate) u32);

/// A place in a source file: which file, and which bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// Which file.
    pub file: FileId,
    /// Which bytes of it.
    pub span: Span,
}

impl Location {
    /// The bytes `span` of `file`.
    pub fn new(file: FileId, span: Span) -> Self {
        Location { file, span }
    }
}

/// A value together with where it is written, for an optional value whose
/// place a check may need: both are there, or neither. It serialises as the
/// value alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Located<T> {
    /// The value as read.
    pub value: T,
    /// Where it is written.
    #[serde(skip)]
    pub location: Location,
}

/// One loaded source file with an index of where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file read from `path`, with its lines indexed.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceFile { path: path.into(), text, line_starts }
    }

    /// The path it was read from, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte offset where each line starts; the first is 0.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The 1-based line and column (in characters) of a byte offset.
    ///
    /// A byte order mark at the start of the file is not counted: editors do
    /// not show it, so line 1 starts after it.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let mut line_start = self.line_starts[line];
        if line == 0 && offset >= BOM.len_utf8() && self.text.starts_with(BOM) {
            line_start = BOM.len_utf8();
        }
        let column = self.text.get(line_start..offset).map_or(offset - line_start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }
}

/// Every source file read in one run, so that diagnostics can point into any
/// of them.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file and returns the id that locations use for it.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// The file with this id. The id must come from this map; ids are not shared between maps.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Replaces a file's text, keeping its id (used when a file is edited).
    pub fn replace(&mut self, id: FileId, file: SourceFile) {
        self.files[id.0 as usize] = file;
    }

    /// The id of the file read from exactly this path, if one was.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|file| file.path == path).map(|index| FileId(index as u32))
    }

    /// Every file with its id, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(index, file)| (FileId(index as u32), file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let file = SourceFile::new("a.kub", "task å\n  beskärning x");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(7), (1, 7));
        assert_eq!(file.line_column(9), (2, 2));
        let x = file.text().find('x').unwrap();
        assert_eq!(file.line_column(x), (2, 14));
    }

    #[test]
    fn a_byte_order_mark_does_not_count_as_a_column() {
        let file = SourceFile::new("a.kub", "\u{feff}task x\nb");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(3), (1, 1));
        assert_eq!(file.line_column(8), (1, 6));
        assert_eq!(file.line_column(10), (2, 1));
    }
}
