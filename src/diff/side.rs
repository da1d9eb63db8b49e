//! One side of a comparison: a framework file on disk, or `REV:path` read
//! from git, resolved with what it extends and includes *as they are on
//! that side*.
//!
//! A file on disk is resolved with the project's framework folders and the
//! other `.kub` files of its own folder, as `kub check` would find them. A
//! revision's files are read with `git cat-file` into memory under the
//! name `REV:/path`, never written out, so includes and `extends` resolve
//! against the files at that revision and no working tree is touched.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::check::check_framework;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::workspace::normalize;
use crate::model::{Framework, Resolution, Workspace, load_includes, resolve};
use crate::project::Project;
use crate::source::{FileId, SourceMap};
use crate::syntax::ast::{Document, FrameworkDoc, FrameworkItem};

/// Where a version of a framework is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File(PathBuf),
    /// A file as it is in a git revision, as `git show REV:path` names it.
    Git {
        /// The revision: a commit, branch, tag or `HEAD~1`.
        revision: String,
        /// The path, from the repository's top unless it starts with `./` or `../`.
        path: String,
    },
}

impl Origin {
    /// Reads a command-line argument: an existing file, else `REV:path`
    /// when it has a colon, else a file (which will not be found).
    pub fn parse(argument: &str) -> Origin {
        if !Path::new(argument).exists()
            && let Some((revision, path)) = argument.split_once(':')
            && !revision.is_empty()
            && !path.is_empty()
        {
            return Origin::Git { revision: revision.to_string(), path: path.to_string() };
        }
        Origin::File(PathBuf::from(argument))
    }

    /// As the user wrote it.
    pub fn label(&self) -> String {
        match self {
            Origin::File(path) => path.display().to_string(),
            Origin::Git { revision, path } => format!("{revision}:{path}"),
        }
    }
}

/// A version of a framework, resolved, with the files it was read from.
#[derive(Debug)]
pub struct Side {
    /// The framework, resolved; its includes are written from its own
    /// folder, as the `include` lines write them.
    pub framework: Arc<Framework>,
    /// The files read, for diagnostics to point into.
    pub sources: SourceMap,
}

/// Why a side cannot be compared.
#[derive(Debug)]
pub enum SideError {
    /// The argument was wrong: no such file, not a framework, no such revision.
    Usage(String),
    /// The framework has errors; these are they.
    Problems {
        /// The errors, in the files they are in.
        diagnostics: Diagnostics,
        /// The files they point into.
        sources: SourceMap,
        /// Which side it is, as the user wrote it.
        label: String,
    },
}

/// Reads and resolves a side. `other` is the other side, left out of this
/// one's files when it is a copy of the same framework version, so that two
/// copies in a folder do not clash.
pub fn load(origin: &Origin, project: &Project, other: &Origin) -> Result<Side, SideError> {
    let (workspace, file) = match origin {
        Origin::File(path) => from_disk(path, project, other)?,
        Origin::Git { revision, path } => from_git(revision, path, project, other)?,
    };
    resolved(workspace, file, &origin.label())
}

