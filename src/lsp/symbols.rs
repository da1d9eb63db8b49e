//! The outline of a file: areas with their tasks, scales with their
//! levels, competences, tracks with their milestones; in an assessment the
//! participant and each occasion with its ratings.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::position::LineIndex;
use crate::source::Span;
use crate::syntax::ast::*;

/// The outline of a document.
pub fn outline(document: &Document, lines: &LineIndex) -> Vec<DocumentSymbol> {
    let outline = Outline { lines };
    match document {
        Document::Framework(doc) => doc.items.iter().filter_map(|item| outline.framework_item(item)).collect(),
        Document::Assessment(doc) => doc.items.iter().filter_map(|item| outline.assessment_item(item)).collect(),
    }
}

struct Outline<'a, 'b> {
    lines: &'a LineIndex<'b>,
}

impl Outline<'_, '_> {
    /// A symbol for a block whose name is the word at `name`; the block's
    /// span is widened to hold the name, as the protocol requires.
    fn symbol(&self, name: String, detail: Option<String>, kind: SymbolKind, span: Span, at: Span) -> DocumentSymbol {
        let whole = Span::new(span.start.min(at.start), span.end.max(at.end));
        #[allow(deprecated)]
        DocumentSymbol {
            name: if name.is_empty() { "?".to_string() } else { name },
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: self.lines.range(whole),
            selection_range: self.lines.range(at),
            children: None,
        }
    }

    fn titled(&self, id: &Token, title: &Option<Text>, kind: SymbolKind, span: Span) -> DocumentSymbol {
        let detail = title.as_ref().and_then(|title| title.parts.first()).map(|part| part.value.value.clone());
        self.symbol(id.text.clone(), detail, kind, span, id.span)
    }

    fn with_children(mut symbol: DocumentSymbol, children: Vec<DocumentSymbol>) -> DocumentSymbol {
        if !children.is_empty() {
            symbol.children = Some(children);
        }
        symbol
    }

    fn task(&self, task: &TaskDef) -> DocumentSymbol {
        self.titled(&task.id, &task.title, SymbolKind::FUNCTION, task.span)
    }

    fn framework_item(&self, item: &FrameworkItem) -> Option<DocumentSymbol> {
        Some(match item {
            FrameworkItem::Scale(scale) => {
                let levels = scale
                    .levels
                    .iter()
                    .map(|level| self.titled(&level.id, &level.label, SymbolKind::ENUM_MEMBER, level.span))
                    .collect();
                Self::with_children(self.titled(&scale.id, &scale.title, SymbolKind::ENUM, scale.span), levels)
            }
            FrameworkItem::Area(area) | FrameworkItem::OverrideArea(area) => {
                let tasks = area.tasks.iter().map(|task| self.task(task)).collect();
                Self::with_children(self.titled(&area.id, &area.title, SymbolKind::NAMESPACE, area.span), tasks)
            }
            FrameworkItem::OverrideTask(task) => self.task(task),
            FrameworkItem::Competence(competence) | FrameworkItem::OverrideCompetence(competence) => {
                self.titled(&competence.id, &competence.title, SymbolKind::CLASS, competence.span)
            }
            FrameworkItem::Track(track) => {
                let milestones = track
                    .milestones
                    .iter()
                    .map(|milestone| self.titled(&milestone.id, &milestone.title, SymbolKind::EVENT, milestone.span))
                    .collect();
                Self::with_children(self.titled(&track.id, &track.title, SymbolKind::MODULE, track.span), milestones)
            }
            FrameworkItem::Certificate(certificate) => {
                let at = Span::new(certificate.span.start, certificate.span.start + "certificate".len());
                self.symbol("certificate".to_string(), None, SymbolKind::OBJECT, certificate.span, at)
            }
            _ => return None,
        })
    }

    fn assessment_item(&self, item: &AssessmentItem) -> Option<DocumentSymbol> {
        Some(match item {
            AssessmentItem::Participant(participant) => self.symbol(
                participant.name.value.clone(),
                Some("participant".to_string()),
                SymbolKind::OBJECT,
                participant.span,
                participant.name.span,
            ),
            AssessmentItem::Occasion(occasion) => {
                let ratings = occasion
                    .ratings
                    .iter()
                    .map(|rating| {
                        let detail = Some(rating.value.text.clone());
                        self.symbol(rating.item.text.clone(), detail, SymbolKind::FIELD, rating.span, rating.item.span)
                    })
                    .collect();
                let name = format!("{} {}", occasion.kind.text, occasion.date.text);
                let at = Span::new(occasion.kind.span.start, occasion.date.span.end.max(occasion.kind.span.end));
                let detail = occasion.assessor.as_ref().map(|assessor| assessor.value.clone());
                Self::with_children(self.symbol(name, detail, SymbolKind::EVENT, occasion.span, at), ratings)
            }
            _ => return None,
        })
    }
}
