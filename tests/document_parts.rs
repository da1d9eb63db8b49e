//! Documents part by part: the data each kind of document's templates see,
//! and single blocks and macros of the bundled templates filled with it.
//! A template edit changes the snapshot of the part it touches, and a change
//! in what kub computes shows in the data, not in pages of generated Typst;
//! `build.rs` keeps a few whole documents as end-to-end guards.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kub::build::{Branding, Builder, DocumentKind, Languages, OutputNames, Plan, PlannedDocument, Strings, plan};
use kub::project::Project;
use kub::render::Templates;
use serde_json::{Value, json};

/// Unicode's first strong isolate and pop directional isolate, which keep a
/// right-to-left name from reordering the text around it.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// The documents `kub build examples` plans, and a builder with the bundled
/// templates, made once for every test here.
struct Examples {
    builder: Builder,
    plan: Plan,
}

fn examples() -> &'static Examples {
    static EXAMPLES: OnceLock<Examples> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        // Tests run in the repository, as `kub build examples` does in `build.rs`.
        let project = Project::discover(Path::new(".")).expect("the repository has no kub.toml to break");
        let checked = kub::check::check(project.workspace(&[PathBuf::from("examples")]));
        let kinds: BTreeSet<DocumentKind> = DocumentKind::ALL.into_iter().collect();
        let mut names = OutputNames::unrecorded(&project.root);
        let plan = plan(&checked, &kinds, &Languages::default(), &mut names, None);
        let builder = Builder::new(None, &Branding::default()).expect("the bundled templates load");
        Examples { builder, plan }
    })
}

/// The planned document with output path `stem`, such as
/// `certificates/amal-hassan-slottsskogen`.
fn document(stem: &str) -> &'static PlannedDocument {
    let plan = &examples().plan;
    plan.documents.iter().find(|document| document.stem == Path::new(stem)).unwrap_or_else(|| {
        let stems: Vec<_> = plan.documents.iter().map(|document| document.stem.display().to_string()).collect();
        panic!("no document {stem} among {stems:#?}")
    })
}

/// What the templates of document `stem` see, without the fixed texts `t`:
/// those are `templates/strings.toml`'s, the same for every document.
fn data(stem: &str) -> Value {
    let mut data = examples().builder.template_data(document(stem));
    data.as_object_mut().expect("the context is a map").remove("t");
    data
}

/// Blocks of template `name` filled with document `stem`'s data, each under
/// a line that names it.
fn blocks(name: &str, stem: &str, blocks: &[&str]) -> String {
    let builder = &examples().builder;
    let data = builder.template_data(document(stem));
    let mut out = String::new();
    for block in blocks {
        let rendered = builder
            .templates()
            .render_block(name, block, &data)
            .unwrap_or_else(|error| panic!("block {block} of {name} for {stem}: {error:#?}"));
        out.push_str(&format!("--- {block}\n{rendered}\n"));
    }
    out
}

/// A progression as its templates see it, small enough to read: every
/// value but the lists of tasks, competences and chart rows, which are one
/// line each with what kub concluded, and the first task in full.
fn progression_digest(stem: &str) -> Value {
    let mut data = data(stem);
    let doc = data["doc"].as_object_mut().expect("a progression is a map");
    let areas = doc.remove("areas").unwrap_or_default();
    let competences = doc.remove("competences").unwrap_or_default();
    let chart = doc.remove("level_chart").unwrap_or_default();
    let tasks = task_lines(&areas, rated);
    let first_task = areas.pointer("/0/tasks/0").cloned().unwrap_or_default();
    let competences: Vec<String> = items(&competences).map(|c| rated(&text(&c["id"]), c)).collect();
    let rows: Vec<String> = items(&chart["rows"]).map(chart_row).collect();
    let tracks = doc.remove("language_tracks").unwrap_or_default();
    let tracks: Vec<String> = items(&tracks).flat_map(language_track).collect();
    let lines = json!({
        "tasks": tasks,
        "first_task": first_task,
        "competences": competences,
        "level_chart": { "levels": chart["levels"], "rows": rows },
        "language_tracks": tracks,
    });
    with_lines(data, lines)
}

