//! Tailoring: `remove` and `override` of inherited or included items. An
//! item that is not there to remove or override is known only while the
//! parent's items are at hand, so that error is raised here.

use super::merge::add_tasks;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::framework::*;
use crate::model::lower::{Lowerer, TaskFields};
use crate::source::Location;
use crate::syntax::ast::{self, FrameworkDoc, FrameworkItem, ItemKind};

/// Removals and overrides of inherited or included items.
pub(super) fn tailoring(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer) {
    for item in &doc.items {
        match item {
            FrameworkItem::Remove { kind, id, span } => remove(framework, *kind, id, lower.at(*span), lower),
            FrameworkItem::OverrideTask(def) => override_task(framework, def, lower),
            FrameworkItem::OverrideArea(def) => override_area(framework, def, lower),
            FrameworkItem::OverrideCompetence(def) => override_competence(framework, def, lower),
            _ => {}
        }
    }
}

/// Reports a `remove` or `override` of an item the framework does not
/// have, suggesting the nearest id of that kind.
fn report_unknown(kind: ItemKind, id: &ast::Token, framework: &Framework, lower: &mut Lowerer) {
    let candidates = framework.item_ids(kind);
    let kind = kind.word();
    let from = match framework.extends.first() {
        Some(parent) => format!("`{parent}`"),
        None => "this framework".to_string(),
    };
    let diagnostic = Diagnostic::new(Code::UnknownItem, format!("there is no {kind} `{}` in {from}", id.text))
        .at(lower.at(id.span))
        .label(format!("unknown {kind}"))
        .hint_if(did_you_mean(&id.text, candidates))
        .hint(match framework.extends.first() {
            Some(parent) => format!("`kub show {}` lists what the framework contains", parent.id),
            None => "`kub show` lists what a framework contains".to_string(),
        });
    lower.diagnostics.push(diagnostic);
}

fn remove(framework: &mut Framework, kind: ItemKind, id: &ast::Token, location: Location, lower: &mut Lowerer) {
    let found = match kind {
        ItemKind::Task => {
            framework.task_ids.remove(&id.text);
            framework.areas.iter_mut().any(|area| {
                let before = area.tasks.len();
                area.tasks.retain(|task| task.id != id.text);
                area.tasks.len() != before
            })
        }
        ItemKind::Area => {
            for area in framework.areas.iter().filter(|area| area.id == id.text) {
                for task in &area.tasks {
                    framework.task_ids.remove(&task.id);
                }
            }
            remove_where(&mut framework.areas, |area| area.id == id.text)
        }
        ItemKind::Competence => remove_where(&mut framework.competences, |c| c.id == id.text),
        ItemKind::Track => remove_where(&mut framework.tracks, |t| t.id == id.text),
        ItemKind::Milestone => framework.tracks.iter_mut().any(|track| {
            let before = track.milestones.len();
            track.milestones.retain(|m| m.id != id.text);
            track.milestones.len() != before
        }),
    };
    if found {
        framework.removed.push(Removed { kind, id: id.text.clone(), by: framework.id.clone(), location });
        return;
    }
    report_unknown(kind, id, framework, lower);
}

fn remove_where<T>(items: &mut Vec<T>, matches: impl Fn(&T) -> bool) -> bool {
    let before = items.len();
    items.retain(|item| !matches(item));
    items.len() != before
}

fn override_task(framework: &mut Framework, def: &ast::TaskDef, lower: &mut Lowerer) {
    let fields: TaskFields = lower.task_fields(def);
    let owner = framework.id.clone();
    let Some(task) =
        framework.areas.iter_mut().flat_map(|area| area.tasks.iter_mut()).find(|task| task.id == def.id.text)
    else {
        report_unknown(ItemKind::Task, &def.id, framework, lower);
        return;
    };
    if let Some(title) = fields.title {
        task.title = title;
    }
    if let Some(description) = fields.description {
        task.description = Some(description);
    }
    if let Some(criteria) = fields.criteria {
        task.criteria = criteria;
    }
    if let Some(seqf) = fields.seqf {
        task.seqf = Some(seqf);
    }
    if let Some(required) = fields.required {
        task.required = required;
    }
    if let Some(esco) = fields.esco {
        task.esco = Some(esco);
    }
    if let Some(evidence) = fields.evidence {
        task.evidence = Some(evidence);
    }
    if let Some((scale, location)) = fields.scale {
        task.scale = Some(scale);
        task.scale_location = Some(location);
    }
    if !task.overridden_in.contains(&owner) {
        task.overridden_in.push(owner);
    }
}

fn override_area(framework: &mut Framework, def: &ast::AreaDef, lower: &mut Lowerer) {
    let (title, description, area_scale) = lower.area_header(def);
    let Some(index) = framework.areas.iter().position(|area| area.id == def.id.text) else {
        report_unknown(ItemKind::Area, &def.id, framework, lower);
        return;
    };
    let mut area = framework.areas[index].clone();
    if let Some(title) = title {
        area.title = title;
    }
    if let Some(description) = description {
        area.description = Some(description);
    }
    add_tasks(&mut area, &def.tasks, area_scale.as_ref(), framework, lower);
    framework.areas[index] = area;
}

fn override_competence(framework: &mut Framework, def: &ast::CompetenceDef, lower: &mut Lowerer) {
    let title = def.title.as_ref().map(|title| lower.text(title));
    let (description, scale, descriptors) = lower.competence_parts(def);
    let Some(competence) = framework.competences.iter_mut().find(|c| c.id == def.id.text) else {
        report_unknown(ItemKind::Competence, &def.id, framework, lower);
        return;
    };
    if let Some(title) = title {
        competence.title = title;
    }
    if let Some(description) = description {
        competence.description = Some(description);
    }
    if let Some((scale, location)) = scale {
        competence.scale = Some(scale);
        competence.scale_location = Some(location);
    }
    for descriptor in descriptors {
        match competence.descriptors.iter_mut().find(|d| d.level == descriptor.level) {
            Some(existing) => *existing = descriptor,
            None => competence.descriptors.push(descriptor),
        }
    }
}
