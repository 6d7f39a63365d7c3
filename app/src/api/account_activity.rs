//! What the signed-in person is told about their own account: that an
//! administrator's reset link was used to set their password (until they
//! dismiss it), and their account's recent activity.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{accounts::AuditAction, audit::OWN_ACTIVITY_SHOWN},
        server::{
            auth::{audit, now_ms, request_meta, require_user},
            forms::{answer_form, local_path_or_home, FormPage},
            repo::Database,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::{accounts::AuditEvent, admin_links::ResetNotice},
    error::AppError,
};

/// Resets of the signed-in person's password through an administrator's
/// link that they have not dismissed, newest first.
#[server(endpoint = "account/reset-notices", input = leptos::server_fn::codec::GetUrl)]
pub async fn reset_notices() -> Result<Vec<ResetNotice>, AppError> {
    let signed_in = require_user()?;
    let database = expect_context::<Database>();
    Ok(database.reset_notices(signed_in.user.id).await?)
}

/// Dismisses one reset notice, then goes back to `back` (a page of this
/// site).
#[server(endpoint = "account/dismiss-reset-notice")]
pub async fn dismiss_reset_notice(reset_id: i64, back: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let database = expect_context::<Database>();
        if !database
            .dismiss_reset_notice(signed_in.user.id, reset_id, now_ms())
            .await?
        {
            return Err(AppError::NotFound);
        }
        audit(
            &database,
            &request_meta(),
            Some(signed_in.user.id),
            AuditAction::ResetNoticeDismissed,
            None,
        )
        .await?;
        Ok(local_path_or_home(Some(&back)))
    }
    .await;
    let back = local_path_or_home(Some(&back));
    answer_form(
        DismissResetNotice::PATH,
        FormPage {
            path: &back,
            keep: &[],
        },
        result,
    )
}

/// The signed-in person's own account activity, newest first: sign-ins,
/// sign-outs, password changes and resets, ended sessions, and what
/// administrators did to the account.
#[server(endpoint = "account/activity", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_account_activity() -> Result<Vec<AuditEvent>, AppError> {
    let signed_in = require_user()?;
    let database = expect_context::<Database>();
    let limit = i64::try_from(OWN_ACTIVITY_SHOWN).unwrap_or(i64::MAX);
    Ok(database
        .own_account_activity(signed_in.user.id, &signed_in.user.email, limit)
        .await?)
}
