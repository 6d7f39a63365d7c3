//! The meeting form: what the supervisor types ([`MeetingInput`]), what it
//! is checked against ([`MeetingRules`]) and the valid record
//! ([`MeetingDetails`]); the checks are in `validate`.

use serde::{Deserialize, Serialize};

use super::{iso_date, ActionItem, AgendaInput, MeetingFormat};
use crate::domain::{accounts::UserId, cases::CaseId};

pub const DURATION_MIN_MINUTES: u16 = 5;
pub const DURATION_MAX_MINUTES: u16 = 480;
pub const NOTES_MAX_CHARS: usize = 20_000;
pub const ACTION_ITEMS_MAX: usize = 30;
pub const ACTION_ITEM_MAX_CHARS: usize = 1_000;
pub const GROUP_MAX_SUPERVISEES: usize = 20;
/// A meeting may be dated one day after today (UTC), as a session may:
/// east of UTC the local date is already tomorrow's.
pub const DATE_LEEWAY_DAYS: i64 = 1;

/// The meeting form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Whole minutes.
    pub duration: String,
    /// A [`MeetingFormat`] slug.
    pub format: String,
    /// User ids (check boxes).
    pub supervisees: Vec<String>,
    /// Case ids (check boxes).
    pub cases: Vec<String>,
    pub notes: String,
    pub action_items: Vec<ActionItemInput>,
    /// The agenda as edited; no rows at all keeps the agenda as offered.
    pub agenda: AgendaInput,
}

/// One action item row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionItemInput {
    /// The stored item's id (hidden field); empty for a new item.
    pub id: String,
    pub text: String,
    /// An [`Assignee`] slug.
    pub assignee: String,
    /// The check box.
    pub done: String,
}

/// A case shared with the supervisor, and by whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCase {
    pub case: CaseId,
    pub supervisee: UserId,
}

/// What a meeting is checked against besides its own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingRules<'a> {
    /// Today, in days since 1970-01-01 (UTC).
    pub today: i64,
    /// The people the supervisor may record a meeting with.
    pub supervisees: &'a [UserId],
    /// The cases shared with the supervisor, each with the supervisee who
    /// shared it: a meeting may discuss those of its own supervisees only.
    pub shared_cases: &'a [SharedCase],
}

/// A valid meeting record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetails {
    /// Days since 1970-01-01.
    pub day: i64,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    /// Sorted by id, each once.
    pub supervisees: Vec<UserId>,
    /// Sorted by id, each once; may be empty (a meeting about the work in
    /// general discusses no case).
    pub cases: Vec<CaseId>,
    pub notes: String,
    pub action_items: Vec<ActionItem>,
}

impl MeetingDetails {
    /// `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        iso_date(self.day)
    }
}

/// The error key of an action item's field: `action_items.2.text`.
pub fn action_item_field(index: usize, field: &str) -> String {
    format!("action_items.{index}.{field}")
}

impl MeetingInput {
    /// The form filled with a meeting's current record, for editing.
    pub fn from_details(details: &MeetingDetails) -> Self {
        let ids = |ids: Vec<i64>| ids.into_iter().map(|id| id.to_string()).collect();
        MeetingInput {
            date: details.date(),
            duration: details.duration_minutes.to_string(),
            format: details.format.slug().to_string(),
            supervisees: ids(details.supervisees.iter().map(|user| user.0).collect()),
            cases: ids(details.cases.iter().map(|case| case.0).collect()),
            notes: details.notes.clone(),
            action_items: details
                .action_items
                .iter()
                .map(|item| ActionItemInput {
                    id: item.id.map(|id| id.0.to_string()).unwrap_or_default(),
                    text: item.text.clone(),
                    assignee: item.assignee.slug(),
                    done: if item.done { "on" } else { "" }.to_string(),
                })
                .collect(),
            agenda: AgendaInput::default(),
        }
    }
}
