//! Reads for the export (privacy rule 6): a case's feedback in one query
//! each (rather than one per reflection), the owner's drafts in full, and
//! the feedback a supervisor wrote, wherever it is.
//!
//! A case's reads take the case the caller resolved through
//! `server::access`, and check its owner again themselves; a supervisor's reads select only what
//! they wrote, with the case's code and the session's number as the place
//! (no reflection text, no date: nothing of the therapist's private parts
//! is selected).

use super::{
    cases::stored,
    database::{on_pool, Database, RepoError},
    feedback::placement,
};
use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        export::FeedbackPlace,
        feedback::{CommentId, Rating, StoredComment},
        reflection::{Draft, ReflectionId, RowKind},
        vocabulary::PacingRating,
    },
    server::{
        crypto::FieldCipher,
        repo::{
            reflections::open_draft,
            sealed_columns::{COMMENT_BODY, DRAFT_BODY, RATING_NOTE},
        },
    },
};

/// The columns of [`CommentRow`], for comments `m`, supervisors `s` and
/// authors `a`.
const COMMENT_COLUMNS: &str = "m.id, m.parent_id, m.supervisor_id, \
     s.display_name AS supervisor_name, m.author_id, a.display_name AS author_name, \
     m.anchor_kind, COALESCE(m.reaction_id, m.intervention_id, m.episode_id) AS anchor_row, \
     m.anchor_label, m.body_sealed, m.reflection_version, m.created_at";

/// The columns of [`RatingRow`], for ratings `p` and supervisors `s`.
const RATING_COLUMNS: &str =
    "p.id AS rating_id, p.supervisor_id, s.display_name AS supervisor_name, \
     p.intervention_id, p.anchor_label, p.rating, p.note_sealed, p.reflection_version, \
     p.updated_at";

/// The columns of [`PlaceRow`], for reflections `r`, cases `c` and owners `o`.
const PLACE_COLUMNS: &str = "r.case_id, c.code AS case_code, o.display_name AS therapist_name, \
     r.id AS reflection_id, r.session_number";

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    parent_id: Option<i64>,
    supervisor_id: i64,
    supervisor_name: String,
    author_id: i64,
    author_name: String,
    anchor_kind: String,
    anchor_row: Option<i64>,
    anchor_label: String,
    body_sealed: String,
    reflection_version: i64,
    created_at: i64,
}

