//! The names a file writes (ids of frameworks, tasks, scales, levels and
//! the rest) and what each stands for, so that hover, go to definition,
//! find references and rename agree on what a word means.
//!
//! Two words mean the same thing when they lead to the same definition: a
//! task rated in an assessment and the task's block in a library that the
//! framework includes are one task because the resolved framework says so.

use crate::model::{Framework, Level, Lookup, Scale};
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::*;

/// What a word names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// A framework or library, with the version named if one is.
    Framework {
        /// Its id.
        id: String,
        /// The version named, as in `follows` and `extends`.
        version: Option<String>,
    },
    /// A task, area, competence, track or milestone.
    Item(ItemKind, String),
    /// A scale.
    Scale(String),
    /// A level of a scale.
    Level {
        /// Which scale: named, or the one a task or competence is rated on.
        of: ScaleOf,
        /// The level's id.
        id: String,
    },
    /// The file an `include` line names, as written.
    Include(String),
}

/// The scale a level belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaleOf {
    /// The scale with this id.
    Scale(String),
    /// The scale this task or competence is rated on.
    Rated(ItemKind, String),
}

/// One word of a file that names something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The word.
    pub span: Span,
    /// What it names.
    pub name: Name,
    /// Whether the word is where the thing is defined.
    pub defines: bool,
}

/// Every naming word of a document, in the order written.
pub fn occurrences(document: &Document) -> Vec<Occurrence> {
    let mut found = Found(Vec::new());
    match document {
        Document::Framework(doc) => found.framework(doc),
        Document::Assessment(doc) => found.assessment(doc),
    }
    found.0
}

/// The naming word at a byte offset; a cursor just after a word still counts.
pub fn at(document: &Document, offset: usize) -> Option<Occurrence> {
    occurrences(document)
        .into_iter()
        .find(|occurrence| occurrence.span.start <= offset && offset <= occurrence.span.end)
}

struct Found(Vec<Occurrence>);

impl Found {
    fn push(&mut self, token: &Token, name: Name, defines: bool) {
        self.0.push(Occurrence { span: token.span, name, defines });
    }

    fn item(&mut self, kind: ItemKind, token: &Token, defines: bool) {
        self.push(token, Name::Item(kind, token.text.clone()), defines);
    }

    fn scale(&mut self, token: &Token) {
        self.push(token, Name::Scale(token.text.clone()), false);
    }

    fn level(&mut self, of: ScaleOf, token: &Token, defines: bool) {
        self.push(token, Name::Level { of, id: token.text.clone() }, defines);
    }

    fn framework(&mut self, doc: &FrameworkDoc) {
        let version = doc.items.iter().find_map(|item| match item {
            FrameworkItem::Version { version, .. } => Some(version.text.clone()),
            _ => None,
        });
        self.push(&doc.id, Name::Framework { id: doc.id.text.clone(), version }, true);
        for item in &doc.items {
            self.framework_item(item);
        }
    }

    fn framework_item(&mut self, item: &FrameworkItem) {
        match item {
            FrameworkItem::Include { path, .. } => {
                self.0.push(Occurrence { span: path.span, name: Name::Include(path.value.clone()), defines: false })
            }
            FrameworkItem::Extends { id, version, .. } => {
                let name = Name::Framework { id: id.text.clone(), version: Some(version.text.clone()) };
                self.push(id, name, false);
            }
            FrameworkItem::Rate { scale, .. } => self.scale(scale),
            FrameworkItem::Scale(def) => {
                self.push(&def.id, Name::Scale(def.id.text.clone()), true);
                for level in &def.levels {
                    self.level(ScaleOf::Scale(def.id.text.clone()), &level.id, true);
                }
            }
            FrameworkItem::Area(def) => self.area(def, true),
            FrameworkItem::OverrideArea(def) => self.area(def, false),
            FrameworkItem::Competence(def) => self.competence(def, true),
            FrameworkItem::OverrideCompetence(def) => self.competence(def, false),
            FrameworkItem::OverrideTask(def) => self.task(def, false),
            FrameworkItem::Track(def) => {
                self.item(ItemKind::Track, &def.id, true);
                for milestone in &def.milestones {
                    self.item(ItemKind::Milestone, &milestone.id, true);
                }
            }
            FrameworkItem::Certificate(def) => {
                for rule in &def.achieved {
                    self.scale(&rule.scale);
                    self.level(ScaleOf::Scale(rule.scale.text.clone()), &rule.level, false);
                }
            }
            FrameworkItem::Renamed { kind, to, .. } => self.item(*kind, to, false),
            _ => {}
        }
    }

    fn area(&mut self, def: &AreaDef, defines: bool) {
        self.item(ItemKind::Area, &def.id, defines);
        for scale in &def.scales {
            self.scale(&scale.scale);
        }
        for task in &def.tasks {
            self.task(task, defines);
        }
    }

