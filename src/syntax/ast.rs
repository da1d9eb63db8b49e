//! The typed syntax tree: what a file says, with the byte span of every part.
//!
//! Nothing here is checked beyond its shape: an SeQF level of 9 or a date of
//! 2026-02-30 is kept as written, so that later stages can report it in
//! plain words and point at it.
//!
//! Every `span` field covers the whole construct as written, from its first
//! keyword to its last character, so that a diagnostic about it can point
//! at the right line.

use serde::Serialize;

use crate::source::Span;

/// A word as written: an id, a language code, a version, a date, a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The word exactly as in the source.
    pub text: String,
    /// Where the word is.
    pub span: Span,
}

/// A quoted string with its escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Str {
    /// The string without its quotes, escapes replaced by what they stand for.
    pub value: String,
    /// Where the string is, quotes included.
    pub span: Span,
}

/// Text in one or more languages: `"Samarbete" en "Cooperation"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Each language's version, in the order written.
    pub parts: Vec<TextPart>,
    /// Where the whole text is, all languages included.
    pub span: Span,
}

/// One language's version of a text. Without a language code it is in the
/// default language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextPart {
    /// The language code before the string; `None` for the default language.
    pub lang: Option<Token>,
    /// The text in that language.
    pub value: Str,
}

/// A `# comment`, kept with its position for formatting and diffs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The comment after its `#`.
    pub text: String,
    /// Where the comment is, `#` included.
    pub span: Span,
}

/// A whole file: what its header line says it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Document {
    /// A file that starts `framework` or `library`.
    Framework(FrameworkDoc),
    /// A file that starts `assessment`.
    Assessment(AssessmentDoc),
}

/// Whether a framework-language file is a framework or a library of shared
/// definitions for frameworks to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrameworkKind {
    /// A framework that assessments can follow.
    Framework,
    /// Shared scales, areas and competences, only ever included.
    Library,
}

/// A framework or library file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkDoc {
    /// Framework or library, from the header's first word.
    pub kind: FrameworkKind,
    /// The id that assessments and `extends` name it by.
    pub id: Token,
    /// The title on the header line, if any.
    pub title: Option<Text>,
    /// Everything below the header, in the order written.
    pub items: Vec<FrameworkItem>,
    /// The header line, `framework ID "title"`.
    pub header_span: Span,
}

/// One top-level line or block of a framework file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FrameworkItem {
    /// `version 2026.1`: the version assessments pin.
    Version {
        /// The version as written.
        version: Token,
        /// The whole line.
        span: Span,
    },
    /// `occupation "..."`: the occupation the framework validates.
    Occupation {
        /// The occupation's name.
        text: Text,
        /// The whole line.
        span: Span,
    },
    /// `organisation "..."`: who publishes the framework.
    Organisation {
        /// The organisation's name.
        text: Text,
        /// The whole line.
        span: Span,
    },
    /// `languages sv da`: the languages its texts are written in, the first
    /// being the default.
    Languages {
        /// The language codes in the order written.
        languages: Vec<Token>,
        /// The whole line.
        span: Span,
    },
    /// A `description` of the framework.
    Description(Description),
    /// `esco "URI"`: the ESCO occupation it corresponds to.
    Esco {
        /// The ESCO URI.
        uri: Str,
        /// The whole line.
        span: Span,
    },
    /// `include "path"`: a library whose definitions join this file.
    Include {
        /// The path, relative to this file.
        path: Str,
        /// The whole line.
        span: Span,
    },
    /// `extends ID VERSION`: the framework this one tailors.
    Extends {
        /// The id of the framework extended.
        id: Token,
        /// Its version.
        version: Token,
        /// The whole line.
        span: Span,
    },
    /// `rate tasks with kub`: which scale rates tasks or competences by default.
    Rate {
        /// What is rated: `tasks` or `competences`.
        target: Token,
        /// The scale's id.
        scale: Token,
        /// The whole line.
        span: Span,
    },
    /// A `scale` block.
    Scale(ScaleDef),
    /// An `area` block with its tasks.
    Area(AreaDef),
    /// A `competence` block.
    Competence(CompetenceDef),
    /// A `track` block of language milestones.
    Track(TrackDef),
    /// The `certificate` block: when a certificate says what was achieved.
    Certificate(CertificateDef),
    /// `remove KIND ID` in a tailoring.
    Remove {
        /// What kind of item is removed.
        kind: ItemKind,
        /// The removed item's id.
        id: Token,
        /// The whole line.
        span: Span,
    },
    /// `override task ...` in a tailoring: the task replaces the one with its id.
    OverrideTask(TaskDef),
    /// `override area ...` in a tailoring.
    OverrideArea(AreaDef),
    /// `override competence ...` in a tailoring.
    OverrideCompetence(CompetenceDef),
    /// `renamed KIND OLD to NEW`: an id this version gave a new name.
    Renamed {
        /// What kind of item was renamed.
        kind: ItemKind,
        /// The id as earlier versions wrote it.
        from: Token,
        /// The id in this version.
        to: Token,
        /// The whole line.
        span: Span,
    },
}

