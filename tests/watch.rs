//! `kub watch` rebuilds what a saved file changes, keeps the last good
//! documents while a file is broken, and stops cleanly.
//!
//! Each test copies the bundled frameworks and a few example assessments
//! into a temporary folder, runs the real `kub watch` there, changes files
//! the way editors and tools do, and waits (with a deadline) for the status
//! line and the output files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::support::{copy_dir, repo_root, spawn_kub};

/// Long enough for a slow machine; a passing test takes a fraction of it.
const DEADLINE: Duration = Duration::from_secs(30);

const AMAL: &str = "examples/slottsskogen/amal-hassan.kub";
const OLENA: &str = "examples/slottsskogen/olena-kovalenko.kub";
const OKSANA: &str = "examples/lager-og-logistik/oksana-melnyk.kub";

const AMAL_CERTIFICATE: &str = "out/certificates/amal-hassan-slottsskogen";
const OLENA_CERTIFICATE: &str = "out/certificates/olena-kovalenko-slottsskogen";
const OKSANA_CERTIFICATE: &str = "out/certificates/oksana-melnyk-lager-og-logistik";

/// A running `kub watch` in a project of its own.
struct Watch {
    project: tempfile::TempDir,
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Watch {
    /// Copies the frameworks and `assessments` (paths under the repository)
    /// into a new project and starts `kub watch examples --out out` with
    /// `args`, waiting until the first build is done.
    fn start(assessments: &[&str], args: &[&str]) -> Watch {
        Watch::start_with(assessments, args, |_| {})
    }

    /// Like [`Watch::start`], with `prepare` run on the project's folder
    /// before kub starts.
    fn start_with(assessments: &[&str], args: &[&str], prepare: impl FnOnce(&Path)) -> Watch {
        let project = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("frameworks"), &project.path().join("frameworks"));
        for assessment in assessments {
            let to = project.path().join(assessment);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(repo_root().join(assessment), to).unwrap();
        }
        prepare(project.path());
        let command: Vec<&str> =
            ["watch", "examples", "--out", "out"].into_iter().chain(args.iter().copied()).collect();
        let (child, stderr) = spawn_kub(project.path(), &command);
        let watch = Watch { project, child, stderr };
        watch.wait_until("the first build", || watch.stderr().contains("watching "));
        watch
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.project.path().join(relative)
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The status lines printed after the first build, such as
    /// `12:04:31 saved examples/a.kub → rebuilt 1 document (certificate) in 38 ms`.
    fn status_lines(&self) -> Vec<String> {
        self.stderr().lines().filter(|line| is_status_line(line)).map(str::to_string).collect()
    }

    /// Waits for status line number `n` (counting from 1) and returns it.
    fn status(&self, n: usize) -> String {
        self.wait_until(&format!("status line {n}"), || self.status_lines().len() >= n);
        self.status_lines()[n - 1].clone()
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(started.elapsed() < DEADLINE, "waited in vain for {what}; kub printed:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Sends a signal and waits for kub to exit; returns its exit code.
    fn signal(&mut self, name: &str) -> i32 {
        let sent = Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(started.elapsed() < DEADLINE, "kub did not stop on SIG{name}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_status_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > 9
        && [0, 1, 3, 4, 6, 7].iter().all(|&i| bytes[i].is_ascii_digit())
        && bytes[2] == b':'
        && bytes[5] == b':'
        && bytes[8] == b' '
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Amal's assessment with another reference number, which her certificate
/// shows.
fn amal_with_reference(watch: &Watch, reference: &str) -> String {
    watch.read(AMAL).replace("GBG-2026-014", reference)
}

#[test]
fn saving_an_assessment_rebuilds_its_certificate_and_no_other() {
    let watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "pdf,json"]);
    let amal_pdf = std::fs::read(watch.path(&format!("{AMAL_CERTIFICATE}.pdf"))).unwrap();
    let olena_pdf = watch.path(&format!("{OLENA_CERTIFICATE}.pdf"));
    let olena_before = modified(&olena_pdf);

    watch.write(AMAL, &amal_with_reference(&watch, "GBG-2026-999"));

    let status = watch.status(1);
    assert!(
        status.contains(&format!("saved {AMAL} → rebuilt 1 document (certificate) in ")),
        "unexpected status: {status}"
    );
    assert!(watch.read(&format!("{AMAL_CERTIFICATE}.json")).contains("GBG-2026-999"));
    assert_ne!(std::fs::read(watch.path(&format!("{AMAL_CERTIFICATE}.pdf"))).unwrap(), amal_pdf);
    assert_eq!(modified(&olena_pdf), olena_before, "Olena's certificate is left alone");
}

#[test]
fn a_broken_assessment_keeps_its_documents_until_it_is_fixed() {
    let watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "json"]);
    let json = format!("{AMAL_CERTIFICATE}.json");
    let good = watch.read(&json);
    let fixed = amal_with_reference(&watch, "GBG-2026-777");

    watch.write(AMAL, &format!("{}\nbroken\n", watch.read(AMAL)));
    let status = watch.status(1);
    assert!(status.contains(&format!("saved {AMAL} → ")), "{status}");
    assert!(status.contains("1 error, previous documents kept"), "{status}");
    let stderr = watch.stderr();
    assert!(stderr.contains("error[K0101]") && stderr.contains(&format!("┌─ {AMAL}:")), "{stderr}");
    assert_eq!(watch.read(&json), good, "the last good certificate stays");

    watch.write(AMAL, &fixed);
    let status = watch.status(2);
    assert!(status.contains("rebuilt 1 document (certificate)"), "{status}");
    assert!(!status.contains("error"), "{status}");
    assert!(watch.read(&json).contains("GBG-2026-777"));
}

#[test]
fn a_save_the_way_vim_does_it_is_one_change() {
    let watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "json"]);
    let new_text = amal_with_reference(&watch, "GBG-2026-555");

