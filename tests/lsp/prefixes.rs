//! Every request on prefixes of every sample file answers, and no fault
//! ends the server: it runs in process with faults made fatal, so that a
//! panic anywhere fails the test instead of being survived.

use std::path::Path;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::client::{Client, position, uri};
use crate::robustness::samples;
use crate::support::{copy_dir, repo_root};

/// The JSON-RPC code of an internal error: the server failed, not the request.
const INTERNAL_ERROR: i32 = -32603;

fn strict_server(root: &Path) -> Client {
    let options = kub::lsp::Options { debounce: Duration::ZERO, survive_faults: false };
    let mut client = Client::in_process(options);
    client.initialize(root, false);
    client
}

/// A project with one framework and the library it includes: enough for
/// assessments to be checked against, small enough to check thousands of times.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let frameworks = dir.path().join("frameworks");
    copy_dir(&repo_root().join("frameworks/shared"), &frameworks.join("shared"));
    std::fs::copy(repo_root().join("frameworks/park-och-natur.kub"), frameworks.join("park-och-natur.kub")).unwrap();
    dir
}

/// Asks everything a position can be asked; every answer must be a result
/// or an error about the request, never a failure of the server.
fn ask_everything(client: &mut Client, uri: &str, text: &str, offset: usize) {
    let document = json!({ "uri": uri });
    let at = position(text, offset, false);
    let range = json!({ "start": at, "end": at });
    let requests = [
        ("textDocument/completion", json!({ "textDocument": document, "position": at })),
        ("textDocument/hover", json!({ "textDocument": document, "position": at })),
        ("textDocument/definition", json!({ "textDocument": document, "position": at })),
        (
            "textDocument/references",
            json!({ "textDocument": document, "position": at, "context": { "includeDeclaration": true } }),
        ),
        ("textDocument/prepareRename", json!({ "textDocument": document, "position": at })),
        ("textDocument/rename", json!({ "textDocument": document, "position": at, "newName": "nytt-id" })),
        ("textDocument/documentSymbol", json!({ "textDocument": document })),
        (
            "textDocument/formatting",
            json!({ "textDocument": document, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
        (
            "textDocument/codeAction",
            json!({ "textDocument": document, "range": range, "context": { "diagnostics": [] } }),
        ),
    ];
    for (method, params) in requests {
        if let Err(error) = client.request(method, params).response_result {
            assert_ne!(error.code, INTERNAL_ERROR, "{method} at {offset} of {text:?}: {}", error.message);
        }
    }
}

fn char_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

#[test]
fn every_request_on_prefixes_of_every_sample_answers() {
    let dir = workspace();
    let mut client = strict_server(dir.path());
    let document = uri(&dir.path().join("typed.kub"));
    client.open(&document, "");
    for (index, sample) in samples().iter().enumerate() {
        // Eight prefixes of each file, cut anywhere, the whole file among
        // them; the property test below cuts at random places.
        let step = (sample.len() / 8).max(1);
        for end in (0..sample.len()).step_by(step).chain([sample.len()]) {
            let prefix = &sample[..char_boundary(sample, end)];
            client.change(&document, index as i32 + 2, prefix);
            ask_everything(&mut client, &document, prefix, prefix.len());
            ask_everything(&mut client, &document, prefix, char_boundary(prefix, prefix.len() / 2));
        }
    }
    assert_eq!(client.shutdown(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A sample cut short, with a few characters typed somewhere in it,
    /// asked about anywhere.
    #[test]
    fn every_request_on_an_edited_sample_answers(
        index in 0usize..1000,
        cut in 0usize..20_000,
        typed_at in 0usize..20_000,
        typed in "[{}\"#a-zäöå0-9 ?\\n-]{0,8}|task |أمل|😀",
        cursor in 0usize..20_000,
    ) {
        let samples = samples();
        let sample = &samples[index % samples.len()];
        let cut = char_boundary(sample, cut);
        let mut text = sample[..cut].to_string();
        let at = char_boundary(&text, typed_at);
        text.insert_str(at, &typed);
        let dir = workspace();
        let mut client = strict_server(dir.path());
        let document = uri(&dir.path().join("typed.kub"));
        client.open(&document, &text);
        ask_everything(&mut client, &document, &text, char_boundary(&text, cursor));
        prop_assert_eq!(client.shutdown(), 0);
    }
}

#[test]
fn a_server_with_no_folder_answers_for_a_single_file() {
    let dir = tempfile::tempdir().unwrap();
    let options = kub::lsp::Options { debounce: Duration::ZERO, survive_faults: false };
    let mut client = Client::in_process(options);
    client.result("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    let document = uri(&dir.path().join("lone.kub"));
    let text = "assessment follows nothing 1.0\nparticipant \"Åsa Öberg\"\nperiod 2026-01-02 to 2026-06-30\n";
    client.open(&document, text);
    let published = client.diagnostics(&document);
    assert!(published.iter().any(|d| d["code"] == "K0301"), "{published:#?}");
    ask_everything(&mut client, &document, text, text.len());
    assert_eq!(
        client.result(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "untitled:x" }, "position": { "line": 0, "character": 0 } })
        ),
        Value::Null
    );
    assert_eq!(client.shutdown(), 0);
}
