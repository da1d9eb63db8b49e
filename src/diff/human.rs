//! A comparison and its impact in words: one line a change under the
//! heading of its area, scale or track, coloured like `kub check`; and the
//! same as JSON for scripts (the schema is in docs/diff.md).

use std::fmt::Write as _;

use super::impact::{AssessmentImpact, CertificateChange, Impact, Named};
use super::{Aspect, Change, ChangeKind, Comparison, ItemKind};
use crate::diagnostic::render::Color;

/// The comparison, and the impact if there is one, for people.
pub fn text(comparison: &Comparison, impact: Option<&Impact>, color: Color) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let (old, new) = (&comparison.old, &comparison.new);
    let count = comparison.changes().count();
    let _ = writeln!(
        out,
        "{} {} ({}) → {} {} ({}): {}",
        old.id,
        old.version,
        old.source,
        new.id,
        new.version,
        new.source,
        match count {
            0 => "no changes".to_string(),
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        }
    );
    for section in &comparison.sections {
        let _ = writeln!(out, "\n{}", paint.bold(&section.heading));
        for change in &section.changes {
            let _ = writeln!(out, "  {}", line(change, paint));
        }
    }
    if let Some(impact) = impact {
        out.push('\n');
        out.push_str(&impact_text(impact, &old.id, paint));
    }
    out
}

#[derive(Clone, Copy)]
struct Paint(Color);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        match self.0 {
            Color::Always => format!("\x1b[{code}m{text}\x1b[0m"),
            Color::Never => text.to_string(),
        }
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn sign(self, kind: ChangeKind) -> String {
        match kind {
            ChangeKind::Added => self.wrap("32", "+"),
            ChangeKind::Removed => self.wrap("31", "-"),
            ChangeKind::Changed => self.wrap("33", "~"),
            ChangeKind::Moved | ChangeKind::Renamed => self.wrap("36", ">"),
        }
    }
}

/// `~ task grasklippning "Klippa gräs med åkgräsklippare": SeQF level 2 → 3`.
fn line(change: &Change, paint: Paint) -> String {
    let name = match change.item {
        ItemKind::Framework | ItemKind::Certificate => String::new(),
        ItemKind::Criterion => format!("task {} {:?}", change.id, change.title),
        ItemKind::Descriptor => format!("competence {} {:?}", change.id, change.title),
        item => format!("{} {} {:?}", item.word(), change.id, change.title),
    };
    let detail = detail(change);
    let via = change.via.as_ref().map(|via| format!(" (defined in {via})")).unwrap_or_default();
    let joined = match (name.is_empty(), detail.is_empty()) {
        (true, _) => detail,
        (false, true) => name,
        (false, false) => format!("{name}: {detail}"),
    };
    format!("{} {joined}{via}", paint.sign(change.kind))
}

/// What changed, after the item's name.
fn detail(change: &Change) -> String {
    let Some(aspect) = change.aspect else {
        return match change.kind {
            ChangeKind::Added => "added".to_string(),
            ChangeKind::Removed => "removed".to_string(),
            _ => String::new(),
        };
    };
    let is_text = matches!(
        aspect,
        Aspect::Title | Aspect::Description | Aspect::Label | Aspect::Text | Aspect::Occupation | Aspect::Organisation
    );
    let show = |value: &Option<String>| match value {
        None => "none".to_string(),
        Some(value) if is_text || aspect == Aspect::Order && change.item == ItemKind::Criterion => format!("{value:?}"),
        Some(value) => value.clone(),
    };
    let mut what = aspect_words(change, aspect);
    if let Some(lang) = &change.lang {
        let _ = write!(what, " ({lang})");
    }
    match (change.kind, aspect) {
        (ChangeKind::Moved, Aspect::Parent) => {
            let parent = if change.item == ItemKind::Milestone { "track" } else { "area" };
            format!("moved from {parent} {} to {parent} {}", show(&change.before), show(&change.after))
        }
        (ChangeKind::Moved, Aspect::Position) => {
            format!("moved from place {} to {}", show(&change.before), show(&change.after))
        }
        (ChangeKind::Moved, _) => format!("{what} reordered: {} → {}", show(&change.before), show(&change.after)),
        (ChangeKind::Renamed, _) => format!("renamed from {} to {}", show(&change.before), show(&change.after)),
        (ChangeKind::Added, _) => format!("{what} added: {}", show(&change.after)),
        (ChangeKind::Removed, _) => format!("{what} removed: {}", show(&change.before)),
        (ChangeKind::Changed, Aspect::Required) => format!("{} → {}", show(&change.before), show(&change.after)),
        (ChangeKind::Changed, _) => format!("{what}: {} → {}", show(&change.before), show(&change.after)),
    }
}

