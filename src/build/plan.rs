//! What to build: which documents a checked workspace gives, in which
//! language, under which stable output names.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::names::{OutputNames, Request};
use crate::check::{Checked, framework_for};
use crate::credential::CertificateFacts;
use crate::model::{Assessment, Framework, FrameworkKind, Lang};
use crate::render::safe_file_stem;
use crate::report::sheet::Status;
use crate::report::{self, CohortSummary, IssuedKey, Progression};
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
    /// A cohort summary, for each framework that assessments follow, and
    /// for each industry framework across the workplaces of its tailorings.
    Summary,
    /// The funders' overview of every participant, across frameworks.
    Overview,
}

impl DocumentKind {
    /// Every kind, in the order a build makes them.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Certificate,
        DocumentKind::Progress,
        DocumentKind::Checklist,
        DocumentKind::Summary,
        DocumentKind::Overview,
    ];

    /// The template's name, without its extension.
    pub fn template(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate",
            DocumentKind::Progress => "progress",
            DocumentKind::Checklist => "checklist",
            DocumentKind::Summary => "summary",
            DocumentKind::Overview => "overview",
        }
    }

    /// The output folder for this kind.
    pub fn folder(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificates",
            DocumentKind::Progress => "progress",
            DocumentKind::Checklist => "checklists",
            DocumentKind::Summary => "summaries",
            DocumentKind::Overview => "overview",
        }
    }

    /// The output formats this kind has templates for.
    pub fn formats(self) -> &'static [Format] {
        match self {
            DocumentKind::Certificate => &[Format::Pdf, Format::Html, Format::Json, Format::Typ],
            DocumentKind::Progress => &[Format::Pdf, Format::Html, Format::Typ, Format::Csv, Format::Xlsx],
            DocumentKind::Checklist => &[Format::Pdf, Format::Typ],
            DocumentKind::Summary | DocumentKind::Overview => &[Format::Pdf, Format::Typ, Format::Csv, Format::Xlsx],
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
    /// Progression data as a spreadsheet: one row per participant and item,
    /// `;`-separated UTF-8 for Swedish and Danish Excel.
    Csv,
    /// Progression data as an Excel workbook with typed cells.
    Xlsx,
}

impl Format {
    /// The file name extension, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Json => "json",
            Format::Typ => "typ",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A participant's progression in one language, made when a document needs
/// it and dropped after: a plan holds what it is made from (shared with the
/// checked workspace), never every participant's report at once, so that
/// its size does not grow with what a cohort's reports hold.
#[derive(Debug, Clone)]
pub struct ProgressionOf {
    assessment: Arc<Assessment>,
    framework: Arc<Framework>,
    language: Lang,
}

impl ProgressionOf {
    /// The progression of `assessment` on `framework`, in `language`.
    pub fn new(assessment: Arc<Assessment>, framework: Arc<Framework>, language: Lang) -> Self {
        ProgressionOf { assessment, framework, language }
    }

    /// The progression, made now.
    pub fn make(&self) -> Progression {
        report::progression(&self.assessment, &self.framework, self.language)
    }

    /// The progression without its verification code, for planning, or to
    /// be sealed as issued.
    pub(crate) fn make_unsealed(&self) -> Progression {
        report::unsealed_progression(&self.assessment, &self.framework, self.language)
    }

    /// The language it is written in.
    pub fn language(&self) -> Lang {
        self.language
    }

    /// The same participant's progression in `language`.
    fn in_language(&self, language: Lang) -> ProgressionOf {
        ProgressionOf { language, ..self.clone() }
    }
}

/// What the index page lists of a participant, taken from the progression
/// made while planning, so that listing a cohort makes none again.
#[derive(Debug, Clone)]
pub struct Headline {
    /// The participant's name as their documents write it.
    pub name: String,
    /// Whether the name is written right to left.
    pub right_to_left: bool,
    /// The framework's title and version.
    pub framework: String,
    /// The workplace, if the assessment names one.
    pub workplace: Option<String>,
    /// How far the assessment has come.
    pub status: Status,
}

/// What a document is made from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A certificate or progression report, from one assessment.
    Assessment {
        /// The participant's progression, in the document's language.
        progression: ProgressionOf,
        /// For a certificate: what its credential needs from the framework.
        facts: Option<Arc<CertificateFacts>>,
        /// What the index page lists of the participant.
        headline: Arc<Headline>,
    },
    /// A checklist, from a framework alone.
    Framework {
        /// The resolved framework.
        framework: Arc<Framework>,
        /// The language the checklist is written in.
        lang: Lang,
    },
    /// A cohort summary, from every assessment that follows one framework.
    Cohort {
        /// The summary, in the document's language.
        summary: Arc<CohortSummary>,
        /// The members' progressions in that language, for spreadsheets.
        members: Arc<Vec<ProgressionOf>>,
    },
    /// The funders' overview, from every participant.
    Overview {
        /// What it covers, such as the folder's name.
        title: String,
        /// Every participant's progression, each in their framework's
        /// summary language.
        members: Arc<Vec<ProgressionOf>>,
        /// The certificates the register keeps; filled in once the register
        /// has been read ([`Plan::mark_issued`]).
        issued: Arc<BTreeSet<IssuedKey>>,
    },
}

