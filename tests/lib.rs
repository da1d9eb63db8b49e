//! The integration tests: one test binary, running the real `kub`.

mod fixtures;
mod frameworks;
mod new;
mod render;
mod robustness;
mod support;