    // vim probes the folder, renames the original to a backup, writes the
    // file anew and removes the backup.
    let folder = watch.path("examples/slottsskogen");
    std::fs::write(folder.join("4913"), "").unwrap();
    std::fs::remove_file(folder.join("4913")).unwrap();
    std::fs::rename(watch.path(AMAL), folder.join("amal-hassan.kub~")).unwrap();
    watch.write(AMAL, &new_text);
    std::fs::remove_file(folder.join("amal-hassan.kub~")).unwrap();

    let status = watch.status(1);
    assert!(status.contains(&format!("saved {AMAL} → rebuilt 1 document (certificate)")), "{status}");
    assert!(watch.read(&format!("{AMAL_CERTIFICATE}.json")).contains("GBG-2026-555"));
    // Nothing more comes of it: no deletion, no second rebuild.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(watch.status_lines().len(), 1, "{}", watch.stderr());
    assert!(watch.path(&format!("{AMAL_CERTIFICATE}.json")).exists());
}

#[test]
fn a_save_through_a_temporary_file_and_a_rename_is_one_change() {
    let watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "json"]);
    // VS Code, JetBrains and `sed -i` write a temporary file and rename it
    // over the original.
    let temporary = watch.path("examples/slottsskogen/amal-hassan.kub___jb_tmp___");
    std::fs::write(&temporary, amal_with_reference(&watch, "GBG-2026-444")).unwrap();
    std::fs::rename(&temporary, watch.path(AMAL)).unwrap();

    let status = watch.status(1);
    assert!(status.contains(&format!("saved {AMAL} → rebuilt 1 document (certificate)")), "{status}");
    assert!(watch.read(&format!("{AMAL_CERTIFICATE}.json")).contains("GBG-2026-444"));
}

