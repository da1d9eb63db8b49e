//! `kub check`'s diagnostics as the editor shows them: per file, with the
//! same codes, messages and hints, and related places as related information.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location as LspLocation, NumberOrString};

use super::paths;
use super::position::{Encoding, LineIndex};
use crate::diagnostic::render::to_json;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap};

/// Every diagnostic of a check by the file it is in. Files without any
/// are left out; a diagnostic about no place in particular (a folder that
/// cannot be read) has no file to be shown in and is left out too.
pub fn by_file<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    encoding: Encoding,
) -> BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> {
    let mut indexes: BTreeMap<FileId, LineIndex> = BTreeMap::new();
    let mut files: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for diagnostic in diagnostics {
        let Some(location) = diagnostic.location else { continue };
        let converted = convert(diagnostic, sources, encoding, &mut indexes);
        files.entry(sources.get(location.file).path().to_path_buf()).or_default().push(converted);
    }
    files
}

/// One diagnostic in the editor's terms. Its texts are those `kub check
/// --format json` prints, personal identity numbers masked.
fn convert<'s>(
    diagnostic: &Diagnostic,
    sources: &'s SourceMap,
    encoding: Encoding,
    indexes: &mut BTreeMap<FileId, LineIndex<'s>>,
) -> lsp_types::Diagnostic {
    let mut range_of = |location: crate::source::Location| {
        indexes
            .entry(location.file)
            .or_insert_with(|| LineIndex::new(sources.get(location.file).text(), encoding))
            .range(location.span)
    };
    let shown = to_json(diagnostic, sources);
    let mut message = shown.message;
    for hint in &shown.hints {
        message.push_str(&format!("\nhint: {hint}"));
    }
    let range = diagnostic.location.map(&mut range_of).unwrap_or_default();
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .zip(&shown.related)
        .filter_map(|(related, shown)| {
            let uri = paths::from_path(&absolute(sources.get(related.location.file).path()))?;
            Some(DiagnosticRelatedInformation {
                location: LspLocation::new(uri, range_of(related.location)),
                message: shown.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("kub".to_string()),
        message,
        related_information: if related.is_empty() { None } else { Some(related) },
        ..lsp_types::Diagnostic::default()
    }
}

/// A path as the editor names it: absolute.
pub fn absolute(path: &std::path::Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
