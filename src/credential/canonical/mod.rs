//! A fast path to the canonical N-Quads of a credential or proof, about
//! ten times cheaper than JSON-LD processing through oxjsonld and oxrdf's
//! RDFC-1.0, and giving the same bytes: signing and verifying use it
//! first.
//!
//! It reads a document whose `@context` names only bundled contexts, by
//! term tables built from them once per process ([`context`]), straight
//! into quads ([`expand`]), and labels blank nodes by their first-degree
//! hashes ([`rdfc`]). It declines, and the general path decides, for
//! anything it does not fully model: another or an inline context, a term
//! no context defines (JSON-LD might drop it or map it through `@vocab`),
//! keywords in the document, value objects, languages, fractional
//! numbers, relative IRIs and blank node identifiers, nested arrays,
//! container kinds other than `@set`, `@list` and `@graph`, and blank
//! nodes whose first-degree hashes coincide.

mod context;
mod expand;
mod rdfc;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

/// The RDFC-1.0 canonical N-Quads of `document` without its entry
/// `left_out` (lines sorted, each ending in a newline), or `None` where
/// the fast path declines.
pub(super) fn canonical_nquads(document: &Map<String, Value>, left_out: &str) -> Option<String> {
    expand::with_quads(document, left_out, rdfc::canonical_nquads)
}

/// The SHA-256 of [`canonical_nquads`], hashed line by line as the lines
/// come, or `None` where the fast path declines.
pub(super) fn canonical_hash(document: &Map<String, Value>, left_out: &str) -> Option<[u8; 32]> {
    expand::with_quads(document, left_out, rdfc::canonical_hash)
}