#[test]
fn an_added_file_is_built_and_a_deleted_one_loses_its_documents() {
    let watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "pdf,json"]);
    let oksana = format!("{OKSANA_CERTIFICATE}.json");
    assert!(!watch.path(&oksana).exists());

    watch.write(OKSANA, &std::fs::read_to_string(repo_root().join(OKSANA)).unwrap());
    let status = watch.status(1);
    assert!(status.contains(&format!("added {OKSANA} → rebuilt 1 document (certificate)")), "{status}");
    assert!(watch.path(&oksana).exists() && watch.path(&format!("{OKSANA_CERTIFICATE}.pdf")).exists());

    std::fs::remove_file(watch.path(AMAL)).unwrap();
    let status = watch.status(2);
    assert!(status.contains(&format!("deleted {AMAL} → removed 1 document")), "{status}");
    assert!(!watch.path(&format!("{AMAL_CERTIFICATE}.json")).exists());
    assert!(!watch.path(&format!("{AMAL_CERTIFICATE}.pdf")).exists());
    assert!(watch.path(&format!("{OLENA_CERTIFICATE}.json")).exists());
}

#[test]
fn a_changed_framework_rebuilds_the_documents_made_from_it() {
    let watch = Watch::start(&[AMAL, OLENA, OKSANA], &["--only", "certificate", "--format", "json"]);
    let framework = "frameworks/slottsskogen.kub";
    watch.write(framework, &format!("# a note for the watch test\n{}", watch.read(framework)));

    let status = watch.status(1);
    assert!(status.contains(&format!("saved {framework} → rebuilt 2 documents (certificate)")), "{status}");
}

#[test]
fn a_changed_library_outside_the_watched_folders_rebuilds_what_includes_it() {
    let library = "libraries/generella-kompetenser.kub";
    let args = ["--only", "certificate", "--format", "json"];
    let watch = Watch::start_with(&[AMAL, OLENA, OKSANA], &args, |project| {
        std::fs::create_dir_all(project.join("libraries")).unwrap();
        std::fs::rename(project.join("frameworks/shared/generella-kompetenser.kub"), project.join(library)).unwrap();
        for framework in ["kulturtolk-forskola", "lager-og-logistik", "park-och-natur"] {
            let path = project.join(format!("frameworks/{framework}.kub"));
            let text = std::fs::read_to_string(&path).unwrap();
            let moved =
                text.replace("\"shared/generella-kompetenser.kub\"", "\"../libraries/generella-kompetenser.kub\"");
            assert_ne!(moved, text, "{framework} includes the library");
            std::fs::write(path, moved).unwrap();
        }
    });
    watch.write(library, &format!("# a note for the watch test\n{}", watch.read(library)));

    let status = watch.status(1);
    assert!(status.contains(&format!("saved {library} → rebuilt 3 documents (certificate)")), "{status}");
}

#[test]
fn a_deleted_framework_leaves_its_assessments_broken_and_their_documents_kept() {
    let watch = Watch::start(&[AMAL, OLENA, OKSANA], &["--only", "certificate", "--format", "json"]);
    std::fs::remove_file(watch.path("frameworks/slottsskogen.kub")).unwrap();

    let status = watch.status(1);
    assert!(status.contains("deleted frameworks/slottsskogen.kub → "), "{status}");
    assert!(status.contains("2 errors, previous documents kept"), "{status}");
    assert!(watch.stderr().contains(&format!("┌─ {OLENA}:")), "{}", watch.stderr());
    assert!(watch.path(&format!("{AMAL_CERTIFICATE}.json")).exists());
    assert!(watch.path(&format!("{OKSANA_CERTIFICATE}.json")).exists());
}

