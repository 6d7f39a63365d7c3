//! Supervision hours per supervisee and period, split by individual and
//! group supervision. Only signed-off meetings count towards the totals;
//! the others are totalled apart, so the page can show what is pending.
//!
//! A meeting belongs to the period its day falls in, whenever it was
//! signed off. Each supervisee in a group meeting received its whole
//! duration. Minutes are summed first and only then shown as hours, so
//! rounding never accumulates.

use serde::{Deserialize, Serialize};

use super::{MeetingFormat, MeetingId, Period};
use crate::domain::accounts::UserId;

/// A meeting as the hours count it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldMeeting {
    pub id: MeetingId,
    /// Days since 1970-01-01.
    pub day: i64,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    pub supervisees: Vec<UserId>,
    /// Unix milliseconds.
    pub signed_off_at: Option<i64>,
}

/// Minutes and meetings, by format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatTotals {
    pub individual_minutes: u32,
    pub group_minutes: u32,
    pub individual_meetings: u32,
    pub group_meetings: u32,
}

impl FormatTotals {
    pub fn total_minutes(self) -> u32 {
        self.individual_minutes.saturating_add(self.group_minutes)
    }

    pub fn meetings(self) -> u32 {
        self.individual_meetings.saturating_add(self.group_meetings)
    }

    fn add(&mut self, meeting: &HeldMeeting) {
        let minutes = u32::from(meeting.duration_minutes);
        let (total, count) = match meeting.format {
            MeetingFormat::Individual => {
                (&mut self.individual_minutes, &mut self.individual_meetings)
            }
            MeetingFormat::Group => (&mut self.group_minutes, &mut self.group_meetings),
        };
        *total = total.saturating_add(minutes);
        *count = count.saturating_add(1);
    }
}

/// One supervisee's hours in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuperviseeHours {
    pub supervisee: UserId,
    /// What counts: signed-off meetings.
    pub signed_off: FormatTotals,
    /// Meetings in the period not signed off yet.
    pub not_signed_off: FormatTotals,
}

/// `supervisee`'s hours in `period`, from any list of meetings (those
/// without them, or outside the period, are passed over).
pub fn hours_of(supervisee: UserId, meetings: &[HeldMeeting], period: Period) -> SuperviseeHours {
    let mut hours = SuperviseeHours {
        supervisee,
        signed_off: FormatTotals::default(),
        not_signed_off: FormatTotals::default(),
    };
    for meeting in meetings
        .iter()
        .filter(|meeting| period.contains(meeting.day) && meeting.supervisees.contains(&supervisee))
    {
        match meeting.signed_off_at {
            Some(_) => hours.signed_off.add(meeting),
            None => hours.not_signed_off.add(meeting),
        }
    }
    hours
}

/// The hours of every supervisee with a meeting in `period`, by user id.
pub fn hours_by_supervisee(meetings: &[HeldMeeting], period: Period) -> Vec<SuperviseeHours> {
    let mut supervisees: Vec<UserId> = meetings
        .iter()
        .filter(|meeting| period.contains(meeting.day))
        .flat_map(|meeting| meeting.supervisees.iter().copied())
        .collect();
    supervisees.sort_by_key(|user| user.0);
    supervisees.dedup();
    supervisees
        .into_iter()
        .map(|supervisee| hours_of(supervisee, meetings, period))
        .collect()
}

/// `1 h 30 min`, `45 min`, `2 h`, `0 min`: for reading.
pub fn format_hours_and_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, rest) => format!("{rest} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, rest) => format!("{hours} h {rest} min"),
    }
}

