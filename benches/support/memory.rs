//! Peak memory of checking and building, each case in a process of its own
//! (the bench binary run again), so that each high-water mark is the case's
//! own and not the largest of the cases before it. The files are written by
//! the parent, so that making them is not counted either.
//!
//! Cases, each with an environment variable for a quicker run:
//! - certificates (PDF) for generated cohorts of park-och-natur,
//!   `KUB_BENCH_MEMORY_PARTICIPANTS` (default `1000,10000`);
//! - one assessment with `KUB_BENCH_MEMORY_RATINGS` ratings (default
//!   100,000) of a generated framework with a third as many tasks, checked
//!   and built as a certificate and progression report in
//!   `KUB_BENCH_MEMORY_FORMATS` (default `pdf`);
//! - one framework of about `KUB_BENCH_MEMORY_FRAMEWORK_MB` MB (default 50),
//!   checked, and its checklist built in the same formats.
//!
//! `KUB_BENCH_MEMORY_BUILD=0` stops each case after planning, for a quick
//! look at checking and planning alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use kub::build::{Branding, Builder, DocumentKind, Format, Languages, OutputNames, plan};
use kub::check::check;
use kub::model::Workspace;

use super::generated::Generated;

/// Set in a child process: the folder it checks and builds.
const CHILD_FOLDER: &str = "KUB_BENCH_MEMORY_FOLDER";
/// Set in a child process: the kinds of document it builds, comma-separated.
const CHILD_KINDS: &str = "KUB_BENCH_MEMORY_KINDS";

/// Every case, each measured in a child process.
pub fn scenario() {
    println!("peak memory (VmHWM) of check, plan and build, each case in its own process");
    let counts = list("KUB_BENCH_MEMORY_PARTICIPANTS", "1000,10000");
    for count in counts.iter().filter_map(|count| count.parse::<usize>().ok()) {
        let cohort = super::generated_cohort(count);
        measure(&format!("{count} participants, certificates"), cohort.path(), "certificate");
    }
    let ratings: usize = number("KUB_BENCH_MEMORY_RATINGS", 100_000);
    let folder = huge_assessment(ratings);
    measure(&format!("one assessment of {ratings} ratings"), folder.path(), "certificate,progress");
    let megabytes: usize = number("KUB_BENCH_MEMORY_FRAMEWORK_MB", 50);
    let folder = huge_framework(megabytes);
    measure(&format!("one framework of {megabytes} MB"), folder.path(), "checklist");
}

/// Runs a child on `folder` and prints what it measured.
fn measure(case: &str, folder: &Path, kinds: &str) {
    let bytes: u64 = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
    println!("  {case} ({:.1} MB of files)", bytes as f64 / 1e6);
    let output = Command::new(std::env::current_exe().expect("the bench binary"))
        .env(CHILD_FOLDER, folder)
        .env(CHILD_KINDS, kinds)
        .output()
        .expect("the bench binary runs again");
    assert!(output.status.success(), "the child failed: {}", String::from_utf8_lossy(&output.stderr));
    print!("{}", String::from_utf8_lossy(&output.stdout));
}

/// In a child process: checks, plans and builds the folder it was given,
/// printing peak and current memory after each step. Returns false in the
/// parent.
pub fn run_child() -> bool {
    let Some(folder) = std::env::var_os(CHILD_FOLDER).map(PathBuf::from) else { return false };
    let kinds: BTreeSet<DocumentKind> = list(CHILD_KINDS, "certificate")
        .iter()
        .map(|kind| clap::ValueEnum::from_str(kind, true).expect("a document kind"))
        .collect();
    let formats: BTreeSet<Format> = list("KUB_BENCH_MEMORY_FORMATS", "pdf")
        .iter()
        .map(|format| clap::ValueEnum::from_str(format, true).expect("a format"))
        .collect();
    let started = Instant::now();
    report("start", started);
    let mut workspace = Workspace::with_threads(2);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    workspace.boundary.allow(&repo);
    workspace.load(&repo.join("frameworks"));
    workspace.load(&folder);
    let checked = check(workspace);
    assert!(!checked.diagnostics.has_errors(), "the generated files check clean");
    report("checked", started);
    let plan = plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), None);
    report(&format!("planned {} documents", plan.documents.len()), started);
    if std::env::var("KUB_BENCH_MEMORY_BUILD").is_ok_and(|value| value == "0") {
        return true;
    }
    let builder = Builder::new(None, &Branding::default()).expect("the bundled templates load");
    let out = tempfile::tempdir().expect("a temporary folder");
    let built = builder.run(&plan, &formats, out.path(), 2, &AtomicBool::new(false), &|_| {});
    assert!(built.failed.is_empty(), "every document builds: {:?}", built.failed.first());
    report("built", started);
    true
}

/// One line of figures after a step.
fn report(step: &str, started: Instant) {
    let (peak, now) = (status_mb("VmHWM:"), status_mb("VmRSS:"));
    let seconds = started.elapsed().as_secs_f64();
    println!("    {step:<26} peak {peak:>6} MB  now {now:>6} MB  at {seconds:>6.1} s");
}

/// A figure of /proc/self/status in MB, or 0 where there is none.
fn status_mb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|line| line.strip_prefix(field)?.split_whitespace().next()?.parse::<u64>().ok());
    kb.unwrap_or(0) / 1024
}

/// A folder with a generated framework of `ratings / 3` tasks and one
/// assessment that rates each at three occasions.
fn huge_assessment(ratings: usize) -> tempfile::TempDir {
    let tasks = ratings.div_ceil(3);
    let text = Generated::default().framework("huge-assessed", tasks);
    let mut workspace = Workspace::with_threads(1);
    workspace.add_source("huge-assessed.kub", text.clone());
    let checked = check(workspace);
    let framework = checked.resolution.find_by_id("huge-assessed").expect("the generated framework");
    let (_, assessment) = kub::scaffold::sample_assessment(framework, 1);
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("huge-assessed.kub"), text).expect("written");
    std::fs::write(dir.path().join("participant.kub"), assessment).expect("written");
    dir
}

/// A folder with one generated framework of about `megabytes` MB.
fn huge_framework(megabytes: usize) -> tempfile::TempDir {
    let per_task = Generated::default().framework("sized", 1_000).len() / 1_000;
    let text = Generated::default().framework("huge-framework", megabytes * 1_000_000 / per_task);
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("huge-framework.kub"), text).expect("written");
    dir
}

fn list(variable: &str, default: &str) -> Vec<String> {
    let value = std::env::var(variable).unwrap_or_else(|_| default.to_string());
    value.split(',').map(|part| part.trim().to_string()).filter(|part| !part.is_empty()).collect()
}

fn number(variable: &str, default: usize) -> usize {
    std::env::var(variable).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}
