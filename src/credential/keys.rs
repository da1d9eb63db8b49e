//! Ed25519 keys: made from the system's randomness, kept as PKCS#8 PEM
//! files (RFC 8410, as `openssl genpkey -algorithm ed25519` writes them),
//! and named publicly as `did:key` (multibase base58btc of the multicodec
//! `ed25519-pub` prefix and the 32 key bytes).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

/// The DER of a PKCS#8 v1 Ed25519 private key up to the 32 key bytes
/// (RFC 8410, section 7): the only form kub writes and reads.
const PKCS8_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// The multicodec prefix of an Ed25519 public key (0xed as a varint).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

/// A new signing key from the operating system's randomness.
pub fn generate() -> Result<SigningKey, String> {
    let mut secret = Zeroizing::new([0u8; 32]);
    getrandom::fill(secret.as_mut()).map_err(|error| format!("the system gave no randomness: {error}"))?;
    Ok(SigningKey::from_bytes(&secret))
}

/// The key as a PKCS#8 PEM file's text. The text is wiped from memory when dropped.
pub fn to_pem(key: &SigningKey) -> Zeroizing<String> {
    let mut der = Zeroizing::new(Vec::with_capacity(48));
    der.extend_from_slice(&PKCS8_PREFIX);
    der.extend_from_slice(key.as_bytes());
    Zeroizing::new(format!("{PEM_BEGIN}\n{}\n{PEM_END}\n", STANDARD.encode(der.as_slice())))
}

/// Reads a PKCS#8 PEM Ed25519 private key; says what is wrong otherwise,
/// without repeating any of the file's content.
pub fn from_pem(text: &str) -> Result<SigningKey, &'static str> {
    let body = text
        .trim()
        .strip_prefix(PEM_BEGIN)
        .and_then(|rest| rest.strip_suffix(PEM_END))
        .ok_or("it is not a PEM private key (`-----BEGIN PRIVATE KEY-----`)")?;
    let base64: Zeroizing<String> = Zeroizing::new(body.chars().filter(|c| !c.is_whitespace()).collect());
    let der = Zeroizing::new(STANDARD.decode(base64.as_bytes()).map_err(|_| "its PEM body is not base64")?);
    match der.strip_prefix(&PKCS8_PREFIX) {
        Some(secret) if secret.len() == 32 => {
            let mut bytes = Zeroizing::new([0u8; 32]);
            bytes.copy_from_slice(secret);
            Ok(SigningKey::from_bytes(&bytes))
        }
        _ => Err("it holds no Ed25519 private key in the PKCS#8 form (RFC 8410)"),
    }
}

/// The public key in multibase base58btc with its multicodec prefix: `z6Mk…`.
pub fn multibase(key: &VerifyingKey) -> String {
    let bytes = [ED25519_PUB.as_slice(), key.as_bytes()].concat();
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The public key as a `did:key`.
pub fn did_key(key: &VerifyingKey) -> String {
    format!("did:key:{}", multibase(key))
}

/// The public key a `z6Mk…` multibase value names, if it is an Ed25519 key.
pub fn from_multibase(value: &str) -> Option<VerifyingKey> {
    let bytes = bs58::decode(value.strip_prefix('z')?).into_vec().ok()?;
    let key = bytes.strip_prefix(&ED25519_PUB)?;
    VerifyingKey::from_bytes(&<[u8; 32]>::try_from(key).ok()?).ok()
}

/// How kub.toml, a command line or a credential names the issuer's public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyName {
    /// `did:key:z6Mk…`: the key itself, resolved without any network.
    Did {
        /// The whole `did:key:…`.
        did: String,
        /// The key it names.
        key: VerifyingKey,
    },
    /// `https://example.org/issuer#key-1`: a key published at the issuer's
    /// address; its bytes must come from elsewhere.
    Url {
        /// The URL before `#`: the issuer's id.
        controller: String,
        /// The whole URL with its fragment.
        url: String,
    },
}

impl KeyName {
    /// Reads `did:key:z6Mk…` (with or without its `#z6Mk…` fragment) or an
    /// `http(s)` URL with a fragment.
    pub fn parse(text: &str) -> Option<KeyName> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("did:key:") {
            let (value, fragment) = rest.split_once('#').unwrap_or((rest, rest));
            if fragment != value {
                return None;
            }
            let key = from_multibase(value)?;
            return Some(KeyName::Did { did: format!("did:key:{value}"), key });
        }
        let (controller, fragment) = text.split_once('#')?;
        let web = controller.starts_with("https://") || controller.starts_with("http://");
        let plain = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
        (web && plain(controller) && plain(fragment))
            .then(|| KeyName::Url { controller: controller.to_string(), url: text.to_string() })
    }

    /// The issuer's id: the `did:key`, or the URL before the fragment.
    pub fn controller(&self) -> &str {
        match self {
            KeyName::Did { did, .. } => did,
            KeyName::Url { controller, .. } => controller,
        }
    }

    /// The proof's `verificationMethod`: `did:key:z…#z…` or the URL.
    pub fn verification_method(&self) -> String {
        match self {
            KeyName::Did { did, key } => format!("{did}#{}", multibase(key)),
            KeyName::Url { url, .. } => url.clone(),
        }
    }

    /// The key's bytes when the name itself carries them (`did:key`).
    pub fn embedded_key(&self) -> Option<VerifyingKey> {
        match self {
            KeyName::Did { key, .. } => Some(*key),
            KeyName::Url { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_its_pem_file_and_its_did() {
        let key = generate().unwrap();
        let pem = to_pem(&key);
        assert!(pem.starts_with(PEM_BEGIN), "{}", pem.as_str());
        assert_eq!(from_pem(&pem).unwrap().as_bytes(), key.as_bytes());
        let did = did_key(&key.verifying_key());
        assert!(did.starts_with("did:key:z6Mk"), "{did}");
        assert_eq!(KeyName::parse(&did).and_then(|name| name.embedded_key()), Some(key.verifying_key()));
    }

    #[test]
    fn the_1edtech_test_key_has_its_published_did() {
        let secret = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4";
        let bytes: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&secret[2 * i..2 * i + 2], 16).unwrap()).collect();
        let key = SigningKey::from_bytes(&bytes.try_into().unwrap());
        assert_eq!(multibase(&key.verifying_key()), "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
    }

    #[test]
    fn an_openssl_key_file_is_read() {
        // Written by `openssl genpkey -algorithm ed25519` (RFC 8410's example key).
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        assert!(from_pem(pem).is_ok());
        assert!(from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err());
        assert!(from_pem("not a key").is_err());
    }

    #[test]
    fn key_names_are_a_did_key_or_a_url_with_a_fragment() {
        let did = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
        let name = KeyName::parse(did).unwrap();
        assert_eq!(name.controller(), did);
        assert_eq!(name.verification_method(), format!("{did}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"));
        let url = KeyName::parse("https://kommun.example/kub#key-1").unwrap();
        assert_eq!(url.controller(), "https://kommun.example/kub");
        assert_eq!(KeyName::parse("https://kommun.example/kub"), None);
        assert_eq!(KeyName::parse("did:key:zNotAKey"), None);
        assert_eq!(KeyName::parse("urn:x#y"), None);
    }
}
