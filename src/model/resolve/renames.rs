//! Renames: the `renamed KIND OLD to NEW` lines of a file join those it
//! inherits. Whether they make sense is judged in `check`, which sees the
//! finished framework; lookups that follow them never loop, whatever they say.

use crate::model::framework::Framework;
use crate::model::lower::Lowerer;
use crate::model::rename::Rename;
use crate::syntax::ast::{FrameworkDoc, FrameworkItem};

/// Adds the file's own renames after those it inherits and includes.
pub(super) fn renames(doc: &FrameworkDoc, framework: &mut Framework, lower: &Lowerer) {
    for item in &doc.items {
        if let FrameworkItem::Renamed { kind, from, to, span } = item {
            framework.renames.push(Rename {
                kind: *kind,
                from: from.text.clone(),
                to: to.text.clone(),
                declared_in: doc.id.text.clone(),
                location: lower.at(*span),
                from_location: lower.at(from.span),
                to_location: lower.at(to.span),
            });
        }
    }
}
