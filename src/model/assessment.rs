//! A participant's assessment as typed data: dates parsed, kinds known,
//! personal data kept out. What it rates is checked against the framework
//! in the check stage.

use chrono::NaiveDate;
use serde::Serialize;

use super::framework::FrameworkRef;
use super::text::Lang;
use super::values::OccasionKind;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::{FileId, Located, Location, Span};
use crate::syntax::ast::{self, AssessmentDoc, AssessmentItem, ParticipantItem};

pub use crate::syntax::ast::RatedKind;

/// One participant's placement, rated against one framework: an assessment
/// file with its dates and values checked.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The framework and version it follows.
    pub framework: FrameworkRef,
    /// Who is assessed.
    pub participant: Participant,
    /// Where the placement is, if written.
    pub workplace: Option<String>,
    /// Who runs the validation, if written.
    pub organisation: Option<String>,
    /// The supervisors, in the order written.
    pub supervisors: Vec<Supervisor>,
    /// The placement's dates, if written.
    pub period: Option<Period>,
    /// The rating occasions, in the order written.
    pub occasions: Vec<Occasion>,
    /// Development goals, in the order written.
    pub goals: Vec<Goal>,
    /// The sign-off: the first `signed` line; `None` while the assessment
    /// is not final and no certificate may be made.
    pub signed: Option<SignOff>,
    /// The people who signed after the first, such as a manager or an SFI
    /// teacher, in the order written.
    pub cosigned: Vec<SignOff>,
    /// The file it was read from.
    #[serde(skip)]
    pub file: FileId,
    /// Where the framework is named.
    #[serde(skip)]
    pub framework_location: Location,
    /// Where the framework's version is named.
    #[serde(skip)]
    pub version_location: Location,
}

/// The person assessed.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    /// Their name as written on documents, in any script.
    pub name: String,
    /// The name's Latin form, for a name written in another script: what
    /// registers, file names and sorting use.
    pub latin: Option<String>,
    /// The organisation's case reference, if written.
    pub reference: Option<String>,
    /// The language the participant wants the certificate in, and where it is named.
    pub language: Option<Located<Lang>>,
    /// Where the participant's name is written.
    #[serde(skip)]
    pub location: Location,
}

/// A supervisor at the workplace.
#[derive(Debug, Clone, Serialize)]
pub struct Supervisor {
    /// Their name.
    pub name: String,
    /// Their role, if written.
    pub role: Option<String>,
}

/// The placement's first and last day.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
    /// Where the `period` line is.
    #[serde(skip)]
    pub location: Location,
}

/// One meeting at which ratings were given.
#[derive(Debug, Clone, Serialize)]
pub struct Occasion {
    /// Which kind of occasion, such as the mapping at the start or the final one.
    pub kind: OccasionKind,
    /// The day it took place.
    pub date: NaiveDate,
    /// Who rated, and where they are named, if written.
    pub assessor: Option<Located<String>>,
    /// The ratings, in the order written.
    pub ratings: Vec<Rating>,
    /// Where the occasion's kind is written, at the start of its block.
    #[serde(skip)]
    pub location: Location,
    /// Where its date is written.
    #[serde(skip)]
    pub date_location: Location,
}

/// One rating: an item of the framework and the level it was given.
#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    /// Whether a task, a competence or a milestone is rated.
    pub kind: RatedKind,
    /// The rated item's id.
    pub item: String,
    /// The level's id, or `?` when not rated yet.
    pub value: String,
    /// The assessor's comment, if any.
    pub comment: Option<String>,
    /// Where the item's id is written.
    #[serde(skip)]
    pub item_location: Location,
    /// Where the level is written.
    #[serde(skip)]
    pub value_location: Location,
    /// The id as written, when the framework renamed it and `item` holds
    /// the new one.
    #[serde(skip)]
    pub renamed_from: Option<String>,
}

/// A development goal.
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    /// The task it is about, and where it is named; `None` for a goal of
    /// the whole placement.
    pub task: Option<Located<String>>,
    /// The goal.
    pub text: String,
    /// The task's id as written, when the framework renamed it and `task`
    /// holds the new one.
    #[serde(skip)]
    pub renamed_from: Option<String>,
}

/// One person's signature on an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct SignOff {
    /// Who signed.
    pub name: String,
    /// Their role, if written on the `signed` line.
    pub role: Option<String>,
    /// The day they signed.
    pub date: NaiveDate,
    /// Where the sign-off's date is written.
    #[serde(skip)]
    pub location: Location,
    /// Where the signer's name is written.
    #[serde(skip)]
    pub name_location: Location,
}

