//! Items in groups: areas with their tasks, tracks with their milestones.
//! A child keeps its id when it moves to another group, so it is followed
//! across groups: moved there, not removed here and added there.

use std::collections::HashMap;

use super::compare::{Differ, Subject, heading, position_change, via};
use super::order::moved;
use super::{Aspect, Change, ChangeKind, ItemKind, Section};
use crate::model::{Area, Framework, LocalizedText, Milestone, Task, Track};

/// A group of items: an area or a track.
pub(super) trait Group {
    type Child: Child;
    const KIND: ItemKind;
    fn id(&self) -> &str;
    fn title(&self) -> &LocalizedText;
    fn description(&self) -> Option<&LocalizedText>;
    fn defined_in(&self) -> &str;
    fn children(&self) -> &[Self::Child];
}

/// An item of a group: a task or a milestone.
pub(super) trait Child {
    const KIND: ItemKind;
    fn id(&self) -> &str;
    fn title(&self) -> &LocalizedText;
    /// Where it is defined, when that can differ from its group's.
    fn defined_in(&self) -> Option<&str>;
}

/// Areas and tracks are alike to a comparison: an id, texts, where they
/// are defined and their children.
macro_rules! group {
    ($group:ty, $kind:expr, $child:ty, $child_kind:expr, $children:ident, $child_defined_in:expr) => {
        impl Group for $group {
            type Child = $child;
            const KIND: ItemKind = $kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn title(&self) -> &LocalizedText {
                &self.title
            }
            fn description(&self) -> Option<&LocalizedText> {
                self.description.as_ref()
            }
            fn defined_in(&self) -> &str {
                &self.defined_in
            }
            fn children(&self) -> &[$child] {
                &self.$children
            }
        }

        impl Child for $child {
            const KIND: ItemKind = $child_kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn title(&self) -> &LocalizedText {
                &self.title
            }
            fn defined_in(&self) -> Option<&str> {
                let defined_in: fn(&$child) -> Option<&str> = $child_defined_in;
                defined_in(self)
            }
        }
    };
}

group!(Area, ItemKind::Area, Task, ItemKind::Task, tasks, |task| Some(&task.defined_in));
group!(Track, ItemKind::Track, Milestone, ItemKind::Milestone, milestones, |_| None);

/// Each child's group, place in it and self, by the id the newer version
/// knows it by.
type Places<'g, C> = HashMap<String, (&'g str, usize, &'g C)>;

fn places<'g, G: Group>(groups: &'g [G], id_in_new: &dyn Fn(&str) -> String) -> Places<'g, G::Child> {
    groups
        .iter()
        .flat_map(|group| {
            group.children().iter().enumerate().map(move |(i, child)| (id_in_new(child.id()), (group.id(), i, child)))
        })
        .collect()
}

/// Compares what an item has beyond its title and description, adding
/// a change for each difference.
pub(super) type CompareItem<'f, T> = &'f dyn Fn(&Subject, &mut Vec<Change>, &T, &T);

/// How to compare what a group or a child has beyond its title and description.
pub(super) struct Properties<'f, G: Group> {
    pub group: CompareItem<'f, G>,
    pub child: CompareItem<'f, G::Child>,
}

