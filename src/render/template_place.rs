//! The place in the templates a line of a generated document came from,
//! so that a Typst error in a made document points at the template line a
//! supervisor or designer can fix rather than at generated source.
//!
//! minijinja keeps no map from output to template, so the line is matched
//! against the lines of the templates that take part in the document, the
//! user's first: a template line matches when its text outside `{{ }}`,
//! `{% %}` and `{# #}` is the generated line's, in order, with anything in
//! place of the tags. Of the lines that match, one whose text (not a value)
//! holds the error wins, then the one with the most text in common.

use std::ops::Range;

use super::excerpt::{Excerpt, Place};

/// One template taking part in a document.
pub(super) struct TemplateSource<'a> {
    /// The template as messages name it: the user's by its path, a bundled
    /// one by its name.
    pub file: &'a str,
    /// Its text.
    pub source: &'a str,
}

/// The place in `templates` (in order of preference) that generated line
/// `line` came from, marking what `error` (a byte range in the line) covers.
pub(super) fn origin(templates: &[TemplateSource<'_>], line: &str, error: Range<usize>) -> Option<Place> {
    let generated = line.trim();
    if generated.is_empty() {
        return None;
    }
    let lead = line.len() - line.trim_start().len();
    // An error at the end of the line (an unclosed bracket) is marked on
    // its last character.
    let wanted =
        Wanted { generated, at: error.start.saturating_sub(lead).min(generated.len() - 1), width: error.len().max(1) };
    let mut best: Option<(Rank, &TemplateSource<'_>, Range<usize>)> = None;
    for template in templates {
        let Some((rank, marked)) = best_line(template.source, &wanted) else { continue };
        // Earlier templates win a tie: they are the user's.
        if best.as_ref().is_none_or(|(best_rank, ..)| rank > *best_rank) {
            best = Some((rank, template, marked));
        }
    }
    let (_, template, marked) = best?;
    Some(Place { file: template.file.to_string(), excerpt: Excerpt::at(template.source, marked)? })
}

/// The generated line looked for, trimmed, and the part of it to mark.
struct Wanted<'a> {
    generated: &'a str,
    /// Where the error starts in the trimmed line.
    at: usize,
    /// How many bytes it covers, at least one.
    width: usize,
}

/// How well a template line matches: whether its text (not a value) holds
/// the error, then how many signs of text it shares with the generated line.
type Rank = (bool, usize);

/// The line of one template that best matches, with the range to mark.
fn best_line(source: &str, wanted: &Wanted<'_>) -> Option<(Rank, Range<usize>)> {
    let tags = tags(source);
    let mut best: Option<(Rank, Range<usize>)> = None;
    let mut line_start = 0;
    for template_line in source.split_inclusive('\n') {
        let line_range = line_start..line_start + template_line.trim_end_matches(['\n', '\r']).len();
        line_start += template_line.len();
        let pieces = pieces(source, line_range, &tags);
        let Some(found) = match_pieces(source, &pieces, wanted.generated) else { continue };
        let Some((covers, marked)) = mark(source, &pieces, &found, wanted) else { continue };
        let shared = shared_text(source, &pieces);
        // A line of a few signs could match almost anything.
        if shared < 2 {
            continue;
        }
        if best.as_ref().is_none_or(|(rank, _)| (covers, shared) > *rank) {
            best = Some(((covers, shared), marked));
        }
    }
    best
}

/// How many signs other than white space a line's text pieces hold.
fn shared_text(source: &str, pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Text(range) => Some(source[range.clone()].chars().filter(|c| !c.is_whitespace()).count()),
            Piece::Tag(_) => None,
        })
        .sum()
}

/// A part of one template line: text copied to the output as it is, or
/// tags that minijinja replaces (values, blocks, comments).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(Range<usize>),
    Tag(Range<usize>),
}

