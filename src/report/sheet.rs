//! Spreadsheet rows: every participant's tasks, competences and language
//! milestones flattened to one row each, with the columns a coordinator
//! filters on. The render stage writes them as CSV or xlsx.

use chrono::NaiveDate;
use serde::Serialize;

use super::progression::{ItemProgress, Progression};
use crate::model::OccasionKind;

/// What a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A work task of one of the framework's areas.
    Task,
    /// A general work-life competence.
    Competence,
    /// A language milestone.
    Milestone,
}

impl ItemKind {
    /// The key of its name in the texts (`templates/strings.toml`).
    pub fn text_key(self) -> &'static str {
        match self {
            ItemKind::Task => "task",
            ItemKind::Competence => "competence",
            ItemKind::Milestone => "milestone",
        }
    }
}

/// How far a participant's assessment has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No final assessment yet.
    Running,
    /// A final assessment, not yet signed.
    Final,
    /// The final assessment is signed: a certificate may be issued.
    Signed,
    /// The certificate is kept in the register of issued certificates.
    Issued,
}

impl Status {
    /// The status a progression shows by itself; whether its certificate is
    /// issued only the register knows.
    pub fn of(progression: &Progression) -> Status {
        if progression.certificate_issued {
            Status::Signed
        } else if progression.occasions.iter().any(|occasion| occasion.kind == OccasionKind::Final) {
            Status::Final
        } else {
            Status::Running
        }
    }

    /// The key of its name in the texts (`templates/strings.toml`).
    pub fn text_key(self) -> &'static str {
        match self {
            Status::Running => "status_running",
            Status::Final => "status_final",
            Status::Signed => "status_signed",
            Status::Issued => "status_issued",
        }
    }
}

/// One participant's item: one row of the spreadsheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// The participant's name.
    pub participant: String,
    /// The organisation's case reference, if written.
    pub reference: Option<String>,
    /// Where the placement is, if written.
    pub workplace: Option<String>,
    /// The framework followed, as `id@version`.
    pub framework: String,
    /// Its title.
    pub framework_title: String,
    /// The area's title for a task, the track's for a milestone, the
    /// heading of the general competences for a competence (left empty here;
    /// the render stage names it in the document's language).
    pub area: String,
    /// Task, competence or milestone.
    pub kind: ItemKind,
    /// The item's id.
    pub item_id: String,
    /// The item's title.
    pub item_title: String,
    /// Whether it is a required task.
    pub required: bool,
    /// The SeQF level of a task, if the framework gives one.
    pub seqf: Option<u8>,
    /// The CEFR level of a milestone.
    pub cefr: Option<String>,
    /// The label of the rating that counts; for a milestone, none.
    pub rating: Option<String>,
    /// The rating's step on its scale, 1 for the lowest.
    pub rank: Option<usize>,
    /// The number of steps on the item's scale.
    pub steps: Option<usize>,
    /// Whether it is achieved (a milestone: reached).
    pub achieved: bool,
    /// The day of the rating that counts, or the day a milestone was reached.
    pub date: Option<NaiveDate>,
    /// Who gave the rating that counts, if written.
    pub assessor: Option<String>,
    /// How far the participant's assessment has come.
    pub status: Status,
}

/// The rows of one participant: tasks in the framework's order, then the
/// general competences, then the language milestones.
pub fn sheet_rows(progression: &Progression) -> Vec<SheetRow> {
    let row = |area: &str, kind: ItemKind, item: &ItemProgress| {
        let counted = counted_occasion(progression, item);
        let occasion = counted.and_then(|index| progression.occasions.get(index));
        SheetRow {
            area: area.to_string(),
            kind,
            item_id: item.id.clone(),
            item_title: item.title.clone(),
            required: item.required,
            seqf: item.seqf.map(|seqf| seqf.level),
            rating: item.current.as_ref().map(|rating| rating.label.clone()),
            rank: item.current.as_ref().map(|rating| rating.rank),
            steps: Some(item.scale_size).filter(|size| *size > 0),
            achieved: item.achieved,
            date: occasion.map(|occasion| occasion.date),
            assessor: occasion.and_then(|occasion| occasion.assessor.clone()),
            ..participant_row(progression)
        }
    };
    let mut rows = Vec::new();
    for area in &progression.areas {
        rows.extend(area.tasks.iter().map(|task| row(&area.title, ItemKind::Task, task)));
    }
    rows.extend(progression.competences.iter().map(|competence| row("", ItemKind::Competence, competence)));
    for track in &progression.language_tracks {
        for milestone in &track.milestones {
            let occasion = milestone.reached_at.and_then(|index| progression.occasions.get(index));
            rows.push(SheetRow {
                area: track.title.clone(),
                kind: ItemKind::Milestone,
                item_id: milestone.id.clone(),
                item_title: milestone.title.clone(),
                cefr: Some(milestone.cefr.to_string()),
                achieved: milestone.reached_on.is_some(),
                date: milestone.reached_on,
                assessor: occasion.and_then(|occasion| occasion.assessor.clone()),
                ..participant_row(progression)
            });
        }
    }
    rows
}

/// The columns every row of a participant shares; the item's columns empty.
fn participant_row(progression: &Progression) -> SheetRow {
    SheetRow {
        participant: progression.participant.name.clone(),
        reference: progression.participant.reference.clone(),
        workplace: progression.workplace.clone(),
        framework: format!("{}@{}", progression.framework.id, progression.framework.version),
        framework_title: progression.framework.title.clone(),
        area: String::new(),
        kind: ItemKind::Task,
        item_id: String::new(),
        item_title: String::new(),
        required: false,
        seqf: None,
        cefr: None,
        rating: None,
        rank: None,
        steps: None,
        achieved: false,
        date: None,
        assessor: None,
        status: Status::of(progression),
    }
}

/// The occasion whose rating counts for `item`, as `current` is chosen: the
/// latest that rated it, up to the last final assessment.
fn counted_occasion(progression: &Progression, item: &ItemProgress) -> Option<usize> {
    let occasions = &progression.occasions;
    let last = occasions.iter().rposition(|o| o.kind == OccasionKind::Final).or(occasions.len().checked_sub(1))?;
    (0..=last).rev().find(|index| item.ratings.get(*index).is_some_and(Option::is_some))
}
