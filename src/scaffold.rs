//! Ready-to-fill files written from a resolved framework: a new assessment
//! listing every item, and a tailoring that lists what it could change.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::model::{Framework, Lang, LocalizedText};
use crate::syntax::quote;

/// A new assessment of `participant` (with the name's Latin form, if given)
/// against `framework`, with one mapping occasion on `date` and every task,
/// competence and milestone marked `?`.
pub fn new_assessment(framework: &Framework, participant: &str, latin: Option<&str>, date: NaiveDate) -> String {
    let lang = framework.default_language();
    let title = |text: &LocalizedText| one_line(text.best(lang, &framework.languages));
    let mut out = String::new();
    let _ = writeln!(out, "# Assessment against {} ({} {}).", title(&framework.title), framework.id, framework.version);
    let _ =
        writeln!(out, "# Replace each `?` with a level when you assess; remove lines for items you did not assess.");
    for scale in &framework.scales {
        let used = framework.rates_with(&scale.id);
        if !used {
            continue;
        }
        let _ = writeln!(out, "#\n# Levels of the scale `{}`, lowest first:", scale.id);
        for level in &scale.levels {
            let _ = writeln!(out, "#   {:<16} {}", level.id, title(&level.label));
        }
    }
    if !framework.tracks.is_empty() {
        let _ = writeln!(out, "#\n# A language milestone is `reached` or `not-yet`.");
    }
    let _ = writeln!(out, "\nassessment follows {} {}\n", framework.id, framework.version);
    let latin = latin.map(|latin| format!(" latin {}", quote(latin))).unwrap_or_default();
    let _ = writeln!(out, "participant {}{latin} {{", quote(participant));
    let _ = writeln!(out, "  # reference \"...\"    # your own reference, optional");
    let languages = crate::model::text::document_languages_listed();
    let _ = writeln!(out, "  # language {}          # the certificate's language: {languages}", lang.code());
    let _ = writeln!(out, "}}");
    let _ = writeln!(out, "workplace \"\"");
    let _ = writeln!(out, "supervisor \"\" role \"\"");
    let end = date.checked_add_months(chrono::Months::new(6)).unwrap_or(date);
    let _ = writeln!(out, "period {date} to {end}");
    let _ = writeln!(out, "\noccasion mapping {date} {{");
    for area in &framework.areas {
        let _ = writeln!(out, "  # {}", title(&area.title));
        let width = area.tasks.iter().map(|t| t.id.len()).max().unwrap_or(0);
        for task in &area.tasks {
            let required = if task.required { " (required)" } else { "" };
            let _ = writeln!(out, "  task {:<width$} ?   # {}{required}", task.id, title(&task.title));
        }
    }
    if !framework.competences.is_empty() {
        let _ = writeln!(out, "  # {}", general_competences_heading(lang));
        let width = framework.competences.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for competence in &framework.competences {
            let _ = writeln!(out, "  competence {:<width$} ?   # {}", competence.id, title(&competence.title));
        }
    }
    for track in &framework.tracks {
        let _ = writeln!(out, "  # {}", title(&track.title));
        let width = track.milestones.iter().map(|m| m.id.len()).max().unwrap_or(0);
        for milestone in &track.milestones {
            let _ = writeln!(
                out,
                "  milestone {:<width$} ?   # {} ({})",
                milestone.id,
                title(&milestone.title),
                milestone.cefr
            );
        }
    }
    let _ = writeln!(out, "}}");
    let _ = writeln!(
        out,
        "\n# Add `occasion follow-up DATE {{ ... }}` and `occasion final DATE {{ ... }}` as the placement goes on."
    );
    let _ = writeln!(out, "# goal \"...\"                      # a development goal for the next period");
    let _ = writeln!(out, "# signed \"NAME\" DATE               # when the final assessment is signed");
    let _ = writeln!(out, "# signed \"NAME\" role \"ROLE\" DATE   # a line for each further person who signs");
    crate::format::laid_out(out)
}

