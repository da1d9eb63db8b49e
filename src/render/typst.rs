//! Compiling Typst source to PDF, in a world that holds nothing but the
//! document, its attached files and the bundled fonts.
//!
//! [`PdfEngine`] owns what every compile shares: the standard library and the
//! parsed fonts. Each [`PdfEngine::compile`] builds a small [`typst::World`]
//! of its own that borrows them and adds one document. typst-as-lib instead
//! fixes the main file when its engine is built, so serving a different
//! source to each compile would take a shared, locked map of sources under
//! unique paths. A world per compile is simpler and does less:
//!
//! - The document and its files live in the per-compile world, so threads
//!   share nothing mutable and take no lock.
//! - A document is always read under its own name, so a thousand certificates
//!   named `certificate.typ` use one Typst file id. Typst interns file ids for
//!   the life of the process and has room for only 65,535, so a unique path
//!   per compile would run out during a long watch session.
//! - `today()` is the document's date, never the clock; with a fixed PDF
//!   identifier and timestamp that makes the output reproducible.
//!
//! There is no file system, no network and no package access: a path that is
//! not among the document's files is simply not found.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::excerpt::{Excerpt, Place};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::fonts;

/// How many compiles a memoized Typst result may go unused before it is
/// dropped. `typst watch` uses ten for one document edited again and again;
/// a batch lays out a different participant each time, so little is reused
/// across documents, and a short life keeps memory flat (a full certificate's
/// layout caches take tens of megabytes) and dropping cheap (it looks at
/// every result kept, 3 ms a certificate with three documents' results).
/// Dropping everything after each compile (age 0) cost more on two threads,
/// where one worker's eviction empties the caches of the other's compile
/// still running; one compile's life is enough for that. Against a life of
/// three compiles, it saved 6 % of the CPU time of a certificate and 3 to
/// 15 % of a progression report's, and 20 MB of peak memory.
const CACHE_MAX_AGE: usize = 1;

/// Where a line of generated source came from: given the line and a byte
/// range in it, the place in a template, if it can be told.
pub(crate) type Origin<'a> = dyn Fn(&str, Range<usize>) -> Option<Place> + 'a;

/// One document to compile: its complete source and the files it may read.
#[derive(Debug, Clone)]
pub struct TypstDocument {
    /// The source's file name, such as `certificate.typ`, used in messages.
    pub name: String,
    /// The complete Typst source.
    pub source: String,
    /// Files the source may read, by name, such as `("certificate.json",
    /// bytes)` for `pdf.attach`. [`Bytes`] share one buffer, so a logo
    /// attached to every document is never copied.
    pub files: Vec<(String, Bytes)>,
    /// Whether to produce PDF/A-3b, the archival standard that allows
    /// attached files.
    pub archival: bool,
    /// A stable identifier of the document, such as cohort and participant
    /// id; it becomes the PDF's document id.
    pub ident: String,
    /// The document's date: the PDF's creation date and Typst's `today`.
    pub date: NaiveDate,
}

/// Compiles Typst documents to PDF. Build one per run and share it by
/// reference between threads; the fonts are parsed only once.
pub struct PdfEngine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: &'static [Font],
    archival: PdfStandards,
    /// The sources compiled last, when the engine keeps them.
    kept: Option<kept::KeptSources>,
}

