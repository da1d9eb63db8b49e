//! The fixed texts of the documents, per language: `templates/strings.toml`
//! bundled with kub, overridden key by key by an organisation's own file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};

const BUNDLED: &str = include_str!("../../templates/strings.toml");

/// The file in a template folder that overrides the bundled texts.
pub const STRINGS_FILE: &str = "strings.toml";

#[derive(Debug, Clone)]
pub struct Strings {
    by_language: BTreeMap<String, BTreeMap<String, toml::Value>>,
}

impl Strings {
    /// The bundled texts, with those in `user_dir/strings.toml` on top.
    pub fn load(user_dir: Option<&Path>) -> Result<Strings, Diagnostic> {
        let mut by_language = parse(BUNDLED, "templates/strings.toml")?;
        if let Some(path) = user_dir.map(|dir| dir.join(STRINGS_FILE)).filter(|path| path.is_file()) {
            let text = std::fs::read_to_string(&path).map_err(|error| {
                Diagnostic::new(Code::FileUnreadable, format!("cannot read {}: {error}", path.display()))
            })?;
            for (lang, entries) in parse(&text, &path.display().to_string())? {
                by_language.entry(lang).or_default().extend(entries);
            }
        }
        Ok(Strings { by_language })
    }

    /// The texts of one language, with English filling any gap.
    pub fn for_language(&self, lang: &str) -> BTreeMap<String, toml::Value> {
        let mut texts = self.by_language.get("en").cloned().unwrap_or_default();
        if let Some(own) = self.by_language.get(lang) {
            texts.extend(own.clone());
        }
        texts
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.by_language.keys().map(String::as_str)
    }

    /// The keys of one language's table.
    pub fn keys(&self, lang: &str) -> Vec<&str> {
        self.by_language.get(lang).map(|t| t.keys().map(String::as_str).collect()).unwrap_or_default()
    }
}

fn parse(text: &str, name: &str) -> Result<BTreeMap<String, BTreeMap<String, toml::Value>>, Diagnostic> {
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
        for lang in ["sv", "da"] {
            assert_eq!(strings.keys(lang), english, "{lang} and en differ");
        }
    }
}
