//! The resolved framework: what a checklist really contains once includes,
//! extends and overrides are applied. Every later stage reads this.

use serde::Serialize;

use super::text::{Lang, LocalizedText};
use super::values::{CefrLevel, CefrSkill, Evidence, SeqfDimension, SeqfLevel, SfiCourse};
use crate::source::Location;
pub use crate::syntax::ast::{FrameworkKind, ItemKind};

/// Identifies a framework: its id and version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FrameworkRef {
    /// The framework's id, as in its header.
    pub id: String,
    /// The version, as its `version` line writes it.
    pub version: String,
}

impl std::fmt::Display for FrameworkRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.id, self.version)
    }
}

/// A framework or library with everything it inherits and includes applied.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    /// Framework or library.
    pub kind: FrameworkKind,
    /// The id that assessments and `extends` name it by.
    pub id: String,
    /// The version assessments pin.
    pub version: String,
    /// The title from the header line.
    pub title: LocalizedText,
    /// The languages texts are written in; the first is the default.
    pub languages: Vec<Lang>,
    /// The occupation it validates, if written.
    pub occupation: Option<LocalizedText>,
    /// Who publishes it, if written.
    pub organisation: Option<LocalizedText>,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// The ESCO occupation URI, if written.
    pub esco: Option<String>,
    /// The frameworks this one tailors, nearest first.
    pub extends: Vec<FrameworkRef>,
    /// Their titles, in the same order, for documents to name them by.
    #[serde(skip)]
    pub extends_titles: Vec<LocalizedText>,
    /// Library files included, directly or through what this extends.
    pub includes: Vec<String>,
    /// The default scales for tasks and for competences.
    pub rate_tasks_with: Option<String>,
    /// The id of the default scale for competences, if one is named.
    pub rate_competences_with: Option<String>,
    /// Where the default scales were named.
    #[serde(skip)]
    pub rate_tasks_location: Option<Location>,
    /// Where the default scale for competences was named.
    #[serde(skip)]
    pub rate_competences_location: Option<Location>,
    /// Its scales: its own and those it inherits or includes.
    pub scales: Vec<Scale>,
    /// Its areas with their tasks: its own and those it inherits or includes.
    pub areas: Vec<Area>,
    /// Its general competences: its own and those it inherits or includes.
    pub competences: Vec<Competence>,
    /// Its language tracks: its own and those it inherits or includes.
    pub tracks: Vec<Track>,
    /// What a certificate may say.
    pub certificate: CertificateRules,
    /// What tailorings removed from inherited frameworks.
    pub removed: Vec<Removed>,
    /// Ids this version renamed, with those it inherits or includes; see
    /// [`Framework::follow_renames`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renames: Vec<super::rename::Rename>,
    /// Where the header names its id, for diagnostics about the whole framework.
    #[serde(skip)]
    pub location: Location,
    /// Where each item is, by id, so that looking one up does not mean
    /// reading them all.
    #[serde(skip)]
    pub(crate) index: ItemIndex,
    /// The ids of all tasks, kept up to date while a framework is resolved.
    #[serde(skip)]
    pub(crate) task_ids: rustc_hash::FxHashSet<String>,
}

/// Positions of tasks, competences and milestones by id. Built when a
/// framework is resolved; a lookup checks the position it finds, so a stale
/// entry can only cost time, never give a wrong answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemIndex {
    tasks: rustc_hash::FxHashMap<String, (usize, usize)>,
    competences: rustc_hash::FxHashMap<String, usize>,
    milestones: rustc_hash::FxHashMap<String, (usize, usize)>,
}

impl Framework {
    /// The id and version, as an assessment names them.
    pub fn reference(&self) -> FrameworkRef {
        FrameworkRef { id: self.id.clone(), version: self.version.clone() }
    }

    /// The language every text must be written in; resolution makes sure there is one.
    pub fn default_language(&self) -> Lang {
        self.languages[0]
    }

    /// The scale with this id, if the framework has one.
    pub fn scale(&self, id: &str) -> Option<&Scale> {
        self.scales.iter().find(|scale| scale.id == id)
    }

