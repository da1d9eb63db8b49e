//! `kub fmt`: the layout never changes meaning, is idempotent, keeps every
//! comment, merges well, and the command behaves as documented.

use std::path::{Path, PathBuf};
use std::process::Command;

use kub::format::{FormatError, format, same_meaning};
use kub::source::FileId;
use kub::syntax::parse;
use proptest::prelude::*;

use crate::support::{copy_dir, kub, kub_in, repo_root};

/// Every `.kub` file of the repository: frameworks, examples and fixtures.
fn repository_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|ext| ext == "kub") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["frameworks", "examples", "tests/fixtures"] {
        walk(&repo_root().join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 100, "the repository's files were found");
    files
}

fn read(path: &Path) -> String {
    // Some fixtures are not UTF-8 on purpose; they have nothing to format.
    std::fs::read(path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap()
}

fn comment_texts(text: &str) -> Vec<String> {
    parse(FileId::default(), text).comments.into_iter().map(|comment| comment.text).collect()
}

/// Formats `text` and checks every property a layout must have.
fn assert_formats_faithfully(name: &str, text: &str) -> Option<String> {
    let before = parse(FileId::default(), text);
    let has_errors = before.document.is_none() || before.diagnostics.iter().any(|d| d.is_error());
    match format(FileId::default(), text) {
        Err(FormatError::Syntax(diagnostics)) => {
            assert!(has_errors, "{name}: refused although it parses");
            assert!(!diagnostics.is_empty(), "{name}: refused without saying why");
            None
        }
        Err(FormatError::WouldChangeMeaning) => panic!("{name}: formatting would change its meaning"),
        Ok(formatted) => {
            assert!(!has_errors, "{name}: formatted although it has syntax errors");
            let after = parse(FileId::default(), &formatted);
            assert!(after.diagnostics.iter().all(|d| !d.is_error()), "{name}: the result has errors:\n{formatted}");
            let (before_doc, after_doc) = (before.document.unwrap(), after.document.unwrap());
            assert!(same_meaning(&before_doc, &after_doc), "{name}: the meaning changed:\n{formatted}");
            assert_eq!(comment_texts(text), comment_texts(&formatted), "{name}: comments changed");
            let again = format(FileId::default(), &formatted).unwrap_or_else(|_| panic!("{name}: formats once only"));
            assert_eq!(formatted, again, "{name}: formatting twice differs from formatting once");
            assert!(!formatted.contains('\r') && !formatted.starts_with('\u{FEFF}'), "{name}: not plain LF text");
            Some(formatted)
        }
    }
}

#[test]
fn every_repository_file_formats_faithfully() {
    let mut formatted = 0;
    for path in repository_files() {
        let name = path.strip_prefix(repo_root()).unwrap().display().to_string();
        if assert_formats_faithfully(&name, &read(&path)).is_some() {
            formatted += 1;
        }
    }
    assert!(formatted > 50, "most files of the repository parse and were formatted ({formatted})");
}

#[test]
fn a_file_with_syntax_errors_is_left_alone() {
    let broken = read(&repo_root().join("tests/fixtures/assessment/missing-closing-brace.kub"));
    assert!(matches!(format(FileId::default(), &broken), Err(FormatError::Syntax(_))));
}

/// Changes the spacing of a text where spacing means nothing: between
/// words, and the indentation of lines, never inside strings or comments
/// and never around a comment. `choices` picks the new spacing.
fn respace(text: &str, choices: &[u8]) -> String {
    let mut out = String::new();
    let mut choice = choices.iter().cycle();
    let mut chars = text.char_indices().peekable();
    let mut at_line_start = true;
    while let Some((at, c)) = chars.next() {
        if text[at..].starts_with("\"\"\"") {
            let end = text[at + 3..].find("\"\"\"").map_or(text.len(), |end| at + 3 + end + 3);
            out.push_str(&text[at..end]);
            while chars.peek().is_some_and(|&(next, _)| next < end) {
                chars.next();
            }
        } else if c == '"' {
            out.push(c);
            while let Some((_, c)) = chars.next() {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next().map(|(_, c)| c));
                } else if c == '"' {
                    break;
                }
            }
        } else if c == '#' {
            out.push(c);
            while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                out.push(chars.next().unwrap().1);
            }
        } else if c == ' ' {
            while chars.peek().is_some_and(|&(_, c)| c == ' ') {
                chars.next();
            }
            let before_comment = chars.peek().is_none_or(|&(_, c)| c == '#' || c == '\n' || c == '\r');
            let spacing = match (before_comment || at_line_start, choice.next().unwrap_or(&0) % 4) {
                (true, 0) | (false, 0) => " ",
                (true, 1) | (false, 1) => "   ",
                (_, 2) => "\t",
                (true, _) => "  ",
                (false, _) => "\n",
            };
            out.push_str(spacing);
        } else {
            out.push(c);
        }
        at_line_start = c == '\n';
        continue;
    }
    out
}

