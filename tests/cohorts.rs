//! Cohorts across workplaces, the funders' overview, spreadsheets and the
//! output folder's index page, made from the example cohort.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::support::{copy_dir, kub, kub_in, pdf_text, repo_root};

fn build(out: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["build", "examples", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = kub(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// The CSV's rows, read as Excel would: UTF-8 after the byte order mark,
/// `;` between fields.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).expect("the CSV starts with a byte order mark");
    assert!(String::from_utf8_lossy(text).contains("\r\n"), "rows end in CRLF");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(text);
    reader.records().map(|record| record.unwrap().iter().map(str::to_string).collect()).collect()
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn a_summary_spreadsheet_has_a_typed_row_per_participant_and_item_in_csv_and_xlsx() {
    let out = tempfile::tempdir().unwrap();
    build(out.path(), &["--only", "summary", "--format", "csv,xlsx"]);
    let stem = out.path().join("summaries/park-och-natur-2-1-all-workplaces");
    let rows = read_csv(&stem.with_extension("csv"));
    let header = &rows[0];
    for name in ["Deltagare", "Arbetsplats", "Ramverk", "Område", "Typ", "Id", "Punkt", "Nivå", "Steg", "Uppnådd"] {
        column(header, name);
    }
    let (participant, workplace, framework) =
        (column(header, "Deltagare"), column(header, "Arbetsplats"), column(header, "Ramverk"));
    let (item, step, achieved, date, status) = (
        column(header, "Id"),
        column(header, "Steg"),
        column(header, "Uppnådd"),
        column(header, "Datum"),
        column(header, "Status"),
    );
    // Amal Hassan's rating of pruning at her final assessment at Slottsskogen,
    // a tailoring of park-och-natur, in the industry's summary.
    let amal =
        rows.iter().find(|row| row[participant] == "أمل حسن" && row[item] == "beskarning").expect("Amal's pruning row");
    assert_eq!(amal[workplace], "Slottsskogen");
    assert_eq!(amal[framework], "slottsskogen@1.0");
    assert!(amal[date].len() == 10 && amal[date].starts_with("2026-"), "{amal:?}");
    assert!(["Ja", "Nej"].contains(&amal[achieved].as_str()), "{amal:?}");
    assert_eq!(amal[status], "Undertecknad");
    assert!(rows.iter().any(|row| row[framework] == "park-och-natur@2.1"), "the industry's own participants");
    assert!(rows.iter().any(|row| row[status] == "Pågår"), "Åsa Öberg's assessment is running");

    // The workbook holds the same values, typed.
    let mut workbook: Xlsx<_> = open_workbook(stem.with_extension("xlsx")).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), rows.len(), "the same rows as the CSV");
    for (csv_row, xlsx_row) in rows.iter().zip(sheet.rows()).skip(1) {
        assert_eq!(xlsx_row[participant], Data::String(csv_row[participant].clone()));
        match &xlsx_row[step] {
            Data::Float(number) => assert_eq!(number.to_string(), csv_row[step]),
            Data::Empty => assert_eq!(csv_row[step], ""),
            other => panic!("a step is a number: {other:?}"),
        }
        match &xlsx_row[achieved] {
            Data::Bool(yes) => assert_eq!(if *yes { "Ja" } else { "Nej" }, csv_row[achieved]),
            other => panic!("achieved is true or false: {other:?}"),
        }
        match &xlsx_row[date] {
            Data::DateTime(day) => {
                let serial = day.as_f64() as i64;
                let expected = chrono::NaiveDate::parse_from_str(&csv_row[date], "%Y-%m-%d").unwrap();
                let excel_epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                assert_eq!(excel_epoch + chrono::Duration::days(serial), expected);
            }
            Data::Empty => assert_eq!(csv_row[date], ""),
            other => panic!("a date is a date: {other:?}"),
        }
    }
}

#[test]
fn a_progression_spreadsheet_has_the_participants_tasks_competences_and_milestones() {
    let out = tempfile::tempdir().unwrap();
    build(out.path(), &["--only", "progress", "--format", "csv", "--lang", "en"]);
    let rows = read_csv(&out.path().join("progress/amal-hassan-sprakvalidering.csv"));
    let kind = column(&rows[0], "Kind");
    let level = column(&rows[0], "CEFR level");
    let milestones: Vec<_> = rows.iter().skip(1).filter(|row| row[kind] == "Milestone").collect();
    assert!(!milestones.is_empty(), "{rows:?}");
    assert!(milestones.iter().all(|row| ["A1", "A2", "B1", "B2"].contains(&row[level].as_str())), "{milestones:?}");
    let tasks = read_csv(&out.path().join("progress/amal-hassan-slottsskogen.csv"));
    let kind = column(&tasks[0], "Kind");
    assert!(tasks.iter().any(|row| row[kind] == "Work task") && tasks.iter().any(|row| row[kind] == "Competence"));
}

#[test]
fn an_industry_summary_counts_the_participants_of_its_tailorings_by_workplace() {
    let out = tempfile::tempdir().unwrap();
    let run = build(out.path(), &["--only", "summary", "--format", "pdf"]);
    let text = pdf_text(&out.path().join("summaries/park-och-natur-2-1-all-workplaces.pdf"));
    let lower = text.to_lowercase();
    assert!(lower.contains("sammanställning för branschen, alla arbetsplatser"), "{text}");
    assert!(lower.contains("per arbetsplats"), "{text}");
    assert!(text.contains("Anpassning: Park- och naturarbete i Slottsskogen"), "tailoring marked: {text}");
    assert!(text.contains("Åsa Öberg") && text.contains("Олена Коваленко"), "{text}");
    // The tailoring's own summary is made as before.
    assert!(out.path().join("summaries/slottsskogen-1-0.pdf").is_file(), "{}", run.stderr);
    assert!(!out.path().join("summaries/lager-og-logistik-1-0-all-workplaces.pdf").exists(), "no tailorings");
}

#[test]
fn the_funders_overview_counts_every_participant_across_frameworks() {
    let out = tempfile::tempdir().unwrap();
    build(out.path(), &["--only", "overview", "--format", "pdf"]);
    let text = pdf_text(&out.path().join("overview/examples.pdf"));
    assert!(text.contains("Översikt för finansiärer"), "{text}");
    for heading in ["Per ramverk", "Per arbetsplats", "Per kvartal då placeringen började"] {
        assert!(text.to_lowercase().contains(&heading.to_lowercase()), "{heading}: {text}");
    }
    // Eleven assessments of ten people: Amal Hassan has two validations.
    assert!(text.contains("10 Personer 11 Valideringar"), "{text}");
}

#[test]
fn the_overview_counts_a_certificate_in_the_register_as_issued() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("examples/lager-og-logistik"), &dir.path().join("lager"));
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    std::fs::write(dir.path().join("kub.toml"), "frameworks = [\"frameworks\"]\n").unwrap();
    let issue = kub_in(dir.path(), &["issue", "lager/khaled-alomar.kub"]);
    assert_eq!(issue.code, 0, "{}", issue.stderr);
    let run = kub_in(dir.path(), &["build", "lager", "--out", "out", "--format", "pdf,html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&dir.path().join("out/overview/lager.pdf"));
    assert!(text.contains("1 Udstedte læringsbeviser"), "{text}");
    let index = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(index.contains("status-issued"), "{index}");
}

#[test]
fn the_index_page_links_every_document_relatively_and_is_accessible() {
    let out = tempfile::tempdir().unwrap();
    build(out.path(), &["--format", "html,csv"]);
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(index.contains("<html lang=\"sv\">"), "{index}");
    assert!(index.contains("<caption>") && index.contains("scope=\"col\"") && index.contains("scope=\"row\""));
    assert!(!index.contains("<script"), "works without scripts");
    // HTML escaping writes `/` as `&#x2f;` in attributes, which a browser reads as `/`.
    let decoded = index.replace("&#x2f;", "/");
    let links: Vec<&str> = decoded.split("href=\"").skip(1).map(|rest| rest.split('"').next().unwrap()).collect();
    assert!(links.len() > 20, "{links:?}");
    for link in &links {
        assert!(!link.starts_with('/') && !link.contains("://"), "relative: {link}");
        assert!(out.path().join(link).is_file(), "{link} exists");
    }
    assert!(links.contains(&"certificates/amal-hassan-slottsskogen.html"), "{links:?}");
    assert!(links.contains(&"summaries/park-och-natur-2-1-all-workplaces.csv"), "{links:?}");
    assert!(index.contains("Pågår") && index.contains("Undertecknad"), "statuses");
    insta::assert_snapshot!("index_page", index);
}

#[test]
fn the_index_page_escapes_names_and_leaves_a_page_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("examples/lager-og-logistik"), &dir.path().join("lager"));
    copy_dir(&repo_root().join("frameworks"), &dir.path().join("frameworks"));
    std::fs::write(dir.path().join("kub.toml"), "frameworks = [\"frameworks\"]\n").unwrap();
    let file = dir.path().join("lager/khaled-alomar.kub");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("participant \"خالد العمر\"", "participant \"Khaled <b>Alomar</b> & co\""))
        .unwrap();
    let run = kub_in(dir.path(), &["build", "lager", "--out", "out", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(index.contains("Khaled &lt;b&gt;Alomar&lt;&#x2f;b&gt; &amp; co"), "{index}");
    assert!(!index.contains("<b>Alomar"), "{index}");

    std::fs::write(dir.path().join("out/index.html"), "<p>our own page</p>").unwrap();
    let run = kub_in(dir.path(), &["build", "lager", "--out", "out", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("was not made by kub, so it was left as it is"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("out/index.html")).unwrap(), "<p>our own page</p>");
}
