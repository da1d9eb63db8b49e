//! Edits the editor applies: the canonical layout of `kub fmt`, and the
//! quick fixes that the "did you mean" hints of diagnostics suggest.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit};

use super::position::LineIndex;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// The edit that lays a text out as `kub fmt` would; none when it is laid
/// out already or has syntax errors (a file half typed is left as it is).
pub fn formatting(text: &str, lines: &LineIndex) -> Option<Vec<TextEdit>> {
    let formatted = crate::format::format(FileId::default(), text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(lines.whole(), formatted)])
}

/// The word a "did you mean `x`?" hint suggests.
fn suggestion(hint: &str) -> Option<&str> {
    let rest = &hint[hint.find("did you mean `")? + "did you mean `".len()..];
    let word = &rest[..rest.find('`')?];
    (!word.is_empty()).then_some(word)
}

/// A quick fix for each diagnostic of the file in `range` whose hint
/// suggests another word for the word it points at.
// The protocol keys edits by URI; a URI hashes by its text, whatever
// it caches inside.
#[allow(clippy::mutable_key_type)]
pub fn quick_fixes<'a>(
    uri: &Uri,
    file: FileId,
    text: &str,
    lines: &LineIndex,
    range: Range,
    diagnostics: impl IntoIterator<Item = (&'a Diagnostic, lsp_types::Diagnostic)>,
) -> Vec<CodeActionOrCommand> {
    let wanted = lines.span(range);
    let mut actions = Vec::new();
    for (diagnostic, shown) in diagnostics {
        let Some(location) = diagnostic.location.filter(|location| location.file == file) else { continue };
        let span = location.span;
        if span.end < wanted.start || span.start > wanted.end {
            continue;
        }
        // Only a single word is replaced: a hint about a whole line is advice, not a fix.
        let Some(word) = text.get(span.range()) else { continue };
        if word.is_empty() || word.chars().any(|c| c.is_whitespace() || c == '"') {
            continue;
        }
        for replacement in diagnostic.hints.iter().filter_map(|hint| suggestion(hint)) {
            if replacement == word || replacement.contains(char::is_whitespace) {
                continue;
            }
            let edit = TextEdit::new(lines.range(span), replacement.to_string());
            let changes = HashMap::from([(uri.clone(), vec![edit])]);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace `{word}` with `{replacement}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(WorkspaceEdit::new(changes)),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn reads_the_suggested_word() {
        assert_eq!(suggestion("did you mean `beskarning`?"), Some("beskarning"));
        assert_eq!(suggestion("write it as `x`"), None);
        assert_eq!(suggestion("did you mean ``?"), None);
    }
}
