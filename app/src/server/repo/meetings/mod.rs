//! Supervision meetings (issue 10): the record a supervisor keeps, with its
//! supervisees, the cases discussed, the agenda, the action items, the
//! supervisees' comments and the addenda written after sign-off.
//!
//! Free text (notes, agenda items, action items, comments, addenda) is
//! sealed before it is written (`write`) and opened after it is read
//! (`read`); the lists, the hours and the export select no sealed column.
//!
//! Who may see a meeting is decided in the SQL: a load names the person
//! asking and finds the meeting only when they are its supervisor or one of
//! its supervisees. Who may change what is the caller's to check first
//! (`MeetingState::check`), and each statement checks it again in its
//! WHERE clause: an edit of a signed-off record, or one based on an older
//! version, writes nothing whatever the caller concluded.

mod read;
mod write;

use super::{cases::stored, database::RepoError};
use crate::domain::{
    accounts::UserId,
    cases::CaseId,
    meetings::{
        ActionItemId, AgendaItem, Assignee, EarlierMeeting, HeldMeeting, MeetingDetails,
        MeetingFormat, MeetingId, MeetingState, Participant, Period,
    },
};

/// A meeting to record, as validated by the caller (supervisees and cases
/// are the supervisor's to choose, action items assigned within the
/// meeting).
pub struct NewMeeting<'a> {
    pub supervisor: UserId,
    pub details: &'a MeetingDetails,
    /// The agenda as the supervisor edited it.
    pub agenda: &'a [AgendaItem],
    pub now: i64,
}

/// The supervisor's edit of a meeting's details, action items and agenda,
/// based on the version they read.
pub struct MeetingEdit<'a> {
    pub meeting: MeetingId,
    pub supervisor: UserId,
    pub version: i64,
    /// Action items carrying the id of one of this meeting's items update
    /// it in place; others are added; stored items left out are removed.
    pub details: &'a MeetingDetails,
    pub agenda: &'a [AgendaItem],
    pub now: i64,
}

/// Whose meetings a list, the hours or the export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingsOf {
    /// The meetings a supervisor recorded.
    Supervisor(UserId),
    /// The meetings a supervisee was in, whoever recorded them.
    Supervisee(UserId),
}

/// What became of a change to a meeting's record (an edit, an
/// acknowledgement, the sign-off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingOutcome {
    /// Done; the record is now at `version`.
    Saved { version: i64 },
    /// The record changed since the version the change was based on:
    /// nothing was written.
    Stale,
    /// The record was signed off: nothing was written.
    SignedOff { at: i64 },
    /// No such meeting for this person in this role.
    Missing,
}

/// What became of a comment or an addendum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemarkOutcome {
    Added(RemarkId),
    /// A comment on a signed-off record: an addendum is the way now.
    SignedOff {
        at: i64,
    },
    /// An addendum before sign-off: the record itself can still change.
    NotSignedOffYet,
    /// No such meeting for this person in a role that may write this.
    Missing,
}

/// A comment's or an addendum's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RemarkId(pub i64);

/// A meeting as its supervisor and its supervisees read it, sealed text
/// opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: MeetingId,
    /// The record: `cases` are the discussed cases that still exist;
    /// `action_items` carry their ids, in their order.
    pub details: MeetingDetails,
    pub state: MeetingState,
    pub supervisor_name: String,
    /// The supervisees by name, in the order of `details.supervisees`.
    pub supervisees: Vec<Participant>,
    /// Supervisees who were in the meeting and have deleted their account
    /// since (they are in none of the lists).
    pub former_supervisees: u32,
    /// Every case discussed as recorded, deleted ones included, by code.
    pub cases: Vec<RecordedCase>,
    pub agenda: Vec<AgendaItem>,
    /// When and by whom the items that are done were marked done.
    pub done_marks: Vec<DoneMark>,
    /// The supervisees' comments, oldest first.
    pub comments: Vec<MeetingRemark>,
    /// Oldest first.
    pub addenda: Vec<MeetingRemark>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A case discussed in a meeting, by the code it had when it was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCase {
    /// `None` once the case is deleted.
    pub case: Option<CaseId>,
    pub code: String,
    /// Whose case it is.
    pub supervisee: UserId,
}

/// An action item marked done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneMark {
    pub item: ActionItemId,
    pub at: i64,
    /// `None` if that account was deleted since.
    pub by: Option<UserId>,
}

/// A supervisee's comment on a meeting, or an addendum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRemark {
    pub id: RemarkId,
    pub author: UserId,
    pub author_name: String,
    pub at: i64,
    pub body: String,
}

/// A meeting as lists, hours and the export show it: nothing sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub supervisor: UserId,
    pub supervisor_name: String,
    pub day: i64,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    /// By user id.
    pub supervisees: Vec<Participant>,
    pub acknowledged_by: Vec<UserId>,
    pub signed_off_at: Option<i64>,
    pub version: i64,
    /// When it was recorded.
    pub created_at: i64,
}

impl MeetingSummary {
    pub fn state(&self) -> MeetingState {
        MeetingState {
            supervisor: self.supervisor,
            supervisees: self.supervisee_ids(),
            acknowledged_by: self.acknowledged_by.clone(),
            signed_off_at: self.signed_off_at,
        }
    }

    /// The meeting as the hours count it.
    pub fn held(&self) -> HeldMeeting {
        HeldMeeting {
            id: self.id,
            day: self.day,
            duration_minutes: self.duration_minutes,
            format: self.format,
            supervisees: self.supervisee_ids(),
            signed_off_at: self.signed_off_at,
        }
    }

    /// The meeting as finding the previous one needs it.
    pub fn earlier(&self) -> EarlierMeeting {
        EarlierMeeting {
            supervisees: self.supervisee_ids(),
            recorded_at: self.created_at,
        }
    }

    fn supervisee_ids(&self) -> Vec<UserId> {
        self.supervisees.iter().map(|person| person.id).collect()
    }
}

/// How an assignee is stored: NULL for the meeting's supervisor.
fn assignee_column(assignee: Assignee) -> Option<i64> {
    match assignee {
        Assignee::Supervisor => None,
        Assignee::Supervisee(user) => Some(user.0),
    }
}

fn assignee_of(column: Option<i64>) -> Assignee {
    column.map_or(Assignee::Supervisor, |id| Assignee::Supervisee(UserId(id)))
}

fn duration_of(minutes: i64) -> Result<u16, RepoError> {
    u16::try_from(minutes).map_err(|_| RepoError::Corrupt {
        column: "meetings.duration_minutes",
        value: minutes.to_string(),
    })
}

fn format_of(slug: &str) -> Result<MeetingFormat, RepoError> {
    stored("meetings.format", slug, MeetingFormat::parse)
}

/// The first and last day a period covers; every day without one.
fn day_range(period: Option<Period>) -> (i64, i64) {
    period.map_or((i64::MIN, i64::MAX), |period| {
        (period.first_day(), period.last_day())
    })
}
