//! Checks about participants across files: assessment files named after a
//! personal identity number, and two files about one placement.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::CheckedAssessment;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Assessment, Workspace};
use crate::source::{FileId, Location, Span};

/// Warns when an assessment file's name looks like a personal identity
/// number, showing the name with the digits masked.
pub fn file_name(workspace: &Workspace, file: FileId, header: Span) -> Option<Diagnostic> {
    let name = workspace.path(file).file_name()?.to_string_lossy().into_owned();
    if !crate::personal_number::contains(&name) {
        return None;
    }
    let shown = crate::personal_number::mask(&name);
    Some(
        Diagnostic::new(
            Code::FileNamedAfterPersonalNumber,
            format!("the file name `{shown}` looks like it holds a personal identity number (the digits shown as X)"),
        )
        .at(Location::new(file, header))
        .label("in this file's name")
        .hint("kub keeps it out of documents and their names, but everyone who sees the folder sees the file name")
        .hint("rename the file after the participant's name or a local reference, for example `amal-hassan.kub`"),
    )
}

/// Warns at every assessment that describes the same participant as an
/// earlier one on the same framework for an overlapping period. Files
/// nearer the top come first, so that the warning lands on the copy in a
/// backup folder rather than on the original.
pub fn duplicates(assessments: &[CheckedAssessment], workspace: &Workspace) -> Vec<Diagnostic> {
    let mut order: Vec<&Assessment> = assessments.iter().map(|entry| entry.assessment.as_ref()).collect();
    order.sort_by_cached_key(|assessment| {
        let path = workspace.path(assessment.file);
        (path.components().count(), path.to_path_buf())
    });
    let mut seen: HashMap<(String, String, String), Vec<&Assessment>> = HashMap::new();
    let mut diagnostics = Vec::new();
    for assessment in order {
        let framework = (assessment.framework.id.clone(), assessment.framework.version.clone());
        let keys = identity_keys(assessment);
        let earlier = keys
            .iter()
            .filter_map(|key| seen.get(&(framework.0.clone(), framework.1.clone(), key.clone())))
            .flatten()
            .find(|earlier| same_participant(earlier, assessment) && periods_overlap(earlier, assessment));
        if let Some(earlier) = earlier {
            diagnostics.push(duplicate(assessment, earlier, workspace));
        }
        for key in keys {
            seen.entry((framework.0.clone(), framework.1.clone(), key)).or_default().push(assessment);
        }
    }
    diagnostics
}

fn duplicate(assessment: &Assessment, earlier: &Assessment, workspace: &Workspace) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateParticipant,
        format!(
            "{} is already assessed on `{}` for an overlapping period in {}",
            assessment.participant.name,
            assessment.framework,
            workspace.path(earlier.file).display()
        ),
    )
    .at(assessment.participant.location)
    .label("the same participant")
    .related(earlier.participant.location, "assessed here too")
    .hint("both files get documents, under different names, so one placement would get two certificates")
    .hint("if this file is a copy, delete it or move it out of the folders kub builds; if they are two placements, correct the name or the period")
}

/// The ways an assessment can be matched to another: its participant's
/// name, folded, and its reference.
fn identity_keys(assessment: &Assessment) -> Vec<String> {
    let mut keys = vec![format!("name:{}", folded_name(&assessment.participant.name))];
    if let Some(reference) = &assessment.participant.reference {
        keys.push(format!("reference:{}", reference.trim()));
    }
    keys
}

/// Two participants are one when their references agree, or when their
/// names agree and no reference tells them apart.
fn same_participant(a: &Assessment, b: &Assessment) -> bool {
    let (a, b) = (&a.participant, &b.participant);
    match (&a.reference, &b.reference) {
        (Some(first), Some(second)) => first.trim() == second.trim(),
        _ => folded_name(&a.name) == folded_name(&b.name),
    }
}

fn periods_overlap(a: &Assessment, b: &Assessment) -> bool {
    match (a.period, b.period) {
        (Some(a), Some(b)) => a.start <= b.end && b.start <= a.end,
        _ => true,
    }
}

/// A name as people would compare it: case, accents and spacing aside.
fn folded_name(name: &str) -> String {
    let letters: String =
        name.nfkd().filter(|c| !matches!(c, '\u{0300}'..='\u{036F}')).flat_map(char::to_lowercase).collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::folded_name;

    #[test]
    fn names_fold_case_accents_and_spaces() {
        assert_eq!(folded_name("Åsa  Öberg"), folded_name("asa oberg"));
        assert_ne!(folded_name("Åsa Öberg"), folded_name("Åsa Berg"));
        assert_eq!(folded_name("Олена Коваленко"), folded_name("олена коваленко"));
    }
}
