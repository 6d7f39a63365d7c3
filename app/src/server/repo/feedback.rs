//! Supervisors' feedback on reflections: comment threads, pacing ratings,
//! review marks, and when each person last read a reflection's feedback.
//! Comment bodies and rating notes are sealed like all clinical text.
//!
//! Callers have resolved access to the reflection (`server::access`);
//! `supervisor: Some(..)` narrows a read to one supervisor's conversation.

use std::collections::HashMap;

use super::{
    cases::stored,
    database::{on_pool, Database, RepoError},
};
use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        feedback::{
            Anchor, ChangedSinceReview, CommentId, Placement, Rating, ReviewMark, StoredComment,
            UnreadFeedback,
        },
        meetings::{FlagKind, FlaggedEvent, SessionPlace},
        reflection::{ReflectionId, RowId, RowKind},
        vocabulary::PacingRating,
    },
    server::{
        crypto::FieldCipher,
        repo::sealed_columns::{COMMENT_BODY, RATING_NOTE},
    },
};

pub struct NewComment<'a> {
    pub reflection: ReflectionId,
    /// Whose conversation with the therapist this belongs to.
    pub supervisor: UserId,
    pub author: UserId,
    pub parent: Option<CommentId>,
    pub anchor: Anchor,
    /// The anchor's structure as it is now (see `domain::feedback`).
    pub anchor_label: &'a str,
    pub body: &'a str,
    pub version: i64,
    pub now: i64,
}

pub struct NewRating<'a> {
    pub reflection: ReflectionId,
    pub intervention: RowId,
    pub supervisor: UserId,
    pub anchor_label: &'a str,
    pub rating: PacingRating,
    pub note: &'a str,
    pub version: i64,
    pub now: i64,
}

/// The opening comment of a thread, as a reply needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenThread {
    pub opening: CommentId,
    pub supervisor: UserId,
}

/// The anchor's columns: its kind and the id of the row, in the column of
/// that kind.
fn anchor_columns(anchor: Anchor) -> (&'static str, [Option<i64>; 3]) {
    match anchor {
        Anchor::Reflection => ("reflection", [None, None, None]),
        Anchor::Row(kind, row) => {
            let mut ids = [None, None, None];
            let slot = match kind {
                RowKind::Reaction => 0,
                RowKind::Intervention => 1,
                RowKind::Episode => 2,
            };
            ids[slot] = Some(row.0);
            (kind.slug(), ids)
        }
    }
}

/// Where stored feedback points now: a row removed since has lost its id.
pub(super) fn placement(kind: &str, row: Option<i64>) -> Result<Placement, RepoError> {
    if kind == "reflection" {
        return Ok(Placement::On(Anchor::Reflection));
    }
    let kind = stored("comments.anchor_kind", kind, RowKind::parse)?;
    Ok(match row {
        Some(id) => Placement::On(Anchor::Row(kind, RowId(id))),
        None => Placement::RemovedRow(kind),
    })
}