impl Rating {
    /// True for `?`: listed, but not rated yet.
    pub fn is_unrated(&self) -> bool {
        self.value == "?"
    }
}

impl Participant {
    /// The name as registers and file names write it: the Latin form when
    /// one is given (and not left blank), else the name.
    pub fn latin_or_name(&self) -> &str {
        self.latin.as_deref().filter(|latin| !latin.trim().is_empty()).unwrap_or(&self.name)
    }
}

impl Assessment {
    /// Everyone who signed, the first sign-off first.
    pub fn signatures(&self) -> impl Iterator<Item = &SignOff> {
        self.signed.iter().chain(&self.cosigned)
    }

    /// The last occasion of the kind `final`, whose ratings a certificate states; `None` if there is none.
    pub fn final_occasion(&self) -> Option<&Occasion> {
        self.occasions.iter().rev().find(|o| o.kind == OccasionKind::Final)
    }
}

/// Lowers an assessment's syntax. Returns `None` when something it cannot do
/// without (the participant, a valid date where one is needed) is missing;
/// the reasons are in `diagnostics`.
pub fn lower_assessment(file: FileId, doc: &AssessmentDoc, diagnostics: &mut Vec<Diagnostic>) -> Option<Assessment> {
    let at = |span: Span| Location::new(file, span);
    let mut complete = true;
    let mut participant = None;
    let mut workplace = None;
    let mut organisation = None;
    let mut supervisors = Vec::new();
    let mut period = None;
    let mut occasions = Vec::new();
    let mut goals = Vec::new();
    let mut signatures: Vec<SignOff> = Vec::new();
    let mut first_spans: std::collections::HashMap<&str, Span> = Default::default();
    let mut once = |name: &'static str, span: Span, diagnostics: &mut Vec<Diagnostic>| -> bool {
        if let Some(first) = first_spans.get(name) {
            diagnostics.push(
                Diagnostic::new(Code::DuplicateProperty, format!("`{name}` is given twice"))
                    .at(at(span))
                    .related(at(*first), "first given here")
                    .hint("keep one of them"),
            );
            return false;
        }
        first_spans.insert(name, span);
        true
    };
    for item in &doc.items {
        match item {
            AssessmentItem::Participant(def) => {
                if once("participant", def.span, diagnostics) {
                    participant = Some(lower_participant(file, def, diagnostics));
                }
            }
            AssessmentItem::Workplace { name, span } => {
                if once("workplace", *span, diagnostics) {
                    workplace = Some(name.value.clone());
                }
            }
            AssessmentItem::Organisation { text, span } => {
                if once("organisation", *span, diagnostics) {
                    organisation = text.parts.first().map(|part| part.value.value.clone());
                }
            }
            AssessmentItem::Supervisor { name, role, .. } => supervisors
                .push(Supervisor { name: name.value.clone(), role: role.as_ref().map(|role| role.value.clone()) }),
            AssessmentItem::Period { start, end, span } => {
                if !once("period", *span, diagnostics) {
                    continue;
                }
                match lower_period(file, start, end, *span, diagnostics) {
                    Some(lowered) => period = Some(lowered),
                    None => complete = false,
                }
            }
            AssessmentItem::Occasion(def) => match lower_occasion(file, def, diagnostics) {
                Some(occasion) => occasions.push(occasion),
                None => complete = false,
            },
            AssessmentItem::Goal { task, text, .. } => goals.push(Goal {
                task: task.as_ref().map(|t| Located { value: t.text.clone(), location: at(t.span) }),
                text: text.value.clone(),
                renamed_from: None,
            }),
            AssessmentItem::Signed { name, role, date: token, span } => {
                if let Some(first) = signatures.iter().find(|s| same_person(&s.name, &name.value)) {
                    diagnostics.push(signed_twice(&first.name, at(*span), first.name_location));
                    continue;
                }
                match date(file, token, diagnostics) {
                    Some(date) => signatures.push(SignOff {
                        name: name.value.clone(),
                        role: role.as_ref().map(|role| role.value.clone()),
                        date,
                        location: at(token.span),
                        name_location: at(name.span),
                    }),
                    None => complete = false,
                }
            }
        }
    }
    let header = at(doc.header_span);
    let Some(participant) = participant else {
        diagnostics.push(
            Diagnostic::new(Code::MissingProperty, "the assessment does not name its participant")
                .at(header)
                .hint("add `participant \"NAME\"` after the first line"),
        );
        return None;
    };
    // A period given but unreadable has been reported where it is written.
    if period.is_none() && !first_spans.contains_key("period") {
        diagnostics.push(missing_period(header));
        complete = false;
    }
    if !complete {
        return None;
    }
    let mut signatures = signatures.into_iter();
    Some(Assessment {
        framework: FrameworkRef { id: doc.framework.text.clone(), version: doc.version.text.clone() },
        participant,
        workplace,
        organisation,
        supervisors,
        period,
        occasions,
        goals,
        signed: signatures.next(),
        cosigned: signatures.collect(),
        file,
        framework_location: at(doc.framework.span),
        version_location: at(doc.version.span),
    })
}

