//! Unified diffs of snapshots, each hunk headed by the section it is in
//! (`@@ -40,7 +40,7 @@ page 2 of 2`), as git heads hunks by function.

use similar::{ChangeTag, DiffOp, TextDiff};

use super::pages::SECTION;
use crate::diagnostic::render::Color;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff from `approved` to `today`, with `---` and `+++` lines
/// naming them; empty when the texts are the same.
pub fn unified(approved: &str, today: &str, names: (&str, &str), color: Color) -> String {
    let diff = TextDiff::from_lines(approved, today);
    let groups = diff.grouped_ops(CONTEXT);
    if groups.is_empty() {
        return String::new();
    }
    let paint = |code: &str, text: &str| match color {
        Color::Always => format!("\x1b[{code}m{text}\x1b[0m"),
        Color::Never => text.to_string(),
    };
    let sections = Sections::of(today);
    let mut out = format!("{}\n{}\n", paint("1", &format!("--- {}", names.0)), paint("1", &format!("+++ {}", names.1)));
    for group in &groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        let mut head = format!("@@ -{} +{} @@", range(old.start, old.len()), range(new.start, new.len()));
        if let Some(section) = sections.at(first_changed_line(group).unwrap_or(new.start)) {
            head.push(' ');
            head.push_str(section);
        }
        out.push_str(&paint("36", &head));
        out.push('\n');
        for op in group {
            for change in diff.iter_changes(op) {
                let (sign, code) = match change.tag() {
                    ChangeTag::Delete => ("-", "31"),
                    ChangeTag::Insert => ("+", "32"),
                    ChangeTag::Equal => (" ", ""),
                };
                let line = format!("{sign}{}", change.value().trim_end_matches('\n'));
                out.push_str(&if code.is_empty() { line } else { paint(code, &line) });
                out.push('\n');
            }
        }
    }
    out
}

/// A hunk's range as unified diffs write it: the first line, counted from
/// one, and the number of lines.
fn range(start: usize, length: usize) -> String {
    match length {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{length}", start + 1),
    }
}

/// The first line of today's text that a group changes, so that the hunk
/// is named after the section the change is in, not the context above it.
fn first_changed_line(group: &[DiffOp]) -> Option<usize> {
    group.iter().find(|op| !matches!(op, DiffOp::Equal { .. })).map(|op| op.new_range().start)
}

/// The section heading in force at each line of a snapshot.
struct Sections<'a> {
    headings: Vec<(usize, &'a str)>,
}

impl<'a> Sections<'a> {
    fn of(text: &'a str) -> Sections<'a> {
        let headings = text
            .lines()
            .enumerate()
            .filter_map(|(index, line)| line.strip_prefix(SECTION).map(|heading| (index, heading)))
            .collect();
        Sections { headings }
    }

    fn at(&self, line: usize) -> Option<&'a str> {
        self.headings.iter().take_while(|(index, _)| *index <= line).last().map(|(_, heading)| *heading)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hunk_is_named_after_its_section() {
        let approved = "head\n\n── page 1 of 1 · A4 portrait\n\none\ntwo\nthree\n── data\n\n{}\n";
        let today = approved.replace("two", "TWO");
        let diff = unified(approved, &today, ("approved", "today"), Color::Never);
        assert!(diff.starts_with("--- approved\n+++ today\n@@ -3,7 +3,7 @@ page 1 of 1 · A4 portrait\n"), "{diff}");
        assert!(diff.contains("\n-two\n+TWO\n"), "{diff}");
        assert_eq!(unified(approved, approved, ("a", "b"), Color::Never), "");
    }
}
