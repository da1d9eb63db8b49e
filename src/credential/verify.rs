//! Verifying a credential offline: whose key signed it and whether that is
//! the issuer's, whether the signature still matches every field, and what
//! the credential states, in plain words.

use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use super::integrity::{self, IntegrityError};
use super::keys::{self, KeyName};
use crate::diagnostic::{Code, Diagnostic};

/// Where EQF levels live: `http://data.europa.eu/snb/eqf/N`.
pub(super) const EQF_URL: &str = "http://data.europa.eu/snb/eqf/";

/// The key a credential is expected to be signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedKey {
    /// How the key is named, when the issuer is known (kub.toml's `key`);
    /// `None` for bare key bytes given with `--key`.
    pub name: Option<KeyName>,
    /// The key's bytes, when known without any network.
    pub key: Option<VerifyingKey>,
    /// Where the expectation comes from.
    pub trust: KeyTrust,
}

impl ExpectedKey {
    /// A key given on the command line: a `did:key` or the multibase `z6Mk…`.
    pub fn given(text: &str) -> Option<ExpectedKey> {
        let key = match KeyName::parse(text) {
            Some(name) => name.embedded_key()?,
            None => keys::from_multibase(text.trim())?,
        };
        Some(ExpectedKey { name: None, key: Some(key), trust: KeyTrust::Given })
    }
}

/// Why the signing key is believed to be the issuer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTrust {
    /// It is the key kub.toml names for the project's issuer.
    Project,
    /// It is the key given on the command line.
    Given,
    /// Only the credential's own `did:key` names it: that proves that the
    /// holder of a key signed it, not who that is.
    SelfStated,
}

/// What a credential states, read from it whether or not its proof holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// The credential's name.
    pub name: String,
    /// The issuer's name and id.
    pub issuer: (String, String),
    /// The participant's name.
    pub subject: String,
    /// The achievement (the framework) and its version.
    pub achievement: String,
    /// The day it is valid from.
    pub valid_from: String,
    /// Each result: what was rated, the level reached, and whether that
    /// reaches the required level (`None` where none is stated).
    pub results: Vec<(String, String, Option<bool>)>,
    /// The SeQF level stated, from the result aligned to EQF.
    pub seqf: Option<String>,
}

/// The outcome of verifying a credential.
#[derive(Debug, Clone)]
pub struct Verification {
    /// What it states, if it could be read.
    pub statement: Option<Statement>,
    /// Why the key is believed to be the issuer's, if the proof holds.
    pub trust: Option<KeyTrust>,
    /// Why it is not valid; empty when it is.
    pub problems: Vec<Diagnostic>,
}

impl Verification {
    /// True when the proof holds under a key that belongs to the issuer.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    fn failed(statement: Option<Statement>, problem: Diagnostic) -> Verification {
        Verification { statement, trust: None, problems: vec![problem] }
    }
}

/// Verifies a credential's JSON text offline, against `expected` when the
/// issuer's key is known from kub.toml or the command line.
pub fn verify(text: &str, expected: Option<&ExpectedKey>) -> Verification {
    let document: Value = match serde_json::from_str(text) {
        Ok(document) => document,
        Err(error) => {
            let problem = Diagnostic::new(Code::CredentialUnreadable, format!("the file is not JSON: {error}"));
            return Verification::failed(None, problem);
        }
    };
    let statement = match statement(&document) {
        Ok(statement) => statement,
        Err(problem) => return Verification::failed(None, problem),
    };
    let key = match signing_key(&document, &statement, expected) {
        Ok(key) => key,
        Err(problem) => return Verification::failed(Some(statement), problem),
    };
    match integrity::verify(&document, &key.0) {
        Ok(()) => Verification { statement: Some(statement), trust: Some(key.1), problems: Vec::new() },
        Err(error) => Verification::failed(Some(statement), integrity_problem(error)),
    }
}

/// The diagnostic for a proof that does not hold or cannot be checked.
fn integrity_problem(error: IntegrityError) -> Diagnostic {
    let code = match &error {
        IntegrityError::UnknownContext(_) => Code::CredentialContextUnknown,
        IntegrityError::JsonLd(_) | IntegrityError::Shape(_) => Code::CredentialNotJsonLd,
        IntegrityError::Unsigned | IntegrityError::UnsupportedProof(_) | IntegrityError::MalformedProofValue => {
            Code::CredentialProofUnsupported
        }
        IntegrityError::SignatureMismatch => Code::CredentialTampered,
    };
    match error {
        IntegrityError::SignatureMismatch => Diagnostic::new(
            code,
            "the credential was changed after it was signed: its signature no longer matches what it states",
        )
        .hint("ask the issuer for the credential as issued; do not rely on what this copy says"),
        other => Diagnostic::new(code, other.to_string()),
    }
}

