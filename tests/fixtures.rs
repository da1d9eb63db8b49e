//! One broken file (or folder) per mistake; each gets a snapshot of what
//! `kub check` says about it, and must name every code it expects and where.
//!
//! A fixture states its expectations in comments, several per line if need be:
//!
//! ```text
//! # expect: K0401 at 18:8            (in the file holding the comment)
//! # expect: K0305 at other.kub:4:1   (in another file of a folder fixture)
//! # expect: K0001 nowhere            (a diagnostic about no place in a file)
//! # expect-exit: 0                   (only where the severities would mislead)
//! ```
//!
//! The exit code follows from the expected codes' severities, so a summary
//! line that miscounts cannot make its own test pass.

use std::path::{Path, PathBuf};

use kub::diagnostic::{Code, Severity};

use crate::support::{fixtures, kub, repo_root};

/// Where a fixture expects a diagnostic: a file, line and column, or no place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    At { file: String, line: u64, column: u64 },
    Nowhere,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::At { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Place::Nowhere => write!(f, "no place"),
        }
    }
}

/// One `CODE at PLACE` a fixture states.
#[derive(Debug)]
struct Expectation {
    code: Code,
    place: Place,
}

/// Everything a fixture states about how `kub check` must answer it.
#[derive(Debug, Default)]
struct Expectations {
    diagnostics: Vec<Expectation>,
    exit: Option<i32>,
}

impl Expectations {
    /// The exit code a fixture states, or else 1 when any expected code is an
    /// error by default and 0 when all are warnings.
    fn exit_code(&self) -> i32 {
        self.exit.unwrap_or_else(|| {
            let any_error = self.diagnostics.iter().any(|e| e.code.default_severity() == Severity::Error);
            i32::from(any_error)
        })
    }
}

