//! `kub export` and the certificate's QR code: CASE packages valid against
//! the CASE 1.0 schema with stable identifiers, Europass credentials with
//! every field the EDC shapes require but the two the sealing service adds,
//! and a QR code that decodes from the printed page to the certificate's
//! verification code, on a certificate that stays one page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{kub, kub_in, repo_root};

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn fixture(name: &str) -> Value {
    read_json(&repo_root().join("tests/fixtures/interop").join(name))
}

fn export_case(out: &Path, targets: &[&str]) -> crate::support::Run {
    let mut args = vec!["export", "--format", "case", "--changed", "2026-05-01", "--out", out.to_str().unwrap()];
    args.extend_from_slice(targets);
    kub(&args)
}

/// The schema's complaints about a package, one line each.
fn schema_errors(package: &Value) -> Vec<String> {
    let schema = fixture("case-v1p0-cfpackage-schema.json");
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    validator.iter_errors(package).map(|error| format!("{} at {}", error, error.instance_path())).collect()
}

fn items_of_type<'a>(package: &'a Value, kind: &str) -> Vec<&'a Value> {
    package["CFItems"].as_array().unwrap().iter().filter(|item| item["CFItemType"] == kind).collect()
}

fn associations<'a>(package: &'a Value, kind: &str) -> Vec<&'a Value> {
    package["CFAssociations"].as_array().unwrap().iter().filter(|a| a["associationType"] == kind).collect()
}

