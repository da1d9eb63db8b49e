//! The syntax tree seen as statements: a head of words and texts, and
//! perhaps a block of more statements.
//!
//! Every construct of the language prints by the same few rules, so the
//! typed tree is first turned into this uniform shape, in the order the
//! statements were written, with the source positions that comments are
//! placed by.

use crate::syntax::ast::{
    AreaDef, AssessmentDoc, AssessmentItem, CertificateDef, CompetenceDef, Description, Document, FrameworkDoc,
    FrameworkItem, FrameworkKind, LevelDef, MilestoneDef, OccasionDef, ParticipantDef, ParticipantItem, ScaleDef,
    ScaleRef, Str, TaskDef, TaskItem, Text, Token, TrackDef,
};

/// One statement: its head, and its block if it has braces.
#[derive(Debug)]
pub(super) struct Stmt<'a> {
    /// Where the statement starts in the source.
    pub start: usize,
    /// Where it ends, closing brace included.
    pub end: usize,
    /// Its keywords, ids and texts, in order.
    pub head: Vec<Piece<'a>>,
    /// The statements between its braces, if it has braces.
    pub block: Option<Block<'a>>,
}

/// The braces of a statement and what is between them.
#[derive(Debug)]
pub(super) struct Block<'a> {
    /// Where the opening brace is.
    pub open: usize,
    /// Where the closing brace is.
    pub close: usize,
    /// The statements inside, in the order written.
    pub children: Vec<Stmt<'a>>,
}

/// A part of a statement's head.
#[derive(Debug)]
pub(super) enum Piece<'a> {
    /// A keyword, id, number or date, with where it ends if it is a token
    /// of its own in the syntax tree.
    Word(&'a str, Option<usize>),
    /// A single quoted string, as written.
    Quoted(&'a Str),
    /// A text in one or more languages.
    Text(&'a Text),
}

/// Whether a statement's braces may be left out when nothing is between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Braces {
    Required,
    Optional,
}

/// The statements of a document: its header first, then everything below it.
pub(super) fn statements<'a>(source: &'a str, document: &'a Document) -> Vec<Stmt<'a>> {
    let mut builder = Builder { source };
    match document {
        Document::Framework(doc) => builder.framework(doc),
        Document::Assessment(doc) => builder.assessment(doc),
    }
}

struct Builder<'a> {
    source: &'a str,
}

fn word(token: &Token) -> Piece<'_> {
    Piece::Word(&token.text, Some(token.span.end))
}

