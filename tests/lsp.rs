//! `kub lsp`: the real process spoken to over stdio, and the server in
//! process for the robustness loops.

mod client;
mod prefixes;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{copy_dir, kub_in, repo_root};
use client::{Client, offset_of, position, uri};

/// A project with the bundled frameworks and the park-och-natur examples.
fn project() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    copy_dir(&repo_root().join("examples/park-och-natur"), &dir.path().join("examples/park-och-natur"));
    let framework = dir.path().join("frameworks/park-och-natur.kub");
    let assessment = dir.path().join("examples/park-och-natur/asa-oberg.kub");
    let other = dir.path().join("examples/park-och-natur/yonas-gebremedhin.kub");
    (dir, framework, assessment, other)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn at(uri: &str, text: &str, offset: usize) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(text, offset, false) })
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn a_session_with_the_real_process_over_stdio() {
    let (dir, framework_path, assessment_path, other_path) = project();
    let (framework, assessment) = (uri(&framework_path), uri(&assessment_path));
    let (framework_text, text) = (read(&framework_path), read(&assessment_path));
    let mut client = Client::process(Path::new(env!("CARGO_BIN_EXE_kub")), dir.path());
    let capabilities = client.initialize(dir.path(), false);
    assert_eq!(capabilities["capabilities"]["positionEncoding"], "utf-16");
    client.open(&framework, &framework_text);
    client.open(&assessment, &text);

    // The same diagnostics as `kub check`, at the same places.
    let published = client.diagnostics(&assessment);
    let checked = kub_in(dir.path(), &["check", "--format", "json", "examples/park-och-natur/asa-oberg.kub"]);
    let checked: Vec<Value> = serde_json::from_str(&checked.stdout).unwrap();
    assert_eq!(codes(&published), ["K0409", "K0412"], "{published:#?}");
    for (shown, expected) in published.iter().zip(&checked) {
        assert_eq!(shown["code"], expected["code"]);
        assert_eq!(shown["range"]["start"]["line"].as_u64().unwrap() + 1, expected["line"].as_u64().unwrap());
        assert_eq!(shown["range"]["start"]["character"].as_u64().unwrap() + 1, expected["column"].as_u64().unwrap());
        assert!(shown["message"].as_str().unwrap().starts_with(expected["message"].as_str().unwrap()));
    }

    // A typing mistake: the diagnostic arrives with its did-you-mean and a quick fix.
    let typo = text.replacen("task papperskorgar sjalvstandigt", "task papperskorgr sjalvstandigt", 1);
    client.change(&assessment, 2, &typo);
    let published = client.diagnostics(&assessment);
    let unknown = published.iter().find(|d| d["code"] == "K0401").expect("an unknown task is reported");
    let word = offset_of(&typo, "papperskorgr", 0);
    assert_eq!(unknown["range"]["start"], position(&typo, word, false));
    assert!(unknown["message"].as_str().unwrap().contains("did you mean `papperskorgar`?"));
    let actions = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": assessment },
            "range": unknown["range"],
            "context": { "diagnostics": [unknown] },
        }),
    );
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["edit"]["changes"][&assessment][0]["newText"], "papperskorgar");

    // Completion after `task ` in an occasion: the framework's task ids with their titles.
    let typing =
        text.replacen("  task papperskorgar sjalvstandigt\n", "  task papperskorgar sjalvstandigt\n  task \n", 1);
    client.change(&assessment, 3, &typing);
    let cursor = offset_of(&typing, "  task \n", "  task ".len());
    let items = client.result("textDocument/completion", at(&assessment, &typing, cursor));
    let items = items.as_array().unwrap();
    let papperskorgar = items.iter().find(|item| item["label"] == "papperskorgar").expect("task ids are offered");
    assert_eq!(papperskorgar["detail"], "Tömma papperskorgar");
    assert!(items.iter().any(|item| item["label"] == "grasklippning"));
    // After a task id, the levels of its scale.
    let levels_text = typing.replacen("  task \n", "  task papperskorgar \n", 1);
    client.change(&assessment, 4, &levels_text);
    let cursor = offset_of(&levels_text, "  task papperskorgar \n", "  task papperskorgar ".len());
    let items = client.result("textDocument/completion", at(&assessment, &levels_text, cursor));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|item| item["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["introducerad", "med-stod", "sjalvstandigt", "handleder", "?"]);
    client.change(&assessment, 5, &text);

    // Hover: the task's titles in every language, its area and SeQF level.
    let rated = offset_of(&text, "task papperskorgar", "task ".len() + 2);
    let hover = client.result("textDocument/hover", at(&assessment, &text, rated));
    let shown = hover["contents"]["value"].as_str().unwrap();
    for expected in ["sv: Tömma papperskorgar", "en: Empty litter bins", "area: ", "SeQF level 1"] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }

    // Definition: the task's line in the framework.
    let definition = client.result("textDocument/definition", at(&assessment, &text, rated));
    assert_eq!(definition["uri"], framework);
    let defined = offset_of(&framework_text, "task papperskorgar", "task ".len());
    assert_eq!(definition["range"]["start"], position(&framework_text, defined, false));

    // References: every rating of the task, in both assessments, and its definition.
    let params = json!({
        "textDocument": { "uri": assessment },
        "position": position(&text, rated, false),
        "context": { "includeDeclaration": true },
    });
    let references = client.result("textDocument/references", params);
    let references = references.as_array().unwrap();
    let other = uri(&other_path);
    let count = |text: &str| text.matches("task papperskorgar ").count();
    assert_eq!(references.len(), count(&framework_text) + count(&text) + count(&read(&other_path)));
    for file in [&framework, &assessment, &other] {
        assert!(references.iter().any(|reference| reference["uri"] == *file.as_str()), "{file}");
    }

    // Rename: the framework and every assessment that uses the id; refused for a taken or invalid id.
    let rename = |new: &str| {
        json!({
            "textDocument": { "uri": assessment },
            "position": position(&text, rated, false),
            "newName": new,
        })
    };
    let edit = client.result("textDocument/rename", rename("tomning"));
    let changes = edit["changes"].as_object().unwrap();
    let edits: usize = changes.values().map(|edits| edits.as_array().unwrap().len()).sum();
    assert_eq!(edits, references.len());
    assert!(changes[&framework].as_array().unwrap().iter().all(|edit| edit["newText"] == "tomning"));
    let taken = client.request("textDocument/rename", rename("grasklippning")).response_result.unwrap_err();
    assert_eq!(taken.code, -32803);
    assert!(taken.message.contains("`grasklippning` is taken"), "{}", taken.message);
    let invalid = client.request("textDocument/rename", rename("tömning")).response_result.unwrap_err();
    assert!(invalid.message.contains("not a valid id"), "{}", invalid.message);

    // A framework edit re-checks the open assessments that follow it.
    let renamed = framework_text.replacen("task papperskorgar ", "task papperskorgar2 ", 1);
    client.change(&framework, 2, &renamed);
    let published = client.diagnostics(&assessment);
    assert!(published.iter().any(|d| d["code"] == "K0401"), "{published:#?}");
    // A framework that cannot be read: the assessment says so and points at it.
    client.change(&framework, 3, &framework_text.replacen("area renhallning", "area renhallning {", 1));
    let published = client.diagnostics(&assessment);
    let broken = published.iter().find(|d| d["code"] == "K0422").expect("the broken framework is reported");
    assert_eq!(broken["relatedInformation"][0]["location"]["uri"], framework.as_str());
    client.change(&framework, 4, &framework_text);
    assert_eq!(codes(&client.diagnostics(&assessment)), ["K0409", "K0412"]);

    // Formatting gives `kub fmt`'s layout, and nothing for a file with syntax errors.
    let messy = text.replacen("task papperskorgar sjalvstandigt", "task   papperskorgar    sjalvstandigt", 1);
    client.change(&assessment, 6, &messy);
    let formatting =
        json!({ "textDocument": { "uri": assessment }, "options": { "tabSize": 2, "insertSpaces": true } });
    let edits = client.result("textDocument/formatting", formatting.clone());
    assert_eq!(edits[0]["newText"].as_str().unwrap(), text);
    client.change(&assessment, 7, &text.replacen("occasion mapping", "occasion", 1));
    assert_eq!(client.result("textDocument/formatting", formatting), Value::Null);

    // The outline: areas with their tasks.
    let symbols = client.result("textDocument/documentSymbol", json!({ "textDocument": { "uri": framework } }));
    let area = symbols.as_array().unwrap().iter().find(|s| s["name"] == "renhallning").expect("the area is listed");
    assert!(area["children"].as_array().unwrap().iter().any(|task| task["name"] == "papperskorgar"));

    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::process(Path::new(env!("CARGO_BIN_EXE_kub")), dir.path());
    client.initialize(dir.path(), false);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);
}