#[test]
fn a_changed_template_rebuilds_the_documents_of_its_kind_and_a_broken_one_is_reported() {
    let args = ["--only", "certificate,progress", "--format", "typ", "--templates", "templates"];
    let watch = Watch::start_with(&[AMAL, OLENA], &args, |project| {
        std::fs::create_dir_all(project.join("templates")).unwrap();
        std::fs::write(project.join("templates/certificate.typ"), "= {{ title }}\n").unwrap();
        std::fs::write(project.join("templates/progress.typ"), "= {{ title }}\n").unwrap();
    });
    let template = "templates/certificate.typ";
    watch.write(template, "= {{ title }}\n// edited while watching\n");

    let status = watch.status(1);
    assert!(status.contains(&format!("saved {template} → rebuilt 2 documents (certificate) in ")), "{status}");
    for certificate in [AMAL_CERTIFICATE, OLENA_CERTIFICATE] {
        assert!(watch.read(&format!("{certificate}.typ")).contains("// edited while watching"));
    }

    // The texts are shared by every kind.
    watch.write("templates/strings.toml", "[en]\nwatch_test = \"A text of our own\"\n");
    let status = watch.status(2);
    assert!(status.contains("saved templates/strings.toml → rebuilt 4 documents (certificate, progress)"), "{status}");

    watch.write(template, "= {{ title }}\n{% if %}\n");
    let status = watch.status(3);
    assert!(status.contains("template error, previous templates kept"), "{status}");
    assert!(watch.stderr().contains("error[K05"), "{}", watch.stderr());
    assert!(watch.read(&format!("{AMAL_CERTIFICATE}.typ")).contains("// edited while watching"));
}

#[test]
fn twenty_files_saved_at_once_give_one_rebuild() {
    let names: Vec<String> = (1..=20).map(|n| format!("examples/cohort/participant-{n:02}.kub")).collect();
    let olena = std::fs::read_to_string(repo_root().join(OLENA)).unwrap();
    let watch = Watch::start_with(&[AMAL], &["--only", "certificate", "--format", "json"], |project| {
        for (n, name) in names.iter().enumerate() {
            let text = olena.replace("Олена Коваленко", &format!("Deltagare {n}"));
            std::fs::create_dir_all(project.join(name).parent().unwrap()).unwrap();
            std::fs::write(project.join(name), text).unwrap();
        }
    });

    for name in &names {
        watch.write(name, &watch.read(name).replace("GBG-2025-087", "GBG-2025-088"));
    }
    let status = watch.status(1);
    assert!(status.contains("20 files saved → rebuilt 20 documents (certificate)"), "{status}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(watch.status_lines().len(), 1, "{}", watch.stderr());
}

#[test]
fn a_changed_project_file_starts_over() {
    let watch = Watch::start_with(&[AMAL], &["--only", "certificate", "--format", "json"], |project| {
        std::fs::write(project.join("kub.toml"), "organisation = \"Slottsskogen\"\n").unwrap();
    });
    watch.write("kub.toml", "organisation = \"Göteborgs Stad\"\n");
    let status = watch.status(1);
    assert!(status.contains("saved kub.toml → rebuilt 1 document (certificate)"), "{status}");
    assert!(status.contains("started over"), "{status}");

    watch.write("kub.toml", "organisation = \n");
    let status = watch.status(2);
    assert!(status.contains("previous settings kept"), "{status}");
    let stderr = watch.stderr();
    assert!(stderr.contains("error[K0101]: kub.toml is not a valid project file"), "{stderr}");
    assert!(stderr.contains("┌─ kub.toml:1:16"), "the problem is shown at its place: {stderr}");
}

#[test]
fn the_output_folder_and_editor_files_are_not_changes() {
    let watch = Watch::start(&[AMAL], &["--only", "certificate", "--format", "json"]);
    watch.write("examples/slottsskogen/.amal-hassan.kub.swp", "swap");
    watch.write("examples/slottsskogen/amal-hassan.kub~", "backup");
    watch.write("examples/slottsskogen/#amal-hassan.kub#", "autosave");
    watch.write("examples/notes.txt", "notes");
    watch.write("out/certificates/extra.kub", "not a source");
    // A real change after them, to know they have all been seen.
    watch.write(AMAL, &amal_with_reference(&watch, "GBG-2026-333"));
    let status = watch.status(1);
    assert!(status.contains(&format!("saved {AMAL} → rebuilt 1 document")), "{status}");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(watch.status_lines().len(), 1, "{}", watch.stderr());
}

#[test]
fn sigint_and_sigterm_stop_it_cleanly_even_in_the_middle_of_a_rebuild() {
    for signal in ["INT", "TERM"] {
        let mut watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "pdf,json"]);
        watch.write(AMAL, &amal_with_reference(&watch, "GBG-2026-222"));
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(watch.signal(signal), 0, "SIG{signal} ends kub watch with success");
        // The record of who owns which name is kub's own, and the index
        // page lists the documents; neither is a document.
        let owners = watch.path("out").join(kub::build::OWNERS_FILE);
        let index = watch.path("out").join(kub::build::INDEX_FILE);
        let files: Vec<PathBuf> =
            walk(&watch.path("out")).into_iter().filter(|path| *path != owners && *path != index).collect();
        let temporary: Vec<&PathBuf> =
            files.iter().filter(|p| !p.extension().is_some_and(|e| e == "json" || e == "pdf")).collect();
        assert!(temporary.is_empty(), "left behind: {temporary:?}");
        assert_eq!(files.len(), 4, "{files:?}");
    }
}

