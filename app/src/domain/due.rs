//! Which active cases are most likely due a reflection tonight, for the
//! home page's "Write session N": a weekly case whose last reflection is
//! six or more days old is due, a twice-weekly one after three days, and so
//! on by the frame of the work. Due cases come first, the longest overdue
//! first; then the others, the soonest due first; cases seen irregularly
//! last. Pure: the caller supplies today.

use serde::{Deserialize, Serialize};

use super::{
    cases::{CaseId, CaseSummary},
    time::parse_iso_date,
    vocabulary::{CaseStatus, SessionFrequency},
};

/// Days after a session when the next one has probably happened, by the
/// frame of the work; `None` when the rhythm is irregular.
pub fn days_between_sessions(frequency: SessionFrequency) -> Option<i64> {
    match frequency {
        SessionFrequency::ThreeOrMoreWeekly => Some(2),
        SessionFrequency::TwiceWeekly => Some(3),
        SessionFrequency::Weekly => Some(6),
        SessionFrequency::Fortnightly => Some(13),
        SessionFrequency::Monthly => Some(27),
        SessionFrequency::Irregular => None,
    }
}

/// An active case as the home page offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueCase {
    pub id: CaseId,
    pub code: String,
    /// The session the next reflection is about.
    pub next_session: u32,
    pub last_session_number: Option<u32>,
    /// `YYYY-MM-DD` of the last reflection's session.
    pub last_reflection: Option<String>,
    /// Days since that session.
    pub days_since: Option<i64>,
    /// Whether the next session has probably happened.
    pub due: bool,
}

/// The active cases of `cases`, most likely due first (see the module).
/// A case with no reflection yet is due: its first session is what is
/// missing.
pub fn due_cases(cases: &[CaseSummary], today: i64) -> Vec<DueCase> {
    let mut ranked: Vec<(Rank, DueCase)> = cases
        .iter()
        .filter(|case| case.status == CaseStatus::Active)
        .map(|case| {
            let days_since = case
                .last_reflection
                .as_deref()
                .and_then(parse_iso_date)
                .map(|day| today - day);
            let interval = days_between_sessions(case.frequency);
            let rank = match (days_since, interval) {
                (None, _) => Rank::Due { overdue: 0 },
                (Some(days), Some(interval)) if days >= interval => Rank::Due {
                    overdue: days - interval,
                },
                (Some(days), Some(interval)) => Rank::NotYet {
                    in_days: interval - days,
                },
                (Some(_), None) => Rank::Irregular,
            };
            let due = matches!(rank, Rank::Due { .. });
            let entry = DueCase {
                id: case.id,
                code: case.code.clone(),
                next_session: case.last_session_number.map_or(1, |n| n.saturating_add(1)),
                last_session_number: case.last_session_number,
                last_reflection: case.last_reflection.clone(),
                days_since,
                due,
            };
            (rank, entry)
        })
        .collect();
    ranked.sort_by(|(a, case_a), (b, case_b)| {
        a.order()
            .cmp(&b.order())
            .then_with(|| case_a.code.cmp(&case_b.code))
    });
    ranked.into_iter().map(|(_, case)| case).collect()
}

#[derive(Debug, Clone, Copy)]
enum Rank {
    Due { overdue: i64 },
    NotYet { in_days: i64 },
    Irregular,
}

