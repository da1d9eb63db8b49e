//! Scales: giving every task and competence the scale it is rated with,
//! from what it names or the framework's defaults. A scale that does not
//! exist leaves the item without one, so it is reported while settling.

use crate::diagnostic::{Code, Diagnostic, did_you_mean, list_words};
use crate::model::framework::*;
use crate::source::Location;

pub(super) fn unknown_scale(id: &str, location: Location, ids: Vec<&str>) -> Diagnostic {
    let listed: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    let hint = if listed.is_empty() {
        "no scale is defined yet: add `scale ID { level ... }`, or include a library that has one".to_string()
    } else {
        format!("the scales here are {}", list_words(&listed, "and"))
    };
    Diagnostic::new(Code::UnknownScale, format!("there is no scale `{id}`"))
        .at(location)
        .label("unknown scale")
        .hint_if(did_you_mean(id, ids))
        .hint(hint)
}

/// Gives every task and competence its scale, from what it names or the
/// framework's defaults, and checks that the scales exist.
pub(super) fn settle_scales(framework: &mut Framework, diagnostics: &mut Vec<Diagnostic>) {
    let is_framework = framework.kind == FrameworkKind::Framework;
    let scale_ids: Vec<String> = framework.scales.iter().map(|s| s.id.clone()).collect();
    let ids: Vec<&str> = scale_ids.iter().map(String::as_str).collect();
    let defaults = [
        (framework.rate_tasks_with.clone(), framework.rate_tasks_location),
        (framework.rate_competences_with.clone(), framework.rate_competences_location),
    ];
    for (default, location) in &defaults {
        if let Some(default) = default
            && !scale_ids.contains(default)
        {
            diagnostics.push(unknown_scale(default, location.unwrap_or(framework.location), ids.clone()));
        }
    }
    let missing_scale = |kind: &str, id: &str, location: Location, diagnostics: &mut Vec<Diagnostic>| {
        diagnostics.push(
            Diagnostic::new(Code::NoRatingScale, format!("the {kind} `{id}` has no scale to be rated with"))
                .at(location)
                .hint(match ids.as_slice() {
                    [only] => {
                        format!("add `rate {kind}s with {only}` to the framework, or `scale {only}` to the {kind}")
                    }
                    _ => format!("add `rate {kind}s with SCALE` to the framework, or `scale SCALE` to the {kind}"),
                }),
        );
    };
    let default_task_scale = framework.rate_tasks_with.clone();
    let default_competence_scale = framework.rate_competences_with.clone();
    for task in framework.areas.iter_mut().flat_map(|area| area.tasks.iter_mut()) {
        if task.scale.is_empty() {
            match &default_task_scale {
                Some(scale) => task.scale = scale.clone(),
                None if is_framework => missing_scale("task", &task.id, task.location, diagnostics),
                None => {}
            }
        } else if let Some(location) = task.scale_location.filter(|_| !scale_ids.contains(&task.scale)) {
            diagnostics.push(unknown_scale(&task.scale, location, ids.clone()));
        }
    }
    for competence in &mut framework.competences {
        if competence.scale.is_empty() {
            match &default_competence_scale {
                Some(scale) => competence.scale = scale.clone(),
                None if is_framework => missing_scale("competence", &competence.id, competence.location, diagnostics),
                None => {}
            }
        } else if let Some(location) = competence.scale_location.filter(|_| !scale_ids.contains(&competence.scale)) {
            diagnostics.push(unknown_scale(&competence.scale, location, ids.clone()));
        }
        // Descriptors follow the scale's order, and name its levels.
        if let Some(scale) = framework.scales.iter().find(|s| s.id == competence.scale) {
            for descriptor in &competence.descriptors {
                if scale.rank(&descriptor.level).is_none() {
                    let levels: Vec<String> = scale.level_ids().map(|l| format!("`{l}`")).collect();
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownLevel,
                            format!("the scale `{}` has no level `{}`", scale.id, descriptor.level),
                        )
                        .at(descriptor.location)
                        .label("unknown level")
                        .related(scale.location, "the scale is defined here")
                        .hint_if(did_you_mean(&descriptor.level, scale.level_ids()))
                        .hint(format!("its levels are {}", list_words(&levels, "and"))),
                    );
                }
            }
            competence.descriptors.sort_by_key(|d| scale.rank(&d.level).unwrap_or(usize::MAX));
        }
    }
}
