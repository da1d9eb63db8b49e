//! Parses one generated framework once, for counting instructions with
//! callgrind, which gives the same figure however busy the machine is:
//!
//! ```text
//! cargo build --release --example parse-profile
//! valgrind --tool=callgrind target/release/examples/parse-profile 5000
//! ```
//!
//! The argument is the number of tasks (5,000 unless given); `check` as a
//! second argument also resolves and checks the framework.

#[path = "support/generated.rs"]
#[allow(dead_code)]
mod generated;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let tasks = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_000);
    let text = generated::Generated::default().framework("profiled", tasks);
    if args.next().as_deref() == Some("check") {
        let mut workspace = kub::model::Workspace::with_threads(1);
        workspace.add_source("profiled.kub", text);
        let checked = kub::check::check(workspace);
        assert!(!checked.diagnostics.has_errors(), "the generated framework checks clean");
    } else {
        let parsed = kub::syntax::parse(kub::source::FileId::default(), &text);
        assert!(parsed.document.is_some(), "the generated framework parses");
    }
}
