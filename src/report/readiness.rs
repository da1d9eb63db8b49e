//! How many checked assessments a build would give a certificate, for the
//! line `kub check` closes with.

use crate::check::{Checked, framework_for};

/// The assessments without errors whose progression, computed as their
/// documents would be, issues a certificate.
pub fn ready_for_certificate(checked: &Checked) -> usize {
    checked
        .assessments
        .iter()
        .filter(|entry| !entry.has_errors)
        .filter_map(|entry| {
            let framework = framework_for(&entry.assessment, &checked.resolution).ok()?;
            let lang = super::document_language(&entry.assessment, framework, None);
            Some(super::progression(&entry.assessment, framework, lang))
        })
        .filter(|progression| progression.certificate_issued)
        .count()
}
