//! The documentation stays true: the diagnostics catalogue matches the code,
//! every kub example in the docs parses (or shows the
//! mistake it says it shows), and the README's examples pass `kub check`.

use crate::support::{kub_in, repo_root};

#[test]
fn the_diagnostics_catalogue_matches_the_code() {
    let path = repo_root().join("docs/diagnostics.md");
    let generated = kub::diagnostic::catalogue_markdown();
    if std::env::var_os("KUB_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == generated,
        "docs/diagnostics.md is stale: run `KUB_UPDATE_DOCS=1 cargo test --test integration docs`"
    );
}

/// Where an example sits in a kub file, as its fence says after `kub`:
/// ```` ```kub ```` is a whole file, ```` ```kub fragment=framework ```` lines
/// of a framework after its header, and ```` ```kub fragment=area ```` lines
/// inside an area of a framework that rates tasks with a two-level scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    File,
    Framework,
    Area,
}

/// One ```kub block: where it sits, the file it is in the document's project,
/// the mistakes it shows on purpose, its text and the line of the docs it
/// starts on.
#[derive(Debug)]
pub struct Example {
    context: Context,
    /// The file the example is written to, when its fence names one.
    pub file: Option<String>,
    expect: Vec<String>,
    /// The example as written.
    pub text: String,
    line: usize,
}

impl Example {
    /// Reads the words after ```` ```kub ````: `fragment=framework`,
    /// `fragment=area`, `file=PATH` (the example's file name, for examples
    /// that include or extend each other) and `expect=K0101,K0205` (the
    /// codes it shows on purpose). An unknown word is a mistake in the docs.
    fn from_fence(info: &str, line: usize, doc: &str) -> Example {
        let mut example = Example { context: Context::File, file: None, expect: Vec::new(), text: String::new(), line };
        for word in info.split_whitespace() {
            match word.split_once('=') {
                Some(("fragment", "framework")) => example.context = Context::Framework,
                Some(("fragment", "area")) => example.context = Context::Area,
                Some(("file", path)) => example.file = Some(path.to_string()),
                Some(("expect", codes)) => example.expect = codes.split(',').map(str::to_string).collect(),
                _ => panic!(
                    "{doc}:{line}: `{word}` is not `fragment=framework`, `fragment=area`, `file=PATH` or `expect=CODES`"
                ),
            }
        }
        example
    }

    /// The file this example is written to in its document's project.
    fn file_name(&self) -> String {
        self.file.clone().unwrap_or_else(|| format!("example-at-line-{}.kub", self.line))
    }

    /// The example as a whole kub file: a fragment is put in a framework of
    /// its own, named after the line it starts on.
    fn as_file(&self) -> String {
        let header =
            format!("framework docs-example-{} \"Exempel\" en \"Example\"\nversion 1.0\nlanguages sv en\n", self.line);
        match self.context {
            Context::File => self.text.clone(),
            Context::Framework => format!("{header}{}", self.text),
            Context::Area => format!(
                "{header}rate tasks with docs-scale\n\
                 scale docs-scale \"Skala\" en \"Scale\" {{\n  level a \"A\" en \"A\"\n  level b \"B\" en \"B\"\n}}\n\
                 area exempel \"Exempel\" en \"Example\" {{\n{}}}\n\
                 certificate {{\n  achieved docs-scale from b\n}}\n",
                self.text
            ),
        }
    }
}

/// A fenced block of a Markdown file that the tests read.
#[derive(Debug)]
pub enum Block {
    /// A ```` ```kub ```` example.
    Kub(Example),
    /// A ```` ```console ```` session: `$ command` lines, each followed by
    /// what it prints, starting on the given line of the docs.
    Console { text: String, line: usize },
}

/// The ```kub and ```console blocks of a Markdown file, in order.
pub fn blocks(markdown: &str, doc: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (index, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = fence.strip_prefix("```kub") {
                    current = Some(Block::Kub(Example::from_fence(info, index + 1, doc)));
                } else if fence == "```console" {
                    current = Some(Block::Console { text: String::new(), line: index + 2 });
                }
            }
            Some(_) if fence == "```" => blocks.extend(current.take()),
            Some(Block::Kub(Example { text, .. }) | Block::Console { text, .. }) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    assert!(current.is_none(), "{doc}: a ```kub or ```console block is not closed");
    blocks
}

/// The ```kub blocks of a Markdown file.
fn kub_examples(markdown: &str, doc: &str) -> Vec<Example> {
    blocks(markdown, doc)
        .into_iter()
        .filter_map(|block| match block {
            Block::Kub(example) => Some(example),
            Block::Console { .. } => None,
        })
        .collect()
}

/// README.md and every Markdown file under docs/.
pub fn documentation() -> Vec<String> {
    let mut docs: Vec<String> = std::fs::read_dir(repo_root().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| format!("docs/{}", path.file_name().unwrap().to_string_lossy()))
        .collect();
    docs.sort();
    docs.insert(0, "README.md".to_string());
    docs
}

