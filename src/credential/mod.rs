//! Credentials: a certificate as an Open Badges 3.0 `OpenBadgeCredential`
//! signed with a Data Integrity proof (`eddsa-rdfc-2022`), the issuer's
//! keys, and verifying a credential offline. A stage after `report`: a
//! credential is a pure function of the certificate's data, the issuer and
//! its key, so that building twice gives the same bytes. [`statement`] is
//! the short signed statement a certificate's QR code carries.
//! docs/credentials.md describes what a credential holds.

mod canonical;
mod compare;
mod contexts;
pub mod integrity;
pub mod keyfile;
pub mod keys;
mod openbadge;
pub mod statement;
mod texts;
mod verify;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Framework;
use crate::report::Progression;
pub use compare::differences;
pub use keys::KeyName;
pub use openbadge::open_badge;
pub use verify::{ExpectedKey, KeyTrust, Statement, Verification, verify};

/// The name the credential has inside a certificate's PDF, as an attached
/// file beside `certificate.json`.
pub const ATTACHMENT_NAME: &str = "credential.json";

/// `[issuer]` in kub.toml: who signs credentials, and with which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerSettings {
    /// The organisation's name, as credentials state it.
    pub name: String,
    /// Its web address, if given.
    pub url: Option<String>,
    /// Its public key: `did:key:z6Mk…`, or a URL with a fragment.
    pub key: String,
    /// For a URL `key`: the key's bytes as multibase (`z6Mk…`), so that
    /// kub can check credentials without fetching the URL.
    pub public_key: Option<String>,
    /// Where the private key file is, resolved against kub.toml's folder.
    pub private_key: Option<PathBuf>,
    /// An environment variable holding the private key file's text instead.
    pub private_key_env: Option<String>,
}

/// An issuer ready to sign: its settings and its private key, which never
/// leaves this value (its `Debug` leaves the key out).
pub struct Issuer {
    /// The organisation's name.
    pub name: String,
    /// Its web address, if given.
    pub url: Option<String>,
    /// How credentials name its key.
    pub key_name: KeyName,
    key: SigningKey,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer").field("name", &self.name).field("key", &self.key_name.verification_method()).finish()
    }
}

impl Issuer {
    /// The issuer of kub.toml's `[issuer]`, with its private key read from
    /// its file or environment variable and checked against the public key
    /// kub.toml names.
    pub fn load(settings: &IssuerSettings) -> Result<Issuer, Diagnostic> {
        let key_name = public_key_name(settings)?;
        let (text, from) = private_key_text(settings)?;
        let key = keys::from_pem(&text).map_err(|why| {
            Diagnostic::new(Code::IssuerKeyInvalid, format!("the issuer's private key in {from} cannot be used: {why}"))
                .hint("make a key with `kub key new`, or give an Ed25519 key in PKCS#8 PEM form")
        })?;
        if let Some(published) = &settings.public_key {
            let Some(public) = keys::from_multibase(published) else {
                return Err(Diagnostic::new(
                    Code::IssuerKeyNameInvalid,
                    format!("`public-key = \"{published}\"` in [issuer] is not an Ed25519 key written as `z6Mk…`"),
                ));
            };
            if public != key.verifying_key() {
                return Err(mismatch(&public, &key));
            }
        }
        Issuer::new(settings.name.clone(), settings.url.clone(), key_name, key)
    }

    /// An issuer from its parts; fails when `key` is not the key `key_name` names.
    pub fn new(name: String, url: Option<String>, key_name: KeyName, key: SigningKey) -> Result<Issuer, Diagnostic> {
        if let Some(public) = key_name.embedded_key().filter(|public| *public != key.verifying_key()) {
            return Err(mismatch(&public, &key));
        }
        Ok(Issuer { name, url, key_name, key })
    }

    /// The public half of the issuer's key.
    pub fn public_key(&self) -> ed25519_dalek::VerifyingKey {
        self.key.verifying_key()
    }

    /// The certificate as a signed credential, pretty-printed JSON.
    ///
    /// Dated by the sign-off: the credential is valid from that day and its
    /// proof is made at midnight UTC of it, so that rebuilding gives the
    /// same bytes.
    pub fn issue(&self, progression: &Progression, facts: &CertificateFacts) -> Result<Vec<u8>, Diagnostic> {
        let unsigned = open_badge(progression, facts, self);
        let options = integrity::ProofOptions {
            created: openbadge::issuance_time(progression),
            verification_method: self.key_name.verification_method(),
            proof_purpose: "assertionMethod".into(),
        };
        let signed = integrity::sign(unsigned, &options, &self.key).map_err(|error| {
            Diagnostic::new(Code::CredentialNotJsonLd, format!("the credential cannot be signed: {error}"))
        })?;
        Ok(pretty_json(&signed))
    }
}

