//! The resolved framework: what a checklist really contains once includes,
//! extends and overrides are applied. Every later stage reads this.

use serde::Serialize;

use super::text::{Lang, LocalizedText};
use super::values::{CefrLevel, CefrSkill, Evidence, SeqfDimension, SeqfLevel, SfiCourse};
use crate::source::Location;
pub use crate::syntax::ast::FrameworkKind;

/// Identifies a framework: its id and version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
}

impl std::fmt::Display for FrameworkRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.id, self.version)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub kind: FrameworkKind,
    pub id: String,
    pub version: String,
    pub title: LocalizedText,
    /// The languages texts are written in; the first is the default.
    pub languages: Vec<Lang>,
    pub occupation: Option<LocalizedText>,
    pub organisation: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub esco: Option<String>,
    /// The frameworks this one tailors, nearest first.
    pub extends: Vec<FrameworkRef>,
    /// Library files included, directly or through what this extends.
    pub includes: Vec<String>,
    /// The default scales for tasks and for competences.
    pub rate_tasks_with: Option<String>,
    pub rate_competences_with: Option<String>,
    /// Where the default scales were named.
    #[serde(skip)]
    pub rate_tasks_location: Option<Location>,
    #[serde(skip)]
    pub rate_competences_location: Option<Location>,
    pub scales: Vec<Scale>,
    pub areas: Vec<Area>,
    pub competences: Vec<Competence>,
    pub tracks: Vec<Track>,
    pub certificate: CertificateRules,
    /// What tailorings removed from inherited frameworks.
    pub removed: Vec<Removed>,
    #[serde(skip)]
    pub location: Location,
    /// Where each item is, by id, so that looking one up does not mean
    /// reading them all.
    #[serde(skip)]
    pub(crate) index: ItemIndex,
    /// The ids of all tasks, kept up to date while a framework is resolved.
    #[serde(skip)]
    pub(crate) task_ids: std::collections::HashSet<String>,
}

/// Positions of tasks, competences and milestones by id. Built when a
/// framework is resolved; a lookup checks the position it finds, so a stale
/// entry can only cost time, never give a wrong answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemIndex {
    tasks: std::collections::HashMap<String, (usize, usize)>,
    competences: std::collections::HashMap<String, usize>,
    milestones: std::collections::HashMap<String, (usize, usize)>,
}

impl Framework {
    pub fn reference(&self) -> FrameworkRef {
        FrameworkRef { id: self.id.clone(), version: self.version.clone() }
    }

    pub fn default_language(&self) -> &Lang {
        &self.languages[0]
    }

    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales.iter().find(|scale| scale.id == id)
    }

    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.areas.iter().flat_map(|area| &area.tasks)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        let indexed = self.index.tasks.get(id).and_then(|&(area, task)| self.areas.get(area)?.tasks.get(task));
        match indexed {
            Some(task) if task.id == id => Some(task),
            _ if self.index.tasks.is_empty() => self.tasks().find(|task| task.id == id),
            _ => None,
        }
    }

    pub fn competence(&self, id: &str) -> Option<&Competence> {
        let indexed = self.index.competences.get(id).and_then(|&i| self.competences.get(i));
        match indexed {
            Some(competence) if competence.id == id => Some(competence),
            _ if self.index.competences.is_empty() => self.competences.iter().find(|c| c.id == id),
            _ => None,
        }
    }

    /// Records where every item is; called once a framework is resolved.
    pub(crate) fn reindex(&mut self) {
        let mut index = ItemIndex::default();
        for (a, area) in self.areas.iter().enumerate() {
            for (t, task) in area.tasks.iter().enumerate() {
                index.tasks.insert(task.id.clone(), (a, t));
            }
        }
        for (c, competence) in self.competences.iter().enumerate() {
            index.competences.insert(competence.id.clone(), c);
        }
        for (t, track) in self.tracks.iter().enumerate() {
            for (m, milestone) in track.milestones.iter().enumerate() {
                index.milestones.insert(milestone.id.clone(), (t, m));
            }
        }
        self.index = index;
    }

    pub fn milestones(&self) -> impl Iterator<Item = (&Track, &Milestone)> {
        self.tracks.iter().flat_map(|track| track.milestones.iter().map(move |milestone| (track, milestone)))
    }

    pub fn milestone(&self, id: &str) -> Option<(&Track, &Milestone)> {
        let indexed = self.index.milestones.get(id).and_then(|&(t, m)| {
            let track = self.tracks.get(t)?;
            Some((track, track.milestones.get(m)?))
        });
        match indexed {
            Some((track, milestone)) if milestone.id == id => Some((track, milestone)),
            _ if self.index.milestones.is_empty() => self.milestones().find(|(_, m)| m.id == id),
            _ => None,
        }
    }

    /// Every text of the framework, with what it is the text of.
    pub fn texts(&self) -> Vec<(&LocalizedText, String)> {
        let framework = self;
        let mut texts: Vec<(&LocalizedText, String)> = vec![(&framework.title, "the title".into())];
        for (text, what) in [
            (&framework.occupation, "the occupation"),
            (&framework.organisation, "the organisation"),
            (&framework.description, "the description"),
        ] {
            if let Some(text) = text {
                texts.push((text, what.into()));
            }
        }
        for scale in &framework.scales {
            texts.extend(scale.title.iter().map(|t| (t, format!("the title of the scale `{}`", scale.id))));
            texts.extend(scale.description.iter().map(|t| (t, format!("the description of the scale `{}`", scale.id))));
            for level in &scale.levels {
                texts.push((&level.label, format!("the label of the level `{}`", level.id)));
                texts.extend(
                    level.description.iter().map(|t| (t, format!("the description of the level `{}`", level.id))),
                );
            }
        }
        for area in &framework.areas {
            texts.push((&area.title, format!("the title of the area `{}`", area.id)));
            texts.extend(area.description.iter().map(|t| (t, format!("the description of the area `{}`", area.id))));
            for task in &area.tasks {
                texts.push((&task.title, format!("the title of the task `{}`", task.id)));
                texts
                    .extend(task.description.iter().map(|t| (t, format!("the description of the task `{}`", task.id))));
                for criterion in &task.criteria {
                    texts.push((criterion, format!("a criterion of the task `{}`", task.id)));
                }
            }
        }
        for competence in &framework.competences {
            texts.push((&competence.title, format!("the title of the competence `{}`", competence.id)));
            texts.extend(
                competence
                    .description
                    .iter()
                    .map(|t| (t, format!("the description of the competence `{}`", competence.id))),
            );
            for descriptor in &competence.descriptors {
                texts.push((
                    &descriptor.text,
                    format!("the level `{}` of the competence `{}`", descriptor.level, competence.id),
                ));
            }
        }
        for track in &framework.tracks {
            texts.push((&track.title, format!("the title of the track `{}`", track.id)));
            texts.extend(track.description.iter().map(|t| (t, format!("the description of the track `{}`", track.id))));
            for milestone in &track.milestones {
                texts.push((&milestone.title, format!("the title of the milestone `{}`", milestone.id)));
                texts.extend(
                    milestone
                        .description
                        .iter()
                        .map(|t| (t, format!("the description of the milestone `{}`", milestone.id))),
                );
            }
        }
        texts
    }

    pub fn removed(&self, kind: &str, id: &str) -> Option<&Removed> {
        self.removed.iter().find(|removed| removed.kind == kind && removed.id == id)
    }
}

