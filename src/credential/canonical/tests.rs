//! Evidence that the fast path gives the general path's bytes: on the
//! 1EdTech test vector, on every example credential, on credentials of
//! generated cohorts, and on documents mutated in the ways a credential
//! from elsewhere might differ. Wherever the fast path answers, its N-Quads
//! must equal the general path's byte for byte; where it declines, the
//! general path signs and verifies.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use serde_json::{Map, Value, json};

use super::super::integrity::{self, ProofOptions, general_canonical_text};
use super::super::{Issuer, KeyName, keys};
use crate::build::{DocumentKind, Languages, OutputNames, Source, plan};
use crate::check::check;
use crate::model::Workspace;

const VECTOR: &str = include_str!("../../../tests/fixtures/credential/test-vector/vector.json");
const VECTOR_UNSIGNED: &str = include_str!("../../../tests/fixtures/credential/test-vector/unsigned.json");
const VECTOR_DOCUMENT_NQ: &str = include_str!("../../../tests/fixtures/credential/test-vector/document.nq");
const VECTOR_OPTIONS_NQ: &str = include_str!("../../../tests/fixtures/credential/test-vector/proof-options.nq");
const KUB_UNSIGNED: &str = include_str!("../../../tests/fixtures/credential/kub-credential/unsigned.json");
const KUB_NQ: &str = include_str!("../../../tests/fixtures/credential/kub-credential/document.nq");

/// The fast path's answer for `document` without `left_out`, checked
/// against the general path: equal where it answers. True if it answered.
fn agrees(document: &Value, left_out: &str) -> bool {
    let map = document.as_object().expect("a JSON object");
    let Some(fast) = super::canonical_nquads(map, left_out) else { return false };
    match general_canonical_text(map, left_out) {
        Ok(general) => assert_eq!(fast, general, "the fast path differs from JSON-LD processing on\n{document:#}"),
        Err(error) => panic!("the fast path answered where JSON-LD processing fails ({error}) on\n{document:#}"),
    }
    true
}

/// The three documents a signed credential gives: itself without its
/// proof, its proof options with its context, and the whole of it.
fn signed_parts(signed: &Value) -> [(Value, &'static str); 3] {
    let mut options: Map<String, Value> = signed["proof"][0].as_object().expect("a proof").clone();
    options.insert("@context".into(), signed["@context"].clone());
    [(signed.clone(), "proof"), (Value::Object(options), "proofValue"), (signed.clone(), "")]
}

fn issuer() -> Issuer {
    let key = SigningKey::from_bytes(&[7; 32]);
    let name = KeyName::parse(&keys::did_key(&key.verifying_key())).expect("a did:key");
    Issuer::new("Testkommun".into(), Some("https://kommun.example/".into()), name, key).expect("the key matches")
}

/// The signed credential of every certificate in the frameworks and
/// assessments under `folders`.
fn credentials(folders: &[PathBuf]) -> Vec<Value> {
    let mut workspace = Workspace::new();
    for folder in folders {
        workspace.load(folder);
    }
    let checked = check(workspace);
    let kinds: BTreeSet<DocumentKind> = [DocumentKind::Certificate].into_iter().collect();
    let plan = plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), None);
    let issuer = issuer();
    plan.documents
        .iter()
        .filter_map(|document| match &document.source {
            Source::Assessment { progression, facts: Some(facts), .. } => {
                Some(issuer.issue(&progression.make(), facts))
            }
            _ => None,
        })
        .map(|bytes| serde_json::from_slice(&bytes.expect("a credential signs")).expect("JSON"))
        .collect()
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_1edtech_vector_takes_the_fast_path_to_the_same_bytes() {
    let document: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
    let map = document.as_object().unwrap();
    assert_eq!(super::canonical_nquads(map, "").as_deref(), Some(VECTOR_DOCUMENT_NQ));
    let vector: Value = serde_json::from_str(VECTOR).unwrap();
    let text = |name: &str| vector[name].as_str().unwrap().to_string();
    let options = ProofOptions {
        created: text("created"),
        verification_method: text("verification_method"),
        proof_purpose: text("proof_purpose"),
    };
    let signed = integrity::sign(document.clone(), &options, &SigningKey::from_bytes(&[1; 32])).unwrap();
    let [_, (config, left_out), whole] = signed_parts(&signed);
    assert_eq!(super::canonical_nquads(config.as_object().unwrap(), left_out).as_deref(), Some(VECTOR_OPTIONS_NQ));
    assert!(agrees(&whole.0, whole.1), "a signed credential, proof and all, takes the fast path");
}

