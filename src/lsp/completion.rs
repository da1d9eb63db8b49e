//! Completion while typing: what may come at the cursor, read from the
//! text before it, since a line being typed rarely parses.
//!
//! The text before the cursor is split into words, braces and (skipped)
//! texts and comments. The braces tell which block the cursor is in, the
//! words since the statement's keyword what the statement still needs: a
//! task id after `task`, one of that task's levels after its id.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::analysis::View;
use super::names::{self, ScaleOf};
use super::position::LineIndex;
use crate::model::{
    CefrLevel, CefrSkill, Evidence, Framework, FrameworkKind, Lang, OccasionKind, SeqfDimension, SfiCourse,
};
use crate::source::{FileId, Span};
use crate::syntax::ast::ItemKind;

/// What a milestone is rated: the words `kub check` accepts.
const MILESTONE_VALUES: &[&str] = &["reached", "not-yet"];

/// The statements each block may hold, by the keyword that opens it; the
/// first entries are the top level of each kind of file. A test holds
/// every word to the keyword table of the syntax.
const STATEMENTS: &[(&str, &[&str])] = &[
    // In the order a framework is usually written: its header, then what it
    // defines, then how it tailors another.
    (
        "framework",
        &[
            "version",
            "languages",
            "occupation",
            "organisation",
            "esco",
            "description",
            "include",
            "extends",
            "rate",
            "scale",
            "area",
            "competence",
            "track",
            "certificate",
            "override",
            "remove",
            "renamed",
        ],
    ),
    ("library", &["languages", "description", "include", "scale", "area", "competence", "track"]),
    ("assessment", &["participant", "workplace", "organisation", "supervisor", "period", "occasion", "goal", "signed"]),
    ("scale", &["description", "level"]),
    ("level", &["description"]),
    ("area", &["description", "scale", "task"]),
    ("task", &["description", "criterion", "seqf", "required", "optional", "esco", "evidence", "scale"]),
    ("competence", &["description", "scale", "level"]),
    ("track", &["description", "skill", "milestone"]),
    ("milestone", &["description", "cefr", "sfi"]),
    ("certificate", &["achieved", "seqf"]),
    ("participant", &["reference", "language"]),
    ("occasion", &["task", "competence", "milestone"]),
];

/// The keywords that open a block with braces.
const BLOCKS: &[&str] =
    &["scale", "level", "area", "task", "competence", "track", "milestone", "certificate", "participant", "occasion"];

/// A piece of the text before the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    Word(&'t str),
    Open,
    Close,
}

/// The text before the cursor, read as far as completion needs.
#[derive(Debug, Default)]
struct Before<'t> {
    pieces: Vec<Piece<'t>>,
    /// The cursor is inside a text or a comment, where nothing is offered.
    in_text: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '?')
}

/// Splits the text before the cursor into words and braces.
fn read(text: &str) -> Before<'_> {
    let mut before = Before::default();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '#' {
            match rest.find('\n') {
                Some(end) => rest = &rest[end..],
                None => return Before { in_text: true, ..before },
            }
        } else if let Some(after) = rest.strip_prefix("\"\"\"") {
            match after.find("\"\"\"") {
                Some(end) => rest = &after[end + 3..],
                None => return Before { in_text: true, ..before },
            }
        } else if c == '"' {
            match closing_quote(&rest[1..]) {
                Some(end) => rest = &rest[1 + end..],
                None => return Before { in_text: true, ..before },
            }
        } else if c == '{' || c == '}' {
            before.pieces.push(if c == '{' { Piece::Open } else { Piece::Close });
            rest = &rest[1..];
        } else if is_word_char(c) {
            let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
            before.pieces.push(Piece::Word(&rest[..end]));
            rest = &rest[end..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    before
}

/// Where a one-line text ends, just after its closing quote; a line break
/// ends an unclosed text too. `None` when the text runs to the cursor.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(index + 1),
            '\n' => return Some(index),
            _ => escaped = false,
        }
    }
    None
}

/// Where the cursor is: in which block, in which statement, and which
/// part of a word is typed already.
#[derive(Debug)]
struct Context<'t> {
    /// The first word of the file: `framework`, `library` or `assessment`.
    file_kind: Option<&'t str>,
    /// The file's first words, up to four: its first line.
    header: Vec<&'t str>,
    /// The innermost block's opening statement, its words in order.
    block: Vec<&'t str>,
    /// The words of the statement so far, the one being typed left out.
    statement: Vec<&'t str>,
    /// Whether the word being typed starts its line, so a new statement may start.
    line_start: bool,
}

