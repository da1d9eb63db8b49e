//! The progression model: one participant's development, computed from an
//! assessment and its resolved framework, with every text in the document's
//! language. This is exactly what the document templates receive; its fields
//! are documented in docs/progression.md.

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::level_chart::{LevelChart, Reached, level_chart, reached_by};
pub use super::seqf::SeqfStatement;
use super::seqf::seqf_statement;
use crate::model::{
    Assessment, CefrLevel, Framework, Lang, LocalizedText, Occasion, OccasionKind, RatedKind, Scale, Task,
};

/// One participant's progression: what a certificate or progression report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Progression {
    /// The language every text below is in (sv, da or en).
    pub language: String,
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
    /// The sign-off; `None` while the assessment is not final.
    pub signed: Option<SignedView>,
    /// True when a certificate may be issued: a final assessment exists and
    /// is signed.
    pub certificate_issued: bool,
    /// The date the documents carry: the sign-off, else the last occasion.
    pub document_date: Option<NaiveDate>,
    /// A short code derived from the certificate's content, for a reader
    /// to verify a printed certificate against its data.
    pub verification_code: String,
}

/// The participant, as documents name them.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    /// Their name.
    pub name: String,
    /// The organisation's case reference, if written.
    pub reference: Option<String>,
    /// True when the name is written mostly in a right-to-left script.
    pub right_to_left: bool,
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
    /// The id of the scale that rates it.
    pub scale: String,
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

/// The sign-off.
#[derive(Debug, Clone, Serialize)]
pub struct SignedView {
    /// Who signed.
    pub name: String,
    /// The day they signed.
    pub date: NaiveDate,
}

/// The language documents for this assessment are written in: the
/// participant's choice, else the project's, else the framework's default.
pub fn document_language(assessment: &Assessment, framework: &Framework, preferred: Option<&Lang>) -> Lang {
    preferred
        .cloned()
        .or_else(|| assessment.participant.language.clone())
        .unwrap_or_else(|| framework.default_language().clone())
}

/// Computes a participant's progression in language `lang`.
pub fn progression(assessment: &Assessment, framework: &Framework, lang: &Lang) -> Progression {
    let steps = Steps::new(assessment, framework, lang);
    let areas = steps.areas();
    let competences = steps.competences();
    let language_tracks = steps.language_tracks();
    let all_tasks: Vec<&ItemProgress> = areas.iter().flat_map(|a| &a.tasks).collect();
    let summary = summarise(&all_tasks, &language_tracks);
    let seqf = seqf_statement(framework.certificate.seqf, &all_tasks);
    let scales = scale_views(framework, lang);
    let level_chart = level_chart(&areas, &competences, &scales, steps.occasions.len());
    let signed = assessment.signed.as_ref().map(|s| SignedView { name: s.name.clone(), date: s.date });
    let has_final = steps.occasions.iter().any(|o| o.kind == OccasionKind::Final);
    let document_date = signed.as_ref().map(|s| s.date).or_else(|| steps.occasions.last().map(|o| o.date));
    let mut progression = Progression {
        language: lang.code().to_string(),
        participant: ParticipantView {
            name: assessment.participant.name.clone(),
            reference: assessment.participant.reference.clone(),
            right_to_left: crate::script::is_mostly_right_to_left(&assessment.participant.name),
        },
        framework: steps.framework_view(),
        workplace: assessment.workplace.clone(),
        organisation: assessment.organisation.clone(),
        supervisors: assessment
            .supervisors
            .iter()
            .map(|s| SupervisorView { name: s.name.clone(), role: s.role.clone() })
            .collect(),
        period: assessment.period.map(|p| PeriodView {
            start: p.start,
            end: p.end,
            weeks: ((p.end - p.start).num_days() + 3) / 7,
        }),
        occasions: steps
            .occasions
            .iter()
            .map(|o| OccasionView { kind: o.kind, date: o.date, assessor: o.assessor.clone() })
            .collect(),
        scales,
        cefr_overall: overall_cefr(&language_tracks),
        areas,
        competences,
        language_tracks,
        level_chart,
        summary,
        seqf,
        goals: steps.goals(assessment),
        certificate_issued: has_final && signed.is_some(),
        signed,
        document_date,
        verification_code: String::new(),
    };
    progression.verification_code = verification_code(&progression);
    progression
}

