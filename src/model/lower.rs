//! Lowering one file's own statements into typed definitions. What a file
//! inherits or includes is joined in by [`super::resolve`].
//!
//! A word that does not become a value (an SeQF level of 9, an unknown CEFR
//! skill or kind of evidence, a property given twice) is reported here: the
//! typed model has no place to keep it, so no later check could see it.

use super::framework::*;
use super::text::{Lang, LocalizedText};
use super::values::{CefrLevel, CefrSkill, Evidence, SeqfDimension, SeqfLevel, SfiCourse};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::{self, Token};

/// Lowers syntax into typed values, collecting diagnostics on the way.
pub(super) struct Lowerer<'a> {
    pub file: FileId,
    /// The language of texts written without a language code.
    pub default_language: Lang,
    /// The id of the framework or library being lowered, recorded on items.
    pub owner: String,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

/// An item as messages name it: ``the task `beskarning` ``.
#[derive(Clone, Copy)]
pub(super) struct Named<'a> {
    pub kind: &'static str,
    pub id: &'a str,
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} `{}`", self.kind, self.id)
    }
}

/// The fields a task statement gives; in an `override` any may be absent.
#[derive(Default)]
pub(super) struct TaskFields {
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub criteria: Option<Vec<LocalizedText>>,
    pub seqf: Option<Seqf>,
    pub required: Option<bool>,
    pub esco: Option<String>,
    pub evidence: Option<Evidence>,
    pub scale: Option<(String, Location)>,
}

