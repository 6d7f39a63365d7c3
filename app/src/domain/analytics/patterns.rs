//! "My patterns": the therapist's usual countertransference profile across
//! their cases, and where one case departs from it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{count, mean, Countertransference, HeatMapRow, SessionRef};
use crate::domain::{cases::CaseId, vocabulary::ReactionDimension};

/// How many standard deviations from the other cases make a departure.
const DEPARTURE_Z: f64 = 1.5;
/// Fewer other cases than this say too little about what is usual.
const MIN_OTHER_CASES: usize = 3;
/// Case means are means of small integers, so equal means can come out of
/// float arithmetic a hair apart: anything this close counts as equal, so
/// that rounding neither invents a spread nor moves a z across 1.5.
const TOLERANCE: f64 = 1e-9;
/// The sessions shown as driving a departure.
const DRIVING_SESSIONS_MAX: usize = 3;

/// One of the therapist's cases, with its countertransference analytics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReactions {
    pub case: CaseId,
    pub code: String,
    pub countertransference: Countertransference,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patterns {
    /// Per dimension, the mean of the case means over the cases with
    /// sessions; `None` when no case has any.
    #[serde(with = "super::slugs::keys")]
    pub profile: BTreeMap<ReactionDimension, Option<f64>>,
    /// The cases with sessions, in the order given; a case without sessions
    /// has no case mean and is left out of everything.
    pub cases: Vec<CasePattern>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasePattern {
    pub case: CaseId,
    pub code: String,
    pub sessions: u32,
    /// Every dimension.
    #[serde(with = "super::slugs::keys")]
    pub dimensions: BTreeMap<ReactionDimension, DimensionPattern>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionPattern {
    pub case_mean: f64,
    /// The mean of the other cases' means; `None` when there is no other
    /// case with sessions.
    pub others_mean: Option<f64>,
    /// Population SD of the other cases' means; `None` likewise.
    pub others_sd: Option<f64>,
    pub verdict: Verdict,
}

/// `z` is (case mean − mean of the other cases' means) / population SD of
/// the other cases' means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// `|z| >= 1.5`.
    Departs {
        z: f64,
        direction: Direction,
        /// The sessions whose cell lies on the same side of the other
        /// cases' mean as the departure, furthest first (ties in session
        /// order), at most 3: where to look first.
        driving_sessions: Vec<DrivingSession>,
    },
    WithinUsual {
        z: f64,
    },
    NoVerdict(NoVerdictReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Felt more strongly than usual.
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoVerdictReason {
    /// Fewer than 3 other cases with sessions.
    TooFewOtherCases,
    /// The other cases' means are all the same, so there is no usual
    /// spread to measure a departure against.
    ZeroSpread,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrivingSession {
    pub session: SessionRef,
    pub cell: u8,
    /// Cell − the other cases' mean.
    pub deviation: f64,
}

/// The profile and the per-case verdicts. Case means are taken from each
/// case's heat map, so they and the driving sessions come from the same
/// cells.
pub fn my_patterns(cases: &[CaseReactions]) -> Patterns {
    let counted: Vec<(&CaseReactions, BTreeMap<ReactionDimension, f64>)> = cases
        .iter()
        .filter_map(|case| Some((case, case_means(&case.countertransference.heat_map)?)))
        .collect();
    let profile = ReactionDimension::ALL
        .iter()
        .map(|dimension| {
            let means = counted.iter().map(|(_, means)| means[dimension]);
            (*dimension, mean(means))
        })
        .collect();
    let patterns = counted
        .iter()
        .enumerate()
        .map(|(index, (case, means))| {
            let heat_map = &case.countertransference.heat_map;
            let dimensions = ReactionDimension::ALL
                .iter()
                .map(|dimension| {
                    let others: Vec<f64> = counted
                        .iter()
                        .enumerate()
                        .filter(|&(other, _)| other != index)
                        .map(|(_, (_, means))| means[dimension])
                        .collect();
                    let pattern = judge(*dimension, means[dimension], &others, heat_map);
                    (*dimension, pattern)
                })
                .collect();
            CasePattern {
                case: case.case,
                code: case.code.clone(),
                sessions: count(heat_map.len()),
                dimensions,
            }
        })
        .collect();
    Patterns {
        profile,
        cases: patterns,
    }
}

/// `None` for a case without sessions.
fn case_means(heat_map: &[HeatMapRow]) -> Option<BTreeMap<ReactionDimension, f64>> {
    ReactionDimension::ALL
        .iter()
        .map(|&dimension| {
            let cells = heat_map.iter().map(|row| f64::from(row.cell(dimension)));
            Some((dimension, mean(cells)?))
        })
        .collect()
}

fn judge(
    dimension: ReactionDimension,
    case_mean: f64,
    others: &[f64],
    heat_map: &[HeatMapRow],
) -> DimensionPattern {
    let others_mean = mean(others.iter().copied());
    let others_sd = others_mean.map(|others_mean| {
        let variance = mean(others.iter().map(|x| (x - others_mean).powi(2)));
        variance.unwrap_or(0.0).sqrt()
    });
    let verdict = match (others_mean, others_sd) {
        (Some(others_mean), Some(sd)) if others.len() >= MIN_OTHER_CASES => {
            if sd <= TOLERANCE {
                Verdict::NoVerdict(NoVerdictReason::ZeroSpread)
            } else {
                let z = (case_mean - others_mean) / sd;
                if z.abs() >= DEPARTURE_Z - TOLERANCE {
                    let direction = if z > 0.0 {
                        Direction::Up
                    } else {
                        Direction::Down
                    };
                    Verdict::Departs {
                        z,
                        direction,
                        driving_sessions: driving_sessions(
                            dimension,
                            others_mean,
                            direction,
                            heat_map,
                        ),
                    }
                } else {
                    Verdict::WithinUsual { z }
                }
            }
        }
        _ => Verdict::NoVerdict(NoVerdictReason::TooFewOtherCases),
    };
    DimensionPattern {
        case_mean,
        others_mean,
        others_sd,
        verdict,
    }
}

fn driving_sessions(
    dimension: ReactionDimension,
    others_mean: f64,
    direction: Direction,
    heat_map: &[HeatMapRow],
) -> Vec<DrivingSession> {
    let sign = match direction {
        Direction::Up => 1.0,
        Direction::Down => -1.0,
    };
    let mut driving: Vec<DrivingSession> = heat_map
        .iter()
        .map(|row| DrivingSession {
            session: row.session,
            cell: row.cell(dimension),
            deviation: f64::from(row.cell(dimension)) - others_mean,
        })
        .filter(|session| session.deviation * sign > 0.0)
        .collect();
    // Stable: equally far sessions stay in session order.
    driving.sort_by(|a, b| (b.deviation * sign).total_cmp(&(a.deviation * sign)));
    driving.truncate(DRIVING_SESSIONS_MAX);
    driving
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::SessionFacts;
    use super::*;
    use ReactionDimension::*;

    /// A case whose sessions felt `Overwhelmed` at the given intensities
    /// (0: not recorded) and nothing else.
    fn case(id: i64, overwhelmed: &[u8]) -> CaseReactions {
        let sessions: Vec<SessionFacts> = overwhelmed
            .iter()
            .zip(1..)
            .map(|(&intensity, number)| SessionFacts {
                reactions: if intensity == 0 {
                    Vec::new()
                } else {
                    vec![reaction(1, Overwhelmed, intensity)]
                },
                ..session(number)
            })
            .collect();
        CaseReactions {
            case: CaseId(id),
            code: format!("C-{id}"),
            countertransference: Countertransference::of(&sessions),
        }
    }

    fn overwhelmed(patterns: &Patterns, id: i64) -> &DimensionPattern {
        let case = patterns
            .cases
            .iter()
            .find(|case| case.case == CaseId(id))
            .unwrap();
        &case.dimensions[&Overwhelmed]
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-4,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn no_cases_give_no_profile() {
        let patterns = my_patterns(&[]);
        assert!(patterns.cases.is_empty());
        assert_eq!(patterns.profile.len(), 8);
        assert!(patterns.profile.values().all(Option::is_none));
    }

    #[test]
    fn two_other_cases_give_no_verdict_and_cases_without_sessions_are_skipped() {
        // Three cases with sessions (means 1, 2, 4) and one without: each
        // counted case has only 2 others.
        let cases = [case(1, &[1]), case(2, &[2]), case(3, &[]), case(4, &[4])];

        let patterns = my_patterns(&cases);

        // Profile (1 + 2 + 4) / 3 = 7/3; case 3 counts for nothing.
        assert_eq!(patterns.profile[&Overwhelmed], Some(7.0 / 3.0));
        let ids: Vec<_> = patterns.cases.iter().map(|case| case.case).collect();
        assert_eq!(ids, [CaseId(1), CaseId(2), CaseId(4)]);
        for case in &patterns.cases {
            for pattern in case.dimensions.values() {
                assert_eq!(
                    pattern.verdict,
                    Verdict::NoVerdict(NoVerdictReason::TooFewOtherCases)
                );
            }
        }
        // Case 4 against cases 1 and 2: mean 1.5, SD 0.5 (shown, though too few).
        let fourth = overwhelmed(&patterns, 4);
        assert_eq!(fourth.case_mean, 4.0);
        assert_eq!(fourth.others_mean, Some(1.5));
        assert_eq!(fourth.others_sd, Some(0.5));
    }

    #[test]
    fn equal_other_means_give_no_verdict_for_zero_spread() {
        // Cases 1-3 each have cells 1, 0, 0: mean 1/3, however the floats
        // round. Case 4 (mean 5) would otherwise depart infinitely far.
        let cases = [
            case(1, &[1, 0, 0]),
            case(2, &[0, 1, 0]),
            case(3, &[0, 0, 1]),
            case(4, &[5]),
        ];

        let patterns = my_patterns(&cases);

        assert_eq!(
            overwhelmed(&patterns, 4).verdict,
            Verdict::NoVerdict(NoVerdictReason::ZeroSpread)
        );
        // The seven dimensions nobody felt: all means 0, no spread anywhere.
        for case in &patterns.cases {
            assert_eq!(
                case.dimensions[&Helpless].verdict,
                Verdict::NoVerdict(NoVerdictReason::ZeroSpread)
            );
        }
    }

    #[test]
    fn a_clear_departure_with_its_driving_sessions() {
        // Case means: 1, 1, 3, 3, and case 5 with cells 3, 1, 5, 4, 5, 3:
        // mean 21/6 = 3.5.
        let cases = [
            case(1, &[1]),
            case(2, &[1]),
            case(3, &[3]),
            case(4, &[3]),
            case(5, &[3, 1, 5, 4, 5, 3]),
        ];

        let patterns = my_patterns(&cases);

        // Profile: (1 + 1 + 3 + 3 + 3.5) / 5 = 11.5 / 5 = 2.3.
        assert_close(patterns.profile[&Overwhelmed].unwrap(), 2.3);
        assert_eq!(patterns.profile[&Sexualized], Some(0.0));

        // Case 5 against 1, 1, 3, 3: mean 2, SD sqrt((1 + 1 + 1 + 1) / 4) =
        // 1, z = (3.5 - 2) / 1 = 1.5: exactly on the boundary, so it departs,
        // upwards. Deviations of its cells from 2: +1, -1, +3, +2, +3, +1;
        // upward, furthest first, ties in session order, at most 3: sessions
        // 3 (+3), 5 (+3), 4 (+2).
        let fifth = overwhelmed(&patterns, 5);
        assert_eq!(fifth.case_mean, 3.5);
        assert_eq!(fifth.others_mean, Some(2.0));
        assert_eq!(fifth.others_sd, Some(1.0));
        let Verdict::Departs {
            z,
            direction,
            driving_sessions,
        } = &fifth.verdict
        else {
            panic!("expected a departure, got {:?}", fifth.verdict);
        };
        assert_eq!(*z, 1.5);
        assert_eq!(*direction, Direction::Up);
        let driving: Vec<_> = driving_sessions
            .iter()
            .map(|d| (d.session.session_number, d.cell, d.deviation))
            .collect();
        assert_eq!(driving, [(3, 5, 3.0), (5, 5, 3.0), (4, 4, 2.0)]);

        // Case 1 against 1, 3, 3, 3.5: mean 10.5 / 4 = 2.625; squared
        // deviations 2.640625 + 0.140625 + 0.140625 + 0.765625 = 3.6875,
        // variance 3.6875 / 4 = 0.921875, SD 0.960143; z = (1 - 2.625) /
        // 0.960143 = -1.692455: departs downwards, driven by its one session
        // (cell 1, deviation -1.625).
        let first = overwhelmed(&patterns, 1);
        assert_close(first.others_mean.unwrap(), 2.625);
        assert_close(first.others_sd.unwrap(), 0.960143);
        let Verdict::Departs {
            z,
            direction,
            driving_sessions,
        } = &first.verdict
        else {
            panic!("expected a departure, got {:?}", first.verdict);
        };
        assert_close(*z, -1.692455);
        assert_eq!(*direction, Direction::Down);
        assert_eq!(driving_sessions.len(), 1);
        assert_eq!(driving_sessions[0].session.session_number, 1);
        assert_eq!(driving_sessions[0].deviation, -1.625);

        // Case 3 against 1, 1, 3, 3.5: mean 8.5 / 4 = 2.125; squared
        // deviations 1.265625 + 1.265625 + 0.765625 + 1.890625 = 5.1875,
        // variance 1.296875, SD 1.138804; z = 0.875 / 1.138804 = 0.768350.
        let third = overwhelmed(&patterns, 3);
        let Verdict::WithinUsual { z } = third.verdict else {
            panic!("expected within usual, got {:?}", third.verdict);
        };
        assert_close(z, 0.768350);
    }

    #[test]
    fn just_under_one_and_a_half_sd_is_within_usual() {
        // Case 5 cells 3, 1, 5, 4, 5, 2: mean 20/6 = 3.333…, z against 1, 1,
        // 3, 3 (mean 2, SD 1) = 1.333… < 1.5.
        let cases = [
            case(1, &[1]),
            case(2, &[1]),
            case(3, &[3]),
            case(4, &[3]),
            case(5, &[3, 1, 5, 4, 5, 2]),
        ];

        let patterns = my_patterns(&cases);

        let Verdict::WithinUsual { z } = overwhelmed(&patterns, 5).verdict else {
            panic!("expected within usual");
        };
        assert_close(z, 4.0 / 3.0);
    }

    #[test]
    fn verdicts_travel_as_tagged_json() {
        let departs = Verdict::Departs {
            z: 2.0,
            direction: Direction::Up,
            driving_sessions: Vec::new(),
        };
        assert_eq!(
            serde_json::to_value(&departs).unwrap(),
            serde_json::json!({"departs": {"z": 2.0, "direction": "up", "driving_sessions": []}})
        );
        assert_eq!(
            serde_json::to_value(Verdict::NoVerdict(NoVerdictReason::ZeroSpread)).unwrap(),
            serde_json::json!({"no_verdict": "zero_spread"})
        );
    }
}
