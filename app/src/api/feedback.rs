//! Feedback both sides use: comments and replies (a supervisor opens a
//! thread, the therapist and that supervisor reply in it), and the header's
//! counts. The therapist reads the feedback on a reflection with the
//! reflection itself (`reflections::reflection_page`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        api::{reflections::reflection_path, supervision::supervision_reflection_path},
        domain::{
            cases::CaseId,
            feedback::{Anchor, CommentId},
            reflection::ReflectionId,
            time::format_utc_date,
        },
        server::{
            access::{case_access, clinical_stores, CaseAccess},
            auth::{now_ms, require_user},
            feedback::{self, CommentRequest},
            forms::{answer_form, FormPage},
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::error::AppError;

/// What the header shows beside the links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavCounts {
    /// Whether any case is shared with the signed-in person now.
    pub supervising: bool,
    /// Shared reflections to review plus therapists' replies not read.
    pub supervision_waiting: i64,
    /// Supervisors' comments and ratings on the person's own reflections
    /// not read yet.
    pub feedback_unread: i64,
}

/// Comments on (or replies about) a reflection. `anchor` says where a new
/// thread goes (`reflection`, `interventions:12`…); `reply_to` makes it a
/// reply. Answers at the page it came from, at the comment.
#[server(endpoint = "feedback/comment")]
pub async fn post_comment(
    case_id: i64,
    reflection_id: i64,
    anchor: Option<String>,
    reply_to: Option<i64>,
    body: String,
) -> Result<(), AppError> {
    let signed_in = require_user();
    let (database, cipher) = clinical_stores();
    let now = now_ms();
    let access = match &signed_in {
        Ok(signed_in) => {
            case_access(&database, &cipher, signed_in.user.id, CaseId(case_id), now).await
        }
        Err(error) => Err(error.clone()),
    };
    // The page the comment form is on, which the answer goes back to.
    let page = match &access {
        Ok(CaseAccess::Supervisor(_)) => supervision_reflection_path(case_id, reflection_id),
        _ => reflection_path(CaseId(case_id), ReflectionId(reflection_id)),
    };
    let form = reply_to
        .map(|comment| format!("reply:{comment}"))
        .or_else(|| anchor.clone())
        .unwrap_or_default();
    let result = async {
        let access = access?;
        let request = CommentRequest {
            reflection: ReflectionId(reflection_id),
            anchor: anchor
                .as_deref()
                .map_or(Some(Anchor::Reflection), Anchor::parse)
                .ok_or_else(|| AppError::BadRequest("unknown place to comment on".to_string()))?,
            reply_to: reply_to.map(CommentId),
            body: &body,
        };
        let comment = feedback::comment(&database, &cipher, &access, &request, now).await?;
        Ok(format!("{page}?commented=1#comment-{}", comment.0))
    }
    .await;
    answer_form(
        PostComment::PATH,
        FormPage {
            path: &page,
            keep: &[("form", &form)],
        },
        result,
    )
}

/// The header's counts for the signed-in person (zeros for a visitor).
#[server(endpoint = "feedback/counts", input = leptos::server_fn::codec::GetUrl)]
pub async fn header_counts() -> Result<NavCounts, AppError> {
    let Ok(signed_in) = require_user() else {
        return Ok(NavCounts::default());
    };
    let (database, _) = clinical_stores();
    let inbox = database
        .supervisor_inbox(signed_in.user.id, &format_utc_date(now_ms()))
        .await?;
    Ok(NavCounts {
        supervising: !inbox.is_empty(),
        supervision_waiting: inbox
            .iter()
            .map(|entry| entry.to_review + entry.unread)
            .sum(),
        feedback_unread: database
            .unread_feedback_for_owner(signed_in.user.id)
            .await?,
    })
}
