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

/// `2026-11-22`.
pub fn format_utc_date(unix_ms: i64) -> String {
    let (year, month, day) = civil_from_days(unix_ms.div_euclid(1000).div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
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
    fn before_the_epoch() {
        assert_eq!(format_utc_minute(-60_000), "1969-12-31 23:59 UTC");
    }
}
