//! The command line: parses arguments, calls the library, prints, and picks
//! the exit code (0 fine, 1 errors found in a file, kub.toml included, 2 the
//! command itself was wrong, 130 a build stopped by Ctrl-C or SIGTERM).

#[macro_use]
mod output;

mod build;
mod check;
mod diff;
mod explain;
mod export;
mod fmt;
mod issue;
mod key;
mod lsp;
mod merge;
mod migrate;
mod new;
mod show;
mod test;
mod verify;
mod verify_credential;
mod verify_qr;
mod watch;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::render::{self, Color};
use crate::project::BrokenProject;

/// The command line's arguments: global options and one subcommand.
#[derive(Debug, Parser)]
#[command(
    name = "kub",
    version,
    about = "Frameworks, assessments and learning certificates for validating what people learn at work.",
    // Without this, clap would show the doc comment above as `--help`'s long description.
    long_about = None
)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagnosticFormat {
    /// With source lines and carets.
    Human,
    /// One line per diagnostic.
    Short,
    /// A JSON array, for editors and scripts.
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check frameworks and assessments and report every problem.
    Check {
        /// Files or folders to check (default: the current folder).
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
    },
    /// Build certificates, progression reports, checklists and cohort summaries.
    Build(build::BuildArgs),
    /// Rebuild documents the moment a file is saved.
    Watch(build::BuildArgs),
    /// Show a resolved framework (by id) or an assessment's progression (by path).
    Show {
        /// A framework id (optionally `id@version`) or an assessment file.
        target: String,
        /// Extra files or folders to look for frameworks in.
        #[arg(long = "in", value_name = "PATH")]
        search: Vec<PathBuf>,
        /// How to show it (default: tree for a framework; an assessment is always JSON).
        #[arg(long, value_enum)]
        format: Option<show::ShowFormat>,
        /// The language to show texts in (default: the framework's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Write a ready-to-fill assessment, or a tailoring of a framework.
    #[command(subcommand)]
    New(new::NewCommand),
    /// Compare two versions of a framework, and what the change does to assessments.
    Diff(diff::DiffArgs),
    /// Move assessments to another version of their framework, renamed ids and all.
    Migrate(migrate::MigrateArgs),
    /// Lay files out in the canonical layout, or check that they are.
    Fmt(fmt::FmtArgs),
    /// Merge two versions of a file for git (`merge=kub` in .gitattributes).
    Merge(merge::MergeArgs),
    /// Issue the certificates of signed participants and record them in `issued/`.
    Issue(issue::IssueArgs),
    /// Check a certificate (PDF or JSON) against its code and the register, or its QR code.
    Verify(verify::VerifyArgs),
    /// Make keys for signing credentials.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Compare every document with its approved snapshot, and review or accept the changes.
    Test(test::TestArgs),
    /// Export frameworks as CASE packages, or issued certificates as Europass credentials for sealing.
    Export(export::ExportArgs),
    /// Serve the language server protocol over standard input and output, for editors.
    Lsp(lsp::LspArgs),
    /// Explain a diagnostic code, such as K0201.
    Explain {
        /// The code or its name (`K0201` or `duplicate-id`); all codes if left out.
        code: Option<String>,
    },
}

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => Color::Always,
        ColorChoice::Never => Color::Never,
        ColorChoice::Auto if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() => Color::Always,
        ColorChoice::Auto => Color::Never,
    };
    let outcome = match cli.command {
        Command::Check { paths, format } => check::run(&paths, format, color),
        Command::Show { target, search, format, lang } => show::run(&target, &search, format, lang.as_deref(), color),
        Command::Build(args) => build::run(&args, color),
        Command::Watch(args) => watch::run(&args, color),
        Command::New(command) => new::run(command, color),
        Command::Migrate(args) => migrate::run(&args, color),
        Command::Explain { code } => explain::run(code.as_deref()),
        Command::Fmt(args) => fmt::run(&args, color),
        Command::Merge(args) => merge::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Diff(args) => diff::run(&args, stdout_color(cli.color)),
        Command::Issue(args) => issue::run(&args, color),
        Command::Verify(args) => verify::run(&args, color),
        Command::Key(command) => key::run(command, color),
        Command::Test(args) => test::run(&args, color, stdout_color(cli.color)),
        Command::Export(args) => export::run(&args, color),
    };
    match outcome {
        Outcome::Success => ExitCode::SUCCESS,
        Outcome::Problems => ExitCode::from(1),
        Outcome::Interrupted => ExitCode::from(INTERRUPTED),
        Outcome::Usage(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Whether output on standard output is coloured: as `--color` says, and
/// when left to kub, only on a terminal.
fn stdout_color(choice: ColorChoice) -> Color {
    let terminal = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match choice {
        ColorChoice::Always => Color::Always,
        ColorChoice::Auto if terminal => Color::Always,
        ColorChoice::Auto | ColorChoice::Never => Color::Never,
    }
}

/// How a command ended.
pub(crate) enum Outcome {
    Success,
    /// The input has errors; they have been printed.
    Problems,
    /// The command was used wrongly.
    Usage(String),
    /// Ctrl-C or SIGTERM stopped the command before it was done.
    Interrupted,
}

/// The exit status of a build that was stopped: 128 plus SIGINT's number,
/// as shells report Ctrl-C. SIGTERM gives the same, since the handler that
/// catches both cannot tell them apart.
const INTERRUPTED: u8 = 130;

/// A broken kub.toml, shown as any problem in a file is: at its line with
/// a caret, and with exit status 1.
pub(crate) fn broken_project(broken: &BrokenProject, color: Color) -> Outcome {
    eprint!("{}", render::human([&broken.diagnostic], &broken.sources, color));
    Outcome::Problems
}

/// The paths to work on: those given, or the current folder.
pub(crate) fn paths_or_current(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() }
}