/// One document to build.
#[derive(Debug, Clone)]
pub struct PlannedDocument {
    /// Which kind of document.
    pub kind: DocumentKind,
    /// The output path without extension, relative to the output folder,
    /// such as `certificates/amal-hassan-slottsskogen`.
    pub stem: PathBuf,
    /// The files it is made from: for watch mode to know what to rebuild.
    pub inputs: BTreeSet<FileId>,
    /// What its template is filled from.
    pub source: Source,
    /// The document's title, for the PDF's metadata.
    pub title: String,
    /// The language it is written in.
    pub lang: Lang,
    /// The date it carries: the sign-off, else the last occasion, else [`undated`].
    pub date: NaiveDate,
}

/// Something that was not built, and why; not an error.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file it would have been made from.
    pub what: String,
    /// Why not, in plain words, such as "it has errors".
    pub why: String,
}

/// The documents a build will make.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The documents to make, in the order they are made.
    pub documents: Vec<PlannedDocument>,
    /// What was left out, for the build's report.
    pub skipped: Vec<Skipped>,
}

/// A cohort: the framework's id and version, and the summary's language.
type CohortKey = (String, String, Lang);

/// Why an assessment with errors gets no documents, as [`Skipped::why`] says it.
pub const HAS_ERRORS: &str = "it has errors";

/// The date given to documents that carry none of their own (checklists),
/// so that building twice gives the same bytes.
pub fn undated() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

/// Which language each document is written in.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    /// `--lang`: every document in this language, whatever a participant chose.
    pub forced: Option<Lang>,
    /// kub.toml's `language`: for participants who chose none, and for
    /// checklists and summaries, where the framework has texts in it.
    pub default: Option<Lang>,
}

impl Languages {
    /// The language a participant's documents are written in.
    pub fn for_participant(&self, assessment: &crate::model::Assessment, framework: &Framework) -> Lang {
        let fallback = self.default_for(framework);
        let preferred = self.forced.or(fallback.filter(|_| assessment.participant.language.is_none()));
        report::document_language(assessment, framework, preferred)
    }

    /// The language of a framework's checklist and cohort summary.
    pub fn for_framework(&self, framework: &Framework) -> Lang {
        self.forced.or_else(|| self.default_for(framework)).unwrap_or_else(|| framework.default_language())
    }

    /// The project's default, if the framework is written in it: a default
    /// never gives a document in two languages.
    fn default_for(&self, framework: &Framework) -> Option<Lang> {
        self.default.filter(|lang| framework.languages.contains(lang))
    }
}

