//! Fuzzes parsing and checking: random bytes and mutated sample files, each
//! parsed, checked beside the bundled frameworks and its diagnostics
//! rendered, on every core, with a time limit per input.
//!
//! ```text
//! cargo run --release --example fuzz -- --inputs 1000000
//! cargo run --release --example fuzz -- --seconds 60 --seed 7
//! ```
//!
//! A panic saves the input under `target/fuzz/` and is counted; an input
//! that takes longer than the limit is saved and stops the run with exit
//! status 1, since a hang cannot be interrupted from inside.

mod engine;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use engine::{Corpus, Rng};

struct Options {
    inputs: u64,
    seconds: Option<u64>,
    seed: u64,
    threads: usize,
    limit: Duration,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        inputs: 1_000_000,
        seconds: None,
        seed: 1,
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        limit: Duration::from_secs(2),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number: u64 = value.parse().map_err(|_| format!("{flag} takes a whole number, not `{value}`"))?;
        match flag.as_str() {
            "--inputs" => options.inputs = number,
            "--seconds" => options.seconds = Some(number),
            "--seed" => options.seed = number,
            "--threads" => options.threads = (number as usize).max(1),
            "--limit-ms" => options.limit = Duration::from_millis(number.max(1)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(options)
}

/// What one worker is doing, for the watchdog.
struct Slot {
    started: Mutex<Option<(Instant, Vec<u8>)>>,
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\nusage: fuzz [--inputs N] [--seconds S] [--seed N] [--threads N] [--limit-ms MS]");
            return ExitCode::from(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = Arc::new(Corpus::load(&root, &["frameworks", "examples", "tests/fixtures"], "frameworks"));
    let findings = root.join("target/fuzz");
    // Panics are expected findings here: keep their messages short.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));

    let done = Arc::new(AtomicU64::new(0));
    let panics = Arc::new(AtomicUsize::new(0));
    let slowest = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let slots: Arc<Vec<Slot>> = Arc::new((0..options.threads).map(|_| Slot { started: Mutex::new(None) }).collect());
    let started = Instant::now();
    let deadline = options.seconds.map(|seconds| started + Duration::from_secs(seconds));
    println!(
        "fuzzing with {} samples on {} threads, seed {}, {} per input at most",
        corpus.sample_count(),
        options.threads,
        options.seed,
        format_duration(options.limit)
    );

    let workers: Vec<_> = (0..options.threads)
        .map(|index| {
            let (corpus, done, panics, slowest, stop, slots) =
                (corpus.clone(), done.clone(), panics.clone(), slowest.clone(), stop.clone(), slots.clone());
            let findings = findings.clone();
            let total = options.inputs;
            let seed = options.seed;
            std::thread::spawn(move || {
                // Inputs are numbered; each comes from its own seed, so a
                // finding can be made again from its number alone.
                loop {
                    let number = done.fetch_add(1, Ordering::Relaxed);
                    if number >= total || stop.load(Ordering::Relaxed) || deadline.is_some_and(|d| Instant::now() > d) {
                        done.fetch_sub(1, Ordering::Relaxed);
                        break;
                    }
                    let mut rng = Rng::new(seed ^ number.wrapping_mul(0xD6E8_FEB8_6659_FD93));
                    let input = corpus.input(&mut rng);
                    let begun = Instant::now();
                    *slots[index].started.lock().unwrap() = Some((begun, input.clone()));
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| corpus.run(&input)));
                    *slots[index].started.lock().unwrap() = None;
                    slowest.fetch_max(begun.elapsed().as_micros() as u64, Ordering::Relaxed);
                    if outcome.is_err() {
                        panics.fetch_add(1, Ordering::Relaxed);
                        save(&findings, &format!("panic-{number}.kub"), &input);
                    }
                }
            })
        })
        .collect();

    // The watchdog: an input over the limit is a hang. It also says how far
    // the run has come, every half minute.
    let mut last_said = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(100));
        if last_said.elapsed() >= Duration::from_secs(30) {
            last_said = Instant::now();
            eprintln!(
                "{} inputs after {:.0} s, {} panics",
                done.load(Ordering::Relaxed),
                started.elapsed().as_secs_f64(),
                panics.load(Ordering::Relaxed)
            );
        }
        if workers.iter().all(|worker| worker.is_finished()) {
            break;
        }
        for slot in slots.iter() {
            if let Some((begun, input)) = slot.started.lock().unwrap().as_ref()
                && begun.elapsed() > options.limit
            {
                let path = save(&findings, "hang.kub", input);
                eprintln!("an input took longer than {}; saved as {}", format_duration(options.limit), path.display());
                stop.store(true, Ordering::Relaxed);
                println!("{} inputs, {} panics, 1 hang", done.load(Ordering::Relaxed), panics.load(Ordering::Relaxed));
                return ExitCode::from(1);
            }
        }
    }
    let elapsed = started.elapsed();
    let count = done.load(Ordering::Relaxed);
    let panics = panics.load(Ordering::Relaxed);
    println!(
        "{count} inputs in {:.1} s ({:.0} a second): {panics} panics, 0 hangs; slowest input {}",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        format_duration(Duration::from_micros(slowest.load(Ordering::Relaxed)))
    );
    if panics == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn save(folder: &Path, name: &str, input: &[u8]) -> PathBuf {
    let path = folder.join(name);
    let _ = std::fs::create_dir_all(folder);
    let _ = std::fs::write(&path, input);
    path
}

fn format_duration(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) {
        format!("{:.2} s", duration.as_secs_f64())
    } else {
        format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
    }
}