/// A tailoring of `parent` with the id `id`: everything it could remove or
/// change is listed in comments.
pub fn new_tailoring(parent: &Framework, id: &str, title: &str) -> String {
    let lang = parent.default_language();
    let name = |text: &LocalizedText| one_line(text.best(lang, &parent.languages));
    let mut out = String::new();
    let _ =
        writeln!(out, "# A tailoring of {} ({} {}) for one workplace.", name(&parent.title), parent.id, parent.version);
    let _ = writeln!(out, "# Everything is inherited; write only what differs here.\n");
    // Every language the parent is written in needs the title too.
    let translations: String =
        parent.languages.iter().skip(1).map(|lang| format!(" {lang} {}", quote(title))).collect();
    if !translations.is_empty() {
        let _ = writeln!(out, "# Translate the title into each language after its code:");
    }
    let _ = writeln!(out, "framework {id} {}{translations}", quote(title));
    let _ = writeln!(out, "version 1.0");
    let _ = writeln!(out, "extends {} {}", parent.id, parent.version);
    let _ = writeln!(out, "# organisation \"...\"\n");
    let _ = writeln!(out, "# Remove what is not done at this workplace (delete the `#`):");
    for area in &parent.areas {
        let _ = writeln!(out, "#   {}", name(&area.title));
        for task in &area.tasks {
            let _ = writeln!(out, "# remove task {}   # {}", task.id, name(&task.title));
        }
    }
    let example_task = parent.tasks().next().map_or("TASK", |task| task.id.as_str());
    let example_area = parent.areas.first().map_or("AREA", |area| area.id.as_str());
    let _ = writeln!(out, "\n# Change an inherited task; criteria given here replace the inherited ones:");
    let _ = writeln!(out, "# override task {example_task} {{");
    let _ = writeln!(out, "#   required");
    let _ = writeln!(out, "#   criterion \"...\"");
    let _ = writeln!(out, "# }}");
    let _ = writeln!(out, "\n# Add a task to an inherited area:");
    let _ = writeln!(out, "# override area {example_area} {{");
    let _ = writeln!(out, "#   task new-task \"...\" {{ seqf 2 }}");
    let _ = writeln!(out, "# }}");
    crate::format::laid_out(out)
}

/// A new industry framework `id`, ready to fill in: it includes
/// `libraries` (each with its path relative to the new file), the shared
/// general competences and language tracks, rates on the first scale they
/// define, and has one area and one task to copy. What only the workshop
/// can write is left blank (`""`), which `kub check` lists (K0235) until
/// it is filled in.
pub fn new_framework(id: &str, title: &str, libraries: &[(String, &Framework)]) -> String {
    let languages = common_languages(libraries);
    let translations = |text: &str| -> String {
        languages.iter().skip(1).map(|lang| format!(" {} {}", lang.code(), quote(text))).collect()
    };
    let mut out = String::new();
    let _ = writeln!(out, "# An industry framework: the work tasks of one industry, grouped in areas,");
    let _ = writeln!(out, "# with the general work-life competences and language tracks that every");
    let _ = writeln!(out, "# framework shares. Fill in each \"\" (kub check lists those still blank),");
    let _ = writeln!(out, "# write the areas and tasks, and tailor it for each workplace with");
    let _ = writeln!(out, "# `kub new framework WORKPLACE --extends {id}`.\n");
    let _ = writeln!(out, "framework {id} {}{}", quote(title), translations(title));
    let _ = writeln!(out, "version 0.1");
    let codes: Vec<&str> = languages.iter().map(|lang| lang.code()).collect();
    let _ = writeln!(
        out,
        "languages {}   # the first is the default; each text is written in all of them",
        codes.join(" ")
    );
    let _ = writeln!(out, "occupation \"\"{}", translations(""));
    let _ = writeln!(out, "organisation \"\"{}", translations(""));
    let _ = writeln!(out, "description \"\"{}\n", translations(""));
    for (path, library) in libraries {
        let name = one_line(library.title.best(languages[0], &library.languages));
        let _ = writeln!(out, "include {}   # {name}", quote(path));
    }
    let scale = libraries.iter().flat_map(|(_, library)| &library.scales).next();
    if let Some(scale) = scale {
        let _ = writeln!(out, "\nrate tasks with {}", scale.id);
        let rates_competences = libraries.iter().any(|(_, library)| !library.competences.is_empty());
        if rates_competences {
            let _ = writeln!(out, "rate competences with {}", scale.id);
        }
    }
    let _ = writeln!(out, "\n# One area per part of the work; copy the task for each work task.");
    let _ = writeln!(out, "area area-1 \"\"{} {{", translations(""));
    let _ = writeln!(out, "  task task-1 \"\"{} {{", translations(""));
    let _ = writeln!(out, "    criterion \"\"{}   # what a supervisor can see the participant do", translations(""));
    let _ = writeln!(out, "    seqf 2 skills   # the SeQF level (1-8) and dimension the task shows");
    let _ = writeln!(out, "    evidence practice");
    let _ = writeln!(out, "  }}");
    let _ = writeln!(out, "}}");
    if let Some(scale) = scale {
        // The level above the middle is where a task is done without help on the bundled scale.
        let achieved = scale.levels.get(scale.levels.len() / 2).map_or("LEVEL", |level| level.id.as_str());
        let _ = writeln!(out, "\ncertificate {{");
        let _ = writeln!(out, "  achieved {} from {achieved}   # the lowest level that counts as achieved", scale.id);
        let _ = writeln!(out, "  seqf all-required");
        let _ = writeln!(out, "}}");
    }
    crate::format::laid_out(out)
}

