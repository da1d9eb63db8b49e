//! The integration tests: one test binary, running the real `kub`.

mod build;
mod docs;
mod examples;
mod fixtures;
mod frameworks;
mod names;
mod new;
mod render;
mod robustness;
mod support;
mod watch;
