//! The verification code a printed certificate carries, derived from
//! everything it states.
//!
//! The code is taken of the certificate's data as the templates see it,
//! serialised canonically ([`crate::canonical`]): every text (the
//! framework's titles and criteria, the participant, the issuer, the
//! supervisors, the comments), every date and every level. Any change to
//! what a page can say changes the code; how the data was written (field
//! order, formatting of the source files) does not.

use serde_json::Value;

use super::views::Progression;
use crate::canonical;

/// The field that holds the code, left out of what the code is taken of.
pub const VERIFICATION_FIELD: &str = "verification_code";

/// Twelve characters derived from a certificate's data (a serialised
/// [`Progression`]), grouped for reading aloud: `7F3A-09C2-B4D1`. The
/// data's own `verification_code` is left out, so the code of data that
/// carries its code is the code it carries, unless the data was changed.
pub fn verification_code(data: &Value) -> String {
    // Left out as it is written rather than from a copy: a large
    // certificate's data is held once.
    let digest =
        canonical::sha256_hex(canonical::to_string_without(data, VERIFICATION_FIELD).as_bytes()).to_ascii_uppercase();
    format!("{}-{}-{}", &digest[0..4], &digest[4..8], &digest[8..12])
}

impl Progression {
    /// Computes the verification code over every other field.
    pub(super) fn seal(&mut self) {
        self.verification_code = verification_code(&canonical::value_of(self));
    }

    /// The progression as the organisation issues it, sealed: with
    /// `organisation` (kub.toml's) as the issuer when one is set, and its
    /// code computed so that it covers the issuer printed. Made from an
    /// [unsealed progression](crate::report::unsealed_progression), the
    /// code is computed once.
    pub fn into_issued(mut self, organisation: Option<&str>) -> Progression {
        if let Some(organisation) = organisation {
            self.issuer = Some(organisation.to_string());
        }
        self.seal();
        self
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Every string, number and boolean in `value`, by its JSON pointer.
    fn leaves(value: &Value, at: String, found: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                for (key, field) in fields {
                    leaves(field, format!("{at}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    leaves(item, format!("{at}/{index}"), found);
                }
            }
            _ => found.push(at),
        }
    }

    #[test]
    fn every_value_a_certificate_states_changes_its_code_and_its_own_code_does_not() {
        let data = json!({
            "participant": {"name": "Amal Hassan", "right_to_left": false},
            "framework": {"title": "Park work", "version": "1.0", "extends": ["park-och-natur 2.1"]},
            "issuer": "Göteborgs Stad",
            "areas": [{"title": "Care", "tasks": [{"title": "Mow", "criteria": ["Checks the mower"], "achieved": true,
                "current": {"label": "Independently", "share": 0.75, "comment": "Good"}}]}],
            "seqf": {"level": 3},
            "signed": {"name": "Kent Olsson", "date": "2026-11-24"},
            "verification_code": "",
        });
        let code = verification_code(&data);
        let mut pointers = Vec::new();
        leaves(&data, String::new(), &mut pointers);
        for pointer in pointers {
            let mut changed = data.clone();
            let leaf = changed.pointer_mut(&pointer).unwrap();
            *leaf = match leaf.take() {
                Value::String(text) => Value::String(format!("{text}x")),
                Value::Bool(flag) => Value::Bool(!flag),
                Value::Number(number) => json!(number.as_f64().unwrap() + 1.0),
                other => other,
            };
            let same = pointer == format!("/{VERIFICATION_FIELD}");
            assert_eq!(verification_code(&changed) == code, same, "{pointer}");
        }
    }

    #[test]
    fn the_code_is_twelve_characters_in_three_groups() {
        let code = verification_code(&json!({"participant": {"name": "Åsa"}}));
        assert_eq!(code.len(), 14);
        assert!(code.split('-').all(|group| group.len() == 4 && group.chars().all(|c| c.is_ascii_hexdigit())));
    }
}
