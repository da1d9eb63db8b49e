//! Moving a framework's statements read from a piece of a file to where
//! that piece stands in the whole file: every span and diagnostic of a
//! piece counts from the piece's first byte until it is shifted. Each
//! struct is taken apart field by field, so that a field added to the tree
//! cannot be forgotten here.

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Something that holds positions in a file.
pub(super) trait Shift {
    /// Moves every position `by` bytes further into the file.
    fn shift(&mut self, by: usize);
}

impl Shift for Span {
    fn shift(&mut self, by: usize) {
        self.start += by;
        self.end += by;
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: usize) {
        if let Some(inner) = self {
            inner.shift(by);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: usize) {
        for inner in self {
            inner.shift(by);
        }
    }
}

impl Shift for Diagnostic {
    fn shift(&mut self, by: usize) {
        if let Some(location) = &mut self.location {
            location.span.shift(by);
        }
        for related in &mut self.related {
            related.location.span.shift(by);
        }
    }
}

impl Shift for Token {
    fn shift(&mut self, by: usize) {
        let Token { text: _, span } = self;
        span.shift(by);
    }
}

impl Shift for Str {
    fn shift(&mut self, by: usize) {
        let Str { value: _, span } = self;
        span.shift(by);
    }
}

impl Shift for Text {
    fn shift(&mut self, by: usize) {
        let Text { parts, span } = self;
        for TextPart { lang, value } in parts {
            lang.shift(by);
            value.shift(by);
        }
        span.shift(by);
    }
}

impl Shift for Description {
    fn shift(&mut self, by: usize) {
        let Description { text, span } = self;
        text.shift(by);
        span.shift(by);
    }
}

impl Shift for ScaleRef {
    fn shift(&mut self, by: usize) {
        let ScaleRef { scale, span } = self;
        scale.shift(by);
        span.shift(by);
    }
}

impl Shift for FrameworkItem {
    fn shift(&mut self, by: usize) {
        match self {
            FrameworkItem::Version { version: token, span } => shift_statement(by, [token], span),
            FrameworkItem::Occupation { text, span } | FrameworkItem::Organisation { text, span } => {
                text.shift(by);
                span.shift(by);
            }
            FrameworkItem::Languages { languages, span } => {
                languages.shift(by);
                span.shift(by);
            }
            FrameworkItem::Description(description) => description.shift(by),
            FrameworkItem::Esco { uri: string, span } | FrameworkItem::Include { path: string, span } => {
                string.shift(by);
                span.shift(by);
            }
            FrameworkItem::Extends { id: first, version: second, span }
            | FrameworkItem::Rate { target: first, scale: second, span } => shift_statement(by, [first, second], span),
            FrameworkItem::Scale(scale) => scale.shift(by),
            FrameworkItem::Area(area) | FrameworkItem::OverrideArea(area) => area.shift(by),
            FrameworkItem::Competence(competence) | FrameworkItem::OverrideCompetence(competence) => {
                competence.shift(by);
            }
            FrameworkItem::Track(track) => track.shift(by),
            FrameworkItem::Certificate(certificate) => certificate.shift(by),
            FrameworkItem::Remove { kind: _, id, span } => shift_statement(by, [id], span),
            FrameworkItem::OverrideTask(task) => task.shift(by),
            FrameworkItem::Renamed { kind: _, from, to, span } => shift_statement(by, [from, to], span),
        }
    }
}

/// Shifts a statement of words: each word, and the statement's span.
fn shift_statement<const WORDS: usize>(by: usize, words: [&mut Token; WORDS], span: &mut Span) {
    words.into_iter().for_each(|word| word.shift(by));
    span.shift(by);
}

impl Shift for ScaleDef {
    fn shift(&mut self, by: usize) {
        let ScaleDef { id, title, descriptions, levels, span } = self;
        id.shift(by);
        title.shift(by);
        descriptions.shift(by);
        levels.shift(by);
        span.shift(by);
    }
}

impl Shift for LevelDef {
    fn shift(&mut self, by: usize) {
        let LevelDef { id, label, descriptions, span } = self;
        id.shift(by);
        label.shift(by);
        descriptions.shift(by);
        span.shift(by);
    }
}

impl Shift for AreaDef {
    fn shift(&mut self, by: usize) {
        let AreaDef { id, title, descriptions, scales, tasks, span } = self;
        id.shift(by);
        title.shift(by);
        descriptions.shift(by);
        scales.shift(by);
        tasks.shift(by);
        span.shift(by);
    }
}

impl Shift for TaskDef {
    fn shift(&mut self, by: usize) {
        let TaskDef { id, title, items, span } = self;
        id.shift(by);
        title.shift(by);
        items.shift(by);
        span.shift(by);
    }
}

impl Shift for TaskItem {
    fn shift(&mut self, by: usize) {
        match self {
            TaskItem::Description(description) => description.shift(by),
            TaskItem::Criterion { text, span } => {
                text.shift(by);
                span.shift(by);
            }
            TaskItem::Seqf { level, dimension, span } => {
                level.shift(by);
                dimension.shift(by);
                span.shift(by);
            }
            TaskItem::Required { span } | TaskItem::Optional { span } => span.shift(by),
            TaskItem::Esco { uri, span } => {
                uri.shift(by);
                span.shift(by);
            }
            TaskItem::Evidence { kind, span } => shift_statement(by, [kind], span),
            TaskItem::Scale(scale) => scale.shift(by),
        }
    }
}

impl Shift for CompetenceDef {
    fn shift(&mut self, by: usize) {
        let CompetenceDef { id, title, descriptions, scales, descriptors, span } = self;
        id.shift(by);
        title.shift(by);
        descriptions.shift(by);
        scales.shift(by);
        descriptors.shift(by);
        span.shift(by);
    }
}

impl Shift for Descriptor {
    fn shift(&mut self, by: usize) {
        let Descriptor { level, text, span } = self;
        level.shift(by);
        text.shift(by);
        span.shift(by);
    }
}

impl Shift for TrackDef {
    fn shift(&mut self, by: usize) {
        let TrackDef { id, title, descriptions, skills, milestones, span } = self;
        id.shift(by);
        title.shift(by);
        descriptions.shift(by);
        skills.shift(by);
        milestones.shift(by);
        span.shift(by);
    }
}

impl Shift for MilestoneDef {
    fn shift(&mut self, by: usize) {
        let MilestoneDef { id, title, descriptions, cefr, sfi, span } = self;
        id.shift(by);
        title.shift(by);
        descriptions.shift(by);
        cefr.shift(by);
        sfi.shift(by);
        span.shift(by);
    }
}

impl Shift for CertificateDef {
    fn shift(&mut self, by: usize) {
        let CertificateDef { achieved, seqf_rules, span } = self;
        for AchievedRule { scale, level, span } in achieved {
            shift_statement(by, [scale, level], span);
        }
        for SeqfRule { rule, number, span } in seqf_rules {
            rule.shift(by);
            number.shift(by);
            span.shift(by);
        }
        span.shift(by);
    }
}
