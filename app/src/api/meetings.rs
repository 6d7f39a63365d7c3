//! Supervision meetings: the lists of one's meetings, the form to record
//! one, recording it, and one meeting as its supervisor and supervisees
//! read it. A meeting is found only by its supervisor and its supervisees;
//! to anyone else every id answers not found.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        api::supervision::supervision_case_path,
        domain::{
            meetings::{iso_date, ActionItemId, MeetingId},
            time::format_utc_minute,
        },
        server::{
            access::clinical_stores,
            auth::{now_ms, require_user},
            forms::{answer_form, FormPage},
            meetings,
            repo::{MeetingSummary, MeetingsOf, StoredMeeting},
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::meetings::{
        Assignee, FormatTotals, MeetingFormat, MeetingInput, Participant, PeriodInput, Stage,
    },
    error::AppError,
};

pub const MEETINGS_PATH: &str = "/meetings";
pub const NEW_MEETING_PATH: &str = "/meetings/new";
pub const HOURS_PATH: &str = "/meetings/hours";
pub const STATEMENT_PATH: &str = "/meetings/hours/statement";

/// A supervisee's printable hours statement for a period (by its slug).
pub fn statement_path(supervisee: i64, period_slug: &str) -> String {
    format!("{STATEMENT_PATH}?supervisee={supervisee}&period={period_slug}")
}

/// A meeting on an hours statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRow {
    pub date: String,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    pub supervisor_name: String,
    /// `YYYY-MM-DD`, `None` while not signed off.
    pub signed_off_on: Option<String>,
}

/// A supervisee's hours statement for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub supervisee_name: String,
    pub period_label: String,
    pub meetings: Vec<StatementRow>,
    pub signed_off: FormatTotals,
    pub not_signed_off: FormatTotals,
}

/// The CSV of one's meetings in a period: `records` (as supervisor) or
/// `supervision` (as supervisee).
pub fn meetings_csv_path(of: &str, period_slug: &str) -> String {
    format!("/meetings/export/{of}/{period_slug}")
}

/// One supervisee's hours, as a supervisor's list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuperviseeHoursView {
    pub supervisee: i64,
    pub name: String,
    pub signed_off: FormatTotals,
    pub not_signed_off: FormatTotals,
}

/// Supervision hours in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursView {
    /// The asker, whose own statement the page links to.
    pub me: i64,
    pub period_label: String,
    pub period_slug: String,
    /// Per supervisee, of the meetings the asker recorded.
    pub as_supervisor: Vec<SuperviseeHoursView>,
    /// The asker's own, of the meetings they were in.
    pub signed_off: FormatTotals,
    pub not_signed_off: FormatTotals,
}

pub fn meeting_path(meeting: i64) -> String {
    format!("/meetings/{meeting}")
}

pub fn edit_meeting_path(meeting: i64) -> String {
    format!("/meetings/{meeting}/edit")
}

/// The edit form: the choices, the stored record as typed, its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingEditorView {
    pub choices: MeetingFormView,
    pub input: MeetingInput,
    pub version: i64,
}

/// A case as the meeting form offers it: by code, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseChoice {
    pub case_id: i64,
    pub code: String,
    pub supervisee: i64,
}

/// What the meeting form may choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFormView {
    pub supervisees: Vec<Participant>,
    pub cases: Vec<CaseChoice>,
}

/// A meeting in a list: nothing clinical.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingListEntry {
    pub id: i64,
    pub date: String,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    pub supervisor_name: String,
    pub supervisees: Vec<String>,
    pub stage: Stage,
}

/// The meetings one recorded as supervisor and those one was in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingLists {
    pub led: Vec<MeetingListEntry>,
    pub attended: Vec<MeetingListEntry>,
}

/// A case on a meeting's record, by code; `link` only while the reader may
/// still open the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOnRecord {
    pub code: String,
    pub supervisee_name: String,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItemView {
    pub id: i64,
    pub text: String,
    pub assignee: Assignee,
    pub assignee_name: String,
    pub done: bool,
    /// Whether it is the reader's to mark done.
    pub mine: bool,
}

