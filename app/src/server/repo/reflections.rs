//! Session reflections, their reactions, interventions and episodes, and the
//! drafts of unsaved typing. Free text is sealed with the data key before it
//! is written and opened after it is read; choices are stored as slugs.
//!
//! Callers reach a reflection only through a case they own: every query
//! joins `cases` and filters on the owner.

use std::collections::HashMap;

use super::{
    cases::stored,
    database::{on_pool, Database, RepoError},
};
use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        reflection::{
            Choices, Draft, DraftSummary, Episode, Intervention, Reaction, Reflection,
            ReflectionId, ReflectionInput, RowId, SharedReflection, StoredReflection, Timing,
        },
        sharing::ShareId,
        time::parse_iso_date,
        vocabulary::{
            ClientResponse, EpisodeWith, HayesManagement, HayesManifestation, HayesOrigin,
            HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension,
            ResponseOfOther, ResponseOfSelf, SessionPhase, TargetPerson, Wish,
        },
    },
    server::crypto::FieldCipher,
};

/// Writes a reflection's reactions, interventions and episodes inside the
/// open transaction `$tx` (a macro: the transaction's type differs per
/// backend). A row carrying the id of one of this reflection's stored rows
/// is updated in place, any other is inserted, and stored rows left out of
/// the save are deleted: feedback anchored to a row stays on that row.
macro_rules! save_rows {
    ($tx:ident, $cipher:expr, $id:expr, $reflection:expr) => {
        let reflection_id: i64 = $id;

        let existing = stored_rows!($tx, "reactions", reflection_id);
        let mut kept = Vec::new();
        for (position, reaction) in $reflection.reactions.iter().enumerate() {
            let in_place = in_place(reaction.id, &existing);
            let query = sqlx::query(if in_place.is_some() {
                "UPDATE reactions SET position = $2, dimension = $3, intensity = $4, text_sealed = $5 \
                 WHERE reflection_id = $1 AND id = $6 RETURNING id"
            } else {
                "INSERT INTO reactions (reflection_id, position, dimension, intensity, text_sealed) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(reaction.dimension.slug())
            .bind(i64::from(reaction.intensity))
            .bind($cipher.seal(&reaction.text));
            written_row!($tx, kept, in_place, query);
        }
        delete_unkept!($tx, "reactions", existing, kept);

        let existing = stored_rows!($tx, "interventions", reflection_id);
        let mut kept = Vec::new();
        for (position, intervention) in $reflection.interventions.iter().enumerate() {
            let (minute, phase) = match intervention.timing {
                Timing::Minute(minute) => (Some(i64::from(minute)), None),
                Timing::Phase(phase) => (None, Some(phase.slug())),
            };
            let in_place = in_place(intervention.id, &existing);
            let query = sqlx::query(if in_place.is_some() {
                "UPDATE interventions SET position = $2, kind = $3, minute = $4, phase = $5, \
                 depth = $6, target = $7, response = $8, text_sealed = $9 \
                 WHERE reflection_id = $1 AND id = $10 RETURNING id"
            } else {
                "INSERT INTO interventions (reflection_id, position, kind, minute, phase, depth, \
                 target, response, text_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(intervention.kind.slug())
            .bind(minute)
            .bind(phase)
            .bind(i64::from(intervention.depth))
            .bind(intervention.target.map(TargetPerson::slug))
            .bind(intervention.response.map(ClientResponse::slug))
            .bind($cipher.seal(&intervention.text));
            written_row!($tx, kept, in_place, query);
        }
        delete_unkept!($tx, "interventions", existing, kept);

        let existing = stored_rows!($tx, "episodes", reflection_id);
        let mut kept = Vec::new();
        for (position, episode) in $reflection.episodes.iter().enumerate() {
            let in_place = in_place(episode.id, &existing);
            let query = sqlx::query(if in_place.is_some() {
                "UPDATE episodes SET position = $2, with_whom = $3, wish = $4, wish_sealed = $5, \
                 response_of_other = $6, response_of_other_sealed = $7, response_of_self = $8, \
                 response_of_self_sealed = $9 WHERE reflection_id = $1 AND id = $10 RETURNING id"
            } else {
                "INSERT INTO episodes (reflection_id, position, with_whom, wish, wish_sealed, \
                 response_of_other, response_of_other_sealed, response_of_self, \
                 response_of_self_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(episode.with_whom.slug())
            .bind(episode.wish.map(Wish::slug))
            .bind($cipher.seal(&episode.wish_text))
            .bind(episode.response_of_other.map(ResponseOfOther::slug))
            .bind($cipher.seal(&episode.response_of_other_text))
            .bind(episode.response_of_self.map(ResponseOfSelf::slug))
            .bind($cipher.seal(&episode.response_of_self_text));
            written_row!($tx, kept, in_place, query);
        }
        delete_unkept!($tx, "episodes", existing, kept);
    };
}

/// The ids of a reflection's stored rows of one kind (`$table`).
macro_rules! stored_rows {
    ($tx:ident, $table:literal, $reflection_id:expr) => {
        sqlx::query_as::<_, (i64,)>(concat!(
            "SELECT id FROM ",
            $table,
            " WHERE reflection_id = $1"
        ))
        .bind($reflection_id)
        .fetch_all(&mut *$tx)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect::<Vec<i64>>()
    };
}

/// Runs a row's INSERT, or its UPDATE with the row's id bound last, and
/// records the id written.
macro_rules! written_row {
    ($tx:ident, $kept:ident, $in_place:expr, $query:ident) => {
        let $query = match $in_place {
            Some(id) => $query.bind(id),
            None => $query,
        };
        let written = $query.fetch_one(&mut *$tx).await?;
        $kept.push(sqlx::Row::try_get::<i64, _>(&written, 0)?);
    };
}

/// Deletes the stored rows of one kind that the save left out.
macro_rules! delete_unkept {
    ($tx:ident, $table:literal, $existing:ident, $kept:ident) => {
        for removed in $existing.iter().filter(|id| !$kept.contains(id)) {
            sqlx::query(concat!("DELETE FROM ", $table, " WHERE id = $1"))
                .bind(removed)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// The stored row a submitted row updates: its id, if it is one of the
/// reflection's own rows (any other id is written as a new row).
fn in_place(row: Option<RowId>, existing: &[i64]) -> Option<i64> {
    row.map(|id| id.0).filter(|id| existing.contains(id))
}

/// Which of an owner's reflections to load; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ReflectionFilter {
    pub case: Option<CaseId>,
    pub reflection: Option<ReflectionId>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

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

/// What became of a save based on a given version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Saved {
        version: i64,
    },
    /// Someone saved since that version: nothing was written.
    Stale,
    Missing,
}

/// Which reflections an author's load reads (parameters `$1`–`$5`).
const OWNED_AND_FILTERED: &str = "c.owner_id = $1 \
     AND ($2 = 0 OR r.case_id = $2) AND ($3 = 0 OR r.id = $3) \
     AND ($4 = '' OR r.session_date >= $4) AND ($5 = '' OR r.session_date <= $5)";

/// Which reflections a shared load reads: one case (`$1`), optionally one
/// reflection (`$2`), without those share `$3` excludes.
const SHARED_AND_FILTERED: &str = "r.case_id = $1 AND ($2 = 0 OR r.id = $2) \
     AND NOT EXISTS (SELECT 1 FROM share_exclusions e \
                     WHERE e.share_id = $3 AND e.reflection_id = r.id)";

/// Runs a SELECT with the given parameters and fetches every row.
macro_rules! fetch_all {
    ($pool:expr, $sql:expr, [$($bind:expr),*]) => {
        sqlx::query_as(&$sql)$(.bind($bind))*.fetch_all($pool).await?
    };
}

/// The reactions, interventions and episodes of the reflections `$condition`
/// selects (aliases `r` for reflections and `c` for cases), in order.
macro_rules! fetch_parts {
    ($pool:expr, $condition:expr, [$($bind:expr),*]) => {
        SealedParts {
            reactions: fetch_all!(
                $pool,
                parts_query("reactions", "x.dimension, x.intensity, x.text_sealed", $condition),
                [$($bind),*]
            ),
            interventions: fetch_all!(
                $pool,
                parts_query(
                    "interventions",
                    "x.kind, x.minute, x.phase, x.depth, x.target, x.response, x.text_sealed",
                    $condition
                ),
                [$($bind),*]
            ),
            episodes: fetch_all!(
                $pool,
                parts_query(
                    "episodes",
                    "x.with_whom, x.wish, x.wish_sealed, x.response_of_other, \
                     x.response_of_other_sealed, x.response_of_self, x.response_of_self_sealed",
                    $condition
                ),
                [$($bind),*]
            ),
        }
    };
}

fn parts_query(table: &str, columns: &str, condition: &str) -> String {
    format!(
        "SELECT x.reflection_id, x.id, {columns} FROM {table} x \
         JOIN reflections r ON r.id = x.reflection_id JOIN cases c ON c.id = r.case_id \
         WHERE {condition} ORDER BY x.reflection_id, x.position, x.id"
    )
}

#[derive(sqlx::FromRow)]
struct ReflectionRow {
    id: i64,
    case_id: i64,
    code: String,
    session_number: i64,
    session_date: String,
    version: i64,
    updated_at: i64,
    trigger_choices: String,
    trigger_sealed: String,
    manifestation_choices: String,
    manifestation_sealed: String,
    management_choices: String,
    management_sealed: String,
    origin_choices: String,
    origin_sealed: String,
    racker: Option<String>,
    racker_object_sealed: String,
    racker_note_sealed: String,
    enactment_sealed: String,
    private_notes_sealed: String,
}

/// What a shared load reads of a reflection: no origin, no private notes,
/// no date (the week is computed from day numbers in the query).
#[derive(sqlx::FromRow)]
struct SharedRow {
    id: i64,
    case_id: i64,
    version: i64,
    session_number: i64,
    week: i64,
    trigger_choices: String,
    trigger_sealed: String,
    manifestation_choices: String,
    manifestation_sealed: String,
    management_choices: String,
    management_sealed: String,
    racker: Option<String>,
    racker_object_sealed: String,
    racker_note_sealed: String,
    enactment_sealed: String,
}

/// Each row type starts with the reflection's id and the row's own.
type ReactionRow = (i64, i64, String, i64, String);
type InterventionRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    String,
);
type EpisodeRow = (
    i64,
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
);

/// The sealed and slug forms of a reflection's own columns, in the order
/// of the INSERT and UPDATE statements' parameters `$4`–`$16` (update: `$6`–`$18`).
struct SealedReflection {
    texts: [String; 8],
    choices: [String; 4],
}

fn seal_reflection(cipher: &FieldCipher, reflection: &Reflection) -> SealedReflection {
    fn slugs<T: Copy>(choices: &Choices<T>, slug: fn(T) -> &'static str) -> String {
        choices
            .picked
            .iter()
            .map(|&choice| slug(choice))
            .collect::<Vec<_>>()
            .join(",")
    }
    SealedReflection {
        texts: [
            &reflection.trigger.note,
            &reflection.manifestation.note,
            &reflection.management.note,
            &reflection.origin.note,
            &reflection.racker_object,
            &reflection.racker_note,
            &reflection.enactment,
            &reflection.private_notes,
        ]
        .map(|text| cipher.seal(text)),
        choices: [
            slugs(&reflection.trigger, HayesTrigger::slug),
            slugs(&reflection.manifestation, HayesManifestation::slug),
            slugs(&reflection.management, HayesManagement::slug),
            slugs(&reflection.origin, HayesOrigin::slug),
        ],
    }
}

impl Database {
    /// Stores a new reflection of a case (the caller has checked the case
    /// is the asker's). Fails with [`RepoError::Duplicate`] when the case
    /// already has a reflection for that session number.
    pub async fn insert_reflection(
        &self,
        cipher: &FieldCipher,
        case: CaseId,
        reflection: &Reflection,
        now: i64,
    ) -> Result<ReflectionId, RepoError> {
        let sealed = seal_reflection(cipher, reflection);
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO reflections (case_id, session_number, session_date, version, \
                 trigger_choices, trigger_sealed, manifestation_choices, manifestation_sealed, \
                 management_choices, management_sealed, origin_choices, origin_sealed, racker, \
                 racker_object_sealed, racker_note_sealed, enactment_sealed, private_notes_sealed, \
                 created_at, updated_at, session_day) \
                 VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) \
                 RETURNING id",
            )
            .bind(case.0)
            .bind(i64::from(reflection.session_number))
            .bind(&reflection.session_date)
            .bind(&sealed.choices[0])
            .bind(&sealed.texts[0])
            .bind(&sealed.choices[1])
            .bind(&sealed.texts[1])
            .bind(&sealed.choices[2])
            .bind(&sealed.texts[2])
            .bind(&sealed.choices[3])
            .bind(&sealed.texts[3])
            .bind(reflection.racker.map(RackerIdentification::slug))
            .bind(&sealed.texts[4])
            .bind(&sealed.texts[5])
            .bind(&sealed.texts[6])
            .bind(&sealed.texts[7])
            .bind(now)
            .bind(day_of(&reflection.session_date))
            .fetch_one(&mut *tx)
            .await?;
            save_rows!(tx, cipher, id, reflection);
            tx.commit().await?;
            Ok::<_, RepoError>(id)
        })?;
        Ok(ReflectionId(id))
    }

    /// Replaces a reflection if it is still at `expected_version`.
    pub async fn update_reflection(
        &self,
        cipher: &FieldCipher,
        case: CaseId,
        id: ReflectionId,
        expected_version: i64,
        reflection: &Reflection,
        now: i64,
    ) -> Result<UpdateOutcome, RepoError> {
        let sealed = seal_reflection(cipher, reflection);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE reflections SET session_number = $4, session_date = $5, version = version + 1, \
                 trigger_choices = $6, trigger_sealed = $7, manifestation_choices = $8, \
                 manifestation_sealed = $9, management_choices = $10, management_sealed = $11, \
                 origin_choices = $12, origin_sealed = $13, racker = $14, racker_object_sealed = $15, \
                 racker_note_sealed = $16, enactment_sealed = $17, private_notes_sealed = $18, \
                 updated_at = $19, session_day = $20 \
                 WHERE id = $1 AND case_id = $2 AND version = $3",
            )
            .bind(id.0)
            .bind(case.0)
            .bind(expected_version)
            .bind(i64::from(reflection.session_number))
            .bind(&reflection.session_date)
            .bind(&sealed.choices[0])
            .bind(&sealed.texts[0])
            .bind(&sealed.choices[1])
            .bind(&sealed.texts[1])
            .bind(&sealed.choices[2])
            .bind(&sealed.texts[2])
            .bind(&sealed.choices[3])
            .bind(&sealed.texts[3])
            .bind(reflection.racker.map(RackerIdentification::slug))
            .bind(&sealed.texts[4])
            .bind(&sealed.texts[5])
            .bind(&sealed.texts[6])
            .bind(&sealed.texts[7])
            .bind(now)
            .bind(day_of(&reflection.session_date))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                let exists: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM reflections WHERE id = $1 AND case_id = $2")
                        .bind(id.0)
                        .bind(case.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Ok(if exists.is_some() {
                    UpdateOutcome::Stale
                } else {
                    UpdateOutcome::Missing
                });
            }
            save_rows!(tx, cipher, id.0, reflection);
            tx.commit().await?;
            Ok::<_, RepoError>(UpdateOutcome::Saved {
                version: expected_version + 1,
            })
        })
    }

    /// The owner's reflections that pass `filter`, newest session first.
    pub async fn load_reflections(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        filter: &ReflectionFilter,
    ) -> Result<Vec<StoredReflection>, RepoError> {
        let case = filter.case.map(|case| case.0).unwrap_or(0);
        let reflection = filter.reflection.map(|id| id.0).unwrap_or(0);
        let from = filter.from.as_deref().unwrap_or("");
        let to = filter.to.as_deref().unwrap_or("");
        let (rows, parts) = on_pool!(self, |pool| {
            let rows: Vec<ReflectionRow> = fetch_all!(
                pool,
                format!(
                    "SELECT r.id, r.case_id, c.code, r.session_number, r.session_date, r.version, \
                     r.updated_at, r.trigger_choices, r.trigger_sealed, r.manifestation_choices, \
                     r.manifestation_sealed, r.management_choices, r.management_sealed, \
                     r.origin_choices, r.origin_sealed, r.racker, r.racker_object_sealed, \
                     r.racker_note_sealed, r.enactment_sealed, r.private_notes_sealed \
                     FROM reflections r JOIN cases c ON c.id = r.case_id \
                     WHERE {OWNED_AND_FILTERED} \
                     ORDER BY r.session_date DESC, r.session_number DESC, r.id DESC"
                ),
                [owner.0, case, reflection, from, to]
            );
            let parts = fetch_parts!(
                pool,
                OWNED_AND_FILTERED,
                [owner.0, case, reflection, from, to]
            );
            Ok::<_, RepoError>((rows, parts))
        })?;
        let mut parts = parts.open(cipher)?;
        rows.into_iter()
            .map(|row| authored(cipher, row, &mut parts))
            .collect()
    }

    /// The case's reflections as a supervisor sees them through `share`
    /// (its excluded sessions left out), newest session first; `reflection`
    /// narrows them to one. The query selects no private column and no
    /// date: [`SharedReflection`] has no place for them.
    pub async fn load_shared_reflections(
        &self,
        cipher: &FieldCipher,
        case: CaseId,
        share: Option<ShareId>,
        reflection: Option<ReflectionId>,
    ) -> Result<Vec<SharedReflection>, RepoError> {
        let case = case.0;
        let share = share.map(|share| share.0).unwrap_or(0);
        let reflection = reflection.map(|id| id.0).unwrap_or(0);
        let (rows, parts) = on_pool!(self, |pool| {
            let rows: Vec<SharedRow> = fetch_all!(
                pool,
                format!(
                    "SELECT r.id, r.case_id, r.version, r.session_number, \
                     (r.session_day - c.start_day) / 7 + 1 AS week, \
                     r.trigger_choices, r.trigger_sealed, r.manifestation_choices, \
                     r.manifestation_sealed, r.management_choices, r.management_sealed, \
                     r.racker, r.racker_object_sealed, r.racker_note_sealed, r.enactment_sealed \
                     FROM reflections r JOIN cases c ON c.id = r.case_id \
                     WHERE {SHARED_AND_FILTERED} \
                     ORDER BY r.session_number DESC, r.id DESC"
                ),
                [case, reflection, share]
            );
            let parts = fetch_parts!(pool, SHARED_AND_FILTERED, [case, reflection, share]);
            Ok::<_, RepoError>((rows, parts))
        })?;
        let mut parts = parts.open(cipher)?;
        rows.into_iter()
            .map(|row| shared(cipher, row, &mut parts))
            .collect()
    }

    /// One of the owner's reflections in one of their cases, or `None`.
    pub async fn reflection_of(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        case: CaseId,
        id: ReflectionId,
    ) -> Result<Option<StoredReflection>, RepoError> {
        let filter = ReflectionFilter {
            case: Some(case),
            reflection: Some(id),
            ..ReflectionFilter::default()
        };
        Ok(self
            .load_reflections(cipher, owner, &filter)
            .await?
            .into_iter()
            .next())
    }

    /// The session number after the case's highest (1 for a new case).
    pub async fn next_session_number(&self, case: CaseId) -> Result<u32, RepoError> {
        let (highest,): (Option<i64>,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT MAX(session_number) FROM reflections WHERE case_id = $1"
        )
        .bind(case.0)
        .fetch_one(pool)
        .await)?;
        Ok(u32::try_from(highest.unwrap_or(0) + 1).unwrap_or(u32::MAX))
    }

    /// Keeps what the owner is typing for a case's new reflection or an
    /// existing one, replacing an older draft of the same.
    pub async fn save_draft(
        &self,
        cipher: &FieldCipher,
        draft: &NewDraft<'_>,
    ) -> Result<(), RepoError> {
        let body =
            serde_json::to_string(draft.input).expect("the reflection form serialises to JSON");
        let sealed = cipher.seal(&body);
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
        .bind(draft.reflection.map(|id| id.0).unwrap_or(0))
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
                input: open_draft(cipher, &sealed)?,
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
                    session_number: open_draft(cipher, &sealed)?.session_number,
                    updated_at,
                })
            })
            .collect()
    }

    /// Makes sure the database's sealed values were written with this key:
    /// the first start stores a sealed marker; later starts must open it.
    pub async fn check_data_key(&self, cipher: &FieldCipher) -> Result<(), RepoError> {
        let existing: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT sealed FROM data_key_check WHERE id = 1"
        )
        .fetch_optional(pool)
        .await)?;
        match existing {
            Some((sealed,)) => {
                cipher.open(&sealed)?;
            }
            None => {
                let marker = cipher.seal("reverie data key");
                on_pool!(self, |pool| {
                    sqlx::query(
                    "INSERT INTO data_key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING"
                )
                .bind(&marker)
                .execute(pool)
                .await
                .map(|_| ())
                })?;
            }
        }
        Ok(())
    }
}

