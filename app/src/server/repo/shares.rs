//! Shares of cases with supervisors, the access check's lookup, the
//! supervisor's inbox and the therapist's access log.
//!
//! "Open" means not revoked and not past its last day; `today` is the UTC
//! date (`YYYY-MM-DD`), compared as text, which orders like the dates.

use super::{
    cases::stored,
    database::{on_pool, Database, RepoError},
};
use crate::domain::{
    accounts::UserId,
    cases::CaseId,
    reflection::ReflectionId,
    sharing::{
        AccessEvent, InboxEntry, ShareId, ShareScope, ShareStatus, ShareSummary, SharedCaseInfo,
        SharedMaterial, FORMER_SUPERVISOR,
    },
    vocabulary::{CaseStatus, Modality, SessionFrequency, ShareBasis},
};

/// A share open today, as the access check finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareGrant {
    pub share: ShareId,
    pub supervisor: UserId,
    pub owner: UserId,
    pub case: SharedCaseInfo,
}

/// A case shared with a supervisor, by code, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionCase {
    pub case: CaseId,
    pub code: String,
    pub owner: UserId,
    pub owner_name: String,
}

/// A new share, checked by the caller (the case is the owner's, the
/// supervisor an active account other than the owner).
pub struct NewShare<'a> {
    /// Whose case it is: the share is written only if the case is theirs.
    pub owner: UserId,
    pub case: CaseId,
    pub supervisor: UserId,
    pub basis: ShareBasis,
    pub scope: &'a ShareScope,
    pub now: i64,
}

/// The condition of a share being open on day `$2`, for a share aliased `s`.
const OPEN_ON: &str = "s.revoked_at IS NULL AND (s.expires_on IS NULL OR s.expires_on >= $2)";

/// The columns of [`SharedCaseRow`], for cases `c`, owners `u` and shares `s`.
const SHARED_CASE_COLUMNS: &str = "c.id, c.code, u.display_name AS therapist_name, c.modality, \
     c.frequency, c.planned_sessions, c.status, s.basis, s.expires_on";

#[derive(sqlx::FromRow)]
struct SharedCaseRow {
    id: i64,
    code: String,
    therapist_name: String,
    modality: String,
    frequency: String,
    planned_sessions: Option<i64>,
    status: String,
    basis: String,
    expires_on: Option<String>,
}

impl SharedCaseRow {
    fn info(self) -> Result<SharedCaseInfo, RepoError> {
        Ok(SharedCaseInfo {
            case_id: CaseId(self.id),
            code: self.code,
            therapist_name: self.therapist_name,
            modality: stored("cases.modality", &self.modality, Modality::parse)?,
            frequency: stored("cases.frequency", &self.frequency, SessionFrequency::parse)?,
            planned_sessions: self.planned_sessions.and_then(|n| u32::try_from(n).ok()),
            status: stored("cases.status", &self.status, CaseStatus::parse)?,
            basis: stored("shares.basis", &self.basis, ShareBasis::parse)?,
            expires_on: self.expires_on,
        })
    }
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    share_id: i64,
    owner_id: i64,
    #[sqlx(flatten)]
    case: SharedCaseRow,
}

#[derive(sqlx::FromRow)]
struct InboxRow {
    #[sqlx(flatten)]
    case: SharedCaseRow,
    to_review: i64,
    unread: i64,
    last_saved: Option<i64>,
    last_comment: Option<i64>,
    shared_at: i64,
}