/// A `description "..."` line, allowed on most items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Description {
    /// The description, in one or more languages.
    pub text: Text,
    /// The whole line.
    pub span: Span,
}

/// A `scale ID` line inside an area, task or competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleRef {
    /// The id of the scale meant.
    pub scale: Token,
    /// The whole line.
    pub span: Span,
}

/// The kinds of item a tailoring can remove and a version can rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// `remove task ID`.
    Task,
    /// `remove area ID`, with all its tasks.
    Area,
    /// `remove competence ID`.
    Competence,
    /// `remove track ID`, with all its milestones.
    Track,
    /// `remove milestone ID`.
    Milestone,
}

impl ItemKind {
    /// The keyword as written after `remove` or `renamed`, also used in messages.
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

/// A `scale` block: the levels a task or competence is rated on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleDef {
    /// The id that `scale` and `rate` lines name it by.
    pub id: Token,
    /// The title, if any.
    pub title: Option<Text>,
    /// Its descriptions, in the order written.
    pub descriptions: Vec<Description>,
    /// Its levels, lowest first.
    pub levels: Vec<LevelDef>,
    /// The whole block.
    pub span: Span,
}

/// A `level` of a scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelDef {
    /// The id that ratings name it by.
    pub id: Token,
    /// The label shown on documents, if any.
    pub label: Option<Text>,
    /// Its descriptions, in the order written.
    pub descriptions: Vec<Description>,
    /// The whole block.
    pub span: Span,
}

/// An `area` block: a group of tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaDef {
    /// The area's id.
    pub id: Token,
    /// The title, if any.
    pub title: Option<Text>,
    /// Its descriptions, in the order written.
    pub descriptions: Vec<Description>,
    /// The scales its tasks are rated on unless a task says otherwise.
    pub scales: Vec<ScaleRef>,
    /// Its tasks, in the order written.
    pub tasks: Vec<TaskDef>,
    /// The whole block.
    pub span: Span,
}

/// A `task` block: something a participant does at work and is rated on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskDef {
    /// The id that ratings name it by.
    pub id: Token,
    /// The title, if any.
    pub title: Option<Text>,
    /// Its lines, in the order written.
    pub items: Vec<TaskItem>,
    /// The whole block.
    pub span: Span,
}

/// One line inside a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TaskItem {
    /// A `description` of the task.
    Description(Description),
    /// `criterion "..."`: what the assessor looks for.
    Criterion {
        /// The criterion.
        text: Text,
        /// The whole line.
        span: Span,
    },
    /// `seqf LEVEL [DIMENSION]`: the task's level in the Swedish
    /// qualifications framework.
    Seqf {
        /// The level as written, 1 to 8 when valid.
        level: Token,
        /// `knowledge`, `skills` or `competence`; `None` for all three.
        dimension: Option<Token>,
        /// The whole line.
        span: Span,
    },
    /// `required`: the task counts towards the certificate.
    Required {
        /// The keyword.
        span: Span,
    },
    /// `optional`: the task may be left unrated.
    Optional {
        /// The keyword.
        span: Span,
    },
    /// `esco "URI"`: the ESCO skill the task corresponds to.
    Esco {
        /// The ESCO URI.
        uri: Str,
        /// The whole line.
        span: Span,
    },
    /// `evidence KIND`: how the task is shown.
    Evidence {
        /// The kind of evidence: practice, oral, written, product or observation.
        kind: Token,
        /// The whole line.
        span: Span,
    },
    /// `scale ID`: the scale this task is rated on.
    Scale(ScaleRef),
}

/// A `competence` block: a general work-life competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompetenceDef {
    /// The id that ratings name it by.
    pub id: Token,
    /// The title, if any.
    pub title: Option<Text>,
    /// Its descriptions, in the order written.
    pub descriptions: Vec<Description>,
    /// The scales it is rated on, if not the default.
    pub scales: Vec<ScaleRef>,
    /// What each level looks like for it.
    pub descriptors: Vec<Descriptor>,
    /// The whole block.
    pub span: Span,
}

/// What one scale level looks like for a competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Descriptor {
    /// The level's id.
    pub level: Token,
    /// What that level looks like.
    pub text: Text,
    /// The whole line.
    pub span: Span,
}

/// A `track` block: language milestones in order, for one CEFR skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackDef {
    /// The track's id.
    pub id: Token,
    /// The title, if any.
    pub title: Option<Text>,
    /// Its descriptions, in the order written.
    pub descriptions: Vec<Description>,
    /// The `skill` lines: the CEFR skill it follows, such as `listening`.
    pub skills: Vec<Token>,
    /// Its milestones, in the order written.
    pub milestones: Vec<MilestoneDef>,
    /// The whole block.
    pub span: Span,
}

/// A `milestone` of a track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneDef {
    /// The id that ratings name it by.
    pub id: Token,
    /// The title, if any.
    pub title: Option<Text>,
    /// Its descriptions, in the order written.
    pub descriptions: Vec<Description>,
    /// The CEFR levels it corresponds to, such as `A2`.
    pub cefr: Vec<Token>,
    /// The SFI courses it corresponds to, such as `C`.
    pub sfi: Vec<Token>,
    /// The whole block.
    pub span: Span,
}

