//! Signing in and out, first-run setup, accepting an invitation and using a
//! password-reset link. Their endpoints sit under `/api/auth/`, which the
//! server rate-limits per client IP.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            accounts::{parse_display_name, AuditAction, Email, PasswordError},
            validation::FieldErrors,
        },
        server::{
            auth::{
                attempts::{
                    check_password, choose_gate, remember_device, this_device, PasswordCheck,
                },
                audit, create_administrator, current_user, now_ms,
                passwords::{check_new_password, PasswordHasher},
                request_meta,
                session::{send_cookie, start_session, SessionSettings},
                tokens::token_hash,
            },
            forms::{answer_form, local_path_or_home, FormPage},
            repo::{Database, NewUser, RepoError},
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::error::AppError;

/// The one answer to an unknown email, a wrong password and an attempt
/// made too soon after failed ones: none of them tells whether the account
/// exists or is being guessed at.
pub const SIGN_IN_REFUSED: &str =
    "The email or password is not right, or there were too many attempts; try again in a moment.";

#[server(endpoint = "auth/login")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let result = sign_in_inner(&email, &password)
        .await
        .map(|()| local_path_or_home(next.as_deref()));
    let next = next.unwrap_or_default();
    answer_form(
        SignIn::PATH,
        FormPage {
            path: "/login",
            keep: &[("email", email.as_str()), ("next", next.as_str())],
        },
        result,
    )
}

/// Signs in, or answers [`SIGN_IN_REFUSED`] alike whether the email is
/// unknown, the password wrong or the account's gate not open yet (see
/// [`crate::server::auth::attempts`]), after one password hash in each case.
#[cfg(feature = "ssr")]
async fn sign_in_inner(email: &str, password: &str) -> Result<(), AppError> {
    let database = expect_context::<Database>();
    let hasher = expect_context::<PasswordHasher>();
    let meta = request_meta();

    let mut fields = FieldErrors::new();
    let email = fields.check("email", Email::parse(email));
    if password.is_empty() {
        fields.add("password", "Enter your password.");
    }
    fields.into_result()?;
    let email = email.expect("checked above");
    let refused = || AppError::Refused(SIGN_IN_REFUSED.to_string());

    let device = this_device(&database).await?;
    let Some(credentials) = database.find_credentials(email.as_str()).await? else {
        hasher.verify(password, None).await?;
        audit(
            &database,
            &meta,
            None,
            AuditAction::SignInFailed,
            Some(email.as_str()),
        )
        .await?;
        return Err(refused());
    };
    let user = &credentials.user;
    let view = choose_gate(device, user.id, credentials.gate_opens_at);
    match check_password(
        &database,
        &hasher,
        view,
        password,
        &credentials.password_hash,
    )
    .await?
    {
        PasswordCheck::Right if user.disabled => {
            audit(
                &database,
                &meta,
                Some(user.id),
                AuditAction::SignInFailed,
                Some("account disabled"),
            )
            .await?;
            Err(AppError::Refused(
                "This account is disabled. Please contact your administrator.".to_string(),
            ))
        }
        PasswordCheck::Right => {
            start_session(&database, &meta, user).await?;
            remember_device(&database, view.gate, user.id).await?;
            audit(
                &database,
                &meta,
                Some(user.id),
                AuditAction::SignInSucceeded,
                None,
            )
            .await?;
            Ok(())
        }
        PasswordCheck::Wrong => {
            audit(
                &database,
                &meta,
                None,
                AuditAction::SignInFailed,
                Some(email.as_str()),
            )
            .await?;
            Err(refused())
        }
        PasswordCheck::NotNow => {
            audit(
                &database,
                &meta,
                None,
                AuditAction::SignInRefusedWaiting,
                Some(email.as_str()),
            )
            .await?;
            Err(refused())
        }
    }
}

#[server(endpoint = "auth/logout")]
pub async fn sign_out() -> Result<(), AppError> {
    let result = async {
        let database = expect_context::<Database>();
        let settings = expect_context::<SessionSettings>();
        if let Some(signed_in) = current_user() {
            database
                .delete_session(signed_in.user.id, signed_in.session_id)
                .await?;
            audit(
                &database,
                &request_meta(),
                Some(signed_in.user.id),
                AuditAction::SignedOut,
                None,
            )
            .await?;
        }
        send_cookie(&settings.cleared_cookie());
        Ok("/login?signed_out=1".to_string())
    }
    .await;
    answer_form(
        SignOut::PATH,
        FormPage {
            path: "/",
            keep: &[],
        },
        result,
    )
}

/// Validates a new password and its confirmation, recording problems under
/// the `password` and `password_confirm` fields.
#[cfg(feature = "ssr")]
fn check_password_pair(
    fields: &mut FieldErrors,
    password: &str,
    confirmation: &str,
    personal_words: &[&str],
) {
    if fields
        .check("password", check_new_password(password, personal_words))
        .is_some()
        && password != confirmation
    {
        fields.add("password_confirm", PasswordError::Mismatch.to_string());
    }
}

