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

/// The error for a level its scale does not have.
pub(super) fn unknown_level(scale: &Scale, level: &str, location: Location) -> Diagnostic {
    let levels: Vec<String> = scale.level_ids().map(|l| format!("`{l}`")).collect();
    Diagnostic::new(Code::UnknownLevel, format!("the scale `{}` has no level `{level}`", scale.id))
        .at(location)
        .label("unknown level")
        .related(scale.location, "the scale is defined here")
        .hint_if(did_you_mean(level, scale.level_ids()))
        .hint(format!("its levels are {}", list_words(&levels, "and")))
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
    let tasks = Settling { kind: "task", default: framework.rate_tasks_with.clone(), ids: &ids, is_framework };
    for task in framework.areas.iter_mut().flat_map(|area| area.tasks.iter_mut()) {
        tasks.settle(&task.id, task.location, &mut task.scale, task.scale_location, diagnostics);
    }
    let competences =
        Settling { kind: "competence", default: framework.rate_competences_with.clone(), ids: &ids, is_framework };
    for competence in &mut framework.competences {
        competences.settle(
            &competence.id,
            competence.location,
            &mut competence.scale,
            competence.scale_location,
            diagnostics,
        );
        // Descriptors follow the scale's order, and name its levels.
        if let Some(scale) = framework.scales.iter().find(|s| competence.scale.as_ref() == Some(&s.id)) {
            for descriptor in &competence.descriptors {
                if scale.rank(&descriptor.level).is_none() {
                    diagnostics.push(unknown_level(scale, &descriptor.level, descriptor.location));
                }
            }
            competence.descriptors.sort_by_key(|d| scale.rank(&d.level).unwrap_or(usize::MAX));
        }
    }
}

/// How the tasks, or the competences, of one framework get their scale.
struct Settling<'a> {
    kind: &'static str,
    /// The framework's `rate tasks with` or `rate competences with`.
    default: Option<String>,
    /// The scales there are.
    ids: &'a [&'a str],
    /// Libraries may leave the scale to the framework that includes them.
    is_framework: bool,
}

impl Settling<'_> {
    /// Gives one item the default when it names no scale, and reports a
    /// scale it names that does not exist.
    fn settle(
        &self,
        id: &str,
        location: Location,
        scale: &mut Option<String>,
        named_at: Option<Location>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let kind = self.kind;
        if let Some(named) = scale {
            if let Some(named_at) = named_at.filter(|_| !self.ids.contains(&named.as_str())) {
                diagnostics.push(unknown_scale(named, named_at, self.ids.to_vec()));
            }
            return;
        }
        match &self.default {
            Some(default) => *scale = Some(default.clone()),
            None if self.is_framework => diagnostics.push(
                Diagnostic::new(Code::NoRatingScale, format!("the {kind} `{id}` has no scale to be rated with"))
                    .at(location)
                    .hint(match self.ids {
                        [only] => {
                            format!("add `rate {kind}s with {only}` to the framework, or `scale {only}` to the {kind}")
                        }
                        _ => format!("add `rate {kind}s with SCALE` to the framework, or `scale SCALE` to the {kind}"),
                    }),
            ),
            None => {}
        }
    }
}
