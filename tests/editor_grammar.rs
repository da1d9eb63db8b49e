//! The TextMate grammar of the VS Code extension (editors/vscode) colours kub
//! as kub reads it: VS Code's own engine (vscode-textmate with Oniguruma,
//! under Node.js) tokenises every sample file and every example of the docs,
//! and the scopes of keywords, ids, texts and comments are checked here.
//! Needs Node.js and `npm ci` in editors/vscode; `bash .ci/run` does both.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::docs::{Block, blocks, documentation};
use crate::support::repo_root;

const SETUP: &str = "the grammar tests run VS Code's TextMate engine under Node.js: install Node.js and npm \
     (apt-get install nodejs npm), then run `npm ci` in editors/vscode (`bash .ci/run` does both)";

/// A piece of a line with the scopes the grammar gives it, outermost first.
#[derive(Debug, Deserialize)]
struct Token {
    text: String,
    scopes: Vec<String>,
}

impl Token {
    fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope || s.starts_with(&format!("{scope}.")))
    }

    fn is_text_or_comment(&self) -> bool {
        self.has("string") || self.has("comment")
    }
}

/// A file as the grammar reads it, line by line.
#[derive(Debug, Deserialize)]
struct Tokenised {
    file: String,
    lines: Vec<Vec<Token>>,
}

impl Tokenised {
    /// The token where `needle` starts, in the first line at or after line
    /// `from` (counted from 0) that contains `context`, with its line.
    fn token(&self, from: usize, context: &str, needle: &str) -> (usize, &Token) {
        for (number, line) in self.lines.iter().enumerate().skip(from) {
            let text: String = line.iter().map(|token| token.text.as_str()).collect();
            if let Some(found) = text.find(context) {
                let offset = context.find(needle).unwrap_or_else(|| panic!("`{needle}` is not in `{context}`"));
                return (number, token_at(line, found + offset));
            }
        }
        panic!("{}: no line contains `{context}`", self.file)
    }

    /// The scopes of the token where `needle` starts in the first line
    /// containing `context`.
    fn scopes(&self, context: &str, needle: &str) -> &Token {
        self.token(0, context, needle).1
    }
}

/// The token that covers a byte of a line.
fn token_at(line: &[Token], byte: usize) -> &Token {
    let mut start = 0;
    for token in line {
        if byte < start + token.text.len() {
            return token;
        }
        start += token.text.len();
    }
    panic!("no token at byte {byte}")
}

fn extension_dir() -> PathBuf {
    repo_root().join("editors/vscode")
}

/// Runs `node editors/vscode/test/tokenize.js` on files.
fn tokenise(files: &[PathBuf]) -> Vec<Tokenised> {
    let dir = extension_dir();
    assert!(dir.join("node_modules/vscode-textmate").is_dir(), "{SETUP}");
    let output = Command::new("node")
        .arg(dir.join("test/tokenize.js"))
        .args(files)
        .output()
        .unwrap_or_else(|error| panic!("cannot run node ({error}): {SETUP}"));
    assert!(output.status.success(), "tokenize.js failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("tokenize.js prints JSON")
}

/// Tokenises texts written into files of a temporary folder, named so that
/// failures say where each came from.
fn tokenise_texts(texts: &[(String, String)]) -> Vec<Tokenised> {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = texts
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    tokenise(&files)
}

fn kub_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            kub_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "kub") {
            files.push(path);
        }
    }
}

/// Every bundled framework, library and assessment, and every kub example of
/// the docs, tokenised once for all tests.
fn samples() -> &'static [Tokenised] {
    static SAMPLES: OnceLock<Vec<Tokenised>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let mut files = Vec::new();
        kub_files(&repo_root().join("frameworks"), &mut files);
        kub_files(&repo_root().join("examples"), &mut files);
        let mut samples = tokenise(&files);
        samples.extend(tokenise_texts(&doc_examples()));
        samples
    })
}

/// The ```kub blocks of the docs, named after their document and number.
fn doc_examples() -> Vec<(String, String)> {
    let mut examples = Vec::new();
    for doc in documentation() {
        let markdown = std::fs::read_to_string(repo_root().join(&doc)).unwrap();
        for (index, block) in blocks(&markdown, &doc).into_iter().enumerate() {
            if let Block::Kub(example) = block {
                examples.push((format!("{}-{index}.kub", doc.replace('/', "-")), example.text));
            }
        }
    }
    examples
}

