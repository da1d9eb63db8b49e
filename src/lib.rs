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

pub mod diagnostic;
pub mod fonts;
pub mod parallel;
pub mod personal_number;
pub mod project;
pub mod scaffold;
pub mod script;
pub mod source;

pub mod build;
pub mod check;
pub mod cli;
pub mod diff;
pub mod format;
pub mod lsp;
pub mod migrate;
pub mod model;
pub mod render;
pub mod report;
pub mod syntax;
pub mod watch;