/// Writes a document's examples into one project, runs `kub check` on it and
/// returns, for each example that does not give exactly the codes it states,
/// what went wrong.
fn check_examples(doc: &str, examples: &[Example]) -> Vec<String> {
    let project = tempfile::tempdir().unwrap();
    for example in examples {
        let path = project.path().join(example.file_name());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, example.as_file()).unwrap();
    }
    let run = kub_in(project.path(), &["check", "--format", "json", "."]);
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|error| panic!("{doc}: `kub check --format json` printed no JSON ({error}):\n{}", run.stderr));
    let mut failures = Vec::new();
    for example in examples {
        let file = example.file_name();
        let given: Vec<&serde_json::Value> = diagnostics.iter().filter(|d| d["file"] == file.as_str()).collect();
        let mut codes: Vec<&str> = given.iter().map(|d| d["code"].as_str().unwrap_or_default()).collect();
        codes.sort_unstable();
        codes.dedup();
        let mut expected: Vec<&str> = example.expect.iter().map(String::as_str).collect();
        expected.sort_unstable();
        if codes != expected {
            let messages: Vec<String> = given
                .iter()
                .map(|d| format!("  {} at {}:{}: {}", d["code"], d["line"], d["column"], d["message"]))
                .collect();
            failures.push(format!(
                "{doc}:{}: this example should give {expected:?} but gives {codes:?}:\n{}\n{}",
                example.line,
                messages.join("\n"),
                example.as_file()
            ));
        }
    }
    let unplaced: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| !examples.iter().any(|example| d["file"] == example.file_name().as_str()))
        .collect();
    if !unplaced.is_empty() {
        failures.push(format!("{doc}: `kub check` reports problems outside the examples: {unplaced:#?}"));
    }
    failures
}

#[test]
fn every_kub_example_in_the_docs_passes_kub_check_or_shows_its_stated_mistake() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for doc in documentation() {
        let markdown = std::fs::read_to_string(repo_root().join(&doc)).unwrap();
        let examples = kub_examples(&markdown, &doc);
        if examples.is_empty() {
            continue;
        }
        // A walkthrough shows files changing; its own `kub check` commands
        // check each version where it is shown (tests/walkthrough.rs).
        if markdown.contains("```console") {
            checked += examples.len();
            continue;
        }
        let mut names: Vec<String> = examples.iter().map(Example::file_name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), examples.len(), "{doc}: two examples are written to the same file");
        failures.extend(check_examples(&doc, &examples));
        checked += examples.len();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 12, "the docs have kub examples, but only {checked} were found");
}

/// The language reference covers every construct: each keyword of the
/// grammar appears in one of its checked examples.
#[test]
fn the_language_reference_shows_every_keyword_in_a_checked_example() {
    let grammar = std::fs::read_to_string(repo_root().join("grammar/kub.pest")).unwrap();
    let keywords: Vec<&str> =
        grammar.lines().filter(|line| line.starts_with("k_")).filter_map(|line| line.split('"').nth(1)).collect();
    assert!(keywords.len() > 40, "the grammar's keywords were not found: {keywords:?}");
    let markdown = std::fs::read_to_string(repo_root().join("docs/language.md")).unwrap();
    let words: std::collections::BTreeSet<String> = kub_examples(&markdown, "docs/language.md")
        .iter()
        .flat_map(|example| {
            let code: String = example
                .text
                .lines()
                .map(|line| line.split('#').next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map(str::to_string).collect::<Vec<_>>()
        })
        .collect();
    let missing: Vec<&&str> = keywords.iter().filter(|keyword| !words.contains(**keyword)).collect();
    assert!(missing.is_empty(), "docs/language.md has no checked example with {missing:?}");
}

#[test]
fn an_example_must_show_exactly_the_mistake_it_states() {
    let markdown = "```kub fragment=area\ntask a \"A\" en \"A\" {\n```\n\
                    ```kub fragment=area expect=K0101\ntask b \"B\" en \"B\" {\n```\n\
                    ```kub fragment=area expect=K0101\ntask c \"C\" en \"C\" { seqf 1 evidence practice }\n```\n\
                    ```kub fragment=area\ntask d \"D\" en \"D\" { seqf 1 evidence practice }\n```\n";
    let examples = kub_examples(markdown, "test.md");
    assert_eq!(examples[1].context, Context::Area);
    let failures = check_examples("test.md", &examples);
    let failing_lines: Vec<bool> = examples
        .iter()
        .map(|example| failures.iter().any(|f| f.starts_with(&format!("test.md:{}:", example.line))))
        .collect();
    assert_eq!(
        failing_lines,
        [true, false, true, false],
        "an unclosed block must fail, a stated mistake pass, a good example stated as a mistake fail, a good one pass:\n{}",
        failures.join("\n")
    );
}

/// The README's examples are one small project: a framework, a workplace's
/// tailoring of it and an assessment. Together they must pass `kub check`.
#[test]
fn the_readme_examples_together_pass_kub_check() {
    let markdown = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let project = tempfile::tempdir().unwrap();
    let examples = kub_examples(&markdown, "README.md");
    assert_eq!(examples.len(), 3, "the README shows a framework, a tailoring and an assessment");
    for (number, example) in examples.iter().enumerate() {
        std::fs::write(project.path().join(format!("example-{number}.kub")), example.as_file()).unwrap();
    }
    let run = kub_in(project.path(), &["check", "."]);
    assert_eq!(run.code, 0, "the README's examples do not pass `kub check`:\n{}", run.stderr);
    assert!(run.stderr.contains("0 errors"), "{}", run.stderr);
    assert!(run.stderr.contains("1 of 1 assessments ready for a certificate"), "{}", run.stderr);
}
