//! Comparing two resolved frameworks item by item: the header, the scales,
//! each area with its tasks, the competences, each track with its
//! milestones, and the certificate's rules.

use std::collections::BTreeSet;

use super::groups::Properties;
use super::order::moved;
use super::{Aspect, Change, ChangeKind, Comparison, ItemKind, Section, Version};
use crate::model::{
    Area, CertificateRules, Competence, Framework, FrameworkKind, Lang, LocalizedText, Milestone, Rename, Scale, Seqf,
    SeqfRule, Task, Track,
};

/// Every difference between `old` and `new`, grouped in sections.
pub fn compare(old: &Framework, new: &Framework) -> Comparison {
    let differ = Differ { old, new, lang: new.default_language(), old_lang: old.default_language() };
    let mut sections = vec![differ.header(), differ.scales()];
    let nothing_more = |_: &Subject, _: &mut Vec<Change>, _: &Area, _: &Area| {};
    let task = |subject: &Subject, out: &mut Vec<Change>, old: &Task, new: &Task| differ.task(out, subject, old, new);
    sections.extend(differ.groups(&old.areas, &new.areas, Properties { group: &nothing_more, child: &task }));
    sections.push(differ.competences());
    let skill = |subject: &Subject, out: &mut Vec<Change>, old: &Track, new: &Track| {
        subject.value(out, Aspect::Skill, Some(old.skill.to_string()), Some(new.skill.to_string()));
    };
    let milestone = |subject: &Subject, out: &mut Vec<Change>, old: &Milestone, new: &Milestone| {
        subject.texts(out, Aspect::Title, Some(&old.title), Some(&new.title));
        subject.texts(out, Aspect::Description, old.description.as_ref(), new.description.as_ref());
        subject.value(out, Aspect::Cefr, Some(old.cefr.to_string()), Some(new.cefr.to_string()));
        subject.value(out, Aspect::Sfi, old.sfi.map(|s| s.to_string()), new.sfi.map(|s| s.to_string()));
    };
    sections.extend(differ.groups(&old.tracks, &new.tracks, Properties { group: &skill, child: &milestone }));
    sections.push(differ.certificate(&old.certificate, &new.certificate));
    for rename in new.renames.iter().filter(|rename| !old.renames.iter().any(|known| same_rename(known, rename))) {
        mark_renamed(&mut sections, rename);
    }
    sections.retain(|section| !section.changes.is_empty());
    let version = |framework: &Framework| Version {
        id: framework.id.clone(),
        version: framework.version.clone(),
        source: String::new(),
    };
    Comparison { old: version(old), new: version(new), sections }
}

fn same_rename(one: &Rename, other: &Rename) -> bool {
    one.kind == other.kind && one.from == other.from && one.to == other.to
}

/// An item the newer version declares renamed is one item under a new id,
/// not one removed and another added: the pair becomes one change. Tasks
/// and milestones are matched with their old selves while their groups are
/// compared (groups.rs), so what is left here are renamed areas, tracks and
/// competences, whose contents are not compared again.
fn mark_renamed(sections: &mut [Section], rename: &Rename) {
    let item = match rename.kind {
        crate::model::ItemKind::Task => ItemKind::Task,
        crate::model::ItemKind::Area => ItemKind::Area,
        crate::model::ItemKind::Competence => ItemKind::Competence,
        crate::model::ItemKind::Track => ItemKind::Track,
        crate::model::ItemKind::Milestone => ItemKind::Milestone,
    };
    let (Some(added), Some(removed)) = (
        whole_change(sections, ChangeKind::Added, item, &rename.to),
        whole_change(sections, ChangeKind::Removed, item, &rename.from),
    ) else {
        return;
    };
    let now = sections[added.0].changes[added.1].clone();
    sections[removed.0].changes[removed.1] = Change {
        kind: ChangeKind::Renamed,
        aspect: Some(Aspect::Id),
        before: Some(rename.from.clone()),
        after: Some(rename.to.clone()),
        ..now
    };
    sections[added.0].changes.remove(added.1);
}

