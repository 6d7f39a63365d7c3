//! The CSV of meetings in a period: one row per meeting per supervisee,
//! for supervisor and supervisee alike. No clinical text: no notes, no
//! agenda, no action items; cases by code only.

use serde::{Deserialize, Serialize};

use super::{decimal_hours, iso_date, MeetingFormat, Period};
use crate::domain::{accounts::UserId, csv::csv_line, time::format_utc_date};

/// The header line.
pub const CSV_COLUMNS: [&str; 8] = [
    "date",
    "duration_minutes",
    "hours",
    "format",
    "supervisor",
    "supervisee",
    "signed_off_on",
    "case_codes",
];

/// Someone in a meeting, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: UserId,
    pub name: String,
}

/// A case discussed, by code, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscussedCase {
    pub supervisee: UserId,
    pub code: String,
}

/// A meeting as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedMeeting {
    /// Days since 1970-01-01.
    pub day: i64,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    pub supervisor_name: String,
    pub supervisees: Vec<Participant>,
    /// Unix milliseconds.
    pub signed_off_at: Option<i64>,
    pub cases: Vec<DiscussedCase>,
}

/// The meetings whose day is in `period` as CSV (RFC 4180, CRLF line
/// ends, header first), ordered by date, supervisor, then supervisee name.
/// `only` keeps one supervisee's rows (a supervisee's own export: the
/// others in a group are not theirs to list). Each row lists the codes of
/// that row's supervisee's cases only, sorted and separated by "; ";
/// signed_off_on is the UTC date, empty while not signed off.
pub fn meetings_csv(meetings: &[ExportedMeeting], period: Period, only: Option<UserId>) -> String {
    let mut rows: Vec<(&ExportedMeeting, &Participant)> = meetings
        .iter()
        .filter(|meeting| period.contains(meeting.day))
        .flat_map(|meeting| {
            meeting
                .supervisees
                .iter()
                .filter(move |person| only.is_none_or(|only| person.id == only))
                .map(move |person| (meeting, person))
        })
        .collect();
    rows.sort_by(|(a, a_person), (b, b_person)| {
        (a.day, &a.supervisor_name, &a_person.name, a_person.id.0).cmp(&(
            b.day,
            &b.supervisor_name,
            &b_person.name,
            b_person.id.0,
        ))
    });
    let header: Vec<String> = CSV_COLUMNS
        .iter()
        .map(|column| column.to_string())
        .collect();
    let mut csv = csv_line(&header);
    for (meeting, person) in rows {
        csv.push_str(&csv_line(&row(meeting, person)));
    }
    csv
}