    fn task(&mut self, def: &TaskDef, defines: bool) {
        self.item(ItemKind::Task, &def.id, defines);
        for item in &def.items {
            if let TaskItem::Scale(scale) = item {
                self.scale(&scale.scale);
            }
        }
    }

    fn competence(&mut self, def: &CompetenceDef, defines: bool) {
        self.item(ItemKind::Competence, &def.id, defines);
        for scale in &def.scales {
            self.scale(&scale.scale);
        }
        for descriptor in &def.descriptors {
            self.level(ScaleOf::Rated(ItemKind::Competence, def.id.text.clone()), &descriptor.level, false);
        }
    }

    fn assessment(&mut self, doc: &AssessmentDoc) {
        let name = Name::Framework { id: doc.framework.text.clone(), version: Some(doc.version.text.clone()) };
        self.push(&doc.framework, name, false);
        for item in &doc.items {
            match item {
                AssessmentItem::Occasion(occasion) => {
                    for rating in &occasion.ratings {
                        let kind = item_kind(rating.kind);
                        self.item(kind, &rating.item, false);
                        if kind != ItemKind::Milestone && rating.value.text != "?" {
                            self.level(ScaleOf::Rated(kind, rating.item.text.clone()), &rating.value, false);
                        }
                    }
                }
                AssessmentItem::Goal { task: Some(task), .. } => self.item(ItemKind::Task, task, false),
                _ => {}
            }
        }
    }
}

/// The kind of item a rating rates.
pub fn item_kind(kind: RatedKind) -> ItemKind {
    match kind {
        RatedKind::Task => ItemKind::Task,
        RatedKind::Competence => ItemKind::Competence,
        RatedKind::Milestone => ItemKind::Milestone,
    }
}

/// Where a name is defined, as the framework it is read against says.
pub fn definition(framework: &Framework, name: &Name) -> Option<Location> {
    match name {
        Name::Item(kind, id) => item_location(framework, *kind, id),
        Name::Scale(id) => framework.scale(id).map(|scale| scale.location),
        Name::Level { of, id } => level(framework, of, id).map(|(_, level)| level.location),
        Name::Framework { .. } | Name::Include(_) => None,
    }
}

/// Where an item of a framework is defined.
pub fn item_location(framework: &Framework, kind: ItemKind, id: &str) -> Option<Location> {
    match kind {
        ItemKind::Task => framework.task(id).map(|task| task.location),
        ItemKind::Competence => framework.competence(id).map(|competence| competence.location),
        ItemKind::Milestone => framework.milestone(id).map(|(_, milestone)| milestone.location),
        ItemKind::Area => framework.areas.iter().find(|area| area.id == id).map(|area| area.location),
        ItemKind::Track => framework.tracks.iter().find(|track| track.id == id).map(|track| track.location),
    }
}

/// The scale a level belongs to.
pub fn scale<'f>(framework: &'f Framework, of: &ScaleOf) -> Option<&'f Scale> {
    match of {
        ScaleOf::Scale(id) => framework.scale(id),
        ScaleOf::Rated(ItemKind::Task, id) => framework.scale_of(&framework.task(id)?.scale),
        ScaleOf::Rated(ItemKind::Competence, id) => framework.scale_of(&framework.competence(id)?.scale),
        ScaleOf::Rated(..) => None,
    }
}

/// A level with its scale.
pub fn level<'f>(framework: &'f Framework, of: &ScaleOf, id: &str) -> Option<(&'f Scale, &'f Level)> {
    let scale = scale(framework, of)?;
    Some((scale, scale.level(id)?))
}

/// Where the framework a `follows` or `extends` names is defined: its id
/// on its first line.
pub fn framework_definition(resolution: &crate::model::Resolution, id: &str, version: &str) -> Option<Location> {
    match resolution.lookup(id, version) {
        Lookup::Found(framework) => Some(resolution.id_location(resolution.file_of(framework))),
        Lookup::Broken(file) => Some(resolution.id_location(file)),
        _ => resolution.find_by_id(id).map(|framework| resolution.id_location(resolution.file_of(framework))),
    }
}

/// Where the thing an occurrence in `file` names is defined.
pub fn resolve(view: &super::analysis::View, file: FileId, occurrence: &Occurrence) -> Option<Location> {
    if occurrence.defines {
        return Some(Location::new(file, occurrence.span));
    }
    match &occurrence.name {
        Name::Framework { id, version } => {
            framework_definition(&view.checked.resolution, id, version.as_deref().unwrap_or_default())
        }
        Name::Include(written) => {
            let workspace = view.workspace();
            let target = workspace.boundary.include_target(workspace.path(file), written).ok()?;
            workspace.file_id(&target).map(|id| Location::new(id, Span::default()))
        }
        name => definition(view.framework_of(file)?, name),
    }
}
