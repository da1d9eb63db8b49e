//! `kub key new`: an issuer's Ed25519 key pair, and the kub.toml lines
//! that name it. The private key is written to its file and never printed.

use std::path::PathBuf;

use clap::Subcommand;

use super::Outcome;
use crate::credential::keyfile::{default_key_path, write_new_key};
use crate::diagnostic::render::{self, Color};
use crate::project::Project;
use crate::source::SourceMap;

/// What `kub key` does.
#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Make a new Ed25519 key pair for signing credentials; prints the public key and the kub.toml lines.
    New {
        /// Where to write the private key (default: issuer-key.pem in kub's configuration folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace an existing file, and write inside a git repository.
        #[arg(long)]
        force: bool,
    },
}

pub(super) fn run(command: KeyCommand, color: Color) -> Outcome {
    let KeyCommand::New { out, force } = command;
    let Some(path) = out.or_else(default_key_path) else {
        return Outcome::Usage("kub cannot tell where your home folder is; give the key file's path with --out".into());
    };
    // A broken kub.toml only means that there is no output folder to keep the key out of.
    let project = Project::discover(&std::env::current_dir().unwrap_or_default()).ok();
    let output = project.as_ref().map(|project| project.output.clone());
    let key = match write_new_key(&path, force, output.as_deref()) {
        Ok(key) => key,
        Err(problem) => {
            eprint!("{}", render::human([&problem], &SourceMap::new(), color));
            return Outcome::Problems;
        }
    };
    let shown = std::path::absolute(&key.path).unwrap_or(key.path.clone());
    let organisation = project.and_then(|project| project.organisation).unwrap_or_else(|| "YOUR ORGANISATION".into());
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    println!("wrote the private key to {} (readable by you alone)", shown.display());
    println!("keep it secret and keep a backup: whoever holds it can sign credentials in your name");
    println!();
    println!("public key: {}", key.did);
    println!();
    println!("add to kub.toml:");
    println!();
    println!("[issuer]");
    println!("name = {}", quoted(&organisation));
    println!("# url = \"https://…\"  # your organisation's web address, if it has one");
    println!("key = {}", quoted(&key.did));
    println!("private-key = {}", quoted(&shown.to_string_lossy()));
    Outcome::Success
}