impl CommentRow {
    fn open(self, cipher: &FieldCipher) -> Result<StoredComment, RepoError> {
        Ok(StoredComment {
            id: CommentId(self.id),
            parent: self.parent_id.map(CommentId),
            supervisor: UserId(self.supervisor_id),
            supervisor_name: self.supervisor_name,
            author: UserId(self.author_id),
            author_name: self.author_name,
            placement: placement(&self.anchor_kind, self.anchor_row)?,
            anchor_label: self.anchor_label,
            body: cipher.open(COMMENT_BODY.at(self.id, self.author_id), &self.body_sealed)?,
            version: self.reflection_version,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    rating_id: i64,
    supervisor_id: i64,
    supervisor_name: String,
    intervention_id: Option<i64>,
    anchor_label: String,
    rating: String,
    note_sealed: String,
    reflection_version: i64,
    updated_at: i64,
}

impl RatingRow {
    fn open(self, cipher: &FieldCipher) -> Result<Rating, RepoError> {
        Ok(Rating {
            supervisor: UserId(self.supervisor_id),
            supervisor_name: self.supervisor_name,
            placement: placement(RowKind::Intervention.slug(), self.intervention_id)?,
            anchor_label: self.anchor_label,
            rating: stored("pacing_ratings.rating", &self.rating, PacingRating::parse)?,
            note: cipher.open(
                RATING_NOTE.at(self.rating_id, self.supervisor_id),
                &self.note_sealed,
            )?,
            version: self.reflection_version,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PlaceRow {
    case_id: i64,
    case_code: String,
    therapist_name: String,
    reflection_id: i64,
    session_number: i64,
}

impl PlaceRow {
    fn place(self) -> Result<FeedbackPlace, RepoError> {
        Ok(FeedbackPlace {
            case_id: self.case_id,
            case_code: self.case_code,
            therapist_name: self.therapist_name,
            reflection_id: self.reflection_id,
            session_number: u32::try_from(self.session_number).map_err(|_| RepoError::Corrupt {
                column: "reflections.session_number",
                value: self.session_number.to_string(),
            })?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CaseComment {
    reflection: i64,
    #[sqlx(flatten)]
    comment: CommentRow,
}

#[derive(sqlx::FromRow)]
struct CaseRating {
    reflection: i64,
    #[sqlx(flatten)]
    rating: RatingRow,
}

#[derive(sqlx::FromRow)]
struct WrittenCommentRow {
    #[sqlx(flatten)]
    place: PlaceRow,
    #[sqlx(flatten)]
    comment: CommentRow,
}

#[derive(sqlx::FromRow)]
struct GivenRatingRow {
    #[sqlx(flatten)]
    place: PlaceRow,
    #[sqlx(flatten)]
    rating: RatingRow,
}

impl Database {
    /// Every comment and reply on the reflections of `owner`'s case,
    /// oldest first, with the reflection each is on.
    pub async fn comments_on_case(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        case: CaseId,
    ) -> Result<Vec<(ReflectionId, StoredComment)>, RepoError> {
        let rows: Vec<CaseComment> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT m.reflection_id AS reflection, {} \
             FROM comments m JOIN reflections r ON r.id = m.reflection_id \
             JOIN cases c ON c.id = r.case_id \
             JOIN users s ON s.id = m.supervisor_id JOIN users a ON a.id = m.author_id \
             WHERE r.case_id = $1 AND c.owner_id = $2 ORDER BY m.created_at, m.id",
            COMMENT_COLUMNS
        ))
        .bind(case.0)
        .bind(owner.0)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| Ok((ReflectionId(row.reflection), row.comment.open(cipher)?)))
            .collect()
    }

    /// Every pacing rating of the interventions of `owner`'s case, oldest
    /// first, with the reflection each is on.
    pub async fn ratings_on_case(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        case: CaseId,
    ) -> Result<Vec<(ReflectionId, Rating)>, RepoError> {
        let rows: Vec<CaseRating> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT p.reflection_id AS reflection, {} \
             FROM pacing_ratings p JOIN reflections r ON r.id = p.reflection_id \
             JOIN cases c ON c.id = r.case_id JOIN users s ON s.id = p.supervisor_id \
             WHERE r.case_id = $1 AND c.owner_id = $2 ORDER BY p.created_at, p.id",
            RATING_COLUMNS
        ))
        .bind(case.0)
        .bind(owner.0)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| Ok((ReflectionId(row.reflection), row.rating.open(cipher)?)))
            .collect()
    }

    /// The owner's drafts in full, oldest first, with the case and the
    /// reflection (`None` for a new one) each is for.
    pub async fn drafts_of(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
    ) -> Result<Vec<(CaseId, Option<ReflectionId>, Draft)>, RepoError> {
        let rows: Vec<(i64, i64, Option<i64>, String, i64)> =
            on_pool!(self, |pool| sqlx::query_as(
                "SELECT d.case_id, d.reflection_id, d.base_version, d.body_sealed, d.updated_at \
                 FROM drafts d JOIN cases c ON c.id = d.case_id \
                 WHERE d.owner_id = $1 AND c.owner_id = $1 \
                 ORDER BY d.updated_at, d.case_id, d.reflection_id"
            )
            .bind(owner.0)
            .fetch_all(pool)
            .await)?;
        rows.into_iter()
            .map(|(case, reflection, base_version, sealed, updated_at)| {
                let input =
                    open_draft(cipher, DRAFT_BODY.at((case, reflection), owner.0), &sealed)?;
                Ok((
                    CaseId(case),
                    (reflection != 0).then_some(ReflectionId(reflection)),
                    Draft {
                        input,
                        base_version,
                        updated_at,
                    },
                ))
            })
            .collect()
    }

    /// The cases `supervisor` wrote a comment on or rated, by id.
    pub async fn cases_with_feedback_by(
        &self,
        supervisor: UserId,
    ) -> Result<Vec<CaseId>, RepoError> {
        let rows: Vec<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.case_id FROM comments m JOIN reflections r ON r.id = m.reflection_id \
             WHERE m.author_id = $1 AND m.supervisor_id = $1 \
             UNION SELECT r.case_id FROM pacing_ratings p \
             JOIN reflections r ON r.id = p.reflection_id WHERE p.supervisor_id = $1 \
             ORDER BY 1"
        )
        .bind(supervisor.0)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(id,)| CaseId(id)).collect())
    }

    /// The comments and replies `supervisor` wrote in their conversations
    /// with the therapist of `case`, oldest first, each with its place.
    pub async fn comments_written_by(
        &self,
        cipher: &FieldCipher,
        supervisor: UserId,
        case: CaseId,
    ) -> Result<Vec<(FeedbackPlace, StoredComment)>, RepoError> {
        let rows: Vec<WrittenCommentRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {}, {} \
             FROM comments m JOIN reflections r ON r.id = m.reflection_id \
             JOIN cases c ON c.id = r.case_id JOIN users o ON o.id = c.owner_id \
             JOIN users s ON s.id = m.supervisor_id JOIN users a ON a.id = m.author_id \
             WHERE m.author_id = $1 AND m.supervisor_id = $1 AND r.case_id = $2 \
             ORDER BY m.created_at, m.id",
            PLACE_COLUMNS, COMMENT_COLUMNS
        ))
        .bind(supervisor.0)
        .bind(case.0)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| Ok((row.place.place()?, row.comment.open(cipher)?)))
            .collect()
    }

    /// The pacing ratings `supervisor` gave on `case`, oldest first, each
    /// with its place.
    pub async fn ratings_given_by(
        &self,
        cipher: &FieldCipher,
        supervisor: UserId,
        case: CaseId,
    ) -> Result<Vec<(FeedbackPlace, Rating)>, RepoError> {
        let rows: Vec<GivenRatingRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {}, {} \
             FROM pacing_ratings p JOIN reflections r ON r.id = p.reflection_id \
             JOIN cases c ON c.id = r.case_id JOIN users o ON o.id = c.owner_id \
             JOIN users s ON s.id = p.supervisor_id \
             WHERE p.supervisor_id = $1 AND r.case_id = $2 ORDER BY p.created_at, p.id",
            PLACE_COLUMNS, RATING_COLUMNS
        ))
        .bind(supervisor.0)
        .bind(case.0)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| Ok((row.place.place()?, row.rating.open(cipher)?)))
            .collect()
    }
}
