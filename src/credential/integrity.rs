//! Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C VC
//! Data Integrity EdDSA Cryptosuites 1.0): the document and the proof
//! options are turned into RDF through the bundled contexts, canonicalised
//! with RDFC-1.0, hashed with SHA-256 each, and the two hashes signed with
//! Ed25519.

use std::sync::OnceLock;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use oxjsonld::{JsonLdContextCache, JsonLdParser, JsonLdRemoteDocument};
use oxrdf::Dataset;
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::contexts;

/// The one cryptosuite kub signs and verifies with.
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

/// The proof type of every Data Integrity proof.
pub const PROOF_TYPE: &str = "DataIntegrityProof";

/// Why a document could not be turned into canonical RDF, or a proof could
/// not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityError {
    /// The document names a context kub does not hold; kub never fetches one.
    UnknownContext(String),
    /// The document is not JSON-LD kub can read, with the processor's words.
    JsonLd(String),
    /// The document or its proof is not a JSON object, or lacks a field.
    Shape(String),
    /// The document carries no proof at all.
    Unsigned,
    /// The proof is of another kind than kub checks.
    UnsupportedProof(String),
    /// The proof value is not a multibase base58btc Ed25519 signature.
    MalformedProofValue,
    /// The signature does not match the document under this key: the
    /// document or its proof was changed after signing, or another key
    /// signed it.
    SignatureMismatch,
}

impl std::fmt::Display for IntegrityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntegrityError::UnknownContext(url) => write!(
                f,
                "the credential names the JSON-LD context {url}, which kub does not hold (kub never fetches \
                 contexts from the network; it holds {})",
                contexts::known().collect::<Vec<_>>().join(", ")
            ),
            IntegrityError::JsonLd(message) => write!(f, "the credential is not JSON-LD kub can read: {message}"),
            IntegrityError::Shape(message) => write!(f, "{message}"),
            IntegrityError::Unsigned => write!(f, "the credential has no proof: it is not signed"),
            IntegrityError::UnsupportedProof(what) => write!(
                f,
                "the proof is {what}; kub checks only `{PROOF_TYPE}` proofs with the cryptosuite `{CRYPTOSUITE}`"
            ),
            IntegrityError::MalformedProofValue => {
                write!(f, "the proof value is not an Ed25519 signature written as multibase base58btc (`z…`)")
            }
            IntegrityError::SignatureMismatch => write!(f, "the signature does not match the credential's content"),
        }
    }
}

/// What a proof says besides its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOptions {
    /// When it was made, as an XML Schema dateTime such as `2025-11-26T00:00:00Z`.
    pub created: String,
    /// The key that signs, as a URL: `did:key:z6Mk…#z6Mk…` or `https://…#key`.
    pub verification_method: String,
    /// What the proof is for; credentials use `assertionMethod`.
    pub proof_purpose: String,
}

impl ProofOptions {
    /// The proof options as JSON, without a proof value.
    fn to_json(&self) -> Map<String, Value> {
        let mut proof = Map::new();
        proof.insert("type".into(), PROOF_TYPE.into());
        proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
        proof.insert("created".into(), self.created.clone().into());
        proof.insert("verificationMethod".into(), self.verification_method.clone().into());
        proof.insert("proofPurpose".into(), self.proof_purpose.clone().into());
        proof
    }
}

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document, read through the
/// bundled contexts only.
pub fn canonical_nquads(document: &Value) -> Result<String, IntegrityError> {
    let Value::Object(map) = document else {
        return Err(IntegrityError::Shape("a JSON-LD document to sign must be a JSON object".into()));
    };
    canonical_text(map, "")
}