/// What every step of a progression needs: the framework, the language and
/// the occasions in date order.
struct Steps<'a> {
    framework: &'a Framework,
    localize: Localizer<'a>,
    occasions: Vec<&'a Occasion>,
    /// The occasion whose ratings count: the last final, else the latest.
    counting: Option<usize>,
}

/// An item's ratings and what follows from them, whatever kind of item it is.
struct Rated {
    scale_size: usize,
    ratings: Vec<Option<RatingView>>,
    first: Option<RatingView>,
    current: Option<RatingView>,
    change: Option<i64>,
    achieved: bool,
}

impl Rated {
    /// The progress of an item with these ratings, with nothing beyond what
    /// every kind of item has.
    fn into_item(self, id: &str, title: String, description: Option<String>, scale: &str) -> ItemProgress {
        ItemProgress {
            id: id.to_string(),
            title,
            description,
            criteria: Vec::new(),
            required: false,
            seqf: None,
            evidence: None,
            scale: scale.to_string(),
            scale_size: self.scale_size,
            ratings: self.ratings,
            first: self.first,
            current: self.current,
            change: self.change,
            achieved: self.achieved,
            descriptor: None,
        }
    }
}

impl<'a> Steps<'a> {
    fn new(assessment: &'a Assessment, framework: &'a Framework, lang: &'a Lang) -> Self {
        let mut occasions: Vec<&Occasion> = assessment.occasions.iter().collect();
        // A stable sort keeps occasions on the same day in the order written.
        occasions.sort_by_key(|occasion| occasion.date);
        let counting =
            occasions.iter().rposition(|o| o.kind == OccasionKind::Final).or_else(|| occasions.len().checked_sub(1));
        Steps { framework, localize: Localizer::new(framework, lang), occasions, counting }
    }

    fn framework_view(&self) -> FrameworkView {
        let (framework, localize) = (self.framework, &self.localize);
        FrameworkView {
            id: framework.id.clone(),
            version: framework.version.clone(),
            title: localize.text(&framework.title),
            occupation: localize.optional(&framework.occupation),
            organisation: localize.optional(&framework.organisation),
            description: localize.optional(&framework.description),
            extends: framework.extends.iter().map(ToString::to_string).collect(),
        }
    }

    /// The ratings of item `id` at each occasion, on `scale`.
    fn ratings(&self, kind: RatedKind, id: &str, scale: Option<&Scale>) -> Vec<Option<RatingView>> {
        self.occasions
            .iter()
            .map(|occasion| {
                let rating = occasion.ratings.iter().find(|r| r.kind == kind && r.item == id)?;
                let scale = scale?;
                let rank = scale.rank(&rating.value)?;
                Some(RatingView {
                    level: rating.value.clone(),
                    label: self.localize.text(&scale.levels[rank].label),
                    rank: rank + 1,
                    share: (rank + 1) as f64 / scale.levels.len() as f64,
                    comment: rating.comment.clone(),
                })
            })
            .collect()
    }

    fn rated(&self, kind: RatedKind, id: &str, scale_id: &str) -> Rated {
        let scale = self.framework.scale(scale_id);
        let ratings = self.ratings(kind, id, scale);
        let first = ratings.iter().flatten().next().cloned();
        // An item not rated again keeps its latest rating, as a seasonal
        // task assessed in the winter does at a summer final assessment.
        let current = self.counting.and_then(|index| ratings[..=index].iter().flatten().last().cloned());
        let change = match (&first, &current) {
            (Some(first), Some(current)) => Some(current.rank as i64 - first.rank as i64),
            _ => None,
        };
        let achieved = match (&current, self.framework.certificate.achieved_from(scale_id), scale) {
            (Some(current), Some(rule), Some(scale)) => scale.rank(&rule.level).is_some_and(|from| current.rank > from),
            _ => false,
        };
        Rated { scale_size: scale.map_or(0, |s| s.levels.len()), ratings, first, current, change, achieved }
    }

