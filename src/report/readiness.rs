//! How many checked assessments a build would give a certificate, for the
//! line `kub check` closes with.

use crate::check::{Checked, framework_for};

/// The assessments without errors, of a framework that resolves, whose
/// progression would issue a certificate. The rule is the progression's
/// own; the progression itself (texts, summaries, the verification code)
/// is not computed, as a count needs none of it.
pub fn ready_for_certificate(checked: &Checked) -> usize {
    checked
        .assessments
        .iter()
        .filter(|entry| !entry.has_errors)
        .filter(|entry| framework_for(&entry.assessment, &checked.resolution).is_ok())
        .filter(|entry| super::progression::issues_certificate(&entry.assessment))
        .count()
}
