//! Drafts: what an author typed and has not saved, one per person, case
//! and reflection, sealed as one JSON body.

use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        reflection::{Draft, DraftSummary, ReflectionId, ReflectionInput},
    },
    server::{
        crypto::{FieldCipher, Place},
        repo::{
            database::{on_pool, Database, RepoError},
            sealed_columns::DRAFT_BODY,
        },
    },
};

/// Unsaved typing to keep.
pub struct NewDraft<'a> {
    pub owner: UserId,
    pub case: CaseId,
    /// `None` for a new reflection.
    pub reflection: Option<ReflectionId>,
    /// The saved version the typing started from.
    pub base_version: Option<i64>,
    pub input: &'a ReflectionInput,
    pub now: i64,
}

impl Database {
    /// Keeps what the owner is typing for a case's new reflection or an
    /// existing one, replacing an older draft of the same.
    pub async fn save_draft(
        &self,
        cipher: &FieldCipher,
        draft: &NewDraft<'_>,
    ) -> Result<(), RepoError> {
        let body =
            serde_json::to_string(draft.input).expect("the reflection form serialises to JSON");
        let reflection = draft.reflection.map(|id| id.0).unwrap_or(0);
        let sealed = cipher.seal(
            draft_place(draft.owner, draft.case, draft.reflection),
            &body,
        );
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO drafts (owner_id, case_id, reflection_id, base_version, body_sealed, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (owner_id, case_id, reflection_id) DO UPDATE \
             SET base_version = excluded.base_version, body_sealed = excluded.body_sealed, \
             updated_at = excluded.updated_at"
        )
        .bind(draft.owner.0)
        .bind(draft.case.0)
        .bind(reflection)
        .bind(draft.base_version)
        .bind(&sealed)
        .bind(draft.now)
        .execute(pool)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn draft(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        case: CaseId,
        reflection: Option<ReflectionId>,
    ) -> Result<Option<Draft>, RepoError> {
        let row: Option<(Option<i64>, String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT base_version, body_sealed, updated_at FROM drafts \
             WHERE owner_id = $1 AND case_id = $2 AND reflection_id = $3"
        )
        .bind(owner.0)
        .bind(case.0)
        .bind(reflection.map(|id| id.0).unwrap_or(0))
        .fetch_optional(pool)
        .await)?;
        row.map(|(base_version, sealed, updated_at)| {
            Ok(Draft {
                input: open_draft(cipher, draft_place(owner, case, reflection), &sealed)?,
                base_version,
                updated_at,
            })
        })
        .transpose()
    }

    pub async fn delete_draft(
        &self,
        owner: UserId,
        case: CaseId,
        reflection: Option<ReflectionId>,
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM drafts WHERE owner_id = $1 AND case_id = $2 AND reflection_id = $3"
        )
        .bind(owner.0)
        .bind(case.0)
        .bind(reflection.map(|id| id.0).unwrap_or(0))
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The owner's drafts, newest first.
    pub async fn list_drafts(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
    ) -> Result<Vec<DraftSummary>, RepoError> {
        let rows: Vec<(i64, String, i64, String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT d.case_id, c.code, d.reflection_id, d.body_sealed, d.updated_at \
             FROM drafts d JOIN cases c ON c.id = d.case_id \
             WHERE d.owner_id = $1 AND c.owner_id = $1 ORDER BY d.updated_at DESC"
        )
        .bind(owner.0)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(case_id, case_code, reflection_id, sealed, updated_at)| {
                Ok(DraftSummary {
                    case_id: CaseId(case_id),
                    case_code,
                    reflection_id: (reflection_id != 0).then_some(ReflectionId(reflection_id)),
                    session_number: open_draft(
                        cipher,
                        DRAFT_BODY.at((case_id, reflection_id), owner.0),
                        &sealed,
                    )?
                    .session_number,
                    updated_at,
                })
            })
            .collect()
    }
}

/// A draft is keyed by case and reflection (0 for a new one) per owner.
fn draft_place(owner: UserId, case: CaseId, reflection: Option<ReflectionId>) -> Place {
    DRAFT_BODY.at((case.0, reflection.map(|id| id.0).unwrap_or(0)), owner.0)
}

pub(in crate::server::repo) fn open_draft(
    cipher: &FieldCipher,
    place: Place,
    sealed: &str,
) -> Result<ReflectionInput, RepoError> {
    let body = cipher.open(place, sealed)?;
    serde_json::from_str(&body).map_err(|_| RepoError::Corrupt {
        column: "drafts.body_sealed",
        value: "(unreadable draft)".to_string(),
    })
}
