//! Reading past syntax errors: every mistake of a file reported once, what
//! did parse kept for tools, and conflict markers named as such.

use std::time::{Duration, Instant};

use kub::diagnostic::Code;
use kub::source::FileId;
use kub::syntax::{self, ast::Document};

/// Line and column of each diagnostic, 1-based, with its code.
fn reported(text: &str) -> Vec<(&'static str, usize, usize)> {
    syntax::parse(FileId::default(), text)
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let start = diagnostic.location.expect("syntax errors have a place").span.start;
            let line = text[..start].matches('\n').count() + 1;
            let column = text[..start].rfind('\n').map_or(start, |newline| start - newline - 1) + 1;
            (diagnostic.code.as_str(), line, column)
        })
        .collect()
}

const TASKS_WITH_MISTAKES: &str = "framework demo \"Demo\"
version 1.0
languages sv
area a \"A\" {
  task t1 \"T1\" { seqf x }
  task t2 \"T2\" { seqf 1 }
  tsk t3 \"T3\"
  task t4 \"T4\" { seqf 2 }
}
";

#[test]
fn every_mistake_is_reported_once_and_the_rest_is_read() {
    assert_eq!(reported(TASKS_WITH_MISTAKES), [("K0101", 5, 23), ("K0101", 7, 3)]);
    let parsed = syntax::parse(FileId::default(), TASKS_WITH_MISTAKES);
    assert!(parsed.has_syntax_errors());
    assert!(parsed.document.is_none(), "later stages must not judge a file read in part");
    let Some(Document::Framework(partial)) = parsed.partial else { panic!("the partial document is kept") };
    let text = format!("{:?}", partial.items);
    for id in ["t1", "t2", "t4"] {
        assert!(text.contains(&format!("\"{id}\"")), "task {id} is read");
    }
    assert!(!text.contains("\"t3\""));
}

#[test]
fn a_forgotten_level_is_reported_where_it_is_missing() {
    let text =
        "assessment follows demo 1.0\noccasion mapping 2026-02-05 {\n  task grasklippning\n  task other med-stod\n}\n";
    assert_eq!(reported(text), [("K0101", 3, 21)]);
    let message = &syntax::parse(FileId::default(), text).diagnostics[0].message;
    assert!(message.contains("level is missing after `grasklippning`"), "{message}");
}

#[test]
fn a_missing_brace_is_one_error_naming_where_the_block_opened() {
    let text = "framework demo \"Demo\"\narea a \"A\" {\n  task t1 \"T1\" {\n    seqf 1\n  task t2 \"T2\"\n}\narea b \"B\" {\n}\n";
    let parsed = syntax::parse(FileId::default(), text);
    assert_eq!(reported(text), [("K0101", 5, 3)]);
    let related = &parsed.diagnostics[0].related;
    assert_eq!(related.len(), 1);
    assert_eq!(related[0].location.span.start, text.find("{\n    seqf").unwrap());
}

#[test]
fn each_conflict_is_one_diagnostic_and_causes_no_syntax_errors() {
    let text = "framework demo \"Demo\"\nversion 1.0\n<<<<<<< HEAD\narea a \"A\" {\n=======\narea a \"Aa\" {\n  task t \"T\"\n>>>>>>> other\n}\n<<<<<<< HEAD\n>>>>>>> other\n";
    assert_eq!(reported(text), [("K0104", 3, 1), ("K0104", 10, 1)]);
    let parsed = syntax::parse(FileId::default(), text);
    assert_eq!(parsed.diagnostics[0].related.len(), 2);
    assert!(parsed.partial.is_some());
}

#[test]
fn keywords_cannot_be_ids() {
    let text = "framework demo \"Demo\"\narea task \"A\" {\n}\n";
    assert_eq!(reported(text), [("K0101", 2, 5)]);
}

#[test]
fn a_file_of_nonsense_stops_early_and_quickly() {
    let text = "framework demo \"Demo\"\n".to_string() + &"version ? ? ?\n".repeat(2000);
    let started = Instant::now();
    let parsed = syntax::parse(FileId::default(), &text);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(parsed.diagnostics.len(), 30);
    assert!(parsed.diagnostics.iter().all(|d| d.code == Code::SyntaxError));
}

#[test]
fn assessments_of_an_unreadable_framework_say_so_once() {
    let run = crate::support::kub(&["check", "tests/fixtures/assessment/framework-missing-brace", "--format", "json"]);
    assert_eq!(run.code, 1);
    let reported: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let codes: Vec<&str> = reported.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The framework's own error first, then the one follow-on.
    assert_eq!(codes, ["K0101", "K0422"]);
}
