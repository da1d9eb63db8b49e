//! Report: what people and templates see of a framework or an assessment.

mod outline;

pub use outline::framework_outline;
