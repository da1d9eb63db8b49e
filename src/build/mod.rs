//! Build: every document for a checked workspace, rendered through the
//! templates, compiled to PDF on worker threads and written atomically.

mod names;
mod plan;
mod strings;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

pub use names::{OWNERS_FILE, OutputNames, Request};
pub use plan::{DocumentKind, Format, Languages, Plan, PlannedDocument, Skipped, Source, plan, undated};
pub use strings::{STRINGS_FILE, Strings};

use crate::diagnostic::{Code, Diagnostic};
use crate::render::{PdfEngine, Templates, TypstDocument, write_atomically};

/// What to build, from the command line with kub.toml's settings filled in;
/// `kub build` and `kub watch` share it.
#[derive(Debug, Clone)]
pub struct Settings {
    pub project: crate::project::Project,
    /// Files and folders with assessments and frameworks.
    pub paths: Vec<PathBuf>,
    pub out: PathBuf,
    /// `--lang`: every document in this language.
    pub lang: Option<crate::model::Lang>,
    /// kub.toml's `language`: for participants who chose none.
    pub default_lang: Option<crate::model::Lang>,
    pub kinds: BTreeSet<DocumentKind>,
    pub formats: BTreeSet<Format>,
    pub templates: Option<PathBuf>,
    pub branding: Branding,
    pub threads: usize,
}

impl Settings {
    /// The document languages these settings ask for.
    pub fn languages(&self) -> Languages {
        Languages { forced: self.lang.clone(), default: self.default_lang.clone() }
    }

    /// The participants' names in the output folder, with paths taken from
    /// the project's folder (or, without a kub.toml, the output folder's),
    /// so that they are the same whichever folder kub runs in.
    pub fn output_names(&self) -> OutputNames {
        let anchor = match (&self.project.file, self.out.parent()) {
            (None, Some(parent)) => parent.to_path_buf(),
            _ => self.project.root.clone(),
        };
        OutputNames::load(&self.out, &anchor)
    }
}

/// What an organisation sets for its documents.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    pub organisation: Option<String>,
    /// An image shown on documents; read once when the builder is made.
    pub logo: Option<PathBuf>,
}

/// Everything needed to build documents, made once and shared by threads:
/// templates, texts, fonts and the Typst engine.
pub struct Builder {
    templates: Templates,
    strings: Strings,
    engine: PdfEngine,
    organisation: Option<String>,
    /// The logo's file name as templates see it, and its bytes.
    logo: Option<(String, Vec<u8>)>,
}

/// One finished document's files.
#[derive(Debug)]
pub struct Built {
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// How a batch went.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written, relative to the output folder; unchanged files are
    /// not rewritten and not listed.
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub documents: usize,
    /// Documents that failed, with why.
    pub failed: Vec<(PathBuf, Vec<Diagnostic>)>,
}

