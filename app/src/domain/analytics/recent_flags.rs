//! The flags worth a look on a therapist's home page: the premature
//! interpretations and the sessions over the transference threshold of the
//! last weeks, across their active cases. The same [`Pacing`] the analytics
//! pages compute, over each case's recent sessions and the sessions the
//! depth baseline needs before them, keeping only the flags of the recent
//! ones.

use serde::{Deserialize, Serialize};

use super::{Pacing, SessionFacts};
use crate::domain::{
    cases::CaseId,
    reflection::ReflectionId,
    vocabulary::{ClientResponse, InterventionKind},
};

/// How far back the home page looks for flags: eight weeks of sessions.
pub const RECENT_FLAGS_DAYS: i64 = 56;

/// How many sessions with interventions before the recent ones a case
/// needs for the first recent session's depth baseline.
pub const BASELINE_SESSIONS_BEFORE: i64 = super::pacing::BASELINE_SESSIONS as i64;

/// One case's sessions as the home page reads them: the recent ones and,
/// before them, those the baseline needs, in session order.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentSessions {
    pub case: CaseId,
    pub code: String,
    pub transference_threshold: u32,
    pub sessions: Vec<SessionFacts>,
    /// The sessions of the window (the others only set the baseline).
    pub recent: Vec<ReflectionId>,
}

/// What was flagged in one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FlagWorthALook {
    /// An interpretation deeper than the recent sessions prepared the
    /// client for, met with a defensive shift, a withdrawal or a rupture.
    PrematureInterpretation {
        kind: InterventionKind,
        depth: u8,
        baseline: f64,
        response: ClientResponse,
    },
    /// More transference interpretations than the case's threshold.
    OverThreshold {
        transference_interpretations: u32,
        threshold: u32,
    },
}

impl FlagWorthALook {
    /// The flag in a few words: structure only, never the therapist's text.
    pub fn describe(&self) -> String {
        match self {
            FlagWorthALook::PrematureInterpretation {
                kind,
                depth,
                baseline,
                response,
            } => format!(
                "possibly premature {}: depth {depth} where the sessions before averaged {baseline:.1}, met with {}",
                kind.label().to_lowercase(),
                response.label().to_lowercase()
            ),
            FlagWorthALook::OverThreshold {
                transference_interpretations,
                threshold,
            } => format!(
                "{transference_interpretations} transference interpretations (threshold {threshold})"
            ),
        }
    }
}

/// A flag and the session it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionFlag {
    pub case: CaseId,
    pub case_code: String,
    pub reflection: ReflectionId,
    pub session_number: u32,
    pub flag: FlagWorthALook,
}

