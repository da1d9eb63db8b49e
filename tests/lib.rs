//! The integration tests: one test binary, running the real `kub`.

mod fixtures;
mod render;
mod support;
