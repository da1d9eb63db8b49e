//! Build: every document for a checked workspace, rendered through the
//! templates, compiled to PDF on worker threads and written atomically.

mod index;
pub(crate) mod names;
mod plan;
mod strings;
mod verification;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use typst_layout::PagedDocument;

pub use index::{INDEX_FILE, IndexWritten, write_index};
pub use names::{OWNERS_FILE, OutputNames, Request};
pub use plan::{
    ALL_WORKPLACES, DocumentKind, Format, HAS_ERRORS, Headline, Languages, Plan, PlannedDocument, ProgressionOf,
    Skipped, Source, plan, undated,
};
pub use strings::{STRINGS_FILE, Strings, Texts};

use crate::credential::{ATTACHMENT_NAME, Issuer};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Lang;
use crate::render::output::{Blocked, blocks_every_write, check_writable};
use crate::render::{Bytes, PdfEngine, Templates, TypstDocument, write_output};
use crate::report::sheet::sheet_rows;
use crate::report::{Checklist, CohortSummary, Overview, Progression};
use verification::{QR_FILE, Verification};

/// What to build, from the command line with kub.toml's settings filled in;
/// `kub build` and `kub watch` share it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The project: its kub.toml, or the defaults without one.
    pub project: crate::project::Project,
    /// Files and folders with assessments and frameworks.
    pub paths: Vec<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
    /// `--lang`: every document in this language.
    pub lang: Option<crate::model::Lang>,
    /// kub.toml's `language`: for participants who chose none.
    pub default_lang: Option<crate::model::Lang>,
    /// The kinds of document wanted.
    pub kinds: BTreeSet<DocumentKind>,
    /// The formats wanted; a kind is made only in those it has templates for.
    pub formats: BTreeSet<Format>,
    /// A folder of templates that override the bundled ones; `None` for the bundled ones alone.
    pub templates: Option<PathBuf>,
    /// The organisation's name and logo.
    pub branding: Branding,
    /// Worker threads; 0 counts as 1.
    pub threads: usize,
}

impl Settings {
    /// The document languages these settings ask for.
    pub fn languages(&self) -> Languages {
        Languages { forced: self.lang, default: self.default_lang }
    }

    /// The participants' names in the output folder, with paths taken from
    /// the project's folder (or, without a kub.toml, the output folder's),
    /// so that they are the same whichever folder kub runs in.
    ///
    /// An output folder that takes no files has no record to read or keep:
    /// the build stops there with one message about the folder, not with
    /// another about the record.
    pub fn output_names(&self) -> OutputNames {
        let anchor = match (&self.project.file, self.out.parent()) {
            (None, Some(parent)) => parent.to_path_buf(),
            _ => self.project.root.clone(),
        };
        if check_writable(&self.out).is_err() {
            return OutputNames::unrecorded(&anchor);
        }
        OutputNames::load(&self.out, &anchor)
    }
}

/// What an organisation sets for its documents.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    /// The organisation's name, shown on documents.
    pub organisation: Option<String>,
    /// An image shown on documents; read once when the builder is made.
    pub logo: Option<PathBuf>,
    /// Who signs each certificate's credential; `None` makes none.
    pub issuer: Option<Arc<Issuer>>,
    /// The verification page a certificate's QR code links to, with
    /// `{code}` for the verification code.
    pub verify_url: Option<String>,
}

/// Everything needed to build documents, made once and shared by threads:
/// templates, texts, fonts and the Typst engine.
pub struct Builder {
    templates: Templates,
    strings: Strings,
    engine: PdfEngine,
    organisation: Option<String>,
    /// The logo's file name as templates see it, and its bytes.
    logo: Option<(String, Bytes)>,
    issuer: Option<Arc<Issuer>>,
    verify_url: Option<String>,
}

/// What a document's templates see: its values under the names the
/// templates use, lent to the templates rather than copied per document.
#[derive(Serialize)]
struct Context<'a> {
    lang: Lang,
    title: &'a str,
    /// The fixed texts in the document's language.
    t: &'a Texts,
    project: ProjectContext<'a>,
    /// The name the signed credential is attached under, when there is
    /// one; left out otherwise, so that documents without one see what
    /// they saw before credentials existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    credential: Option<&'static str>,
    /// An issued certificate's QR code; `None` for every other document.
    verification: Option<&'a Verification>,
    #[serde(flatten)]
    contents: Contents<'a>,
}

