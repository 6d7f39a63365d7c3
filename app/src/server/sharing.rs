//! The therapist's side of sharing: checking who a case would be shared
//! with, previewing exactly what they would see, and sharing it.

use crate::{
    domain::{
        accounts::User,
        sharing::{ShareId, SharePreview, ShareRequest},
        validation::FieldErrors,
    },
    error::AppError,
    server::{
        access::OwnedCase,
        crypto::FieldCipher,
        repo::{Database, NewShare, RepoError},
    },
};

fn refused_at(field: &str, message: impl Into<String>) -> AppError {
    let mut fields = FieldErrors::new();
    fields.add(field, message);
    AppError::Invalid(fields)
}

/// The active account other than the owner that the request names.
async fn supervisor_of(
    database: &Database,
    case: &OwnedCase,
    request: &ShareRequest,
) -> Result<User, AppError> {
    match database
        .find_user_by_email(request.supervisor_email.as_str())
        .await?
    {
        Some(user) if user.id == case.owner() => Err(refused_at(
            "supervisor_email",
            "That is your own account; enter your supervisor's email address.",
        )),
        Some(user) if !user.disabled => Ok(user),
        _ => Err(refused_at(
            "supervisor_email",
            "No active account on this server has that email address. Check it, or ask your administrator to invite your supervisor.",
        )),
    }
}

/// The share as the supervisor would see it, before anything is stored.
pub async fn preview(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    request: ShareRequest,
) -> Result<SharePreview, AppError> {
    let supervisor = supervisor_of(database, case, &request).await?;
    let reflections = database
        .load_shared_reflections(cipher, case.id, None, None)
        .await?
        .into_iter()
        .filter(|reflection| !request.scope.excluded.contains(&reflection.id))
        .collect();
    Ok(SharePreview {
        supervisor_name: supervisor.display_name,
        request,
        reflections,
    })
}

/// Shares the case; refused at the email field when the supervisor is not
/// an active account other than the owner's, or already has an open share.
pub async fn share(
    database: &Database,
    case: &OwnedCase,
    request: &ShareRequest,
    now: i64,
) -> Result<ShareId, AppError> {
    let supervisor = supervisor_of(database, case, request).await?;
    let share = NewShare {
        owner: case.owner(),
        case: case.id,
        supervisor: supervisor.id,
        basis: request.basis,
        scope: &request.scope,
        now,
    };
    match database.create_share(&share).await {
        Ok(id) => Ok(id),
        Err(RepoError::Duplicate) => Err(refused_at(
            "supervisor_email",
            format!(
                "This case is already shared with {}; change or revoke that share instead.",
                supervisor.display_name
            ),
        )),
        Err(other) => Err(other.into()),
    }
}
