//! The project file, `kub.toml`: where frameworks, templates and outputs
//! live, and the organisation's defaults. Command-line flags override it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};

pub const PROJECT_FILE: &str = "kub.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProjectFile {
    organisation: Option<String>,
    logo: Option<PathBuf>,
    language: Option<String>,
    frameworks: Option<Vec<PathBuf>>,
    templates: Option<PathBuf>,
    output: Option<PathBuf>,
}

/// A project: a folder with frameworks, assessments and perhaps `kub.toml`.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding `kub.toml`, or the current folder if there is none.
    pub root: PathBuf,
    /// The project file, if there is one.
    pub file: Option<PathBuf>,
    pub organisation: Option<String>,
    pub logo: Option<PathBuf>,
    /// The default document language.
    pub language: Option<String>,
    /// Folders whose frameworks are always available, for `extends` and for
    /// assessments.
    pub framework_dirs: Vec<PathBuf>,
    /// The organisation's own templates, looked up before the bundled ones.
    pub templates: Option<PathBuf>,
    pub output: PathBuf,
}

impl Project {
    /// Finds the project that `start` is in: the nearest folder upwards with
    /// a `kub.toml`. Without one, the current folder is the project.
    pub fn discover(start: &Path) -> Result<Project, Diagnostic> {
        let start = if start.as_os_str().is_empty() { Path::new(".") } else { start };
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let found = absolute.ancestors().find(|dir| dir.join(PROJECT_FILE).is_file());
        match found {
            Some(dir) => Project::load(&relative_to_cwd(dir)),
            None => Ok(Project::default_in(Path::new("."))),
        }
    }

    fn default_in(root: &Path) -> Project {
        let frameworks = root.join("frameworks");
        Project {
            root: root.to_path_buf(),
            file: None,
            organisation: None,
            logo: None,
            language: None,
            framework_dirs: if frameworks.is_dir() { vec![clean(&frameworks)] } else { Vec::new() },
            templates: None,
            output: clean(&root.join("out")),
        }
    }

    /// Reads `kub.toml` in `root`.
    pub fn load(root: &Path) -> Result<Project, Diagnostic> {
        let path = root.join(PROJECT_FILE);
        let text = std::fs::read_to_string(&path).map_err(|error| {
            Diagnostic::new(Code::FileUnreadable, format!("cannot read {}: {error}", path.display()))
        })?;
        let file: ProjectFile = toml::from_str(&text).map_err(|error| {
            Diagnostic::new(
                Code::SyntaxError,
                format!("{} is not a valid project file: {}", path.display(), error.message()),
            )
            .hint("the keys are organisation, logo, language, frameworks, templates and output")
        })?;
        let mut project = Project::default_in(root);
        project.file = Some(path);
        project.organisation = file.organisation;
        project.logo = file.logo.map(|logo| clean(&root.join(logo)));
        project.language = file.language;
        if let Some(dirs) = file.frameworks {
            project.framework_dirs = dirs.iter().map(|dir| clean(&root.join(dir))).collect();
        }
        project.templates = file.templates.map(|dir| clean(&root.join(dir)));
        if let Some(output) = file.output {
            project.output = clean(&root.join(output));
        }
        Ok(project)
    }
}

/// `./frameworks` as `frameworks`, so that messages show short paths.
fn clean(path: &Path) -> PathBuf {
    crate::model::workspace::normalize(path)
}

fn relative_to_cwd(dir: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match dir.strip_prefix(&cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => dir.to_path_buf(),
    }
}

impl Project {
    /// A workspace with the project's frameworks and every `.kub` file
    /// under `paths`. Includes may read from the project's folder, its
    /// framework folders and the folders given (a file's own folder).
    pub fn workspace(&self, paths: &[PathBuf]) -> crate::model::Workspace {
        let mut workspace = crate::model::Workspace::new();
        workspace.boundary.allow(&self.root);
        for dir in &self.framework_dirs {
            workspace.boundary.allow(dir);
        }
        for path in paths {
            match path.parent() {
                Some(folder) if !path.is_dir() => workspace.boundary.allow(folder),
                _ => workspace.boundary.allow(path),
            }
        }
        for dir in &self.framework_dirs {
            workspace.load(dir);
        }
        for path in paths {
            workspace.load(&clean(path));
        }
        workspace
    }
}
