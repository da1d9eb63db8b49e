//! Lowering an assessment's pairs: the statements a supervisor writes,
//! most of them rating lines, read by rule with as few passes over their
//! pairs as the grammar allows.

use pest::iterators::Pair;

use super::super::ast::*;
use super::super::characters::Field;
use super::super::grammar::Rule;
use super::{Lowering, first_value, span_of, token, values};
use crate::source::Span;

/// Whether the rule is one of the assessment's compound-atomic (`$`)
/// statements, whose match takes no spacing after its last word.
pub(super) fn is_compound_statement(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::occasion_def
            | Rule::participant_def
            | Rule::latin_name
            | Rule::reference_stmt
            | Rule::language_stmt
            | Rule::personal_number_stmt
            | Rule::workplace_stmt
            | Rule::supervisor_stmt
            | Rule::period_stmt
            | Rule::goal_stmt
            | Rule::signed_stmt
    )
}

/// A word as a token: an atomic rule, so its match is the word, no more.
fn word(pair: Pair<Rule>) -> Token {
    let span = pair.as_span();
    Token { text: span.as_str().to_string(), span: Span::new(span.start(), span.end()) }
}

impl Lowering {
    pub(super) fn assessment(&mut self, pair: Pair<Rule>) -> AssessmentDoc {
        let start = pair.as_span().start();
        let mut parts = values(pair).peekable();
        let framework = token(parts.next().expect("an assessment names its framework"));
        let version = token(parts.next().expect("an assessment names the framework's version"));
        let header_span = Span::new(start, version.span.end);
        let items = parts.map(|item| self.assessment_item(item)).collect();
        AssessmentDoc { framework, version, header_span, items }
    }

    fn assessment_item(&mut self, pair: Pair<Rule>) -> AssessmentItem {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::participant_def => {
                let mut parts = values(pair);
                let name = self.string(parts.next().expect("a participant has a name"), Field::Name);
                let mut latin = None;
                let mut items = Vec::new();
                for part in parts {
                    match part.as_rule() {
                        Rule::latin_name => latin = Some(self.string(first_value(part), Field::Name)),
                        _ => items.push(self.participant_item(part)),
                    }
                }
                AssessmentItem::Participant(ParticipantDef { name, latin, items, span })
            }
            Rule::workplace_stmt => {
                AssessmentItem::Workplace { name: self.string(first_value(pair), Field::Name), span }
            }
            Rule::organisation_stmt => {
                AssessmentItem::Organisation { text: self.text(first_value(pair), Field::Name), span }
            }
            Rule::supervisor_stmt => {
                let mut parts = values(pair);
                let name = self.string(parts.next().expect("a supervisor has a name"), Field::Name);
                let role = parts.next().map(|role| self.string(role, Field::Role));
                AssessmentItem::Supervisor { name, role, span }
            }
            Rule::period_stmt => {
                let mut parts = values(pair);
                AssessmentItem::Period {
                    start: token(parts.next().expect("a period has a start")),
                    end: token(parts.next().expect("a period has an end")),
                    span,
                }
            }
            Rule::occasion_def => AssessmentItem::Occasion(self.occasion(pair)),
            Rule::goal_stmt => {
                let mut task = None;
                let mut text = None;
                for part in values(pair) {
                    match part.as_rule() {
                        Rule::ident => task = Some(token(part)),
                        _ => text = Some(self.string(part, Field::Comment)),
                    }
                }
                AssessmentItem::Goal { task, text: text.expect("a goal has a text"), span }
            }
            Rule::signed_stmt => {
                let mut parts = values(pair);
                let name = self.string(parts.next().expect("a sign-off has a name"), Field::Name);
                let mut role = None;
                let mut date = None;
                for part in parts {
                    match part.as_rule() {
                        Rule::date => date = Some(token(part)),
                        _ => role = Some(self.string(part, Field::Role)),
                    }
                }
                AssessmentItem::Signed { name, role, date: date.expect("a sign-off has a date"), span }
            }
            rule => unreachable!("not an assessment item: {rule:?}"),
        }
    }

    fn participant_item(&mut self, pair: Pair<Rule>) -> ParticipantItem {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::reference_stmt => {
                ParticipantItem::Reference { reference: self.string(first_value(pair), Field::Reference), span }
            }
            Rule::language_stmt => ParticipantItem::Language { lang: token(first_value(pair)), span },
            _ => ParticipantItem::PersonalNumber { number: self.string(first_value(pair), Field::Reference), span },
        }
    }

    fn occasion(&mut self, pair: Pair<Rule>) -> OccasionDef {
        let span = span_of(&pair);
        // Read by rule rather than by place: an occasion is mostly ratings,
        // and its keywords and braces are passed over with one comparison.
        let mut kind = None;
        let mut date = None;
        let mut assessor = None;
        let parts = pair.into_inner();
        // Room for every part at once: the parts are nearly all ratings,
        // and growing the list step by step would copy it and leave a
        // trail of smaller lists behind.
        let mut ratings = Vec::with_capacity(parts.len());
        for part in parts {
            match part.as_rule() {
                Rule::rating => ratings.push(self.rating(part)),
                Rule::ident => kind = Some(word(part)),
                Rule::date => date = Some(word(part)),
                Rule::string => assessor = Some(self.string(part, Field::Name)),
                _ => {}
            }
        }
        OccasionDef {
            kind: kind.expect("an occasion has a kind"),
            date: date.expect("an occasion has a date"),
            assessor,
            ratings,
            span,
        }
    }

    fn rating(&mut self, pair: Pair<Rule>) -> Rating {
        // The pairs are the kind, the item, the value and perhaps a comment,
        // in order; the rating ends with the last of them, as the spacing
        // after it belongs to no statement.
        let start = pair.as_span().start();
        let mut parts = pair.into_inner();
        let kind = match parts.next().and_then(|kind| kind.as_str().bytes().next()) {
            Some(b't') => RatedKind::Task,
            Some(b'c') => RatedKind::Competence,
            _ => RatedKind::Milestone,
        };
        let item = word(parts.next().expect("a rating names an item"));
        let value = word(parts.next().expect("a rating has a value"));
        let comment = parts.next().map(|comment| self.string(comment, Field::Comment));
        let end = comment.as_ref().map_or(value.span.end, |comment| comment.span.end);
        Rating { kind, item, value, comment, span: Span::new(start, end) }
    }
}
