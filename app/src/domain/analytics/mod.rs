//! The numbers of the analytics pages (PRODUCT.md, "Analytics"): pacing,
//! themes and countertransference per case, and the therapist's profile
//! across cases. Pure, so the server, the JSON download and the tests all
//! get the same numbers from the same facts.
//!
//! Every per-choice count is a `BTreeMap` keyed by the vocabulary enum and
//! filled with every choice (zeros included): it iterates in vocabulary order
//! for tables and charts. Choices serialize as their slugs (see `slugs`), so
//! the JSON download is keyed the way the data is stored.

mod countertransference;
pub mod export;
mod pacing;
mod patterns;
mod recent_flags;
mod slugs;
mod themes;

#[cfg(test)]
mod fixtures;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use countertransference::{Countertransference, DimensionSummary, HeatMapRow, Trend};
pub use pacing::{DepthResponses, Pacing, PrematureInterpretation, SessionPacing};
pub use patterns::{
    my_patterns, CasePattern, CaseReactions, DimensionPattern, Direction, DrivingSession,
    NoVerdictReason, Patterns, Verdict,
};
pub use recent_flags::{
    recent_flags, FlagWorthALook, RecentSessions, SessionFlag, BASELINE_SESSIONS_BEFORE,
    RECENT_FLAGS_DAYS,
};
pub use themes::{EpisodeCounts, SessionThemes, ThemeCombination, Themes};

use super::{
    reflection::{Glance, ReflectionId, RowId, Timing},
    vocabulary::{
        ClientResponse, EpisodeWhen, EpisodeWith, InterventionKind, ReactionDimension,
        ResponseOfOther, ResponseOfSelf, Wish,
    },
};

/// One session of a case that has a reflection: only what the analytics
/// need, so the numbers can be computed from either a therapist's own
/// reflections or what a supervisor was shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionFacts {
    pub reflection: ReflectionId,
    pub session_number: u32,
    /// 1 for the case's first week.
    pub week: i64,
    pub reactions: Vec<ReactionFacts>,
    pub interventions: Vec<InterventionFacts>,
    pub episodes: Vec<EpisodeFacts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionFacts {
    pub row: RowId,
    pub dimension: ReactionDimension,
    pub intensity: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterventionFacts {
    pub row: RowId,
    pub kind: InterventionKind,
    pub timing: Timing,
    pub depth: u8,
    pub response: Option<ClientResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeFacts {
    pub row: RowId,
    pub with_whom: EpisodeWith,
    pub when: Option<EpisodeWhen>,
    pub wish: Option<Wish>,
    pub response_of_other: Option<ResponseOfOther>,
    pub response_of_self: Option<ResponseOfSelf>,
}

/// Which session a number belongs to, so every table row, flag and chart
/// point can link back to its reflection and be labelled by session or week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRef {
    pub reflection: ReflectionId,
    pub session_number: u32,
    pub week: i64,
}

impl SessionFacts {
    /// The session's rows at a glance, as timelines show them.
    pub fn glance(&self) -> Glance {
        Glance {
            reactions: self
                .reactions
                .iter()
                .map(|reaction| (reaction.dimension, reaction.intensity))
                .collect(),
            interventions: self.interventions.len(),
            interpretations: self
                .interventions
                .iter()
                .filter(|intervention| intervention.kind.is_interpretation())
                .count(),
            episodes: self.episodes.len(),
        }
    }

    pub fn session_ref(&self) -> SessionRef {
        SessionRef {
            reflection: self.reflection,
            session_number: self.session_number,
            week: self.week,
        }
    }
}

/// Everything the analytics of one case show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseAnalytics {
    pub pacing: Pacing,
    pub themes: Themes,
    pub countertransference: Countertransference,
}

impl CaseAnalytics {
    /// `sessions` are the case's sessions with a reflection, in session
    /// order (the caller sorts: "preceding sessions" and trend lines follow
    /// the order given). `transference_threshold` is the therapist's
    /// setting (default 3).
    pub fn of(sessions: &[SessionFacts], transference_threshold: u32) -> Self {
        CaseAnalytics {
            pacing: Pacing::of(sessions, transference_threshold),
            themes: Themes::of(sessions),
            countertransference: Countertransference::of(sessions),
        }
    }
}

/// A count for every choice of a vocabulary, zeros included, so a table
/// shows the choices that never came up too.
fn zero_counts<K: Ord + Copy>(all: &[K]) -> BTreeMap<K, u32> {
    all.iter().map(|&choice| (choice, 0)).collect()
}

