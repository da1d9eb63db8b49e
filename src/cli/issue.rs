//! `kub issue`: issue the certificates of signed participants and record
//! them in the project's register (`issued/`).

use std::path::PathBuf;

use clap::Args;

use super::build::BuildArgs;
use super::{Outcome, paths_or_current};
use crate::build::{Builder, DocumentKind, Format, plan};
use crate::check::check;
use crate::diagnostic::render::{self, Color};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::register::{IssueOutcome, Issuing, Register, issue};

/// The options of `kub issue`.
#[derive(Debug, Clone, Args)]
pub(crate) struct IssueArgs {
    /// Assessments, or folders of them, whose signed participants get their certificates.
    pub paths: Vec<PathBuf>,
    /// Issue again the certificates that changed since they were issued.
    #[arg(long, requires = "reason")]
    pub reissue: bool,
    /// Why they are issued again; recorded in the register.
    #[arg(long, requires = "reissue", value_name = "TEXT")]
    pub reason: Option<String>,
    /// The output folder (default: `output` in kub.toml, else `out`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write every certificate in this language (sv, da, en or nb) instead of each participant's choice.
    #[arg(long)]
    pub lang: Option<String>,
    /// A folder of templates that override the bundled ones.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

pub(super) fn run(args: &IssueArgs, color: Color) -> Outcome {
    if args.reason.as_deref().is_some_and(|reason| reason.trim().is_empty()) {
        return Outcome::Usage("--reason needs words: say why the certificates are issued again".to_string());
    }
    let build = BuildArgs {
        paths: paths_or_current(&args.paths),
        out: args.out.clone(),
        lang: args.lang.clone(),
        only: vec![DocumentKind::Certificate],
        format: vec![Format::Pdf, Format::Html, Format::Json],
        templates: args.templates.clone(),
        threads: Some(1),
    };
    let settings = match build.settings() {
        Ok(settings) => settings,
        Err(error) => return error.report(color),
    };
    let checked = check(settings.project.workspace(&settings.paths));
    let mut register = Register::of_project(&settings.project.root);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(checked.diagnostics.iter().cloned());
    diagnostics.extend(register.problems.iter().cloned());
    diagnostics.sort();
    let sources = &checked.workspace.sources;
    eprint!("{}", render::human(&diagnostics, sources, color));
    if !register.problems.is_empty() {
        eprintln!("nothing issued: the register must be whole before certificates are added to it");
        return Outcome::Problems;
    }
    let builder = match Builder::new(settings.templates.as_deref(), &settings.branding) {
        Ok(builder) => builder,
        Err(problems) => {
            eprint!("{}", render::human(&problems, sources, color));
            return Outcome::Problems;
        }
    };
    let mut names = settings.output_names();
    let plan = plan(&checked, &settings.kinds, &settings.languages(), &mut names, None);
    if let Err(problem) = names.save() {
        eprint!("{}", render::human([&problem], sources, color));
        return Outcome::Problems;
    }
    let issuing = Issuing {
        checked: &checked,
        builder: &builder,
        project_root: &settings.project.root,
        out: &settings.out,
        templates: settings.templates.as_deref(),
        today: chrono::Local::now().date_naive(),
        reissue: args.reason.as_deref(),
    };
    let (issued, unchanged, problems) = told(issue(&issuing, &plan, &mut register));
    eprint!("{}", render::human(&problems, sources, color));
    for skipped in &plan.skipped {
        eprintln!("not issued {}: {}", skipped.what, skipped.why);
    }
    let errors = diagnostics.error_count() + problems.iter().filter(|p| p.is_error()).count();
    eprintln!(
        "{issued} certificate{} issued, {unchanged} already issued and unchanged, {} refused; register {}",
        if issued == 1 { "" } else { "s" },
        problems.len(),
        register.dir.display()
    );
    if errors == 0 { Outcome::Success } else { Outcome::Problems }
}

/// Says what became of each certificate, and counts those issued and
/// those unchanged; gives the problems found.
fn told(outcomes: Vec<IssueOutcome>) -> (usize, usize, Vec<Diagnostic>) {
    let (mut issued, mut unchanged, mut problems) = (0, 0, Vec::new());
    for outcome in outcomes {
        match outcome {
            IssueOutcome::Issued { name, number: 1, code } => {
                issued += 1;
                eprintln!("issued {name} ({code})");
            }
            IssueOutcome::Issued { name, number, code } => {
                issued += 1;
                eprintln!("issued {name} again, issue {number} ({code})");
            }
            IssueOutcome::Unchanged { name, code } => {
                unchanged += 1;
                eprintln!("already issued, unchanged: {name} ({code})");
            }
            IssueOutcome::Problem(found) => problems.extend(found),
        }
    }
    (issued, unchanged, problems)
}