fn keyword(word: &'static str) -> Piece<'static> {
    Piece::Word(word, None)
}

fn with_title<'a>(mut head: Vec<Piece<'a>>, title: &'a Option<Text>) -> Vec<Piece<'a>> {
    head.extend(title.as_ref().map(Piece::Text));
    head
}

impl<'a> Builder<'a> {
    /// A statement without braces.
    fn line(&self, span: crate::source::Span, head: Vec<Piece<'a>>) -> Stmt<'a> {
        Stmt { start: span.start, end: span.end, head, block: None }
    }

    /// A statement that may have braces; `children` are sorted into the
    /// order they were written, whatever lists the syntax tree keeps them in.
    fn block(
        &self,
        span: crate::source::Span,
        head: Vec<Piece<'a>>,
        mut children: Vec<Stmt<'a>>,
        braces: Braces,
    ) -> Stmt<'a> {
        children.sort_by_key(|child| child.start);
        let block = self.braces(span, &head, &children).and_then(|(open, close)| {
            let has_comments = self.source[open + 1..close].contains('#');
            let keep = braces == Braces::Required || !children.is_empty() || has_comments;
            keep.then_some(Block { open, close, children })
        });
        Stmt { start: span.start, end: span.end, head, block }
    }

    /// Where the braces of a statement are, if it was written with them:
    /// the first character after its head that is neither spacing nor a
    /// comment opens them, and the statement's last character closes them.
    fn braces(&self, span: crate::source::Span, head: &[Piece<'a>], children: &[Stmt<'a>]) -> Option<(usize, usize)> {
        let keyword_end = match head.first() {
            Some(Piece::Word(word, _)) => span.start + word.len(),
            _ => span.start,
        };
        let head_end = head.iter().filter_map(piece_end).fold(keyword_end, usize::max);
        let limit = children.first().map_or(span.end, |child| child.start);
        let open = head_end + first_code(self.source.get(head_end..limit)?)?;
        let close = span.end.checked_sub(1)?;
        let is_brace = |at: usize, brace: u8| self.source.as_bytes().get(at) == Some(&brace);
        (open < close && is_brace(open, b'{') && is_brace(close, b'}')).then_some((open, close))
    }

    fn description(&self, description: &'a Description) -> Stmt<'a> {
        self.line(description.span, vec![keyword("description"), Piece::Text(&description.text)])
    }

    fn descriptions(&self, descriptions: &'a [Description]) -> impl Iterator<Item = Stmt<'a>> + '_ {
        descriptions.iter().map(|description| self.description(description))
    }

    fn scale_refs(&self, scales: &'a [ScaleRef]) -> impl Iterator<Item = Stmt<'a>> + '_ {
        scales.iter().map(|scale| self.line(scale.span, vec![keyword("scale"), word(&scale.scale)]))
    }

    // ------------------------------------------------------------ frameworks

    fn framework(&mut self, doc: &'a FrameworkDoc) -> Vec<Stmt<'a>> {
        let kind = match doc.kind {
            FrameworkKind::Framework => "framework",
            FrameworkKind::Library => "library",
        };
        let header = with_title(vec![keyword(kind), word(&doc.id)], &doc.title);
        let mut statements = vec![self.line(doc.header_span, header)];
        statements.extend(doc.items.iter().map(|item| self.framework_item(item)));
        statements
    }

    fn framework_item(&self, item: &'a FrameworkItem) -> Stmt<'a> {
        match item {
            FrameworkItem::Version { version, span } => self.line(*span, vec![keyword("version"), word(version)]),
            FrameworkItem::Occupation { text, span } => {
                self.line(*span, vec![keyword("occupation"), Piece::Text(text)])
            }
            FrameworkItem::Organisation { text, span } => {
                self.line(*span, vec![keyword("organisation"), Piece::Text(text)])
            }
            FrameworkItem::Languages { languages, span } => {
                self.line(*span, std::iter::once(keyword("languages")).chain(languages.iter().map(word)).collect())
            }
            FrameworkItem::Description(description) => self.description(description),
            FrameworkItem::Esco { uri, span } => self.line(*span, vec![keyword("esco"), Piece::Quoted(uri)]),
            FrameworkItem::Include { path, span } => self.line(*span, vec![keyword("include"), Piece::Quoted(path)]),
            FrameworkItem::Extends { id, version, span } => {
                self.line(*span, vec![keyword("extends"), word(id), word(version)])
            }
            FrameworkItem::Rate { target, scale, span } => {
                self.line(*span, vec![keyword("rate"), word(target), keyword("with"), word(scale)])
            }
            FrameworkItem::Scale(scale) => self.scale(scale),
            FrameworkItem::Area(area) => self.area(vec![keyword("area")], area),
            FrameworkItem::Competence(competence) => self.competence(vec![keyword("competence")], competence),
            FrameworkItem::Track(track) => self.track(track),
            FrameworkItem::Certificate(certificate) => self.certificate(certificate),
            FrameworkItem::Remove { kind, id, span } => {
                self.line(*span, vec![keyword("remove"), keyword(kind.word()), word(id)])
            }
            FrameworkItem::Renamed { kind, from, to, span } => {
                self.line(*span, vec![keyword("renamed"), keyword(kind.word()), word(from), keyword("to"), word(to)])
            }
            FrameworkItem::OverrideTask(task) => self.task(vec![keyword("override"), keyword("task")], task),
            FrameworkItem::OverrideArea(area) => self.area(vec![keyword("override"), keyword("area")], area),
            FrameworkItem::OverrideCompetence(competence) => {
                self.competence(vec![keyword("override"), keyword("competence")], competence)
            }
        }
    }

    fn scale(&self, scale: &'a ScaleDef) -> Stmt<'a> {
        let head = with_title(vec![keyword("scale"), word(&scale.id)], &scale.title);
        let children = self.descriptions(&scale.descriptions).chain(scale.levels.iter().map(|level| self.level(level)));
        self.block(scale.span, head, children.collect(), Braces::Required)
    }

    fn level(&self, level: &'a LevelDef) -> Stmt<'a> {
        let head = with_title(vec![keyword("level"), word(&level.id)], &level.label);
        self.block(level.span, head, self.descriptions(&level.descriptions).collect(), Braces::Optional)
    }

    fn area(&self, mut head: Vec<Piece<'a>>, area: &'a AreaDef) -> Stmt<'a> {
        head.push(word(&area.id));
        let children = self
            .descriptions(&area.descriptions)
            .chain(self.scale_refs(&area.scales))
            .chain(area.tasks.iter().map(|task| self.task(vec![keyword("task")], task)));
        // An override may leave its braces out, a plain area may not; empty
        // braces are kept for both, as the grammar asks of one of them.
        self.block(area.span, with_title(head, &area.title), children.collect(), Braces::Required)
    }

    fn task(&self, mut head: Vec<Piece<'a>>, task: &'a TaskDef) -> Stmt<'a> {
        head.push(word(&task.id));
        let children = task.items.iter().map(|item| self.task_item(item)).collect();
        self.block(task.span, with_title(head, &task.title), children, Braces::Optional)
    }

    fn task_item(&self, item: &'a TaskItem) -> Stmt<'a> {
        match item {
            TaskItem::Description(description) => self.description(description),
            TaskItem::Criterion { text, span } => self.line(*span, vec![keyword("criterion"), Piece::Text(text)]),
            TaskItem::Seqf { level, dimension, span } => {
                let mut head = vec![keyword("seqf"), word(level)];
                head.extend(dimension.as_ref().map(word));
                self.line(*span, head)
            }
            TaskItem::Required { span } => self.line(*span, vec![Piece::Word("required", Some(span.end))]),
            TaskItem::Optional { span } => self.line(*span, vec![Piece::Word("optional", Some(span.end))]),
            TaskItem::Esco { uri, span } => self.line(*span, vec![keyword("esco"), Piece::Quoted(uri)]),
            TaskItem::Evidence { kind, span } => self.line(*span, vec![keyword("evidence"), word(kind)]),
            TaskItem::Scale(scale) => self.line(scale.span, vec![keyword("scale"), word(&scale.scale)]),
        }
    }

    fn competence(&self, mut head: Vec<Piece<'a>>, competence: &'a CompetenceDef) -> Stmt<'a> {
        head.push(word(&competence.id));
        let descriptors = competence.descriptors.iter().map(|descriptor| {
            self.line(descriptor.span, vec![keyword("level"), word(&descriptor.level), Piece::Text(&descriptor.text)])
        });
        let children = self
            .descriptions(&competence.descriptions)
            .chain(self.scale_refs(&competence.scales))
            .chain(descriptors)
            .collect();
        self.block(competence.span, with_title(head, &competence.title), children, Braces::Optional)
    }

    fn track(&self, track: &'a TrackDef) -> Stmt<'a> {
        let head = with_title(vec![keyword("track"), word(&track.id)], &track.title);
        let skills = track.skills.iter().map(|skill| self.keyword_line("skill", skill));
        let children = self
            .descriptions(&track.descriptions)
            .chain(skills)
            .chain(track.milestones.iter().map(|milestone| self.milestone(milestone)));
        self.block(track.span, head, children.collect(), Braces::Required)
    }

    fn milestone(&self, milestone: &'a MilestoneDef) -> Stmt<'a> {
        let head = with_title(vec![keyword("milestone"), word(&milestone.id)], &milestone.title);
        let children = self
            .descriptions(&milestone.descriptions)
            .chain(milestone.cefr.iter().map(|code| self.keyword_line("cefr", code)))
            .chain(milestone.sfi.iter().map(|code| self.keyword_line("sfi", code)));
        self.block(milestone.span, head, children.collect(), Braces::Optional)
    }

    /// A `keyword VALUE` line that the syntax tree keeps only the value of;
    /// the keyword is the last word before the value.
    fn keyword_line(&self, keyword_text: &'static str, value: &'a Token) -> Stmt<'a> {
        let before = &self.source[..value.span.start];
        let start = before.rfind(keyword_text).unwrap_or(value.span.start);
        Stmt { start, end: value.span.end, head: vec![keyword(keyword_text), word(value)], block: None }
    }

    fn certificate(&self, certificate: &'a CertificateDef) -> Stmt<'a> {
        let achieved = certificate.achieved.iter().map(|rule| {
            self.line(rule.span, vec![keyword("achieved"), word(&rule.scale), keyword("from"), word(&rule.level)])
        });
        let seqf = certificate.seqf_rules.iter().map(|rule| {
            let mut head = vec![keyword("seqf"), word(&rule.rule)];
            head.extend(rule.number.as_ref().map(word));
            self.line(rule.span, head)
        });
        self.block(certificate.span, vec![keyword("certificate")], achieved.chain(seqf).collect(), Braces::Required)
    }

    // ------------------------------------------------------------ assessments

    fn assessment(&mut self, doc: &'a AssessmentDoc) -> Vec<Stmt<'a>> {
        let header = vec![keyword("assessment"), keyword("follows"), word(&doc.framework), word(&doc.version)];
        let mut statements = vec![self.line(doc.header_span, header)];
        statements.extend(doc.items.iter().map(|item| self.assessment_item(item)));
        statements
    }

    fn assessment_item(&self, item: &'a AssessmentItem) -> Stmt<'a> {
        match item {
            AssessmentItem::Participant(participant) => self.participant(participant),
            AssessmentItem::Workplace { name, span } => {
                self.line(*span, vec![keyword("workplace"), Piece::Quoted(name)])
            }
            AssessmentItem::Organisation { text, span } => {
                self.line(*span, vec![keyword("organisation"), Piece::Text(text)])
            }
            AssessmentItem::Supervisor { name, role, span } => {
                let mut head = vec![keyword("supervisor"), Piece::Quoted(name)];
                if let Some(role) = role {
                    head.extend([keyword("role"), Piece::Quoted(role)]);
                }
                self.line(*span, head)
            }
            AssessmentItem::Period { start, end, span } => {
                self.line(*span, vec![keyword("period"), word(start), keyword("to"), word(end)])
            }
            AssessmentItem::Occasion(occasion) => self.occasion(occasion),
            AssessmentItem::Goal { task, text, span } => {
                let mut head = vec![keyword("goal")];
                if let Some(task) = task {
                    head.extend([keyword("task"), word(task)]);
                }
                head.push(Piece::Quoted(text));
                self.line(*span, head)
            }
            AssessmentItem::Signed { name, role, date, span } => {
                let mut head = vec![keyword("signed"), Piece::Quoted(name)];
                if let Some(role) = role {
                    head.extend([keyword("role"), Piece::Quoted(role)]);
                }
                head.push(word(date));
                self.line(*span, head)
            }
        }
    }

    fn participant(&self, participant: &'a ParticipantDef) -> Stmt<'a> {
        let children = participant.items.iter().map(|item| match item {
            ParticipantItem::Reference { reference, span } => {
                self.line(*span, vec![keyword("reference"), Piece::Quoted(reference)])
            }
            ParticipantItem::Language { lang, span } => self.line(*span, vec![keyword("language"), word(lang)]),
            ParticipantItem::PersonalNumber { number, span } => {
                self.line(*span, vec![keyword("personal-number"), Piece::Quoted(number)])
            }
        });
        let mut head = vec![keyword("participant"), Piece::Quoted(&participant.name)];
        if let Some(latin) = &participant.latin {
            head.extend([keyword("latin"), Piece::Quoted(latin)]);
        }
        self.block(participant.span, head, children.collect(), Braces::Optional)
    }

    fn occasion(&self, occasion: &'a OccasionDef) -> Stmt<'a> {
        let mut head = vec![keyword("occasion"), word(&occasion.kind), word(&occasion.date)];
        if let Some(assessor) = &occasion.assessor {
            head.extend([keyword("by"), Piece::Quoted(assessor)]);
        }
        let ratings = occasion.ratings.iter().map(|rating| {
            let mut head = vec![keyword(rating.kind.keyword()), word(&rating.item), word(&rating.value)];
            head.extend(rating.comment.as_ref().map(Piece::Quoted));
            self.line(rating.span, head)
        });
        self.block(occasion.span, head, ratings.collect(), Braces::Required)
    }
}

/// Where a piece ends in the source, if the syntax tree says.
pub(super) fn piece_end(piece: &Piece) -> Option<usize> {
    match piece {
        Piece::Word(_, end) => *end,
        Piece::Quoted(string) => Some(string.span.end),
        Piece::Text(text) => Some(text.span.end),
    }
}

/// The offset of the first character of `text` that is neither spacing
/// nor inside a comment.
pub(super) fn first_code(text: &str) -> Option<usize> {
    let mut in_comment = false;
    for (at, c) in text.char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '#' => in_comment = true,
            c if c.is_whitespace() || c == '\u{FEFF}' => {}
            _ => return Some(at),
        }
    }
    None
}
