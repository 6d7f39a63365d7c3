//! Pacing: how many interventions of which kind, how deep, how early the
//! first interpretation, how the client took each depth, and which
//! interpretations went deeper than the recent sessions prepared the client
//! for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{count, mean, zero_counts, InterventionFacts, SessionFacts, SessionRef};
use crate::domain::{
    reflection::{RowId, Timing},
    vocabulary::{ClientResponse, InterventionKind},
};

/// Depth levels as the reflection form defines them.
const DEPTHS: std::ops::RangeInclusive<u8> = 1..=5;
/// How many preceding sessions (with interventions) set the depth baseline.
pub(super) const BASELINE_SESSIONS: usize = 3;
/// How far above the baseline an interpretation must go to be premature.
const PREMATURE_MARGIN: u64 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pacing {
    /// The setting the sessions were flagged with, so a page can say what
    /// "over" means.
    pub transference_threshold: u32,
    pub sessions: Vec<SessionPacing>,
    /// Depths 1 to 5, in order. Interventions of any other depth (which
    /// validation does not let through) are left out.
    pub responses_by_depth: Vec<DepthResponses>,
    pub premature_interpretations: Vec<PrematureInterpretation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionPacing {
    pub session: SessionRef,
    /// Every kind, zeros included.
    #[serde(with = "super::slugs::keys")]
    pub by_kind: BTreeMap<InterventionKind, u32>,
    pub interventions: u32,
    pub interpretations: u32,
    /// `None` when the session has no interventions.
    pub interpretation_share: Option<f64>,
    /// `None` when the session has no interventions.
    pub mean_depth: Option<f64>,
    /// Interpretations recorded by phase count as minute 10, 30 or 50.
    /// `None` when the session has no interpretation.
    pub first_interpretation_minute: Option<u8>,
    pub transference_interpretations: u32,
    /// "Above the threshold" means strictly greater: with the default of 3,
    /// a session with 3 transference interpretations is not flagged, one
    /// with 4 is.
    pub over_threshold: bool,
}

/// How the client took the interventions of one depth level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepthResponses {
    pub depth: u8,
    /// Every response, zeros included.
    #[serde(with = "super::slugs::keys")]
    pub responses: BTreeMap<ClientResponse, u32>,
    /// Interventions of this depth with no response recorded.
    pub unrecorded: u32,
}

/// An interpretation at least 2 deeper than the mean depth of all the
/// interventions of the (up to) three preceding sessions that had any, which
/// the client met with a defensive shift, a withdrawal or a rupture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrematureInterpretation {
    pub session: SessionRef,
    pub row: RowId,
    #[serde(with = "super::slugs::one")]
    pub kind: InterventionKind,
    pub depth: u8,
    /// The mean depth it was measured against.
    pub baseline: f64,
    /// Session numbers of the sessions the baseline came from, in order.
    pub baseline_sessions: Vec<u32>,
    #[serde(with = "super::slugs::one")]
    pub response: ClientResponse,
}

impl Pacing {
    pub fn of(sessions: &[SessionFacts], transference_threshold: u32) -> Self {
        Pacing {
            transference_threshold,
            sessions: sessions
                .iter()
                .map(|session| SessionPacing::of(session, transference_threshold))
                .collect(),
            responses_by_depth: responses_by_depth(sessions),
            premature_interpretations: premature_interpretations(sessions),
        }
    }

    /// The sessions with more transference interpretations than the
    /// threshold, in session order.
    pub fn sessions_over_threshold(&self) -> impl Iterator<Item = &SessionPacing> + '_ {
        self.sessions
            .iter()
            .filter(|session| session.over_threshold)
    }
}

impl SessionPacing {
    fn of(session: &SessionFacts, transference_threshold: u32) -> Self {
        let interventions = &session.interventions;
        let mut by_kind = zero_counts(InterventionKind::ALL);
        for intervention in interventions {
            *by_kind.entry(intervention.kind).or_default() += 1;
        }
        let interpretations: Vec<&InterventionFacts> = interventions
            .iter()
            .filter(|intervention| intervention.kind.is_interpretation())
            .collect();
        let transference_interpretations = by_kind[&InterventionKind::TransferenceInterpretation];
        SessionPacing {
            session: session.session_ref(),
            interventions: count(interventions.len()),
            interpretations: count(interpretations.len()),
            interpretation_share: (!interventions.is_empty())
                .then(|| interpretations.len() as f64 / interventions.len() as f64),
            mean_depth: mean(
                interventions
                    .iter()
                    .map(|intervention| f64::from(intervention.depth)),
            ),
            first_interpretation_minute: interpretations
                .iter()
                .map(|interpretation| minute(interpretation.timing))
                .min(),
            transference_interpretations,
            over_threshold: transference_interpretations > transference_threshold,
            by_kind,
        }
    }
}

