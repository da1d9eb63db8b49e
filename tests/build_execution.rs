//! How a `kub build` ends: summaries that agree with the exit code, one
//! message and an early stop when the output folder takes no files, no
//! temporaries left behind, Ctrl-C and SIGTERM, and Typst mistakes in a
//! user's template reported at the template's line.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::support::{Run, copy_dir, kub, repo_root};

const AMAL: &str = "examples/slottsskogen/amal-hassan.kub";

/// Builds the certificate of one participant with the templates in
/// `templates` (a file name and its text each) into a new folder.
fn build_with_templates(templates: &[(&str, &str)]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in templates {
        let path = dir.path().join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let templates = dir.path().join("templates");
    let out = dir.path().join("out");
    let run = kub(&[
        "build",
        AMAL,
        "--out",
        out.to_str().unwrap(),
        "--only",
        "certificate",
        "--format",
        "pdf",
        "--templates",
        templates.to_str().unwrap(),
    ]);
    (dir, run)
}

/// The closing line of `kub build`.
fn summary(run: &Run) -> &str {
    run.stderr.lines().rfind(|line| line.starts_with("built ")).unwrap_or_else(|| panic!("no summary:\n{}", run.stderr))
}

/// The files below `dir`, temporaries included, without kub's record of
/// who owns which output name (`.kub/owners.json`), which is no document.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_name() == ".kub" {
            continue;
        }
        if entry.path().is_dir() {
            found.extend(files_below(&entry.path()));
        } else {
            found.push(entry.path());
        }
    }
    found.sort();
    found
}

fn is_temporary(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().starts_with(".kub-"))
}

/// A PDF as a reader sees it: complete from its header to its end marker.
fn is_whole_pdf(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(32)..]).into_owned();
    bytes.starts_with(b"%PDF-") && tail.trim_end().ends_with("%%EOF")
}

// ------------------------------------------------------------ summaries

