//! Benchmarks of the pipeline, run in release mode:
//!
//! ```text
//! cargo bench --bench pipeline                # everything
//! cargo bench --bench pipeline -- frameworks  # parse + resolve + check of generated frameworks
//! cargo bench --bench pipeline -- assessments # checking 10,000 generated assessments, 1 and 2 threads
//! cargo bench --bench pipeline -- documents   # certificates and progress reports for 1,000 participants
//! cargo bench --bench pipeline -- memory      # peak memory by cohort size and by file size
//! ```
//!
//! Each scenario prints the median of several runs; `documents` runs each
//! side once and prints its baseline beside it, with the peak memory of
//! each run (KUB_BENCH_PARTICIPANTS for a smaller cohort; KUB_BENCH_ONLY=kub
//! or =baseline and KUB_BENCH_KIND=certificate or =progress for one side
//! and kind, KUB_BENCH_THREADS=1 for one thread count, as for callgrind;
//! KUB_BENCH_TEMPLATES=FOLDER for an organisation's own templates); beside
//! the time on the clock it prints the CPU time per document, which the
//! machine's other load disturbs less;
//! `memory` runs each of its cases in a process of its own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

// The same allocator as the `kub` binary, so the figures are the binary's.
#[path = "support/generated.rs"]
#[allow(dead_code)]
mod generated;
use generated::Generated;

#[path = "support/memory.rs"]
mod memory;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kub::build::{Branding, Builder, DocumentKind, Format, Languages, OutputNames, Plan, PlannedDocument, plan};
use kub::check::check;
use kub::model::Workspace;

fn main() {
    if memory::run_child() {
        return;
    }
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    if runs("frameworks") {
        frameworks();
    }
    if runs("assessments") {
        assessments(10_000);
    }
    if runs("documents") {
        // KUB_BENCH_PARTICIPANTS makes a quicker run for profiling.
        let participants = std::env::var("KUB_BENCH_PARTICIPANTS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
        documents(participants);
    }
    if runs("memory") {
        memory::scenario();
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn frameworks() {
    println!("parse + resolve + check of one generated framework (median; on one thread in brackets)");
    for (tasks, repeats) in [(500, 30), (5_000, 15), (50_000, 5)] {
        let text = Generated::default().framework("bench-framework", tasks);
        // As `kub check` reads it: a large file in pieces, one a core.
        let checked_on = |threads: usize| {
            let samples = (0..repeats)
                .map(|_| {
                    let started = Instant::now();
                    let mut workspace = Workspace::with_threads(threads);
                    workspace.add_source("bench.kub", text.clone());
                    let checked = check(workspace);
                    assert!(!checked.diagnostics.has_errors(), "the generated framework checks clean");
                    started.elapsed()
                })
                .collect();
            median(samples)
        };
        let time = checked_on(kub::parallel::default_threads());
        let one_thread = checked_on(1);
        let parse_only = median(
            (0..repeats)
                .map(|_| {
                    let started = Instant::now();
                    let parsed = kub::syntax::parse(Default::default(), &text);
                    assert!(parsed.document.is_some());
                    started.elapsed()
                })
                .collect(),
        );
        println!(
            "  {tasks:>6} tasks  {:>7} KB  {:>8.2} ms [{:.2} ms]  {:>6.2} µs/task  (parsing alone {:.2} ms)",
            text.len() / 1024,
            time.as_secs_f64() * 1e3,
            one_thread.as_secs_f64() * 1e3,
            time.as_secs_f64() * 1e6 / tasks as f64,
            parse_only.as_secs_f64() * 1e3
        );
    }
}

/// Writes `count` generated assessments of park-och-natur into a new folder.
pub(crate) fn generated_cohort(count: usize) -> tempfile::TempDir {
    let mut workspace = Workspace::new();
    workspace.load(&repo().join("frameworks"));
    let checked = check(workspace);
    let framework = checked.resolution.find_by_id("park-och-natur").expect("the bundled framework").clone();
    let dir = tempfile::tempdir().expect("a temporary folder");
    for seed in 0..count {
        let (_, text) = kub::scaffold::sample_assessment(&framework, seed as u64);
        std::fs::write(dir.path().join(format!("participant-{seed:05}.kub")), text).expect("written");
    }
    dir
}

fn check_folder(frameworks: &Path, folder: &Path, threads: usize) -> (Duration, usize) {
    let started = Instant::now();
    let mut workspace = Workspace::with_threads(threads);
    workspace.load(frameworks);
    workspace.load(folder);
    let checked = check(workspace);
    assert!(!checked.diagnostics.has_errors(), "generated assessments check clean");
    (started.elapsed(), checked.assessments.len())
}

fn assessments(count: usize) {
    let cohort = generated_cohort(count);
    let bytes: u64 = std::fs::read_dir(cohort.path()).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
    println!(
        "reading, parsing and checking {count} assessments ({} MB) against park-och-natur (median of 5)",
        bytes / 1_000_000
    );
    let frameworks = repo().join("frameworks");
    let mut single = Duration::ZERO;
    for threads in [1, 2] {
        let samples: Vec<Duration> = (0..5).map(|_| check_folder(&frameworks, cohort.path(), threads).0).collect();
        let time = median(samples);
        if threads == 1 {
            single = time;
        }
        println!(
            "  {threads} thread{}  {:>7.0} ms  {:>7.0} files/s  speed-up {:.2}×",
            if threads == 1 { " " } else { "s" },
            time.as_secs_f64() * 1e3,
            count as f64 / time.as_secs_f64(),
            single.as_secs_f64() / time.as_secs_f64()
        );
    }
    // What a user waits for: the process on all cores, with its start, the
    // register's questions and the closing count of certificates.
    let binary = repo().join("target/release/kub");
    if binary.is_file() {
        let samples: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                let output = std::process::Command::new(&binary)
                    .arg("check")
                    .args([&frameworks, cohort.path()])
                    .output()
                    .expect("kub runs");
                assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
                started.elapsed()
            })
            .collect();
        println!(
            "  `kub check`  {:>7.0} ms  (the binary, process start included)",
            median(samples).as_secs_f64() * 1e3
        );
    } else {
        println!("  (build target/release/kub to time the binary too)");
    }
}

fn documents(participants: usize) {
    let cohort = generated_cohort(participants);
    let mut workspace = Workspace::new();
    workspace.load(&repo().join("frameworks"));
    workspace.load(cohort.path());
    let checked = check(workspace);
    let kinds: BTreeSet<DocumentKind> = [DocumentKind::Certificate, DocumentKind::Progress].into_iter().collect();
    let plan = plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), None);
    assert!(!plan.documents.is_empty(), "the generated cohort gives documents: {:?}", plan.skipped.first());
    // KUB_BENCH_TEMPLATES=FOLDER makes the documents with an organisation's
    // own templates, to see what a change to them costs.
    let templates = std::env::var_os("KUB_BENCH_TEMPLATES").filter(|dir| !dir.is_empty()).map(PathBuf::from);
    let builder = Builder::new(templates.as_deref(), &Branding::default()).expect("the templates load");
    // KUB_BENCH_ONLY=baseline or =kub runs one side, and KUB_BENCH_KIND=
    // certificate or =progress one kind, for callgrind.
    let only = std::env::var("KUB_BENCH_ONLY").ok();
    let runs = |side: &str| only.as_deref().is_none_or(|only| only == side);
    let only_kind = std::env::var("KUB_BENCH_KIND").ok();
    let kinds = kinds.into_iter().filter(|kind| only_kind.as_deref().is_none_or(|only| only == kind.template()));
    println!("PDFs for {participants} participants: kub's build against the baseline, Typst compiling each");
    println!("generated source alone (fonts loaded once, memo caches emptied before each document)");
    for kind in kinds {
        let documents: Vec<PlannedDocument> = plan.documents.iter().filter(|d| d.kind == kind).cloned().collect();
        let count = documents.len();
        println!("  {} ({count} documents)", kind.template());
        let baseline = runs("baseline").then(|| baseline(&builder, &documents));
        if runs("kub") {
            let kind_plan = Plan { documents, skipped: Vec::new() };
            let thread_counts: Vec<usize> = match std::env::var("KUB_BENCH_THREADS").ok().and_then(|n| n.parse().ok()) {
                Some(threads) => vec![threads],
                None => vec![1, 2],
            };
            for threads in thread_counts {
                let (time, cpu, peak) = kub_build(&builder, &kind_plan, threads);
                let per_document = time.as_secs_f64() * 1e3 / count as f64;
                // Two processes of the baseline would at best halve its time.
                let ratio = baseline.map(|(base, _)| base / threads as f64 / per_document);
                println!(
                    "    kub, {threads} thread{}  {per_document:>7.2} ms/document  cpu {cpu:>6.2} ms/document  {}  peak {peak} MB",
                    if threads == 1 { " " } else { "s" },
                    ratio.map_or(String::new(), |ratio| format!("{ratio:>5.2}× the baseline"))
                );
            }
        }
    }
}

