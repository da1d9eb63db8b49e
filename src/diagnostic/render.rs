//! Printing diagnostics: for people, with source lines and carets, and as
//! JSON for editors and scripts.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};

/// Whether human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

/// Renders diagnostics the way a compiler prints them, followed by nothing
/// else; the caller prints the summary line.
pub fn human<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, sources: &SourceMap, color: Color) -> String {
    let diagnostics: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    let files = Sources { map: sources, shown: shown_texts(&diagnostics, sources) };
    let config = term::Config::default();
    let mut buffer = match color {
        Color::Always => termcolor::Buffer::ansi(),
        Color::Never => termcolor::Buffer::no_color(),
    };
    for diagnostic in diagnostics {
        let converted = to_codespan(diagnostic);
        if term::emit_to_write_style(&mut buffer, &config, &files, &converted).is_err() {
            // A span past the end of its file is a bug, but the message still matters.
            let fallback = format!(
                "{}[{}]: {}\n",
                severity_word(diagnostic.severity),
                diagnostic.code.as_str(),
                diagnostic.message
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
            private(&diagnostic.message)
        ));
    }
    out
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

fn to_codespan(diagnostic: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(location) = diagnostic.location {
        labels.push(
            cs::Label::primary(location.file, location.span.range())
                .with_message(private(diagnostic.label.as_deref().unwrap_or_default())),
        );
    }
    for related in &diagnostic.related {
        labels.push(
            cs::Label::secondary(related.location.file, related.location.span.range())
                .with_message(private(&related.message)),
        );
    }
    let notes = diagnostic.hints.iter().map(|hint| format!("hint: {}", private(hint))).collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(private(&diagnostic.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// The JSON form of a diagnostic: positions are 1-based lines and columns
/// (in characters), plus byte offsets.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub start_byte: Option<usize>,
    pub end_byte: Option<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    pub label: Option<String>,
    pub hints: Vec<String>,
    pub related: Vec<JsonRelated>,
}

#[derive(Debug, Serialize)]
pub struct JsonRelated {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

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
        message: private(&diagnostic.message),
        label: diagnostic.label.as_deref().map(private),
        hints: diagnostic.hints.iter().map(|hint| private(hint)).collect(),
        related: diagnostic
            .related
            .iter()
            .map(|related| {
                let file = sources.get(related.location.file);
                let (line, column) = file.line_column(related.location.span.start);
                JsonRelated {
                    file: file.path().display().to_string(),
                    line,
                    column,
                    message: private(&related.message),
                }
            })
            .collect(),
    }
}

/// All diagnostics as one JSON array.
pub fn json<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, sources: &SourceMap) -> String {
    let all: Vec<JsonDiagnostic> = diagnostics.into_iter().map(|d| to_json(d, sources)).collect();
    serde_json::to_string_pretty(&all).expect("diagnostics serialise to JSON")
}

/// A message as it may be shown: a syntax error quoting what it found, or
/// any other text, never shows a personal identity number.
fn private(text: &str) -> String {
    crate::personal_number::mask(text)
}

/// Adapts the [`SourceMap`] to codespan's file database.
struct Sources<'a> {
    map: &'a SourceMap,
    /// The files diagnostics point into, as their excerpts may show them.
    shown: HashMap<FileId, Cow<'a, str>>,
}

/// The text of every file the diagnostics quote, with personal identity
/// numbers masked: an excerpt must never print one, whatever the message.
fn shown_texts<'a>(diagnostics: &[&Diagnostic], sources: &'a SourceMap) -> HashMap<FileId, Cow<'a, str>> {
    let files = diagnostics
        .iter()
        .flat_map(|diagnostic| diagnostic.location.iter().chain(diagnostic.related.iter().map(|r| &r.location)))
        .map(|location| location.file);
    files.map(|file| (file, without_personal_numbers(sources.get(file).text()))).collect()
}

/// `text` with the digits of personal identity numbers replaced by `X`,
/// both where they look like one and wherever `personal-number` gives one
/// (a mistyped number has no shape to go by). Columns stay where they are.
fn without_personal_numbers(text: &str) -> Cow<'_, str> {
    const KEYWORD: &str = "personal-number";
    if !text.contains(KEYWORD) && !crate::personal_number::contains(text) {
        return Cow::Borrowed(text);
    }
    let mut shown = crate::personal_number::mask(text).into_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find(KEYWORD) {
        let after = from + found + KEYWORD.len();
        let line_end = text[after..].find('\n').map_or(text.len(), |end| after + end);
        let value = &text.as_bytes()[after..line_end];
        if let Some(open) = value.iter().position(|&b| b == b'"') {
            let close = value[open + 1..].iter().position(|&b| b == b'"').map_or(value.len(), |c| open + 1 + c);
            for byte in &mut shown[after + open + 1..after + close] {
                if byte.is_ascii_digit() {
                    *byte = b'X';
                }
            }
        }
        from = line_end;
    }
    // Only ASCII digits were replaced, by an ASCII letter.
    Cow::Owned(String::from_utf8(shown).unwrap_or_default())
}

impl<'a> Files<'a> for Sources<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.map.get(id).path().display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.shown.get(&id).map_or_else(|| self.map.get(id).text(), |text| text.as_ref()))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let starts = self.map.get(id).line_starts();
        Ok(starts.partition_point(|&start| start <= byte_index).saturating_sub(1))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.map.get(id);
        let starts = file.line_starts();
        let start =
            *starts.get(line_index).ok_or(FilesError::LineTooLarge { given: line_index, max: starts.len() - 1 })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(file.text().len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::without_personal_numbers;

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

    #[test]
    fn excerpts_never_show_a_personal_number() {
        let text =
            "participant \"Amal\" {\n  personal-number \"12345\"\n}\n# 811218-9876\nperiod 2026-02-02 to 2026-10-30\n";
        let shown = without_personal_numbers(text);
        assert_eq!(
            shown,
            "participant \"Amal\" {\n  personal-number \"XXXXX\"\n}\n# XXXXXX-XXXX\nperiod 2026-02-02 to 2026-10-30\n"
        );
        assert_eq!(shown.len(), text.len());
    }
}