/// The placement's period, unless a date cannot be read or the period ends
/// before it starts (each reported at its place).
fn lower_period(
    file: FileId,
    start: &ast::Token,
    end: &ast::Token,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Period> {
    let at = |span: Span| Location::new(file, span);
    // Both dates are read before giving up, so that both are reported.
    let (start_date, end_date) = (date(file, start, diagnostics), date(file, end, diagnostics));
    let (start_date, end_date) = (start_date?, end_date?);
    if end_date < start_date {
        diagnostics.push(
            Diagnostic::new(
                Code::PeriodReversed,
                format!("the period ends on {end_date}, before it starts on {start_date}"),
            )
            .at(at(end.span))
            .related(at(start.span), "the period starts here")
            .hint("write the start date first: `period START to END`"),
        );
        return None;
    }
    Some(Period { start: start_date, end: end_date, location: at(span) })
}

/// Whether two names written on `signed` or `supervisor` lines name one
/// person: the same words, whatever the spacing and case.
pub fn same_person(one: &str, other: &str) -> bool {
    let words = |name: &str| name.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    !one.trim().is_empty() && words(one) == words(other)
}

fn signed_twice(name: &str, second: Location, first: Location) -> Diagnostic {
    Diagnostic::new(Code::SignedTwice, format!("{name} signs the assessment twice"))
        .at(second)
        .related(first, "first signed here")
        .hint("each person signs once: keep one of the two `signed` lines")
}

fn missing_period(header: Location) -> Diagnostic {
    Diagnostic::new(Code::MissingProperty, "the assessment has no period")
        .at(header)
        .hint("add the placement's dates: `period 2026-02-02 to 2026-06-30`")
}

fn lower_participant(file: FileId, def: &ast::ParticipantDef, diagnostics: &mut Vec<Diagnostic>) -> Participant {
    let at = |span: Span| Location::new(file, span);
    let mut participant = Participant {
        name: def.name.value.clone(),
        latin: def.latin.as_ref().map(|latin| latin.value.clone()),
        reference: None,
        language: None,
        location: at(def.name.span),
    };
    if def.name.value.trim().is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::MissingProperty, "the participant's name is empty")
                .at(at(def.name.span))
                .hint("write the name as the participant wants it on the certificate, in any script"),
        );
    }
    for item in &def.items {
        match item {
            ParticipantItem::Reference { reference, .. } => {
                if crate::personal_number::contains(&reference.value) || personal_number_is_valid(&reference.value) {
                    // A reference is printed on documents; this one stays off them.
                    diagnostics.push(
                        Diagnostic::new(
                            Code::ReferenceLooksLikePersonalNumber,
                            "this reference looks like a personal identity number, so it is left off every document",
                        )
                        .at(at(reference.span))
                        .label("looks like a personal identity number")
                        .hint("use a local reference that identifies nobody outside your organisation, such as a case number"),
                    );
                } else {
                    participant.reference = Some(reference.value.clone());
                }
            }
            ParticipantItem::Language { lang, .. } => {
                if let Some(language) = certificate_language(lang, at(lang.span), diagnostics) {
                    participant.language = Some(language);
                }
            }
            ParticipantItem::PersonalNumber { number, .. } => {
                let location = at(number.span);
                if personal_number_is_valid(&number.value) {
                    diagnostics.push(
                        Diagnostic::new(Code::PersonalNumberPresent, "this file holds a personal identity number")
                            .at(location)
                            .hint("kub never prints it on a document or in a file name; remove it unless your organisation needs it in this file"),
                    );
                } else {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::InvalidPersonalNumber,
                            "this personal identity number is not valid: its check digit does not match",
                        )
                        .at(location)
                        .hint("check the number, written YYYYMMDD-NNNN or YYMMDD-NNNN")
                        .hint("it is never required and never printed: you can remove the line"),
                    );
                }
            }
        }
    }
    participant
}

