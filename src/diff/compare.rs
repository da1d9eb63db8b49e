//! Comparing two resolved frameworks item by item: the header, the scales,
//! each area with its tasks, the competences, each track with its
//! milestones, and the certificate's rules.

use std::collections::{BTreeSet, HashMap};

use super::order::moved;
use super::{Aspect, Change, ChangeKind, Comparison, ItemKind, Section, Version};
use crate::model::{
    Area, CertificateRules, Competence, Framework, FrameworkKind, Lang, LocalizedText, Milestone, Scale, Seqf,
    SeqfRule, Task, Track,
};

/// Every difference between `old` and `new`, grouped in sections.
pub fn compare(old: &Framework, new: &Framework) -> Comparison {
    let differ = Differ { old, new, lang: new.default_language().clone(), old_lang: old.default_language().clone() };
    let mut sections = vec![differ.header(), differ.scales()];
    sections.extend(differ.areas());
    sections.push(differ.competences());
    sections.extend(differ.tracks());
    sections.push(differ.certificate(&old.certificate, &new.certificate));
    sections.retain(|section| !section.changes.is_empty());
    let version = |framework: &Framework| Version {
        id: framework.id.clone(),
        version: framework.version.clone(),
        source: String::new(),
    };
    Comparison { old: version(old), new: version(new), sections }
}

struct Differ<'a> {
    old: &'a Framework,
    new: &'a Framework,
    /// The newer version's default language, which items are named in.
    lang: Lang,
    /// The older version's, for items only it has.
    old_lang: Lang,
}

/// The item a change is about, as every change about it names it.
struct Subject {
    /// The default language, whose texts are listed first.
    lang: Lang,
    item: ItemKind,
    id: String,
    path: String,
    title: String,
    via: Option<String>,
}

