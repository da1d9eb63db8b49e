//! `kub merge BASE OURS THEIRS`: git's merge driver for `.kub` files.

use std::path::PathBuf;

use super::Outcome;
use crate::format::merge_versions;
use crate::render::output::write_atomically;

/// The arguments of `kub merge`, in the order git's `%O %A %B` gives them.
#[derive(Debug, clap::Args)]
pub(crate) struct MergeArgs {
    /// The common ancestor of the two versions.
    base: PathBuf,
    /// Our version; the merged result is written here.
    ours: PathBuf,
    /// Their version.
    theirs: PathBuf,
}

pub(super) fn run(args: &MergeArgs) -> Outcome {
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|error| format!("could not read {}: {error}", path.display()))
    };
    let texts = read(&args.base).and_then(|base| Ok((base, read(&args.ours)?, read(&args.theirs)?)));
    let (base, ours, theirs) = match texts {
        Ok(texts) => texts,
        Err(message) => return Outcome::Usage(message),
    };
    let merged = match merge_versions(&base, &ours, &theirs) {
        Ok(merged) => merged,
        Err(error) => {
            eprintln!("error: could not merge with `git merge-file`: {error}");
            return Outcome::Problems;
        }
    };
    if let Err(error) = write_atomically(&args.ours, merged.text.as_bytes()) {
        eprintln!("error: could not write {}: {error}", args.ours.display());
        return Outcome::Problems;
    }
    if merged.conflicts == 0 {
        return Outcome::Success;
    }
    let places = if merged.conflicts == 1 { "place conflicts" } else { "places conflict" };
    eprintln!("{} {places}: keep what belongs and delete the markers, then run `kub fmt`", merged.conflicts);
    Outcome::Problems
}
