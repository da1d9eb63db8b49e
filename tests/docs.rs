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
/// inside an area. ```` expect=K0101 ```` marks a mistake shown on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    File,
    Framework,
    Area,
}

/// One ```kub block: where it sits, the mistake it shows if any, its text
/// and the line of the docs it starts on.
#[derive(Debug)]
struct Example {
    context: Context,
    expect: Option<String>,
    text: String,
    line: usize,
}

impl Example {
    /// Reads the words after ```` ```kub ````; an unknown word is a mistake in the docs.
    fn from_fence(info: &str, line: usize, doc: &str) -> Example {
        let mut example = Example { context: Context::File, expect: None, text: String::new(), line };
        for word in info.split_whitespace() {
            match word {
                "fragment=framework" => example.context = Context::Framework,
                "fragment=area" => example.context = Context::Area,
                _ => match word.strip_prefix("expect=") {
                    Some(code) => example.expect = Some(code.to_string()),
                    None => {
                        panic!("{doc}:{line}: `{word}` is not `fragment=framework`, `fragment=area` or `expect=CODE`")
                    }
                },
            }
        }
        example
    }

    /// The example as a whole kub file. An elided block `{ ... }` reads as an
    /// empty one, so excerpts parse without their elided parts.
    fn as_file(&self) -> String {
        let text = self.text.replace("{ ... }", "{ }");
        let header = "framework docs-example \"Exempel\" en \"Example\"\nversion 1.0\nlanguages sv en\n";
        match self.context {
            Context::File => text,
            Context::Framework => format!("{header}{text}"),
            Context::Area => format!("{header}area exempel \"Exempel\" en \"Example\" {{\n{text}}}\n"),
        }
    }
}

/// The ```kub blocks of a Markdown file.
fn kub_examples(markdown: &str, doc: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut current: Option<Example> = None;
    for (index, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = fence.strip_prefix("```kub") {
                    current = Some(Example::from_fence(info, index + 1, doc));
                }
            }
            Some(_) if fence == "```" => examples.extend(current.take()),
            Some(example) => {
                example.text.push_str(line);
                example.text.push('\n');
            }
        }
    }
    assert!(current.is_none(), "{doc}: a ```kub block is not closed");
    examples
}

/// README.md and every Markdown file under docs/.
fn documentation() -> Vec<String> {
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

/// Whether an example parses, or gives exactly the mistake it says it shows.
fn check_example(doc: &str, example: &Example) -> Result<(), String> {
    let parsed = kub::syntax::parse(Default::default(), &example.as_file());
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    let expected: Vec<&str> = example.expect.iter().map(String::as_str).collect();
    if codes == expected {
        return Ok(());
    }
    Err(format!(
        "{doc}:{}: this example should give {expected:?} but gives {codes:?}:\n{}\n{:?}",
        example.line, example.text, parsed.diagnostics
    ))
}

#[test]
fn every_kub_example_in_the_docs_parses_or_shows_its_stated_mistake() {
    let mut checked = 0;
    for doc in documentation() {
        let markdown = std::fs::read_to_string(repo_root().join(&doc)).unwrap();
        for example in kub_examples(&markdown, &doc) {
            check_example(&doc, &example).unwrap_or_else(|failure| panic!("{failure}"));
            checked += 1;
        }
    }
    assert!(checked >= 9, "the docs have kub examples, but only {checked} were found");
}

#[test]
fn an_example_must_show_exactly_the_mistake_it_states() {
    let markdown = "```kub fragment=area\ntask a \"A\" {\n```\n\
                    ```kub fragment=area expect=K0101\ntask a \"A\" {\n```\n\
                    ```kub fragment=area expect=K0101\ntask a \"A\" { seqf 1 }\n```\n";
    let examples = kub_examples(markdown, "test.md");
    assert_eq!(examples[1].context, Context::Area);
    assert!(check_example("test.md", &examples[0]).is_err(), "an unclosed block passed as a good example");
    assert!(check_example("test.md", &examples[1]).is_ok(), "the stated mistake was not recognised");
    assert!(check_example("test.md", &examples[2]).is_err(), "a good example passed as showing a mistake");
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