impl Subject {
    fn change(
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

    fn whole(&self, kind: ChangeKind) -> Change {
        self.change(kind, None, None, None)
    }

    /// A property written as a word or number, compared as written.
    fn value(&self, out: &mut Vec<Change>, aspect: Aspect, before: Option<String>, after: Option<String>) {
        if before != after {
            out.push(self.change(ChangeKind::Changed, Some(aspect), before, after));
        }
    }

    /// A text, compared language by language: a translation added,
    /// removed or reworded is a change of its own.
    fn texts(&self, out: &mut Vec<Change>, aspect: Aspect, old: Option<&LocalizedText>, new: Option<&LocalizedText>) {
        let languages: BTreeSet<&Lang> = old.into_iter().chain(new).flat_map(|text| text.languages()).collect();
        let (default, others): (Vec<&Lang>, Vec<&Lang>) = languages.into_iter().partition(|lang| **lang == self.lang);
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
fn via(defined_in: &str, framework: &Framework) -> Option<String> {
    (defined_in != framework.id).then(|| defined_in.to_string())
}

fn heading(kind: ItemKind, id: &str, title: &str) -> String {
    format!("{} {id} \"{title}\"", kind.word())
}

impl Differ<'_> {
    /// Names an item by its title in the newer version, or the older one's
    /// if only that has it.
    fn subject(
        &self,
        item: ItemKind,
        id: &str,
        path: String,
        title: (Option<&LocalizedText>, Option<&LocalizedText>),
        via: Option<String>,
    ) -> Subject {
        let title = match title {
            (_, Some(text)) => text.best(&self.lang, &[]),
            (Some(text), None) => text.best(&self.old_lang, &[]),
            (None, None) => "",
        };
        Subject { lang: self.lang.clone(), item, id: id.to_string(), path, title: title.to_string(), via }
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
        let languages =
            |framework: &Framework| Some(framework.languages.iter().map(Lang::code).collect::<Vec<_>>().join(" "));
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

    /// One section per area: the newer version's in order, then the areas
    /// it no longer has.
    fn areas(&self) -> Vec<Section> {
        let old_areas: HashMap<&str, &Area> = self.old.areas.iter().map(|area| (area.id.as_str(), area)).collect();
        let new_areas: HashMap<&str, &Area> = self.new.areas.iter().map(|area| (area.id.as_str(), area)).collect();
        let old_ids: Vec<&str> = self.old.areas.iter().map(|a| a.id.as_str()).collect();
        let new_ids: Vec<&str> = self.new.areas.iter().map(|a| a.id.as_str()).collect();
        let moved_areas = moved(&old_ids, &new_ids);
        let old_tasks: HashMap<&str, (&str, usize)> = task_places(self.old);
        let new_tasks: HashMap<&str, (&str, usize)> = task_places(self.new);
        let mut sections = Vec::new();
        for (position, area) in self.new.areas.iter().enumerate() {
            let before = old_areas.get(area.id.as_str()).copied();
            let subject = self.area_subject(before, Some(area));
            let mut out = Vec::new();
            match before {
                None => out.push(subject.whole(ChangeKind::Added)),
                Some(before) => {
                    if moved_areas.contains(area.id.as_str()) {
                        let old_position = old_ids.iter().position(|id| *id == area.id).unwrap_or_default();
                        out.push(position_change(&subject, old_position, position));
                    }
                    subject.texts(&mut out, Aspect::Title, Some(&before.title), Some(&area.title));
                    subject.texts(
                        &mut out,
                        Aspect::Description,
                        before.description.as_ref(),
                        area.description.as_ref(),
                    );
                }
            }
            self.area_tasks(&mut out, before, area, &old_tasks);
            if let Some(before) = before {
                self.removed_tasks(&mut out, before, &new_tasks);
            }
            sections.push(Section { heading: heading(ItemKind::Area, &area.id, &subject.title), changes: out });
        }
        for area in self.old.areas.iter().filter(|area| !new_areas.contains_key(area.id.as_str())) {
            let subject = self.area_subject(Some(area), None);
            let mut out = vec![subject.whole(ChangeKind::Removed)];
            self.removed_tasks(&mut out, area, &new_tasks);
            sections.push(Section { heading: heading(ItemKind::Area, &area.id, &subject.title), changes: out });
        }
        sections
    }

    fn area_subject(&self, old: Option<&Area>, new: Option<&Area>) -> Subject {
        let area = new.or(old).expect("one side has the area");
        let framework = if new.is_some() { self.new } else { self.old };
        self.subject(
            ItemKind::Area,
            &area.id,
            area.id.clone(),
            (old.map(|a| &a.title), new.map(|a| &a.title)),
            via(&area.defined_in, framework),
        )
    }

    /// The tasks of an area in the newer version: added, moved in from
    /// another area or within it, and changed.
    fn area_tasks(
        &self,
        out: &mut Vec<Change>,
        old_area: Option<&Area>,
        area: &Area,
        old_tasks: &HashMap<&str, (&str, usize)>,
    ) {
        let stayed = |task: &&Task| old_tasks.get(task.id.as_str()).is_some_and(|(old_area, _)| *old_area == area.id);
        let new_order: Vec<&str> = area.tasks.iter().filter(stayed).map(|t| t.id.as_str()).collect();
        let old_order: Vec<&str> =
            old_area.map(|a| a.tasks.iter().map(|t| t.id.as_str()).collect()).unwrap_or_default();
        let moved_tasks = moved(&old_order, &new_order);
        for (position, task) in area.tasks.iter().enumerate() {
            let before = old_tasks.get(task.id.as_str()).and_then(|_| self.old.task(&task.id));
            let subject = self.task_subject(before, Some(task), &area.id);
            let Some(before) = before else {
                out.push(subject.whole(ChangeKind::Added));
                continue;
            };
            let (old_area_id, old_position) = old_tasks[task.id.as_str()];
            if old_area_id != area.id {
                out.push(subject.change(
                    ChangeKind::Moved,
                    Some(Aspect::Parent),
                    Some(old_area_id.to_string()),
                    Some(area.id.clone()),
                ));
            } else if moved_tasks.contains(task.id.as_str()) {
                out.push(position_change(&subject, old_position, position));
            }
            self.task(out, &subject, before, task);
        }
    }

    /// The tasks of an older area that the newer version has nowhere.
    fn removed_tasks(&self, out: &mut Vec<Change>, old_area: &Area, new_tasks: &HashMap<&str, (&str, usize)>) {
        for task in old_area.tasks.iter().filter(|task| !new_tasks.contains_key(task.id.as_str())) {
            out.push(self.task_subject(Some(task), None, &old_area.id).whole(ChangeKind::Removed));
        }
    }

    fn task_subject(&self, old: Option<&Task>, new: Option<&Task>, area: &str) -> Subject {
        let task = new.or(old).expect("one side has the task");
        let framework = if new.is_some() { self.new } else { self.old };
        self.subject(
            ItemKind::Task,
            &task.id,
            format!("{area}/{}", task.id),
            (old.map(|t| &t.title), new.map(|t| &t.title)),
            via(&task.defined_in, framework),
        )
    }

    fn task(&self, out: &mut Vec<Change>, subject: &Subject, old: &Task, new: &Task) {
        subject.texts(out, Aspect::Title, Some(&old.title), Some(&new.title));
        subject.texts(out, Aspect::Description, old.description.as_ref(), new.description.as_ref());
        subject.value(out, Aspect::Seqf, old.seqf.map(seqf_words), new.seqf.map(seqf_words));
        subject.value(out, Aspect::Required, Some(required_word(old)), Some(required_word(new)));
        subject.value(out, Aspect::Evidence, old.evidence.map(|e| e.to_string()), new.evidence.map(|e| e.to_string()));
        subject.value(out, Aspect::Esco, old.esco.clone(), new.esco.clone());
        subject.value(out, Aspect::Scale, Some(old.scale.clone()), Some(new.scale.clone()));
        self.criteria(out, subject, &old.criteria, &new.criteria);
    }

    /// Criteria have no ids: they are matched by their text in the default
    /// language; a criterion whose default text changed is paired, in
    /// order, with one that is new.
    fn criteria(&self, out: &mut Vec<Change>, subject: &Subject, old: &[LocalizedText], new: &[LocalizedText]) {
        let criterion = Subject { item: ItemKind::Criterion, ..clone_subject(subject) };
        let key = |text: &LocalizedText| text.best(&self.lang, &[]).to_string();
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
        subject.value(out, Aspect::Scale, Some(old.scale.clone()), Some(new.scale.clone()));
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

    /// One section per track, as for areas.
    fn tracks(&self) -> Vec<Section> {
        let old_ids: Vec<&str> = self.old.tracks.iter().map(|t| t.id.as_str()).collect();
        let new_ids: Vec<&str> = self.new.tracks.iter().map(|t| t.id.as_str()).collect();
        let moved_tracks = moved(&old_ids, &new_ids);
        let old_places = milestone_places(self.old);
        let new_places = milestone_places(self.new);
        let mut sections = Vec::new();
        for (position, track) in self.new.tracks.iter().enumerate() {
            let before = self.old.tracks.iter().find(|t| t.id == track.id);
            let subject = self.track_subject(before, Some(track));
            let mut out = Vec::new();
            match before {
                None => out.push(subject.whole(ChangeKind::Added)),
                Some(before) => {
                    if moved_tracks.contains(track.id.as_str()) {
                        let old_position = old_ids.iter().position(|id| *id == track.id).unwrap_or_default();
                        out.push(position_change(&subject, old_position, position));
                    }
                    subject.texts(&mut out, Aspect::Title, Some(&before.title), Some(&track.title));
                    subject.texts(
                        &mut out,
                        Aspect::Description,
                        before.description.as_ref(),
                        track.description.as_ref(),
                    );
                    subject.value(
                        &mut out,
                        Aspect::Skill,
                        Some(before.skill.to_string()),
                        Some(track.skill.to_string()),
                    );
                }
            }
            self.track_milestones(&mut out, before, track, &old_places);
            if let Some(before) = before {
                self.removed_milestones(&mut out, before, &new_places);
            }
            sections.push(Section { heading: heading(ItemKind::Track, &track.id, &subject.title), changes: out });
        }
        for track in self.old.tracks.iter().filter(|t| !new_ids.contains(&t.id.as_str())) {
            let subject = self.track_subject(Some(track), None);
            let mut out = vec![subject.whole(ChangeKind::Removed)];
            self.removed_milestones(&mut out, track, &new_places);
            sections.push(Section { heading: heading(ItemKind::Track, &track.id, &subject.title), changes: out });
        }
        sections
    }

    fn track_subject(&self, old: Option<&Track>, new: Option<&Track>) -> Subject {
        let track = new.or(old).expect("one side has the track");
        let framework = if new.is_some() { self.new } else { self.old };
        self.subject(
            ItemKind::Track,
            &track.id,
            track.id.clone(),
            (old.map(|t| &t.title), new.map(|t| &t.title)),
            via(&track.defined_in, framework),
        )
    }

    fn track_milestones(
        &self,
        out: &mut Vec<Change>,
        old_track: Option<&Track>,
        track: &Track,
        old_places: &HashMap<&str, (&str, usize)>,
    ) {
        let stayed = |m: &&Milestone| old_places.get(m.id.as_str()).is_some_and(|(t, _)| *t == track.id);
        let new_order: Vec<&str> = track.milestones.iter().filter(stayed).map(|m| m.id.as_str()).collect();
        let old_order: Vec<&str> =
            old_track.map(|t| t.milestones.iter().map(|m| m.id.as_str()).collect()).unwrap_or_default();
        let moved_milestones = moved(&old_order, &new_order);
        let via = via(&track.defined_in, self.new);
        for (position, milestone) in track.milestones.iter().enumerate() {
            let before = self.old.milestone(&milestone.id).map(|(_, m)| m);
            let path = format!("{}/{}", track.id, milestone.id);
            let titles = (before.map(|m| &m.title), Some(&milestone.title));
            let subject = self.subject(ItemKind::Milestone, &milestone.id, path, titles, via.clone());
            let Some(before) = before else {
                out.push(subject.whole(ChangeKind::Added));
                continue;
            };
            let (old_track_id, old_position) = old_places[milestone.id.as_str()];
            if old_track_id != track.id {
                out.push(subject.change(
                    ChangeKind::Moved,
                    Some(Aspect::Parent),
                    Some(old_track_id.to_string()),
                    Some(track.id.clone()),
                ));
            } else if moved_milestones.contains(milestone.id.as_str()) {
                out.push(position_change(&subject, old_position, position));
            }
            subject.texts(out, Aspect::Title, Some(&before.title), Some(&milestone.title));
            subject.texts(out, Aspect::Description, before.description.as_ref(), milestone.description.as_ref());
            subject.value(out, Aspect::Cefr, Some(before.cefr.to_string()), Some(milestone.cefr.to_string()));
            subject.value(out, Aspect::Sfi, before.sfi.map(|s| s.to_string()), milestone.sfi.map(|s| s.to_string()));
        }
    }

    fn removed_milestones(&self, out: &mut Vec<Change>, old_track: &Track, new_places: &HashMap<&str, (&str, usize)>) {
        let via = via(&old_track.defined_in, self.old);
        for milestone in old_track.milestones.iter().filter(|m| !new_places.contains_key(m.id.as_str())) {
            let path = format!("{}/{}", old_track.id, milestone.id);
            let subject =
                self.subject(ItemKind::Milestone, &milestone.id, path, (Some(&milestone.title), None), via.clone());
            out.push(subject.whole(ChangeKind::Removed));
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
                lang: self.lang.clone(),
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
            lang: self.lang.clone(),
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
        lang: subject.lang.clone(),
        item: subject.item,
        id: subject.id.clone(),
        path: subject.path.clone(),
        title: subject.title.clone(),
        via: subject.via.clone(),
    }
}

fn position_change(subject: &Subject, old: usize, new: usize) -> Change {
    subject.change(ChangeKind::Moved, Some(Aspect::Position), Some((old + 1).to_string()), Some((new + 1).to_string()))
}

/// Each task's area and place in it, by id.
fn task_places(framework: &Framework) -> HashMap<&str, (&str, usize)> {
    framework
        .areas
        .iter()
        .flat_map(|area| area.tasks.iter().enumerate().map(move |(i, task)| (task.id.as_str(), (area.id.as_str(), i))))
        .collect()
}

/// Each milestone's track and place in it, by id.
fn milestone_places(framework: &Framework) -> HashMap<&str, (&str, usize)> {
    framework
        .tracks
        .iter()
        .flat_map(|track| {
            track.milestones.iter().enumerate().map(move |(i, m)| (m.id.as_str(), (track.id.as_str(), i)))
        })
        .collect()
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