#[test]
fn every_bundled_framework_exports_as_a_valid_case_package() {
    let out = tempfile::tempdir().unwrap();
    let run = export_case(out.path(), &["frameworks"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let packages: Vec<_> = std::fs::read_dir(out.path().join("case")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(packages.len(), 5, "{packages:?}\n{}", run.stderr);
    for path in &packages {
        let package = read_json(path);
        let errors = schema_errors(&package);
        assert!(errors.is_empty(), "{} is not a valid CASE 1.0 package:\n{}", path.display(), errors.join("\n"));
    }
}

#[test]
fn a_case_package_holds_the_framework_tree_with_stable_identifiers() {
    let out = tempfile::tempdir().unwrap();
    let run = export_case(out.path(), &["park-och-natur"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = out.path().join("case/park-och-natur-2.1.json");
    let package = read_json(&path);
    let framework: Value = serde_json::from_str(&kub(&["show", "park-och-natur", "--format", "json"]).stdout).unwrap();
    let tasks: usize =
        framework["areas"].as_array().unwrap().iter().map(|a| a["tasks"].as_array().unwrap().len()).sum();
    assert_eq!(items_of_type(&package, "Task").len(), tasks);
    assert_eq!(items_of_type(&package, "Area").len(), framework["areas"].as_array().unwrap().len());
    assert_eq!(package["CFDocument"]["title"], framework["title"]["sv"]);
    assert_eq!(package["CFDocument"]["version"], "2.1");
    assert_eq!(package["CFDocument"]["lastChangeDateTime"], "2026-05-01T00:00:00+00:00");

    // Every item hangs in the tree, under an item or the document itself.
    let children: BTreeSet<&str> = associations(&package, "isChildOf")
        .iter()
        .map(|a| a["originNodeURI"]["identifier"].as_str().unwrap())
        .collect();
    for item in package["CFItems"].as_array().unwrap() {
        assert!(children.contains(item["identifier"].as_str().unwrap()), "not in the tree: {item}");
        assert_eq!(&item["identifier"].as_str().unwrap()[14..15], "5", "not a UUIDv5: {}", item["identifier"]);
    }
    // SeQF levels are links to the EQF level they are referenced to.
    let eqf = associations(&package, "isRelatedTo");
    assert!(eqf.iter().any(|a| a["destinationNodeURI"]["uri"] == "http://data.europa.eu/snb/eqf/2"), "{eqf:?}");
    // The scale is a rubric with a criterion for each task it rates.
    let rubric = &package["CFRubrics"][0];
    assert_eq!(rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"].as_array().unwrap().len(), 4, "{rubric}");

    let again = tempfile::tempdir().unwrap();
    assert_eq!(export_case(again.path(), &["park-och-natur"]).code, 0);
    let second = std::fs::read(again.path().join("case/park-och-natur-2.1.json")).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), second, "a second export gives other bytes");
}

#[test]
fn a_tailoring_points_its_inherited_items_at_the_parents() {
    let out = tempfile::tempdir().unwrap();
    let run = export_case(out.path(), &["slottsskogen", "park-och-natur@2.1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parent = read_json(&out.path().join("case/park-och-natur-2.1.json"));
    let tailoring = read_json(&out.path().join("case/slottsskogen-1.0.json"));
    let parent_items: BTreeMap<&str, &Value> =
        parent["CFItems"].as_array().unwrap().iter().map(|i| (i["identifier"].as_str().unwrap(), i)).collect();
    let matches = associations(&tailoring, "exactMatchOf");
    assert!(!matches.is_empty());
    for link in &matches {
        let target = link["destinationNodeURI"]["identifier"].as_str().unwrap();
        let item = parent_items.get(target).unwrap_or_else(|| panic!("{target} is no item of the parent"));
        assert_eq!(item["fullStatement"], link["originNodeURI"]["title"]);
    }
    // `beskarning` is overridden in the tailoring, so it is the tailoring's own.
    let pruning =
        items_of_type(&tailoring, "Task").into_iter().find(|t| t["humanCodingScheme"] == "beskarning").unwrap();
    assert!(!matches.iter().any(|m| m["originNodeURI"]["identifier"] == pruning["identifier"]));
    // A removed task is not in the tailoring's package.
    assert!(items_of_type(&tailoring, "Task").iter().all(|t| t["humanCodingScheme"] != "rojsag"));
}

#[test]
fn esco_links_and_a_translation_are_exported() {
    let project = tempfile::tempdir().unwrap();
    let framework = "framework esco-demo \"Lagerarbete\" en \"Warehouse work\"\nversion 1.0\nlanguages sv en\n\
        occupation \"Lagerarbetare\" en \"Warehouse worker\"\n\
        esco \"http://data.europa.eu/esco/occupation/8d0e5a6f-0f44-4d0b-8d64-7f06b79bd5d0\"\n\
        rate tasks with kub\n\
        scale kub \"KUB\" en \"KUB\" {\n  level med-stod \"Med stöd\" en \"With support\"\n  \
        level sjalvstandigt \"Självständigt\" en \"Independently\"\n}\n\
        area lager \"Lager\" en \"Warehouse\" {\n  task plock \"Plocka order\" en \"Pick orders\" {\n    \
        esco \"http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9\"\n    seqf 2\n  }\n}\n\
        certificate {\n  achieved kub from sjalvstandigt\n  seqf all-required\n}\n";
    std::fs::write(project.path().join("esco-demo.kub"), framework).unwrap();
    std::fs::write(project.path().join("kub.toml"), "case-url = \"https://kub.example.se/ims/case/v1p0/\"\n").unwrap();
    let run = kub_in(project.path(), &["export", "--format", "case", "esco-demo", "--lang", "en", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let package = read_json(&project.path().join("out/case/esco-demo-1.0.en.json"));
    assert!(schema_errors(&package).is_empty(), "{:?}", schema_errors(&package));
    assert_eq!(package["CFDocument"]["language"], "en");
    assert_eq!(
        package["CFDocument"]["subjectURI"][0]["uri"],
        "http://data.europa.eu/esco/occupation/8d0e5a6f-0f44-4d0b-8d64-7f06b79bd5d0"
    );
    let task = items_of_type(&package, "Task")[0];
    assert_eq!(task["fullStatement"], "Pick orders");
    assert!(task["uri"].as_str().unwrap().starts_with("https://kub.example.se/ims/case/v1p0/CFItems/"), "{task}");
    let matches = associations(&package, "exactMatchOf");
    let skill = "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9";
    assert!(matches.iter().any(|m| m["destinationNodeURI"]["uri"] == skill), "{matches:?}");
    // The translation's items say which item of the main package they translate.
    let main = kub_in(project.path(), &["export", "--format", "case", "esco-demo", "--out", "out"]);
    assert_eq!(main.code, 0, "{}", main.stderr);
    let main_package = read_json(&project.path().join("out/case/esco-demo-1.0.json"));
    let main_task = items_of_type(&main_package, "Task")[0];
    assert_eq!(main_task["fullStatement"], "Plocka order");
    assert!(matches.iter().any(|m| m["destinationNodeURI"]["identifier"] == main_task["identifier"]), "{matches:?}");
}

#[test]
fn an_unknown_framework_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    let run = export_case(out.path(), &["park-och-natr"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("there is no framework `park-och-natr`; did you mean `park-och-natur`?"),
        "{}",
        run.stderr
    );
}

/// Every property name in `value` (not a JSON-LD keyword), with a path to it.
fn property_names(value: &Value, path: &str, names: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                if !key.starts_with('@') {
                    names.entry(key.clone()).or_insert_with(|| format!("{path}/{key}"));
                }
                // Language maps hold language codes, not properties.
                let language_map = inner.as_object().is_some_and(|map| map.keys().all(|k| k.len() == 2));
                if !language_map {
                    property_names(inner, &format!("{path}/{key}"), names);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| property_names(item, path, names)),
        _ => {}
    }
}

#[test]
fn europass_credentials_have_what_the_edc_shapes_require_and_only_terms_the_contexts_define() {
    let out = tempfile::tempdir().unwrap();
    let run =
        kub(&["export", "--format", "europass", "examples/park-och-natur", "--out", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[K0647]"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[K0648]"), "{}", run.stderr);
    assert!(run.stderr.contains("not sealed"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "asa-oberg.kub: no certificate: there is no final assessment yet, so no Europass credential was made"
        ),
        "{}",
        run.stderr
    );
    let europass = out.path().join("europass");
    let files: Vec<_> = std::fs::read_dir(&europass).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let credential = read_json(&europass.join("yonas-gebremedhin-park-och-natur.jsonld"));
    assert_eq!(kub::export::missing_required(&credential), Vec::<&str>::new());
    assert_eq!(credential["@context"], serde_json::json!(kub::export::EDC_CONTEXTS));
    assert_eq!(
        credential["issuer"]["location"]["address"]["countryCode"]["id"],
        "http://publications.europa.eu/resource/authority/country/SWE"
    );

    // JSON-LD drops a term no context defines, so each must be defined.
    let mut defined: BTreeSet<String> =
        fixture("edc-ap-context.jsonld")["@context"].as_object().unwrap().keys().cloned().collect();
    let v1 = fixture("credentials-v1.jsonld");
    let v1 = &v1["@context"];
    defined.extend(v1.as_object().unwrap().keys().cloned());
    for class in v1.as_object().unwrap().values() {
        if let Some(scoped) = class["@context"].as_object() {
            defined.extend(scoped.keys().cloned());
        }
    }
    let mut used = BTreeMap::new();
    property_names(&credential, "", &mut used);
    let undefined: Vec<_> = used.iter().filter(|(name, _)| !defined.contains(*name)).collect();
    assert!(undefined.is_empty(), "terms no context defines: {undefined:?}");

    // The learning outcomes are the tasks achieved, in both of the framework's languages.
    let progression: Value =
        serde_json::from_str(&kub(&["show", "examples/park-och-natur/yonas-gebremedhin.kub"]).stdout).unwrap();
    let achieved = progression["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["tasks"].as_array().unwrap())
        .filter(|t| t["achieved"] == true)
        .count();
    let outcomes = credential["credentialSubject"]["hasClaim"]["specifiedBy"]["learningOutcome"].as_array().unwrap();
    assert_eq!(outcomes.len(), achieved);
    assert!(outcomes[0]["title"]["sv"].is_string() && outcomes[0]["title"]["en"].is_string(), "{}", outcomes[0]);
    let seqf = &credential["credentialSubject"]["hasClaim"]["additionalNote"][0]["noteLiteral"]["en"];
    assert!(seqf.as_str().unwrap().contains("European Qualifications Framework (EQF)"), "{seqf}");

    // The page image is the certificate's first page.
    use base64::Engine;
    let image =
        credential["displayParameter"]["individualDisplay"]["displayDetail"]["image"]["content"].as_str().unwrap();
    let png = base64::engine::general_purpose::STANDARD.decode(image).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let upload = read_json(&europass.join("yonas-gebremedhin-park-och-natur.upload.json"));
    assert_eq!(upload["credential"]["id"], credential["id"]);
    assert!(upload["credential"].get("@context").is_none());
}

/// The one file in `folder` whose name ends in `.extension`.
fn only_file(folder: &Path, extension: &str) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// A project with the bundled frameworks, one participant (`olena.kub`,
/// issued, in English) and `kub_toml`.
fn project_with_one_participant(kub_toml: &str) -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(repo_root().join("frameworks"), project.path().join("frameworks")).unwrap();
    std::fs::copy(repo_root().join("examples/slottsskogen/olena-kovalenko.kub"), project.path().join("olena.kub"))
        .unwrap();
    std::fs::write(project.path().join("kub.toml"), kub_toml).unwrap();
    project
}

#[test]
fn a_europass_export_without_an_awarding_country_says_how_to_name_one() {
    let project = project_with_one_participant("organisation = \"Göteborgs Stad\"\ncountry = \"SEE\"\n");
    let run = kub_in(project.path(), &["export", "--format", "europass", "olena.kub"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[K0650]: `SEE` is not a country code kub knows"), "{}", run.stderr);
    assert!(run.stderr.contains("kub.toml:2:11"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `SE`?"), "{}", run.stderr);

    std::fs::write(project.path().join("kub.toml"), "organisation = \"Göteborgs Stad\"\ncountry = \"se\"\n").unwrap();
    let run = kub_in(project.path(), &["export", "--format", "europass", "olena.kub"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("K0648"), "{}", run.stderr);
    let credential = read_json(&only_file(&project.path().join("out/europass"), "jsonld"));
    assert_eq!(credential["issuer"]["legalName"]["en"], "Göteborgs Stad");
}

/// The first page of a PDF as a grey image: width, height and pixels.
fn first_page_grey(pdf: &Path, dpi: u32) -> (usize, usize, Vec<u8>) {
    let prefix = pdf.with_extension("page");
    let image = format!("{}.pgm", prefix.display());
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap_or_else(|error| panic!("cannot run pdftoppm (install poppler-utils): {error}"));
    assert!(status.success());
    let bytes = std::fs::read(image).unwrap();
    // A binary PGM: "P5", width, height and the largest value, then one byte a pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (width, height, bytes[at + 1..].to_vec())
}

/// The texts of the QR codes on a PDF's first page.
fn qr_codes(pdf: &Path) -> Vec<String> {
    let (width, height, pixels) = first_page_grey(pdf, 200);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    image.detect_grids().iter().map(|grid| grid.decode().expect("the QR code decodes").1).collect()
}

pub(crate) fn pages(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs (install poppler-utils)");
    let info = String::from_utf8_lossy(&output.stdout).into_owned();
    info.lines().find_map(|line| line.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn the_qr_code_on_every_example_certificate_decodes_to_its_verification_code_on_one_page() {
    let out = tempfile::tempdir().unwrap();
    let run = kub(&[
        "build",
        "examples",
        "--only",
        "certificate",
        "--format",
        "pdf,json",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut checked = 0;
    for entry in std::fs::read_dir(out.path().join("certificates")).unwrap() {
        let pdf = entry.unwrap().path();
        if pdf.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let data = read_json(&pdf.with_extension("json"));
        assert_eq!(pages(&pdf), 1, "{} is not one page", pdf.display());
        let codes = qr_codes(&pdf);
        if data["certificate_issued"] != true {
            assert!(codes.is_empty(), "a draft has a QR code: {}", pdf.display());
            continue;
        }
        assert_eq!(codes.len(), 1, "{}", pdf.display());
        let link = kub::render::qr::VerificationLink::parse(&codes[0]).unwrap_or_else(|| panic!("{}", codes[0]));
        assert_eq!(link.code, data["verification_code"].as_str().unwrap());
        assert_eq!(link.framework, data["framework"]["id"].as_str().unwrap());
        assert_eq!(link.version, data["framework"]["version"].as_str().unwrap());
        checked += 1;
    }
    assert_eq!(checked, 10, "issued certificates checked");
}

#[test]
fn the_qr_code_links_to_the_verification_page_kub_toml_names() {
    let project = project_with_one_participant("verify-url = \"https://intyg.example.se/verify?code={code}\"\n");
    let run = kub_in(project.path(), &["build", "olena.kub", "--only", "certificate", "--format", "pdf,json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = only_file(&project.path().join("out/certificates"), "pdf");
    let code = read_json(&pdf.with_extension("json"))["verification_code"].as_str().unwrap().to_string();
    assert_eq!(qr_codes(&pdf), vec![format!("https://intyg.example.se/verify?code={code}")]);
    assert_eq!(pages(&pdf), 1);
}

#[test]
fn a_verify_url_without_a_place_for_the_code_is_shown_at_its_line() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("kub.toml"),
        "organisation = \"X\"\nverify-url = \"https://intyg.example.se/verify\"\n",
    )
    .unwrap();
    let run = kub_in(project.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[K0645]: `verify-url` has no `{code}` where the verification code goes"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("kub.toml:2:14"), "{}", run.stderr);

    std::fs::write(project.path().join("kub.toml"), "verify-url = \"https://x.se/v?c={code}&n={name}\"\n").unwrap();
    let run = kub_in(project.path(), &["check"]);
    assert!(
        run.stderr.contains("error[K0645]: `verify-url` has `{name}`, which kub does not fill in"),
        "{}",
        run.stderr
    );
}