/// A line with Arabic, Swedish and an emoji before a mistake, so that
/// UTF-16 units, UTF-8 bytes and characters all differ.
fn mixed_script_assessment() -> String {
    let text = read(&repo_root().join("examples/park-och-natur/asa-oberg.kub"));
    text.replacen(
        "occasion mapping 2026-03-05 by \"Göran Lindahl\" {\n",
        "occasion mapping 2026-03-05 by \"أمل Öberg 😀\" { task papperskorgr med-stod task trimning med-stod\n",
        1,
    )
}

#[test]
fn positions_follow_the_negotiated_encoding() {
    for utf8 in [false, true] {
        let (dir, _, assessment_path, _) = project();
        let assessment = uri(&assessment_path);
        let text = mixed_script_assessment();
        let mut client = Client::in_process(kub::lsp::Options::default());
        let capabilities = client.initialize(dir.path(), utf8);
        assert_eq!(capabilities["capabilities"]["positionEncoding"], if utf8 { "utf-8" } else { "utf-16" });
        client.open(&assessment, &text);
        let published = client.diagnostics(&assessment);
        let unknown = published.iter().find(|d| d["code"] == "K0401").expect("the mistake is reported");
        let word = offset_of(&text, "papperskorgr", 0);
        assert_eq!(unknown["range"]["start"], position(&text, word, utf8), "utf8: {utf8}");
        assert_eq!(unknown["range"]["end"], position(&text, word + "papperskorgr".len(), utf8));
        // A hover on the level after the mistake finds the word by the same count.
        let level = offset_of(&text, "trimning med-stod", "trimning m".len());
        let params = json!({ "textDocument": { "uri": assessment }, "position": position(&text, level, utf8) });
        let hover = client.result("textDocument/hover", params);
        assert_eq!(hover["range"]["start"], position(&text, level - 1, utf8), "{hover}");
        assert_eq!(client.shutdown(), 0);
    }
}

