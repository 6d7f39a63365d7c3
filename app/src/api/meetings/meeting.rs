//! One meeting as its supervisor or a supervisee reads it, and what they
//! do on it: sign off, acknowledge, comment, add an addendum, mark an
//! action item done.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        api::supervision::supervision_case_path,
        domain::{
            meetings::{ActionItemId, MeetingId},
            time::format_utc_minute,
        },
        server::{
            access::clinical_stores,
            auth::{now_ms, require_user},
            forms::{answer_form, FormPage},
            meetings,
            repo::StoredMeeting,
        },
    },
    leptos::server_fn::ServerFn,
};

#[cfg(feature = "ssr")]
use super::meeting_path;
use crate::{
    domain::meetings::{Assignee, MeetingFormat, Participant, Stage},
    error::AppError,
};

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
    /// Supervisees who have deleted their account since.
    pub former_members: u32,
    pub acknowledged_by: Vec<String>,
    /// Whether the reader acknowledged the record as it now reads.
    pub acknowledged_by_me: bool,
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
        acknowledged_by_me: stored.state.acknowledged_by.contains(&reader),
        acknowledged_by: stored
            .state
            .acknowledged_by
            .iter()
            .map(|&user| name_of(user))
            .collect(),
        supervisees: stored.supervisees.clone(),
        former_members: stored.former_supervisees,
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

#[cfg(feature = "ssr")]
pub(super) use crate::domain::meetings::agenda_line;

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
/// with the error (and `keep`: which form it came from) for a failed plain
/// post.
#[cfg(feature = "ssr")]
fn answer_on_meeting(
    server_fn_path: &str,
    meeting_id: i64,
    keep: &[(&str, &str)],
    result: Result<&str, AppError>,
) -> Result<(), AppError> {
    let here = meeting_path(meeting_id);
    answer_form(
        server_fn_path,
        FormPage { path: &here, keep },
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
    answer_on_meeting(
        SignOffMeeting::PATH,
        meeting_id,
        &[("form", "sign-off")],
        result,
    )
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
    answer_on_meeting(
        AcknowledgeMeeting::PATH,
        meeting_id,
        &[("form", "acknowledge")],
        result,
    )
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
    answer_on_meeting(
        CommentOnMeeting::PATH,
        meeting_id,
        &[("form", "comment")],
        result,
    )
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
    answer_on_meeting(
        AddAddendum::PATH,
        meeting_id,
        &[("form", "addendum")],
        result,
    )
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
    answer_on_meeting(
        MarkActionItemDone::PATH,
        meeting_id,
        &[("form", "done"), ("item", &item_id.to_string())],
        result,
    )
}
