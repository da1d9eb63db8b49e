//! The signed statement a certificate's QR code carries: a compact JWS
//! (RFC 7515) signed with the issuer's Ed25519 key (`EdDSA`, RFC 8037)
//! that names the credential, the SHA-256 digest of its bytes, the
//! participant, the framework and the SeQF level, so that a printed copy
//! can be checked offline from its QR code alone, and bound to the signed
//! credential the PDF carries. docs/credentials.md lists the claims.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::keys::{self, KeyName};
use super::{ExpectedKey, Issuer, KeyTrust};
use crate::diagnostic::{Code, Diagnostic};
use crate::report::Progression;

/// The one algorithm kub signs and accepts: Ed25519 (RFC 8037).
const ALGORITHM: &str = "EdDSA";

/// What a certificate's QR code states. The claim names are short, since
/// every byte makes the printed code denser; `jti` and `iat` are the
/// registered JWT claims (RFC 7519), `name` the OpenID Connect one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The credential's id (`urn:uuid:…`).
    pub jti: String,
    /// The SHA-256 of the credential file's bytes, base64url without padding.
    pub sha256: String,
    /// The participant's name, as the certificate prints it.
    pub name: String,
    /// The framework as `id@version`.
    pub fw: String,
    /// The SeQF level the certificate states, if it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seqf: Option<u8>,
    /// The day the certificate was signed, at midnight UTC, in seconds
    /// since 1970 (a JWT NumericDate).
    pub iat: i64,
}

impl Claims {
    /// The statement for a certificate and the signed credential made for
    /// it; `None` when the credential has no id.
    pub fn of(progression: &Progression, credential: &[u8]) -> Option<Claims> {
        let document: Value = serde_json::from_slice(credential).ok()?;
        let issued_on = super::openbadge::issue_date(progression)?;
        Some(Claims {
            jti: document.get("id")?.as_str()?.to_string(),
            sha256: digest(credential),
            name: progression.participant.name.clone(),
            fw: format!("{}@{}", progression.framework.id, progression.framework.version),
            seqf: progression.seqf.level,
            iat: issued_on.and_time(chrono::NaiveTime::MIN).and_utc().timestamp(),
        })
    }

    /// The day it was issued, as `2026-11-24`.
    pub fn issued_on(&self) -> String {
        chrono::DateTime::from_timestamp(self.iat, 0).map(|time| time.date_naive().to_string()).unwrap_or_default()
    }
}

/// The SHA-256 of `bytes` as a statement gives it: base64url, no padding.
pub fn digest(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(bytes))
}

/// The protected header: the algorithm and the key, nothing else, so that
/// no header can ask a verifier to skip a check.
#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    kid: String,
}

/// How a statement names the issuer's key: a did:key by the DID itself,
/// which for did:key is one key and half the length of its key's
/// `did:key:z…#z…` id; a published key by its URL with the fragment.
fn key_id(name: &KeyName) -> &str {
    match name {
        KeyName::Did { did, .. } => did,
        KeyName::Url { url, .. } => url,
    }
}

impl Issuer {
    /// `claims` as a compact JWS signed with the issuer's key. Ed25519 is
    /// deterministic, so the same claims give the same text each build.
    pub fn sign_statement(&self, claims: &Claims) -> String {
        let header = Header { alg: ALGORITHM.into(), kid: key_id(&self.key_name).into() };
        let encode = |json: Vec<u8>| URL_SAFE_NO_PAD.encode(json);
        let signing_input = format!(
            "{}.{}",
            encode(serde_json::to_vec(&header).expect("a header serialises")),
            encode(serde_json::to_vec(claims).expect("claims serialise"))
        );
        let signature = self.key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

/// The outcome of checking a scanned statement.
#[derive(Debug, Clone)]
pub struct StatementCheck {
    /// What it states, if it could be read at all.
    pub claims: Option<Claims>,
    /// The key it names (`kid`).
    pub key_id: Option<String>,
    /// Why the key is believed to be the issuer's, when the signature holds.
    pub trust: Option<KeyTrust>,
    /// Why it is not valid; empty when it is.
    pub problems: Vec<Diagnostic>,
}

impl StatementCheck {
    /// True when the signature holds under a key that is the issuer's and
    /// nothing else was found wrong.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty() && self.trust.is_some()
    }
}

/// A statement read from its text, before its signature is checked.
struct Parsed<'a> {
    signing_input: &'a str,
    header: Header,
    claims: Claims,
    signature: Signature,
}

