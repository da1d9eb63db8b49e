//! The data templates see of a progression: every field a certificate or
//! progression report can print, with its texts already in the document's
//! language. docs/progression.md documents these fields.

use chrono::NaiveDate;
use serde::Serialize;

use super::SeqfStatement;
use crate::model::{CefrLevel, Lang, OccasionKind};
use crate::report::level_chart::{LevelChart, Reached};

/// One participant's progression: what a certificate or progression report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Progression {
    /// The language every text below is in (sv, da, en or nb).
    pub language: Lang,
    /// Who is assessed.
    pub participant: ParticipantView,
    /// The framework followed, in the document's language.
    pub framework: FrameworkView,
    /// Where the placement is, if written.
    pub workplace: Option<String>,
    /// Who runs the validation, if written.
    pub organisation: Option<String>,
    /// The supervisors, in the order written.
    pub supervisors: Vec<SupervisorView>,
    /// The placement's dates, if written.
    pub period: Option<PeriodView>,
    /// The occasions in date order; every `ratings` list below is aligned
    /// with this one.
    pub occasions: Vec<OccasionView>,
    /// The framework's scales, for legends.
    pub scales: Vec<ScaleView>,
    /// Every area with its tasks' ratings.
    pub areas: Vec<AreaProgress>,
    /// The general competences' ratings.
    pub competences: Vec<ItemProgress>,
    /// The language tracks' milestones.
    pub language_tracks: Vec<TrackProgress>,
    /// The CEFR level the tracks add up to: the lowest of the tracks' levels,
    /// if every track has reached one.
    pub cefr_overall: Option<CefrLevel>,
    /// The mean level of each area's tasks, and of the general
    /// competences, at each occasion.
    pub level_chart: LevelChart,
    /// Counts of tasks and milestones rated, achieved and reached.
    pub summary: Summary,
    /// The SeQF level the certificate may state, and why.
    pub seqf: SeqfStatement,
    /// Development goals, in the order written.
    pub goals: Vec<GoalView>,
    /// The sign-off, the first `signed` line; `None` while the assessment
    /// is not final.
    pub signed: Option<SignedView>,
    /// Who signed after the first (a manager, an SFI teacher), in the order
    /// written; left out of the data when none did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cosigned: Vec<SignedView>,
    /// True when a certificate may be issued: a final assessment exists and
    /// is signed.
    pub certificate_issued: bool,
    /// The date the documents carry: the sign-off, else the last occasion.
    pub document_date: Option<NaiveDate>,
    /// Who issues the documents, as the certificate prints it: kub.toml's
    /// `organisation` when the build sets one, else the assessment's
    /// organisation, else the framework's publisher.
    pub issuer: Option<String>,
    /// A short code derived from everything the certificate states, for a
    /// reader to verify a printed certificate against its data.
    pub verification_code: String,
}

/// The participant, as documents name them.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    /// Their name, in any script.
    pub name: String,
    /// The name's Latin form, for a name written in another script; left
    /// out of the data when not written, so that older certificates keep
    /// their verification codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latin: Option<String>,
    /// The organisation's case reference, if written.
    pub reference: Option<String>,
    /// True when the name is written mostly in a right-to-left script.
    pub right_to_left: bool,
}

impl ParticipantView {
    /// The name as a register of issued certificates lists it: the Latin
    /// form, which registers search by, with the name in its own script
    /// after it, or the name alone.
    pub fn register_name(&self) -> String {
        match &self.latin {
            Some(latin) if !latin.trim().is_empty() => format!("{latin} ({})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// The framework, with its texts in the document's language.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    /// Its id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// Its title.
    pub title: String,
    /// The occupation it validates, if written.
    pub occupation: Option<String>,
    /// Who publishes it, if written.
    pub organisation: Option<String>,
    /// Its description, if written.
    pub description: Option<String>,
    /// The frameworks this one tailors, nearest first.
    pub extends: Vec<String>,
    /// The same frameworks by title and version, as documents name them.
    pub extends_titles: Vec<String>,
}

/// A supervisor at the workplace.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisorView {
    /// Their name.
    pub name: String,
    /// Their role, if written.
    pub role: Option<String>,
}

/// The placement's dates and length.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
    /// The number of weeks, rounded.
    pub weeks: i64,
}

/// One rating occasion.
#[derive(Debug, Clone, Serialize)]
pub struct OccasionView {
    /// Mapping, follow-up or final.
    pub kind: OccasionKind,
    /// The day it took place.
    pub date: NaiveDate,
    /// Who rated, if written.
    pub assessor: Option<String>,
}

/// A rating scale, with its texts in the document's language.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleView {
    /// Its id.
    pub id: String,
    /// Its title, if written.
    pub title: Option<String>,
    /// Its levels, lowest first.
    pub levels: Vec<LevelView>,
}

