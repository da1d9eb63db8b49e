//! `kub new`: write a ready-to-fill assessment or a tailoring skeleton.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{Outcome, broken_project};
use std::sync::Arc;

use crate::build::names::relative_path;
use crate::check::{Checked, check};
use crate::diagnostic::did_you_mean;
use crate::diagnostic::render::Color;
use crate::model::workspace::normalize;
use crate::model::{Framework, FrameworkKind};
use crate::project::Project;
use crate::render::output::{safe_file_stem, write_atomically};
use crate::scaffold;

#[derive(Debug, Subcommand)]
pub(crate) enum NewCommand {
    /// A new assessment listing every task, competence and milestone.
    Assessment {
        /// The framework the assessment follows (`id` or `id@version`).
        #[arg(long)]
        framework: String,
        /// The participant's name, in any script.
        #[arg(long, default_value = "")]
        participant: String,
        /// The name's Latin form, for a name in another script: the spelling
        /// of registers and ID documents, which the file is named after.
        #[arg(long)]
        latin: Option<String>,
        /// The date of the mapping (default: today), year-month-day.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Where to write (default: a file named after the participant).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// A new industry framework that includes the shared general
    /// competences and language tracks, or with `--extends` a tailoring of
    /// an existing framework for one workplace.
    Framework {
        /// The new framework's id (ASCII letters, digits, `-`).
        id: String,
        /// The framework to tailor (`id` or `id@version`); without it, a new
        /// industry framework.
        #[arg(long)]
        extends: Option<String>,
        /// The new framework's title.
        #[arg(long)]
        title: Option<String>,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

pub(super) fn run(command: NewCommand, color: Color) -> Outcome {
    let project = match Project::discover(Path::new(".")) {
        Ok(project) => project,
        Err(broken) => return broken_project(&broken, color),
    };
    let checked = check(project.workspace(&[]));
    let find = |target: &str| {
        let id = target.split_once('@').map_or(target, |(id, _)| id);
        let found = checked.resolution.find(target).cloned();
        found.filter(|f| f.kind == crate::model::FrameworkKind::Framework).ok_or_else(|| {
            let hint = did_you_mean(id, checked.resolution.ids()).map(|h| format!("; {h}")).unwrap_or_default();
            Outcome::Usage(format!("there is no framework `{target}` in {}{hint}", describe_dirs(&project)))
        })
    };
    let (text, path) = match command {
        NewCommand::Assessment { framework, participant, latin, date, output } => {
            let framework = match find(&framework) {
                Ok(framework) => framework,
                Err(unknown) => return unknown,
            };
            let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            let latin = latin.filter(|latin| !latin.trim().is_empty());
            let spelt = latin.as_deref().unwrap_or(&participant);
            let stem = if spelt.is_empty() { "assessment".to_string() } else { safe_file_stem(spelt) };
            let path = output.unwrap_or_else(|| PathBuf::from(format!("{stem}.kub")));
            (scaffold::new_assessment(&framework, &participant, latin.as_deref(), date), path)
        }
        NewCommand::Framework { id, extends, title, output } => {
            if !id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Outcome::Usage(format!(
                    "`{id}` is not an id: use ASCII letters, digits and `-`, starting with a letter"
                ));
            }
            // In the project's frameworks folder, where assessments will find it.
            let folder = project.framework_dirs.first().cloned().unwrap_or_else(|| PathBuf::from("."));
            let path = output.unwrap_or_else(|| folder.join(format!("{id}.kub")));
            let title = title.as_deref().unwrap_or(&id);
            match extends {
                Some(extends) => match find(&extends) {
                    Ok(parent) => (scaffold::new_tailoring(&parent, &id, title), path),
                    Err(unknown) => return unknown,
                },
                None => {
                    let libraries = shared_libraries(&checked, &path);
                    let libraries: Vec<(String, &Framework)> =
                        libraries.iter().map(|(include, library)| (include.clone(), library.as_ref())).collect();
                    (scaffold::new_framework(&id, title, &libraries), path)
                }
            }
        }
    };
    if path.exists() {
        eprintln!(
            "error: {} already exists; kub never overwrites a file. Choose another name with --output.",
            path.display()
        );
        return Outcome::Problems;
    }
    match write_atomically(&path, text.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            Outcome::Success
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", path.display());
            Outcome::Problems
        }
    }
}

/// The libraries of the project that define general competences or
/// language tracks, each with its `include` path as seen from `new_file`.
fn shared_libraries(checked: &Checked, new_file: &Path) -> Vec<(String, Arc<Framework>)> {
    let absolute = |path: &Path| std::path::absolute(path).map(|path| normalize(&path)).unwrap_or_default();
    let folder = absolute(new_file.parent().unwrap_or(Path::new(".")));
    let mut libraries: Vec<(String, Arc<Framework>)> = checked
        .resolution
        .frameworks()
        .into_iter()
        .filter(|library| library.kind == FrameworkKind::Library)
        .filter(|library| !library.competences.is_empty() || !library.tracks.is_empty())
        .map(|library| {
            let file = absolute(checked.workspace.path(library.location.file));
            (relative_path(&file, &folder), Arc::clone(library))
        })
        .collect();
    // General competences first, as every framework lists them.
    libraries.sort_by_key(|(path, library)| (library.competences.is_empty(), path.clone()));
    libraries
}

fn describe_dirs(project: &Project) -> String {
    if project.framework_dirs.is_empty() {
        "this project (it has no `frameworks` folder)".to_string()
    } else {
        project.framework_dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
    }
}
