//! The period an hours total or an export covers: a calendar month,
//! quarter or year, or a custom range of days. Every period is a range of
//! whole days, first and last included.

use super::iso_date;
use crate::domain::time::parse_iso_date;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What kind of period, with what identifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month { year: i64, month: u32 },
    Quarter { year: i64, quarter: u32 },
    Year { year: i64 },
    Custom,
}

/// A range of days, first and last included; made only by the
/// constructors, so `first <= last` and both are real dates. Not
/// deserialisable (that would bypass them): it travels as its slug and is
/// read back with [`Period::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    kind: PeriodKind,
    first: i64,
    last: i64,
}

impl Period {
    /// `month` 1–12 of `year` (1900–2999).
    pub fn month(year: i64, month: u32) -> Option<Period> {
        let (first, last) = month_days(year, month)?;
        Some(Period {
            kind: PeriodKind::Month { year, month },
            first,
            last,
        })
    }

    /// `quarter` 1–4 of `year`: January–March, April–June, July–September,
    /// October–December.
    pub fn quarter(year: i64, quarter: u32) -> Option<Period> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let (first, _) = month_days(year, quarter * 3 - 2)?;
        let (_, last) = month_days(year, quarter * 3)?;
        Some(Period {
            kind: PeriodKind::Quarter { year, quarter },
            first,
            last,
        })
    }

    pub fn year(year: i64) -> Option<Period> {
        let (first, _) = month_days(year, 1)?;
        let (_, last) = month_days(year, 12)?;
        Some(Period {
            kind: PeriodKind::Year { year },
            first,
            last,
        })
    }

    /// The days from `first` to `last` (days since 1970-01-01), both
    /// included; `None` when `last` is before `first`.
    pub fn custom(first: i64, last: i64) -> Option<Period> {
        (first <= last).then_some(Period {
            kind: PeriodKind::Custom,
            first,
            last,
        })
    }

    pub fn kind(self) -> PeriodKind {
        self.kind
    }

    pub fn first_day(self) -> i64 {
        self.first
    }

    pub fn last_day(self) -> i64 {
        self.last
    }

    pub fn contains(self, day: i64) -> bool {
        (self.first..=self.last).contains(&day)
    }

    /// `March 2026`, `Q1 2026`, `2026`, `2026-01-05 to 2026-02-10`.
    pub fn label(self) -> String {
        match self.kind {
            PeriodKind::Month { year, month } => {
                let name = MONTH_NAMES[(month as usize).saturating_sub(1) % 12];
                format!("{name} {year}")
            }
            PeriodKind::Quarter { year, quarter } => format!("Q{quarter} {year}"),
            PeriodKind::Year { year } => year.to_string(),
            PeriodKind::Custom => {
                format!("{} to {}", iso_date(self.first), iso_date(self.last))
            }
        }
    }

    /// The form in an address or a file name: `2026-03`, `2026-q1`,
    /// `2026`, `2026-01-05_2026-02-10`.
    pub fn slug(self) -> String {
        match self.kind {
            PeriodKind::Month { year, month } => format!("{year:04}-{month:02}"),
            PeriodKind::Quarter { year, quarter } => format!("{year:04}-q{quarter}"),
            PeriodKind::Year { year } => format!("{year:04}"),
            PeriodKind::Custom => format!("{}_{}", iso_date(self.first), iso_date(self.last)),
        }
    }

    pub fn parse(slug: &str) -> Option<Period> {
        let slug = slug.trim();
        if let Some((first, last)) = slug.split_once('_') {
            return Period::custom(parse_iso_date(first)?, parse_iso_date(last)?);
        }
        match slug.split_once('-') {
            None => Period::year(four_digits(slug)?),
            Some((year, quarter)) if quarter.starts_with('q') && quarter.len() == 2 => {
                Period::quarter(four_digits(year)?, quarter[1..].parse().ok()?)
            }
            Some((year, month)) if month.len() == 2 => {
                Period::month(four_digits(year)?, month.parse().ok()?)
            }
            Some(_) => None,
        }
    }
}