impl Database {
    /// Fails with [`RepoError::NotFound`] when the case is not the
    /// owner's, and with [`RepoError::Duplicate`] when it already has a
    /// share with this supervisor that is not revoked.
    pub async fn create_share(&self, share: &NewShare<'_>) -> Result<ShareId, RepoError> {
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO shares (case_id, supervisor_id, basis, expires_on, created_at, updated_at) \
                 SELECT $1, $2, $3, $4, $5, $5 \
                 WHERE EXISTS (SELECT 1 FROM cases WHERE id = $1 AND owner_id = $6) RETURNING id",
            )
            .bind(share.case.0)
            .bind(share.supervisor.0)
            .bind(share.basis.slug())
            .bind(share.scope.expires_on.as_deref())
            .bind(share.now)
            .bind(share.owner.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                return Err(RepoError::NotFound);
            };
            for reflection in &share.scope.excluded {
                sqlx::query(
                    "INSERT INTO share_exclusions (share_id, reflection_id) \
                     SELECT $1, r.id FROM reflections r WHERE r.id = $2 AND r.case_id = $3",
                )
                .bind(id)
                .bind(reflection.0)
                .bind(share.case.0)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, RepoError>(id)
        })?;
        Ok(ShareId(id))
    }

    /// Changes what a share of `owner`'s case that is not revoked leaves
    /// out and until when; returns whether it was found.
    pub async fn update_share_scope(
        &self,
        owner: UserId,
        case: CaseId,
        share: ShareId,
        scope: &ShareScope,
        now: i64,
    ) -> Result<bool, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE shares SET expires_on = $3, updated_at = $4 \
                 WHERE id = $1 AND case_id = $2 AND revoked_at IS NULL \
                 AND case_id IN (SELECT id FROM cases WHERE owner_id = $5)",
            )
            .bind(share.0)
            .bind(case.0)
            .bind(scope.expires_on.as_deref())
            .bind(now)
            .bind(owner.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM share_exclusions WHERE share_id = $1")
                .bind(share.0)
                .execute(&mut *tx)
                .await?;
            for reflection in &scope.excluded {
                sqlx::query(
                    "INSERT INTO share_exclusions (share_id, reflection_id) \
                     SELECT $1, r.id FROM reflections r WHERE r.id = $2 AND r.case_id = $3",
                )
                .bind(share.0)
                .bind(reflection.0)
                .bind(case.0)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, RepoError>(true)
        })
    }

    /// Revokes a share of `owner`'s case; returns whether one was open to
    /// revoke.
    pub async fn revoke_share(
        &self,
        owner: UserId,
        case: CaseId,
        share: ShareId,
        now: i64,
    ) -> Result<bool, RepoError> {
        let revoked = on_pool!(self, |pool| sqlx::query(
            "UPDATE shares SET revoked_at = $3, updated_at = $3 \
             WHERE id = $1 AND case_id = $2 AND revoked_at IS NULL \
             AND case_id IN (SELECT id FROM cases WHERE owner_id = $4)"
        )
        .bind(share.0)
        .bind(case.0)
        .bind(now)
        .bind(owner.0)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(revoked > 0)
    }

    /// Every share of the case, revoked ones included, newest first.
    pub async fn shares_of_case(
        &self,
        case: CaseId,
        today: i64,
    ) -> Result<Vec<ShareSummary>, RepoError> {
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            Option<String>,
            i64,
            Option<i64>,
        );
        let (rows, exclusions): (Vec<Row>, Vec<(i64, i64)>) = on_pool!(self, |pool| {
            let rows = sqlx::query_as(
                "SELECT s.id, s.supervisor_id, u.display_name, u.email, s.basis, s.expires_on, s.created_at, s.revoked_at \
                 FROM shares s JOIN users u ON u.id = s.supervisor_id \
                 WHERE s.case_id = $1 ORDER BY s.created_at DESC, s.id DESC",
            )
            .bind(case.0)
            .fetch_all(pool)
            .await?;
            let exclusions = sqlx::query_as(
                "SELECT e.share_id, e.reflection_id FROM share_exclusions e \
                 JOIN shares s ON s.id = e.share_id WHERE s.case_id = $1 \
                 ORDER BY e.share_id, e.reflection_id",
            )
            .bind(case.0)
            .fetch_all(pool)
            .await?;
            Ok::<_, RepoError>((rows, exclusions))
        })?;
        rows.into_iter()
            .map(
                |(id, supervisor, name, email, basis, expires_on, created_at, revoked_at)| {
                    let excluded = exclusions
                        .iter()
                        .filter(|(share, _)| *share == id)
                        .map(|(_, reflection)| ReflectionId(*reflection))
                        .collect();
                    Ok(ShareSummary {
                        id: ShareId(id),
                        supervisor: UserId(supervisor),
                        supervisor_name: name,
                        supervisor_email: email,
                        basis: stored("shares.basis", &basis, ShareBasis::parse)?,
                        status: ShareStatus::of(revoked_at.is_some(), expires_on.as_deref(), today),
                        scope: ShareScope {
                            excluded,
                            expires_on,
                        },
                        created_at,
                        revoked_at,
                    })
                },
            )
            .collect()
    }

    /// The share through which `supervisor` may see `case` on `today`.
    pub async fn open_share(
        &self,
        case: CaseId,
        supervisor: UserId,
        today: &str,
    ) -> Result<Option<ShareGrant>, RepoError> {
        let sql = format!(
            "SELECT s.id AS share_id, c.owner_id, {SHARED_CASE_COLUMNS} \
             FROM shares s JOIN cases c ON c.id = s.case_id JOIN users u ON u.id = c.owner_id \
             WHERE s.case_id = $1 AND {OPEN_ON} AND s.supervisor_id = $3"
        );
        let row: Option<GrantRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(case.0)
            .bind(today)
            .bind(supervisor.0)
            .fetch_optional(pool)
            .await)?;
        row.map(|row| {
            Ok(ShareGrant {
                share: ShareId(row.share_id),
                supervisor,
                owner: UserId(row.owner_id),
                case: row.case.info()?,
            })
        })
        .transpose()
    }

    /// The cases shared with `supervisor` and open on `today`, with what
    /// waits for them in each, most recently active first.
    pub async fn supervisor_inbox(
        &self,
        supervisor: UserId,
        today: &str,
    ) -> Result<Vec<InboxEntry>, RepoError> {
        // A reflection is visible through share `s` unless it is excluded
        // or held for identifiers to fix or confirm.
        let visible = "r.identifiers_pending = 0 AND NOT EXISTS (SELECT 1 FROM share_exclusions e \
                       WHERE e.share_id = s.id AND e.reflection_id = r.id)";
        // To review: the visible reflections (those not held, less those
        // the share excludes) less those reviewed at their current version,
        // so that each count is an index range or starts from the
        // supervisor's own few rows (reviews_by_supervisor, migration 0014)
        // rather than a probe per reflection of the case.
        let sql = format!(
            "SELECT {SHARED_CASE_COLUMNS}, \
             (SELECT COUNT(*) FROM reflections r \
              WHERE r.case_id = c.id AND r.identifiers_pending = 0) \
             - (SELECT COUNT(*) FROM share_exclusions e JOIN reflections r ON r.id = e.reflection_id \
                WHERE e.share_id = s.id AND r.identifiers_pending = 0) \
             - (SELECT COUNT(*) FROM reviews v JOIN reflections r ON r.id = v.reflection_id \
                WHERE v.supervisor_id = $1 AND r.case_id = c.id AND {visible} \
                  AND v.reviewed_version >= r.version) AS to_review, \
             (SELECT COUNT(*) FROM comments m JOIN reflections r ON r.id = m.reflection_id \
              LEFT JOIN feedback_visits fv ON fv.user_id = $1 AND fv.reflection_id = r.id \
              WHERE r.case_id = c.id AND {visible} AND m.supervisor_id = $1 \
                AND m.author_id <> $1 AND m.created_at > COALESCE(fv.visited_at, 0)) AS unread, \
             (SELECT r.updated_at FROM reflections r WHERE r.case_id = c.id AND {visible} \
              ORDER BY r.updated_at DESC LIMIT 1) AS last_saved, \
             (SELECT MAX(m.created_at) FROM comments m JOIN reflections r ON r.id = m.reflection_id \
              WHERE r.case_id = c.id AND {visible} AND m.supervisor_id = $1) AS last_comment, \
             s.created_at AS shared_at \
             FROM shares s JOIN cases c ON c.id = s.case_id JOIN users u ON u.id = c.owner_id \
             WHERE s.supervisor_id = $1 AND {OPEN_ON}"
        );
        let rows: Vec<InboxRow> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(supervisor.0)
            .bind(today)
            .fetch_all(pool)
            .await)?;
        // Most recently active first (a reflection saved, a comment, the
        // share made); the time itself stays here.
        let mut entries = rows
            .into_iter()
            .map(|row| {
                let last_activity = [row.last_saved, row.last_comment, Some(row.shared_at)]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or_default();
                let entry = InboxEntry {
                    case: row.case.info()?,
                    to_review: row.to_review,
                    unread: row.unread,
                };
                Ok((last_activity, entry))
            })
            .collect::<Result<Vec<_>, RepoError>>()?;
        entries.sort_by(|(a_active, a), (b_active, b)| {
            b_active
                .cmp(a_active)
                .then(a.case.case_id.0.cmp(&b.case.case_id.0))
        });
        Ok(entries.into_iter().map(|(_, entry)| entry).collect())
    }

    /// Every case shared with `supervisor` and open on `today`, with whose
    /// it is: the people and cases a meeting may be recorded about. By
    /// case code, then id.
    pub async fn supervision_cases(
        &self,
        supervisor: UserId,
        today: &str,
    ) -> Result<Vec<SupervisionCase>, RepoError> {
        let sql = format!(
            "SELECT DISTINCT c.id, c.code, c.owner_id, u.display_name \
             FROM shares s JOIN cases c ON c.id = s.case_id JOIN users u ON u.id = c.owner_id \
             WHERE s.supervisor_id = $1 AND {OPEN_ON} ORDER BY c.code, c.id"
        );
        let rows: Vec<(i64, String, i64, String)> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(supervisor.0)
            .bind(today)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(case, code, owner, owner_name)| SupervisionCase {
                case: CaseId(case),
                code,
                owner: UserId(owner),
                owner_name,
            })
            .collect())
    }

    /// Notes that a supervisor opened shared material.
    pub async fn record_access(
        &self,
        grant: &ShareGrant,
        material: SharedMaterial,
        reflection: Option<ReflectionId>,
        now: i64,
    ) -> Result<(), RepoError> {
        let (kind, session_number) = match material {
            SharedMaterial::Case => ("case", None),
            SharedMaterial::Analytics => ("analytics", None),
            SharedMaterial::Reflection { session_number } => {
                ("reflection", Some(i64::from(session_number)))
            }
        };
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO access_events (case_id, supervisor_id, reflection_id, material, \
             session_number, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(grant.case.case_id.0)
        .bind(grant.supervisor.0)
        .bind(reflection.map(|id| id.0))
        .bind(kind)
        .bind(session_number)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Who opened what of the case, newest first (at most `limit` lines); a
    /// supervisor whose account is deleted is [`FORMER_SUPERVISOR`].
    pub async fn access_events(
        &self,
        case: CaseId,
        limit: i64,
    ) -> Result<Vec<AccessEvent>, RepoError> {
        let rows: Vec<(String, String, Option<i64>, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT COALESCE(u.display_name, $3), a.material, a.session_number, a.occurred_at \
             FROM access_events a LEFT JOIN users u ON u.id = a.supervisor_id \
             WHERE a.case_id = $1 ORDER BY a.occurred_at DESC, a.id DESC LIMIT $2"
        )
        .bind(case.0)
        .bind(limit)
        .bind(FORMER_SUPERVISOR)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(supervisor_name, material, session_number, occurred_at)| {
                let material = match (material.as_str(), session_number) {
                    ("case", _) => SharedMaterial::Case,
                    ("analytics", _) => SharedMaterial::Analytics,
                    ("reflection", Some(number)) => SharedMaterial::Reflection {
                        session_number: u32::try_from(number).unwrap_or_default(),
                    },
                    _ => {
                        return Err(RepoError::Corrupt {
                            column: "access_events.material",
                            value: material,
                        })
                    }
                };
                Ok(AccessEvent {
                    supervisor_name,
                    material,
                    occurred_at,
                })
            })
            .collect()
    }
}
