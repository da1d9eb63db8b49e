//! A merge driver for git: three versions of a file merged line by line
//! in the canonical layout, with both sides kept where each added
//! statements at the same place.
//!
//! Formatting the three versions first means that layout never conflicts.
//! A line-based merge then does the rest, except for one case it cannot
//! decide and kub can: two people adding statements at the same place,
//! such as a task each at the end of one area. Both additions are kept,
//! ours first, when every conflict is of that kind and the result still
//! reads as kub without an error; otherwise git's conflict markers stay
//! for a person to resolve.

use std::process::Command;

use super::format;
use crate::source::FileId;
use crate::syntax::parse;

/// How long conflict markers are: longer than git's seven, so that no line
/// of a triple-quoted text is ever taken for one.
const MARKER: usize = 32;

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged text, with conflict markers where `conflicts` is not zero.
    pub text: String,
    /// How many places conflict.
    pub conflicts: usize,
}

/// Merges `ours` and `theirs`, two versions of `base`; `git merge-file`
/// does the line-based part.
pub fn merge_versions(base: &str, ours: &str, theirs: &str) -> std::io::Result<Merged> {
    let tidy = |text: &str| format(FileId::default(), text).unwrap_or_else(|_| text.to_string());
    let merged = line_merge(&tidy(base), &tidy(ours), &tidy(theirs))?;
    if let Some(both) = keep_both_additions(&merged.text) {
        return Ok(Merged { text: both, conflicts: 0 });
    }
    if merged.conflicts == 0 {
        let text = format(FileId::default(), &merged.text).unwrap_or(merged.text);
        return Ok(Merged { text, conflicts: 0 });
    }
    Ok(merged)
}

/// `git merge-file` in diff3 style, so that a conflict shows what the base had.
fn line_merge(base: &str, ours: &str, theirs: &str) -> std::io::Result<Merged> {
    let folder = tempfile::tempdir()?;
    for (name, text) in [("ours", ours), ("base", base), ("theirs", theirs)] {
        std::fs::write(folder.path().join(name), text)?;
    }
    let output = Command::new("git")
        .args(["merge-file", "-p", "--diff3", &format!("--marker-size={MARKER}")])
        .args(["-L", "ours", "-L", "base", "-L", "theirs", "ours", "base", "theirs"])
        .current_dir(folder.path())
        .output()?;
    let conflicts = match output.status.code() {
        Some(count) if (0..128).contains(&count) => count as usize,
        _ => return Err(std::io::Error::other(String::from_utf8_lossy(&output.stderr).trim().to_string())),
    };
    let text = String::from_utf8(output.stdout).map_err(std::io::Error::other)?;
    Ok(Merged { text, conflicts })
}

/// The merged text with every conflict resolved by keeping both sides, if
/// every conflict is two additions where the base had nothing and the
/// result reads as kub without an error.
fn keep_both_additions(merged: &str) -> Option<String> {
    let marker = |c: char| c.to_string().repeat(MARKER);
    let (start, base, middle, end) = (marker('<'), marker('|'), marker('='), marker('>'));
    let mut out = String::new();
    let mut section = Section::Outside;
    let mut conflicts = 0;
    for line in merged.split_inclusive('\n') {
        section = match section {
            Section::Outside if line.starts_with(&start) => {
                conflicts += 1;
                Section::Ours
            }
            Section::Ours if line.starts_with(&base) => Section::Base,
            Section::Base if line.starts_with(&middle) => Section::Theirs,
            Section::Base => return None,
            Section::Theirs if line.starts_with(&end) => Section::Outside,
            Section::Outside | Section::Ours | Section::Theirs => {
                out.push_str(line);
                section
            }
        };
    }
    if conflicts == 0 || section != Section::Outside {
        return None;
    }
    let parsed = parse(FileId::default(), &out);
    if parsed.diagnostics.iter().any(|diagnostic| diagnostic.is_error()) {
        return None;
    }
    format(FileId::default(), &out).ok()
}

/// Where a line of merged text is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Outside,
    Ours,
    Base,
    Theirs,
}
