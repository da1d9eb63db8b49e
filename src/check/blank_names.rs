//! Names left blank in an assessment, and Latin forms that are not Latin.
//!
//! `kub new` writes `workplace ""` and `supervisor "" role ""` for the
//! supervisor to fill in. While the placement runs, a blank is a reminder;
//! once the assessment is signed and final, a certificate would print it
//! empty, so it is an error there.

use crate::diagnostic::{Code, Diagnostic};
use crate::script::{self, Script};
use crate::source::{FileId, Location};
use crate::syntax::ast::{AssessmentDoc, AssessmentItem, Str};

/// Every blank name of an assessment, and a `latin` form written in another script.
pub fn blank_names(file: FileId, doc: &AssessmentDoc) -> Vec<Diagnostic> {
    let for_certificate = is_signed_and_final(doc);
    let mut found = Vec::new();
    let mut blank = |text: &Str, what: &str| {
        if text.value.trim().is_empty() {
            found.push(blank_name(Location::new(file, text.span), what, for_certificate));
        }
    };
    for item in &doc.items {
        match item {
            AssessmentItem::Participant(participant) => {
                if let Some(latin) = &participant.latin {
                    blank(latin, "the Latin form of the participant's name");
                }
            }
            AssessmentItem::Workplace { name, .. } => blank(name, "the workplace"),
            AssessmentItem::Supervisor { name, role, .. } => {
                blank(name, "the supervisor's name");
                if let Some(role) = role {
                    blank(role, "the supervisor's role");
                }
            }
            AssessmentItem::Signed { name, role, .. } => {
                blank(name, "the name of who signed");
                if let Some(role) = role {
                    blank(role, "the signer's role");
                }
            }
            _ => {}
        }
    }
    found.extend(latin_in_another_script(file, doc));
    found
}

/// Whether the file has a `signed` line and a final occasion, so that a
/// certificate is made from it.
fn is_signed_and_final(doc: &AssessmentDoc) -> bool {
    let signed = doc.items.iter().any(|item| matches!(item, AssessmentItem::Signed { .. }));
    let final_occasion = doc
        .items
        .iter()
        .any(|item| matches!(item, AssessmentItem::Occasion(occasion) if occasion.kind.text == "final"));
    signed && final_occasion
}

fn blank_name(location: Location, what: &str, for_certificate: bool) -> Diagnostic {
    let hint = "write it in the quotes, or remove the line if it does not apply";
    if for_certificate {
        Diagnostic::new(
            Code::BlankNameOnCertificate,
            format!("{what} is blank, and this assessment is signed: the certificate would print it empty"),
        )
        .at(location)
        .label("blank")
        .hint(hint)
    } else {
        Diagnostic::new(Code::BlankName, format!("{what} is blank"))
            .at(location)
            .label("still to fill in")
            .hint(hint)
            .hint("it must be filled in before the assessment is signed")
    }
}

/// A `latin` form with letters of another script, such as the name copied
/// twice in Arabic.
fn latin_in_another_script(file: FileId, doc: &AssessmentDoc) -> Option<Diagnostic> {
    let latin = doc.items.iter().find_map(|item| match item {
        AssessmentItem::Participant(participant) => participant.latin.as_ref(),
        _ => None,
    })?;
    let foreign = latin
        .value
        .chars()
        .any(|c| c.is_alphabetic() && !matches!(script::of(c), Script::Latin | Script::Common | Script::Inherited));
    if !foreign {
        return None;
    }
    Some(
        Diagnostic::new(Code::LatinNameNotLatin, "the Latin form of the name has letters that are not Latin")
        .at(Location::new(file, latin.span))
        .label("expected Latin letters")
        .hint("write the name as the participant's ID document or the population register spells it, for example `latin \"Amal Hassan\"`"),
    )
}