fn lower_occasion(file: FileId, def: &ast::OccasionDef, diagnostics: &mut Vec<Diagnostic>) -> Option<Occasion> {
    let at = |span: Span| Location::new(file, span);
    let kind = OccasionKind::parse(&def.kind.text);
    if kind.is_none() {
        diagnostics.push(
            Diagnostic::new(Code::UnknownOccasionKind, format!("`{}` is not a kind of occasion", def.kind.text))
                .at(at(def.kind.span))
                .label("unknown kind")
                .hint_if(did_you_mean(&def.kind.text, OccasionKind::WORDS.iter().copied()))
                .hint("an occasion is a `mapping` (kartläggning), a `follow-up` (uppföljning) or the `final` assessment (slutbedömning)"),
        );
    }
    let date = date(file, &def.date, diagnostics);
    let ratings = def
        .ratings
        .iter()
        .map(|rating| Rating {
            kind: rating.kind,
            item: rating.item.text.clone(),
            value: rating.value.text.clone(),
            comment: rating.comment.as_ref().map(|c| c.value.clone()),
            item_location: at(rating.item.span),
            value_location: at(rating.value.span),
            renamed_from: None,
        })
        .collect();
    Some(Occasion {
        kind: kind?,
        date: date?,
        assessor: def.assessor.as_ref().map(|a| Located { value: a.value.clone(), location: at(a.span) }),
        ratings,
        location: at(def.kind.span),
        date_location: at(def.date.span),
    })
}

/// The language a participant asks for, if documents can be written in it;
/// one they cannot is reported and left out, so the default is used.
fn certificate_language(
    lang: &ast::Token,
    location: Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Located<Lang>> {
    match Lang::parse(&lang.text) {
        Some(language) if language.is_document_language() => Some(Located { value: language, location }),
        Some(language) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnsupportedCertificateLanguage,
                    format!("certificates are not written in {} yet", language.name()),
                )
                .at(location)
                .hint(format!(
                    "use {}; the framework's default language is used instead",
                    super::text::document_languages_listed()
                )),
            );
            None
        }
        None => {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownLanguage,
                    format!("`{}` is not a language code that kub knows", lang.text),
                )
                .at(location)
                .label("unknown language")
                .hint_if(
                    super::lower::country_code_hint(&lang.text)
                        .or_else(|| did_you_mean(&lang.text, super::text::document_languages().iter().copied())),
                )
                .hint(format!("certificates are written in {}", super::text::document_languages_listed())),
            );
            None
        }
    }
}

/// A date as written year-month-day, if it exists in the calendar.
fn date(file: FileId, token: &ast::Token, diagnostics: &mut Vec<Diagnostic>) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(&token.text, "%Y-%m-%d").ok();
    if parsed.is_none() {
        diagnostics.push(
            Diagnostic::new(Code::InvalidDate, format!("{} is not a date in the calendar", token.text))
                .at(Location::new(file, token.span))
                .label("no such date")
                .hint("write dates as year-month-day, for example 2026-03-14"),
        );
    }
    parsed
}

/// Checks a Swedish personal identity number (or coordination number) by its
/// check digit, the Luhn algorithm over the ten digits YYMMDDNNNC.
pub fn personal_number_is_valid(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter(|c| c.is_ascii_digit()).filter_map(|c| c.to_digit(10)).collect();
    let separators_ok = number.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == ' ');
    let ten: &[u32] = match digits.len() {
        10 => &digits,
        12 => &digits[2..],
        _ => return false,
    };
    let sum: u32 = ten
        .iter()
        .enumerate()
        .map(|(index, digit)| {
            let weighted = if index % 2 == 0 { digit * 2 } else { *digit };
            weighted / 10 + weighted % 10
        })
        .sum();
    separators_ok && sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::{personal_number_is_valid, same_person};

    #[test]
    fn one_person_is_one_person_whatever_the_spacing_and_case() {
        assert!(same_person("Kent Olsson", "kent  olsson "));
        assert!(!same_person("Kent Olsson", "Kent Olsen"));
        // Blank names are each reported as blank, never as one person twice.
        assert!(!same_person("", ""));
    }

    #[test]
    fn personal_numbers_are_checked_by_their_check_digit() {
        assert!(personal_number_is_valid("811218-9876"));
        assert!(personal_number_is_valid("19811218-9876"));
        assert!(!personal_number_is_valid("811218-9875"));
        assert!(!personal_number_is_valid("12345"));
    }
}