impl Database {
    pub async fn insert_comment(
        &self,
        cipher: &FieldCipher,
        comment: &NewComment<'_>,
    ) -> Result<CommentId, RepoError> {
        let (kind, [reaction, intervention, episode]) = anchor_columns(comment.anchor);
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The body is sealed bound to the new row's id.
            let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO comments (reflection_id, supervisor_id, author_id, parent_id, anchor_kind, \
             reaction_id, intervention_id, episode_id, anchor_label, body_sealed, \
             reflection_version, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11) RETURNING id"
        )
        .bind(comment.reflection.0)
        .bind(comment.supervisor.0)
        .bind(comment.author.0)
        .bind(comment.parent.map(|parent| parent.0))
        .bind(kind)
        .bind(reaction)
        .bind(intervention)
        .bind(episode)
        .bind(comment.anchor_label)
        .bind(comment.version)
        .bind(comment.now)
        .fetch_one(&mut *tx)
        .await?;
            sqlx::query("UPDATE comments SET body_sealed = $2 WHERE id = $1")
                .bind(id)
                .bind(cipher.seal(COMMENT_BODY.at(id, comment.author.0), comment.body))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, RepoError>(id)
        })?;
        Ok(CommentId(id))
    }

    /// The thread a reply to `comment` joins: the opening comment's thread
    /// (replies to replies join the same one), if it is on `reflection`.
    pub async fn thread_of(
        &self,
        reflection: ReflectionId,
        comment: CommentId,
    ) -> Result<Option<OpenThread>, RepoError> {
        let row: Option<(i64, Option<i64>, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, parent_id, supervisor_id FROM comments WHERE id = $1 AND reflection_id = $2"
        )
        .bind(comment.0)
        .bind(reflection.0)
        .fetch_optional(pool)
        .await
        })?;
        Ok(row.map(|(id, parent, supervisor)| OpenThread {
            opening: CommentId(parent.unwrap_or(id)),
            supervisor: UserId(supervisor),
        }))
    }

    /// The comments on a reflection, oldest first.
    pub async fn comments_on(
        &self,
        cipher: &FieldCipher,
        reflection: ReflectionId,
        supervisor: Option<UserId>,
    ) -> Result<Vec<StoredComment>, RepoError> {
        type Row = (
            i64,
            Option<i64>,
            i64,
            String,
            i64,
            String,
            String,
            Option<i64>,
            String,
            String,
            i64,
            i64,
        );
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT m.id, m.parent_id, m.supervisor_id, s.display_name, m.author_id, a.display_name, \
             m.anchor_kind, COALESCE(m.reaction_id, m.intervention_id, m.episode_id), \
             m.anchor_label, m.body_sealed, m.reflection_version, m.created_at \
             FROM comments m JOIN users s ON s.id = m.supervisor_id JOIN users a ON a.id = m.author_id \
             WHERE m.reflection_id = $1 AND ($2 = 0 OR m.supervisor_id = $2) \
             ORDER BY m.created_at, m.id"
        )
        .bind(reflection.0)
        .bind(supervisor.map(|id| id.0).unwrap_or(0))
        .fetch_all(pool)
        .await
        })?;
        rows.into_iter()
            .map(
                |(
                    id,
                    parent,
                    supervisor,
                    supervisor_name,
                    author,
                    author_name,
                    kind,
                    row,
                    anchor_label,
                    body,
                    version,
                    created_at,
                )| {
                    Ok(StoredComment {
                        id: CommentId(id),
                        parent: parent.map(CommentId),
                        supervisor: UserId(supervisor),
                        supervisor_name,
                        author: UserId(author),
                        author_name,
                        placement: placement(&kind, row)?,
                        anchor_label,
                        body: cipher.open(COMMENT_BODY.at(id, author), &body)?,
                        version,
                        created_at,
                    })
                },
            )
            .collect()
    }

    /// Records a supervisor's rating of an intervention, replacing their
    /// earlier one.
    pub async fn rate_intervention(
        &self,
        cipher: &FieldCipher,
        rating: &NewRating<'_>,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The note is sealed bound to the rating's row, new or kept.
            let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO pacing_ratings (reflection_id, intervention_id, supervisor_id, anchor_label, \
             rating, note_sealed, reflection_version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, '', $6, $7, $7) \
             ON CONFLICT (intervention_id, supervisor_id) DO UPDATE SET \
             anchor_label = excluded.anchor_label, rating = excluded.rating, \
             reflection_version = excluded.reflection_version, updated_at = excluded.updated_at \
             RETURNING id"
        )
        .bind(rating.reflection.0)
        .bind(rating.intervention.0)
        .bind(rating.supervisor.0)
        .bind(rating.anchor_label)
        .bind(rating.rating.slug())
        .bind(rating.version)
        .bind(rating.now)
        .fetch_one(&mut *tx)
        .await?;
            sqlx::query("UPDATE pacing_ratings SET note_sealed = $2 WHERE id = $1")
                .bind(id)
                .bind(cipher.seal(RATING_NOTE.at(id, rating.supervisor.0), rating.note))
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// The ratings of a reflection's interventions, in the order given.
    pub async fn ratings_on(
        &self,
        cipher: &FieldCipher,
        reflection: ReflectionId,
        supervisor: Option<UserId>,
    ) -> Result<Vec<Rating>, RepoError> {
        type Row = (
            i64,
            i64,
            String,
            Option<i64>,
            String,
            String,
            String,
            i64,
            i64,
        );
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT p.id, p.supervisor_id, s.display_name, p.intervention_id, p.anchor_label, p.rating, \
             p.note_sealed, p.reflection_version, p.updated_at \
             FROM pacing_ratings p JOIN users s ON s.id = p.supervisor_id \
             WHERE p.reflection_id = $1 AND ($2 = 0 OR p.supervisor_id = $2) \
             ORDER BY p.created_at, p.id"
        )
        .bind(reflection.0)
        .bind(supervisor.map(|id| id.0).unwrap_or(0))
        .fetch_all(pool)
        .await
        })?;
        rows.into_iter()
            .map(
                |(id, supervisor, name, intervention, label, rating, note, version, updated_at)| {
                    Ok(Rating {
                        supervisor: UserId(supervisor),
                        supervisor_name: name,
                        placement: placement(RowKind::Intervention.slug(), intervention)?,
                        anchor_label: label,
                        rating: stored("pacing_ratings.rating", &rating, PacingRating::parse)?,
                        note: cipher.open(RATING_NOTE.at(id, supervisor), &note)?,
                        version,
                        updated_at,
                    })
                },
            )
            .collect()
    }

    /// Marks the reflection reviewed by `supervisor` at `version`.
    pub async fn mark_reviewed(
        &self,
        reflection: ReflectionId,
        supervisor: UserId,
        version: i64,
        now: i64,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO reviews (reflection_id, supervisor_id, reviewed_version, reviewed_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (reflection_id, supervisor_id) DO UPDATE SET \
             reviewed_version = excluded.reviewed_version, reviewed_at = excluded.reviewed_at"
        )
        .bind(reflection.0)
        .bind(supervisor.0)
        .bind(version)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The review marks on a case's reflections (`reflection` narrows them
    /// to one; `supervisor` to one supervisor's).
    pub async fn review_marks(
        &self,
        case: CaseId,
        reflection: Option<ReflectionId>,
        supervisor: Option<UserId>,
    ) -> Result<Vec<ReviewMark>, RepoError> {
        let rows: Vec<(i64, i64, String, i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT v.reflection_id, v.supervisor_id, s.display_name, v.reviewed_version, v.reviewed_at \
             FROM reviews v JOIN reflections r ON r.id = v.reflection_id \
             JOIN users s ON s.id = v.supervisor_id \
             WHERE r.case_id = $1 AND ($2 = 0 OR v.reflection_id = $2) \
             AND ($3 = 0 OR v.supervisor_id = $3) ORDER BY v.reflection_id, s.display_name"
        )
        .bind(case.0)
        .bind(reflection.map(|id| id.0).unwrap_or(0))
        .bind(supervisor.map(|id| id.0).unwrap_or(0))
        .fetch_all(pool)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(reflection, supervisor, name, version, at)| ReviewMark {
                reflection: ReflectionId(reflection),
                supervisor: UserId(supervisor),
                supervisor_name: name,
                version,
                at,
            })
            .collect())
    }

    /// When `reader` last read the reflection's feedback (0 for never).
    pub async fn last_visit(
        &self,
        reader: UserId,
        reflection: ReflectionId,
    ) -> Result<i64, RepoError> {
        let row: Option<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT visited_at FROM feedback_visits WHERE user_id = $1 AND reflection_id = $2"
        )
        .bind(reader.0)
        .bind(reflection.0)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(at,)| at).unwrap_or(0))
    }

    pub async fn record_visit(
        &self,
        reader: UserId,
        reflection: ReflectionId,
        now: i64,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO feedback_visits (user_id, reflection_id, visited_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, reflection_id) DO UPDATE SET visited_at = excluded.visited_at"
        )
        .bind(reader.0)
        .bind(reflection.0)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Per reflection of the case, the comments and ratings `reader` has
    /// not read (written by others since their last visit); `supervisor`
    /// narrows them to one supervisor's conversation.
    pub async fn unread_by_reflection(
        &self,
        case: CaseId,
        reader: UserId,
        supervisor: Option<UserId>,
    ) -> Result<HashMap<ReflectionId, i64>, RepoError> {
        let rows: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT reflection_id, COUNT(*) FROM ({UNREAD_FEEDBACK}) unread \
             WHERE case_id = $3 GROUP BY reflection_id"
        ))
        .bind(reader.0)
        .bind(supervisor.map(|id| id.0).unwrap_or(0))
        .bind(case.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(reflection, count)| (ReflectionId(reflection), count))
            .collect())
    }

    /// The therapist's own reflections with feedback they have not read,
    /// by case code and session number, with how many items each.
    pub async fn unread_feedback_places(
        &self,
        owner: UserId,
    ) -> Result<Vec<UnreadFeedback>, RepoError> {
        let rows: Vec<(i64, String, i64, i64, i64)> =
            on_pool!(self, |pool| sqlx::query_as(&format!(
                "SELECT u.case_id, c.code, u.reflection_id, r.session_number, COUNT(*) \
             FROM ({UNREAD_FEEDBACK}) u JOIN reflections r ON r.id = u.reflection_id \
             JOIN cases c ON c.id = u.case_id WHERE u.owner_id = $1 \
             GROUP BY u.case_id, c.code, c.code_key, u.reflection_id, r.session_number \
             ORDER BY c.code_key, r.session_number"
            ))
            .bind(owner.0)
            .bind(0_i64)
            .fetch_all(pool)
            .await)?;
        rows.into_iter()
            .map(|(case, case_code, reflection, session_number, items)| {
                Ok(UnreadFeedback {
                    case: CaseId(case),
                    case_code,
                    reflection: ReflectionId(reflection),
                    session_number: super::reflections::session_number_of(session_number)?,
                    items,
                })
            })
            .collect()
    }

    /// The therapist's own reflections that a supervisor marked reviewed and
    /// the therapist saved again since, through shares open on `today` that
    /// do not leave them out, by case code, session number and supervisor.
    pub async fn changed_since_review(
        &self,
        owner: UserId,
        today: &str,
    ) -> Result<Vec<ChangedSinceReview>, RepoError> {
        let rows: Vec<(i64, String, i64, i64, String, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.code, r.id, r.session_number, u.display_name, v.reviewed_at \
                 FROM reviews v JOIN reflections r ON r.id = v.reflection_id \
                 JOIN cases c ON c.id = r.case_id JOIN users u ON u.id = v.supervisor_id \
                 JOIN shares s ON s.case_id = c.id AND s.supervisor_id = v.supervisor_id \
                   AND s.revoked_at IS NULL AND (s.expires_on IS NULL OR s.expires_on >= $2) \
                 WHERE c.owner_id = $1 AND r.version > v.reviewed_version \
                 AND NOT EXISTS (SELECT 1 FROM share_exclusions e \
                   WHERE e.share_id = s.id AND e.reflection_id = r.id) \
                 ORDER BY c.code_key, r.session_number, u.display_name",
            )
            .bind(owner.0)
            .bind(today)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(
                |(case, case_code, reflection, session_number, supervisor_name, reviewed_at)| {
                    Ok(ChangedSinceReview {
                        case: CaseId(case),
                        case_code,
                        reflection: ReflectionId(reflection),
                        session_number: super::reflections::session_number_of(session_number)?,
                        supervisor_name,
                        reviewed_at,
                    })
                },
            )
            .collect()
    }

    /// Feedback on the therapist's own reflections they have not read.
    pub async fn unread_feedback_for_owner(&self, owner: UserId) -> Result<i64, RepoError> {
        let (count,): (i64,) = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM ({UNREAD_FEEDBACK}) unread WHERE owner_id = $1"
        ))
        .bind(owner.0)
        .bind(0_i64)
        .fetch_one(pool)
        .await)?;
        Ok(count)
    }
}