fn sample(path: &str) -> &'static Tokenised {
    samples().iter().find(|sample| sample.file.ends_with(path)).unwrap_or_else(|| panic!("no sample file {path}"))
}

/// The words of kub's keyword table (src/syntax/keywords.rs), in order.
fn keyword_table() -> Vec<String> {
    let source = std::fs::read_to_string(repo_root().join("src/syntax/keywords.rs")).unwrap();
    let table: Vec<String> = source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("(Rule::k_"))
        .filter_map(|entry| entry.split('`').nth(1))
        .map(str::to_string)
        .collect();
    assert!(table.len() > 40, "the keyword table was not found in src/syntax/keywords.rs");
    table
}

/// Asserts that the token where `needle` starts in the first line with
/// `context` is `needle`, whole, with `scope` (or a scope below it).
fn assert_scope(sample: &Tokenised, context: &str, needle: &str, scope: &str) {
    let token = sample.scopes(context, needle);
    assert!(
        token.text == needle && token.has(scope),
        "{}: `{needle}` in `{context}` should be `{scope}`, is `{}` with {:?}",
        sample.file,
        token.text,
        token.scopes
    );
}

/// [`assert_scope`] for each `(context, needle, scope)`.
fn assert_scopes(sample: &Tokenised, expected: &[(&str, &str, &str)]) {
    for (context, needle, scope) in expected {
        assert_scope(sample, context, needle, scope);
    }
}

/// Asserts that the text where `needle` starts, in the first line with
/// `context`, is part of a token with `scope`: a piece of a text or comment.
fn assert_inside(sample: &Tokenised, context: &str, needle: &str, scope: &str) {
    let token = sample.scopes(context, needle);
    assert!(token.has(scope), "{}: `{needle}` in `{context}` should be inside `{scope}`: {token:?}", sample.file);
}

#[test]
fn every_word_of_every_sample_has_a_scope_and_none_is_invalid() {
    let mut unscoped = Vec::new();
    for sample in samples() {
        for (number, line) in sample.lines.iter().enumerate() {
            for token in line.iter().filter(|token| !token.text.trim().is_empty()) {
                let known = token.scopes.iter().any(|s| s != "source.kub" && !s.starts_with("meta."));
                if !known || token.has("invalid") {
                    unscoped.push(format!("{}:{}: `{}` {:?}", sample.file, number + 1, token.text, token.scopes));
                }
            }
        }
    }
    assert!(unscoped.is_empty(), "tokens without a proper scope:\n{}", unscoped.join("\n"));
}

