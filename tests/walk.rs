//! Folders are walked to the end on any tree: symbolic links that loop or
//! lead nowhere are skipped and named once, unreadable folders are
//! reported, every file is read once, and `include` never reads a file
//! outside the project.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, copy_dir, kub_in, repo_root, spawn_kub};

/// Far longer than a walk of a few folders takes; a loop would never end.
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `kub` in `dir`, killing it and failing the test if it is not done
/// by the deadline.
fn kub_with_deadline(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(args)
        .arg("--color=never")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kub runs");
    // Read both pipes on their own threads, so that a full pipe cannot stall kub.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).ok();
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().ok();
            child.wait().ok();
            panic!("kub {args:?} was still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run { stdout: out.join().unwrap(), stderr: err.join().unwrap(), code: status.code().unwrap_or(-1) }
}

/// A project with the bundled frameworks and the two park assessments in
/// `examples/park-och-natur`.
fn project() -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("frameworks"), &project.path().join("frameworks"));
    copy_dir(&repo_root().join("examples/park-och-natur"), &project.path().join("examples/park-och-natur"));
    project
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// The `.kub` files below a folder, counted without following links.
fn kub_files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| match path.is_dir() {
            true => kub_files_in(&path),
            false => usize::from(path.extension().is_some_and(|e| e == "kub")),
        })
        .sum()
}

/// The files in a folder, or none if it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.map(|entry| entry.unwrap().path()).collect()
}

#[cfg(unix)]
mod links {
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    /// Makes a folder readable again when the test ends, so that it can be
    /// removed even if an assertion failed.
    struct Unlock(PathBuf);

