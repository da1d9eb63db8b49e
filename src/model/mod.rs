//! Model: resolved frameworks and typed assessments.
//!
//! Resolution joins a framework with what it extends and includes, applies
//! a tailoring's removals and overrides, and gives every task and competence
//! its scale. The result, [`Framework`], is what every later stage reads.

pub mod assessment;
pub mod boundary;
pub mod framework;
mod lower;
pub mod rename;
pub mod resolve;
pub mod text;
pub mod values;
pub mod walk;
pub mod workspace;

pub use assessment::{Assessment, Occasion, RatedKind, Rating, lower_assessment};
pub use framework::*;
pub use rename::{Followed, Rename};
pub use resolve::{Lookup, Resolution, compare_versions, load_includes, resolve};
pub use text::{Lang, LocalizedText};
pub use values::*;
pub use workspace::Workspace;
