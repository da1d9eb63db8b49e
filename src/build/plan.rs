//! What to build: which documents a checked workspace gives, in which
//! language, under which stable output names.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::{Checked, framework_for};
use crate::model::{Framework, FrameworkKind, Lang};
use crate::render::safe_file_stem;
use crate::report::{self, CohortSummary, Progression};
use crate::source::FileId;

/// The kinds of document kub builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// A learning certificate, for each signed assessment.
    Certificate,
    /// A progression report, for each assessment.
    Progress,
    /// A blank checklist, for each framework.
    Checklist,
    /// A cohort summary, for each framework that assessments follow.
    Summary,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] =
        [DocumentKind::Certificate, DocumentKind::Progress, DocumentKind::Checklist, DocumentKind::Summary];

    /// The template's name, without its extension.
    pub fn template(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate",
            DocumentKind::Progress => "progress",
            DocumentKind::Checklist => "checklist",
            DocumentKind::Summary => "summary",
        }
    }

    /// The output folder for this kind.
    pub fn folder(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificates",
            DocumentKind::Progress => "progress",
            DocumentKind::Checklist => "checklists",
            DocumentKind::Summary => "summaries",
        }
    }

    /// The output formats this kind has templates for.
    pub fn formats(self) -> &'static [Format] {
        match self {
            DocumentKind::Certificate => &[Format::Pdf, Format::Html, Format::Json, Format::Typ],
            DocumentKind::Progress => &[Format::Pdf, Format::Html, Format::Typ],
            DocumentKind::Checklist | DocumentKind::Summary => &[Format::Pdf, Format::Typ],
        }
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PDF through Typst (PDF/A-3b for certificates).
    Pdf,
    /// Accessible HTML.
    Html,
    /// The certificate's data as JSON.
    Json,
    /// The generated Typst source, for review.
    Typ,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Json => "json",
            Format::Typ => "typ",
        }
    }
}

/// What a document is made from.
#[derive(Debug, Clone)]
pub enum Source {
    Assessment { progression: Arc<Progression> },
    Framework { framework: Arc<Framework>, lang: Lang },
    Cohort { summary: Arc<CohortSummary> },
}

/// One document to build.
#[derive(Debug, Clone)]
pub struct PlannedDocument {
    pub kind: DocumentKind,
    /// The output path without extension, relative to the output folder,
    /// such as `certificates/amal-hassan-slottsskogen`.
    pub stem: PathBuf,
    /// The files it is made from: for watch mode to know what to rebuild.
    pub inputs: BTreeSet<FileId>,
    pub source: Source,
    /// The document's title, for the PDF's metadata.
    pub title: String,
    pub lang: String,
    pub date: NaiveDate,
}

/// Something that was not built, and why; not an error.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub what: String,
    pub why: String,
}

/// The documents a build will make.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub documents: Vec<PlannedDocument>,
    pub skipped: Vec<Skipped>,
}

/// A cohort: the framework's id and version, and the summary's language.
type CohortKey = (String, String, String);

/// The date given to documents that carry none of their own (checklists),
/// so that building twice gives the same bytes.
pub fn undated() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