#[test]
fn changes_typed_quickly_are_checked_once() {
    let (dir, _, assessment_path, _) = project();
    let assessment = uri(&assessment_path);
    let text = read(&assessment_path);
    let options = kub::lsp::Options { debounce: std::time::Duration::from_millis(300), ..Default::default() };
    let mut client = Client::in_process(options);
    client.initialize(dir.path(), false);
    client.open(&assessment, &text);
    client.diagnostics(&assessment);
    // Five keystrokes well within the delay: only the last text is checked.
    for (version, typed) in ["p", "pa", "pap", "papp", "pappx"].iter().enumerate() {
        let edited = text.replacen("task papperskorgar sjalvstandigt", &format!("task {typed} sjalvstandigt"), 1);
        client.change(&assessment, version as i32 + 2, &edited);
    }
    let published = client.diagnostics(&assessment);
    let unknown: Vec<&Value> = published.iter().filter(|d| d["code"] == "K0401").collect();
    assert_eq!(unknown.len(), 1, "{published:#?}");
    assert!(unknown[0]["message"].as_str().unwrap().contains("`pappx`"));
    let versions: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == assessment.as_str())
        .map(|n| &n.params["version"])
        .collect();
    assert!(versions.is_empty(), "no diagnostics for the texts in between: {versions:?}");
    assert_eq!(client.shutdown(), 0);
}

