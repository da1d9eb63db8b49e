//! Texts of a resolved framework: one in the default language, a
//! translation into every other declared language, none in a language the
//! framework does not declare.

use super::framework::own_file;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Framework;

pub(super) fn check_texts(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let default = framework.default_language();
    let mut undeclared: Vec<(crate::model::Lang, crate::source::Location, usize)> = Vec::new();
    // Inherited and included texts are checked with the file that has them.
    for (text, what) in framework.texts() {
        let Some(location) = text.location.filter(|l| l.file == own_file(framework)) else {
            continue;
        };
        if text.languages().next().is_none() {
            continue; // a missing title is reported where it is lowered
        }
        if text.iter().all(|(_, written)| written.trim().is_empty()) {
            diagnostics.push(
                Diagnostic::new(Code::BlankText, format!("{what} is blank"))
                    .at(location)
                    .label("still to fill in")
                    .hint("write it in the quotes, in each language of `languages`"),
            );
            continue; // a blank text is one thing to fill in, not one per language
        }
        if text.get(default).is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingDefaultText,
                    format!("{what} has no text in {}, the default language", default.name()),
                )
                .at(location)
                .hint(format!("add the {} text first, without a language code", default.name()))
                .hint(format!(
                    "`{}` declares its languages as {}",
                    framework.id,
                    language_list(framework)
                )),
            );
        }
        for &lang in framework.languages.iter().skip(1) {
            if text.get(lang).is_none() && text.get(default).is_some() {
                diagnostics.push(
                    Diagnostic::new(Code::MissingTranslation, format!("{what} has no {} translation", lang.name()))
                        .at(location)
                        .hint(format!("add `{lang} \"...\"` after the text, or remove {lang} from `languages`")),
                );
            }
        }
        for lang in text.languages().filter(|lang| !framework.languages.contains(lang)) {
            let place = text.place_of(lang).unwrap_or(location);
            match undeclared.iter_mut().find(|(known, _, _)| *known == lang) {
                Some((_, _, count)) => *count += 1,
                None => undeclared.push((lang, place, 1)),
            }
        }
    }
    // One language left out of `languages` (often a mistyped code there,
    // such as `dk` for `da`) would otherwise be reported at every text.
    for (lang, first, count) in undeclared {
        let message = match count {
            1 => format!("this text is in {}, which `{}` does not declare", lang.name(), framework.id),
            n => format!("{n} texts are in {}, which `{}` does not declare", lang.name(), framework.id),
        };
        let mut diagnostic = Diagnostic::new(Code::UndeclaredLanguage, message).at(first).hint(format!(
            "add {lang} to `languages` ({}), or remove the {}",
            language_list(framework),
            if count == 1 { "text" } else { "texts" }
        ));
        if count > 1 {
            diagnostic = diagnostic.label(format!("the first of {count}")).hint(
                "if `languages` names a code kub does not know, correct it there: that is the one fix for all of them",
            );
        }
        diagnostics.push(diagnostic);
    }
}

fn language_list(framework: &Framework) -> String {
    framework.languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(" ")
}