    /// The scale a task or competence is rated with, if it has one and the
    /// framework defines it.
    pub fn scale_of(&self, rated_with: &Option<String>) -> Option<&Scale> {
        self.scale(rated_with.as_deref()?)
    }

    /// Whether any task or competence is rated with the scale `id`.
    pub fn rates_with(&self, id: &str) -> bool {
        let rated_with = |scale: &Option<String>| scale.as_deref() == Some(id);
        self.tasks().any(|task| rated_with(&task.scale)) || self.competences.iter().any(|c| rated_with(&c.scale))
    }

    /// Every task of every area, in order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.areas.iter().flat_map(|area| &area.tasks)
    }

    /// The task with this id, if the framework has one.
    pub fn task(&self, id: &str) -> Option<&Task> {
        let indexed = self.index.tasks.get(id).and_then(|&(area, task)| self.areas.get(area)?.tasks.get(task));
        match indexed {
            Some(task) if task.id == id => Some(task),
            _ if self.index.tasks.is_empty() => self.tasks().find(|task| task.id == id),
            _ => None,
        }
    }

    /// The competence with this id, if the framework has one.
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

    /// Every milestone of every track, with its track, in order.
    pub fn milestones(&self) -> impl Iterator<Item = (&Track, &Milestone)> {
        self.tracks.iter().flat_map(|track| track.milestones.iter().map(move |milestone| (track, milestone)))
    }

    /// The milestone with this id and its track, if the framework has one.
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
    pub fn texts(&self) -> Vec<(&LocalizedText, TextOf<'_>)> {
        let framework = self;
        let mut texts: Vec<(&LocalizedText, TextOf<'_>)> = vec![(&framework.title, TextOf::own("the title"))];
        for (text, what) in [
            (&framework.occupation, "the occupation"),
            (&framework.organisation, "the organisation"),
            (&framework.description, "the description"),
        ] {
            if let Some(text) = text {
                texts.push((text, TextOf::own(what)));
            }
        }
        for scale in &framework.scales {
            texts.extend(scale.title.iter().map(|t| (t, TextOf::item("the title", "scale", &scale.id))));
            texts.extend(scale.description.iter().map(|t| (t, TextOf::item("the description", "scale", &scale.id))));
            for level in &scale.levels {
                texts.push((&level.label, TextOf::item("the label", "level", &level.id)));
                texts
                    .extend(level.description.iter().map(|t| (t, TextOf::item("the description", "level", &level.id))));
            }
        }
        for area in &framework.areas {
            texts.push((&area.title, TextOf::item("the title", "area", &area.id)));
            texts.extend(area.description.iter().map(|t| (t, TextOf::item("the description", "area", &area.id))));
            for task in &area.tasks {
                texts.push((&task.title, TextOf::item("the title", "task", &task.id)));
                texts.extend(task.description.iter().map(|t| (t, TextOf::item("the description", "task", &task.id))));
                for criterion in &task.criteria {
                    texts.push((criterion, TextOf::item("a criterion", "task", &task.id)));
                }
            }
        }
        for competence in &framework.competences {
            texts.push((&competence.title, TextOf::item("the title", "competence", &competence.id)));
            texts.extend(
                competence
                    .description
                    .iter()
                    .map(|t| (t, TextOf::item("the description", "competence", &competence.id))),
            );
            for descriptor in &competence.descriptors {
                let what = TextOf { level: Some(&descriptor.level), ..TextOf::item("", "competence", &competence.id) };
                texts.push((&descriptor.text, what));
            }
        }
        for track in &framework.tracks {
            texts.push((&track.title, TextOf::item("the title", "track", &track.id)));
            texts.extend(track.description.iter().map(|t| (t, TextOf::item("the description", "track", &track.id))));
            for milestone in &track.milestones {
                texts.push((&milestone.title, TextOf::item("the title", "milestone", &milestone.id)));
                texts.extend(
                    milestone
                        .description
                        .iter()
                        .map(|t| (t, TextOf::item("the description", "milestone", &milestone.id))),
                );
            }
        }
        texts
    }

    /// The removal of the item of this kind and id, if a tailoring removed it.
    pub fn removed(&self, kind: ItemKind, id: &str) -> Option<&Removed> {
        self.removed.iter().find(|removed| removed.kind == kind && removed.id == id)
    }
}

