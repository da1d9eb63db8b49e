//! The checklist view: a blank form for supervisors, from a framework alone.

use serde::Serialize;

use super::progression::{LevelView, Localizer, ScaleView, scale_views};
use crate::model::{CefrLevel, Framework, Lang, LocalizedText};

#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub language: String,
    pub id: String,
    pub version: String,
    pub title: String,
    pub occupation: Option<String>,
    pub organisation: Option<String>,
    pub description: Option<String>,
    pub extends: Vec<String>,
    pub scales: Vec<ScaleView>,
    pub areas: Vec<ChecklistArea>,
    pub competences: Vec<ChecklistCompetence>,
    pub language_tracks: Vec<ChecklistTrack>,
    /// The occasion columns of the form: mapping, follow-up, final.
    pub occasions: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistArea {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub tasks: Vec<ChecklistTask>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistTask {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub criteria: Vec<String>,
    pub required: bool,
    pub seqf: Option<u8>,
    pub seqf_dimension: Option<&'static str>,
    pub evidence: Option<&'static str>,
    pub scale: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistCompetence {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub scale: String,
    /// What each level looks like, in the scale's order.
    pub descriptors: Vec<LevelView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistTrack {
    pub id: String,
    pub title: String,
    pub skill: &'static str,
    pub milestones: Vec<ChecklistMilestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistMilestone {
    pub id: String,
    pub title: String,
    pub cefr: CefrLevel,
    pub sfi: Option<&'static str>,
}

/// The checklist of a framework in language `lang`.
pub fn checklist(framework: &Framework, lang: &Lang) -> Checklist {
    let localize = Localizer::new(framework, lang);
    let text = |t: &LocalizedText| localize.text(t);
    let optional = |t: &Option<LocalizedText>| localize.optional(t);
    Checklist {
        language: lang.code().to_string(),
        id: framework.id.clone(),
        version: framework.version.clone(),
        title: text(&framework.title),
        occupation: optional(&framework.occupation),
        organisation: optional(&framework.organisation),
        description: optional(&framework.description),
        extends: framework.extends.iter().map(ToString::to_string).collect(),
        scales: scale_views(framework, lang),
        areas: framework
            .areas
            .iter()
            .map(|area| ChecklistArea {
                id: area.id.clone(),
                title: text(&area.title),
                description: optional(&area.description),
                tasks: area
                    .tasks
                    .iter()
                    .map(|task| ChecklistTask {
                        id: task.id.clone(),
                        title: text(&task.title),
                        description: optional(&task.description),
                        criteria: task.criteria.iter().map(&text).collect(),
                        required: task.required,
                        seqf: task.seqf.map(|s| s.level.get()),
                        seqf_dimension: task.seqf.and_then(|s| s.dimension).map(|d| d.word()),
                        evidence: task.evidence.map(|e| e.word()),
                        scale: task.scale.clone(),
                    })
                    .collect(),
            })
            .collect(),
        competences: framework
            .competences
            .iter()
            .map(|competence| ChecklistCompetence {
                id: competence.id.clone(),
                title: text(&competence.title),
                description: optional(&competence.description),
                scale: competence.scale.clone(),
                descriptors: competence
                    .descriptors
                    .iter()
                    .map(|d| LevelView {
                        id: d.level.clone(),
                        label: framework
                            .scale(&competence.scale)
                            .and_then(|s| s.level(&d.level))
                            .map_or_else(|| d.level.clone(), |l| text(&l.label)),
                        description: Some(text(&d.text)),
                    })
                    .collect(),
            })
            .collect(),
        language_tracks: framework
            .tracks
            .iter()
            .map(|track| ChecklistTrack {
                id: track.id.clone(),
                title: text(&track.title),
                skill: track.skill.word(),
                milestones: track
                    .milestones
                    .iter()
                    .map(|m| ChecklistMilestone {
                        id: m.id.clone(),
                        title: text(&m.title),
                        cefr: m.cefr,
                        sfi: m.sfi.map(|s| s.word()),
                    })
                    .collect(),
            })
            .collect(),
        occasions: vec!["mapping", "follow-up", "final"],
    }
}
