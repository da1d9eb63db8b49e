//! Texts in the document's language, and the scales as legends show them.

use super::views::{LevelView, ScaleView};
use crate::model::{Framework, Lang, LocalizedText};

/// Every scale of a framework with its levels, lowest first, in `lang`.
pub(in crate::report) fn scale_views(framework: &Framework, lang: Lang) -> Vec<ScaleView> {
    let localize = Localizer::new(framework, lang);
    framework
        .scales
        .iter()
        .map(|scale| ScaleView {
            id: scale.id.clone(),
            title: localize.optional(&scale.title),
            levels: scale
                .levels
                .iter()
                .map(|level| LevelView {
                    id: level.id.clone(),
                    label: localize.text(&level.label),
                    description: localize.optional(&level.description),
                })
                .collect(),
        })
        .collect()
}

/// Picks each text in the document's language, falling back to the
/// framework's languages in order.
pub(in crate::report) struct Localizer<'a> {
    lang: Lang,
    fallbacks: &'a [Lang],
}

impl<'a> Localizer<'a> {
    pub(in crate::report) fn new(framework: &'a Framework, lang: Lang) -> Self {
        Localizer { lang, fallbacks: &framework.languages }
    }

    pub(in crate::report) fn text(&self, text: &LocalizedText) -> String {
        text.best(self.lang, self.fallbacks).to_string()
    }

    pub(in crate::report) fn optional(&self, text: &Option<LocalizedText>) -> Option<String> {
        text.as_ref().map(|t| self.text(t))
    }
}
