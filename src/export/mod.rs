//! Exports for other systems, a stage beside render: a framework as a CASE
//! 1.0 package ([`case_package`]) and an issued certificate as an unsealed
//! European Digital Credential ([`european_digital_credential`]), both with
//! identifiers that come out the same on every export ([`stable_id`]).
//!
//! [`case_exports`] and [`europass_exports`] make the files for `kub
//! export`; [`write_exports`] puts them in the output folder.

mod case;
mod case_rubrics;
mod country;
mod europass;
mod ids;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

pub use case::{CaseOptions, case_package};
pub use country::Country;
pub use europass::{EDC_CONTEXTS, EuropassInput, european_digital_credential, missing_required, upload_file};
pub use ids::{namespace, stable_id};

use crate::build::{Builder, DocumentKind, HAS_ERRORS, Settings, Skipped, Source, plan};
use crate::check::Checked;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Framework, Lang};
use crate::project::Project;
use crate::render::write_atomically;

/// The resolution of a certificate's first page in a Europass credential:
/// 110 dots per inch, sharp on a screen at a few hundred kilobytes.
const PAGE_IMAGE_PIXELS_PER_POINT: f64 = 110.0 / 72.0;

/// One file an export makes.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// Where it goes, relative to the output folder.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What an export made, and what it has to say about what it left out.
#[derive(Debug, Default)]
pub struct Export {
    /// The files, in order.
    pub files: Vec<ExportFile>,
    /// Warnings and errors; an error means something asked for was not made.
    pub diagnostics: Vec<Diagnostic>,
}

impl Export {
    fn json(&mut self, path: PathBuf, value: &serde_json::Value) {
        let mut bytes = serde_json::to_vec_pretty(value).expect("export JSON serialises");
        bytes.push(b'\n');
        self.files.push(ExportFile { path, bytes });
    }
}

/// CASE packages of `frameworks`, as `case/ID-VERSION.json` (with the
/// language for a translation). `changed` is the packages' last change;
/// without it, the time the newest file behind each framework was saved.
pub fn case_exports(
    project: &Project,
    checked: &Checked,
    frameworks: &[Arc<Framework>],
    lang: Option<Lang>,
    changed: Option<NaiveDate>,
) -> Export {
    let mut export = Export::default();
    for framework in frameworks {
        let file = checked.resolution.file_of(framework);
        if checked.resolution.is_broken(file) {
            export.diagnostics.push(
                Diagnostic::new(
                    Code::ExportedFrameworkHasErrors,
                    format!("`{}` has errors, so it was not exported", framework.reference()),
                )
                .at(checked.resolution.id_location(file))
                .hint("`kub check` lists them; fix them and export again"),
            );
            continue;
        }
        let lang = lang.filter(|lang| framework.languages.contains(lang)).unwrap_or(framework.default_language());
        let creator = project
            .organisation
            .clone()
            .or_else(|| framework.organisation.as_ref().map(|o| o.best(lang, &framework.languages).to_string()))
            .unwrap_or_else(|| framework.id.clone());
        let options = CaseOptions {
            lang,
            changed: changed.map_or_else(|| last_saved(checked, framework), |date| format!("{date}T00:00:00+00:00")),
            base_url: project.case_url.clone(),
            creator,
        };
        let suffix = if lang == framework.default_language() { String::new() } else { format!(".{lang}") };
        let version: String =
            framework.version.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
        let name = format!("{}-{version}", crate::render::safe_file_stem(&framework.id));
        export.json(PathBuf::from(format!("case/{name}{suffix}.json")), &case_package(framework, &options));
    }
    export
}

