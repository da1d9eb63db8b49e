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

use std::fmt;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::excerpt::Excerpt;
use super::fonts;
use crate::diagnostic::{Code, Diagnostic, Severity};

/// How many compiles a memoized Typst result may go unused before it is
/// dropped. `typst watch` uses ten for one document edited again and again;
/// a batch lays out a different participant each time, so little is reused
/// across documents, and a short life keeps memory flat (a full certificate's
/// layout caches take tens of megabytes).
const CACHE_MAX_AGE: usize = 3;

/// One document to compile: its complete source and the files it may read.
#[derive(Debug, Clone)]
pub struct TypstDocument {
    /// The source's file name, such as `certificate.typ`, used in messages.
    pub name: String,
    /// The complete Typst source.
    pub source: String,
    /// Files the source may read, by name, such as `("certificate.json",
    /// bytes)` for `pdf.attach`.
    pub files: Vec<(String, Vec<u8>)>,
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
}

impl PdfEngine {
    pub fn new() -> Self {
        let fonts = fonts::fonts();
        PdfEngine {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(fonts)),
            fonts,
            archival: PdfStandards::new(&[PdfStandard::A_3b]).expect("PDF/A-3b alone is a valid set of standards"),
        }
    }

    /// Compiles a document to PDF bytes. The same document always gives the
    /// same bytes.
    ///
    /// On failure, returns the errors followed by any warnings, all with the
    /// code [`Code::TypstError`]; warnings of a successful compile are not
    /// reported.
    pub fn compile(&self, document: &TypstDocument) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let world = DocumentWorld::new(self, document).map_err(|error| vec![error])?;
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let pdf = output.and_then(|paged| typst_pdf::pdf(&paged, &self.pdf_options(document)));
        comemo::evict(CACHE_MAX_AGE);
        pdf.map_err(|errors| errors.iter().chain(&warnings).map(|diagnostic| world.diagnostic(diagnostic)).collect())
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
    name: &'a str,
    main: Source,
    files: Vec<(FileId, Bytes)>,
    date: NaiveDate,
}

impl<'a> DocumentWorld<'a> {
    fn new(engine: &'a PdfEngine, document: &'a TypstDocument) -> Result<Self, Diagnostic> {
        let main = file_id(&document.name)?;
        let files = document
            .files
            .iter()
            .map(|(name, bytes)| Ok((file_id(name)?, Bytes::new(bytes.clone()))))
            .collect::<Result<_, Diagnostic>>()?;
        Ok(DocumentWorld {
            engine,
            name: &document.name,
            main: Source::new(main, document.source.clone()),
            files,
            date: document.date,
        })
    }

    /// A Typst diagnostic as a kub diagnostic. The source is generated, so
    /// the message names the place as `NAME:LINE:COLUMN` and a hint shows
    /// the line.
    fn diagnostic(&self, typst: &SourceDiagnostic) -> Diagnostic {
        let place = self.place(typst.span);
        let message = match &place {
            Some(place) => format!("{place}: {}", typst.message),
            None => format!("{}: {}", self.name, typst.message),
        };
        let mut diagnostic = Diagnostic::new(Code::TypstError, message);
        if typst.severity == TypstSeverity::Warning {
            diagnostic.severity = Severity::Warning;
        }
        if let Some(place) = &place {
            diagnostic = diagnostic.hint(place.excerpt.to_string());
        }
        for hint in &typst.hints {
            diagnostic = diagnostic.hint(match self.place(hint.span) {
                Some(place) => format!("{place}: {}", hint.v),
                None => hint.v.to_string(),
            });
        }
        for point in &typst.trace {
            diagnostic = diagnostic.hint(match self.place(point.span.into()) {
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

/// A place in one of a document's files, shown as `NAME:LINE:COLUMN`.
struct Place {
    file: String,
    excerpt: Excerpt,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Excerpt { line, column, .. } = self.excerpt;
        write!(f, "{}:{line}:{column}", self.file)
    }
}

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
        let world = DocumentWorld::new(&engine, &document).unwrap();
        assert_eq!(world.today(None), Datetime::from_ymd(2026, 3, 14));
    }

    #[test]
    fn file_names_cannot_leave_the_document() {
        let error = file_id("../secret.json").unwrap_err();
        assert_eq!(error.code, Code::TypstError);
    }
}