/// Every file of a fixture, folders walked to the bottom, in a stable order.
fn files_of(fixture: &Path) -> Vec<PathBuf> {
    if !fixture.is_dir() {
        return vec![fixture.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .flat_map(|path| files_of(&path))
        .collect();
    files.sort();
    files
}

/// A path relative to the repository root, with forward slashes as kub prints them.
fn relative(path: &Path) -> String {
    path.strip_prefix(repo_root()).unwrap().to_string_lossy().replace('\\', "/")
}

/// Reads `at L:C`, `at FILE:L:C` or `nowhere`; FILE is relative to `file`'s folder.
fn parse_place(words: &mut std::slice::Iter<&str>, file: &Path) -> Place {
    let what = format!("{}: a place (`at LINE:COLUMN` or `nowhere`) after each code", relative(file));
    match words.next().copied() {
        Some("nowhere") => Place::Nowhere,
        Some("at") => {
            let place = words.next().unwrap_or_else(|| panic!("{what}"));
            let mut parts: Vec<&str> = place.rsplitn(3, ':').collect();
            parts.reverse();
            let (named, line, column) = match parts.as_slice() {
                [named, line, column] => (file.parent().unwrap().join(named), *line, *column),
                [line, column] => (file.to_path_buf(), *line, *column),
                _ => panic!("{what}, not `{place}`"),
            };
            Place::At {
                file: relative(&named),
                line: line.parse().unwrap_or_else(|_| panic!("{what}, not `{place}`")),
                column: column.parse().unwrap_or_else(|_| panic!("{what}, not `{place}`")),
            }
        }
        other => panic!("{what}, not {other:?}"),
    }
}

/// The `# expect:` and `# expect-exit:` comments of every file of a fixture.
fn expectations(fixture: &Path) -> Expectations {
    let mut expectations = Expectations::default();
    for file in files_of(fixture) {
        // Some fixtures are not UTF-8 on purpose; their comments still are.
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for line in text.lines().map(str::trim) {
            if let Some(exit) = line.strip_prefix("# expect-exit:") {
                expectations.exit = Some(exit.trim().parse().expect("`# expect-exit:` takes a number"));
            } else if let Some(stated) = line.strip_prefix("# expect:") {
                let words: Vec<&str> = stated.split_whitespace().collect();
                let mut words = words.iter();
                while let Some(code) = words.next() {
                    let code = Code::parse(code)
                        .unwrap_or_else(|| panic!("{}: `{code}` is not a diagnostic code", relative(&file)));
                    let place = parse_place(&mut words, &file);
                    expectations.diagnostics.push(Expectation { code, place });
                }
            }
        }
    }
    expectations
}

/// Where a diagnostic of `kub check --format json` is.
fn place_of(diagnostic: &serde_json::Value) -> Place {
    match (diagnostic["file"].as_str(), diagnostic["line"].as_u64(), diagnostic["column"].as_u64()) {
        (Some(file), Some(line), Some(column)) => Place::At { file: file.to_string(), line, column },
        _ => Place::Nowhere,
    }
}

/// Asserts that each expectation meets its own reported diagnostic, and
/// that nothing else is reported.
fn assert_reported_at_their_places(relative: &str, expected: &Expectations) {
    let run = kub(&["check", relative, "--format", "json"]);
    let reported: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let mut unclaimed: Vec<(String, Place)> =
        reported.iter().map(|d| (d["code"].as_str().unwrap_or_default().to_string(), place_of(d))).collect();
    for expectation in &expected.diagnostics {
        let code = expectation.code.as_str();
        let found = unclaimed.iter().position(|(c, place)| *c == code && *place == expectation.place);
        assert!(
            found.is_some(),
            "{relative} should report {code} at {}, but kub reported: {}",
            expectation.place,
            unclaimed.iter().map(|(c, place)| format!("{c} at {place}")).collect::<Vec<_>>().join(", ")
        );
        unclaimed.remove(found.unwrap());
    }
    // A diagnostic nobody expected is as much a change as a missing one.
    assert!(
        unclaimed.is_empty(),
        "{relative} reports more than it expects: {}",
        unclaimed.iter().map(|(code, place)| format!("{code} at {place}")).collect::<Vec<_>>().join(", ")
    );
}

fn check_fixtures(kind: &str) {
    let entries = fixtures(kind);
    assert!(!entries.is_empty(), "no fixtures in tests/fixtures/{kind}");
    for fixture in entries {
        let relative = relative(&fixture);
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let expected = expectations(&fixture);
        assert!(!expected.diagnostics.is_empty(), "{relative} does not say `# expect: CODE at LINE:COLUMN`");
        assert_reported_at_their_places(&relative, &expected);
        let run = kub(&["check", &relative]);
        assert_eq!(run.code, expected.exit_code(), "{relative}: exit code\n{}", run.stderr);
        insta::with_settings!({
            snapshot_path => format!("snapshots/{kind}"),
            prepend_module_to_snapshot => false,
            description => relative.clone(),
            omit_expression => true,
            // The project's own frameworks are counted too; their number is not the point.
            filters => vec![(r"checked \d+ files?", "checked [N] files")],
        }, {
            insta::assert_snapshot!(name, run.stderr);
        });
    }
}
#[test]
fn broken_frameworks_are_reported() {
    check_fixtures("framework");
}

#[test]
fn broken_assessments_are_reported() {
    check_fixtures("assessment");
}

#[test]
fn diagnostics_as_json_have_positions_codes_and_hints() {
    let run = kub(&["check", "tests/fixtures/framework/seqf-level-out-of-range.kub", "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let first = &diagnostics[0];
    assert_eq!(first["code"], "K0208");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().unwrap() > 0);
    assert!(first["column"].as_u64().unwrap() > 0);
    assert!(first["end_column"].as_u64().is_some());
    assert!(first["file"].as_str().unwrap().ends_with("seqf-level-out-of-range.kub"));
    assert!(!first["hints"].as_array().unwrap().is_empty());
}