/// The byte ranges of a template's tags: `{{ }}`, `{% %}` and `{# #}`.
fn tags(source: &str) -> Vec<Range<usize>> {
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = source[at..].find('{') {
        let start = at + found;
        let close = match source.as_bytes().get(start + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let end = source[start + 2..].find(close).map_or(source.len(), |i| start + 2 + i + close.len());
        tags.push(start..end);
        at = end;
    }
    tags
}

/// The pieces of the template line at `line`, trimmed like the generated
/// lines they are matched with; next tags are one piece.
fn pieces(source: &str, line: Range<usize>, tags: &[Range<usize>]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut at = line.start;
    let text = |pieces: &mut Vec<Piece>, range: Range<usize>| {
        if !range.is_empty() {
            pieces.push(Piece::Text(range));
        }
    };
    for tag in tags.iter().filter(|tag| tag.end > line.start && tag.start < line.end) {
        let tag = tag.start.max(line.start)..tag.end.min(line.end);
        text(&mut pieces, at..tag.start);
        match pieces.last_mut() {
            Some(Piece::Tag(previous)) => previous.end = tag.end,
            _ => pieces.push(Piece::Tag(tag.clone())),
        }
        at = tag.end;
    }
    text(&mut pieces, at..line.end);
    if let Some(Piece::Text(first)) = pieces.first_mut() {
        first.start += source[first.clone()].len() - source[first.clone()].trim_start().len();
    }
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.end -= source[last.clone()].len() - source[last.clone()].trim_end().len();
    }
    pieces.retain(|piece| !matches!(piece, Piece::Text(range) if range.is_empty()));
    pieces
}

/// Where each text piece is in `generated`, when the pieces match it: the
/// texts in order, the first at the start and the last at the end unless a
/// tag comes before or after them, and anything in place of the tags.
fn match_pieces(source: &str, pieces: &[Piece], generated: &str) -> Option<Vec<usize>> {
    let texts: Vec<&Range<usize>> = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Text(range) => Some(range),
            Piece::Tag(_) => None,
        })
        .collect();
    let anchored_start = matches!(pieces.first(), Some(Piece::Text(_)));
    let anchored_end = matches!(pieces.last(), Some(Piece::Text(_)));
    let mut found = Vec::with_capacity(texts.len());
    let mut at = 0;
    for (index, range) in texts.iter().enumerate() {
        let text = &source[(*range).clone()];
        let position = if index + 1 == texts.len() && anchored_end {
            let position = generated.len().checked_sub(text.len())?;
            (position >= at && generated.get(position..)? == text && (index > 0 || !anchored_start || position == 0))
                .then_some(position)?
        } else if index == 0 && anchored_start {
            generated.starts_with(text).then_some(0)?
        } else {
            at + generated.get(at..)?.find(text)?
        };
        found.push(position);
        at = position + text.len();
    }
    (!texts.is_empty()).then_some(found)
}

/// The template range that the wanted part of the generated line comes
/// from, and whether it is template text rather than a tag.
fn mark(source: &str, pieces: &[Piece], found: &[usize], wanted: &Wanted<'_>) -> Option<(bool, Range<usize>)> {
    let Wanted { generated, at, width } = *wanted;
    let mut texts = found.iter();
    let mut spans = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match piece {
            Piece::Text(range) => {
                let start = *texts.next()?;
                spans.push((start, start + range.len()));
            }
            Piece::Tag(_) => spans.push((usize::MAX, usize::MAX)),
        }
    }
    for (piece, &(start, end)) in pieces.iter().zip(&spans) {
        if let Piece::Text(range) = piece
            && (start..end).contains(&at)
        {
            let from = range.start + (at - start);
            let to = (from + width).min(range.end);
            return Some((true, snap(source, from)..snap(source, to)));
        }
    }
    // Not in any text: in the value or block a tag put between two texts.
    for (index, piece) in pieces.iter().enumerate() {
        if let Piece::Tag(range) = piece {
            let before = index.checked_sub(1).map_or(0, |i| spans[i].1);
            let after = spans.get(index + 1).map_or(generated.len(), |span| span.0);
            if (before..=after).contains(&at) {
                return Some((false, range.clone()));
            }
        }
    }
    None
}