impl PdfEngine {
    /// An engine with the bundled fonts, ready to compile.
    pub fn new() -> Self {
        let fonts = fonts::fonts();
        PdfEngine {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(fonts)),
            fonts,
            archival: PdfStandards::new(&[PdfStandard::A_3b]).expect("PDF/A-3b alone is a valid set of standards"),
            kept: None,
        }
    }

    /// Makes the engine keep each document's last source, by the document's
    /// [`TypstDocument::ident`], and edit it into the next one compiled for
    /// that document, and keep Typst's caches longer, so that compiling a
    /// document again after a small change lays out only what changed. For watch mode, where the same documents are
    /// made again and again; a batch makes each document once.
    pub fn keep_sources(&mut self) {
        self.kept = Some(kept::KeptSources::default());
    }

    /// Tells an engine that keeps sources how many documents it makes in
    /// turn, such as every document of a watched project. When there are
    /// few enough, their layouts are kept from one build of all of them to
    /// the next, and dropped only by [`PdfEngine::drop_unused_layouts`].
    pub fn keep_layouts_of(&self, documents: usize) {
        if let Some(kept) = &self.kept {
            kept.make_in_turn(documents);
        }
    }

    /// For an engine that keeps sources: drops the layouts that the last
    /// few builds did not use. A watch calls it between builds, where the
    /// time it takes (5 to 10 ms with a project's layouts) keeps no one
    /// waiting.
    pub fn drop_unused_layouts(&self) {
        if let Some(age) = self.kept.as_ref().and_then(kept::KeptSources::cache_age_between_builds) {
            comemo::evict(age);
        }
    }

    fn evict_after_compile(&self) {
        match &self.kept {
            None => comemo::evict(CACHE_MAX_AGE),
            Some(kept) => {
                if let Some(age) = kept.cache_age_after_compile() {
                    comemo::evict(age);
                }
            }
        }
    }

    /// Compiles a document to PDF bytes. The same document always gives the
    /// same bytes.
    ///
    /// On failure, returns the errors followed by any warnings, all with the
    /// code [`Code::TypstError`], at places in the document's source;
    /// warnings of a successful compile are not reported.
    ///
    /// The document is copied, so that it can be compiled again; a build,
    /// which compiles each document once, moves it in instead.
    pub fn compile(&self, document: &TypstDocument) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.compile_from(document.clone(), &|_, _| None)
    }

    /// [`PdfEngine::compile`] for a source made from templates: `origin`
    /// tells, for a line of the source and a byte range in it, the place
    /// in a template it came from, and errors are reported there. The
    /// source moves into Typst without a copy.
    pub(crate) fn compile_from(
        &self,
        document: TypstDocument,
        origin: &Origin<'_>,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.typeset(document, origin).map(|(_, pdf)| pdf)
    }

    /// [`PdfEngine::compile_from`], keeping the pages as laid out beside
    /// the PDF, for `kub test` to read and draw them.
    pub(crate) fn typeset(
        &self,
        document: TypstDocument,
        origin: &Origin<'_>,
    ) -> Result<(PagedDocument, Vec<u8>), Vec<Diagnostic>> {
        let options = self.pdf_options(&document);
        let world = DocumentWorld::new(self, document).map_err(|error| vec![error])?;
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let typeset = output.and_then(|paged| typst_pdf::pdf(&paged, &options).map(|pdf| (paged, pdf)));
        self.evict_after_compile();
        typeset.map_err(|errors| {
            errors.iter().chain(&warnings).map(|diagnostic| world.diagnostic(diagnostic, origin)).collect()
        })
    }

    /// Compiles a document as `typst compile` compiles one on its own:
    /// with Typst's memo caches emptied first, so that nothing laid out for
    /// an earlier document is used. The same bytes as
    /// [`PdfEngine::compile`]: the baseline that benchmarks measure kub's
    /// builds against.
    pub fn compile_alone(&self, document: &TypstDocument) -> Result<Vec<u8>, Vec<Diagnostic>> {
        comemo::evict(0);
        self.compile(document)
    }

    /// The first page of a document made from templates as a PNG image, at
    /// `pixels_per_point` (1 is 72 dots per inch), with errors reported as
    /// [`PdfEngine::compile_from`] reports them.
    pub(crate) fn first_page_png(
        &self,
        document: TypstDocument,
        origin: &Origin<'_>,
        pixels_per_point: f64,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let world = DocumentWorld::new(self, document).map_err(|error| vec![error])?;
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        self.evict_after_compile();
        let paged = output.map_err(|errors| {
            errors.iter().chain(&warnings).map(|diagnostic| world.diagnostic(diagnostic, origin)).collect::<Vec<_>>()
        })?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(pixels_per_point),
            render_bleed: false,
        };
        let page = paged
            .pages()
            .first()
            .ok_or_else(|| vec![Diagnostic::new(Code::TypstError, format!("{} has no page to show", world.name))])?;
        typst_render::render(page, &options).encode_png().map_err(|error| {
            vec![Diagnostic::new(
                Code::TypstError,
                format!("the first page of {} cannot be made an image: {error}", world.name),
            )]
        })
    }

    fn pdf_options(&self, document: &TypstDocument) -> PdfOptions {
        let date = document.date;
        let midnight = Datetime::from_ymd_hms(date.year(), month(date), day(date), 0, 0, 0);
        PdfOptions {
            ident: Smart::Custom(document.ident.clone()),
            timestamp: midnight.map(Timestamp::new_utc),
            standards: if document.archival { self.archival.clone() } else { PdfStandards::default() },
            tagged: true,
            ..PdfOptions::default()
        }
    }
}

/// The world of one compile: the engine's library and fonts, plus one
/// document and its files.
struct DocumentWorld<'a> {
    engine: &'a PdfEngine,
    name: String,
    main: Source,
    files: Vec<(FileId, Bytes)>,
    date: NaiveDate,
}

