//! The one diagnostic type, used by every stage from syntax to PDF.
//!
//! A diagnostic is plain data: a code, a severity, a message in plain words,
//! where it happened, hints and related places. [`render`] prints it for
//! people (with the source line and a caret) or as JSON for editors.

mod codes;
pub mod render;
mod shown;

use serde::Serialize;

pub use codes::{Code, catalogue_markdown};

use crate::source::Location;

/// How much a diagnostic matters: whether it stops a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing, but documents are still made.
    Warning,
    /// The file cannot be used as it is; `kub check` exits with 1.
    Error,
}

/// A place in a file with a short message, such as "defined here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What is there, such as "first defined here".
    pub message: String,
}

/// One problem found in the input, in plain words, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which problem: a stable code such as `K0201`, explained by `kub explain`.
    pub code: Code,
    /// The code's usual severity, unless the stage that raised it knows better.
    pub severity: Severity,
    /// What is wrong, in plain words a supervisor understands.
    pub message: String,
    /// Where the problem is. A few diagnostics (an unreadable file) have none.
    pub location: Option<Location>,
    /// A short text under the caret.
    pub label: Option<String>,
    /// Suggestions for fixing it, each shown on its own line.
    pub hints: Vec<String>,
    /// Other places that explain it, such as a first definition.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with the code's usual severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            location: None,
            label: None,
            hints: Vec::new(),
            related: Vec::new(),
        }
    }

    /// Points the diagnostic at a place.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the short text shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a suggestion.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a suggestion if there is one, such as a "did you mean".
    pub fn hint_if(self, hint: Option<String>) -> Self {
        match hint {
            Some(hint) => self.hint(hint),
            None => self,
        }
    }

    /// Adds another place that explains the problem.
    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related { location, message: message.into() });
        self
    }

    /// Whether it stops a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of a run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds several, keeping their order.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// Whether any of them stops a build.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// How many are warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The diagnostics, in the order found, or sorted after [`Diagnostics::sort`].
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file and position, so output is stable however the checks
    /// ran; diagnostics that only follow from errors in another file come
    /// last, after the errors that cause them.
    pub fn sort(&mut self) {
        self.0.sort_by_key(|d| {
            let place = d.location.map(|l| (l.file, l.span.start, l.span.end));
            (d.code.follows_from_another_file(), place, d.code)
        });
        self.0.dedup();
    }

    /// The diagnostics, in their current order.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// "did you mean `x`?" for the candidate closest to `word`, if any is close.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate most like `word`, if it is alike enough to suggest.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&word, &candidate.to_lowercase()), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Joins words as "a, b or c" for messages.
pub fn list_words<S: AsRef<str>>(words: &[S], last_joiner: &str) -> String {
    match words {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} {last_joiner} {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id() {
        let ids = ["beskarning", "grasklippning", "lovkrattning"];
        assert_eq!(closest("beskarnig", ids), Some("beskarning"));
        assert_eq!(closest("snöröjning", ids), None);
    }

    #[test]
    fn lists_words_in_prose() {
        assert_eq!(list_words(&["a", "b", "c"], "or"), "a, b or c");
        assert_eq!(list_words(&["a"], "or"), "a");
    }
}
