//! Cases. Every statement is scoped to the owner: a case id of someone else
//! behaves exactly like one that does not exist.

use super::{
    database::{on_pool, Database, RepoError},
    reflections::day_of,
};
use crate::{
    domain::{
        accounts::UserId,
        cases::{Case, CaseDetails, CaseId, CaseSummary},
        text::normalized,
        vocabulary::{CaseStatus, Modality, SessionFrequency},
    },
    server::{crypto::FieldCipher, repo::sealed_columns::CASE_NAMES_TO_WATCH},
};

/// Parses a stored slug, or reports the column as corrupt.
pub(super) fn stored<T>(
    column: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, RepoError> {
    parse(value).ok_or_else(|| RepoError::Corrupt {
        column,
        value: value.to_string(),
    })
}

/// The form of a code that uniqueness is checked on: lower-cased in Rust,
/// because SQLite's `lower()` folds ASCII letters only, and composed (NFC),
/// so an accent typed either way is the same code.
fn code_key(code: &str) -> String {
    normalized(&code.to_lowercase())
}

type CaseRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
);

const CASE_COLUMNS: &str =
    "id, code, modality, frequency, start_date, planned_sessions, status, names_to_watch_sealed";

impl Database {
    /// Fails with [`RepoError::Duplicate`] when the owner already has a case
    /// with this code (ignoring letter case).
    pub async fn create_case(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        details: &CaseDetails,
        now: i64,
    ) -> Result<CaseId, RepoError> {
        let names = details.names_to_watch.join("\n");
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The names are sealed bound to the new row's id.
            let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO cases (owner_id, code, modality, frequency, start_date, planned_sessions, \
             status, names_to_watch_sealed, created_at, updated_at, code_key, start_day) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $8, $9, $10) RETURNING id"
        )
        .bind(owner.0)
        .bind(&details.code)
        .bind(details.modality.slug())
        .bind(details.frequency.slug())
        .bind(&details.start_date)
        .bind(details.planned_sessions.map(i64::from))
        .bind(CaseStatus::Active.slug())
        .bind(now)
        .bind(code_key(&details.code))
        .bind(day_of(&details.start_date))
        .fetch_one(&mut *tx)
        .await?;
            sqlx::query("UPDATE cases SET names_to_watch_sealed = $2 WHERE id = $1")
                .bind(id)
                .bind(cipher.seal(CASE_NAMES_TO_WATCH.at(id, owner.0), &names))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, RepoError>(id)
        })?;
        Ok(CaseId(id))
    }

    /// The owner's case, or `None` (also for anyone else's case).
    pub async fn case_of(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        case: CaseId,
    ) -> Result<Option<Case>, RepoError> {
        let row: Option<CaseRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id = $1 AND owner_id = $2"
        ))
        .bind(case.0)
        .bind(owner.0)
        .fetch_optional(pool)
        .await)?;
        row.map(|row| case_from_row(cipher, owner, row)).transpose()
    }

    /// Returns whether the owner's case was found and changed.
    pub async fn update_case(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        case: CaseId,
        details: &CaseDetails,
        now: i64,
    ) -> Result<bool, RepoError> {
        let names = cipher.seal(
            CASE_NAMES_TO_WATCH.at(case.0, owner.0),
            &details.names_to_watch.join("\n"),
        );
        let result = on_pool!(self, |pool| sqlx::query(
            "UPDATE cases SET code = $3, modality = $4, frequency = $5, start_date = $6, \
             planned_sessions = $7, names_to_watch_sealed = $8, updated_at = $9, code_key = $10, \
             start_day = $11 \
             WHERE id = $1 AND owner_id = $2"
        )
        .bind(case.0)
        .bind(owner.0)
        .bind(&details.code)
        .bind(details.modality.slug())
        .bind(details.frequency.slug())
        .bind(&details.start_date)
        .bind(details.planned_sessions.map(i64::from))
        .bind(&names)
        .bind(now)
        .bind(code_key(&details.code))
        .bind(day_of(&details.start_date))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(result > 0)
    }

    /// Closes or reopens the owner's case; returns whether it was found.
    pub async fn set_case_status(
        &self,
        owner: UserId,
        case: CaseId,
        status: CaseStatus,
        now: i64,
    ) -> Result<bool, RepoError> {
        let result = on_pool!(self, |pool| sqlx::query(
            "UPDATE cases SET status = $3, updated_at = $4 WHERE id = $1 AND owner_id = $2"
        )
        .bind(case.0)
        .bind(owner.0)
        .bind(status.slug())
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(result > 0)
    }

    /// Deletes the owner's case with its reflections, their parts and its
    /// drafts (by cascade); returns whether it was found.
    pub async fn delete_case(&self, owner: UserId, case: CaseId) -> Result<bool, RepoError> {
        let result = on_pool!(self, |pool| sqlx::query(
            "DELETE FROM cases WHERE id = $1 AND owner_id = $2"
        )
        .bind(case.0)
        .bind(owner.0)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(result > 0)
    }

    /// How many transference interpretations in one session the case's
    /// analytics allow before flagging the session (0 for a case not found).
    pub async fn transference_threshold(&self, case: CaseId) -> Result<u32, RepoError> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT transference_threshold FROM cases WHERE id = $1"
        )
        .bind(case.0)
        .fetch_optional(pool)
        .await)?;
        threshold_of(row.map(|(threshold,)| threshold).unwrap_or(0))
    }

    /// Sets the owner's case's transference threshold; returns whether the
    /// case was found.
    pub async fn set_transference_threshold(
        &self,
        owner: UserId,
        case: CaseId,
        threshold: u32,
        now: i64,
    ) -> Result<bool, RepoError> {
        let result = on_pool!(self, |pool| sqlx::query(
            "UPDATE cases SET transference_threshold = $3, updated_at = $4 \
             WHERE id = $1 AND owner_id = $2"
        )
        .bind(case.0)
        .bind(owner.0)
        .bind(i64::from(threshold))
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(result > 0)
    }

    /// The owner's cases, active before closed, then by code; `status`
    /// narrows the list.
    pub async fn list_cases(
        &self,
        owner: UserId,
        status: Option<CaseStatus>,
    ) -> Result<Vec<CaseSummary>, RepoError> {
        type Row = (
            i64,
            String,
            String,
            String,
            i64,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = on_pool!(self, |pool| sqlx::query_as(
            // One index lookup per case (reflections_case_dates and the
            // unique (case_id, session_number)): a join and GROUP BY would
            // read every reflection row of the therapist.
            "SELECT c.id, c.code, c.status, c.frequency, \
             (SELECT COUNT(*) FROM reflections r WHERE r.case_id = c.id), \
             (SELECT MAX(r.session_date) FROM reflections r WHERE r.case_id = c.id), \
             (SELECT MAX(r.session_number) FROM reflections r WHERE r.case_id = c.id) \
             FROM cases c \
             WHERE c.owner_id = $1 AND ($2 = '' OR c.status = $2) \
             ORDER BY c.status, c.code_key, c.id"
        )
        .bind(owner.0)
        .bind(status.map(CaseStatus::slug).unwrap_or(""))
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(
                |(id, code, status, frequency, sessions, last_reflection, last_number)| {
                    Ok(CaseSummary {
                        id: CaseId(id),
                        code,
                        status: stored("cases.status", &status, CaseStatus::parse)?,
                        frequency: stored("cases.frequency", &frequency, SessionFrequency::parse)?,
                        sessions,
                        last_reflection,
                        last_session_number: last_number.and_then(|n| u32::try_from(n).ok()),
                    })
                },
            )
            .collect()
    }
}

fn case_from_row(cipher: &FieldCipher, owner: UserId, row: CaseRow) -> Result<Case, RepoError> {
    let (id, code, modality, frequency, start_date, planned_sessions, status, names) = row;
    let names = cipher.open(CASE_NAMES_TO_WATCH.at(id, owner.0), &names)?;
    Ok(Case {
        id: CaseId(id),
        details: CaseDetails {
            code,
            modality: stored("cases.modality", &modality, Modality::parse)?,
            frequency: stored("cases.frequency", &frequency, SessionFrequency::parse)?,
            start_date,
            planned_sessions: planned_sessions.and_then(|n| u32::try_from(n).ok()),
            names_to_watch: names
                .lines()
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .collect(),
        },
        status: stored("cases.status", &status, CaseStatus::parse)?,
    })
}

/// A stored transference threshold; a negative or oversized one is corrupt.
pub(super) fn threshold_of(value: i64) -> Result<u32, RepoError> {
    u32::try_from(value).map_err(|_| RepoError::Corrupt {
        column: "cases.transference_threshold",
        value: value.to_string(),
    })
}
