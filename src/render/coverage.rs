//! Warnings for characters no bundled font can draw. Typst draws an empty
//! box for them without a word, so kub says it before a document is made.

use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Location;
use crate::syntax::ast::{AssessmentItem, Document};

use super::fonts::uncovered_characters;

/// One warning per text that has characters the fonts do not cover.
pub fn missing_glyphs(checked: &Checked) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut check = |text: &str, location: Location, what: &str| {
        let missing = uncovered_characters(text);
        if missing.is_empty() {
            return;
        }
        let listed: Vec<String> = missing.iter().take(5).map(|c| format!("`{c}` (U+{:04X})", *c as u32)).collect();
        diagnostics.push(
            Diagnostic::new(
                Code::MissingGlyph,
                format!("{what} has characters no bundled font can draw: {}", listed.join(", ")),
            )
            .at(location)
            .hint("documents would show an empty box in their place; check the text for stray characters")
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
                    check(&participant.name.value, Location::new(file, participant.name.span), "the participant's name")
                }
                AssessmentItem::Workplace { name, .. } => {
                    check(&name.value, Location::new(file, name.span), "the workplace")
                }
                AssessmentItem::Supervisor { name, .. } => {
                    check(&name.value, Location::new(file, name.span), "the supervisor's name")
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
