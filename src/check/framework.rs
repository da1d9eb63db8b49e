//! Checks of a resolved framework's content, one family a file: texts in
//! every declared language ([`super::texts`]), scales that make sense and
//! are used ([`super::scales`]), areas with tasks ([`super::areas`]),
//! complete certificate rules ([`super::certificate`]) and renames that
//! lead somewhere ([`super::renames`]).
//!
//! Errors found while resolving (unknown scales or levels, duplicates,
//! tailorings of missing items) stay in `model::resolve`: they decide
//! whether a framework is broken, and a broken framework is not resolved
//! further, nor are the tailorings of it.

use super::{areas, certificate, renames, scales, texts};
use crate::diagnostic::Diagnostic;
use crate::model::Framework;

/// Everything worth saying about one resolved framework or library.
pub fn check_framework(framework: &Framework) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    texts::check_texts(framework, &mut diagnostics);
    scales::check_scales(framework, &mut diagnostics);
    scales::check_competences(framework, &mut diagnostics);
    areas::check_areas(framework, &mut diagnostics);
    certificate::check_certificate_rules(framework, &mut diagnostics);
    renames::check_renames(framework, &mut diagnostics);
    diagnostics
}

pub(super) fn own_file(framework: &Framework) -> crate::source::FileId {
    framework.location.file
}