/// The key to check the proof with, and why it is the issuer's.
fn signing_key(
    document: &Value,
    statement: &Statement,
    expected: Option<&ExpectedKey>,
) -> Result<(VerifyingKey, KeyTrust), Diagnostic> {
    let proof = integrity::proof_of(document).map_err(integrity_problem)?;
    let method = proof.get("verificationMethod").and_then(Value::as_str).unwrap_or_default();
    let Some(signer) = KeyName::parse(method) else {
        return Err(Diagnostic::new(
            Code::CredentialKeyUnknown,
            format!("the proof names its key as `{method}`, which is neither a did:key nor a URL with a key fragment"),
        ));
    };
    let (issuer_name, issuer_id) = &statement.issuer;
    if signer.controller() != issuer_id {
        return Err(Diagnostic::new(
            Code::CredentialWrongKey,
            format!(
                "the credential says {issuer_name} ({issuer_id}) issued it, but it was signed with a key of {}",
                signer.controller()
            ),
        )
        .hint("a credential is valid only when signed with its issuer's own key"));
    }
    if let Some(expected_id) = expected.and_then(|e| e.name.as_ref()).map(KeyName::controller)
        && expected_id != issuer_id
    {
        return Err(Diagnostic::new(
            Code::CredentialOtherIssuer,
            format!("the credential was issued by {issuer_name} ({issuer_id}), not by the issuer in kub.toml ({expected_id})"),
        )
        .hint("verify it outside this project, or with the issuer's key given as --key"));
    }
    match choose_key(&signer, expected) {
        Ok(chosen) => Ok(chosen),
        Err(Some((signed_with, key))) => Err(wrong_key(&keys::did_key(&signed_with), &key)),
        Err(None) => Err(Diagnostic::new(
            Code::CredentialKeyUnknown,
            format!("the credential is signed with the key at {method}, and kub does not fetch keys from the network"),
        )
        .hint("give the issuer's public key with --key (`did:key:z6Mk…` or `z6Mk…`), or set `public-key` in kub.toml")),
    }
}

/// The key to check a signature by `signer` with, and why it is the
/// issuer's: the expected key when known, else the signer's own did:key.
/// Fails with the signer's key and the expected one when they differ, and
/// with `None` when neither is known without the network.
pub(super) fn choose_key(
    signer: &KeyName,
    expected: Option<&ExpectedKey>,
) -> Result<(VerifyingKey, KeyTrust), Option<(VerifyingKey, VerifyingKey)>> {
    match (signer.embedded_key(), expected.and_then(|e| e.key)) {
        (Some(signed_with), Some(key)) if signed_with != key => Err(Some((signed_with, key))),
        (_, Some(key)) => Ok((key, expected.map_or(KeyTrust::Given, |e| e.trust))),
        (Some(signed_with), None) => Ok((signed_with, KeyTrust::SelfStated)),
        (None, None) => Err(None),
    }
}

fn wrong_key(signed_with: &str, expected: &VerifyingKey) -> Diagnostic {
    Diagnostic::new(
        Code::CredentialWrongKey,
        format!(
            "the credential is signed with the key {signed_with}, not with the issuer's key {}",
            keys::did_key(expected)
        ),
    )
    .hint("someone other than the issuer signed it, or the issuer has a new key: ask the issuer which key is theirs")
}

/// What the credential states, with results named through its achievement.
fn statement(document: &Value) -> Result<Statement, Diagnostic> {
    let text = |value: &Value| value.as_str().map(str::to_string).unwrap_or_default();
    let types = document.get("type").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    if !types.iter().any(|t| t == "VerifiableCredential") {
        return Err(Diagnostic::new(
            Code::CredentialUnreadable,
            "the file is not a verifiable credential: its `type` does not include VerifiableCredential",
        ));
    }
    let issuer = &document["issuer"];
    let issuer_id = if issuer.is_string() { text(issuer) } else { text(&issuer["id"]) };
    let subject = &document["credentialSubject"];
    let achievement = &subject["achievement"];
    let descriptions = achievement["resultDescription"].as_array().map(Vec::as_slice).unwrap_or_default();
    let results = subject["result"].as_array().map(Vec::as_slice).unwrap_or_default();
    Ok(Statement {
        name: text(&document["name"]),
        issuer: (text(&issuer["name"]), issuer_id),
        subject: subject_name(subject),
        achievement: match achievement["version"].as_str() {
            Some(version) => format!("{} {version}", text(&achievement["name"])),
            None => text(&achievement["name"]),
        },
        valid_from: text(&document["validFrom"]),
        results: results.iter().map(|result| result_line(result, descriptions)).collect(),
        seqf: results.iter().find_map(eqf_value),
    })
}

/// The value of a result aligned to an EQF level: the SeQF level stated.
fn eqf_value(result: &Value) -> Option<String> {
    let alignments = result["alignment"].as_array()?;
    let eqf = alignments.iter().any(|a| a["targetUrl"].as_str().is_some_and(|url| url.starts_with(EQF_URL)));
    eqf.then(|| result["value"].as_str().map(str::to_string)).flatten()
}

/// The participant's name: a plain-text name identifier, else the subject's id.
fn subject_name(subject: &Value) -> String {
    let identifiers = subject["identifier"].as_array().map(Vec::as_slice).unwrap_or_default();
    let named = identifiers.iter().find(|i| i["identityType"] == "name" && i["hashed"] == false);
    named
        .and_then(|i| i["identityHash"].as_str())
        .or_else(|| subject["id"].as_str())
        .unwrap_or("(no name given)")
        .to_string()
}

/// One result in words: the item's name, the level's name, and whether it
/// reaches the required level.
fn result_line(result: &Value, descriptions: &[Value]) -> (String, String, Option<bool>) {
    let description = descriptions.iter().find(|d| d["id"] == result["resultDescription"]);
    let name = description.and_then(|d| d["name"].as_str()).unwrap_or("(unnamed result)").to_string();
    let levels = description.and_then(|d| d["rubricCriterionLevel"].as_array()).map(Vec::as_slice).unwrap_or_default();
    let position = |id: &Value| levels.iter().position(|level| level["id"] == *id);
    let achieved = &result["achievedLevel"];
    let level = match (achieved.is_null(), position(achieved)) {
        (false, Some(index)) => levels[index]["name"].as_str().unwrap_or_default().to_string(),
        _ => result["value"].as_str().unwrap_or_default().to_string(),
    };
    let required = description.map(|d| &d["requiredLevel"]).and_then(&position);
    let reaches = required.zip(position(achieved)).map(|(required, reached)| reached >= required);
    (name, level, reaches)
}
