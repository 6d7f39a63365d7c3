//! Administrators' links to accounts, as workflows: create a link whose
//! token is kept sealed only until its creator has seen it once; show it
//! once; revoke one. Each step writes its audit event.

use crate::{
    domain::{
        accounts::{AuditAction, UserId},
        admin_links::{LinkKind, NewLinkRef, REVEAL_WINDOW_MS},
    },
    error::AppError,
    server::{
        auth::{
            audit,
            tokens::{new_token, token_hash},
            RequestMeta,
        },
        crypto::FieldCipher,
        repo::{Database, NewLink},
    },
};

/// Invitation links stay valid this long.
pub const INVITATION_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Reset links stay valid this long.
pub const RESET_LINK_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// Who is doing it, with what, when.
pub struct LinkContext<'a> {
    pub database: &'a Database,
    pub cipher: &'a FieldCipher,
    pub meta: &'a RequestMeta,
    pub administrator: UserId,
    pub now: i64,
}

/// Creates an invitation for `email` (already checked to be free).
pub async fn create_invitation(
    context: &LinkContext<'_>,
    email: &str,
) -> Result<NewLinkRef, AppError> {
    let minted = mint();
    let id = context
        .database
        .create_invitation(
            context.cipher,
            email,
            &new_link(context, &minted, INVITATION_LIFETIME_MS),
        )
        .await?;
    audit(
        context.database,
        context.meta,
        Some(context.administrator),
        AuditAction::InvitationCreated,
        Some(email),
    )
    .await?;
    Ok(NewLinkRef {
        kind: LinkKind::Invitation,
        id,
    })
}

/// Creates a reset link for the account `user_id` (with `email`); an
/// earlier unused one stops working, and that is logged too.
pub async fn create_reset_link(
    context: &LinkContext<'_>,
    user_id: UserId,
    email: &str,
) -> Result<NewLinkRef, AppError> {
    let minted = mint();
    let created = context
        .database
        .create_password_reset(
            context.cipher,
            user_id,
            &new_link(context, &minted, RESET_LINK_LIFETIME_MS),
        )
        .await?;
    for _ in 0..created.revoked_earlier {
        audit(
            context.database,
            context.meta,
            Some(context.administrator),
            AuditAction::ResetLinkRevoked,
            Some(email),
        )
        .await?;
    }
    audit(
        context.database,
        context.meta,
        Some(context.administrator),
        AuditAction::ResetLinkCreated,
        Some(email),
    )
    .await?;
    Ok(NewLinkRef {
        kind: LinkKind::Reset,
        id: created.id,
    })
}

/// A fresh token and its hash, by which the database recognises it (it
/// keeps the token itself only sealed, for the one showing to its creator).
struct Minted {
    token_hash: String,
    token: String,
}

fn mint() -> Minted {
    let token = new_token();
    Minted {
        token_hash: token_hash(&token),
        token,
    }
}

fn new_link<'a>(context: &LinkContext<'_>, minted: &'a Minted, lifetime_ms: i64) -> NewLink<'a> {
    NewLink {
        token_hash: &minted.token_hash,
        token: &minted.token,
        created_by: context.administrator,
        created_at: context.now,
        expires_at: context.now + lifetime_ms,
        reveal_until: context.now + REVEAL_WINDOW_MS,
    }
}

/// The token of a link just created by `context.administrator`, once, for
/// them only and only within the reveal window; `None` otherwise. Sealed
/// copies whose window has passed are erased on the way.
pub async fn take_new_link(
    context: &LinkContext<'_>,
    link: NewLinkRef,
) -> Result<Option<String>, AppError> {
    context
        .database
        .forget_unrevealed_links(context.now)
        .await?;
    Ok(context
        .database
        .take_new_link(context.cipher, link, context.administrator, context.now)
        .await?)
}

/// Revokes an unused invitation or reset link; not found when there is no
/// such link that could still be used.
pub async fn revoke(context: &LinkContext<'_>, link: NewLinkRef) -> Result<(), AppError> {
    let (action, email) = match link.kind {
        LinkKind::Invitation => (
            AuditAction::InvitationRevoked,
            context
                .database
                .revoke_invitation(link.id, context.now)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        LinkKind::Reset => {
            let user_id = context
                .database
                .revoke_password_reset(link.id, context.now)
                .await?
                .ok_or(AppError::NotFound)?;
            let email = context
                .database
                .find_user(user_id)
                .await?
                .map(|user| user.email)
                .unwrap_or_default();
            (AuditAction::ResetLinkRevoked, email)
        }
    };
    audit(
        context.database,
        context.meta,
        Some(context.administrator),
        action,
        Some(&email),
    )
    .await?;
    Ok(())
}