pub(super) fn four_digits(text: &str) -> Option<i64> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The first and last day of a month, if it is a real one.
fn month_days(year: i64, month: u32) -> Option<(i64, i64)> {
    let first = parse_iso_date(&format!("{year:04}-{month:02}-01"))?;
    // The last day is the latest of 31, 30, 29, 28 that exists.
    let last = (28..=31)
        .rev()
        .find_map(|day| parse_iso_date(&format!("{year:04}-{month:02}-{day}")))?;
    Some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> i64 {
        parse_iso_date(iso).unwrap()
    }

    fn days(period: Option<Period>) -> (String, String) {
        let period = period.unwrap();
        (iso_date(period.first_day()), iso_date(period.last_day()))
    }

    fn span(first: &str, last: &str) -> (String, String) {
        (first.to_string(), last.to_string())
    }

    #[test]
    fn months_run_from_their_first_to_their_last_day() {
        assert_eq!(
            days(Period::month(2026, 1)),
            span("2026-01-01", "2026-01-31")
        );
        assert_eq!(
            days(Period::month(2026, 2)),
            span("2026-02-01", "2026-02-28")
        );
        assert_eq!(
            days(Period::month(2024, 2)),
            span("2024-02-01", "2024-02-29")
        );
        assert_eq!(
            days(Period::month(2026, 4)),
            span("2026-04-01", "2026-04-30")
        );
        assert_eq!(
            days(Period::month(2999, 12)),
            span("2999-12-01", "2999-12-31")
        );
        for (year, month) in [(2026, 0), (2026, 13), (1899, 12), (3000, 1)] {
            assert_eq!(Period::month(year, month), None, "{year}-{month}");
        }
    }

    #[test]
    fn the_last_day_belongs_to_the_period_and_the_next_day_does_not() {
        let march = Period::month(2026, 3).unwrap();
        assert!(!march.contains(day("2026-02-28")));
        assert!(march.contains(day("2026-03-01")));
        assert!(march.contains(day("2026-03-31")));
        assert!(!march.contains(day("2026-04-01")));
        let q1 = Period::quarter(2026, 1).unwrap();
        assert!(q1.contains(day("2026-03-31")));
        assert!(!q1.contains(day("2026-04-01")));
        assert!(!q1.contains(day("2025-12-31")));
        let year = Period::year(2026).unwrap();
        assert!(year.contains(day("2026-12-31")));
        assert!(!year.contains(day("2027-01-01")));
    }

    #[test]
    fn quarters_are_three_calendar_months() {
        assert_eq!(
            days(Period::quarter(2026, 1)),
            span("2026-01-01", "2026-03-31")
        );
        assert_eq!(
            days(Period::quarter(2026, 2)),
            span("2026-04-01", "2026-06-30")
        );
        assert_eq!(
            days(Period::quarter(2026, 3)),
            span("2026-07-01", "2026-09-30")
        );
        assert_eq!(
            days(Period::quarter(2026, 4)),
            span("2026-10-01", "2026-12-31")
        );
        assert_eq!(Period::quarter(2026, 0), None);
        assert_eq!(Period::quarter(2026, 5), None);
    }

    #[test]
    fn years_and_custom_ranges() {
        assert_eq!(days(Period::year(2024)), span("2024-01-01", "2024-12-31"));
        assert_eq!(Period::year(3000), None);
        let one_day = Period::custom(day("2026-05-04"), day("2026-05-04")).unwrap();
        assert!(one_day.contains(day("2026-05-04")));
        assert!(!one_day.contains(day("2026-05-05")));
        assert_eq!(Period::custom(day("2026-05-05"), day("2026-05-04")), None);
        assert_eq!(one_day.kind(), PeriodKind::Custom);
    }

    #[test]
    fn periods_have_labels_and_slugs_that_read_back() {
        let cases = [
            (Period::month(2026, 3), "March 2026", "2026-03"),
            (Period::quarter(2026, 1), "Q1 2026", "2026-q1"),
            (Period::year(2026), "2026", "2026"),
            (
                Period::custom(day("2026-01-05"), day("2026-02-10")),
                "2026-01-05 to 2026-02-10",
                "2026-01-05_2026-02-10",
            ),
        ];
        for (period, label, slug) in cases {
            let period = period.unwrap();
            assert_eq!(period.label(), label);
            assert_eq!(period.slug(), slug);
            assert_eq!(Period::parse(slug), Some(period), "{slug}");
        }
        assert_eq!(Period::month(2026, 12).unwrap().label(), "December 2026");
        for bad in [
            "",
            "26",
            "2026-3",
            "2026-13",
            "2026-Q1",
            "2026-q5",
            "2026-q",
            "20x6",
            "2026-02-10_2026-01-05",
            "2026-01-05_",
            "2026-03-01",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }
}
