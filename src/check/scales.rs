//! Scales of a resolved framework: enough levels to choose between, each
//! scale rating something, and competences describing every level.

use super::framework::own_file;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Framework, FrameworkKind};

pub(super) fn check_scales(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for scale in &framework.scales {
        if scale.levels.len() < 2 {
            diagnostics.push(
                Diagnostic::new(Code::ScaleTooSmall, format!("the scale `{}` has {} level{}", scale.id, scale.levels.len(), if scale.levels.len() == 1 { "" } else { "s" }))
                    .at(scale.location)
                    .label("needs at least two levels")
                    .hint("a scale needs at least two levels to choose between; list them lowest first, for example `level nej \"Nej\"` and `level ja \"Ja\"`"),
            );
        }
        let own = scale.location.file == own_file(framework);
        let used = framework.rates_with(&scale.id);
        if own && !used && framework.kind == FrameworkKind::Framework {
            diagnostics.push(
                Diagnostic::new(Code::UnusedScale, format!("the scale `{}` rates nothing", scale.id))
                    .at(scale.location)
                    .hint(format!(
                        "rate something with it (`rate tasks with {}` or `scale {}` in a task), or remove it",
                        scale.id, scale.id
                    )),
            );
        }
    }
}

pub(super) fn check_competences(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for competence in &framework.competences {
        let Some(scale) = framework.scale_of(&competence.scale) else {
            continue;
        };
        let missing: Vec<String> = scale
            .levels
            .iter()
            .filter(|level| !competence.descriptors.iter().any(|d| d.level == level.id))
            .map(|level| format!("`{}`", level.id))
            .collect();
        if !missing.is_empty() && !competence.descriptors.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingDescriptor,
                    format!(
                        "the competence `{}` does not describe the level{} {}",
                        competence.id,
                        if missing.len() == 1 { "" } else { "s" },
                        crate::diagnostic::list_words(&missing, "and")
                    ),
                )
                .at(competence.location)
                .hint("add `level LEVEL \"...\"` saying what the competence looks like at that level"),
            );
        }
    }
}
