//! The cohort summary: how a group of participants following one framework
//! did, for coordinators and funders.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::progression::Progression;
use crate::model::{CefrLevel, Lang};

/// How a group following one framework did: what the summary document shows.
#[derive(Debug, Clone, Serialize)]
pub struct CohortSummary {
    /// The language every text below is in.
    pub language: Lang,
    /// The framework's id.
    pub framework_id: String,
    /// Its version.
    pub framework_version: String,
    /// Its title.
    pub framework_title: String,
    /// One row a participant.
    pub participants: Vec<CohortParticipant>,
    /// Per task, in the framework's order: how many achieved it.
    pub tasks: Vec<TaskCount>,
    /// SeQF statements issued, by level, highest first; `none` counts the
    /// participants for whom no level could be stated.
    pub seqf_levels: Vec<LevelCount>,
    /// Participants for whom no SeQF level could be stated.
    pub seqf_none: usize,
    /// Overall CEFR levels reached, by level.
    pub cefr_levels: Vec<LevelCount>,
    /// How many participants' certificates may be issued.
    pub certificates_issued: usize,
    /// The days the participants' placements span, if any placement's
    /// period is written.
    pub period: Option<CohortPeriod>,
    /// True for an industry framework's summary that counts the
    /// participants of its tailorings too, each at their workplace.
    pub across_workplaces: bool,
    /// Per workplace and framework followed: how its participants did; in
    /// the order the workplaces are first met.
    pub workplaces: Vec<WorkplaceCount>,
}

/// How the participants at one workplace, following one framework, did.
#[derive(Debug, Clone, Serialize)]
pub struct WorkplaceCount {
    /// The workplace, if written.
    pub workplace: Option<String>,
    /// The title of the framework they follow: a tailoring's, or the
    /// industry framework's own.
    pub framework_title: String,
    /// Participants.
    pub participants: usize,
    /// Tasks achieved, summed over the participants.
    pub tasks_achieved: usize,
    /// Tasks, summed over the participants.
    pub tasks: usize,
    /// Certificates that may be issued.
    pub certificates_issued: usize,
}

/// From the first day of the earliest placement to the last day of the latest.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CohortPeriod {
    /// The earliest start of the participants' periods.
    pub first_day: chrono::NaiveDate,
    /// The latest end of the participants' periods.
    pub last_day: chrono::NaiveDate,
}

/// One participant's row in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct CohortParticipant {
    /// Their name.
    pub name: String,
    /// True when the name is written mostly in a right-to-left script.
    pub right_to_left: bool,
    /// Where their placement is, if written.
    pub workplace: Option<String>,
    /// Tasks they achieved.
    pub tasks_achieved: usize,
    /// Tasks in the framework.
    pub tasks: usize,
    /// The SeQF level their certificate may state, if any.
    pub seqf_level: Option<u8>,
    /// The CEFR level their language tracks add up to, if any.
    pub cefr_overall: Option<CefrLevel>,
    /// Whether their certificate may be issued.
    pub certificate_issued: bool,
    /// The title of the framework they follow, when it is a tailoring of the
    /// summary's framework; `None` for the framework itself.
    pub tailoring: Option<String>,
}

/// How many participants achieved one task.
#[derive(Debug, Clone, Serialize)]
pub struct TaskCount {
    /// The task's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The title of its area.
    pub area: String,
    /// Whether it is required.
    pub required: bool,
    /// Participants who achieved it.
    pub achieved: usize,
    /// Participants with a current rating of it.
    pub rated: usize,
}

/// How many participants reached one level.
#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    /// The level, such as `4` or `B1`.
    pub level: String,
    /// Participants at that level.
    pub count: usize,
}

/// Summarises progressions that follow the same framework, in one language.
/// Returns `None` for an empty group. Each progression is read once, in
/// turn, so that they can be made one at a time and none kept.
pub fn cohort_summary(progressions: impl IntoIterator<Item = impl Borrow<Progression>>) -> Option<CohortSummary> {
    summarise(progressions, |_| None)
}

/// An industry framework's summary across its workplaces: `progressions`
/// follow the framework `id` `version` (titled `title`) or a tailoring of
/// it, and each tailoring's participants are marked with its title.
pub fn industry_summary(
    id: &str,
    version: &str,
    title: &str,
    progressions: impl IntoIterator<Item = impl Borrow<Progression>>,
) -> Option<CohortSummary> {
    let tailoring = |progression: &Progression| {
        let own = progression.framework.id == id && progression.framework.version == version;
        (!own).then(|| progression.framework.title.clone())
    };
    let mut summary = summarise(progressions, tailoring)?;
    summary.framework_id = id.to_string();
    summary.framework_version = version.to_string();
    summary.framework_title = title.to_string();
    summary.across_workplaces = true;
    Some(summary)
}

