//! Printing diagnostics: for people, with source lines and carets, and as
//! JSON for editors and scripts.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::shown::Shown;
use super::{Diagnostic, Severity};
use crate::personal_number::mask;
use crate::source::{FileId, SourceMap};
use crate::syntax::characters::is_unprintable;

/// Whether human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Plain text, for pipes, files and `NO_COLOR`.
    Never,
    /// ANSI colours, for a terminal.
    Always,
}

/// Renders diagnostics the way a compiler prints them, followed by nothing
/// else; the caller prints the summary line.
pub fn human<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, sources: &SourceMap, color: Color) -> String {
    let config = term::Config::default();
    let mut buffer = match color {
        Color::Always => termcolor::Buffer::ansi(),
        Color::Never => termcolor::Buffer::no_color(),
    };
    for diagnostic in diagnostics {
        let labels: Vec<(FileId, std::ops::Range<usize>)> = diagnostic
            .location
            .iter()
            .chain(diagnostic.related.iter().map(|related| &related.location))
            .map(|location| (location.file, location.span.range()))
            .collect();
        let files = Shown::new(sources, &labels);
        let converted = to_codespan(diagnostic, &files);
        if term::emit_to_write_style(&mut buffer, &config, &files, &converted).is_err() {
            // A span past the end of its file is a bug, but the message still matters.
            let fallback = format!(
                "{}[{}]: {}\n",
                severity_word(diagnostic.severity),
                diagnostic.code.as_str(),
                printable(&diagnostic.message)
            );
            let _ = std::io::Write::write_all(&mut buffer, fallback.as_bytes());
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One line per diagnostic: `file:line:column: error[K0201]: message`.
pub fn short<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, sources: &SourceMap) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let place = diagnostic.location.map(|location| {
            let file = sources.get(location.file);
            let (line, column) = file.line_column(location.span.start);
            format!("{}:{line}:{column}: ", file.path().display())
        });
        out.push_str(&format!(
            "{}{}[{}]: {}\n",
            place.unwrap_or_default(),
            severity_word(diagnostic.severity),
            diagnostic.code.as_str(),
            printable(&diagnostic.message)
        ));
    }
    out
}

/// `text` as a terminal may print it: a control character or an invisible
/// direction control (which a message may quote from a file) is written as
/// its code point, so it can neither act on the terminal nor reorder the
/// line.
///
/// Nor does it ever show a personal identity number: a syntax error quoting
/// what it found, or any other message, has the number's digits masked.
fn printable(text: &str) -> String {
    mask(text)
        .chars()
        .map(|c| if is_unprintable(c) { format!("<U+{:04X}>", u32::from(c)) } else { c.to_string() })
        .collect()
}

/// "2 errors, 1 warning" and the like.
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_codespan(diagnostic: &Diagnostic, shown: &Shown) -> cs::Diagnostic<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(location) = diagnostic.location {
        labels.push(
            cs::Label::primary(location.file, shown.range(location.file, location.span.range()))
                .with_message(printable(diagnostic.label.as_deref().unwrap_or_default())),
        );
    }
    for related in &diagnostic.related {
        labels.push(
            cs::Label::secondary(
                related.location.file,
                shown.range(related.location.file, related.location.span.range()),
            )
            .with_message(printable(&related.message)),
        );
    }
    let notes = diagnostic.hints.iter().map(|hint| format!("hint: {}", printable(hint))).collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(printable(&diagnostic.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// The JSON form of a diagnostic: positions are 1-based lines and columns
/// (in characters), plus byte offsets.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// The file's path as given; `None` for a diagnostic about no file.
    pub file: Option<String>,
    /// The first line, from 1.
    pub line: Option<usize>,
    /// The first column in characters, from 1.
    pub column: Option<usize>,
    /// The line where the span ends.
    pub end_line: Option<usize>,
    /// The column just after the span's last character.
    pub end_column: Option<usize>,
    /// The span's first byte, from 0.
    pub start_byte: Option<usize>,
    /// The byte just after the span.
    pub end_byte: Option<usize>,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The code, such as `K0201`.
    pub code: &'static str,
    /// The code's kebab-case name, such as `duplicate-id`.
    pub name: &'static str,
    /// What is wrong.
    pub message: String,
    /// The short text under the caret, if any.
    pub label: Option<String>,
    /// Suggestions for fixing it.
    pub hints: Vec<String>,
    /// Other places that explain it.
    pub related: Vec<JsonRelated>,
}

/// The JSON form of a related place.
#[derive(Debug, Serialize)]
pub struct JsonRelated {
    /// The file's path as given.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
    /// What is there.
    pub message: String,
}

/// The JSON form of a diagnostic, with its positions worked out from the
/// sources; personal identity numbers in its texts are masked.
pub fn to_json(diagnostic: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    let place = diagnostic.location.map(|location| {
        let file = sources.get(location.file);
        let start = file.line_column(location.span.start);
        let end = file.line_column(location.span.end);
        (file.path().display().to_string(), start, end, location.span)
    });
    JsonDiagnostic {
        file: place.as_ref().map(|p| p.0.clone()),
        line: place.as_ref().map(|p| p.1.0),
        column: place.as_ref().map(|p| p.1.1),
        end_line: place.as_ref().map(|p| p.2.0),
        end_column: place.as_ref().map(|p| p.2.1),
        start_byte: place.as_ref().map(|p| p.3.start),
        end_byte: place.as_ref().map(|p| p.3.end),
        severity: diagnostic.severity,
        code: diagnostic.code.as_str(),
        name: diagnostic.code.name(),
        message: mask(&diagnostic.message),
        label: diagnostic.label.as_deref().map(mask),
        hints: diagnostic.hints.iter().map(|hint| mask(hint)).collect(),
        related: diagnostic
            .related
            .iter()
            .map(|related| {
                let file = sources.get(related.location.file);
                let (line, column) = file.line_column(related.location.span.start);
                JsonRelated { file: file.path().display().to_string(), line, column, message: mask(&related.message) }
            })
            .collect(),
    }
}

/// All diagnostics as one JSON array.
pub fn json<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, sources: &SourceMap) -> String {
    let all: Vec<JsonDiagnostic> = diagnostics.into_iter().map(|d| to_json(d, sources)).collect();
    serde_json::to_string_pretty(&all).expect("diagnostics serialise to JSON")
}

#[cfg(test)]
mod tests {
    #[test]
    fn messages_never_show_a_personal_number() {
        use crate::diagnostic::{Code, Diagnostic};
        use crate::source::{Location, SourceFile, SourceMap, Span};
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("a.kub", "reference 811218-9876\n"));
        let diagnostic = Diagnostic::new(Code::SyntaxError, "expected a text in quotes, found `811218-9876`")
            .at(Location::new(file, Span::new(10, 21)))
            .label("not 811218-9876")
            .hint("write \"811218-9876\"");
        let shown = [
            super::human([&diagnostic], &sources, super::Color::Never),
            super::short([&diagnostic], &sources),
            super::json([&diagnostic], &sources),
        ];
        for text in shown {
            assert!(text.contains("XXXXXX-XXXX") && !text.contains("9876"), "{text}");
        }
    }
}
