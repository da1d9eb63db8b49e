//! Merging definitions: a file's own scales, areas, competences and tracks,
//! and those of the libraries it includes. An id used twice is found only
//! while the definitions are joined, so duplicates are reported here.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::framework::*;
use crate::model::lower::{Lowerer, duplicate_id};
use crate::source::Location;
use crate::syntax::ast::{self, FrameworkDoc, FrameworkItem};

/// Adds an item unless one with the same id exists; the same definition
/// reached twice (a library included along two paths) is not a duplicate.
fn add_unique<T>(
    items: &mut Vec<T>,
    item: T,
    kind: &str,
    id: impl Fn(&T) -> &str,
    location: impl Fn(&T) -> Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(existing) = items.iter().find(|existing| id(existing) == id(&item)) {
        if location(existing) != location(&item) {
            diagnostics.push(duplicate_id(kind, id(&item), location(&item), location(existing)));
        }
        return false;
    }
    items.push(item);
    true
}

fn task_exists(framework: &Framework, task: &Task, diagnostics: &mut Vec<Diagnostic>) -> bool {
    if !framework.task_ids.contains(&task.id) {
        return false;
    }
    match framework.task(&task.id) {
        Some(existing) if existing.location != task.location => {
            let mut diagnostic = duplicate_id("task", &task.id, task.location, existing.location);
            if existing.location.file != task.location.file && existing.defined_in != framework.id {
                diagnostic.hints = vec![
                    format!(
                        "`{}` comes from `{}`; to change it here, write `override task {} {{ ... }}`",
                        task.id, existing.defined_in, task.id
                    ),
                    "to add a different task, give it an id of its own".to_string(),
                ];
            }
            diagnostics.push(diagnostic);
            true
        }
        Some(_) => true,
        None => false,
    }
}

pub(super) fn merge_definitions(framework: &mut Framework, library: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for scale in &library.scales {
        add_unique(&mut framework.scales, scale.clone(), "scale", |s| &s.id, |s| s.location, diagnostics);
    }
    for area in &library.areas {
        let mut area = area.clone();
        area.tasks.retain(|task| !task_exists(framework, task, diagnostics));
        let ids: Vec<String> = area.tasks.iter().map(|task| task.id.clone()).collect();
        if add_unique(&mut framework.areas, area, "area", |a| &a.id, |a| a.location, diagnostics) {
            framework.task_ids.extend(ids);
        }
    }
    for competence in &library.competences {
        add_unique(
            &mut framework.competences,
            competence.clone(),
            "competence",
            |c| &c.id,
            |c| c.location,
            diagnostics,
        );
    }
    for track in &library.tracks {
        add_track(framework, track.clone(), diagnostics);
    }
    // A library reached along two paths brings its renames twice.
    for rename in &library.renames {
        if !framework.renames.iter().any(|known| known.location == rename.location) {
            framework.renames.push(rename.clone());
        }
    }
    if framework.rate_tasks_with.is_none() {
        framework.rate_tasks_with = library.rate_tasks_with.clone();
    }
    if framework.rate_competences_with.is_none() {
        framework.rate_competences_with = library.rate_competences_with.clone();
    }
}

fn add_track(framework: &mut Framework, mut track: Track, diagnostics: &mut Vec<Diagnostic>) {
    track.milestones.retain(|milestone| match framework.milestone(&milestone.id) {
        Some((_, existing)) if existing.location != milestone.location => {
            diagnostics.push(duplicate_id("milestone", &milestone.id, milestone.location, existing.location));
            false
        }
        Some(_) => false,
        None => true,
    });
    add_unique(&mut framework.tracks, track, "track", |t| &t.id, |t| t.location, diagnostics);
}

/// The file's own scales, areas, competences and tracks.
pub(super) fn definitions(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer) {
    for item in &doc.items {
        match item {
            FrameworkItem::Scale(def) => {
                let scale = lower.scale(def);
                add_unique(&mut framework.scales, scale, "scale", |s| &s.id, |s| s.location, lower.diagnostics);
            }
            FrameworkItem::Area(def) => {
                let (title, description, area_scale) = lower.area_header(def);
                let title = title.unwrap_or_else(|| {
                    lower.diagnostics.push(
                        Diagnostic::new(Code::MissingTitle, format!("the area `{}` has no title", def.id.text))
                            .at(lower.at(def.id.span))
                            .hint(format!("write the title in quotes after the id: `area {} \"...\"`", def.id.text)),
                    );
                    Default::default()
                });
                let mut area = Area {
                    id: def.id.text.clone(),
                    title,
                    description,
                    tasks: Vec::new(),
                    defined_in: lower.owner.clone(),
                    location: lower.at(def.id.span),
                };
                add_tasks(&mut area, &def.tasks, area_scale.as_ref(), framework, lower);
                add_unique(&mut framework.areas, area, "area", |a| &a.id, |a| a.location, lower.diagnostics);
            }
            FrameworkItem::Competence(def) => {
                let (mut competence, scale) = lower.competence(def);
                if let Some((scale, location)) = scale {
                    competence.scale = Some(scale);
                    competence.scale_location = Some(location);
                }
                add_unique(
                    &mut framework.competences,
                    competence,
                    "competence",
                    |c| &c.id,
                    |c| c.location,
                    lower.diagnostics,
                );
            }
            FrameworkItem::Track(def) => {
                if let Some(track) = lower.track(def) {
                    add_track(framework, track, lower.diagnostics);
                }
            }
            _ => {}
        }
    }
}

/// Adds new tasks to an area, refusing ids used anywhere in the framework.
pub(super) fn add_tasks(
    area: &mut Area,
    defs: &[ast::TaskDef],
    area_scale: Option<&(String, Location)>,
    framework: &mut Framework,
    lower: &mut Lowerer,
) {
    for def in defs {
        let (mut task, scale) = lower.task(def, area_scale);
        if let Some((scale, location)) = scale {
            task.scale = Some(scale);
            task.scale_location = Some(location);
        }
        if task_exists(framework, &task, lower.diagnostics) {
            continue;
        }
        let id = task.id.clone();
        if add_unique(&mut area.tasks, task, "task", |t| &t.id, |t| t.location, lower.diagnostics) {
            framework.task_ids.insert(id);
        }
    }
}
