//! Areas of a resolved framework: each defined with tasks in it.

use super::framework::own_file;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Framework;

pub(super) fn check_areas(framework: &Framework, diagnostics: &mut Vec<Diagnostic>) {
    for area in &framework.areas {
        if area.tasks.is_empty() && area.location.file == own_file(framework) {
            diagnostics.push(
                Diagnostic::new(Code::EmptyArea, format!("the area `{}` has no tasks", area.id))
                    .at(area.location)
                    .hint("add tasks to it with `task ID \"title\"`, or remove it"),
            );
        }
    }
}
