//! The period form: which kind of period, and the fields that kind uses.

use serde::{Deserialize, Serialize};

use super::{period::four_digits, Period, PeriodKind};
use crate::domain::{time::parse_iso_date, validation::FieldErrors};

/// The period form as typed: which kind, and the fields that kind uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeriodInput {
    /// `month`, `quarter`, `year` or `custom`.
    pub kind: String,
    /// `YYYY-MM`, for a month.
    pub month: String,
    /// For a quarter or a year.
    pub year: String,
    /// `1`–`4`.
    pub quarter: String,
    /// `YYYY-MM-DD`, for a custom range.
    pub from: String,
    pub to: String,
}

impl PeriodInput {
    pub fn validate(&self) -> Result<Period, FieldErrors> {
        let mut errors = FieldErrors::new();
        let year = || {
            four_digits(self.year.trim())
                .filter(|&year| Period::year(year).is_some())
                .ok_or("Enter the year, for example 2026.")
        };
        let period = match self.kind.trim() {
            "month" => errors.check(
                "month",
                Period::parse(self.month.trim())
                    .filter(|period| matches!(period.kind(), PeriodKind::Month { .. }))
                    .ok_or("Enter the month as year and month, for example 2026-03."),
            ),
            "quarter" => {
                let year = errors.check("year", year());
                let quarter = errors.check(
                    "quarter",
                    self.quarter
                        .trim()
                        .parse::<u32>()
                        .ok()
                        .filter(|quarter| (1..=4).contains(quarter))
                        .ok_or("Choose a quarter from 1 to 4."),
                );
                year.zip(quarter)
                    .and_then(|(year, quarter)| Period::quarter(year, quarter))
            }
            "year" => errors.check("year", year()).and_then(Period::year),
            "custom" => self.custom_range(&mut errors),
            _ => errors.check::<Period, _>(
                "kind",
                Err("Choose a month, a quarter, a year or a range of days."),
            ),
        };
        match period {
            Some(period) if errors.is_empty() => Ok(period),
            _ => Err(errors),
        }
    }

    fn custom_range(&self, errors: &mut FieldErrors) -> Option<Period> {
        let from = errors.check(
            "from",
            parse_iso_date(self.from.trim())
                .ok_or("Enter the first day as a real date, for example 2026-01-05."),
        );
        let to = errors.check(
            "to",
            parse_iso_date(self.to.trim())
                .ok_or("Enter the last day as a real date, for example 2026-02-10."),
        );
        let (from, to) = from.zip(to)?;
        errors.check(
            "to",
            Period::custom(from, to).ok_or("The last day is before the first day."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> i64 {
        parse_iso_date(iso).unwrap()
    }

    fn typed(kind: &str) -> PeriodInput {
        PeriodInput {
            kind: kind.to_string(),
            ..PeriodInput::default()
        }
    }

    #[test]
    fn the_period_form_builds_each_kind() {
        let month = PeriodInput {
            month: "2026-03".to_string(),
            ..typed("month")
        };
        assert_eq!(month.validate(), Ok(Period::month(2026, 3).unwrap()));
        let quarter = PeriodInput {
            year: " 2026 ".to_string(),
            quarter: "4".to_string(),
            ..typed("quarter")
        };
        assert_eq!(quarter.validate(), Ok(Period::quarter(2026, 4).unwrap()));
        let year = PeriodInput {
            year: "2025".to_string(),
            ..typed("year")
        };
        assert_eq!(year.validate(), Ok(Period::year(2025).unwrap()));
        let custom = PeriodInput {
            from: "2026-01-05".to_string(),
            to: "2026-01-05".to_string(),
            ..typed("custom")
        };
        assert_eq!(
            custom.validate(),
            Ok(Period::custom(day("2026-01-05"), day("2026-01-05")).unwrap())
        );
    }

    #[test]
    fn the_period_form_reports_each_field() {
        let error = |input: PeriodInput, field: &str| {
            input.validate().unwrap_err().get(field).map(String::from)
        };
        assert_eq!(
            error(typed("week"), "kind").as_deref(),
            Some("Choose a month, a quarter, a year or a range of days.")
        );
        for bad in ["", "2026", "2026-13", "March"] {
            assert_eq!(
                error(
                    PeriodInput {
                        month: bad.to_string(),
                        ..typed("month")
                    },
                    "month"
                )
                .as_deref(),
                Some("Enter the month as year and month, for example 2026-03."),
                "{bad}"
            );
        }
        let quarter = error(typed("quarter"), "quarter");
        assert_eq!(quarter.as_deref(), Some("Choose a quarter from 1 to 4."));
        for bad in ["", "26", "3000", "year"] {
            assert_eq!(
                error(
                    PeriodInput {
                        year: bad.to_string(),
                        ..typed("year")
                    },
                    "year"
                )
                .as_deref(),
                Some("Enter the year, for example 2026."),
                "{bad}"
            );
        }
        let custom = |from: &str, to: &str| PeriodInput {
            from: from.to_string(),
            to: to.to_string(),
            ..typed("custom")
        };
        assert_eq!(
            error(custom("2026-02-30", "2026-03-01"), "from").as_deref(),
            Some("Enter the first day as a real date, for example 2026-01-05.")
        );
        assert_eq!(
            error(custom("2026-03-01", ""), "to").as_deref(),
            Some("Enter the last day as a real date, for example 2026-02-10.")
        );
        assert_eq!(
            error(custom("2026-03-02", "2026-03-01"), "to").as_deref(),
            Some("The last day is before the first day.")
        );
    }
}
