//! Merge conflict markers left in a file by git: each conflict gets one
//! diagnostic of its own, and the parser reads only the first side of it, so
//! that the markers and the doubled lines cause no syntax errors of their own.

use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Location, Span};

/// The lines git writes around a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// `<<<<<<<`: the first side (this branch's lines) follows.
    Ours,
    /// `|||||||`: the common ancestor's lines follow (diff3 style).
    Base,
    /// `=======`: the second side follows.
    Separator,
    /// `>>>>>>>`: the conflict ends.
    Theirs,
}

/// One conflict: its marker lines in order, each with the span of its text.
#[derive(Debug, Clone)]
pub(super) struct Conflict {
    markers: Vec<(Marker, Span)>,
    /// Where the line after the last marker starts.
    end: usize,
}

/// The marker a line starts with, if it is one: seven or more of the same
/// character, then the end of the line or a space and a label.
fn marker(line: &str) -> Option<Marker> {
    let line = line.trim_end_matches(['\n', '\r']);
    let first = line.chars().next()?;
    let marker = match first {
        '<' => Marker::Ours,
        '|' => Marker::Base,
        '=' => Marker::Separator,
        '>' => Marker::Theirs,
        _ => return None,
    };
    let run = line.chars().take_while(|c| *c == first).count();
    let rest = &line[run..];
    let labelled = rest.is_empty() || (marker != Marker::Separator && rest.starts_with(' '));
    (run >= 7 && (labelled || rest.trim().is_empty())).then_some(marker)
}

/// Whether the text holds a character a marker is made of. Most files hold
/// none; a search a block of bytes at a time, which the compiler turns into
/// vector instructions, tells so for a fraction of the cost of reading the
/// file line by line.
fn may_hold_markers(text: &str) -> bool {
    text.as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |seen, byte| seen | matches!(byte, b'<' | b'|' | b'=' | b'>')))
}

/// Every conflict in a text, in order.
pub(super) fn find(text: &str) -> Vec<Conflict> {
    if !may_hold_markers(text) {
        return Vec::new();
    }
    let mut conflicts = Vec::new();
    let mut open: Option<Conflict> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(found) = marker(line) else {
            continue;
        };
        let span = Span::new(start, start + line.trim_end().len());
        match (found, open.as_mut()) {
            (Marker::Ours, _) => {
                conflicts.extend(open.take());
                open = Some(Conflict { markers: vec![(found, span)], end: offset });
            }
            (Marker::Theirs, Some(conflict)) => {
                conflict.markers.push((found, span));
                conflict.end = offset;
                conflicts.extend(open.take());
            }
            (_, Some(conflict)) => {
                conflict.markers.push((found, span));
                conflict.end = offset;
            }
            // A separator alone may be a line of a text; the others are
            // left over from a conflict resolved by halves.
            (Marker::Separator, None) => {}
            (_, None) => conflicts.push(Conflict { markers: vec![(found, span)], end: offset }),
        }
    }
    conflicts.extend(open);
    conflicts
}

impl Conflict {
    /// The parts of the text the parser skips: every marker line, and the
    /// lines of the common ancestor and of the second side.
    pub(super) fn hidden(&self) -> Vec<Range<usize>> {
        let mut hidden: Vec<Range<usize>> = self.markers.iter().map(|(_, span)| span.range()).collect();
        let closed = self.markers.last().is_some_and(|(marker, _)| *marker == Marker::Theirs);
        let other_side = self.markers.iter().find(|(marker, _)| matches!(marker, Marker::Base | Marker::Separator));
        if let Some((_, from)) = other_side {
            let to = if closed {
                self.end
            } else {
                // Without its end marker, only the ancestor's lines are known.
                self.markers.iter().find(|(marker, _)| *marker == Marker::Separator).map_or(from.end, |(_, s)| s.start)
            };
            hidden.push(from.start..to.max(from.end));
        }
        hidden
    }

    /// The diagnostic for the conflict, at its first marker.
    pub(super) fn diagnostic(&self, file: FileId) -> Diagnostic {
        let (first, span) = self.markers[0];
        let mut diagnostic =
            Diagnostic::new(Code::MergeConflict, "unresolved merge conflict: keep one side and delete the markers")
                .at(Location::new(file, span))
                .label(match first {
                    Marker::Ours => "the conflict starts here",
                    _ => "a line left over from a merge conflict",
                });
        for (marker, span) in &self.markers[1..] {
            let label = match marker {
                Marker::Ours => "the conflict starts here",
                Marker::Base => "the lines before both changes start here",
                Marker::Separator => "the other side starts here",
                Marker::Theirs => "the conflict ends here",
            };
            diagnostic = diagnostic.related(Location::new(file, *span), label);
        }
        diagnostic
            .hint("git left both versions of these lines: keep the lines you want, then delete every line that starts with `<<<<<<<`, `|||||||`, `=======` or `>>>>>>>`")
            .hint("until then, kub reads only the lines between `<<<<<<<` and the next marker")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MERGED: &str =
        "task a\n<<<<<<< HEAD\ntask b \"B\"\n||||||| base\ntask b\n=======\ntask b \"Bee\"\n>>>>>>> other\ntask c\n";

    #[test]
    fn a_conflict_is_found_with_all_its_markers() {
        let conflicts = find(MERGED);
        assert_eq!(conflicts.len(), 1);
        let kinds: Vec<Marker> = conflicts[0].markers.iter().map(|(marker, _)| *marker).collect();
        assert_eq!(kinds, [Marker::Ours, Marker::Base, Marker::Separator, Marker::Theirs]);
    }

    #[test]
    fn only_the_first_side_is_read() {
        let mut text = MERGED.to_string();
        for range in find(MERGED)[0].hidden() {
            let blank: String = text[range.clone()].chars().map(|c| if c == '\n' { c } else { ' ' }).collect();
            text.replace_range(range, &blank);
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["task", "a", "task", "b", "\"B\"", "task", "c"]);
    }

    #[test]
    fn a_lone_separator_is_text() {
        assert!(find("description \"\"\"\n=======\n\"\"\"\n").is_empty());
        assert_eq!(find(">>>>>>> other\n").len(), 1);
        assert!(find("<<<<<<x\n").is_empty());
    }
}
