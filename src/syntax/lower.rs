//! Lowering pest's pairs into the typed syntax tree.

mod assessment;

use pest::iterators::Pair;

use super::ast::*;
use super::characters::{Field, Place, describe, refusal};
use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Location, Span};

pub(super) struct Lowering {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

/// The first character in `raw` that a text or comment may not hold, as a
/// diagnostic that points at it and counts any others. `offset` is where
/// `raw` starts in the file.
pub(super) fn refused_character(file: FileId, raw: &str, offset: usize, place: Place) -> Option<Diagnostic> {
    // Most texts are printable ASCII and Latin letters such as å, ä, ö and é
    // (U+00C0 to U+00FF, the only characters whose first byte is 0xC3),
    // which are never refused: bytes 0x80 to 0xBF only ever follow a first byte.
    if raw.bytes().all(|byte| matches!(byte, b' '..=b'~' | 0xC3 | 0x80..=0xBF)) {
        return None;
    }
    let mut refused = raw.char_indices().filter_map(|(index, c)| {
        // Letters of every script below the first separator, which most
        // texts are made of, are never refused.
        if (' '..='~').contains(&c) || ('\u{a0}'..'\u{2028}').contains(&c) {
            return None;
        }
        let next = raw[index + c.len_utf8()..].chars().next();
        refusal(c, next, place).map(|why| (index, c, why))
    });
    let (index, c, why) = refused.next()?;
    let others = refused.count();
    let what = if place == Place::Comment { "a comment" } else { "a text" };
    let span = Span::new(offset + index, offset + index + c.len_utf8());
    let mut diagnostic = Diagnostic::new(Code::ForbiddenCharacter, format!("{what} cannot hold {}", describe(c)))
        .at(Location::new(file, span))
        .label("this character is not allowed here")
        .hint(why)
        .hint("delete it; such characters often come along unseen when text is copied from another program");
    if others > 0 {
        let plural = if others == 1 { "" } else { "s" };
        diagnostic =
            diagnostic.hint(format!("{others} more character{plural} like it follow in the same {}", &what[2..]));
    }
    Some(diagnostic)
}

/// The span of a pair without the spacing and comments that pest may have
/// consumed after its last part.
fn span_of(pair: &Pair<Rule>) -> Span {
    Span::new(pair.as_span().start(), content_end(pair))
}

fn content_end(pair: &Pair<Rule>) -> usize {
    // A quoted text ends with its closing quote, which is no pair of its own,
    // a word or brace holds no spacing, and a compound-atomic statement ends
    // with its last word: each ends where its match does.
    if matches!(pair.as_rule(), Rule::string | Rule::long_string)
        || is_word(pair.as_rule())
        || assessment::is_compound_statement(pair.as_rule())
    {
        return pair.as_span().end();
    }
    // Without a comment on the last line it reaches, the pair ends where
    // its spacing does: most pairs, and far cheaper than finding the last child.
    let trimmed = pair.as_str().trim_end_matches(is_spacing);
    let last_line = trimmed.rfind('\n').map_or(trimmed, |newline| &trimmed[newline..]);
    if !last_line.contains('#') {
        return pair.as_span().start() + trimmed.len();
    }
    // The last child, taken from the back: comments are no pairs, so what
    // the pair took in after it can only be spacing and comments.
    match pair.clone().into_inner().next_back() {
        Some(child) => content_end(&child),
        None => pair.as_span().start() + pair.as_str().trim_end().len(),
    }
}

/// The characters the grammar's `WHITESPACE` takes.
fn is_spacing(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{FEFF}')
}

/// Whether the rule is an atomic word or a brace, which cannot end in
/// spacing or a comment.
fn is_word(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ident
            | Rule::lang
            | Rule::version_number
            | Rule::number
            | Rule::code
            | Rule::date
            | Rule::rate_target
            | Rule::seqf_dimension
            | Rule::rated_kind
            | Rule::unrated
            | Rule::open
            | Rule::close
    ) || is_keyword(rule)
}

/// The meaningful children of a pair: braces are skipped.
fn children(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|child| !matches!(child.as_rule(), Rule::open | Rule::close))
}

fn is_keyword(rule: Rule) -> bool {
    super::keywords::quoted(rule).is_some()
}

/// The children that carry values: keywords are skipped too.
fn values(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    children(pair).filter(|child| !is_keyword(child.as_rule()))
}

