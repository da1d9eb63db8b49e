//! kub: frameworks, assessments and learning certificates for validating what
//! people learn at work.
//!
//! The pipeline, one module a stage, each talking to the next through its
//! public types:
//!
//! ```text
//! syntax  ->  model  ->  check  ->  report  ->  render  ->  cli
//! text        resolved   diagnostics  progression  Typst, PDF,
//! to tree     frameworks              model        HTML, JSON
//! ```
//!
//! [`diagnostic`] is shared by all stages; [`source`] holds the files they
//! point into; [`fonts`] are the bundled fonts render draws with and check
//! measures texts against; [`project`] reads `kub.toml`; [`script`] tells
//! which script a name is written in and which way it runs; [`migrate`]
//! moves assessments to a new version of their framework; [`format`] lays
//! files out in one canonical layout. [`diff`] sits beside report: it
//! compares two resolved frameworks and measures assessments against both.
//! [`register`] comes after report: it keeps the certificates issued, so
//! that build and check can tell when today's files would change one;
//! [`canonical`] gives the one serialisation its digests are taken of.
//! [`credential`] follows report: a certificate as a signed Open Badges 3.0
//! credential, the issuer's keys, and verifying a credential offline.
//! [`review`] sits beside build: `kub test` compares every document with
//! the snapshot approved for it.
//! [`export`] sits beside render: it writes frameworks as CASE packages and
//! issued certificates as Europass credentials for other systems.

pub mod canonical;
pub mod diagnostic;
pub mod fonts;
pub mod parallel;
mod percent;
pub mod personal_number;
pub mod project;
pub mod scaffold;
pub mod script;
pub mod source;

pub mod build;
pub mod check;
pub mod cli;
pub mod credential;
pub mod diff;
pub mod export;
pub mod format;
pub mod lsp;
pub mod migrate;
pub mod model;
pub mod register;
pub mod render;
pub mod report;
pub mod review;
pub mod syntax;
pub mod watch;