/// Hours with two decimals, rounded to the nearest hundredth: `1.50`,
/// `0.33` (20 minutes), `0.83` (50 minutes). For statements and the CSV,
/// where boards ask for decimal hours. Never exactly halfway: a minute is
/// 1.666… hundredths, so no tie-break rule is needed.
pub fn decimal_hours(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_iso_date;

    const ANNA: UserId = UserId(10);
    const BEN: UserId = UserId(11);
    /// 2026-04-10 09:00 UTC: March meetings signed off in April still
    /// count in March.
    const SIGNED_IN_APRIL: Option<i64> = Some(1_775_811_600_000);

    fn day(iso: &str) -> i64 {
        parse_iso_date(iso).unwrap()
    }

    fn meeting(
        id: i64,
        date: &str,
        minutes: u16,
        format: MeetingFormat,
        supervisees: &[UserId],
        signed: bool,
    ) -> HeldMeeting {
        HeldMeeting {
            id: MeetingId(id),
            day: day(date),
            duration_minutes: minutes,
            format,
            supervisees: supervisees.to_vec(),
            signed_off_at: if signed { SIGNED_IN_APRIL } else { None },
        }
    }

    fn meetings() -> Vec<HeldMeeting> {
        use MeetingFormat::{Group, Individual};
        vec![
            meeting(1, "2026-03-31", 50, Individual, &[ANNA], true),
            meeting(2, "2026-04-01", 50, Individual, &[ANNA], true),
            meeting(3, "2026-03-15", 90, Group, &[ANNA, BEN], true),
            meeting(4, "2026-03-20", 45, Individual, &[ANNA], false),
            meeting(5, "2026-03-01", 60, Individual, &[BEN], true),
            meeting(6, "2026-02-28", 30, Group, &[ANNA, BEN], false),
            meeting(7, "2025-12-31", 120, Individual, &[ANNA], true),
            meeting(8, "2026-12-31", 20, Individual, &[ANNA], true),
        ]
    }

    fn totals(individual: (u32, u32), group: (u32, u32)) -> FormatTotals {
        FormatTotals {
            individual_minutes: individual.0,
            individual_meetings: individual.1,
            group_minutes: group.0,
            group_meetings: group.1,
        }
    }

    fn hours(supervisee: UserId, period: Option<Period>) -> (FormatTotals, FormatTotals) {
        let hours = hours_of(supervisee, &meetings(), period.unwrap());
        (hours.signed_off, hours.not_signed_off)
    }

    #[test]
    fn a_month_counts_its_last_day_and_not_the_next() {
        // Signed: 50 individual (31 March), 90 group (15 March); 1 April
        // is April's. Not signed: 45 individual (20 March).
        assert_eq!(
            hours(ANNA, Period::month(2026, 3)),
            (totals((50, 1), (90, 1)), totals((45, 1), (0, 0)))
        );
        assert_eq!(
            hours(ANNA, Period::month(2026, 4)),
            (totals((50, 1), (0, 0)), totals((0, 0), (0, 0)))
        );
    }

    #[test]
    fn quarters_and_years_split_at_their_boundaries() {
        // Q1: 31 December 2025 is last year's; 28 February's group meeting
        // is unsigned.
        assert_eq!(
            hours(ANNA, Period::quarter(2026, 1)),
            (totals((50, 1), (90, 1)), totals((45, 1), (30, 1)))
        );
        assert_eq!(
            hours(ANNA, Period::quarter(2026, 2)),
            (totals((50, 1), (0, 0)), FormatTotals::default())
        );
        // 2026: 50 + 50 + 20 individual signed.
        assert_eq!(
            hours(ANNA, Period::year(2026)),
            (totals((120, 3), (90, 1)), totals((45, 1), (30, 1)))
        );
        assert_eq!(
            hours(ANNA, Period::year(2025)),
            (totals((120, 1), (0, 0)), FormatTotals::default())
        );
    }

    #[test]
    fn a_custom_range_includes_both_ends() {
        let range = Period::custom(day("2026-02-28"), day("2026-03-01"));
        assert_eq!(
            hours(BEN, range),
            (totals((60, 1), (0, 0)), totals((0, 0), (30, 1)))
        );
        assert_eq!(
            hours(ANNA, range),
            (FormatTotals::default(), totals((0, 0), (30, 1)))
        );
    }

    #[test]
    fn each_supervisee_in_a_group_receives_its_whole_duration() {
        let march = Period::month(2026, 3).unwrap();
        let all = hours_by_supervisee(&meetings(), march);
        let who: Vec<UserId> = all.iter().map(|hours| hours.supervisee).collect();
        assert_eq!(who, [ANNA, BEN]);
        assert_eq!(all[1].signed_off, totals((60, 1), (90, 1)));
        assert_eq!(all[0].signed_off.total_minutes(), 140);
        assert_eq!(all[0].signed_off.meetings(), 2);
        assert!(hours_by_supervisee(&meetings(), Period::year(2030).unwrap()).is_empty());
    }

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(format_hours_and_minutes(0), "0 min");
        assert_eq!(format_hours_and_minutes(45), "45 min");
        assert_eq!(format_hours_and_minutes(60), "1 h");
        assert_eq!(format_hours_and_minutes(90), "1 h 30 min");
        assert_eq!(format_hours_and_minutes(140), "2 h 20 min");
        assert_eq!(format_hours_and_minutes(52 * 50), "43 h 20 min");
    }

    #[test]
    fn decimal_hours_round_to_the_nearest_hundredth() {
        for (minutes, hours) in [
            (0, "0.00"),
            (1, "0.02"),
            (20, "0.33"),
            (30, "0.50"),
            (45, "0.75"),
            (50, "0.83"),
            (60, "1.00"),
            (90, "1.50"),
            (140, "2.33"),
            (52 * 50, "43.33"),
        ] {
            assert_eq!(decimal_hours(minutes), hours, "{minutes}");
        }
    }

    #[test]
    fn minutes_are_summed_before_rounding() {
        use MeetingFormat::Individual;
        let thirds: Vec<HeldMeeting> = (1..=3)
            .map(|id| meeting(id, &format!("2026-05-0{id}"), 20, Individual, &[ANNA], true))
            .collect();
        let minutes = hours_of(ANNA, &thirds, Period::month(2026, 5).unwrap())
            .signed_off
            .total_minutes();
        // 3 × 0.33 would read 0.99.
        assert_eq!(decimal_hours(minutes), "1.00");
    }
}
