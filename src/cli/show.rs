//! `kub show`: a resolved framework as a tree or JSON, or an assessment's
//! progression as JSON.

use std::path::PathBuf;

use clap::ValueEnum;

use super::{Outcome, broken_project};
use crate::check::check;
use crate::diagnostic::did_you_mean;
use crate::diagnostic::render::{self, Color};
use crate::model::Lang;
use crate::project::Project;
use crate::report::framework_outline;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShowFormat {
    /// An indented outline for people.
    Tree,
    /// The resolved model as JSON.
    Json,
}

/// Shows a framework by id (a tree unless `format` says JSON) or an
/// assessment by path (always its progression as JSON).
pub(super) fn run(
    target: &str,
    search: &[PathBuf],
    format: Option<ShowFormat>,
    lang: Option<&str>,
    color: Color,
) -> Outcome {
    let target_path = std::path::Path::new(target);
    let is_file = target_path.extension().is_some_and(|ext| ext == crate::syntax::EXTENSION);
    if is_file && format == Some(ShowFormat::Tree) {
        // An assessment's outline would be its own text; what kub adds is
        // the progression model, which is data.
        return Outcome::Usage(format!(
            "an assessment is shown as JSON, the progression model its documents are made from; \
             leave out --format tree: `kub show {target}`"
        ));
    }
    let project = match Project::discover(std::path::Path::new(".")) {
        Ok(project) => project,
        Err(broken) => return broken_project(&broken, color),
    };
    if is_file {
        return show_assessment(&project, target_path, search, lang, color);
    }
    let checked = check(project.workspace(search));
    let id = target.split_once('@').map_or(target, |(id, _)| id);
    let framework = checked.resolution.find(target);
    let Some(framework) = framework else {
        if checked.resolution.ids().contains(&id) {
            eprint!(
                "{}",
                render::human(checked.diagnostics.iter().filter(|d| d.is_error()), &checked.workspace.sources, color)
            );
            eprintln!("`{target}` cannot be shown until these errors are fixed");
            return Outcome::Problems;
        }
        let hint = did_you_mean(id, checked.resolution.ids()).map(|h| format!("; {h}")).unwrap_or_default();
        return Outcome::Usage(format!("there is no framework `{target}`{hint}"));
    };
    let file = checked.resolution.file_of(framework);
    let own: Vec<_> =
        checked.diagnostics.iter().filter(|d| d.is_error() && d.location.is_some_and(|l| l.file == file)).collect();
    if checked.resolution.is_broken(file) {
        eprint!("{}", render::human(own, &checked.workspace.sources, color));
        eprintln!("`{target}` has errors; `kub check` lists them all");
        return Outcome::Problems;
    }
    match format.unwrap_or(ShowFormat::Tree) {
        ShowFormat::Json => println!("{}", serde_json::to_string_pretty(&**framework).expect("the model serialises")),
        ShowFormat::Tree => {
            let lang = match lang {
                None => framework.default_language(),
                Some(code) => match Lang::parse(code) {
                    Some(lang) => lang,
                    None => {
                        return Outcome::Usage(format!("`{code}` is not a language code kub knows"));
                    }
                },
            };
            print!("{}", framework_outline(framework, lang));
        }
    }
    Outcome::Success
}

/// `kub show FILE.kub` for an assessment: its progression as JSON.
fn show_assessment(
    project: &Project,
    path: &std::path::Path,
    search: &[PathBuf],
    lang: Option<&str>,
    color: Color,
) -> Outcome {
    if !path.is_file() {
        return Outcome::Usage(format!("{} does not exist", path.display()));
    }
    let mut paths = search.to_vec();
    paths.push(path.to_path_buf());
    let checked = check(project.workspace(&paths));
    let file = checked.workspace.file_id(path);
    let Some(entry) = checked.assessments.iter().find(|a| Some(a.file) == file) else {
        eprint!(
            "{}",
            render::human(checked.diagnostics.iter().filter(|d| d.is_error()), &checked.workspace.sources, color)
        );
        return match file.and_then(|f| checked.workspace.parsed(f)).and_then(|p| p.document.as_ref()) {
            Some(crate::syntax::ast::Document::Framework(doc)) => Outcome::Usage(format!(
                "{} is a framework; show it by its id: `kub show {}`",
                path.display(),
                doc.id.text
            )),
            _ => Outcome::Problems,
        };
    };
    if entry.has_errors {
        let errors =
            checked.diagnostics.iter().filter(|d| d.is_error() && d.location.is_some_and(|l| Some(l.file) == file));
        eprint!("{}", render::human(errors, &checked.workspace.sources, color));
        return Outcome::Problems;
    }
    let framework =
        crate::check::framework_for(&entry.assessment, &checked.resolution).expect("checked without errors");
    let preferred = match lang.map(|code| (code, Lang::parse(code))) {
        Some((_, Some(lang))) => Some(lang),
        Some((code, None)) => {
            return Outcome::Usage(format!("`{code}` is not a language code kub knows"));
        }
        None => None,
    };
    // The language a build would choose, kub.toml's default included.
    let languages = crate::build::Languages { forced: preferred, default: project.language };
    let lang = languages.for_participant(&entry.assessment, framework);
    // As the build issues it, with kub.toml's organisation as the issuer.
    let progression = crate::report::unsealed_progression(&entry.assessment, framework, lang)
        .into_issued(project.organisation.as_deref());
    println!("{}", serde_json::to_string_pretty(&progression).expect("the progression serialises"));
    Outcome::Success
}
