//! Parses one generated framework once, for counting instructions with
//! callgrind, which gives the same figure however busy the machine is:
//!
//! ```text
//! cargo build --release --example parse-profile
//! valgrind --tool=callgrind target/release/examples/parse-profile 5000
//! ```
//!
//! The argument is the number of tasks (5,000 unless given); `check` as a
//! second argument also resolves and checks the framework, `format` lays it
//! out as `kub fmt` does (from an untidy copy), and `diff` compares it with
//! a revised version as `kub diff` does, reading both files; `files` writes
//! `old.kub`, `new.kub` and `untidy.kub` into the current folder, to count
//! the `kub` binary's `diff` and `fmt` on them. With
//! `assessments` as the second argument, the first is a number of generated
//! assessments of the bundled park-och-natur, checked on one thread as
//! `cargo bench --bench pipeline -- assessments` checks them.

#[path = "support/generated.rs"]
#[allow(dead_code)]
mod generated;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let tasks = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_000);
    let mode = args.next();
    if mode.as_deref() == Some("assessments") {
        check_assessments(tasks);
    } else if mode.as_deref() == Some("format") {
        let text =
            generated::Generated { untidy: true, ..generated::Generated::default() }.framework("profiled", tasks);
        kub::format::format(kub::source::FileId::default(), &text).expect("the generated framework formats");
    } else if mode.as_deref() == Some("files") {
        let write = |name: &str, generated: generated::Generated| {
            std::fs::write(name, generated.framework("profiled", tasks)).expect("written");
        };
        write("old.kub", generated::Generated::default());
        write("new.kub", generated::Generated { revised: true, ..generated::Generated::default() });
        write("untidy.kub", generated::Generated { untidy: true, ..generated::Generated::default() });
    } else if mode.as_deref() == Some("diff") {
        compare_versions(tasks);
    } else if mode.as_deref() == Some("check") {
        let text = generated::Generated::default().framework("profiled", tasks);
        let mut workspace = kub::model::Workspace::with_threads(1);
        workspace.add_source("profiled.kub", text);
        let checked = kub::check::check(workspace);
        assert!(!checked.diagnostics.has_errors(), "the generated framework checks clean");
    } else {
        let text = generated::Generated::default().framework("profiled", tasks);
        let parsed = kub::syntax::parse(kub::source::FileId::default(), &text);
        assert!(parsed.document.is_some(), "the generated framework parses");
    }
}

fn compare_versions(tasks: usize) {
    use kub::diff::side::{self, Origin};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let old = generated::Generated::default().framework("profiled", tasks);
    let new = generated::Generated { revised: true, ..generated::Generated::default() }.framework("profiled", tasks);
    std::fs::write(dir.path().join("old.kub"), old).expect("written");
    std::fs::write(dir.path().join("new.kub"), new).expect("written");
    std::env::set_current_dir(dir.path()).expect("the temporary folder can be entered");
    let project = kub::project::Project::discover(std::path::Path::new(".")).expect("no kub.toml");
    let (old, new) = side::load_both(&Origin::File("old.kub".into()), &Origin::File("new.kub".into()), &project);
    let (old, new) = (old.expect("the old version resolves"), new.expect("the new version resolves"));
    let comparison = kub::diff::compare(&old.framework, &new.framework);
    let words = kub::diff::human::text(&comparison, None, kub::diagnostic::render::Color::Never);
    assert!(!words.is_empty(), "the versions differ");
}

fn check_assessments(count: usize) {
    let frameworks = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks");
    let mut workspace = kub::model::Workspace::with_threads(1);
    workspace.load(&frameworks);
    let checked = kub::check::check(workspace.clone());
    let framework = checked.resolution.find_by_id("park-och-natur").expect("the bundled framework");
    let files = (0..count)
        .map(|seed| {
            let (_, text) = kub::scaffold::sample_assessment(framework, seed as u64);
            (std::path::PathBuf::from(format!("participant-{seed:05}.kub")), text)
        })
        .collect();
    workspace.add_sources(files);
    let checked = kub::check::check(workspace);
    let first_error = checked.diagnostics.iter().find(|diagnostic| diagnostic.is_error());
    assert!(first_error.is_none(), "generated assessments check clean: {first_error:?}");
}