#[test]
fn a_failed_document_is_counted_as_an_error_in_the_summary() {
    let (_dir, run) = build_with_templates(&[(
        "certificate.typ",
        "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}Utfärdat av #kommun.{% endblock %}\n",
    )]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let summary = summary(&run);
    assert!(summary.starts_with("built 0 of 1 documents"), "{summary}");
    assert!(summary.contains("1 failed") && summary.ends_with("; 1 error, 0 warnings"), "{summary}");
}

#[test]
fn a_clean_build_says_no_errors_and_succeeds() {
    let out = tempfile::tempdir().unwrap();
    let run = kub(&["build", AMAL, "--out", out.path().to_str().unwrap(), "--only", "certificate", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = summary(&run);
    assert!(summary.starts_with("built 1 of 1 documents") && summary.ends_with("; 0 errors, 0 warnings"), "{summary}");
    assert!(!summary.contains("failed") && !summary.contains("not tried"), "{summary}");
}

// ------------------------------------------------------------ Typst mistakes in templates

#[test]
fn a_typst_mistake_in_a_users_template_is_reported_at_the_template_line() {
    let (dir, run) = build_with_templates(&[(
        "certificate.typ",
        "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}Utfärdat av #kommun, {{ doc.workplace }}.{% endblock %}\n",
    )]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let template = dir.path().join("templates/certificate.typ");
    // Column 38 is `kommun`, the name Typst does not know, counted in
    // characters (`ä` is one).
    let expected = format!("error[K0503]: {}:2:38: unknown variable: kommun", template.display());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 | {% block closing_text %}Utfärdat av #kommun, {{ doc.workplace }}."),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("the template made line "), "the generated line is still shown:\n{}", run.stderr);
}

#[test]
fn a_mistake_in_an_included_template_is_reported_in_that_template() {
    let (dir, run) = build_with_templates(&[
        (
            "certificate.typ",
            "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}\n{% include \"parts/closing.typ\" %}\n{% endblock %}\n",
        ),
        ("parts/closing.typ", "Utfärdat i {{ doc.workplace }}.\n\n#stamp(size: 2cm)\n"),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let part = dir.path().join("templates/parts/closing.typ");
    let expected = format!("error[K0503]: {}:3:2: unknown variable: stamp", part.display());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
}

#[test]
fn a_mistake_in_a_value_points_at_the_tag_that_wrote_it() {
    // `|safe` lets the workplace's name through as Typst markup; its
    // unclosed bracket is an error in the value, not in the template text.
    let (dir, run) = build_with_templates(&[(
        "certificate.typ",
        "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}\nUtfärdat av #text(fill: {{ 'nope'|safe }})[kommunen].\n{% endblock %}\n",
    )]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let template = dir.path().join("templates/certificate.typ");
    let expected = format!("error[K0503]: {}:3:25: unknown variable: nope", template.display());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    let carets = "^".repeat("{{ 'nope'|safe }}".len());
    assert!(run.stderr.contains(&format!(" {carets}\n")), "the whole tag is marked:\n{}", run.stderr);
}

#[test]
fn reading_outside_the_document_gives_no_hint_about_typsts_command_line() {
    let (dir, run) = build_with_templates(&[(
        "certificate.typ",
        "{% extends \"layout/certificate.typ\" %}\n{% block closing_text %}\n  #image(\"../../logo.png\")\n{% endblock %}\n",
    )]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let template = dir.path().join("templates/certificate.typ");
    assert!(run.stderr.contains(&format!("error[K0503]: {}:3:10: ", template.display())), "{}", run.stderr);
    assert!(!run.stderr.contains("--root"), "{}", run.stderr);
    assert!(run.stderr.contains("a document can read only the files kub gives it"), "{}", run.stderr);
}

// ------------------------------------------------------------ output folders that take no files

#[test]
fn an_output_folder_under_a_file_stops_the_build_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = dir.path().join("notes.txt/out");
    let run = kub(&["build", "examples", "--out", out.to_str().unwrap(), "--format", "typ,json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[K0506]").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error[K0506]: cannot write into the output folder {}: a part of its path is a file, not a folder",
            out.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("K0504") && !run.stderr.contains("failed: "), "{}", run.stderr);
    let summary = summary(&run);
    assert!(summary.starts_with("built 0 of 33 documents") && summary.contains("33 not tried"), "{summary}");
    assert!(summary.ends_with("; 1 error, 2 warnings"), "{summary}");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
}

#[test]
fn a_file_where_a_document_folder_belongs_stops_the_build_midway_and_what_was_written_is_whole() {
    let reference = tempfile::tempdir().unwrap();
    let run = kub(&["build", "examples", "--out", reference.path().to_str().unwrap(), "--format", "typ,json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("progress"), "not a folder").unwrap();
    let run = kub(&["build", "examples", "--out", out.to_str().unwrap(), "--format", "typ,json", "--threads", "1"]);

    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[K0506]").count(), 1, "{}", run.stderr);
    let progress = out.join("progress");
    assert!(
        run.stderr.contains(&format!("{} is a file, where kub keeps a folder of documents", progress.display())),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("K0504"), "one message, not one per document:\n{}", run.stderr);
    let summary = summary(&run);
    assert!(summary.contains("not tried") && summary.ends_with("; 1 error, 2 warnings"), "{summary}");
    let written: Vec<PathBuf> = files_below(&out).into_iter().filter(|path| *path != progress).collect();
    assert!(written.len() < files_below(reference.path()).len(), "the build stopped early: {written:?}");
    for file in &written {
        assert!(!is_temporary(file), "left behind: {}", file.display());
        let relative = file.strip_prefix(&out).unwrap();
        assert_eq!(
            std::fs::read(file).unwrap(),
            std::fs::read(reference.path().join(relative)).unwrap(),
            "{relative:?}"
        );
    }
}

#[test]
fn watch_tells_once_that_the_output_folder_takes_no_files_and_keeps_watching() {
    let project = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &project.path().join("frameworks"));
    std::fs::create_dir_all(project.path().join("examples")).unwrap();
    std::fs::copy(repo_root().join(AMAL), project.path().join("examples/amal-hassan.kub")).unwrap();
    std::fs::write(project.path().join("notes.txt"), "mine").unwrap();
    let (status, stderr) =
        watch_until(project.path(), &["--out", "notes.txt/out"], |stderr| stderr.contains("watching "));
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(stderr.matches("error[K0506]").count(), 1, "{stderr}");
    assert!(stderr.contains("error[K0506]: cannot write into the output folder notes.txt/out: "), "{stderr}");
    let summary = stderr.lines().find(|line| line.starts_with("built ")).unwrap_or_default();
    assert!(summary.starts_with("built 0 of ") && summary.contains("; 1 error, 0 warnings"), "{summary}");
}

#[test]
fn a_read_only_output_folder_stops_the_build_where_permissions_count() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into read-only folders; there the build simply succeeds.
    let permissions_count = std::fs::write(out.join("probe"), "").is_err();
    let _ = std::fs::remove_file(out.join("probe"));
    let run = kub(&["build", AMAL, "--out", out.to_str().unwrap(), "--format", "json"]);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    if permissions_count {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stderr.matches("error[K0506]").count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("you may not write there (Permission denied"), "{}", run.stderr);
        assert!(files_below(&out).is_empty());
    } else {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
}

#[test]
fn a_folder_no_one_may_write_in_stops_the_build_even_for_root() {
    // sysfs takes no new folders, not even from root.
    let target = Path::new("/sys/kub-build-test");
    if !Path::new("/sys/kernel").is_dir() || std::fs::create_dir(target).is_ok() {
        let _ = std::fs::remove_dir(target);
        return;
    }
    let run = kub(&["build", AMAL, "--out", target.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[K0506]").count(), 1, "{}", run.stderr);
    assert!(summary(&run).starts_with("built 0 of"), "{}", run.stderr);
}

#[test]
fn threads_must_be_at_least_one() {
    let out = tempfile::tempdir().unwrap();
    for command in ["build", "watch"] {
        let run = kub(&[command, AMAL, "--out", out.path().to_str().unwrap(), "--threads", "0"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("kub needs at least 1 worker thread"), "{}", run.stderr);
    }
    assert!(files_below(out.path()).is_empty());
}

// ------------------------------------------------------------ temporaries

/// An output folder with two temporaries a killed kub left an hour ago,
/// one being written right now, and files of the user's that look alike.
fn output_with_leftovers(out: &Path) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let file = |relative: &str, modified: SystemTime| {
        let path = out.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::File::create(&path).unwrap().set_modified(modified).unwrap();
    };
    file(".kub-Ab12Cd.tmp", hour_ago);
    file("certificates/.kub-x9Y8z7.tmp", hour_ago);
    file("certificates/.kub-Writ3n.tmp", SystemTime::now());
    file("certificates/.kub-notes.tmp.txt", hour_ago);
    file("certificates/kub-Ab12Cd.tmp", hour_ago);
}

fn assert_only_stale_temporaries_are_gone(out: &Path) {
    assert!(!out.join(".kub-Ab12Cd.tmp").exists());
    assert!(!out.join("certificates/.kub-x9Y8z7.tmp").exists());
    for kept in [".kub-Writ3n.tmp", ".kub-notes.tmp.txt", "kub-Ab12Cd.tmp"] {
        assert!(out.join("certificates").join(kept).exists(), "{kept} was removed");
    }
}

#[test]
fn stale_temporaries_are_swept_at_the_start_of_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    output_with_leftovers(&out);
    let run = kub(&["build", AMAL, "--out", out.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("removed 2 temporary files left in {} by a kub that was stopped", out.display())),
        "{}",
        run.stderr
    );
    assert_only_stale_temporaries_are_gone(&out);
    assert!(out.join("certificates/amal-hassan-slottsskogen.json").is_file());
}

#[test]
fn stale_temporaries_are_swept_at_the_start_of_a_watch() {
    let project = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &project.path().join("frameworks"));
    std::fs::create_dir_all(project.path().join("examples")).unwrap();
    std::fs::copy(repo_root().join(AMAL), project.path().join("examples/amal-hassan.kub")).unwrap();
    let out = project.path().join("out");
    output_with_leftovers(&out);
    let certificate = out.join("certificates/amal-hassan-slottsskogen.json");
    let (status, stderr) = watch_until(project.path(), &["--out", "out", "--format", "json"], |_| certificate.exists());
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("removed 2 temporary files left in out by a kub that was stopped"), "{stderr}");
    assert_only_stale_temporaries_are_gone(&out);
}

/// Runs `kub watch examples` with `args` in `project` until `done` holds
/// for what it printed, then stops it with SIGTERM; returns its exit code
/// and everything it printed.
fn watch_until(project: &Path, args: &[&str], done: impl Fn(&str) -> bool) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(["watch", "examples", "--color=never"])
        .args(args)
        .current_dir(project)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kub starts");
    let mut pipe = child.stderr.take().unwrap();
    let printed = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let buffer = printed.clone();
    let reader = std::thread::spawn(move || {
        let mut chunk = [0; 4096];
        while let Ok(read @ 1..) = pipe.read(&mut chunk) {
            buffer.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..read]));
        }
    });
    let started = Instant::now();
    while !done(&printed.lock().unwrap()) {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("kub watch never got there:\n{}", printed.lock().unwrap());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    signal(child.id(), "TERM");
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let stderr = printed.lock().unwrap().clone();
    (status.code(), stderr)
}

// ------------------------------------------------------------ Ctrl-C and SIGTERM

fn signal(pid: u32, name: &str) {
    let sent = Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().unwrap();
    assert!(sent.success(), "kill -{name} failed");
}

/// A project of `participants` generated assessments of the park framework.
fn cohort(participants: u64) -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(repo_root().join("frameworks"), project.path().join("frameworks")).unwrap();
    let mut workspace = kub::model::Workspace::new();
    workspace.load(&repo_root().join("frameworks"));
    let checked = kub::check::check(workspace);
    let framework = checked.resolution.find_by_id("park-och-natur").expect("the park framework is bundled");
    let cohort = project.path().join("cohort");
    std::fs::create_dir(&cohort).unwrap();
    for seed in 0..participants {
        let (_, text) = kub::scaffold::sample_assessment(framework, seed);
        std::fs::write(cohort.join(format!("participant-{seed:03}.kub")), text).unwrap();
    }
    project
}

#[test]
fn sigint_and_sigterm_stop_a_build_between_documents_and_leave_everything_whole() {
    for name in ["INT", "TERM"] {
        let project = cohort(40);
        let out = project.path().join("out");
        let child = Command::new(env!("CARGO_BIN_EXE_kub"))
            .args(["build", "cohort", "--out", "out", "--only", "certificate,progress", "--format", "pdf"])
            .args(["--threads", "2", "--color=never"])
            .current_dir(project.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kub starts");
        let started = Instant::now();
        while files_below(&out).iter().filter(|path| path.extension().is_some_and(|e| e == "pdf")).count() < 2 {
            assert!(started.elapsed() < Duration::from_secs(60), "kub wrote no documents");
            std::thread::sleep(Duration::from_millis(5));
        }
        signal(child.id(), name);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);

        assert_eq!(output.status.code(), Some(130), "SIG{name}:\n{stderr}");
        assert!(stderr.contains("interrupted: every file written is whole"), "{stderr}");
        let written = files_below(&out);
        assert!(written.iter().all(|path| !is_temporary(path)), "left behind: {written:?}");
        assert!(written.len() < 80, "SIG{name} stopped the build early: {} files", written.len());
        for pdf in &written {
            assert!(is_whole_pdf(pdf), "{} is not a whole PDF", pdf.display());
        }
        let summary = stderr.lines().rfind(|line| line.starts_with("built ")).unwrap_or_default();
        assert!(summary.contains(&format!("built {} of 80 documents", written.len())), "{summary}");
        assert!(summary.contains("not tried"), "{summary}");
    }
}
