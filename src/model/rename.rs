//! Renamed ids: a framework version that gives an item a new id still
//! understands the old one, so that assessments written earlier keep
//! counting. This is the one place where an old id becomes the new one:
//! check, the documents and `kub migrate` all ask here.

use serde::Serialize;

use super::assessment::{Assessment, RatedKind};
use super::framework::Framework;
use crate::source::Location;
pub use crate::syntax::ast::ItemKind;

/// `renamed task beskarnig to beskarning`: an id that a framework version
/// changed.
#[derive(Debug, Clone, Serialize)]
pub struct Rename {
    /// What kind of item was renamed.
    pub kind: ItemKind,
    /// The id as earlier versions wrote it.
    pub from: String,
    /// The id it has now.
    pub to: String,
    /// The framework or library whose file says so.
    pub declared_in: String,
    /// Where the `renamed` line is.
    #[serde(skip)]
    pub location: Location,
    /// Where the old id is written on it.
    #[serde(skip)]
    pub from_location: Location,
    /// Where the new id is written on it.
    #[serde(skip)]
    pub to_location: Location,
}

/// Where an old id leads: the id the framework knows the item by now, and
/// the renames that lead there, first first.
#[derive(Debug, Clone)]
pub struct Followed<'f> {
    /// The item's id in this framework.
    pub id: String,
    /// The renames followed; more than one when an id was renamed in
    /// several versions (`a` to `b`, then `b` to `c`).
    pub steps: Vec<&'f Rename>,
}

impl From<RatedKind> for ItemKind {
    fn from(kind: RatedKind) -> Self {
        match kind {
            RatedKind::Task => ItemKind::Task,
            RatedKind::Competence => ItemKind::Competence,
            RatedKind::Milestone => ItemKind::Milestone,
        }
    }
}

impl Framework {
    /// Whether the framework has an item of this kind with this id.
    pub fn has_item(&self, kind: ItemKind, id: &str) -> bool {
        self.item_location(kind, id).is_some()
    }

    /// Where the item of this kind and id is defined, if the framework has it.
    pub fn item_location(&self, kind: ItemKind, id: &str) -> Option<Location> {
        match kind {
            ItemKind::Task => self.task(id).map(|task| task.location),
            ItemKind::Area => self.areas.iter().find(|area| area.id == id).map(|area| area.location),
            ItemKind::Competence => self.competence(id).map(|competence| competence.location),
            ItemKind::Track => self.tracks.iter().find(|track| track.id == id).map(|track| track.location),
            ItemKind::Milestone => self.milestone(id).map(|(_, milestone)| milestone.location),
        }
    }

    /// The ids of every item of this kind, in order, for suggestions.
    pub fn item_ids(&self, kind: ItemKind) -> Vec<&str> {
        match kind {
            ItemKind::Task => self.tasks().map(|task| task.id.as_str()).collect(),
            ItemKind::Area => self.areas.iter().map(|area| area.id.as_str()).collect(),
            ItemKind::Competence => self.competences.iter().map(|c| c.id.as_str()).collect(),
            ItemKind::Track => self.tracks.iter().map(|track| track.id.as_str()).collect(),
            ItemKind::Milestone => self.milestones().map(|(_, milestone)| milestone.id.as_str()).collect(),
        }
    }

    /// Where `id` leads when it names no item of this kind but was renamed:
    /// renames are followed until they reach an item the framework has, or
    /// one its tailoring removed (which check then reports as removed).
    /// `None` when the framework has the item itself, or when no rename
    /// leads anywhere: from nothing, to nothing, or round in a circle.
    pub fn follow_renames(&self, kind: ItemKind, id: &str) -> Option<Followed<'_>> {
        // Asked for every rating of every assessment: most frameworks rename nothing.
        if self.renames.is_empty() || self.has_item(kind, id) {
            return None;
        }
        let mut steps: Vec<&Rename> = Vec::new();
        let mut current = id;
        while let Some(rename) = self.renames.iter().find(|rename| rename.kind == kind && rename.from == current) {
            if steps.iter().any(|step| std::ptr::eq(*step, rename)) {
                return None;
            }
            steps.push(rename);
            current = &rename.to;
            if self.has_item(kind, current) || self.removed(kind, current).is_some() {
                return Some(Followed { id: current.to_string(), steps });
            }
        }
        None
    }
}

impl Assessment {
    /// Gives every rating and goal that names an item by an old id the id
    /// the framework knows it by now, and remembers the old one, so that
    /// every later stage sees one id an item. Called once, when the
    /// framework the assessment follows is known.
    pub fn follow_renames(&mut self, framework: &Framework) {
        for rating in self.occasions.iter_mut().flat_map(|occasion| occasion.ratings.iter_mut()) {
            if let Some(followed) = framework.follow_renames(rating.kind.into(), &rating.item) {
                rating.renamed_from = Some(std::mem::replace(&mut rating.item, followed.id));
            }
        }
        for goal in &mut self.goals {
            let Some(task) = &mut goal.task else { continue };
            if let Some(followed) = framework.follow_renames(ItemKind::Task, &task.value) {
                goal.renamed_from = Some(std::mem::replace(&mut task.value, followed.id));
            }
        }
    }
}
