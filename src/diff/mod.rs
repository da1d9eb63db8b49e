//! Diff: what changed between two versions of a framework, and what that
//! does to the participants assessed against it.
//!
//! Both versions are compared *resolved*, so a change that reaches a
//! tailoring through `extends` or an `include`d library shows up like one
//! written in the file itself, marked with where the item is defined.
//! [`compare`] lists the changes in a stable order, grouped in sections
//! (the framework's header, each scale, each area, the competences, each
//! language track); [`impact`] measures assessments against both versions
//! through the report stage; [`human`] words both for people; [`side`]
//! reads a version from a file or from a git revision.

mod compare;
mod groups;
pub mod human;
pub mod impact;
mod order;
pub mod side;

use serde::Serialize;

pub use compare::compare;
pub use impact::{Impact, impact};

/// Everything that differs between two resolved frameworks.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The older version.
    pub old: Version,
    /// The newer version.
    pub new: Version,
    /// The changes in sections, in the order people read them.
    pub sections: Vec<Section>,
}

impl Comparison {
    /// Every change, section after section.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.sections.iter().flat_map(|section| &section.changes)
    }

    /// True when the two versions mean the same.
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|section| section.changes.is_empty())
    }
}

/// Which framework a side of the comparison is, and where it was read.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// The framework's id.
    pub id: String,
    /// Its version, as its `version` line writes it.
    pub version: String,
    /// The file or `REV:path` it was read from.
    pub source: String,
}

/// The changes under one heading: the framework itself, a scale, an area,
/// the competences or a language track.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The heading people read, such as `area skotsel "Skötsel av grönytor"`.
    pub heading: String,
    /// Its changes, in the order of the newer version.
    pub changes: Vec<Change>,
}

/// One difference between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Added, removed, moved, changed or renamed.
    pub kind: ChangeKind,
    /// What kind of item it is about.
    pub item: ItemKind,
    /// The item's id (for a criterion, its task's; for a descriptor, its
    /// competence's; for the framework's header, the framework's).
    pub id: String,
    /// Where the item is: its parents' ids and its own, joined by `/`,
    /// such as `skotsel/grasklippning` or `kub/med-stod`.
    pub path: String,
    /// The item's title in the default language, to name it by.
    pub title: String,
    /// Which property changed; `None` when the whole item was added or removed.
    pub aspect: Option<Aspect>,
    /// The language of the text that changed, for a text in one language.
    pub lang: Option<String>,
    /// The value in the older version, written as in a framework file.
    pub before: Option<String>,
    /// The value in the newer version.
    pub after: Option<String>,
    /// The framework or library the item is defined in, when that is not
    /// the framework compared: the change came through `extends` or `include`.
    pub via: Option<String>,
}

/// How an item differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Only in the newer version.
    Added,
    /// Only in the older version.
    Removed,
    /// In both, under another parent or in another place among its siblings.
    Moved,
    /// In both, with a property changed.
    Changed,
    /// In both under different ids; `before` and `after` are the ids. Kept
    /// for frameworks that declare renames.
    Renamed,
}

/// The kinds of item a change can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// The framework's header.
    Framework,
    /// A rating scale.
    Scale,
    /// A level of a scale.
    Level,
    /// An area of tasks.
    Area,
    /// A work task.
    Task,
    /// An assessment criterion of a task.
    Criterion,
    /// A general competence.
    Competence,
    /// What one level of the scale looks like for a competence.
    Descriptor,
    /// A language track.
    Track,
    /// A workplace language milestone.
    Milestone,
    /// A rule of the certificate block.
    Certificate,
}

impl ItemKind {
    /// The word people read, as in the language: `task`, `milestone`...
    pub fn word(self) -> &'static str {
        match self {
            ItemKind::Framework => "framework",
            ItemKind::Scale => "scale",
            ItemKind::Level => "level",
            ItemKind::Area => "area",
            ItemKind::Task => "task",
            ItemKind::Criterion => "criterion",
            ItemKind::Competence => "competence",
            ItemKind::Descriptor => "descriptor",
            ItemKind::Track => "track",
            ItemKind::Milestone => "milestone",
            ItemKind::Certificate => "certificate",
        }
    }
}

/// The property of an item that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// The framework's id.
    Id,
    /// Framework or library.
    FrameworkKind,
    /// The framework's version.
    Version,
    /// The languages the framework is written in, default first.
    Languages,
    /// The occupation it validates.
    Occupation,
    /// Who publishes it.
    Organisation,
    /// An ESCO URI.
    Esco,
    /// The frameworks it tailors.
    Extends,
    /// The libraries it includes.
    Includes,
    /// The default scale for tasks.
    RateTasksWith,
    /// The default scale for competences.
    RateCompetencesWith,
    /// A title.
    Title,
    /// A description.
    Description,
    /// A level's label.
    Label,
    /// The order of a scale's levels or a task's criteria.
    Order,
    /// The parent an item is in: a task's area, a milestone's track.
    Parent,
    /// The place among its siblings.
    Position,
    /// A task's SeQF level.
    Seqf,
    /// Required or optional.
    Required,
    /// How a task is shown.
    Evidence,
    /// The scale that rates a task or competence.
    Scale,
    /// A criterion's text.
    Text,
    /// The CEFR skill a track follows.
    Skill,
    /// A milestone's CEFR level.
    Cefr,
    /// A milestone's SFI course.
    Sfi,
    /// The lowest level of a scale that counts as achieved.
    AchievedFrom,
    /// The rule for the SeQF level a certificate may state.
    SeqfRule,
}
