//! What a new version of a framework does to the people assessed against
//! the old one: which assessment files name items the new version no longer
//! has, and whose certificate would say something else.
//!
//! The certificate's facts are computed by the report stage, exactly as a
//! build would, once against each version; an assessment's `follows` line
//! does not have to name the new version for this what-if.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ItemKind;
use crate::diagnostic::Diagnostic;
use crate::model::{Assessment, Framework, ItemKind as FrameworkItemKind, RatedKind, Workspace, lower_assessment};
use crate::report::{Progression, progression};
use crate::source::{FileId, Location};
use crate::syntax::ast::Document;

/// The impact of a new version on a set of assessments.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Impact {
    /// Assessments that name removed items or whose certificate changes, in file order.
    pub assessments: Vec<AssessmentImpact>,
    /// How many assessments of the framework are not affected at all.
    pub unchanged: usize,
    /// Assessments that could not be read, with why; `kub check` tells more.
    pub skipped: Vec<Skipped>,
}

/// One assessment that the new version affects.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentImpact {
    /// The assessment's file.
    pub file: String,
    /// The participant's name.
    pub participant: String,
    /// Places where it names an item the old version has and the new one does not.
    pub removed_references: Vec<Reference>,
    /// How the certificate changes; `None` when it says the same.
    pub certificate: Option<CertificateChange>,
}

/// A place in an assessment naming a removed item.
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
    /// Task, competence or milestone.
    pub item: ItemKind,
    /// The removed item's id.
    pub id: String,
}

/// What a participant's certificate would say differently.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CertificateChange {
    /// Tasks achieved under the new version that were not under the old.
    pub tasks_gained: Vec<Named>,
    /// Tasks achieved under the old version and not under the new.
    pub tasks_lost: Vec<Named>,
    /// Competences achieved only under the new version.
    pub competences_gained: Vec<Named>,
    /// Competences achieved only under the old version.
    pub competences_lost: Vec<Named>,
    /// Milestones reached only under the new version.
    pub milestones_gained: Vec<Named>,
    /// Milestones reached only under the old version.
    pub milestones_lost: Vec<Named>,
    /// The SeQF level the certificate states under the old version.
    pub seqf_before: Option<u8>,
    /// And under the new one.
    pub seqf_after: Option<u8>,
}

/// An item named by id and title.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Named {
    /// Its id.
    pub id: String,
    /// Its title in the framework's default language.
    pub title: String,
}

/// An assessment left out because it could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Its file.
    pub file: String,
    /// Why, in plain words.
    pub reason: String,
}

/// Measures every assessment in `workspace` that follows `old`'s framework
/// (any version of it) against `old` and against `new`.
pub fn impact(old: &Framework, new: &Framework, workspace: &Workspace) -> Impact {
    let mut result = Impact::default();
    for file in workspace.file_ids() {
        let path = workspace.path(file).display().to_string();
        let doc = match workspace.parsed(file).and_then(|parsed| parsed.document.as_ref()) {
            Some(Document::Assessment(doc)) => doc,
            Some(Document::Framework(_)) => continue,
            // What a file that cannot be parsed follows cannot be told.
            None => {
                result.skipped.push(Skipped { file: path, reason: "it cannot be read".to_string() });
                continue;
            }
        };
        if doc.framework.text != old.id {
            continue;
        }
        let mut problems = Vec::new();
        let syntax_errors = workspace.parsed(file).is_some_and(|p| p.diagnostics.iter().any(Diagnostic::is_error));
        let assessment = lower_assessment(file, doc, &mut problems);
        let assessment = match assessment {
            Some(assessment) if !syntax_errors && !problems.iter().any(Diagnostic::is_error) => assessment,
            _ => {
                result.skipped.push(Skipped { file: path, reason: "it has errors".to_string() });
                continue;
            }
        };
        let removed_references = removed_references(&assessment, old, new, workspace, file);
        let certificate = certificate_change(&assessment, old, new);
        if removed_references.is_empty() && certificate.is_none() {
            result.unchanged += 1;
        } else {
            let participant = assessment.participant.name.clone();
            result.assessments.push(AssessmentImpact { file: path, participant, removed_references, certificate });
        }
    }
    result
}

