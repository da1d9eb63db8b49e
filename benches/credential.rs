//! Signing and verifying 1,000 credentials, run in release mode:
//!
//! ```text
//! cargo bench --bench credential
//! ```
//!
//! The example cohort's certificates are signed and verified in turn until
//! there are 1,000 credentials, on 1 and then 2 threads, and the times are
//! printed in total and per credential. `KUB_BENCH_CREDENTIALS=100` makes a
//! quicker run; `examples/credential-profile` counts instructions instead.

use std::time::{Duration, Instant};

#[path = "support/certificates.rs"]
mod certificates;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let count: usize = std::env::var("KUB_BENCH_CREDENTIALS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let certificates = certificates::example_certificates();
    let issuer = certificates::bench_issuer();
    let round: Vec<usize> = (0..count).map(|i| i % certificates.len()).collect();
    println!("{count} credentials of {} example certificates", certificates.len());
    println!("             {:>22}  {:>22}  {:>22}", "sign", "verify", "sign + verify");
    for threads in [1, 2] {
        let started = Instant::now();
        let signed = kub::parallel::map(&round, threads, |&i| {
            issuer.issue(&certificates[i].0, &certificates[i].1).expect("a credential signs")
        });
        let signing = started.elapsed();
        let started = Instant::now();
        let valid = kub::parallel::map(&signed, threads, |bytes| {
            kub::credential::verify(std::str::from_utf8(bytes).expect("UTF-8"), None).is_valid()
        });
        let verifying = started.elapsed();
        assert!(valid.iter().all(|&valid| valid), "every credential verifies");
        println!(
            "  {threads} thread{}  {}  {}  {}",
            if threads == 1 { " " } else { "s" },
            timing(signing, count),
            timing(verifying, count),
            timing(signing + verifying, count)
        );
    }
}

/// A total time and the time per credential, in one column.
fn timing(time: Duration, count: usize) -> String {
    let each = time.as_secs_f64() * 1e3 / count.max(1) as f64;
    format!("{:>7.2} s ({:>6.2} ms each)", time.as_secs_f64(), each)
}