fn context<'t>(text: &'t str, typed_start: usize) -> Option<Context<'t>> {
    let before = read(&text[..typed_start]);
    if before.in_text {
        return None;
    }
    let header: Vec<&str> = before
        .pieces
        .iter()
        .map_while(|piece| match piece {
            Piece::Word(word) => Some(*word),
            _ => None,
        })
        .take(4)
        .collect();
    let file_kind = header.first().copied();
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for piece in &before.pieces {
        match piece {
            Piece::Open => blocks.push(std::mem::take(&mut words)),
            Piece::Close => {
                blocks.pop();
                words.clear();
            }
            Piece::Word(word) => words.push(word),
        }
    }
    let keywords = crate::syntax::statement_keywords();
    let continues = ["override", "remove", "renamed", "goal"];
    let start = (0..words.len())
        .rev()
        .find(|&i| keywords.contains(&words[i]) && (i == 0 || !continues.contains(&words[i - 1])))
        .unwrap_or(0);
    let line = &text[text[..typed_start].rfind('\n').map_or(0, |i| i + 1)..typed_start];
    Some(Context {
        file_kind,
        header,
        block: blocks.pop().unwrap_or_default(),
        statement: words[start..].to_vec(),
        line_start: line.trim_start_matches('\u{feff}').trim().is_empty(),
    })
}

impl Context<'_> {
    /// The keyword of the innermost block, or the file's kind at the top level.
    fn block_keyword(&self) -> Option<&str> {
        if self.block.is_empty() {
            return self.file_kind;
        }
        self.block.iter().rev().find(|word| BLOCKS.contains(word)).copied()
    }

    /// The id the innermost block was opened with, such as a competence's.
    fn block_id(&self) -> Option<&str> {
        let keyword = self.block_keyword()?;
        let at = self.block.iter().rposition(|word| *word == keyword)?;
        self.block.get(at + 1).copied()
    }
}

/// One offer, before it becomes the protocol's item.
struct Offer {
    label: String,
    detail: Option<String>,
    kind: CompletionItemKind,
}

impl Offer {
    fn new(label: impl Into<String>, detail: Option<String>, kind: CompletionItemKind) -> Self {
        Offer { label: label.into(), detail, kind }
    }
}

fn words(words: &[&str], kind: CompletionItemKind) -> Vec<Offer> {
    words.iter().map(|word| Offer::new(*word, None, kind)).collect()
}

/// What may be typed at `offset` of a file whose current text is `text`.
pub fn complete(
    view: &View,
    file: Option<FileId>,
    text: &str,
    offset: usize,
    lines: &LineIndex,
) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    let offset = (0..=offset).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let typed_start = text[..offset]
        .rfind(|c: char| !is_word_char(c))
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let Some(context) = context(text, typed_start) else { return Vec::new() };
    let offers = offers(view, file, &context);
    let range = lines.range(Span::new(typed_start, offset));
    offers
        .into_iter()
        .enumerate()
        .map(|(index, offer)| CompletionItem {
            label: offer.label.clone(),
            kind: Some(offer.kind),
            detail: offer.detail,
            sort_text: Some(format!("{index:05}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, offer.label))),
            ..CompletionItem::default()
        })
        .collect()
}

fn offers(view: &View, file: Option<FileId>, context: &Context) -> Vec<Offer> {
    if context.file_kind.is_none() {
        return words(&["framework", "library", "assessment"], CompletionItemKind::KEYWORD);
    }
    let framework = match context.file_kind {
        Some("assessment") => match context.statement.as_slice() {
            ["assessment", "follows", ..] if context.block.is_empty() => None,
            _ => header_framework(view, context),
        },
        _ => file.and_then(|file| view.framework_of(file)),
    };
    let specific = statement_offers(view, framework, context);
    if !specific.is_empty() || !context.line_start {
        return specific;
    }
    let block = context.block_keyword().unwrap_or_default();
    STATEMENTS
        .iter()
        .find(|(opened_by, _)| *opened_by == block)
        .map(|(_, statements)| words(statements, CompletionItemKind::KEYWORD))
        .unwrap_or_default()
}

/// The framework an assessment's first line names, read from its words:
/// `assessment follows ID VERSION`.
fn header_framework<'v>(view: &View<'v>, context: &Context) -> Option<&'v Framework> {
    match context.header.as_slice() {
        ["assessment", "follows", id, version, ..] => view.followed(id, version),
        ["assessment", "follows", id] => view.followed(id, ""),
        _ => None,
    }
}