/// One level of a scale.
#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    /// Its id.
    pub id: String,
    /// The label documents show.
    pub label: String,
    /// Its description, if written.
    pub description: Option<String>,
}

/// An area and its tasks' ratings.
#[derive(Debug, Clone, Serialize)]
pub struct AreaProgress {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its tasks, in the framework's order.
    pub tasks: Vec<ItemProgress>,
    /// How many of the area's tasks are achieved.
    pub achieved: usize,
}

/// A task's or competence's ratings over the occasions.
#[derive(Debug, Clone, Serialize)]
pub struct ItemProgress {
    /// The task's or competence's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its description, if written.
    pub description: Option<String>,
    /// What the assessor looks for; empty for competences.
    pub criteria: Vec<String>,
    /// Whether it is a required task; false for competences.
    pub required: bool,
    /// Its SeQF level, if the framework gives one.
    pub seqf: Option<SeqfView>,
    /// The kind of evidence as its keyword (`observation`, ...), for the
    /// templates to translate; `None` if not written.
    pub evidence: Option<String>,
    /// The id of the scale that rates it; always written in a framework
    /// without errors.
    pub scale: Option<String>,
    /// The number of levels on the item's scale.
    pub scale_size: usize,
    /// One entry per occasion; `null` where the item was not rated.
    pub ratings: Vec<Option<RatingView>>,
    /// The first rating, usually at the mapping.
    pub first: Option<RatingView>,
    /// The rating that counts: at the final assessment, else the latest.
    pub current: Option<RatingView>,
    /// Levels gained from the first rating to the current one.
    pub change: Option<i64>,
    /// Whether the current rating reaches the framework's achieved level.
    pub achieved: bool,
    /// For competences: what the current level looks like.
    pub descriptor: Option<String>,
}

/// A task's SeQF level as documents show it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SeqfView {
    /// The level, 1 to 8.
    pub level: u8,
    /// `knowledge`, `skills` or `competence`; `None` for all three.
    pub dimension: Option<&'static str>,
}

/// One rating as documents show it.
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    /// The level's id.
    pub level: String,
    /// The level's label in the document's language.
    pub label: String,
    /// 1 for the scale's lowest level.
    pub rank: usize,
    /// How far up its scale the rating is: `rank` divided by the number of
    /// levels, so 1 for the top level and 0.25 for the lowest of four.
    pub share: f64,
    /// The assessor's comment, if any.
    pub comment: Option<String>,
}

/// A language track and how far along it the participant is.
#[derive(Debug, Clone, Serialize)]
pub struct TrackProgress {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The CEFR skill it follows, such as `listening`.
    pub skill: &'static str,
    /// Its milestones, in the framework's order.
    pub milestones: Vec<MilestoneProgress>,
    /// The highest CEFR level at which every milestone of the track at that
    /// level or below is reached.
    pub level: Option<CefrLevel>,
    /// How many of its milestones are reached.
    pub reached: usize,
    /// One entry per occasion: the milestones reached by then, for the chart.
    pub reached_by: Vec<Reached>,
}

/// A milestone and when it was reached.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneProgress {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The CEFR level it corresponds to.
    pub cefr: CefrLevel,
    /// The SFI course it corresponds to, if written.
    pub sfi: Option<&'static str>,
    /// The date of the occasion at which it was first marked reached.
    pub reached_on: Option<NaiveDate>,
    /// The index of that occasion in `occasions`.
    pub reached_at: Option<usize>,
}

/// The counts a document's summary states.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Tasks in the framework.
    pub tasks: usize,
    /// Tasks with a current rating.
    pub tasks_rated: usize,
    /// Tasks whose current rating counts as achieved.
    pub tasks_achieved: usize,
    /// Required tasks.
    pub required_tasks: usize,
    /// Required tasks achieved.
    pub required_achieved: usize,
    /// Milestones of all tracks.
    pub milestones: usize,
    /// Milestones reached.
    pub milestones_reached: usize,
}

/// A development goal.
#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    /// The title of the task it is about; `None` for a goal of the whole placement.
    pub task: Option<String>,
    /// The goal.
    pub text: String,
}

/// One signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignedView {
    /// Who signed.
    pub name: String,
    /// Their role as written on the `signed` line; left out of the data
    /// when not written (documents then show the role of a supervisor of
    /// the same name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The day they signed.
    pub date: NaiveDate,
}
