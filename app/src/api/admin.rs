//! Administration: accounts, invitations, reset links (created, shown and
//! revoked in `admin_links`) and the security log.
//! Every function answers "not found" to anyone but an administrator, and
//! none of them touches clinical data.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::accounts::{AuditAction, UserId},
        server::{
            auth::{audit, now_ms, request_meta, require_admin},
            forms::{answer_form, FormPage},
            repo::Database,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::{
        accounts::{AuditEvent, Invitation, User},
        admin_links::OpenResetLink,
        audit::AuditFilterInput,
    },
    error::AppError,
};

/// Where the security events are read.
pub const SECURITY_EVENTS_PATH: &str = "/admin/security";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountsSummary {
    pub users: Vec<User>,
    pub invitations: Vec<Invitation>,
    /// Reset links that can still be used.
    pub reset_links: Vec<OpenResetLink>,
    /// The administrator looking at the page.
    pub me: User,
    /// When this was read (Unix ms), to tell open invitations from expired ones.
    pub read_at: i64,
}

#[server(endpoint = "admin/accounts", input = leptos::server_fn::codec::GetUrl)]
pub async fn accounts_overview() -> Result<AccountsSummary, AppError> {
    let admin = require_admin()?;
    let database = expect_context::<Database>();
    let now = now_ms();
    // A link whose creator never reached the page showing it (its reveal
    // window passed) keeps no sealed copy.
    database.forget_unrevealed_links(now).await?;
    Ok(AccountsSummary {
        users: database.list_users().await?,
        invitations: database.list_invitations().await?,
        reset_links: database.open_password_resets(now).await?,
        me: admin.user,
        read_at: now,
    })
}

/// `https://host` (or `http://` without secure cookies), from the request's `Host`.
#[cfg(feature = "ssr")]
pub(crate) fn site_origin() -> String {
    let secure = expect_context::<crate::server::auth::session::SessionSettings>().secure_cookies;
    let host = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "localhost".to_string());
    format!("{}://{host}", if secure { "https" } else { "http" })
}

#[server(endpoint = "admin/disable")]
pub async fn disable_account(user_id: i64) -> Result<(), AppError> {
    let result = set_disabled(UserId(user_id), true).await;
    answer_form(
        DisableAccount::PATH,
        FormPage {
            path: "/admin",
            keep: &[],
        },
        result,
    )
}

#[server(endpoint = "admin/enable")]
pub async fn enable_account(user_id: i64) -> Result<(), AppError> {
    let result = set_disabled(UserId(user_id), false).await;
    answer_form(
        EnableAccount::PATH,
        FormPage {
            path: "/admin",
            keep: &[],
        },
        result,
    )
}

#[cfg(feature = "ssr")]
async fn set_disabled(user_id: UserId, disabled: bool) -> Result<String, AppError> {
    let admin = require_admin()?;
    let database = expect_context::<Database>();
    if disabled && user_id == admin.user.id {
        return Err(AppError::Refused(
            "You cannot disable your own account.".to_string(),
        ));
    }
    let target = database
        .find_user(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !database
        .set_user_disabled(user_id, disabled.then(now_ms))
        .await?
    {
        return Err(AppError::NotFound);
    }
    let action = if disabled {
        AuditAction::AccountDisabled
    } else {
        AuditAction::AccountEnabled
    };
    audit(
        &database,
        &request_meta(),
        Some(admin.user.id),
        action,
        Some(&target.email),
    )
    .await?;
    Ok(format!(
        "/admin?{}={}",
        if disabled { "disabled" } else { "enabled" },
        user_id.0
    ))
}

/// A page of the security log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecurityEventsView {
    /// Newest first, at most [`EVENTS_PER_PAGE`](crate::domain::audit::EVENTS_PER_PAGE).
    pub events: Vec<AuditEvent>,
    /// The next (older) page with the same filter, if there are more.
    pub older: Option<String>,
}

/// The security events `filter` asks for, a page at a time, newest first.
#[server(endpoint = "admin/security-events", input = leptos::server_fn::codec::GetUrl)]
pub async fn security_events(
    #[server(default)] filter: AuditFilterInput,
) -> Result<SecurityEventsView, AppError> {
    require_admin()?;
    let filter = filter.validate()?;
    let database = expect_context::<Database>();
    let per_page = crate::domain::audit::EVENTS_PER_PAGE;
    // One more than a page tells whether an older page exists.
    let mut events = database
        .audit_events(&filter, i64::try_from(per_page + 1).unwrap_or(i64::MAX))
        .await?;
    let older = (events.len() > per_page).then(|| {
        events.truncate(per_page);
        let last = events.last().map_or(0, |event| event.id);
        filter.older_path(SECURITY_EVENTS_PATH, last)
    });
    Ok(SecurityEventsView { events, older })
}
