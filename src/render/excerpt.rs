//! A line of template or generated Typst source with carets under the part a
//! diagnostic is about.
//!
//! Templates and generated sources are not in the [`crate::source::SourceMap`],
//! so their diagnostics carry the place in the message and the line as a hint.

use std::fmt;
use std::ops::Range;

/// A place in a template or a generated source, shown as `FILE:LINE:COLUMN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The file as messages name it: a path, or a template's name.
    pub file: String,
    pub excerpt: Excerpt,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Excerpt { line, column, .. } = self.excerpt;
        write!(f, "{}:{line}:{column}", self.file)
    }
}

/// A marked part of one source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Excerpt {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The whole line, without its line break.
    text: String,
    /// How many characters to mark; 0 shows the line without carets.
    width: usize,
}

impl Excerpt {
    /// The line holding the start of `range`, with the range marked up to
    /// the end of that line. `None` if the range is not within `source`.
    pub fn at(source: &str, range: Range<usize>) -> Option<Excerpt> {
        let head = source.get(..range.start)?;
        let line_start = head.rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[range.start..].find('\n').map_or(source.len(), |i| range.start + i);
        let marked = source.get(range.start..range.end.clamp(range.start, line_end))?;
        Some(Excerpt {
            line: head.matches('\n').count() + 1,
            column: head[line_start..].chars().count() + 1,
            text: source[line_start..line_end].trim_end().to_string(),
            width: marked.trim_end().chars().count().max(1),
        })
    }

    /// Line `line` (1-based) unmarked, when only the line is known.
    pub fn line(source: &str, line: usize) -> Option<Excerpt> {
        let text = source.lines().nth(line.checked_sub(1)?)?;
        Some(Excerpt { line, column: 1, text: text.trim_end().to_string(), width: 0 })
    }
}

/// Shown like a compiler does:
///
/// ```text
/// 12 | #greeting
///    | ^^^^^^^^^
/// ```
impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.line.to_string();
        write!(f, "{number} | {}", self.text)?;
        if self.width > 0 {
            let gutter = " ".repeat(number.len());
            let indent = " ".repeat(self.column - 1);
            write!(f, "\n{gutter} | {indent}{}", "^".repeat(self.width))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_range_on_its_line() {
        let excerpt = Excerpt::at("= Title\nHej #name där\n", 12..17).unwrap();
        assert_eq!((excerpt.line, excerpt.column), (2, 5));
        assert_eq!(excerpt.to_string(), "2 | Hej #name där\n  |     ^^^^^");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = "Åsa Öberg #x";
        let excerpt = Excerpt::at(source, source.find('#').unwrap()..source.len()).unwrap();
        assert_eq!(excerpt.column, 11);
    }

    #[test]
    fn a_range_past_the_line_is_marked_to_its_end() {
        let excerpt = Excerpt::at("[abc\ndef]", 0..9).unwrap();
        assert_eq!(excerpt.to_string(), "1 | [abc\n  | ^^^^");
    }

    #[test]
    fn a_line_alone_has_no_carets() {
        let excerpt = Excerpt::line("a\nb {{ x }}\n", 2).unwrap();
        assert_eq!(excerpt.to_string(), "2 | b {{ x }}");
        assert_eq!(Excerpt::line("a", 3), None);
    }
}