/// A comment or an addendum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemarkView {
    pub author_name: String,
    /// `YYYY-MM-DD HH:MM` (UTC).
    pub at: String,
    pub body: String,
}

/// Whether the reader recorded the meeting or was in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reader {
    Supervisor,
    Supervisee,
}

/// One meeting as its supervisor or a supervisee reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i64,
    pub reader: Reader,
    pub date: String,
    pub duration_minutes: u16,
    pub format: MeetingFormat,
    pub supervisor_name: String,
    pub supervisees: Vec<Participant>,
    pub acknowledged_by: Vec<String>,
    pub cases: Vec<CaseOnRecord>,
    pub notes: String,
    pub action_items: Vec<ActionItemView>,
    pub comments: Vec<RemarkView>,
    pub addenda: Vec<RemarkView>,
    /// The agenda, each item as a line: sessions by case code, number and
    /// week, never by date.
    pub agenda: Vec<String>,
    pub stage: Stage,
    pub version: i64,
}

#[cfg(feature = "ssr")]
fn list_entry(summary: MeetingSummary) -> MeetingListEntry {
    MeetingListEntry {
        id: summary.id.0,
        date: iso_date(summary.day),
        duration_minutes: summary.duration_minutes,
        format: summary.format,
        stage: summary.state().stage(),
        supervisor_name: summary.supervisor_name,
        supervisees: summary
            .supervisees
            .into_iter()
            .map(|person| person.name)
            .collect(),
    }
}

#[cfg(feature = "ssr")]
fn meeting_view(
    reader: crate::domain::accounts::UserId,
    stored: StoredMeeting,
    open: &[bool],
) -> MeetingView {
    let name_of = |user: crate::domain::accounts::UserId| {
        stored
            .supervisees
            .iter()
            .find(|person| person.id == user)
            .map(|person| person.name.clone())
            .unwrap_or_default()
    };
    let is_supervisor = reader == stored.state.supervisor;
    let cases = stored
        .cases
        .iter()
        .zip(open)
        .map(|(recorded, &open)| CaseOnRecord {
            code: recorded.code.clone(),
            supervisee_name: name_of(recorded.supervisee),
            link: match (recorded.case, open) {
                (Some(case), true) if is_supervisor => Some(supervision_case_path(case.0)),
                (Some(case), true) => Some(format!("/cases/{}", case.0)),
                _ => None,
            },
        })
        .collect();
    let action_items = stored
        .details
        .action_items
        .iter()
        .map(|item| ActionItemView {
            id: item.id.map(|id| id.0).unwrap_or_default(),
            text: item.text.clone(),
            assignee: item.assignee,
            assignee_name: match item.assignee {
                Assignee::Supervisor => stored.supervisor_name.clone(),
                Assignee::Supervisee(user) => name_of(user),
            },
            done: item.done,
            mine: match item.assignee {
                Assignee::Supervisor => is_supervisor,
                Assignee::Supervisee(user) => user == reader,
            },
        })
        .collect();
    let remarks = |remarks: &[crate::server::repo::MeetingRemark]| {
        remarks
            .iter()
            .map(|remark| RemarkView {
                author_name: remark.author_name.clone(),
                at: format_utc_minute(remark.at),
                body: remark.body.clone(),
            })
            .collect()
    };
    MeetingView {
        id: stored.id.0,
        reader: if is_supervisor {
            Reader::Supervisor
        } else {
            Reader::Supervisee
        },
        date: stored.details.date(),
        duration_minutes: stored.details.duration_minutes,
        format: stored.details.format,
        supervisor_name: stored.supervisor_name.clone(),
        acknowledged_by: stored
            .state
            .acknowledged_by
            .iter()
            .map(|&user| name_of(user))
            .collect(),
        supervisees: stored.supervisees.clone(),
        cases,
        notes: stored.details.notes.clone(),
        action_items,
        comments: remarks(&stored.comments),
        addenda: remarks(&stored.addenda),
        agenda: stored
            .agenda
            .iter()
            .map(|item| agenda_line(&item.topic, &name_of, &stored.supervisor_name))
            .collect(),
        stage: stored.state.stage(),
        version: stored.version,
    }
}