#[test]
fn a_kub_credential_takes_the_fast_path_to_the_same_bytes() {
    let document: Value = serde_json::from_str(KUB_UNSIGNED).unwrap();
    assert_eq!(super::canonical_nquads(document.as_object().unwrap(), "").as_deref(), Some(KUB_NQ));
}

#[test]
fn every_example_credential_takes_the_fast_path_to_the_same_bytes() {
    let credentials = credentials(&[repository().join("frameworks"), repository().join("examples")]);
    assert!(credentials.len() >= 5, "the examples have certificates: {}", credentials.len());
    for signed in &credentials {
        for (document, left_out) in signed_parts(signed) {
            assert!(agrees(&document, left_out), "the fast path declined a kub credential:\n{document:#}");
        }
    }
}

#[test]
fn generated_cohorts_take_the_fast_path_to_the_same_bytes() {
    let folder = tempfile::tempdir().unwrap();
    let mut workspace = Workspace::new();
    workspace.load(&repository().join("frameworks"));
    let checked = check(workspace);
    for id in ["park-och-natur", "lager-og-logistik", "kulturtolk-forskola", "sprakvalidering"] {
        let framework = checked.resolution.find_by_id(id).unwrap_or_else(|| panic!("framework {id}"));
        for seed in 0..12 {
            let (_, text) = crate::scaffold::sample_assessment(framework, seed);
            std::fs::write(folder.path().join(format!("{id}-{seed:02}.kub")), text).unwrap();
        }
    }
    let credentials = credentials(&[repository().join("frameworks"), folder.path().to_path_buf()]);
    assert!(credentials.len() >= 24, "the cohorts have certificates: {}", credentials.len());
    for signed in &credentials {
        for (document, left_out) in signed_parts(signed) {
            assert!(agrees(&document, left_out), "the fast path declined a kub credential:\n{document:#}");
        }
    }
}

/// Values a credential from elsewhere might hold where kub writes a string
/// or a node: odd strings, numbers, booleans, arrays, empty and nested
/// objects, value objects, keywords and IRIs of every kind.
fn odd_values() -> Vec<Value> {
    vec![
        json!("quote \" backslash \\ newline \n tab \t return \r bell \u{7} escape \u{1b} delete \u{7f}"),
        json!("\u{8}\u{c}\u{0}\u{1f} non-characters \u{fffe}\u{ffff} åäö ÆØÅ ß 漢字 😀 \u{200b} \u{feff}"),
        json!(""),
        json!("   "),
        json!(0),
        json!(-17),
        json!(12_345_678_901_234_u64),
        json!(u64::MAX),
        json!(1.5),
        json!(1e3),
        json!(-0.0),
        json!(true),
        json!(false),
        json!(null),
        json!([]),
        json!([null]),
        json!(["a", "a"]),
        json!(["a", ["b"]]),
        json!([1, "b", true]),
        json!({}),
        json!({"name": "nested"}),
        json!({"id": "https://example.org/node"}),
        json!({"type": "Profile", "name": "typed", "url": "https://example.org/"}),
        json!({"type": ["Achievement", "Profile"], "name": "two scoped contexts"}),
        json!({"@value": "value object"}),
        json!({"@value": "text", "@language": "sv"}),
        json!({"@value": "5", "@type": "http://www.w3.org/2001/XMLSchema#integer"}),
        json!({"@list": ["a", "b"]}),
        json!({"@id": "https://example.org/keyword-id"}),
        json!({"unknownTerm": "x"}),
        json!("https://example.org/absolute"),
        json!("http://example.org/a/../b"),
        json!("urn:uuid:9f1c0a4e-7d2b-8c3a-9e4f-1a2b3c4d5e6f"),
        json!("did:key:z6MkhoHyvG6ztCEWzuhs8tGfURyqmR7Gn4MRHnbMK9WFn9wr"),
        json!("relative/path"),
        json!("#fragment"),
        json!("_:b0"),
        json!("name:suffix"),
        json!("xsd:string"),
        json!("https://exa mple.org/"),
        json!("Profile"),
        json!("assertionMethod"),
        json!("@id"),
    ]
}

