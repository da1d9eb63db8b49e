//! Formatting files on disk: each `.kub` file below the paths given,
//! rewritten in place only when its layout changes.

use std::fs;
use std::path::{Path, PathBuf};

use super::{FormatError, format};
use crate::diagnostic::Diagnostic;
use crate::model::walk::kub_files;
use crate::render::output::write_atomically;
use crate::source::{SourceFile, SourceMap};

/// Whether files are rewritten or only compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite the files whose layout differs.
    Write,
    /// Change nothing; only say which files differ.
    Check,
}

/// What formatting did to one file.
#[derive(Debug)]
pub enum FileOutcome {
    /// The file was in the canonical layout already.
    Unchanged,
    /// The file's layout differed: it was rewritten, or in check mode would be.
    Reformatted,
    /// The file has syntax errors and was left as it was; the diagnostics
    /// say where.
    Broken(Vec<Diagnostic>),
    /// The file could not be read or written; the text says why.
    Failed(String),
    /// Formatting would have changed the file's meaning, a fault in kub;
    /// the file was left as it was.
    WouldChangeMeaning,
}

/// One file and what formatting did to it.
#[derive(Debug)]
pub struct FormattedFile {
    /// The file's path, as found from the paths given.
    pub path: PathBuf,
    /// What happened to it.
    pub outcome: FileOutcome,
}

/// Every file looked at, and what is needed to show their diagnostics.
#[derive(Debug, Default)]
pub struct Formatting {
    /// The files in the order found.
    pub files: Vec<FormattedFile>,
    /// Folders that could not be read, links that were skipped.
    pub problems: Vec<Diagnostic>,
    /// The text of every file read, for showing diagnostics at their lines.
    pub sources: SourceMap,
}

impl Formatting {
    /// True when every file is in the canonical layout, or was put in it,
    /// and nothing stopped a file from being formatted.
    pub fn is_clean(&self, mode: Mode) -> bool {
        self.problems.iter().all(|problem| !problem.is_error())
            && self.files.iter().all(|file| match file.outcome {
                FileOutcome::Unchanged => true,
                FileOutcome::Reformatted => mode == Mode::Write,
                _ => false,
            })
    }
}

/// Formats every `.kub` file named in `paths` or found below the folders
/// among them.
pub fn format_files(paths: &[PathBuf], mode: Mode) -> Formatting {
    let mut formatting = Formatting::default();
    for path in paths {
        if path.is_dir() {
            let walk = kub_files(path, &[]);
            formatting.problems.extend(walk.problems);
            for found in walk.files {
                format_one(&found.path, mode, &mut formatting);
            }
        } else {
            format_one(path, mode, &mut formatting);
        }
    }
    formatting
}

fn format_one(path: &Path, mode: Mode, formatting: &mut Formatting) {
    let outcome = match fs::read_to_string(path) {
        Err(error) => FileOutcome::Failed(format!("could not read it: {}", plain(&error))),
        Ok(text) => {
            let file = formatting.sources.add(SourceFile::new(path, text.clone()));
            match format(file, &text) {
                Ok(formatted) if formatted == text => FileOutcome::Unchanged,
                Ok(_) if mode == Mode::Check => FileOutcome::Reformatted,
                Ok(formatted) => match rewrite(path, &formatted) {
                    Ok(()) => FileOutcome::Reformatted,
                    Err(error) => FileOutcome::Failed(format!("could not write it: {}", plain(&error))),
                },
                Err(FormatError::Syntax(diagnostics)) => FileOutcome::Broken(diagnostics),
                Err(FormatError::WouldChangeMeaning) => FileOutcome::WouldChangeMeaning,
            }
        }
    };
    formatting.files.push(FormattedFile { path: path.to_path_buf(), outcome });
}

/// Replaces a file's text in one step, keeping its permissions, and
/// writing through a link to the file it leads to rather than over it.
fn rewrite(path: &Path, text: &str) -> std::io::Result<()> {
    let target =
        if fs::symlink_metadata(path)?.file_type().is_symlink() { fs::canonicalize(path)? } else { path.into() };
    let permissions = fs::metadata(&target)?.permissions();
    write_atomically(&target, text.as_bytes())?;
    fs::set_permissions(&target, permissions)
}

fn plain(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => error.to_string(),
    }
}
