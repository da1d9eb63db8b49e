//! Report: what people and templates see of a framework or an assessment.

mod outline;
pub mod progression;

pub use outline::framework_outline;
pub use progression::{Progression, document_language, progression};
