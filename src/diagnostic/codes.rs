//! The catalogue of diagnostic codes: one table, each code documented once.
//!
//! Codes are grouped by the stage that finds them: `K01` syntax, `K02`
//! framework content, `K03` references between files, `K04` assessments,
//! `K05` documents and `K06` issued certificates, credentials and the
//! editor. `kub explain CODE` prints an entry.

use serde::Serialize;

use super::Severity;

macro_rules! codes {
    ($(
        $variant:ident = ($code:literal, $name:literal, $severity:ident,
            [$($module:literal),*], $what:literal, $fix:literal);
    )*) => {
        /// A stable diagnostic code such as `K0201` (`duplicate-id`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(#[doc = concat!("`", $code, "` (`", $name, "`): ", $what)] $variant,)* }

        impl Code {
            /// Every code, in the table's order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, for example `K0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A short kebab-case name, for example `duplicate-id`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a diagnostic with this code has unless its stage decides otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// The source files (under `src/`) that raise it, so that a
            /// reader knows where to look; a test keeps the list true.
            pub fn raised_in(self) -> &'static [&'static str] {
                match self { $(Code::$variant => &[$($module),*],)* }
            }

            /// What the diagnostic means and why it matters.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $what,)* }
            }

            /// How to fix it.
            pub fn fix(self) -> &'static str {
                match self { $(Code::$variant => $fix,)* }
            }

            /// Whether the diagnostic only says that a file depends on
            /// another file's errors, which are the ones to read first.
            pub fn follows_from_another_file(self) -> bool {
                matches!(self, Code::FrameworkHasErrors | Code::UnreadableDependency)
            }

            /// The code written as `K0201` (in any case) or as its name, `duplicate-id`.
            pub fn parse(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|code| {
                    code.as_str().eq_ignore_ascii_case(text) || code.name() == text
                })
            }
        }
    };
}