/// The canonical N-Quads of `document` without its entry `left_out`, in
/// canonical order: by the fast path where it models the document, else
/// by full JSON-LD processing. Both give the same bytes.
///
/// The fast path answers only for documents whose every context kub holds
/// (it declines any context it has not bundled, and any nested one), so
/// contexts are looked for only where it declines.
fn canonical_text(document: &Map<String, Value>, left_out: &str) -> Result<String, IntegrityError> {
    match super::canonical::canonical_nquads(document, left_out) {
        Some(text) => Ok(text),
        None => {
            refuse_unknown_contexts(document, left_out)?;
            general_canonical_text(document, left_out)
        }
    }
}

/// Fails, naming it, where `document` without `left_out` names a context
/// kub does not hold, before any JSON-LD processing would try to load it.
fn refuse_unknown_contexts(document: &Map<String, Value>, left_out: &str) -> Result<(), IntegrityError> {
    let without = Without { map: document, left_out };
    let unknown = document.get("@context").and_then(first_unknown_url);
    match unknown.or_else(|| without.entries().find_map(|(_, value)| first_unknown_context(value))) {
        Some(url) => Err(IntegrityError::UnknownContext(url)),
        None => Ok(()),
    }
}

/// The canonical N-Quads by JSON-LD processing (oxjsonld) and oxrdf's
/// RDFC-1.0, for any document whose contexts kub holds.
pub(super) fn general_canonical_text(document: &Map<String, Value>, left_out: &str) -> Result<String, IntegrityError> {
    let without = Without { map: document, left_out };
    let bytes = serde_json::to_vec(&without).map_err(|error| IntegrityError::Shape(error.to_string()))?;
    // The loader gives the same bundled text for a URL every time, so every
    // parser may share the contexts processed once.
    static PROCESSED_CONTEXTS: OnceLock<JsonLdContextCache> = OnceLock::new();
    let parser = JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(|url, _| match contexts::bundled(url) {
            Some(text) => Ok(JsonLdRemoteDocument { document: text.as_bytes().to_vec(), document_url: url.into() }),
            None => Err(IntegrityError::UnknownContext(url.into()).to_string().into()),
        })
        .with_context_cache(PROCESSED_CONTEXTS.get_or_init(JsonLdContextCache::default).clone());
    let mut dataset = Dataset::new();
    for quad in parser {
        let quad = quad.map_err(|error| IntegrityError::JsonLd(error.to_string()))?;
        dataset.insert(&quad);
    }
    dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 { hash_algorithm: CanonicalizationHashAlgorithm::Sha256 });
    // oxrdf writes terms in the canonical N-Quads form; RDFC-1.0 orders
    // the lines by code point, which is byte order in UTF-8.
    let mut lines: Vec<String> = dataset.iter().map(|quad| format!("{quad} .\n")).collect();
    lines.sort_unstable();
    lines.dedup();
    Ok(lines.concat())
}

/// The SHA-256 of the canonical N-Quads of `document` without `left_out`.
fn canonical_hash(document: &Map<String, Value>, left_out: &str) -> Result<[u8; 32], IntegrityError> {
    match super::canonical::canonical_hash(document, left_out) {
        Some(hash) => Ok(hash),
        None => {
            refuse_unknown_contexts(document, left_out)?;
            Ok(Sha256::digest(general_canonical_text(document, left_out)?.as_bytes()).into())
        }
    }
}

/// A JSON object seen without one of its entries, so that a signed
/// credential is read without its proof and without copying it.
struct Without<'a> {
    map: &'a Map<String, Value>,
    left_out: &'a str,
}

impl Without<'_> {
    fn entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.map.iter().filter(|(key, _)| key.as_str() != self.left_out)
    }
}

impl Serialize for Without<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries())
    }
}

/// The first context URL anywhere in the value that kub does not hold,
/// found before JSON-LD processing so that the message can name it.
fn first_unknown_context(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => {
            let unknown = map.get("@context").and_then(first_unknown_url);
            unknown.or_else(|| map.values().find_map(first_unknown_context))
        }
        Value::Array(items) => items.iter().find_map(first_unknown_context),
        _ => None,
    }
}

