//! What a text may hold, end to end: refused characters are named and
//! located, right-to-left values are isolated in every document, long texts
//! are limited and wrapped, and `check` and `build` agree on characters no
//! font can draw.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{copy_dir, kub_in, repo_root};

/// A project folder with the bundled frameworks and one assessment: the
/// signed Slottsskogen example with its participant's name replaced.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn with_name(name: &str) -> Project {
        Project::with_texts(&[("\"أمل حسن\"", name)])
    }

    /// The example with each quoted text `from` (quotes included) replaced
    /// by `to`, quoted.
    fn with_texts(replacements: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
        let mut assessment =
            std::fs::read_to_string(repo_root().join("examples/slottsskogen/amal-hassan.kub")).unwrap();
        for (from, to) in replacements {
            assert!(assessment.contains(from), "the example has {from}");
            assessment = assessment.replace(from, &format!("\"{to}\""));
        }
        std::fs::write(dir.path().join("deltagare.kub"), assessment).unwrap();
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> crate::support::Run {
        kub_in(self.path(), args)
    }

    /// Builds into `out` in the project; the files made, sorted.
    fn build(&self, formats: &str) -> (crate::support::Run, Vec<PathBuf>) {
        let run = self.run(&["build", "deltagare.kub", "--out", "out", "--format", formats]);
        let mut made = Vec::new();
        for folder in ["certificates", "progress"] {
            for entry in std::fs::read_dir(self.path().join("out").join(folder)).into_iter().flatten() {
                made.push(entry.unwrap().path());
            }
        }
        made.sort();
        (run, made)
    }
}

fn one_with_extension(files: &[PathBuf], folder: &str, extension: &str) -> PathBuf {
    files
        .iter()
        .find(|file| file.extension().is_some_and(|e| e == extension) && file.parent().unwrap().ends_with(folder))
        .unwrap_or_else(|| panic!("no {folder}/*.{extension} among {files:?}"))
        .clone()
}

fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(pdf).arg("-").output().unwrap();
    assert!(output.status.success(), "pdftotext reads {}", pdf.display());
    String::from_utf8(output.stdout).unwrap()
}

fn pages(pdf: &Path) -> String {
    let output = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8(output.stdout).unwrap();
    info.lines().find_map(|line| line.strip_prefix("Pages:")).unwrap_or_default().trim().to_string()
}

/// Text without its spacing and the invisible places where a line may
/// break, so that a wrapped word reads whole again.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{200b}').collect()
}

fn json_diagnostics(run: &crate::support::Run) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(&run.stdout).expect("JSON on stdout").as_array().unwrap().clone()
}

fn find<'a>(diagnostics: &'a [serde_json::Value], code: &str) -> &'a serde_json::Value {
    diagnostics.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