/// One task or competence of a progression on a line: its level at each
/// occasion, the level now and the change, and whether it is achieved and
/// required.
fn rated(name: &str, item: &Value) -> String {
    let ratings: Vec<String> = items(&item["ratings"])
        .map(|rating| if rating.is_null() { "-".to_string() } else { rating["rank"].to_string() })
        .collect();
    let now = match item["current"]["level"].as_str() {
        Some(level) => format!("now {level} change {}", item["change"]),
        None => "not rated".to_string(),
    };
    format!(
        "{name}: [{}] {now}{}{}",
        ratings.join(" "),
        if item["achieved"] == true { ", achieved" } else { "" },
        if item["required"] == true { ", required" } else { "" },
    )
}

/// A language track on a line, how many milestones it had reached at each
/// occasion, then a line for each milestone and when it was reached.
fn language_track(track: &Value) -> Vec<String> {
    let by: Vec<String> = items(&track["reached_by"]).map(|r| r["milestones"].to_string()).collect();
    let id = text(&track["id"]);
    let mut lines = vec![format!(
        "{id} ({}): level {}, {} reached; by occasion {}",
        text(&track["skill"]),
        text(&track["level"]),
        track["reached"],
        by.join(" ")
    )];
    for milestone in items(&track["milestones"]) {
        lines.push(format!(
            "{id}/{}: CEFR {}, SFI {}, reached {} at occasion {}",
            text(&milestone["id"]),
            text(&milestone["cefr"]),
            text(&milestone["sfi"]),
            text(&milestone["reached_on"]),
            milestone["reached_at"],
        ));
    }
    lines
}

/// One row of the level chart: the mean level of an area at each occasion.
fn chart_row(row: &Value) -> String {
    let means: Vec<String> = items(&row["means"])
        .map(|mean| match mean.is_null() {
            true => "-".to_string(),
            false => {
                format!("{} of {} ({} rated)", mean["on_scale"]["rank"], mean["on_scale"]["levels"], mean["rated"])
            }
        })
        .collect();
    // The row of the general competences belongs to no area.
    format!("{}: {}", row["area"].as_str().unwrap_or("(competences)"), means.join(", "))
}

/// A checklist as its templates see it: every value but the tasks and
/// competences, which are one line each, and the first task in full.
fn checklist_digest(stem: &str) -> Value {
    let mut data = data(stem);
    let checklist = data["checklist"].as_object_mut().expect("a checklist is a map");
    let areas = checklist.remove("areas").unwrap_or_default();
    let competences = checklist.remove("competences").unwrap_or_default();
    let tasks = task_lines(&areas, |name, task| {
        format!(
            "{name}: {} on scale {}, SeQF {} {}, {} criteria{}",
            text(&task["evidence"]),
            text(&task["scale"]),
            task["seqf"],
            text(&task["seqf_dimension"]),
            items(&task["criteria"]).count(),
            if task["required"] == true { ", required" } else { "" },
        )
    });
    let first_task = areas.pointer("/0/tasks/0").cloned().unwrap_or_default();
    let competences: Vec<String> = items(&competences)
        .map(|c| {
            let levels: Vec<String> = items(&c["descriptors"]).map(|d| text(&d["id"])).collect();
            format!("{} on scale {}: {}", text(&c["id"]), text(&c["scale"]), levels.join(", "))
        })
        .collect();
    with_lines(data, json!({ "tasks": tasks, "first_task": first_task, "competences": competences }))
}

/// `data` with the lists that stand in for what a digest took out.
fn with_lines(mut data: Value, lines: Value) -> Value {
    let map = data.as_object_mut().expect("the context is a map");
    map.extend(lines.as_object().expect("the lines are a map").clone());
    data
}

/// One line for each task of `areas`, made by `line` from the task's name
/// (`area/task`) and the task.
fn task_lines(areas: &Value, line: impl Fn(&str, &Value) -> String) -> Vec<String> {
    let mut lines = Vec::new();
    for area in items(areas) {
        for task in items(&area["tasks"]) {
            lines.push(line(&format!("{}/{}", text(&area["id"]), text(&task["id"])), task));
        }
    }
    lines
}