#[test]
fn keywords_are_keywords_wherever_they_stand_outside_texts_and_comments() {
    let keywords = keyword_table();
    let mut wrong = Vec::new();
    for sample in samples() {
        for (number, line) in sample.lines.iter().enumerate() {
            let text: String = line.iter().map(|token| token.text.as_str()).collect();
            for (start, word) in words(&text) {
                let token = token_at(line, start);
                if !keywords.iter().any(|keyword| keyword == word) || token.is_text_or_comment() {
                    continue;
                }
                // `seqf 2 competence`: a dimension there, not the keyword.
                let dimension = word == "competence" && token.has("support.constant.seqf-dimension.kub");
                if token.text != word || !(token.has("keyword") || dimension) {
                    wrong.push(format!("{}:{}: `{word}` is {:?}", sample.file, number + 1, token.scopes));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "keywords not coloured as keywords:\n{}", wrong.join("\n"));
}

/// The words of a line as kub reads them (letters, digits, `-` and `_`),
/// with the byte each starts at.
fn words(line: &str) -> Vec<(usize, &str)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut words = Vec::new();
    let mut start = None;
    for (index, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
        match (start, is_word(c)) {
            (None, true) => start = Some(index),
            (Some(from), false) => {
                words.push((from, &line[from..index]));
                start = None;
            }
            _ => {}
        }
    }
    words
}

#[test]
fn framework_ids_are_names_where_defined_and_references_where_used() {
    let park = sample("frameworks/park-och-natur.kub");
    assert_scopes(
        park,
        &[
            ("framework park-och-natur", "park-och-natur", "entity.name.type.framework.kub"),
            ("version 2.1", "2.1", "constant.numeric.version.kub"),
            ("rate tasks with kub", "tasks", "support.constant.rate-target.kub"),
            ("rate tasks with kub", "with", "keyword.other.connective.kub"),
            ("rate tasks with kub", "kub", "variable.other.scale.kub"),
            ("area skotsel", "skotsel", "entity.name.namespace.area.kub"),
            ("task grasklippning", "task", "keyword.other.definition.kub"),
            ("task grasklippning", "grasklippning", "entity.name.function.task.kub"),
            ("seqf 2 skills", "2", "constant.numeric.integer.kub"),
            ("seqf 2 skills", "skills", "support.constant.seqf-dimension.kub"),
            ("seqf 4 competence", "competence", "support.constant.seqf-dimension.kub"),
            ("evidence practice", "practice", "support.constant.evidence.kub"),
            ("achieved kub from sjalvstandigt", "kub", "variable.other.scale.kub"),
            ("achieved kub from sjalvstandigt", "sjalvstandigt", "variable.other.constant.level.kub"),
            ("seqf all-required", "all-required", "support.constant.seqf-rule.kub"),
        ],
    );

    let library = sample("frameworks/shared/generella-kompetenser.kub");
    assert_scopes(
        library,
        &[
            ("library generella-kompetenser", "generella-kompetenser", "entity.name.type.library.kub"),
            ("scale kub", "kub", "entity.name.type.scale.kub"),
            ("level med-stod", "med-stod", "entity.name.variable.level.kub"),
            ("competence samarbete", "samarbete", "entity.name.function.competence.kub"),
        ],
    );
    // Inside a competence, `scale` and `level` refer to what the scale defines.
    let (competence, _) = library.token(0, "competence samarbete", "samarbete");
    let (_, scale) = library.token(competence, "scale kub", "kub");
    assert!(scale.has("variable.other.scale.kub"), "{:?}", scale.scopes);
    let (_, level) = library.token(competence, "level med-stod", "med-stod");
    assert!(level.has("variable.other.constant.level.kub"), "{:?}", level.scopes);

    let swedish = sample("frameworks/shared/arbetsplatssvenska.kub");
    assert_scopes(
        swedish,
        &[
            ("track lyssna", "lyssna", "entity.name.namespace.track.kub"),
            ("skill listening", "listening", "support.constant.skill.kub"),
            ("milestone forstar-halsningar", "forstar-halsningar", "entity.name.function.milestone.kub"),
            ("cefr A1", "A1", "support.constant.cefr.kub"),
            ("sfi A", "A", "support.constant.sfi.kub"),
        ],
    );

    let tailoring = sample("frameworks/slottsskogen.kub");
    assert_scopes(
        tailoring,
        &[
            ("extends park-och-natur 2.1", "extends", "keyword.control.import.kub"),
            ("extends park-och-natur 2.1", "park-och-natur", "variable.other.framework.kub"),
            ("remove task rojsag", "remove", "keyword.control.tailoring.kub"),
            ("remove task rojsag", "rojsag", "variable.other.task.kub"),
            ("override task beskarning", "beskarning", "variable.other.task.kub"),
            ("override area renhallning", "renhallning", "variable.other.area.kub"),
        ],
    );
    // A task added inside an overridden area is defined there.
    assert_scope(tailoring, "task evenemangsstadning", "evenemangsstadning", "entity.name.function.task.kub");

    let renames = sample_with("renamed task beskarnig to beskarning");
    assert_scopes(
        renames,
        &[
            ("renamed task beskarnig to beskarning", "beskarnig", "variable.other.task.kub"),
            ("renamed task beskarnig to beskarning", "to", "keyword.other.connective.kub"),
            ("renamed task beskarnig to beskarning", "beskarning", "variable.other.task.kub"),
        ],
    );
}

fn has_line(sample: &Tokenised, context: &str) -> bool {
    sample.lines.iter().any(|line| line.iter().map(|token| token.text.as_str()).collect::<String>().contains(context))
}

/// The first sample, in any file, with a line that contains `context`.
fn sample_with(context: &str) -> &'static Tokenised {
    samples()
        .iter()
        .find(|sample| has_line(sample, context))
        .unwrap_or_else(|| panic!("no sample has a line with `{context}`"))
}

#[test]
fn assessments_refer_to_their_frameworks_ids_and_levels() {
    let assessment = sample("examples/slottsskogen/amal-hassan.kub");
    assert_scopes(
        assessment,
        &[
            ("assessment follows slottsskogen 1.0", "assessment", "keyword.control.file.kub"),
            ("assessment follows slottsskogen 1.0", "follows", "keyword.control.import.kub"),
            ("assessment follows slottsskogen 1.0", "slottsskogen", "variable.other.framework.kub"),
            ("assessment follows slottsskogen 1.0", "1.0", "constant.numeric.version.kub"),
            ("period 2026-02-02 to 2026-10-30", "2026-02-02", "constant.numeric.date.kub"),
            ("period 2026-02-02 to 2026-10-30", "to", "keyword.other.connective.kub"),
            ("occasion mapping 2026-02-05", "mapping", "support.constant.occasion-kind.kub"),
            ("occasion mapping 2026-02-05", "2026-02-05", "constant.numeric.date.kub"),
            ("task beskarning introducerad", "task", "keyword.other.definition.kub"),
            ("task beskarning introducerad", "beskarning", "variable.other.task.kub"),
            ("task beskarning introducerad", "introducerad", "variable.other.constant.level.kub"),
            ("competence samarbete med-stod", "samarbete", "variable.other.competence.kub"),
            ("competence samarbete med-stod", "med-stod", "variable.other.constant.level.kub"),
        ],
    );

    let milestones = sample_with("milestone halsar reached");
    assert_scopes(
        milestones,
        &[
            ("milestone halsar reached", "halsar", "variable.other.milestone.kub"),
            ("milestone halsar reached", "reached", "support.constant.milestone-value.kub"),
        ],
    );
    assert_scope(sample_with("goal task beskarning"), "goal task beskarning", "beskarning", "variable.other.task.kub");
    assert_scope(sample_with("task grasklippning ?"), "task grasklippning ?", "?", "constant.language.unrated.kub");
}

#[test]
fn texts_language_codes_escapes_and_comments() {
    let park = sample("frameworks/park-och-natur.kub");
    assert_scopes(
        park,
        &[
            ("languages sv en", "sv", "support.constant.language-code.kub"),
            ("en \"\"\"", "en", "support.constant.language-code.kub"),
            ("en \"\"\"", "\"\"\"", "punctuation.definition.string.begin.kub"),
        ],
    );
    let (line, _) = park.token(0, "en \"\"\"", "en");
    let inside = &park.lines[line + 1];
    assert!(inside.iter().all(|token| token.has("string.quoted.triple.kub")), "{inside:?}");
    assert_scopes(
        park,
        &[
            ("\"Park and nature work\"", "Park and nature work", "string.quoted.double.kub"),
            ("# ", "#", "punctuation.definition.comment.kub"),
        ],
    );
    assert!(park.lines[0].iter().all(|token| token.has("comment.line.number-sign.kub")), "{:?}", park.lines[0]);

    let tailoring = sample("frameworks/slottsskogen.kub");
    assert_scope(tailoring, "remove task rojsag # ", "#", "punctuation.definition.comment.kub");
    assert_inside(tailoring, "remove task rojsag # röjning", "röjning", "comment.line.number-sign.kub");

    let swedish = sample("frameworks/shared/arbetsplatssvenska.kub");
    assert_scope(swedish, "Svarar rätt på \\\"God", "\\\"", "constant.character.escape.kub");
    assert_inside(swedish, "Svarar rätt på \\\"God morgon", "God morgon", "string.quoted.double.kub");
}

#[test]
fn corners_keywords_in_texts_hyphenated_ids_and_unclosed_texts() {
    let text = [
        "# Corners of the language.",
        "framework corners \"Hörn # ingen kommentar\" en \"task in a text\"",
        "version 1.0",
        "area task-list \"Uppgifter\" {",
        "  task rate-limit \"Med \\\"citat\\\" och \\q\"",
        "  task open \"Ej stängd {",
        "  task after",
        "    \"Efter\"",
        "  {",
        "    seqf 3 competence",
        "  }",
        "}",
        "area last \"Sist\" {}",
    ]
    .join("\n");
    let samples = tokenise_texts(&[("corners.kub".to_string(), text)]);
    let corners = &samples[0];
    assert_inside(corners, "\"Hörn # ingen kommentar", "# ingen kommentar", "string.quoted.double.kub");
    assert_inside(corners, "\"task in a text\"", "task in a text", "string.quoted.double.kub");
    assert_scopes(
        corners,
        &[
            ("area task-list", "task-list", "entity.name.namespace.area.kub"),
            ("task rate-limit", "rate-limit", "entity.name.function.task.kub"),
            ("\\\"citat", "\\\"", "constant.character.escape.kub"),
            ("och \\q", "\\q", "invalid.illegal.unknown-escape.kub"),
        ],
    );
    // An unclosed text ends with its line: the next line is read afresh.
    assert_scopes(
        corners,
        &[
            ("task after", "after", "entity.name.function.task.kub"),
            ("\"Efter\"", "Efter", "string.quoted.double.kub"),
            ("seqf 3 competence", "competence", "support.constant.seqf-dimension.kub"),
        ],
    );
    // Every block closed where it should be: the next area is at the top.
    assert_scope(corners, "area last", "last", "entity.name.namespace.area.kub");
    let (_, last) = corners.token(0, "area last", "area");
    assert!(!last.scopes.iter().any(|s| s.starts_with("meta.block")), "{:?}", last.scopes);
}

#[test]
fn every_keyword_of_kubs_keyword_table_is_a_keyword_of_the_grammar() {
    let table = keyword_table();

    // The grammar's keyword patterns list exactly the table's words.
    let grammar: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(extension_dir().join("syntaxes/kub.tmLanguage.json")).unwrap())
            .unwrap();
    let mut listed = BTreeSet::new();
    for pattern in grammar["repository"]["keywords"]["patterns"].as_array().expect("a `keywords` rule") {
        let regex = pattern["match"].as_str().unwrap();
        let words = regex.split("(?:").nth(1).and_then(|rest| rest.split(')').next()).unwrap();
        listed.extend(words.split('|').map(str::to_string));
    }
    assert_eq!(listed, table.iter().cloned().collect::<BTreeSet<_>>());

    // And the engine colours each of them as a keyword, alone on a line, in a
    // framework and in an assessment.
    let lines = table.join("\n");
    let files = [
        ("framework.kub".to_string(), format!("framework f\n{lines}\n")),
        ("assessment.kub".to_string(), format!("assessment follows f 1.0\n{lines}\n")),
    ];
    for file in tokenise_texts(&files) {
        for (word, line) in table.iter().zip(&file.lines[1..]) {
            let token = &line[0];
            assert!(
                token.text == *word && token.has("keyword"),
                "{}: `{word}` is `{}` with {:?}",
                file.file,
                token.text,
                token.scopes
            );
        }
    }
}

