//! Typesetting many documents in one run: a document's PDF does not depend
//! on what was typeset before it, although each compile starts from the
//! last one's syntax tree and memo cache.

use std::path::{Path, PathBuf};

use crate::support::kub;

fn build(paths: &[&str], out: &Path) {
    let mut args = vec!["build"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--out", out.to_str().unwrap(), "--format", "pdf", "--threads", "1"]);
    let run = kub(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for kind in ["certificates", "progress"] {
        for entry in std::fs::read_dir(dir.join(kind)).into_iter().flatten().flatten() {
            if entry.path().extension().is_some_and(|e| e == "pdf") {
                found.push(entry.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_document_has_the_same_bytes_built_alone_as_built_after_others() {
    let batch = tempfile::tempdir().unwrap();
    build(&["examples"], batch.path());
    let in_batch = pdfs(batch.path());
    assert!(in_batch.len() >= 15, "{in_batch:?}");
    let mut compared = 0;
    for folder in ["examples/slottsskogen", "examples/sprakvalidering", "examples/park-och-natur"] {
        let alone = tempfile::tempdir().unwrap();
        build(&[folder], alone.path());
        for pdf in pdfs(alone.path()) {
            assert!(in_batch.contains(&pdf), "{} is in the batch too", pdf.display());
            let (one, other) = (std::fs::read(alone.path().join(&pdf)), std::fs::read(batch.path().join(&pdf)));
            assert!(one.unwrap() == other.unwrap(), "{} differs between the batch and its folder alone", pdf.display());
            compared += 1;
        }
    }
    assert!(compared >= 6, "{compared} documents compared");
}
