//! The pest parser generated from `grammar/kub.pest`.

use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/kub.pest"]
pub(super) struct KubParser;
