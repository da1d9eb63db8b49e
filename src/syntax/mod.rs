//! Syntax: source text to a typed syntax tree with spans and comments.
//!
//! This is the only module that knows the grammar; pest's pairs never leave
//! it. A file that does not parse gives one diagnostic for each mistake,
//! naming in words what was expected where, and the part that did parse.

pub mod ast;
pub mod characters;
mod conflicts;
mod error;
mod grammar;
mod keywords;
mod lower;
mod pieces;
mod recovery;
mod shift;
mod tokens;

use pest::Parser;
use pest::iterators::Pairs;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Location, Span};
use ast::{Comment, Document};
use characters::Place;
use grammar::{KubParser, Rule};

/// The file extension of the kub language.
pub const EXTENSION: &str = "kub";

/// The words that start a statement, at any depth, as the grammar lists
/// them: none of them can be an id. Editors offer them as keywords.
pub fn statement_keywords() -> &'static [&'static str] {
    keywords::RESERVED
}

/// The result of parsing one file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The syntax tree, if the file has no syntax errors. Later stages judge
    /// only this, never a file read in part.
    pub document: Option<Document>,
    /// What could be read of a file with syntax errors, for tools that work
    /// on files being edited; `None` when the file parsed (see `document`)
    /// or when not even its first line could be read.
    pub partial: Option<Document>,
    /// Every comment, in the order written.
    pub comments: Vec<Comment>,
    /// Syntax errors, and problems with the text itself such as forbidden characters.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file of the kub language.
///
/// ```
/// use kub::source::FileId;
/// let parsed = kub::syntax::parse(FileId::default(), "library demo \"Demo\"\nlanguages sv\n");
/// assert!(parsed.diagnostics.is_empty());
/// assert!(parsed.document.is_some());
/// ```
pub fn parse(file: FileId, text: &str) -> Parsed {
    parse_on(file, text, crate::parallel::default_threads())
}

/// Parses one file of the kub language on up to `threads` threads: a large
/// framework is read in pieces, shared among the threads, with the same
/// result as when it is read whole.
pub fn parse_on(file: FileId, text: &str, threads: usize) -> Parsed {
    let pieces = if text.len() >= pieces::SMALLEST_SPLIT { text.len().div_ceil(pieces::PIECE_SIZE) } else { 1 };
    parse_with(file, text, pieces, threads)
}

/// Parses one file, in about `pieces` pieces on up to `threads` threads.
fn parse_with(file: FileId, text: &str, pieces: usize, threads: usize) -> Parsed {
    if is_blank(text) {
        let diagnostic = Diagnostic::new(Code::EmptyFile, "this file is empty")
            .at(Location::new(file, Span::new(0, text.len())))
            .hint("a framework starts with `framework ID \"title\"`, an assessment with `assessment follows FRAMEWORK VERSION`");
        return Parsed { document: None, partial: None, comments: Vec::new(), diagnostics: vec![diagnostic] };
    }
    let conflicts = conflicts::find(text);
    if conflicts.is_empty() {
        if pieces > 1
            && let Some(joined) = pieces::parse(file, text, pieces, threads)
        {
            let (comments, diagnostics) = with_comments(file, text, joined.diagnostics);
            return Parsed { document: Some(joined.document), partial: None, comments, diagnostics };
        }
        if let Ok(pairs) = KubParser::parse(Rule::file, text) {
            let (document, comments, diagnostics) = lowered(file, text, pairs);
            return Parsed { document: Some(document), partial: None, comments, diagnostics };
        }
    }
    recovery::recover(file, text, &conflicts)
}

impl Parsed {
    /// Whether the file has syntax errors (or conflict markers), so that
    /// only part of it, if any, could be read.
    pub fn has_syntax_errors(&self) -> bool {
        self.document.is_none()
    }
}

/// The syntax tree and comments of a parsed file, with the problems found
/// in its texts and comments.
fn lowered(file: FileId, text: &str, mut pairs: Pairs<Rule>) -> (Document, Vec<Comment>, Vec<Diagnostic>) {
    let file_pair = pairs.next().expect("the file rule always yields one pair");
    let mut lowering = lower::Lowering::new(file);
    let document = lowering.file(file_pair);
    let (comments, diagnostics) = with_comments(file, text, lowering.into_diagnostics());
    (document, comments, diagnostics)
}

