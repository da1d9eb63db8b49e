//! Writes a generated cohort of valid assessments, for load tests and for
//! trying kub on a realistic number of files:
//!
//! ```text
//! cargo run --release --example generate-cohort -- park-och-natur 1000 /tmp/cohort
//! kub build /tmp/cohort --out /tmp/cohort-out
//! ```
//!
//! Ratings are random but seeded: the same arguments give the same files.

use std::path::PathBuf;
use std::process::ExitCode;

use kub::check::check;
use kub::model::Workspace;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [framework, count, out] = args.as_slice() else {
        eprintln!("usage: generate-cohort FRAMEWORK-ID COUNT OUTPUT-FOLDER");
        return ExitCode::from(2);
    };
    let Ok(count) = count.parse::<u64>() else {
        eprintln!("COUNT must be a whole number, not `{count}`");
        return ExitCode::from(2);
    };
    let mut workspace = Workspace::new();
    workspace.load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("frameworks"));
    let checked = check(workspace);
    let Some(framework) = checked.resolution.find_by_id(framework) else {
        eprintln!("there is no framework `{framework}` in frameworks/");
        return ExitCode::from(2);
    };
    let out = PathBuf::from(out);
    if let Err(error) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {error}", out.display());
        return ExitCode::from(1);
    }
    for seed in 0..count {
        let (_, text) = kub::scaffold::sample_assessment(framework, seed);
        let path = out.join(format!("participant-{seed:05}.kub"));
        if path.exists() {
            eprintln!("{} already exists; choose an empty folder", path.display());
            return ExitCode::from(1);
        }
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {error}", path.display());
            return ExitCode::from(1);
        }
    }
    eprintln!("wrote {count} assessments of {} {} into {}", framework.id, framework.version, out.display());
    ExitCode::SUCCESS
}