/// Days since 1970-01-01 of a validated `YYYY-MM-DD` date, stored beside it
/// so that shared views can give a session's week without the date.
pub(super) fn day_of(iso_date: &str) -> i64 {
    parse_iso_date(iso_date).unwrap_or_default()
}

fn open_draft(cipher: &FieldCipher, sealed: &str) -> Result<ReflectionInput, RepoError> {
    let body = cipher.open(sealed)?;
    serde_json::from_str(&body).map_err(|_| RepoError::Corrupt {
        column: "drafts.body_sealed",
        value: "(unreadable draft)".to_string(),
    })
}

fn picked<T>(
    column: &'static str,
    slugs: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Vec<T>, RepoError> {
    slugs
        .split(',')
        .filter(|slug| !slug.is_empty())
        .map(|slug| stored(column, slug, parse))
        .collect()
}

fn optional<T>(
    column: &'static str,
    slug: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, RepoError> {
    slug.map(|slug| stored(column, &slug, parse)).transpose()
}

fn small(column: &'static str, value: i64) -> Result<u8, RepoError> {
    u8::try_from(value).map_err(|_| RepoError::Corrupt {
        column,
        value: value.to_string(),
    })
}

/// The reactions, interventions and episodes of some reflections, as read.
struct SealedParts {
    reactions: Vec<ReactionRow>,
    interventions: Vec<InterventionRow>,
    episodes: Vec<EpisodeRow>,
}

/// The same, opened and grouped by reflection.
#[derive(Default)]
struct Parts {
    reactions: HashMap<i64, Vec<Reaction>>,
    interventions: HashMap<i64, Vec<Intervention>>,
    episodes: HashMap<i64, Vec<Episode>>,
}

impl SealedParts {
    fn open(self, cipher: &FieldCipher) -> Result<Parts, RepoError> {
        let mut parts = Parts::default();
        for (id, row, dimension, intensity, text) in self.reactions {
            parts.reactions.entry(id).or_default().push(Reaction {
                id: Some(RowId(row)),
                dimension: stored("reactions.dimension", &dimension, ReactionDimension::parse)?,
                intensity: small("reactions.intensity", intensity)?,
                text: cipher.open(&text)?,
            });
        }
        for (id, row, kind, minute, phase, depth, target, response, text) in self.interventions {
            let timing = match (minute, phase) {
                (Some(minute), _) => Timing::Minute(small("interventions.minute", minute)?),
                (None, phase) => Timing::Phase(stored(
                    "interventions.phase",
                    phase.as_deref().unwrap_or(""),
                    SessionPhase::parse,
                )?),
            };
            parts
                .interventions
                .entry(id)
                .or_default()
                .push(Intervention {
                    id: Some(RowId(row)),
                    kind: stored("interventions.kind", &kind, InterventionKind::parse)?,
                    timing,
                    depth: small("interventions.depth", depth)?,
                    target: optional("interventions.target", target, TargetPerson::parse)?,
                    response: optional("interventions.response", response, ClientResponse::parse)?,
                    text: cipher.open(&text)?,
                });
        }
        for (id, row, with_whom, wish, wish_text, ro, ro_text, rs, rs_text) in self.episodes {
            parts.episodes.entry(id).or_default().push(Episode {
                id: Some(RowId(row)),
                with_whom: stored("episodes.with_whom", &with_whom, EpisodeWith::parse)?,
                wish: optional("episodes.wish", wish, Wish::parse)?,
                wish_text: cipher.open(&wish_text)?,
                response_of_other: optional(
                    "episodes.response_of_other",
                    ro,
                    ResponseOfOther::parse,
                )?,
                response_of_other_text: cipher.open(&ro_text)?,
                response_of_self: optional("episodes.response_of_self", rs, ResponseOfSelf::parse)?,
                response_of_self_text: cipher.open(&rs_text)?,
            });
        }
        Ok(parts)
    }
}

impl Parts {
    fn take(&mut self, reflection: i64) -> (Vec<Reaction>, Vec<Intervention>, Vec<Episode>) {
        (
            self.reactions.remove(&reflection).unwrap_or_default(),
            self.interventions.remove(&reflection).unwrap_or_default(),
            self.episodes.remove(&reflection).unwrap_or_default(),
        )
    }
}

/// One of Hayes' lists: the picked slugs and the sealed note.
fn hayes<T>(
    cipher: &FieldCipher,
    column: &'static str,
    slugs: &str,
    sealed_note: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Choices<T>, RepoError> {
    Ok(Choices {
        picked: picked(column, slugs, parse)?,
        note: cipher.open(sealed_note)?,
    })
}

fn session_number_of(value: i64) -> Result<u32, RepoError> {
    u32::try_from(value).map_err(|_| RepoError::Corrupt {
        column: "reflections.session_number",
        value: value.to_string(),
    })
}

/// A reflection as its author reads it, private parts included.
fn authored(
    cipher: &FieldCipher,
    row: ReflectionRow,
    parts: &mut Parts,
) -> Result<StoredReflection, RepoError> {
    let (reactions, interventions, episodes) = parts.take(row.id);
    let reflection = Reflection {
        session_number: session_number_of(row.session_number)?,
        session_date: row.session_date,
        reactions,
        trigger: hayes(
            cipher,
            "reflections.trigger_choices",
            &row.trigger_choices,
            &row.trigger_sealed,
            HayesTrigger::parse,
        )?,
        manifestation: hayes(
            cipher,
            "reflections.manifestation_choices",
            &row.manifestation_choices,
            &row.manifestation_sealed,
            HayesManifestation::parse,
        )?,
        management: hayes(
            cipher,
            "reflections.management_choices",
            &row.management_choices,
            &row.management_sealed,
            HayesManagement::parse,
        )?,
        origin: hayes(
            cipher,
            "reflections.origin_choices",
            &row.origin_choices,
            &row.origin_sealed,
            HayesOrigin::parse,
        )?,
        racker: optional(
            "reflections.racker",
            row.racker,
            RackerIdentification::parse,
        )?,
        racker_object: cipher.open(&row.racker_object_sealed)?,
        racker_note: cipher.open(&row.racker_note_sealed)?,
        enactment: cipher.open(&row.enactment_sealed)?,
        interventions,
        episodes,
        private_notes: cipher.open(&row.private_notes_sealed)?,
    };
    Ok(StoredReflection {
        id: ReflectionId(row.id),
        case_id: CaseId(row.case_id),
        case_code: row.code,
        version: row.version,
        updated_at: row.updated_at,
        reflection,
    })
}

/// A reflection as a supervisor reads it.
fn shared(
    cipher: &FieldCipher,
    row: SharedRow,
    parts: &mut Parts,
) -> Result<SharedReflection, RepoError> {
    let (reactions, interventions, episodes) = parts.take(row.id);
    Ok(SharedReflection {
        id: ReflectionId(row.id),
        case_id: CaseId(row.case_id),
        version: row.version,
        session_number: session_number_of(row.session_number)?,
        week: row.week,
        reactions,
        trigger: hayes(
            cipher,
            "reflections.trigger_choices",
            &row.trigger_choices,
            &row.trigger_sealed,
            HayesTrigger::parse,
        )?,
        manifestation: hayes(
            cipher,
            "reflections.manifestation_choices",
            &row.manifestation_choices,
            &row.manifestation_sealed,
            HayesManifestation::parse,
        )?,
        management: hayes(
            cipher,
            "reflections.management_choices",
            &row.management_choices,
            &row.management_sealed,
            HayesManagement::parse,
        )?,
        racker: optional(
            "reflections.racker",
            row.racker,
            RackerIdentification::parse,
        )?,
        racker_object: cipher.open(&row.racker_object_sealed)?,
        racker_note: cipher.open(&row.racker_note_sealed)?,
        enactment: cipher.open(&row.enactment_sealed)?,
        interventions,
        episodes,
    })
}
