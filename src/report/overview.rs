//! The funders' overview: every participant of a folder across frameworks,
//! counted by framework, by workplace and by period: who is assessed, whose
//! certificate is signed or issued, the SeQF levels stated and the language
//! milestones reached.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::cohort::{CohortPeriod, LevelCount, widened};
use super::progression::Progression;
use super::sheet::Status;
use crate::model::{CefrLevel, Lang};

/// A participant's certificate as the register knows it: their name, the
/// framework's id and the placement's first day, as the register tells two
/// certificates of one participant apart.
pub type IssuedKey = (String, String, Option<NaiveDate>);

/// The key the register would file `progression`'s certificate under.
pub fn issued_key(progression: &Progression) -> IssuedKey {
    (
        progression.participant.name.clone(),
        progression.framework.id.clone(),
        progression.period.as_ref().map(|period| period.start),
    )
}

/// What the funders' overview shows.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// The language of its fixed texts.
    pub language: Lang,
    /// What it covers, such as the folder's name.
    pub title: String,
    /// Every participant together; a person validated on two frameworks
    /// counts twice here.
    pub total: OverviewGroup,
    /// The people: participants counted once however many frameworks they
    /// are validated on.
    pub people: usize,
    /// Per framework followed, by title and version.
    pub frameworks: Vec<OverviewGroup>,
    /// Per workplace; participants without one under an empty label.
    pub workplaces: Vec<OverviewGroup>,
    /// Per quarter in which placements began, earliest first; participants
    /// without a period are left out.
    pub periods: Vec<OverviewGroup>,
    /// SeQF levels stated, highest first.
    pub seqf_levels: Vec<LevelCount>,
    /// Overall CEFR levels reached, lowest first.
    pub cefr_levels: Vec<LevelCount>,
    /// The days the placements span, if any period is written.
    pub period: Option<CohortPeriod>,
}

/// The counts of one group of participants.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OverviewGroup {
    /// What the group is: a framework's title, a workplace, a quarter.
    pub label: String,
    /// A second line: a framework's version.
    pub detail: Option<String>,
    /// For a quarter: its year and number, for the template to name it.
    pub quarter: Option<(i32, u32)>,
    /// Participants.
    pub participants: usize,
    /// Without a final assessment yet.
    pub running: usize,
    /// With a final assessment (signed or not).
    pub assessed: usize,
    /// With a signed final assessment: a certificate may be issued.
    pub signed: usize,
    /// With a certificate in the register of issued certificates.
    pub issued: usize,
    /// Tasks achieved, summed.
    pub tasks_achieved: usize,
    /// Tasks, summed.
    pub tasks: usize,
    /// Language milestones reached, summed.
    pub milestones_reached: usize,
    /// Language milestones, summed.
    pub milestones: usize,
    /// Participants for whom an SeQF level is stated.
    pub seqf_stated: usize,
}

impl OverviewGroup {
    fn add(&mut self, progression: &Progression, status: Status) {
        self.participants += 1;
        self.running += usize::from(status == Status::Running);
        self.assessed += usize::from(status >= Status::Final);
        self.signed += usize::from(status >= Status::Signed);
        self.issued += usize::from(status == Status::Issued);
        self.tasks_achieved += progression.summary.tasks_achieved;
        self.tasks += progression.summary.tasks;
        self.milestones_reached += progression.summary.milestones_reached;
        self.milestones += progression.summary.milestones;
        self.seqf_stated += usize::from(progression.seqf.level.is_some());
    }
}

/// The overview of `progressions`, titled `title`, with fixed texts in
/// `language`; `issued` holds the keys of certificates the register keeps.
/// Each progression is read once, in turn, so that they can be made one at
/// a time and none kept.
pub fn overview(
    title: &str,
    language: Lang,
    progressions: impl IntoIterator<Item = impl std::borrow::Borrow<Progression>>,
    issued: &BTreeSet<IssuedKey>,
) -> Overview {
    let mut total = OverviewGroup { label: title.to_string(), ..OverviewGroup::default() };
    let mut frameworks: Vec<OverviewGroup> = Vec::new();
    let mut workplaces: Vec<OverviewGroup> = Vec::new();
    let mut periods: BTreeMap<(i32, u32), OverviewGroup> = BTreeMap::new();
    let mut seqf: BTreeMap<u8, usize> = BTreeMap::new();
    let mut cefr: BTreeMap<CefrLevel, usize> = BTreeMap::new();
    let mut people: BTreeSet<String> = BTreeSet::new();
    let mut period: Option<CohortPeriod> = None;
    for progression in progressions {
        let progression = progression.borrow();
        if !people.contains(&progression.participant.name) {
            people.insert(progression.participant.name.clone());
        }
        period = widened(period, progression);
        let status = match Status::of(progression) {
            Status::Signed if issued.contains(&issued_key(progression)) => Status::Issued,
            status => status,
        };
        total.add(progression, status);
        let framework = &progression.framework;
        group(&mut frameworks, &framework.title, Some(&framework.version)).add(progression, status);
        group(&mut workplaces, progression.workplace.as_deref().unwrap_or_default(), None).add(progression, status);
        if let Some(period) = &progression.period {
            let quarter = (period.start.year(), period.start.month0() / 3 + 1);
            let entry = periods
                .entry(quarter)
                .or_insert_with(|| OverviewGroup { quarter: Some(quarter), ..OverviewGroup::default() });
            entry.add(progression, status);
        }
        if let Some(level) = progression.seqf.level {
            *seqf.entry(level).or_default() += 1;
        }
        if let Some(level) = progression.cefr_overall {
            *cefr.entry(level).or_default() += 1;
        }
    }
    Overview {
        language,
        title: title.to_string(),
        total,
        people: people.len(),
        frameworks,
        workplaces,
        periods: periods.into_values().collect(),
        seqf_levels: seqf
            .iter()
            .rev()
            .map(|(level, count)| LevelCount { level: level.to_string(), count: *count })
            .collect(),
        cefr_levels: cefr.iter().map(|(level, count)| LevelCount { level: level.to_string(), count: *count }).collect(),
        period,
    }
}

/// The group labelled `label` (and `detail`), made when first met.
fn group<'a>(groups: &'a mut Vec<OverviewGroup>, label: &str, detail: Option<&str>) -> &'a mut OverviewGroup {
    let position = groups.iter().position(|g| g.label == label && g.detail.as_deref() == detail);
    let index = position.unwrap_or_else(|| {
        groups.push(OverviewGroup {
            label: label.to_string(),
            detail: detail.map(str::to_string),
            ..OverviewGroup::default()
        });
        groups.len() - 1
    });
    &mut groups[index]
}
