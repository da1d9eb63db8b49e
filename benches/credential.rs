//! Signing and verifying 1,000 credentials, run in release mode:
//!
//! ```text
//! cargo bench --bench credential
//! ```
//!
//! The example cohort's certificates are signed and verified round after
//! round, on 1 and 2 threads, once each: JSON-LD expansion makes a round
//! long. `KUB_BENCH_CREDENTIALS=100` makes a quicker run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kub::build::{DocumentKind, Languages, OutputNames, Source, plan};
use kub::check::check;
use kub::credential::{Issuer, KeyName, keys, verify};
use kub::model::Workspace;

fn main() {
    let count: usize = std::env::var("KUB_BENCH_CREDENTIALS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut workspace = Workspace::new();
    workspace.load(&repo.join("frameworks"));
    workspace.load(&repo.join("examples"));
    let checked = check(workspace);
    let kinds: BTreeSet<DocumentKind> = [DocumentKind::Certificate].into_iter().collect();
    let plan = plan(&checked, &kinds, &Languages::default(), &mut OutputNames::unrecorded(Path::new(".")), None);
    let certificates: Vec<_> = plan
        .documents
        .iter()
        .filter_map(|document| match &document.source {
            Source::Assessment { progression, facts: Some(facts) } => Some((progression.clone(), facts.clone())),
            _ => None,
        })
        .collect();
    assert!(!certificates.is_empty(), "the examples have certificates");
    let key = keys::generate().expect("the system gives randomness");
    let name = KeyName::parse(&keys::did_key(&key.verifying_key())).expect("a did:key");
    let issuer = Issuer::new("Bench kommun".into(), None, name, key).expect("the key matches");
    let round: Vec<usize> = (0..count).map(|i| i % certificates.len()).collect();
    println!("{count} credentials of {} example certificates", certificates.len());
    for threads in [1, 2] {
        let started = Instant::now();
        let signed = kub::parallel::map(&round, threads, |&i| {
            issuer.issue(&certificates[i].0, &certificates[i].1).expect("a credential signs")
        });
        let signing = started.elapsed();
        let started = Instant::now();
        let valid = kub::parallel::map(&signed, threads, |bytes| {
            verify(std::str::from_utf8(bytes).expect("UTF-8"), None).is_valid()
        });
        let verifying = started.elapsed();
        assert!(valid.iter().all(|&valid| valid), "every credential verifies");
        println!(
            "  {threads} thread{}  sign {:>7.2} s ({:>5.1} ms each)  verify {:>7.2} s ({:>5.1} ms each)",
            if threads == 1 { " " } else { "s" },
            signing.as_secs_f64(),
            per_credential(signing, count),
            verifying.as_secs_f64(),
            per_credential(verifying, count)
        );
    }
}

fn per_credential(time: Duration, count: usize) -> f64 {
    time.as_secs_f64() * 1e3 / count.max(1) as f64
}