/// Each document compiled alone, with a cold memo cache as a fresh `typst
/// compile` has it: ms per document and peak memory in MB, printed with the
/// CPU time per document.
fn baseline(builder: &Builder, documents: &[PlannedDocument]) -> (f64, u64) {
    let sources: Vec<_> = documents.iter().map(|d| builder.typst(d).expect("the source is made")).collect();
    reset_peak_memory();
    let started = Instant::now();
    let cpu = cpu_ms();
    for source in &sources {
        builder.engine().compile_alone(source).expect("the baseline compiles");
    }
    let per_document = started.elapsed().as_secs_f64() * 1e3 / sources.len() as f64;
    let cpu = (cpu_ms() - cpu) / sources.len() as f64;
    let peak = peak_memory_mb().unwrap_or(0);
    println!("    baseline, 1 thread {per_document:>7.2} ms/document  cpu {cpu:>6.2} ms/document  peak {peak} MB");
    (per_document, peak)
}

/// kub's build of `plan` as `kub build` runs it, writing PDFs: the time,
/// the CPU time per document in ms (all threads) and peak memory in MB.
fn kub_build(builder: &Builder, plan: &Plan, threads: usize) -> (Duration, f64, u64) {
    comemo::evict(0);
    let formats: BTreeSet<Format> = [Format::Pdf].into_iter().collect();
    let out = tempfile::tempdir().expect("a temporary folder");
    reset_peak_memory();
    let started = Instant::now();
    let cpu = cpu_ms();
    let report = builder.run(plan, &formats, out.path(), threads, &AtomicBool::new(false), &|_| {});
    let time = started.elapsed();
    let cpu = (cpu_ms() - cpu) / plan.documents.len() as f64;
    assert!(report.failed.is_empty(), "every document builds: {:?}", report.failed.first());
    (time, cpu, peak_memory_mb().unwrap_or(0))
}

/// Starts the process's peak resident memory again from what it holds now
/// (Linux; elsewhere the peak is the whole run's).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The CPU time the process has used so far, in ms (Linux, from /proc;
/// 0 elsewhere): a figure the machine's other load disturbs less than the
/// time on the clock.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // The fields after the command's name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |index: usize| fields.get(index).and_then(|field| field.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime, fields 14 and 15, in ticks of 10 ms.
    (ticks(11) + ticks(12)) * 10.0
}

/// The process's peak resident memory, from /proc on Linux.
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
