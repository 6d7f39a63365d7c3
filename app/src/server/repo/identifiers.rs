//! The identifier check's records: confirmations (by keyed fingerprint,
//! never text) and each reflection's count of pending findings, which keeps
//! it from supervisors while it is above zero.

use std::collections::HashSet;

use crate::domain::{accounts::UserId, cases::CaseId, reflection::ReflectionId};

use super::database::{on_pool, Database, RepoError};

impl Database {
    /// The fingerprints `owner` confirmed as not identifying in `case`.
    pub async fn confirmed_fingerprints(
        &self,
        owner: UserId,
        case: CaseId,
    ) -> Result<HashSet<String>, RepoError> {
        let rows: Vec<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT fingerprint FROM identifier_confirmations \
             WHERE owner_id = $1 AND case_id = $2"
        )
        .bind(owner.0)
        .bind(case.0)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(|(fingerprint,)| fingerprint).collect())
    }

    /// Records that `owner` confirmed these findings of their `case` as not
    /// identifying; confirming one twice changes nothing.
    pub async fn confirm_identifiers(
        &self,
        owner: UserId,
        case: CaseId,
        fingerprints: &[String],
        now: i64,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for fingerprint in fingerprints {
                sqlx::query(
                    "INSERT INTO identifier_confirmations (owner_id, fingerprint, case_id, confirmed_at) \
                     SELECT $1, $2, c.id, $4 FROM cases c WHERE c.id = $3 AND c.owner_id = $1 \
                     ON CONFLICT (owner_id, fingerprint) DO NOTHING",
                )
                .bind(owner.0)
                .bind(fingerprint)
                .bind(case.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, RepoError>(())
        })
    }

    /// Sets how many findings of `owner`'s reflection are pending; a
    /// reflection with any is not shown through a share.
    pub async fn set_identifiers_pending(
        &self,
        owner: UserId,
        reflection: ReflectionId,
        pending: usize,
    ) -> Result<(), RepoError> {
        let updated = on_pool!(self, |pool| sqlx::query(
            "UPDATE reflections SET identifiers_pending = $1 \
             WHERE id = $2 AND case_id IN (SELECT id FROM cases WHERE owner_id = $3)"
        )
        .bind(pending as i64)
        .bind(reflection.0)
        .bind(owner.0)
        .execute(pool)
        .await?
        .rows_affected());
        if updated == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }
}