/// The languages every library is written in, in the first one's order;
/// Swedish and English when there are no libraries.
fn common_languages(libraries: &[(String, &Framework)]) -> Vec<Lang> {
    let Some(((_, first), rest)) = libraries.split_first() else {
        return ["sv", "en"].iter().filter_map(|code| Lang::parse(code)).collect();
    };
    let common: Vec<Lang> = first
        .languages
        .iter()
        .copied()
        .filter(|lang| rest.iter().all(|(_, library)| library.languages.contains(lang)))
        .collect();
    if common.is_empty() { first.languages.clone() } else { common }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The documents' own heading for the general competences, in `lang` or else in English.
fn general_competences_heading(lang: Lang) -> &'static str {
    let heading = |lang: &str| crate::model::text::bundled_text(lang, "competences").and_then(|text| text.as_str());
    heading(lang.code()).or_else(|| heading("en")).unwrap_or("General work-life competences")
}

/// A small, seeded random number generator (SplitMix64): the same seed gives
/// the same cohort on every machine.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

const FIRST_NAMES: &[&str] = &[
    "Amal", "Yonas", "Olena", "Faadumo", "Åsa", "Søren", "Khaled", "Oksana", "Selam", "Rahaf", "Ahmed", "Mariam",
    "Dawit", "Hodan", "Björn", "Maja", "Nour", "Tesfay", "Iryna", "Abdi", "Elif", "Jonas", "Leyla", "Mehmet",
];
const LAST_NAMES: &[&str] = &[
    "Hassan",
    "Gebremedhin",
    "Kovalenko",
    "Warsame",
    "Öberg",
    "Bøgh",
    "Alomar",
    "Melnyk",
    "Tesfay",
    "Alkhatib",
    "Ali",
    "Mohamed",
    "Haile",
    "Nilsson",
    "Jørgensen",
    "Yılmaz",
    "Shevchenko",
    "Osman",
    "Lindqvist",
    "Karlsson",
];

/// A complete, signed assessment with seeded random ratings that rise over
/// a mapping, a follow-up and a final occasion. For benchmarks and load
/// tests: it checks without errors or warnings.
pub fn sample_assessment(framework: &Framework, seed: u64) -> (String, String) {
    let mut random = Seeded(seed);
    let name =
        format!("{} {}", FIRST_NAMES[random.below(FIRST_NAMES.len())], LAST_NAMES[random.below(LAST_NAMES.len())]);
    let start =
        NaiveDate::from_ymd_opt(2026, 1, 5).expect("a valid date") + chrono::Days::new(random.below(120) as u64);
    let end = start + chrono::Days::new(150 + random.below(60) as u64);
    let dates = [start + chrono::Days::new(3), start + chrono::Days::new(70), end - chrono::Days::new(7)];
    let signed = end - chrono::Days::new(3);
    let kinds = ["mapping", "follow-up", "final"];

    // Each item's level at the three occasions: a start, then steps up.
    let mut items: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    let rated = framework
        .tasks()
        .map(|task| ("task", task.id.as_str(), &task.scale))
        .chain(framework.competences.iter().map(|c| ("competence", c.id.as_str(), &c.scale)));
    for (kind, id, scale) in rated {
        let Some(scale) = framework.scale_of(scale).filter(|s| !s.levels.is_empty()) else { continue };
        let top = scale.levels.len() - 1;
        let mut rank = random.below(2).min(top);
        let mut levels = Vec::with_capacity(3);
        for _ in 0..3 {
            levels.push(scale.levels[rank].id.as_str());
            rank = (rank + random.below(3)).min(top);
        }
        items.push((kind, id, levels));
    }
    let milestones: Vec<(&str, usize)> =
        framework.milestones().map(|(_, m)| (m.id.as_str(), random.below(4))).collect();

    let mut out = String::new();
    let _ = writeln!(out, "assessment follows {} {}\n", framework.id, framework.version);
    let _ = writeln!(out, "participant {} {{ reference \"GEN-{seed:06}\" }}", quote(&name));
    let _ = writeln!(out, "workplace \"Generated workplace\"");
    let _ = writeln!(out, "supervisor \"Kim Handledare\" role \"Handledare\"");
    let _ = writeln!(out, "period {start} to {end}");
    for (index, date) in dates.iter().enumerate() {
        let _ = writeln!(out, "\noccasion {} {date} by \"Kim Handledare\" {{", kinds[index]);
        for (kind, id, levels) in &items {
            let _ = writeln!(out, "  {kind} {id} {}", levels[index]);
        }
        for (id, _) in milestones.iter().filter(|(_, reached_at)| *reached_at == index) {
            let _ = writeln!(out, "  milestone {id} reached");
        }
        let _ = writeln!(out, "}}");
    }
    let _ = writeln!(out, "\ngoal \"Fortsätta öva självständigt\"");
    let _ = writeln!(out, "signed \"Kim Handledare\" {signed}");
    (name, out)
}