impl<'a> DocumentWorld<'a> {
    fn new(engine: &'a PdfEngine, document: TypstDocument) -> Result<Self, Diagnostic> {
        let main = file_id(&document.name)?;
        let files = document
            .files
            .into_iter()
            .map(|(name, bytes)| Ok((file_id(&name)?, bytes)))
            .collect::<Result<_, Diagnostic>>()?;
        Ok(DocumentWorld {
            engine,
            name: document.name,
            main: match &engine.kept {
                Some(kept) => kept.source(&document.ident, main, document.source),
                None => Source::new(main, document.source),
            },
            files,
            date: document.date,
        })
    }

    /// A Typst diagnostic as a kub diagnostic. The source is generated, so
    /// the message names the place as `FILE:LINE:COLUMN`, in the template
    /// the line came from when `origin` can tell, else in the generated
    /// source, and a hint shows the line. Typst's hints about its own
    /// command line are rewritten for kub or left out.
    fn diagnostic(&self, typst: &SourceDiagnostic, origin: &Origin<'_>) -> Diagnostic {
        let generated = self.place(typst.span);
        let template = self.origin(typst.span, origin);
        let message = match (&template, &generated) {
            (Some(place), _) | (None, Some(place)) => format!("{place}: {}", typst.message),
            (None, None) => format!("{}: {}", self.name, typst.message),
        };
        let mut diagnostic = Diagnostic::new(Code::TypstError, message);
        if typst.severity == TypstSeverity::Warning {
            diagnostic.severity = Severity::Warning;
        }
        match (&template, &generated) {
            (Some(template), Some(generated)) => {
                diagnostic = diagnostic.hint(template.excerpt.to_string()).hint(format!(
                    "the template made line {} of the generated Typst source:\n{}",
                    generated.excerpt.line, generated.excerpt
                ));
            }
            (None, Some(generated)) => diagnostic = diagnostic.hint(generated.excerpt.to_string()),
            _ => {}
        }
        if typst.message.starts_with("file not found") {
            diagnostic = diagnostic.hint(ONLY_OWN_FILES);
        }
        for hint in &typst.hints {
            let Some(text) = kub_hint(&hint.v) else { continue };
            let place = self.origin(hint.span, origin).or_else(|| self.place(hint.span));
            diagnostic = diagnostic.hint(match place {
                Some(place) => format!("{place}: {text}"),
                None => text,
            });
        }
        for point in &typst.trace {
            let span = point.span.into();
            diagnostic = diagnostic.hint(match self.origin(span, origin).or_else(|| self.place(span)) {
                Some(place) => format!("{} ({place})", point.v),
                None => point.v.to_string(),
            });
        }
        diagnostic
    }

    fn place(&self, span: DiagSpan) -> Option<Place> {
        let source = self.source(span.id()?).ok()?;
        Some(Place { file: self.file_name(source.id()), excerpt: Excerpt::at(source.text(), self.range(span)?)? })
    }

    /// The place in a template that a span in the document's own source
    /// came from.
    fn origin(&self, span: DiagSpan, origin: &Origin<'_>) -> Option<Place> {
        if span.id()? != self.main.id() {
            return None;
        }
        let range = self.range(span)?;
        let text = self.main.text();
        let start = text.get(..range.start)?.rfind('\n').map_or(0, |i| i + 1);
        let end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
        origin(&text[start..end], range.start - start..range.end.min(end).max(range.start) - start)
    }

    fn file_name(&self, id: FileId) -> String {
        if id == self.main.id() { self.name.to_string() } else { id.vpath().get_without_slash().to_string() }
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let text = std::str::from_utf8(&self.file(id)?).map_err(|_| FileError::InvalidUtf8)?.to_string();
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        if let VirtualRoot::Package(_) = id.root() {
            return Err(FileError::Other(Some(
                "packages are not available: kub documents use only the standard library".into(),
            )));
        }
        self.files
            .iter()
            .find(|(file, _)| *file == id)
            .map(|(_, bytes)| bytes.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.date.year(), month(self.date), day(self.date))
    }
}

/// What a document may read, for errors about files it may not.
const ONLY_OWN_FILES: &str =
    "a document can read only the files kub gives it: its data (certificate.json) and the logo set in kub.toml";

/// A hint of Typst's in kub's words, or `None` for one that does not apply
/// to kub, such as advice about the options of Typst's own command line.
fn kub_hint(hint: &str) -> Option<String> {
    if hint.contains("outside of the project sandbox") || hint.contains("outside of the package sandbox") {
        return Some(ONLY_OWN_FILES.to_string());
    }
    let about_the_command_line = hint.contains("`--")
        || hint.contains(" --")
        || hint.contains("typst compile")
        || hint.contains("typst watch")
        || hint.contains("the CLI")
        || hint.contains("TYPST_");
    if about_the_command_line { None } else { Some(hint.to_string()) }
}

