//! Whether a credential states what the certificate beside it states: the
//! check for a PDF that carries both, so that a page edited after issue
//! (or a credential swapped in from another certificate) is found.

use serde_json::Value;

use super::Statement;

/// Where the credential's statement and the certificate's data
/// (`certificate.json`, the progression model) disagree, each in plain
/// words; empty when they agree.
pub fn differences(statement: &Statement, certificate: &Value) -> Vec<String> {
    let mut differences = Vec::new();
    let mut compare = |what: &str, on_certificate: String, in_credential: &str| {
        if on_certificate != in_credential {
            differences.push(format!(
                "the certificate gives {what} as “{on_certificate}”, the credential as “{in_credential}”"
            ));
        }
    };
    let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
    let framework = &certificate["framework"];
    compare("the participant", text(&certificate["participant"]["name"]), &statement.subject);
    compare(
        "the framework",
        format!("{} {}", text(&framework["title"]), text(&framework["version"])),
        &statement.achievement,
    );
    let signed = text(&certificate["signed"]["date"]);
    compare("the date of issue", signed, statement.valid_from.trim_end_matches("T00:00:00Z"));
    let seqf = certificate["seqf"]["level"].as_u64().map(|level| level.to_string()).unwrap_or_default();
    compare("the SeQF level", seqf, statement.seqf.as_deref().unwrap_or_default());
    let tasks = certificate["areas"].as_array().into_iter().flatten().flat_map(|area| area["tasks"].as_array());
    let competences = certificate["competences"].as_array().into_iter();
    for item in tasks.chain(competences).flatten() {
        let Some(level) = item["current"]["label"].as_str() else { continue };
        let title = text(&item["title"]);
        let stated = statement.results.iter().find(|(name, _, _)| *name == title).map(|(_, level, _)| level.as_str());
        compare(&format!("the rating of “{title}”"), level.to_string(), stated.unwrap_or("(none)"));
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement() -> Statement {
        Statement {
            name: "Learning certificate: Park work".into(),
            issuer: ("Town".into(), "did:key:z6Mk".into()),
            subject: "Amal Hassan".into(),
            achievement: "Park work 1.0".into(),
            valid_from: "2026-10-30T00:00:00Z".into(),
            results: vec![("Mow grass".into(), "Independently".into(), Some(true))],
            seqf: Some("2".into()),
        }
    }

    fn certificate() -> Value {
        serde_json::json!({
            "participant": {"name": "Amal Hassan"},
            "framework": {"title": "Park work", "version": "1.0"},
            "signed": {"date": "2026-10-30"},
            "seqf": {"level": 2},
            "areas": [{"tasks": [{"title": "Mow grass", "current": {"label": "Independently"}}]}],
            "competences": [],
        })
    }

    #[test]
    fn a_credential_and_its_certificate_agree() {
        assert_eq!(differences(&statement(), &certificate()), Vec::<String>::new());
    }

    #[test]
    fn an_edited_page_is_named() {
        let mut edited = certificate();
        edited["areas"][0]["tasks"][0]["current"]["label"] = "Can guide others".into();
        edited["participant"]["name"] = "Someone Else".into();
        let found = differences(&statement(), &edited);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("the participant") && found[0].contains("Someone Else"), "{found:?}");
        assert!(found[1].contains("“Mow grass”") && found[1].contains("Can guide others"), "{found:?}");
    }
}