/// The comments of a parsed file, and the problems found in its texts
/// (`diagnostics`) with those found in its comments, in file order.
fn with_comments(file: FileId, text: &str, mut diagnostics: Vec<Diagnostic>) -> (Vec<Comment>, Vec<Diagnostic>) {
    let comments: Vec<Comment> = tokens::comments(text)
        .map(|span| Comment { text: comment_text(&text[span.range()]).to_string(), span })
        .collect();
    for comment in &comments {
        // A Windows line ending leaves its carriage return in the comment.
        let raw = text[comment.span.range()].trim_end_matches('\r');
        diagnostics.extend(lower::refused_character(file, raw, comment.span.start, Place::Comment));
    }
    diagnostics.sort_by_key(|diagnostic| diagnostic.location.map(|location| location.span.start));
    (comments, diagnostics)
}

/// True when a file holds nothing but spacing and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches('\u{FEFF}').trim();
        line.is_empty() || line.starts_with('#')
    })
}

/// Whether two texts are the same words, quoted texts and punctuation in the
/// same order, touching or apart in the same places, whatever the spacing
/// and comments between them.
///
/// The grammar gives spacing no meaning but to keep words apart, so two
/// such texts have the same syntax tree, but for positions: the formatter
/// proves with this that a new layout means what the old one did.
///
/// ```
/// use kub::syntax::same_tokens;
/// assert!(same_tokens("task a \"A\" { seqf 2 }", "task a \"A\"\n{\n  seqf 2 # two\n}"));
/// assert!(!same_tokens("seqf 2", "seqf 3"));
/// assert!(!same_tokens("version 2.1", "version 2 . 1"));
/// ```
pub fn same_tokens(one: &str, other: &str) -> bool {
    let (one_tokens, other_tokens) = scan_both(one, other);
    let (Some(one_tokens), Some(other_tokens)) = (one_tokens, other_tokens) else {
        return false;
    };
    let touching = |tokens: &[tokens::Token]| -> Vec<bool> {
        tokens.windows(2).map(|pair| pair[0].end == pair[1].start).collect()
    };
    one_tokens.len() == other_tokens.len()
        && one_tokens.iter().zip(&other_tokens).all(|(a, b)| a.kind == b.kind && one[a.range()] == other[b.range()])
        && touching(&one_tokens) == touching(&other_tokens)
}

/// The tokens of two texts, each only if nothing but spacing and comments
/// stands between them; of two large texts, each on a thread of its own.
fn scan_both(one: &str, other: &str) -> (Option<Vec<tokens::Token>>, Option<Vec<tokens::Token>>) {
    if one.len().min(other.len()) < pieces::SMALLEST_SPLIT {
        return (spaced_tokens(one), spaced_tokens(other));
    }
    std::thread::scope(|scope| {
        let other_tokens = scope.spawn(|| spaced_tokens(other));
        let one_tokens = spaced_tokens(one);
        (one_tokens, other_tokens.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// The tokens of a text, if the gaps between them are spacing and comments.
fn spaced_tokens(text: &str) -> Option<Vec<tokens::Token>> {
    let tokens = tokens::scan(text);
    let mut previous_end = 0;
    let gaps_are_spacing = tokens.iter().all(|token| {
        let gap = &text[previous_end..token.start];
        previous_end = token.end;
        tokens::is_spacing(gap)
    }) && tokens::is_spacing(&text[previous_end..]);
    gaps_are_spacing.then_some(tokens)
}

/// The comments of a text, each without its `#` and the spacing after it.
pub fn comments(text: &str) -> impl Iterator<Item = &str> {
    tokens::comments(text).map(move |span| comment_text(&text[span.range()]))
}

fn comment_text(comment: &str) -> &str {
    comment.trim_start_matches('#').trim_end()
}

/// Writes a text as a quoted kub string, escaping what needs it.
///
/// ```
/// assert_eq!(kub::syntax::quote("Säger \"hej\""), r#""Säger \"hej\"""#);
/// ```
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
