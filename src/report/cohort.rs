//! The cohort summary: how a group of participants following one framework
//! did, for coordinators and funders.

use std::collections::BTreeMap;

use serde::Serialize;

use super::progression::Progression;
use crate::model::CefrLevel;

#[derive(Debug, Clone, Serialize)]
pub struct CohortSummary {
    pub language: String,
    pub framework_id: String,
    pub framework_version: String,
    pub framework_title: String,
    pub participants: Vec<CohortParticipant>,
    /// Per task, in the framework's order: how many achieved it.
    pub tasks: Vec<TaskCount>,
    /// SeQF statements issued, by level, highest first; `none` counts the
    /// participants for whom no level could be stated.
    pub seqf_levels: Vec<LevelCount>,
    pub seqf_none: usize,
    /// Overall CEFR levels reached, by level.
    pub cefr_levels: Vec<LevelCount>,
    pub certificates_issued: usize,
    /// The earliest start and latest end of the participants' periods.
    pub first_day: Option<chrono::NaiveDate>,
    pub last_day: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CohortParticipant {
    pub name: String,
    pub right_to_left: bool,
    pub workplace: Option<String>,
    pub tasks_achieved: usize,
    pub tasks: usize,
    pub seqf_level: Option<u8>,
    pub cefr_overall: Option<CefrLevel>,
    pub certificate_issued: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskCount {
    pub id: String,
    pub title: String,
    pub area: String,
    pub required: bool,
    pub achieved: usize,
    pub rated: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelCount {
    pub level: String,
    pub count: usize,
}

/// Summarises progressions that follow the same framework, in one language.
/// Returns `None` for an empty group.
pub fn cohort_summary(progressions: &[&Progression]) -> Option<CohortSummary> {
    let first = progressions.first()?;
    let mut tasks: Vec<TaskCount> = first
        .areas
        .iter()
        .flat_map(|area| {
            area.tasks.iter().map(move |task| TaskCount {
                id: task.id.clone(),
                title: task.title.clone(),
                area: area.title.clone(),
                required: task.required,
                achieved: 0,
                rated: 0,
            })
        })
        .collect();
    let mut seqf: BTreeMap<u8, usize> = BTreeMap::new();
    let mut cefr: BTreeMap<CefrLevel, usize> = BTreeMap::new();
    let mut seqf_none = 0;
    for progression in progressions {
        for task in progression.areas.iter().flat_map(|a| &a.tasks) {
            if let Some(count) = tasks.iter_mut().find(|t| t.id == task.id) {
                count.achieved += usize::from(task.achieved);
                count.rated += usize::from(task.current.is_some());
            }
        }
        match progression.seqf.level {
            Some(level) => *seqf.entry(level).or_default() += 1,
            None => seqf_none += 1,
        }
        if let Some(level) = progression.cefr_overall {
            *cefr.entry(level).or_default() += 1;
        }
    }
    Some(CohortSummary {
        language: first.language.clone(),
        framework_id: first.framework.id.clone(),
        framework_version: first.framework.version.clone(),
        framework_title: first.framework.title.clone(),
        participants: progressions
            .iter()
            .map(|p| CohortParticipant {
                name: p.participant.name.clone(),
                right_to_left: p.participant.right_to_left,
                workplace: p.workplace.clone(),
                tasks_achieved: p.summary.tasks_achieved,
                tasks: p.summary.tasks,
                seqf_level: p.seqf.level,
                cefr_overall: p.cefr_overall,
                certificate_issued: p.certificate_issued,
            })
            .collect(),
        tasks,
        seqf_levels: seqf
            .iter()
            .rev()
            .map(|(level, count)| LevelCount { level: level.to_string(), count: *count })
            .collect(),
        seqf_none,
        cefr_levels: cefr.iter().map(|(level, count)| LevelCount { level: level.to_string(), count: *count }).collect(),
        certificates_issued: progressions.iter().filter(|p| p.certificate_issued).count(),
        first_day: progressions.iter().filter_map(|p| p.period.as_ref().map(|x| x.start)).min(),
        last_day: progressions.iter().filter_map(|p| p.period.as_ref().map(|x| x.end)).max(),
    })
}
