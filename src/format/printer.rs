//! Printing statements in the canonical layout, with every comment put
//! back where it was written.
//!
//! Comments come in two kinds. A comment on a line of its own is printed
//! on a line of its own before the next thing that starts a line, at that
//! thing's indentation. A comment after code stays at the end of the line
//! that holds the code it followed.

use std::collections::VecDeque;

use super::tree::{Block, Piece, Stmt, piece_end};
use crate::syntax::ast::{Comment, Text, TextPart};

/// Spaces per level of nesting.
const INDENT: &str = "  ";

/// One line of output, or a blank line.
#[derive(Debug, Default)]
struct Line {
    indent: usize,
    /// The code, which may run over several lines inside a triple-quoted text.
    code: String,
    /// Comments that followed the code on its line, the first kept there.
    comments: Vec<String>,
    /// Ends with an opening brace.
    opens: bool,
    /// Is a closing brace.
    closes: bool,
    blank: bool,
}

/// Prints `statements` of `source` in the canonical layout.
pub(super) fn print(source: &str, statements: &[Stmt], comments: &[Comment]) -> String {
    let (trailing, own_line): (Vec<&Comment>, Vec<&Comment>) =
        comments.iter().partition(|comment| follows_code(source, comment.span.start));
    let mut printer = Printer {
        source,
        lines: Vec::new(),
        own_line: own_line.into_iter().collect(),
        anchors: Vec::new(),
        last_end: 0,
    };
    printer.statements(statements, 0);
    printer.comments_before(source.len(), 0, false);
    printer.attach(&trailing);
    render(&printer.lines)
}

/// True when a comment has code before it on its line.
fn follows_code(source: &str, at: usize) -> bool {
    let line_start = source[..at].rfind('\n').map_or(0, |newline| newline + 1);
    source[line_start..at].chars().any(|c| !c.is_whitespace() && c != '\u{FEFF}')
}

/// True when the source between two places holds an empty line.
fn has_blank_line(source: &str, from: usize, to: usize) -> bool {
    let Some(between) = source.get(from..to) else { return false };
    // The lines wholly between the two places: after the first line break
    // and before the last.
    let (Some(first), Some(last)) = (between.find('\n'), between.rfind('\n')) else { return false };
    first < last && between[first + 1..last].split('\n').any(|line| line.trim().is_empty())
}

struct Printer<'a> {
    source: &'a str,
    lines: Vec<Line>,
    own_line: VecDeque<&'a Comment>,
    /// Source positions and the line their code was printed on, for
    /// placing comments that followed code.
    anchors: Vec<(usize, usize)>,
    /// Where the last thing printed ended in the source.
    last_end: usize,
}

impl<'a> Printer<'a> {
    fn statements(&mut self, statements: &[Stmt], indent: usize) {
        let mut previous_had_block = false;
        for statement in statements {
            // Blocks stand apart, so that edits to two neighbours touch
            // lines that a line-based merge keeps apart.
            let apart = previous_had_block && statement.block.is_some();
            self.comments_before(statement.start, indent, apart);
            self.statement(statement, indent);
            previous_had_block = statement.block.is_some();
        }
    }

    /// Prints the comments on lines of their own before `position`, keeping
    /// one blank line wherever the source had one or more.
    fn comments_before(&mut self, position: usize, indent: usize, apart: bool) {
        let mut first = true;
        while let Some(comment) = self.own_line.front().copied().filter(|comment| comment.span.start < position) {
            self.own_line.pop_front();
            if (first && apart) || has_blank_line(self.source, self.last_end, comment.span.start) {
                self.blank();
            }
            self.push(Line { indent, code: format!("#{}", comment.text), ..Line::default() });
            self.last_end = self.last_end.max(comment.span.end);
            first = false;
        }
        if (first && apart) || has_blank_line(self.source, self.last_end, position) {
            self.blank();
        }
    }

    /// Prints the comments on lines of their own before `position` inside
    /// a statement, where no blank line belongs.
    fn comments_inside(&mut self, position: usize, indent: usize) {
        while let Some(comment) = self.own_line.front().copied().filter(|comment| comment.span.start < position) {
            self.own_line.pop_front();
            self.push(Line { indent, code: format!("#{}", comment.text), ..Line::default() });
        }
    }

    fn statement(&mut self, statement: &Stmt, indent: usize) {
        let first_line = self.lines.len();
        self.anchors.push((statement.start, first_line));
        let mut code = String::new();
        let mut code_indent = indent;
        for piece in &statement.head {
            if !code.is_empty() {
                code.push(' ');
            }
            match piece {
                Piece::Word(word, _) => code.push_str(word),
                Piece::Quoted(string) => code.push_str(&self.raw(string.span)),
                Piece::Text(text) => {
                    let Some(first) = text.parts.first() else { continue };
                    code.push_str(&self.part(first));
                    if text.parts.len() > 1 {
                        self.anchors.push((first.value.span.end, self.lines.len()));
                        self.push(Line { indent, code, ..Line::default() });
                        (code, code_indent) = self.more_languages(text, indent + 1);
                        continue;
                    }
                }
            }
            if let Some(end) = piece_end(piece) {
                self.anchors.push((end, self.lines.len()));
            }
        }
        let Some(block) = &statement.block else {
            self.push(Line { indent: code_indent, code, ..Line::default() });
            self.last_end = self.last_end.max(statement.end);
            return;
        };
        if self.lines.len() == first_line && !code.contains('\n') {
            code.push_str(" {");
            self.anchors.push((block.open, self.lines.len()));
            self.push(Line { indent, code, opens: true, ..Line::default() });
        } else {
            // A head over several lines would hide a brace at its end.
            self.push(Line { indent: code_indent, code, ..Line::default() });
            self.anchors.push((block.open, self.lines.len()));
            self.push(Line { indent, code: "{".into(), opens: true, ..Line::default() });
        }
        self.block(block, indent);
        self.last_end = self.last_end.max(statement.end);
    }

