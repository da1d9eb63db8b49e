//! A framework version that changed after certificates were issued on it:
//! what makes a version mean something. Certificates name a framework by
//! its version; if the content behind a version can change, a version says
//! nothing.

use std::collections::BTreeMap;

use super::{Record, Register, changes, issue::listed};
use crate::canonical;
use crate::check::{Checked, framework_for};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Framework, FrameworkRef};
use crate::source::Location;
use crate::syntax::ast::{Document, FrameworkItem};

/// The fingerprint of a resolved framework: the digest of its canonical
/// JSON, which leaves out where things are written, so formatting and
/// comments do not change it, while any text, level or rule does.
pub fn framework_fingerprint(framework: &Framework) -> String {
    canonical::fingerprint(&canonical::value_of(framework))
}

/// An error at the `version` line of each framework whose resolved content
/// is no longer what certificates in force were issued on. `organisation`
/// is kub.toml's, so that the first difference named is the one a build
/// would print.
pub fn unversioned_changes(checked: &Checked, register: &Register, organisation: Option<&str>) -> Vec<Diagnostic> {
    let mut resting: BTreeMap<FrameworkRef, Vec<&Record>> = BTreeMap::new();
    for record in &register.records {
        let stamp = &record.current().framework;
        resting.entry(FrameworkRef { id: stamp.id.clone(), version: stamp.version.clone() }).or_default().push(record);
    }
    let mut found = Vec::new();
    for framework in checked.resolution.frameworks() {
        let file = checked.resolution.file_of(framework);
        let Some(records) = resting.get(&framework.reference()) else { continue };
        if checked.resolution.is_broken(file) {
            continue;
        }
        let fingerprint = framework_fingerprint(framework);
        let changed: Vec<&Record> =
            records.iter().copied().filter(|record| record.current().framework.fingerprint != fingerprint).collect();
        let Some(first) = changed.first() else { continue };
        let count = changed.len();
        let certificates =
            if count == 1 { "1 certificate was".to_string() } else { format!("{count} certificates were") };
        let mut diagnostic = Diagnostic::new(
            Code::UnversionedChange,
            format!(
                "{} {} has changed since {certificates} issued on it; give it a new version",
                framework.id, framework.version
            ),
        )
        .at(version_location(checked, framework))
        .label("changed since certificates were issued on this version");
        diagnostic = diagnostic.hint(first_difference(checked, first, organisation));
        found.push(diagnostic.hint(
            "issued certificates never change; a new version lets their assessments move to it with `kub migrate`",
        ));
    }
    found
}

/// What the change does to one participant's certificate, if their
/// assessment is among the files checked.
fn first_difference(checked: &Checked, record: &Record, organisation: Option<&str>) -> String {
    let issued = &record.current().certificate;
    let today = checked.assessments.iter().filter(|entry| !entry.has_errors).find_map(|entry| {
        let framework = framework_for(&entry.assessment, &checked.resolution).ok()?;
        let lang = issued.get("language").and_then(|lang| lang.as_str()).and_then(crate::model::Lang::parse)?;
        let progression =
            crate::report::unsealed_progression(&entry.assessment, framework, lang).into_issued(organisation);
        let data = canonical::value_of(&progression);
        (super::Identity::of(&data) == super::Identity::of(issued)).then_some(data)
    });
    let participant = &record.participant;
    match today.map(|data| changes(issued, &data)) {
        Some(changed) if !changed.is_empty() => {
            format!("the certificate issued to {participant} would change: {}", listed(&changed))
        }
        Some(_) => format!("the certificate issued to {participant} rests on it, though its own text would not change"),
        None => format!("the certificate issued to {participant} rests on it"),
    }
}

/// The framework's `version` line, else its header.
fn version_location(checked: &Checked, framework: &Framework) -> Location {
    let file = checked.resolution.file_of(framework);
    let version = checked.workspace.parsed(file).and_then(|parsed| match &parsed.document {
        Some(Document::Framework(doc)) => doc.items.iter().find_map(|item| match item {
            FrameworkItem::Version { version, .. } => Some(version.span),
            _ => None,
        }),
        _ => None,
    });
    match version {
        Some(span) => Location::new(file, span),
        None => framework.location,
    }
}
