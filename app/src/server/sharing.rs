//! The therapist's side of sharing: checking who a case would be shared
//! with, previewing exactly what they would see, and sharing it.

use crate::{
    domain::{
        accounts::User,
        identifiers::review::pending_in,
        reflection::ReflectionId,
        sharing::{ShareId, SharePreview, ShareRequest},
        validation::FieldErrors,
    },
    error::AppError,
    server::{
        access::OwnedCase,
        crypto::FieldCipher,
        identifier_review,
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
    let reflections: Vec<_> = database
        .load_shared_reflections(cipher, case.id, None, None)
        .await?
        .into_iter()
        .filter(|reflection| !request.scope.excluded.contains(&reflection.id))
        .collect();
    let identifiers =
        identifier_review::review_loaded(database, cipher, case, &reflections).await?;
    Ok(SharePreview {
        supervisor_name: supervisor.display_name,
        request,
        reflections,
        identifiers,
    })
}

/// Shares the case; refused at the email field when the supervisor is not
/// an active account other than the owner's, or already has an open share,
/// and refused while a possible identifier in what would be shared is
/// neither fixed nor confirmed.
pub async fn share(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    request: &ShareRequest,
    now: i64,
) -> Result<ShareId, AppError> {
    let supervisor = supervisor_of(database, case, request).await?;
    refuse_while_pending(database, cipher, case, &request.scope.excluded).await?;
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

/// Refuses when what a share leaving out `excluded` would show holds a
/// possible identifier neither fixed nor confirmed.
pub async fn refuse_while_pending(
    database: &Database,
    cipher: &FieldCipher,
    case: &OwnedCase,
    excluded: &[ReflectionId],
) -> Result<(), AppError> {
    let passages = identifier_review::review_share(database, cipher, case, excluded).await?;
    match pending_in(&passages) {
        0 => Ok(()),
        pending => Err(identifier_review::refuse_pending(pending)),
    }
}
