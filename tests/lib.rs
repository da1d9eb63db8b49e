//! The integration tests: one test binary, running the real `kub`.

mod build;
mod build_execution;
mod cli;
mod diff;
mod docs;
mod document_parts;
mod examples;
mod fixtures;
mod format;
mod frameworks;
mod fuzz;
mod level_chart;
mod lsp;
mod migrate;
mod names;
mod new;
mod recovery;
mod render;
mod resolve;
mod robustness;
mod support;
mod text;
mod types;
mod walk;
mod walkthrough;
mod watch;
