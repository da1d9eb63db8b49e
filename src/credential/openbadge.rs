//! The unsigned Open Badges 3.0 `OpenBadgeCredential` of a certificate:
//! the framework version as the Achievement, one ResultDescription per
//! task and competence, the final ratings as Results and the SeQF level
//! aligned to EQF. Only terms the bundled contexts define are used, so
//! that every field is signed under any copy of the contexts; there are no
//! supervisor comments, no personal number and no case reference.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::texts::texts;
use super::verify::EQF_URL;
use super::{CertificateFacts, Issuer, contexts};
use crate::report::Progression;
use crate::report::progression::{ItemProgress, ScaleView};

/// The unsigned credential for a certificate, issued by `issuer`.
pub fn open_badge(progression: &Progression, facts: &CertificateFacts, issuer: &Issuer) -> Value {
    let framework = &progression.framework;
    let texts = texts(progression.language);
    let mut profile = Map::new();
    profile.insert("id".into(), issuer.key_name.controller().into());
    profile.insert("type".into(), json!(["Profile"]));
    profile.insert("name".into(), issuer.name.clone().into());
    if let Some(url) = &issuer.url {
        profile.insert("url".into(), url.clone().into());
    }
    let signed_on = progression.signed.as_ref().map(|s| s.date.to_string()).unwrap_or_default();
    let credential_id = uuid(&[
        "credential",
        issuer.key_name.controller(),
        &framework.id,
        &framework.version,
        &progression.participant.name,
        &progression.period.as_ref().map(|p| p.start.to_string()).unwrap_or_default(),
        &signed_on,
    ]);
    json!({
        "@context": contexts::OPEN_BADGES,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("{}: {}", texts.certificate, framework.title),
        "issuer": profile,
        "validFrom": issuance_time(progression),
        "credentialSubject": subject(progression, facts),
    })
}

/// The day the certificate was signed, or else the document's date.
pub(super) fn issue_date(progression: &Progression) -> Option<chrono::NaiveDate> {
    progression.signed.as_ref().map(|s| s.date).or(progression.document_date)
}

/// The day the certificate was signed, at midnight UTC: when the
/// credential is valid from and when its proof is made.
pub(super) fn issuance_time(progression: &Progression) -> String {
    match issue_date(progression) {
        Some(date) => format!("{date}T00:00:00Z"),
        None => "1970-01-01T00:00:00Z".into(),
    }
}

/// The participant, named in plain text, and what they achieved.
fn subject(progression: &Progression, facts: &CertificateFacts) -> Value {
    let ids = Ids::new(progression);
    let items = || progression.areas.iter().flat_map(|area| &area.tasks).chain(&progression.competences);
    let mut descriptions: Vec<Value> = items().map(|item| result_description(item, progression, facts, &ids)).collect();
    let mut results: Vec<Value> = items().filter_map(|item| result(item, &ids)).collect();
    if seqf_rule(progression).is_some() {
        let texts = texts(progression.language);
        descriptions.push(json!({
            "id": ids.seqf(),
            "type": ["ResultDescription"],
            "name": texts.seqf_result,
            "resultType": "PerformanceLevel",
            "allowedValue": (1..=8).map(|level| level.to_string()).collect::<Vec<_>>(),
        }));
        if let Some(level) = progression.seqf.level {
            results.push(json!({
                "type": ["Result"],
                "resultDescription": ids.seqf(),
                "value": level.to_string(),
                "alignment": [alignment(
                    &texts.eqf_level.replace("{level}", &level.to_string()),
                    "European Qualifications Framework",
                    Some(&level.to_string()),
                    &format!("{EQF_URL}{level}"),
                )],
            }));
        }
    }
    let mut subject = Map::new();
    subject.insert("type".into(), json!(["AchievementSubject"]));
    // The Latin form, when written, comes first: it is the name registers
    // and ID documents hold; the name in its own script follows it.
    let participant = &progression.participant;
    let names = participant.latin.iter().chain(std::iter::once(&participant.name));
    let identities: Vec<Value> = names
        .map(|name| json!({"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": name}))
        .collect();
    subject.insert("identifier".into(), Value::Array(identities));
    if let Some(period) = &progression.period {
        subject.insert("activityStartDate".into(), format!("{}T00:00:00Z", period.start).into());
        subject.insert("activityEndDate".into(), format!("{}T00:00:00Z", period.end).into());
    }
    if let Some(workplace) = &progression.workplace {
        let source = json!({"id": uuid(&["workplace", workplace]), "type": ["Profile"], "name": workplace});
        subject.insert("source".into(), source);
    }
    subject.insert("achievement".into(), achievement(progression, facts, &ids, descriptions));
    subject.insert("result".into(), Value::Array(results));
    Value::Object(subject)
}