/// `value` as pretty-printed JSON with a final newline, in a vector of
/// just that size. Written first into a buffer each thread keeps, since
/// growing a fresh vector to a credential's size copies it several times
/// over and asks the system for new memory at each step.
fn pretty_json(value: &serde_json::Value) -> Vec<u8> {
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut buffer = BUFFER.take();
    buffer.clear();
    serde_json::to_writer_pretty(&mut buffer, value).expect("a JSON value serialises");
    buffer.push(b'\n');
    let bytes = buffer.to_vec();
    if buffer.capacity() <= 4 << 20 {
        BUFFER.set(buffer);
    }
    bytes
}

/// A private key that is not the one kub.toml publishes.
fn mismatch(published: &ed25519_dalek::VerifyingKey, key: &SigningKey) -> Diagnostic {
    let message = format!(
        "the issuer's private key does not belong to the public key in kub.toml: kub.toml names {}, the private \
         key's is {}",
        keys::did_key(published),
        keys::did_key(&key.verifying_key())
    );
    Diagnostic::new(Code::IssuerKeyMismatch, message)
        .hint("set `key` in [issuer] to the did:key `kub key new` printed for this private key")
}

/// kub.toml's `key`, read as a did:key or a URL with a fragment.
pub fn public_key_name(settings: &IssuerSettings) -> Result<KeyName, Diagnostic> {
    KeyName::parse(&settings.key).ok_or_else(|| {
        Diagnostic::new(
            Code::IssuerKeyNameInvalid,
            format!("`key = \"{}\"` in [issuer] is neither a did:key nor a URL with a key fragment", settings.key),
        )
        .hint(
            "write the did:key `kub key new` printed (`did:key:z6Mk…`), or a URL such as `https://kommun.se/kub#key-1`",
        )
    })
}

/// The private key file's text, and where it came from for messages.
fn private_key_text(settings: &IssuerSettings) -> Result<(zeroize::Zeroizing<String>, String), Diagnostic> {
    let unreadable = |message: String| {
        Diagnostic::new(Code::IssuerKeyUnreadable, message)
            .hint("set `private-key` in [issuer] to the file `kub key new` wrote, or `private-key-env` to a variable holding it")
    };
    if let Some(variable) = &settings.private_key_env {
        return match std::env::var(variable) {
            Ok(text) => Ok((zeroize::Zeroizing::new(text), format!("the environment variable {variable}"))),
            Err(_) => Err(unreadable(format!(
                "the environment variable {variable} holding the issuer's private key is not set"
            ))),
        };
    }
    let Some(path) = &settings.private_key else {
        return Err(unreadable("[issuer] in kub.toml names no private key to sign with".into()));
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((zeroize::Zeroizing::new(text), path.display().to_string())),
        Err(error) => Err(unreadable(format!("cannot read the issuer's private key {}: {error}", path.display()))),
    }
}

/// What a credential needs from the framework beyond what the certificate
/// shows: ESCO links and the level from which each scale counts as
/// achieved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The framework's ESCO occupation, if it gives one.
    pub esco: Option<String>,
    /// Each task's ESCO skill, by task id.
    pub task_esco: BTreeMap<String, String>,
    /// The lowest level that counts as achieved, by scale id.
    pub achieved_from: BTreeMap<String, String>,
}

impl CertificateFacts {
    /// The facts of `framework`.
    pub fn of(framework: &Framework) -> CertificateFacts {
        CertificateFacts {
            esco: framework.esco.clone(),
            task_esco: framework.tasks().filter_map(|t| Some((t.id.clone(), t.esco.clone()?))).collect(),
            achieved_from: framework
                .certificate
                .achieved
                .iter()
                .map(|rule| (rule.scale.clone(), rule.level.clone()))
                .collect(),
        }
    }
}

/// Whether `path` lies inside `folder`, both taken as absolute paths.
pub(crate) fn is_inside(path: &Path, folder: &Path) -> bool {
    let absolute = |p: &Path| std::path::absolute(p).map(|a| crate::model::workspace::normalize(&a));
    match (absolute(path), absolute(folder)) {
        (Ok(path), Ok(folder)) => path.starts_with(folder),
        _ => false,
    }
}
