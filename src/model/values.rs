//! Small values with a fixed set of meanings, checked when they are made.

use std::fmt;

use serde::Serialize;

/// An SeQF (and EQF) level, 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SeqfLevel(u8);

impl SeqfLevel {
    /// The level, if it is 1 to 8.
    pub fn new(level: u64) -> Option<SeqfLevel> {
        (1..=8).contains(&level).then_some(SeqfLevel(level as u8))
    }

    /// The level as a number, 1 to 8.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for SeqfLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $(#[serde(rename = $word)] #[doc = concat!("Written `", $word, "`.")] $variant,)* }

        impl $name {
            /// Every word, in the order of the variants.
            pub const WORDS: &'static [&'static str] = &[$($word,)*];

            /// The variant written as `word`, if there is one.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)* _ => None }
            }

            /// The word it is written as.
            pub fn word(self) -> &'static str {
                match self { $($name::$variant => $word,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.word())
            }
        }
    };
}

word_enum! {
    /// The three dimensions SeQF levels are described in.
    SeqfDimension { Knowledge = "knowledge", Skills = "skills", Competence = "competence" }
}

word_enum! {
    /// CEFR levels, lowest first.
    CefrLevel { A1 = "A1", A2 = "A2", B1 = "B1", B2 = "B2", C1 = "C1", C2 = "C2" }
}

word_enum! {
    /// The SFI (Swedish for immigrants) courses.
    SfiCourse { A = "A", B = "B", C = "C", D = "D" }
}

word_enum! {
    /// The CEFR skills a language track follows.
    CefrSkill {
        Listening = "listening",
        Reading = "reading",
        SpokenInteraction = "spoken-interaction",
        SpokenProduction = "spoken-production",
        Writing = "writing",
    }
}

word_enum! {
    /// How a task is shown.
    Evidence {
        Practice = "practice",
        Oral = "oral",
        Written = "written",
        Product = "product",
        Observation = "observation",
    }
}

word_enum! {
    /// The kinds of assessment occasion.
    OccasionKind { Mapping = "mapping", FollowUp = "follow-up", Final = "final" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqf_levels_are_one_to_eight() {
        assert!(SeqfLevel::new(0).is_none());
        assert_eq!(SeqfLevel::new(8).map(SeqfLevel::get), Some(8));
        assert!(SeqfLevel::new(9).is_none());
    }

    #[test]
    fn cefr_levels_are_ordered() {
        assert!(CefrLevel::A1 < CefrLevel::B1);
        assert_eq!(CefrLevel::parse("B2"), Some(CefrLevel::B2));
        assert_eq!(CefrLevel::parse("b2"), None);
    }
}
