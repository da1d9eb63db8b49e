//! Certificate rules of a resolved framework: an achieved level for every
//! scale its tasks are rated with.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Framework, FrameworkKind};

pub(super) fn check_certificate_rules(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    if framework.kind != FrameworkKind::Framework {
        return;
    }
    let mut scales: Vec<&str> = framework.tasks().filter_map(|task| task.scale.as_deref()).collect();
    scales.sort();
    scales.dedup();
    for scale in scales {
        if framework.scale(scale).is_none() || framework.certificate.achieved_from(scale).is_some() {
            continue;
        }
        let levels: Vec<String> =
            framework.scale(scale).map(|s| s.level_ids().map(|l| format!("`{l}`")).collect()).unwrap_or_default();
        let place = framework.certificate.location.unwrap_or(framework.location);
        let block =
            if framework.certificate.location.is_some() { "to this block" } else { "in a `certificate { ... }` block" };
        diagnostics.push(
            Diagnostic::new(
                Code::MissingAchievedLevel,
                format!("the certificate rules do not say which level of `{scale}` counts as achieved"),
            )
            .at(place)
            .hint(format!("add `achieved {scale} from LEVEL` {block}, naming the lowest level that counts as achieved"))
            .hint(format!(
                "the levels of `{scale}`, lowest first, are {}",
                crate::diagnostic::list_words(&levels, "and")
            )),
        );
    }
}