/// Comments and ratings not written by reader `$1` and newer than their
/// last visit of the reflection, with the case (`case_id`) and its owner
/// (`owner_id`); `$2`, when not 0, keeps one supervisor's.
const UNREAD_FEEDBACK: &str = "\
    SELECT r.id AS reflection_id, r.case_id AS case_id, c.owner_id AS owner_id \
    FROM comments m JOIN reflections r ON r.id = m.reflection_id JOIN cases c ON c.id = r.case_id \
    LEFT JOIN feedback_visits fv ON fv.user_id = $1 AND fv.reflection_id = r.id \
    WHERE m.author_id <> $1 AND m.created_at > COALESCE(fv.visited_at, 0) \
      AND ($2 = 0 OR m.supervisor_id = $2) \
    UNION ALL \
    SELECT r.id, r.case_id, c.owner_id \
    FROM pacing_ratings p JOIN reflections r ON r.id = p.reflection_id JOIN cases c ON c.id = r.case_id \
    LEFT JOIN feedback_visits fv ON fv.user_id = $1 AND fv.reflection_id = r.id \
    WHERE p.supervisor_id <> $1 AND p.updated_at > COALESCE(fv.visited_at, 0) \
      AND ($2 = 0 OR p.supervisor_id = $2)";

/// Where a flagged event happened (case, code, owner, reflection, session
/// number, week), what it was (a slug; for a rating, the intervention) and
/// when.
type FlagRow = (i64, String, i64, i64, i64, i64, String, Option<i64>, i64);