/// The framework version as an Achievement.
fn achievement(progression: &Progression, facts: &CertificateFacts, ids: &Ids, descriptions: Vec<Value>) -> Value {
    let framework = &progression.framework;
    let texts = texts(progression.language);
    let mut achievement = Map::new();
    achievement.insert("id".into(), ids.achievement.clone().into());
    achievement.insert("type".into(), json!(["Achievement"]));
    achievement.insert("achievementType".into(), "Certificate".into());
    achievement.insert("name".into(), framework.title.clone().into());
    // Framework texts are wrapped to fit their source file; a credential
    // has no lines to fit.
    let description = framework.description.as_deref().unwrap_or(texts.description);
    achievement.insert("description".into(), one_line(description).into());
    achievement.insert("criteria".into(), json!({"narrative": criteria(progression, facts)}));
    achievement.insert("version".into(), framework.version.clone().into());
    achievement.insert("inLanguage".into(), progression.language.code().into());
    if let Some(uri) = facts.esco.as_deref().filter(|uri| is_url(uri)) {
        let name = framework.occupation.clone().unwrap_or_else(|| framework.title.clone());
        achievement.insert("alignment".into(), json!([alignment(&name, "ESCO", None, uri)]));
    }
    achievement.insert("resultDescription".into(), Value::Array(descriptions));
    Value::Object(achievement)
}

/// The certificate's rules in words: when an item counts as achieved, and
/// which SeQF level the certificate states.
fn criteria(progression: &Progression, facts: &CertificateFacts) -> String {
    let texts = texts(progression.language);
    let mut sentences: Vec<String> = progression
        .scales
        .iter()
        .filter_map(|scale| {
            let level = scale.levels.iter().find(|l| Some(&l.id) == facts.achieved_from.get(&scale.id))?;
            let scale_name = scale.title.clone().unwrap_or_else(|| scale.id.clone());
            Some(texts.achieved_rule.replace("{scale}", &scale_name).replace("{level}", &level.label))
        })
        .collect();
    match seqf_rule(progression) {
        Some(None) => sentences.push(texts.seqf_all_required.into()),
        Some(Some(percent)) => sentences.push(texts.seqf_share.replace("{percent}", &percent.to_string())),
        None => {}
    }
    sentences.join(" ")
}

/// The framework's SeQF rule: `None` without one, `Some(None)` for
/// `all-required`, `Some(Some(percent))` for a share.
fn seqf_rule(progression: &Progression) -> Option<Option<u8>> {
    match progression.seqf.rule {
        "none" => None,
        _ => Some(progression.seqf.percent),
    }
}

/// A task's or competence's ResultDescription: its scale's levels as the
/// rubric, the achieving level as the required one.
fn result_description(item: &ItemProgress, progression: &Progression, facts: &CertificateFacts, ids: &Ids) -> Value {
    let mut description = Map::new();
    description.insert("id".into(), ids.item(&item.id).into());
    description.insert("type".into(), json!(["ResultDescription"]));
    description.insert("name".into(), item.title.clone().into());
    description.insert("resultType".into(), "RubricCriterionLevel".into());
    let scale = item.scale.as_deref().and_then(|id| progression.scales.iter().find(|s| s.id == id));
    if let Some(scale) = scale {
        description.insert("rubricCriterionLevel".into(), rubric(scale, ids));
        if let Some(level) = facts.achieved_from.get(&scale.id) {
            description.insert("requiredLevel".into(), ids.level(&scale.id, level).into());
        }
    }
    if let Some(uri) = facts.task_esco.get(&item.id).filter(|uri| is_url(uri)) {
        description.insert("alignment".into(), json!([alignment(&item.title, "ESCO", None, uri)]));
    }
    Value::Object(description)
}

