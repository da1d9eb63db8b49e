//! Approved snapshots on disk: one text file per document, named after the
//! document's output name, with the Typst source it was made from beside it.
//!
//! ```text
//! snapshots/certificates/amal-hassan-slottsskogen.snap      what the document says
//! snapshots/certificates/amal-hassan-slottsskogen.snap.typ  its Typst source, to draw approved pages
//! ```
//!
//! A snapshot starts with a header naming the document and the files it
//! is made from, then each page, then the data its templates see, then its
//! HTML. kub writes and removes only files that start with that header, so
//! a file someone else put in the folder is never overwritten.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use super::pages::SECTION;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::write_atomically;

/// How every snapshot kub writes begins.
const HEADER: &str = "kub snapshot of ";

/// The line that lists the files a document is made from.
const MADE_FROM: &str = "made from ";

/// A document's snapshot: the text compared, and the Typst source kept
/// beside it to draw its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The readable text: header, pages, data and HTML.
    pub text: String,
    /// The Typst source the pages were laid out from.
    pub source: String,
}

/// What a snapshot says about its document, apart from the document itself.
#[derive(Debug, Clone)]
pub struct Header<'a> {
    /// The output name without extension, such as `certificates/amal-hassan-slottsskogen`.
    pub stem: &'a Path,
    /// The kind of document and its language, in words: `certificate in sv`.
    pub what: String,
    /// The project's files it is made from, relative to the project.
    pub made_from: Vec<String>,
}

/// Puts a snapshot's text together from its parts.
pub fn compose(header: &Header, pages: &str, data: &serde_json::Value, html: Option<&str>) -> String {
    let mut text = format!("{HEADER}{}: {}\n", slashed(header.stem), header.what);
    if !header.made_from.is_empty() {
        text.push_str(&format!("{MADE_FROM}{}\n", header.made_from.join(", ")));
    }
    text.push('\n');
    text.push_str(pages);
    let mut json = String::new();
    write_json(&mut json, data, 0, 0);
    text.push_str(&format!("{SECTION}data: what the templates see\n\n{json}\n"));
    if let Some(html) = html {
        text.push_str(&format!("\n{SECTION}html\n\n{}\n", html.trim_end()));
    }
    text
}

/// The widest line the data is written on before a value is spread over lines.
const JSON_WIDTH: usize = 120;

/// Writes `value` as JSON that reads well in a diff: a value that fits on
/// its line is written on it, others one member a line, keys in order.
/// `depth` is how deep the value is nested, `column` where it starts.
fn write_json(out: &mut String, value: &serde_json::Value, depth: usize, column: usize) {
    use serde_json::Value;
    let one_line = json_on_one_line(value);
    let members: Vec<(Option<String>, &Value)> = match value {
        Value::Object(map) => {
            map.iter().map(|(key, value)| (Some(Value::String(key.clone()).to_string()), value)).collect()
        }
        Value::Array(items) => items.iter().map(|item| (None, item)).collect(),
        _ => Vec::new(),
    };
    if members.is_empty() || column + one_line.chars().count() <= JSON_WIDTH {
        out.push_str(&one_line);
        return;
    }
    let inner = "  ".repeat(depth + 1);
    out.push(if value.is_object() { '{' } else { '[' });
    let last = members.len() - 1;
    for (index, (key, member)) in members.into_iter().enumerate() {
        out.push('\n');
        out.push_str(&inner);
        let mut column = inner.len();
        if let Some(key) = key {
            out.push_str(&key);
            out.push_str(": ");
            column += key.chars().count() + 2;
        }
        write_json(out, member, depth + 1, column);
        if index < last {
            out.push(',');
        }
    }
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
    out.push(if value.is_object() { '}' } else { ']' });
}