/// When the newest of the files a framework is made from was saved, as a
/// CASE date-time; the Unix epoch for a file with no such time.
fn last_saved(checked: &Checked, framework: &Framework) -> String {
    let newest = checked
        .resolution
        .files_behind(framework, &checked.workspace)
        .into_iter()
        .filter_map(|file| std::fs::metadata(checked.workspace.sources.get(file).path()).ok()?.modified().ok())
        .max();
    let time: DateTime<Utc> = newest.map(DateTime::from).unwrap_or_default();
    time.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// A European Digital Credential for each issued certificate among the
/// assessments `settings` names, as `europass/NAME.jsonld` (the credential)
/// and `europass/NAME.upload.json` (the EDC Issuer's upload form), named as
/// the certificates are.
pub fn europass_exports(settings: &Settings, checked: &Checked) -> Export {
    let mut export = Export::default();
    let builder = match Builder::new(settings.templates.as_deref(), &settings.branding) {
        Ok(builder) => builder,
        Err(diagnostics) => {
            export.diagnostics = diagnostics;
            return export;
        }
    };
    let kinds = [DocumentKind::Certificate].into_iter().collect();
    let mut names = settings.output_names();
    let planned = plan(checked, &kinds, &settings.languages(), &mut names, None);
    export.diagnostics.extend(planned.skipped.iter().map(not_exported));
    let mut country = CountryChoice::new(settings.project.country);
    for document in &planned.documents {
        let Source::Assessment { progression, .. } = &document.source else { continue };
        let progression = &progression.make();
        let name = document.stem.file_name().map(Path::new).unwrap_or(&document.stem).to_path_buf();
        if !progression.certificate_issued {
            let why = "the certificate is a draft (no signed final assessment)".to_string();
            export.diagnostics.push(not_exported(&Skipped { what: name.display().to_string(), why }));
            continue;
        }
        let reference = format!("{}@{}", progression.framework.id, progression.framework.version);
        let Some(framework) = checked.resolution.find(&reference) else { continue };
        let Some(country) = country.for_framework(framework, &mut export.diagnostics) else { continue };
        let Some(awarding_body) = awarding_body(settings, progression, framework) else {
            export.diagnostics.push(no_awarding_body(&name));
            continue;
        };
        let page_image = match builder.first_page_png(document, PAGE_IMAGE_PIXELS_PER_POINT) {
            Ok(png) => png,
            Err(diagnostics) => {
                export.diagnostics.extend(diagnostics);
                continue;
            }
        };
        let input =
            EuropassInput { progression, framework, awarding_body: &awarding_body, country, page_image: &page_image };
        let credential = european_digital_credential(input);
        export.json(Path::new("europass").join(&name).with_extension("jsonld"), &credential);
        export.json(Path::new("europass").join(&name).with_extension("upload.json"), &upload_file(&credential));
    }
    export
}

/// Why a participant got no credential: a draft (a warning), or an
/// assessment with errors (an error, as it is for `kub build`).
fn not_exported(skipped: &Skipped) -> Diagnostic {
    let message = format!("{}: {}, so no Europass credential was made", skipped.what, skipped.why);
    let mut diagnostic = Diagnostic::new(Code::CertificateNotExported, message);
    if skipped.why == HAS_ERRORS {
        diagnostic.severity = Severity::Error;
        diagnostic = diagnostic.hint("`kub check` lists the errors");
    }
    diagnostic
}

/// The organisation that awards a certificate: kub.toml's, else the
/// assessment's, else the framework's publisher.
fn awarding_body(
    settings: &Settings,
    progression: &crate::report::Progression,
    framework: &Framework,
) -> Option<String> {
    settings.branding.organisation.clone().or_else(|| progression.organisation.clone()).or_else(|| {
        framework.organisation.as_ref().map(|o| o.best(progression.language, &framework.languages).to_string())
    })
}

fn no_awarding_body(name: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::NoAwardingBody,
        format!("{}: no organisation awards this certificate, so no Europass credential was made", name.display()),
    )
    .hint("set `organisation` in kub.toml to the organisation that issues the certificates")
}

/// The awarding body's country: kub.toml's, or one assumed from a
/// framework's language and said once, or none and said once.
struct CountryChoice {
    set: Option<Country>,
    told: bool,
}

impl CountryChoice {
    fn new(set: Option<Country>) -> Self {
        CountryChoice { set, told: false }
    }

    fn for_framework(&mut self, framework: &Framework, diagnostics: &mut Vec<Diagnostic>) -> Option<Country> {
        if self.set.is_some() {
            return self.set;
        }
        let assumed = Country::assumed_from_language(framework.default_language());
        if !std::mem::replace(&mut self.told, true) {
            diagnostics.push(match assumed {
                Some(country) => Diagnostic::new(
                    Code::CountryAssumed,
                    format!(
                        "kub.toml names no country; the awarding body is taken to be in {}, from the language of `{}`",
                        country.name, framework.id
                    ),
                )
                .hint(format!("add `country = \"{}\"` to kub.toml to say so", country.code)),
                None => Diagnostic::new(
                    Code::CountryMissing,
                    "a Europass credential names the awarding body's country, and kub.toml names none",
                )
                .hint("add `country = \"SE\"` (the two-letter code of your country) to kub.toml"),
            });
        }
        assumed
    }
}

/// Writes an export's files under `out`, leaving a file alone when its
/// bytes are already there. Returns the files written.
pub fn write_exports(out: &Path, export: &Export) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut written = Vec::new();
    for file in &export.files {
        let path = out.join(&file.path);
        if std::fs::read(&path).is_ok_and(|bytes| bytes == file.bytes) {
            continue;
        }
        write_atomically(&path, &file.bytes).map_err(|error| {
            Diagnostic::new(Code::ExportNotWritten, format!("cannot write {}: {error}", path.display()))
                .hint("choose a folder you may write to with `--out`, or make room on the disk")
        })?;
        written.push(path);
    }
    Ok(written)
}
