//! What would change on a certificate, in plain words: a small structural
//! comparison of two certificates' data (SeQF 3 → 1, a task no longer
//! achieved, a title changed), not a text diff.

use serde_json::Value;

/// The changes from certificate data `before` to `after`, most important
/// first: the SeQF level, tasks achieved or lost, then texts. Empty when
/// the two state the same.
pub fn changes(before: &Value, after: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let text = |value: &Value, pointer: &str| value.pointer(pointer).map(shown).unwrap_or_else(|| "none".to_string());
    let mut field = |pointer: &str, what: &str| {
        let (old, new) = (text(before, pointer), text(after, pointer));
        if old != new {
            found.push(format!("{what} {old} → {new}"));
        }
    };
    field("/seqf/level", "SeQF");
    field("/language", "language");
    field("/participant/name", "participant");
    field("/framework/version", "framework version");
    field("/framework/title", "framework title");
    field("/issuer", "issuer");
    field("/signed/name", "signed by");
    field("/signed/date", "signed on");
    field("/period/start", "period starting");
    field("/period/end", "period ending");
    field("/workplace", "workplace");
    field("/cefr_overall", "CEFR level");
    found.extend(item_changes("task", &tasks(before), &tasks(after)));
    found.extend(item_changes("competence", &list(before, "/competences"), &list(after, "/competences")));
    found.extend(milestone_changes(before, after));
    if found.is_empty() && before != after {
        found.push(format!("other details changed ({})", differing_fields(before, after).join(", ")));
    }
    found
}

/// A value as a message shows it: text in quotes, numbers as they are.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".to_string(),
        Value::String(text) => format!("\u{201c}{text}\u{201d}"),
        other => other.to_string(),
    }
}

/// Every task of every area.
fn tasks(certificate: &Value) -> Vec<&Value> {
    list(certificate, "/areas").into_iter().flat_map(|area| list(area, "/tasks")).collect()
}

fn list<'a>(value: &'a Value, pointer: &str) -> Vec<&'a Value> {
    value.pointer(pointer).and_then(Value::as_array).map(|items| items.iter().collect()).unwrap_or_default()
}

fn title(item: &Value) -> String {
    shown(item.get("title").unwrap_or(&Value::Null))
}

/// Tasks or competences added, removed, achieved, lost, retitled or
/// rated differently, matched by id.
fn item_changes(kind: &str, before: &[&Value], after: &[&Value]) -> Vec<String> {
    let id = |item: &Value| item.get("id").cloned().unwrap_or(Value::Null);
    let mut found = Vec::new();
    for old in before {
        let Some(new) = after.iter().find(|new| id(new) == id(old)) else {
            found.push(format!("{kind} {} removed", title(old)));
            continue;
        };
        let achieved = |item: &Value| item.get("achieved").and_then(Value::as_bool).unwrap_or(false);
        match (achieved(old), achieved(new)) {
            (true, false) => found.push(format!("{kind} {} no longer achieved", title(old))),
            (false, true) => found.push(format!("{kind} {} now achieved", title(new))),
            _ => {}
        }
        if old.get("title") != new.get("title") {
            found.push(format!("{kind} title {} → {}", title(old), title(new)));
        }
        let label = |item: &Value| item.pointer("/current/label").map(shown).unwrap_or_else(|| "not rated".into());
        if label(old) != label(new) {
            found.push(format!("{kind} {}: {} → {}", title(new), label(old), label(new)));
        }
        let required = |item: &Value| item.get("required").and_then(Value::as_bool).unwrap_or(false);
        match (required(old), required(new)) {
            (false, true) => found.push(format!("{kind} {} now required", title(new))),
            (true, false) => found.push(format!("{kind} {} no longer required", title(new))),
            _ => {}
        }
        for (field, words) in [("criteria", "criteria"), ("seqf", "SeQF level"), ("description", "description")] {
            if old.get(field) != new.get(field) {
                found.push(format!("{words} of {kind} {} changed", title(new)));
            }
        }
    }
    for new in after.iter().filter(|new| !before.iter().any(|old| id(old) == id(new))) {
        found.push(format!("{kind} {} added", title(new)));
    }
    found
}

/// Milestones newly reached or no longer reached.
fn milestone_changes(before: &Value, after: &Value) -> Vec<String> {
    let reached = |certificate: &Value| -> Vec<(String, String)> {
        list(certificate, "/language_tracks")
            .into_iter()
            .flat_map(|track| list(track, "/milestones"))
            .filter(|milestone| milestone.get("reached_on").is_some_and(|date| !date.is_null()))
            .map(|milestone| (milestone.get("id").map(shown).unwrap_or_default(), title(milestone)))
            .collect()
    };
    let (old, new) = (reached(before), reached(after));
    let mut found: Vec<String> = old
        .iter()
        .filter(|(id, _)| !new.iter().any(|(other, _)| other == id))
        .map(|(_, title)| format!("milestone {title} no longer reached"))
        .collect();
    found.extend(
        new.iter()
            .filter(|(id, _)| !old.iter().any(|(other, _)| other == id))
            .map(|(_, title)| format!("milestone {title} now reached")),
    );
    found
}

/// The top-level fields whose values differ, for changes no rule above names.
fn differing_fields(before: &Value, after: &Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let (old, new) = (before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| *key != crate::report::VERIFICATION_FIELD && old.get(*key) != new.get(*key))
        .map(|key| key.replace('_', " "))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn certificate(level: u8, achieved: bool, title: &str) -> Value {
        json!({
            "seqf": {"level": level},
            "participant": {"name": "Amal Hassan"},
            "framework": {"id": "slottsskogen", "version": "1.0", "title": "Park"},
            "areas": [{"tasks": [{"id": "a", "title": title, "achieved": achieved, "current": {"label": "Självständigt"}}]}],
        })
    }

    #[test]
    fn the_same_data_has_no_changes() {
        assert!(changes(&certificate(3, true, "Mow"), &certificate(3, true, "Mow")).is_empty());
    }

    #[test]
    fn levels_achievements_and_titles_are_told_in_plain_words() {
        let found = changes(&certificate(3, true, "Mow"), &certificate(1, false, "Mow grass"));
        assert_eq!(
            found,
            [
                "SeQF 3 → 1",
                "task \u{201c}Mow\u{201d} no longer achieved",
                "task title \u{201c}Mow\u{201d} → \u{201c}Mow grass\u{201d}",
            ]
        );
    }

    #[test]
    fn a_change_no_rule_names_is_still_reported() {
        let mut after = certificate(3, true, "Mow");
        after["goals"] = json!([{"text": "x"}]);
        assert_eq!(changes(&certificate(3, true, "Mow"), &after), ["other details changed (goals)"]);
    }
}
