//! Renames: that a framework's `renamed` lines lead from an id it no longer
//! has to one it has, without contradicting each other, and a hint wherever
//! an assessment still uses an old id.

use std::collections::HashSet;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{Assessment, Framework, Rename};
use crate::syntax::ast::ItemKind;

/// Judges the renames the framework's own file declares; inherited and
/// included ones are judged in their own files.
pub(super) fn check_renames(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let own: Vec<&Rename> =
        framework.renames.iter().filter(|rename| rename.location.file == framework.location.file).collect();
    let mut in_circles: HashSet<*const Rename> = HashSet::new();
    for (index, rename) in own.iter().enumerate() {
        let kind = rename.kind.word();
        if let Some(first) = own[..index].iter().find(|first| first.kind == rename.kind && first.from == rename.from) {
            diagnostics.push(
                Diagnostic::new(Code::RenameConflict, format!("the {kind} `{}` is renamed twice", rename.from))
                    .at(rename.from_location)
                    .label("renamed again here")
                    .related(first.location, "first renamed here")
                    .hint("an old id can lead to one new id only: keep one of the lines"),
            );
            continue;
        }
        if let Some(item) = framework.item_location(rename.kind, &rename.from) {
            diagnostics.push(
                Diagnostic::new(
                    Code::RenamedIdInUse,
                    format!(
                        "the {kind} `{}` is renamed, but `{}` still has a {kind} with that id",
                        rename.from,
                        framework.reference()
                    ),
                )
                .at(rename.from_location)
                .label("still in use")
                .related(item, format!("the {kind} `{}`", rename.from))
                .hint(format!(
                    "remove this line if the {kind} kept its id, or give the {kind} its new id `{}`",
                    rename.to
                )),
            );
            continue;
        }
        match chain_end(framework, rename) {
            ChainEnd::Item => {}
            ChainEnd::Circle(ids) => {
                if in_circles.insert(*rename as *const Rename) {
                    let mut diagnostic = Diagnostic::new(
                        Code::RenameConflict,
                        format!("the renames of {kind}s go round in a circle: {}", ids.join(" → ")),
                    )
                    .at(rename.location);
                    for other in circle_after(framework, rename, &mut in_circles) {
                        diagnostic = diagnostic.related(other.location, "and on here");
                    }
                    diagnostics.push(
                        diagnostic.hint("an old id must lead to an item the framework has: remove one of the lines"),
                    );
                }
            }
            ChainEnd::Missing(id) => diagnostics.push(
                Diagnostic::new(
                    Code::RenameToUnknown,
                    format!("`{}` has no {kind} `{id}` for `{}` to be renamed to", framework.reference(), rename.from),
                )
                .at(rename.to_location)
                .label(format!("unknown {kind}"))
                .hint_if(did_you_mean(&id, framework.item_ids(rename.kind)))
                .hint(format!("after `to`, write the id the {kind} has in this version")),
            ),
        }
    }
}

enum ChainEnd {
    /// The renames end at an item the framework has.
    Item,
    /// They come back to an id already passed: the ids in order.
    Circle(Vec<String>),
    /// They end at an id the framework does not have.
    Missing(String),
}

/// Follows a rename and those after it (`a` to `b`, `b` to `c`) to its end.
fn chain_end(framework: &Framework, first: &Rename) -> ChainEnd {
    let mut passed = vec![first.from.clone()];
    let mut current = first.to.clone();
    loop {
        if framework.has_item(first.kind, &current) {
            return ChainEnd::Item;
        }
        if passed.contains(&current) {
            passed.push(current);
            return ChainEnd::Circle(passed);
        }
        let next = framework.renames.iter().find(|rename| rename.kind == first.kind && rename.from == current);
        match next {
            Some(next) => {
                passed.push(std::mem::replace(&mut current, next.to.clone()));
            }
            None => return ChainEnd::Missing(current),
        }
    }
}

/// The renames that follow `start` round its circle, each recorded in
/// `marked` so that the circle is reported once.
fn circle_after<'f>(framework: &'f Framework, start: &Rename, marked: &mut HashSet<*const Rename>) -> Vec<&'f Rename> {
    let mut after = Vec::new();
    let mut current = start.to.as_str();
    while let Some(next) = framework.renames.iter().find(|rename| rename.kind == start.kind && rename.from == current) {
        if !marked.insert(next as *const Rename) {
            break;
        }
        after.push(next);
        current = &next.to;
    }
    after
}

/// A hint at every rating and goal that names an item by its old id: it
/// counts for the new id, and `kub migrate` writes that into the file.
pub(super) fn check_old_ids(assessment: &Assessment, framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    let ratings = assessment.occasions.iter().flat_map(|occasion| &occasion.ratings);
    let rated = ratings.filter_map(|rating| {
        let old = rating.renamed_from.as_deref()?;
        Some((ItemKind::from(rating.kind), old, rating.item.as_str(), rating.item_location, "rating"))
    });
    let goals = assessment.goals.iter().filter_map(|goal| {
        let (old, task) = (goal.renamed_from.as_deref()?, goal.task.as_ref()?);
        Some((ItemKind::Task, old, task.value.as_str(), task.location, "goal"))
    });
    for (kind, old, new, location, what) in rated.chain(goals) {
        let kind_word = kind.word();
        let mut diagnostic = Diagnostic::new(
            Code::RenamedId,
            format!("the {kind_word} `{old}` is called `{new}` in `{}`", framework.reference()),
        )
        .at(location)
        .label(format!("the {kind_word}'s old id"))
        .hint(match what {
            "goal" => format!("this goal is about `{new}`"),
            _ => format!("this rating counts for `{new}`"),
        });
        if let Some(rename) = framework.follow_renames(kind, old).and_then(|followed| followed.steps.last().copied()) {
            diagnostic = diagnostic.related(rename.location, "renamed here");
        }
        diagnostics.push(diagnostic.hint(format!(
            "`kub migrate` of this file with `--to {}@{}` writes the new ids into it",
            framework.id, framework.version
        )));
    }
}
