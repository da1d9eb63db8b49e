//! Checking an assessment against the framework it follows.

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostic::{Code, Diagnostic, did_you_mean, list_words};
use crate::model::{
    Assessment, Framework, ItemKind, Lookup, OccasionKind, RatedKind, Resolution, Scale, compare_versions,
};
use crate::source::Located;
use crate::syntax::ast::Comment;

/// The framework an assessment follows, or the diagnostic saying why it
/// cannot be checked.
pub fn framework_for<'r>(assessment: &Assessment, resolution: &'r Resolution) -> Result<&'r Framework, Diagnostic> {
    let wanted = &assessment.framework;
    match resolution.lookup(&wanted.id, &wanted.version) {
        Lookup::Found(framework) => Ok(framework),
        Lookup::Broken(file) if resolution.is_unread(file) => Err(Diagnostic::new(
            Code::FrameworkHasErrors,
            format!(
                "the framework `{wanted}` could not be read because its file has syntax errors, so this assessment cannot be checked against it"
            ),
        )
        .at(assessment.framework_location)
        .related(resolution.id_location(file), "the framework")
        .hint("fix the syntax errors in the framework's file first; `kub check` lists them")),
        Lookup::Broken(file) => Err(Diagnostic::new(
            Code::FrameworkHasErrors,
            format!("the framework `{wanted}` has errors, so this assessment cannot be checked against it"),
        )
        .at(assessment.framework_location)
        .related(resolution.id_location(file), "the framework")
        .hint("fix the framework first; `kub check` lists its errors")),
        Lookup::OtherVersions(versions) => {
            let newest = versions.last().cloned().unwrap_or_default();
            let listed: Vec<String> = versions.iter().map(|v| format!("`{v}`")).collect();
            let mut diagnostic = Diagnostic::new(
                Code::UnknownVersion,
                format!("the framework `{}` has no version {}", wanted.id, wanted.version),
            )
            .at(assessment.version_location)
            .label("unknown version")
            .hint(format!("versions found: {}", list_words(&listed, "and")));
            if compare_versions(&newest, &wanted.version).is_gt() {
                diagnostic =
                    diagnostic.hint(format!("a newer version exists: `assessment follows {} {newest}`", wanted.id));
            }
            Err(diagnostic)
        }
        Lookup::Unknown(ids) => Err(Diagnostic::new(
            Code::UnknownFramework,
            format!("there is no framework `{}`", wanted.id),
        )
        .at(assessment.framework_location)
        .label("unknown framework")
        .hint_if(did_you_mean(&wanted.id, ids.iter().map(String::as_str)))
        .hint(
            "kub looks for frameworks in the files and folders it is given, and in the project's `frameworks` folder",
        )),
        Lookup::Library => {
            Err(Diagnostic::new(Code::NotAnAssessment, format!("`{}` is a library, not a framework", wanted.id))
                .at(assessment.framework_location)
                .hint("an assessment follows a framework; `kub show` lists what a framework contains"))
        }
    }
}

/// Everything worth saying about an assessment measured against its framework.
pub fn check_assessment(assessment: &Assessment, framework: &Framework) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let ranks = check_ratings(assessment, framework, &mut diagnostics);
    check_occasions(assessment, &mut diagnostics);
    check_final(assessment, framework, &mut diagnostics);
    check_progression(assessment, &ranks, &mut diagnostics);
    check_goals(assessment, framework, &mut diagnostics);
    check_certificate_language(assessment, framework, &mut diagnostics);
    super::renames::check_old_ids(assessment, framework, &mut diagnostics);
    diagnostics
}

fn check_certificate_language(assessment: &Assessment, framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let participant = &assessment.participant;
    let Some(Located { value: lang, location }) = participant.language else { return };
    if !framework.languages.contains(&lang) {
        let declared: Vec<&str> = framework.languages.iter().map(|l| l.code()).collect();
        diagnostics.push(
            Diagnostic::new(
                Code::UnsupportedCertificateLanguage,
                format!(
                    "`{}` is not written in {}, so the certificate would mix languages",
                    framework.reference(),
                    lang.name()
                ),
            )
            .at(location)
            .hint(format!(
                "the framework's texts are in {}; choose one of those, or add {} texts to the framework",
                declared.join(", "),
                lang.name()
            )),
        );
    }
}

const MILESTONE_VALUES: [&str; 2] = ["reached", "not-yet"];

/// Each rating's rank, aligned with the occasions' ratings: its level's
/// place on its scale (a milestone's: `not-yet` 0, `reached` 1), or `None`
/// where there is none to compare, and for a second rating of an item at
/// one occasion, which is reported instead.
type Ranks = Vec<Vec<Option<usize>>>;

