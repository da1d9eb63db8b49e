//! `kub lsp`: the language server, for editors, over standard input and output.

use super::Outcome;

/// `--stdio` is accepted because editors' language clients add it; standard
/// input and output are the only transport.
#[derive(Debug, clap::Args)]
pub(crate) struct LspArgs {
    /// Talk over standard input and output (the default and only way).
    #[arg(long)]
    stdio: bool,
}

pub(super) fn run(args: &LspArgs) -> Outcome {
    let _ = args.stdio;
    match crate::lsp::run_stdio() {
        Ok(true) => Outcome::Success,
        // The editor left without asking the server to shut down first.
        Ok(false) => Outcome::Problems,
        Err(message) => Outcome::Usage(message),
    }
}