/// The Typst file id of a document file, interned once per name.
fn file_id(name: &str) -> Result<FileId, Diagnostic> {
    let path = VirtualPath::new(name).map_err(|error| {
        Diagnostic::new(Code::TypstError, format!("`{name}` cannot be a document file name: {error}"))
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

fn month(date: NaiveDate) -> u8 {
    u8::try_from(date.month()).expect("a month is 1 to 12")
}

fn day(date: NaiveDate) -> u8 {
    u8::try_from(date.day()).expect("a day is 1 to 31")
}

mod kept;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_engine_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<PdfEngine>();
    }

    #[test]
    fn today_is_the_document_date() {
        let engine = PdfEngine::new();
        let document = TypstDocument {
            name: "today.typ".to_string(),
            source: String::new(),
            files: Vec::new(),
            archival: false,
            ident: "today".to_string(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        };
        let world = DocumentWorld::new(&engine, document).unwrap();
        assert_eq!(world.today(None), Datetime::from_ymd(2026, 3, 14));
    }

    /// A document named `name` of 14 March 2026.
    fn test_document(name: &str, source: String, archival: bool) -> TypstDocument {
        TypstDocument {
            name: format!("{name}.typ"),
            source,
            files: Vec::new(),
            archival,
            ident: name.to_string(),
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        }
    }

    #[test]
    fn a_pdf_does_not_depend_on_the_documents_compiled_before_it() {
        let engine = PdfEngine::new();
        let document = |name: &str, tasks: &[&str]| {
            let tasks = tasks.iter().map(|task| format!("  [{task}],\n")).collect::<String>();
            let source = format!(
                "#set document(title: [Certificate])\n= Certificate\n#text(size: 2em)[{name}]\n\n#let tasks = (\n{tasks})\n#for task in tasks [- #task\n]\n\nClosing words every document shares.\n"
            );
            test_document("history", source, false)
        };
        let first = document("Anna Berg", &["Prune trees", "Mow the lawn"]);
        let second = document("Yonas", &["Prune trees", "Plant bulbs", "Mow the lawn"]);
        let alone = engine.compile_alone(&second).unwrap();
        engine.compile(&first).unwrap();
        assert!(engine.compile(&second).unwrap() == alone);
        engine.compile(&first).unwrap();
        assert!(engine.compile(&first).unwrap() == engine.compile_alone(&first).unwrap());
    }

    #[test]
    fn an_engine_that_keeps_sources_makes_the_same_pdf_as_a_fresh_compile() {
        let mut watching = PdfEngine::new();
        watching.keep_sources();
        let document = |code: &str, tasks: &[&str]| {
            let tasks = tasks.iter().map(|task| format!("- {task}\n")).collect::<String>();
            let source = format!(
                "#set page(footer: [Code #context query(<code>).map(found => found.value).join()])\n#metadata(\"{code}\") <code>\n= Certificate\n{tasks}\nClosing words.\n"
            );
            test_document("kept", source, true)
        };
        let versions = [
            document("AB12", &["Prune trees", "Mow the lawn"]),
            document("CD34", &["Prune trees", "Plant bulbs", "Mow the lawn"]),
            document("EF56", &["Mow the lawn"]),
            document("AB12", &["Prune trees", "Mow the lawn"]),
        ];
        for version in &versions {
            let kept = watching.compile(version).unwrap();
            assert!(kept == PdfEngine::new().compile_alone(version).unwrap(), "the same bytes as a fresh compile");
        }
    }

    #[test]
    fn hints_about_typsts_command_line_are_left_out_or_rewritten() {
        assert_eq!(kub_hint("you can adjust the project root with the `--root` argument"), None);
        assert_eq!(kub_hint("use `--font-path` to add fonts"), None);
        assert_eq!(kub_hint("run typst compile with --input key=value"), None);
        let sandbox = kub_hint("cannot access files outside of the project sandbox").unwrap();
        assert!(sandbox.contains("only the files kub gives it"), "{sandbox}");
        assert_eq!(kub_hint("did you mean `grid`?").as_deref(), Some("did you mean `grid`?"));
    }

    #[test]
    fn file_names_cannot_leave_the_document() {
        let error = file_id("../secret.json").unwrap_err();
        assert_eq!(error.code, Code::TypstError);
    }
}
