//! Signs and verifies a few credentials once, for counting instructions
//! with callgrind, which gives the same figure however busy the machine is:
//!
//! ```text
//! cargo build --release --example credential-profile
//! valgrind --tool=callgrind target/release/examples/credential-profile 20
//! ```
//!
//! Run it from the repository's folder, whose kub.toml the examples need.
//! The argument is the number of credentials (20 unless given). Divide the
//! difference between two counts by the difference in credentials for the
//! cost of one, without the setup. `KUB_PROFILE_KEEP=FOLDER` also writes
//! each signed credential there.

#[path = "support/certificates.rs"]
mod certificates;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let certificates = certificates::example_certificates();
    let issuer = certificates::bench_issuer();
    for i in 0..count {
        let (progression, facts) = &certificates[i % certificates.len()];
        let signed = issuer.issue(progression, facts).expect("a credential signs");
        let text = std::str::from_utf8(&signed).expect("UTF-8");
        if let Ok(folder) = std::env::var("KUB_PROFILE_KEEP") {
            std::fs::write(format!("{folder}/{i}.credential.json"), text).expect("the folder is writable");
        }
        assert!(kub::credential::verify(text, None).is_valid(), "the credential verifies");
    }
}
