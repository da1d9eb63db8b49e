//! A short run of the fuzzing engine that `cargo run --release --example
//! fuzz` runs for millions of inputs: random bytes and mutated samples are
//! parsed, checked and their diagnostics rendered without a panic, each
//! within a time limit.

use std::sync::mpsc;
use std::time::Duration;

#[path = "../benches/fuzz/engine.rs"]
mod engine;

use engine::{Corpus, Rng};

use crate::support::repo_root;

/// Generous, since tests share the machine; a real hang never ends.
const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn fuzzed_inputs_check_without_panicking_or_hanging() {
    let corpus =
        std::sync::Arc::new(Corpus::load(&repo_root(), &["frameworks", "examples", "tests/fixtures"], "frameworks"));
    assert!(corpus.sample_count() > 100, "the samples are found");
    let (sender, receiver) = mpsc::channel();
    let worker = {
        let corpus = corpus.clone();
        std::thread::spawn(move || {
            for number in 0..3_000u64 {
                let input = corpus.input(&mut Rng::new(number));
                sender.send(Some((number, input.clone()))).unwrap();
                corpus.run(&input);
            }
            sender.send(None).unwrap();
        })
    };
    let mut current = None;
    loop {
        match receiver.recv_timeout(LIMIT) {
            Ok(Some(next)) => current = Some(next),
            Ok(None) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let (number, input) = current.expect("an input was started");
                panic!("input {number} took over {LIMIT:?}:\n{}", String::from_utf8_lossy(&input));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let (number, input) = current.expect("an input was started");
                let _ = worker.join();
                panic!("input {number} panicked:\n{}", String::from_utf8_lossy(&input));
            }
        }
    }
    worker.join().unwrap();
}
