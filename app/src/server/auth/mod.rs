//! Authentication: passwords, session tokens and cookies, and what a server
//! function needs to know about who is asking.

pub mod attempts;
pub mod passwords;
pub mod session;
pub mod setup;
pub mod tokens;

use http::request::Parts;
use leptos::prelude::use_context;

use crate::{
    domain::accounts::{AuditAction, Email, User, UserId},
    error::AppError,
    server::{
        repo::{Database, NewAuditEvent, NewUser, RepoError},
        ClientAddress, RequestId,
    },
};

/// The signed-in account of the request in hand, put in the request's
/// extensions by the server's session middleware.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    pub session_id: i64,
}

/// Facts about the request that the audit log records.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub user_agent: String,
}

fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The signed-in account, if any.
pub fn current_user() -> Option<Authenticated> {
    request_parts().and_then(|parts| parts.extensions.get::<Authenticated>().cloned())
}

/// The signed-in account, or [`AppError::Unauthenticated`].
pub fn require_user() -> Result<Authenticated, AppError> {
    current_user().ok_or(AppError::Unauthenticated)
}

/// The signed-in administrator. Anyone else learns nothing: not found.
pub fn require_admin() -> Result<Authenticated, AppError> {
    let signed_in = require_user()?;
    if signed_in.user.is_admin {
        Ok(signed_in)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn request_meta() -> RequestMeta {
    let Some(parts) = request_parts() else {
        return RequestMeta::default();
    };
    RequestMeta {
        request_id: parts.extensions.get::<RequestId>().map(|id| id.0.clone()),
        client_ip: parts
            .extensions
            .get::<ClientAddress>()
            .map(|ClientAddress(address)| address.to_string()),
        user_agent: parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(300).collect())
            .unwrap_or_default(),
    }
}

/// Appends an event to the security audit log.
pub async fn audit(
    database: &Database,
    meta: &RequestMeta,
    actor: Option<UserId>,
    action: AuditAction,
    target: Option<&str>,
) -> Result<(), RepoError> {
    database
        .record_audit_event(&NewAuditEvent {
            occurred_at: now_ms(),
            actor,
            action,
            target,
            request_id: meta.request_id.as_deref(),
            client_ip: meta.client_ip.as_deref(),
        })
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum AccountCreationError {
    #[error("an account with this email address exists already")]
    Duplicate,
    #[error(transparent)]
    Repo(RepoError),
    #[error(transparent)]
    Hashing(#[from] passwords::HashingError),
}

impl From<RepoError> for AccountCreationError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::Duplicate => AccountCreationError::Duplicate,
            other => AccountCreationError::Repo(other),
        }
    }
}

impl From<AccountCreationError> for AppError {
    fn from(error: AccountCreationError) -> Self {
        match error {
            AccountCreationError::Duplicate => {
                AppError::Refused("An account with this email address exists already.".to_string())
            }
            AccountCreationError::Repo(error) => error.into(),
            AccountCreationError::Hashing(error) => error.into(),
        }
    }
}

/// Creates an administrator and records it in the audit log: the one way
/// both first-run setup and `server create-admin` do it. The password must
/// already have passed [`passwords::check_new_password`].
pub async fn create_administrator(
    database: &Database,
    hasher: &passwords::PasswordHasher,
    email: &Email,
    display_name: &str,
    password: &str,
    meta: &RequestMeta,
) -> Result<User, AccountCreationError> {
    let password_hash = hasher.hash(password).await?;
    let user = database
        .create_user(&NewUser {
            email: email.as_str(),
            display_name,
            password_hash: &password_hash,
            is_admin: true,
            created_at: now_ms(),
        })
        .await?;
    audit(
        database,
        meta,
        Some(user.id),
        AuditAction::AdministratorCreated,
        Some(&user.email),
    )
    .await?;
    Ok(user)
}

/// The current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}
