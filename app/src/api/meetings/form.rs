//! The form to record a meeting and to edit one before sign-off: what it
//! offers, and saving it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    super::{edit_meeting_path, meeting::agenda_line, meeting_path, NEW_MEETING_PATH},
    crate::{
        domain::{
            accounts::UserId,
            meetings::{AgendaItem, MeetingId},
        },
        server::{
            access::clinical_stores,
            auth::{now_ms, require_user},
            forms::{answer_form, FormPage},
            meetings,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::meetings::{MeetingInput, Participant},
    error::AppError,
};

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

/// An agenda item as the form offers it: a pre-filled one by its key and
/// line; the supervisor's own with no key, its text as the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaRowView {
    pub key: String,
    pub line: String,
}

impl AgendaRowView {
    pub fn is_own(&self) -> bool {
        self.key.is_empty()
    }
}

/// What the meeting form may choose from, and the agenda it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFormView {
    pub supervisees: Vec<Participant>,
    pub cases: Vec<CaseChoice>,
    pub agenda: Vec<AgendaRowView>,
}

/// The new meeting form. With nobody in `with`: everyone the signed-in
/// supervisor may record a meeting with (the first step). With the people
/// chosen: them, their cases and the agenda pre-filled for them.
#[server(endpoint = "meetings/form", input = leptos::server_fn::codec::GetUrl)]
pub async fn meeting_form(#[server(default)] with: Vec<i64>) -> Result<MeetingFormView, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let with: Vec<UserId> = with.into_iter().map(UserId).collect();
    let (choices, agenda) =
        meetings::new_meeting(&database, &cipher, signed_in.user.id, &with, now_ms()).await?;
    Ok(form_view(choices, &agenda, &signed_in.user.display_name))
}

#[cfg(feature = "ssr")]
fn form_view(
    choices: meetings::MeetingChoices,
    agenda: &[AgendaItem],
    supervisor_name: &str,
) -> MeetingFormView {
    let name_of = |user: UserId| {
        choices
            .supervisees
            .iter()
            .find(|person| person.id == user)
            .map(|person| person.name.clone())
            .unwrap_or_default()
    };
    let agenda = agenda
        .iter()
        .map(|item| AgendaRowView {
            key: item.key().map(|key| key.slug()).unwrap_or_default(),
            line: agenda_line(&item.topic, &name_of, supervisor_name),
        })
        .collect();
    MeetingFormView {
        cases: choices
            .cases
            .into_iter()
            .map(|case| CaseChoice {
                case_id: case.case.0,
                code: case.code,
                supervisee: case.owner.0,
            })
            .collect(),
        supervisees: choices.supervisees,
        agenda,
    }
}

/// The fields of the meeting form worth keeping in the address after a
/// failed plain post: nothing clinical (the agenda's keys, places and
/// removals, but not the text of one's own items).
#[cfg(feature = "ssr")]
fn kept_fields(meeting: &MeetingInput) -> Vec<(String, &str)> {
    let mut keep = vec![
        ("meeting[date]".to_string(), meeting.date.as_str()),
        ("meeting[duration]".to_string(), meeting.duration.as_str()),
        ("meeting[format]".to_string(), meeting.format.as_str()),
    ];
    keep.extend(
        meeting
            .supervisees
            .iter()
            .map(|id| ("meeting[supervisees][]".to_string(), id.as_str())),
    );
    keep.extend(
        meeting
            .cases
            .iter()
            .map(|id| ("meeting[cases][]".to_string(), id.as_str())),
    );
    for (index, row) in meeting.agenda.items.iter().enumerate() {
        for (field, value) in [
            ("key", &row.key),
            ("position", &row.position),
            ("remove", &row.remove),
        ] {
            if !value.is_empty() {
                keep.push((agenda_row_name(index, field), value.as_str()));
            }
        }
    }
    keep
}

/// The posted name of an agenda row's field.
pub fn agenda_row_name(index: usize, field: &str) -> String {
    format!("meeting[agenda][items][{index}][{field}]")
}

/// Borrows `kept_fields` as the form answer wants them.
#[cfg(feature = "ssr")]
fn borrowed<'a>(kept: &'a [(String, &'a str)]) -> Vec<(&'a str, &'a str)> {
    kept.iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect()
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
        choices: form_view(choices, &stored.agenda, &signed_in.user.display_name),
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
    let kept = kept_fields(&meeting);
    answer_form(
        EditMeeting::PATH,
        FormPage {
            path: &form,
            keep: &borrowed(&kept),
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
    let kept = kept_fields(&meeting);
    answer_form(
        RecordMeeting::PATH,
        FormPage {
            path: NEW_MEETING_PATH,
            keep: &borrowed(&kept),
        },
        result,
    )
}
