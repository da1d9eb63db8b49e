//! How fast `kub watch` answers a save, run in release mode:
//!
//! ```text
//! cargo bench --bench watch_latency                          # 30 saves, the examples
//! cargo bench --bench watch_latency -- --saves 50 --cohort 300  # and 300 more participants
//! cargo bench --bench watch_latency -- --stream 500 --seconds 180 --cohort 45  # a stream of edits
//! ```
//!
//! It measures, in this order:
//!
//! - what every rebuild does before it builds, in process: check the whole
//!   workspace again, plan every document and look for characters the
//!   fonts lack;
//! - one certificate built in process with a warm Typst engine, the floor
//!   under any rebuild;
//! - the real thing: `kub watch` on a copy of the frameworks and examples,
//!   one assessment saved N times with a new reference number (which its
//!   certificate shows), and the time from the write to the certificate PDF
//!   being replaced, polled every millisecond. It also reads the status
//!   line's own time for the whole rebuild (certificate, progress report
//!   and cohort summary);
//! - a framework saved under `kub watch` with a task's title changed, which
//!   every document made from it shows: the rebuild of those documents,
//!   against the bound the issue sets, the number of documents times the
//!   per-document cost of building them all at once on one thread, divided
//!   by the cores, plus 50 ms;
//! - with `--stream N`, N saves spread over `--seconds`, one in ten of them
//!   a framework, the rest assessments: how many rebuilds it took and how
//!   long the watch went on after the last save.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kub::build::{Branding, Builder, DocumentKind, Format, Languages, OutputNames, plan};
use kub::check::check;
use kub::model::Workspace;
use kub::project::Project;

const ASSESSMENT: &str = "examples/slottsskogen/amal-hassan.kub";
const CERTIFICATE: &str = "out/certificates/amal-hassan-slottsskogen.pdf";
const REFERENCE: &str = "GBG-2026-014";
const YONAS: &str = "examples/park-och-natur/yonas-gebremedhin.kub";
const YONAS_NAME: &str = "\"ዮናስ ገብረመድህን\"";
const FRAMEWORK: &str = "frameworks/park-och-natur.kub";
/// A task's title in FRAMEWORK, which a framework edit changes.
const TASK_TITLE: &str = "\"Klippa gräs med åkgräsklippare\"";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let saves = option("--saves", 30);
    let cohort = option("--cohort", 0);
    let stream = option("--stream", 0);
    let seconds = option("--seconds", 60);

    // Other processes on the machine (another build) slow every
    // figure down; say how busy it was.
    println!("load average before: {}", load_average());
    let project = project(cohort);
    recheck(project.path());
    one_certificate(project.path());
    latency(project.path(), saves);
    framework_edits(project.path());
    if stream > 0 {
        edit_stream(project.path(), stream, Duration::from_secs(seconds as u64));
    }
    println!("load average after: {}", load_average());
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "unknown".into(), |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the frameworks and examples, and `cohort` more participants
/// of park-och-natur in `examples/cohort` (Yonas under other names, so
/// that each has a certificate and a progress report).
fn project(cohort: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&repo().join("frameworks"), &dir.path().join("frameworks"));
    copy_dir(&repo().join("examples"), &dir.path().join("examples"));
    if cohort > 0 {
        let yonas = std::fs::read_to_string(repo().join(YONAS)).unwrap();
        let folder = dir.path().join("examples/cohort");
        std::fs::create_dir_all(&folder).unwrap();
        for n in 0..cohort {
            let text = yonas.replacen(YONAS_NAME, &format!("\"Deltagare {n}\""), 1);
            std::fs::write(folder.join(format!("participant-{n:05}.kub")), text).unwrap();
        }
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else if entry.path().extension().is_some_and(|e| e == "kub") {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The project's workspace as `kub watch examples` loads it: includes may
/// read only inside the project's folder.
fn load(project: &Path) -> Workspace {
    let project = Project::for_folder(project).expect("a project without kub.toml");
    project.workspace(&[project.root.join("examples")])
}

/// What each rebuild does before building: check the whole workspace again
/// (the files are parsed already) and plan every document.
fn recheck(project: &Path) {
    let workspace = load(project);
    let files = workspace.file_ids().len();
    let mut checks = Vec::new();
    let mut plans = Vec::new();
    let kinds: BTreeSet<DocumentKind> = DocumentKind::ALL.into_iter().collect();
    let mut checked = check(workspace);
    for _ in 0..30 {
        let started = Instant::now();
        checked = check(std::mem::take(&mut checked.workspace));
        checks.push(started.elapsed());
        let started = Instant::now();
        let planned = plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), None);
        plans.push(started.elapsed());
        assert!(!planned.documents.is_empty());
    }
    println!(
        "re-check of {files} files (parsed already, fonts' coverage included), median of 30: {}",
        ms(median(&mut checks))
    );
    println!("planning every document, median of 30: {}", ms(median(&mut plans)));
}

