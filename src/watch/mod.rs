//! Watch mode: one full build, then a rebuild of just what a saved file
//! changes, for as long as the user edits.
//!
//! What is rebuilt when:
//!
//! - an assessment changed: that participant's documents and the cohort
//!   summary of its framework;
//! - a framework or an included library changed: every document made from
//!   it (its checklist, the frameworks that extend or include it, the
//!   assessments that follow them, their summaries);
//! - a template or `strings.toml` changed: the templates are loaded again
//!   and every document is rebuilt, or only those of one kind when the
//!   template is that kind's own (`certificate.typ` at the top of the
//!   template folder);
//! - `kub.toml` changed: everything starts over;
//! - a file was added: it is loaded, checked and built; a file was deleted:
//!   the documents that no longer exist are removed from the output folder.
//!
//! A document is rebuilt when one of the files it is made from
//! ([`crate::build::PlannedDocument::inputs`]) changed, or the set of those
//! files did. A document made from a file that has errors now is left as it
//! was, so the last good version stays in place until the file is fixed.
//!
//! [`Watcher`] turns file system events into batches of paths; [`Session`]
//! keeps the checked workspace and the builder (with Typst and its fonts)
//! between rebuilds and decides, from what is on disk once a batch has
//! settled, what each path means.

pub mod paths;
mod session;
mod watcher;

pub use session::{Change, How, Rebuild, Session};
pub use watcher::{Batch, CannotWatch, Newer, SavedSince, StopHandle, Timing, Watcher};