/// `value` on one line, with a space after each comma and colon.
fn json_on_one_line(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() => {
            let members: Vec<String> = map
                .iter()
                .map(|(key, value)| format!("{}: {}", Value::String(key.clone()), json_on_one_line(value)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Value::Array(items) if !items.is_empty() => {
            format!("[{}]", items.iter().map(json_on_one_line).collect::<Vec<_>>().join(", "))
        }
        _ => value.to_string(),
    }
}

/// A path written with forward slashes on every system, as it is shown
/// and stored.
pub fn slashed(path: &Path) -> String {
    path.components().map(|part| part.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The files a snapshot says its document is made from.
pub fn made_from(text: &str) -> Vec<PathBuf> {
    let Some(line) = text.lines().nth(1).and_then(|line| line.strip_prefix(MADE_FROM)) else { return Vec::new() };
    line.split(", ").map(PathBuf::from).collect()
}

/// The folder of approved snapshots.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// A snapshot as found on disk.
#[derive(Debug, Clone)]
pub enum Found {
    /// There is none for the document.
    Missing,
    /// kub's snapshot, and the Typst source beside it if there is one.
    Approved {
        /// The snapshot's text.
        text: String,
        /// The Typst source kept beside it.
        source: Option<String>,
    },
    /// A file kub did not write is where the snapshot belongs.
    Foreign(Diagnostic),
}

impl Store {
    /// The snapshots kept in `dir`.
    pub fn new(dir: &Path) -> Store {
        Store { dir: dir.to_path_buf() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the snapshot of the document with output name `stem` is kept.
    pub fn path(&self, stem: &Path) -> PathBuf {
        with_suffix(&self.dir.join(stem), ".snap")
    }

    fn source_path(&self, stem: &Path) -> PathBuf {
        with_suffix(&self.dir.join(stem), ".snap.typ")
    }

    /// The approved snapshot of `stem`.
    pub fn read(&self, stem: &Path) -> Found {
        let path = self.path(stem);
        let text = match std::fs::read(&path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Found::Missing,
            Err(error) => return Found::Foreign(unreadable(&path, &error.to_string())),
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) if text.starts_with(HEADER) => text,
                _ => return Found::Foreign(unreadable(&path, "it is not a snapshot kub wrote")),
            },
        };
        let source = std::fs::read_to_string(self.source_path(stem)).ok();
        Found::Approved { text, source }
    }

    /// The output names of every snapshot in the folder, sorted; hidden
    /// files and folders are passed by, as kub passes them by everywhere.
    pub fn stems(&self) -> Result<Vec<PathBuf>, Diagnostic> {
        let mut stems = Vec::new();
        let mut folders = vec![PathBuf::new()];
        while let Some(folder) = folders.pop() {
            let entries = match std::fs::read_dir(self.dir.join(&folder)) {
                Err(error) if error.kind() == io::ErrorKind::NotFound && folder.as_os_str().is_empty() => break,
                Err(error) => return Err(unreadable(&self.dir.join(&folder), &error.to_string())),
                Ok(entries) => entries,
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Ok(kind) = entry.file_type() else { continue };
                if name.starts_with('.') {
                    continue;
                }
                if kind.is_dir() {
                    folders.push(folder.join(&name));
                } else if let Some(stem) = name.strip_suffix(".snap") {
                    stems.push(folder.join(stem));
                }
            }
        }
        stems.sort();
        Ok(stems)
    }

    /// Approves `snapshot` as the snapshot of `stem`.
    pub fn write(&self, stem: &Path, snapshot: &Snapshot) -> Result<(), Diagnostic> {
        for (path, text) in [(self.path(stem), &snapshot.text), (self.source_path(stem), &snapshot.source)] {
            write_atomically(&path, text.as_bytes()).map_err(|error| not_written(&path, &error))?;
        }
        Ok(())
    }

    /// Removes the snapshot of `stem` and the source beside it, if kub wrote them.
    pub fn remove(&self, stem: &Path) -> Result<(), Diagnostic> {
        if let Found::Foreign(problem) = self.read(stem) {
            return Err(problem);
        }
        for path in [self.path(stem), self.source_path(stem)] {
            match std::fs::remove_file(&path) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(not_written(&path, &error)),
                _ => {}
            }
        }
        Ok(())
    }
}

/// `path` with `suffix` added to its name, so that a name with dots in it
/// keeps them all.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

fn unreadable(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::new(Code::SnapshotUnreadable, format!("cannot read the snapshot {}: {why}", path.display()))
        .hint("kub keeps only the files it wrote in the snapshot folder; move this one elsewhere, or delete it and run `kub test --accept`")
}

fn not_written(path: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::new(Code::SnapshotNotWritten, format!("cannot write {}: {error}", path.display()))
        .hint("check that the snapshot folder is writable and that the disk has room")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_document_and_its_files() {
        let header = Header {
            stem: Path::new("certificates/amal"),
            what: "certificate in sv".into(),
            made_from: vec!["examples/amal.kub".into(), "frameworks/park.kub".into()],
        };
        let text = compose(&header, "── page 1 of 1 · A4 portrait\n\nHej\n", &serde_json::json!({"a": 1}), None);
        assert!(
            text.starts_with("kub snapshot of certificates/amal: certificate in sv\nmade from examples/amal.kub, ")
        );
        assert_eq!(made_from(&text), vec![PathBuf::from("examples/amal.kub"), PathBuf::from("frameworks/park.kub")]);
        assert!(text.ends_with("── data: what the templates see\n\n{\"a\": 1}\n"), "{text}");
    }
}