/// Plans every document of `kinds` for the checked workspace. Assessments
/// and frameworks with errors are left out; `only_files`, if given, limits
/// assessments and checklists to those files. Participants' names come from
/// `names`, which remembers who owns each.
///
/// The order is fixed, since watch mode and the output names rely on it:
/// each participant's certificate and progression report, then the
/// checklists, then the cohort summaries.
pub fn plan(
    checked: &Checked,
    kinds: &BTreeSet<DocumentKind>,
    languages: &Languages,
    names: &mut OutputNames,
    only_files: Option<&HashSet<FileId>>,
) -> Plan {
    let wanted = |file: FileId| only_files.is_none_or(|files| files.contains(&file));
    let mut plan = Plan::default();
    let participants = participants(checked, languages, &wanted, &mut plan.skipped);
    let names = participant_names(&participants, kinds, names);
    let mut cohorts = Cohorts::new();
    // Certificates for one framework share its facts rather than each holding a copy.
    let mut facts: BTreeMap<(String, String), Arc<CertificateFacts>> = BTreeMap::new();
    for (participant, name) in participants.into_iter().zip(names) {
        let framework = &participant.progression.framework;
        let key = (framework.id.clone(), framework.version.clone());
        let facts = facts.entry(key).or_insert_with(|| Arc::new(CertificateFacts::of(framework))).clone();
        plan_participant(&mut plan, checked, kinds, &participant, &name, facts);
        let language = languages.for_framework(&participant.progression.framework);
        let key = (framework.id.clone(), framework.version.clone(), language);
        let member = Member { progression: participant.progression, file: participant.file, date: participant.date };
        cohorts.entry(key).or_default().push(member);
    }
    if kinds.contains(&DocumentKind::Checklist) {
        plan_checklists(&mut plan, checked, languages, &wanted);
    }
    let summarised = kinds.contains(&DocumentKind::Summary) || kinds.contains(&DocumentKind::Overview);
    let members = if summarised { in_summary_languages(cohorts) } else { Cohorts::new() };
    if kinds.contains(&DocumentKind::Summary) {
        let mut taken = HashSet::new();
        plan_summaries(&mut plan, checked, &members, &mut taken);
        plan_industry_summaries(&mut plan, checked, languages, &members, &mut taken);
    }
    if kinds.contains(&DocumentKind::Overview) {
        plan_overview(&mut plan, checked, languages, &members);
    }
    plan
}

impl Plan {
    /// Marks the certificates the register keeps in the funders' overview,
    /// which counts them as issued.
    pub fn mark_issued(&mut self, keys: BTreeSet<IssuedKey>) {
        let keys = Arc::new(keys);
        for document in &mut self.documents {
            if let Source::Overview { issued, .. } = &mut document.source {
                *issued = keys.clone();
            }
        }
    }
}

/// An assessment without errors, with what its documents need to know of
/// its progression, on its way to its documents.
struct Participant {
    file: FileId,
    progression: ProgressionOf,
    /// The document's title.
    title: String,
    /// Whether a certificate is issued, and if not, why.
    certificate: Result<(), &'static str>,
    /// The date the documents carry, if they carry one.
    date: Option<NaiveDate>,
    headline: Arc<Headline>,
    /// The output name asked for, and the assessment file it is for.
    request: Request,
}

/// A member of a cohort, for its summaries.
#[derive(Clone)]
struct Member {
    progression: ProgressionOf,
    /// The assessment file.
    file: FileId,
    /// The date their documents carry, if they carry one.
    date: Option<NaiveDate>,
}

/// The members of each cohort.
type Cohorts = BTreeMap<CohortKey, Vec<Member>>;

/// The wanted assessments without errors, each with its progression in the
/// participant's language; those with errors are noted as skipped.
fn participants(
    checked: &Checked,
    languages: &Languages,
    wanted: &dyn Fn(FileId) -> bool,
    skipped: &mut Vec<Skipped>,
) -> Vec<Participant> {
    let mut participants = Vec::new();
    for entry in checked.assessments.iter().filter(|entry| wanted(entry.file)) {
        let path = checked.workspace.path(entry.file);
        if entry.has_errors {
            skipped.push(Skipped { what: path.display().to_string(), why: HAS_ERRORS.into() });
            continue;
        }
        let Some(framework) = shared_framework(checked, &entry.assessment) else { continue };
        let language = languages.for_participant(&entry.assessment, &framework);
        let progression = ProgressionOf::new(entry.assessment.clone(), framework.clone(), language);
        // Made once here for what the plan needs of it, none of which is
        // its verification code, and dropped.
        let made = progression.make_unsealed();
        let title = format!("{} – {}", made.participant.name, made.framework.title);
        let certificate = if made.certificate_issued { Ok(()) } else { Err(why_no_certificate(&made)) };
        let date = made.document_date;
        let headline = Arc::new(Headline {
            framework: format!("{} {}", made.framework.title, made.framework.version),
            status: Status::of(&made),
            workplace: made.workplace,
            right_to_left: made.participant.right_to_left,
            name: made.participant.name,
        });
        // The Latin form, when written, is what file names are spelt from.
        let participant = participant_stem(entry.assessment.participant.latin_or_name(), path);
        let request = Request { wanted: format!("{participant}-{}", framework.id), file: path.to_path_buf() };
        participants.push(Participant { file: entry.file, progression, title, certificate, date, headline, request });
    }
    participants
}