/// The `certificate` block: the rules for what a certificate says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateDef {
    /// When a rating counts as achieved, one rule a scale.
    pub achieved: Vec<AchievedRule>,
    /// When the certificate states the framework's SeQF level.
    pub seqf_rules: Vec<SeqfRule>,
    /// The whole block.
    pub span: Span,
}

/// `achieved kub from sjalvstandigt`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AchievedRule {
    /// The scale's id.
    pub scale: Token,
    /// The lowest level of it that counts as achieved.
    pub level: Token,
    /// The whole line.
    pub span: Span,
}

/// `seqf all-required` or `seqf share 80`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeqfRule {
    /// The rule's name, such as `all-required` or `share`.
    pub rule: Token,
    /// The rule's number, a percentage for `share`; `None` when it takes none.
    pub number: Option<Token>,
    /// The whole line.
    pub span: Span,
}

// ------------------------------------------------------------ assessments

/// An assessment file: one participant's placement against one framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentDoc {
    /// The id of the framework followed.
    pub framework: Token,
    /// The framework's version it was written against.
    pub version: Token,
    /// The header line, `assessment follows FRAMEWORK VERSION`.
    pub header_span: Span,
    /// Everything below the header, in the order written.
    pub items: Vec<AssessmentItem>,
}

/// One top-level line or block of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AssessmentItem {
    /// The `participant` block.
    Participant(ParticipantDef),
    /// `workplace "..."`: where the placement is.
    Workplace {
        /// The workplace's name.
        name: Str,
        /// The whole line.
        span: Span,
    },
    /// `organisation "..."`: who runs the validation.
    Organisation {
        /// The organisation's name.
        text: Text,
        /// The whole line.
        span: Span,
    },
    /// `supervisor "Name" role "role"`.
    Supervisor {
        /// The supervisor's name.
        name: Str,
        /// Their role, if given.
        role: Option<Str>,
        /// The whole line.
        span: Span,
    },
    /// `period START to END`: the placement's dates.
    Period {
        /// The first day, as written.
        start: Token,
        /// The last day, as written.
        end: Token,
        /// The whole line.
        span: Span,
    },
    /// An `occasion` block of ratings.
    Occasion(OccasionDef),
    /// `goal [task ID] "..."`: what the participant aims for.
    Goal {
        /// The task the goal is about; `None` for a goal of the whole placement.
        task: Option<Token>,
        /// The goal.
        text: Str,
        /// The whole line.
        span: Span,
    },
    /// `signed "Name" [role "role"] DATE`: the assessment is final and a
    /// certificate may be made. Each person who signs has a line.
    Signed {
        /// Who signed.
        name: Str,
        /// Their role, if given.
        role: Option<Str>,
        /// When, as written.
        date: Token,
        /// The whole line.
        span: Span,
    },
}

/// The `participant "Name"` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantDef {
    /// The participant's name.
    pub name: Str,
    /// The name's Latin form (`latin "..."`), for a name written in
    /// another script.
    pub latin: Option<Str>,
    /// Its lines, in the order written.
    pub items: Vec<ParticipantItem>,
    /// The whole block.
    pub span: Span,
}

/// One line inside the participant block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParticipantItem {
    /// `reference "..."`: the organisation's own case reference.
    Reference {
        /// The reference.
        reference: Str,
        /// The whole line.
        span: Span,
    },
    /// `language CODE`: the language the participant's documents are in.
    Language {
        /// The language code.
        lang: Token,
        /// The whole line.
        span: Span,
    },
    /// `personal-number "..."`: never allowed; kept only to report it.
    PersonalNumber {
        /// The number as written.
        number: Str,
        /// The whole line.
        span: Span,
    },
}

/// An `occasion KIND DATE` block: the ratings given at one meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccasionDef {
    /// The kind of occasion, such as `mapping` or `follow-up`.
    pub kind: Token,
    /// The day, as written.
    pub date: Token,
    /// Who rated, if given.
    pub assessor: Option<Str>,
    /// The ratings, in the order written.
    pub ratings: Vec<Rating>,
    /// The whole block.
    pub span: Span,
}

/// `task beskarning med-stod "comment"`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// What kind of item is rated.
    pub kind: RatedKind,
    /// The rated item's id.
    pub item: Token,
    /// The level given, an id of the item's scale, or `?` for not rated yet.
    pub value: Token,
    /// The assessor's comment, if any.
    pub comment: Option<Str>,
    /// The whole line.
    pub span: Span,
}

/// The kinds of item an occasion can rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RatedKind {
    /// A task of the framework.
    Task,
    /// A general competence.
    Competence,
    /// A milestone of a language track.
    Milestone,
}

impl RatedKind {
    /// The keyword a rating of this kind starts with.
    pub fn keyword(self) -> &'static str {
        match self {
            RatedKind::Task => "task",
            RatedKind::Competence => "competence",
            RatedKind::Milestone => "milestone",
        }
    }
}