    fn areas(&self) -> Vec<AreaProgress> {
        let localize = &self.localize;
        self.framework
            .areas
            .iter()
            .map(|area| {
                let tasks: Vec<ItemProgress> = area.tasks.iter().map(|task| self.task(task)).collect();
                AreaProgress {
                    id: area.id.clone(),
                    title: localize.text(&area.title),
                    achieved: tasks.iter().filter(|t| t.achieved).count(),
                    tasks,
                }
            })
            .collect()
    }

    fn task(&self, task: &Task) -> ItemProgress {
        let localize = &self.localize;
        let rated = self.rated(RatedKind::Task, &task.id, &task.scale);
        ItemProgress {
            criteria: task.criteria.iter().map(|c| localize.text(c)).collect(),
            required: task.required,
            seqf: task
                .seqf
                .map(|seqf| SeqfView { level: seqf.level.get(), dimension: seqf.dimension.map(|d| d.word()) }),
            evidence: task.evidence.map(|e| e.word().to_string()),
            ..rated.into_item(&task.id, localize.text(&task.title), localize.optional(&task.description), &task.scale)
        }
    }

    fn competences(&self) -> Vec<ItemProgress> {
        let localize = &self.localize;
        self.framework
            .competences
            .iter()
            .map(|competence| {
                let rated = self.rated(RatedKind::Competence, &competence.id, &competence.scale);
                let descriptor = rated.current.as_ref().and_then(|current| {
                    competence.descriptors.iter().find(|d| d.level == current.level).map(|d| localize.text(&d.text))
                });
                let title = localize.text(&competence.title);
                let description = localize.optional(&competence.description);
                ItemProgress { descriptor, ..rated.into_item(&competence.id, title, description, &competence.scale) }
            })
            .collect()
    }

    fn language_tracks(&self) -> Vec<TrackProgress> {
        let localize = &self.localize;
        self.framework
            .tracks
            .iter()
            .map(|track| {
                let milestones: Vec<MilestoneProgress> = track
                    .milestones
                    .iter()
                    .map(|milestone| {
                        let reached_at = self.first_reached(&milestone.id);
                        MilestoneProgress {
                            id: milestone.id.clone(),
                            title: localize.text(&milestone.title),
                            cefr: milestone.cefr,
                            sfi: milestone.sfi.map(|s| s.word()),
                            reached_on: reached_at.map(|i| self.occasions[i].date),
                            reached_at,
                        }
                    })
                    .collect();
                TrackProgress {
                    id: track.id.clone(),
                    title: localize.text(&track.title),
                    skill: track.skill.word(),
                    level: track_level(&milestones),
                    reached: milestones.iter().filter(|m| m.reached_on.is_some()).count(),
                    reached_by: reached_by(&milestones, self.occasions.len()),
                    milestones,
                }
            })
            .collect()
    }

    /// The index of the first occasion that marked milestone `id` reached.
    fn first_reached(&self, id: &str) -> Option<usize> {
        self.occasions.iter().position(|occasion| {
            occasion.ratings.iter().any(|r| r.kind == RatedKind::Milestone && r.item == id && r.value == "reached")
        })
    }

    fn goals(&self, assessment: &Assessment) -> Vec<GoalView> {
        assessment
            .goals
            .iter()
            .map(|goal| GoalView {
                task: goal
                    .task
                    .as_ref()
                    .and_then(|id| self.framework.task(id))
                    .map(|task| self.localize.text(&task.title)),
                text: goal.text.clone(),
            })
            .collect()
    }
}

