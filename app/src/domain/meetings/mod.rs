//! Supervision meetings (issue 10): the record a supervisor keeps of a
//! meeting with one supervisee or a group, the agenda built from what was
//! flagged since the previous meeting, who may change what before and after
//! sign-off, supervision hours by period, and the CSV of meetings.
//!
//! Pure: the caller supplies today, the time of the previous meeting and
//! the events. Dates are days since 1970-01-01 (UTC); instants are Unix
//! milliseconds. Cases appear by code and sessions by number and week,
//! never by a date or a name.

mod action_items;
mod agenda;
mod export;
mod hours;
mod input;
mod next;
mod period;
mod period_input;
mod signoff;
mod validate;

use serde::{Deserialize, Serialize};

pub use agenda::{
    agenda_field, agenda_line, build_agenda, edit_agenda, previous_meeting_at, AgendaInput,
    AgendaItem, AgendaKey, AgendaRowInput, AgendaTopic, CarriedActionItem, EarlierMeeting,
    FlagKind, FlaggedEvent, ReviewOutcome, SessionPlace, OWN_ITEMS_MAX, OWN_ITEM_MAX_CHARS,
};
pub use export::{meetings_csv, DiscussedCase, ExportedMeeting, Participant, CSV_COLUMNS};
pub use hours::{
    decimal_hours, format_hours_and_minutes, hours_by_supervisee, hours_of, FormatTotals,
    HeldMeeting, SuperviseeHours,
};
pub use input::{
    action_item_field, ActionItemInput, MeetingDetails, MeetingInput, MeetingRules, SharedCase,
    ACTION_ITEMS_MAX, ACTION_ITEM_MAX_CHARS, DATE_LEEWAY_DAYS, DURATION_MAX_MINUTES,
    DURATION_MIN_MINUTES, GROUP_MAX_SUPERVISEES, NOTES_MAX_CHARS,
};
pub use next::{next_meeting_groups, NextMeeting};
pub use period::{Period, PeriodKind};
pub use period_input::PeriodInput;
pub use signoff::{
    addendum_body, MeetingChange, MeetingRole, MeetingState, Refusal, Stage, ADDENDUM_MAX_CHARS,
};

use super::{accounts::UserId, time::format_utc_date, vocabulary::vocabulary};

const MS_PER_DAY: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MeetingId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ActionItemId(pub i64);

vocabulary!(
    /// Whether a meeting was with one supervisee or with a group.
    MeetingFormat {
        Individual => ("individual", "Individual"),
        Group => ("group", "Group"),
    }
);

/// Who is to carry out an action item: the meeting's supervisor, or one of
/// the supervisees in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Assignee {
    Supervisor,
    Supervisee(UserId),
}

impl Assignee {
    /// The posted form: `supervisor`, or `supervisee:12`.
    pub fn slug(self) -> String {
        match self {
            Assignee::Supervisor => "supervisor".to_string(),
            Assignee::Supervisee(user) => format!("supervisee:{}", user.0),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().split_once(':') {
            None if text.trim() == "supervisor" => Some(Assignee::Supervisor),
            Some(("supervisee", id)) => id.parse().ok().map(|id| Assignee::Supervisee(UserId(id))),
            _ => None,
        }
    }
}

/// What was agreed in a meeting, and whether it is done yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    /// `None` until stored.
    pub id: Option<ActionItemId>,
    pub text: String,
    pub assignee: Assignee,
    pub done: bool,
}

/// The supervisees of a meeting as its record lists them: the names, then
/// those who have deleted their account since ("Anna, Ben and a former
/// member").
pub fn participants_line(names: &[String], former_members: u32) -> String {
    let former = match former_members {
        0 => None,
        1 => Some("a former member".to_string()),
        many => Some(format!("{many} former members")),
    };
    match (names.join(", "), former) {
        (names, None) => names,
        (names, Some(former)) if names.is_empty() => former,
        (names, Some(former)) => format!("{names} and {former}"),
    }
}

/// `2026-11-22` for a day number.
pub fn iso_date(day: i64) -> String {
    format_utc_date(day.saturating_mul(MS_PER_DAY))
}

/// A check box as posted: ticked (`on`, `true`, `1`) or not (absent,
/// `false`, `0`); anything else is `None`.
fn ticked(text: &str) -> Option<bool> {
    match text.trim() {
        "on" | "true" | "1" => Some(true),
        "" | "off" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Free text trimmed and at most `max` characters; `what` names it in the
/// message ("meeting notes").
fn bounded_text(text: &str, max: usize, what: &str) -> Result<String, String> {
    let text = text.trim();
    let length = text.chars().count();
    if length > max {
        return Err(format!(
            "This is {length} characters; {what} can hold {max}. Shorten it."
        ));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::time::parse_iso_date;

    #[test]
    fn formats_are_a_closed_set_with_slugs() {
        assert_eq!(MeetingFormat::ALL.len(), 2);
        for &format in MeetingFormat::ALL {
            assert_eq!(MeetingFormat::parse(format.slug()), Some(format));
        }
        assert_eq!(MeetingFormat::Group.label(), "Group");
        assert_eq!(MeetingFormat::parse("Individual"), None);
        assert_eq!(
            serde_json::to_string(&MeetingFormat::Individual).unwrap(),
            "\"individual\""
        );
    }

    #[test]
    fn assignees_travel_as_slugs() {
        for assignee in [Assignee::Supervisor, Assignee::Supervisee(UserId(12))] {
            assert_eq!(Assignee::parse(&assignee.slug()), Some(assignee));
        }
        assert_eq!(Assignee::Supervisee(UserId(12)).slug(), "supervisee:12");
        assert_eq!(Assignee::parse(" supervisor "), Some(Assignee::Supervisor));
        for bad in [
            "",
            "supervisee",
            "supervisee:",
            "supervisee:x",
            "admin:1",
            "me",
        ] {
            assert_eq!(Assignee::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_numbers_show_as_iso_dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        let day = parse_iso_date("2026-03-31").unwrap();
        assert_eq!(iso_date(day), "2026-03-31");
        assert_eq!(iso_date(day + 1), "2026-04-01");
    }

    #[test]
    fn check_boxes_are_ticked_or_not() {
        for yes in ["on", "true", "1", " on "] {
            assert_eq!(ticked(yes), Some(true), "{yes}");
        }
        for no in ["", "off", "false", "0"] {
            assert_eq!(ticked(no), Some(false), "{no}");
        }
        assert_eq!(ticked("yes please"), None);
    }

    #[test]
    fn bounded_text_is_trimmed_and_counted_in_characters() {
        assert_eq!(bounded_text("  ok  ", 2, "it").unwrap(), "ok");
        assert_eq!(bounded_text("éé", 2, "it").unwrap(), "éé");
        assert_eq!(
            bounded_text("abc", 2, "a note").unwrap_err(),
            "This is 3 characters; a note can hold 2. Shorten it."
        );
    }

    #[test]
    fn former_members_follow_the_names_of_those_who_remain() {
        let names = |list: &[&str]| list.iter().map(|name| name.to_string()).collect::<Vec<_>>();
        assert_eq!(participants_line(&names(&["Anna", "Ben"]), 0), "Anna, Ben");
        assert_eq!(
            participants_line(&names(&["Anna"]), 1),
            "Anna and a former member"
        );
        assert_eq!(
            participants_line(&names(&["Anna", "Ben"]), 2),
            "Anna, Ben and 2 former members"
        );
        assert_eq!(participants_line(&[], 1), "a former member");
    }
}