#[test]
fn saving_an_assessment_rebuilds_the_participants_documents_and_the_summary() {
    let kinds = ["--only", "certificate,progress,summary", "--format", "typ", "--templates", "templates"];
    let watch = Watch::start_with(&[AMAL, OLENA, OKSANA], &kinds, |project| {
        // Small templates of their own, so that the test does not depend on
        // the bundled ones.
        std::fs::create_dir_all(project.join("templates")).unwrap();
        std::fs::write(project.join("templates/progress.typ"), "{{ title }}\n").unwrap();
        std::fs::write(project.join("templates/summary.typ"), "{{ title }}\n").unwrap();
    });
    assert!(watch.path("out/summaries/slottsskogen-1-0.typ").exists(), "{}", watch.stderr());

    watch.write(AMAL, &amal_with_reference(&watch, "GBG-2026-111"));
    let status = watch.status(1);
    assert!(
        // Her summary, and the park industry's across its workplaces.
        status.contains(&format!("saved {AMAL} → rebuilt 4 documents (certificate, progress, summary)")),
        "{status}"
    );

    // While her file is broken, neither her documents nor the summary that
    // counts her change.
    watch.write(AMAL, "assessment follows slottsskogen 1.0\nparticipant\n");
    let status = watch.status(2);
    assert!(status.contains("previous documents kept") && !status.contains("rebuilt"), "{status}");
}

#[test]
fn a_copy_saved_while_watching_gets_a_name_of_its_own_and_takes_nobodys() {
    let watch = Watch::start(&[AMAL], &["--only", "certificate", "--format", "json"]);
    let original = format!("{AMAL_CERTIFICATE}.json");
    let before = watch.read(&original);
    let copy = "examples/backup/amal-hassan.kub";
    // An editor's copy, one comment changed, to tell the two certificates apart.
    let text = watch.read(AMAL).replace("Gick Plikta-rundan med Kent", "Gick Plikta-rundan med Mirja");
    watch.write(copy, &text);
    let status = watch.status(1);
    assert!(status.contains(&format!("added {copy} → rebuilt 1 document (certificate)")), "{status}");
    assert!(watch.stderr().contains("warning[K0428]"), "{}", watch.stderr());
    assert_eq!(watch.read(&original), before, "the original's certificate is untouched");
    let certificates = || -> Vec<PathBuf> {
        walk(&watch.path("out/certificates"))
            .into_iter()
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect()
    };
    let named = certificates();
    assert_eq!(named.len(), 2, "{named:?}");
    let copy_certificate = named.iter().find(|path| **path != watch.path(&original)).unwrap().clone();
    let stem = copy_certificate.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(stem.starts_with("amal-hassan-slottsskogen-") && stem.len() == "amal-hassan-slottsskogen-".len() + 6);
    assert!(std::fs::read_to_string(&copy_certificate).unwrap().contains("med Mirja"));
    assert!(before.contains("med Kent"));

    // Deleting the copy removes its documents and only those.
    std::fs::remove_file(watch.path(copy)).unwrap();
    let status = watch.status(2);
    assert!(status.contains(&format!("deleted {copy} → removed 1 document")), "{status}");
    assert_eq!(certificates(), vec![watch.path(&original)]);
    assert_eq!(watch.read(&original), before);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            found.extend(walk(&entry.path()));
        } else {
            found.push(entry.path());
        }
    }
    found
}