/// Where the change that adds or removes a whole item is: its section and place.
fn whole_change(sections: &[Section], kind: ChangeKind, item: ItemKind, id: &str) -> Option<(usize, usize)> {
    sections.iter().enumerate().find_map(|(at, section)| {
        let is_it =
            |change: &Change| change.kind == kind && change.aspect.is_none() && change.item == item && change.id == id;
        section.changes.iter().position(is_it).map(|place| (at, place))
    })
}

pub(super) struct Differ<'a> {
    pub(super) old: &'a Framework,
    pub(super) new: &'a Framework,
    /// The newer version's default language, which items are named in.
    lang: Lang,
    /// The older version's, for items only it has.
    old_lang: Lang,
}

/// The item a change is about, as every change about it names it.
pub(super) struct Subject {
    /// The default language, whose texts are listed first.
    lang: Lang,
    item: ItemKind,
    id: String,
    path: String,
    pub(super) title: String,
    via: Option<String>,
}

impl Subject {
    pub(super) fn change(
        &self,
        kind: ChangeKind,
        aspect: Option<Aspect>,
        before: Option<String>,
        after: Option<String>,
    ) -> Change {
        Change {
            kind,
            item: self.item,
            id: self.id.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            aspect,
            lang: None,
            before,
            after,
            via: self.via.clone(),
        }
    }

    pub(super) fn whole(&self, kind: ChangeKind) -> Change {
        self.change(kind, None, None, None)
    }

    /// A property written as a word or number, compared as written.
    pub(super) fn value(&self, out: &mut Vec<Change>, aspect: Aspect, before: Option<String>, after: Option<String>) {
        if before != after {
            out.push(self.change(ChangeKind::Changed, Some(aspect), before, after));
        }
    }

    /// A text, compared language by language: a translation added,
    /// removed or reworded is a change of its own.
    pub(super) fn texts(
        &self,
        out: &mut Vec<Change>,
        aspect: Aspect,
        old: Option<&LocalizedText>,
        new: Option<&LocalizedText>,
    ) {
        // Most texts are the same in both versions: said so without a set of languages or copies.
        if let (Some(old), Some(new)) = (old, new)
            && old.languages().eq(new.languages())
            && old.languages().all(|lang| old.get(lang) == new.get(lang))
        {
            return;
        }
        let languages: BTreeSet<Lang> = old.into_iter().chain(new).flat_map(|text| text.languages()).collect();
        let (default, others): (Vec<Lang>, Vec<Lang>) = languages.into_iter().partition(|lang| *lang == self.lang);
        let languages = default.into_iter().chain(others);
        for lang in languages {
            let before = old.and_then(|text| text.get(lang)).map(str::to_string);
            let after = new.and_then(|text| text.get(lang)).map(str::to_string);
            let kind = match (&before, &after) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                (Some(b), Some(a)) if a != b => ChangeKind::Changed,
                _ => continue,
            };
            let mut change = self.change(kind, Some(aspect), before, after);
            change.lang = Some(lang.code().to_string());
            out.push(change);
        }
    }
}

/// The framework or library an item is defined in, when it is not the one compared.
pub(super) fn via(defined_in: &str, framework: &Framework) -> Option<String> {
    (defined_in != framework.id).then(|| defined_in.to_string())
}

pub(super) fn heading(kind: ItemKind, id: &str, title: &str) -> String {
    format!("{} {id} \"{title}\"", kind.word())
}