impl Rank {
    /// Sorts ascending: due (most overdue first), not yet (soonest first),
    /// irregular.
    fn order(self) -> (u8, i64) {
        match self {
            Rank::Due { overdue } => (0, -overdue),
            Rank::NotYet { in_days } => (1, in_days),
            Rank::Irregular => (2, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-30";

    fn case(
        code: &str,
        frequency: SessionFrequency,
        last: Option<(&str, u32)>,
        status: CaseStatus,
    ) -> CaseSummary {
        CaseSummary {
            id: CaseId(i64::from(code.as_bytes()[0])),
            code: code.to_string(),
            status,
            frequency,
            sessions: i64::from(last.map_or(0, |(_, n)| n)),
            last_reflection: last.map(|(date, _)| date.to_string()),
            last_session_number: last.map(|(_, n)| n),
        }
    }

    fn active(code: &str, frequency: SessionFrequency, last: Option<(&str, u32)>) -> CaseSummary {
        case(code, frequency, last, CaseStatus::Active)
    }

    fn ranked(cases: &[CaseSummary]) -> Vec<(String, bool)> {
        due_cases(cases, parse_iso_date(TODAY).unwrap())
            .into_iter()
            .map(|case| (case.code, case.due))
            .collect()
    }

    fn codes(cases: &[CaseSummary]) -> Vec<String> {
        ranked(cases).into_iter().map(|(code, _)| code).collect()
    }

    #[test]
    fn a_weekly_case_is_due_after_six_days_and_twice_weekly_after_three() {
        use SessionFrequency::*;
        for (frequency, last, due) in [
            (Weekly, "2026-11-24", true),  // 6 days
            (Weekly, "2026-11-25", false), // 5 days
            (TwiceWeekly, "2026-11-27", true),
            (TwiceWeekly, "2026-11-28", false),
            (ThreeOrMoreWeekly, "2026-11-28", true),
            (ThreeOrMoreWeekly, "2026-11-29", false),
            (Fortnightly, "2026-11-17", true),
            (Fortnightly, "2026-11-18", false),
            (Monthly, "2026-11-03", true),
            (Monthly, "2026-11-04", false),
            (Irregular, "2025-01-01", false),
        ] {
            assert_eq!(
                ranked(&[active("A", frequency, Some((last, 3)))]),
                [("A".to_string(), due)],
                "{frequency:?} last {last}"
            );
        }
    }

    #[test]
    fn due_cases_come_first_the_longest_overdue_first() {
        use SessionFrequency::*;
        let cases = [
            active("not-yet-far", Weekly, Some(("2026-11-29", 4))), // due in 5
            active("due-by-1", Weekly, Some(("2026-11-23", 9))),    // 7 days: 1 over
            active("irregular", Irregular, Some(("2026-10-01", 2))),
            active("due-by-4", TwiceWeekly, Some(("2026-11-23", 30))), // 7 days: 4 over
            active("not-yet-soon", Weekly, Some(("2026-11-26", 1))),   // due in 2
            active("first", Weekly, None),
        ];
        assert_eq!(
            codes(&cases),
            [
                "due-by-4",
                "due-by-1",
                "first",
                "not-yet-soon",
                "not-yet-far",
                "irregular"
            ]
        );
    }

    #[test]
    fn closed_cases_are_left_out_and_ties_go_by_code() {
        use SessionFrequency::*;
        let cases = [
            active("B", Weekly, None),
            case("C", Weekly, None, CaseStatus::Closed),
            active("A", Weekly, None),
        ];
        assert_eq!(codes(&cases), ["A", "B"]);
    }

    #[test]
    fn the_next_session_follows_the_last_one_written() {
        let today = parse_iso_date(TODAY).unwrap();
        let cases = [
            active("A", SessionFrequency::Weekly, Some(("2026-11-20", 12))),
            active("B", SessionFrequency::Weekly, None),
        ];
        let due = due_cases(&cases, today);
        assert_eq!((due[0].next_session, due[0].days_since), (13, Some(10)));
        assert_eq!((due[1].next_session, due[1].days_since), (1, None));
    }

    #[test]
    fn a_last_session_in_the_future_is_not_due() {
        // A session dated tomorrow (east of UTC) counts as -1 days ago.
        assert_eq!(
            ranked(&[active(
                "A",
                SessionFrequency::Weekly,
                Some(("2026-12-01", 2))
            )]),
            [("A".to_string(), false)]
        );
    }
}
