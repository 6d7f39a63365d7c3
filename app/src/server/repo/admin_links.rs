//! Administrators' links to accounts: creating, showing once, revoking,
//! and telling the owner of an account reset through one (see
//! `crate::domain::admin_links`).

use super::{
    database::{on_pool, Database, RepoError},
    sealed_columns::{INVITATION_TOKEN, PASSWORD_RESET_TOKEN},
};
use crate::{
    domain::{
        accounts::UserId,
        admin_links::{LinkKind, NewLinkRef, OpenResetLink, ResetNotice},
    },
    server::crypto::{FieldCipher, SealedColumn},
};

/// A link about to be stored: its token only as a hash (to recognise it)
/// and sealed (to show it once to `created_by` until `reveal_until`).
pub struct NewLink<'a> {
    pub token_hash: &'a str,
    /// Stored sealed only, bound to the new row and its creator.
    pub token: &'a str,
    pub created_by: UserId,
    pub created_at: i64,
    pub expires_at: i64,
    pub reveal_until: i64,
}

/// A new reset link and how many earlier unused links it replaced.
pub struct CreatedResetLink {
    pub id: i64,
    pub revoked_earlier: u64,
}

fn token_column(kind: LinkKind) -> SealedColumn {
    match kind {
        LinkKind::Invitation => INVITATION_TOKEN,
        LinkKind::Reset => PASSWORD_RESET_TOKEN,
    }
}

fn table(kind: LinkKind) -> &'static str {
    token_column(kind).table
}

/// Seals new link `id`'s token, bound to its row and creator, inside `$tx`.
macro_rules! seal_token {
    ($tx:ident, $cipher:expr, $kind:expr, $id:expr, $link:expr) => {
        sqlx::query(&format!(
            "UPDATE {} SET token_sealed = $2 WHERE id = $1",
            table($kind)
        ))
        .bind($id)
        .bind($cipher.seal(token_column($kind).at($id, $link.created_by.0), $link.token))
        .execute(&mut *$tx)
        .await?;
    };
}

