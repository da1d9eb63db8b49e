//! Recovery: reading on past syntax errors so that one run reports every
//! mistake in a file, each once.
//!
//! pest stops at the first error. To go on, the statement holding the
//! mistake is blanked out (replaced by spaces, so that every offset stays
//! true) and the file is parsed again, until it parses or too many errors
//! were found. A block that is not closed is closed where the next
//! statement shows it should have been, so that a forgotten `}` is one
//! error and not one for every statement after it. What parses in the end
//! is the partial document.

use std::ops::Range;

use pest::Parser;
use pest::error::Error;

use super::conflicts::Conflict;
use super::grammar::{KubParser, Rule};
use super::tokens::{self, Kind, Token};
use super::{Parsed, error, keywords, lowered};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// After this many syntax errors, kub stops reading a file: by then it is
/// more likely not a kub file at all, and each retry parses it again.
const MOST_ERRORS: usize = 30;

/// How reading goes on after an error.
#[derive(Debug)]
enum Step {
    /// Blank out the mistaken statement and read on.
    Skip(Range<usize>),
    /// Write the missing `}` at this offset, closing the block opened at
    /// `open`; with no offset, the block is reported and reading stops.
    Close { at: Option<usize>, open: usize },
    /// The first line is broken: blank it out and read the rest as bare
    /// statements, with no document at the end.
    Body(Range<usize>, Rule),
    /// Nothing sensible follows; stop reading.
    Stop,
}

/// Parses a file that has syntax errors or conflict markers, reporting every
/// error and keeping what did parse.
pub(super) fn recover(file: FileId, text: &str, conflicts: &[Conflict]) -> Parsed {
    let mut working = text.to_string();
    let mut diagnostics: Vec<Diagnostic> = conflicts.iter().map(|conflict| conflict.diagnostic(file)).collect();
    for range in conflicts.iter().flat_map(Conflict::hidden) {
        blank(&mut working, range);
    }
    let mut rule = Rule::file;
    let mut errors = 0;
    let partial = loop {
        let failure = match KubParser::parse(rule, &working) {
            Ok(pairs) if rule == Rule::file => {
                let (document, comments, found) = lowered(file, &working, pairs);
                diagnostics.extend(found);
                break Some((document, comments));
            }
            Ok(_) => break None,
            Err(failure) => failure,
        };
        if errors == MOST_ERRORS {
            if let Some(last) = diagnostics.pop() {
                diagnostics.push(last.hint(format!(
                    "kub stopped reading this file after {MOST_ERRORS} syntax errors; fix these and check again"
                )));
            }
            break None;
        }
        errors += 1;
        let tokens = tokens::scan(&working);
        match next_step(&working, &tokens, &failure, rule) {
            Step::Skip(range) => {
                diagnostics.push(error::syntax_error(file, &working, &failure, &tokens));
                blank(&mut working, range);
            }
            Step::Close { at, open } => {
                diagnostics.push(error::unclosed_block(file, &working, &tokens, error::position(&failure), open));
                let Some(at) = at else {
                    break None;
                };
                working.replace_range(at..at + 1, "}");
            }
            Step::Body(range, body) => {
                diagnostics.push(error::syntax_error(file, &working, &failure, &tokens));
                blank(&mut working, range);
                rule = body;
            }
            Step::Stop => {
                diagnostics.push(error::syntax_error(file, &working, &failure, &tokens));
                break None;
            }
        }
    };
    diagnostics.sort_by_key(|diagnostic| diagnostic.location.map(|location| location.span.start));
    let (partial, comments) = partial.map_or((None, Vec::new()), |(document, comments)| (Some(document), comments));
    Parsed { document: None, partial, comments, diagnostics }
}

/// Replaces a part of the text by spaces, keeping its line breaks, so that
/// every offset and line number after it stays the same.
fn blank(text: &mut String, range: Range<usize>) {
    let spaces: String = text[range.clone()]
        .chars()
        .flat_map(|c| {
            let width = if c == '\n' { 0 } else { c.len_utf8() };
            std::iter::repeat_n(' ', width).chain((c == '\n').then_some('\n'))
        })
        .collect();
    text.replace_range(range, &spaces);
}