/// Checks a compact JWS read from a certificate's QR code against
/// `expected`, the issuer's key from kub.toml or the command line when
/// known.
pub fn verify_statement(jws: &str, expected: Option<&ExpectedKey>) -> StatementCheck {
    let failed = |claims, key_id, problem| StatementCheck { claims, key_id, trust: None, problems: vec![problem] };
    let parsed = match parse(jws.trim()) {
        Ok(parsed) => parsed,
        Err(problem) => return failed(None, None, problem),
    };
    let (claims, key_id) = (Some(parsed.claims.clone()), Some(parsed.header.kid.clone()));
    let (key, trust) = match signing_key(&parsed.header.kid, expected) {
        Ok(key) => key,
        Err(problem) => return failed(claims, key_id, problem),
    };
    match key.verify_strict(parsed.signing_input.as_bytes(), &parsed.signature) {
        Ok(()) => StatementCheck { claims, key_id, trust: Some(trust), problems: Vec::new() },
        Err(_) => failed(claims, key_id, tampered()),
    }
}

fn unreadable(what: &str) -> Diagnostic {
    Diagnostic::new(Code::QrStatementUnreadable, format!("the QR code's statement cannot be read: {what}"))
        .hint("scan the code again; a code that still reads wrong was not made by kub, or was damaged")
}

/// Reads the header, claims and signature of a compact JWS.
fn parse(jws: &str) -> Result<Parsed<'_>, Diagnostic> {
    let (signing_input, signature) = jws.rsplit_once('.').ok_or_else(|| unreadable("it has no signature"))?;
    let (header, payload) = signing_input.split_once('.').ok_or_else(|| unreadable("it has no claims"))?;
    let decode = |part: &str, what: &str| {
        URL_SAFE_NO_PAD.decode(part).map_err(|_| unreadable(&format!("its {what} is not base64url")))
    };
    let header: Value =
        serde_json::from_slice(&decode(header, "header")?).map_err(|_| unreadable("its header is not JSON"))?;
    if header.get("alg").and_then(Value::as_str) != Some(ALGORITHM) || header.get("crit").is_some() {
        return Err(unreadable(&format!("it is not signed with {ALGORITHM} (Ed25519), the one algorithm kub accepts")));
    }
    let header: Header = serde_json::from_value(header).map_err(|_| unreadable("its header names no key (`kid`)"))?;
    let claims: Claims = serde_json::from_slice(&decode(payload, "content")?)
        .map_err(|error| unreadable(&format!("its claims are not those of a certificate ({error})")))?;
    let signature = <[u8; 64]>::try_from(decode(signature, "signature")?.as_slice())
        .map_err(|_| unreadable("its signature is not an Ed25519 signature"))?;
    Ok(Parsed { signing_input, header, claims, signature: Signature::from_bytes(&signature) })
}

/// The key to check the signature with, and why it is the issuer's: the
/// statement's `kid` must agree with the key kub.toml or `--key` gives.
fn signing_key(kid: &str, expected: Option<&ExpectedKey>) -> Result<(VerifyingKey, KeyTrust), Diagnostic> {
    let Some(signer) = KeyName::parse(kid) else {
        return Err(unreadable(&format!(
            "it names its key as `{kid}`, which is neither a did:key nor a URL with a fragment"
        )));
    };
    if let Some(issuer) = expected.and_then(|e| e.name.as_ref()).map(KeyName::controller)
        && issuer != signer.controller()
    {
        return Err(wrong_key(format!(
            "the statement is signed with a key of {}, not with the key of the issuer in kub.toml ({issuer})",
            signer.controller()
        )));
    }
    match super::verify::choose_key(&signer, expected) {
        Ok(chosen) => Ok(chosen),
        Err(Some((signed_with, key))) => Err(wrong_key(format!(
            "the statement is signed with the key {}, not with the issuer's key {}",
            keys::did_key(&signed_with),
            keys::did_key(&key)
        ))),
        Err(None) => Err(Diagnostic::new(
            Code::QrStatementKeyUnknown,
            format!("the statement is signed with the key at {kid}, and kub does not fetch keys from the network"),
        )
        .hint("give the issuer's public key with --key (`did:key:z6Mk…` or `z6Mk…`), or set `public-key` in kub.toml")),
    }
}

fn wrong_key(message: String) -> Diagnostic {
    Diagnostic::new(Code::QrStatementWrongKey, message)
        .hint("someone other than the issuer made this QR code, or the issuer has a new key: ask the issuer which key is theirs")
}

fn tampered() -> Diagnostic {
    Diagnostic::new(
        Code::QrStatementTampered,
        "the QR code's statement was changed after it was signed: its signature does not match what it states",
    )
    .hint("do not rely on this copy of the certificate; ask the issuer for the certificate as issued")
}