/// Reports ratings of unknown items, levels off their scale and items rated
/// twice, and gives every rating's rank, so that each item is looked up once.
fn check_ratings(assessment: &Assessment, framework: &Framework, diagnostics: &mut Vec<Diagnostic>) -> Ranks {
    let mut ranks = Vec::with_capacity(assessment.occasions.len());
    for occasion in &assessment.occasions {
        let mut seen: HashMap<(RatedKind, &str), crate::source::Location> = HashMap::default();
        seen.reserve(occasion.ratings.len());
        let mut occasion_ranks = Vec::with_capacity(occasion.ratings.len());
        for rating in &occasion.ratings {
            let rank = rank_of(rating, framework, &mut seen, occasion, diagnostics);
            occasion_ranks.push(rank);
        }
        ranks.push(occasion_ranks);
    }
    ranks
}

/// One rating's rank, reporting what is wrong with it.
fn rank_of<'a>(
    rating: &'a crate::model::Rating,
    framework: &Framework,
    seen: &mut HashMap<(RatedKind, &'a str), crate::source::Location>,
    occasion: &crate::model::Occasion,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    // One lookup both finds an item rated before and records this rating.
    match seen.entry((rating.kind, rating.item.as_str())) {
        Entry::Occupied(first) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::RatedTwice,
                    format!(
                        "{} is rated twice at the {} on {}",
                        quoted_id(rating),
                        occasion_name(occasion.kind),
                        occasion.date
                    ),
                )
                .at(rating.item_location)
                .related(*first.get(), "first rated here")
                .hint("keep one of the ratings"),
            );
            return None;
        }
        Entry::Vacant(vacant) => {
            vacant.insert(rating.item_location);
        }
    }
    if rating.is_unrated() {
        if !known(rating, framework) {
            diagnostics.push(unknown_rated_item(rating, framework));
            return None;
        }
        diagnostics.push(
            Diagnostic::new(Code::NotYetRated, format!("`{}` is not rated yet", rating.item))
                .at(rating.value_location)
                .hint("replace `?` with a level, or remove the line if the item was not assessed"),
        );
        return None;
    }
    // A milestone's value has its rank whether or not the milestone is known.
    let milestone_rank = || MILESTONE_VALUES.iter().rev().position(|v| *v == rating.value);
    match rating.kind {
        RatedKind::Task => match framework.task(&rating.item) {
            Some(task) => check_on_scale(rating, framework.scale_of(&task.scale), diagnostics),
            None => {
                diagnostics.push(unknown_rated_item(rating, framework));
                None
            }
        },
        RatedKind::Competence => match framework.competence(&rating.item) {
            Some(competence) => check_on_scale(rating, framework.scale_of(&competence.scale), diagnostics),
            None => {
                diagnostics.push(unknown_rated_item(rating, framework));
                None
            }
        },
        RatedKind::Milestone => match framework.milestone(&rating.item) {
            Some(_) if !MILESTONE_VALUES.contains(&rating.value.as_str()) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownMilestoneRating,
                        format!("a milestone is `reached` or `not-yet`, not `{}`", rating.value),
                    )
                    .at(rating.value_location)
                    .label("expected `reached` or `not-yet`")
                    .hint_if(did_you_mean(&rating.value, MILESTONE_VALUES))
                    .hint("write `reached` (uppnått, nået) or `not-yet` (inte än, ikke endnu)"),
                );
                None
            }
            Some(_) => milestone_rank(),
            None => {
                diagnostics.push(unknown_rated_item(rating, framework));
                milestone_rank()
            }
        },
    }
}

/// The id in backticks as the rating writes it, with the id it stands for
/// when the framework renamed it.
fn quoted_id(rating: &crate::model::Rating) -> String {
    match &rating.renamed_from {
        Some(old) => format!("`{old}` (now `{}`)", rating.item),
        None => format!("`{}`", rating.item),
    }
}

fn known(rating: &crate::model::Rating, framework: &Framework) -> bool {
    match rating.kind {
        RatedKind::Task => framework.task(&rating.item).is_some(),
        RatedKind::Competence => framework.competence(&rating.item).is_some(),
        RatedKind::Milestone => framework.milestone(&rating.item).is_some(),
    }
}