impl Differ<'_> {
    /// One section per group: the newer version's in order, then the
    /// groups it no longer has.
    pub(super) fn groups<G: Group>(&self, old: &[G], new: &[G], properties: Properties<'_, G>) -> Vec<Section> {
        let old_ids: Vec<&str> = old.iter().map(G::id).collect();
        let new_ids: Vec<&str> = new.iter().map(G::id).collect();
        let moved_groups = moved(&old_ids, &new_ids);
        let id_in_new = |id: &str| self.id_in_new(G::Child::KIND, id);
        let (old_places, new_places) = (places(old, &id_in_new), places(new, &|id: &str| id.to_string()));
        let mut sections = Vec::new();
        for (position, group) in new.iter().enumerate() {
            let before = old.iter().find(|g| g.id() == group.id());
            let subject = self.group_subject(before, Some(group));
            let mut out = Vec::new();
            match before {
                None => out.push(subject.whole(ChangeKind::Added)),
                Some(before) => {
                    if moved_groups.contains(group.id()) {
                        let old_position = old_ids.iter().position(|id| *id == group.id()).unwrap_or_default();
                        out.push(position_change(&subject, old_position, position));
                    }
                    subject.texts(&mut out, Aspect::Title, Some(before.title()), Some(group.title()));
                    subject.texts(&mut out, Aspect::Description, before.description(), group.description());
                    (properties.group)(&subject, &mut out, before, group);
                }
            }
            self.children(&mut out, before, group, &old_places, properties.child);
            if let Some(before) = before {
                self.removed_children(&mut out, before, &new_places);
            }
            sections.push(Section { heading: heading(G::KIND, group.id(), &subject.title), changes: out });
        }
        for group in old.iter().filter(|group| !new_ids.contains(&group.id())) {
            let subject = self.group_subject(Some(group), None);
            let mut out = vec![subject.whole(ChangeKind::Removed)];
            self.removed_children(&mut out, group, &new_places);
            sections.push(Section { heading: heading(G::KIND, group.id(), &subject.title), changes: out });
        }
        sections
    }

    fn group_subject<G: Group>(&self, old: Option<&G>, new: Option<&G>) -> Subject {
        let (group, framework) = self.either(old, new);
        let titles = (old.map(G::title), new.map(G::title));
        self.subject(G::KIND, group.id(), group.id().to_string(), titles, via(group.defined_in(), framework))
    }

    fn child_subject<G: Group>(&self, group: &G, old: Option<&G::Child>, new: Option<&G::Child>) -> Subject {
        let (child, framework) = self.either(old, new);
        let path = format!("{}/{}", group.id(), child.id());
        let defined_in = child.defined_in().unwrap_or(group.defined_in());
        let titles = (old.map(Child::title), new.map(Child::title));
        self.subject(G::Child::KIND, child.id(), path, titles, via(defined_in, framework))
    }

    /// The id the newer version knows an item by: its own, or the one the
    /// newer version renamed it to.
    fn id_in_new(&self, kind: ItemKind, id: &str) -> String {
        let declared = match kind {
            ItemKind::Task => crate::model::ItemKind::Task,
            ItemKind::Milestone => crate::model::ItemKind::Milestone,
            _ => return id.to_string(),
        };
        self.new.follow_renames(declared, id).map_or_else(|| id.to_string(), |followed| followed.id)
    }

    /// The newer side's item if it has one, else the older side's, with its framework.
    fn either<'t, T>(&self, old: Option<&'t T>, new: Option<&'t T>) -> (&'t T, &Framework) {
        match (new, old) {
            (Some(new), _) => (new, self.new),
            (None, Some(old)) => (old, self.old),
            (None, None) => unreachable!("an item compared is on one side at least"),
        }
    }

    /// The children of a group in the newer version: added, moved in from
    /// another group or within it, and changed.
    fn children<G: Group>(
        &self,
        out: &mut Vec<Change>,
        old_group: Option<&G>,
        group: &G,
        old_places: &Places<'_, G::Child>,
        compare: CompareItem<'_, G::Child>,
    ) {
        let stayed = |child: &&G::Child| old_places.get(child.id()).is_some_and(|(g, _, _)| *g == group.id());
        let new_order: Vec<&str> = group.children().iter().filter(stayed).map(Child::id).collect();
        let old_order: Vec<String> = old_group
            .map(|g| g.children().iter().map(|child| self.id_in_new(G::Child::KIND, child.id())).collect())
            .unwrap_or_default();
        let old_order: Vec<&str> = old_order.iter().map(String::as_str).collect();
        let moved_children = moved(&old_order, &new_order);
        for (position, child) in group.children().iter().enumerate() {
            let Some(&(old_group_id, old_position, before)) = old_places.get(child.id()) else {
                out.push(self.child_subject(group, None, Some(child)).whole(ChangeKind::Added));
                continue;
            };
            let subject = self.child_subject(group, Some(before), Some(child));
            if before.id() != child.id() {
                let ids = (Some(before.id().to_string()), Some(child.id().to_string()));
                out.push(subject.change(ChangeKind::Renamed, Some(Aspect::Id), ids.0, ids.1));
            }
            if old_group_id != group.id() {
                let (before_group, after_group) = (Some(old_group_id.to_string()), Some(group.id().to_string()));
                out.push(subject.change(ChangeKind::Moved, Some(Aspect::Parent), before_group, after_group));
            } else if moved_children.contains(child.id()) {
                out.push(position_change(&subject, old_position, position));
            }
            compare(&subject, out, before, child);
        }
    }

    /// The children of an older group that the newer version has nowhere.
    fn removed_children<G: Group>(&self, out: &mut Vec<Change>, old_group: &G, new_places: &Places<'_, G::Child>) {
        let gone = |child: &&G::Child| !new_places.contains_key(&self.id_in_new(G::Child::KIND, child.id()));
        for child in old_group.children().iter().filter(gone) {
            out.push(self.child_subject(old_group, Some(child), None).whole(ChangeKind::Removed));
        }
    }
}