/// The first URL in an `@context` value that kub does not hold.
fn first_unknown_url(context: &Value) -> Option<String> {
    let named: Vec<&str> = match context {
        Value::String(url) => vec![url.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    named.into_iter().find(|url| contexts::bundled(url).is_none()).map(str::to_string)
}

/// The bytes an `eddsa-rdfc-2022` signature covers: the SHA-256 of the
/// canonical proof options (with the document's `@context`) followed by
/// the SHA-256 of the canonical document without its proof.
fn hash_data(document: &Map<String, Value>, options: &Map<String, Value>) -> Result<Vec<u8>, IntegrityError> {
    let mut config = options.clone();
    if let Some(context) = document.get("@context") {
        config.insert("@context".into(), context.clone());
    }
    let config_hash = canonical_hash(&config, "proofValue")?;
    let document_hash = canonical_hash(document, "proof")?;
    Ok([config_hash, document_hash].concat())
}

/// The document with a proof added: `eddsa-rdfc-2022`, signed with `key`.
/// Ed25519 signatures are deterministic, so the same document, options and
/// key always give the same bytes. `proof` is a set of one proof, as the
/// Open Badges 3.0 JSON schema requires (it rejects a bare object).
pub fn sign(document: Value, options: &ProofOptions, key: &SigningKey) -> Result<Value, IntegrityError> {
    let Value::Object(mut document) = document else {
        return Err(IntegrityError::Shape("a credential must be a JSON object".into()));
    };
    let mut proof = options.to_json();
    let signature = key.sign(&hash_data(&document, &proof)?);
    proof.insert("proofValue".into(), format!("z{}", bs58::encode(signature.to_bytes()).into_string()).into());
    document.remove("proof");
    document.insert("proof".into(), Value::Array(vec![Value::Object(proof)]));
    Ok(Value::Object(document))
}

/// The credential's proof, checked to be one kub can verify: a proof, or a
/// set of one (as kub writes it).
pub fn proof_of(document: &Value) -> Result<&Map<String, Value>, IntegrityError> {
    let proof = match document.get("proof") {
        Some(Value::Object(proof)) => proof,
        Some(Value::Array(proofs)) => match proofs.as_slice() {
            [Value::Object(proof)] => proof,
            [_] => return Err(IntegrityError::Shape("the credential's `proof` is not an object".into())),
            _ => return Err(IntegrityError::UnsupportedProof("a set of several proofs".into())),
        },
        Some(_) => return Err(IntegrityError::Shape("the credential's `proof` is not an object".into())),
        None => return Err(IntegrityError::Unsigned),
    };
    let field = |name: &str| proof.get(name).and_then(Value::as_str);
    if field("type") != Some(PROOF_TYPE) || field("cryptosuite") != Some(CRYPTOSUITE) {
        let what = format!(
            "of type `{}` with the cryptosuite `{}`",
            field("type").unwrap_or("(none)"),
            field("cryptosuite").unwrap_or("(none)")
        );
        return Err(IntegrityError::UnsupportedProof(what));
    }
    Ok(proof)
}

/// Checks the document's `eddsa-rdfc-2022` proof against `key`.
pub fn verify(document: &Value, key: &VerifyingKey) -> Result<(), IntegrityError> {
    let proof = proof_of(document)?;
    let Value::Object(map) = document else {
        return Err(IntegrityError::Shape("a credential must be a JSON object".into()));
    };
    let signature = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .and_then(|value| value.strip_prefix('z'))
        .and_then(|base58| bs58::decode(base58).into_vec().ok())
        .and_then(|bytes| <[u8; 64]>::try_from(bytes.as_slice()).ok())
        .map(|bytes| Signature::from_bytes(&bytes))
        .ok_or(IntegrityError::MalformedProofValue)?;
    let data = hash_data(map, proof)?;
    key.verify_strict(&data, &signature).map_err(|_| IntegrityError::SignatureMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR: &str = include_str!("../../tests/fixtures/credential/test-vector/vector.json");
    const UNSIGNED: &str = include_str!("../../tests/fixtures/credential/test-vector/unsigned.json");
    const DOCUMENT_NQ: &str = include_str!("../../tests/fixtures/credential/test-vector/document.nq");
    const OPTIONS_NQ: &str = include_str!("../../tests/fixtures/credential/test-vector/proof-options.nq");
    const KUB_UNSIGNED: &str = include_str!("../../tests/fixtures/credential/kub-credential/unsigned.json");
    const KUB_NQ: &str = include_str!("../../tests/fixtures/credential/kub-credential/document.nq");

    fn vector() -> (Value, ProofOptions, SigningKey, String) {
        let vector: Value = serde_json::from_str(VECTOR).unwrap();
        let text = |name: &str| vector[name].as_str().unwrap().to_string();
        let secret: Vec<u8> =
            (0..32).map(|i| u8::from_str_radix(&text("private_key_hex")[2 * i..2 * i + 2], 16).unwrap()).collect();
        let key = SigningKey::from_bytes(&secret.try_into().unwrap());
        let options = ProofOptions {
            created: text("created"),
            verification_method: text("verification_method"),
            proof_purpose: text("proof_purpose"),
        };
        (serde_json::from_str(UNSIGNED).unwrap(), options, key, text("expected_proof_value"))
    }

    #[test]
    fn the_1edtech_vector_canonicalises_byte_for_byte() {
        let (document, options, _, _) = vector();
        assert_eq!(canonical_nquads(&document).unwrap(), DOCUMENT_NQ);
        let mut config = options.to_json();
        config.insert("@context".into(), document["@context"].clone());
        assert_eq!(canonical_nquads(&Value::Object(config)).unwrap(), OPTIONS_NQ);
    }

    #[test]
    fn a_kub_credential_canonicalises_as_with_contexts_processed_afresh() {
        // Written by oxjsonld 0.2.7 as published, which processed every
        // context afresh: nodes of several types under the Open Badges
        // context, read twice so that the second reading reuses what the
        // first processed.
        let document: Value = serde_json::from_str(KUB_UNSIGNED).unwrap();
        for _ in 0..2 {
            assert_eq!(canonical_nquads(&document).unwrap(), KUB_NQ);
        }
    }

    #[test]
    fn the_1edtech_vector_signs_to_its_proof_value_and_verifies() {
        let (document, options, key, expected) = vector();
        let signed = sign(document, &options, &key).unwrap();
        assert_eq!(signed["proof"][0]["proofValue"], expected.as_str());
        assert_eq!(verify(&signed, &key.verifying_key()), Ok(()));
    }

    #[test]
    fn a_credential_signed_elsewhere_verifies() {
        // Shaped from kub's data and signed with an independent implementation.
        let example: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/credential/ob3-example.json")).unwrap();
        let did = example["issuer"]["id"].as_str().unwrap();
        let key = super::super::keys::KeyName::parse(did).unwrap().embedded_key().unwrap();
        assert_eq!(verify(&example, &key), Ok(()));
    }

    #[test]
    fn an_edited_name_breaks_the_signature() {
        let (document, options, key, _) = vector();
        let mut signed = sign(document, &options, &key).unwrap();
        signed["credentialSubject"]["achievement"]["name"] = "Leadership".into();
        assert_eq!(verify(&signed, &key.verifying_key()), Err(IntegrityError::SignatureMismatch));
    }

    #[test]
    fn an_unknown_context_is_named_and_never_fetched() {
        let (mut document, _, _, _) = vector();
        document["@context"][1] = "https://example.org/evil-context.json".into();
        let error = canonical_nquads(&document).unwrap_err();
        assert_eq!(error, IntegrityError::UnknownContext("https://example.org/evil-context.json".into()));
        assert!(error.to_string().contains("never fetches"), "{error}");
    }
}
