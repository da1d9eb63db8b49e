//! How fast `kub lsp` answers while someone types, run in release mode:
//!
//! ```text
//! cargo bench --bench lsp
//! ```
//!
//! The server runs in process over `lsp-server`'s in-memory connection,
//! on a copy of the bundled frameworks and the example cohort. With the
//! debounce delay set to zero, it measures for each example assessment:
//!
//! - the time from a `didChange` (a task id mistyped, then put right) to
//!   the `publishDiagnostics` for that file: the whole workspace checked
//!   again. An editor adds the debounce delay, 100 ms by default, on top;
//! - the time to answer a completion after `task ` in an occasion, with
//!   nothing waiting and right after a change (completion never waits for
//!   a check).

use std::path::Path;
use std::time::Duration;

use serde_json::json;

#[path = "../tests/lsp/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "support/generated.rs"]
#[allow(dead_code)]
mod generated;

use client::{Client, position, uri};
use generated::median;

// The same allocator as the `kub` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 41;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&root.join("frameworks"), &dir.path().join("frameworks"));
    copy_dir(&root.join("examples"), &dir.path().join("examples"));
    let options = kub::lsp::Options { debounce: Duration::ZERO, ..kub::lsp::Options::default() };
    let mut client = Client::in_process(options);
    client.initialize(dir.path(), false);
    let mut assessments: Vec<_> = walk(&dir.path().join("examples"));
    assessments.sort();
    let (mut diagnostics, mut idle, mut typing) = (Vec::new(), Vec::new(), Vec::new());
    for path in &assessments {
        let text = std::fs::read_to_string(path).expect("the example is readable");
        let Some(rating) = text.find("\n  task ") else { continue };
        let document = uri(path);
        client.open(&document, &text);
        // Any request but completion waits for the check of what came before it.
        let outline = json!({ "textDocument": { "uri": document } });
        client.result("textDocument/documentSymbol", outline.clone());
        // The first rating's task id, mistyped and put right in turn.
        let id_start = rating + "\n  task ".len();
        let id_end = id_start + text[id_start..].find([' ', '\n']).unwrap_or(0);
        let mistyped = format!("{}x{}", &text[..id_end], &text[id_end..]);
        let mut version = 1;
        diagnostics.push(median(RUNS, || {
            version += 1;
            client.change(&document, version, if version % 2 == 0 { &mistyped } else { &text });
            client.diagnostics(&document);
        }));
        if version % 2 == 0 {
            version += 1;
            client.change(&document, version, &text);
            client.result("textDocument/documentSymbol", outline.clone());
        }
        let typed = format!("{}\n  task {}", &text[..rating], &text[rating..]);
        let cursor = rating + "\n  task ".len();
        version += 1;
        client.change(&document, version, &typed);
        client.result("textDocument/documentSymbol", outline.clone());
        let params = json!({ "textDocument": { "uri": document }, "position": position(&typed, cursor, false) });
        idle.push(median(RUNS, || drop(client.result("textDocument/completion", params.clone()))));
        typing.push(median(RUNS, || {
            version += 1;
            client.change(&document, version, &typed);
            client.result("textDocument/completion", params.clone());
        }));
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": document } }));
    }
    println!(
        "{} example assessments, {RUNS} runs each; debounce delay excluded (0 here, 100 ms in an editor)",
        diagnostics.len()
    );
    report("didChange to publishDiagnostics", &mut diagnostics);
    report("completion after `task `", &mut idle);
    report("completion right after a change", &mut typing);
    client.shutdown();
}

/// The median over the files of each file's median, and the slowest file's.
fn report(what: &str, medians: &mut [Duration]) {
    medians.sort();
    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, slowest file {:.1} ms",
        millis(medians[medians.len() / 2]),
        millis(medians[medians.len() - 1])
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the folder is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|extension| extension == "kub") {
            found.push(path);
        }
    }
    found
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the folder can be made");
    for entry in std::fs::read_dir(from).expect("the folder is readable").flatten() {
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("the file can be copied");
        }
    }
}
