//! The keywords of the language, once: messages quote them and hints
//! suggest them from this table, and a test holds it to the grammar.

use super::grammar::Rule;

/// Each keyword's rule with the keyword as messages quote it, in backticks,
/// in the order of `grammar/kub.pest`.
static KEYWORDS: &[(Rule, &str)] = &[
    (Rule::k_framework, "`framework`"),
    (Rule::k_library, "`library`"),
    (Rule::k_assessment, "`assessment`"),
    (Rule::k_version, "`version`"),
    (Rule::k_occupation, "`occupation`"),
    (Rule::k_organisation, "`organisation`"),
    (Rule::k_languages, "`languages`"),
    (Rule::k_description, "`description`"),
    (Rule::k_esco, "`esco`"),
    (Rule::k_include, "`include`"),
    (Rule::k_extends, "`extends`"),
    (Rule::k_scale, "`scale`"),
    (Rule::k_level, "`level`"),
    (Rule::k_rate, "`rate`"),
    (Rule::k_with, "`with`"),
    (Rule::k_area, "`area`"),
    (Rule::k_task, "`task`"),
    (Rule::k_criterion, "`criterion`"),
    (Rule::k_seqf, "`seqf`"),
    (Rule::k_required, "`required`"),
    (Rule::k_optional, "`optional`"),
    (Rule::k_evidence, "`evidence`"),
    (Rule::k_competence, "`competence`"),
    (Rule::k_track, "`track`"),
    (Rule::k_skill, "`skill`"),
    (Rule::k_milestone, "`milestone`"),
    (Rule::k_cefr, "`cefr`"),
    (Rule::k_sfi, "`sfi`"),
    (Rule::k_certificate, "`certificate`"),
    (Rule::k_achieved, "`achieved`"),
    (Rule::k_from, "`from`"),
    (Rule::k_remove, "`remove`"),
    (Rule::k_override, "`override`"),
    (Rule::k_renamed, "`renamed`"),
    (Rule::k_follows, "`follows`"),
    (Rule::k_participant, "`participant`"),
    (Rule::k_reference, "`reference`"),
    (Rule::k_language, "`language`"),
    (Rule::k_personal_number, "`personal-number`"),
    (Rule::k_workplace, "`workplace`"),
    (Rule::k_supervisor, "`supervisor`"),
    (Rule::k_role, "`role`"),
    (Rule::k_period, "`period`"),
    (Rule::k_to, "`to`"),
    (Rule::k_occasion, "`occasion`"),
    (Rule::k_by, "`by`"),
    (Rule::k_goal, "`goal`"),
    (Rule::k_signed, "`signed`"),
    (Rule::k_latin, "`latin`"),
];

/// The keywords that start a statement, at any depth: they are reserved
/// where an id is expected, and recovery resumes reading at them. The
/// grammar's `ident_start` rule refuses the same words (a test keeps them so).
pub(super) static RESERVED: &[&str] = &[
    "framework",
    "library",
    "assessment",
    "version",
    "occupation",
    "organisation",
    "languages",
    "description",
    "esco",
    "include",
    "extends",
    "scale",
    "level",
    "rate",
    "area",
    "task",
    "criterion",
    "seqf",
    "required",
    "optional",
    "evidence",
    "competence",
    "track",
    "skill",
    "milestone",
    "cefr",
    "sfi",
    "certificate",
    "achieved",
    "remove",
    "override",
    "renamed",
    "participant",
    "reference",
    "language",
    "personal-number",
    "workplace",
    "supervisor",
    "period",
    "occasion",
    "goal",
    "signed",
];

/// The reserved words that start a statement outside any block, which
/// show that a block before them was left open.
pub(super) static OUTSIDE_BLOCKS: &[&str] = &[
    "area",
    "scale",
    "competence",
    "track",
    "certificate",
    "remove",
    "override",
    "renamed",
    "include",
    "extends",
    "rate",
    "version",
    "languages",
    "occasion",
    "participant",
    "workplace",
    "supervisor",
    "period",
    "goal",
    "signed",
    "organisation",
    "occupation",
];

/// Whether a word starts a statement and so cannot be an id.
pub(super) fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// The keyword a rule stands for, quoted as messages quote it: `` `task` ``.
pub fn quoted(rule: Rule) -> Option<&'static &'static str> {
    // The table is in the grammar's order, which is the order of `Rule`.
    let index = KEYWORDS.binary_search_by_key(&rule, |(keyword, _)| *keyword).ok()?;
    Some(&KEYWORDS[index].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_keyword(word: &str) -> bool {
        KEYWORDS.iter().any(|(_, quoted)| quoted.trim_matches('`') == word)
    }

    /// The keywords the grammar defines: rules `k_NAME = @{ "word" ~ ... }`.
    fn grammar_keywords() -> Vec<String> {
        include_str!("../../grammar/kub.pest")
            .lines()
            .filter(|line| line.starts_with("k_"))
            .filter_map(|line| line.split('"').nth(1))
            .map(|word| format!("`{word}`"))
            .collect()
    }

    #[test]
    fn the_table_is_the_grammars_keywords() {
        let table: Vec<String> = KEYWORDS.iter().map(|(_, quoted)| quoted.to_string()).collect();
        assert_eq!(table, grammar_keywords());
    }

    #[test]
    fn the_table_is_in_the_order_of_rules() {
        assert!(KEYWORDS.is_sorted_by_key(|(rule, _)| *rule), "`quoted` looks keywords up by binary search");
    }

    #[test]
    fn each_keyword_has_its_own_rule() {
        for (rule, word) in KEYWORDS {
            assert_eq!(quoted(*rule), Some(word));
            assert!(is_keyword(word.trim_matches('`')));
        }
        assert!(!is_keyword("moppa"));
    }

    /// Whether the grammar refuses the whole of `word` as an id.
    fn grammar_reserves(word: &str) -> bool {
        use pest::Parser;
        !super::super::grammar::KubParser::parse(Rule::ident, word)
            .is_ok_and(|mut pairs| pairs.next().is_some_and(|pair| pair.as_str() == word))
    }

    #[test]
    fn reserved_words_are_the_grammars() {
        for word in RESERVED {
            assert!(is_keyword(word), "`{word}` is reserved but no keyword");
            assert!(grammar_reserves(word), "the grammar does not reserve `{word}`");
            let longer = [format!("{word}s"), format!("{word}-2"), format!("{word}_x")];
            for longer in longer.iter().filter(|longer| !is_reserved(longer)) {
                assert!(!grammar_reserves(longer), "the grammar reserves `{longer}`, an id");
            }
        }
        for (_, quoted) in KEYWORDS {
            let word = quoted.trim_matches('`');
            assert_eq!(grammar_reserves(word), is_reserved(word), "the grammar and the table differ on `{word}`");
        }
        // The grammar lists an id's first letters one by one: none is left out.
        for letter in ('a'..='z').chain('A'..='Z') {
            for id in [letter.to_string(), format!("{letter}x-2")] {
                assert!(!grammar_reserves(&id), "the grammar refuses `{id}` as an id");
            }
        }
    }

    #[test]
    fn statements_start_with_keywords() {
        for word in OUTSIDE_BLOCKS {
            assert!(is_reserved(word), "`{word}` is not a reserved keyword");
        }
    }
}