/// The details an invitation link shows before it is accepted.
#[server(endpoint = "auth/invitation", input = leptos::server_fn::codec::GetUrl)]
pub async fn invitation_email(token: String) -> Result<String, AppError> {
    let database = expect_context::<Database>();
    let invitation = database
        .find_open_invitation(&token_hash(&token), now_ms())
        .await?;
    invitation
        .map(|invitation| invitation.email)
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "auth/accept-invitation")]
pub async fn accept_invitation(
    token: String,
    display_name: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let result = async {
        let database = expect_context::<Database>();
        let hasher = expect_context::<PasswordHasher>();
        let meta = request_meta();
        let now = now_ms();
        let invitation = database
            .find_open_invitation(&token_hash(&token), now)
            .await?
            .ok_or_else(link_no_longer_valid)?;

        let mut fields = FieldErrors::new();
        let name = fields.check("display_name", parse_display_name(&display_name));
        check_password_pair(
            &mut fields,
            &password,
            &password_confirm,
            &[&invitation.email, &display_name],
        );
        fields.into_result()?;
        let name = name.expect("checked above");

        let password_hash = hasher.hash(&password).await?;
        let new_user = NewUser {
            email: &invitation.email,
            display_name: &name,
            password_hash: &password_hash,
            is_admin: false,
            created_at: now,
        };
        let user = match database.accept_invitation(invitation.id, &new_user).await {
            Ok(Some(user)) => user,
            Ok(None) => return Err(link_no_longer_valid()),
            Err(RepoError::Duplicate) => {
                return Err(AppError::Refused(
                    "An account with this email address already exists. Sign in instead."
                        .to_string(),
                ))
            }
            Err(error) => return Err(error.into()),
        };
        audit(
            &database,
            &meta,
            Some(user.id),
            AuditAction::InvitationUsed,
            Some(&user.email),
        )
        .await?;
        Ok(login_page("welcome", &user.email))
    }
    .await;
    let form_path = format!("/invite/{token}");
    answer_form(
        AcceptInvitation::PATH,
        FormPage {
            path: &form_path,
            keep: &[("display_name", display_name.as_str())],
        },
        result,
    )
}

/// The sign-in page with a notice (`welcome`, `reset`) and the email filled in.
#[cfg(feature = "ssr")]
fn login_page(notice: &str, email: &str) -> String {
    let email: String = url::form_urlencoded::byte_serialize(email.as_bytes()).collect();
    format!("/login?{notice}=1&email={email}")
}

#[cfg(feature = "ssr")]
fn link_no_longer_valid() -> AppError {
    AppError::Refused(
        "This link is no longer valid: it was used already or has expired. Ask your administrator for a new one."
            .to_string(),
    )
}

/// Whether a password-reset link can still be used (and for which email).
#[server(endpoint = "auth/reset-link", input = leptos::server_fn::codec::GetUrl)]
pub async fn reset_link_email(token: String) -> Result<String, AppError> {
    let database = expect_context::<Database>();
    let reset = database
        .find_open_password_reset(&token_hash(&token), now_ms())
        .await?;
    reset.map(|reset| reset.email).ok_or(AppError::NotFound)
}

#[server(endpoint = "auth/reset-password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let result = async {
        let database = expect_context::<Database>();
        let hasher = expect_context::<PasswordHasher>();
        let meta = request_meta();
        let now = now_ms();
        let reset = database
            .find_open_password_reset(&token_hash(&token), now)
            .await?
            .ok_or_else(link_no_longer_valid)?;
        let user_id = reset.user_id;

        let mut fields = FieldErrors::new();
        check_password_pair(&mut fields, &password, &password_confirm, &[&reset.email]);
        fields.into_result()?;

        let password_hash = hasher.hash(&password).await?;
        if !database
            .complete_password_reset(reset.id, user_id, &password_hash, now)
            .await?
        {
            return Err(link_no_longer_valid());
        }
        audit(
            &database,
            &meta,
            Some(user_id),
            AuditAction::ResetLinkUsed,
            None,
        )
        .await?;
        Ok(login_page("reset", &reset.email))
    }
    .await;
    let form_path = format!("/reset/{token}");
    answer_form(
        ResetPassword::PATH,
        FormPage {
            path: &form_path,
            keep: &[],
        },
        result,
    )
}

/// Whether the one-time setup page is open: no account exists yet.
#[server(endpoint = "auth/setup-open", input = leptos::server_fn::codec::GetUrl)]
pub async fn setup_open() -> Result<bool, AppError> {
    let database = expect_context::<Database>();
    Ok(database.count_users().await? == 0)
}

#[server(endpoint = "auth/setup")]
pub async fn set_up_administrator(
    setup_token: String,
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let result = async {
        let database = expect_context::<Database>();
        let hasher = expect_context::<PasswordHasher>();
        let gate = expect_context::<crate::server::auth::setup::SetupGate>();
        let meta = request_meta();
        if database.count_users().await? > 0 {
            return Err(AppError::NotFound);
        }
        let mut fields = FieldErrors::new();
        if !gate.accepts(&setup_token) {
            fields.add(
                "setup_token",
                "This is not the setup token printed in the server log at start-up.",
            );
        }
        let parsed_email = fields.check("email", Email::parse(&email));
        let name = fields.check("display_name", parse_display_name(&display_name));
        check_password_pair(
            &mut fields,
            &password,
            &password_confirm,
            &[&email, &display_name],
        );
        fields.into_result()?;
        let (email, name) = (parsed_email.expect("checked"), name.expect("checked"));

        let user =
            create_administrator(&database, &hasher, &email, &name, &password, &meta).await?;
        gate.close();
        Ok(login_page("welcome", &user.email))
    }
    .await;
    answer_form(
        SetUpAdministrator::PATH,
        FormPage {
            path: "/setup",
            keep: &[
                ("email", email.as_str()),
                ("display_name", display_name.as_str()),
            ],
        },
        result,
    )
}
