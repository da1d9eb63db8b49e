//! A framework's header: its version, languages, title and the single
//! properties such as `occupation` and `rate tasks with`. Each may be given
//! once; a second is reported here, where the first is still known.

use std::collections::HashMap;

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::framework::*;
use crate::model::lower::Lowerer;
use crate::model::text::Lang;
use crate::source::{FileId, Location, Span};
use crate::syntax::ast::{FrameworkDoc, FrameworkItem};

impl Resolver<'_> {
    pub(super) fn header(&self, doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer, inherits: bool) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut once = |name: &'static str, span: Span, lower: &mut Lowerer| -> bool {
            if let Some(first) = seen.get(name) {
                lower.diagnostics.push(
                    Diagnostic::new(Code::DuplicateProperty, format!("`{name}` is given twice"))
                        .at(lower.at(span))
                        .related(lower.at(*first), "first given here")
                        .hint("keep one of them"),
                );
                return false;
            }
            seen.insert(name, span);
            true
        };
        let mut version = None;
        for item in &doc.items {
            match item {
                FrameworkItem::Version { version: v, span } if once("version", *span, lower) => {
                    version = Some(v.text.clone());
                }
                FrameworkItem::Occupation { text, span } if once("occupation", *span, lower) => {
                    framework.occupation = Some(lower.text(text));
                }
                FrameworkItem::Organisation { text, span } if once("organisation", *span, lower) => {
                    framework.organisation = Some(lower.text(text));
                }
                FrameworkItem::Description(description) if once("description", description.span, lower) => {
                    framework.description = Some(lower.text(&description.text));
                }
                FrameworkItem::Esco { uri, span } if once("esco", *span, lower) => {
                    framework.esco = Some(uri.value.clone());
                }
                FrameworkItem::Rate { target, scale, span } => match target.text.as_str() {
                    "tasks" => {
                        if once("rate tasks", *span, lower) {
                            framework.rate_tasks_with = Some(scale.text.clone());
                            framework.rate_tasks_location = Some(lower.at(scale.span));
                        }
                    }
                    "competences" => {
                        if once("rate competences", *span, lower) {
                            framework.rate_competences_with = Some(scale.text.clone());
                            framework.rate_competences_location = Some(lower.at(scale.span));
                        }
                    }
                    other => {
                        let diagnostic = Diagnostic::new(
                            Code::UnknownRateTarget,
                            format!("`rate {other}` does not say what to rate"),
                        )
                        .at(lower.at(target.span))
                        .label("expected `tasks` or `competences`")
                        .hint_if(did_you_mean(other, ["tasks", "competences"]));
                        lower.diagnostics.push(diagnostic);
                    }
                },
                _ => {}
            }
        }
        match version {
            Some(version) => framework.version = version,
            None if doc.kind == FrameworkKind::Framework => {
                let hint = if inherits {
                    "a tailoring has a version of its own; add a line such as `version 1.0`"
                } else {
                    "add a line such as `version 1.0`; assessments name the version they follow"
                };
                lower.diagnostics.push(
                    Diagnostic::new(Code::MissingProperty, format!("the framework `{}` has no version", doc.id.text))
                        .at(lower.at(doc.header_span))
                        .hint(hint),
                );
            }
            None => framework.version = String::new(),
        }
    }
}

/// The languages a framework is written in, its own or its parent's; none
/// when they cannot be known, which stops the framework.
pub(super) fn languages(
    file: FileId,
    doc: &FrameworkDoc,
    parent: Option<&Framework>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Lang>> {
    let at = |span: Span| Location::new(file, span);
    let mut languages: Option<Vec<Lang>> = None;
    let mut languages_span = None;
    let mut scratch = Lowerer {
        file,
        default_language: Lang::parse("sv").expect("sv is known"),
        owner: doc.id.text.clone(),
        diagnostics,
    };
    for item in &doc.items {
        if let FrameworkItem::Languages { languages: codes, span } = item {
            if languages.is_some() {
                scratch.diagnostics.push(
                    Diagnostic::new(Code::DuplicateProperty, "`languages` is given twice")
                        .at(at(*span))
                        .related(at(languages_span.expect("set with languages")), "first given here")
                        .hint("list every language on one `languages` line, the default first"),
                );
                continue;
            }
            let parsed: Vec<Lang> = codes.iter().filter_map(|code| scratch.language(code)).collect();
            languages_span = Some(*span);
            languages = Some(parsed);
        }
    }
    match (languages, parent) {
        (Some(languages), _) if !languages.is_empty() => Some(languages),
        (Some(_), _) => None,
        (None, Some(parent)) => Some(parent.languages.clone()),
        (None, None) => {
            scratch.diagnostics.push(
                Diagnostic::new(Code::MissingProperty, format!("`{}` does not say which languages it is written in", doc.id.text))
                    .at(at(doc.header_span))
                    .hint("add a line such as `languages sv en`; the first language is the default, and its texts are required"),
            );
            None
        }
    }
}

/// The framework's title; a tailoring without one keeps its parent's.
pub(super) fn title(doc: &FrameworkDoc, framework: &mut Framework, lower: &mut Lowerer, inherits: bool) {
    match &doc.title {
        Some(title) => framework.title = lower.text(title),
        None if !inherits => {
            lower.diagnostics.push(
                Diagnostic::new(Code::MissingTitle, format!("`{}` has no title", doc.id.text))
                    .at(lower.at(doc.id.span))
                    .hint(format!("write the title in quotes after the id: `framework {} \"...\"`", doc.id.text)),
            );
        }
        None => {}
    }
}