    impl Drop for Unlock {
        fn drop(&mut self) {
            std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755)).ok();
        }
    }

    /// Every kind of link kub must not follow forever, and a folder nobody
    /// may read. Returns the guard for the folder and whether the folder
    /// really cannot be read (as root it can).
    fn tangle(examples: &Path) -> (Unlock, bool) {
        let park = examples.join("park-och-natur");
        symlink(".", examples.join("self")).unwrap();
        symlink("..", examples.join("up")).unwrap();
        symlink("../..", park.join("back")).unwrap();
        symlink("..", park.join("loop")).unwrap();
        symlink("park-och-natur", examples.join("sibling")).unwrap();
        symlink("chain-b", examples.join("chain-a")).unwrap();
        symlink("park-och-natur", examples.join("chain-b")).unwrap();
        symlink("park-och-natur/yonas-gebremedhin.kub", examples.join("again.kub")).unwrap();
        symlink("nowhere", examples.join("dangling")).unwrap();
        symlink("circle-b.kub", examples.join("circle-a")).unwrap();
        symlink("circle-a", examples.join("circle-b.kub")).unwrap();
        let locked = examples.join("locked");
        std::fs::create_dir(&locked).unwrap();
        let asa = std::fs::read_to_string(park.join("asa-oberg.kub")).unwrap();
        std::fs::write(locked.join("kim.kub"), asa.replace("Åsa Öberg", "Kim Lind")).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let unreadable = std::fs::read_dir(&locked).is_err();
        (Unlock(locked), unreadable)
    }

    #[test]
    fn a_tree_full_of_link_loops_is_checked_in_bounded_time() {
        let project = project();
        let frameworks = kub_files_in(&project.path().join("frameworks"));
        let (_unlock, unreadable) = tangle(&project.path().join("examples"));

        let run = kub_with_deadline(project.path(), &["check", "examples"]);

        let assessments = if unreadable { 2 } else { 3 };
        assert!(
            run.stderr.contains(&format!("checked {} files", frameworks + assessments)),
            "every file once:\n{}",
            run.stderr
        );
        for link in ["self", "up", "park-och-natur/back", "park-och-natur/loop", "sibling", "chain-a", "chain-b"] {
            let said = format!("warning[K0004]: skipped the link examples/{link} ");
            assert_eq!(count(&run.stderr, &said), 1, "{link} is named once:\n{}", run.stderr);
        }
        let said = "warning[K0004]: skipped the link examples/again.kub (to park-och-natur/yonas-gebremedhin.kub): \
                    it leads to the file examples/park-och-natur/yonas-gebremedhin.kub, which is read already";
        assert_eq!(count(&run.stderr, said), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("skipped the link examples/self (to .): it leads back to examples"),
            "{}",
            run.stderr
        );
        assert_eq!(count(&run.stderr, "[K0004]"), 8, "{}", run.stderr);
        for said in [
            "warning[K0005]: skipped the link examples/dangling: it points to nowhere, which does not exist",
            "warning[K0005]: skipped the link examples/circle-a: it points to circle-b.kub, which is a circle of links",
            "warning[K0005]: skipped the link examples/circle-b.kub: it points to circle-a, which is a circle of links",
        ] {
            assert_eq!(count(&run.stderr, said), 1, "{said}\n{}", run.stderr);
        }
        assert_eq!(count(&run.stderr, "[K0005]"), 3, "{}", run.stderr);
        // Checked once, so its framework is not defined twice and its warnings are not repeated.
        assert!(!run.stderr.contains("[K0308]"), "{}", run.stderr);
        assert_eq!(count(&run.stderr, "asa-oberg.kub:50:10"), 1, "{}", run.stderr);
        if unreadable {
            assert!(
                run.stderr.contains("error[K0003]: cannot read the folder examples/locked: permission denied"),
                "{}",
                run.stderr
            );
            assert_eq!(run.code, 1, "an unreadable folder is an error:\n{}", run.stderr);
        } else {
            assert!(!run.stderr.contains("[K0003]"), "{}", run.stderr);
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
    }

    #[test]
    fn a_tree_full_of_link_loops_is_built_once_in_bounded_time() {
        let project = project();
        let (_unlock, unreadable) = tangle(&project.path().join("examples"));

        let run = kub_with_deadline(
            project.path(),
            &["build", "examples", "--out", "out", "--only", "certificate,progress", "--format", "html"],
        );

        assert_eq!(run.code, if unreadable { 1 } else { 0 }, "{}", run.stderr);
        let certificates = files_in(&project.path().join("out/certificates"));
        assert_eq!(certificates.len(), 1, "Yonas's certificate, once: {certificates:?}\n{}", run.stderr);
        let reports = files_in(&project.path().join("out/progress"));
        assert_eq!(reports.len(), if unreadable { 2 } else { 3 }, "one report a participant: {reports:?}");
        assert_eq!(count(&run.stderr, "[K0004]"), 8, "{}", run.stderr);
        if unreadable {
            assert!(run.stderr.contains("error[K0003]: cannot read the folder examples/locked"), "{}", run.stderr);
        }
    }

    #[test]
    fn a_file_given_twice_through_links_is_read_once() {
        let project = project();
        let frameworks = project.path().join("frameworks");
        symlink("park-och-natur.kub", frameworks.join("park-link.kub")).unwrap();
        symlink(&frameworks, project.path().join("frameworks-link")).unwrap();

        let run = kub_in(
            project.path(),
            &["check", "frameworks/park-och-natur.kub", "frameworks-link/park-och-natur.kub", "examples"],
        );

        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("[K0308]"), "not defined twice:\n{}", run.stderr);
        let said = "warning[K0004]: skipped the link frameworks/park-link.kub (to park-och-natur.kub): \
                    it leads to the file frameworks/park-och-natur.kub, which is read already";
        assert_eq!(count(&run.stderr, said), 1, "{}", run.stderr);
        let files = kub_files_in(&frameworks) - 1 + 2;
        assert!(run.stderr.contains(&format!("checked {files} files")), "{}", run.stderr);
    }

    #[test]
    fn an_include_through_a_link_out_of_the_project_is_not_read() {
        let project = project();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("secret.kub"), "TOP-SECRET first line\n").unwrap();
        // Only the one file is checked, so no walk goes through the link.
        let own = project.path().join("own");
        std::fs::create_dir(&own).unwrap();
        symlink(elsewhere.path(), own.join("door")).unwrap();
        std::fs::write(own.join("local.kub"), framework_including("door/secret.kub")).unwrap();

        let run = kub_in(project.path(), &["check", "own/local.kub"]);

        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("error[K0309]: `door/secret.kub` leads outside the project"), "{}", run.stderr);
        assert!(run.stderr.contains("own/local.kub:7:9"), "{}", run.stderr);
        assert!(!run.stderr.contains("TOP-SECRET"), "the file is not read:\n{}", run.stderr);
    }
}

/// A small framework whose seventh line includes `path`.
fn framework_including(path: &str) -> String {
    format!(
        "# A workplace's own framework.\n\
         framework local-framework \"Lokalvård\"\n\
         version 1.0\n\
         languages sv\n\
         rate competences with kub\n\
         \n\
         include \"{path}\"\n\
         scale egen \"Egen skala\" {{\n  level med-stod \"Med stöd\"\n  level sjalvstandigt \"Självständigt\"\n}}\n\
         rate tasks with egen\n\
         area golv \"Golvvård\" {{\n  task moppa \"Moppa golv\" {{ seqf 1 }}\n}}\n\
         certificate {{\n  achieved egen from sjalvstandigt\n}}\n"
    )
}

