//! The steps that turn an assessment's ratings into each item's progress:
//! ordering the occasions, finding the rating that counts and whether it is
//! achieved, and the counts a summary states.

use super::localize::Localizer;
use super::views::*;
use rustc_hash::FxHashMap;

use crate::model::{Assessment, Framework, Lang, Occasion, OccasionKind, RatedKind, Rating, Scale, Task};

/// What every step of a progression needs: the framework, the language and
/// the occasions in date order.
pub(super) struct Steps<'a> {
    pub(super) framework: &'a Framework,
    pub(super) localize: Localizer<'a>,
    pub(super) occasions: Vec<&'a Occasion>,
    /// Each occasion's ratings by what they rate, the first written where
    /// an item is rated twice: every item of the framework is looked up at
    /// every occasion, which a search through the ratings would make take
    /// items × ratings steps.
    rated_at: Vec<FxHashMap<(RatedKind, &'a str), &'a Rating>>,
    /// The occasion whose ratings count: the last final, else the latest.
    counting: Option<usize>,
}

/// An item's ratings and what follows from them, whatever kind of item it is.
struct Rated {
    scale_size: usize,
    ratings: Vec<Option<RatingView>>,
    first: Option<RatingView>,
    current: Option<RatingView>,
    change: Option<i64>,
    achieved: bool,
}

impl Rated {
    /// The progress of an item with these ratings, with nothing beyond what
    /// every kind of item has.
    fn into_item(self, id: &str, title: String, description: Option<String>, scale: &Option<String>) -> ItemProgress {
        ItemProgress {
            id: id.to_string(),
            title,
            description,
            criteria: Vec::new(),
            required: false,
            seqf: None,
            evidence: None,
            scale: scale.clone(),
            scale_size: self.scale_size,
            ratings: self.ratings,
            first: self.first,
            current: self.current,
            change: self.change,
            achieved: self.achieved,
            descriptor: None,
        }
    }
}

impl<'a> Steps<'a> {
    pub(super) fn new(assessment: &'a Assessment, framework: &'a Framework, lang: Lang) -> Self {
        let mut occasions: Vec<&Occasion> = assessment.occasions.iter().collect();
        // A stable sort keeps occasions on the same day in the order written.
        occasions.sort_by_key(|occasion| occasion.date);
        let counting =
            occasions.iter().rposition(|o| o.kind == OccasionKind::Final).or_else(|| occasions.len().checked_sub(1));
        let rated_at = occasions
            .iter()
            .map(|occasion| {
                let mut by_item = FxHashMap::with_capacity_and_hasher(occasion.ratings.len(), Default::default());
                for rating in &occasion.ratings {
                    by_item.entry((rating.kind, rating.item.as_str())).or_insert(rating);
                }
                by_item
            })
            .collect();
        Steps { framework, localize: Localizer::new(framework, lang), occasions, rated_at, counting }
    }

    pub(super) fn framework_view(&self) -> FrameworkView {
        let (framework, localize) = (self.framework, &self.localize);
        FrameworkView {
            id: framework.id.clone(),
            version: framework.version.clone(),
            title: localize.text(&framework.title),
            occupation: localize.optional(&framework.occupation),
            organisation: localize.optional(&framework.organisation),
            description: localize.optional(&framework.description),
            extends: framework.extends.iter().map(ToString::to_string).collect(),
            extends_titles: framework
                .extends
                .iter()
                .zip(&framework.extends_titles)
                .map(|(parent, title)| format!("{} {}", localize.text(title), parent.version))
                .collect(),
        }
    }

    /// The ratings of item `id` at each occasion, on `scale`.
    fn ratings(&self, kind: RatedKind, id: &str, scale: Option<&Scale>) -> Vec<Option<RatingView>> {
        self.rated_at
            .iter()
            .map(|rated| {
                let rating = *rated.get(&(kind, id))?;
                let scale = scale?;
                let rank = scale.rank(&rating.value)?;
                Some(RatingView {
                    level: rating.value.clone(),
                    label: self.localize.text(&scale.levels[rank].label),
                    rank: rank + 1,
                    share: (rank + 1) as f64 / scale.levels.len() as f64,
                    comment: rating.comment.clone(),
                })
            })
            .collect()
    }