fn framework_samples() -> Vec<String> {
    ["frameworks/park-och-natur.kub", "frameworks/lager-og-logistik.kub", "examples/park-och-natur/asa-oberg.kub"]
        .iter()
        .map(|path| read(&repo_root().join(path)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The layout depends only on what a file says and where its comments
    /// and blank lines are, never on how its words were spaced.
    #[test]
    fn respacing_formats_the_same(index in 0usize..3, choices in proptest::collection::vec(any::<u8>(), 1..64)) {
        let sample = &framework_samples()[index];
        let respaced = respace(sample, &choices);
        let expected = format(FileId::default(), sample).ok().unwrap();
        let formatted = assert_formats_faithfully("respaced sample", &respaced).expect("a respaced file still parses");
        prop_assert_eq!(expected, formatted);
    }

    /// Damaged files are refused or formatted faithfully, never mangled.
    #[test]
    fn damaged_files_format_faithfully_or_not_at_all(index in 0usize..3, start in 0usize..6000, length in 0usize..30, insert in "[{}\"#a-z0-9 \\n-]{0,10}") {
        let samples = framework_samples();
        let sample = &samples[index];
        let mut start = start.min(sample.len());
        while !sample.is_char_boundary(start) { start -= 1; }
        let mut end = (start + length).min(sample.len());
        while !sample.is_char_boundary(end) { end -= 1; }
        let damaged = format!("{}{}{}", &sample[..start], insert, &sample[end..]);
        assert_formats_faithfully("damaged sample", &damaged);
    }
}

// ------------------------------------------------------------ layout

#[test]
fn messy_framework_snapshot() {
    let messy = "\u{FEFF}# Ramverk\r\nframework   demo \"Demo\"  en \"Demo\" # rubrik\r\nversion 1\r\nlanguages sv en\r\n\r\n\r\n\r\nrate tasks with kub\r\nscale kub { level a \"A\" level b \"B\" {} }\r\narea skotsel \"Skötsel\" en\r\n  \"Care\" {\r\n  # Om gräs\r\n  task gras \"Klippa\" { criterion \"Klipper jämnt\"\r\n  # på engelska\r\n  en \"Mows evenly\" seqf 2   skills required }\r\n  task tom {}\r\n  task kratta \"Kratta\"\r\n  # sista\r\n}\r\ncompetence samarbete \"Samarbete\" { level a \"\"\"\r\n    Arbetar med andra.\r\n    \"\"\" }\r\n";
    insta::assert_snapshot!(format(FileId::default(), messy).unwrap());
}

#[test]
fn messy_assessment_snapshot() {
    let messy = "# Om placeringen\nassessment follows demo 1\nparticipant \"Åsa\" { reference \"X-1\"  language sv }\nworkplace \"Park\" # arbetsplats\nperiod 2026-01-05 to 2026-06-30\n\noccasion mapping 2026-01-08 by \"Göran\" {\n  task gras        med-stod    \"Behöver stöd\"\n  task kratta      ?\n}\noccasion final 2026-06-20 {\n  task gras sjalvstandigt # klart\n}\n\n\n# slut\n";
    insta::assert_snapshot!(format(FileId::default(), messy).unwrap());
}

#[test]
fn messy_tailoring_snapshot() {
    let messy = "framework lokal \"Lokal\" extends demo 1 version 1.1\nremove task kratta   # görs inte här\noverride task gras \"Klippa\" # rubrik\n  en \"Mow\" { required }\ntrack tala \"Tala\" { skill speaking milestone m1 { cefr A2 sfi C } milestone m2 {} }\ncertificate { achieved kub from b\n seqf share 80 } # slut på intyget\n";
    insta::assert_snapshot!(format(FileId::default(), messy).unwrap());
}

// ------------------------------------------------------------ merging

/// Merges `ours` and `theirs` into `base` with `git merge-file`; the merged
/// text, or `None` on a conflict.
fn merge(base: &str, ours: &str, theirs: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("base.kub", base), ("ours.kub", ours), ("theirs.kub", theirs)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let status = Command::new("git")
        .args(["merge-file", "ours.kub", "base.kub", "theirs.kub"])
        .current_dir(dir.path())
        .status()
        .expect("git runs");
    let merged = std::fs::read_to_string(dir.path().join("ours.kub")).unwrap();
    (status.code() == Some(0)).then_some(merged)
}

fn canonical(text: &str) -> String {
    format(FileId::default(), text).unwrap_or_else(|_| panic!("formats:\n{text}"))
}

const BASE: &str = r#"framework demo "Park" en "Park"
version 1
languages sv en

area skotsel "Skötsel" en "Care" {
  task gras "Klippa gräs" en "Mow grass" {
    criterion "Klipper jämnt" en "Mows evenly"
    criterion "Stänger av maskinen" en "Switches off the machine"
    required
  }
  task trim "Trimma kanter" en "Trim edges" {
    criterion "Använder visir" en "Wears a visor"
  }
}
"#;

/// Changes one text on each side of a merge and checks that git merges
/// both changes without a conflict into a formatted file.
fn assert_merges(ours: (&str, &str), theirs: (&str, &str)) {
    let base = canonical(BASE);
    let edit = |(old, new): (&str, &str)| canonical(&base.replacen(&format!("\"{old}\""), &format!("\"{new}\""), 1));
    let merged = merge(&base, &edit(ours), &edit(theirs)).expect("no conflict");
    assert!(merged.contains(ours.1) && merged.contains(theirs.1), "{merged}");
    assert_eq!(canonical(&merged), merged);
}

#[test]
fn edits_to_different_tasks_merge() {
    assert_merges(("Klipper jämnt", "Klipper jämnt och rakt"), ("Använder visir", "Använder visir och hörselskydd"));
}

#[test]
fn edits_to_different_languages_of_one_title_merge() {
    assert_merges(("Klippa gräs", "Klippa gräsmattor"), ("Mow grass", "Mow lawns"));
}

#[test]
fn edits_to_different_languages_of_one_criterion_merge() {
    assert_merges(
        ("Stänger av maskinen", "Stänger av maskinen direkt"),
        ("Switches off the machine", "Switches the machine off"),
    );
}

#[test]
fn a_task_added_and_another_edited_merge() {
    let base = canonical(BASE);
    let ours = canonical(&base.replace("  task trim", "  task lov \"Samla löv\" en \"Gather leaves\"\n\n  task trim"));
    let theirs = base.replace("\"Använder visir\"", "\"Använder visir och hörselskydd\"");
    let merged = merge(&base, &ours, &theirs).expect("no conflict");
    assert!(merged.contains("Samla löv") && merged.contains("visir och hörselskydd"));
}

/// Two additions at the same place are beyond a line-based merge, whatever
/// the layout: docs/formatting.md says so and how to resolve it.
#[test]
fn two_tasks_added_at_the_end_of_one_area_conflict_in_a_line_merge() {
    let base = canonical(BASE);
    let add = |task: &str| canonical(&base.replace("  }\n}\n", &format!("  }}\n  task {task}\n}}\n")));
    assert_eq!(merge(&base, &add("lov \"Samla löv\""), &add("sno \"Skotta snö\"")), None);
}

// ------------------------------------------------------------ the command

const MESSY: &str = "library demo   \"Demo\"\nlanguages   sv\n";
const TIDY: &str = "library demo \"Demo\"\nlanguages sv\n";

#[test]
fn fmt_rewrites_changed_files_and_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("messy.kub"), MESSY).unwrap();
    std::fs::write(dir.path().join("tidy.kub"), TIDY).unwrap();
    let run = kub_in(dir.path(), &["fmt"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim(), Path::new(".").join("messy.kub").display().to_string());
    assert!(run.stderr.contains("reformatted 1 of 2 files"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("messy.kub")).unwrap(), TIDY);
    let again = kub_in(dir.path(), &["fmt", "--check"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "{again:?}");
}

#[test]
fn fmt_check_changes_nothing_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("messy.kub"), MESSY).unwrap();
    let run = kub_in(dir.path(), &["fmt", "--check", "messy.kub"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout.trim(), "messy.kub");
    assert_eq!(std::fs::read_to_string(dir.path().join("messy.kub")).unwrap(), MESSY);
}

#[test]
fn fmt_leaves_a_broken_file_and_formats_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "library demo \"Demo\"\nlanguages sv\nscale kub {\n  level a\n";
    std::fs::write(dir.path().join("broken.kub"), broken).unwrap();
    std::fs::write(dir.path().join("messy.kub"), MESSY).unwrap();
    let run = kub_in(dir.path(), &["fmt", "."]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("broken.kub:5:1"), "{}", run.stderr);
    assert!(run.stderr.contains("left ./broken.kub as it is: it has syntax errors"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("broken.kub")).unwrap(), broken);
    assert_eq!(std::fs::read_to_string(dir.path().join("messy.kub")).unwrap(), TIDY);
}

