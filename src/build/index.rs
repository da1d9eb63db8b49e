//! The index page `index.html` in the output folder: every participant with
//! links to their documents and how far their assessment has come, and the
//! summaries, checklists and the funders' overview. It is plain HTML with
//! relative links, so it opens from a shared folder without a server.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::plan::{DocumentKind, Format, PlannedDocument, Source};
use super::{Builder, Settings, Texts};
use crate::diagnostic::Diagnostic;
use crate::model::Lang;
use crate::report::sheet::Status;

/// The index page's file name in the output folder.
pub const INDEX_FILE: &str = "index.html";

/// The mark by which kub knows an index page as its own, so that it never
/// replaces a page someone else put in the output folder.
const GENERATOR: &str = r#"<meta name="generator" content="kub">"#;

/// What writing the index page did.
#[derive(Debug, PartialEq, Eq)]
pub enum IndexWritten {
    /// The page was written.
    Written,
    /// The page on disk already had these bytes.
    Unchanged,
    /// An `index.html` that kub did not make is in the way; left alone.
    NotOurs,
}

/// Writes `page` as the index of `out`, atomically, unless a page kub did
/// not make is there.
pub fn write_index(out: &Path, page: &str) -> std::io::Result<IndexWritten> {
    let path = out.join(INDEX_FILE);
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == page => return Ok(IndexWritten::Unchanged),
        Ok(existing) if !existing.contains(GENERATOR) => return Ok(IndexWritten::NotOurs),
        Err(error) if error.kind() != std::io::ErrorKind::NotFound && path.exists() => {
            return Ok(IndexWritten::NotOurs);
        }
        _ => {}
    }
    crate::render::write_output(&path, page.as_bytes())?;
    Ok(IndexWritten::Written)
}

/// One participant's row: their documents on one framework.
#[derive(Debug, Serialize)]
struct ParticipantEntry {
    name: String,
    right_to_left: bool,
    framework: String,
    workplace: Option<String>,
    status: Status,
    links: Vec<Link>,
}

/// One document that is not a participant's: a summary, a checklist, the overview.
#[derive(Debug, Serialize)]
struct DocumentEntry {
    title: String,
    kind: DocumentKind,
    /// An industry framework's summary across workplaces.
    across_workplaces: bool,
    links: Vec<Link>,
}

/// A link to one file of a document.
#[derive(Debug, Serialize)]
struct Link {
    /// The kind of document, for its label.
    kind: DocumentKind,
    /// The file's format, such as `PDF`.
    format: String,
    /// The file's path relative to the index page, percent-encoded.
    href: String,
}

/// What the index page's template sees.
#[derive(Serialize)]
struct IndexContext<'a> {
    lang: Lang,
    title: String,
    t: &'a Texts,
    project: IndexProject<'a>,
    participants: Vec<ParticipantEntry>,
    summaries: Vec<DocumentEntry>,
    checklists: Vec<DocumentEntry>,
}

#[derive(Serialize)]
struct IndexProject<'a> {
    organisation: Option<&'a str>,
}

impl Builder {
    /// Writes the index page of the output folder that `settings` name, for
    /// the documents of a build (`documents`, with the issued certificates
    /// kept as issued among them, whose stems are `issued`), in the language
    /// the settings choose, else the first document's. `kub build` and
    /// `kub watch` both keep it current.
    pub fn write_index_page(
        &self,
        documents: &[&PlannedDocument],
        issued: &BTreeSet<PathBuf>,
        settings: &Settings,
    ) -> Result<IndexWritten, String> {
        let Some(first) = documents.first() else { return Ok(IndexWritten::Unchanged) };
        let lang = settings.lang.or(settings.default_lang).unwrap_or(first.lang);
        let page = self
            .index_page(documents.iter().copied(), issued, &settings.out, lang)
            .map_err(|problem| problem.message)?;
        write_index(&settings.out, &page).map_err(|error| error.to_string())
    }

