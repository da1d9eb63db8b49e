//! `kub export`: frameworks as CASE packages, issued certificates as
//! unsealed Europass credentials, written into the output folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{Outcome, broken_project, paths_or_current};
use crate::build::{Branding, DocumentKind, Format, Settings};
use crate::check::{Checked, check};
use crate::diagnostic::did_you_mean;
use crate::diagnostic::render::{self, Color};
use crate::export::{Export, case_exports, europass_exports, write_exports};
use crate::model::{Framework, FrameworkKind, Lang};
use crate::project::Project;

/// The arguments of `kub export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Exit status: 0 when every file was made, 1 when something could not be \
    (it is shown), 2 when the command is wrong.\n\n\
    Examples:\n  kub export --format case park-och-natur\n  \
    kub export --format case frameworks/slottsskogen.kub --lang en\n  \
    kub export --format europass examples/slottsskogen")]
pub(crate) struct ExportArgs {
    /// What to export.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// For `case`: framework ids (`id` or `id@version`) or framework files
    /// and folders (default: every framework of the project). For
    /// `europass`: assessment files or folders (default: the current folder).
    targets: Vec<String>,
    /// Extra files or folders to look for frameworks in.
    #[arg(long = "in", value_name = "PATH")]
    search: Vec<PathBuf>,
    /// The output folder (default: `output` in kub.toml, else `out`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// For `case`: the language of the statements (default: the framework's).
    #[arg(long)]
    lang: Option<String>,
    /// For `case`: the date the framework last changed, YYYY-MM-DD (default:
    /// when its newest file was saved).
    #[arg(long, value_parser = date)]
    changed: Option<NaiveDate>,
    /// For `europass`: a folder of templates that override the bundled ones.
    #[arg(long)]
    templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// A CASE 1.0 package (CFPackage) of each framework.
    Case,
    /// An unsealed European Digital Credential (ELM 3) of each issued certificate, for sealing.
    Europass,
}

fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "expected a date such as 2026-05-01".to_string())
}

pub(super) fn run(args: &ExportArgs, color: Color) -> Outcome {
    let paths: Vec<PathBuf> = match args.format {
        ExportFormat::Case => args.targets.iter().map(PathBuf::from).filter(|path| path.exists()).collect(),
        ExportFormat::Europass => paths_or_current(&args.targets.iter().map(PathBuf::from).collect::<Vec<_>>()),
    };
    if let Some(missing) = paths.iter().chain(&args.search).find(|path| !path.exists()) {
        return Outcome::Usage(format!("{} does not exist", missing.display()));
    }
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let project = match Project::discover(&start) {
        Ok(project) => project,
        Err(broken) => return broken_project(&broken, color),
    };
    let lang = match args.lang.as_deref().map(|code| (code, Lang::parse(code))) {
        Some((code, None)) => return Outcome::Usage(format!("`{code}` is not a language code kub knows")),
        Some((_, lang)) => lang,
        None => None,
    };
    let out = args.out.clone().unwrap_or_else(|| project.output.clone());
    let mut searched = args.search.clone();
    searched.extend(paths.iter().cloned());
    // Frameworks named by id are looked for where the project keeps them,
    // and in the current folder of a project that names no such place.
    if args.format == ExportFormat::Case && paths.is_empty() && project.framework_dirs.is_empty() {
        searched.push(PathBuf::from("."));
    }
    let checked = check(project.workspace(&searched));
    let export = match args.format {
        ExportFormat::Case => match frameworks(&checked, &args.targets) {
            Ok(frameworks) => case_exports(&project, &checked, &frameworks, lang, args.changed),
            Err(message) => return Outcome::Usage(message),
        },
        ExportFormat::Europass => europass_exports(&europass_settings(args, project, paths, out.clone()), &checked),
    };
    finish(&export, &out, args.format, &checked, color)
}

/// The frameworks `targets` name, by id or by the files and folders they
/// are in; every framework in the workspace's folders when none is named.
fn frameworks(checked: &Checked, targets: &[String]) -> Result<Vec<Arc<Framework>>, String> {
    let resolution = &checked.resolution;
    let in_paths = |paths: &[&Path]| -> Vec<Arc<Framework>> {
        let mut found: Vec<Arc<Framework>> = checked
            .workspace
            .sources
            .iter()
            .filter(|(_, source)| paths.iter().any(|path| source.path().starts_with(path) || *path == Path::new(".")))
            .filter_map(|(file, _)| resolution.framework_of(file).cloned())
            .filter(|framework| framework.kind == FrameworkKind::Framework)
            .collect();
        found.sort_by_key(|framework| framework.reference());
        found
    };
    if targets.is_empty() {
        return Ok(in_paths(&[Path::new(".")]));
    }
    let mut chosen = Vec::new();
    for target in targets {
        let path = Path::new(target);
        if path.exists() {
            let normalized = crate::model::workspace::normalize(path);
            let found = in_paths(&[normalized.as_path()]);
            if found.is_empty() {
                return Err(format!("{target} holds no framework to export"));
            }
            chosen.extend(found);
            continue;
        }
        match resolution.find(target) {
            Some(framework) => chosen.push(framework.clone()),
            None => {
                let id = target.split_once('@').map_or(target.as_str(), |(id, _)| id);
                let hint = did_you_mean(id, resolution.ids()).map(|h| format!("; {h}")).unwrap_or_default();
                return Err(format!("there is no framework `{target}`{hint}"));
            }
        }
    }
    Ok(chosen)
}

fn europass_settings(args: &ExportArgs, project: Project, paths: Vec<PathBuf>, out: PathBuf) -> Settings {
    Settings {
        out,
        branding: Branding {
            organisation: project.organisation.clone(),
            logo: project.logo.clone(),
            verify_url: project.verify_url.clone(),
            // The page image of an unsealed credential needs no signed one.
            issuer: None,
        },
        paths,
        lang: None,
        default_lang: project.language,
        kinds: [DocumentKind::Certificate].into_iter().collect(),
        formats: [Format::Pdf].into_iter().collect(),
        templates: args.templates.clone().or_else(|| project.templates.clone()),
        threads: 1,
        project,
    }
}

/// Shows what the export has to say, writes its files and says what was written.
fn finish(export: &Export, out: &Path, format: ExportFormat, checked: &Checked, color: Color) -> Outcome {
    eprint!("{}", render::human(&export.diagnostics, &checked.workspace.sources, color));
    let written = match write_exports(out, export) {
        Ok(written) => written,
        Err(problem) => {
            eprint!("{}", render::human([&problem], &checked.workspace.sources, color));
            return Outcome::Problems;
        }
    };
    for path in &written {
        println!("wrote {}", path.display());
    }
    let unchanged = export.files.len() - written.len();
    let what = match format {
        ExportFormat::Case => "CASE package",
        ExportFormat::Europass => "Europass file",
    };
    let plural = if export.files.len() == 1 { "" } else { "s" };
    eprintln!("exported {} {what}{plural} into {} ({unchanged} unchanged)", export.files.len(), out.display());
    if format == ExportFormat::Europass && !export.files.is_empty() {
        eprintln!("{}", UNSEALED);
    }
    let errors = export.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors == 0 { Outcome::Success } else { Outcome::Problems }
}

/// What a coordinator must know about the Europass files.
const UNSEALED: &str = "note: these credentials are not sealed, so no one can rely on them yet. \
    Upload each .upload.json to the EDC Issuer (or your country's service for European Digital \
    Credentials): it seals the credential with your organisation's qualified electronic seal and adds \
    the date of issue and your eIDAS identifier. kub cannot seal: that needs a qualified certificate.";