/// The kind an `item_kind` pair names, after `remove` or `renamed`.
fn item_kind(pair: Pair<Rule>) -> ItemKind {
    match pair.into_inner().next().map(|keyword| keyword.as_rule()) {
        Some(Rule::k_task) => ItemKind::Task,
        Some(Rule::k_area) => ItemKind::Area,
        Some(Rule::k_competence) => ItemKind::Competence,
        Some(Rule::k_track) => ItemKind::Track,
        _ => ItemKind::Milestone,
    }
}

fn token(pair: Pair<Rule>) -> Token {
    Token { text: pair.as_str().to_string(), span: span_of(&pair) }
}

impl Lowering {
    pub(super) fn new(file: FileId) -> Self {
        Lowering { file, diagnostics: Vec::new() }
    }

    pub(super) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    pub(super) fn file(&mut self, pair: Pair<Rule>) -> Document {
        let inner = children(pair).find(|child| child.as_rule() != Rule::EOI).expect("a parsed file has a body");
        match inner.as_rule() {
            Rule::framework_file => Document::Framework(self.framework(inner, FrameworkKind::Framework)),
            Rule::library_file => Document::Framework(self.framework(inner, FrameworkKind::Library)),
            Rule::assessment_file => Document::Assessment(self.assessment(inner)),
            rule => unreachable!("a file body is never {rule:?}"),
        }
    }

    // ------------------------------------------------------------ texts

    fn string(&mut self, pair: Pair<Rule>, field: Field) -> Str {
        let span = span_of(&pair);
        // A text is atomic: its span is the quotes and what is between them.
        let long = pair.as_rule() == Rule::long_string;
        let quotes = if long { 3 } else { 1 };
        let quoted = pair.as_str();
        let raw = &quoted[quotes..quoted.len() - quotes];
        let start = span.start + quotes;
        let place = if long { Place::Block } else { Place::Line };
        if let Some(diagnostic) = refused_character(self.file, raw, start, place) {
            self.diagnostics.push(diagnostic);
        }
        let value = if long { dedent(raw) } else { self.unescape(raw, start) };
        // A text has no more characters than bytes, so most are counted by their length.
        let length = if value.len() <= field.limit() { value.len() } else { value.chars().count() };
        if length > field.limit() {
            let noun = field.noun();
            self.diagnostics.push(
                Diagnostic::new(
                    Code::TextTooLong,
                    format!("this text has {length} characters; {noun} may have at most {}", field.limit()),
                )
                .at(Location::new(self.file, span))
                .label(format!("{} characters too many", length - field.limit()))
                .hint(format!(
                    "shorten it to {} characters or fewer; documents are laid out for texts up to that length",
                    field.limit()
                )),
            );
        }
        Str { value, span }
    }

