//! The project file, `kub.toml`: where frameworks, templates and outputs
//! live, and the organisation's defaults. Command-line flags override it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::credential::IssuerSettings;
use crate::diagnostic::{Code, Diagnostic, Severity, did_you_mean};
use crate::model::Lang;
use crate::model::text::{document_languages, document_languages_listed};
use crate::source::{FileId, Location, SourceFile, SourceMap, Span};

mod links;

/// The project file's name, looked for in the folder kub runs in and its parents.
pub const PROJECT_FILE: &str = "kub.toml";

/// A `kub.toml` kub cannot use: the problem, and the file it points into,
/// so that it is shown with the line and a caret like a problem in any
/// other file.
#[derive(Debug)]
pub struct BrokenProject {
    /// What is wrong with it.
    pub diagnostic: Diagnostic,
    /// Holds `kub.toml` when it could be read.
    pub sources: SourceMap,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProjectFile {
    organisation: Option<String>,
    logo: Option<PathBuf>,
    language: Option<toml::Spanned<String>>,
    frameworks: Option<Vec<PathBuf>>,
    templates: Option<PathBuf>,
    output: Option<PathBuf>,
    #[serde(alias = "verify_url")]
    verify_url: Option<toml::Spanned<String>>,
    country: Option<toml::Spanned<String>>,
    #[serde(alias = "case_url")]
    case_url: Option<toml::Spanned<String>>,
    issuer: Option<IssuerTable>,
}

/// `[issuer]`: who signs credentials (docs/credentials.md).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct IssuerTable {
    name: String,
    url: Option<String>,
    key: String,
    public_key: Option<String>,
    private_key: Option<PathBuf>,
    private_key_env: Option<String>,
}

/// A project: a folder with frameworks, assessments and perhaps `kub.toml`.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding `kub.toml`, or the current folder if there is none.
    pub root: PathBuf,
    /// The project file, if there is one.
    pub file: Option<PathBuf>,
    /// The organisation's name, shown on documents.
    pub organisation: Option<String>,
    /// An image shown on documents, resolved against the project's folder.
    pub logo: Option<PathBuf>,
    /// The default document language, one documents are written in.
    pub language: Option<Lang>,
    /// Folders whose frameworks are always available, for `extends` and for
    /// assessments.
    pub framework_dirs: Vec<PathBuf>,
    /// The organisation's own templates, looked up before the bundled ones.
    pub templates: Option<PathBuf>,
    /// Where documents are written: `output` in kub.toml, else `out` in the project's folder.
    pub output: PathBuf,
    /// Who signs credentials, from `[issuer]`; `None` makes no credentials.
    pub issuer: Option<IssuerSettings>,
    /// The organisation's verification page, with `{code}` where the
    /// verification code goes; the certificate's QR code links to it.
    pub verify_url: Option<String>,
    /// The issuing organisation's country, for Europass credentials.
    pub country: Option<crate::export::Country>,
    /// The URL under which CASE packages give their items' URIs.
    pub case_url: Option<String>,
}

impl Project {
    /// Finds the project that `start` is in: the nearest folder upwards with
    /// a `kub.toml`. Without one, the current folder is the project.
    pub fn discover(start: &Path) -> Result<Project, Box<BrokenProject>> {
        let start = if start.as_os_str().is_empty() { Path::new(".") } else { start };
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let found = absolute.ancestors().find(|dir| dir.join(PROJECT_FILE).is_file());
        match found {
            Some(dir) => Project::load(&relative_to_cwd(dir)),
            None => Ok(Project::default_in(Path::new("."))),
        }
    }

    /// The project a folder belongs to, with every path in it absolute:
    /// for a tool such as the language server that works on a folder an
    /// editor opened, wherever it was started.
    pub fn for_folder(folder: &Path) -> Result<Project, Box<BrokenProject>> {
        let absolute = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        let absolute = clean(&absolute);
        match absolute.ancestors().find(|dir| dir.join(PROJECT_FILE).is_file()) {
            Some(dir) => Project::load(dir),
            None => Ok(Project::default_in(&absolute)),
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
            issuer: None,
            verify_url: None,
            country: None,
            case_url: None,
        }
    }