impl Builder {
    /// Loads templates (the user's folder first) and texts, and reads the
    /// logo. Fonts are parsed once per process.
    pub fn new(template_dir: Option<&Path>, branding: &Branding) -> Result<Builder, Vec<Diagnostic>> {
        let templates = Templates::new(template_dir)?;
        let strings = Strings::load(template_dir).map_err(|d| vec![d])?;
        let logo = match &branding.logo {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|error| {
                    vec![
                        Diagnostic::new(
                            Code::FileUnreadable,
                            format!("cannot read the logo {}: {error}", path.display()),
                        )
                        .hint("set `logo` in kub.toml to an image file (PNG, JPEG or SVG), relative to kub.toml"),
                    ]
                })?;
                let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("png").to_ascii_lowercase();
                Some((format!("logo.{extension}"), bytes))
            }
            None => None,
        };
        Ok(Builder { templates, strings, engine: PdfEngine::new(), organisation: branding.organisation.clone(), logo })
    }

    /// Renders one document in the requested formats.
    pub fn build(&self, document: &PlannedDocument, formats: &BTreeSet<Format>) -> Result<Built, Vec<Diagnostic>> {
        let kind = document.kind;
        let context = self.context(document);
        let mut files = Vec::new();
        let data_json = match &document.source {
            Source::Assessment { progression } => {
                Some(serde_json::to_vec_pretty(progression.as_ref()).expect("the progression serialises"))
            }
            _ => None,
        };
        let wants = |format: Format| formats.contains(&format) && kind.formats().contains(&format);
        if wants(Format::Pdf) || wants(Format::Typ) {
            let name = format!("{}.typ", kind.template());
            let source = self.templates.render(&name, &context).map_err(|d| vec![d])?;
            if wants(Format::Pdf) {
                let mut attached = Vec::new();
                if let Some(json) = &data_json {
                    attached.push(("certificate.json".to_string(), json.clone()));
                }
                if let Some((name, bytes)) = &self.logo {
                    attached.push((name.clone(), bytes.clone()));
                }
                let pdf = self.engine.compile(&TypstDocument {
                    name: name.clone(),
                    source: source.clone(),
                    files: attached,
                    archival: kind == DocumentKind::Certificate,
                    ident: format!("kub/{}", document.stem.display()),
                    date: document.date,
                })?;
                files.push((document.stem.with_extension("pdf"), pdf));
            }
            if wants(Format::Typ) {
                files.push((document.stem.with_extension("typ"), source.into_bytes()));
            }
        }
        if wants(Format::Html) {
            let html = self.templates.render(&format!("{}.html", kind.template()), &context).map_err(|d| vec![d])?;
            files.push((document.stem.with_extension("html"), html.into_bytes()));
        }
        if wants(Format::Json)
            && let Some(json) = data_json
        {
            files.push((document.stem.with_extension("json"), json));
        }
        Ok(Built { files })
    }

    fn context(&self, document: &PlannedDocument) -> serde_json::Value {
        let project = json!({
            "organisation": self.organisation,
            "logo": self.logo.as_ref().map(|(name, _)| name),
        });
        let t = self.strings.for_language(&document.lang);
        let mut context = json!({
            "lang": document.lang,
            "title": document.title,
            "t": t,
            "project": project,
        });
        let (key, value) = match &document.source {
            Source::Assessment { progression } => ("doc", serde_json::to_value(progression.as_ref())),
            Source::Framework { framework, lang } => {
                ("checklist", serde_json::to_value(crate::report::checklist(framework, lang)))
            }
            Source::Cohort { summary } => ("cohort", serde_json::to_value(summary.as_ref())),
        };
        context[key] = value.expect("report models serialise");
        context
    }

    /// Builds every planned document on `threads` worker threads and writes
    /// the files under `out`. `progress` is called once per document.
    pub fn run(
        &self,
        plan: &Plan,
        formats: &BTreeSet<Format>,
        out: &Path,
        threads: usize,
        progress: &(dyn Fn(&PlannedDocument) + Sync),
    ) -> Report {
        let next = AtomicUsize::new(0);
        let report = Mutex::new(Report { documents: plan.documents.len(), ..Report::default() });
        let worker = || {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(document) = plan.documents.get(index) else { break };
                let outcome = self.build(document, formats).and_then(|built| write_files(out, built));
                let mut report = report.lock().expect("no worker panics while holding the report");
                match outcome {
                    Ok((written, unchanged)) => {
                        report.written.extend(written);
                        report.unchanged += unchanged;
                    }
                    Err(diagnostics) => report.failed.push((document.stem.clone(), diagnostics)),
                }
                drop(report);
                progress(document);
            }
        };
        // Typst parallelises inside a compile on rayon's pool; whole compiles
        // run on plain threads with room on their stacks.
        std::thread::scope(|scope| {
            for _ in 0..threads.max(1) {
                std::thread::Builder::new()
                    .stack_size(16 * 1024 * 1024)
                    .spawn_scoped(scope, worker)
                    .expect("a worker thread starts");
            }
        });
        let mut report = report.into_inner().expect("workers are done");
        report.written.sort();
        report.failed.sort_by(|a, b| a.0.cmp(&b.0));
        report
    }
}

/// Writes a document's files, skipping those whose bytes are already there.
fn write_files(out: &Path, built: Built) -> Result<(Vec<PathBuf>, usize), Vec<Diagnostic>> {
    let mut written = Vec::new();
    let mut unchanged = 0;
    for (relative, bytes) in built.files {
        let path = out.join(&relative);
        if std::fs::read(&path).is_ok_and(|existing| existing == bytes) {
            unchanged += 1;
            continue;
        }
        write_atomically(&path, &bytes).map_err(|error| {
            vec![
                Diagnostic::new(Code::OutputFailed, format!("cannot write {}: {error}", path.display()))
                    .hint("check that the output folder is writable and that the disk has room"),
            ]
        })?;
        written.push(relative);
    }
    Ok((written, unchanged))
}