    fn unescape(&mut self, raw: &str, offset: usize) -> String {
        if !raw.contains('\\') {
            return raw.to_string();
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((index, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((next_index, other)) => {
                    let span = Span::new(offset + index, offset + next_index + other.len_utf8());
                    self.diagnostics.push(
                        Diagnostic::new(Code::InvalidText, format!("`\\{other}` is not an escape that kub knows"))
                            .at(Location::new(self.file, span))
                            .label("unknown escape")
                            .hint("inside quotes, write `\\\"` for a quote, `\\\\` for a backslash and `\\n` for a new line"),
                    );
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        out
    }

    fn text(&mut self, pair: Pair<Rule>, field: Field) -> Text {
        let start = pair.as_span().start();
        // A text holds only its parts, and a part only a language code and a
        // quoted text: no braces or keywords to pass over.
        let parts: Vec<TextPart> = pair
            .into_inner()
            .map(|part| {
                let mut lang = None;
                let mut value = None;
                for child in part.into_inner() {
                    match child.as_rule() {
                        Rule::lang => lang = Some(token(child)),
                        _ => value = Some(self.string(child, field)),
                    }
                }
                TextPart { lang, value: value.expect("a text part has a string") }
            })
            .collect();
        // A text ends with its last quoted text, whatever spacing and
        // comments its match took in after it.
        let end = parts.last().map_or(start, |part| part.value.span.end);
        Text { parts, span: Span::new(start, end) }
    }

    fn description(&mut self, pair: Pair<Rule>) -> Description {
        let start = pair.as_span().start();
        let text = self.text(values(pair).next().expect("a description has a text"), Field::Description);
        Description { span: Span::new(start, text.span.end), text }
    }

    fn scale_ref(&mut self, pair: Pair<Rule>) -> ScaleRef {
        let span = span_of(&pair);
        ScaleRef { scale: token(values(pair).next().expect("a scale reference names a scale")), span }
    }

    // ------------------------------------------------------------ frameworks

    fn framework(&mut self, pair: Pair<Rule>, kind: FrameworkKind) -> FrameworkDoc {
        let mut header_end = pair.as_span().start();
        let header_start = header_end;
        let mut id = None;
        let mut title = None;
        let mut items = Vec::new();
        for child in values(pair) {
            match child.as_rule() {
                Rule::ident => {
                    header_end = content_end(&child);
                    id = Some(token(child));
                }
                Rule::text => {
                    header_end = content_end(&child);
                    title = Some(self.text(child, Field::Title));
                }
                _ => items.push(self.framework_item(child)),
            }
        }
        FrameworkDoc {
            kind,
            id: id.expect("a framework has an id"),
            title,
            items,
            header_span: Span::new(header_start, header_end),
        }
    }

    /// The statements of a `framework_body`: a piece of a framework read
    /// on its own, its spans counted from the piece's start.
    pub(super) fn framework_body(&mut self, pair: Pair<Rule>) -> Vec<FrameworkItem> {
        children(pair).filter(|child| child.as_rule() != Rule::EOI).map(|child| self.framework_item(child)).collect()
    }

    fn framework_item(&mut self, pair: Pair<Rule>) -> FrameworkItem {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        match rule {
            Rule::version_stmt => FrameworkItem::Version { version: token(first_value(pair)), span },
            Rule::occupation_stmt => {
                FrameworkItem::Occupation { text: self.text(first_value(pair), Field::Title), span }
            }
            Rule::organisation_stmt => {
                FrameworkItem::Organisation { text: self.text(first_value(pair), Field::Name), span }
            }
            Rule::languages_stmt => FrameworkItem::Languages { languages: values(pair).map(token).collect(), span },
            Rule::description_stmt => FrameworkItem::Description(self.description(pair)),
            Rule::esco_stmt => FrameworkItem::Esco { uri: self.string(first_value(pair), Field::Reference), span },
            Rule::include_stmt => {
                FrameworkItem::Include { path: self.string(first_value(pair), Field::Reference), span }
            }
            Rule::extends_stmt => {
                let mut parts = values(pair);
                FrameworkItem::Extends {
                    id: token(parts.next().expect("extends names a framework")),
                    version: token(parts.next().expect("extends names a version")),
                    span,
                }
            }
            Rule::rate_stmt => {
                let mut parts = values(pair);
                FrameworkItem::Rate {
                    target: token(parts.next().expect("rate names a target")),
                    scale: token(parts.next().expect("rate names a scale")),
                    span,
                }
            }
            Rule::scale_def => FrameworkItem::Scale(self.scale(pair)),
            Rule::area_def => FrameworkItem::Area(self.area(pair)),
            Rule::competence_def => FrameworkItem::Competence(self.competence(pair)),
            Rule::track_def => FrameworkItem::Track(self.track(pair)),
            Rule::certificate_def => FrameworkItem::Certificate(self.certificate(pair)),
            Rule::remove_stmt => {
                let mut parts = values(pair);
                let kind = item_kind(parts.next().expect("remove names a kind"));
                FrameworkItem::Remove { kind, id: token(parts.next().expect("remove names an id")), span }
            }
            Rule::renamed_stmt => {
                let mut parts = values(pair);
                let kind = item_kind(parts.next().expect("renamed names a kind"));
                let from = token(parts.next().expect("renamed names the old id"));
                FrameworkItem::Renamed { kind, from, to: token(parts.next().expect("renamed names the new id")), span }
            }
            Rule::override_task => FrameworkItem::OverrideTask(self.task(pair)),
            Rule::override_area => FrameworkItem::OverrideArea(self.area(pair)),
            Rule::override_competence => FrameworkItem::OverrideCompetence(self.competence(pair)),
            rule => unreachable!("not a framework item: {rule:?}"),
        }
    }

    /// The id and optional title that start every definition.
    fn id_and_title<'i>(
        &mut self,
        pair: Pair<'i, Rule>,
    ) -> (Token, Option<Text>, impl Iterator<Item = Pair<'i, Rule>> + use<'i>) {
        let mut rest = values(pair).peekable();
        let id = token(rest.next().expect("a definition has an id"));
        let title = rest.next_if(|part| part.as_rule() == Rule::text).map(|title| self.text(title, Field::Title));
        (id, title, rest)
    }

    fn scale(&mut self, pair: Pair<Rule>) -> ScaleDef {
        let span = span_of(&pair);
        let (id, title, rest) = self.id_and_title(pair);
        let mut descriptions = Vec::new();
        let mut levels = Vec::new();
        for child in rest {
            match child.as_rule() {
                Rule::description_stmt => descriptions.push(self.description(child)),
                _ => {
                    let level_span = span_of(&child);
                    let (id, label, rest) = self.id_and_title(child);
                    let descriptions = rest.map(|d| self.description(d)).collect();
                    levels.push(LevelDef { id, label, descriptions, span: level_span });
                }
            }
        }
        ScaleDef { id, title, descriptions, levels, span }
    }

    fn area(&mut self, pair: Pair<Rule>) -> AreaDef {
        let span = span_of(&pair);
        let (id, title, rest) = self.id_and_title(pair);
        let mut area = AreaDef { id, title, descriptions: Vec::new(), scales: Vec::new(), tasks: Vec::new(), span };
        for child in rest {
            match child.as_rule() {
                Rule::description_stmt => area.descriptions.push(self.description(child)),
                Rule::scale_ref => area.scales.push(self.scale_ref(child)),
                _ => area.tasks.push(self.task(child)),
            }
        }
        area
    }

    fn task(&mut self, pair: Pair<Rule>) -> TaskDef {
        let span = span_of(&pair);
        let (id, title, rest) = self.id_and_title(pair);
        let items = rest.map(|child| self.task_item(child)).collect();
        TaskDef { id, title, items, span }
    }

    fn task_item(&mut self, pair: Pair<Rule>) -> TaskItem {
        match pair.as_rule() {
            Rule::description_stmt => TaskItem::Description(self.description(pair)),
            Rule::criterion_stmt => {
                // It ends where its text does.
                let start = pair.as_span().start();
                let text = self.text(first_value(pair), Field::Criterion);
                TaskItem::Criterion { span: Span::new(start, text.span.end), text }
            }
            Rule::seqf_stmt => {
                let span = span_of(&pair);
                let mut parts = values(pair);
                TaskItem::Seqf {
                    level: token(parts.next().expect("seqf has a level")),
                    dimension: parts.next().map(token),
                    span,
                }
            }
            Rule::required_stmt => TaskItem::Required { span: span_of(&pair) },
            Rule::optional_stmt => TaskItem::Optional { span: span_of(&pair) },
            Rule::esco_stmt => {
                TaskItem::Esco { span: span_of(&pair), uri: self.string(first_value(pair), Field::Reference) }
            }
            Rule::evidence_stmt => TaskItem::Evidence { span: span_of(&pair), kind: token(first_value(pair)) },
            Rule::scale_ref => TaskItem::Scale(self.scale_ref(pair)),
            rule => unreachable!("not a task item: {rule:?}"),
        }
    }

    fn competence(&mut self, pair: Pair<Rule>) -> CompetenceDef {
        let span = span_of(&pair);
        let (id, title, rest) = self.id_and_title(pair);
        let mut competence =
            CompetenceDef { id, title, descriptions: Vec::new(), scales: Vec::new(), descriptors: Vec::new(), span };
        for child in rest {
            match child.as_rule() {
                Rule::description_stmt => competence.descriptions.push(self.description(child)),
                Rule::scale_ref => competence.scales.push(self.scale_ref(child)),
                _ => {
                    let span = span_of(&child);
                    let mut parts = values(child);
                    let level = token(parts.next().expect("a descriptor names a level"));
                    let text = self.text(parts.next().expect("a descriptor has a text"), Field::Criterion);
                    competence.descriptors.push(Descriptor { level, text, span });
                }
            }
        }
        competence
    }

    fn track(&mut self, pair: Pair<Rule>) -> TrackDef {
        let span = span_of(&pair);
        let (id, title, rest) = self.id_and_title(pair);
        let mut track =
            TrackDef { id, title, descriptions: Vec::new(), skills: Vec::new(), milestones: Vec::new(), span };
        for child in rest {
            match child.as_rule() {
                Rule::description_stmt => track.descriptions.push(self.description(child)),
                Rule::skill_stmt => track.skills.push(token(first_value(child))),
                _ => track.milestones.push(self.milestone(child)),
            }
        }
        track
    }

    fn milestone(&mut self, pair: Pair<Rule>) -> MilestoneDef {
        let span = span_of(&pair);
        let (id, title, rest) = self.id_and_title(pair);
        let mut milestone =
            MilestoneDef { id, title, descriptions: Vec::new(), cefr: Vec::new(), sfi: Vec::new(), span };
        for child in rest {
            match child.as_rule() {
                Rule::description_stmt => milestone.descriptions.push(self.description(child)),
                Rule::cefr_stmt => milestone.cefr.push(token(first_value(child))),
                _ => milestone.sfi.push(token(first_value(child))),
            }
        }
        milestone
    }

    fn certificate(&mut self, pair: Pair<Rule>) -> CertificateDef {
        let span = span_of(&pair);
        let mut certificate = CertificateDef { achieved: Vec::new(), seqf_rules: Vec::new(), span };
        for child in values(pair) {
            let span = span_of(&child);
            let rule = child.as_rule();
            let mut parts = values(child);
            if rule == Rule::achieved_stmt {
                certificate.achieved.push(AchievedRule {
                    scale: token(parts.next().expect("achieved names a scale")),
                    level: token(parts.next().expect("achieved names a level")),
                    span,
                });
            } else {
                certificate.seqf_rules.push(SeqfRule {
                    rule: token(parts.next().expect("a seqf rule has a name")),
                    number: parts.next().map(token),
                    span,
                });
            }
        }
        certificate
    }
}

fn first_value(pair: Pair<Rule>) -> Pair<Rule> {
    values(pair).next().expect("the grammar guarantees a value")
}

/// Removes the common indentation of a triple-quoted text and the blank
/// first and last lines, so that it can be indented with the code around it.
fn dedent(raw: &str) -> String {
    let lines: Vec<&str> = raw.lines().collect();
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .map(|line| match line.get(..indent) {
            Some(prefix) if prefix.trim().is_empty() => &line[indent..],
            _ => line.trim_start(),
        })
        .collect();
    while out.first().is_some_and(|line| line.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|line| line.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn area(text: &str) -> (String, AreaDef, Vec<Diagnostic>) {
        let file = format!("library l \"L\"\nlanguages sv en\n{text}");
        let parsed = parse(FileId::default(), &file);
        let Some(Document::Framework(mut doc)) = parsed.document else { panic!("{:?}", parsed.diagnostics) };
        let Some(FrameworkItem::Area(area)) = doc.items.pop() else { panic!("no area last") };
        (file, area, parsed.diagnostics)
    }

    #[test]
    fn a_statement_ends_at_its_last_word_not_at_the_spacing_or_comments_after_it() {
        let (file, area, _) =
            area("area a \"A\" {\n  task t \"T\" # the title\n  # a note\n\n  task u \"U\" # # ends\n}\n");
        let ends: Vec<&str> = area.tasks.iter().map(|task| &file[task.span.range()]).collect();
        assert_eq!(ends, ["task t \"T\"", "task u \"U\""]);
        assert!(file[area.span.range()].ends_with('}'));
    }

    #[test]
    fn a_hash_inside_a_text_is_no_comment() {
        let (file, area, _) = area("area a \"A\" {\n  task t \"Steg #1\" en \"Step #1\" \n\n}\n");
        let task = &area.tasks[0];
        assert_eq!(&file[task.span.range()], "task t \"Steg #1\" en \"Step #1\"");
    }

    #[test]
    fn a_text_is_read_from_between_its_quotes() {
        let (file, area, diagnostics) =
            area("area a \"Gör \\\"säkert\\\"\\n\" en \"\"\"\n    Two\n      lines\n    \"\"\" {\n}\n");
        let title = area.title.expect("a title");
        assert_eq!(title.parts[0].value.value, "Gör \"säkert\"\n");
        assert_eq!(&file[title.parts[0].value.span.range()], "\"Gör \\\"säkert\\\"\\n\"");
        assert_eq!(title.parts[1].value.value, "Two\n  lines");
        assert!(file[title.parts[1].value.span.range()].starts_with("\"\"\"\n"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_refused_character_among_latin_letters_is_found_where_it_is() {
        let (file, _, diagnostics) = area("area a \"Åsa\u{7}är\" {\n}\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let at = diagnostics[0].location.expect("located").span;
        assert_eq!(&file[at.range()], "\u{7}");
        assert_eq!(diagnostics[0].code, Code::ForbiddenCharacter);
    }

    #[test]
    fn an_unknown_escape_is_reported_at_its_backslash() {
        let (file, _, diagnostics) = area("area a \"a\\qb\" {\n}\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(&file[diagnostics[0].location.expect("located").span.range()], "\\q");
    }
}
