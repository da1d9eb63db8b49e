//! No input, however broken, makes kub panic.

use proptest::prelude::*;

use kub::check::check;
use kub::model::Workspace;

use crate::support::repo_root;

fn check_text(text: &str) {
    let mut workspace = Workspace::new();
    for entry in ["park-och-natur.kub", "shared/generella-kompetenser.kub"] {
        let path = repo_root().join("frameworks").join(entry);
        workspace.add_source(path.clone(), std::fs::read_to_string(&path).unwrap());
    }
    workspace.add_source("fuzz.kub", text.to_string());
    let checked = check(workspace);
    // Rendering every diagnostic must not panic either.
    kub::diagnostic::render::human(
        &checked.diagnostics,
        &checked.workspace.sources,
        kub::diagnostic::render::Color::Never,
    );
    kub::diagnostic::render::json(&checked.diagnostics, &checked.workspace.sources);
}

pub(crate) fn samples() -> Vec<String> {
    let mut samples = Vec::new();
    for dir in ["frameworks", "examples", "tests/fixtures"] {
        collect(&repo_root().join(dir), &mut samples);
    }
    samples
}

fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "kub")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

#[test]
fn every_prefix_of_every_sample_checks_without_panicking() {
    for sample in samples() {
        let step = (sample.len() / 40).max(1);
        let boundaries: Vec<usize> = sample.char_indices().map(|(i, _)| i).step_by(step).collect();
        for end in boundaries {
            check_text(&sample[..end]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_checks_without_panicking(text in "\\PC{0,200}") {
        check_text(&text);
    }

    #[test]
    fn samples_with_a_span_replaced_check_without_panicking(index in 0usize..1000, start in 0usize..4000, length in 0usize..40, insert in "[{}\"#a-z0-9 ?\\n\\\\-]{0,12}") {
        let samples = samples();
        let sample = &samples[index % samples.len()];
        let mut start = start.min(sample.len());
        while !sample.is_char_boundary(start) { start -= 1; }
        let mut end = (start + length).min(sample.len());
        while !sample.is_char_boundary(end) { end -= 1; }
        let mutated = format!("{}{}{}", &sample[..start], insert, &sample[end..]);
        check_text(&mutated);
    }
}
