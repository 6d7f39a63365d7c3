//! Leaving: a person deletes their own account (privacy rule 6).

use crate::{
    domain::{accounts::confirms_deletion, validation::FieldErrors},
    error::AppError,
    server::{
        auth::{
            attempts::{recheck_password, PasswordCheck},
            now_ms,
            passwords::PasswordHasher,
            Authenticated,
        },
        repo::{AccountDeletion, Database},
    },
};

/// What the person types to delete their account.
pub struct DeletionRequest<'a> {
    pub password: &'a str,
    /// Their email address, typed to confirm.
    pub confirmation: &'a str,
    pub request_id: Option<&'a str>,
}

/// Why the last active administrator cannot leave.
pub const LAST_ADMINISTRATOR: &str = "You are the only active administrator, so your account \
     cannot be deleted: nobody would be left to invite people, reset passwords or read the \
     security events. Another administrator must exist first (whoever runs the server can \
     create one with `server create-admin`, or you can re-enable a disabled one).";

/// What a deletion made too soon after wrong passwords is told.
pub const DELETION_REFUSED_WAIT: &str =
    "Too many wrong passwords were tried; wait a few minutes, then try again.";

/// Deletes the signed-in account once its password is right and its email
/// address typed to confirm; see `Database::delete_account` for what goes.
/// The password is checked only when the rest of the form is complete, and
/// like a sign-in (counted, delayed after repeated failures, logged).
pub async fn delete_own_account(
    database: &Database,
    hasher: &PasswordHasher,
    signed_in: &Authenticated,
    request: &DeletionRequest<'_>,
) -> Result<(), AppError> {
    let user = &signed_in.user;
    let mut fields = FieldErrors::new();
    if request.password.is_empty() {
        fields.add("password", "Enter your password.");
    }
    if !confirms_deletion(request.confirmation, &user.email) {
        fields.add(
            "confirmation",
            "Type the email address you sign in with, to confirm.",
        );
    }
    fields.into_result()?;
    // Said before a password is asked for: it cannot change by trying.
    if user.is_admin && !database.another_active_administrator(user.id).await? {
        return Err(AppError::Refused(LAST_ADMINISTRATOR.to_string()));
    }
    match recheck_password(
        database,
        hasher,
        user.id,
        request.password,
        "account deletion",
    )
    .await?
    {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => {
            let mut fields = FieldErrors::new();
            fields.add("password", "This is not your password.");
            return Err(AppError::Invalid(fields));
        }
        PasswordCheck::NotNow => {
            return Err(AppError::Refused(DELETION_REFUSED_WAIT.to_string()));
        }
    }
    match database
        .delete_account(user.id, now_ms(), request.request_id)
        .await?
    {
        AccountDeletion::Deleted => {
            tracing::info!(account = user.id.0, "account deleted by its owner");
            Ok(())
        }
        AccountDeletion::LastAdministrator => {
            Err(AppError::Refused(LAST_ADMINISTRATOR.to_string()))
        }
        AccountDeletion::NotFound => Err(AppError::Unauthenticated),
    }
}
