//! Builds one example certificate again and again in process, as `kub
//! watch` does after each save, for profiling with `perf`:
//!
//! ```text
//! cargo build --release --example certificate-profile
//! perf record -g target/release/examples/certificate-profile 50
//! ```
//!
//! Each round gives Amal Hassan's assessment a new reference number, which
//! her certificate shows, checks the workspace again and builds the
//! certificate PDF with the same warm engine. It prints the median time of a
//! round's build.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use kub::build::{Branding, Builder, DocumentKind, Format, Languages, OutputNames, plan};
use kub::check::check;
use kub::project::Project;

const ASSESSMENT: &str = "examples/slottsskogen/amal-hassan.kub";
const REFERENCE: &str = "GBG-2026-014";

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(50);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Project::for_folder(root).expect("the repository is a project");
    let mut checked = check(project.workspace(&[root.join("examples")]));
    let builder = Builder::new(None, &Branding::default()).expect("the bundled templates load");
    let formats: BTreeSet<Format> = [Format::Pdf].into_iter().collect();
    let kinds: BTreeSet<DocumentKind> = [DocumentKind::Certificate].into_iter().collect();
    let path = root.join(ASSESSMENT);
    let original = std::fs::read_to_string(&path).expect("the example assessment is readable");
    let file = checked.workspace.file_id(&path).expect("the assessment is loaded");
    let mut times = Vec::new();
    for round in 0..rounds {
        let text = original.replace(REFERENCE, &format!("GBG-2026-{:03}", 500 + round));
        let mut workspace = std::mem::take(&mut checked.workspace);
        workspace.add_source(path.clone(), text);
        checked = check(workspace);
        let only = [file].into_iter().collect();
        let planned =
            plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), Some(&only));
        let started = Instant::now();
        builder.build(&planned.documents[0], &formats).expect("the certificate builds");
        times.push(started.elapsed());
    }
    times.sort();
    println!("{rounds} certificates, each with a new reference number: median {:?}", times[times.len() / 2]);
}
