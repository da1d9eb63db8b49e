//! The charts of a progression report: for each area, and for the general
//! competences, the mean level of the rated items at each occasion; for each
//! language track, the milestones reached by each occasion. Computed here
//! once, so that every document format prints the same numbers.

use serde::Serialize;

use super::progression::{AreaProgress, ItemProgress, MilestoneProgress, ScaleView};

/// The chart of mean levels over the occasions, one row an area.
#[derive(Debug, Clone, Serialize)]
pub struct LevelChart {
    /// The labels along the axis, lowest first: the levels of the one scale
    /// every charted item uses. Empty when items use different scales; the
    /// axis then shows shares of a scale instead.
    pub levels: Vec<String>,
    /// One row per area with tasks, in the framework's order, then one for
    /// the general competences if the framework has any.
    pub rows: Vec<LevelRow>,
}

/// One row of the chart: an area, or the general competences.
#[derive(Debug, Clone, Serialize)]
pub struct LevelRow {
    /// The area's id; null in the row of general competences.
    pub area: Option<String>,
    /// The area's title; null in the row of general competences, which the
    /// templates name from their fixed texts.
    pub title: Option<String>,
    /// One entry per occasion; null where none of the row's items was rated.
    pub means: Vec<Option<MeanLevel>>,
    /// How many items the row has, so that a mean over fewer of them (a
    /// task added later, rated only at the last occasions) can say so.
    pub items: usize,
}

/// The mean level of the items rated at one occasion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanLevel {
    /// The mean of the ratings' shares of their own scales (a rating's rank
    /// divided by its scale's number of levels). Tasks in one area may use
    /// scales of different lengths; each rating is measured against its own
    /// scale before they are averaged. The lowest level counts, as the
    /// chart's axis marks each level at the end of its step.
    pub share: f64,
    /// How many items were rated.
    pub rated: usize,
    /// When every rated item uses the same scale: the mean rank on it.
    pub on_scale: Option<ScaleMean>,
}

/// A mean rating on one scale, for labelling the chart in that scale's levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleMean {
    /// The mean rank, 1 for the scale's lowest level.
    pub rank: f64,
    /// The number of levels on the scale.
    pub levels: usize,
}

/// How many of a track's milestones were reached by one occasion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reached {
    /// How many milestones were reached by then.
    pub milestones: usize,
    /// The share of the track's milestones: 0 for a track without any.
    pub share: f64,
}

/// The milestones reached by each of `occasions` occasions.
pub(super) fn reached_by(milestones: &[MilestoneProgress], occasions: usize) -> Vec<Reached> {
    (0..occasions)
        .map(|occasion| {
            let reached = milestones.iter().filter(|m| m.reached_at.is_some_and(|at| at <= occasion)).count();
            Reached { milestones: reached, share: reached as f64 / milestones.len().max(1) as f64 }
        })
        .collect()
}

/// The chart of `areas` and `competences` over `occasions` occasions.
pub(super) fn level_chart(
    areas: &[AreaProgress],
    competences: &[ItemProgress],
    scales: &[ScaleView],
    occasions: usize,
) -> LevelChart {
    let mut rows: Vec<LevelRow> = areas
        .iter()
        .filter(|area| !area.tasks.is_empty())
        .map(|area| LevelRow {
            area: Some(area.id.clone()),
            title: Some(area.title.clone()),
            means: means(&area.tasks, occasions),
            items: area.tasks.len(),
        })
        .collect();
    if !competences.is_empty() {
        rows.push(LevelRow { area: None, title: None, means: means(competences, occasions), items: competences.len() });
    }
    let charted = areas.iter().flat_map(|area| &area.tasks).chain(competences);
    let levels = shared_scale(charted)
        .and_then(|id| scales.iter().find(|scale| scale.id == id))
        .map(|scale| scale.levels.iter().map(|level| level.label.clone()).collect())
        .unwrap_or_default();
    LevelChart { levels, rows }
}

fn means(items: &[ItemProgress], occasions: usize) -> Vec<Option<MeanLevel>> {
    (0..occasions).map(|occasion| mean_at(items, occasion)).collect()
}

/// The mean level of `items` at occasion `occasion`, if any was rated.
fn mean_at(items: &[ItemProgress], occasion: usize) -> Option<MeanLevel> {
    let rated: Vec<(&ItemProgress, usize, f64)> = items
        .iter()
        .filter_map(|item| item.ratings.get(occasion)?.as_ref().map(|rating| (item, rating.rank, rating.share)))
        .collect();
    let count = rated.len();
    if count == 0 {
        return None;
    }
    let share = rated.iter().map(|&(_, _, share)| share).sum::<f64>() / count as f64;
    let on_scale = shared_scale(rated.iter().map(|&(item, _, _)| item)).map(|_| ScaleMean {
        rank: rated.iter().map(|&(_, rank, _)| rank).sum::<usize>() as f64 / count as f64,
        levels: rated[0].0.scale_size,
    });
    Some(MeanLevel { share, rated: count, on_scale })
}

