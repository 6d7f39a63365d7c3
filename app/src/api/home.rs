//! The signed-in person's starting point: what is due, unsaved or waiting,
//! as a therapist and as a supervisor. One query per part, never one per
//! case; nothing clinical beyond codes, session numbers, counts and the
//! structured facts of a flag (no sealed column is read for them).

#[cfg(feature = "ssr")]
use crate::{
    api::meetings::list_entry,
    domain::{
        accounts::AuditAction,
        analytics::{recent_flags, RECENT_FLAGS_DAYS},
        attention::{failed_sign_in_bursts, used_reset_links},
        audit::AuditFilter,
        due::due_cases,
        meetings::Stage,
        time::{format_utc_date, utc_day},
    },
    server::{
        access::clinical_stores,
        auth::{current_user, now_ms},
        meetings::next_meetings,
        repo::MeetingsOf,
    },
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    api::meetings::MeetingListEntry,
    domain::{
        accounts::{Invitation, User, UserId},
        admin_links::OpenResetLink,
        analytics::SessionFlag,
        attention::{FailedSignInBurst, UsedResetLink},
        due::DueCase,
        feedback::{ChangedSinceReview, UnreadFeedback},
        meetings::NextMeeting,
        reflection::DraftSummary,
        sharing::InboxEntry,
    },
    error::AppError,
};

/// What the home page shows the person signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    /// The person signed in (whose browser copies of drafts the page may
    /// forget).
    pub account: UserId,
    pub name: String,
    /// Their active cases, the most likely due first.
    pub due: Vec<DueCase>,
    /// Reflections typed but never saved.
    pub drafts: Vec<DraftSummary>,
    /// Each reflection with comments, replies or pacing ratings from
    /// supervisors not read yet.
    pub unread_places: Vec<UnreadFeedback>,
    /// Their reflections saved again since a supervisor reviewed them.
    pub changed_since_review: Vec<ChangedSinceReview>,
    /// Premature interpretations and sessions over the transference
    /// threshold in the last eight weeks (`RECENT_FLAGS_DAYS`) of their
    /// active cases.
    pub flags: Vec<SessionFlag>,
    /// Whether anyone shares a case with them (then the supervisor part shows).
    pub supervising: bool,
    /// Shared cases with reflections to review or replies unread.
    pub waiting: Vec<InboxEntry>,
    /// Meetings they recorded and have not signed off yet.
    pub meetings_to_sign: Vec<MeetingListEntry>,
    /// The meetings they have not held yet, with their agendas' sizes.
    pub next_meetings: Vec<NextMeeting>,
    /// For an administrator: what needs their attention (no clinical content).
    pub administration: Option<AdministrationHome>,
}

impl HomeView {
    /// Comments, replies and pacing ratings from supervisors not read yet.
    pub fn unread_feedback(&self) -> i64 {
        self.unread_places.iter().map(|place| place.items).sum()
    }
}

/// The administrator's part of the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdministrationHome {
    /// Invitations not used, revoked or expired.
    pub open_invitations: Vec<Invitation>,
    /// Reset links that can still be used.
    pub open_reset_links: Vec<OpenResetLink>,
    pub disabled_accounts: Vec<User>,
    /// Failed sign-ins in bursts against one account, the last day.
    pub failed_sign_in_bursts: Vec<FailedSignInBurst>,
    /// Reset links used in the last week.
    pub used_reset_links: Vec<UsedResetLink>,
}

/// Failed sign-ins the administrator's home reads at most (a flood beyond
/// it still shows as a burst).
#[cfg(feature = "ssr")]
const FAILURES_READ: i64 = 1_000;

#[cfg(feature = "ssr")]
async fn administration_home(
    database: &crate::server::repo::Database,
    now: i64,
) -> Result<AdministrationHome, AppError> {
    let of_kind = |action| AuditFilter {
        action: Some(action),
        ..AuditFilter::default()
    };
    let failures = database
        .audit_events(&of_kind(AuditAction::SignInFailed), FAILURES_READ)
        .await?;
    let resets = database
        .audit_events(&of_kind(AuditAction::ResetLinkUsed), 50)
        .await?;
    Ok(AdministrationHome {
        open_invitations: database
            .list_invitations()
            .await?
            .into_iter()
            .filter(|invitation| {
                invitation.used_at.is_none()
                    && invitation.revoked_at.is_none()
                    && invitation.expires_at > now
            })
            .collect(),
        open_reset_links: database.open_password_resets(now).await?,
        disabled_accounts: database
            .list_users()
            .await?
            .into_iter()
            .filter(|user| user.disabled)
            .collect(),
        failed_sign_in_bursts: failed_sign_in_bursts(&failures, now),
        used_reset_links: used_reset_links(&resets, now),
    })
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
    let today = format_utc_date(now);
    let unread_places = database.unread_feedback_places(me).await?;
    let changed_since_review = database.changed_since_review(me, &today).await?;
    let recent = database
        .recent_session_facts(me, utc_day(now) - RECENT_FLAGS_DAYS)
        .await?;
    let inbox = database.supervisor_inbox(me, &today).await?;
    let led = database
        .list_meetings(MeetingsOf::Supervisor(me), None)
        .await?;
    let supervising = !inbox.is_empty();
    let next_meetings = match supervising {
        true => next_meetings(&database, &cipher, me, &led, now).await?,
        false => Vec::new(),
    };
    Ok(Some(HomeView {
        account: me,
        name: signed_in.user.display_name.clone(),
        due: due_cases(&cases, utc_day(now)),
        drafts,
        unread_places,
        changed_since_review,
        flags: recent_flags(&recent),
        supervising,
        waiting: inbox
            .into_iter()
            .filter(|entry| entry.to_review + entry.unread > 0)
            .collect(),
        meetings_to_sign: led
            .into_iter()
            .map(list_entry)
            .filter(|meeting| !matches!(meeting.stage, Stage::SignedOff { .. }))
            .collect(),
        next_meetings,
        administration: match signed_in.user.is_admin {
            true => Some(administration_home(&database, now).await?),
            false => None,
        },
    }))
}