/// Ratings and goals naming items that `old` has and `new` does not.
fn removed_references(
    assessment: &Assessment,
    old: &Framework,
    new: &Framework,
    workspace: &Workspace,
    file: FileId,
) -> Vec<Reference> {
    // An item the new version renamed is not removed: check and the
    // documents count its ratings for the new id.
    let removed = |kind: RatedKind, id: &str| {
        let kind = FrameworkItemKind::from(kind);
        old.has_item(kind, id) && !new.has_item(kind, id) && new.follow_renames(kind, id).is_none()
    };
    let ratings = assessment.occasions.iter().flat_map(|o| &o.ratings).map(|r| (r.kind, &r.item, r.item_location));
    let goals = assessment
        .goals
        .iter()
        .filter_map(|goal| goal.task.as_ref())
        .map(|task| (RatedKind::Task, &task.value, task.location));
    let source = workspace.sources.get(file);
    let mut references: Vec<Reference> = ratings
        .chain(goals)
        .filter(|(kind, id, _)| removed(*kind, id))
        .map(|(kind, id, location): (RatedKind, &String, Location)| {
            let (line, column) = source.line_column(location.span.start);
            let item = match kind {
                RatedKind::Task => ItemKind::Task,
                RatedKind::Competence => ItemKind::Competence,
                RatedKind::Milestone => ItemKind::Milestone,
            };
            Reference { line, column, item, id: id.clone() }
        })
        .collect();
    references.sort_by_key(|reference| (reference.line, reference.column));
    references
}

/// How the certificate's facts differ between the two versions, if they do.
fn certificate_change(assessment: &Assessment, old: &Framework, new: &Framework) -> Option<CertificateChange> {
    // Each version reads old ids through its own renames, as check does.
    let under = |framework: &Framework| {
        let mut assessment = assessment.clone();
        assessment.follow_renames(framework);
        progression(&assessment, framework, framework.default_language())
    };
    let (before, after) = (under(old), under(new));
    let tasks = |p: &Progression| -> BTreeSet<Named> {
        p.areas.iter().flat_map(|a| &a.tasks).filter(|t| t.achieved).map(|t| named(&t.id, &t.title)).collect()
    };
    let competences = |p: &Progression| -> BTreeSet<Named> {
        p.competences.iter().filter(|c| c.achieved).map(|c| named(&c.id, &c.title)).collect()
    };
    let milestones = |p: &Progression| -> BTreeSet<Named> {
        p.language_tracks
            .iter()
            .flat_map(|t| &t.milestones)
            .filter(|m| m.reached_on.is_some())
            .map(|m| named(&m.id, &m.title))
            .collect()
    };
    // An item the new version renamed is the same item under its new id.
    let in_new = |kind: FrameworkItemKind, set: BTreeSet<Named>| -> BTreeSet<Named> {
        set.into_iter()
            .map(|named| match new.follow_renames(kind, &named.id) {
                Some(followed) => Named { id: followed.id, ..named },
                None => named,
            })
            .collect()
    };
    let (tasks_gained, tasks_lost) = gained_and_lost(in_new(FrameworkItemKind::Task, tasks(&before)), tasks(&after));
    let (competences_gained, competences_lost) =
        gained_and_lost(in_new(FrameworkItemKind::Competence, competences(&before)), competences(&after));
    let (milestones_gained, milestones_lost) =
        gained_and_lost(in_new(FrameworkItemKind::Milestone, milestones(&before)), milestones(&after));
    let change = CertificateChange {
        tasks_gained,
        tasks_lost,
        competences_gained,
        competences_lost,
        milestones_gained,
        milestones_lost,
        seqf_before: before.seqf.level,
        seqf_after: after.seqf.level,
    };
    let same =
        CertificateChange { seqf_before: change.seqf_before, seqf_after: change.seqf_before, ..Default::default() };
    (change != same).then_some(change)
}

fn named(id: &str, title: &str) -> Named {
    Named { id: id.to_string(), title: title.to_string() }
}

/// What only `after` has, and what only `before` has, each by id. An item
/// achieved under both keeps its place even if its title changed.
fn gained_and_lost(before: BTreeSet<Named>, after: BTreeSet<Named>) -> (Vec<Named>, Vec<Named>) {
    let ids = |set: &BTreeSet<Named>| set.iter().map(|n| n.id.clone()).collect::<BTreeSet<String>>();
    let (before_ids, after_ids) = (ids(&before), ids(&after));
    let gained = after.iter().filter(|n| !before_ids.contains(&n.id)).cloned().collect();
    let lost = before.iter().filter(|n| !after_ids.contains(&n.id)).cloned().collect();
    (gained, lost)
}
