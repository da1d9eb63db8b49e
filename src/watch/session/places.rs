//! Where the files of a watch are, as canonical paths (the form the watcher
//! reports), which of them are kub's own output, and how messages spell them.

use std::path::{Path, PathBuf};

use crate::build::{DocumentKind, Settings};
use crate::model::workspace::normalize;
use crate::project::PROJECT_FILE;
use crate::watch::paths::{canonical, is_hidden_below};

/// Where things are, as canonical paths, the form the watcher reports.
#[derive(Debug)]
pub(super) struct Places {
    /// The given paths and the framework folders.
    pub(super) roots: Vec<Root>,
    pub(super) templates: Option<PathBuf>,
    pub(super) project_file: PathBuf,
    pub(super) logo: Option<PathBuf>,
    /// Folders kub writes to, whose events are its own.
    pub(super) output: Vec<PathBuf>,
    /// The current folder, to show paths relative to it.
    pub(super) current: PathBuf,
}

#[derive(Debug)]
pub(super) struct Root {
    /// As the user or kub.toml spelled it, which is how messages show files.
    pub(super) given: PathBuf,
    pub(super) canonical: PathBuf,
    pub(super) folder: bool,
}

impl Places {
    pub(super) fn new(options: &Settings) -> Places {
        let project = &options.project;
        let mut roots = Vec::new();
        for given in project.framework_dirs.iter().chain(&options.paths) {
            let given = normalize(given);
            if roots.iter().any(|root: &Root| root.given == given) {
                continue;
            }
            roots.push(Root { canonical: canonical(&given), folder: given.is_dir(), given });
        }
        let out = canonical(&options.out);
        let mut output: Vec<PathBuf> = DocumentKind::ALL.iter().map(|kind| out.join(kind.folder())).collect();
        // The whole output folder is kub's, unless files to watch are in it.
        if !roots.iter().any(|root| root.canonical.starts_with(&out)) {
            output.push(out);
        }
        Places {
            roots,
            templates: options.templates.as_deref().map(canonical),
            project_file: canonical(&project.root.join(PROJECT_FILE)),
            logo: options.branding.logo.as_deref().map(canonical),
            output,
            current: canonical(Path::new(".")),
        }
    }

    pub(super) fn is_output(&self, path: &Path) -> bool {
        self.output.iter().any(|folder| path.starts_with(folder))
    }

    pub(super) fn is_template(&self, path: &Path) -> bool {
        self.templates.as_deref().is_some_and(|dir| path.starts_with(dir))
    }

    /// Whether a path is a given file or lies in a given folder.
    pub(super) fn is_source(&self, path: &Path) -> bool {
        self.roots
            .iter()
            .any(|root| if root.folder { path.starts_with(&root.canonical) } else { path == root.canonical })
    }

    /// Hidden below the folder it was found in: `.git`, `.vscode`, `.a.kub`.
    pub(super) fn is_hidden(&self, path: &Path) -> bool {
        let folders = self.roots.iter().filter(|root| root.folder).map(|root| root.canonical.as_path());
        match folders.chain(self.templates.as_deref()).find(|folder| path.starts_with(folder)) {
            Some(folder) => is_hidden_below(path, folder),
            None => path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')),
        }
    }

    /// A file's path as the workspace spells it: through the given folder
    /// it is in, else relative to the current folder.
    pub(super) fn spelled(&self, path: &Path) -> PathBuf {
        for root in &self.roots {
            if root.folder
                && let Ok(below) = path.strip_prefix(&root.canonical)
            {
                return normalize(&root.given.join(below));
            }
            if !root.folder && path == root.canonical {
                return root.given.clone();
            }
        }
        self.shown(path)
    }

    /// A path relative to the current folder if it is below it.
    pub(super) fn shown(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.current) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
            _ => path.to_path_buf(),
        }
    }
}