/// One certificate with a warm engine, the floor under a rebuild: built
/// again unchanged (Typst's caches answer) and with a new reference number
/// each time (what a save costs), by a builder that keeps sources as the
/// watch's does.
fn one_certificate(project: &Path) {
    let mut builder = Builder::new(None, &Branding::default()).expect("the bundled templates load");
    builder.keep_sources();
    let formats: BTreeSet<Format> = [Format::Pdf].into_iter().collect();
    let kinds: BTreeSet<DocumentKind> = [DocumentKind::Certificate].into_iter().collect();
    let path = project.join(ASSESSMENT);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut checked = check(load(project));
    let file = checked.workspace.file_id(&path).expect("the assessment is loaded");
    let mut same = Vec::new();
    let mut changed = Vec::new();
    for round in 0..20 {
        let text = original.replace(REFERENCE, &format!("GBG-2026-{:03}", 500 + round));
        let mut workspace = std::mem::take(&mut checked.workspace);
        workspace.add_source(path.clone(), text);
        checked = check(workspace);
        let only = [file].into_iter().collect();
        let planned =
            plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), Some(&only));
        let started = Instant::now();
        builder.build(&planned.documents[0], &formats).expect("the certificate builds");
        changed.push(started.elapsed());
        let started = Instant::now();
        builder.build(&planned.documents[0], &formats).expect("the certificate builds");
        same.push(started.elapsed());
    }
    println!("one certificate PDF in process, warm engine, median of 20:");
    println!("  unchanged: {}; with a new reference number: {}", ms(median(&mut same)), ms(median(&mut changed)));
}

/// Saves the assessment `saves` times under a running `kub watch` and times
/// each until its certificate PDF is replaced.
fn latency(project: &Path, saves: usize) {
    let (mut child, received) = start_watch(project);

    let assessment = project.join(ASSESSMENT);
    let certificate = project.join(CERTIFICATE);
    let original = std::fs::read_to_string(&assessment).unwrap();
    let mut to_pdf = Vec::new();
    let mut to_status = Vec::new();
    let mut rebuild = Vec::new();
    for save in 0..saves {
        let before = identity(&certificate);
        let text = original.replace(REFERENCE, &format!("GBG-2026-{:03}", 100 + save));
        let started = Instant::now();
        std::fs::write(&assessment, text).unwrap();
        loop {
            if identity(&certificate) != before {
                to_pdf.push(started.elapsed());
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "the certificate was never rewritten");
            std::thread::sleep(Duration::from_millis(1));
        }
        let status = wait_for_line(&received, |line| line.contains(" → "));
        to_status.push(started.elapsed());
        rebuild.push(status_time(&status));
        if save == 0 {
            println!("status line: {status}");
        }
        // Let it settle, as between two saves by a person.
        std::thread::sleep(Duration::from_millis(150));
    }
    let _ = child.kill();
    let _ = child.wait();

    println!("{saves} saves of {ASSESSMENT} under `kub watch` (certificate, progress, summary; pdf, html, json):");
    report("  save → certificate PDF replaced", &mut to_pdf);
    report("  save → status line printed", &mut to_status);
    report("  rebuild as the status line says", &mut rebuild);
}

/// Starts `kub watch examples` in `project` and waits for its first build;
/// returns the process and its lines on standard error.
fn start_watch(project: &Path) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(["watch", "examples", "--out", "out", "--color=never"])
        .current_dir(project)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kub starts");
    let (lines, received) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let first = wait_for_line(&received, |line| line.starts_with("built "));
    wait_for_line(&received, |line| line.starts_with("watching "));
    println!("first build: {first}");
    (child, received)
}

