//! What the credential benchmarks sign: the example cohort's certificates
//! and an issuer with a fresh key.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kub::build::{DocumentKind, Languages, OutputNames, Source, plan};
use kub::check::check;
use kub::credential::{CertificateFacts, Issuer, KeyName, keys};
use kub::model::Workspace;
use kub::report::Progression;

/// Each example certificate's data, as `Issuer::issue` takes it.
pub fn example_certificates() -> Vec<(Arc<Progression>, Arc<CertificateFacts>)> {
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
            Source::Assessment { progression, facts: Some(facts), .. } => {
                Some((Arc::new(progression.make()), facts.clone()))
            }
            _ => None,
        })
        .collect();
    assert!(!certificates.is_empty(), "the examples have certificates");
    certificates
}

/// An issuer whose key is its own `did:key`.
pub fn bench_issuer() -> Issuer {
    let key = keys::generate().expect("the system gives randomness");
    let name = KeyName::parse(&keys::did_key(&key.verifying_key())).expect("a did:key");
    Issuer::new("Bench kommun".into(), None, name, key).expect("the key matches")
}