/// `at`, moved back to the start of the character it is in.
fn snap(source: &str, mut at: usize) -> usize {
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The templates a template names in `extends`, `include`, `import` and
/// `from` tags.
pub(super) fn references(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in tags(source) {
        let inner = source[tag].trim_start_matches("{%").trim_start_matches('-').trim_start();
        let keyword = inner.split_whitespace().next().unwrap_or_default();
        if !["extends", "include", "import", "from"].contains(&keyword) {
            continue;
        }
        // Every quoted name, such as the choices of `include ["a", "b"]`.
        let mut rest = &inner[keyword.len()..];
        while let Some(open) = rest.find(['"', '\'']) {
            let quote = rest[open..].chars().next().unwrap_or('"');
            let Some(length) = rest[open + 1..].find(quote) else { break };
            names.push(rest[open + 1..open + 1 + length].to_string());
            rest = &rest[open + 1 + length + 1..];
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::render::Templates;

    /// Templates from `files` in a folder of their own, and the folder.
    fn user_templates(files: &[(&str, &str)]) -> (tempfile::TempDir, Templates) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let templates = Templates::new(Some(dir.path())).unwrap();
        (dir, templates)
    }

    /// Where the first `needle` in `line` came from, as `FILE:LINE:COLUMN`.
    fn origin_of(templates: &Templates, name: &str, line: &str, needle: &str) -> Option<String> {
        let start = line.find(needle).unwrap();
        templates.origin(name, line, start..start + needle.len()).map(|place| place.to_string())
    }

    #[test]
    fn a_generated_line_is_traced_to_the_template_text_it_came_from() {
        let (dir, templates) = user_templates(&[(
            "page.typ",
            "= {{ title }}\n{% if signed %}\n  Signed by {{ name }} on {{ date }}, #stamp\n{% endif %}\n",
        )]);
        let page = dir.path().join("page.typ").display().to_string();
        let line = "  Signed by Åsa Öberg on 3 May 2026, #stamp";
        assert_eq!(origin_of(&templates, "page.typ", line, "stamp"), Some(format!("{page}:3:40")));
        // In a value: the tag that wrote it.
        assert_eq!(origin_of(&templates, "page.typ", line, "Öberg"), Some(format!("{page}:3:13")));
        assert_eq!(origin_of(&templates, "page.typ", "Nothing like it", "like"), None);
        assert_eq!(origin_of(&templates, "page.typ", "   ", " "), None);
    }

    #[test]
    fn included_and_extended_templates_are_searched_the_users_first() {
        let (dir, templates) = user_templates(&[
            (
                "page.typ",
                "{% extends \"base.typ\" %}\n{% block body %}\n{% include \"parts/sign.typ\" %}\n{% endblock %}\n",
            ),
            ("parts/sign.typ", "#v(1fr)\n#signature({{ name|typst_string }})\n"),
        ]);
        let sign = dir.path().join("parts/sign.typ").display().to_string();
        let line = "#signature(\"Åsa\")";
        assert_eq!(origin_of(&templates, "page.typ", line, "signature"), Some(format!("{sign}:2:2")));
        // `#v(1fr)` is in the bundled base too; the user's line is named.
        assert_eq!(origin_of(&templates, "page.typ", "#v(1fr)", "v"), Some(format!("{sign}:1:2")));
        // A template that is not part of the document is not searched.
        assert_eq!(origin_of(&templates, "base.typ", line, "signature"), None);
    }

    #[test]
    fn an_error_at_the_end_of_a_line_is_marked_on_its_last_character() {
        let (dir, templates) = user_templates(&[("page.typ", "#box[{{ name }}\n")]);
        let page = dir.path().join("page.typ").display().to_string();
        let line = "#box[Åsa";
        let place = templates.origin("page.typ", line, line.len()..line.len()).unwrap();
        assert_eq!(place.to_string(), format!("{page}:1:6"));
    }
}