/// The framework saved ten times under `kub watch`, a task's title changed
/// each time, as a workshop group rewording its framework changes it;
/// each rebuild against the bound: its documents times the per-document
/// cost of building the whole project at once on one thread, divided by
/// the cores, plus 50 ms.
fn framework_edits(project: &Path) {
    let per_document = batch_cost_per_document(project);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (mut child, received) = start_watch(project);
    let path = project.join(FRAMEWORK);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut rebuilds = Vec::new();
    let mut documents = 0;
    for edit in 0..10 {
        std::fs::write(&path, retitled(&original, edit)).unwrap();
        let status = wait_for_line(&received, |line| line.contains(" → "));
        documents = rebuilt_count(&status);
        rebuilds.push(status_time(&status));
        std::thread::sleep(Duration::from_millis(150));
    }
    std::fs::write(&path, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let bound = per_document * documents as u32 / cores as u32 + Duration::from_millis(50);
    let median = median(&mut rebuilds);
    println!(
        "{FRAMEWORK} saved 10 times: {documents} documents rebuilt, median {} (bound {}: {} per document in a batch, {cores} cores); {:.2} of the bound",
        ms(median),
        ms(bound),
        ms(per_document),
        median.as_secs_f64() / bound.as_secs_f64()
    );
}

/// The framework's text with TASK_TITLE changed, differently for each `edit`.
fn retitled(framework: &str, edit: usize) -> String {
    assert!(framework.contains(TASK_TITLE), "{FRAMEWORK} has the task to retitle");
    framework.replacen(TASK_TITLE, &format!("\"Klippa gräs med åkgräsklippare ({edit})\""), 1)
}

/// What one document costs when the whole project is built at once on one
/// thread, in process with a warm engine.
fn batch_cost_per_document(project: &Path) -> Duration {
    let builder = Builder::new(None, &Branding::default()).expect("the bundled templates load");
    let formats: BTreeSet<Format> = [Format::Pdf, Format::Html, Format::Json].into_iter().collect();
    let checked = check(load(project));
    let kinds: BTreeSet<DocumentKind> = DocumentKind::ALL.into_iter().collect();
    let planned = plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(project), None);
    let out = tempfile::tempdir().expect("a temporary folder");
    let stop = std::sync::atomic::AtomicBool::new(false);
    // Once to warm the engine, as a watch's first build does.
    builder.run(&planned, &formats, out.path(), 1, &stop, &|_| {});
    let started = Instant::now();
    builder.run(&planned, &formats, out.path(), 1, &stop, &|_| {});
    started.elapsed() / planned.documents.len().max(1) as u32
}

/// `stream` saves spread evenly over `spread`, one in ten of them the
/// framework, the others assessments in turn; then how long the watch
/// goes on after the last save, and in how many rebuilds.
fn edit_stream(project: &Path, stream: usize, spread: Duration) {
    let (mut child, received) = start_watch(project);
    let mut assessments: Vec<PathBuf> = walk_kub(&project.join("examples"));
    assessments.sort();
    let framework = project.join(FRAMEWORK);
    let framework_text = std::fs::read_to_string(&framework).unwrap();
    let texts: Vec<String> = assessments.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let gap = spread / stream.max(1) as u32;
    let started = Instant::now();
    let mut during = 0;
    for save in 0..stream {
        if save % 10 == 9 {
            std::fs::write(&framework, retitled(&framework_text, save)).unwrap();
        } else {
            let which = save % assessments.len();
            std::fs::write(&assessments[which], format!("{}\n# edit {save}\n", texts[which])).unwrap();
        }
        let due = started + gap * (save as u32 + 1);
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        during += received.try_iter().filter(|line| line.contains(" → ")).count();
    }
    let last_save = Instant::now();
    let mut rebuilds = 0;
    let mut settled = last_save;
    // Settled once no status line has come for five seconds.
    while let Ok(line) = received.recv_timeout(Duration::from_secs(5)) {
        if line.contains(" → ") {
            rebuilds += 1;
            settled = Instant::now();
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    for (path, text) in assessments.iter().zip(&texts) {
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(&framework, framework_text).unwrap();
    println!(
        "{stream} saves over {} s ({} assessments, one save in ten the framework): {} after the last save the watch settled; {during} rebuilds during the stream, {rebuilds} after its end",
        spread.as_secs(),
        assessments.len(),
        ms(settled.saturating_duration_since(last_save)),
    );
}

fn walk_kub(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk_kub(&path));
        } else if path.extension().is_some_and(|e| e == "kub") {
            files.push(path);
        }
    }
    files
}

/// The `rebuilt 24 documents` of a status line.
fn rebuilt_count(line: &str) -> usize {
    let after = line.split("rebuilt ").nth(1).unwrap_or("0");
    after.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// What tells a rewritten file from the old one: the atomic rename gives
/// it a new inode.
fn identity(path: &Path) -> Option<(u64, i64, i64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.ino(), meta.mtime(), meta.mtime_nsec(), meta.len()))
}

fn wait_for_line(lines: &mpsc::Receiver<String>, wanted: impl Fn(&str) -> bool) -> String {
    loop {
        let line = lines.recv_timeout(Duration::from_secs(600)).expect("kub watch keeps talking");
        if wanted(&line) {
            return line;
        }
    }
}

/// The `in 38 ms` of a status line.
fn status_time(line: &str) -> Duration {
    let after = line.split(" in ").nth(1).unwrap_or("0 ms");
    let millis: u64 = after.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
    Duration::from_millis(millis)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let p90 = samples[(samples.len() * 9 / 10).min(samples.len() - 1)];
    println!(
        "{what}: median {}, p90 {}, best {}, worst {}",
        ms(samples[samples.len() / 2]),
        ms(p90),
        ms(samples[0]),
        ms(samples[samples.len() - 1])
    );
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}
