//! Checks of a resolved framework's content: texts in every declared
//! language, scales that make sense and are used, complete descriptions.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Framework, FrameworkKind};

/// Everything worth saying about one resolved framework or library.
pub fn check_framework(framework: &Framework) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    check_texts(framework, &mut diagnostics);
    check_scales(framework, &mut diagnostics);
    check_competences(framework, &mut diagnostics);
    check_areas(framework, &mut diagnostics);
    check_certificate_rules(framework, &mut diagnostics);
    diagnostics
}

fn own_file(framework: &Framework) -> crate::source::FileId {
    framework.location.file
}

fn check_texts(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let default = framework.default_language();
    // Inherited and included texts are checked with the file that has them.
    for (text, what) in framework.texts() {
        let Some(location) = text.location.filter(|l| l.file == own_file(framework)) else {
            continue;
        };
        if text.languages().next().is_none() {
            continue; // a missing title is reported where it is lowered
        }
        if text.get(default).is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingDefaultText,
                    format!("{what} has no text in {}, the default language", default.name()),
                )
                .at(location)
                .hint(format!("add the {} text first, without a language code", default.name()))
                .hint(format!(
                    "`{}` declares its languages as {}",
                    framework.id,
                    language_list(framework)
                )),
            );
        }
        for lang in framework.languages.iter().skip(1) {
            if text.get(lang).is_none() && text.get(default).is_some() {
                diagnostics.push(
                    Diagnostic::new(Code::MissingTranslation, format!("{what} has no {} translation", lang.name()))
                        .at(location)
                        .hint(format!("add `{lang} \"...\"` after the text, or remove {lang} from `languages`")),
                );
            }
        }
        for lang in text.languages().filter(|lang| !framework.languages.contains(lang)) {
            let place = text.place_of(lang).unwrap_or(location);
            diagnostics.push(
                Diagnostic::new(
                    Code::UndeclaredLanguage,
                    format!("this text is in {}, which `{}` does not declare", lang.name(), framework.id),
                )
                .at(place)
                .hint(format!("add {lang} to `languages` ({}), or remove the text", language_list(framework))),
            );
        }
    }
}

fn language_list(framework: &Framework) -> String {
    framework.languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(" ")
}

fn check_scales(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
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
        let used = framework.tasks().any(|task| task.scale == scale.id)
            || framework.competences.iter().any(|c| c.scale == scale.id);
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

fn check_competences(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for competence in &framework.competences {
        let Some(scale) = framework.scale(&competence.scale) else {
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

fn check_areas(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for area in &framework.areas {
        if area.tasks.is_empty() && area.location.file == own_file(framework) {
            diagnostics.push(
                Diagnostic::new(Code::EmptyArea, format!("the area `{}` has no tasks", area.id))
                    .at(area.location)
                    .hint("add tasks to it with `task ID \"title\"`, or remove it"),
            );
        }
    }
}

fn check_certificate_rules(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    if framework.kind != FrameworkKind::Framework {
        return;
    }
    let mut scales: Vec<&str> = framework.tasks().map(|task| task.scale.as_str()).collect();
    scales.sort();
    scales.dedup();
    for scale in scales {
        if scale.is_empty() || framework.scale(scale).is_none() || framework.certificate.achieved_from(scale).is_some()
        {
            continue;
        }
        let levels: Vec<String> =
            framework.scale(scale).map(|s| s.level_ids().map(|l| format!("`{l}`")).collect()).unwrap_or_default();
        let place = framework.certificate.location.unwrap_or(framework.location);
        let block =
            if framework.certificate.location.is_some() { "to this block" } else { "in a `certificate { ... }` block" };
        diagnostics.push(
            Diagnostic::new(
                Code::MissingAchievedLevel,
                format!("the certificate rules do not say which level of `{scale}` counts as achieved"),
            )
            .at(place)
            .hint(format!("add `achieved {scale} from LEVEL` {block}, naming the lowest level that counts as achieved"))
            .hint(format!(
                "the levels of `{scale}`, lowest first, are {}",
                crate::diagnostic::list_words(&levels, "and")
            )),
        );
    }
}