impl Differ<'_> {
    /// Names an item by its title in the newer version, or the older one's
    /// if only that has it.
    pub(super) fn subject(
        &self,
        item: ItemKind,
        id: &str,
        path: String,
        title: (Option<&LocalizedText>, Option<&LocalizedText>),
        via: Option<String>,
    ) -> Subject {
        let title = match title {
            (_, Some(text)) => text.best(self.lang, &[]),
            (Some(text), None) => text.best(self.old_lang, &[]),
            (None, None) => "",
        };
        Subject { lang: self.lang, item, id: id.to_string(), path, title: title.to_string(), via }
    }

    fn header(&self) -> Section {
        let (old, new) = (self.old, self.new);
        let subject =
            self.subject(ItemKind::Framework, &new.id, String::new(), (Some(&old.title), Some(&new.title)), None);
        let mut out = Vec::new();
        subject.value(&mut out, Aspect::Id, Some(old.id.clone()), Some(new.id.clone()));
        let kind = |framework: &Framework| match framework.kind {
            FrameworkKind::Framework => "framework".to_string(),
            FrameworkKind::Library => "library".to_string(),
        };
        subject.value(&mut out, Aspect::FrameworkKind, Some(kind(old)), Some(kind(new)));
        subject.value(&mut out, Aspect::Version, Some(old.version.clone()), Some(new.version.clone()));
        subject.texts(&mut out, Aspect::Title, Some(&old.title), Some(&new.title));
        let languages = |framework: &Framework| {
            Some(framework.languages.iter().map(|lang| lang.code()).collect::<Vec<_>>().join(" "))
        };
        subject.value(&mut out, Aspect::Languages, languages(old), languages(new));
        subject.texts(&mut out, Aspect::Occupation, old.occupation.as_ref(), new.occupation.as_ref());
        subject.texts(&mut out, Aspect::Organisation, old.organisation.as_ref(), new.organisation.as_ref());
        subject.texts(&mut out, Aspect::Description, old.description.as_ref(), new.description.as_ref());
        subject.value(&mut out, Aspect::Esco, old.esco.clone(), new.esco.clone());
        let extends = |framework: &Framework| joined(framework.extends.iter().map(|r| r.to_string()));
        subject.value(&mut out, Aspect::Extends, extends(old), extends(new));
        let includes = |framework: &Framework| joined(framework.includes.iter().cloned());
        subject.value(&mut out, Aspect::Includes, includes(old), includes(new));
        subject.value(&mut out, Aspect::RateTasksWith, old.rate_tasks_with.clone(), new.rate_tasks_with.clone());
        subject.value(
            &mut out,
            Aspect::RateCompetencesWith,
            old.rate_competences_with.clone(),
            new.rate_competences_with.clone(),
        );
        Section { heading: heading(ItemKind::Framework, &new.id, &subject.title), changes: out }
    }

    fn scales(&self) -> Section {
        let mut out = Vec::new();
        for scale in &self.new.scales {
            let before = self.old.scale(&scale.id);
            self.scale(&mut out, before, Some(scale));
        }
        for scale in self.old.scales.iter().filter(|scale| self.new.scale(&scale.id).is_none()) {
            self.scale(&mut out, Some(scale), None);
        }
        Section { heading: "scales".to_string(), changes: out }
    }

    fn scale(&self, out: &mut Vec<Change>, old: Option<&Scale>, new: Option<&Scale>) {
        let either = new.or(old).expect("one side has the scale");
        let subject = self.subject(
            ItemKind::Scale,
            &either.id,
            either.id.clone(),
            (old.and_then(|s| s.title.as_ref()), new.and_then(|s| s.title.as_ref())),
            None,
        );
        let (old, new) = match (old, new) {
            (Some(old), Some(new)) => (old, new),
            (None, _) => return out.push(subject.whole(ChangeKind::Added)),
            (_, None) => return out.push(subject.whole(ChangeKind::Removed)),
        };
        subject.texts(out, Aspect::Title, old.title.as_ref(), new.title.as_ref());
        subject.texts(out, Aspect::Description, old.description.as_ref(), new.description.as_ref());
        let old_ids: Vec<&str> = old.level_ids().collect();
        let new_ids: Vec<&str> = new.level_ids().collect();
        if !moved(&old_ids, &new_ids).is_empty() {
            out.push(subject.change(
                ChangeKind::Moved,
                Some(Aspect::Order),
                Some(old_ids.join(" ")),
                Some(new_ids.join(" ")),
            ));
        }
        let level_subject = |id: &str, before: Option<&LocalizedText>, after: Option<&LocalizedText>| {
            self.subject(ItemKind::Level, id, format!("{}/{id}", new.id), (before, after), None)
        };
        for level in &new.levels {
            match old.level(&level.id) {
                None => out.push(level_subject(&level.id, None, Some(&level.label)).whole(ChangeKind::Added)),
                Some(before) => {
                    let subject = level_subject(&level.id, Some(&before.label), Some(&level.label));
                    subject.texts(out, Aspect::Label, Some(&before.label), Some(&level.label));
                    subject.texts(out, Aspect::Description, before.description.as_ref(), level.description.as_ref());
                }
            }
        }
        for level in old.levels.iter().filter(|level| new.level(&level.id).is_none()) {
            out.push(level_subject(&level.id, Some(&level.label), None).whole(ChangeKind::Removed));
        }
    }

    fn task(&self, out: &mut Vec<Change>, subject: &Subject, old: &Task, new: &Task) {
        subject.texts(out, Aspect::Title, Some(&old.title), Some(&new.title));
        subject.texts(out, Aspect::Description, old.description.as_ref(), new.description.as_ref());
        subject.value(out, Aspect::Seqf, old.seqf.map(seqf_words), new.seqf.map(seqf_words));
        subject.value(out, Aspect::Required, Some(required_word(old)), Some(required_word(new)));
        subject.value(out, Aspect::Evidence, old.evidence.map(|e| e.to_string()), new.evidence.map(|e| e.to_string()));
        subject.value(out, Aspect::Esco, old.esco.clone(), new.esco.clone());
        subject.value(out, Aspect::Scale, old.scale.clone(), new.scale.clone());
        self.criteria(out, subject, &old.criteria, &new.criteria);
    }

    /// Criteria have no ids: they are matched by their text in the default
    /// language; a criterion whose default text changed is paired, in
    /// order, with one that is new.
    fn criteria(&self, out: &mut Vec<Change>, subject: &Subject, old: &[LocalizedText], new: &[LocalizedText]) {
        let criterion = Subject { item: ItemKind::Criterion, ..clone_subject(subject) };
        let key = |text: &LocalizedText| text.best(self.lang, &[]).to_string();
        let mut unmatched_old: Vec<usize> = (0..old.len()).collect();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut unmatched_new = Vec::new();
        for (n, text) in new.iter().enumerate() {
            match unmatched_old.iter().position(|&o| key(&old[o]) == key(text)) {
                Some(at) => pairs.push((unmatched_old.remove(at), n)),
                None => unmatched_new.push(n),
            }
        }
        let old_order: Vec<usize> = pairs.iter().map(|(o, _)| *o).collect();
        if old_order.windows(2).any(|w| w[0] > w[1]) {
            let words = |texts: Vec<String>| Some(texts.join(" | "));
            out.push(criterion.change(
                ChangeKind::Moved,
                Some(Aspect::Order),
                words(old_order.iter().map(|&o| key(&old[o])).collect()),
                words(pairs.iter().map(|(_, n)| key(&new[*n])).collect()),
            ));
        }
        for (o, n) in &pairs {
            criterion.texts(out, Aspect::Text, Some(&old[*o]), Some(&new[*n]));
        }
        for (o, n) in unmatched_old.iter().zip(&unmatched_new) {
            out.push(criterion.change(
                ChangeKind::Changed,
                Some(Aspect::Text),
                Some(key(&old[*o])),
                Some(key(&new[*n])),
            ));
        }
        for n in unmatched_new.iter().skip(unmatched_old.len()) {
            out.push(criterion.change(ChangeKind::Added, Some(Aspect::Text), None, Some(key(&new[*n]))));
        }
        for o in unmatched_old.iter().skip(unmatched_new.len()) {
            out.push(criterion.change(ChangeKind::Removed, Some(Aspect::Text), Some(key(&old[*o])), None));
        }
    }

    fn competences(&self) -> Section {
        let old_ids: Vec<&str> = self.old.competences.iter().map(|c| c.id.as_str()).collect();
        let new_ids: Vec<&str> = self.new.competences.iter().map(|c| c.id.as_str()).collect();
        let moved_competences = moved(&old_ids, &new_ids);
        let mut out = Vec::new();
        for (position, competence) in self.new.competences.iter().enumerate() {
            let before = self.old.competence(&competence.id);
            let subject = self.competence_subject(before, Some(competence));
            let Some(before) = before else {
                out.push(subject.whole(ChangeKind::Added));
                continue;
            };
            if moved_competences.contains(competence.id.as_str()) {
                let old_position = old_ids.iter().position(|id| *id == competence.id).unwrap_or_default();
                out.push(position_change(&subject, old_position, position));
            }
            self.competence(&mut out, &subject, before, competence);
        }
        for competence in self.old.competences.iter().filter(|c| self.new.competence(&c.id).is_none()) {
            out.push(self.competence_subject(Some(competence), None).whole(ChangeKind::Removed));
        }
        Section { heading: "competences".to_string(), changes: out }
    }

    fn competence_subject(&self, old: Option<&Competence>, new: Option<&Competence>) -> Subject {
        let competence = new.or(old).expect("one side has the competence");
        let framework = if new.is_some() { self.new } else { self.old };
        self.subject(
            ItemKind::Competence,
            &competence.id,
            competence.id.clone(),
            (old.map(|c| &c.title), new.map(|c| &c.title)),
            via(&competence.defined_in, framework),
        )
    }

    fn competence(&self, out: &mut Vec<Change>, subject: &Subject, old: &Competence, new: &Competence) {
        subject.texts(out, Aspect::Title, Some(&old.title), Some(&new.title));
        subject.texts(out, Aspect::Description, old.description.as_ref(), new.description.as_ref());
        subject.value(out, Aspect::Scale, old.scale.clone(), new.scale.clone());
        let levels: Vec<&str> = new.descriptors.iter().chain(&old.descriptors).map(|d| d.level.as_str()).fold(
            Vec::new(),
            |mut seen, level| {
                if !seen.contains(&level) {
                    seen.push(level);
                }
                seen
            },
        );
        for level in levels {
            let mut descriptor = clone_subject(subject);
            descriptor.item = ItemKind::Descriptor;
            descriptor.path = format!("{}/{level}", new.id);
            descriptor.texts(out, Aspect::Text, descriptor_text(old, level), descriptor_text(new, level));
        }
    }

    fn certificate(&self, old: &CertificateRules, new: &CertificateRules) -> Section {
        let mut out = Vec::new();
        let scales: Vec<&str> = new.achieved.iter().chain(&old.achieved).map(|rule| rule.scale.as_str()).fold(
            Vec::new(),
            |mut seen, scale| {
                if !seen.contains(&scale) {
                    seen.push(scale);
                }
                seen
            },
        );
        for scale in scales {
            let subject = Subject {
                lang: self.lang,
                item: ItemKind::Certificate,
                id: scale.to_string(),
                path: "certificate".to_string(),
                title: String::new(),
                via: None,
            };
            let level = |rules: &CertificateRules| rules.achieved_from(scale).map(|rule| rule.level.clone());
            subject.value(&mut out, Aspect::AchievedFrom, level(old), level(new));
        }
        let subject = Subject {
            lang: self.lang,
            item: ItemKind::Certificate,
            id: "seqf".to_string(),
            path: "certificate".to_string(),
            title: String::new(),
            via: None,
        };
        subject.value(&mut out, Aspect::SeqfRule, Some(seqf_rule_words(old.seqf)), Some(seqf_rule_words(new.seqf)));
        Section { heading: "certificate".to_string(), changes: out }
    }
}

