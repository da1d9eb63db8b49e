//! `kub build`: every document for the given files, in parallel, with a
//! progress bar and a summary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Outcome, broken_project, paths_or_current};
use crate::build::{Branding, Builder, DocumentKind, Format, IndexWritten, Plan, Settings, plan};
use crate::check::check;
use crate::credential::Issuer;
use crate::diagnostic::Diagnostics;
use crate::diagnostic::render::{self, Color};
use crate::model::Lang;
use crate::project::{BrokenProject, Project};
use crate::register::{Kept, Register, Restored, keep_issued, restore};
use crate::render::output::remove_stale_temporaries;
use crate::report::issued_key;
use crate::source::SourceMap;

/// The options `build` and `watch` share.
#[derive(Debug, Clone, Args)]
pub(crate) struct BuildArgs {
    /// Files or folders with assessments and frameworks (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// The output folder (default: `output` in kub.toml, else `out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write every document in this language (sv, da, en or nb) instead of each participant's choice.
    #[arg(long)]
    pub lang: Option<String>,
    /// Only these kinds of document.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<DocumentKind>,
    /// Only these formats.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<Format>,
    /// A folder of templates that override the bundled ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Worker threads, at least 1 (default: one per core).
    #[arg(long, value_parser = at_least_one_thread)]
    pub threads: Option<usize>,
}

impl BuildArgs {
    /// The settings these options and kub.toml give together.
    pub(crate) fn settings(&self) -> Result<Settings, SettingsError> {
        let paths = paths_or_current(&self.paths);
        if let Some(missing) = paths.iter().find(|path| !path.exists()) {
            return Err(SettingsError::Usage(format!("{} does not exist", missing.display())));
        }
        let project = Project::discover(&paths[0]).map_err(SettingsError::Project)?;
        let lang = document_language(self.lang.as_deref()).map_err(SettingsError::Usage)?;
        let templates = self.templates.clone().or_else(|| project.templates.clone());
        if let Some(dir) = templates.as_ref().filter(|dir| !dir.is_dir()) {
            return Err(SettingsError::Usage(format!("the template folder {} does not exist", dir.display())));
        }
        let kinds = if self.only.is_empty() {
            DocumentKind::ALL.into_iter().collect()
        } else {
            self.only.iter().copied().collect()
        };
        let formats = if self.format.is_empty() {
            [Format::Pdf, Format::Html, Format::Json].into_iter().collect()
        } else {
            self.format.iter().copied().collect()
        };
        let threads = self.threads.unwrap_or_else(crate::parallel::default_threads);
        let issuer = project.issuer.as_ref().map(Issuer::load).transpose().map_err(|diagnostic| {
            SettingsError::Project(Box::new(BrokenProject { diagnostic, sources: SourceMap::new() }))
        })?;
        Ok(Settings {
            out: self.out.clone().unwrap_or_else(|| project.output.clone()),
            branding: Branding {
                organisation: project.organisation.clone(),
                logo: project.logo.clone(),
                issuer: issuer.map(Arc::new),
                verify_url: project.verify_url.clone(),
            },
            paths,
            lang,
            default_lang: project.language,
            kinds,
            formats,
            templates,
            threads,
            project,
        })
    }
}

/// Why `build` or `watch` cannot start.
#[derive(Debug)]
pub(crate) enum SettingsError {
    /// The options ask for what cannot be, such as a path that does not
    /// exist: the command was wrong.
    Usage(String),
    /// kub.toml is broken: a problem in a file, shown like any other.
    Project(Box<BrokenProject>),
}

impl SettingsError {
    /// Prints the problem as its kind is printed and says how kub ends.
    pub(crate) fn report(self, color: Color) -> Outcome {
        match self {
            SettingsError::Usage(message) => Outcome::Usage(message),
            SettingsError::Project(broken) => broken_project(&broken, color),
        }
    }
}

/// `--threads`: a count of worker threads, of which there must be one.
fn at_least_one_thread(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("kub needs at least 1 worker thread; leave --threads out for one per core".to_string()),
        Ok(threads) => Ok(threads),
        Err(_) => Err("expected a whole number of worker threads, such as 4".to_string()),
    }
}

/// `--lang`: a language documents can be written in.
fn document_language(code: Option<&str>) -> Result<Option<Lang>, String> {
    match code {
        None => Ok(None),
        Some(code) => match Lang::parse(code) {
            Some(lang) if lang.is_document_language() => Ok(Some(lang)),
            _ => Err(format!(
                "documents are written in {}, not `{code}`",
                crate::model::text::document_languages_listed()
            )),
        },
    }
}