/// An agenda item as the meeting page lists it.
#[cfg(feature = "ssr")]
fn agenda_line(
    topic: &crate::domain::meetings::AgendaTopic,
    name_of: &dyn Fn(crate::domain::accounts::UserId) -> String,
    supervisor_name: &str,
) -> String {
    use crate::domain::meetings::{AgendaTopic, ReviewOutcome, SessionPlace};
    let place = |session: &SessionPlace| {
        format!(
            "{} · session {} (week {})",
            session.case_code, session.session_number, session.week
        )
    };
    match topic {
        AgendaTopic::OpenActionItem {
            meeting_day,
            text,
            assignee,
            ..
        } => {
            let who = match assignee {
                Assignee::Supervisor => supervisor_name.to_string(),
                Assignee::Supervisee(user) => name_of(*user),
            };
            format!(
                "Open action item from {} ({who}): {text}",
                iso_date(*meeting_day)
            )
        }
        AgendaTopic::Comments { session, messages } => format!(
            "{}: {messages} {}",
            place(session),
            if *messages == 1 {
                "comment"
            } else {
                "comments and replies"
            }
        ),
        AgendaTopic::PacingRatings { session, ratings } => format!(
            "{}: pacing rated {}",
            place(session),
            ratings
                .iter()
                .map(|(_, rating)| rating.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        AgendaTopic::Review { session, outcome } => format!(
            "{}: {}",
            place(session),
            match outcome {
                ReviewOutcome::Reviewed => "reviewed",
                ReviewOutcome::ChangedSinceReview => "changed since review",
            }
        ),
        AgendaTopic::Own { text } => text.clone(),
    }
}

/// The meetings the signed-in person recorded, and those they were in.
#[server(endpoint = "meetings/list", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_meetings() -> Result<MeetingLists, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let me = signed_in.user.id;
    let led = database
        .list_meetings(MeetingsOf::Supervisor(me), None)
        .await?;
    let attended = database
        .list_meetings(MeetingsOf::Supervisee(me), None)
        .await?;
    Ok(MeetingLists {
        led: led.into_iter().map(list_entry).collect(),
        attended: attended.into_iter().map(list_entry).collect(),
    })
}

/// Whom and which cases the signed-in supervisor may record a meeting about.
#[server(endpoint = "meetings/form", input = leptos::server_fn::codec::GetUrl)]
pub async fn meeting_form() -> Result<MeetingFormView, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let choices = meetings::choices(&database, signed_in.user.id, now_ms()).await?;
    Ok(form_view(choices))
}

#[cfg(feature = "ssr")]
fn form_view(choices: meetings::MeetingChoices) -> MeetingFormView {
    MeetingFormView {
        supervisees: choices.supervisees,
        cases: choices
            .cases
            .into_iter()
            .map(|case| CaseChoice {
                case_id: case.case.0,
                code: case.code,
                supervisee: case.owner.0,
            })
            .collect(),
    }
}

/// The fields of the meeting form worth keeping in the address after a
/// failed plain post: nothing clinical.
#[cfg(feature = "ssr")]
fn kept_fields(meeting: &MeetingInput) -> Vec<(&'static str, &str)> {
    let mut keep = vec![
        ("meeting[date]", meeting.date.as_str()),
        ("meeting[duration]", meeting.duration.as_str()),
        ("meeting[format]", meeting.format.as_str()),
    ];
    keep.extend(
        meeting
            .supervisees
            .iter()
            .map(|id| ("meeting[supervisees][]", id.as_str())),
    );
    keep.extend(
        meeting
            .cases
            .iter()
            .map(|id| ("meeting[cases][]", id.as_str())),
    );
    keep
}