/// The framework an assessment follows, shared, if it resolved.
fn shared_framework(checked: &Checked, assessment: &Assessment) -> Option<Arc<Framework>> {
    let framework = framework_for(assessment, &checked.resolution).ok()?;
    match checked.resolution.lookup(&framework.id, &framework.version) {
        crate::model::Lookup::Found(shared) => Some(shared.clone()),
        _ => None,
    }
}

/// Each participant's output name. Names are claimed only when a
/// participant's document is wanted, so that building checklists alone
/// leaves the output folder's owners as they were.
fn participant_names(
    participants: &[Participant],
    kinds: &BTreeSet<DocumentKind>,
    names: &mut OutputNames,
) -> Vec<String> {
    let requests: Vec<Request> = participants.iter().map(|participant| participant.request.clone()).collect();
    let wanted = kinds.contains(&DocumentKind::Certificate) || kinds.contains(&DocumentKind::Progress);
    if wanted { names.assign(&requests) } else { vec![String::new(); requests.len()] }
}

/// A participant's certificate, if one is issued, and progression report.
fn plan_participant(
    plan: &mut Plan,
    checked: &Checked,
    kinds: &BTreeSet<DocumentKind>,
    participant: &Participant,
    name: &str,
    facts: Arc<CertificateFacts>,
) {
    let progression = &participant.progression;
    let mut inputs = checked.resolution.files_behind(&progression.framework, &checked.workspace);
    inputs.insert(participant.file);
    let document = |kind: DocumentKind| PlannedDocument {
        kind,
        stem: PathBuf::from(kind.folder()).join(name),
        inputs: inputs.clone(),
        source: Source::Assessment {
            progression: progression.clone(),
            facts: (kind == DocumentKind::Certificate).then(|| facts.clone()),
            headline: participant.headline.clone(),
        },
        title: participant.title.clone(),
        lang: progression.language,
        date: participant.date.unwrap_or_else(undated),
    };
    if kinds.contains(&DocumentKind::Certificate) {
        match participant.certificate {
            Ok(()) => plan.documents.push(document(DocumentKind::Certificate)),
            Err(why) => {
                let what = participant.request.file.display().to_string();
                plan.skipped.push(Skipped { what, why: why.into() });
            }
        }
    }
    if kinds.contains(&DocumentKind::Progress) {
        plan.documents.push(document(DocumentKind::Progress));
    }
}

/// Why a participant has no certificate yet.
fn why_no_certificate(progression: &Progression) -> &'static str {
    if progression.occasions.iter().any(|o| o.kind == crate::model::OccasionKind::Final) {
        "no certificate: the final assessment is not signed"
    } else {
        "no certificate: there is no final assessment yet"
    }
}

/// A blank checklist for each wanted framework without errors; tailorings
/// have their own, libraries none.
fn plan_checklists(plan: &mut Plan, checked: &Checked, languages: &Languages, wanted: &dyn Fn(FileId) -> bool) {
    let mut taken = HashSet::new();
    for framework in checked.resolution.frameworks() {
        let file = checked.resolution.file_of(framework);
        if framework.kind != FrameworkKind::Framework || checked.resolution.is_broken(file) || !wanted(file) {
            continue;
        }
        let language = languages.for_framework(framework);
        let stem = format!("{}-{}", framework.id, framework.version.replace('.', "-"));
        plan.documents.push(PlannedDocument {
            kind: DocumentKind::Checklist,
            stem: PathBuf::from(DocumentKind::Checklist.folder()).join(unique_stem(&stem, &mut taken)),
            inputs: checked.resolution.files_behind(framework, &checked.workspace),
            title: framework.title.best(language, &framework.languages).to_string(),
            source: Source::Framework { framework: framework.clone(), lang: language },
            lang: language,
            date: undated(),
        });
    }
}

/// Each cohort's members in the cohort's language.
fn in_summary_languages(cohorts: Cohorts) -> Cohorts {
    cohorts
        .into_iter()
        .map(|(key, members)| {
            let members = relocalized(members, key.2);
            (key, members)
        })
        .collect()
}

/// `members` in `language`. Each participant's documents speak their own
/// language; the summary speaks the framework's.
fn relocalized(members: Vec<Member>, language: Lang) -> Vec<Member> {
    members
        .into_iter()
        .map(|member| Member { progression: member.progression.in_language(language), ..member })
        .collect()
}