#[test]
fn an_include_climbing_out_of_the_project_is_not_read_nor_quoted_in_json() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("project");
    copy_dir(&repo_root().join("frameworks"), &project.join("frameworks"));
    std::fs::write(root.path().join("secret.kub"), "TOP-SECRET first line\n").unwrap();
    std::fs::write(project.join("frameworks/local.kub"), framework_including("../../secret.kub")).unwrap();

    let run = kub_in(&project, &["check", "frameworks", "--format", "json"]);

    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains("TOP-SECRET") && !run.stderr.contains("TOP-SECRET"), "{}", run.stdout);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let refused: Vec<&serde_json::Value> =
        diagnostics.as_array().unwrap().iter().filter(|d| d["code"] == "K0309").collect();
    assert_eq!(refused.len(), 1, "{}", run.stdout);
    assert_eq!(refused[0]["severity"], "error");
    assert_eq!(refused[0]["line"], 7);
    assert_eq!(refused[0]["column"], 9);
    assert!(refused[0]["file"].as_str().unwrap().ends_with("local.kub"));
}

#[test]
fn an_include_from_a_file_named_alone_is_held_to_the_current_folder() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(root.path().join("secret.kub"), "TOP-SECRET first line\n").unwrap();
    std::fs::write(project.join("local.kub"), framework_including("../secret.kub")).unwrap();

    let run = kub_in(&project, &["check", "local.kub"]);

    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[K0309]: `../secret.kub` leads outside the project"), "{}", run.stderr);
    assert!(run.stderr.contains("local.kub:7:9"), "{}", run.stderr);
    assert!(!run.stderr.contains("TOP-SECRET"), "{}", run.stderr);
}

#[test]
fn an_absolute_include_is_not_read_even_inside_the_project() {
    let project = project();
    let library = project.path().join("frameworks/shared/generella-kompetenser.kub");
    let written = library.display().to_string();
    std::fs::write(project.path().join("frameworks/local.kub"), framework_including(&written)).unwrap();

    let run = kub_in(project.path(), &["check", "frameworks"]);

    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("is an absolute path, and includes must be relative to this file"), "{}", run.stderr);
    assert!(run.stderr.contains("frameworks/local.kub:7:9"), "{}", run.stderr);
}

#[test]
fn includes_inside_the_project_and_its_framework_folders_are_read() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("project");
    // The shared libraries live next to the project, in a folder kub.toml names.
    copy_dir(&repo_root().join("frameworks/shared"), &root.path().join("common"));
    std::fs::create_dir_all(project.join("frameworks/local")).unwrap();
    std::fs::write(project.join("kub.toml"), "frameworks = [\"frameworks\", \"../common\"]\n").unwrap();
    std::fs::write(
        project.join("frameworks/local/own.kub"),
        framework_including("../../../common/generella-kompetenser.kub"),
    )
    .unwrap();

    let run = kub_in(&project, &["check"]);

    assert!(!run.stderr.contains("[K0309]"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_project_checked_from_another_folder_reads_its_own_includes() {
    let project = project();
    let elsewhere = tempfile::tempdir().unwrap();
    let folder = project.path().display().to_string();

    let run = kub_in(elsewhere.path(), &["check", &folder]);

    assert!(!run.stderr.contains("[K0309]"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn watch_mode_starts_and_takes_in_a_new_folder_with_a_loop_in_bounded_time() {
    use std::os::unix::fs::symlink;

    let project = project();
    let examples = project.path().join("examples");
    symlink(".", examples.join("self")).unwrap();
    symlink("..", examples.join("park-och-natur/loop")).unwrap();
    let (mut child, stderr) =
        spawn_kub(project.path(), &["watch", "examples", "--out", "out", "--only", "progress", "--format", "html"]);
    let reports = project.path().join("out/progress");
    let arrived = |done: &dyn Fn(&str) -> bool| {
        let started = Instant::now();
        while !done(&stderr.lock().unwrap()) {
            if started.elapsed() > DEADLINE {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    };
    let started = arrived(&|printed| printed.contains("watching "));
    let first = stderr.lock().unwrap().clone();

    let new = examples.join("new");
    std::fs::create_dir(&new).unwrap();
    symlink("..", new.join("loop")).unwrap();
    let asa = std::fs::read_to_string(examples.join("park-och-natur/asa-oberg.kub")).unwrap();
    std::fs::write(new.join("kim.kub"), asa.replace("Åsa Öberg", "Kim Lind")).unwrap();
    let taken_in =
        started && arrived(&|printed| printed.contains("examples/new/kim.kub") && files_in(&reports).len() >= 3);
    child.kill().ok();
    child.wait().ok();

    let printed = stderr.lock().unwrap().clone();
    assert!(started, "the first build did not end:\n{printed}");
    assert_eq!(count(&first, "[K0004]"), 2, "{first}");
    assert!(taken_in, "the new folder was not taken in:\n{printed}");
    let reports = files_in(&reports);
    assert_eq!(reports.len(), 3, "one report a participant, none twice: {reports:?}\n{printed}");
    assert!(!printed.contains("[K0308]"), "{printed}");
}
