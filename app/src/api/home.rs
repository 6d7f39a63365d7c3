//! The signed-in person's starting point: what is due, unsaved or waiting,
//! as a therapist and as a supervisor. One query per part, never one per
//! case; nothing clinical beyond codes, session numbers and counts.

#[cfg(feature = "ssr")]
use crate::{
    api::meetings::list_entry,
    domain::{
        due::due_cases,
        meetings::Stage,
        time::{format_utc_date, utc_day},
    },
    server::{
        access::clinical_stores,
        auth::{current_user, now_ms},
        repo::MeetingsOf,
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    api::meetings::MeetingListEntry,
    domain::{due::DueCase, reflection::DraftSummary, sharing::InboxEntry},
    error::AppError,
};

/// What the home page shows the person signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub name: String,
    /// Their active cases, the most likely due first.
    pub due: Vec<DueCase>,
    /// Reflections typed but never saved.
    pub drafts: Vec<DraftSummary>,
    /// Comments, replies and pacing ratings from supervisors not read yet.
    pub unread_feedback: i64,
    /// Whether anyone shares a case with them (then the supervisor part shows).
    pub supervising: bool,
    /// Shared cases with reflections to review or replies unread.
    pub waiting: Vec<InboxEntry>,
    /// Meetings they recorded and have not signed off yet.
    pub meetings_to_sign: Vec<MeetingListEntry>,
}

/// The signed-in person's home; `None` for a visitor, whose home page
/// says what Reverie is.
#[server(endpoint = "home", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_home() -> Result<Option<HomeView>, AppError> {
    let Some(signed_in) = current_user() else {
        return Ok(None);
    };
    let (database, cipher) = clinical_stores();
    let me = signed_in.user.id;
    let now = now_ms();
    let cases = database.list_cases(me, None).await?;
    let drafts = database.list_drafts(&cipher, me).await?;
    let unread_feedback = database.unread_feedback_for_owner(me).await?;
    let inbox = database.supervisor_inbox(me, &format_utc_date(now)).await?;
    let led = database
        .list_meetings(MeetingsOf::Supervisor(me), None)
        .await?;
    Ok(Some(HomeView {
        name: signed_in.user.display_name.clone(),
        due: due_cases(&cases, utc_day(now)),
        drafts,
        unread_feedback,
        supervising: !inbox.is_empty(),
        waiting: inbox
            .into_iter()
            .filter(|entry| entry.to_review + entry.unread > 0)
            .collect(),
        meetings_to_sign: led
            .into_iter()
            .map(list_entry)
            .filter(|meeting| !matches!(meeting.stage, Stage::SignedOff { .. }))
            .collect(),
    }))
}