/// A scale's levels as RubricCriterionLevels, lowest first.
fn rubric(scale: &ScaleView, ids: &Ids) -> Value {
    let levels = scale.levels.iter().map(|level| {
        let mut rubric = Map::new();
        rubric.insert("id".into(), ids.level(&scale.id, &level.id).into());
        rubric.insert("type".into(), json!(["RubricCriterionLevel"]));
        rubric.insert("name".into(), level.label.clone().into());
        if let Some(text) = &level.description {
            rubric.insert("description".into(), text.clone().into());
        }
        Value::Object(rubric)
    });
    Value::Array(levels.collect())
}

/// The final rating of an item, if it was rated.
fn result(item: &ItemProgress, ids: &Ids) -> Option<Value> {
    let current = item.current.as_ref()?;
    let scale = item.scale.as_deref()?;
    Some(json!({
        "type": ["Result"],
        "resultDescription": ids.item(&item.id),
        "achievedLevel": ids.level(scale, &current.level),
    }))
}

/// An Alignment; `url` must be a URL, since Open Badges forbids URNs there.
fn alignment(name: &str, framework: &str, code: Option<&str>, url: &str) -> Value {
    let mut alignment = Map::new();
    alignment.insert("type".into(), json!(["Alignment"]));
    alignment.insert("targetName".into(), name.into());
    alignment.insert("targetFramework".into(), framework.into());
    if let Some(code) = code {
        alignment.insert("targetCode".into(), code.into());
    }
    alignment.insert("targetUrl".into(), url.into());
    Value::Object(alignment)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// The ids of a framework version's parts: the same for every credential
/// of that version, whoever issues it.
struct Ids {
    achievement: String,
    framework: Vec<String>,
    /// Each scale level's id, by scale and level: every item on a scale
    /// lists all its levels, so each is hashed once rather than per item.
    levels: BTreeMap<String, BTreeMap<String, String>>,
}

impl Ids {
    fn new(progression: &Progression) -> Ids {
        let framework = &progression.framework;
        let key =
            vec![framework.id.clone(), framework.version.clone(), framework.organisation.clone().unwrap_or_default()];
        let parts: Vec<&str> = key.iter().map(String::as_str).collect();
        let mut ids = Ids {
            achievement: uuid(&[&["achievement"], parts.as_slice()].concat()),
            framework: key,
            levels: BTreeMap::new(),
        };
        for scale in &progression.scales {
            for level in &scale.levels {
                let id = ids.level(&scale.id, &level.id);
                ids.levels.entry(scale.id.clone()).or_default().insert(level.id.clone(), id);
            }
        }
        ids
    }

    fn under(&self, kind: &str, rest: &[&str]) -> String {
        let key: Vec<&str> = self.framework.iter().map(String::as_str).collect();
        uuid(&[&[kind], key.as_slice(), rest].concat())
    }

    fn item(&self, id: &str) -> String {
        self.under("item", &[id])
    }

    fn level(&self, scale: &str, level: &str) -> String {
        match self.levels.get(scale).and_then(|levels| levels.get(level)) {
            Some(id) => id.clone(),
            None => self.under("level", &[scale, level]),
        }
    }

    fn seqf(&self) -> String {
        self.under("seqf", &[])
    }
}

/// A name-based `urn:uuid` (RFC 9562 version 8, from SHA-256): the same
/// parts always give the same id.
fn uuid(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"kub credential ids\0");
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let mut bytes: [u8; 16] = hasher.finalize()[..16].try_into().expect("a digest has 32 bytes");
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut urn = [0; uuid::fmt::Urn::LENGTH];
    uuid::Uuid::from_bytes(bytes).urn().encode_lower(&mut urn).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_8_uuids_and_stable() {
        let id = uuid(&["a", "b"]);
        assert_eq!(id, uuid(&["a", "b"]));
        assert_ne!(id, uuid(&["ab"]));
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
        assert_eq!(&id["urn:uuid:".len() + 14..][..1], "8", "{id}");
    }
}
