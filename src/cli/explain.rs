//! `kub explain`: what a diagnostic code means and how to fix it.

use super::Outcome;
use crate::diagnostic::{Code, did_you_mean};

pub(super) fn run(code: Option<&str>) -> Outcome {
    let Some(code) = code else {
        for code in Code::ALL {
            println!("{}  {:<32} {}", code.as_str(), code.name(), first_sentence(code.explanation()));
        }
        return Outcome::Success;
    };
    match Code::parse(code) {
        Some(code) => {
            println!("{} {} ({:?} by default)\n", code.as_str(), code.name(), code.default_severity());
            println!("{}\n", code.explanation());
            println!("Fix: {}", code.fix());
            Outcome::Success
        }
        None => {
            let names = Code::ALL.iter().map(|code| code.name());
            let hint = did_you_mean(code, names).map(|hint| format!("; {hint}")).unwrap_or_default();
            Outcome::Usage(format!("`{code}` is not a kub diagnostic code{hint} (`kub explain` lists them all)"))
        }
    }
}

fn first_sentence(text: &str) -> &str {
    text.split_inclusive(". ").next().unwrap_or(text).trim_end()
}