impl Database {
    pub async fn create_invitation(
        &self,
        cipher: &FieldCipher,
        email: &str,
        link: &NewLink<'_>,
    ) -> Result<i64, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO invitations \
                 (token_hash, email, created_by, created_at, expires_at, reveal_until) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(link.token_hash)
            .bind(email)
            .bind(link.created_by.0)
            .bind(link.created_at)
            .bind(link.expires_at)
            .bind(link.reveal_until)
            .fetch_one(&mut *tx)
            .await?;
            seal_token!(tx, cipher, LinkKind::Invitation, id, link);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Creates a reset link for `user_id` and revokes, in the same
    /// transaction, every earlier one not yet used: one account has at most
    /// one usable reset link.
    pub async fn create_password_reset(
        &self,
        cipher: &FieldCipher,
        user_id: UserId,
        link: &NewLink<'_>,
    ) -> Result<CreatedResetLink, RepoError> {
        let created = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let revoked_earlier = sqlx::query(
                "UPDATE password_resets SET revoked_at = $1, token_sealed = NULL \
                 WHERE user_id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
            )
            .bind(link.created_at)
            .bind(user_id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO password_resets \
                 (token_hash, user_id, created_by, created_at, expires_at, reveal_until) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(link.token_hash)
            .bind(user_id.0)
            .bind(link.created_by.0)
            .bind(link.created_at)
            .bind(link.expires_at)
            .bind(link.reveal_until)
            .fetch_one(&mut *tx)
            .await?;
            seal_token!(tx, cipher, LinkKind::Reset, id, link);
            tx.commit().await?;
            Ok::<_, RepoError>(CreatedResetLink {
                id,
                revoked_earlier,
            })
        })?;
        Ok(created)
    }

    /// The token of a new link, for the administrator who created it,
    /// once: the copy is erased as it is taken (two requests racing for it
    /// get it at most once). `None` for anyone else, after the reveal
    /// window, or once the link was used or revoked.
    pub async fn take_new_link(
        &self,
        cipher: &FieldCipher,
        link: NewLinkRef,
        administrator: UserId,
        now: i64,
    ) -> Result<Option<String>, RepoError> {
        let table = table(link.kind);
        let select = format!(
            "SELECT token_sealed FROM {table} WHERE id = $1 AND created_by = $2 \
             AND token_sealed IS NOT NULL AND reveal_until > $3 \
             AND used_at IS NULL AND revoked_at IS NULL"
        );
        let erase =
            format!("UPDATE {table} SET token_sealed = NULL WHERE id = $1 AND token_sealed = $2");
        let taken = on_pool!(self, |pool| {
            let sealed: Option<(String,)> = sqlx::query_as(&select)
                .bind(link.id)
                .bind(administrator.0)
                .bind(now)
                .fetch_optional(pool)
                .await?;
            let Some((sealed,)) = sealed else {
                return Ok(None);
            };
            let erased = sqlx::query(&erase)
                .bind(link.id)
                .bind(&sealed)
                .execute(pool)
                .await?
                .rows_affected();
            Ok::<_, sqlx::Error>((erased == 1).then_some(sealed))
        })?;
        let place = token_column(link.kind).at(link.id, administrator.0);
        Ok(taken
            .map(|sealed| cipher.open(place, &sealed))
            .transpose()?)
    }

    /// Erases the sealed tokens of links whose reveal window has passed;
    /// returns how many.
    pub async fn forget_unrevealed_links(&self, now: i64) -> Result<u64, RepoError> {
        let mut forgotten = 0;
        for kind in [LinkKind::Invitation, LinkKind::Reset] {
            let sql = format!(
                "UPDATE {} SET token_sealed = NULL WHERE token_sealed IS NOT NULL AND reveal_until <= $1",
                table(kind)
            );
            forgotten += on_pool!(self, |pool| sqlx::query(&sql)
                .bind(now)
                .execute(pool)
                .await
                .map(|result| result.rows_affected()))?;
        }
        Ok(forgotten)
    }

    /// Revokes an invitation not yet used, revoked or expired; returns the
    /// email it was for, or `None` when there is no such invitation.
    pub async fn revoke_invitation(&self, id: i64, now: i64) -> Result<Option<String>, RepoError> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "UPDATE invitations SET revoked_at = $1, token_sealed = NULL \
             WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
             RETURNING email"
        )
        .bind(now)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(email,)| email))
    }

    /// Revokes a reset link not yet used, revoked or expired; returns the
    /// account it was for, or `None` when there is no such link.
    pub async fn revoke_password_reset(
        &self,
        id: i64,
        now: i64,
    ) -> Result<Option<UserId>, RepoError> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "UPDATE password_resets SET revoked_at = $1, token_sealed = NULL \
             WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
             RETURNING user_id"
        )
        .bind(now)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(user_id,)| UserId(user_id)))
    }

    /// Reset links that can still be used, newest first.
    pub async fn open_password_resets(&self, now: i64) -> Result<Vec<OpenResetLink>, RepoError> {
        let rows: Vec<(i64, String, i64, i64, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT r.id, u.email, r.created_at, r.expires_at, a.email \
             FROM password_resets r JOIN users u ON u.id = r.user_id JOIN users a ON a.id = r.created_by \
             WHERE r.used_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > $1 \
             ORDER BY r.id DESC"
        )
        .bind(now)
        .fetch_all(pool)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(
                |(id, email, created_at, expires_at, created_by)| OpenResetLink {
                    id,
                    email,
                    created_at,
                    expires_at,
                    created_by,
                },
            )
            .collect())
    }

    /// The resets through an administrator's link that the account's owner
    /// has not dismissed yet, newest first.
    pub async fn reset_notices(&self, user_id: UserId) -> Result<Vec<ResetNotice>, RepoError> {
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.id, r.used_at, a.display_name, a.email \
             FROM password_resets r JOIN users a ON a.id = r.created_by \
             WHERE r.user_id = $1 AND r.used_at IS NOT NULL AND r.notice_dismissed_at IS NULL \
             ORDER BY r.id DESC"
        )
        .bind(user_id.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(reset_id, reset_at, administrator_name, administrator_email)| ResetNotice {
                    reset_id,
                    reset_at,
                    administrator_name,
                    administrator_email,
                },
            )
            .collect())
    }

    /// Dismisses the notice of one reset of `user_id`'s own account; false
    /// when there is no such notice showing.
    pub async fn dismiss_reset_notice(
        &self,
        user_id: UserId,
        reset_id: i64,
        now: i64,
    ) -> Result<bool, RepoError> {
        let dismissed = on_pool!(self, |pool| {
            sqlx::query(
            "UPDATE password_resets SET notice_dismissed_at = $1 \
             WHERE id = $2 AND user_id = $3 AND used_at IS NOT NULL AND notice_dismissed_at IS NULL"
        )
        .bind(now)
        .bind(reset_id)
        .bind(user_id.0)
        .execute(pool)
        .await
        .map(|result| result.rows_affected())
        })?;
        Ok(dismissed == 1)
    }
}
