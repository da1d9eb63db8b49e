//! The typed syntax tree: what a file says, with the byte span of every part.
//!
//! Nothing here is checked beyond its shape: an SeQF level of 9 or a date of
//! 2026-02-30 is kept as written, so that later stages can report it in
//! plain words and point at it.

use serde::Serialize;

use crate::source::Span;

/// A word as written: an id, a language code, a version, a date, a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    pub text: String,
    pub span: Span,
}

/// A quoted string with its escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// Text in one or more languages: `"Samarbete" en "Cooperation"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub parts: Vec<TextPart>,
    pub span: Span,
}

/// One language's version of a text. Without a language code it is in the
/// default language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextPart {
    pub lang: Option<Token>,
    pub value: Str,
}

/// A `# comment`, kept with its position for formatting and diffs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Document {
    Framework(FrameworkDoc),
    Assessment(AssessmentDoc),
}

/// Whether a framework-language file is a framework or a library of shared
/// definitions for frameworks to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrameworkKind {
    Framework,
    Library,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkDoc {
    pub kind: FrameworkKind,
    pub id: Token,
    pub title: Option<Text>,
    pub items: Vec<FrameworkItem>,
    /// The header line, `framework ID "title"`.
    pub header_span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FrameworkItem {
    Version { version: Token, span: Span },
    Occupation { text: Text, span: Span },
    Organisation { text: Text, span: Span },
    Languages { languages: Vec<Token>, span: Span },
    Description(Description),
    Esco { uri: Str, span: Span },
    Include { path: Str, span: Span },
    Extends { id: Token, version: Token, span: Span },
    Rate { target: Token, scale: Token, span: Span },
    Scale(ScaleDef),
    Area(AreaDef),
    Competence(CompetenceDef),
    Track(TrackDef),
    Certificate(CertificateDef),
    Remove { kind: ItemKind, id: Token, span: Span },
    OverrideTask(TaskDef),
    OverrideArea(AreaDef),
    OverrideCompetence(CompetenceDef),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Description {
    pub text: Text,
    pub span: Span,
}

/// A `scale ID` line inside an area, task or competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleRef {
    pub scale: Token,
    pub span: Span,
}

/// The kinds of item a tailoring can remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ItemKind {
    Task,
    Area,
    Competence,
    Track,
    Milestone,
}

impl ItemKind {
    pub fn word(self) -> &'static str {
        match self {
            ItemKind::Task => "task",
            ItemKind::Area => "area",
            ItemKind::Competence => "competence",
            ItemKind::Track => "track",
            ItemKind::Milestone => "milestone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleDef {
    pub id: Token,
    pub title: Option<Text>,
    pub descriptions: Vec<Description>,
    pub levels: Vec<LevelDef>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelDef {
    pub id: Token,
    pub label: Option<Text>,
    pub descriptions: Vec<Description>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaDef {
    pub id: Token,
    pub title: Option<Text>,
    pub descriptions: Vec<Description>,
    pub scales: Vec<ScaleRef>,
    pub tasks: Vec<TaskDef>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskDef {
    pub id: Token,
    pub title: Option<Text>,
    pub items: Vec<TaskItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TaskItem {
    Description(Description),
    Criterion { text: Text, span: Span },
    Seqf { level: Token, dimension: Option<Token>, span: Span },
    Required { span: Span },
    Optional { span: Span },
    Esco { uri: Str, span: Span },
    Evidence { kind: Token, span: Span },
    Scale(ScaleRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompetenceDef {
    pub id: Token,
    pub title: Option<Text>,
    pub descriptions: Vec<Description>,
    pub scales: Vec<ScaleRef>,
    pub descriptors: Vec<Descriptor>,
    pub span: Span,
}

/// What one scale level looks like for a competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Descriptor {
    pub level: Token,
    pub text: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackDef {
    pub id: Token,
    pub title: Option<Text>,
    pub descriptions: Vec<Description>,
    pub skills: Vec<Token>,
    pub milestones: Vec<MilestoneDef>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneDef {
    pub id: Token,
    pub title: Option<Text>,
    pub descriptions: Vec<Description>,
    pub cefr: Vec<Token>,
    pub sfi: Vec<Token>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateDef {
    pub achieved: Vec<AchievedRule>,
    pub seqf_rules: Vec<SeqfRule>,
    pub span: Span,
}

/// `achieved kub from sjalvstandigt`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AchievedRule {
    pub scale: Token,
    pub level: Token,
    pub span: Span,
}

/// `seqf all-required` or `seqf share 80`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeqfRule {
    pub rule: Token,
    pub number: Option<Token>,
    pub span: Span,
}

// ------------------------------------------------------------ assessments

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentDoc {
    pub framework: Token,
    pub version: Token,
    pub header_span: Span,
    pub items: Vec<AssessmentItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AssessmentItem {
    Participant(ParticipantDef),
    Workplace { name: Str, span: Span },
    Organisation { text: Text, span: Span },
    Supervisor { name: Str, role: Option<Str>, span: Span },
    Period { start: Token, end: Token, span: Span },
    Occasion(OccasionDef),
    Goal { task: Option<Token>, text: Str, span: Span },
    Signed { name: Str, date: Token, span: Span },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantDef {
    pub name: Str,
    pub items: Vec<ParticipantItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParticipantItem {
    Reference { reference: Str, span: Span },
    Language { lang: Token, span: Span },
    PersonalNumber { number: Str, span: Span },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccasionDef {
    pub kind: Token,
    pub date: Token,
    pub assessor: Option<Str>,
    pub ratings: Vec<Rating>,
    pub span: Span,
}

/// `task beskarning med-stod "comment"`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub kind: RatedKind,
    pub item: Token,
    pub value: Token,
    pub comment: Option<Str>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RatedKind {
    Task,
    Competence,
    Milestone,
}
