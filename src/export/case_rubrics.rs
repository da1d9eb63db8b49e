//! A framework's scales as CASE rubrics: one `CFRubric` per scale in use,
//! one criterion per task or competence rated with it, and the scale's
//! levels as the criterion's levels, lowest first, with a competence's
//! own descriptor of each level where the framework writes one.

use serde_json::{Value, json};

use super::ids::stable_id;
use crate::model::{Framework, Lang, LocalizedText, Scale};

/// Where the rubrics belong: the package's scope name, language, date and
/// base URL.
pub(super) struct Scope<'a> {
    /// The framework's id, with `#lang` for a translation.
    pub name: &'a str,
    pub lang: Lang,
    pub changed: &'a str,
    pub base_url: Option<&'a str>,
}

/// A task or competence a scale rates: its kind, id, title and, for a
/// competence, what each level looks like.
struct Rated<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a LocalizedText,
    descriptors: Vec<(&'a str, &'a LocalizedText)>,
}

/// Every scale that rates something, as a rubric.
pub(super) fn rubrics(framework: &Framework, scope: Scope<'_>) -> Vec<Value> {
    framework
        .scales
        .iter()
        .filter_map(|scale| {
            let rated = rated_with(framework, &scale.id);
            (!rated.is_empty()).then(|| rubric(framework, scale, &rated, &scope))
        })
        .collect()
}

fn rated_with<'a>(framework: &'a Framework, scale: &str) -> Vec<Rated<'a>> {
    let tasks = framework.tasks().filter(|task| task.scale.as_deref() == Some(scale)).map(|task| Rated {
        kind: "Task",
        id: &task.id,
        title: &task.title,
        descriptors: Vec::new(),
    });
    let competences =
        framework.competences.iter().filter(|c| c.scale.as_deref() == Some(scale)).map(|competence| Rated {
            kind: "Competence",
            id: &competence.id,
            title: &competence.title,
            descriptors: competence.descriptors.iter().map(|d| (d.level.as_str(), &d.text)).collect(),
        });
    tasks.chain(competences).collect()
}

fn rubric(framework: &Framework, scale: &Scale, rated: &[Rated<'_>], scope: &Scope<'_>) -> Value {
    let text = |text: &LocalizedText| text.best(scope.lang, &framework.languages).to_string();
    let identifier = stable_id(&format!("case/rubric/{}/{}", scope.name, scale.id));
    let criteria: Vec<Value> = rated
        .iter()
        .enumerate()
        .map(|(position, item)| criterion(framework, scale, item, position, &identifier.to_string(), scope))
        .collect();
    let mut rubric = json!({
        "identifier": identifier.to_string(),
        "uri": uri_under(scope.base_url, "CFRubrics", &identifier.to_string()),
        "title": scale.title.as_ref().map_or_else(|| scale.id.clone(), text),
        "lastChangeDateTime": scope.changed,
        "CFRubricCriteria": criteria,
    });
    if let Some(description) = &scale.description {
        rubric["description"] = json!(text(description));
    }
    rubric
}

fn criterion(
    framework: &Framework,
    scale: &Scale,
    item: &Rated<'_>,
    position: usize,
    rubric: &str,
    scope: &Scope<'_>,
) -> Value {
    let text = |text: &LocalizedText| text.best(scope.lang, &framework.languages).to_string();
    // Named by the item's identifier, so that a renamed item keeps its criterion.
    let item_id = super::case::item_id(framework, scope.name, item.kind, item.id).to_string();
    let identifier = stable_id(&format!("case/criterion/{}/{}/{item_id}", scope.name, scale.id));
    let levels: Vec<Value> = scale
        .levels
        .iter()
        .enumerate()
        .map(|(rank, level)| {
            let level_id = stable_id(&format!("{identifier}/{}", level.id)).to_string();
            let descriptor = item.descriptors.iter().find(|(id, _)| *id == level.id).map(|(_, d)| text(d));
            let description = descriptor.or_else(|| level.description.as_ref().map(text));
            let mut value = json!({
                "identifier": level_id,
                "uri": uri_under(scope.base_url, "CFRubricCriterionLevels", &level_id),
                "quality": text(&level.label),
                "score": rank + 1,
                "position": rank + 1,
                "rubricCriterionId": identifier.to_string(),
                "lastChangeDateTime": scope.changed,
            });
            if let Some(description) = description {
                value["description"] = json!(description);
            }
            value
        })
        .collect();
    json!({
        "identifier": identifier.to_string(),
        "uri": uri_under(scope.base_url, "CFRubricCriteria", &identifier.to_string()),
        "category": item.kind,
        "description": text(item.title),
        "CFItemURI": {"title": text(item.title), "identifier": item_id,
            "uri": uri_under(scope.base_url, "CFItems", &item_id)},
        "position": position + 1,
        "rubricId": rubric,
        "lastChangeDateTime": scope.changed,
        "CFRubricCriterionLevels": levels,
    })
}

/// A URI in one of CASE's collections under the base URL, or the
/// identifier as a `urn:uuid:` when there is no base.
pub(super) fn uri_under(base_url: Option<&str>, collection: &str, identifier: &str) -> String {
    match base_url {
        Some(base) => format!("{base}/{collection}/{identifier}"),
        None => format!("urn:uuid:{identifier}"),
    }
}