/// What kub.toml sets for every document.
#[derive(Serialize)]
struct ProjectContext<'a> {
    organisation: Option<&'a str>,
    logo: Option<&'a str>,
}

/// The report a document shows, under the name its templates know it by.
#[derive(Serialize)]
enum Contents<'a> {
    #[serde(rename = "doc")]
    Progression(&'a Progression),
    /// A progression made for this document alone.
    #[serde(rename = "doc")]
    MadeProgression(Box<Progression>),
    #[serde(rename = "checklist")]
    Checklist(Box<Checklist>),
    #[serde(rename = "cohort")]
    Cohort(&'a CohortSummary),
    #[serde(rename = "overview")]
    Overview(Box<Overview>),
}

/// A certificate's data as it is attached to its PDF and written beside
/// it: pretty JSON with sorted keys, so that the register can make the same
/// bytes again from the data it keeps.
pub fn certificate_json(progression: &Progression) -> String {
    crate::canonical::to_pretty(&crate::canonical::value_of(progression))
}

/// What one document is made with besides its template: a participant's
/// progression as issued, the data attached to the PDF, and an issued
/// certificate's signed credential and QR code.
#[derive(Default)]
struct Prepared {
    issued: Option<Progression>,
    data: Option<Bytes>,
    credential: Option<Bytes>,
    verification: Option<Verification>,
}

/// A document made in memory for review: what [`Builder::render`] gives.
pub struct Rendered {
    /// The Typst source its template made.
    pub source: String,
    /// Its pages, as Typst laid them out.
    pub pages: PagedDocument,
    /// Its HTML, for the kinds that have an HTML template.
    pub html: Option<String>,
}

/// One finished document's files.
#[derive(Debug)]
pub struct Built {
    /// Each file's path, relative to the output folder, with its bytes.
    pub files: Vec<(PathBuf, Bytes)>,
}

/// How a batch went.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written, relative to the output folder; unchanged files are
    /// not rewritten and not listed.
    pub written: Vec<PathBuf>,
    /// Files whose bytes were already on disk, so they were left alone.
    pub unchanged: usize,
    /// How many documents were planned.
    pub documents: usize,
    /// The documents built, written or already up to date, by stem.
    pub built: Vec<PathBuf>,
    /// Documents that failed, with why.
    pub failed: Vec<(PathBuf, Vec<Diagnostic>)>,
    /// Why the batch stopped before every document was tried: the output
    /// folder takes no file ([`Code::OutputNotWritable`], [`Code::DiskFull`]).
    pub stopped: Option<Diagnostic>,
    /// A stop was asked for before every document was tried.
    pub interrupted: bool,
}

impl Report {
    /// Documents neither built nor failed, because the batch stopped.
    pub fn untried(&self) -> usize {
        self.documents - self.built.len() - self.failed.len()
    }

    /// Errors among the failed documents' diagnostics, at least one for
    /// each, and the reason the batch stopped.
    pub fn error_count(&self) -> usize {
        failed_error_count(&self.failed) + usize::from(self.stopped.is_some())
    }

    /// Warnings among the failed documents' diagnostics.
    pub fn warning_count(&self) -> usize {
        self.failed.iter().flat_map(|(_, problems)| problems).filter(|d| !d.is_error()).count()
    }
}

