//! Languages and texts written in several of them.

use std::fmt;
use std::sync::OnceLock;

use serde::{Serialize, Serializer};

use crate::diagnostic::list_words;
use crate::source::Location;

/// The two-letter codes kub accepts, with their names for messages.
const KNOWN_LANGUAGES: &[(&str, &str)] = &[
    ("sv", "Swedish"),
    ("da", "Danish"),
    ("en", "English"),
    ("nb", "Norwegian Bokmål"),
    ("nn", "Norwegian Nynorsk"),
    ("fi", "Finnish"),
    ("is", "Icelandic"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("pl", "Polish"),
    ("uk", "Ukrainian"),
    ("ru", "Russian"),
    ("ar", "Arabic"),
    ("fa", "Persian"),
    ("so", "Somali"),
    ("ti", "Tigrinya"),
    ("am", "Amharic"),
    ("tr", "Turkish"),
    ("ku", "Kurdish"),
    ("bs", "Bosnian"),
    ("sq", "Albanian"),
];

/// The bundled string tables, `templates/strings.toml`: the documents'
/// fixed texts, one table per language. A language has documents when it
/// has a table here.
pub const BUNDLED_STRINGS: &str = include_str!("../../templates/strings.toml");

/// One text of the bundled tables, if the language has a table with that key.
pub fn bundled_text(lang: &str, key: &str) -> Option<&'static toml::Value> {
    static TABLES: OnceLock<toml::Table> = OnceLock::new();
    // The bundled file is held to be valid by the build's tests; were it
    // not, documents would have no fixed texts rather than kub panicking.
    TABLES.get_or_init(|| BUNDLED_STRINGS.parse().unwrap_or_default()).get(lang)?.get(key)
}

/// The languages documents are written in, in the order of the bundled
/// `templates/strings.toml`: each `[code]` table header names one.
pub fn document_languages() -> &'static [&'static str] {
    static LANGUAGES: OnceLock<Vec<&'static str>> = OnceLock::new();
    LANGUAGES.get_or_init(|| {
        BUNDLED_STRINGS
            .lines()
            .filter_map(|line| line.trim().strip_prefix('[')?.strip_suffix(']'))
            .filter(|code| !code.contains('.'))
            .collect()
    })
}

/// The document languages as a supervisor reads them: "sv, da, en or nb".
pub fn document_languages_listed() -> String {
    list_words(document_languages(), "or")
}

/// A language, by its ISO 639-1 code. It is read once, where a code is
/// written, and travels as this small `Copy` value through every stage
/// after: only codes kub knows can be made into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(&'static str);

impl Lang {
    /// The language with this code, if kub knows it.
    pub fn parse(code: &str) -> Option<Lang> {
        KNOWN_LANGUAGES.iter().find(|(known, _)| *known == code).map(|(known, _)| Lang(known))
    }

    /// Every language code kub accepts, for "did you mean" hints.
    pub fn known_codes() -> impl Iterator<Item = &'static str> {
        KNOWN_LANGUAGES.iter().map(|(code, _)| *code)
    }

    /// The two-letter code, such as `sv`.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Whether documents can be written in this language: whether
    /// `templates/strings.toml` has every fixed text in it.
    pub fn is_document_language(self) -> bool {
        document_languages().contains(&self.code())
    }

    /// The language's English name, for messages.
    pub fn name(self) -> &'static str {
        KNOWN_LANGUAGES.iter().find(|(code, _)| *code == self.0).map_or("", |(_, name)| name)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// A text in one or more languages.
///
/// Its versions are kept in one short list sorted by language: a text has
/// one to four of them, and a framework has tens of thousands of texts, so
/// a map's node for each would cost more than the words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalizedText {
    versions: Vec<Version>,
    /// Where the whole text was written.
    pub location: Option<Location>,
}

/// One language's version of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    lang: Lang,
    text: String,
    /// Where it was written, for diagnostics; `None` for texts kub makes itself.
    place: Option<Location>,
}

impl LocalizedText {
    /// A text in no language yet, written at `location`; `None` for texts kub makes itself.
    pub fn new(location: Option<Location>) -> Self {
        LocalizedText { versions: Vec::new(), location }
    }

