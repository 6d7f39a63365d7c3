//! Deleting an account with everything that is its owner's, in one
//! transaction (privacy rule 6).
//!
//! Most of the work is the schema's: every row that belongs to an account
//! refers to it with `ON DELETE CASCADE` (sessions, known devices, cases and
//! all in them, drafts, shares it gave or received, comment threads and
//! ratings it wrote, meetings it led, its place in others' meetings), and
//! the therapist's access log keeps a deleted supervisor's reads as "a
//! former supervisor" (`SET NULL`, migration 0008). What the schema cannot
//! know is done here, before the account's row goes: the count of former
//! members of the meetings it leaves, agenda items of other people's
//! meetings that name the account's sessions or its action items,
//! the invitation that made the account (it holds the email address), and
//! the security events that hold the email address or the account's own
//! network addresses.

use super::database::{on_pool, Database, RepoError};
use crate::domain::accounts::{former_account_label, AuditAction, UserId};

/// What [`Database::delete_account`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountDeletion {
    Deleted,
    /// Nothing changed: the account is the last active administrator.
    LastAdministrator,
    /// Nothing changed: there is no such account (deleted meanwhile).
    NotFound,
}

/// Agenda items (kept as sealed snapshots in other people's meetings) that
/// are about the account's sessions or the action items assigned to it, by
/// their `AgendaKey` slugs.
const FORGET_AGENDA_ITEMS: &str = "DELETE FROM meeting_agenda_items WHERE item_key IN ( \
     SELECT 'comments:' || r.id FROM reflections r JOIN cases c ON c.id = r.case_id WHERE c.owner_id = $1 \
     UNION SELECT 'pacing:' || r.id FROM reflections r JOIN cases c ON c.id = r.case_id WHERE c.owner_id = $1 \
     UNION SELECT 'review:' || r.id FROM reflections r JOIN cases c ON c.id = r.case_id WHERE c.owner_id = $1 \
     UNION SELECT 'action_item:' || a.id FROM meeting_action_items a WHERE a.assignee_id = $1)";

impl Database {
    /// Whether an active administrator other than `user_id` exists.
    pub async fn another_active_administrator(&self, user_id: UserId) -> Result<bool, RepoError> {
        let (others,): (i64,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*) FROM users WHERE is_admin AND disabled_at IS NULL AND id <> $1"
        )
        .bind(user_id.0)
        .fetch_one(pool)
        .await)?;
        Ok(others > 0)
    }

    /// Deletes the account `user_id` and all that is its owner's, and
    /// records the fact (the account's number, nothing else) in the
    /// security events log, all in one transaction. Refused, changing
    /// nothing, when it would leave the server without an active
    /// administrator.
    pub async fn delete_account(
        &self,
        user_id: UserId,
        at: i64,
        request_id: Option<&str>,
    ) -> Result<AccountDeletion, RepoError> {
        let former = former_account_label(user_id);
        let outcome = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Writes first, to the rows of every active administrator: two
            // administrators deleting their accounts at once then take turns
            // (PostgreSQL locks those rows; SQLite's write lock is taken
            // here, before anything is read), so the second sees the
            // first one gone and cannot leave the server with none.
            sqlx::query(
                "UPDATE users SET is_admin = is_admin WHERE is_admin AND disabled_at IS NULL",
            )
            .execute(&mut *tx)
            .await?;
            let account: Option<(String, bool, i64)> = sqlx::query_as(
                "SELECT email, is_admin, (SELECT COUNT(*) FROM users o \
                 WHERE o.is_admin AND o.disabled_at IS NULL AND o.id <> $1) \
                 FROM users WHERE id = $1",
            )
            .bind(user_id.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((email, is_admin, other_administrators)) = account else {
                return Ok(AccountDeletion::NotFound);
            };
            if is_admin && other_administrators == 0 {
                return Ok(AccountDeletion::LastAdministrator);
            }
            sqlx::query(
                "UPDATE meetings SET former_supervisees = former_supervisees + 1 \
                 WHERE id IN (SELECT meeting_id FROM meeting_supervisees WHERE supervisee_id = $1)",
            )
            .bind(user_id.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query(FORGET_AGENDA_ITEMS)
                .bind(user_id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM invitations WHERE used_by = $1")
                .bind(user_id.0)
                .execute(&mut *tx)
                .await?;
            // Older security events stay (they are the server's record of
            // what happened), without the person: the account's own
            // addresses go, and where its email address stood, its number.
            sqlx::query("UPDATE audit_events SET client_ip = NULL WHERE actor_id = $1")
                .bind(user_id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE audit_events SET target = $1 WHERE target = $2")
                .bind(&former)
                .bind(&email)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(user_id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO audit_events (occurred_at, actor_id, action, target, request_id, client_ip) \
                 VALUES ($1, $2, $3, NULL, $4, NULL)",
            )
            .bind(at)
            .bind(user_id.0)
            .bind(AuditAction::AccountDeleted.as_str())
            .bind(request_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(AccountDeletion::Deleted)
        })?;
        Ok(outcome)
    }
}