/// The members' progressions, each made when the summary reaches it and
/// dropped after; a summary states no verification code, so none is made.
fn made(members: &[Member]) -> impl Iterator<Item = Progression> + '_ {
    members.iter().map(|member| member.progression.make_unsealed())
}

/// A summary for each cohort: the participants who follow one framework
/// version, in the framework's language.
fn plan_summaries(plan: &mut Plan, checked: &Checked, members: &Cohorts, taken: &mut HashSet<PathBuf>) {
    for ((id, version, language), cohort) in members {
        let Some(summary) = report::cohort_summary(made(cohort)) else { continue };
        let stem = format!("{id}-{}", version.replace('.', "-"));
        let files = cohort.iter().map(|member| member.file).collect();
        let inputs = summary_inputs(checked, files, [(id.as_str(), version.as_str())]);
        plan.documents.push(summary_document(summary, cohort, &stem, taken, inputs, *language));
    }
}

/// For each industry framework whose tailorings have participants: one
/// summary of the industry framework's own participants and its
/// tailorings', each marked with their workplace and tailoring.
fn plan_industry_summaries(
    plan: &mut Plan,
    checked: &Checked,
    languages: &Languages,
    members: &Cohorts,
    taken: &mut HashSet<PathBuf>,
) {
    let mut industries: BTreeMap<(String, String), Vec<&CohortKey>> = BTreeMap::new();
    for key in members.keys() {
        let crate::model::Lookup::Found(framework) = checked.resolution.lookup(&key.0, &key.1) else { continue };
        let root =
            framework.extends.last().map_or((key.0.clone(), key.1.clone()), |r| (r.id.clone(), r.version.clone()));
        industries.entry(root).or_default().push(key);
    }
    for ((id, version), mut keys) in industries {
        let crate::model::Lookup::Found(industry) = checked.resolution.lookup(&id, &version) else { continue };
        if keys.iter().all(|key| key.0 == id) {
            continue;
        }
        let language = languages.for_framework(industry);
        // The industry framework's own participants first, then each tailoring's.
        keys.sort_by_key(|key| (key.0 != id, key.0.clone(), key.1.clone()));
        let cohort: Vec<Member> = keys.iter().flat_map(|key| members[*key].iter().cloned()).collect();
        let cohort = relocalized(cohort, language);
        let title = industry.title.best(language, &industry.languages).to_string();
        let Some(summary) = report::industry_summary(&id, &version, &title, made(&cohort)) else { continue };
        let files = cohort.iter().map(|member| member.file).collect();
        let inputs = summary_inputs(checked, files, keys.iter().map(|key| (key.0.as_str(), key.1.as_str())));
        let stem = format!("{id}-{}-{ALL_WORKPLACES}", version.replace('.', "-"));
        plan.documents.push(summary_document(summary, &cohort, &stem, taken, inputs, language));
    }
}

/// The last part of an industry summary's file name.
pub const ALL_WORKPLACES: &str = "all-workplaces";

/// The funders' overview of every participant, when there is one.
fn plan_overview(plan: &mut Plan, checked: &Checked, languages: &Languages, members: &Cohorts) {
    let Some(first) = members.keys().next() else { return };
    let language = languages.forced.or(languages.default).unwrap_or(first.2);
    let progressions: Vec<ProgressionOf> =
        members.values().flatten().map(|member| member.progression.clone()).collect();
    let files: BTreeSet<FileId> = members.values().flatten().map(|member| member.file).collect();
    let frameworks: Vec<(&str, &str)> = members.keys().map(|key| (key.0.as_str(), key.1.as_str())).collect();
    let title = overview_title(checked, &files);
    let date = latest_date(members.values().flatten());
    plan.documents.push(PlannedDocument {
        kind: DocumentKind::Overview,
        stem: PathBuf::from(DocumentKind::Overview.folder()).join(safe_file_stem(&title)),
        inputs: summary_inputs(checked, files.clone(), frameworks),
        title: title.clone(),
        source: Source::Overview { title, members: Arc::new(progressions), issued: Arc::default() },
        lang: language,
        date,
    });
}

/// The latest date the members' documents carry, else [`undated`].
fn latest_date<'a>(members: impl IntoIterator<Item = &'a Member>) -> NaiveDate {
    members.into_iter().filter_map(|member| member.date).max().unwrap_or_else(undated)
}