fn unknown_rated_item(rating: &crate::model::Rating, framework: &Framework) -> Diagnostic {
    let (code, item_kind, candidates): (Code, ItemKind, Vec<&str>) = match rating.kind {
        RatedKind::Task => (Code::UnknownTask, ItemKind::Task, framework.tasks().map(|t| t.id.as_str()).collect()),
        RatedKind::Competence => (
            Code::UnknownCompetence,
            ItemKind::Competence,
            framework.competences.iter().map(|c| c.id.as_str()).collect(),
        ),
        RatedKind::Milestone => {
            (Code::UnknownMilestone, ItemKind::Milestone, framework.milestones().map(|(_, m)| m.id.as_str()).collect())
        }
    };
    let kind = item_kind.word();
    if let Some(removed) = framework.removed(item_kind, &rating.item) {
        return Diagnostic::new(
            Code::RemovedTask,
            format!("the {kind} `{}` was removed from `{}` by its tailoring", rating.item, framework.reference()),
        )
        .at(rating.item_location)
        .related(removed.location, "removed here")
        .hint("remove this rating, or follow the framework that still has the task");
    }
    let reference = framework.reference();
    Diagnostic::new(code, format!("`{reference}` has no {kind} `{}`", rating.item))
        .at(rating.item_location)
        .label(format!("unknown {kind}"))
        .hint_if(did_you_mean(&rating.item, candidates))
        .hint(format!("`kub show {}` lists the framework's {kind}s", framework.id))
}

/// The rating's rank on its item's scale, reporting a level the scale does
/// not have.
fn check_on_scale(
    rating: &crate::model::Rating,
    scale: Option<&Scale>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let scale = scale?;
    if let Some(rank) = scale.rank(&rating.value) {
        return Some(rank);
    }
    let levels: Vec<String> = scale.level_ids().map(|l| format!("`{l}`")).collect();
    diagnostics.push(
        Diagnostic::new(
            Code::RatingNotOnScale,
            format!("`{}` is not a level of the scale `{}`, which rates `{}`", rating.value, scale.id, rating.item),
        )
        .at(rating.value_location)
        .label("not on the scale")
        .hint_if(did_you_mean(&rating.value, scale.level_ids()))
        .hint(format!("the levels, lowest first, are {}", list_words(&levels, "and"))),
    );
    None
}

fn occasion_name(kind: OccasionKind) -> &'static str {
    match kind {
        OccasionKind::Mapping => "mapping",
        OccasionKind::FollowUp => "follow-up",
        OccasionKind::Final => "final assessment",
    }
}

fn check_occasions(assessment: &Assessment, diagnostics: &mut Vec<Diagnostic>) {
    for pair in assessment.occasions.windows(2) {
        let (earlier, later) = (&pair[0], &pair[1]);
        if later.date < earlier.date {
            diagnostics.push(
                Diagnostic::new(
                    Code::OccasionsOutOfOrder,
                    format!("this occasion ({}) is written after one on a later date ({})", later.date, earlier.date),
                )
                .at(later.date_location)
                .related(earlier.date_location, "the occasion before it")
                .hint("write occasions in date order, or correct the date"),
            );
        }
    }
    if let Some(period) = assessment.period {
        for occasion in &assessment.occasions {
            if occasion.date < period.start || occasion.date > period.end {
                diagnostics.push(
                    Diagnostic::new(
                        Code::OccasionOutsidePeriod,
                        format!(
                            "the {} on {} is outside the period {} to {}",
                            occasion_name(occasion.kind),
                            occasion.date,
                            period.start,
                            period.end
                        ),
                    )
                    .at(occasion.date_location)
                    .related(period.location, "the period")
                    .hint("correct the date, or the period"),
                );
            }
        }
    }
    let names: Vec<&str> = assessment.supervisors.iter().map(|s| s.name.as_str()).collect();
    for occasion in &assessment.occasions {
        if let Some(Located { value: assessor, location }) = &occasion.assessor
            && !names.is_empty()
            && !names.contains(&assessor.as_str())
        {
            diagnostics.push(
                Diagnostic::new(Code::UnknownAssessor, format!("{assessor} is not listed as a supervisor"))
                    .at(*location)
                    .hint_if(did_you_mean(assessor, names.iter().copied()))
                    .hint(format!("add `supervisor \"{assessor}\" role \"...\"`, or correct the name")),
            );
        }
    }
}