/// The summary of `progressions`, each participant marked with the
/// tailoring `tailoring` gives.
fn summarise(
    progressions: impl IntoIterator<Item = impl Borrow<Progression>>,
    tailoring: impl Fn(&Progression) -> Option<String>,
) -> Option<CohortSummary> {
    let mut summary: Option<CohortSummary> = None;
    // Where each task's count is in `tasks`: tailorings add tasks of their
    // own, and each task is counted once, where it is first met.
    let mut task_at: HashMap<String, usize> = HashMap::new();
    let mut seqf: BTreeMap<u8, usize> = BTreeMap::new();
    let mut cefr: BTreeMap<CefrLevel, usize> = BTreeMap::new();
    for progression in progressions {
        let progression = progression.borrow();
        let summary = summary.get_or_insert_with(|| empty_summary(progression));
        count_tasks(&mut summary.tasks, &mut task_at, progression);
        match progression.seqf.level {
            Some(level) => *seqf.entry(level).or_default() += 1,
            None => summary.seqf_none += 1,
        }
        if let Some(level) = progression.cefr_overall {
            *cefr.entry(level).or_default() += 1;
        }
        summary.participants.push(CohortParticipant {
            name: progression.participant.name.clone(),
            right_to_left: progression.participant.right_to_left,
            workplace: progression.workplace.clone(),
            tasks_achieved: progression.summary.tasks_achieved,
            tasks: progression.summary.tasks,
            seqf_level: progression.seqf.level,
            cefr_overall: progression.cefr_overall,
            certificate_issued: progression.certificate_issued,
            tailoring: tailoring(progression),
        });
        summary.certificates_issued += usize::from(progression.certificate_issued);
        summary.period = widened(summary.period, progression);
        count_workplace(&mut summary.workplaces, progression);
    }
    let mut summary = summary?;
    group_by_area(&mut summary.tasks);
    summary.seqf_levels =
        seqf.iter().rev().map(|(level, count)| LevelCount { level: level.to_string(), count: *count }).collect();
    summary.cefr_levels =
        cefr.iter().map(|(level, count)| LevelCount { level: level.to_string(), count: *count }).collect();
    Some(summary)
}

/// A summary with nothing counted yet, of the framework `first` follows.
fn empty_summary(first: &Progression) -> CohortSummary {
    CohortSummary {
        language: first.language,
        framework_id: first.framework.id.clone(),
        framework_version: first.framework.version.clone(),
        framework_title: first.framework.title.clone(),
        participants: Vec::new(),
        tasks: Vec::new(),
        seqf_levels: Vec::new(),
        seqf_none: 0,
        cefr_levels: Vec::new(),
        certificates_issued: 0,
        period: None,
        across_workplaces: false,
        workplaces: Vec::new(),
    }
}

/// Adds a participant's tasks to the counts, adding tasks not met before.
fn count_tasks(tasks: &mut Vec<TaskCount>, task_at: &mut HashMap<String, usize>, progression: &Progression) {
    for area in &progression.areas {
        for task in &area.tasks {
            let index = *task_at.entry(task.id.clone()).or_insert_with(|| {
                tasks.push(TaskCount {
                    id: task.id.clone(),
                    title: task.title.clone(),
                    area: area.title.clone(),
                    required: task.required,
                    achieved: 0,
                    rated: 0,
                });
                tasks.len() - 1
            });
            tasks[index].achieved += usize::from(task.achieved);
            tasks[index].rated += usize::from(task.current.is_some());
        }
    }
}

/// Keeps tasks of one area together, areas in the order first met, so that
/// a tailoring's task added to an area is shown in it.
fn group_by_area(tasks: &mut [TaskCount]) {
    let mut areas: Vec<String> = Vec::new();
    for task in tasks.iter() {
        if !areas.contains(&task.area) {
            areas.push(task.area.clone());
        }
    }
    tasks.sort_by_key(|task| areas.iter().position(|area| *area == task.area));
}

/// Adds a participant to the group of their workplace and framework.
fn count_workplace(counts: &mut Vec<WorkplaceCount>, progression: &Progression) {
    let (workplace, title) = (&progression.workplace, &progression.framework.title);
    let position = counts.iter().position(|c| c.workplace == *workplace && c.framework_title == *title);
    let index = position.unwrap_or_else(|| {
        counts.push(WorkplaceCount {
            workplace: workplace.clone(),
            framework_title: title.clone(),
            participants: 0,
            tasks_achieved: 0,
            tasks: 0,
            certificates_issued: 0,
        });
        counts.len() - 1
    });
    let count = &mut counts[index];
    count.participants += 1;
    count.tasks_achieved += progression.summary.tasks_achieved;
    count.tasks += progression.summary.tasks;
    count.certificates_issued += usize::from(progression.certificate_issued);
}

/// The span of the members' placements, `span` so far widened to take in
/// `progression`'s; each period has both its days, so the earliest start
/// and the latest end are there together or not at all.
pub(super) fn widened(span: Option<CohortPeriod>, progression: &Progression) -> Option<CohortPeriod> {
    let Some(placement) = &progression.period else { return span };
    Some(match span {
        Some(span) => {
            CohortPeriod { first_day: span.first_day.min(placement.start), last_day: span.last_day.max(placement.end) }
        }
        None => CohortPeriod { first_day: placement.start, last_day: placement.end },
    })
}