fn aspect_words(change: &Change, aspect: Aspect) -> String {
    let words = match aspect {
        Aspect::Id => "id",
        Aspect::FrameworkKind => "kind",
        Aspect::Version => "version",
        Aspect::Languages => "languages",
        Aspect::Occupation => "occupation",
        Aspect::Organisation => "organisation",
        Aspect::Esco => "ESCO URI",
        Aspect::Extends => "extends",
        Aspect::Includes => "includes",
        Aspect::RateTasksWith => "scale for tasks",
        Aspect::RateCompetencesWith => "scale for competences",
        Aspect::Title => "title",
        Aspect::Description => "description",
        Aspect::Label => "label",
        Aspect::Order if change.item == ItemKind::Scale => "levels",
        Aspect::Order => "criteria",
        Aspect::Parent | Aspect::Position => "place",
        Aspect::Seqf => "SeQF level",
        Aspect::Required => "required or optional",
        Aspect::Evidence => "evidence",
        Aspect::Scale => "scale",
        Aspect::Text if change.item == ItemKind::Descriptor => {
            let level = change.path.rsplit('/').next().unwrap_or_default();
            return format!("descriptor of level {level}");
        }
        Aspect::Text => "criterion",
        Aspect::Skill => "CEFR skill",
        Aspect::Cefr => "CEFR level",
        Aspect::Sfi => "SFI course",
        Aspect::AchievedFrom => return format!("scale {} achieved from", change.id),
        Aspect::SeqfRule => "SeQF rule",
    };
    words.to_string()
}

fn impact_text(impact: &Impact, framework: &str, paint: Paint) -> String {
    let mut out = String::new();
    let measured = impact.assessments.len() + impact.unchanged;
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!("impact on {measured} assessment{} of {framework}", if measured == 1 { "" } else { "s" }))
    );
    for assessment in &impact.assessments {
        assessment_text(&mut out, assessment, paint);
    }
    if impact.unchanged > 0 {
        let _ = writeln!(
            out,
            "  {} {} not affected: {} certificate{} stay{} the same",
            impact.unchanged,
            if impact.unchanged == 1 { "participant is" } else { "participants are" },
            if impact.unchanged == 1 { "the" } else { "their" },
            if impact.unchanged == 1 { "" } else { "s" },
            if impact.unchanged == 1 { "s" } else { "" },
        );
    }
    for skipped in &impact.skipped {
        let _ = writeln!(
            out,
            "  skipped {}: {}; `kub check {}` lists the errors",
            skipped.file, skipped.reason, skipped.file
        );
    }
    out
}

fn assessment_text(out: &mut String, assessment: &AssessmentImpact, paint: Paint) {
    let _ = writeln!(out, "  {}: {}", assessment.file, assessment.participant);
    for reference in &assessment.removed_references {
        let _ = writeln!(
            out,
            "    {} {}:{}:{}: {} {} is removed in the new version",
            paint.sign(ChangeKind::Removed),
            assessment.file,
            reference.line,
            reference.column,
            reference.item.word(),
            reference.id
        );
    }
    let Some(certificate) = &assessment.certificate else {
        let _ = writeln!(out, "    the certificate stays the same");
        return;
    };
    certificate_text(out, certificate, paint);
}

fn certificate_text(out: &mut String, change: &CertificateChange, paint: Paint) {
    let lists: [(&[Named], ChangeKind, &str); 6] = [
        (&change.tasks_gained, ChangeKind::Added, "task newly achieved"),
        (&change.tasks_lost, ChangeKind::Removed, "task no longer achieved"),
        (&change.competences_gained, ChangeKind::Added, "competence newly achieved"),
        (&change.competences_lost, ChangeKind::Removed, "competence no longer achieved"),
        (&change.milestones_gained, ChangeKind::Added, "milestone newly reached"),
        (&change.milestones_lost, ChangeKind::Removed, "milestone no longer reached"),
    ];
    for (items, kind, words) in lists {
        for item in items {
            let _ = writeln!(out, "    {} {words}: {} {:?}", paint.sign(kind), item.id, item.title);
        }
    }
    if change.seqf_before != change.seqf_after {
        let level = |level: Option<u8>| level.map_or("none".to_string(), |l| l.to_string());
        let _ = writeln!(
            out,
            "    {} SeQF level stated: {} → {}",
            paint.sign(ChangeKind::Changed),
            level(change.seqf_before),
            level(change.seqf_after)
        );
    }
}

/// The comparison and impact as JSON: `{old, new, equal, changes, impact}`.
pub fn json(comparison: &Comparison, impact: Option<&Impact>) -> String {
    let value = serde_json::json!({
        "old": comparison.old,
        "new": comparison.new,
        "equal": comparison.is_empty(),
        "changes": comparison.changes().collect::<Vec<_>>(),
        "impact": impact,
    });
    serde_json::to_string_pretty(&value).expect("a comparison serialises")
}