/// The errors of failed documents, counting each document at least once,
/// so that a summary never reads "0 errors" when a document failed.
pub fn failed_error_count(failed: &[(PathBuf, Vec<Diagnostic>)]) -> usize {
    failed.iter().map(|(_, problems)| problems.iter().filter(|d| d.is_error()).count().max(1)).sum()
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
                Some((format!("logo.{extension}"), Bytes::new(bytes)))
            }
            None => None,
        };
        Ok(Builder {
            templates,
            strings,
            engine: PdfEngine::new(),
            organisation: branding.organisation.clone(),
            logo,
            issuer: branding.issuer.clone(),
            verify_url: branding.verify_url.clone(),
        })
    }

    /// Renders one document in the requested formats.
    pub fn build(&self, document: &PlannedDocument, formats: &BTreeSet<Format>) -> Result<Built, Vec<Diagnostic>> {
        let kind = document.kind;
        let prepared = self.prepare(document)?;
        let context = self.context(document, &prepared);
        let (data, credential) = (prepared.data.clone(), prepared.credential.clone());
        let wants = |format: Format| formats.contains(&format) && kind.formats().contains(&format);
        let mut files = Vec::new();
        if wants(Format::Pdf) || wants(Format::Typ) {
            let name = format!("{}.typ", kind.template());
            let source = self.templates.render(&name, &context).map_err(|d| vec![d])?;
            let review = if wants(Format::Pdf) {
                // The source moves into Typst; a copy is kept only for review.
                let review = wants(Format::Typ).then(|| source.clone());
                let pdf = self.compile(self.typst_document(document, &name, source, &prepared))?;
                files.push((document.stem.with_extension("pdf"), Bytes::new(pdf)));
                review
            } else {
                Some(source)
            };
            if let Some(review) = review {
                files.push((document.stem.with_extension("typ"), Bytes::from_string(review)));
            }
        }
        if wants(Format::Html) {
            let html = self.templates.render(&format!("{}.html", kind.template()), &context).map_err(|d| vec![d])?;
            files.push((document.stem.with_extension("html"), Bytes::from_string(html)));
        }
        if wants(Format::Json)
            && let Some(json) = data
        {
            files.push((document.stem.with_extension("json"), json));
        }
        if let Some(credential) = credential {
            files.push((document.stem.with_extension("credential.json"), credential));
        }
        if wants(Format::Csv) || wants(Format::Xlsx) {
            files.extend(self.spreadsheets(document, wants(Format::Csv), wants(Format::Xlsx))?);
        }
        Ok(Built { files })
    }

    /// A progression report's or a cohort summary's rows as CSV and xlsx,
    /// with headers in the document's language.
    fn spreadsheets(
        &self,
        document: &PlannedDocument,
        csv: bool,
        xlsx: bool,
    ) -> Result<Vec<(PathBuf, Bytes)>, Vec<Diagnostic>> {
        // Each member's progression is made for its rows and dropped; a
        // sheet states no verification code, so none is made.
        let rows_of =
            |members: &[ProgressionOf]| members.iter().flat_map(|member| sheet_rows(&member.make_unsealed())).collect();
        let (rows, sheet): (Vec<_>, String) = match &document.source {
            Source::Assessment { progression, .. } => {
                let progression = progression.make_unsealed();
                (sheet_rows(&progression), progression.participant.name)
            }
            Source::Cohort { summary, members } => (rows_of(members), summary.framework_id.clone()),
            Source::Overview { title, members, .. } => (rows_of(members), title.clone()),
            Source::Framework { .. } => return Ok(Vec::new()),
        };
        let texts = self.strings.for_language(document.lang);
        let mut files = Vec::new();
        if csv {
            files.push((
                document.stem.with_extension("csv"),
                Bytes::from_string(crate::render::sheet::csv(&rows, texts)),
            ));
        }
        if xlsx {
            let workbook = crate::render::sheet::xlsx(&rows, texts, &sheet).map_err(|error| {
                vec![Diagnostic::new(Code::OutputFailed, format!("cannot make the spreadsheet: {error}"))]
            })?;
            files.push((document.stem.with_extension("xlsx"), Bytes::new(workbook)));
        }
        Ok(files)
    }

    /// A certificate's PDF with the Typst document it is compiled from: its
    /// source and attached files, all that is needed to compile the same
    /// bytes again, as the register of issued certificates keeps them.
    pub fn certificate(&self, document: &PlannedDocument) -> Result<(TypstDocument, Vec<u8>), Vec<Diagnostic>> {
        let typst = self.typst(document)?;
        let pdf = self.compile(typst.clone())?;
        Ok((typst, pdf))
    }

    /// The Typst document a PDF of `document` is compiled from: its source
    /// as the templates make it and the files it reads. Compiled on its own
    /// it gives the PDF a build writes, which makes it the benchmark's
    /// baseline.
    pub fn typst(&self, document: &PlannedDocument) -> Result<TypstDocument, Vec<Diagnostic>> {
        let prepared = self.prepare(document)?;
        let context = self.context(document, &prepared);
        let name = format!("{}.typ", document.kind.template());
        let source = self.templates.render(&name, &context).map_err(|d| vec![d])?;
        Ok(self.typst_document(document, &name, source, &prepared))
    }

    /// A participant's progression as their documents state it, with the
    /// project's organisation as the issuer; `None` for other documents.
    pub fn issued_progression(&self, document: &PlannedDocument) -> Option<Progression> {
        match &document.source {
            Source::Assessment { progression, .. } => {
                Some(progression.make_unsealed().into_issued(self.organisation.as_deref()))
            }
            _ => None,
        }
    }

    /// What `document` is made with besides its template.
    fn prepare(&self, document: &PlannedDocument) -> Result<Prepared, Vec<Diagnostic>> {
        let issued = self.issued_progression(document);
        let credential = self.credential(document, issued.as_ref()).map_err(|d| vec![d])?;
        let verification = self.verification(document, issued.as_ref(), credential.as_ref()).map_err(|d| vec![d])?;
        let data = issued.as_ref().map(|progression| Bytes::from_string(certificate_json(progression)));
        Ok(Prepared { issued, data, credential, verification })
    }

    /// The certificate's signed credential, made from the progression as
    /// issued, when the project names an issuer.
    fn credential(
        &self,
        document: &PlannedDocument,
        issued: Option<&Progression>,
    ) -> Result<Option<Bytes>, Diagnostic> {
        let (Some(issuer), Source::Assessment { facts: Some(facts), .. }, Some(progression)) =
            (&self.issuer, &document.source, issued)
        else {
            return Ok(None);
        };
        Ok(Some(Bytes::new(issuer.issue(progression, facts)?)))
    }

    /// A document's Typst source, made from template `name`, with the files
    /// it reads: its data, an issued certificate's signed credential and QR
    /// code, and the logo.
    fn typst_document(
        &self,
        document: &PlannedDocument,
        name: &str,
        source: String,
        prepared: &Prepared,
    ) -> TypstDocument {
        let data = prepared.data.clone().map(|json| ("certificate.json".to_string(), json));
        let credential = prepared.credential.clone().map(|json| (ATTACHMENT_NAME.to_string(), json));
        let qr = prepared.verification.as_ref().map(|v| (QR_FILE.to_string(), Bytes::from_string(v.qr.clone())));
        let logo = self.logo.clone();
        TypstDocument {
            name: name.to_string(),
            source,
            files: data.into_iter().chain(credential).chain(qr).chain(logo).collect(),
            archival: document.kind == DocumentKind::Certificate,
            ident: format!("kub/{}", document.stem.display()),
            date: document.date,
        }
    }

    /// Makes a document as [`Builder::build`] makes its PDF and HTML, but
    /// keeps it in memory with its pages as laid out, for `kub test` to
    /// read.
    pub fn render(&self, document: &PlannedDocument) -> Result<Rendered, Vec<Diagnostic>> {
        let prepared = self.prepare(document)?;
        let context = self.context(document, &prepared);
        let name = format!("{}.typ", document.kind.template());
        let source = self.templates.render(&name, &context).map_err(|d| vec![d])?;
        let pages = self.lay_out_prepared(document, source.clone(), &prepared)?;
        let html = if document.kind.formats().contains(&Format::Html) {
            let name = format!("{}.html", document.kind.template());
            Some(self.templates.render(&name, &context).map_err(|d| vec![d])?)
        } else {
            None
        };
        Ok(Rendered { source, pages, html })
    }

    /// Lays out `source`, the Typst source of `document` (today's, or one
    /// approved earlier), with the document's data, credential and the logo attached.
    pub fn lay_out(&self, document: &PlannedDocument, source: String) -> Result<PagedDocument, Vec<Diagnostic>> {
        self.lay_out_prepared(document, source, &self.prepare(document)?)
    }

    /// Lays out `source` with what the document is made with, prepared
    /// once: signing a credential is not cheap.
    fn lay_out_prepared(
        &self,
        document: &PlannedDocument,
        source: String,
        prepared: &Prepared,
    ) -> Result<PagedDocument, Vec<Diagnostic>> {
        let name = format!("{}.typ", document.kind.template());
        let typst = self.typst_document(document, &name, source, prepared);
        let origin = |line: &str, error| self.templates.origin(&name, line, error);
        self.engine.typeset(typst, &origin).map(|(pages, _)| pages)
    }

    /// Typesets a Typst document made from templates, reporting errors at
    /// the template lines they came from.
    fn compile(&self, typst: TypstDocument) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let name = typst.name.clone();
        let origin = |line: &str, error| self.templates.origin(&name, line, error);
        self.engine.compile_from(typst, &origin)
    }

    /// Makes the builder keep each document's last Typst source, so that
    /// making it again after a small change lays out only what changed (see
    /// [`PdfEngine::keep_sources`]); for watch mode.
    pub fn keep_sources(&mut self) {
        self.engine.keep_sources();
    }

    /// Tells a builder that keeps sources how many documents it makes in
    /// turn (see [`PdfEngine::keep_layouts_of`]).
    pub fn keep_layouts_of(&self, documents: usize) {
        self.engine.keep_layouts_of(documents);
    }

    /// Drops the layouts the last few builds did not use (see
    /// [`PdfEngine::drop_unused_layouts`]); for watch mode, between builds.
    pub fn drop_unused_layouts(&self) {
        self.engine.drop_unused_layouts();
    }

    /// The Typst engine, for compiling a document kept from an earlier build.
    pub fn engine(&self) -> &PdfEngine {
        &self.engine
    }

    /// The first page of a document as it is printed, as a PNG image at
    /// `pixels_per_point` (1 is 72 dots per inch): a certificate's page
    /// image for a Europass credential.
    pub fn first_page_png(
        &self,
        document: &PlannedDocument,
        pixels_per_point: f64,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let prepared = self.prepare(document)?;
        let context = self.context(document, &prepared);
        let name = format!("{}.typ", document.kind.template());
        let source = self.templates.render(&name, &context).map_err(|d| vec![d])?;
        let typst = self.typst_document(document, &name, source, &prepared);
        let origin = |line: &str, error| self.templates.origin(&name, line, error);
        self.engine.first_page_png(typst, &origin, pixels_per_point)
    }

    /// What the templates are given, borrowed from the plan, the builder and
    /// what the document is made with.
    fn context<'a>(&'a self, document: &'a PlannedDocument, prepared: &'a Prepared) -> Context<'a> {
        let contents = match (&document.source, prepared.issued.as_ref()) {
            (_, Some(progression)) => Contents::Progression(progression),
            (Source::Assessment { progression, .. }, None) => Contents::MadeProgression(Box::new(progression.make())),
            (Source::Framework { framework, lang }, None) => {
                Contents::Checklist(Box::new(crate::report::checklist(framework, *lang)))
            }
            (Source::Cohort { summary, .. }, None) => Contents::Cohort(summary),
            (Source::Overview { title, members, issued }, None) => {
                let members = members.iter().map(ProgressionOf::make_unsealed);
                Contents::Overview(Box::new(crate::report::overview(title, document.lang, members, issued)))
            }
        };
        Context {
            lang: document.lang,
            title: &document.title,
            t: self.strings.for_language(document.lang),
            project: ProjectContext {
                organisation: self.organisation.as_deref(),
                logo: self.logo.as_ref().map(|(name, _)| name.as_str()),
            },
            credential: prepared.credential.is_some().then_some(ATTACHMENT_NAME),
            verification: prepared.verification.as_ref(),
            contents,
        }
    }

    /// What the templates of `document` see, as JSON: the report under the
    /// name its templates know it by (`doc`, `checklist` or `cohort`), the
    /// texts `t` in its language, `lang`, `title` and `project`. For trying
    /// one part of a template on its own with [`Builder::templates`].
    pub fn template_data(&self, document: &PlannedDocument) -> serde_json::Value {
        let prepared = self.prepare(document).unwrap_or_default();
        serde_json::to_value(self.context(document, &prepared)).expect("a document's context serialises")
    }

    /// The templates documents are made from.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Builds every planned document on `threads` worker threads and writes
    /// the files under `out`. `progress` is called once per document.
    ///
    /// Workers take no new document once `stop` is set (by Ctrl-C, say), or
    /// once a write shows that the output folder takes no file at all (a
    /// full disk, a read-only folder): the documents being made are
    /// finished, so every file written is whole and no temporary is left.
    pub fn run(
        &self,
        plan: &Plan,
        formats: &BTreeSet<Format>,
        out: &Path,
        threads: usize,
        stop: &AtomicBool,
        progress: &(dyn Fn(&PlannedDocument) + Sync),
    ) -> Report {
        let mut report = Report { documents: plan.documents.len(), ..Report::default() };
        if plan.documents.is_empty() {
            return report;
        }
        if let Err(error) = check_writable(out) {
            report.stopped = Some(blocked_output(out, None, &error));
            return report;
        }
        let next = AtomicUsize::new(0);
        let blocked = AtomicBool::new(false);
        let report = Mutex::new(report);
        let worker = || {
            loop {
                if stop.load(Ordering::SeqCst) || blocked.load(Ordering::SeqCst) {
                    break;
                }
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(document) = plan.documents.get(index) else { break };
                let outcome = self.build(document, formats).map(|built| write_files(out, built));
                let mut report = report.lock().expect("no worker panics while holding the report");
                match outcome {
                    Ok(Ok((written, unchanged))) => {
                        report.built.push(document.stem.clone());
                        report.written.extend(written);
                        report.unchanged += unchanged;
                    }
                    Ok(Err((path, error))) if blocks_every_write(&error).is_some() => {
                        // Workers that hit the same wall at the same time
                        // add nothing: one message says it.
                        blocked.store(true, Ordering::SeqCst);
                        if report.stopped.is_none() {
                            report.stopped = Some(blocked_output(out, Some(&path), &error));
                        }
                    }
                    Ok(Err((path, error))) => {
                        let problem =
                            Diagnostic::new(Code::OutputFailed, format!("cannot write {}: {error}", path.display()))
                                .hint("check that the output folder is writable and that the disk has room");
                        report.failed.push((document.stem.clone(), vec![problem]));
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
        report.interrupted = stop.load(Ordering::SeqCst) && report.built.len() + report.failed.len() < report.documents;
        report.built.sort();
        report.written.sort();
        report.failed.sort_by(|a, b| a.0.cmp(&b.0));
        report
    }
}

/// The one message for an output folder that takes no file, found while
/// writing `file` or before any.
fn blocked_output(out: &Path, file: Option<&Path>, error: &io::Error) -> Diagnostic {
    let (code, message, fix) = match blocks_every_write(error) {
        Some(Blocked::DiskFull) => (
            Code::DiskFull,
            format!("the disk is full: no more documents can be written into {} ({error})", out.display()),
            "make room on the disk, or choose a folder on another disk with --out, and build again",
        ),
        _ => (
            Code::OutputNotWritable,
            format!("cannot write into the output folder {}: {}", out.display(), in_plain_words(error)),
            "choose a folder you may write to with --out (or `output` in kub.toml)",
        ),
    };
    Diagnostic::new(code, message)
        .hint_if(file.map(|file| format!("this happened while writing {}", file.display())))
        .hint(fix)
        .hint("kub stopped instead of trying every remaining document; documents already written are whole")
}

/// Why a folder takes no files, in words a supervisor knows, with the
/// system's own words after them.
fn in_plain_words(error: &io::Error) -> String {
    // An error kub made says it plainly already.
    if error.get_ref().is_some() {
        return error.to_string();
    }
    let plain = match error.kind() {
        io::ErrorKind::NotADirectory => "a part of its path is a file, not a folder",
        io::ErrorKind::PermissionDenied => "you may not write there",
        io::ErrorKind::ReadOnlyFilesystem => "it is on a disk that is read-only",
        _ => return error.to_string(),
    };
    format!("{plain} ({error})")
}

/// Writes a document's files, skipping those whose bytes are already there.
/// Fails with the file that could not be written and why.
fn write_files(out: &Path, built: Built) -> Result<(Vec<PathBuf>, usize), (PathBuf, io::Error)> {
    let mut written = Vec::new();
    let mut unchanged = 0;
    for (relative, bytes) in built.files {
        let path = out.join(&relative);
        if std::fs::read(&path).is_ok_and(|existing| existing == bytes.as_slice()) {
            unchanged += 1;
            continue;
        }
        if let Err(error) = write_output(&path, &bytes) {
            return Err((path, error));
        }
        written.push(relative);
    }
    Ok((written, unchanged))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_and_an_unwritable_folder_each_have_their_message() {
        let out = Path::new("out");
        let full = blocked_output(out, Some(Path::new("out/a.pdf")), &io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(full.code, Code::DiskFull);
        assert!(full.message.starts_with("the disk is full: no more documents can be written into out"), "{full:?}");
        assert_eq!(full.hints[0], "this happened while writing out/a.pdf");

        let read_only = blocked_output(out, None, &io::Error::from(io::ErrorKind::ReadOnlyFilesystem));
        assert_eq!(read_only.code, Code::OutputNotWritable);
        assert!(read_only.message.starts_with("cannot write into the output folder out: "), "{read_only:?}");
        assert!(read_only.message.contains("it is on a disk that is read-only"), "{read_only:?}");
        assert!(read_only.hints.iter().any(|hint| hint.contains("--out")), "{read_only:?}");
    }
}
