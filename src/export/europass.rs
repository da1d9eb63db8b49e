//! An issued certificate as a European Digital Credential (Europass, ELM 3
//! JSON-LD), unsealed: the file an organisation uploads to the EDC Issuer
//! (or a national service built on it), which seals it with the
//! organisation's qualified electronic seal.
//!
//! kub cannot seal: a seal needs a qualified certificate under eIDAS, held
//! in a signing device or a remote signing service. The issuing service
//! adds, when it seals, the two things a sealed credential has and this
//! file has not: the date of issue (`issued`) and the issuer's eIDAS legal
//! identifier. Everything else the EDC shapes require is here, shaped after
//! the European Commission's samples: texts as language maps in every
//! language of the framework, the learning outcomes (the tasks achieved,
//! with their ESCO skills), the awarding body with its country, the SeQF
//! level as a note, and the certificate's first page as an image.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::Country;
use super::ids::stable_id;
use crate::model::{Framework, Lang, LocalizedText};
use crate::report::Progression;

/// The contexts of an EDC: the W3C credentials data model 1.1 and the EDC
/// application profile.
pub const EDC_CONTEXTS: [&str; 2] =
    ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"];

/// What a European Digital Credential is made from.
#[derive(Debug, Clone, Copy)]
pub struct EuropassInput<'a> {
    /// The participant's progression, in the certificate's language.
    pub progression: &'a Progression,
    /// The framework, for its texts in every language.
    pub framework: &'a Framework,
    /// The awarding organisation's name.
    pub awarding_body: &'a str,
    /// The awarding organisation's country.
    pub country: Country,
    /// The certificate's first page as PNG.
    pub page_image: &'a [u8],
}

/// The certificate as an unsealed European Digital Credential.
pub fn european_digital_credential(input: EuropassInput<'_>) -> Value {
    let progression = input.progression;
    let scope = format!(
        "europass/{}@{}/{}/{}",
        progression.framework.id,
        progression.framework.version,
        progression.participant.name,
        progression.verification_code
    );
    let id = |kind: &str| format!("urn:epass:{kind}:{}", stable_id(&format!("{scope}/{kind}")));
    let organisation = organisation(&input, &id("org"));
    let valid_from = progression.signed.as_ref().map(|signed| signed.date).or(progression.document_date);
    let mut credential = json!({
        "@context": EDC_CONTEXTS,
        "id": format!("urn:credential:{}", stable_id(&scope)),
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": concept("http://data.europa.eu/snb/credential/e34929035b",
            "http://data.europa.eu/snb/credential/25831c2", "Generic", None),
        "credentialSchema": {"id": "http://data.europa.eu/snb/model/ap/edc-generic-full", "type": "ShaclValidator2017"},
        "displayParameter": display(&input, &id),
        "issuer": organisation,
        "credentialSubject": {
            "id": id("person"),
            "type": "Person",
            "fullName": {progression.language.code(): progression.participant.name},
            "hasClaim": achievement(&input, &organisation, &id),
        },
    });
    if let Some(date) = valid_from {
        credential["validFrom"] = json!(format!("{date}T00:00:00Z"));
    }
    credential
}

/// The upload file the EDC Issuer takes: the credential under `credential`,
/// without its contexts, which the service adds.
pub fn upload_file(credential: &Value) -> Value {
    let mut inner = credential.clone();
    if let Some(object) = inner.as_object_mut() {
        object.remove("@context");
    }
    json!({"credential": inner})
}

/// The properties the EDC shapes (`edc-generic-full`) require that a
/// credential lacks, as paths, leaving out the two the sealing service adds.
pub fn missing_required(credential: &Value) -> Vec<&'static str> {
    const REQUIRED: &[&str] = &[
        "credentialProfiles",
        "credentialSchema",
        "displayParameter/title",
        "displayParameter/language",
        "displayParameter/primaryLanguage",
        "displayParameter/individualDisplay/displayDetail/page",
        "displayParameter/individualDisplay/displayDetail/image/content",
        "issuer/legalName",
        "issuer/location/address/countryCode",
        "validFrom",
        "credentialSubject/hasClaim/title",
        "credentialSubject/hasClaim/awardedBy/awardingBody/legalName",
        "credentialSubject/hasClaim/awardedBy/awardingBody/location/address/countryCode",
    ];
    REQUIRED
        .iter()
        .copied()
        .filter(|path| path.split('/').try_fold(credential, |value, key| value.get(key)).is_none())
        .collect()
}

fn organisation(input: &EuropassInput<'_>, id: &str) -> Value {
    let lang = input.progression.language.code();
    json!({
        "id": id,
        "type": "Organisation",
        "legalName": {lang: input.awarding_body},
        "location": {
            "id": format!("{id}:location"),
            "type": "Location",
            "address": {
                "id": format!("{id}:address"),
                "type": "Address",
                "countryCode": concept(&input.country.authority_uri(),
                    "http://publications.europa.eu/resource/authority/country", input.country.name, Some("country")),
            },
        },
    })
}

