//! Editing a file's text in place: each change replaces the exact bytes of
//! an id, a version or a line, so that comments and layout everywhere else
//! stay byte for byte as they were.

use crate::source::Span;

/// Replacements in one file's text, applied together.
#[derive(Debug, Default)]
pub(super) struct Edits {
    replacements: Vec<(Span, String)>,
}

impl Edits {
    /// Replaces the bytes of `span` with `text`.
    pub(super) fn replace(&mut self, span: Span, text: &str) {
        self.replacements.push((span, text.to_string()));
    }

    /// Deletes the bytes of `span`.
    pub(super) fn delete(&mut self, span: Span) {
        self.replacements.push((span, String::new()));
    }

    /// Whether any edit was made.
    pub(super) fn is_empty(&self) -> bool {
        self.replacements.is_empty()
    }

    /// The text with every edit made. Edits never overlap: each covers a
    /// different id, version or line of the file.
    pub(super) fn apply(mut self, text: &str) -> String {
        self.replacements.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
        let mut out = text.to_string();
        for (span, replacement) in self.replacements {
            if span.start <= span.end && span.end <= out.len() && out.is_char_boundary(span.start) {
                out.replace_range(span.start..span.end, &replacement);
            }
        }
        out
    }
}

/// What to delete so that the statement at `span` is gone: its whole line,
/// with a comment after it, when nothing else is on the line; else the
/// statement alone, with the spacing before it.
pub(super) fn statement_removal(text: &str, span: Span) -> Span {
    let line_start = text[..span.start].rfind('\n').map_or(0, |newline| newline + 1);
    let line_end = text[span.end..].find('\n').map_or(text.len(), |newline| span.end + newline + 1);
    let before = &text[line_start..span.start];
    let after = text[span.end..line_end].trim();
    if before.trim().is_empty() && (after.is_empty() || after.starts_with('#')) {
        return Span::new(line_start, line_end);
    }
    let spacing = before.len() - before.trim_end().len();
    Span::new(span.start - spacing, span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, part: &str) -> Span {
        let start = text.find(part).unwrap();
        Span::new(start, start + part.len())
    }

    #[test]
    fn a_statement_alone_on_its_line_takes_the_line_and_its_comment() {
        let text = "occasion {\n  task a b # said so\n  task c d\n}\n";
        let removal = statement_removal(text, span_of(text, "task a b"));
        let mut edits = Edits::default();
        edits.delete(removal);
        assert_eq!(edits.apply(text), "occasion {\n  task c d\n}\n");
    }

    #[test]
    fn a_statement_sharing_its_line_goes_alone() {
        let text = "occasion { task a b task c d }";
        let removal = statement_removal(text, span_of(text, "task a b"));
        let mut edits = Edits::default();
        edits.delete(removal);
        assert_eq!(edits.apply(text), "occasion { task c d }");
    }

    #[test]
    fn replacements_keep_everything_around_them() {
        let text = "# before\nassessment follows park 1.0 # after\n";
        let mut edits = Edits::default();
        edits.replace(span_of(text, "1.0"), "2.0");
        edits.replace(span_of(text, "park"), "park-och-natur");
        assert_eq!(edits.apply(text), "# before\nassessment follows park-och-natur 2.0 # after\n");
    }
}
