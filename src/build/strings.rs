//! The fixed texts of the documents, per language: `templates/strings.toml`
//! bundled with kub, overridden key by key by an organisation's own file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Lang;
use crate::model::text::BUNDLED_STRINGS;

/// The file in a template folder that overrides the bundled texts.
pub const STRINGS_FILE: &str = "strings.toml";

/// One language's fixed texts, by key.
pub type Texts = BTreeMap<String, toml::Value>;

/// The fixed texts of every language: the bundled `templates/strings.toml`
/// with an organisation's own on top.
#[derive(Debug, Clone)]
pub struct Strings {
    /// Each language's own table, as the files have it.
    by_language: BTreeMap<String, Texts>,
    /// Each language's texts with English filling any gap, made once when
    /// the texts are loaded and lent to every document.
    complete: BTreeMap<String, Texts>,
}

impl Strings {
    /// The bundled texts, with those in `user_dir/strings.toml` on top.
    pub fn load(user_dir: Option<&Path>) -> Result<Strings, Diagnostic> {
        let mut by_language = parse(BUNDLED_STRINGS, "templates/strings.toml")?;
        if let Some(path) = user_dir.map(|dir| dir.join(STRINGS_FILE)).filter(|path| path.is_file()) {
            let text = std::fs::read_to_string(&path).map_err(|error| {
                Diagnostic::new(Code::FileUnreadable, format!("cannot read {}: {error}", path.display()))
            })?;
            for (lang, entries) in parse(&text, &path.display().to_string())? {
                by_language.entry(lang).or_default().extend(entries);
            }
        }
        Ok(Strings::complete(by_language))
    }

    /// The texts with each language's gaps filled from English.
    fn complete(by_language: BTreeMap<String, Texts>) -> Strings {
        let english = by_language.get("en").cloned().unwrap_or_default();
        let complete = by_language
            .iter()
            .map(|(lang, own)| {
                let mut texts = english.clone();
                texts.extend(own.iter().map(|(key, text)| (key.clone(), text.clone())));
                (lang.clone(), texts)
            })
            .collect();
        Strings { by_language, complete }
    }

    /// The texts of one language, with English filling any gap; English
    /// alone for a language with no table.
    pub fn for_language(&self, lang: Lang) -> &Texts {
        static NONE: Texts = BTreeMap::new();
        self.complete.get(lang.code()).or_else(|| self.complete.get("en")).unwrap_or(&NONE)
    }

    /// The languages with a table of texts.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.by_language.keys().map(String::as_str)
    }

    /// The keys of one language's table.
    pub fn keys(&self, lang: &str) -> Vec<&str> {
        self.by_language.get(lang).map(|t| t.keys().map(String::as_str).collect()).unwrap_or_default()
    }
}

fn parse(text: &str, name: &str) -> Result<BTreeMap<String, Texts>, Diagnostic> {
    toml::from_str(text).map_err(|error| {
        Diagnostic::new(Code::TemplateError, format!("{name} is not a valid strings file: {}", error.message()))
            .hint("it has one table per language, `[sv]`, `[da]`, `[en]`, of `key = \"text\"`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_fixed_text() {
        let strings = Strings::load(None).unwrap();
        let english = strings.keys("en");
        for &lang in crate::model::text::document_languages() {
            assert_eq!(strings.keys(lang), english, "{lang} and en differ");
        }
    }

    #[test]
    fn the_document_languages_are_the_bundled_tables() {
        let strings = Strings::load(None).unwrap();
        let mut tables: Vec<&str> = strings.languages().collect();
        let mut languages = crate::model::text::document_languages().to_vec();
        tables.sort_unstable();
        languages.sort_unstable();
        assert_eq!(tables, languages);
        // Messages list them in the file's order.
        assert_eq!(crate::model::text::document_languages_listed(), "sv, da, en or nb");
    }

    #[test]
    fn english_fills_the_gaps_of_a_language() {
        let mut strings = Strings::load(None).unwrap();
        let key = strings.keys("en")[0].to_string();
        strings.by_language.get_mut("da").unwrap().remove(&key);
        let lang = |code| Lang::parse(code).unwrap();
        let english = strings.for_language(lang("en"))[&key].clone();
        let strings = Strings::complete(strings.by_language);
        assert_eq!(strings.for_language(lang("da"))[&key], english);
        assert_eq!(strings.for_language(lang("fi")), strings.for_language(lang("en")));
    }
}