#[test]
fn the_grammar_is_generated_from_the_keyword_table() {
    let output = Command::new("node")
        .arg(extension_dir().join("scripts/build-grammar.js"))
        .arg("--check")
        .output()
        .unwrap_or_else(|error| panic!("cannot run node ({error}): {SETUP}"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn kub_blocks_in_markdown_are_coloured_as_kub_and_the_prose_around_them_is_not() {
    let docs = tokenise(&[repo_root().join("docs/language.md")]);
    let language = &docs[0];
    let (block, library) = language.token(0, "library generella-kompetenser", "library");
    assert!(library.has("keyword.control.file.kub") && library.has("meta.embedded.block.kub"), "{library:?}");
    // The prose before the block and after its closing fence stays Markdown.
    let (_, prose) = language.token(0, "assessment follows it", "assessment");
    assert_eq!(prose.scopes, ["text.html.markdown"]);
    let (fence, _) = language.token(block, "```", "```");
    let after = language.lines[fence + 1..].iter().flatten().find(|token| !token.text.trim().is_empty()).unwrap();
    assert_eq!(after.scopes, ["text.html.markdown"], "{after:?}");
}

#[test]
fn every_broken_fixture_is_read_to_its_last_line() {
    // Half-typed and broken files are what an editor shows most: the engine
    // must read each to the end, line for line, without giving up.
    let mut files = Vec::new();
    kub_files(&repo_root().join("tests/fixtures"), &mut files);
    assert!(files.len() > 50, "the fixtures were not found");
    for (file, tokenised) in files.iter().zip(tokenise(&files)) {
        // Node reads a file that is not UTF-8 as VS Code does, with U+FFFD.
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        assert_eq!(tokenised.lines.len(), text.split('\n').count(), "{}", file.display());
        for (line, tokens) in text.split('\n').zip(&tokenised.lines) {
            let read: String = tokens.iter().map(|token| token.text.as_str()).collect();
            assert_eq!(read, line.trim_end_matches('\r'), "{}", file.display());
        }
    }
}