fn row(meeting: &ExportedMeeting, person: &Participant) -> Vec<String> {
    let mut codes: Vec<&str> = meeting
        .cases
        .iter()
        .filter(|case| case.supervisee == person.id)
        .map(|case| case.code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    vec![
        iso_date(meeting.day),
        meeting.duration_minutes.to_string(),
        decimal_hours(u32::from(meeting.duration_minutes)),
        meeting.format.slug().to_string(),
        meeting.supervisor_name.clone(),
        person.name.clone(),
        meeting
            .signed_off_at
            .map(format_utc_date)
            .unwrap_or_default(),
        codes.join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{csv::parse_csv, time::parse_iso_date};

    const ANNA: UserId = UserId(10);
    const BEN: UserId = UserId(11);
    const ANNA_NAME: &str = "O'Neill, Anna";
    const BEN_NAME: &str = "Ben \"Benji\"\nBrown";
    const SUPERVISOR: &str = "Sam Smith, PhD";
    /// 2026-04-10 09:00 UTC.
    const SIGNED: Option<i64> = Some(1_775_811_600_000);

    fn person(id: UserId) -> Participant {
        let name = if id == ANNA { ANNA_NAME } else { BEN_NAME };
        Participant {
            id,
            name: name.to_string(),
        }
    }

    fn case(supervisee: UserId, code: &str) -> DiscussedCase {
        DiscussedCase {
            supervisee,
            code: code.to_string(),
        }
    }

    fn meeting(
        date: &str,
        minutes: u16,
        format: MeetingFormat,
        supervisees: &[UserId],
        signed_off_at: Option<i64>,
        cases: Vec<DiscussedCase>,
    ) -> ExportedMeeting {
        ExportedMeeting {
            day: parse_iso_date(date).unwrap(),
            duration_minutes: minutes,
            format,
            supervisor_name: SUPERVISOR.to_string(),
            supervisees: supervisees.iter().copied().map(person).collect(),
            signed_off_at,
            cases,
        }
    }

    fn meetings() -> Vec<ExportedMeeting> {
        use MeetingFormat::{Group, Individual};
        vec![
            meeting(
                "2026-03-31",
                50,
                Individual,
                &[ANNA],
                SIGNED,
                vec![case(ANNA, "C-07"), case(ANNA, "B,2")],
            ),
            meeting("2026-04-01", 50, Individual, &[ANNA], SIGNED, Vec::new()),
            meeting(
                "2026-03-15",
                90,
                Group,
                &[ANNA, BEN],
                None,
                vec![case(BEN, "X-1"), case(ANNA, "C-07"), case(ANNA, "A-3")],
            ),
            meeting("2026-03-01", 60, Individual, &[BEN], SIGNED, Vec::new()),
        ]
    }

    fn record(fields: [&str; 8]) -> Vec<String> {
        fields.map(String::from).to_vec()
    }

    fn march() -> Period {
        Period::month(2026, 3).unwrap()
    }

    #[test]
    fn one_row_per_meeting_per_supervisee_parses_back_field_by_field() {
        let csv = meetings_csv(&meetings(), march(), None);
        let records = parse_csv(&csv).unwrap();
        assert_eq!(
            records,
            [
                record(CSV_COLUMNS),
                record([
                    "2026-03-01",
                    "60",
                    "1.00",
                    "individual",
                    SUPERVISOR,
                    BEN_NAME,
                    "2026-04-10",
                    ""
                ]),
                // A group meeting: a row for each, with their own cases.
                record([
                    "2026-03-15",
                    "90",
                    "1.50",
                    "group",
                    SUPERVISOR,
                    BEN_NAME,
                    "",
                    "X-1"
                ]),
                record([
                    "2026-03-15",
                    "90",
                    "1.50",
                    "group",
                    SUPERVISOR,
                    ANNA_NAME,
                    "",
                    "A-3; C-07"
                ]),
                // The last day of March is March's; 1 April is not.
                record([
                    "2026-03-31",
                    "50",
                    "0.83",
                    "individual",
                    SUPERVISOR,
                    ANNA_NAME,
                    "2026-04-10",
                    "B,2; C-07"
                ]),
            ]
        );
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        let csv = meetings_csv(&meetings(), march(), None);
        assert!(csv.starts_with(
            "date,duration_minutes,hours,format,supervisor,supervisee,signed_off_on,case_codes\r\n"
        ));
        assert!(csv.contains(
            "2026-03-01,60,1.00,individual,\"Sam Smith, PhD\",\"Ben \"\"Benji\"\"\nBrown\",2026-04-10,\r\n"
        ));
        assert!(csv.contains(",\"O'Neill, Anna\",2026-04-10,\"B,2; C-07\"\r\n"));
    }

    #[test]
    fn a_supervisees_export_holds_only_their_rows() {
        let csv = meetings_csv(&meetings(), march(), Some(ANNA));
        let records = parse_csv(&csv).unwrap();
        let supervisees: Vec<&str> = records[1..].iter().map(|row| row[5].as_str()).collect();
        assert_eq!(supervisees, [ANNA_NAME, ANNA_NAME]);
        assert!(!csv.contains("X-1"));
    }

    #[test]
    fn an_empty_period_has_the_header_only() {
        let csv = meetings_csv(&meetings(), Period::year(2030).unwrap(), None);
        assert_eq!(parse_csv(&csv).unwrap(), [record(CSV_COLUMNS)]);
    }
}