    /// A text in one language, for texts that kub makes itself.
    pub fn single(lang: Lang, text: impl Into<String>) -> Self {
        LocalizedText { versions: vec![Version { lang, text: text.into(), place: None }], location: None }
    }

    /// Adds one language's version; returns false if it was already there.
    pub fn insert(&mut self, lang: Lang, text: String, location: Location) -> bool {
        match self.versions.binary_search_by(|version| version.lang.cmp(&lang)) {
            Ok(_) => false,
            Err(at) => {
                // Most texts have one or two languages: room for four would be waste.
                self.versions.reserve_exact(1);
                self.versions.insert(at, Version { lang, text, place: Some(location) });
                true
            }
        }
    }

    fn version(&self, lang: Lang) -> Option<&Version> {
        self.versions.iter().find(|version| version.lang == lang)
    }

    /// The text in exactly this language, if written.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.version(lang).map(|version| version.text.as_str())
    }

    /// The text in `lang`, or else in the first of `fallbacks` that has it.
    pub fn best<'a>(&'a self, lang: Lang, fallbacks: &[Lang]) -> &'a str {
        std::iter::once(lang)
            .chain(fallbacks.iter().copied())
            .find_map(|lang| self.get(lang))
            .or_else(|| self.versions.first().map(|version| version.text.as_str()))
            .unwrap_or("")
    }

    /// The languages it is written in.
    pub fn languages(&self) -> impl Iterator<Item = Lang> {
        self.versions.iter().map(|version| version.lang)
    }

    /// Where its version in `lang` is written, if it is.
    pub fn place_of(&self, lang: Lang) -> Option<Location> {
        self.version(lang).and_then(|version| version.place)
    }

    /// Each language with its version.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.versions.iter().map(|version| (version.lang, version.text.as_str()))
    }
}

impl Serialize for LocalizedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_read_once_and_written_as_its_code() {
        let swedish = Lang::parse("sv").unwrap();
        let copy = swedish;
        assert_eq!(copy, swedish);
        assert_eq!((swedish.code(), swedish.name()), ("sv", "Swedish"));
        assert_eq!(swedish.to_string(), "sv");
        assert_eq!(serde_json::to_string(&swedish).unwrap(), "\"sv\"");
        assert_eq!(Lang::parse("xx"), None);
        assert_eq!(Lang::parse("SV"), None);
    }

    #[test]
    fn languages_sort_by_their_codes() {
        let mut langs: Vec<Lang> = ["sv", "da", "en", "ar"].iter().map(|code| Lang::parse(code).unwrap()).collect();
        langs.sort();
        assert_eq!(langs.iter().map(|lang| lang.code()).collect::<Vec<_>>(), ["ar", "da", "en", "sv"]);
    }

    #[test]
    fn a_text_keeps_one_version_a_language_in_the_order_of_their_codes() {
        let [sv, en, ar] = ["sv", "en", "ar"].map(|code| Lang::parse(code).unwrap());
        let at = |start| Location::new(crate::source::FileId::default(), crate::source::Span::new(start, start + 1));
        let mut text = LocalizedText::new(None);
        assert!(text.insert(sv, "Hej".into(), at(1)));
        assert!(text.insert(ar, "مرحبا".into(), at(2)));
        assert!(text.insert(en, "Hello".into(), at(3)));
        assert!(!text.insert(sv, "Hallå".into(), at(4)), "a second Swedish version is refused");
        assert_eq!(text.languages().map(Lang::code).collect::<Vec<_>>(), ["ar", "en", "sv"]);
        assert_eq!((text.get(sv), text.place_of(sv)), (Some("Hej"), Some(at(1))));
        assert_eq!(text.best(Lang::parse("da").unwrap(), &[en]), "Hello");
        assert_eq!(serde_json::to_string(&text).unwrap(), r#"{"ar":"مرحبا","en":"Hello","sv":"Hej"}"#);
        assert_eq!(LocalizedText::single(sv, "Hej").place_of(sv), None);
    }
}
