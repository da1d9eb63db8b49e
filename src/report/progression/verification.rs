//! The verification code a printed certificate carries, derived from what
//! it states.

use sha2::{Digest, Sha256};

use super::views::Progression;

/// Twelve characters derived from what the certificate states, grouped for
/// reading aloud: `7F3A-09C2-B4D1`.
pub(super) fn verification_code(progression: &Progression) -> String {
    let mut hasher = Sha256::new();
    let mut feed = |part: &str| {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    };
    feed(&progression.participant.name);
    feed(&progression.framework.id);
    feed(&progression.framework.version);
    if let Some(period) = &progression.period {
        feed(&period.start.to_string());
        feed(&period.end.to_string());
    }
    for task in progression.areas.iter().flat_map(|a| &a.tasks) {
        feed(&task.id);
        feed(task.current.as_ref().map_or("", |c| c.level.as_str()));
    }
    for competence in &progression.competences {
        feed(&competence.id);
        feed(competence.current.as_ref().map_or("", |c| c.level.as_str()));
    }
    for milestone in progression.language_tracks.iter().flat_map(|t| &t.milestones) {
        feed(&milestone.id);
        feed(&milestone.reached_on.map(|d| d.to_string()).unwrap_or_default());
    }
    feed(&progression.seqf.level.map(|l| l.to_string()).unwrap_or_default());
    if let Some(signed) = &progression.signed {
        feed(&signed.name);
        feed(&signed.date.to_string());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02X}")).collect();
    format!("{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12])
}
