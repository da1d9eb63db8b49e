//! A readable outline of a resolved framework: what a tailored checklist
//! really contains after inheritance.

use std::fmt::Write;

use crate::model::{Framework, Lang, LocalizedText, SeqfRule, Task};

/// The framework as an indented tree, with texts in `lang` where they exist.
pub fn framework_outline(framework: &Framework, lang: Lang) -> String {
    let fallbacks = framework.languages.clone();
    let text = |text: &LocalizedText| text.best(lang, &fallbacks).to_string();
    let mut out = String::new();
    let kind = match framework.kind {
        crate::model::FrameworkKind::Framework => "framework",
        crate::model::FrameworkKind::Library => "library",
    };
    let version = if framework.version.is_empty() { String::new() } else { format!(" {}", framework.version) };
    let _ = writeln!(out, "{kind} {}{version}  {}", framework.id, text(&framework.title));
    let languages: Vec<&str> = framework.languages.iter().copied().map(Lang::code).collect();
    let _ = writeln!(out, "  languages     {}", languages.join(", "));
    if let Some(occupation) = &framework.occupation {
        let _ = writeln!(out, "  occupation    {}", text(occupation));
    }
    if let Some(organisation) = &framework.organisation {
        let _ = writeln!(out, "  organisation  {}", text(organisation));
    }
    if !framework.extends.is_empty() {
        let chain: Vec<String> = framework.extends.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "  extends       {}", chain.join(" → "));
    }
    for include in &framework.includes {
        let _ = writeln!(out, "  includes      {include}");
    }

    if !framework.scales.is_empty() {
        let _ = writeln!(out, "\nscales");
        for scale in &framework.scales {
            let levels: Vec<String> =
                scale.levels.iter().map(|level| format!("{} ({})", level.id, text(&level.label))).collect();
            let _ = writeln!(out, "  {:<14} {}", scale.id, levels.join(" < "));
        }
    }

    for area in &framework.areas {
        let _ = writeln!(out, "\narea {}  {}", area.id, text(&area.title));
        for task in &area.tasks {
            let facts = task_facts(task, &framework.id);
            let _ = writeln!(out, "  task {}  {}{facts}", task.id, text(&task.title));
            for criterion in &task.criteria {
                let _ = writeln!(out, "    - {}", text(criterion));
            }
        }
    }

    if !framework.competences.is_empty() {
        let _ = writeln!(out, "\ngeneral competences");
        for competence in &framework.competences {
            let title = text(&competence.title);
            match &competence.scale {
                Some(scale) => writeln!(out, "  {}  {title}  [scale {scale}]", competence.id),
                None => writeln!(out, "  {}  {title}", competence.id),
            }
            .ok();
        }
    }

    for track in &framework.tracks {
        let _ = writeln!(out, "\nlanguage track {}  {}  [{}]", track.id, text(&track.title), track.skill);
        for milestone in &track.milestones {
            let sfi = milestone.sfi.map(|sfi| format!(", SFI {sfi}")).unwrap_or_default();
            let _ = writeln!(out, "  {}  {}  [{}{sfi}]", milestone.id, text(&milestone.title), milestone.cefr);
        }
    }

    if framework.kind == crate::model::FrameworkKind::Framework {
        let _ = writeln!(out, "\ncertificate");
        for rule in &framework.certificate.achieved {
            let _ = writeln!(out, "  achieved      {} from {}", rule.scale, rule.level);
        }
        let seqf = seqf_rule_in_words(framework.certificate.seqf);
        let _ = writeln!(out, "  SeQF          {seqf}");
    }
    if !framework.removed.is_empty() {
        let _ = writeln!(out, "\nremoved by tailoring");
        for removed in &framework.removed {
            let _ = writeln!(out, "  {} {}  (by {})", removed.kind.word(), removed.id, removed.by);
        }
    }
    out
}

/// What the outline says of a task besides its title, in brackets, or
/// nothing when there is nothing to say.
fn task_facts(task: &Task, framework_id: &str) -> String {
    let mut facts = Vec::new();
    if task.required {
        facts.push("required".to_string());
    }
    if let Some(seqf) = task.seqf {
        facts.push(match seqf.dimension {
            Some(dimension) => format!("SeQF {} {dimension}", seqf.level),
            None => format!("SeQF {}", seqf.level),
        });
    }
    if let Some(scale) = &task.scale {
        facts.push(format!("scale {scale}"));
    }
    if let Some(evidence) = task.evidence {
        facts.push(evidence.to_string());
    }
    if !task.overridden_in.is_empty() {
        facts.push(format!("changed in {}", task.overridden_in.join(", ")));
    }
    if task.defined_in != framework_id {
        facts.push(format!("from {}", task.defined_in));
    }
    if facts.is_empty() { String::new() } else { format!("  [{}]", facts.join(", ")) }
}

/// The certificate's rule for stating an SeQF level, in words.
fn seqf_rule_in_words(rule: Option<SeqfRule>) -> String {
    match rule {
        Some(SeqfRule::AllRequired) => {
            "the highest level at which every required task at that level or below is achieved".to_string()
        }
        Some(SeqfRule::Share { percent }) => {
            format!("the highest level at which {percent} % of the tasks at that level or below are achieved")
        }
        None => "no SeQF level is stated".to_string(),
    }
}
