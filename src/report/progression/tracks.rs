//! Language tracks: which milestones were reached when, and the CEFR level
//! each track, and all of them together, add up to.

use super::steps::Steps;
use super::views::{MilestoneProgress, TrackProgress};
use crate::model::{CefrLevel, RatedKind};
use crate::report::level_chart::reached_by;

impl Steps<'_> {
    /// Every track with its milestones and when each was first reached.
    pub(super) fn language_tracks(&self) -> Vec<TrackProgress> {
        let localize = &self.localize;
        self.framework
            .tracks
            .iter()
            .map(|track| {
                let milestones: Vec<MilestoneProgress> = track
                    .milestones
                    .iter()
                    .map(|milestone| {
                        let reached_at = self.first_reached(&milestone.id);
                        MilestoneProgress {
                            id: milestone.id.clone(),
                            title: localize.text(&milestone.title),
                            cefr: milestone.cefr,
                            sfi: milestone.sfi.map(|s| s.word()),
                            reached_on: reached_at.map(|i| self.occasions[i].date),
                            reached_at,
                        }
                    })
                    .collect();
                TrackProgress {
                    id: track.id.clone(),
                    title: localize.text(&track.title),
                    skill: track.skill.word(),
                    level: track_level(&milestones),
                    reached: milestones.iter().filter(|m| m.reached_on.is_some()).count(),
                    reached_by: reached_by(&milestones, self.occasions.len()),
                    milestones,
                }
            })
            .collect()
    }

    /// The index of the first occasion that marked milestone `id` reached.
    fn first_reached(&self, id: &str) -> Option<usize> {
        self.occasions.iter().position(|occasion| {
            occasion.ratings.iter().any(|r| r.kind == RatedKind::Milestone && r.item == id && r.value == "reached")
        })
    }
}

/// The CEFR level the tracks add up to: the lowest of their levels, when
/// every track has one.
pub(super) fn overall_cefr(tracks: &[TrackProgress]) -> Option<CefrLevel> {
    if tracks.is_empty() {
        return None;
    }
    tracks.iter().map(|t| t.level).collect::<Option<Vec<_>>>().and_then(|levels| levels.into_iter().min())
}

/// The highest CEFR level at which every milestone of the track at that
/// level or below is reached.
fn track_level(milestones: &[MilestoneProgress]) -> Option<CefrLevel> {
    let mut levels: Vec<CefrLevel> = milestones.iter().map(|m| m.cefr).collect();
    levels.sort();
    levels.dedup();
    levels
        .into_iter()
        .take_while(|level| milestones.iter().filter(|m| m.cefr <= *level).all(|m| m.reached_on.is_some()))
        .last()
}