/// The supervisor's meeting in the edit form, before sign-off.
#[server(endpoint = "meetings/editor", input = leptos::server_fn::codec::GetUrl)]
pub async fn meeting_editor(meeting_id: i64) -> Result<MeetingEditorView, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let (stored, choices) = meetings::editable(
        &database,
        &cipher,
        signed_in.user.id,
        MeetingId(meeting_id),
        now_ms(),
    )
    .await?;
    Ok(MeetingEditorView {
        choices: form_view(choices),
        input: MeetingInput::from_details(&stored.details),
        version: stored.version,
    })
}

/// Saves the supervisor's edit, if the record is still at `version` and
/// not signed off.
#[server(endpoint = "meetings/edit")]
pub async fn edit_meeting(
    meeting_id: i64,
    version: i64,
    meeting: MeetingInput,
) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        meetings::edit(
            &database,
            &cipher,
            signed_in.user.id,
            MeetingId(meeting_id),
            version,
            &meeting,
            now_ms(),
        )
        .await?;
        Ok(format!("{}?edited=1", meeting_path(meeting_id)))
    }
    .await;
    let form = edit_meeting_path(meeting_id);
    answer_form(
        EditMeeting::PATH,
        FormPage {
            path: &form,
            keep: &kept_fields(&meeting),
        },
        result,
    )
}

/// Records a meeting. A failed post without JavaScript returns to the form
/// with what is not clinical kept (date, duration, format, people, cases);
/// notes and action items never travel in an address.
#[server(endpoint = "meetings/record")]
pub async fn record_meeting(meeting: MeetingInput) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        let id =
            meetings::record(&database, &cipher, signed_in.user.id, &meeting, now_ms()).await?;
        Ok(format!("{}?recorded=1", meeting_path(id.0)))
    }
    .await;
    answer_form(
        RecordMeeting::PATH,
        FormPage {
            path: NEW_MEETING_PATH,
            keep: &kept_fields(&meeting),
        },
        result,
    )
}

/// One meeting, for its supervisor or one of its supervisees.
#[server(endpoint = "meetings/meeting", input = leptos::server_fn::codec::GetUrl)]
pub async fn meeting(meeting_id: i64) -> Result<MeetingView, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let reader = signed_in.user.id;
    let (stored, open) =
        meetings::read(&database, &cipher, reader, MeetingId(meeting_id), now_ms()).await?;
    Ok(meeting_view(reader, stored, &open))
}

/// Answers a form on the meeting page: back to the page with `notice`, or
/// with the error (and which form it came from) for a failed plain post.
#[cfg(feature = "ssr")]
fn answer_on_meeting(
    server_fn_path: &str,
    meeting_id: i64,
    form: &str,
    result: Result<&str, AppError>,
) -> Result<(), AppError> {
    let here = meeting_path(meeting_id);
    answer_form(
        server_fn_path,
        FormPage {
            path: &here,
            keep: &[("form", form)],
        },
        result.map(|notice| format!("{here}?{notice}=1")),
    )
}

/// The supervisor signs off the record at the version they read.
#[server(endpoint = "meetings/sign-off")]
pub async fn sign_off_meeting(meeting_id: i64, version: i64) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        meetings::sign_off(
            &database,
            &cipher,
            signed_in.user.id,
            MeetingId(meeting_id),
            version,
            now_ms(),
        )
        .await?;
        Ok("signed")
    }
    .await;
    answer_on_meeting(SignOffMeeting::PATH, meeting_id, "sign-off", result)
}

/// A supervisee acknowledges the record at the version they read.
#[server(endpoint = "meetings/acknowledge")]
pub async fn acknowledge_meeting(meeting_id: i64, version: i64) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        meetings::acknowledge(
            &database,
            &cipher,
            signed_in.user.id,
            MeetingId(meeting_id),
            version,
            now_ms(),
        )
        .await?;
        Ok("acknowledged")
    }
    .await;
    answer_on_meeting(AcknowledgeMeeting::PATH, meeting_id, "acknowledge", result)
}