/// Where an intervention falls on the session's clock, phases included.
fn minute(timing: Timing) -> u8 {
    match timing {
        Timing::Minute(minute) => minute,
        Timing::Phase(phase) => phase.minute_equivalent(),
    }
}

fn responses_by_depth(sessions: &[SessionFacts]) -> Vec<DepthResponses> {
    let mut levels: Vec<DepthResponses> = DEPTHS
        .map(|depth| DepthResponses {
            depth,
            responses: zero_counts(ClientResponse::ALL),
            unrecorded: 0,
        })
        .collect();
    let interventions = sessions.iter().flat_map(|session| &session.interventions);
    for intervention in interventions {
        let Some(level) = levels
            .iter_mut()
            .find(|level| level.depth == intervention.depth)
        else {
            continue;
        };
        match intervention.response {
            Some(response) => *level.responses.entry(response).or_default() += 1,
            None => level.unrecorded += 1,
        }
    }
    levels
}

/// The responses that say an interpretation went further than the client
/// could take.
fn is_adverse(response: ClientResponse) -> bool {
    matches!(
        response,
        ClientResponse::DefensiveShift | ClientResponse::Withdrawal | ClientResponse::Rupture
    )
}

/// The depth the client had recently been met at.
///
/// It is the mean of all the interventions of those sessions pooled, not the
/// mean of the session means: the spec says "mean depth of all
/// interventions", and pooling lets a session with many interventions weigh
/// more than one with a single remark.
struct Baseline {
    depth_sum: u64,
    interventions: u64,
    session_numbers: Vec<u32>,
}

impl Baseline {
    /// `None` when no preceding session had interventions: the first such
    /// session is never flagged.
    fn of(preceding: &[&SessionFacts]) -> Option<Self> {
        if preceding.is_empty() {
            return None;
        }
        let interventions = preceding.iter().flat_map(|session| &session.interventions);
        Some(Baseline {
            depth_sum: interventions
                .clone()
                .map(|intervention| u64::from(intervention.depth))
                .sum(),
            interventions: interventions.count() as u64,
            session_numbers: preceding
                .iter()
                .map(|session| session.session_number)
                .collect(),
        })
    }

    fn mean(&self) -> f64 {
        self.depth_sum as f64 / self.interventions as f64
    }

    /// `depth >= sum / n + 2`, compared as `depth * n >= sum + 2n` so that
    /// float rounding cannot move a depth across the boundary.
    fn is_reached_by(&self, depth: u8) -> bool {
        u64::from(depth) * self.interventions
            >= self.depth_sum + PREMATURE_MARGIN * self.interventions
    }
}