/// Reads and resolves both sides at once, each on its own thread: parsing
/// is most of the time a comparison takes.
pub fn load_both(old: &Origin, new: &Origin, project: &Project) -> (Result<Side, SideError>, Result<Side, SideError>) {
    std::thread::scope(|scope| {
        let newer = scope.spawn(|| load(new, project, old));
        let older = load(old, project, new);
        (older, newer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

fn from_disk(path: &Path, project: &Project, other: &Origin) -> Result<(Workspace, FileId), SideError> {
    if !path.exists() {
        return Err(SideError::Usage(format!("{} does not exist", path.display())));
    }
    if !path.is_file() {
        return Err(SideError::Usage(format!("{} is a folder; give a framework file", path.display())));
    }
    let path = normalize(path);
    let skip = match other {
        Origin::File(other) => Some(normalize(other)),
        Origin::Git { .. } => None,
    };
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
    for dir in &project.framework_dirs {
        wanted.extend(crate::model::walk::kub_files(dir, &[]).files.into_iter().map(|found| normalize(&found.path)));
    }
    let mut workspace = Workspace::new();
    workspace.boundary.allow(&project.root);
    for dir in &project.framework_dirs {
        workspace.boundary.allow(dir);
    }
    workspace.boundary.allow(if folder.as_os_str().is_empty() { Path::new(".") } else { &folder });
    let Some(file) = workspace.load_file(&path) else {
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(workspace.load_diagnostics.iter().cloned());
        return Err(SideError::Problems { diagnostics, sources: workspace.sources, label: path.display().to_string() });
    };
    if extends_another(&workspace, file) {
        wanted.extend(sibling_kub_files(&folder));
    }
    wanted.retain(|file| *file != path);
    for other_file in wanted {
        workspace.load_file(&other_file);
    }
    if let Some(twin) = skip {
        leave_out_twin(&mut workspace, file, &twin);
    }
    Ok((workspace, file))
}

/// Whether a framework file extends another: only then are the files
/// beside it read, to find its base, since parsing is most of the time a
/// comparison takes.
fn extends_another(workspace: &Workspace, file: FileId) -> bool {
    match workspace.parsed(file).and_then(|parsed| parsed.document.as_ref()) {
        Some(Document::Framework(doc)) => doc.items.iter().any(|item| matches!(item, FrameworkItem::Extends { .. })),
        _ => false,
    }
}

/// Leaves out the other side's file when it is the same framework version
/// as this side's, a copy being edited, which would clash with it as a
/// duplicate. A framework the other side extends or includes stays.
fn leave_out_twin(workspace: &mut Workspace, file: FileId, other: &Path) {
    let header = |file: FileId| match workspace.parsed(file).and_then(|parsed| parsed.document.as_ref()) {
        Some(Document::Framework(doc)) => Some((doc.id.text.clone(), own_version(doc))),
        _ => None,
    };
    if let Some(twin) = workspace.file_id(other)
        && twin != file
        && header(twin).is_some()
        && header(twin) == header(file)
    {
        workspace.remove(other);
    }
}

fn own_version(doc: &FrameworkDoc) -> Option<String> {
    doc.items.iter().find_map(|item| match item {
        FrameworkItem::Version { version, .. } => Some(version.text.clone()),
        _ => None,
    })
}

/// The `.kub` files right in a folder, not below it: where a tailoring's
/// base is found beside it.
fn sibling_kub_files(folder: &Path) -> Vec<PathBuf> {
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == crate::syntax::EXTENSION) && path.is_file())
        .map(|path| normalize(&path))
        .collect()
}

/// The framework in `file`, resolved, or the errors that keep it from being compared.
fn resolved(mut workspace: Workspace, file: FileId, label: &str) -> Result<Side, SideError> {
    load_includes(&mut workspace);
    let resolution = resolve(&workspace);
    let Some(framework) = resolution.framework_of(file).cloned() else {
        return Err(not_a_framework(&workspace, &resolution, file, label));
    };
    let mut errors = Diagnostics::new();
    let behind = resolution.files_behind(&framework, &workspace);
    let in_behind = |d: &Diagnostic| d.location.is_some_and(|l| behind.contains(&l.file));
    for &behind_file in &behind {
        if let Some(parsed) = workspace.parsed(behind_file) {
            errors.extend(parsed.diagnostics.iter().filter(|d| d.is_error()).cloned());
        }
    }
    errors.extend(resolution.diagnostics.iter().filter(|d| d.is_error() && in_behind(d)).cloned());
    errors.extend(check_framework(&framework).into_iter().filter(Diagnostic::is_error));
    if resolution.is_broken(file) || errors.has_errors() {
        errors.sort();
        return Err(SideError::Problems { diagnostics: errors, sources: workspace.sources, label: label.to_string() });
    }
    let folder = workspace.path(file).parent().map(Path::to_path_buf).unwrap_or_default();
    // Without the resolution's hold on it, the framework is changed in
    // place rather than copied whole.
    drop(resolution);
    let mut framework = framework;
    let own = Arc::make_mut(&mut framework);
    own.includes = own.includes.iter().map(|include| relative_to(Path::new(include), &folder)).collect();
    Ok(Side { framework, sources: workspace.sources })
}

/// An included file's path as seen from the framework's folder, so that
/// two copies of a project in different places name their libraries alike.
fn relative_to(path: &Path, folder: &Path) -> String {
    let mut path_parts = path.components().peekable();
    let mut folder_parts = folder.components().peekable();
    while let (Some(a), Some(b)) = (path_parts.peek(), folder_parts.peek()) {
        if a != b {
            break;
        }
        path_parts.next();
        folder_parts.next();
    }
    let ups = folder_parts.filter(|part| !matches!(part, std::path::Component::CurDir)).map(|_| "..");
    let relative: PathBuf = ups.map(PathBuf::from).chain(path_parts.map(|p| PathBuf::from(p.as_os_str()))).collect();
    relative.to_string_lossy().replace('\\', "/")
}

fn not_a_framework(workspace: &Workspace, resolution: &Resolution, file: FileId, label: &str) -> SideError {
    let parsed = workspace.parsed(file);
    match parsed.and_then(|parsed| parsed.document.as_ref()) {
        Some(Document::Assessment(_)) => {
            SideError::Usage(format!("{label} is an assessment; give the framework files to compare"))
        }
        _ => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(parsed.iter().flat_map(|parsed| parsed.diagnostics.iter().cloned()));
            let here = |d: &&Diagnostic| d.location.is_some_and(|l| l.file == file);
            diagnostics.extend(resolution.diagnostics.iter().filter(here).cloned());
            diagnostics.sort();
            SideError::Problems { diagnostics, sources: workspace.sources.clone(), label: label.to_string() }
        }
    }
}

/// A git repository at one revision, read through `git` itself.
struct Revision {
    revision: String,
    /// The repository's top folder.
    top: PathBuf,
    /// The `.kub` files at the revision, by path from the top.
    kub_files: BTreeSet<String>,
}

fn from_git(revision: &str, path: &str, project: &Project, other: &Origin) -> Result<(Workspace, FileId), SideError> {
    let top = git(Path::new("."), &["rev-parse", "--show-toplevel"], None)
        .map_err(|why| SideError::Usage(format!("cannot read {revision}:{path}: {why}")))?;
    let top = PathBuf::from(top.trim_end());
    let listing = git(&top, &["ls-tree", "-r", "-z", "--name-only", revision], None)
        .map_err(|why| SideError::Usage(format!("cannot read {revision}:{path}: {why}")))?;
    let kub_files = listing
        .split('\0')
        .filter(|name| name.ends_with(&format!(".{}", crate::syntax::EXTENSION)))
        .map(str::to_string)
        .collect();
    let here = std::fs::canonicalize(".").unwrap_or_default();
    let top_canonical = std::fs::canonicalize(&top).unwrap_or_else(|_| top.clone());
    let prefix = here.strip_prefix(&top_canonical).map(Path::to_path_buf).unwrap_or_default();
    let repo = Revision { revision: revision.to_string(), top, kub_files };
    let target = repo.path_in_repo(path, &prefix);
    if !repo.kub_files.contains(&target) {
        return Err(SideError::Usage(format!("{revision} has no framework file {target}")));
    }
    let skip = match other {
        Origin::Git { revision: other_revision, path } if other_revision == revision => {
            Some(repo.path_in_repo(path, &prefix))
        }
        _ => None,
    };
    let folder = Path::new(&target).parent().map(Path::to_path_buf).unwrap_or_default();
    let framework_dirs: Vec<PathBuf> = project.framework_dirs.iter().map(|dir| normalize(&prefix.join(dir))).collect();
    let mut workspace = Workspace::new();
    workspace.boundary.allow(Path::new("."));
    let read = |files: &[String]| {
        let texts =
            repo.read(files).map_err(|why| SideError::Usage(format!("cannot read {revision}:{path}: {why}")))?;
        Ok::<_, SideError>(texts.into_iter().map(|(file, text)| (repo.virtual_path(&file), text)).collect())
    };
    workspace.add_sources(read(std::slice::from_ref(&target))?);
    let Some(file) = workspace.file_id(&repo.virtual_path(&target)) else {
        return Err(SideError::Usage(format!("cannot read {revision}:{path}")));
    };
    let tailoring = extends_another(&workspace, file);
    let wanted: Vec<String> = repo
        .kub_files
        .iter()
        .filter(|file| **file != target)
        .filter(|file| {
            let file = Path::new(file.as_str());
            tailoring && file.parent() == Some(folder.as_path())
                || framework_dirs.iter().any(|dir| file.starts_with(dir))
        })
        .cloned()
        .collect();
    workspace.add_sources(read(&wanted)?);
    repo.load_included(&mut workspace)
        .map_err(|why| SideError::Usage(format!("cannot read {revision}:{path}: {why}")))?;
    if let Some(twin) = skip {
        leave_out_twin(&mut workspace, file, &repo.virtual_path(&twin));
    }
    Ok((workspace, file))
}

impl Revision {
    /// A path as `git show REV:path` reads it: from the top, unless it
    /// starts with `./` or `../`, which are from the current folder.
    fn path_in_repo(&self, path: &str, prefix: &Path) -> String {
        let relative = path.starts_with("./") || path.starts_with("../");
        let joined = if relative { normalize(&prefix.join(path)) } else { normalize(Path::new(path)) };
        joined.to_string_lossy().replace('\\', "/")
    }

    /// The name a file of the revision has in the workspace: `REV:/path`,
    /// so that a diagnostic says which revision it is about and includes
    /// written relative to it stay inside it.
    fn virtual_path(&self, file: &str) -> PathBuf {
        Path::new(&format!("{}:", self.revision)).join(file)
    }

    /// Reads the libraries the files include, at the revision, until none is missing.
    fn load_included(&self, workspace: &mut Workspace) -> Result<(), String> {
        let root = self.virtual_path("");
        let mut seen: BTreeSet<FileId> = BTreeSet::new();
        loop {
            let mut wanted: Vec<String> = Vec::new();
            for file in workspace.file_ids() {
                if seen.insert(file) {
                    for target in workspace.include_targets(file) {
                        let Ok(in_repo) = target.strip_prefix(&root) else { continue };
                        let in_repo = in_repo.to_string_lossy().replace('\\', "/");
                        if self.kub_files.contains(&in_repo) && workspace.file_id(&target).is_none() {
                            wanted.push(in_repo);
                        }
                    }
                }
            }
            if wanted.is_empty() {
                return Ok(());
            }
            wanted.sort();
            wanted.dedup();
            let texts = self.read(&wanted)?;
            workspace.add_sources(texts.into_iter().map(|(file, text)| (self.virtual_path(&file), text)).collect());
        }
    }

    /// The texts of files at the revision, in one `git cat-file --batch`.
    fn read(&self, files: &[String]) -> Result<Vec<(String, String)>, String> {
        let request: String = files.iter().map(|file| format!("{}:{file}\n", self.revision)).collect();
        let output = git_bytes(&self.top, &["cat-file", "--batch"], Some(request.as_bytes()))?;
        let mut texts = Vec::with_capacity(files.len());
        let mut rest = output.as_slice();
        for file in files {
            let header_end = rest.iter().position(|&b| b == b'\n').ok_or("git ended early")?;
            let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
            rest = &rest[header_end + 1..];
            let size: usize = header
                .rsplit(' ')
                .next()
                .and_then(|size| size.parse().ok())
                .ok_or_else(|| format!("{file} is not a file at {}", self.revision))?;
            let body = rest.get(..size).ok_or("git ended early")?;
            let text = String::from_utf8(body.to_vec()).map_err(|_| format!("{file} is not UTF-8 text"))?;
            texts.push((file.clone(), text));
            rest = rest.get(size + 1..).unwrap_or_default();
        }
        Ok(texts)
    }
}

/// Runs git and returns what it printed, or what it said went wrong.
fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<String, String> {
    git_bytes(dir, args, input).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn git_bytes(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("git cannot be run ({error})"))?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // git reads while it writes; a large request is written from another thread.
        let input = input.to_vec();
        std::thread::spawn(move || stdin.write_all(&input));
    }
    let output = child.wait_with_output().map_err(|error| format!("git failed ({error})"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.lines().next().unwrap_or("git failed").trim_start_matches("fatal: ");
        Err(said.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_with_a_colon_that_is_no_file_names_a_revision() {
        let origin = Origin::parse("HEAD~1:frameworks/park.kub");
        assert_eq!(origin, Origin::Git { revision: "HEAD~1".into(), path: "frameworks/park.kub".into() });
        assert_eq!(origin.label(), "HEAD~1:frameworks/park.kub");
        assert_eq!(Origin::parse("park.kub"), Origin::File("park.kub".into()));
        assert_eq!(Origin::parse(":park.kub"), Origin::File(":park.kub".into()));
    }

    #[test]
    fn includes_are_written_from_the_framework_s_folder() {
        assert_eq!(relative_to(Path::new("old/shared/lib.kub"), Path::new("old")), "shared/lib.kub");
        assert_eq!(relative_to(Path::new("HEAD~1:/shared/lib.kub"), Path::new("HEAD~1:")), "shared/lib.kub");
        assert_eq!(relative_to(Path::new("shared/lib.kub"), Path::new("frameworks")), "../shared/lib.kub");
        assert_eq!(relative_to(Path::new("lib.kub"), Path::new("")), "lib.kub");
    }
}
