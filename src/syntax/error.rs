//! Turning pest's parse errors into diagnostics in plain words.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::characters::{self, is_unprintable};
use super::grammar::Rule;
use super::keywords;
use super::tokens::{self, Token};
use crate::diagnostic::{Code, Diagnostic, closest, list_words};
use crate::source::{FileId, Location, Span};

/// Where pest stopped.
pub(super) fn position(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    }
}

/// The rules pest would have accepted where it stopped.
pub(super) fn positives(error: &Error<Rule>) -> &[Rule] {
    match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    }
}

/// The diagnostic for a syntax error; `tokens` is the text scanned.
pub(super) fn syntax_error(file: FileId, text: &str, error: &Error<Rule>, tokens: &[Token]) -> Diagnostic {
    let position = position(error);
    let expected = expected_words(positives(error));
    let found = found_at(text, position);
    if let Some(diagnostic) = non_ascii_id(file, text, position, &found) {
        return diagnostic;
    }
    if let Some(diagnostic) = missing_value(file, text, tokens, position, positives(error), &found) {
        return diagnostic;
    }
    if let Some(diagnostic) = unclosed_text(file, text, position) {
        return diagnostic;
    }
    let span = Span::new(position, position + found.byte_len);
    let message = if expected.is_empty() {
        format!("kub did not expect {} here", found.description)
    } else if expected.len() > 8 {
        format!("expected {} or another statement, found {}", expected[..6].join(", "), found.description)
    } else {
        format!("expected {}, found {}", list_words(&expected, "or"), found.description)
    };
    let label =
        if expected.len() == 1 { format!("expected {} here", expected[0]) } else { "unexpected here".to_string() };
    let mut diagnostic = Diagnostic::new(Code::SyntaxError, message).at(Location::new(file, span)).label(label);
    for hint in hints(text, position, &found, &expected) {
        diagnostic = diagnostic.hint(hint);
    }
    if expected.contains(&"`}`")
        && (found.word.as_deref().is_some_and(starts_statement) || found.byte_len == 0)
        && let Some(open) = tokens::open_brace_before(tokens, position)
    {
        let line = text[..open].matches('\n').count() + 1;
        diagnostic = diagnostic
            .related(Location::new(file, Span::new(open, open + 1)), "this block is not closed")
            .hint(format!("the block opened on line {line} needs a `}}` before this"));
    }
    diagnostic
}

/// A value that is missing at the end of a statement, as in
/// `task grasklippning` with the level forgotten: reported where the value
/// belongs, not at the next statement's keyword or the `}` after it.
fn missing_value(
    file: FileId,
    text: &str,
    tokens: &[Token],
    position: usize,
    positives: &[Rule],
    found: &Found,
) -> Option<Diagnostic> {
    // `signed "NAME"` may go on with `role` before its date: the date is
    // what is missing, and the optional `role` is no help in saying so.
    let positives: Vec<Rule> = positives.iter().copied().filter(|rule| *rule != Rule::k_role).collect();
    let positives = positives.as_slice();
    let wants_value = !positives.is_empty()
        && positives.iter().all(|rule| keywords::quoted(*rule).is_none() && !matches!(rule, Rule::close | Rule::EOI));
    let before = tokens.partition_point(|token| token.end <= position);
    let previous = tokens[..before].last().filter(|_| wants_value)?;
    let keyword = found.word.as_deref().filter(|word| keywords::is_reserved(word));
    let ends_line =
        text[previous.end..position].contains('\n') && matches!(text[position..].chars().next(), Some('}') | None);
    if keyword.is_none() && !ends_line {
        return None;
    }
    let written = shortened(&text[previous.start..previous.end]);
    let at = Location::new(file, Span::new(previous.end, previous.end));
    if positives.contains(&Rule::unrated) {
        let kind = tokens[..before].iter().rev().nth(1).map_or("task", |token| &text[token.start..token.end]);
        return Some(
            Diagnostic::new(Code::SyntaxError, format!("the level is missing after `{written}`"))
                .at(at)
                .label("the level belongs here")
                .hint(format!(
                    "a rating names the item and then its level: `{kind} {written} LEVEL`, with a level of the framework's scale"
                ))
                .hint("write `?` for a level not given yet"),
        );
    }
    let expected = expected_words(positives);
    let next = keyword.map_or_else(|| found.description.clone(), |keyword| format!("the keyword `{keyword}`"));
    let diagnostic = Diagnostic::new(
        Code::SyntaxError,
        format!("expected {} after `{written}`, found {next}", list_words(&expected, "or")),
    )
    .at(at)
    .label(format!("{} missing here", expected.first().copied().unwrap_or("a value")));
    Some(match keyword {
        Some(keyword) => diagnostic.hint(format!(
            "`{keyword}` starts a statement of its own and cannot stand for the value; write the value after `{written}`"
        )),
        None => diagnostic.hint(format!("write the value after `{written}`")),
    })
}

