//! The walkthroughs in the docs are run as written: a document with
//! ```` ```console ```` blocks is played from top to bottom in one folder,
//! each ```` ```kub file=PATH ```` block writing its file and each `$ command`
//! running there, and every command must print what the document shows.
//!
//! In the output a document shows, a line `...` stands for any number of
//! lines and `[..]` for any text within a line (a commit hash, a time).

use std::path::Path;
use std::process::Command;

use crate::docs::{Block, blocks, documentation};
use crate::support::repo_root;

#[test]
fn every_walkthrough_in_the_docs_prints_what_it_shows() {
    let mut played = 0;
    let mut failures = Vec::new();
    for doc in documentation() {
        let markdown = std::fs::read_to_string(repo_root().join(&doc)).unwrap();
        let blocks = blocks(&markdown, &doc);
        if blocks.iter().any(|block| matches!(block, Block::Console { .. })) {
            failures.extend(play(&doc, &blocks));
            played += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(played >= 1, "no walkthrough was found in the docs");
}

#[test]
fn a_walkthrough_fails_when_a_command_prints_something_else() {
    let markdown = "```kub file=a.kub\nlibrary a \"A\"\nlanguages sv\n```\n\
                    ```console\n$ cat a.kub\nlibrary a \"A\"\n...\n$ echo hello\nhello [..]\n```\n";
    let failures = play("test.md", &blocks(markdown, "test.md"));
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("echo hello"), "{failures:?}");
}

/// Plays one walkthrough and returns what did not print as shown.
fn play(doc: &str, blocks: &[Block]) -> Vec<String> {
    let folder = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for block in blocks {
        match block {
            Block::Kub(example) => {
                let Some(file) = &example.file else { continue };
                let path = folder.path().join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &example.text).unwrap();
            }
            Block::Console { text, line } => {
                for (command, shown, offset) in steps(text) {
                    let printed = run(folder.path(), &command);
                    if !matches(&shown, &printed) {
                        failures.push(format!(
                            "{doc}:{}: `{command}` printed\n{printed}\nbut the document shows\n{shown}",
                            line + offset
                        ));
                    }
                }
            }
        }
    }
    failures
}

/// A console block's commands, each with the output shown after it and the
/// line it is on within the block.
fn steps(text: &str) -> Vec<(String, String, usize)> {
    let mut steps: Vec<(String, String, usize)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        match line.strip_prefix("$ ") {
            Some(command) => steps.push((command.to_string(), String::new(), index)),
            None => {
                if let Some((_, shown, _)) = steps.last_mut() {
                    shown.push_str(line);
                    shown.push('\n');
                }
            }
        }
    }
    steps
}

/// Runs a command through the shell, with this build's `kub` first on the
/// path and git set up as a workshop member's would be, and returns what it
/// printed on both streams, in order.
fn run(folder: &Path, command: &str) -> String {
    let kub = Path::new(env!("CARGO_BIN_EXE_kub"));
    let path = std::env::join_paths(
        std::iter::once(kub.parent().unwrap().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} 2>&1"))
        .current_dir(folder)
        .env("PATH", path)
        .env("HOME", folder)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Kent Olsson")
        .env("GIT_AUTHOR_EMAIL", "kent.olsson@example.se")
        .env("GIT_COMMITTER_NAME", "Kent Olsson")
        .env("GIT_COMMITTER_EMAIL", "kent.olsson@example.se")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether printed output is what a document shows, reading `...` as any
/// number of lines and `[..]` as any text within a line.
fn matches(shown: &str, printed: &str) -> bool {
    let shown: Vec<&str> = shown.trim_end().lines().collect();
    let printed: Vec<&str> = printed.trim_end().lines().collect();
    lines_match(&shown, &printed)
}

fn lines_match(shown: &[&str], printed: &[&str]) -> bool {
    match shown.split_first() {
        None => printed.is_empty(),
        Some((&"...", rest)) => (0..=printed.len()).any(|skip| lines_match(rest, &printed[skip..])),
        Some((first, rest)) => {
            printed.first().is_some_and(|line| line_matches(first, line.trim_end())) && lines_match(rest, &printed[1..])
        }
    }
}

fn line_matches(shown: &str, printed: &str) -> bool {
    let mut pieces = shown.split("[..]");
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = printed.strip_prefix(first) else { return false };
    let pieces: Vec<&str> = pieces.collect();
    for (index, piece) in pieces.iter().enumerate() {
        if index == pieces.len() - 1 {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}