/// Plans every document of `kinds` for the checked workspace. Assessments
/// and frameworks with errors are left out; `only_files`, if given, limits
/// assessments and checklists to those files.
pub fn plan(
    checked: &Checked,
    kinds: &BTreeSet<DocumentKind>,
    lang: Option<&Lang>,
    only_files: Option<&HashSet<FileId>>,
) -> Plan {
    let mut plan = Plan::default();
    // Names are unique within an output folder: a checklist and a summary
    // of one framework share a name in different folders.
    let mut taken: HashMap<&str, HashSet<PathBuf>> = HashMap::new();
    let mut cohorts: BTreeMap<CohortKey, Vec<(Arc<Progression>, FileId)>> = BTreeMap::new();
    let wanted = |file: FileId| only_files.is_none_or(|files| files.contains(&file));

    for entry in &checked.assessments {
        if !wanted(entry.file) {
            continue;
        }
        let path = checked.workspace.path(entry.file).display().to_string();
        if entry.has_errors {
            plan.skipped.push(Skipped { what: path, why: "it has errors".into() });
            continue;
        }
        let Ok(framework) = framework_for(&entry.assessment, &checked.resolution) else { continue };
        let language = report::document_language(&entry.assessment, framework, lang);
        let progression = Arc::new(report::progression(&entry.assessment, framework, &language));
        let mut inputs = checked.resolution.files_behind(framework, &checked.workspace);
        inputs.insert(entry.file);
        let participant = participant_stem(&progression.participant.name, checked.workspace.path(entry.file));
        let name = unique_stem(&format!("{participant}-{}", framework.id), taken.entry("participants").or_default());
        let date = progression.document_date.unwrap_or_else(undated);
        let title = format!("{} – {}", progression.participant.name, progression.framework.title);
        if kinds.contains(&DocumentKind::Certificate) {
            if progression.certificate_issued {
                plan.documents.push(PlannedDocument {
                    kind: DocumentKind::Certificate,
                    stem: PathBuf::from(DocumentKind::Certificate.folder()).join(&name),
                    inputs: inputs.clone(),
                    source: Source::Assessment { progression: progression.clone() },
                    title: title.clone(),
                    lang: language.code().to_string(),
                    date,
                });
            } else {
                let why = if progression.occasions.iter().any(|o| o.kind == crate::model::OccasionKind::Final) {
                    "no certificate: the final assessment is not signed"
                } else {
                    "no certificate: there is no final assessment yet"
                };
                plan.skipped.push(Skipped { what: path.clone(), why: why.into() });
            }
        }
        if kinds.contains(&DocumentKind::Progress) {
            plan.documents.push(PlannedDocument {
                kind: DocumentKind::Progress,
                stem: PathBuf::from(DocumentKind::Progress.folder()).join(&name),
                inputs: inputs.clone(),
                source: Source::Assessment { progression: progression.clone() },
                title,
                lang: language.code().to_string(),
                date,
            });
        }
        cohorts
            .entry((framework.id.clone(), framework.version.clone(), language_of_cohort(framework, lang)))
            .or_default()
            .push((progression, entry.file));
    }

    if kinds.contains(&DocumentKind::Checklist) {
        for framework in checked.resolution.frameworks() {
            let file = checked.resolution.file_of(framework);
            if framework.kind != FrameworkKind::Framework || checked.resolution.is_broken(file) || !wanted(file) {
                continue;
            }
            let language = lang.cloned().unwrap_or_else(|| framework.default_language().clone());
            let stem = format!("{}-{}", framework.id, framework.version.replace('.', "-"));
            plan.documents.push(PlannedDocument {
                kind: DocumentKind::Checklist,
                stem: PathBuf::from(DocumentKind::Checklist.folder())
                    .join(unique_stem(&stem, taken.entry(DocumentKind::Checklist.folder()).or_default())),
                inputs: checked.resolution.files_behind(framework, &checked.workspace),
                title: framework.title.best(&language, &framework.languages).to_string(),
                source: Source::Framework { framework: framework.clone(), lang: language.clone() },
                lang: language.code().to_string(),
                date: undated(),
            });
        }
    }

    if kinds.contains(&DocumentKind::Summary) {
        for ((id, version, language), members) in cohorts {
            let progressions: Vec<&Progression> = members.iter().map(|(p, _)| p.as_ref()).collect();
            // Each participant's own language was used above; the summary
            // speaks the framework's language.
            let relocalized: Vec<Progression>;
            let progressions: Vec<&Progression> = if progressions.iter().all(|p| p.language == language) {
                progressions
            } else {
                relocalized = members
                    .iter()
                    .filter_map(|(_, file)| {
                        let entry = checked.assessments.iter().find(|a| a.file == *file)?;
                        let framework = framework_for(&entry.assessment, &checked.resolution).ok()?;
                        Some(report::progression(&entry.assessment, framework, &Lang::parse(&language)?))
                    })
                    .collect();
                relocalized.iter().collect()
            };
            let Some(summary) = report::cohort_summary(&progressions) else { continue };
            let date = members.iter().filter_map(|(p, _)| p.document_date).max().unwrap_or_else(undated);
            let mut inputs: BTreeSet<FileId> = members.iter().map(|(_, file)| *file).collect();
            if let crate::model::Lookup::Found(framework) = checked.resolution.lookup(&id, &version) {
                inputs.extend(checked.resolution.files_behind(framework, &checked.workspace));
            }
            let stem = format!("{id}-{}", version.replace('.', "-"));
            plan.documents.push(PlannedDocument {
                kind: DocumentKind::Summary,
                stem: PathBuf::from(DocumentKind::Summary.folder())
                    .join(unique_stem(&stem, taken.entry(DocumentKind::Summary.folder()).or_default())),
                inputs,
                title: summary.framework_title.clone(),
                source: Source::Cohort { summary: Arc::new(summary) },
                lang: language,
                date,
            });
        }
    }
    plan
}

fn language_of_cohort(framework: &Framework, lang: Option<&Lang>) -> String {
    lang.unwrap_or_else(|| framework.default_language()).code().to_string()
}

/// A file name for a participant: the name in Latin letters where it can be
/// spelled so, else the assessment file's own name. Long runs of digits are
/// dropped, so that a personal identity number never becomes a file name.
fn participant_stem(name: &str, assessment: &std::path::Path) -> String {
    let from_name = safe_file_stem(name);
    let spelled = if from_name.starts_with("name-") {
        assessment.file_stem().map(|s| safe_file_stem(&s.to_string_lossy())).unwrap_or(from_name)
    } else {
        from_name
    };
    let kept: Vec<&str> =
        spelled.split('-').filter(|part| !(part.len() >= 6 && part.chars().all(|c| c.is_ascii_digit()))).collect();
    let stem = kept.join("-");
    if stem.is_empty() { "participant".to_string() } else { stem }
}

/// `name`, or `name-2`, `name-3` ... if an earlier document took it.
fn unique_stem(name: &str, taken: &mut HashSet<PathBuf>) -> String {
    let mut candidate = name.to_string();
    let mut number = 2;
    while !taken.insert(PathBuf::from(&candidate)) {
        candidate = format!("{name}-{number}");
        number += 1;
    }
    candidate
}
