//! The SeQF level a certificate may state, by the rule its framework
//! names in its `certificate` block (docs/progression.md, "The SeQF rules").

use serde::Serialize;

use super::progression::ItemProgress;
use crate::model::SeqfRule;

/// What the certificate may say about SeQF, by the framework's own rule.
#[derive(Debug, Clone, Serialize)]
pub struct SeqfStatement {
    /// The level the certificate states, if the rule allows one.
    pub level: Option<u8>,
    /// `all-required`, `share` or `none`.
    pub rule: &'static str,
    /// The share in per cent for the `share` rule; `None` for the others.
    pub percent: Option<u8>,
    /// When no level can be stated: required tasks not yet achieved at the
    /// lowest level that has tasks.
    pub missing_required: Vec<String>,
    /// What keeps the next level from being stated: its required tasks (and
    /// those below it) not yet achieved.
    pub missing_for_next: Vec<String>,
}

/// Applies the framework's SeQF rule to the tasks' achievements.
pub(super) fn seqf_statement(rule: Option<SeqfRule>, tasks: &[&ItemProgress]) -> SeqfStatement {
    let (rule_name, percent) = match rule {
        Some(SeqfRule::AllRequired) => ("all-required", None),
        Some(SeqfRule::Share { percent }) => ("share", Some(percent)),
        None => ("none", None),
    };
    let mut statement = SeqfStatement {
        level: None,
        rule: rule_name,
        percent,
        missing_required: Vec::new(),
        missing_for_next: Vec::new(),
    };
    let Some(rule) = rule else { return statement };
    let level_of = |task: &ItemProgress| task.seqf.map(|s| s.level);
    let allows = |level: u8| {
        let at_or_below: Vec<&&ItemProgress> =
            tasks.iter().filter(|t| level_of(t).is_some_and(|l| l <= level)).collect();
        let achieved_at_level = at_or_below.iter().any(|t| level_of(t) == Some(level) && t.achieved);
        let holds = match rule {
            SeqfRule::AllRequired => at_or_below.iter().filter(|t| t.required).all(|t| t.achieved),
            SeqfRule::Share { percent } => {
                let achieved = at_or_below.iter().filter(|t| t.achieved).count();
                let required_achieved = at_or_below.iter().filter(|t| t.required).all(|t| t.achieved);
                required_achieved && achieved * 100 >= at_or_below.len() * percent as usize
            }
        };
        achieved_at_level && holds
    };
    statement.level = (1..=8).rev().find(|&level| allows(level));
    let required_missing_up_to = |level: u8| -> Vec<String> {
        tasks
            .iter()
            .filter(|t| t.required && !t.achieved && level_of(t).is_some_and(|l| l <= level))
            .map(|t| t.title.clone())
            .collect()
    };
    if let Some(next) = statement.level.map(|l| l + 1).filter(|next| tasks.iter().any(|t| level_of(t) == Some(*next))) {
        statement.missing_for_next = required_missing_up_to(next);
    }
    if statement.level.is_none()
        && let Some(lowest) = tasks.iter().filter_map(|t| level_of(t)).min()
    {
        statement.missing_required = tasks
            .iter()
            .filter(|t| t.required && !t.achieved && level_of(t).is_some_and(|l| l <= lowest))
            .map(|t| t.title.clone())
            .collect();
    }
    statement
}