codes! {
    // ------------------------------------------------------------ files
    FileUnreadable = ("K0001", "file-unreadable", Error,
        ["build/mod.rs", "build/strings.rs", "model/workspace.rs", "project.rs", "render/templates.rs", "watch/session/changes.rs"],
        "A file could not be read, or is not UTF-8 text.",
        "Check that the path exists and that the file is saved as UTF-8.");
    EmptyFile = ("K0002", "empty-file", Error,
        ["syntax/mod.rs"],
        "The file has no content. Every file starts with `framework`, `library` or `assessment`.",
        "Write the first line, or run `kub new` to get a ready-to-fill file.");
    FolderUnreadable = ("K0003", "folder-unreadable", Error,
        ["model/walk.rs"],
        "A folder (or an entry in it) could not be read, so the .kub files in it are left out of the check and the build. The message gives the system's reason.",
        "Give your user permission to read the folder, or move the files to a folder you can read.");
    LinkSkipped = ("K0004", "link-skipped", Warning,
        ["model/walk.rs"],
        "A symbolic link leads to a folder or file that kub reads already: back up the tree, to a sibling, or to the same file by another path. Following it would read the same assessments again (or forever, for a loop), so kub skips it.",
        "Remove the link if nothing else needs it. The files it leads to are read by their other path; to check a folder a link leads back up to, give that folder to kub.");
    BrokenLink = ("K0005", "broken-link", Warning,
        ["model/walk.rs"],
        "A symbolic link points to something that does not exist (or to a circle of links), so kub skipped it.",
        "Point the link at an existing file or folder, or remove it.");

    // ------------------------------------------------------------ syntax
    SyntaxError = ("K0101", "syntax-error", Error,
        ["project.rs", "syntax/error.rs"],
        "The file does not follow the shape of the kub language at this point.",
        "Compare the line with the examples in docs/language.md; the message names what kub expected.");
    InvalidText = ("K0102", "invalid-text", Error,
        ["syntax/lower.rs"],
        "A quoted text contains an escape that kub does not know.",
        "Use only \\\" \\\\ \\n and \\t as escapes; write a backslash as \\\\.");
    ForbiddenCharacter = ("K0103", "forbidden-character", Error,
        ["syntax/lower.rs"],
        "A text or comment holds an invisible character that a document cannot show or that changes how the text around it reads: a control character (such as NULL or ESCAPE), a direction override, embedding or isolate (such as RIGHT-TO-LEFT OVERRIDE), a line or paragraph separator, a byte order mark inside the file, or a noncharacter. Letters of every script, tabs, line breaks in triple-quoted texts, the joiners ZWJ and ZWNJ, variation selectors and the direction marks LRM, RLM and ALM are allowed; docs/language.md has the full rule.",
        "Delete the character named in the message. It is invisible in most editors: move the cursor to the column shown and delete until the text reads right, or retype the text.");
    MergeConflict = ("K0104", "merge-conflict", Error,
        ["syntax/conflicts.rs"],
        "The file still holds the markers git writes when two people changed the same lines (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`), with both versions of the lines between them. kub reads only the first side until the conflict is resolved, and does not check the file against anything.",
        "Keep the lines you want from each side and delete the marker lines; then run `kub check` again.");

    // ------------------------------------------------------------ framework content
    DuplicateId = ("K0201", "duplicate-id", Error,
        ["model/lower.rs"],
        "Two items of the same kind have the same id. Assessments refer to items by id, so each must be unique.",
        "Rename one of them, or remove the copy.");
    DuplicateProperty = ("K0202", "duplicate-property", Error,
        ["model/assessment.rs", "model/lower.rs", "model/resolve/certificate.rs", "model/resolve/graph.rs", "model/resolve/header.rs"],
        "The same property is given twice for one item, so it is unclear which one counts.",
        "Keep one of them.");
    MissingProperty = ("K0203", "missing-property", Error,
        ["model/assessment.rs", "model/lower.rs", "model/resolve/header.rs"],
        "A property that every framework or assessment needs is missing.",
        "Add the property the message names.");
    UnknownLanguage = ("K0204", "unknown-language", Error,
        ["model/assessment.rs", "model/lower.rs", "project.rs"],
        "A language code is not one kub knows. Codes are ISO 639-1, two letters: sv, da, en, nb, nn, fi, de ...",
        "Use the two-letter code of the language.");
    MissingDefaultText = ("K0205", "missing-default-text", Error,
        ["check/texts.rs"],
        "A text has no version in the framework's default language (the first in `languages`). Documents fall back to it, so it is required.",
        "Add the text in the default language, first and without a language code.");
    MissingTranslation = ("K0206", "missing-translation", Warning,
        ["check/texts.rs"],
        "A text is missing in one of the languages the framework declares. Documents in that language will show the default language instead.",
        "Add the translation, or remove the language from `languages`.");
    UndeclaredLanguage = ("K0207", "undeclared-language", Warning,
        ["check/texts.rs"],
        "A text is given in a language that the framework does not declare in `languages`, so no document will use it.",
        "Add the language to `languages`, or remove the text.");
    SeqfLevelOutOfRange = ("K0208", "seqf-level-out-of-range", Error,
        ["model/lower.rs"],
        "SeQF has eight levels, 1 to 8. Work tasks in these frameworks usually sit at levels 1 to 4.",
        "Use a level from 1 to 8.");
    UnknownCefrLevel = ("K0210", "unknown-cefr-level", Error,
        ["model/lower.rs"],
        "CEFR levels are A1, A2, B1, B2, C1 and C2.",
        "Use one of the six CEFR levels.");
    UnknownSfiCourse = ("K0211", "unknown-sfi-course", Error,
        ["model/lower.rs"],
        "SFI (Swedish for immigrants) has the courses A, B, C and D.",
        "Use one of the letters A, B, C or D.");
    ScaleTooSmall = ("K0212", "scale-too-small", Error,
        ["check/scales.rs"],
        "A rating scale needs at least two levels: with one level there is nothing to choose between.",
        "Add the missing levels, lowest first.");
    UnusedScale = ("K0213", "unused-scale", Warning,
        ["check/scales.rs"],
        "A scale is defined but no task or competence is rated with it.",
        "Rate something with it (`rate tasks with ID`, or `scale ID` in an area, task or competence), or remove it.");
    UnknownScale = ("K0214", "unknown-scale", Error,
        ["model/resolve/scales.rs"],
        "A scale is referred to that is not defined in this framework, in what it extends, or in what it includes.",
        "Check the spelling, or define the scale.");
    UnknownLevel = ("K0215", "unknown-level", Error,
        ["model/resolve/scales.rs"],
        "A level is referred to that is not on the scale in question.",
        "Use one of the levels the scale defines.");
    UnknownCefrSkill = ("K0216", "unknown-cefr-skill", Error,
        ["model/lower.rs"],
        "A language track follows one CEFR skill: listening, reading, spoken-interaction, spoken-production or writing.",
        "Use one of the five skills.");
    UnknownEvidence = ("K0217", "unknown-evidence", Error,
        ["model/lower.rs"],
        "Evidence says how a task is shown: practice, oral, written, product or observation.",
        "Use one of the five kinds.");
    RequiredAndOptional = ("K0218", "required-and-optional", Error,
        ["model/lower.rs"],
        "A task is marked both required and optional.",
        "Keep one of the two.");
    NoRatingScale = ("K0219", "no-rating-scale", Error,
        ["model/resolve/scales.rs"],
        "A task or competence has no scale to be rated with.",
        "Add `rate tasks with ID` (or `rate competences with ID`) to the framework, or `scale ID` to the item.");
    UnknownRateTarget = ("K0220", "unknown-rate-target", Error,
        ["model/resolve/header.rs"],
        "`rate ... with` sets the default scale for `tasks` or `competences`.",
        "Write `rate tasks with ID` or `rate competences with ID`.");
    MissingTitle = ("K0221", "missing-title", Error,
        ["model/lower.rs", "model/resolve/header.rs", "model/resolve/merge.rs"],
        "Every area, task, competence, track, milestone and scale level needs a title: it is what people read.",
        "Write the title in quotes after the id, for example `task grasklippning \"Klippa gräs\"`.");
    UnknownSeqfRule = ("K0222", "unknown-seqf-rule", Error,
        ["model/lower.rs"],
        "The certificate's SeQF rule is `all-required` (every required task at the level or below achieved) or `share N` (N per cent of the tasks at the level or below achieved).",
        "Write `seqf all-required` or, for example, `seqf share 80`.");
    MissingAchievedLevel = ("K0223", "missing-achieved-level", Error,
        ["check/certificate.rs"],
        "A scale that rates tasks has no `achieved` level in the certificate rules, so no task rated with it could ever be listed on a certificate.",
        "Add `achieved SCALE from LEVEL` to the `certificate` block.");
    EmptyArea = ("K0224", "empty-area", Warning,
        ["check/areas.rs"],
        "An area has no tasks, so it will not appear in any document.",
        "Add tasks to it, or remove it.");
    MissingDescriptor = ("K0225", "missing-descriptor", Warning,
        ["check/scales.rs"],
        "A competence does not say what one of its scale's levels looks like, so a supervisor has less to go on.",
        "Add `level LEVEL \"...\"` for the missing level.");
    MisplacedStatement = ("K0226", "misplaced-statement", Error,
        ["model/resolve/mod.rs"],
        "A statement stands where it has no meaning, for example `extends` in a library.",
        "Move the statement or remove it.");
    TextTooLong = ("K0227", "text-too-long", Error,
        ["syntax/lower.rs"],
        "A text is longer than documents are laid out for. Limits, in characters: a name (of a person, a workplace or an organisation) or a role 100; a title, label or occupation 200; a criterion or level descriptor 500; a rating comment or goal 1000; a description 2000; a reference, personal number, ESCO address or included path 200. Anything within the limits is wrapped to fit the page; a participant's name at its limit still gives a one-page certificate.",
        "Shorten the text to the limit named in the message; put long explanations in a description rather than a title.");
    RenameToUnknown = ("K0228", "rename-to-unknown", Error,
        ["check/renames.rs"],
        "A `renamed` line gives an item a new id that the framework does not have, so ratings written with the old id would count for nothing.",
        "After `to`, write the id the item has in this version, or add the item.");
    RenamedIdInUse = ("K0229", "renamed-id-in-use", Error,
        ["check/renames.rs"],
        "A `renamed` line says an id was renamed, but the framework still has an item with the old id, so a rating with that id could mean either.",
        "Remove the `renamed` line if the item kept its id, or give the item its new id.");
    RenameConflict = ("K0230", "rename-conflict", Error,
        ["check/renames.rs"],
        "The renames of a framework contradict each other: one id is renamed twice, or renames go round in a circle (`a` to `b` and `b` to `a`), so an old id leads nowhere certain.",
        "Keep one `renamed` line for each old id, and let each chain of renames end at an item the framework has.");
    EscoUriNotHttp = ("K0231", "esco-uri-not-http", Warning,
        ["check/esco.rs"],
        "An `esco` address starts with `https://`. ESCO names every concept by a URI that starts with `http://`, and the systems that read kub's credentials and CASE packages compare addresses letter by letter, so the `https://` form links to no concept. kub checks the address's form only, offline; whether the concept exists is not checked.",
        "Write the address with `http://`, exactly as the concept's URI on the ESCO portal; the message gives it.");
    NotAnEscoUri = ("K0232", "not-an-esco-uri", Warning,
        ["check/esco.rs"],
        "An `esco` line gives an address that is not on ESCO's host (`http://data.europa.eu/esco/...`), for example the address of a page of the ESCO portal or of another classification, so exports would link the framework to no ESCO concept.",
        "Copy the concept's URI from the ESCO portal (shown on the concept's page); for a portal link kub names the URI it carries.");
    MalformedEscoUri = ("K0233", "malformed-esco-uri", Warning,
        ["check/esco.rs"],
        "An `esco` address is on ESCO's host but is not a concept's URI as ESCO writes it: it ends in `/`, has capital letters or a broken UUID, a query after the identifier, or a path other than `/esco/occupation/UUID`, `/esco/skill/UUID` or `/esco/isco/C` and a code. Other systems would not recognise it.",
        "Write the address the message gives, or copy the concept's URI from the ESCO portal.");
    EscoWrongPillar = ("K0234", "esco-wrong-pillar", Warning,
        ["check/esco.rs"],
        "An `esco` address names the wrong kind of concept for where it stands: a framework's should name the occupation it validates (an ESCO occupation or ISCO group), a task's the skill it practises. Exports present the framework's as its occupation and each task's as its skill.",
        "Put the occupation on the framework's `esco` line and each skill on its task.");
    BlankText = ("K0235", "blank-text", Warning,
        ["check/texts.rs"],
        "A text of a framework is blank (`\"\"`) in every language, as `kub new framework` writes titles, criteria, the occupation and the organisation for the workshop to fill in. Documents would print nothing where it belongs.",
        "Write the text in the quotes, in each language the framework declares, or remove the line if it does not apply.");

    // ------------------------------------------------------------ references between files
    UnknownFramework = ("K0301", "unknown-framework", Error,
        ["check/assessment.rs", "model/resolve/graph.rs"],
        "No framework with this id was found among the files kub read.",
        "Check the id, or pass the folder that holds the framework to kub.");
    UnknownVersion = ("K0302", "unknown-version", Error,
        ["check/assessment.rs", "model/resolve/graph.rs"],
        "The framework exists, but not in this version.",
        "Use a version that exists; the hint lists them.");
    IncludeNotFound = ("K0303", "include-not-found", Error,
        ["model/resolve/graph.rs"],
        "An included file does not exist. Include paths are relative to the including file.",
        "Correct the path.");
    IncludeNotLibrary = ("K0304", "include-not-library", Error,
        ["model/resolve/graph.rs"],
        "Only library files can be included. A framework is tailored with `extends`, an assessment is never included.",
        "Make the included file a `library`, or use `extends`.");
    ExtendsCycle = ("K0305", "extends-cycle", Error,
        ["model/resolve/graph.rs"],
        "Frameworks extend each other in a circle, so none of them can be resolved.",
        "Remove one `extends` from the circle.");
    IncludeCycle = ("K0306", "include-cycle", Error,
        ["model/resolve/graph.rs"],
        "Libraries include each other in a circle.",
        "Remove one `include` from the circle.");
    UnknownItem = ("K0307", "unknown-item", Error,
        ["model/resolve/tailoring.rs"],
        "A tailoring removes or overrides an item that the extended framework does not have.",
        "Check the id against `kub show` of the extended framework.");
    DuplicateFramework = ("K0308", "duplicate-framework", Error,
        ["model/resolve/mod.rs"],
        "Two files define the same framework id and version, so references to it are ambiguous.",
        "Give one of them a new version or a new id.");
    IncludeOutsideProject = ("K0309", "include-outside-project", Error,
        ["model/resolve/graph.rs"],
        "An `include` names a file outside the project, or by an absolute path. Includes may only read files in the project's folder, its framework folders and the folders given to kub, so that a file from elsewhere cannot make kub read (and quote) any file on the machine. The file is not read.",
        "Write the path relative to the including file, and move the library into the project or into a folder `frameworks` in kub.toml names.");
    UnreadableDependency = ("K0310", "unreadable-dependency", Error,
        ["model/resolve/graph.rs"],
        "The framework this one extends, or the library it includes, has syntax errors, so it could not be read and this framework cannot be built on it. This is said once here instead of as errors about everything the unread file defines.",
        "Fix the syntax errors in the named file first; `kub check` lists them.");

    // ------------------------------------------------------------ assessments
    UnknownTask = ("K0401", "unknown-task", Error,
        ["check/assessment.rs"],
        "The assessment rates a task that the framework does not have.",
        "Check the id; `kub show FRAMEWORK` lists the tasks.");
    UnknownCompetence = ("K0402", "unknown-competence", Error,
        ["check/assessment.rs"],
        "The assessment rates a general competence that the framework does not have.",
        "Check the id; `kub show FRAMEWORK` lists the competences.");
    UnknownMilestone = ("K0403", "unknown-milestone", Error,
        ["check/assessment.rs"],
        "The assessment marks a language milestone that the framework does not have.",
        "Check the id; `kub show FRAMEWORK` lists the milestones.");
    RatingNotOnScale = ("K0404", "rating-not-on-scale", Error,
        ["check/assessment.rs"],
        "A rating is not one of the levels of the scale that rates this item.",
        "Use one of the levels the hint lists.");
    RemovedTask = ("K0405", "removed-task", Error,
        ["check/assessment.rs"],
        "The task exists in the framework this one extends, but this workplace's tailoring removed it.",
        "Remove the rating, or follow the framework that still has the task.");
    RatedTwice = ("K0406", "rated-twice", Error,
        ["check/assessment.rs"],
        "The same item is rated twice in one occasion, so it is unclear which rating counts.",
        "Keep one of the ratings.");
    OccasionsOutOfOrder = ("K0407", "occasions-out-of-order", Error,
        ["check/assessment.rs"],
        "Occasions must be written in date order, so that progression reads from the first to the last.",
        "Move the occasion, or correct its date.");
    OccasionOutsidePeriod = ("K0408", "occasion-outside-period", Error,
        ["check/assessment.rs"],
        "An occasion's date is outside the period of the placement.",
        "Correct the date, or the period.");
    MissingFinalOccasion = ("K0409", "missing-final-occasion", Warning,
        ["check/assessment.rs"],
        "There is no final assessment yet, so no certificate can be issued. This is expected while the placement is running.",
        "Add `occasion final DATE { ... }` when the final assessment is made.");
    RequiredTaskUnrated = ("K0410", "required-task-unrated", Error,
        ["check/assessment.rs"],
        "A required task has no rating at the final occasion. The certificate rules depend on it.",
        "Rate the task at the final occasion.");
    SignedBeforeFinal = ("K0411", "signed-before-final", Error,
        ["check/assessment.rs"],
        "The sign-off is dated before the final assessment it signs.",
        "Correct the date of the sign-off or of the final occasion.");
    RatingDecreased = ("K0412", "rating-decreased", Warning,
        ["check/assessment.rs"],
        "A rating is lower than at the previous occasion, or a milestone reached earlier is marked `not-yet`. It may be true, but it should be deliberate.",
        "Check the rating; if it is right, write the reason as a quoted note after the level (`task ID LEVEL \"why\"`): the progression report prints it, and it silences the warning. A `#` comment does not count, since comments never reach a document.");
    InvalidDate = ("K0413", "invalid-date", Error,
        ["model/assessment.rs"],
        "A date does not exist in the calendar.",
        "Write a real date as year-month-day, for example 2026-03-14.");
    InvalidPersonalNumber = ("K0414", "invalid-personal-number", Error,
        ["model/assessment.rs"],
        "A Swedish personal identity number has a check digit; this one does not match.",
        "Check the number. It is never required: you can remove it.");
    PersonalNumberPresent = ("K0415", "personal-number-present", Warning,
        ["model/assessment.rs"],
        "A personal identity number is personal data. kub never prints it on a document or in a file name.",
        "Remove it unless your organisation needs it in the file.");
    UnknownOccasionKind = ("K0416", "unknown-occasion-kind", Error,
        ["model/assessment.rs"],
        "An occasion is a `mapping` (kartläggning), a `follow-up` (uppföljning) or the `final` assessment (slutbedömning).",
        "Use one of the three kinds.");
    PeriodReversed = ("K0417", "period-reversed", Error,
        ["model/assessment.rs"],
        "The period ends before it starts.",
        "Swap or correct the dates.");
    SeveralFinalOccasions = ("K0418", "several-final-occasions", Error,
        ["check/assessment.rs"],
        "An assessment has one final occasion; the certificate is based on it.",
        "Make the earlier ones `follow-up`.");
    UnknownMilestoneRating = ("K0419", "unknown-milestone-rating", Error,
        ["check/assessment.rs"],
        "A language milestone is either `reached` or `not-yet`.",
        "Write `reached` or `not-yet`.");
    UnknownAssessor = ("K0420", "unknown-assessor", Warning,
        ["check/assessment.rs"],
        "An occasion's assessor is not listed as a supervisor of the placement.",
        "Add a `supervisor` line for them, or correct the name.");
    UnknownGoalTask = ("K0421", "unknown-goal-task", Error,
        ["check/assessment.rs"],
        "A development goal refers to a task that the framework does not have.",
        "Check the id.");
    FrameworkHasErrors = ("K0422", "framework-has-errors", Error,
        ["check/assessment.rs"],
        "The framework this assessment follows has errors of its own, or could not be read because of syntax errors, so the assessment cannot be checked against it.",
        "Fix the framework's errors first; `kub check` lists them.");
    UnsupportedCertificateLanguage = ("K0423", "unsupported-certificate-language", Warning,
        ["check/assessment.rs", "model/assessment.rs", "project.rs"],
        "The participant's certificate language is not one the documents are written in (sv, da, en, nb: the tables of `templates/strings.toml`), or the framework has no texts in it, so the certificate would mix languages.",
        "Use sv, da, en or nb, and one the framework declares in `languages`; otherwise the framework's own texts stay in its default language.");
    NotYetRated = ("K0425", "not-yet-rated", Warning,
        ["check/assessment.rs"],
        "An item is marked `?`: it has not been rated yet. A new assessment from `kub new` has every item marked so.",
        "Replace `?` with a level of the item's scale, or remove the line if the item was not assessed.");
    NotAnAssessment = ("K0424", "not-an-assessment", Error,
        ["check/assessment.rs"],
        "An assessment must follow a framework, not a library of shared definitions.",
        "Use the id of a framework.");
    FileNamedAfterPersonalNumber = ("K0426", "file-named-after-personal-number", Warning,
        ["check/participants.rs"],
        "An assessment file's name looks like a personal identity number. The file name is seen by everyone who sees the folder, in listings, backups and messages; kub keeps the number out of documents and their names, but cannot keep it out of the folder.",
        "Rename the file after the participant's name or a local reference, for example `amal-hassan.kub`.");
    ReferenceLooksLikePersonalNumber = ("K0427", "reference-looks-like-personal-number", Warning,
        ["model/assessment.rs"],
        "A participant's `reference` looks like a personal identity number. A reference is printed on documents, so kub leaves this one out of every document.",
        "Use a local reference that identifies nobody outside the organisation, such as a case number (`reference \"GBG-2026-014\"`).");
    DuplicateParticipant = ("K0428", "duplicate-participant", Warning,
        ["check/participants.rs"],
        "Two assessment files describe the same participant on the same framework for overlapping periods, often a backup or an editor's copy in a subfolder. Both get documents, under different names, so two certificates for one placement can go out.",
        "Remove or move the copy out of the folders kub builds, or correct the name or period if they are two placements.");
    RenamedId = ("K0429", "renamed-id", Warning,
        ["check/renames.rs"],
        "The assessment names an item by an id that the framework has since renamed. The rating counts for the new id, in the check and on every document.",
        "Run `kub migrate FILE --to FRAMEWORK@VERSION` to write the new ids into the file, or change the id by hand.");
    RemovedItemRated = ("K0430", "removed-item-rated", Error,
        ["migrate/mod.rs"],
        "`kub migrate` was asked to move an assessment to a framework version that no longer has an item the assessment rates, and no `renamed` line says where the item went. Moving the file would lose those ratings, so it is left as it is.",
        "Run again with `--removed drop` to delete those ratings, or `--removed keep` to keep them for `kub check` to report; or migrate to a version that still has the item.");
    SignedTwice = ("K0431", "signed-twice", Error,
        ["model/assessment.rs"],
        "One person signs the assessment on two `signed` lines. Several people may sign (the supervisor, a manager, an SFI teacher), one line each; a second line for the same person is usually a copy left by mistake, and the certificate would not know which date is theirs.",
        "Keep one `signed` line per person, with the date they signed.");
    BlankName = ("K0432", "blank-name", Warning,
        ["check/blank_names.rs"],
        "A name is left blank (`workplace \"\"`, `supervisor \"\"`, `signed \"\"`, a blank `role` or `latin`), as `kub new` writes them for you to fill in. While the assessment is not final this is a reminder; on a signed, final assessment it is an error (K0433).",
        "Write the name in the quotes, or remove the line if it does not apply.");
    BlankNameOnCertificate = ("K0433", "blank-name-on-certificate", Error,
        ["check/blank_names.rs"],
        "A name is left blank on an assessment that is signed and has a final occasion, so a certificate would be issued with an empty workplace, supervisor or signature. No certificate is made until it is filled in.",
        "Write the name in the quotes, or remove the line if it does not apply.");
    LatinNameNotLatin = ("K0434", "latin-name-not-latin", Warning,
        ["check/blank_names.rs"],
        "The `latin` form of a participant's name has letters of another script. The Latin form is what Swedish and Danish registers and ID documents use, and what file names and sorting are made from; the name in its own script is written first, in quotes after `participant`.",
        "Write the name as it is spelt in the participant's ID document or in the population register, in Latin letters: `participant \"أمل حسن\" latin \"Amal Hassan\"`.");

    // ------------------------------------------------------------ documents
    MissingGlyph = ("K0501", "missing-glyph", Error,
        ["check/glyphs.rs"],
        "A text contains characters that none of the bundled fonts can draw, such as an emoji or a Chinese character. An archival PDF cannot hold a character it cannot draw, so no document is made for the assessment (or, for a framework text, for the assessments that follow it) until the text is fixed; `kub check` and `kub build` agree on this.",
        "Remove or replace the characters named in the message, or tell the kub maintainers which script is needed.");
    TemplateError = ("K0502", "template-error", Error,
        ["build/strings.rs", "render/templates.rs"],
        "A document template has an error.",
        "Fix the template at the line shown; the bundled templates show the expected shape.");
    TypstError = ("K0503", "typst-error", Error,
        ["render/typst.rs"],
        "The typesetter could not lay out a document.",
        "If the template is your own, fix it at the line shown; otherwise report it as a bug in kub.");
    OutputFailed = ("K0504", "output-failed", Error,
        ["build/mod.rs", "build/names.rs", "credential/keyfile.rs", "watch/session/rebuilding.rs"],
        "A document could not be written to the output folder.",
        "Check that the folder is writable and that the disk has room.");
    OwnersUnreadable = ("K0516", "owners-unreadable", Warning,
        ["build/names.rs"],
        "The output folder's record of which participant owns which document name (`.kub/owners.json`) could not be read. Without it, a new participant with the same name could be given a document name that belongs to someone else.",
        "kub starts a new record. If it happens again, delete `.kub/owners.json` in the output folder and build again.");
    NotSigned = ("K0505", "not-signed", Warning,
        [],
        "The assessment has no sign-off, so no certificate is issued for it. A progression report is still made.",
        "Add `signed \"NAME\" DATE` when the final assessment is signed.");
    OutputNotWritable = ("K0506", "output-not-writable", Error,
        ["build/mod.rs"],
        "The output folder cannot be written to: it is read-only, kub may not write there, or a part of its path is a file rather than a folder. No document could be written, so the build stops at the first such failure instead of failing every document the same way. Documents written before it are whole.",
        "Choose a folder you may write to with `--out` (or `output` in kub.toml), or move the file that is in the way.");
    DiskFull = ("K0507", "disk-full", Error,
        ["build/mod.rs"],
        "The disk (or your share of it) is full, so the build stops: no further document could be written. Documents written before it are whole; none is left half written.",
        "Make room on the disk, or write to another disk with `--out`, and build again.");

    // ------------------------------------------------------------ issued certificates
    IssuedCertificateChanged = ("K0601", "issued-certificate-changed", Error,
        ["register/keep.rs"],
        "Today's files would give a participant a different certificate from the one issued and recorded in the register (`issued/`): a changed framework, template data, assessment or organisation. An issued certificate is a promise to whoever reads it, so the build keeps the issued PDF as it was and fails; other documents are still built.",
        "Undo the change, or give the framework a new version (certificates issued on the old one stay as they were), or issue the certificate again on purpose with `kub issue FILE --reissue --reason \"...\"`.");
    UnversionedChange = ("K0602", "unversioned-change", Error,
        ["register/versions.rs"],
        "A framework's resolved content (its texts, tasks, levels and rules, with everything it extends and includes) has changed since certificates were issued on this version, but its version is the same. A version that can change says nothing: two certificates naming it could rest on different frameworks.",
        "Give the framework a new version on its `version` line (and keep the old file if assessments still follow it), or undo the change.");
    RegisterUnreadable = ("K0603", "register-unreadable", Error,
        ["register/mod.rs"],
        "A record in the register of issued certificates (`issued/*.json`) cannot be read: it is not valid JSON, misses a field, or lists no certificate. kub writes these files itself; an edit by hand or a merge gone wrong breaks them.",
        "Restore the file from version control (`git checkout -- issued/FILE.json`).");
    ReissueNeeded = ("K0604", "reissue-needed", Error,
        ["register/issue.rs"],
        "`kub issue` was asked to issue a certificate that was issued before, and today's files would change it. A changed certificate is issued only on purpose, with the reason recorded.",
        "Run `kub issue FILE --reissue --reason \"...\"` to issue it again (the register keeps both), or undo the change.");
    RegisterEntryAltered = ("K0605", "register-entry-altered", Error,
        ["register/verify.rs"],
        "The register's entry for a certificate was changed after it was issued: its data no longer gives its verification code, or its Typst source is not the one recorded. The register cannot vouch for the certificate.",
        "Restore the register from version control and verify again.");
    CertificateDataAltered = ("K0606", "certificate-data-altered", Error,
        ["register/verify.rs"],
        "The data a certificate carries does not give the verification code it carries: the data (in the PDF's attachment or the JSON) was changed after the certificate was made.",
        "Ask the issuing organisation for the certificate as issued; compare the code printed on the page with the one kub computes.");
    CertificateDataMissing = ("K0607", "certificate-data-missing", Error,
        ["register/verify.rs"],
        "`kub verify` could not read a certificate's data: the PDF has no attached `certificate.json` (it was not made by kub, or was re-saved by a program that dropped the attachment), or the file is not a certificate's data.",
        "Give the PDF kub built, or the `.json` written beside it.");
    NotAsIssued = ("K0608", "not-as-issued", Error,
        ["register/verify.rs"],
        "The certificate is not the one the register records as issued: its data or its PDF's bytes differ from the issued ones, or no certificate with its code was issued to the participant.",
        "Ask the issuing organisation for the certificate as issued.");
    NotInRegister = ("K0609", "not-in-register", Error,
        ["register/verify.rs"],
        "The register given to `kub verify` holds no certificate for this participant and framework.",
        "Check that it is the register of the organisation that issued the certificate (`--register DIR`).");
    IssuedRebuildFailed = ("K0610", "issued-rebuild-failed", Error,
        ["register/keep.rs", "register/mod.rs"],
        "An issued certificate's PDF was missing from the output folder and could not be made again from the register: its Typst source or logo is missing or changed, or this kub version compiles different bytes from the one that issued it.",
        "Restore `issued/` from version control, keep the issued PDF, or build with the kub version the register names.");
    RegisterWriteFailed = ("K0611", "register-write-failed", Error,
        ["register/issue.rs", "register/keep.rs"],
        "`kub issue` could not write a certificate or the register's record of it, or `kub build` could not write an issued certificate into the output folder.",
        "Check that the project folder and the output folder are writable and that the disk has room, and issue again.");
    CertificateReplaced = ("K0612", "certificate-replaced", Warning,
        ["register/verify.rs"],
        "The certificate is genuine, but it was issued again later (a reissue, with a reason in the register): the later certificate is the one in force.",
        "Ask the participant or the issuing organisation for the certificate in force.");
    IssuerKeyUnreadable = ("K0630", "issuer-key-unreadable", Error,
        ["credential/mod.rs"],
        "kub.toml names an issuer, but its private key cannot be read: the file is missing or unreadable, the environment variable is not set, or no key is named. Without it no credential can be signed, so no certificate is built.",
        "Set `private-key` in `[issuer]` to the key file `kub key new` wrote (kept outside the project), or `private-key-env` to an environment variable holding the file's text.");
    IssuerKeyInvalid = ("K0631", "issuer-key-invalid", Error,
        ["credential/mod.rs"],
        "The issuer's private key is not an Ed25519 private key in PKCS#8 PEM form (RFC 8410), the only kind kub signs with.",
        "Make a key with `kub key new`, or convert yours with `openssl pkey`; an RSA or ECDSA key cannot sign `eddsa-rdfc-2022` proofs.");
    IssuerKeyMismatch = ("K0632", "issuer-key-mismatch", Error,
        ["credential/mod.rs"],
        "The private key does not belong to the public key kub.toml names in `[issuer]` `key`. Credentials signed with it would fail verification against the published key.",
        "Set `key` to the did:key `kub key new` printed for this private key, or point `private-key` at the right file.");
    IssuerKeyNameInvalid = ("K0633", "issuer-key-name-invalid", Error,
        ["credential/mod.rs"],
        "`key` in `[issuer]` must name the issuer's public key as a `did:key:z6Mk…` or as an http(s) URL with a fragment (`https://kommun.se/kub#key-1`); verifiers read the issuer from it.",
        "Copy the did:key that `kub key new` printed, or write the URL where the key is published with its fragment.");
    KeyFileExists = ("K0634", "key-file-exists", Error,
        ["credential/keyfile.rs"],
        "`kub key new` never overwrites a file: the file may be the key that signed every credential issued so far, and losing it means no credential can be issued under that key again.",
        "Choose another path with `--out`, or pass `--force` if the old file really is to be replaced.");
    KeyFileInRepository = ("K0635", "key-file-in-repository", Error,
        ["credential/keyfile.rs"],
        "The private key would be written into a folder tracked by git, where a commit could publish it and let anyone sign credentials in the issuer's name.",
        "Write the key outside the repository with `--out` (for example in your home folder), or pass `--force` if the folder is ignored and never pushed.");
    KeyFileInOutput = ("K0636", "key-file-in-output", Error,
        ["credential/keyfile.rs"],
        "The private key would be written into the output folder, whose files are handed out and published. A private key is never written there, even with `--force`.",
        "Choose a path outside the output folder with `--out`.");
    CredentialUnreadable = ("K0637", "credential-unreadable", Error,
        ["credential/verify.rs"],
        "The file is not a verifiable credential kub can read: it is not JSON, or its `type` does not include `VerifiableCredential`.",
        "Give the `.credential.json` file kub wrote beside the certificate, as it was issued.");
    CredentialContextUnknown = ("K0638", "credential-context-unknown", Error,
        ["credential/verify.rs"],
        "The credential names a JSON-LD context kub does not hold. kub never fetches contexts from the network, so that verifying is offline and cannot be steered by whoever hosts a context; a credential with other contexts cannot be checked here.",
        "Verify it with a tool that holds that context, or ask the issuer for an Open Badges 3.0 credential with the standard contexts.");
    CredentialProofUnsupported = ("K0639", "credential-proof-unsupported", Error,
        ["credential/verify.rs"],
        "The credential has no proof, or one kub does not check: kub verifies `DataIntegrityProof` with the cryptosuite `eddsa-rdfc-2022`, written with a multibase Ed25519 signature.",
        "Ask the issuer for a credential signed with `eddsa-rdfc-2022`, or verify it with a tool that supports its proof.");
    CredentialTampered = ("K0640", "credential-tampered", Error,
        ["credential/verify.rs"],
        "The signature does not match the credential's content: a field was changed, added or removed after signing. Nothing the credential states can be relied on.",
        "Ask the issuer for the credential as issued.");
    CredentialKeyUnknown = ("K0641", "credential-key-unknown", Error,
        ["credential/verify.rs"],
        "The credential is signed with a key named by a URL (or named in a way kub cannot read), and kub does not fetch keys from the network, so it cannot check the signature.",
        "Give the issuer's public key with `--key` (`did:key:z6Mk…` or `z6Mk…`), or set `public-key` in kub.toml's `[issuer]`.");
    CredentialWrongKey = ("K0642", "credential-wrong-key", Error,
        ["credential/verify.rs"],
        "The credential was signed with a key that is not the issuer's: the key belongs to someone other than the issuer it names, or differs from the key kub.toml or `--key` gives.",
        "Ask the issuer which key is theirs; a credential signed with another key is not theirs.");
    CredentialOtherIssuer = ("K0643", "credential-other-issuer", Error,
        ["credential/verify.rs"],
        "The credential is valid for its own issuer, but that issuer is not the one this project's kub.toml names. Checked in a project, a credential must be the project's own.",
        "Verify it outside the project, or with the other issuer's key given as `--key`.");
    CredentialNotJsonLd = ("K0644", "credential-not-json-ld", Error,
        ["credential/mod.rs", "credential/verify.rs"],
        "The credential cannot be read as JSON-LD through its contexts, so it cannot be canonicalised to sign or check it.",
        "Give the credential as kub wrote it; if you edited it by hand, start again from the issued file.");
    // ------------------------------------------------- kub test: snapshots
    SnapshotChanged = ("K0620", "snapshot-changed", Error,
        ["review/mod.rs"],
        "A document no longer matches the snapshot approved for it: what a page says, the data its templates see or its HTML changed since the snapshot was accepted. `kub test` shows the change as a diff so that it is seen before the document ships.",
        "Read the diff. If the change is meant, accept it with `kub test --accept` (or one by one with `kub test --review`) and commit the snapshots; if not, undo the edit that caused it.");
    SnapshotNew = ("K0621", "snapshot-new", Error,
        ["review/mod.rs"],
        "A document has no approved snapshot yet, so nobody has looked at it: a new participant, framework or cohort, or a document whose output name changed.",
        "Look at it (`kub test --review` shows it whole) and accept it with `kub test --accept`.");
    SnapshotStale = ("K0622", "snapshot-stale", Warning,
        ["cli/test.rs"],
        "A snapshot belongs to no document any more: the files it was made from are gone, or no longer make that document (an assessment no longer signed has no certificate). It is only a warning, since nothing that ships is wrong.",
        "Remove it with `kub test --accept`. If it belongs to files you did not test this time, run `kub test` on the same paths as when it was accepted.");
    SnapshotLookChanged = ("K0623", "snapshot-look-changed", Error,
        ["review/mod.rs"],
        "A document says the same as its approved snapshot, but the Typst source its pages are laid out from changed, so the pages may look different: a colour, a size, a line or the place of a text.",
        "See the pages that look different with `kub test --images`, and accept the change with `kub test --accept` if they are right.");
    SnapshotUnreadable = ("K0624", "snapshot-unreadable", Error,
        ["review/snapshot.rs"],
        "A snapshot could not be read, or a file kub did not write is where a snapshot belongs. kub never overwrites or removes such a file.",
        "Move the file out of the snapshot folder (or delete it), then run `kub test --accept` to write the snapshot.");
    SnapshotNotWritten = ("K0625", "snapshot-not-written", Error,
        ["review/snapshot.rs"],
        "An accepted snapshot could not be written, or a stale one removed. Snapshots already written are whole.",
        "Check that the snapshot folder is writable and that the disk has room, and accept again.");
    ReviewNeedsTerminal = ("K0626", "review-needs-terminal", Error,
        ["cli/test.rs"],
        "`kub test --review` asks about each change, and it only asks on a terminal: in CI or with its input from a file or a pipe it never waits for an answer, so nothing is accepted.",
        "Run `kub test --review` in a terminal, or read the diffs and accept them all with `kub test --accept`.");
    PictureFailed = ("K0627", "picture-failed", Warning,
        ["review/mod.rs"],
        "A picture of a changed page could not be made: the approved Typst source no longer lays out with this version of kub, or the picture could not be written.",
        "Read the text diff instead; once the change is accepted, the next pictures are drawn from the new snapshot.");
    // --------------------------------------------- exports and the QR code
    InvalidVerifyUrl = ("K0645", "invalid-verify-url", Error,
        ["project/links.rs"],
        "`verify-url` in kub.toml is the address a certificate's QR code links to, with `{code}` where the verification code goes (and optionally `{framework}` and `{version}`). It is not an http:// or https:// address, has no `{code}`, has a placeholder kub does not fill in, or is too long for a QR code that scans well from paper. It would be printed on every certificate, so nothing is built until it is right.",
        "Write the address of your verification page with `{code}` in it, such as `verify-url = \"https://intyg.example.se/verify?code={code}\"`, or leave `verify-url` out for a QR code with the verification code and the framework.");
    VerifyLinkTooLong = ("K0646", "verify-link-too-long", Error,
        ["render/qr.rs"],
        "The text a certificate's QR code would carry is longer than kub puts in a QR code: a longer one has modules too small to scan reliably from a printed page. The certificate is not made.",
        "Shorten `verify-url` in kub.toml; the verification code is all the page needs to find the certificate.");
    CertificateNotExported = ("K0647", "certificate-not-exported", Warning,
        ["export/mod.rs"],
        "A Europass credential states an achievement that has been awarded. This participant has no issued certificate: there is no final assessment yet, it is not signed, or (an error then) the assessment has errors. `kub export --format europass` made no credential for them.",
        "Add the final assessment and the `signed` line when the assessment is done, or fix the errors `kub check` lists, and export again.");
    CountryAssumed = ("K0648", "country-assumed", Warning,
        ["export/mod.rs"],
        "A Europass credential names the country of the organisation that awards it. kub.toml names none, so kub took it from the framework's language (Swedish: Sweden, Danish: Denmark), which may be wrong, for example for a Swedish-speaking organisation in Finland.",
        "Add `country = \"SE\"` (the two-letter ISO 3166 code of your country) to kub.toml.");
    CountryMissing = ("K0649", "country-missing", Error,
        ["export/mod.rs"],
        "A Europass credential names the country of the organisation that awards it. kub.toml names none, and the framework's language does not tell, so no credential was made.",
        "Add `country = \"XX\"` with the two-letter ISO 3166 code of your country to kub.toml.");
    UnknownCountry = ("K0650", "unknown-country", Error,
        ["project/links.rs"],
        "`country` in kub.toml is not a two-letter country code kub can name in a Europass credential. kub knows the countries of the EU and the EEA, Switzerland, the United Kingdom and Ukraine.",
        "Write the two-letter ISO 3166 code, such as `SE`, `DK`, `NO` or `FI`.");
    InvalidCaseUrl = ("K0651", "invalid-case-url", Error,
        ["project/links.rs"],
        "`case-url` in kub.toml is the address under which CASE packages give their documents and items URIs. It must be a plain http:// or https:// address without a query, or the URIs would not resolve.",
        "Write where your CASE documents are published, such as `case-url = \"https://kub.example.se/ims/case/v1p0\"`, or leave it out for `urn:uuid:` URIs.");
    NoAwardingBody = ("K0652", "no-awarding-body", Error,
        ["export/mod.rs"],
        "A Europass credential must name the organisation that awards it. Neither kub.toml, the assessment nor the framework names an organisation, so no credential was made.",
        "Set `organisation` in kub.toml to the organisation that issues the certificates.");
    ExportNotWritten = ("K0653", "export-not-written", Error,
        ["export/mod.rs"],
        "An exported file could not be written to the output folder. Files written before it are whole.",
        "Choose a folder you may write to with `--out`, or make room on the disk, and export again.");
    ExportedFrameworkHasErrors = ("K0654", "exported-framework-has-errors", Error,
        ["export/mod.rs"],
        "A framework with errors is not exported: another system would take a half-resolved framework as the real one.",
        "Fix the errors `kub check` lists, then export again.");
    // ------------------------------- the QR code's signed statement
    QrCodeNotFound = ("K0663", "qr-code-not-found", Error,
        ["render/qr_scan.rs"],
        "`kub verify --qr` was given an image in which no QR code could be read: the image is not a PNG or JPEG, the code is not in it, or it is too blurred, too small or too dark to decode.",
        "Photograph or scan the QR code again, straight on, sharp and filling a good part of the picture; or give the text a phone's scanner shows instead of the image.");
    QrUnsigned = ("K0664", "qr-unsigned", Error,
        ["render/qr_scan.rs"],
        "The QR code carries no signed statement, only a verification code or the address of a verification page. Anyone can make such a code, so it proves nothing by itself. kub signs a statement into the QR code only when kub.toml names an issuer key.",
        "Check the certificate's PDF with `kub verify CERTIFICATE.pdf` (against the register), or ask the issuer; to print signed statements, set up `[issuer]` in kub.toml (`kub key new`).");
    QrStatementUnreadable = ("K0665", "qr-statement-unreadable", Error,
        ["credential/statement.rs", "render/qr_scan.rs"],
        "The QR code's text is not a statement kub can check: not a compact JWS, not signed with EdDSA (Ed25519), its parts are not base64url or JSON, or it lacks a claim a certificate's statement has (`jti`, `sha256`, `name`, `fw`, `iat`).",
        "Scan the code again; a code that still reads wrong was not made by kub or was damaged, so check the certificate's PDF instead.");
    QrStatementTampered = ("K0666", "qr-statement-tampered", Error,
        ["credential/statement.rs"],
        "The statement's signature does not match what it states: a name, level, date or digest was changed after the issuer signed it. Nothing the code states can be relied on.",
        "Do not rely on this copy; ask the issuer for the certificate as issued.");
    QrStatementWrongKey = ("K0667", "qr-statement-wrong-key", Error,
        ["credential/statement.rs"],
        "The statement is signed with a key that is not the issuer's: another issuer's key, or a key other than the one kub.toml or `--key` gives.",
        "Ask the issuer which key is theirs (organisations publish it), and verify with it as `--key`; a statement signed with another key is not theirs.");
    QrStatementOtherCredential = ("K0668", "qr-statement-other-credential", Error,
        ["credential/statement.rs"],
        "The QR code's statement vouches for a credential other than the one the certificate's PDF (or the credential file) carries: a different credential id, or the same id with different content. The code and the certificate do not belong together.",
        "Ask the issuer for the certificate as issued; a QR code copied onto another certificate, or a certificate changed after issue, shows this.");
    QrStatementKeyUnknown = ("K0669", "qr-statement-key-unknown", Error,
        ["credential/statement.rs"],
        "The statement names its key by a URL, and kub does not fetch keys from the network, so it cannot check the signature.",
        "Give the issuer's public key with `--key` (`did:key:z6Mk…` or `z6Mk…`), or set `public-key` in kub.toml's `[issuer]`.");
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The catalogue as Markdown: docs/diagnostics.md is this, and a test keeps
/// the two the same.
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# Diagnostics\n\nEvery problem kub reports has a stable code. `kub explain CODE` prints the entry below.\n\
         Codes are grouped by the stage that finds them: K00 files, K01 syntax, K02 framework content,\n\
         K03 references between files, K04 assessments, K05 documents,\n\
         K06 issued certificates, credentials and the editor.\n\
         Each entry names the source files that raise it, for anyone changing a check.\n",
    );
    for code in Code::ALL {
        let severity = match code.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let raised_in = match code.raised_in() {
            [] => "no check raises it yet".to_string(),
            modules => modules.iter().map(|module| format!("`src/{module}`")).collect::<Vec<_>>().join(", "),
        };
        out.push_str(&format!(
            "\n## {} `{}` ({severity})\n\n{}\n\n**Fix:** {}\n\n**Raised in:** {raised_in}\n",
            code.as_str(),
            code.name(),
            code.explanation(),
            code.fix()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn a_code_is_found_by_its_code_or_its_name() {
        assert_eq!(Code::parse("K0201"), Some(Code::DuplicateId));
        assert_eq!(Code::parse("duplicate-id"), Some(Code::DuplicateId));
        assert_eq!(Code::parse("K9999"), None);
    }

    /// Every `Code::Variant` outside tests, by the file it is in.
    fn raised_in_source() -> Vec<(Code, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut folders = vec![root.clone()];
        let mut found = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("src is readable") {
                let path = entry.expect("src is readable").path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let module = path.strip_prefix(&root).expect("under src").to_string_lossy().replace('\\', "/");
                if module == "diagnostic/codes.rs" || !module.ends_with(".rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for variant in Code::ALL {
                    let name = format!("Code::{variant:?}");
                    let used = code
                        .match_indices(&name)
                        .any(|(at, _)| !code[at + name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'));
                    if used {
                        found.push((*variant, module.clone()));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn each_code_names_the_files_that_raise_it() {
        let mut found = raised_in_source();
        found.sort();
        let mut listed: Vec<(Code, String)> = Code::ALL
            .iter()
            .flat_map(|code| code.raised_in().iter().map(|module| (*code, module.to_string())))
            .collect();
        listed.sort();
        assert_eq!(listed, found, "the `[...]` lists in the codes table must name exactly the files using each code");
    }
}