    fn block(&mut self, block: &Block, indent: usize) {
        self.last_end = block.open + 1;
        self.statements(&block.children, indent + 1);
        self.comments_before(block.close, indent + 1, false);
        self.anchors.push((block.close + 1, self.lines.len()));
        self.push(Line { indent, code: "}".into(), closes: true, ..Line::default() });
    }

    /// Prints the languages after the first, each on lines of its own: the
    /// language code on one line and the text on the next, so that edits
    /// to two languages never touch neighbouring lines. A triple-quoted
    /// text that starts on a new line keeps its code beside it, as its
    /// words are apart from it already. Returns the last line, unprinted,
    /// and its indentation.
    fn more_languages(&mut self, text: &Text, indent: usize) -> (String, usize) {
        let mut code = String::new();
        for (index, part) in text.parts.iter().enumerate().skip(1) {
            if index > 1 {
                self.push(Line { indent, code: std::mem::take(&mut code), ..Line::default() });
            }
            let start = part.lang.as_ref().map_or(part.value.span.start, |lang| lang.span.start);
            self.comments_inside(start, indent);
            let raw = self.raw(part.value.span);
            code = match &part.lang {
                Some(lang) if raw.starts_with("\"\"\"\n") => format!("{} {raw}", lang.text),
                Some(lang) => {
                    self.anchors.push((lang.span.end, self.lines.len()));
                    self.push(Line { indent, code: lang.text.clone(), ..Line::default() });
                    raw
                }
                None => raw,
            };
            self.anchors.push((part.value.span.end, self.lines.len()));
        }
        (code, indent)
    }

    /// One language's text as written: its code and the quoted string.
    fn part(&self, part: &TextPart) -> String {
        let raw = self.raw(part.value.span);
        match &part.lang {
            Some(lang) => format!("{} {raw}", lang.text),
            None => raw,
        }
    }

    /// A quoted string exactly as written, but with line feeds alone ending
    /// the lines of a triple-quoted text.
    fn raw(&self, span: crate::source::Span) -> String {
        let raw = &self.source[span.range()];
        // Most texts hold no carriage return: one search for it is cheaper
        // than a search for the pair.
        if raw.contains('\r') { raw.replace("\r\n", "\n") } else { raw.to_string() }
    }

    fn push(&mut self, line: Line) {
        self.lines.push(line);
    }

    fn blank(&mut self) {
        self.lines.push(Line { blank: true, ..Line::default() });
    }

    /// Puts each comment that followed code at the end of the line that
    /// code was printed on.
    fn attach(&mut self, trailing: &[&Comment]) {
        self.anchors.sort_by_key(|&(position, _)| position);
        for comment in trailing {
            let before = self.anchors.partition_point(|&(position, _)| position <= comment.span.start);
            let line = before.checked_sub(1).map_or(0, |index| self.anchors[index].1);
            if let Some(line) = self.lines.get_mut(line) {
                line.comments.push(format!("#{}", comment.text));
            }
        }
    }
}

/// The lines as text: one blank line at most, none just inside braces or
/// at the ends of the file, and a line feed after the last line.
fn render(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Line> = None;
    for (index, line) in lines.iter().enumerate() {
        if line.blank {
            let next = lines[index + 1..].iter().find(|line| !line.blank);
            let after_open = previous.is_none_or(|previous| previous.opens || previous.blank);
            let before_close = next.is_none_or(|next| next.closes);
            if after_open || before_close || previous.is_some_and(|previous| previous.blank) {
                continue;
            }
            out.push('\n');
            previous = Some(line);
            continue;
        }
        write_line(&mut out, line);
        previous = Some(line);
    }
    out
}

fn write_line(out: &mut String, line: &Line) {
    indent(out, line.indent);
    out.push_str(&line.code);
    let mut comments = line.comments.iter();
    if let Some(comment) = comments.next() {
        out.push(' ');
        out.push_str(comment);
    }
    out.push('\n');
    // A second comment cannot share the line: it would become part of the first.
    let depth = if line.opens { line.indent + 1 } else { line.indent };
    for comment in comments {
        indent(out, depth);
        out.push_str(comment);
        out.push('\n');
    }
}

fn indent(out: &mut String, levels: usize) {
    for _ in 0..levels {
        out.push_str(INDENT);
    }
}