fn check_final(assessment: &Assessment, framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let finals: Vec<_> = assessment.occasions.iter().filter(|o| o.kind == OccasionKind::Final).collect();
    for extra in finals.iter().skip(1) {
        diagnostics.push(
            Diagnostic::new(Code::SeveralFinalOccasions, "there is more than one final occasion")
                .at(extra.location)
                .related(finals[0].location, "the first final occasion")
                .hint("the certificate is based on one final assessment; make the earlier ones `follow-up`"),
        );
    }
    let Some(last_final) = finals.last() else {
        let place = assessment.occasions.last().map_or(assessment.framework_location, |o| o.location);
        diagnostics.push(
            Diagnostic::new(
                Code::MissingFinalOccasion,
                "there is no final assessment yet, so no certificate can be issued",
            )
            .at(place)
            .hint("add `occasion final DATE by \"NAME\" { ... }` when the final assessment is made"),
        );
        return;
    };
    let rated: HashSet<&str> = last_final
        .ratings
        .iter()
        .filter(|r| r.kind == RatedKind::Task && !r.is_unrated())
        .map(|r| r.item.as_str())
        .collect();
    for task in framework.tasks().filter(|task| task.required) {
        if !rated.contains(task.id.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::RequiredTaskUnrated,
                    format!("the required task `{}` is not rated at the final assessment", task.id),
                )
                .at(last_final.location)
                .related(task.location, "the task is defined here")
                .hint(format!("add `task {} LEVEL` to the final occasion", task.id)),
            );
        }
    }
    for signed in assessment.signatures().filter(|signed| signed.date < last_final.date) {
        diagnostics.push(
            Diagnostic::new(
                Code::SignedBeforeFinal,
                format!(
                    "{}'s signature ({}) is dated before the final assessment ({})",
                    signed.name, signed.date, last_final.date
                ),
            )
            .at(signed.location)
            .related(last_final.date_location, "the final assessment")
            .hint("a sign-off confirms the final assessment, so it comes on the same day or later"),
        );
    }
}

/// Adds to each lowered rating (K0412) that has a `#` comment on its line
/// why the comment does not count: a comment never reaches a document, so
/// it cannot be the reason a reader of the progression report sees.
pub(super) fn comments_are_not_reasons(found: &mut [Diagnostic], text: &str, comments: &[Comment]) {
    for diagnostic in found.iter_mut().filter(|d| d.code == Code::RatingDecreased) {
        let Some(location) = diagnostic.location else { continue };
        let line_end = text[location.span.end..].find('\n').map_or(text.len(), |at| location.span.end + at);
        let Some(comment) = comments.iter().find(|c| (location.span.end..line_end).contains(&c.span.start)) else {
            continue;
        };
        let line_start = text[..location.span.start].rfind('\n').map_or(0, |at| at + 1);
        let rating = text[line_start..comment.span.start].trim();
        let reason = comment.text.trim().replace('"', "'");
        diagnostic.hints = vec![format!(
            "the `#` comment after it does not count as the reason: comments never reach a document; write it as a quoted note, which the progression report prints and which silences this warning: `{rating} \"{reason}\"`"
        )];
    }
}

/// Warns where a rating is lower than at the occasion before.
fn check_progression(assessment: &Assessment, ranks: &Ranks, diagnostics: &mut Vec<Diagnostic>) {
    let mut previous: HashMap<(RatedKind, &str), (usize, &str)> = HashMap::default();
    // Most occasions rate the same items, so the largest is about how many there are.
    previous.reserve(assessment.occasions.iter().map(|occasion| occasion.ratings.len()).max().unwrap_or(0));
    for (occasion, ranks) in assessment.occasions.iter().zip(ranks) {
        for (rating, rank) in occasion.ratings.iter().zip(ranks) {
            let Some(rank) = *rank else { continue };
            // One lookup gives the rating before and keeps this one instead.
            let before = previous.insert((rating.kind, rating.item.as_str()), (rank, rating.value.as_str()));
            if let Some((before, before_value)) = before {
                // A comment on the lower rating says it is deliberate.
                if rank < before && rating.comment.is_none() {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::RatingDecreased,
                            format!(
                                "`{}` is rated lower than at the occasion before ({before_value} → {})",
                                rating.item, rating.value
                            ),
                        )
                        .at(rating.value_location)
                        .hint(format!(
                            "it may be true, but it should be deliberate: write the reason in quotes after the level, `{} {} {} \"why\"`; the reason is printed in the progression report, and this warning goes away",
                            rating.kind.keyword(), rating.item, rating.value
                        )),
                    );
                }
            }
        }
    }
}

fn check_goals(assessment: &Assessment, framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for goal in &assessment.goals {
        let Some(Located { value: task, location }) = &goal.task else {
            continue;
        };
        if framework.task(task).is_none() {
            diagnostics.push(
                Diagnostic::new(Code::UnknownGoalTask, format!("`{}` has no task `{task}`", framework.reference()))
                    .at(*location)
                    .hint_if(did_you_mean(task, framework.tasks().map(|t| t.id.as_str()))),
            );
        }
    }
}
