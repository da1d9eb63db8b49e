//! Certificate rules: the one `certificate` block a framework may have,
//! merged over the rules it inherits. Rules given twice and levels that are
//! not on their scale are reported while the inherited rules are replaced.

use super::misplaced;
use super::scales::{unknown_level, unknown_scale};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::framework::*;
use crate::model::lower::Lowerer;
use crate::source::Span;
use crate::syntax::ast::{self, FrameworkDoc, FrameworkItem};

pub(super) fn certificate(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer) {
    let blocks: Vec<&ast::CertificateDef> = doc
        .items
        .iter()
        .filter_map(|item| match item {
            FrameworkItem::Certificate(def) => Some(def),
            _ => None,
        })
        .collect();
    for (index, block) in blocks.iter().enumerate() {
        if doc.kind == FrameworkKind::Library {
            lower.diagnostics.push(misplaced(
                "a `certificate` block",
                "a library",
                lower.at(block.span),
                "certificate rules belong in the framework that includes the library",
            ));
            continue;
        }
        if index > 0 {
            lower.diagnostics.push(
                Diagnostic::new(Code::DuplicateProperty, "the certificate rules are given in two blocks")
                    .at(lower.at(block.span))
                    .related(lower.at(blocks[0].span), "first block")
                    .hint("write all certificate rules in one `certificate { ... }` block"),
            );
            continue;
        }
        framework.certificate.location =
            Some(lower.at(Span::new(block.span.start, block.span.start + "certificate".len())));
        let mut own_scales: Vec<(String, Span)> = Vec::new();
        for rule in &block.achieved {
            if let Some((_, first)) = own_scales.iter().find(|(scale, _)| *scale == rule.scale.text) {
                lower.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        format!("the achieved level of the scale `{}` is given twice", rule.scale.text),
                    )
                    .at(lower.at(rule.span))
                    .related(lower.at(*first), "first given here")
                    .hint("keep one of them"),
                );
                continue;
            }
            own_scales.push((rule.scale.text.clone(), rule.span));
            framework.certificate.achieved.retain(|existing| existing.scale != rule.scale.text);
            framework.certificate.achieved.push(AchievedFrom {
                scale: rule.scale.text.clone(),
                level: rule.level.text.clone(),
                location: lower.at(rule.level.span),
            });
            check_level_reference(framework, &rule.scale, &rule.level, lower);
        }
        for (index, rule) in block.seqf_rules.iter().enumerate() {
            if index > 0 {
                lower.diagnostics.push(
                    Diagnostic::new(Code::DuplicateProperty, "the SeQF rule is given twice")
                        .at(lower.at(rule.span))
                        .related(lower.at(block.seqf_rules[0].span), "first given here")
                        .hint("a certificate has one SeQF rule; keep one of them"),
                );
                continue;
            }
            if let Some(parsed) = lower.seqf_rule(rule) {
                framework.certificate.seqf = Some(parsed);
            }
        }
    }
}

fn check_level_reference(framework: &Framework, scale: &ast::Token, level: &ast::Token, lower: &mut Lowerer) {
    match framework.scale(&scale.text) {
        None => {
            let ids: Vec<&str> = framework.scales.iter().map(|s| s.id.as_str()).collect();
            let diagnostic = unknown_scale(&scale.text, lower.at(scale.span), ids);
            lower.diagnostics.push(diagnostic);
        }
        Some(found) if found.rank(&level.text).is_none() => {
            let diagnostic = unknown_level(found, &level.text, lower.at(level.span));
            lower.diagnostics.push(diagnostic);
        }
        Some(_) => {}
    }
}