/// The columns of a [`FlagRow`]'s place, for reflections `r` of cases `c`.
const FLAG_PLACE: &str =
    "c.id, c.code, c.owner_id, r.id, r.session_number, (r.session_day - c.start_day) / 7 + 1";

/// Reflections `r` of cases `c` shared with supervisor `$1` through a share
/// `s` open on day `$2`, neither left out of it nor held for identifiers.
const SHARED_WITH_SUPERVISOR: &str = "JOIN cases c ON c.id = r.case_id \
     JOIN shares s ON s.case_id = c.id AND s.supervisor_id = $1 AND s.revoked_at IS NULL \
       AND (s.expires_on IS NULL OR s.expires_on >= $2) \
     WHERE r.identifiers_pending = 0 AND NOT EXISTS (SELECT 1 FROM share_exclusions e \
       WHERE e.share_id = s.id AND e.reflection_id = r.id)";

impl Database {
    /// What happened on the reflections that `supervisees` share with
    /// `supervisor` through shares open on `today` (left-out reflections
    /// not included), for a meeting's agenda: every comment and reply in
    /// the supervisor's threads, their pacing ratings other than well
    /// timed, their review marks, and saves after a review. Sessions by
    /// case code, number and week; no text, no date.
    pub async fn flagged_events(
        &self,
        supervisor: UserId,
        supervisees: &[UserId],
        today: &str,
    ) -> Result<Vec<FlaggedEvent>, RepoError> {
        let queries = [
            format!(
                "SELECT {FLAG_PLACE}, 'comment', NULL, m.created_at FROM comments m \
                 JOIN reflections r ON r.id = m.reflection_id {SHARED_WITH_SUPERVISOR} \
                 AND m.supervisor_id = $1"
            ),
            format!(
                "SELECT {FLAG_PLACE}, p.rating, p.intervention_id, p.updated_at \
                 FROM pacing_ratings p JOIN reflections r ON r.id = p.reflection_id \
                 {SHARED_WITH_SUPERVISOR} AND p.supervisor_id = $1 \
                 AND p.rating <> 'well_timed' AND p.intervention_id IS NOT NULL"
            ),
            format!(
                "SELECT {FLAG_PLACE}, 'reviewed', NULL, v.reviewed_at FROM reviews v \
                 JOIN reflections r ON r.id = v.reflection_id {SHARED_WITH_SUPERVISOR} \
                 AND v.supervisor_id = $1"
            ),
            format!(
                "SELECT {FLAG_PLACE}, 'changed', NULL, r.updated_at FROM reviews v \
                 JOIN reflections r ON r.id = v.reflection_id {SHARED_WITH_SUPERVISOR} \
                 AND v.supervisor_id = $1 AND r.version > v.reviewed_version"
            ),
        ];
        let mut rows: Vec<FlagRow> = Vec::new();
        for sql in &queries {
            let found: Vec<FlagRow> = on_pool!(self, |pool| sqlx::query_as(sql)
                .bind(supervisor.0)
                .bind(today)
                .fetch_all(pool)
                .await)?;
            rows.extend(found);
        }
        rows.into_iter()
            .filter(|row| supervisees.contains(&UserId(row.2)))
            .map(
                |(case, code, _, reflection, number, week, what, intervention, at)| {
                    let kind = match (what.as_str(), intervention) {
                        ("comment", _) => FlagKind::Comment,
                        ("reviewed", _) => FlagKind::Reviewed,
                        ("changed", _) => FlagKind::ChangedSinceReview,
                        (rating, Some(intervention)) => FlagKind::PacingRating {
                            intervention: RowId(intervention),
                            rating: stored("pacing_ratings.rating", rating, PacingRating::parse)?,
                        },
                        (other, None) => {
                            return Err(RepoError::Corrupt {
                                column: "pacing_ratings.intervention_id",
                                value: other.to_string(),
                            })
                        }
                    };
                    Ok(FlaggedEvent {
                        kind,
                        at,
                        session: SessionPlace {
                            case: CaseId(case),
                            case_code: code,
                            reflection: ReflectionId(reflection),
                            session_number: u32::try_from(number).unwrap_or_default(),
                            week,
                        },
                    })
                },
            )
            .collect()
    }
}