#[test]
fn check_and_build_agree_that_an_emoji_stops_the_certificate() {
    let project = Project::with_name("Amal Hassan 🌳");
    let check = project.run(&["check", "deltagare.kub"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("error[K0501]"), "{}", check.stderr);
    assert!(check.stderr.contains("deltagare.kub:7:13"), "{}", check.stderr);
    assert!(check.stderr.contains("`🌳` (U+1F333)"), "{}", check.stderr);
    assert!(check.stderr.contains("0 of 1 assessments ready for a certificate"), "{}", check.stderr);

    let (build, made) = project.build("pdf,html");
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(build.stderr.contains("error[K0501]"), "{}", build.stderr);
    assert!(build.stderr.contains("skipped deltagare.kub: it has errors"), "{}", build.stderr);
    assert!(made.is_empty(), "nothing is made for the assessment: {made:?}");
}

#[test]
fn a_right_to_left_name_is_isolated_in_typst_html_and_printed_whole() {
    let name = "أمل حسن (Amal)";
    let project = Project::with_name(name);
    let check = project.run(&["check", "deltagare.kub"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("1 of 1 assessments ready for a certificate"), "{}", check.stderr);

    let (build, made) = project.build("pdf,typ,html");
    assert_eq!(build.code, 0, "{}", build.stderr);
    let isolated = format!("\u{2068}{name}\u{2069}");
    let typst = std::fs::read_to_string(one_with_extension(&made, "certificates", "typ")).unwrap();
    assert!(typst.contains("person([\u{2068}أمل حسن \\(Amal\\)\u{2069}]"), "{typst}");
    let html = std::fs::read_to_string(one_with_extension(&made, "certificates", "html")).unwrap();
    assert!(html.contains(&format!("dir=\"rtl\">{isolated}</bdi>")), "{html}");
    // Latin names need no isolation and stay as written.
    assert!(html.contains("</span>Kent Olsson"), "{html}");

    let text = pdf_text(&one_with_extension(&made, "certificates", "pdf"));
    for word in ["أمل", "حسن", "Amal"] {
        assert!(text.contains(word), "`{word}` is printed:\n{text}");
    }
    assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'), "isolates are not text:\n{text}");
}

#[test]
fn a_name_at_the_limit_wraps_and_the_certificate_stays_one_page() {
    let long_word = "Abdirahmanmohamedhassanabdullahialnoorbintkhalidibnrashidalmansouri";
    let name = format!("Amal {long_word} Hassan-Kovalenko-Öberg-Gebr");
    assert_eq!(name.chars().count(), 100, "the longest name allowed");
    let project = Project::with_name(&name);
    let check = project.run(&["check", "deltagare.kub"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let (build, made) = project.build("pdf,html");
    assert_eq!(build.code, 0, "{}", build.stderr);
    let certificate = one_with_extension(&made, "certificates", "pdf");
    assert_eq!(pages(&certificate), "1", "the certificate stays one page");
    let text = pdf_text(&certificate);
    assert!(squeezed(&text).contains(&squeezed(&name)), "nothing of the name is cut:\n{text}");
    let progress = pdf_text(&one_with_extension(&made, "progress", "pdf"));
    assert!(squeezed(&progress).contains(&squeezed(&name)), "nor in the progress report:\n{progress}");
    let html = std::fs::read_to_string(one_with_extension(&made, "certificates", "html")).unwrap();
    assert!(html.contains(&format!(">{name}</bdi>")), "{html}");
    assert!(html.contains("overflow-wrap: anywhere"), "long words wrap in HTML too");
}

#[test]
fn a_name_over_the_limit_is_refused_with_the_limit_and_its_length() {
    let name = "Amal Hassan ".repeat(10);
    let project = Project::with_name(name.trim_end());
    let run = project.run(&["check", "deltagare.kub", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let diagnostics = json_diagnostics(&run);
    let too_long = find(&diagnostics, "K0227");
    assert_eq!((too_long["line"].as_u64(), too_long["column"].as_u64()), (Some(7), Some(13)));
    assert_eq!(too_long["message"], "this text has 119 characters; a name may have at most 100");

    let (build, made) = project.build("pdf");
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(made.is_empty(), "{made:?}");
}

#[test]
fn refused_characters_are_named_located_and_never_printed_raw() {
    let cases = [
        ("Amal \u{202e}Hassan", "RIGHT-TO-LEFT OVERRIDE (U+202E)", 19),
        ("Amal\u{0} Hassan", "NULL (U+0000)", 18),
        ("Amal \u{2066}Hassan\u{2069}", "LEFT-TO-RIGHT ISOLATE (U+2066)", 19),
        ("Amal\u{85}Hassan", "NEXT LINE (U+0085)", 18),
    ];
    for (name, described, column) in cases {
        let project = Project::with_name(name);
        let run = project.run(&["check", "deltagare.kub", "--format", "json"]);
        assert_eq!(run.code, 1, "{name:?}: {}", run.stdout);
        let diagnostics = json_diagnostics(&run);
        let refused = find(&diagnostics, "K0103");
        assert_eq!(refused["message"], format!("a text cannot hold {described}"), "{name:?}");
        assert_eq!((refused["line"].as_u64(), refused["column"].as_u64()), (Some(7), Some(column)), "{name:?}");

        let human = project.run(&["check", "deltagare.kub"]);
        assert_eq!(human.code, 1);
        assert!(human.stderr.contains(&format!("deltagare.kub:7:{column}")), "{}", human.stderr);
        let raw = name.chars().find(|c| !c.is_alphanumeric() && *c != ' ').unwrap();
        assert!(!human.stderr.contains(raw), "{name:?} is printed raw:\n{}", human.stderr);
    }
}

#[test]
fn joiners_and_direction_marks_that_scripts_need_are_allowed() {
    // A Persian name with a zero width non-joiner, and a right-to-left mark
    // that keeps the closing parenthesis with the Arabic name.
    let project = Project::with_name("مهر\u{200c}ناز (أمل\u{200f})");
    let run = project.run(&["check", "deltagare.kub"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 errors, 0 warnings"), "{}", run.stderr);
}

#[test]
fn json_keeps_the_positions_that_human_output_cuts_or_hides() {
    let root = repo_root();
    let long = kub_in(&root, &["check", "tests/fixtures/assessment/long-line-with-error.kub", "--format", "json"]);
    let diagnostics = json_diagnostics(&long);
    let date = find(&diagnostics, "K0413");
    assert_eq!((date["line"].as_u64(), date["column"].as_u64()), (Some(7), Some(5046)));
    let human = kub_in(&root, &["check", "tests/fixtures/assessment/long-line-with-error.kub"]);
    assert!(human.stderr.contains("long-line-with-error.kub:7:5046"), "{}", human.stderr);
    assert!(human.stderr.lines().all(|line| line.chars().count() < 200), "lines are cut:\n{}", human.stderr);

    let bom =
        kub_in(&root, &["check", "tests/fixtures/assessment/byte-order-mark-on-first-line.kub", "--format", "json"]);
    let diagnostics = json_diagnostics(&bom);
    let keyword = find(&diagnostics, "K0101");
    assert_eq!((keyword["line"].as_u64(), keyword["column"].as_u64()), (Some(1), Some(12)));
}

#[test]
fn a_megabyte_line_gives_a_short_message() {
    let project = Project::with_name("Amal Hassan");
    let huge = "a".repeat(1 << 20);
    let cases = [
        (format!("workplace \"{huge}\"\n"), "K0227", "a name may have at most 100"),
        (format!("workplace {huge}\n"), "K0101", "found `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…`"),
    ];
    for (line, code, words) in cases {
        let file = project.path().join("lang.kub");
        std::fs::write(&file, format!("assessment follows slottsskogen 1.0\nparticipant \"Amal\"\n{line}")).unwrap();
        let run = project.run(&["check", "lang.kub"]);
        assert_eq!(run.code, 1, "{code}");
        assert!(run.stderr.contains(&format!("[{code}]")), "{code}: {}", &run.stderr[..run.stderr.len().min(2000)]);
        assert!(run.stderr.contains(words), "{code}: {}", &run.stderr[..run.stderr.len().min(2000)]);
        assert!(run.stderr.contains("lang.kub:3:"), "{}", &run.stderr[..run.stderr.len().min(2000)]);
        assert!(run.stderr.len() < 4000, "{code}: the message is short, not {} bytes", run.stderr.len());
    }
}

#[test]
fn html_never_holds_a_control_character_even_from_library_callers() {
    let templates = kub::render::Templates::new(Some(&repo_root().join("tests/fixtures/render/templates"))).unwrap();
    let context = serde_json::json!({
        "lang": "en",
        "title": "Values",
        "values": ["Amal\u{0}Hassan\u{1b}[1m", "tab\tand\nline", "\u{85}"],
    });
    let html = templates.render("values.html", &context).unwrap();
    assert!(!html.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')), "{html:?}");
    assert!(html.contains("<p id=\"value-1\">Amal\u{fffd}Hassan\u{fffd}[1m</p>"), "{html}");
    assert!(html.contains("<p id=\"value-2\">tab\tand\nline</p>"), "{html}");
    assert!(html.contains("<p id=\"value-3\">\u{fffd}</p>"), "{html}");
}

/// `words` repeated to exactly `length` characters, without a space at
/// either end.
fn text_of_length(words: &str, length: usize) -> String {
    let mut text: String = words.chars().cycle().take(length).collect();
    while text.ends_with(' ') {
        text.pop();
        text.push('x');
    }
    text
}

/// The fullest certificate of the examples, with the participant, the
/// signing supervisor (who is also every assessor), the workplace and the
/// organisation at their longest.
#[test]
fn a_certificate_with_its_texts_at_their_limits_stays_one_page() {
    let name = text_of_length("Abdirahmanmohamedhassanabdullahialnoorbintkhalid Hassan ", 100);
    let supervisor = text_of_length("Kent Olsson-Lindqvist-Bergström ", 100);
    let workplace = text_of_length("Slottsskogen parkförvaltning ", 100);
    let organisation = text_of_length("Göteborgs Stad naturförvaltningen ", 100);
    let role = text_of_length("Arbetsledare och handledare ", 100);
    let project = Project::with_texts(&[
        ("\"أمل حسن\"", &name),
        ("\"Kent Olsson\"", &supervisor),
        ("\"Slottsskogen\"", &workplace),
        ("\"Göteborgs Stad, park- och naturförvaltningen\"", &organisation),
        ("\"Arbetsledare, KUB-handledare\"", &role),
    ]);
    let check = project.run(&["check", "deltagare.kub"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("1 of 1 assessments ready for a certificate"), "{}", check.stderr);

    let (build, made) = project.build("pdf");
    assert_eq!(build.code, 0, "{}", build.stderr);
    let certificate = one_with_extension(&made, "certificates", "pdf");
    assert_eq!(pages(&certificate), "1", "the certificate stays one page");
    let text = squeezed(&pdf_text(&certificate));
    for whole in [&name, &supervisor, &workplace, &organisation, &role] {
        assert!(text.contains(&squeezed(whole)), "`{whole}` is printed whole");
    }
}

#[test]
fn a_message_quoting_a_refused_character_shows_its_code_point() {
    let project = Project::with_name("Amal Hassan");
    let file = project.path().join("deltagare.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("2026-02-05 by \"Kent Olsson\"", "2026-02-05 by \"Kent\u{202e}Olson\"", 1);
    std::fs::write(&file, text).unwrap();
    for format in ["human", "short"] {
        let run = project.run(&["check", "deltagare.kub", "--format", format]);
        let out = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 1, "{out}");
        assert!(out.contains("K0103") && out.contains("Kent<U+202E>Olson is not listed"), "{format}: {out}");
        assert!(!out.contains('\u{202e}'), "{format}: printed raw:\n{out}");
    }
}

#[test]
fn windows_line_endings_are_not_refused_characters() {
    let project = Project::with_name("Amal Hassan");
    let file = project.path().join("deltagare.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\n#") || text.starts_with('#'), "the example has comments");
    std::fs::write(&file, text.replace('\n', "\r\n")).unwrap();
    // The framework it follows extends one with comments and texts in triple quotes.
    for framework in ["frameworks/slottsskogen.kub", "frameworks/park-och-natur.kub"] {
        let path = project.path().join(framework);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains('#'), "{framework} has comments");
        std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    }
    let run = project.run(&["check", "deltagare.kub"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("K0103"), "{}", run.stderr);
}