impl Lowerer<'_> {
    pub fn at(&self, span: Span) -> Location {
        Location::new(self.file, span)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn text(&mut self, text: &ast::Text) -> LocalizedText {
        let mut localized = LocalizedText::new(Some(self.at(text.span)));
        for part in &text.parts {
            let lang = match &part.lang {
                None => self.default_language,
                Some(token) => match self.language(token) {
                    Some(lang) => lang,
                    None => continue,
                },
            };
            let place = self.at(part.value.span);
            if !localized.insert(lang, part.value.value.clone(), place) {
                let first = localized.place_of(lang).expect("inserted before");
                self.report(
                    Diagnostic::new(Code::DuplicateProperty, format!("this text is given twice in {}", lang.name()))
                        .at(place)
                        .label("second text")
                        .related(first, "first text")
                        .hint(if part.lang.is_none() {
                            format!("a text without a language code is in the default language ({lang}); give the others a code, for example `en \"...\"`")
                        } else {
                            "keep one of them".to_string()
                        }),
                );
            }
        }
        localized
    }

    pub fn language(&mut self, token: &Token) -> Option<Lang> {
        let lang = Lang::parse(&token.text);
        if lang.is_none() {
            let diagnostic = Diagnostic::new(
                Code::UnknownLanguage,
                format!("`{}` is not a language code that kub knows", token.text),
            )
            .at(self.at(token.span))
            .label("unknown language")
            .hint_if(country_code_hint(&token.text).or_else(|| did_you_mean(&token.text, Lang::known_codes())))
            .hint("use a two-letter ISO 639-1 code: sv, da, en, nb, fi ...");
            self.report(diagnostic);
        }
        lang
    }

    /// Reports a property given twice within one item; true if it is the first.
    fn first_time<T>(
        &mut self,
        slot: &Option<T>,
        what: impl std::fmt::Display,
        span: Span,
        first: Option<Span>,
    ) -> bool {
        if slot.is_none() {
            return true;
        }
        let mut diagnostic = Diagnostic::new(Code::DuplicateProperty, format!("{what} is given twice"))
            .at(self.at(span))
            .label("given again here")
            .hint("keep one of them");
        if let Some(first) = first {
            diagnostic = diagnostic.related(self.at(first), "first given here");
        }
        self.report(diagnostic);
        false
    }

    fn descriptions(&mut self, descriptions: &[ast::Description], what: &str) -> Option<LocalizedText> {
        let mut result = None;
        let mut first_span = None;
        for description in descriptions {
            if self.first_time(&result, format_args!("the description of {what}"), description.span, first_span) {
                result = Some(self.text(&description.text));
                first_span = Some(description.span);
            }
        }
        result
    }

    fn title(&mut self, title: &Option<ast::Text>, kind: &str, id: &Token) -> LocalizedText {
        match title {
            Some(text) => self.text(text),
            None => {
                self.report(
                    Diagnostic::new(Code::MissingTitle, format!("the {kind} `{}` has no title", id.text))
                        .at(self.at(id.span))
                        .label("title expected after the id")
                        .hint(format!("write the title in quotes after the id: `{kind} {} \"...\"`", id.text)),
                );
                LocalizedText::new(Some(self.at(id.span)))
            }
        }
    }

    fn scale_ref(&mut self, refs: &[ast::ScaleRef], what: &str) -> Option<(String, Location)> {
        let mut result: Option<(String, Location)> = None;
        for scale in refs {
            let first = result.as_ref().map(|(_, location)| location.span);
            if self.first_time(&result, format_args!("the scale of {what}"), scale.span, first) {
                result = Some((scale.scale.text.clone(), self.at(scale.scale.span)));
            }
        }
        result
    }

    // ------------------------------------------------------------ scales

    pub fn scale(&mut self, def: &ast::ScaleDef) -> Scale {
        let title = def.title.as_ref().map(|title| self.text(title));
        let description = self.descriptions(&def.descriptions, &format!("the scale `{}`", def.id.text));
        let mut levels: Vec<Level> = Vec::new();
        for level in &def.levels {
            if let Some(first) = levels.iter().find(|l| l.id == level.id.text) {
                let first = first.location;
                self.report(duplicate_id("level", &level.id.text, self.at(level.id.span), first));
                continue;
            }
            let label = self.title(&level.label, "level", &level.id);
            let description = self.descriptions(&level.descriptions, &format!("the level `{}`", level.id.text));
            levels.push(Level { id: level.id.text.clone(), label, description, location: self.at(level.id.span) });
        }
        Scale { id: def.id.text.clone(), title, description, levels, location: self.at(def.id.span) }
    }

    // ------------------------------------------------------------ tasks and areas

    pub fn task_fields(&mut self, def: &ast::TaskDef) -> TaskFields {
        // Worded only for a message: a framework has thousands of tasks.
        let what = Named { kind: "task", id: &def.id.text };
        let mut fields =
            TaskFields { title: def.title.as_ref().map(|title| self.text(title)), ..TaskFields::default() };
        let (mut description_span, mut seqf_span, mut esco_span, mut evidence_span) = (None, None, None, None);
        let mut criteria = Vec::new();
        let mut required_span = None;
        let mut optional_span = None;
        for item in &def.items {
            match item {
                ast::TaskItem::Description(description) => {
                    if self.first_time(
                        &fields.description,
                        format_args!("the description of {what}"),
                        description.span,
                        description_span,
                    ) {
                        fields.description = Some(self.text(&description.text));
                        description_span = Some(description.span);
                    }
                }
                ast::TaskItem::Criterion { text, .. } => criteria.push(self.text(text)),
                ast::TaskItem::Seqf { level, dimension, span } => {
                    if !self.first_time(&fields.seqf, format_args!("the SeQF level of {what}"), *span, seqf_span) {
                        continue;
                    }
                    seqf_span = Some(*span);
                    fields.seqf = self.seqf(level, dimension.as_ref());
                }
                ast::TaskItem::Required { span } => {
                    required_span.get_or_insert(*span);
                }
                ast::TaskItem::Optional { span } => {
                    optional_span.get_or_insert(*span);
                }
                ast::TaskItem::Esco { uri, span } => {
                    if self.first_time(&fields.esco, format_args!("the ESCO URI of {what}"), *span, esco_span) {
                        fields.esco = Some(uri.value.clone());
                        esco_span = Some(*span);
                    }
                }
                ast::TaskItem::Evidence { kind, span } => {
                    if !self.first_time(&fields.evidence, format_args!("the evidence of {what}"), *span, evidence_span)
                    {
                        continue;
                    }
                    evidence_span = Some(*span);
                    fields.evidence = self.evidence(kind);
                }
                ast::TaskItem::Scale(scale) => {
                    let first = fields.scale.as_ref().map(|(_, location)| location.span);
                    if self.first_time(&fields.scale, format_args!("the scale of {what}"), scale.span, first) {
                        fields.scale = Some((scale.scale.text.clone(), self.at(scale.scale.span)));
                    }
                }
            }
        }
        if !criteria.is_empty() {
            fields.criteria = Some(criteria);
        }
        fields.required = self.required(what, required_span, optional_span);
        fields
    }

    /// An SeQF level as written, unless no such level exists (reported).
    fn seqf(&mut self, level: &ast::Token, dimension: Option<&ast::Token>) -> Option<Seqf> {
        let number: u64 = level.text.parse().unwrap_or(u64::MAX);
        let Some(seqf_level) = SeqfLevel::new(number) else {
            self.report(
                Diagnostic::new(Code::SeqfLevelOutOfRange, format!("SeQF level {} does not exist", level.text))
                    .at(self.at(level.span))
                    .label("expected a level from 1 to 8")
                    .hint("SeQF has eight levels; work tasks usually sit at levels 1 to 4 (upper-secondary vocational level is 4)"),
            );
            return None;
        };
        Some(Seqf { level: seqf_level, dimension: dimension.and_then(|d| SeqfDimension::parse(&d.text)) })
    }

    /// A kind of evidence as written, unless there is no such kind (reported).
    fn evidence(&mut self, kind: &ast::Token) -> Option<Evidence> {
        let evidence = Evidence::parse(&kind.text);
        if evidence.is_none() {
            self.report(
                Diagnostic::new(Code::UnknownEvidence, format!("`{}` is not a kind of evidence", kind.text))
                    .at(self.at(kind.span))
                    .label("unknown evidence")
                    .hint_if(did_you_mean(&kind.text, Evidence::WORDS.iter().copied()))
                    .hint("evidence is one of practice, oral, written, product or observation"),
            );
        }
        evidence
    }

    /// Whether a task is required, from its `required` and `optional` lines;
    /// both at once is reported, and required wins.
    fn required(&mut self, what: Named, required: Option<Span>, optional: Option<Span>) -> Option<bool> {
        match (required, optional) {
            (Some(required), Some(optional)) => {
                self.report(
                    Diagnostic::new(Code::RequiredAndOptional, format!("{what} is marked both required and optional"))
                        .at(self.at(optional.max(required)))
                        .related(self.at(optional.min(required)), "also marked here")
                        .hint("keep one of the two"),
                );
                Some(true)
            }
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
            (None, None) => None,
        }
    }

    /// A new task; its scale is settled later from the framework's defaults.
    pub fn task(
        &mut self,
        def: &ast::TaskDef,
        area_scale: Option<&(String, Location)>,
    ) -> (Task, Option<(String, Location)>) {
        // The fields lower the title when there is one; it is lowered once,
        // so that a mistake in it is reported once.
        let mut fields = self.task_fields(def);
        let title = match fields.title.take() {
            Some(title) => title,
            None => self.title(&None, "task", &def.id),
        };
        let scale = fields.scale.or_else(|| area_scale.cloned());
        let task = Task {
            id: def.id.text.clone(),
            title,
            description: fields.description,
            criteria: fields.criteria.unwrap_or_default(),
            seqf: fields.seqf,
            required: fields.required.unwrap_or(false),
            esco: fields.esco,
            evidence: fields.evidence,
            scale: None,
            defined_in: self.owner.clone(),
            overridden_in: Vec::new(),
            location: self.at(def.id.span),
            scale_location: None,
        };
        (task, scale)
    }

    pub fn area_header(
        &mut self,
        def: &ast::AreaDef,
    ) -> (Option<LocalizedText>, Option<LocalizedText>, Option<(String, Location)>) {
        let what = format!("the area `{}`", def.id.text);
        let title = def.title.as_ref().map(|title| self.text(title));
        let description = self.descriptions(&def.descriptions, &what);
        let scale = self.scale_ref(&def.scales, &what);
        (title, description, scale)
    }

    // ------------------------------------------------------------ competences

    pub fn competence_parts(
        &mut self,
        def: &ast::CompetenceDef,
    ) -> (Option<LocalizedText>, Option<(String, Location)>, Vec<Descriptor>) {
        let what = format!("the competence `{}`", def.id.text);
        let description = self.descriptions(&def.descriptions, &what);
        let scale = self.scale_ref(&def.scales, &what);
        let mut descriptors: Vec<Descriptor> = Vec::new();
        for descriptor in &def.descriptors {
            if let Some(first) = descriptors.iter().find(|d| d.level == descriptor.level.text) {
                let first = first.location;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        format!("the level `{}` of {what} is described twice", descriptor.level.text),
                    )
                    .at(self.at(descriptor.level.span))
                    .related(first, "first described here")
                    .hint("keep one of them"),
                );
                continue;
            }
            descriptors.push(Descriptor {
                level: descriptor.level.text.clone(),
                text: self.text(&descriptor.text),
                location: self.at(descriptor.level.span),
            });
        }
        (description, scale, descriptors)
    }

    pub fn competence(&mut self, def: &ast::CompetenceDef) -> (Competence, Option<(String, Location)>) {
        let title = self.title(&def.title, "competence", &def.id);
        let (description, scale, descriptors) = self.competence_parts(def);
        let competence = Competence {
            id: def.id.text.clone(),
            title,
            description,
            scale: None,
            descriptors,
            defined_in: self.owner.clone(),
            location: self.at(def.id.span),
            scale_location: None,
        };
        (competence, scale)
    }

    // ------------------------------------------------------------ language tracks

    pub fn track(&mut self, def: &ast::TrackDef) -> Option<Track> {
        let what = format!("the track `{}`", def.id.text);
        let title = self.title(&def.title, "track", &def.id);
        let description = self.descriptions(&def.descriptions, &what);
        let mut skill = None;
        for (index, token) in def.skills.iter().enumerate() {
            if index > 0 {
                self.first_time(&Some(()), format_args!("the skill of {what}"), token.span, Some(def.skills[0].span));
                continue;
            }
            skill = CefrSkill::parse(&token.text);
            if skill.is_none() {
                self.report(
                    Diagnostic::new(Code::UnknownCefrSkill, format!("`{}` is not a CEFR skill", token.text))
                        .at(self.at(token.span))
                        .label("unknown skill")
                        .hint_if(did_you_mean(&token.text, CefrSkill::WORDS.iter().copied()))
                        .hint("the skills are listening, reading, spoken-interaction, spoken-production and writing"),
                );
            }
        }
        if def.skills.is_empty() {
            self.report(
                Diagnostic::new(Code::MissingProperty, format!("{what} does not say which CEFR skill it follows"))
                    .at(self.at(def.id.span))
                    .hint("add `skill listening` (or reading, spoken-interaction, spoken-production, writing) inside the track"),
            );
        }
        let mut milestones = Vec::new();
        for milestone in &def.milestones {
            if let Some(milestone) = self.milestone(milestone) {
                milestones.push(milestone);
            }
        }
        Some(Track {
            id: def.id.text.clone(),
            title,
            description,
            skill: skill?,
            milestones,
            defined_in: self.owner.clone(),
            location: self.at(def.id.span),
        })
    }

    fn milestone(&mut self, def: &ast::MilestoneDef) -> Option<Milestone> {
        let what = format!("the milestone `{}`", def.id.text);
        let title = self.title(&def.title, "milestone", &def.id);
        let description = self.descriptions(&def.descriptions, &what);
        for extra in def.cefr.iter().skip(1) {
            self.first_time(&Some(()), format_args!("the CEFR level of {what}"), extra.span, Some(def.cefr[0].span));
        }
        for extra in def.sfi.iter().skip(1) {
            self.first_time(&Some(()), format_args!("the SFI course of {what}"), extra.span, Some(def.sfi[0].span));
        }
        let cefr = match def.cefr.first() {
            None => {
                self.report(
                    Diagnostic::new(Code::MissingProperty, format!("{what} has no CEFR level"))
                        .at(self.at(def.id.span))
                        .hint("add `cefr A2` (A1, A2, B1, B2, C1 or C2) inside the milestone's braces"),
                );
                None
            }
            Some(token) => {
                let level = CefrLevel::parse(&token.text.to_uppercase());
                if level.is_none() {
                    self.report(
                        Diagnostic::new(Code::UnknownCefrLevel, format!("`{}` is not a CEFR level", token.text))
                            .at(self.at(token.span))
                            .label("unknown CEFR level")
                            .hint_if(SfiCourse::parse(&token.text.to_uppercase()).map(|course| {
                                format!("`{}` looks like an SFI course; write it as `sfi {course}`", token.text)
                            }))
                            .hint("CEFR levels are A1, A2, B1, B2, C1 and C2"),
                    );
                }
                level
            }
        };
        let sfi = def.sfi.first().and_then(|token| {
            let course = SfiCourse::parse(&token.text.to_uppercase());
            if course.is_none() {
                self.report(
                    Diagnostic::new(Code::UnknownSfiCourse, format!("`{}` is not an SFI course", token.text))
                        .at(self.at(token.span))
                        .label("unknown SFI course")
                        .hint("SFI has the courses A, B, C and D; C is roughly CEFR A2, D roughly B1"),
                );
            }
            course
        });
        Some(Milestone {
            id: def.id.text.clone(),
            title,
            description,
            cefr: cefr?,
            sfi,
            location: self.at(def.id.span),
        })
    }

    // ------------------------------------------------------------ certificate rules

    pub fn seqf_rule(&mut self, rule: &ast::SeqfRule) -> Option<SeqfRule> {
        match (rule.rule.text.as_str(), &rule.number) {
            ("all-required", None) => Some(SeqfRule::AllRequired),
            ("share", Some(number)) => match number.text.parse::<u8>() {
                Ok(percent) if (1..=100).contains(&percent) => Some(SeqfRule::Share { percent }),
                _ => {
                    self.report(
                        Diagnostic::new(
                            Code::UnknownSeqfRule,
                            format!("a share of {} per cent is not possible", number.text),
                        )
                        .at(self.at(number.span))
                        .label("expected a number from 1 to 100")
                        .hint("write the share in per cent, such as `seqf share 80`; `seqf all-required` asks for every required task"),
                    );
                    None
                }
            },
            (name, _) => {
                let diagnostic =
                    Diagnostic::new(Code::UnknownSeqfRule, format!("`seqf {}` is not a rule kub knows", name))
                        .at(self.at(rule.rule.span))
                        .label("unknown rule")
                        .hint_if(did_you_mean(name, ["all-required", "share"]))
                        .hint("write `seqf all-required`, or `seqf share 80` for 80 per cent");
                self.report(diagnostic);
                None
            }
        }
    }
}

pub(super) fn duplicate_id(kind: &str, id: &str, location: Location, first: Location) -> Diagnostic {
    Diagnostic::new(Code::DuplicateId, format!("the {kind} `{id}` is defined twice"))
        .at(location)
        .label("defined again here")
        .related(first, "first defined here")
        .hint(format!(
            "ids must be unique because assessments refer to them; rename one of the {kind}s, or remove the copy"
        ))
}

/// Country codes written where a language code belongs.
pub(super) fn country_code_hint(code: &str) -> Option<String> {
    let (country, language, name) = match code {
        "se" => ("Sweden", "sv", "Swedish"),
        "dk" => ("Denmark", "da", "Danish"),
        "no" => ("Norway", "nb", "Norwegian Bokmål"),
        "gb" => ("the United Kingdom", "en", "English"),
        "ua" => ("Ukraine", "uk", "Ukrainian"),
        "ir" => ("Iran", "fa", "Persian"),
        "er" => ("Eritrea", "ti", "Tigrinya"),
        _ => return None,
    };
    Some(format!("`{code}` is the country code of {country}; {name} is `{language}`"))
}
