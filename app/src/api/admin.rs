//! Administration: accounts, invitations, reset links and the security log.
//! Every function answers "not found" to anyone but an administrator, and
//! none of them touches clinical data.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            accounts::{AuditAction, Email, UserId},
            validation::FieldErrors,
        },
        server::{
            auth::{
                audit, now_ms, request_meta, require_admin,
                tokens::{new_token, token_hash},
            },
            forms::{answer_form, FormPage},
            repo::Database,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::{
        accounts::{AuditEvent, Invitation, User},
        audit::AuditFilterInput,
    },
    error::AppError,
};

/// Invitation and reset links stay valid this long.
#[cfg(feature = "ssr")]
const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;
#[cfg(feature = "ssr")]
const RESET_LINK_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;
/// Where the security events are read.
pub const SECURITY_EVENTS_PATH: &str = "/admin/security";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountsSummary {
    pub users: Vec<User>,
    pub invitations: Vec<Invitation>,
    /// The administrator looking at the page.
    pub me: User,
    /// This site's address, to turn invitation and reset tokens into links.
    pub origin: String,
}

#[server(endpoint = "admin/accounts", input = leptos::server_fn::codec::GetUrl)]
pub async fn accounts_overview() -> Result<AccountsSummary, AppError> {
    let admin = require_admin()?;
    let database = expect_context::<Database>();
    Ok(AccountsSummary {
        users: database.list_users().await?,
        invitations: database.list_invitations().await?,
        me: admin.user,
        origin: site_origin(),
    })
}

/// `https://host` (or `http://` without secure cookies), from the request's `Host`.
#[cfg(feature = "ssr")]
fn site_origin() -> String {
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

/// Creates a single-use invitation link for `email`. The link's token is
/// shown once, on the page the administrator is sent to.
#[server(endpoint = "admin/invite")]
pub async fn invite(email: String) -> Result<(), AppError> {
    let result = async {
        let admin = require_admin()?;
        let database = expect_context::<Database>();
        let mut fields = FieldErrors::new();
        let parsed = fields.check("email", Email::parse(&email));
        fields.into_result()?;
        let email = parsed.expect("checked above");
        if database.find_credentials(email.as_str()).await?.is_some() {
            let mut fields = FieldErrors::new();
            fields.add(
                "email",
                "An account with this email address exists already.",
            );
            return Err(fields.into());
        }
        let token = new_token();
        let now = now_ms();
        database
            .create_invitation(
                &token_hash(&token),
                email.as_str(),
                admin.user.id,
                now,
                now + INVITATION_LIFETIME_MS,
            )
            .await?;
        audit(
            &database,
            &request_meta(),
            Some(admin.user.id),
            AuditAction::InvitationCreated,
            Some(email.as_str()),
        )
        .await?;
        Ok(format!("/admin?invitation={token}"))
    }
    .await;
    answer_form(
        Invite::PATH,
        FormPage {
            path: "/admin",
            keep: &[("email", email.as_str())],
        },
        result,
    )
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

/// Creates a single-use password-reset link for an account, shown once.
#[server(endpoint = "admin/reset-link")]
pub async fn create_reset_link(user_id: i64) -> Result<(), AppError> {
    let result = async {
        let admin = require_admin()?;
        let database = expect_context::<Database>();
        let target = database
            .find_user(UserId(user_id))
            .await?
            .ok_or(AppError::NotFound)?;
        let token = new_token();
        let now = now_ms();
        database
            .create_password_reset(
                &token_hash(&token),
                target.id,
                admin.user.id,
                now,
                now + RESET_LINK_LIFETIME_MS,
            )
            .await?;
        audit(
            &database,
            &request_meta(),
            Some(admin.user.id),
            AuditAction::ResetLinkCreated,
            Some(&target.email),
        )
        .await?;
        Ok(format!("/admin?reset_link={token}&for={}", target.id.0))
    }
    .await;
    answer_form(
        CreateResetLink::PATH,
        FormPage {
            path: "/admin",
            keep: &[],
        },
        result,
    )
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