/// An ordered rating scale, lowest level first.
#[derive(Debug, Clone, Serialize)]
pub struct Scale {
    /// The id that `scale` and `rate` lines name it by.
    pub id: String,
    /// The title, if written.
    pub title: Option<LocalizedText>,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// Its levels, lowest first.
    pub levels: Vec<Level>,
    /// Where the scale's id is written in its definition.
    #[serde(skip)]
    pub location: Location,
}

impl Scale {
    /// The position of a level, 0 for the lowest.
    pub fn rank(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == level)
    }

    /// The level with this id, if the scale has one.
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|level| level.id == id)
    }

    /// The ids of its levels, lowest first.
    pub fn level_ids(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|level| level.id.as_str())
    }
}

/// One level of a scale.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    /// The id that ratings name it by.
    pub id: String,
    /// The label documents show; empty when it is missing, which check reports.
    pub label: LocalizedText,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// Where the level's id is written.
    #[serde(skip)]
    pub location: Location,
}

/// A group of tasks.
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    /// The area's id.
    pub id: String,
    /// The title; empty when it is missing, which check reports.
    pub title: LocalizedText,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// Its tasks, in order.
    pub tasks: Vec<Task>,
    /// The framework or library the area was defined in.
    pub defined_in: String,
    /// Where the area's id is written in its definition.
    #[serde(skip)]
    pub location: Location,
}

/// A work task (arbetsuppgift).
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// The id that ratings name it by.
    pub id: String,
    /// The title; empty when it is missing, which check reports.
    pub title: LocalizedText,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// What the assessor looks for, in order.
    pub criteria: Vec<LocalizedText>,
    /// Its SeQF level, if written.
    pub seqf: Option<Seqf>,
    /// Whether it counts towards the certificate's rules for required tasks.
    pub required: bool,
    /// The ESCO skill URI, if written.
    pub esco: Option<String>,
    /// How the task is shown, if written.
    pub evidence: Option<Evidence>,
    /// The id of the scale that rates this task; `None` in a library that
    /// leaves it to the framework including it, or when the scale named
    /// does not exist or none was named (which resolution reports).
    pub scale: Option<String>,
    /// The framework or library the task was defined in.
    pub defined_in: String,
    /// Tailorings that changed this task, nearest last.
    pub overridden_in: Vec<String>,
    /// Where its id is written in its definition; an override does not move it.
    #[serde(skip)]
    pub location: Location,
    /// Where the task's scale was named, if it was named for it.
    #[serde(skip)]
    pub scale_location: Option<Location>,
}

/// A task's level in the Swedish qualifications framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seqf {
    /// The level, 1 to 8.
    pub level: SeqfLevel,
    /// Knowledge, skills or competence; `None` when the level holds for all three.
    pub dimension: Option<SeqfDimension>,
}

/// A general work-life competence (generell arbetslivskompetens).
#[derive(Debug, Clone, Serialize)]
pub struct Competence {
    /// The id that ratings name it by.
    pub id: String,
    /// The title; empty when it is missing, which check reports.
    pub title: LocalizedText,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// The id of the scale that rates it; `None` as for a task's.
    pub scale: Option<String>,
    /// What each level of the scale looks like for this competence, in the
    /// scale's order.
    pub descriptors: Vec<Descriptor>,
    /// The framework or library the competence was defined in.
    pub defined_in: String,
    /// Where its id is written in its definition; an override does not move it.
    #[serde(skip)]
    pub location: Location,
    /// Where its scale was named, if it was named for it.
    #[serde(skip)]
    pub scale_location: Option<Location>,
}

/// What one level of the scale looks like for a competence.
#[derive(Debug, Clone, Serialize)]
pub struct Descriptor {
    /// The level's id.
    pub level: String,
    /// What that level looks like.
    pub text: LocalizedText,
    /// Where the descriptor's level is written.
    #[serde(skip)]
    pub location: Location,
}