/// The diagnostic for a block that is not closed before `position`, where
/// the next statement shows it should have ended; `open` is its `{`.
pub(super) fn unclosed_block(file: FileId, text: &str, tokens: &[Token], position: usize, open: usize) -> Diagnostic {
    let found = found_at(text, position);
    let line = text[..open].matches('\n').count() + 1;
    let statement = tokens.iter().rposition(|token| token.start < open && token.starts_statement).unwrap_or(0);
    let opener: Vec<&str> = tokens[statement..]
        .iter()
        .take_while(|token| token.start < open)
        .take(2)
        .map(|token| &text[token.start..token.end])
        .collect();
    let span = Span::new(position, position + found.byte_len);
    Diagnostic::new(
        Code::SyntaxError,
        format!("missing `}}`: `{}` on line {line} is not closed before {}", opener.join(" "), found.description),
    )
    .at(Location::new(file, span))
    .label("`}` expected before this")
    .related(Location::new(file, Span::new(open, open + 1)), "this block is not closed")
    .hint(format!("add a `}}` where the block opened on line {line} ends"))
}

/// An id written with å, ä, ö or other letters outside ASCII.
fn non_ascii_id(file: FileId, text: &str, position: usize, found: &Found) -> Option<Diagnostic> {
    let before = &text[..position];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '-' || *c == '_')
        .last()
        .map_or(position, |(i, _)| i);
    let rest = found.word.as_ref().filter(|w| !w.is_ascii())?;
    let whole = shortened(&format!("{}{rest}", &text[word_start..position]));
    if word_start == position && !whole.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let span = Span::new(word_start, position + rest.len());
    Some(
        Diagnostic::new(Code::SyntaxError, format!("the id `{whole}` has letters that ids cannot have"))
            .at(Location::new(file, span))
            .label("ids use ASCII letters, digits, `-` and `_`")
            .hint(format!(
                "ids are written in plain ASCII so that they stay stable: write `{}`, and put the real name in the quoted title",
                ascii_id(&whole)
            )),
    )
}

/// A quoted text whose closing quote is missing on its line.
fn unclosed_text(file: FileId, text: &str, position: usize) -> Option<Diagnostic> {
    let rest = text.get(position..)?;
    if !rest.starts_with('"') || rest.starts_with("\"\"\"") {
        return None;
    }
    let line = rest.lines().next().unwrap_or("");
    let mut escaped = false;
    for c in line.chars().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return None,
            _ => escaped = false,
        }
    }
    let end = position + line.trim_end().len();
    Some(
        Diagnostic::new(Code::SyntaxError, "this text has no closing quote")
            .at(Location::new(file, Span::new(position, end)))
            .label("the text starts here and is not closed on this line")
            .hint("add `\"` at the end of the text; a text in quotes must end on the line it starts on")
            .hint("for text over several lines, use triple quotes: `\"\"\"` ... `\"\"\"`"),
    )
}

/// Keywords that start a statement of their own, outside any block.
fn starts_statement(word: &str) -> bool {
    keywords::OUTSIDE_BLOCKS.contains(&word)
}