/// Decides how to read on after `failure`.
fn next_step(text: &str, tokens: &[Token], failure: &Error<Rule>, rule: Rule) -> Step {
    let position = error::position(failure);
    let expected = error::positives(failure);
    let Some(first) = tokens.first() else {
        return Step::Stop;
    };
    if rule == Rule::file && position <= first.start {
        // Not even the first word is right: this may not be a kub file.
        return Step::Stop;
    }
    let between_statements = expected.iter().any(|rule| {
        matches!(rule, Rule::close | Rule::EOI)
            || keywords::quoted(*rule).is_some_and(|word| keywords::is_reserved(word.trim_matches('`')))
    });
    // A word broken in its middle (an id with a letter outside ASCII) is
    // part of the statement before it, not a statement of its own.
    let mid_word = tokens::at(tokens, position).is_some_and(|index| tokens[index].start < position);
    if between_statements && !mid_word {
        after_statement(text, tokens, position, expected.contains(&Rule::close))
    } else {
        inside_statement(text, tokens, position, rule)
    }
}

/// The error is where a statement (or the end of a block) should start.
fn after_statement(text: &str, tokens: &[Token], position: usize, block_may_end: bool) -> Step {
    let Some(index) = tokens::at(tokens, position) else {
        // The file ends inside a block.
        return match tokens::open_brace_before(tokens, position) {
            Some(open) if block_may_end => match closing(text, tokens, position, open) {
                Step::Stop => Step::Close { at: None, open },
                step => step,
            },
            _ => Step::Stop,
        };
    };
    let token = tokens[index];
    if block_may_end
        && token.starts_statement
        && let Some(open) = tokens::open_brace_before(tokens, position)
        && indent(text, token.start) <= indent(text, open)
        && let step @ Step::Close { .. } = closing(text, tokens, position, open)
    {
        return step;
    }
    if token.kind == Kind::Close {
        return Step::Skip(token.start..token.end);
    }
    Step::Skip(token.start..resume_at(text, tokens, index, token.end))
}

/// The error is inside a statement: the whole statement is skipped.
fn inside_statement(text: &str, tokens: &[Token], position: usize, rule: Rule) -> Step {
    let Some(start) = tokens.iter().rposition(|token| token.start < position && token.starts_statement) else {
        return Step::Stop;
    };
    let range = tokens[start].start..resume_at(text, tokens, start, position);
    if rule != Rule::file || start != 0 {
        return Step::Skip(range);
    }
    match &text[tokens[0].start..tokens[0].end] {
        "assessment" => Step::Body(range, Rule::assessment_body),
        _ => Step::Body(range, Rule::framework_body),
    }
}

/// Where reading resumes after the statement at `tokens[from]`: the next
/// statement at the same depth that starts at or after `not_before`, or the
/// `}` that closes the block around it.
fn resume_at(text: &str, tokens: &[Token], from: usize, not_before: usize) -> usize {
    let mut depth = 0usize;
    for token in &tokens[from + 1..] {
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close if depth == 0 => return token.start,
            Kind::Close => depth -= 1,
            Kind::Word if depth == 0 && token.starts_statement && token.start >= not_before => return token.start,
            _ => {}
        }
    }
    text.len()
}

/// Closing the block opened at `open` just before `position`, if a `}`
/// there lets the parser read further than before.
fn closing(text: &str, tokens: &[Token], position: usize, open: usize) -> Step {
    let previous_end = tokens.iter().rev().find(|token| token.end <= position).map_or(0, |token| token.end);
    let Some(at) = free_space(text, previous_end, position) else {
        return Step::Stop;
    };
    let mut closed = text.to_string();
    closed.replace_range(at..at + 1, "}");
    let reads_further = match KubParser::parse(Rule::file, &closed) {
        Ok(_) => true,
        Err(failure) => error::position(&failure) > position,
    };
    if reads_further { Step::Close { at: Some(at), open } } else { Step::Stop }
}

/// A spacing character between `from` and `to` that a `}` can replace
/// without landing in a comment; a space or tab if there is one.
fn free_space(text: &str, from: usize, to: usize) -> Option<usize> {
    let mut in_comment = false;
    let mut newline = None;
    for (offset, c) in text[from..to].char_indices() {
        let at = from + offset;
        match c {
            '#' => in_comment = true,
            '\n' if in_comment => in_comment = false,
            _ if in_comment => {}
            ' ' | '\t' => return Some(at),
            '\n' | '\r' => {
                newline.get_or_insert(at);
            }
            _ => {}
        }
    }
    newline
}

/// The indentation of the line holding `offset`, in characters.
fn indent(text: &str, offset: usize) -> usize {
    let line_start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').count()
}
