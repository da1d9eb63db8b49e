//! The integration tests: one test binary, running the real `kub`.

mod build;
mod build_execution;
mod cli;
mod docs;
mod examples;
mod fixtures;
mod frameworks;
mod fuzz;
mod level_chart;
mod names;
mod new;
mod recovery;
mod render;
mod resolve;
mod robustness;
mod support;
mod text;
mod walk;
mod watch;
