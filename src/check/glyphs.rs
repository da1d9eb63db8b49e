//! Errors for characters no bundled font can draw. An archival (PDF/A)
//! document cannot hold a character without a glyph, so such a text stops
//! its documents; kub says so when a file is checked, and `check` and
//! `build` agree on which assessments are ready.
//!
//! The fonts are a shared module ([`crate::fonts`]), not render's: this check
//! only asks which characters they cover, and runs with every other check.

use std::collections::HashSet;

use super::{Checked, framework_for};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Location;
use crate::syntax::ast::{AssessmentItem, Document};

use crate::fonts::uncovered_characters;

/// A character as the message names it: itself when it is visible, and its
/// code point always.
fn describe(c: char) -> String {
    if crate::syntax::characters::is_unprintable(c) {
        crate::syntax::characters::describe(c)
    } else {
        format!("`{c}` (U+{:04X})", u32::from(c))
    }
}

/// Marks as broken every assessment that a `missing` diagnostic concerns,
/// directly or through the frameworks it follows, so that it is neither
/// called ready for a certificate nor built.
pub(super) fn mark_undrawable(checked: &mut Checked, missing: &[Diagnostic]) {
    let files: HashSet<_> = missing.iter().filter_map(|diagnostic| diagnostic.location.map(|at| at.file)).collect();
    if files.is_empty() {
        return;
    }
    let Checked { assessments, resolution, workspace, .. } = checked;
    for entry in assessments.iter_mut() {
        let behind = framework_for(&entry.assessment, resolution)
            .map(|framework| resolution.files_behind(framework, workspace))
            .unwrap_or_default();
        if files.contains(&entry.file) || behind.iter().any(|file| files.contains(file)) {
            entry.has_errors = true;
        }
    }
}

/// One error per text that has characters the fonts do not cover.
pub(super) fn missing_glyphs(checked: &Checked) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut check = |text: &str, location: Location, what: &str| {
        let missing = uncovered_characters(text);
        if missing.is_empty() {
            return;
        }
        let listed: Vec<String> = missing.iter().take(5).map(|c| describe(*c)).collect();
        diagnostics.push(
            Diagnostic::new(
                Code::MissingGlyph,
                format!(
                    "{what} has characters no bundled font can draw, so no certificate can be made: {}",
                    listed.join(", ")
                ),
            )
            .at(location)
            .label("not drawable")
            .hint("remove or replace these characters (an emoji or a pasted symbol, for example); documents are made once the text has none")
            .hint("the bundled fonts cover Latin, Cyrillic, Greek, Arabic and Ethiopic scripts"),
        );
    };
    for file in checked.workspace.file_ids() {
        let Some(Document::Assessment(doc)) = checked.workspace.parsed(file).and_then(|p| p.document.as_ref()) else {
            continue;
        };
        for item in &doc.items {
            match item {
                AssessmentItem::Participant(participant) => {
                    check(
                        &participant.name.value,
                        Location::new(file, participant.name.span),
                        "the participant's name",
                    );
                    if let Some(latin) = &participant.latin {
                        check(&latin.value, Location::new(file, latin.span), "the Latin form of the name");
                    }
                }
                AssessmentItem::Workplace { name, .. } => {
                    check(&name.value, Location::new(file, name.span), "the workplace")
                }
                AssessmentItem::Supervisor { name, role, .. } | AssessmentItem::Signed { name, role, .. } => {
                    check(&name.value, Location::new(file, name.span), "the name");
                    if let Some(role) = role {
                        check(&role.value, Location::new(file, role.span), "the role");
                    }
                }
                AssessmentItem::Goal { text, .. } => check(&text.value, Location::new(file, text.span), "the goal"),
                AssessmentItem::Occasion(occasion) => {
                    for comment in occasion.ratings.iter().filter_map(|r| r.comment.as_ref()) {
                        check(&comment.value, Location::new(file, comment.span), "the comment");
                    }
                }
                _ => {}
            }
        }
    }
    for framework in checked.resolution.frameworks() {
        let own = framework.location.file;
        for (text, _) in framework.texts() {
            for (lang, value) in text.iter() {
                if let Some(location) = text.place_of(lang).filter(|l| l.file == own) {
                    check(value, location, "this text");
                }
            }
        }
    }
    diagnostics
}
