//! `kub verify FILE.credential.json`, and the credential attached to a
//! certificate's PDF: checks a credential offline and says
//! in plain words who issued it, to whom, what it states, and whether it
//! holds. Exit 0 valid, 1 not valid, 2 the command was wrong.

use std::fmt::Write;

use super::{Outcome, broken_project};
use crate::credential::{ExpectedKey, KeyName, KeyTrust, Verification, keys, verify};
use crate::diagnostic::render::{self, Color};
use crate::project::Project;
use crate::source::SourceMap;

/// Verifies a credential's text (a `.credential.json` file's, or the one
/// attached to a certificate's PDF) against `key` when given, else against
/// the issuer in the project's kub.toml, else against the key the
/// credential names itself.
pub(crate) fn check(text: &str, key: Option<&str>, color: Color) -> Outcome {
    let expected = match expected_key(key, color) {
        Ok(expected) => expected,
        Err(outcome) => return outcome,
    };
    let verification = verify(text, expected.as_ref());
    print!("{}", describe(&verification));
    if verification.is_valid() {
        Outcome::Success
    } else {
        eprint!("{}", render::human(&verification.problems, &SourceMap::new(), color));
        Outcome::Problems
    }
}

/// The key to verify against: `key` when given, else the issuer's in the
/// project's kub.toml, else none (the signature's own did:key).
pub(super) fn expected_key(key: Option<&str>, color: Color) -> Result<Option<ExpectedKey>, Outcome> {
    match key {
        Some(given) => match ExpectedKey::given(given) {
            Some(expected) => Ok(Some(expected)),
            None => Err(Outcome::Usage(format!("--key expects a did:key or a `z6Mk…` Ed25519 key, not `{given}`"))),
        },
        None => project_key().map_err(|outcome| outcome(color)),
    }
}

/// The issuer's key from the project's kub.toml, if it names one.
fn project_key() -> Result<Option<ExpectedKey>, Box<dyn FnOnce(Color) -> Outcome>> {
    let project = match Project::discover(&std::env::current_dir().unwrap_or_default()) {
        Ok(project) => project,
        Err(broken) => return Err(Box::new(move |color| broken_project(&broken, color))),
    };
    let Some(issuer) = project.issuer else { return Ok(None) };
    let Some(name) = KeyName::parse(&issuer.key) else {
        let message =
            format!("`key` in kub.toml's [issuer] is neither a did:key nor a URL with a fragment: {}", issuer.key);
        return Err(Box::new(move |_| Outcome::Usage(message)));
    };
    let key = name.embedded_key().or_else(|| issuer.public_key.as_deref().and_then(keys::from_multibase));
    Ok(Some(ExpectedKey { name: Some(name), key, trust: KeyTrust::Project }))
}

/// The verdict and what the credential states, for a person to read.
pub(crate) fn describe(verification: &Verification) -> String {
    let mut out = String::new();
    if let Some(statement) = &verification.statement {
        let (issuer_name, issuer_id) = &statement.issuer;
        let _ = writeln!(out, "{}", statement.name);
        let _ = writeln!(out, "  issued by   {issuer_name} ({issuer_id})");
        let _ = writeln!(out, "  to          {}", statement.subject);
        let _ = writeln!(out, "  for         {}", statement.achievement);
        let _ = writeln!(out, "  valid from  {}", statement.valid_from.trim_end_matches("T00:00:00Z"));
        for (item, level, reaches) in &statement.results {
            let mark = match reaches {
                Some(true) => " (achieved)",
                Some(false) => " (not achieved)",
                None => "",
            };
            let _ = writeln!(out, "    {item}: {level}{mark}");
        }
    }
    match verification.trust {
        Some(trust) if verification.is_valid() => {
            let _ = writeln!(out, "valid: the signature holds and every field is as the issuer signed it");
            let _ = writeln!(out, "{}", trust_note(trust, "credential"));
        }
        _ => {
            let _ = writeln!(out, "NOT VALID: do not rely on what this credential states");
        }
    }
    out
}

/// Why the key that signed `what` (a credential, a statement) is trusted.
pub(super) fn trust_note(trust: KeyTrust, what: &str) -> String {
    match trust {
        KeyTrust::Project => "the key is the issuer's key named in this project's kub.toml".into(),
        KeyTrust::Given => "the key is the one given with --key".into(),
        KeyTrust::SelfStated => format!(
            "note: the key is named only by the {what}'s own did:key, which proves that the holder of that key \
             signed it, not who that is; compare it with the key the issuer publishes, or give that key with --key"
        ),
    }
}
