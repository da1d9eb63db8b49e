//! The progression model: one participant's development, computed from an
//! assessment and its resolved framework, with every text in the document's
//! language. This is exactly what the document templates receive; its fields
//! are documented in docs/progression.md.

mod localize;
mod steps;
mod tracks;
mod verification;
mod views;

use super::level_chart::level_chart;
pub use super::seqf::SeqfStatement;
use super::seqf::seqf_statement;
use crate::model::{Assessment, Framework, Lang, OccasionKind};
pub(super) use localize::{Localizer, scale_views};
use steps::{Steps, summarise};
use tracks::overall_cefr;
pub use verification::{VERIFICATION_FIELD, verification_code};
pub use views::*;

/// The language documents for this assessment are written in: the
/// participant's choice, else the project's, else the framework's default.
pub fn document_language(assessment: &Assessment, framework: &Framework, preferred: Option<Lang>) -> Lang {
    preferred
        .or(assessment.participant.language.map(|chosen| chosen.value))
        .unwrap_or_else(|| framework.default_language())
}

/// Whether an assessment earns a certificate: it has a final occasion and
/// is signed. The progression's `certificate_issued` is this.
pub fn issues_certificate(assessment: &Assessment) -> bool {
    assessment.signed.is_some() && assessment.occasions.iter().any(|occasion| occasion.kind == OccasionKind::Final)
}

/// Computes a participant's progression in language `lang`, sealed with
/// its verification code.
pub fn progression(assessment: &Assessment, framework: &Framework, lang: Lang) -> Progression {
    let mut progression = unsealed_progression(assessment, framework, lang);
    progression.seal();
    progression
}

/// A participant's progression without its verification code (left empty),
/// for what is decided from a progression rather than shown, such as which
/// documents to plan. The code covers every field, which makes it the
/// dearest part of a progression to compute.
pub fn unsealed_progression(assessment: &Assessment, framework: &Framework, lang: Lang) -> Progression {
    let steps = Steps::new(assessment, framework, lang);
    let areas = steps.areas();
    let competences = steps.competences();
    let language_tracks = steps.language_tracks();
    let all_tasks: Vec<&ItemProgress> = areas.iter().flat_map(|a| &a.tasks).collect();
    let summary = summarise(&all_tasks, &language_tracks);
    let seqf = seqf_statement(framework.certificate.seqf, &all_tasks);
    let scales = scale_views(framework, lang);
    let level_chart = level_chart(&areas, &competences, &scales, steps.occasions.len());
    let signed_view =
        |s: &crate::model::assessment::SignOff| SignedView { name: s.name.clone(), role: s.role.clone(), date: s.date };
    let signed = assessment.signed.as_ref().map(signed_view);
    let document_date = signed.as_ref().map(|s| s.date).or_else(|| steps.occasions.last().map(|o| o.date));
    let mut progression = Progression {
        language: lang,
        participant: ParticipantView {
            name: assessment.participant.name.clone(),
            latin: assessment.participant.latin.clone(),
            reference: assessment.participant.reference.clone(),
            right_to_left: crate::script::is_mostly_right_to_left(&assessment.participant.name),
        },
        framework: steps.framework_view(),
        workplace: assessment.workplace.clone(),
        organisation: assessment.organisation.clone(),
        supervisors: assessment
            .supervisors
            .iter()
            .map(|s| SupervisorView { name: s.name.clone(), role: s.role.clone() })
            .collect(),
        period: assessment.period.map(|p| PeriodView {
            start: p.start,
            end: p.end,
            weeks: ((p.end - p.start).num_days() + 3) / 7,
        }),
        occasions: steps
            .occasions
            .iter()
            .map(|o| OccasionView {
                kind: o.kind,
                date: o.date,
                assessor: o.assessor.as_ref().map(|a| a.value.clone()),
            })
            .collect(),
        scales,
        cefr_overall: overall_cefr(&language_tracks),
        areas,
        competences,
        language_tracks,
        level_chart,
        summary,
        seqf,
        goals: steps.goals(assessment),
        certificate_issued: issues_certificate(assessment),
        signed,
        cosigned: assessment.cosigned.iter().map(signed_view).collect(),
        document_date,
        issuer: None,
        verification_code: String::new(),
    };
    progression.issuer = progression.organisation.clone().or_else(|| progression.framework.organisation.clone());
    progression
}
