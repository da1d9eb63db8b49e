//! Texts of a resolved framework: one in the default language, a
//! translation into every other declared language, none in a language the
//! framework does not declare.

use super::framework::own_file;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Framework;

pub(super) fn check_texts(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let default = framework.default_language();
    // Inherited and included texts are checked with the file that has them.
    for (text, what) in framework.texts() {
        let Some(location) = text.location.filter(|l| l.file == own_file(framework)) else {
            continue;
        };
        if text.languages().next().is_none() {
            continue; // a missing title is reported where it is lowered
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
            diagnostics.push(
                Diagnostic::new(
                    Code::UndeclaredLanguage,
                    format!("this text is in {}, which `{}` does not declare", lang.name(), framework.id),
                )
                .at(place)
                .hint(format!("add {lang} to `languages` ({}), or remove the text", language_list(framework))),
            );
        }
    }
}

fn language_list(framework: &Framework) -> String {
    framework.languages.iter().map(|l| l.code()).collect::<Vec<_>>().join(" ")
}