pub(super) fn run(args: &BuildArgs, color: Color) -> Outcome {
    let settings = match args.settings() {
        Ok(settings) => settings,
        Err(error) => return error.report(color),
    };
    // Ctrl-C and SIGTERM let the documents being made finish, so that no
    // file is left half written and no temporary is left behind.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    if let Err(error) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        eprintln!("warning: Ctrl-C will not stop kub cleanly: {error}");
    }
    let started = Instant::now();
    let checked = check(settings.project.workspace(&settings.paths));
    let mut names = settings.output_names();
    let register = Register::of_project(&settings.project.root);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(checked.diagnostics.iter().cloned());
    diagnostics.extend(names.problem().cloned());
    diagnostics.extend(register.check(&checked, settings.branding.organisation.as_deref()));
    diagnostics.sort();
    eprint!("{}", render::human(&diagnostics, &checked.workspace.sources, color));

    let builder = match Builder::new(settings.templates.as_deref(), &settings.branding) {
        Ok(builder) => builder,
        Err(problems) => {
            eprint!("{}", render::human(&problems, &checked.workspace.sources, color));
            return Outcome::Problems;
        }
    };
    sweep_temporaries(&settings.out);
    let mut plan = plan(&checked, &settings.kinds, &settings.languages(), &mut names, None);
    if let Err(problem) = names.save() {
        eprint!("{}", render::human([&problem], &checked.workspace.sources, color));
        return Outcome::Problems;
    }
    let kept = keep_issued(&mut plan, &register, &builder, &checked, &settings.project.root);
    plan.mark_issued(
        kept.iter().filter_map(|k| builder.issued_progression(&k.document)).map(|p| issued_key(&p)).collect(),
    );
    let bar = progress_bar(plan.documents.len() as u64);
    let report = builder.run(&plan, &settings.formats, &settings.out, settings.threads, &stop, &|_| bar.inc(1));
    bar.finish_and_clear();
    let restored = keep_as_issued(&kept, &register, &builder, &settings, &checked.workspace.sources, color);
    if !report.interrupted && report.stopped.is_none() {
        write_index_page(&builder, &plan, &kept, &settings);
    }

    for (stem, problems) in &report.failed {
        eprintln!("failed: {}", stem.display());
        eprint!("{}", render::human(problems, &checked.workspace.sources, color));
    }
    if let Some(problem) = &report.stopped {
        eprint!("{}", render::human([problem], &checked.workspace.sources, color));
    }
    for skipped in &plan.skipped {
        eprintln!("skipped {}: {}", skipped.what, skipped.why);
    }
    let errors =
        diagnostics.error_count() + report.error_count() + restored.problems.iter().filter(|p| p.is_error()).count();
    let warnings = diagnostics.warning_count() + report.warning_count();
    let mut summary = format!(
        "built {} of {} documents into {} in {:.1} s ({} files written, {} unchanged",
        report.built.len() + kept.len(),
        report.documents + kept.len(),
        settings.out.display(),
        started.elapsed().as_secs_f64(),
        report.written.len() + restored.written.len(),
        report.unchanged + restored.unchanged,
    );
    if !report.failed.is_empty() {
        summary.push_str(&format!(", {} failed", report.failed.len()));
    }
    if report.untried() > 0 {
        summary.push_str(&format!(", {} not tried", report.untried()));
    }
    eprintln!("{summary}); {}", render::summary(errors, warnings));
    if report.interrupted {
        eprintln!("interrupted: every file written is whole; build again to make the rest");
        Outcome::Interrupted
    } else if errors == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    }
}

/// Writes the issued certificates as issued, and says so and what today's
/// files would change on them.
fn keep_as_issued(
    kept: &[Kept],
    register: &Register,
    builder: &Builder,
    settings: &Settings,
    sources: &SourceMap,
    color: Color,
) -> Restored {
    let restored = restore(kept, register, builder, &settings.out, &settings.formats);
    eprint!("{}", render::human(&restored.problems, sources, color));
    if !kept.is_empty() {
        let plural = if kept.len() == 1 { "" } else { "s" };
        eprintln!("kept {} issued certificate{plural} as issued (register {})", kept.len(), register.dir.display());
    }
    restored
}

/// Writes `index.html` into the output folder: every document of the
/// build, the issued certificates among them. A page kub did not make is
/// left alone, with a word about it.
fn write_index_page(builder: &Builder, plan: &Plan, kept: &[Kept], settings: &Settings) {
    let documents: Vec<_> = plan.documents.iter().chain(kept.iter().map(|k| &k.document)).collect();
    let issued = kept.iter().map(|k| k.document.stem.clone()).collect();
    let written = builder.write_index_page(&documents, &issued, settings);
    match written {
        Ok(IndexWritten::NotOurs) => eprintln!(
            "warning: {} was not made by kub, so it was left as it is; the index page was not written",
            settings.out.join(crate::build::INDEX_FILE).display()
        ),
        Ok(_) => {}
        Err(problem) => eprintln!("warning: the index page was not written: {problem}"),
    }
}

/// Removes the temporaries a killed kub left in the output folder, and
/// says so when there were any.
pub(super) fn sweep_temporaries(out: &Path) {
    let swept = remove_stale_temporaries(out);
    if swept > 0 {
        let plural = if swept == 1 { "" } else { "s" };
        eprintln!("removed {swept} temporary file{plural} left in {} by a kub that was stopped", out.display());
    }
}

fn progress_bar(length: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length);
    bar.set_style(
        ProgressStyle::with_template("{spinner} building {pos}/{len} documents {wide_bar} {eta}")
            .expect("a valid template"),
    );
    bar
}
