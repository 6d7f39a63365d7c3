//! The signed-in person's own account: who they are, their password, their
//! signed-in devices, and deleting it.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            accounts::{devices_seen_at, AuditAction, PasswordError},
            validation::FieldErrors,
        },
        server::{
            accounts::{delete_own_account, DeletionRequest},
            auth::{
                attempts::{recheck_password, PasswordCheck},
                audit, now_ms,
                passwords::{check_new_password, PasswordHasher},
                request_meta, require_user,
                session::{send_cookie, start_session, SessionSettings},
            },
            forms::{answer_form, FormPage},
            repo::Database,
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::accounts::{DeviceSession, User},
    error::AppError,
};

/// The signed-in account, or `None` for a visitor.
#[server(endpoint = "account/me", input = leptos::server_fn::codec::GetUrl)]
pub async fn current_account() -> Result<Option<User>, AppError> {
    Ok(crate::server::auth::current_user().map(|signed_in| signed_in.user))
}

/// What a password change made too soon after wrong current passwords is
/// told (the person is signed in: nothing to hide about the account).
pub const CHANGE_REFUSED_WAIT: &str =
    "Too many wrong passwords were tried; wait a few minutes, then try again.";

/// Under `/api/auth/`, so it shares the sign-in throttle: the current
/// password can be guessed here too.
#[server(endpoint = "auth/password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let database = expect_context::<Database>();
        let hasher = expect_context::<PasswordHasher>();
        let user = &signed_in.user;

        let meta = request_meta();
        let mut fields = FieldErrors::new();
        match recheck_password(
            &database,
            &hasher,
            user.id,
            &current_password,
            "password change",
        )
        .await?
        {
            PasswordCheck::Right => {}
            PasswordCheck::Wrong => {
                fields.add("current_password", "This is not your current password.");
            }
            PasswordCheck::NotNow => {
                return Err(AppError::Refused(CHANGE_REFUSED_WAIT.to_string()));
            }
        }
        if fields
            .check(
                "password",
                check_new_password(&password, &[&user.email, &user.display_name]),
            )
            .is_some()
        {
            if password == current_password {
                fields.add(
                    "password",
                    "Choose a password different from the current one.",
                );
            } else if password != password_confirm {
                fields.add("password_confirm", PasswordError::Mismatch.to_string());
            }
        }
        fields.into_result()?;

        database
            .set_password_hash(user.id, &hasher.hash(&password).await?)
            .await?;
        database.clear_sign_in_gates(user.id).await?;
        let ended = database
            .delete_other_sessions(user.id, Some(signed_in.session_id))
            .await?;
        // This browser goes on with a new session token: one seen before the
        // change (on this device or in transit) no longer signs anyone in.
        start_session(&database, &meta, user).await?;
        audit(
            &database,
            &meta,
            Some(user.id),
            AuditAction::PasswordChanged,
            None,
        )
        .await?;
        if ended > 0 {
            audit(
                &database,
                &meta,
                Some(user.id),
                AuditAction::SessionEnded,
                Some(&format!("{ended} other sessions")),
            )
            .await?;
        }
        Ok("/account?password_changed=1".to_string())
    }
    .await;
    answer_form(
        ChangePassword::PATH,
        FormPage {
            path: "/account",
            keep: &[],
        },
        result,
    )
}

#[server(endpoint = "account/sessions", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_sessions() -> Result<Vec<DeviceSession>, AppError> {
    let signed_in = require_user()?;
    let database = expect_context::<Database>();
    let sessions = database
        .list_sessions(signed_in.user.id, Some(signed_in.session_id))
        .await?;
    Ok(devices_seen_at(sessions, now_ms()))
}

/// Ends one of the signed-in person's sessions (any other id: not found).
#[server(endpoint = "account/end-session")]
pub async fn end_session(session_id: i64) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let database = expect_context::<Database>();
        if !database
            .delete_session(signed_in.user.id, session_id)
            .await?
        {
            return Err(AppError::NotFound);
        }
        audit(
            &database,
            &request_meta(),
            Some(signed_in.user.id),
            AuditAction::SessionEnded,
            Some(&format!("session {session_id}")),
        )
        .await?;
        if session_id == signed_in.session_id {
            let settings = expect_context::<SessionSettings>();
            send_cookie(&settings.cleared_cookie());
            return Ok("/login?signed_out=1".to_string());
        }
        Ok(format!("/account?session_ended={}", now_ms()))
    }
    .await;
    answer_form(
        EndSession::PATH,
        FormPage {
            path: "/account",
            keep: &[],
        },
        result,
    )
}

/// Deletes the signed-in account and everything that is its owner's, then
/// signs this browser out. Under `/api/auth/`, so it shares the sign-in
/// throttle: the password can be guessed here too.
#[server(endpoint = "auth/delete-account")]
pub async fn delete_account(password: String, confirmation: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let database = expect_context::<Database>();
        let hasher = expect_context::<PasswordHasher>();
        let meta = request_meta();
        let request = DeletionRequest {
            password: &password,
            confirmation: &confirmation,
            request_id: meta.request_id.as_deref(),
        };
        delete_own_account(&database, &hasher, &signed_in, &request).await?;
        // Every session of the account went with it; this browser forgets
        // its token too.
        let settings = expect_context::<SessionSettings>();
        send_cookie(&settings.cleared_cookie());
        Ok("/login?account_deleted=1".to_string())
    }
    .await;
    answer_form(
        DeleteAccount::PATH,
        FormPage {
            path: "/account",
            keep: &[("confirmation", &confirmation)],
        },
        result,
    )
}