/// Entries a node object from elsewhere might carry besides kub's.
fn odd_entries() -> Vec<(&'static str, Value)> {
    let mut entries = vec![
        ("unknownTerm", json!("x")),
        ("@id", json!("https://example.org/keyword")),
        ("@type", json!("Profile")),
        ("@context", json!("https://www.w3.org/ns/credentials/v2")),
        ("@context", json!({"ex": "https://example.org/"})),
        ("@graph", json!([])),
        ("@reverse", json!({})),
        ("@included", json!([])),
        ("@nest", json!({})),
        ("@language", json!("sv")),
        ("@index", json!("i")),
        ("https://example.org/absolute-property", json!("x")),
        ("name:suffix", json!("x")),
        ("type", json!("UnknownType")),
        ("type", json!(["Profile", "https://example.org/Type"])),
        ("type", json!([])),
        ("type", json!("VerifiableCredential")),
        ("type", json!(["Result", "ResultDescription"])),
        ("type", json!("AchievementCredential")),
        ("validFrom", json!("2025-01-01T00:00:00Z")),
        ("allowedValue", json!(["1", "2"])),
        ("allowedValue", json!([])),
        ("allowedValue", json!("single")),
        ("allowedValue", json!([{"name": "node in a list"}, 3, true])),
        (
            "proof",
            json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod"}),
        ),
        ("proof", json!([{"type": "DataIntegrityProof", "created": "2025-01-01T00:00:00Z"}, {"nonce": "n"}])),
        ("proof", json!("https://example.org/proof")),
        ("proof", json!({})),
        ("jsonSchema", json!({"a": 1})),
        ("_sd", json!(["x"])),
        ("creditsAvailable", json!(3)),
        ("awardedDate", json!("2025-01-01T00:00:00Z")),
        ("evidence", json!([{"type": ["Evidence"], "genre": "g", "audience": "a"}])),
        ("credentialStatus", json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation"})),
        ("termsOfUse", json!([])),
        ("image", json!("https://example.org/image.png")),
        ("image", json!({"id": "https://example.org/image.png", "type": "Image", "caption": "c"})),
        ("cnf", json!({"kid": "https://example.org/key"})),
        ("verifiableCredential", json!([{"name": "x"}])),
        ("proofPurpose", json!("authentication")),
        ("proofPurpose", json!("unknownPurpose")),
    ];
    for value in odd_values() {
        entries.push(("name", value.clone()));
        entries.push(("id", value.clone()));
        entries.push(("type", value.clone()));
        entries.push(("hashed", value.clone()));
        entries.push(("url", value.clone()));
        entries.push(("achievedLevel", value.clone()));
        entries.push(("alignment", value.clone()));
        entries.push(("allowedValue", value.clone()));
        entries.push(("issuer", value));
    }
    entries
}

/// Every JSON path to an object in `value`, at most `limit` of them, in
/// document order.
fn object_paths(value: &Value, path: &mut Vec<PathStep>, found: &mut Vec<Vec<PathStep>>, limit: usize) {
    if found.len() >= limit {
        return;
    }
    match value {
        Value::Object(map) => {
            found.push(path.clone());
            for (key, child) in map {
                path.push(PathStep::Key(key.clone()));
                object_paths(child, path, found, limit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(PathStep::Index(index));
                object_paths(child, path, found, limit);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at<'v>(value: &'v mut Value, path: &[PathStep]) -> &'v mut Value {
    path.iter().fold(value, |value, step| match step {
        PathStep::Key(key) => &mut value[key.as_str()],
        PathStep::Index(index) => &mut value[*index],
    })
}

/// Runs every odd entry at every object of `document` (added, replacing
/// what is there) and every entry renamed, and checks the fast path
/// against the general one; how many mutants it answered and declined.
fn mutants_agree(document: &Value, left_out: &str, sites: usize) -> (usize, usize) {
    let mut paths = Vec::new();
    object_paths(document, &mut Vec::new(), &mut paths, sites);
    let (mut answered, mut declined) = (0, 0);
    let mut tally = |mutant: &Value| {
        if agrees(mutant, left_out) {
            answered += 1;
        } else {
            declined += 1;
        }
    };
    for path in &paths {
        for (key, value) in odd_entries() {
            let mut mutant = document.clone();
            at(&mut mutant, path)[key] = value;
            tally(&mutant);
        }
        let keys: Vec<String> = at(&mut document.clone(), path).as_object().unwrap().keys().cloned().collect();
        for key in keys {
            let mut mutant = document.clone();
            let map = at(&mut mutant, path).as_object_mut().unwrap();
            let value = map.remove(&key).unwrap();
            map.insert(format!("{key}Renamed"), value);
            tally(&mutant);
        }
    }
    (answered, declined)
}

#[test]
fn mutated_documents_give_the_same_bytes_or_decline() {
    let vector: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
    let (answered, declined) = mutants_agree(&vector, "", usize::MAX);
    eprintln!("vector: answered {answered}, declined {declined}");
    assert!(answered > 500 && declined > 500, "answered {answered}, declined {declined}");
    let credential: Value = serde_json::from_str(KUB_UNSIGNED).unwrap();
    let (answered, declined) = mutants_agree(&credential, "", 12);
    eprintln!("credential: answered {answered}, declined {declined}");
    assert!(answered > 500 && declined > 500, "answered {answered}, declined {declined}");
}

#[test]
fn other_context_lists_give_the_same_bytes_or_decline() {
    const V2: &str = "https://www.w3.org/ns/credentials/v2";
    const V1: &str = "https://www.w3.org/2018/credentials/v1";
    const OB: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    const EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
    const INTEGRITY: &str = "https://w3id.org/security/data-integrity/v1";
    let lists = [
        json!([V2, OB]),
        json!([OB, V2]),
        json!([V2]),
        json!(V2),
        json!([V2, OB, EXTENSIONS]),
        json!([V2, OB, INTEGRITY]),
        json!([V2, V2, OB]),
        json!([V1, OB]),
        json!([V1, INTEGRITY, OB]),
        json!([V2, OB, {"@vocab": "https://example.org/"}]),
        json!([V2, OB, null]),
        json!([]),
        json!({}),
    ];
    let mut answered = 0;
    for source in [VECTOR_UNSIGNED, KUB_UNSIGNED] {
        let mut document: Value = serde_json::from_str(source).unwrap();
        for list in &lists {
            document["@context"] = list.clone();
            answered += usize::from(agrees(&document, ""));
        }
    }
    assert!(answered >= 4, "the bundled lists kub and the vector use are answered: {answered}");
}

#[test]
fn the_fast_path_declines_what_it_does_not_model() {
    let vector: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
    let declines = |key: &str, value: Value| {
        let mut document = vector.clone();
        document["credentialSubject"]["achievement"][key] = value;
        super::canonical_nquads(document.as_object().unwrap(), "").is_none()
    };
    assert!(declines("unknownTerm", json!("mapped through @vocab")));
    assert!(declines("name", json!({"@value": "Teamwork", "@language": "en"})));
    assert!(declines("name", json!(1.5)));
    assert!(declines("id", json!("relative/id")));
    assert!(declines("id", json!("_:b0")));
    assert!(declines("name", json!([["nested"]])));
    assert!(declines("@context", json!({"name": "https://example.org/name"})));
    let mut document = vector.clone();
    document["@context"] = json!(["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://example.org/"}]);
    assert!(super::canonical_nquads(document.as_object().unwrap(), "").is_none());
}

#[test]
fn a_declined_credential_signs_and_verifies_by_json_ld_processing() {
    let mut document: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
    document["credentialSubject"]["achievement"]["unknownTerm"] = json!("kept under the issuer-dependent vocabulary");
    assert_eq!(super::canonical_nquads(document.as_object().unwrap(), ""), None);
    let nquads = integrity::canonical_nquads(&document).unwrap();
    assert!(nquads.contains("<https://www.w3.org/ns/credentials/issuer-dependent#unknownTerm>"), "{nquads}");
    let key = SigningKey::from_bytes(&[3; 32]);
    let options = ProofOptions {
        created: "2025-01-01T00:00:00Z".into(),
        verification_method: format!("{}#key", keys::did_key(&key.verifying_key())),
        proof_purpose: "assertionMethod".into(),
    };
    let mut signed = integrity::sign(document, &options, &key).unwrap();
    assert_eq!(integrity::verify(&signed, &key.verifying_key()), Ok(()));
    signed["credentialSubject"]["achievement"]["unknownTerm"] = json!("changed");
    assert_eq!(integrity::verify(&signed, &key.verifying_key()), Err(integrity::IntegrityError::SignatureMismatch));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    #[test]
    fn any_text_and_whole_number_give_the_same_bytes(name in ".*", narrative in "\\PC*", points in proptest::prelude::any::<i64>()) {
        let mut document: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
        document["credentialSubject"]["achievement"]["name"] = json!(name);
        document["credentialSubject"]["achievement"]["criteria"]["narrative"] = json!(narrative);
        document["credentialSubject"]["achievement"]["creditsAvailable"] = json!(points);
        proptest::prop_assert!(agrees(&document, ""));
    }
}

#[test]
fn a_long_list_gives_the_same_bytes() {
    let mut document: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
    let levels: Vec<String> = (0..3_000).map(|level| format!("level {level}")).collect();
    let description = json!({"type": ["ResultDescription"], "name": "Many levels", "allowedValue": levels});
    document["credentialSubject"]["achievement"]["resultDescription"] = json!([description]);
    assert!(agrees(&document, ""));
}

#[test]
fn the_hash_is_the_sha256_of_the_canonical_text() {
    use sha2::{Digest, Sha256};
    let credentials = credentials(&[repository().join("frameworks"), repository().join("examples")]);
    let mut documents: Vec<(Value, &str)> = credentials.iter().flat_map(signed_parts).collect();
    documents.push((serde_json::from_str(VECTOR_UNSIGNED).unwrap(), ""));
    for (document, left_out) in &documents {
        let map = document.as_object().unwrap();
        let text = super::canonical_nquads(map, left_out).expect("the fast path answers");
        let hash: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        assert_eq!(super::canonical_hash(map, left_out), Some(hash));
    }
}

#[test]
fn terms_that_begin_alike_and_many_blank_nodes_are_ordered_as_text() {
    // Lines are ordered by their terms' places: literals and IRIs that
    // are prefixes of one another, a plain literal beside a typed one of
    // the same text, and more than ten blank nodes (`_:c14n10` sorts
    // before `_:c14n2`) must come out as the general path orders them.
    let mut document: Value = serde_json::from_str(VECTOR_UNSIGNED).unwrap();
    let names = ["a", "a b", "ab", "a\"b", "a\\", "", " ", "a\u{7f}", "2025-01-01T00:00:00Z", "å", "a\tb", "z"];
    let descriptions: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let url = ["https://example.org/a", "https://example.org/a/b", "https://example.org/ab"][index % 3];
            json!({
                "type": ["ResultDescription"],
                "name": name,
                "alignment": [{"type": ["Alignment"], "targetName": name, "targetUrl": url}],
            })
        })
        .collect();
    document["credentialSubject"]["achievement"]["resultDescription"] = json!(descriptions);
    document["validFrom"] = json!("2025-01-01T00:00:00Z");
    assert!(agrees(&document, ""), "the fast path answers");
    let nquads = super::canonical_nquads(document.as_object().unwrap(), "").unwrap();
    assert!(nquads.contains("_:c14n23 "), "two dozen blank nodes:\n{nquads}");
}