/// A supervisee's comment on the record, before sign-off.
#[server(endpoint = "meetings/comment")]
pub async fn comment_on_meeting(meeting_id: i64, body: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        meetings::comment(
            &database,
            &cipher,
            signed_in.user.id,
            MeetingId(meeting_id),
            &body,
            now_ms(),
        )
        .await?;
        Ok("commented")
    }
    .await;
    answer_on_meeting(CommentOnMeeting::PATH, meeting_id, "comment", result)
}

/// An addendum to a signed-off record, by its supervisor or a supervisee.
#[server(endpoint = "meetings/addendum")]
pub async fn add_addendum(meeting_id: i64, body: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        meetings::addendum(
            &database,
            &cipher,
            signed_in.user.id,
            MeetingId(meeting_id),
            &body,
            now_ms(),
        )
        .await?;
        Ok("added")
    }
    .await;
    answer_on_meeting(AddAddendum::PATH, meeting_id, "addendum", result)
}

/// The assignee marks an action item done, or (without `done`) not done.
#[server(endpoint = "meetings/done")]
pub async fn mark_action_item_done(
    meeting_id: i64,
    item_id: i64,
    done: Option<String>,
) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        let done = done.as_deref().is_some_and(|done| done == "true");
        meetings::mark_done(
            &database,
            &cipher,
            signed_in.user.id,
            MeetingId(meeting_id),
            ActionItemId(item_id),
            done,
            now_ms(),
        )
        .await?;
        Ok("marked")
    }
    .await;
    answer_on_meeting(MarkActionItemDone::PATH, meeting_id, "done", result)
}

/// Supervision hours in a period (the current month when none is given).
#[server(endpoint = "meetings/hours", input = leptos::server_fn::codec::GetUrl)]
pub async fn supervision_hours(period: PeriodInput) -> Result<HoursView, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let period = meetings::period_or_this_month(&period, now_ms())?;
    let hours = meetings::hours(&database, signed_in.user.id, period).await?;
    Ok(HoursView {
        me: signed_in.user.id.0,
        period_label: period.label(),
        period_slug: period.slug(),
        as_supervisor: hours
            .as_supervisor
            .into_iter()
            .map(|(person, hours)| SuperviseeHoursView {
                supervisee: person.id.0,
                name: person.name,
                signed_off: hours.signed_off,
                not_signed_off: hours.not_signed_off,
            })
            .collect(),
        signed_off: hours.as_supervisee.signed_off,
        not_signed_off: hours.as_supervisee.not_signed_off,
    })
}

/// A supervisee's hours statement for a period (by its slug): for the
/// supervisee, or for a supervisor who recorded meetings with them.
#[server(endpoint = "meetings/statement", input = leptos::server_fn::codec::GetUrl)]
pub async fn hours_statement(supervisee: i64, period: String) -> Result<StatementView, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let period = crate::domain::meetings::Period::parse(&period)
        .ok_or_else(|| AppError::BadRequest("the period is not one Reverie knows".to_string()))?;
    let (name, meetings, totals) = meetings::statement(
        &database,
        signed_in.user.id,
        &signed_in.user.display_name,
        crate::domain::accounts::UserId(supervisee),
        period,
    )
    .await?;
    Ok(StatementView {
        supervisee_name: name,
        period_label: period.label(),
        meetings: meetings
            .into_iter()
            .map(|meeting| StatementRow {
                date: iso_date(meeting.day),
                duration_minutes: meeting.duration_minutes,
                format: meeting.format,
                supervisor_name: meeting.supervisor_name,
                signed_off_on: meeting
                    .signed_off_at
                    .map(crate::domain::time::format_utc_date),
            })
            .collect(),
        signed_off: totals.signed_off,
        not_signed_off: totals.not_signed_off,
    })
}
