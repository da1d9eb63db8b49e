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
    let mut content = data.clone();
    if let Value::Object(fields) = &mut content {
        fields.remove(VERIFICATION_FIELD);
    }
    let digest = canonical::sha256_hex(canonical::to_string(&content).as_bytes()).to_ascii_uppercase();
    format!("{}-{}-{}", &digest[0..4], &digest[4..8], &digest[8..12])
}

impl Progression {
    /// Computes the verification code again, after a field was set.
    pub(super) fn seal(&mut self) {
        self.verification_code = verification_code(&canonical::value_of(self));
    }

    /// The progression as the organisation issues it: with `organisation`
    /// (kub.toml's) as the issuer when one is set, and its code computed
    /// again so that it covers the issuer printed.
    pub fn issued_by(&self, organisation: Option<&str>) -> Progression {
        let mut issued = self.clone();
        if let Some(organisation) = organisation {
            issued.issuer = Some(organisation.to_string());
            issued.seal();
        }
        issued
    }
}
