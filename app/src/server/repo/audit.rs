//! The security audit log: append-only from the application.

use super::database::{on_pool, Database, RepoError};
use crate::domain::accounts::{AuditAction, AuditEvent, UserId};

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
        type Row = (
            i64,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.occurred_at, u.email, a.action, a.target, a.request_id, a.client_ip \
             FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id \
             ORDER BY a.occurred_at DESC, a.id DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(occurred_at, actor, action, target, request_id, client_ip)| {
                    let action = AuditAction::parse(&action)?;
                    Some(AuditEvent {
                        occurred_at,
                        actor,
                        action,
                        target,
                        request_id,
                        client_ip,
                    })
                },
            )
            .collect())
    }
}
