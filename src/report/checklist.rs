//! The checklist view: a blank form for supervisors, from a framework alone.

use serde::Serialize;

use super::progression::{LevelView, Localizer, ScaleView, scale_views};
use crate::model::{CefrLevel, Framework, Lang, LocalizedText};

/// A framework as a blank form, with every text in the document's language.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    /// The language every text below is in.
    pub language: Lang,
    /// The framework's id.
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
    /// The frameworks it tailors, nearest first, as `id version`.
    pub extends: Vec<String>,
    /// The same frameworks by title and version, as documents name them.
    pub extends_titles: Vec<String>,
    /// Its scales, for the legend.
    pub scales: Vec<ScaleView>,
    /// Its areas with their tasks.
    pub areas: Vec<ChecklistArea>,
    /// Its general competences.
    pub competences: Vec<ChecklistCompetence>,
    /// Its language tracks.
    pub language_tracks: Vec<ChecklistTrack>,
    /// The occasion columns of the form: mapping, follow-up, final.
    pub occasions: Vec<&'static str>,
}

/// An area of the form.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistArea {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its description, if written.
    pub description: Option<String>,
    /// Its tasks, in order.
    pub tasks: Vec<ChecklistTask>,
}

/// A task to be rated on the form.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistTask {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its description, if written.
    pub description: Option<String>,
    /// What the assessor looks for.
    pub criteria: Vec<String>,
    /// Whether it is required for the certificate.
    pub required: bool,
    /// Its SeQF level, 1 to 8, if written.
    pub seqf: Option<u8>,
    /// `knowledge`, `skills` or `competence`; `None` for all three.
    pub seqf_dimension: Option<&'static str>,
    /// The kind of evidence as its keyword, if written.
    pub evidence: Option<&'static str>,
    /// The id of the scale that rates it; always written in a framework
    /// without errors.
    pub scale: Option<String>,
}

/// A general competence to be rated on the form.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistCompetence {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its description, if written.
    pub description: Option<String>,
    /// The id of the scale that rates it; always written in a framework
    /// without errors.
    pub scale: Option<String>,
    /// What each level looks like, in the scale's order.
    pub descriptors: Vec<LevelView>,
}

/// A language track on the form.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistTrack {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The CEFR skill it follows, such as `listening`.
    pub skill: &'static str,
    /// Its milestones, in order.
    pub milestones: Vec<ChecklistMilestone>,
}

/// A language milestone to be ticked on the form.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistMilestone {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The CEFR level it corresponds to.
    pub cefr: CefrLevel,
    /// The SFI course it corresponds to, if written.
    pub sfi: Option<&'static str>,
}

/// The checklist of a framework in language `lang`.
pub fn checklist(framework: &Framework, lang: Lang) -> Checklist {
    let localize = Localizer::new(framework, lang);
    let text = |t: &LocalizedText| localize.text(t);
    let optional = |t: &Option<LocalizedText>| localize.optional(t);
    Checklist {
        language: lang,
        id: framework.id.clone(),
        version: framework.version.clone(),
        title: text(&framework.title),
        occupation: optional(&framework.occupation),
        organisation: optional(&framework.organisation),
        description: optional(&framework.description),
        extends: framework.extends.iter().map(ToString::to_string).collect(),
        extends_titles: framework
            .extends
            .iter()
            .zip(&framework.extends_titles)
            .map(|(parent, title)| format!("{} {}", text(title), parent.version))
            .collect(),
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
                            .scale_of(&competence.scale)
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
