//! Documents end to end: templates with real escaping, Typst to PDF, and what
//! a reader of the PDF or HTML sees (text extracted with poppler's
//! `pdftotext`, fonts listed with `pdffonts`).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use kub::diagnostic::{Code, Diagnostic};
use kub::render::escape::needs_isolation;
use kub::render::{Bytes, PdfEngine, Templates, TypstDocument, write_atomically};
use serde_json::json;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render")
}

fn templates() -> Templates {
    Templates::new(Some(&fixtures().join("templates"))).expect("the fixture templates load")
}

fn document(name: &str, source: String) -> TypstDocument {
    TypstDocument {
        name: name.to_string(),
        source,
        files: Vec::new(),
        archival: false,
        ident: "test-cohort/anna".to_string(),
        date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
    }
}

/// The text of a PDF as `pdftotext` extracts it, whitespace collapsed. Raw
/// mode keeps content order and the space between single characters, which
/// the default layout analysis drops (`a b` would read `ab`).
fn pdf_text(pdf: &[u8]) -> String {
    let stdout = poppler("pdftotext", pdf, &["-raw", "-enc", "UTF-8"], &["-"]);
    normalise(&stdout)
}

/// Runs a poppler tool on a PDF: `tool BEFORE file.pdf AFTER`.
fn poppler(tool: &str, pdf: &[u8], before: &[&str], after: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    write_atomically(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(before)
        .arg(&path)
        .args(after)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {tool} (install poppler-utils): {error}"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between the first `start` and the `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("`{start}` is missing")) + start.len();
    let to = from + text[from..].find(end).unwrap_or_else(|| panic!("`{end}` is missing"));
    &text[from..to]
}

/// What `values.typ` printed for value `number` (1-based), as extracted.
fn pdf_value(text: &str, number: usize) -> String {
    let value = between(text, &format!("Value {number} begins"), &format!("Value {number} ends"));
    value.trim().to_string()
}

fn compile(source: String) -> Vec<u8> {
    PdfEngine::new()
        .compile(&document("values.typ", source))
        .unwrap_or_else(|errors| panic!("the document does not compile: {errors:#?}"))
}

/// Values that would be markup, code, HTML or a comment if they were not
/// escaped.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        r#"# $ * _ ` < > @ \ [ ] ~ / = + - ' " : ."#,
        r#"#read("/etc/passwd")"#,
        "#sys.inputs",
        "#{panic()}",
        "#let x = 1",
        "// not a comment",
        "/* not a comment either",
        "unbalanced ] ) } [ ( { and [[",
        "<script>alert(1)</script>",
        "&amp; &lt; &#x27; &nbsp; &copy",
        "= not a heading",
        "- not a list",
        "+ not a numbered list",
        "1. not numbered either",
        "/ term: not a term list",
        "*bold* _emph_ `raw` $x^2$ @label <label>",
        "https://example.com/a_b?c=d",
        "a -- b --- c ... d ~ e -? f",
        "line one\nline two\r\n= line three",
        "",
        r"\",
        r"ends with a backslash \",
        "Åsa Öberg-Ødegård",
    ]
    .map(String::from)
    .into();
    // No hyphens: a line may break after one, which extraction shows as `- `.
    values.push("Karin Maria Lindqvist Öberg ".repeat(20).chars().take(500).collect());
    values
}

/// Direction controls that could reorder what a reader sees.
fn bidi_values() -> Vec<String> {
    [
        "\u{202E}fdp.exe\u{202C}",
        "Anna \u{2067}أمل\u{2069} \u{200F}Öberg\u{200E}",
        "\u{202D}\u{202A}x\u{202B}y\u{202C}\u{2066}z\u{2068}w\u{2069}",
    ]
    .map(String::from)
    .into()
}

fn is_invisible(c: char) -> bool {
    c.is_whitespace() || c.general_category() == GeneralCategory::Format
}