/// What the overview covers: the name of the folder that holds every
/// assessment, else `kub`.
fn overview_title(checked: &Checked, files: &BTreeSet<FileId>) -> String {
    let mut folders = files.iter().filter_map(|file| checked.workspace.path(*file).parent());
    let Some(first) = folders.next() else { return "kub".to_string() };
    let common = folders.fold(first.to_path_buf(), |common, folder| {
        common.ancestors().find(|ancestor| folder.starts_with(ancestor)).map(PathBuf::from).unwrap_or_default()
    });
    let absolute = std::path::absolute(&common).unwrap_or(common);
    absolute.file_name().map_or_else(|| "kub".to_string(), |name| name.to_string_lossy().into_owned())
}

/// The files a summary is made from: its members' assessments and the
/// frameworks they follow.
fn summary_inputs<'a>(
    checked: &Checked,
    files: BTreeSet<FileId>,
    frameworks: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeSet<FileId> {
    let mut inputs = files;
    for (id, version) in frameworks {
        if let crate::model::Lookup::Found(framework) = checked.resolution.lookup(id, version) {
            inputs.extend(checked.resolution.files_behind(framework, &checked.workspace));
        }
    }
    inputs
}

/// A summary document under `summaries/`.
fn summary_document(
    summary: CohortSummary,
    members: &[Member],
    stem: &str,
    taken: &mut HashSet<PathBuf>,
    inputs: BTreeSet<FileId>,
    language: Lang,
) -> PlannedDocument {
    let progressions = members.iter().map(|member| member.progression.clone()).collect();
    PlannedDocument {
        kind: DocumentKind::Summary,
        stem: PathBuf::from(DocumentKind::Summary.folder()).join(unique_stem(stem, taken)),
        inputs,
        title: summary.framework_title.clone(),
        source: Source::Cohort { summary: Arc::new(summary), members: Arc::new(progressions) },
        lang: language,
        date: latest_date(members),
    }
}

/// A file name for a participant: the name in Latin letters where it can be
/// spelled so, else the assessment file's own name, else a code made from
/// the name. Digits are dropped, so that no part of a personal identity
/// number (not even its last four digits) becomes a file name.
fn participant_stem(name: &str, assessment: &std::path::Path) -> String {
    let from_name = safe_file_stem(name);
    let spelled = if from_name.starts_with("name-") {
        // A file name with no Latin spelling either is no better than the name.
        let from_file = assessment
            .file_stem()
            .map(|stem| safe_file_stem(&stem.to_string_lossy()))
            .filter(|stem| !stem.starts_with("name-"))
            .map(|stem| without_digits(&stem))
            .filter(|stem| !stem.is_empty());
        from_file.unwrap_or(from_name)
    } else {
        without_digits(&from_name)
    };
    if spelled.is_empty() { "participant".to_string() } else { spelled }
}

/// A file stem with its digits gone and its dashes tidied.
fn without_digits(stem: &str) -> String {
    let letters: String = stem.chars().filter(|c| !c.is_ascii_digit()).collect();
    letters.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-")
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::participant_stem;

    #[test]
    fn a_participant_is_named_by_their_name_in_latin_letters() {
        assert_eq!(participant_stem("Åsa Öberg", Path::new("x/19811218-9876.kub")), "asa-oberg");
        assert_eq!(participant_stem("Олена Коваленко", Path::new("x/olena.kub")), "olena-kovalenko");
    }

    #[test]
    fn no_digit_of_a_file_name_reaches_a_participants_name() {
        let arabic = "أمل حسن";
        for file in ["19811218-9876.kub", "811218+9876.kub", "8112189876.kub", "9876.kub", "٣٤٥.kub"] {
            let stem = participant_stem(arabic, Path::new("assessments").join(file).as_path());
            assert!(stem.starts_with("name-"), "{file}: {stem}");
            assert!(!stem.contains("9876") && !stem.contains("811218"), "{file}: {stem}");
        }
        assert_eq!(participant_stem(arabic, Path::new("amal_811218-9876.kub")), "amal");
        assert_eq!(participant_stem(arabic, Path::new("amal-hassan-2026.kub")), "amal-hassan");
        assert_eq!(participant_stem("Amal 9876", Path::new("a.kub")), "amal");
        assert_eq!(participant_stem("811218-9876", Path::new("a.kub")), "participant");
    }
}