    fn rated(&self, kind: RatedKind, id: &str, rated_with: &Option<String>) -> Rated {
        let scale = self.framework.scale_of(rated_with);
        let ratings = self.ratings(kind, id, scale);
        let first = ratings.iter().flatten().next().cloned();
        // An item not rated again keeps its latest rating, as a seasonal
        // task assessed in the winter does at a summer final assessment.
        let current = self.counting.and_then(|index| ratings[..=index].iter().flatten().last().cloned());
        let change = match (&first, &current) {
            (Some(first), Some(current)) => Some(current.rank as i64 - first.rank as i64),
            _ => None,
        };
        let achieved = match (&current, scale) {
            (Some(current), Some(scale)) => self
                .framework
                .certificate
                .achieved_from(&scale.id)
                .and_then(|rule| scale.rank(&rule.level))
                .is_some_and(|from| current.rank > from),
            _ => false,
        };
        Rated { scale_size: scale.map_or(0, |s| s.levels.len()), ratings, first, current, change, achieved }
    }

    pub(super) fn areas(&self) -> Vec<AreaProgress> {
        let localize = &self.localize;
        self.framework
            .areas
            .iter()
            .map(|area| {
                let tasks: Vec<ItemProgress> = area.tasks.iter().map(|task| self.task(task)).collect();
                AreaProgress {
                    id: area.id.clone(),
                    title: localize.text(&area.title),
                    achieved: tasks.iter().filter(|t| t.achieved).count(),
                    tasks,
                }
            })
            .collect()
    }

    fn task(&self, task: &Task) -> ItemProgress {
        let localize = &self.localize;
        let rated = self.rated(RatedKind::Task, &task.id, &task.scale);
        ItemProgress {
            criteria: task.criteria.iter().map(|c| localize.text(c)).collect(),
            required: task.required,
            seqf: task
                .seqf
                .map(|seqf| SeqfView { level: seqf.level.get(), dimension: seqf.dimension.map(|d| d.word()) }),
            evidence: task.evidence.map(|e| e.word().to_string()),
            ..rated.into_item(&task.id, localize.text(&task.title), localize.optional(&task.description), &task.scale)
        }
    }

    pub(super) fn competences(&self) -> Vec<ItemProgress> {
        let localize = &self.localize;
        self.framework
            .competences
            .iter()
            .map(|competence| {
                let rated = self.rated(RatedKind::Competence, &competence.id, &competence.scale);
                let descriptor = rated.current.as_ref().and_then(|current| {
                    competence.descriptors.iter().find(|d| d.level == current.level).map(|d| localize.text(&d.text))
                });
                let title = localize.text(&competence.title);
                let description = localize.optional(&competence.description);
                ItemProgress { descriptor, ..rated.into_item(&competence.id, title, description, &competence.scale) }
            })
            .collect()
    }

    pub(super) fn goals(&self, assessment: &Assessment) -> Vec<GoalView> {
        assessment
            .goals
            .iter()
            .map(|goal| GoalView {
                task: goal
                    .task
                    .as_ref()
                    .and_then(|id| self.framework.task(&id.value))
                    .map(|task| self.localize.text(&task.title)),
                text: goal.text.clone(),
            })
            .collect()
    }
}

pub(super) fn summarise(tasks: &[&ItemProgress], tracks: &[TrackProgress]) -> Summary {
    Summary {
        tasks: tasks.len(),
        tasks_rated: tasks.iter().filter(|t| t.current.is_some()).count(),
        tasks_achieved: tasks.iter().filter(|t| t.achieved).count(),
        required_tasks: tasks.iter().filter(|t| t.required).count(),
        required_achieved: tasks.iter().filter(|t| t.required && t.achieved).count(),
        milestones: tracks.iter().map(|t| t.milestones.len()).sum(),
        milestones_reached: tracks.iter().map(|t| t.reached).sum(),
    }
}