    /// Reads `kub.toml` in `root`.
    pub fn load(root: &Path) -> Result<Project, Box<BrokenProject>> {
        let path = root.join(PROJECT_FILE);
        let mut sources = SourceMap::new();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                let diagnostic =
                    Diagnostic::new(Code::FileUnreadable, format!("cannot read {}: {error}", path.display()));
                return Err(Box::new(BrokenProject { diagnostic, sources }));
            }
        };
        let id = sources.add(SourceFile::new(clean(&path), text.as_str()));
        let (settings, checked) = match parse(&text, id) {
            Ok(parsed) => parsed,
            Err(diagnostic) => return Err(Box::new(BrokenProject { diagnostic, sources })),
        };
        let mut project = Project::default_in(root);
        project.file = Some(path);
        project.organisation = settings.organisation;
        project.logo = settings.logo.map(|logo| clean(&root.join(logo)));
        project.language = checked.language;
        project.verify_url = checked.verify_url;
        project.country = checked.country;
        project.case_url = checked.case_url;
        if let Some(dirs) = settings.frameworks {
            project.framework_dirs = dirs.iter().map(|dir| clean(&root.join(dir))).collect();
        }
        project.templates = settings.templates.map(|dir| clean(&root.join(dir)));
        if let Some(output) = settings.output {
            project.output = clean(&root.join(output));
        }
        project.issuer = settings.issuer.map(|issuer| IssuerSettings {
            name: issuer.name,
            url: issuer.url,
            key: issuer.key,
            public_key: issuer.public_key,
            private_key: issuer.private_key.map(|path| clean(&root.join(path))),
            private_key_env: issuer.private_key_env,
        });
        Ok(project)
    }
}

/// The settings of `kub.toml` whose values kub checks beyond their type.
struct CheckedSettings {
    language: Option<Lang>,
    verify_url: Option<String>,
    country: Option<crate::export::Country>,
    case_url: Option<String>,
}

/// The settings in `kub.toml`'s text, with its language, links and
/// country checked.
fn parse(text: &str, file: FileId) -> Result<(ProjectFile, CheckedSettings), Diagnostic> {
    let parsed: ProjectFile = toml::from_str(text).map_err(|error| invalid_project_file(&error, file))?;
    let language = parsed.language.as_ref().map(|language| document_language(language, file)).transpose()?;
    let verify_url = parsed.verify_url.as_ref().map(|url| links::verify_url(url, file)).transpose()?;
    let country = parsed.country.as_ref().map(|country| links::country(country, file)).transpose()?;
    let case_url = parsed.case_url.as_ref().map(|url| links::case_url(url, file)).transpose()?;
    Ok((parsed, CheckedSettings { language, verify_url, country, case_url }))
}

/// The diagnostic for a `kub.toml` toml cannot read, at the place toml
/// names.
fn invalid_project_file(error: &toml::de::Error, file: FileId) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::SyntaxError,
        format!("{PROJECT_FILE} is not a valid project file: {}", error.message().trim_end()),
    );
    let located = match error.span() {
        Some(span) => diagnostic.at(Location::new(file, Span::new(span.start, span.end))),
        None => diagnostic,
    };
    located.hint(
        "the keys are organisation, logo, language, frameworks, templates, output, verify-url, country, case-url and the [issuer] table",
    )
}

/// kub.toml's `language`, if documents can be written in it.
fn document_language(language: &toml::Spanned<String>, file: FileId) -> Result<Lang, Diagnostic> {
    let span = language.span();
    let location = Location::new(file, Span::new(span.start, span.end));
    let code = language.get_ref();
    let diagnostic = match Lang::parse(code) {
        Some(lang) if lang.is_document_language() => return Ok(lang),
        Some(lang) => Diagnostic::new(
            Code::UnsupportedCertificateLanguage,
            format!("documents are not written in {} yet", lang.name()),
        )
        .label("not a document language"),
        None => Diagnostic::new(Code::UnknownLanguage, format!("`{code}` is not a language code that kub knows"))
            .label("unknown language")
            .hint_if(did_you_mean(code, document_languages().iter().copied())),
    };
    // The default language of every document in the project cannot be
    // passed over as a participant's choice can.
    let mut diagnostic = diagnostic.at(location).hint(format!(
        "documents are written in {}; set `language` to one of them or leave it out",
        document_languages_listed()
    ));
    diagnostic.severity = Severity::Error;
    Err(diagnostic)
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