/// Counts whose total fits in `u32` by construction (rows per reflection
/// are bounded), so a plain conversion keeps the types honest.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0_u32), |(sum, n), value| (sum + value, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::domain::vocabulary::SessionPhase;

    #[test]
    fn a_session_at_a_glance_counts_its_rows_and_lists_its_reactions() {
        let mut facts = session(1);
        facts.reactions = vec![
            reaction(1, ReactionDimension::Helpless, 4),
            reaction(2, ReactionDimension::Parental, 2),
        ];
        facts.interventions = vec![
            question(1, 1),
            intervention(
                2,
                InterventionKind::GeneticInterpretation,
                Timing::Minute(40),
                3,
                None,
            ),
            question(3, 2),
        ];
        facts.episodes = vec![episode(1, Some(Wish::BeLoved), None, None)];
        assert_eq!(
            facts.glance(),
            Glance {
                reactions: vec![
                    (ReactionDimension::Helpless, 4),
                    (ReactionDimension::Parental, 2)
                ],
                interventions: 3,
                interpretations: 1,
                episodes: 1,
            }
        );
        assert_eq!(session(2).glance(), Glance::default());
    }

    #[test]
    fn no_sessions_give_empty_but_complete_analytics() {
        let analytics = CaseAnalytics::of(&[], 3);

        assert!(analytics.pacing.sessions.is_empty());
        assert!(analytics.pacing.premature_interpretations.is_empty());
        assert_eq!(analytics.pacing.responses_by_depth.len(), 5);
        assert!(analytics.themes.most_pervasive.is_none());
        assert_eq!(analytics.themes.pervasiveness(), None);
        assert_eq!(analytics.themes.wishes.len(), 8);
        assert!(analytics.countertransference.heat_map.is_empty());
        for summary in analytics.countertransference.dimensions.values() {
            assert_eq!(summary.mean, None);
            assert_eq!(summary.trend, None);
        }
    }

    #[test]
    fn one_session_is_analysed_in_every_view() {
        let mut only = session(1);
        only.reactions = vec![reaction(1, ReactionDimension::Helpless, 4)];
        only.interventions = vec![intervention(
            2,
            InterventionKind::DefenseInterpretation,
            Timing::Phase(SessionPhase::Late),
            3,
            Some(ClientResponse::Rupture),
        )];
        only.episodes = vec![episode(
            3,
            Some(Wish::BeLoved),
            Some(ResponseOfOther::Rejecting),
            Some(ResponseOfSelf::Disappointed),
        )];

        let analytics = CaseAnalytics::of(&[only], 3);

        let pacing = &analytics.pacing.sessions[0];
        assert_eq!(pacing.interventions, 1);
        assert_eq!(pacing.interpretation_share, Some(1.0));
        assert_eq!(pacing.first_interpretation_minute, Some(50));
        // The first session with interventions has no baseline to be premature against.
        assert!(analytics.pacing.premature_interpretations.is_empty());
        // One combination in the one session: 1 / 1.
        assert_eq!(analytics.themes.pervasiveness(), Some(1.0));
        let helpless = &analytics.countertransference.dimensions[&ReactionDimension::Helpless];
        assert_eq!(helpless.mean, Some(4.0));
        // A single point has no trend.
        assert_eq!(helpless.trend, None);
    }

    #[test]
    fn the_download_is_keyed_by_vocabulary_slugs_and_reads_back() {
        let mut first = session(1);
        first.interventions = vec![intervention(
            1,
            InterventionKind::TransferenceInterpretation,
            Timing::Minute(12),
            2,
            None,
        )];
        first.episodes = vec![episode(
            2,
            Some(Wish::BeLoved),
            Some(ResponseOfOther::Rejecting),
            Some(ResponseOfSelf::OpposeOthers),
        )];
        let analytics = CaseAnalytics::of(&[first], 3);

        let json = serde_json::to_value(&analytics).unwrap();

        let by_kind = &json["pacing"]["sessions"][0]["by_kind"];
        assert_eq!(by_kind["transference_interpretation"], 1);
        assert_eq!(by_kind["question"], 0);
        // The CCRT slugs, not the variant names (`be_loved`).
        assert_eq!(json["themes"]["wishes"]["w_loved"], 1);
        assert_eq!(json["themes"]["wishes"]["w_assert"], 0);
        let theme = &json["themes"]["most_pervasive"];
        assert_eq!(theme["wish"], "w_loved");
        assert_eq!(theme["response_of_other"], "ro_rejecting");
        assert_eq!(theme["response_of_self"], "rs_oppose");
        assert_eq!(
            json["themes"]["sessions"][0]["responses_of_self"],
            serde_json::json!(["rs_oppose"])
        );
        assert_eq!(json["themes"]["with_others"]["by_when"]["in_session"], 0);
        assert_eq!(
            json["countertransference"]["dimensions"]["overwhelmed"]["mean"],
            0.0
        );
        let back: CaseAnalytics = serde_json::from_value(json).unwrap();
        assert_eq!(back, analytics);
    }

    #[test]
    fn mean_of_nothing_is_undefined() {
        assert_eq!(mean([]), None);
        // (1 + 2 + 4) / 3 = 7/3.
        assert_eq!(mean([1.0, 2.0, 4.0]), Some(7.0 / 3.0));
    }
}
