//! Supervision meetings: the lists of one's meetings, the form to record
//! or edit one (`form`), one meeting as its supervisor and supervisees read
//! it and what they do on it (`meeting`), and supervision hours (`hours`).
//! A meeting is found only by its supervisor and its supervisees; to anyone
//! else every id answers not found.

mod form;
mod hours;
mod meeting;

#[cfg(feature = "ssr")]
use crate::{
    domain::meetings::iso_date,
    server::{
        access::clinical_stores,
        auth::require_user,
        repo::{MeetingSummary, MeetingsOf},
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use self::{form::*, hours::*, meeting::*};
use crate::{
    domain::meetings::{MeetingFormat, Stage},
    error::AppError,
};

pub const MEETINGS_PATH: &str = "/meetings";
pub const NEW_MEETING_PATH: &str = "/meetings/new";
pub const HOURS_PATH: &str = "/meetings/hours";
pub const STATEMENT_PATH: &str = "/meetings/hours/statement";

pub fn meeting_path(meeting: i64) -> String {
    format!("/meetings/{meeting}")
}

pub fn edit_meeting_path(meeting: i64) -> String {
    format!("/meetings/{meeting}/edit")
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

#[cfg(feature = "ssr")]
pub(crate) fn list_entry(summary: MeetingSummary) -> MeetingListEntry {
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