/// A language track for one CEFR skill.
#[derive(Debug, Clone, Serialize)]
pub struct Track {
    /// The track's id.
    pub id: String,
    /// The title; empty when it is missing, which check reports.
    pub title: LocalizedText,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// The CEFR skill it follows.
    pub skill: CefrSkill,
    /// Its milestones, in order.
    pub milestones: Vec<Milestone>,
    /// The framework or library the track was defined in.
    pub defined_in: String,
    /// Where the track's id is written in its definition.
    #[serde(skip)]
    pub location: Location,
}

/// A concrete workplace language milestone.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// The id that ratings name it by.
    pub id: String,
    /// The title; empty when it is missing, which check reports.
    pub title: LocalizedText,
    /// Its description, if written.
    pub description: Option<LocalizedText>,
    /// The CEFR level it corresponds to.
    pub cefr: CefrLevel,
    /// The SFI course it corresponds to, if written.
    pub sfi: Option<SfiCourse>,
    /// Where the milestone's id is written in its definition.
    #[serde(skip)]
    pub location: Location,
}

/// What the certificate may say, as the framework writes it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CertificateRules {
    /// Per scale, the lowest level that counts as achieved.
    pub achieved: Vec<AchievedFrom>,
    /// When the certificate states an SeQF level; `None` means it never does.
    pub seqf: Option<SeqfRule>,
    /// Where the `certificate` block is written.
    #[serde(skip)]
    pub location: Option<Location>,
}

impl CertificateRules {
    /// The rule for this scale, if the framework writes one.
    pub fn achieved_from(&self, scale: &str) -> Option<&AchievedFrom> {
        self.achieved.iter().find(|rule| rule.scale == scale)
    }
}

/// `achieved SCALE from LEVEL`: the lowest level of a scale that counts as achieved.
#[derive(Debug, Clone, Serialize)]
pub struct AchievedFrom {
    /// The scale's id.
    pub scale: String,
    /// The level's id.
    pub level: String,
    /// Where the rule's level is written.
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
    Share {
        /// The share, 0 to 100.
        percent: u8,
    },
}

/// An item a tailoring removed.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    /// What kind of item, written as its keyword: `task`, `area`,
    /// `competence`, `track` or `milestone`.
    #[serde(serialize_with = "keyword")]
    pub kind: ItemKind,
    /// The removed item's id.
    pub id: String,
    /// The framework whose tailoring removed it.
    pub by: String,
    /// Where the `remove` line is.
    #[serde(skip)]
    pub location: Location,
}

/// An item kind as the keyword that `remove` writes before it.
fn keyword<S: serde::Serializer>(kind: &ItemKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(kind.word())
}

/// What a text of a framework is the text of, such as ``the title of the
/// task `beskarning` ``. It is worded only when a message needs it: a
/// framework has thousands of texts and almost none of them are wrong.
#[derive(Debug, Clone, Copy)]
pub struct TextOf<'a> {
    /// Which of the item's texts it is: `the title`, `a criterion`.
    part: &'static str,
    /// The level a competence's descriptor describes, which names the text.
    level: Option<&'a str>,
    /// The item's kind and id; none for the framework's own texts.
    item: Option<(&'static str, &'a str)>,
}

impl<'a> TextOf<'a> {
    fn own(part: &'static str) -> Self {
        TextOf { part, level: None, item: None }
    }

    fn item(part: &'static str, kind: &'static str, id: &'a str) -> Self {
        TextOf { part, level: None, item: Some((kind, id)) }
    }
}

impl std::fmt::Display for TextOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.level {
            Some(level) => write!(f, "the level `{level}`")?,
            None => f.write_str(self.part)?,
        }
        match self.item {
            Some((kind, id)) => write!(f, " of the {kind} `{id}`"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TextOf;

    #[test]
    fn a_text_is_named_as_messages_name_it() {
        assert_eq!(TextOf::own("the title").to_string(), "the title");
        assert_eq!(TextOf::item("a criterion", "task", "moppa").to_string(), "a criterion of the task `moppa`");
        assert_eq!(TextOf::item("the label", "level", "ja").to_string(), "the label of the level `ja`");
        let descriptor = TextOf { level: Some("ja"), ..TextOf::item("", "competence", "samarbete") };
        assert_eq!(descriptor.to_string(), "the level `ja` of the competence `samarbete`");
    }
}