    /// The index page of the output folder `out`, in `lang`, for the
    /// documents built (`documents`, with the issued certificates kept as
    /// issued among them, whose stems are `issued`). A link is made to each
    /// file that is in `out`, so that a document that failed has none.
    pub fn index_page<'a>(
        &self,
        documents: impl IntoIterator<Item = &'a PlannedDocument>,
        issued: &BTreeSet<PathBuf>,
        out: &Path,
        lang: Lang,
    ) -> Result<String, Diagnostic> {
        let texts = self.strings.for_language(lang);
        let mut participants: Vec<ParticipantEntry> = Vec::new();
        let (mut summaries, mut checklists) = (Vec::new(), Vec::new());
        for document in documents {
            let links = links(document, out);
            match &document.source {
                Source::Assessment { headline, .. } => {
                    let name = document.stem.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
                    let issued = issued.iter().any(|stem| stem.file_name() == Some(name.as_os_str()));
                    let status = if issued { Status::Issued } else { headline.status };
                    let same = |entry: &&mut ParticipantEntry| {
                        entry.name == headline.name && entry.framework == headline.framework
                    };
                    match participants.iter_mut().find(same) {
                        Some(entry) => {
                            entry.links.extend(links);
                            entry.status = entry.status.max(status);
                        }
                        None => participants.push(ParticipantEntry {
                            name: headline.name.clone(),
                            right_to_left: headline.right_to_left,
                            framework: headline.framework.clone(),
                            workplace: headline.workplace.clone(),
                            status,
                            links,
                        }),
                    }
                }
                Source::Framework { .. } => checklists.push(DocumentEntry {
                    title: document.title.clone(),
                    kind: document.kind,
                    across_workplaces: false,
                    links,
                }),
                Source::Cohort { summary, .. } => summaries.push(DocumentEntry {
                    title: document.title.clone(),
                    kind: document.kind,
                    across_workplaces: summary.across_workplaces,
                    links,
                }),
                Source::Overview { .. } => summaries.push(DocumentEntry {
                    title: document.title.clone(),
                    kind: document.kind,
                    across_workplaces: false,
                    links,
                }),
            }
        }
        for entry in &mut participants {
            entry.links.sort_by_key(|link| link.kind);
        }
        participants.sort_by(|a, b| (&a.name, &a.framework).cmp(&(&b.name, &b.framework)));
        let title = texts.get("index_title").and_then(|value| value.as_str()).unwrap_or("kub").to_string();
        let context = IndexContext {
            lang,
            title,
            t: texts,
            project: IndexProject { organisation: self.organisation.as_deref() },
            participants,
            summaries,
            checklists,
        };
        self.templates.render(INDEX_FILE, &context)
    }
}

/// The files of `document` that are in `out`, each format once.
fn links(document: &PlannedDocument, out: &Path) -> Vec<Link> {
    const LINKED: [Format; 4] = [Format::Pdf, Format::Html, Format::Csv, Format::Xlsx];
    LINKED
        .into_iter()
        .filter(|format| document.kind.formats().contains(format))
        .map(|format| document.stem.with_extension(format.extension()))
        .filter(|file| out.join(file).is_file())
        .map(|file| Link {
            kind: document.kind,
            format: file.extension().map(|e| e.to_string_lossy().to_uppercase()).unwrap_or_default(),
            href: href(&file),
        })
        .collect()
}

/// A relative path as a link: `/` between its parts whatever the system's
/// separator, and every byte outside the unreserved characters of a URL
/// percent-encoded.
fn href(path: &Path) -> String {
    let parts: Vec<String> =
        path.components().map(|part| crate::percent::encode(&part.as_os_str().to_string_lossy())).collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::href;

    #[test]
    fn a_link_is_relative_and_encoded() {
        assert_eq!(href(Path::new("certificates/amal-hassan.pdf")), "certificates/amal-hassan.pdf");
        assert_eq!(href(Path::new("summaries/a b&c.pdf")), "summaries/a%20b%26c.pdf");
    }
}