fn premature_interpretations(sessions: &[SessionFacts]) -> Vec<PrematureInterpretation> {
    let mut flags = Vec::new();
    let mut with_interventions: Vec<&SessionFacts> = Vec::new();
    for session in sessions {
        let preceding =
            &with_interventions[with_interventions.len().saturating_sub(BASELINE_SESSIONS)..];
        if let Some(baseline) = Baseline::of(preceding) {
            for intervention in &session.interventions {
                let Some(response) = intervention.response else {
                    continue;
                };
                if intervention.kind.is_interpretation()
                    && is_adverse(response)
                    && baseline.is_reached_by(intervention.depth)
                {
                    flags.push(PrematureInterpretation {
                        session: session.session_ref(),
                        row: intervention.row,
                        kind: intervention.kind,
                        depth: intervention.depth,
                        baseline: baseline.mean(),
                        baseline_sessions: baseline.session_numbers.clone(),
                        response,
                    });
                }
            }
        }
        if !session.interventions.is_empty() {
            with_interventions.push(session);
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::domain::vocabulary::SessionPhase;

    const DEFENSE: InterventionKind = InterventionKind::DefenseInterpretation;
    const TRANSFERENCE: InterventionKind = InterventionKind::TransferenceInterpretation;

    fn with(number: u32, interventions: Vec<InterventionFacts>) -> SessionFacts {
        SessionFacts {
            interventions,
            ..session(number)
        }
    }

    /// A defense interpretation at minute 40 of the given depth and response.
    fn interpretation(row: i64, depth: u8, response: ClientResponse) -> InterventionFacts {
        intervention(row, DEFENSE, Timing::Minute(40), depth, Some(response))
    }

    fn flagged_rows(sessions: &[SessionFacts]) -> Vec<i64> {
        premature_interpretations(sessions)
            .iter()
            .map(|flag| flag.row.0)
            .collect()
    }

    #[test]
    fn a_session_without_interventions_has_zeros_and_no_undefined_ratios() {
        let pacing = Pacing::of(&[session(1)], 3);

        let only = &pacing.sessions[0];
        assert_eq!(only.session.session_number, 1);
        assert_eq!(only.by_kind.len(), 9);
        assert!(only.by_kind.values().all(|&n| n == 0));
        assert_eq!(only.interventions, 0);
        assert_eq!(only.interpretations, 0);
        assert_eq!(only.interpretation_share, None);
        assert_eq!(only.mean_depth, None);
        assert_eq!(only.first_interpretation_minute, None);
        assert_eq!(only.transference_interpretations, 0);
        assert!(!only.over_threshold);
        assert!(pacing.premature_interpretations.is_empty());
    }

    #[test]
    fn a_session_is_counted_by_kind_share_and_depth() {
        // Question d1, clarification d2, transference d4 and d3, defense d5:
        // 5 interventions, 3 interpretations, share 3/5 = 0.6,
        // mean depth (1 + 2 + 4 + 3 + 5) / 5 = 15/5 = 3, 2 transference.
        let busy = with(
            1,
            vec![
                question(1, 1),
                intervention(
                    2,
                    InterventionKind::Clarification,
                    Timing::Minute(8),
                    2,
                    None,
                ),
                intervention(3, TRANSFERENCE, Timing::Minute(20), 4, None),
                intervention(4, TRANSFERENCE, Timing::Minute(30), 3, None),
                intervention(5, DEFENSE, Timing::Minute(45), 5, None),
            ],
        );

        let pacing = SessionPacing::of(&busy, 3);

        assert_eq!(pacing.by_kind[&InterventionKind::Question], 1);
        assert_eq!(pacing.by_kind[&InterventionKind::Clarification], 1);
        assert_eq!(pacing.by_kind[&TRANSFERENCE], 2);
        assert_eq!(pacing.by_kind[&DEFENSE], 1);
        assert_eq!(pacing.by_kind[&InterventionKind::Supportive], 0);
        assert_eq!(
            pacing.by_kind.keys().copied().collect::<Vec<_>>(),
            InterventionKind::ALL
        );
        assert_eq!(pacing.interventions, 5);
        assert_eq!(pacing.interpretations, 3);
        assert_eq!(pacing.interpretation_share, Some(0.6));
        assert_eq!(pacing.mean_depth, Some(3.0));
        // Interpretations at minutes 20, 30 and 45: the first is 20.
        assert_eq!(pacing.first_interpretation_minute, Some(20));
        assert_eq!(pacing.transference_interpretations, 2);
    }

    #[test]
    fn phases_count_as_minutes_10_30_50_for_the_first_interpretation() {
        let at = |row, timing| intervention(row, DEFENSE, timing, 2, None);
        let sessions = [
            // Middle (30) beats minute 35; the question at minute 2 is no interpretation.
            with(
                1,
                vec![
                    question(1, 1),
                    at(2, Timing::Minute(35)),
                    at(3, Timing::Phase(SessionPhase::Middle)),
                ],
            ),
            // Early (10) beats minute 12.
            with(
                2,
                vec![
                    at(4, Timing::Minute(12)),
                    at(5, Timing::Phase(SessionPhase::Early)),
                ],
            ),
            // Minute 49 beats late (50).
            with(
                3,
                vec![
                    at(6, Timing::Phase(SessionPhase::Late)),
                    at(7, Timing::Minute(49)),
                ],
            ),
            // Late (50) beats minute 51.
            with(
                4,
                vec![
                    at(8, Timing::Minute(51)),
                    at(9, Timing::Phase(SessionPhase::Late)),
                ],
            ),
        ];

        let minutes: Vec<_> = Pacing::of(&sessions, 3)
            .sessions
            .iter()
            .map(|session| session.first_interpretation_minute)
            .collect();

        assert_eq!(minutes, [Some(30), Some(10), Some(49), Some(50)]);
    }

    #[test]
    fn the_transference_threshold_is_strictly_greater() {
        let transference = |row| intervention(row, TRANSFERENCE, Timing::Minute(20), 2, None);
        let sessions = [
            with(1, vec![transference(1), transference(2)]),
            with(2, vec![transference(3), transference(4), transference(5)]),
            with(3, vec![transference(6)]),
        ];

        // Threshold 2: 2 is not above it, 3 is, 1 is not.
        let pacing = Pacing::of(&sessions, 2);

        let over: Vec<_> = pacing.sessions.iter().map(|s| s.over_threshold).collect();
        assert_eq!(over, [false, true, false]);
        let listed: Vec<_> = pacing
            .sessions_over_threshold()
            .map(|s| s.session.session_number)
            .collect();
        assert_eq!(listed, [2]);
        assert_eq!(pacing.transference_threshold, 2);
    }

    #[test]
    fn responses_are_mixed_by_depth_across_the_case() {
        use ClientResponse::*;
        let sessions = [
            with(
                1,
                vec![
                    interpretation(1, 1, Agreement),
                    interpretation(2, 1, Agreement),
                    question(3, 1),
                ],
            ),
            with(
                2,
                vec![
                    interpretation(4, 5, Rupture),
                    interpretation(5, 3, NewMaterial),
                ],
            ),
        ];

        let mix = responses_by_depth(&sessions);

        // Depth 1: agreement twice, one unrecorded. Depth 3: new material.
        // Depth 5: rupture. Depths 2 and 4: nothing.
        assert_eq!(
            mix.iter().map(|l| l.depth).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(mix[0].responses[&Agreement], 2);
        assert_eq!(mix[0].unrecorded, 1);
        assert_eq!(mix[0].responses.values().sum::<u32>(), 2);
        assert_eq!(
            mix[1].responses.values().sum::<u32>() + mix[1].unrecorded,
            0
        );
        assert_eq!(mix[2].responses[&NewMaterial], 1);
        assert_eq!(
            mix[3].responses.values().sum::<u32>() + mix[3].unrecorded,
            0
        );
        assert_eq!(mix[4].responses[&Rupture], 1);
        assert_eq!(mix[4].responses.len(), 8);
    }

    #[test]
    fn fewer_than_three_preceding_sessions_make_the_baseline() {
        // Session 1: depths 1 and 2, baseline (1 + 2) / 2 = 1.5, so depth
        // 4 >= 3.5 is flagged and depth 3 < 3.5 is not.
        let sessions = [
            with(1, vec![question(1, 1), question(2, 2)]),
            with(
                2,
                vec![
                    intervention(
                        3,
                        TRANSFERENCE,
                        Timing::Minute(20),
                        4,
                        Some(ClientResponse::Rupture),
                    ),
                    interpretation(4, 3, ClientResponse::Withdrawal),
                ],
            ),
        ];

        let flags = premature_interpretations(&sessions);

        assert_eq!(
            flags,
            [PrematureInterpretation {
                session: sessions[1].session_ref(),
                row: RowId(3),
                kind: TRANSFERENCE,
                depth: 4,
                baseline: 1.5,
                baseline_sessions: vec![1],
                response: ClientResponse::Rupture,
            }]
        );
    }

    #[test]
    fn exactly_three_preceding_sessions_are_pooled() {
        // Session 1 is the fourth back and is left out (with it: (15 + 1 + 2
        // + 9) / 8 = 3.375, and depth 5 < 5.375 would not be flagged).
        // Sessions 2-4 pooled: (1 + 2 + 3*3) / 5 = 12/5 = 2.4, so depth 5 >=
        // 4.4 is flagged and depth 4 < 4.4 is not (the mean of session means,
        // (1 + 2 + 3) / 3 = 2, would have flagged it).
        let sessions = [
            with(1, vec![question(1, 5), question(2, 5), question(3, 5)]),
            with(2, vec![question(4, 1)]),
            with(3, vec![question(5, 2)]),
            with(4, vec![question(6, 3), question(7, 3), question(8, 3)]),
            with(
                5,
                vec![
                    interpretation(9, 5, ClientResponse::Rupture),
                    interpretation(10, 4, ClientResponse::Withdrawal),
                ],
            ),
        ];

        let flags = premature_interpretations(&sessions);

        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].row, RowId(9));
        assert_eq!(flags[0].baseline, 2.4);
        assert_eq!(flags[0].baseline_sessions, [2, 3, 4]);
    }

    #[test]
    fn sessions_without_interventions_are_skipped_for_the_baseline() {
        // The three preceding sessions with interventions are 6, 4 and 2
        // (depth 1 each): baseline 1, so depth 3 >= 3 is flagged. Reaching
        // back to session 1 (depth 3) instead would give (3 + 1 + 1 + 1) / 4
        // = 1.5 and 3 < 3.5.
        let sessions = [
            with(1, vec![question(1, 3)]),
            with(2, vec![question(2, 1)]),
            session(3),
            with(4, vec![question(3, 1)]),
            session(5),
            with(6, vec![question(4, 1)]),
            with(
                7,
                vec![interpretation(5, 3, ClientResponse::DefensiveShift)],
            ),
        ];

        let flags = premature_interpretations(&sessions);

        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].baseline, 1.0);
        assert_eq!(flags[0].baseline_sessions, [2, 4, 6]);
        assert_eq!(flags[0].session.session_number, 7);
    }

    #[test]
    fn never_flagged_in_the_first_session_with_interventions() {
        // Sessions 1-2 have none; session 3 is the first with interventions
        // and has no baseline. Session 4 is measured against all of session
        // 3, interpretation included: (1 + 5) / 2 = 3, and 5 >= 5.
        let sessions = [
            session(1),
            session(2),
            with(
                3,
                vec![
                    question(1, 1),
                    interpretation(2, 5, ClientResponse::Rupture),
                ],
            ),
            with(4, vec![interpretation(3, 5, ClientResponse::Rupture)]),
        ];

        let flags = premature_interpretations(&sessions);

        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].row, RowId(3));
        assert_eq!(flags[0].baseline, 3.0);
        assert_eq!(flags[0].baseline_sessions, [3]);
    }

    #[test]
    fn only_defensive_shift_withdrawal_and_rupture_flag_and_only_interpretations() {
        use ClientResponse::*;
        // Baseline 1: depth 5 is far enough above it every time.
        let deep = vec![
            interpretation(2, 5, EmotionalElaboration),
            interpretation(3, 5, ElaborationOfMeaning),
            interpretation(4, 5, NewMaterial),
            interpretation(5, 5, Agreement),
            interpretation(6, 5, Intellectualizing),
            intervention(7, DEFENSE, Timing::Minute(40), 5, None),
            intervention(
                8,
                InterventionKind::Confrontation,
                Timing::Minute(40),
                5,
                Some(Rupture),
            ),
            interpretation(9, 5, DefensiveShift),
            interpretation(10, 5, Withdrawal),
            interpretation(11, 5, Rupture),
        ];
        let sessions = [with(1, vec![question(1, 1)]), with(2, deep)];

        assert_eq!(flagged_rows(&sessions), [9, 10, 11]);
    }

    #[test]
    fn depth_exactly_two_above_the_baseline_is_flagged_but_not_one_point_nine() {
        // Baseline 2 (two questions of depth 2): depth 4 = 2 + 2 is flagged.
        let at_two = [
            with(1, vec![question(1, 2), question(2, 2)]),
            with(2, vec![interpretation(3, 4, ClientResponse::Rupture)]),
        ];
        assert_eq!(flagged_rows(&at_two), [3]);

        // Baseline (9*2 + 3) / 10 = 21/10 = 2.1: depth 4 is 1.9 above it.
        let mut preceding: Vec<_> = (1..=9).map(|row| question(row, 2)).collect();
        preceding.push(question(10, 3));
        let at_two_point_one = [
            with(1, preceding),
            with(2, vec![interpretation(11, 4, ClientResponse::Rupture)]),
        ];
        assert_eq!(flagged_rows(&at_two_point_one), Vec::<i64>::new());
    }
}