/// Checks that `credential` (the file's bytes, as attached to the PDF) is
/// the one the statement vouches for; `from` names where it came from.
pub fn check_credential(claims: &Claims, credential: &[u8], from: &str) -> Result<(), Diagnostic> {
    let other = |message: String| {
        Diagnostic::new(Code::QrStatementOtherCredential, message).hint(
            "the QR code and the certificate do not belong together: ask the issuer for the certificate as issued",
        )
    };
    let id = serde_json::from_slice::<Value>(credential).ok().and_then(|v| v.get("id")?.as_str().map(str::to_string));
    match id {
        None => Err(other(format!("{from} carries no signed credential with an id to compare the QR code with"))),
        Some(id) if id != claims.jti => Err(other(format!(
            "the QR code vouches for the credential {}, but {from} carries the credential {id}",
            claims.jti
        ))),
        Some(_) if digest(credential) != claims.sha256 => Err(other(format!(
            "{from} carries a credential with the id the QR code names, but not the one it vouches for: the \
             credential was changed or issued again after the QR code was made"
        ))),
        Some(_) => Ok(()),
    }
}

/// The first credential file in `folders` (the register's kept files, the
/// output folder's certificates) whose id is `id`, with its path and bytes.
pub fn find_credential(folders: &[std::path::PathBuf], id: &str) -> Option<(std::path::PathBuf, Vec<u8>)> {
    folders.iter().find_map(|folder| {
        let mut paths: Vec<_> = std::fs::read_dir(folder).ok()?.filter_map(|entry| Some(entry.ok()?.path())).collect();
        paths.sort();
        paths.into_iter().filter(|path| path.extension().is_some_and(|e| e == "json")).find_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let document: Value = serde_json::from_slice(&bytes).ok()?;
            (document.get("id")?.as_str()? == id).then_some((path, bytes))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn issuer_with(seed: u8) -> Issuer {
        let key = SigningKey::from_bytes(&[seed; 32]);
        let name = KeyName::parse(&keys::did_key(&key.verifying_key())).unwrap();
        Issuer::new("Göteborgs Stad".into(), None, name, key).unwrap()
    }

    fn claims() -> Claims {
        Claims {
            jti: "urn:uuid:2ac50e30-0000-8000-8000-000000000000".into(),
            sha256: digest(b"{}"),
            name: "Олена Коваленко".into(),
            fw: "slottsskogen@1.0".into(),
            seqf: Some(2),
            iat: 1_795_478_400,
        }
    }

    fn expected(issuer: &Issuer) -> ExpectedKey {
        ExpectedKey { name: Some(issuer.key_name.clone()), key: Some(issuer.public_key()), trust: KeyTrust::Project }
    }

    #[test]
    fn a_signed_statement_verifies_under_the_issuers_key_and_its_own() {
        let issuer = issuer_with(7);
        let jws = issuer.sign_statement(&claims());
        assert!(jws.starts_with("eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6"), "{jws}");
        let check = verify_statement(&jws, Some(&expected(&issuer)));
        assert!(check.is_valid(), "{:?}", check.problems);
        assert_eq!(check.claims, Some(claims()));
        assert_eq!(check.trust, Some(KeyTrust::Project));
        assert_eq!(verify_statement(&jws, None).trust, Some(KeyTrust::SelfStated));
        assert_eq!(claims().issued_on(), "2026-11-24");
    }

    #[test]
    fn a_tampered_statement_and_a_wrong_key_each_have_their_code() {
        let issuer = issuer_with(7);
        let jws = issuer.sign_statement(&claims());
        let (header, rest) = jws.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let mut changed = claims();
        changed.seqf = Some(4);
        let forged = format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&changed).unwrap()));
        let code = |text: &str, expected_key: &ExpectedKey| verify_statement(text, Some(expected_key)).problems[0].code;
        assert_eq!(code(&forged, &expected(&issuer)), Code::QrStatementTampered);
        let other = issuer_with(8).sign_statement(&claims());
        assert_eq!(code(&other, &expected(&issuer)), Code::QrStatementWrongKey);
        let given = ExpectedKey::given(&keys::did_key(&issuer_with(9).public_key())).unwrap();
        assert_eq!(code(&jws, &given), Code::QrStatementWrongKey);
        assert_eq!(code("hello", &given), Code::QrStatementUnreadable);
        assert_eq!(code(&format!("{header}.e30.{signature}"), &given), Code::QrStatementUnreadable);
    }

    #[test]
    fn a_statement_belongs_to_one_credential() {
        let credential = br#"{"id":"urn:uuid:2ac50e30-0000-8000-8000-000000000000"}"#;
        let mut mine = claims();
        mine.sha256 = digest(credential);
        assert!(check_credential(&mine, credential, "the PDF").is_ok());
        let changed = br#"{"id":"urn:uuid:2ac50e30-0000-8000-8000-000000000000", "x": 1}"#;
        let another = br#"{"id":"urn:uuid:ffffffff-0000-8000-8000-000000000000"}"#;
        for wrong in [changed.as_slice(), another, b"not json"] {
            assert_eq!(check_credential(&mine, wrong, "the PDF").unwrap_err().code, Code::QrStatementOtherCredential);
        }
    }
}