#[test]
fn the_index_page_follows_added_and_deleted_participants() {
    let watch = Watch::start(&[AMAL, OLENA], &["--only", "certificate", "--format", "pdf,json"]);
    let index = watch.read("out/index.html");
    assert!(index.contains("أمل حسن") && index.contains("Олена Коваленко"), "{index}");
    assert!(!index.contains("Оксана Мельник"));

    watch.write(OKSANA, &std::fs::read_to_string(repo_root().join(OKSANA)).unwrap());
    watch.status(1);
    let index = watch.read("out/index.html");
    assert!(index.contains("Оксана Мельник"), "an added participant is listed: {index}");
    assert!(index.contains("oksana-melnyk-lager-og-logistik.pdf\""), "with a link: {index}");

    std::fs::remove_file(watch.path(AMAL)).unwrap();
    watch.status(2);
    let index = watch.read("out/index.html");
    assert!(!index.contains("أمل حسن"), "a deleted participant is gone: {index}");
    assert!(index.contains("Олена Коваленко"));
}

/// `count` participants of park-och-natur, copies of Yonas under other
/// names, so that rebuilding everything made from that framework takes a
/// while.
fn many_participants(project: &Path, count: usize) {
    let yonas = std::fs::read_to_string(repo_root().join("examples/park-och-natur/yonas-gebremedhin.kub")).unwrap();
    let folder = project.join("examples/cohort");
    std::fs::create_dir_all(&folder).unwrap();
    for n in 0..count {
        let text = yonas.replacen("\"ዮናስ ገብረመድህን\"", &format!("\"Deltagare {n}\""), 1);
        assert_ne!(text, yonas);
        std::fs::write(folder.join(format!("participant-{n:02}.kub")), text).unwrap();
    }
}

#[test]
fn a_newer_save_overtakes_the_documents_it_makes_stale_and_the_watch_settles_on_it() {
    let args = ["--only", "certificate,progress", "--format", "pdf,html"];
    let watch = Watch::start_with(&[], &args, |project| many_participants(project, 12));
    let framework = "frameworks/park-och-natur.kub";
    let original = watch.read(framework);
    let titled = |title: &str| original.replacen("\"Park- och naturarbete\"", &format!("\"{title}\""), 1);
    assert_ne!(titled("Parkarbete A"), original, "the test edits the framework's title");

    // The second save comes while the first one's two dozen PDFs are built.
    watch.write(framework, &titled("Parkarbete A"));
    std::thread::sleep(Duration::from_millis(150));
    watch.write(framework, &titled("Parkarbete B"));

    let overtaken = watch.status(1);
    assert!(overtaken.contains("left for the newer save"), "{overtaken}");
    let settled = watch.status(2);
    assert!(settled.contains("rebuilt 24 documents"), "{settled}");
    assert!(!settled.contains("left for"), "{settled}");

    let pages: Vec<PathBuf> = walk(&watch.path("out"))
        .into_iter()
        .filter(|path| {
            path.extension().is_some_and(|e| e == "html") && path.starts_with(watch.path("out/certificates"))
        })
        .collect();
    assert_eq!(pages.len(), 12, "{pages:?}");
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            html.contains("Parkarbete B") && !html.contains("Parkarbete A"),
            "{} is of the last save",
            page.display()
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(watch.status_lines().len(), 2, "nothing is left to do after the last save:\n{}", watch.stderr());
}