/// A rule as a reader would name it: one or more words.
fn describe(rule: Rule) -> &'static [&'static str] {
    match rule {
        Rule::item_kind => &["`task`", "`area`", "`competence`", "`track`", "`milestone`"],
        Rule::rated_kind => &["`task`", "`competence`", "`milestone`"],
        Rule::seqf_dimension => &["`knowledge`", "`skills`", "`competence`"],
        Rule::EOI => &["the end of the file"],
        Rule::ident => &["an id (ASCII letters, digits, `-` and `_`)"],
        Rule::rate_target => &["`tasks`", "`competences`"],
        Rule::lang => &["a two-letter language code such as `sv`"],
        Rule::version_number => &["a version number such as `1.0`"],
        Rule::number => &["a whole number"],
        Rule::code => &["a level code such as `B1`"],
        Rule::date => &["a date written year-month-day, such as `2026-03-14`"],
        Rule::string | Rule::long_string | Rule::text | Rule::text_part => &["a text in quotes"],
        Rule::open => &["`{`"],
        Rule::unrated => &["`?`"],
        Rule::close => &["`}`"],
        rule => keywords::quoted(rule).map_or(&[], std::slice::from_ref),
    }
}

/// The expected rules in words, keywords first, each once.
fn expected_words(positives: &[Rule]) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Vec::new();
    for &word in positives.iter().flat_map(|rule| describe(*rule)) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.sort_by_key(|word| !word.starts_with('`'));
    words
}

struct Found {
    description: String,
    word: Option<String>,
    byte_len: usize,
}

/// A word as a message quotes it: whole if it is short, else its start and
/// an ellipsis, so that a runaway word does not fill the screen.
fn shortened(word: &str) -> String {
    const LONGEST: usize = 40;
    match word.char_indices().nth(LONGEST) {
        Some((end, _)) => format!("{}…", &word[..end]),
        None => word.to_string(),
    }
}

/// What stands at the error position: a word, a character or the end.
fn found_at(text: &str, position: usize) -> Found {
    let rest = text.get(position..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return Found { description: "the end of the file".to_string(), word: None, byte_len: 0 };
    };
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
    if !word.is_empty() {
        return Found { description: format!("`{}`", shortened(&word)), byte_len: word.len(), word: Some(word) };
    }
    let description = match first {
        '\n' | '\r' => "the end of the line".to_string(),
        '"' => "a text in quotes".to_string(),
        c if is_unprintable(c) => format!("the invisible character {}", characters::describe(c)),
        c => format!("`{c}`"),
    };
    Found { description, word: None, byte_len: first.len_utf8() }
}

fn hints(text: &str, position: usize, found: &Found, expected: &[&str]) -> Vec<String> {
    let mut hints = Vec::new();
    if let Some(word) = &found.word {
        let keywords = expected.iter().filter(|w| w.starts_with('`')).map(|w| w.trim_matches('`'));
        if let Some(best) = closest(word, keywords) {
            hints.push(format!("did you mean `{best}`?"));
        }
    }
    let first = text[position..].chars().next();
    if matches!(first, Some(',' | ';')) {
        hints.push("kub separates values with spaces, not commas: `languages sv en`".to_string());
    }
    let wants_text = expected.contains(&"a text in quotes");
    let plain_word =
        found.word.as_deref().is_some_and(|w| !w.chars().all(|c| c.is_ascii_digit()) && !starts_statement(w));
    if wants_text && plain_word && hints.is_empty() {
        hints.push("texts are written in quotes, for example `task moppa \"Moppa golv\"`".to_string());
    }
    if expected.iter().any(|w| w.starts_with("a date")) && first.is_some_and(|c| c.is_ascii_digit()) {
        hints.push(
            "write dates as year-month-day with four-digit year and two-digit month and day: `2026-02-05`".to_string(),
        );
    }
    hints
}

/// The ASCII spelling of an id written with Nordic letters.
pub(crate) fn ascii_id(word: &str) -> String {
    word.chars()
        .flat_map(|c| match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => vec!['a'],
            'Å' | 'Ä' => vec!['A'],
            'ö' | 'ø' | 'ó' | 'ô' => vec!['o'],
            'Ö' | 'Ø' => vec!['O'],
            'æ' => vec!['a', 'e'],
            'Æ' => vec!['A', 'E'],
            'é' | 'è' | 'ê' | 'ë' => vec!['e'],
            'ü' | 'ú' => vec!['u'],
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => vec![c],
            _ => vec!['-'],
        })
        .collect()
}
