//! Showing instants: Unix milliseconds as UTC calendar time, without a
//! time-zone database (the browser and the server must render the same text).

/// `2026-11-22 14:05 UTC`.
pub fn format_utc_minute(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        second_of_day / 3600,
        second_of_day % 3600 / 60
    )
}

/// Days since 1970-01-01 of an instant, in UTC.
pub fn utc_day(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(86_400_000)
}

/// `2026-11-22`.
pub fn format_utc_date(unix_ms: i64) -> String {
    let (year, month, day) = civil_from_days(utc_day(unix_ms));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The date `days` after `iso_date` (`YYYY-MM-DD`), or `None` when the
/// input is not a real calendar date.
pub fn add_days(iso_date: &str, days: i64) -> Option<String> {
    let (year, month, day) = civil_from_days(parse_iso_date(iso_date)? + days);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// The week of a case a session falls in: 1 for the seven days from the
/// case's start, as the database computes it from day numbers (its integer
/// division truncates toward zero, so the week before the start is also 1).
/// `None` when either is not a real calendar date.
pub fn case_week(start_date: &str, session_date: &str) -> Option<i64> {
    Some((parse_iso_date(session_date)? - parse_iso_date(start_date)?) / 7 + 1)
}

/// Days since 1970-01-01 of a real calendar date written `YYYY-MM-DD`
/// (years 1900–2999), or `None`.
pub fn parse_iso_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1900..=2999).contains(&year) || !(1..=days_in_month).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month as u32, day as u32))
}

/// (year, month, day) to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = i64::from((month + 9) % 12);
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_weeks_count_seven_days_from_the_start() {
        assert_eq!(case_week("2026-01-05", "2026-01-05"), Some(1));
        assert_eq!(case_week("2026-01-05", "2026-01-11"), Some(1));
        assert_eq!(case_week("2026-01-05", "2026-01-12"), Some(2));
        assert_eq!(case_week("2025-12-29", "2026-12-28"), Some(53));
        // As SQL's integer division: the six days before the start are week 1 too.
        assert_eq!(case_week("2026-01-05", "2025-12-30"), Some(1));
        assert_eq!(case_week("2026-01-05", "2025-12-29"), Some(0));
        assert_eq!(case_week("2026-01-05", "2026-02-30"), None);
        assert_eq!(case_week("", "2026-01-05"), None);
    }

    #[test]
    fn epoch_and_known_instants() {
        assert_eq!(format_utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc_minute(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc_minute(1_795_356_300_000), "2026-11-22 14:05 UTC");
        assert_eq!(format_utc_date(1_795_356_300_000), "2026-11-22");
    }

    #[test]
    fn last_moment_of_a_year() {
        assert_eq!(format_utc_minute(1_798_761_599_999), "2026-12-31 23:59 UTC");
        assert_eq!(format_utc_minute(1_798_761_600_000), "2027-01-01 00:00 UTC");
    }

    #[test]
    fn real_dates_parse_and_others_do_not() {
        assert_eq!(parse_iso_date("1970-01-01"), Some(0));
        assert_eq!(parse_iso_date("2000-02-29"), Some(11_016));
        assert_eq!(
            parse_iso_date("2026-11-22").map(|d| d * 86_400_000),
            Some(1_795_305_600_000)
        );
        for bad in [
            "",
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-01T",
            "+026-01-01",
            "1899-12-31",
            "3000-01-01",
            "２０２６-01-01",
            "é00-01-01",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_added_across_months_and_years() {
        assert_eq!(add_days("2026-12-31", 1).as_deref(), Some("2027-01-01"));
        assert_eq!(add_days("2024-03-01", -1).as_deref(), Some("2024-02-29"));
        assert_eq!(add_days("not a date", 1), None);
    }

    #[test]
    fn before_the_epoch() {
        assert_eq!(format_utc_minute(-60_000), "1969-12-31 23:59 UTC");
    }
}
