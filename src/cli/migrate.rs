//! `kub migrate`: move assessments to another version of their framework.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Outcome, broken_project, paths_or_current};
use crate::check::check;
use crate::diagnostic::did_you_mean;
use crate::diagnostic::render::{self, Color};
use crate::migrate::{Migration, RemovedRatings, plan};
use crate::model::{Framework, Lookup, Resolution};
use crate::project::Project;

/// `kub migrate PATH... --to ID@VERSION`.
#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// Assessment files or folders to migrate (default: the current folder).
    paths: Vec<PathBuf>,
    /// The framework version to move to, such as `park-och-natur@2.1`.
    #[arg(long, value_name = "ID@VERSION")]
    to: String,
    /// What to do with ratings of items the new version no longer has
    /// (default: migrate nothing and name them).
    #[arg(long, value_enum, value_name = "WHAT")]
    removed: Option<RemovedChoice>,
    /// Print what would change and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write nothing, and exit with 1 when a file would change (for CI).
    #[arg(long, conflicts_with = "dry_run")]
    check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RemovedChoice {
    /// Delete those ratings; a goal about such a task keeps its text.
    Drop,
    /// Keep them as written, for `kub check` to report.
    Keep,
}

pub(super) fn run(args: &MigrateArgs, color: Color) -> Outcome {
    let Some((id, version)) = args.to.split_once('@').filter(|(id, version)| !id.is_empty() && !version.is_empty())
    else {
        return Outcome::Usage(format!(
            "`--to {}` names no version: write `--to ID@VERSION`, for example `--to park-och-natur@2.1`",
            args.to
        ));
    };
    let paths = paths_or_current(&args.paths);
    if let Some(missing) = paths.iter().find(|path| !path.exists()) {
        return Outcome::Usage(format!("{} does not exist", missing.display()));
    }
    let project = match Project::discover(&paths[0]) {
        Ok(project) => project,
        Err(broken) => return broken_project(&broken, color),
    };
    let checked = check(project.workspace(&paths));
    let target = match target(&checked.resolution, id, version) {
        Ok(target) => target,
        Err(TargetProblem::Usage(message)) => return Outcome::Usage(message),
        Err(TargetProblem::Broken(file)) => {
            let errors =
                checked.diagnostics.iter().filter(|d| d.is_error() && d.location.is_some_and(|l| l.file == file));
            eprint!("{}", render::human(errors, &checked.workspace.sources, color));
            eprintln!("nothing migrated: `{id} {version}` has errors; `kub check` lists them all");
            return Outcome::Problems;
        }
    };
    let removed = match args.removed {
        None => RemovedRatings::Refuse,
        Some(RemovedChoice::Drop) => RemovedRatings::Drop,
        Some(RemovedChoice::Keep) => RemovedRatings::Keep,
    };
    let migration = plan(&checked.workspace, &checked.resolution, target, &paths, removed);
    report(&migration, args, &checked.workspace.sources, color)
}

enum TargetProblem {
    Usage(String),
    Broken(crate::source::FileId),
}

/// The framework `--to` names, or why it cannot be migrated to.
fn target<'r>(resolution: &'r Resolution, id: &str, version: &str) -> Result<&'r Framework, TargetProblem> {
    match resolution.lookup(id, version) {
        Lookup::Found(framework) => Ok(framework),
        Lookup::Broken(file) => Err(TargetProblem::Broken(file)),
        Lookup::OtherVersions(versions) => Err(TargetProblem::Usage(format!(
            "the framework `{id}` has no version {version}; versions found: {}",
            versions.join(", ")
        ))),
        Lookup::Unknown(ids) => {
            let hint = did_you_mean(id, ids.iter().map(String::as_str)).map(|h| format!("; {h}")).unwrap_or_default();
            Err(TargetProblem::Usage(format!("there is no framework `{id}`{hint}")))
        }
        Lookup::Library => Err(TargetProblem::Usage(format!(
            "`{id}` is a library; assessments follow frameworks, so they cannot be migrated to it"
        ))),
    }
}

/// Prints what changes per file and writes the files, unless told not to.
fn report(migration: &Migration, args: &MigrateArgs, sources: &crate::source::SourceMap, color: Color) -> Outcome {
    let target = &migration.target;
    if migration.is_refused() {
        eprint!("{}", render::human(&migration.diagnostics, sources, color));
        let removed_items = migration.loses_ratings();
        let advice = if removed_items {
            "; `--removed drop` or `--removed keep` says what to do with ratings of removed items"
        } else {
            ""
        };
        eprintln!("nothing migrated: no file was changed{advice}");
        return Outcome::Problems;
    }
    for file in migration.changed() {
        if let Some(change) = file.describe(target) {
            println!("{}: {change}", file.path.display());
        }
    }
    let changed = migration.changed().count();
    let unchanged = migration.files.len() - changed;
    let others = match migration.other_frameworks.len() {
        0 => String::new(),
        1 => "; 1 assessment follows another framework and was left alone".to_string(),
        n => format!("; {n} assessments follow other frameworks and were left alone"),
    };
    let already = match unchanged {
        0 => String::new(),
        n => format!(" ({n} already up to date)"),
    };
    if args.dry_run || args.check {
        eprintln!("{} to `{target}`{already}; nothing written{others}", files(changed, "would be migrated"));
        return if args.check && changed > 0 { Outcome::Problems } else { Outcome::Success };
    }
    if changed == 0 {
        match unchanged {
            0 => eprintln!("nothing to migrate: no assessment given follows `{}`{others}", target.id),
            1 => eprintln!("nothing to migrate: the assessment already follows `{target}`{others}"),
            n => eprintln!("nothing to migrate: all {n} assessments already follow `{target}`{others}"),
        }
        return Outcome::Success;
    }
    match migration.write() {
        Ok(written) => {
            eprintln!("{} to `{target}`{already}{others}", files(written, "migrated"));
            Outcome::Success
        }
        Err((path, error)) => {
            eprintln!("error: could not write {}: {error}", path.display());
            Outcome::Problems
        }
    }
}

/// "1 file migrated", "no file would be migrated".
fn files(count: usize, what: &str) -> String {
    match count {
        0 => format!("no file {what}"),
        1 => format!("1 file {what}"),
        _ => format!("{count} files {what}"),
    }
}
