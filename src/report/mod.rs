//! Report: what people and templates see of a framework, an assessment or
//! a cohort, with every text in the document's language.

pub mod checklist;
pub mod cohort;
pub mod level_chart;
mod outline;
pub mod overview;
pub mod progression;
mod readiness;
mod seqf;
pub mod sheet;

pub use checklist::{Checklist, checklist};
pub use cohort::{CohortSummary, cohort_summary, industry_summary};
pub use outline::framework_outline;
pub use overview::{IssuedKey, Overview, issued_key, overview};
pub use progression::{
    Progression, VERIFICATION_FIELD, document_language, progression, unsealed_progression, verification_code,
};
pub use readiness::ready_for_certificate;