fn kub_with_input(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kub"))
        .args(args)
        .arg("--color=never")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (output.status.code().unwrap_or(-1), text(output.stdout), text(output.stderr))
}

#[test]
fn fmt_dash_formats_standard_input() {
    let (code, stdout, stderr) = kub_with_input(&["fmt", "-"], MESSY);
    assert_eq!((code, stdout.as_str()), (0, TIDY), "{stderr}");
}

#[test]
fn fmt_dash_with_syntax_errors_writes_nothing() {
    let (code, stdout, stderr) = kub_with_input(&["fmt", "-"], "library demo \"Demo\"\nlanguages\n");
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("<stdin>:3:1") || stderr.contains("<stdin>:2"), "{stderr}");
}

#[test]
fn the_repository_files_are_formatted() {
    let run = kub(&["fmt", "--check", "frameworks", "examples"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn formatting_keeps_every_resolved_framework_and_progression() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["frameworks", "examples"] {
        copy_dir(&repo_root().join(folder), &dir.path().join(folder));
    }
    let scramble = |path: &Path| {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, respace(&text, &[1, 3, 2, 3, 0, 3])).unwrap();
    };
    let shown = |dir: &Path| -> Vec<String> {
        let mut targets: Vec<String> = ["park-och-natur", "lager-og-logistik", "slottsskogen", "kulturtolk-forskola"]
            .iter()
            .map(|id| id.to_string())
            .collect();
        targets.push("examples/park-och-natur/asa-oberg.kub".into());
        targets.push("examples/lager-og-logistik/oksana-melnyk.kub".into());
        targets
            .iter()
            .map(|target| {
                let run = kub_in(dir, &["show", target, "--format", "json", "--in", "frameworks"]);
                assert_eq!(run.code, 0, "{target}: {run:?}");
                run.stdout
            })
            .collect()
    };
    for file in ["frameworks/park-och-natur.kub", "examples/park-och-natur/asa-oberg.kub"] {
        scramble(&dir.path().join(file));
    }
    let before = shown(dir.path());
    let run = kub_in(dir.path(), &["fmt", "frameworks", "examples"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("park-och-natur.kub"), "{}", run.stdout);
    assert_eq!(before, shown(dir.path()));
}

// ------------------------------------------------------------ the merge driver

/// A git repository whose `.kub` files merge with `kub merge`, holding
/// `demo.kub` as `base` on branch main.
fn repository_with_driver(base: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitattributes"), "*.kub merge=kub\n").unwrap();
    std::fs::write(dir.path().join("demo.kub"), base).unwrap();
    let driver = format!("{} merge %O %A %B", env!("CARGO_BIN_EXE_kub"));
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "merge.kub.driver", &driver]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
        .status
        .success()
}

/// Commits `ours` on main and `theirs` on a branch, merges the branch into
/// main, and gives whether the merge succeeded and the file after it.
fn merge_with_driver(base: &str, ours: &str, theirs: &str) -> (bool, String) {
    let dir = repository_with_driver(base);
    let commit = |text: &str, message: &str| {
        std::fs::write(dir.path().join("demo.kub"), text).unwrap();
        assert!(git(dir.path(), &["commit", "-q", "-am", message]));
    };
    assert!(git(dir.path(), &["checkout", "-q", "-b", "theirs"]));
    commit(theirs, "theirs");
    assert!(git(dir.path(), &["checkout", "-q", "main"]));
    commit(ours, "ours");
    let merged = git(dir.path(), &["merge", "-q", "--no-edit", "theirs"]);
    (merged, std::fs::read_to_string(dir.path().join("demo.kub")).unwrap())
}

#[test]
fn the_merge_driver_keeps_two_tasks_added_at_the_end_of_one_area() {
    let base = canonical(BASE);
    let add = |task: &str| base.replace("  }\n}\n", &format!("  }}\n  task {task} {{\n    required\n  }}\n}}\n"));
    let (merged, text) = merge_with_driver(&base, &add("lov \"Samla löv\""), &add("sno \"Skotta snö\""));
    assert!(merged, "{text}");
    assert!(text.find("task lov").unwrap() < text.find("task sno").unwrap(), "{text}");
    assert_eq!(canonical(&text), text);
}

#[test]
fn the_merge_driver_merges_edits_written_in_different_layouts() {
    let base = canonical(BASE);
    let ours = BASE.replace("\"Klipper jämnt\"", "\"Klipper jämnt och rakt\"");
    let theirs = canonical(&BASE.replace("\"Mows evenly\"", "\"Mows evenly and straight\""));
    let (merged, text) = merge_with_driver(&base, &ours, &theirs);
    assert!(merged, "{text}");
    assert!(text.contains("jämnt och rakt") && text.contains("evenly and straight"), "{text}");
}

#[test]
fn the_merge_driver_leaves_a_real_conflict_to_a_person() {
    let base = canonical(BASE);
    let ours = base.replace("\"Klipper jämnt\"", "\"Klipper rakt\"");
    let theirs = base.replace("\"Klipper jämnt\"", "\"Klipper jämnt och snyggt\"");
    let (merged, text) = merge_with_driver(&base, &ours, &theirs);
    assert!(!merged);
    assert!(text.contains("Klipper rakt") && text.contains("Klipper jämnt och snyggt") && text.contains("<<<<<<<"));
}