/// The CEFR level the tracks add up to: the lowest of their levels, when
/// every track has one.
fn overall_cefr(tracks: &[TrackProgress]) -> Option<CefrLevel> {
    if tracks.is_empty() {
        return None;
    }
    tracks.iter().map(|t| t.level).collect::<Option<Vec<_>>>().and_then(|levels| levels.into_iter().min())
}

fn summarise(tasks: &[&ItemProgress], tracks: &[TrackProgress]) -> Summary {
    Summary {
        tasks: tasks.len(),
        tasks_rated: tasks.iter().filter(|t| t.current.is_some()).count(),
        tasks_achieved: tasks.iter().filter(|t| t.achieved).count(),
        required_tasks: tasks.iter().filter(|t| t.required).count(),
        required_achieved: tasks.iter().filter(|t| t.required && t.achieved).count(),
        milestones: tracks.iter().map(|t| t.milestones.len()).sum(),
        milestones_reached: tracks.iter().map(|t| t.reached).sum(),
    }
}

/// Every scale of a framework with its levels, lowest first, in `lang`.
pub(super) fn scale_views(framework: &Framework, lang: &Lang) -> Vec<ScaleView> {
    let localize = Localizer::new(framework, lang);
    framework
        .scales
        .iter()
        .map(|scale| ScaleView {
            id: scale.id.clone(),
            title: localize.optional(&scale.title),
            levels: scale
                .levels
                .iter()
                .map(|level| LevelView {
                    id: level.id.clone(),
                    label: localize.text(&level.label),
                    description: localize.optional(&level.description),
                })
                .collect(),
        })
        .collect()
}

/// Picks each text in the document's language, falling back to the
/// framework's languages in order.
pub(super) struct Localizer<'a> {
    lang: &'a Lang,
    fallbacks: &'a [Lang],
}

impl<'a> Localizer<'a> {
    pub(super) fn new(framework: &'a Framework, lang: &'a Lang) -> Self {
        Localizer { lang, fallbacks: &framework.languages }
    }

    pub(super) fn text(&self, text: &LocalizedText) -> String {
        text.best(self.lang, self.fallbacks).to_string()
    }

    pub(super) fn optional(&self, text: &Option<LocalizedText>) -> Option<String> {
        text.as_ref().map(|t| self.text(t))
    }
}

fn track_level(milestones: &[MilestoneProgress]) -> Option<CefrLevel> {
    let mut levels: Vec<CefrLevel> = milestones.iter().map(|m| m.cefr).collect();
    levels.sort();
    levels.dedup();
    levels
        .into_iter()
        .take_while(|level| milestones.iter().filter(|m| m.cefr <= *level).all(|m| m.reached_on.is_some()))
        .last()
}

/// Twelve characters derived from what the certificate states, grouped for
/// reading aloud: `7F3A-09C2-B4D1`.
fn verification_code(progression: &Progression) -> String {
    let mut hasher = Sha256::new();
    let mut feed = |part: &str| {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    };
    feed(&progression.participant.name);
    feed(&progression.framework.id);
    feed(&progression.framework.version);
    if let Some(period) = &progression.period {
        feed(&period.start.to_string());
        feed(&period.end.to_string());
    }
    for task in progression.areas.iter().flat_map(|a| &a.tasks) {
        feed(&task.id);
        feed(task.current.as_ref().map_or("", |c| c.level.as_str()));
    }
    for competence in &progression.competences {
        feed(&competence.id);
        feed(competence.current.as_ref().map_or("", |c| c.level.as_str()));
    }
    for milestone in progression.language_tracks.iter().flat_map(|t| &t.milestones) {
        feed(&milestone.id);
        feed(&milestone.reached_on.map(|d| d.to_string()).unwrap_or_default());
    }
    feed(&progression.seqf.level.map(|l| l.to_string()).unwrap_or_default());
    if let Some(signed) = &progression.signed {
        feed(&signed.name);
        feed(&signed.date.to_string());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02X}")).collect();
    format!("{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12])
}