/// The labels offered at the end of `text`, opened as a new file of the project.
fn offered(client: &mut Client, document: &str, version: i32, text: &str) -> Vec<String> {
    client.change(document, version, text);
    let items = client.result("textDocument/completion", at(document, text, text.len()));
    items.as_array().unwrap().iter().map(|item| item["label"].as_str().unwrap().to_string()).collect()
}

#[test]
fn completion_reads_half_typed_lines() {
    let (dir, framework_path, _, _) = project();
    let mut client =
        Client::in_process(kub::lsp::Options { debounce: std::time::Duration::ZERO, ..Default::default() });
    client.initialize(dir.path(), false);
    let document = uri(&dir.path().join("examples/new.kub"));
    client.open(&document, "");
    assert_eq!(offered(&mut client, &document, 2, ""), ["framework", "library", "assessment"]);
    assert_eq!(offered(&mut client, &document, 3, "assessment "), ["follows"]);
    let ids = offered(&mut client, &document, 4, "assessment follows ");
    assert!(ids.contains(&"park-och-natur".to_string()) && !ids.contains(&"generella-kompetenser".to_string()));
    assert_eq!(offered(&mut client, &document, 5, "assessment follows park-och-natur "), ["2.1"]);
    let head = "assessment follows park-och-natur 2.1\nparticipant \"Åsa\" {\n  language ";
    assert!(offered(&mut client, &document, 6, head).contains(&"sv".to_string()));
    let occasion = "assessment follows park-och-natur 2.1\noccasion ";
    assert_eq!(offered(&mut client, &document, 7, occasion), ["mapping", "follow-up", "final"]);
    let rating = "assessment follows park-och-natur 2.1\noccasion final 2026-05-05 {\n  comp";
    assert_eq!(offered(&mut client, &document, 8, rating), ["task", "competence", "milestone"]);
    let competence = "assessment follows park-och-natur 2.1\noccasion final 2026-05-05 {\n  competence ";
    assert!(offered(&mut client, &document, 9, competence).contains(&"samarbete".to_string()));
    let goal = "assessment follows park-och-natur 2.1\ngoal task ";
    assert!(offered(&mut client, &document, 10, goal).contains(&"beskarning".to_string()));

    // In a framework: a tailoring's inherited ids and scales, and a task's statements.
    let tailoring = "framework t \"T\"\nversion 1\nlanguages sv\nextends park-och-natur 2.1\n";
    client.change(&document, 11, tailoring);
    // Completion reads the frameworks as last checked; any other request checks first.
    client.result("textDocument/documentSymbol", json!({ "textDocument": { "uri": document } }));
    assert!(offered(&mut client, &document, 12, &format!("{tailoring}remove task ")).contains(&"lov".to_string()));
    let scale = format!("{tailoring}area a \"A\" {{\n  scale ");
    assert_eq!(offered(&mut client, &document, 13, &scale), ["kub"]);
    let statements =
        offered(&mut client, &document, 14, &format!("{tailoring}area a \"A\" {{\n  task b \"B\" {{\n    "));
    assert!(statements.contains(&"criterion".to_string()) && !statements.contains(&"area".to_string()));
    // Checked first, so that the answer does not depend on whether the
    // checks of the half-typed texts above have run yet.
    let achieved = format!("{tailoring}certificate {{\n  achieved kub from ");
    client.change(&document, 15, &achieved);
    client.result("textDocument/documentSymbol", json!({ "textDocument": { "uri": document } }));
    let levels = client.result("textDocument/completion", at(&document, &achieved, achieved.len()));
    let levels: Vec<&str> = levels.as_array().unwrap().iter().map(|item| item["label"].as_str().unwrap()).collect();
    assert_eq!(levels, ["introducerad", "med-stod", "sjalvstandigt", "handleder"]);
    assert!(read(&framework_path).contains("task lov "));
    assert_eq!(client.shutdown(), 0);
}