/// The items of a list; none for anything else.
fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

/// A string value as it is, anything else as JSON.
fn text(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

#[test]
fn a_certificate_and_a_progression_report_see_the_participants_progression() {
    let certificate = data("certificates/amal-hassan-slottsskogen");
    let mut progress = data("progress/amal-hassan-slottsskogen");
    // The same data, under the document's own title.
    assert_eq!(certificate["title"], "أمل حسن – Park- och naturarbete i Slottsskogen");
    assert_eq!(progress["title"], "أمل حسن – Park- och naturarbete i Slottsskogen");
    progress["title"] = certificate["title"].clone();
    // Only the issued certificate carries a QR code.
    assert!(progress["verification"].is_null());
    let mut certificate = certificate;
    let verification = certificate["verification"].take();
    assert!(verification["link"].as_str().unwrap().starts_with("kub:verify?code="), "{verification}");
    assert_eq!(progress, certificate);
    // A tailored framework, a right-to-left name, Swedish.
    insta::assert_json_snapshot!(
        "data__progression__amal-hassan-slottsskogen",
        progression_digest("certificates/amal-hassan-slottsskogen")
    );
}

#[test]
fn a_progression_sees_the_occasions_and_levels() {
    // Danish; and a participant whose assessment is still running.
    insta::assert_json_snapshot!(
        "data__progression__soren-aero-bogh-lager-og-logistik",
        progression_digest("progress/soren-aero-bogh-lager-og-logistik")
    );
    insta::assert_json_snapshot!(
        "data__progression__asa-oberg-park-och-natur",
        progression_digest("progress/asa-oberg-park-och-natur")
    );
}

#[test]
fn a_language_validation_sees_its_tracks() {
    insta::assert_json_snapshot!(
        "data__progression__amal-hassan-sprakvalidering",
        progression_digest("progress/amal-hassan-sprakvalidering")
    );
}

#[test]
fn a_checklist_sees_the_framework_as_tailored() {
    insta::assert_json_snapshot!("data__checklist__slottsskogen-1-0", checklist_digest("checklists/slottsskogen-1-0"));
    insta::assert_json_snapshot!(
        "data__checklist__lager-og-logistik-1-0",
        checklist_digest("checklists/lager-og-logistik-1-0")
    );
}

#[test]
fn a_cohort_summary_sees_every_participant_of_its_framework() {
    let mut data = data("summaries/lager-og-logistik-1-0");
    // Each task on a line: how many participants were rated on it and how
    // many achieved it.
    let tasks: Vec<String> = items(&data["cohort"]["tasks"])
        .map(|task| {
            format!(
                "{}/{}: {} achieved of {} rated{}",
                text(&task["area"]),
                text(&task["id"]),
                task["achieved"],
                task["rated"],
                if task["required"] == true { ", required" } else { "" },
            )
        })
        .collect();
    data["cohort"]["tasks"] = json!(tasks);
    insta::assert_json_snapshot!("data__cohort__lager-og-logistik-1-0", data);
}

#[test]
fn the_certificates_heading_closing_and_signature() {
    for stem in [
        "certificates/amal-hassan-slottsskogen",
        "certificates/khaled-alomar-lager-og-logistik",
        "certificates/olena-kovalenko-slottsskogen",
    ] {
        let name = stem.replace('/', "__");
        let typst = blocks("certificate.typ", stem, &["heading", "closing_text", "signature"]);
        insta::assert_snapshot!(format!("part__{name}.typ"), typst);
    }
    let html = blocks("certificate.html", "certificates/amal-hassan-slottsskogen", &["heading", "closing_text"]);
    insta::assert_snapshot!("part__certificates__amal-hassan-slottsskogen.html", html);
}

#[test]
fn the_progression_reports_header_and_footer() {
    let typst = blocks("progress.typ", "progress/khaled-alomar-lager-og-logistik", &["header", "footer"]);
    insta::assert_snapshot!("part__progress__khaled-alomar-lager-og-logistik.typ", typst);
}

#[test]
fn the_headers_of_checklists_and_summaries() {
    let checklist = blocks("checklist.typ", "checklists/lager-og-logistik-1-0", &["header", "footer"]);
    insta::assert_snapshot!("part__checklists__lager-og-logistik-1-0.typ", checklist);
    let summary = blocks("summary.typ", "summaries/slottsskogen-1-0", &["header", "footer"]);
    insta::assert_snapshot!("part__summaries__slottsskogen-1-0.typ", summary);
}

#[test]
fn a_right_to_left_name_is_isolated_in_typst_and_marked_in_html() {
    let name = document("certificates/amal-hassan-slottsskogen");
    let name = examples().builder.template_data(name)["doc"]["participant"]["name"].as_str().unwrap().to_string();
    let typst = blocks("certificate.typ", "certificates/amal-hassan-slottsskogen", &["heading"]);
    assert!(typst.contains(&format!("person([{FSI}{name}{PDI}], rtl-name: true)")), "{typst}");
    let html = blocks("certificate.html", "certificates/amal-hassan-slottsskogen", &["heading"]);
    assert!(html.contains(&format!(r#"lang="und-Arab" dir="rtl">{FSI}{name}{PDI}</bdi>"#)), "{html}");
    // A left-to-right name needs neither.
    let typst = blocks("certificate.typ", "certificates/olena-kovalenko-slottsskogen", &["heading"]);
    assert!(typst.contains("person([Олена Коваленко], rtl-name: false)"), "{typst}");
}

#[test]
fn dates_are_written_in_the_documents_language() {
    let danish = blocks("certificate.typ", "certificates/khaled-alomar-lager-og-logistik", &["signature"]);
    let swedish = blocks("certificate.typ", "certificates/amal-hassan-slottsskogen", &["signature"]);
    let english = blocks("certificate.typ", "certificates/olena-kovalenko-slottsskogen", &["signature"]);
    // Danish puts a full stop after the day, escaped in Typst markup.
    assert!(danish.contains(r"[31\. marts 2026]"), "{danish}");
    assert!(swedish.contains("[28 oktober 2026]"), "{swedish}");
    assert!(english.contains("[26 November 2025]"), "{english}");
}

/// Templates with one of the user's own, `test.html`, that uses the bundled
/// parts.
fn with_test_template(text: &str) -> (tempfile::TempDir, Templates) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("test.html"), text).unwrap();
    let templates = Templates::new(Some(dir.path())).expect("the test template loads");
    (dir, templates)
}

#[test]
fn the_html_macros_write_names_dates_and_numbers_in_the_documents_language() {
    let (_dir, templates) = with_test_template(
        "{% from \"parts/macros.html\" import name, day, decimal, percent %}\
         {{ name(person) }} | {{ day(\"2026-02-03\", lang) }} | {{ decimal(2.46, t) }} | {{ percent(0.5, t) }}",
    );
    let strings = Strings::load(None).unwrap();
    let people = [
        json!({ "name": "أمل حسن", "right_to_left": true }),
        json!({ "name": "Søren Ærø Bøgh", "right_to_left": false }),
        json!({ "name": "ዮናስ ገብረመድህን", "right_to_left": false }),
    ];
    let mut out = String::new();
    for (lang, person) in ["sv", "da", "en"].into_iter().zip(people) {
        let context = json!({ "person": person, "lang": lang, "t": strings.for_language(kub::model::Lang::parse(lang).unwrap()) });
        out.push_str(&templates.render("test.html", context).unwrap());
        out.push('\n');
    }
    insta::assert_snapshot!("part__macros.html", out);
    let lines: Vec<&str> = out.lines().collect();
    // The decimal comma of Swedish and Danish, the point of English.
    assert!(lines[0].contains("| 2,5 |") && lines[1].contains("| 2,5 |"), "{out}");
    assert!(lines[2].contains("| 2.5 |"), "{out}");
    assert!(lines[1].contains("3. februar 2026"), "{out}");
}