fn display(input: &EuropassInput<'_>, id: &dyn Fn(&str) -> String) -> Value {
    let lang = input.progression.language;
    let language = language_concept(lang);
    let mut languages = input.framework.languages.clone();
    if !languages.contains(&lang) {
        languages.push(lang);
    }
    let title: Map<String, Value> = languages
        .iter()
        .filter_map(|lang| Some((lang.code().to_string(), bundled(*lang, "certificate_title")?.into())))
        .collect();
    let image = base64::engine::general_purpose::STANDARD.encode(input.page_image);
    json!({
        "id": id("displayParameter"),
        "type": "DisplayParameter",
        "title": title,
        "language": language,
        "primaryLanguage": language,
        "individualDisplay": {
            "id": id("individualDisplay"),
            "type": "IndividualDisplay",
            "language": language,
            "displayDetail": {
                "id": id("displayDetail"),
                "type": "DisplayDetail",
                "page": 1,
                "image": {
                    "id": id("mediaObject"),
                    "type": "MediaObject",
                    "content": image,
                    "contentEncoding": concept("http://data.europa.eu/snb/encoding/6146cde7dd",
                        "http://data.europa.eu/snb/encoding/25831c2", "base64", None),
                    "contentType": concept("http://publications.europa.eu/resource/authority/file-type/PNG",
                        "http://publications.europa.eu/resource/authority/file-type", "PNG", Some("file-type")),
                },
            },
        },
    })
}

/// The learning achievement: the framework version, awarded by the
/// organisation, specified by the tasks achieved as learning outcomes.
fn achievement(input: &EuropassInput<'_>, organisation: &Value, id: &dyn Fn(&str) -> String) -> Value {
    let framework = input.framework;
    let progression = input.progression;
    let versioned: Map<String, Value> = language_map(framework, &framework.title)
        .into_iter()
        .map(|(lang, title)| (lang, json!(format!("{} {}", title.as_str().unwrap_or_default(), framework.version))))
        .collect();
    let outcomes: Vec<Value> = progression
        .areas
        .iter()
        .flat_map(|area| &area.tasks)
        .filter(|task| task.achieved)
        .filter_map(|task| framework.task(&task.id))
        .map(|task| learning_outcome(framework, task, id))
        .collect();
    let mut awarded = json!({"id": id("awardingProcess"), "type": "AwardingProcess", "awardingBody": organisation});
    if let Some(signed) = &progression.signed {
        awarded["awardingDate"] = json!(format!("{}T00:00:00Z", signed.date));
    }
    let mut achievement = json!({
        "id": id("learningAchievement"),
        "type": "LearningAchievement",
        "title": language_map(framework, &framework.title),
        "awardedBy": awarded,
        "specifiedBy": {
            "id": id("learningAchievementSpecification"),
            "type": "LearningAchievementSpecification",
            "title": versioned,
            "learningOutcome": outcomes,
        },
    });
    if let Some(level) = progression.seqf.level {
        let note: Map<String, Value> = framework
            .languages
            .iter()
            .filter_map(|lang| {
                let text = bundled(*lang, "seqf_stated")?.replace("{level}", &level.to_string());
                Some((lang.code().to_string(), json!(text)))
            })
            .collect();
        achievement["additionalNote"] = json!([{"id": id("seqfNote"), "type": "Note", "noteLiteral": note}]);
    }
    achievement
}

fn learning_outcome(framework: &Framework, task: &crate::model::Task, id: &dyn Fn(&str) -> String) -> Value {
    let title = language_map(framework, &task.title);
    let mut outcome =
        json!({"id": id(&format!("learningOutcome:{}", task.id)), "type": "LearningOutcome", "title": title});
    if let Some(esco) = &task.esco {
        let mut skill = concept(esco, "http://data.europa.eu/esco/concept-scheme/skills", "", None);
        skill["prefLabel"] = outcome["title"].clone();
        outcome["relatedESCOSkill"] = json!([skill]);
    }
    outcome
}

/// A text in every language the framework writes it in.
fn language_map(framework: &Framework, text: &LocalizedText) -> Map<String, Value> {
    let mut map: Map<String, Value> = framework
        .languages
        .iter()
        .filter_map(|lang| Some((lang.code().to_string(), json!(text.get(*lang)?))))
        .collect();
    if map.is_empty() {
        map.insert(framework.default_language().code().into(), json!(text.best(framework.default_language(), &[])));
    }
    map
}

/// A concept of one of the EU's controlled vocabularies.
fn concept(id: &str, scheme: &str, label: &str, notation: Option<&str>) -> Value {
    let mut concept = json!({
        "id": id,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
        "prefLabel": {"en": label},
    });
    if let Some(notation) = notation {
        concept["notation"] = json!(notation);
    }
    concept
}

/// A language as a concept of the EU's language authority table.
fn language_concept(lang: Lang) -> Value {
    let code = authority_language(lang);
    concept(
        &format!("http://publications.europa.eu/resource/authority/language/{code}"),
        "http://publications.europa.eu/resource/authority/language",
        lang.name(),
        Some("language"),
    )
}

/// The three-letter code the EU's language authority table gives a language.
fn authority_language(lang: Lang) -> &'static str {
    match lang.code() {
        "sv" => "SWE",
        "da" => "DAN",
        "en" => "ENG",
        "nb" => "NOB",
        "nn" => "NNO",
        "fi" => "FIN",
        "is" => "ISL",
        "de" => "DEU",
        "fr" => "FRA",
        "es" => "SPA",
        "pl" => "POL",
        "uk" => "UKR",
        "ru" => "RUS",
        "ar" => "ARA",
        "fa" => "FAS",
        "so" => "SOM",
        "ti" => "TIR",
        "am" => "AMH",
        "tr" => "TUR",
        "ku" => "KUR",
        "bs" => "BOS",
        "sq" => "SQI",
        _ => "MUL",
    }
}

/// One of the documents' fixed texts, in a language documents are written in.
fn bundled(lang: Lang, key: &str) -> Option<String> {
    crate::model::text::bundled_text(lang.code(), key)?.as_str().map(str::to_string)
}
