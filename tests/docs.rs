//! The documentation stays true: the diagnostics catalogue matches the code,
//! and every kub example in the docs parses.

use crate::support::repo_root;

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

/// The ```kub blocks of a Markdown file.
fn kub_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, fence) if fence.starts_with("```kub") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_complete_kub_example_in_the_docs_parses() {
    for doc in ["README.md", "docs/language.md"] {
        let markdown = std::fs::read_to_string(repo_root().join(doc)).unwrap();
        let blocks = kub_blocks(&markdown);
        assert!(!blocks.is_empty(), "{doc} has kub examples");
        for block in blocks {
            // Excerpts that elide with `...` are fragments, not whole files.
            let starts_a_file =
                ["framework", "library", "assessment"].iter().any(|k| block.trim_start().starts_with(k));
            if block.contains("...") || block.contains("{ ... }") || !starts_a_file {
                continue;
            }
            let parsed = kub::syntax::parse(Default::default(), &block);
            assert!(
                parsed.diagnostics.is_empty(),
                "{doc}: this example does not parse:\n{block}\n{:?}",
                parsed.diagnostics
            );
        }
    }
}