fn descriptor_text<'c>(competence: &'c Competence, level: &str) -> Option<&'c LocalizedText> {
    competence.descriptors.iter().find(|d| d.level == level).map(|d| &d.text)
}

fn clone_subject(subject: &Subject) -> Subject {
    Subject {
        lang: subject.lang,
        item: subject.item,
        id: subject.id.clone(),
        path: subject.path.clone(),
        title: subject.title.clone(),
        via: subject.via.clone(),
    }
}

pub(super) fn position_change(subject: &Subject, old: usize, new: usize) -> Change {
    subject.change(ChangeKind::Moved, Some(Aspect::Position), Some((old + 1).to_string()), Some((new + 1).to_string()))
}

fn joined(words: impl Iterator<Item = String>) -> Option<String> {
    let words: Vec<String> = words.collect();
    (!words.is_empty()).then(|| words.join(", "))
}

/// `2` or `2 skills`, as the `seqf` line writes it.
fn seqf_words(seqf: Seqf) -> String {
    match seqf.dimension {
        Some(dimension) => format!("{} {dimension}", seqf.level),
        None => seqf.level.to_string(),
    }
}

fn required_word(task: &Task) -> String {
    if task.required { "required" } else { "optional" }.to_string()
}

/// `all-required`, `share 80` or `none`, as the certificate block writes it.
fn seqf_rule_words(rule: Option<SeqfRule>) -> String {
    match rule {
        Some(SeqfRule::AllRequired) => "all-required".to_string(),
        Some(SeqfRule::Share { percent }) => format!("share {percent}"),
        None => "none".to_string(),
    }
}