/// The flags of the recent sessions of `cases`, by case in the order given,
/// the latest session first within a case; in one session, the threshold
/// flag first, then the interpretations in the order recorded.
pub fn recent_flags(cases: &[RecentSessions]) -> Vec<SessionFlag> {
    let mut flags = Vec::new();
    for case in cases {
        let pacing = Pacing::of(&case.sessions, case.transference_threshold);
        let mut found: Vec<SessionFlag> = Vec::new();
        let flag =
            |reflection: ReflectionId, session_number: u32, flag: FlagWorthALook| SessionFlag {
                case: case.case,
                case_code: case.code.clone(),
                reflection,
                session_number,
                flag,
            };
        for session in pacing.sessions_over_threshold() {
            found.push(flag(
                session.session.reflection,
                session.session.session_number,
                FlagWorthALook::OverThreshold {
                    transference_interpretations: session.transference_interpretations,
                    threshold: pacing.transference_threshold,
                },
            ));
        }
        for premature in &pacing.premature_interpretations {
            found.push(flag(
                premature.session.reflection,
                premature.session.session_number,
                FlagWorthALook::PrematureInterpretation {
                    kind: premature.kind,
                    depth: premature.depth,
                    baseline: premature.baseline,
                    response: premature.response,
                },
            ));
        }
        found.retain(|flag| case.recent.contains(&flag.reflection));
        // Stable: within a session the threshold flag stays first.
        found.sort_by_key(|flag| std::cmp::Reverse(flag.session_number));
        flags.extend(found);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::domain::reflection::Timing;

    const TRANSFERENCE: InterventionKind = InterventionKind::TransferenceInterpretation;

    fn with(number: u32, interventions: Vec<super::super::InterventionFacts>) -> SessionFacts {
        SessionFacts {
            interventions,
            ..session(number)
        }
    }

    fn deep(row: i64, response: ClientResponse) -> super::super::InterventionFacts {
        intervention(row, TRANSFERENCE, Timing::Minute(40), 5, Some(response))
    }

    fn case(sessions: Vec<SessionFacts>, recent_from: u32) -> RecentSessions {
        RecentSessions {
            case: CaseId(1),
            code: "C-07".to_string(),
            transference_threshold: 3,
            recent: sessions
                .iter()
                .filter(|session| session.session_number >= recent_from)
                .map(|session| session.reflection)
                .collect(),
            sessions,
        }
    }

    fn listed(flags: &[SessionFlag]) -> Vec<(u32, &'static str)> {
        flags
            .iter()
            .map(|flag| {
                let what = match flag.flag {
                    FlagWorthALook::PrematureInterpretation { .. } => "premature",
                    FlagWorthALook::OverThreshold { .. } => "over",
                };
                (flag.session_number, what)
            })
            .collect()
    }

    #[test]
    fn a_recent_interpretation_is_measured_against_the_sessions_before_the_window() {
        // Sessions 1 and 2 (before the window) were met at depth 1: the
        // depth 5 interpretation of session 3, met with a withdrawal, is
        // premature, and only the window's session is flagged.
        let sessions = vec![
            with(1, vec![question(1, 1)]),
            with(2, vec![question(2, 1)]),
            with(3, vec![deep(3, ClientResponse::Withdrawal)]),
        ];
        let flags = recent_flags(&[case(sessions.clone(), 3)]);
        assert_eq!(listed(&flags), [(3, "premature")]);
        assert_eq!(flags[0].reflection, sessions[2].reflection);
        assert_eq!(
            flags[0].flag.describe(),
            "possibly premature transference interpretation: depth 5 where the sessions before averaged 1.0, met with withdrawal"
        );
    }

    #[test]
    fn flags_of_sessions_before_the_window_are_left_out() {
        let four = |row: i64| {
            (0..4)
                .map(|n| intervention(row * 10 + n, TRANSFERENCE, Timing::Minute(20), 2, None))
                .collect::<Vec<_>>()
        };
        let sessions = vec![
            with(1, four(1)),
            with(2, vec![question(2, 2)]),
            with(3, four(3)),
        ];
        let flags = recent_flags(&[case(sessions, 2)]);
        assert_eq!(listed(&flags), [(3, "over")]);
        assert_eq!(
            flags[0].flag.describe(),
            "4 transference interpretations (threshold 3)"
        );
    }

    #[test]
    fn the_latest_session_comes_first_and_the_threshold_flag_before_interpretations() {
        let sessions = vec![
            with(1, vec![question(1, 1)]),
            with(2, vec![deep(2, ClientResponse::Rupture)]),
            with(3, {
                let mut rows = vec![deep(30, ClientResponse::DefensiveShift)];
                rows.extend(
                    (0..3).map(|n| intervention(31 + n, TRANSFERENCE, Timing::Minute(20), 1, None)),
                );
                rows
            }),
        ];
        // Session 3: four transference interpretations, and a depth 5 one
        // against a baseline of (1 + 5) / 2 = 3.
        let flags = recent_flags(&[case(sessions, 1)]);
        assert_eq!(
            listed(&flags),
            [(3, "over"), (3, "premature"), (2, "premature")]
        );
    }
}
