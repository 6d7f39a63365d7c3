//! The security audit log: append-only from the application.

use super::database::{on_pool, Database, RepoError};
use crate::domain::{
    accounts::{AuditAction, AuditEvent, UserId, FORMER_ACCOUNT_PREFIX},
    audit::{AuditFilter, ACTIONS_ABOUT_AN_ACCOUNT, OWN_ACTIONS},
};

type EventRow = (
    i64,
    i64,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn events_from_rows(rows: Vec<EventRow>) -> Vec<AuditEvent> {
    rows.into_iter()
        .filter_map(
            |(id, occurred_at, actor, action, target, request_id, client_ip)| {
                let action = AuditAction::parse(&action)?;
                Some(AuditEvent {
                    id,
                    occurred_at,
                    actor,
                    action,
                    target,
                    request_id,
                    client_ip,
                })
            },
        )
        .collect()
}

/// `'a', 'b'`: a list of action names for SQL (constants, never input).
fn sql_names(actions: &[AuditAction]) -> String {
    actions
        .iter()
        .map(|action| format!("'{}'", action.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub struct NewAuditEvent<'a> {
    pub occurred_at: i64,
    pub actor: Option<UserId>,
    pub action: AuditAction,
    pub target: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub client_ip: Option<&'a str>,
}

impl Database {
    pub async fn record_audit_event(&self, event: &NewAuditEvent<'_>) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO audit_events (occurred_at, actor_id, action, target, request_id, client_ip) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(event.occurred_at)
            .bind(event.actor.map(|id| id.0))
            .bind(event.action.as_str())
            .bind(event.target)
            .bind(event.request_id)
            .bind(event.client_ip)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The newest events first.
    pub async fn recent_audit_events(&self, limit: i64) -> Result<Vec<AuditEvent>, RepoError> {
        self.audit_events(&AuditFilter::default(), limit).await
    }

    /// The events `filter` asks for, newest first, at most `limit`. An
    /// account matches the events it did and those about it (whose target
    /// is its email). A deleted account's events read "account #N" as
    /// their actor (see `Database::delete_account`).
    pub async fn audit_events(
        &self,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, RepoError> {
        let action = filter.action.map(AuditAction::as_str);
        let account = filter.account.as_ref().map(|email| email.as_str());
        // An actor whose account is deleted is named by its number.
        let sql = format!(
            "SELECT a.id, a.occurred_at, COALESCE(u.email, '{FORMER_ACCOUNT_PREFIX}' || a.actor_id), \
             a.action, a.target, a.request_id, a.client_ip \
             FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE ($1 IS NULL OR a.action = $1) \
             AND ($2 IS NULL OR u.email = $2 OR a.target = $2) \
             AND ($3 IS NULL OR a.id < $3) \
             ORDER BY a.id DESC LIMIT $4"
        );
        let rows: Vec<EventRow> = on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(action)
                .bind(account)
                .bind(filter.before)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(events_from_rows(rows))
    }

    /// An account's own activity, as its owner sees it, newest first, at
    /// most `limit`: what it did itself (sign-ins, sign-outs, password
    /// changes, using a reset link) and what was done to it (failed
    /// sign-ins with its email, reset links created or revoked for it,
    /// being disabled or enabled).
    pub async fn own_account_activity(
        &self,
        user_id: UserId,
        email: &str,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, RepoError> {
        let sql = format!(
            "SELECT a.id, a.occurred_at, u.email, a.action, a.target, a.request_id, a.client_ip \
             FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE (a.actor_id = $1 AND a.action IN ({})) OR (a.target = $2 AND a.action IN ({})) \
             ORDER BY a.id DESC LIMIT $3",
            sql_names(&OWN_ACTIONS),
            sql_names(&ACTIONS_ABOUT_AN_ACCOUNT),
        );
        let rows: Vec<EventRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(user_id.0)
            .bind(email)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        Ok(events_from_rows(rows))
    }
}