/// The id of the scale all `items` use, if they use one.
fn shared_scale<'a>(items: impl IntoIterator<Item = &'a ItemProgress>) -> Option<&'a str> {
    let mut items = items.into_iter();
    let first = items.next()?.scale.as_deref()?;
    items.all(|item| item.scale.as_deref() == Some(first)).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::progression::{LevelView, RatingView};

    /// An item on `scale` (of `size` levels) rated `ranks` at each occasion.
    fn item(scale: &str, size: usize, ranks: &[Option<usize>]) -> ItemProgress {
        let ratings: Vec<Option<RatingView>> = ranks
            .iter()
            .map(|rank| {
                rank.map(|rank| RatingView {
                    level: format!("level-{rank}"),
                    label: format!("Level {rank}"),
                    rank,
                    share: rank as f64 / size as f64,
                    comment: None,
                })
            })
            .collect();
        ItemProgress {
            id: format!("item-{scale}"),
            title: "An item".to_string(),
            description: None,
            criteria: Vec::new(),
            required: false,
            seqf: None,
            evidence: None,
            scale: Some(scale.to_string()),
            scale_size: size,
            first: ratings.iter().flatten().next().cloned(),
            current: ratings.iter().flatten().last().cloned(),
            ratings,
            change: None,
            achieved: false,
            descriptor: None,
        }
    }

    fn area(id: &str, tasks: Vec<ItemProgress>) -> AreaProgress {
        AreaProgress { id: id.to_string(), title: format!("Area {id}"), tasks, achieved: 0 }
    }

    fn scale(id: &str, size: usize) -> ScaleView {
        let levels = (1..=size)
            .map(|rank| LevelView { id: format!("{id}-{rank}"), label: format!("{id} {rank}"), description: None })
            .collect();
        ScaleView { id: id.to_string(), title: None, levels }
    }

    #[test]
    fn a_milestone_counts_from_the_occasion_it_was_reached_at() {
        let milestone = |reached_at: Option<usize>| MilestoneProgress {
            id: "m".to_string(),
            title: "A milestone".to_string(),
            cefr: crate::model::CefrLevel::A1,
            sfi: None,
            reached_on: None,
            reached_at,
        };
        let reached = reached_by(&[milestone(Some(1)), milestone(None)], 3);
        let counts: Vec<usize> = reached.iter().map(|r| r.milestones).collect();
        assert_eq!(counts, [0, 1, 1]);
        assert_eq!(reached[2].share, 0.5);
        assert_eq!(reached_by(&[], 1), [Reached { milestones: 0, share: 0.0 }], "no milestones, no division by zero");
    }

    #[test]
    fn each_rating_counts_as_a_share_of_its_own_scale() {
        // Level 2 of 4 is half way, level 5 of 5 the top: the mean is 0.75.
        let tasks = vec![item("kub", 4, &[Some(2)]), item("progression", 5, &[Some(5)])];
        let chart = level_chart(&[area("a", tasks)], &[], &[scale("kub", 4), scale("progression", 5)], 1);

        let mean = chart.rows[0].means[0].clone().unwrap();
        assert!((mean.share - 0.75).abs() < 1e-9, "{mean:?}");
        assert_eq!(mean.rated, 2);
        assert_eq!(mean.on_scale, None, "ranks on different scales have no mean rank");
        assert!(chart.levels.is_empty(), "no one scale's labels fit the axis");
    }

    #[test]
    fn items_on_one_scale_have_a_mean_rank_and_label_the_axis() {
        let tasks = vec![item("kub", 4, &[Some(1), Some(2)]), item("kub", 4, &[Some(2), Some(4)])];
        let chart = level_chart(&[area("a", tasks)], &[], &[scale("kub", 4)], 2);

        let means: Vec<MeanLevel> = chart.rows[0].means.iter().flatten().cloned().collect();
        assert_eq!(means[0].on_scale, Some(ScaleMean { rank: 1.5, levels: 4 }));
        assert_eq!(means[1].on_scale, Some(ScaleMean { rank: 3.0, levels: 4 }));
        assert!((means[1].share - 0.75).abs() < 1e-9);
        assert_eq!(chart.levels, ["kub 1", "kub 2", "kub 3", "kub 4"]);
    }

    #[test]
    fn unrated_tasks_do_not_pull_the_mean_down() {
        let tasks = vec![item("kub", 4, &[None, Some(4)]), item("kub", 4, &[None, None])];
        let chart = level_chart(&[area("a", tasks)], &[], &[scale("kub", 4)], 2);

        assert_eq!(chart.rows[0].means[0], None, "nothing rated at the first occasion");
        let second = chart.rows[0].means[1].clone().unwrap();
        assert_eq!((second.share, second.rated), (1.0, 1));
    }

    #[test]
    fn an_area_without_ratings_has_a_row_of_nothing_and_an_empty_area_none() {
        let areas = [
            area("rated", vec![item("kub", 4, &[Some(3)])]),
            area("unrated", vec![item("kub", 4, &[None])]),
            area("empty", Vec::new()),
        ];
        let competences = [item("kub", 4, &[Some(1)])];
        let chart = level_chart(&areas, &competences, &[scale("kub", 4)], 1);

        let rows: Vec<Option<&str>> = chart.rows.iter().map(|row| row.area.as_deref()).collect();
        assert_eq!(rows, [Some("rated"), Some("unrated"), None], "the competences come last, untitled");
        assert_eq!(chart.rows[1].means, [None]);
        assert_eq!(chart.rows[2].means[0].as_ref().map(|mean| mean.share), Some(0.25));
    }
}