/// Offers for the statement being written, from the words written so far.
fn statement_offers(view: &View, framework: Option<&Framework>, context: &Context) -> Vec<Offer> {
    use CompletionItemKind as Kind;
    let in_block = context.block_keyword().unwrap_or_default();
    match (in_block, context.statement.as_slice()) {
        (_, ["assessment"]) => words(&["follows"], Kind::KEYWORD),
        (_, ["assessment", "follows"]) | (_, ["extends"]) => framework_ids(view),
        (_, ["assessment", "follows", id]) | (_, ["extends", id]) => versions(view, id),
        ("occasion", [kind @ ("task" | "competence" | "milestone")]) => {
            framework.map(|framework| ids(framework, rated_kind(kind))).unwrap_or_default()
        }
        ("occasion", ["milestone", _]) => words(MILESTONE_VALUES, Kind::ENUM_MEMBER),
        ("occasion", [kind @ ("task" | "competence"), id]) => framework
            .map(|framework| levels(framework, &ScaleOf::Rated(rated_kind(kind), id.to_string()), true))
            .unwrap_or_default(),
        (_, ["occasion"]) => words(OccasionKind::WORDS, Kind::ENUM_MEMBER),
        (_, ["occasion", _, _]) => words(&["by"], Kind::KEYWORD),
        (_, ["period", _]) => words(&["to"], Kind::KEYWORD),
        (_, ["goal"]) => words(&["task"], Kind::KEYWORD),
        (_, ["goal", "task"]) => framework.map(|framework| ids(framework, ItemKind::Task)).unwrap_or_default(),
        (_, ["language" | "languages", ..]) => languages(),
        (_, ["rate"]) => words(&["tasks", "competences"], Kind::ENUM_MEMBER),
        (_, ["rate", _]) => words(&["with"], Kind::KEYWORD),
        (_, ["rate", _, "with"] | ["scale"] | ["achieved"]) => framework.map(scales).unwrap_or_default(),
        (_, ["achieved", _]) => words(&["from"], Kind::KEYWORD),
        (_, ["achieved", scale, "from"]) => {
            framework.map(|framework| levels(framework, &ScaleOf::Scale(scale.to_string()), false)).unwrap_or_default()
        }
        ("competence", ["level"]) => match (framework, context.block_id()) {
            (Some(framework), Some(id)) => {
                levels(framework, &ScaleOf::Rated(ItemKind::Competence, id.to_string()), false)
            }
            _ => Vec::new(),
        },
        (_, ["evidence"]) => words(Evidence::WORDS, Kind::ENUM_MEMBER),
        (_, ["skill"]) => words(CefrSkill::WORDS, Kind::ENUM_MEMBER),
        (_, ["cefr"]) => words(CefrLevel::WORDS, Kind::ENUM_MEMBER),
        (_, ["sfi"]) => words(SfiCourse::WORDS, Kind::ENUM_MEMBER),
        ("certificate", ["seqf"]) => words(&["all-required", "share"], Kind::ENUM_MEMBER),
        ("task", ["seqf", _]) => words(SeqfDimension::WORDS, Kind::ENUM_MEMBER),
        (_, ["remove" | "renamed"]) => words(&["task", "area", "competence", "track", "milestone"], Kind::KEYWORD),
        (_, ["override"]) => words(&["task", "area", "competence"], Kind::KEYWORD),
        // A tailoring removes and overrides what it inherits, all of which its resolved framework holds.
        (_, ["remove" | "override", kind @ ("task" | "area" | "competence" | "track" | "milestone")]) => {
            let kind = match *kind {
                "area" => ItemKind::Area,
                "track" => ItemKind::Track,
                other => rated_kind(other),
            };
            framework.map(|framework| ids(framework, kind)).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn rated_kind(keyword: &str) -> ItemKind {
    match keyword {
        "competence" => ItemKind::Competence,
        "milestone" => ItemKind::Milestone,
        _ => ItemKind::Task,
    }
}

fn title(framework: &Framework, text: &crate::model::LocalizedText) -> Option<String> {
    Some(text.best(framework.default_language(), &[])).filter(|title| !title.is_empty()).map(str::to_string)
}

/// The ids of one kind of item, with their titles.
fn ids(framework: &Framework, kind: ItemKind) -> Vec<Offer> {
    let offer = |id: &str, text| Offer::new(id, title(framework, text), CompletionItemKind::REFERENCE);
    match kind {
        ItemKind::Task => framework.tasks().map(|task| offer(&task.id, &task.title)).collect(),
        ItemKind::Competence => framework.competences.iter().map(|c| offer(&c.id, &c.title)).collect(),
        ItemKind::Milestone => framework.milestones().map(|(_, m)| offer(&m.id, &m.title)).collect(),
        ItemKind::Area => framework.areas.iter().map(|area| offer(&area.id, &area.title)).collect(),
        ItemKind::Track => framework.tracks.iter().map(|track| offer(&track.id, &track.title)).collect(),
    }
}

/// The levels of a scale, lowest first, with `?` for "not rated yet" where a rating may say so.
fn levels(framework: &Framework, of: &ScaleOf, unrated: bool) -> Vec<Offer> {
    let Some(scale) = names::scale(framework, of) else { return Vec::new() };
    let mut offers: Vec<Offer> = scale
        .levels
        .iter()
        .map(|level| Offer::new(&level.id, title(framework, &level.label), CompletionItemKind::ENUM_MEMBER))
        .collect();
    if unrated {
        offers.push(Offer::new("?", Some("not rated yet".to_string()), CompletionItemKind::ENUM_MEMBER));
    }
    offers
}

fn scales(framework: &Framework) -> Vec<Offer> {
    framework
        .scales
        .iter()
        .map(|scale| {
            let detail = scale.title.as_ref().and_then(|text| title(framework, text));
            Offer::new(&scale.id, detail, CompletionItemKind::REFERENCE)
        })
        .collect()
}

/// The ids of the frameworks an assessment can follow or a tailoring extend.
fn framework_ids(view: &View) -> Vec<Offer> {
    let resolution = &view.checked.resolution;
    resolution
        .ids()
        .into_iter()
        .filter_map(|id| resolution.find_by_id(id))
        .filter(|framework| framework.kind == FrameworkKind::Framework)
        .map(|framework| Offer::new(&framework.id, title(framework, &framework.title), CompletionItemKind::REFERENCE))
        .collect()
}

/// The versions of a framework, newest first.
fn versions(view: &View, id: &str) -> Vec<Offer> {
    let mut versions: Vec<String> = view
        .checked
        .resolution
        .frameworks()
        .into_iter()
        .filter(|framework| framework.id == id && framework.kind == FrameworkKind::Framework)
        .map(|framework| framework.version.clone())
        .collect();
    versions.sort_by(|a, b| crate::model::compare_versions(b, a));
    versions.dedup();
    versions.into_iter().map(|version| Offer::new(version, None, CompletionItemKind::VALUE)).collect()
}

fn languages() -> Vec<Offer> {
    Lang::known_codes()
        .filter_map(Lang::parse)
        .map(|lang| Offer::new(lang.code(), Some(lang.name().to_string()), CompletionItemKind::ENUM_MEMBER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statement_offered_is_a_keyword_of_the_syntax() {
        let keywords = crate::syntax::statement_keywords();
        for (block, statements) in STATEMENTS {
            for word in *statements {
                assert!(keywords.contains(word), "`{word}` in `{block}` is no statement keyword");
            }
        }
        for block in BLOCKS {
            assert!(keywords.contains(block), "`{block}` is no statement keyword");
        }
    }

    fn context_at_end(text: &str) -> Option<Context<'_>> {
        let typed_start = text.rfind(|c: char| !is_word_char(c)).map_or(0, |i| i + 1);
        context(text, typed_start)
    }

    #[test]
    fn reads_the_block_and_statement_before_the_cursor() {
        let text = "assessment follows park 2.1\nparticipant \"Åsa { }\" {\n}\noccasion mapping 2026-03-05 by \"G\" {\n  task lov med-stod\n  task ";
        let context = context_at_end(text).unwrap();
        assert_eq!(context.block_keyword(), Some("occasion"));
        assert_eq!(context.statement, ["task"]);
        assert_eq!(context.header, ["assessment", "follows", "park", "2.1"]);
        assert!(!context.line_start);
        let context = context_at_end("framework f\narea a {\n  task t \"T\" {\n    sc").unwrap();
        assert_eq!(context.block_keyword(), Some("task"));
        assert!(context.line_start);
        let context = context_at_end("framework f\noverride task t {\n}\nremove task ").unwrap();
        assert_eq!(context.statement, ["remove", "task"]);
        assert_eq!(context.block_keyword(), Some("framework"));
    }

    #[test]
    fn offers_nothing_inside_texts_and_comments() {
        assert!(context_at_end("assessment follows p 1\nworkplace \"Park ").is_none());
        assert!(context_at_end("assessment follows p 1\n# task ").is_none());
        assert!(context_at_end("framework f\ndescription \"\"\"\n  task ").is_none());
        assert!(context_at_end("framework f\ndescription \"a \\\" b\" task ").is_some());
    }
}