#[test]
fn hostile_values_are_shown_literally_in_pdf() {
    let hostile = hostile_values();
    let bidi = bidi_values();
    let values: Vec<&String> = hostile.iter().chain(&bidi).collect();
    let context = json!({
        "lang": "en",
        "title": "Hostile <values> & \"quotes\" \\ #title",
        "values": values,
    });
    let source = templates().render("values.typ", &context).unwrap();
    let text = pdf_text(&compile(source));

    for (index, value) in hostile.iter().enumerate() {
        assert_eq!(pdf_value(&text, index + 1), normalise(value), "value {}", index + 1);
    }
    for (index, value) in bidi.iter().enumerate() {
        let number = hostile.len() + index + 1;
        let shown = pdf_value(&text, number);
        for c in value.chars().filter(|&c| !is_invisible(c)) {
            assert!(shown.contains(c), "value {number}: `{c}` is missing from `{shown}`");
        }
    }
}

#[test]
fn hostile_values_are_escaped_in_html() {
    let values = [hostile_values(), bidi_values()].concat();
    let context = json!({ "lang": "en", "title": "<script>alert(2)</script>", "values": values });
    let html = templates().render("values.html", &context).unwrap();

    assert!(!html.contains("<script"), "raw script tag in {html}");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<main>"));
    for (index, value) in values.iter().enumerate() {
        let number = index + 1;
        let shown = between(&html, &format!("<p id=\"value-{number}\">"), "</p>");
        assert!(!shown.contains(['<', '>']), "value {number} is not escaped: {shown}");
        // A value with right-to-left letters comes isolated, so that it
        // cannot reorder the text around it.
        let expected = if needs_isolation(value) { format!("\u{2068}{value}\u{2069}") } else { value.clone() };
        assert_eq!(html_unescape(shown), expected, "value {number}");
    }
}

/// Undoes the HTML escaping minijinja applies.
fn html_unescape(text: &str) -> String {
    [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&#x2f;", "/"), ("&amp;", "&")]
        .iter()
        .fold(text.to_string(), |text, (entity, c)| text.replace(entity, c))
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let source = "#set document(title: \"Intyg\")\n\
        #pdf.attach(\"certificate.json\", mime-type: \"application/json\",\n\
        \x20 relationship: \"data\", description: \"The certificate as data\")\n\
        = Intyg\nAnna Öberg har visat att hon kan klippa gräs.\n";
    let mut certificate = document("certificate.typ", source.to_string());
    certificate.archival = true;
    certificate.files = vec![("certificate.json".to_string(), Bytes::new(br#"{"name":"Anna"}"#.to_vec()))];

    let engine = PdfEngine::new();
    let first = engine.compile(&certificate).unwrap();
    let second = engine.compile(&certificate).unwrap();
    let from_threads: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2).map(|_| scope.spawn(|| engine.compile(&certificate).unwrap())).collect();
        workers.into_iter().map(|worker| worker.join().unwrap()).collect()
    });

    assert!(first.starts_with(b"%PDF-"));
    assert!(first == second, "two compiles differ");
    assert!(from_threads.iter().all(|pdf| *pdf == first), "compiles on threads differ");
    assert!(PdfEngine::new().compile(&certificate).unwrap() == first, "a new engine differs");
}

#[test]
fn names_in_other_scripts_use_the_bundled_fonts() {
    let names = ["أمل حسن", "ሰላም ተስፋይ", "Олена Коваленко", "Søren Ærø"];
    let context = json!({ "lang": "sv", "values": names });
    let pdf = compile(templates().render("values.typ", &context).unwrap());
    let text = pdf_text(&pdf);

    for (index, name) in names.iter().enumerate() {
        // pdftotext marks right-to-left runs with embedding controls.
        let shown: String =
            pdf_value(&text, index + 1).chars().filter(|&c| c.general_category() != GeneralCategory::Format).collect();
        let reversed: String = name.chars().rev().collect();
        assert!(shown == *name || shown == reversed || same_words(&shown, name), "`{name}` is shown as `{shown}`");
    }
    let fonts = embedded_fonts(&pdf);
    for family in ["NotoSans-Regular", "NotoSansArabic-Regular", "NotoSansEthiopic-Regular"] {
        assert!(fonts.iter().any(|font| font.ends_with(family)), "{family} is not embedded: {fonts:?}");
    }
}

/// Whether `shown` has the words of `name`, in any order: a PDF reader may
/// give right-to-left words in visual order.
fn same_words(shown: &str, name: &str) -> bool {
    let mut shown: Vec<&str> = shown.split(' ').collect();
    let mut name: Vec<&str> = name.split(' ').collect();
    shown.sort_unstable();
    name.sort_unstable();
    shown == name
}

/// The names of the fonts `pdffonts` lists as embedded (subset prefix kept).
fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let listing = poppler("pdffonts", pdf, &[], &[]);
    let mut lines = listing.lines();
    lines.next();
    // The dashes under the header give the columns: name, type, encoding, emb ...
    let columns: Vec<(usize, usize)> = lines
        .next()
        .unwrap()
        .split(' ')
        .scan(0, |start, dashes| {
            let column = (*start, *start + dashes.len());
            *start += dashes.len() + 1;
            Some(column)
        })
        .collect();
    let cell = |line: &str, (from, to): (usize, usize)| line[from..to.min(line.len())].trim().to_string();
    lines.filter(|line| cell(line, columns[3]) == "yes").map(|line| cell(line, columns[0])).collect()
}