/// An ordered rating scale, lowest level first.
#[derive(Debug, Clone, Serialize)]
pub struct Scale {
    pub id: String,
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub levels: Vec<Level>,
    #[serde(skip)]
    pub location: Location,
}

impl Scale {
    /// The position of a level, 0 for the lowest.
    pub fn rank(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == level)
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|level| level.id == id)
    }

    pub fn level_ids(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|level| level.id.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub id: String,
    pub label: LocalizedText,
    pub description: Option<LocalizedText>,
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub id: String,
    pub title: LocalizedText,
    pub description: Option<LocalizedText>,
    pub tasks: Vec<Task>,
    /// The framework or library the area was defined in.
    pub defined_in: String,
    #[serde(skip)]
    pub location: Location,
}

/// A work task (arbetsuppgift).
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub id: String,
    pub title: LocalizedText,
    pub description: Option<LocalizedText>,
    pub criteria: Vec<LocalizedText>,
    pub seqf: Option<Seqf>,
    pub required: bool,
    pub esco: Option<String>,
    pub evidence: Option<Evidence>,
    /// The id of the scale that rates this task.
    pub scale: String,
    pub defined_in: String,
    /// Tailorings that changed this task, nearest last.
    pub overridden_in: Vec<String>,
    #[serde(skip)]
    pub location: Location,
    /// Where the task's scale was named, if it was named for it.
    #[serde(skip)]
    pub scale_location: Option<Location>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seqf {
    pub level: SeqfLevel,
    pub dimension: Option<SeqfDimension>,
}

/// A general work-life competence (generell arbetslivskompetens).
#[derive(Debug, Clone, Serialize)]
pub struct Competence {
    pub id: String,
    pub title: LocalizedText,
    pub description: Option<LocalizedText>,
    pub scale: String,
    /// What each level of the scale looks like for this competence, in the
    /// scale's order.
    pub descriptors: Vec<Descriptor>,
    pub defined_in: String,
    #[serde(skip)]
    pub location: Location,
    #[serde(skip)]
    pub scale_location: Option<Location>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Descriptor {
    pub level: String,
    pub text: LocalizedText,
    #[serde(skip)]
    pub location: Location,
}

/// A language track for one CEFR skill.
#[derive(Debug, Clone, Serialize)]
pub struct Track {
    pub id: String,
    pub title: LocalizedText,
    pub description: Option<LocalizedText>,
    pub skill: CefrSkill,
    pub milestones: Vec<Milestone>,
    pub defined_in: String,
    #[serde(skip)]
    pub location: Location,
}

/// A concrete workplace language milestone.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub id: String,
    pub title: LocalizedText,
    pub description: Option<LocalizedText>,
    pub cefr: CefrLevel,
    pub sfi: Option<SfiCourse>,
    #[serde(skip)]
    pub location: Location,
}

/// What the certificate may say, as the framework writes it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CertificateRules {
    /// Per scale, the lowest level that counts as achieved.
    pub achieved: Vec<AchievedFrom>,
    pub seqf: Option<SeqfRule>,
    /// Where the `certificate` block is written.
    #[serde(skip)]
    pub location: Option<Location>,
}

impl CertificateRules {
    pub fn achieved_from(&self, scale: &str) -> Option<&AchievedFrom> {
        self.achieved.iter().find(|rule| rule.scale == scale)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AchievedFrom {
    pub scale: String,
    pub level: String,
    #[serde(skip)]
    pub location: Location,
}

/// The rule by which a certificate may state an SeQF level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum SeqfRule {
    /// The highest level N such that every required task at level N or below
    /// is achieved, and at least one task at level N is achieved.
    AllRequired,
    /// The highest level N such that at least this share (per cent) of the
    /// tasks at level N or below is achieved, every required task among them
    /// is achieved, and at least one task at level N is achieved.
    Share { percent: u8 },
}

/// An item a tailoring removed.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub kind: String,
    pub id: String,
    /// The framework whose tailoring removed it.
    pub by: String,
    #[serde(skip)]
    pub location: Location,
}