#[test]
fn a_typst_error_names_the_line_of_the_generated_source() {
    let source = templates().render("undefined-variable.typ", json!({ "lang": "sv", "name": "Anna" })).unwrap();
    let line = source.lines().position(|line| line == "#greeting").unwrap() + 1;

    let errors = PdfEngine::new().compile(&document("undefined-variable.typ", source)).unwrap_err();

    let error = &errors[0];
    assert_eq!(error.code.as_str(), "K0503");
    assert!(error.is_error());
    assert!(
        error.message.starts_with(&format!("undefined-variable.typ:{line}:2: unknown variable: greeting")),
        "{error:#?}"
    );
    assert!(error.hints.iter().any(|hint| hint.contains("| #greeting")), "{error:#?}");
}

#[test]
fn documents_cannot_read_other_files() {
    let source = "#read(\"/etc/passwd\")\n#image(\"../../logo.png\")\n".to_string();
    let errors = PdfEngine::new().compile(&document("escape.typ", source)).unwrap_err();
    assert_eq!(errors[0].code, Code::TypstError);
    assert!(errors[0].message.starts_with("escape.typ:1:7: file not found"), "{errors:#?}");
    assert!(errors[0].hints.iter().any(|hint| hint.contains("only the files kub gives it")), "{errors:#?}");
}

#[test]
fn a_template_syntax_error_names_the_file_and_line() {
    let dir = fixtures().join("broken");
    let errors = match Templates::new(Some(&dir)) {
        Ok(_) => panic!("a broken template loaded"),
        Err(errors) => errors,
    };

    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error: &Diagnostic = &errors[0];
    assert_eq!(error.code.as_str(), "K0502");
    let file = dir.join("unfinished-filter.typ");
    assert!(error.message.starts_with(&format!("{}:3: syntax error", file.display())), "{error:#?}");
    assert!(error.hints.iter().any(|hint| hint.contains("3 | Hej {{ name| }}!")), "{error:#?}");
}

#[test]
fn a_missing_value_is_a_template_error_at_its_line() {
    let error = templates().render("values.typ", json!({ "lang": "sv" })).unwrap_err();
    assert_eq!(error.code, Code::TemplateError);
    let file = fixtures().join("templates/values.typ");
    assert!(error.message.starts_with(&format!("{}:3: undefined value", file.display())), "{error:#?}");
}
