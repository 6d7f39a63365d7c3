//! Writing a reflection: its own columns and its rows, in one transaction.

use super::{day_of, OwnersCase, UpdateOutcome};
use crate::{
    domain::{
        reflection::{Choices, Reflection, ReflectionId, RowId, Timing},
        vocabulary::{
            ClientResponse, EpisodeWhen, HayesManagement, HayesManifestation, HayesOrigin,
            HayesTrigger, RackerIdentification, ResponseOfOther, ResponseOfSelf, TargetPerson,
            Wish,
        },
    },
    server::{
        crypto::FieldCipher,
        repo::database::{on_pool, Database, RepoError},
    },
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
                 response_of_self_sealed = $9, happened = $10 \
                 WHERE reflection_id = $1 AND id = $11 RETURNING id"
            } else {
                "INSERT INTO episodes (reflection_id, position, with_whom, wish, wish_sealed, \
                 response_of_other, response_of_other_sealed, response_of_self, \
                 response_of_self_sealed, happened) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(episode.with_whom.slug())
            .bind(episode.wish.map(Wish::slug))
            .bind($cipher.seal(&episode.wish_text))
            .bind(episode.response_of_other.map(ResponseOfOther::slug))
            .bind($cipher.seal(&episode.response_of_other_text))
            .bind(episode.response_of_self.map(ResponseOfSelf::slug))
            .bind($cipher.seal(&episode.response_of_self_text))
            .bind(episode.when.map(EpisodeWhen::slug));
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
    /// Stores a new reflection of `owner`'s case. Fails with
    /// [`RepoError::NotFound`] when the case is not theirs, and with
    /// [`RepoError::Duplicate`] when it already has a reflection for that
    /// session number.
    pub async fn insert_reflection(
        &self,
        cipher: &FieldCipher,
        OwnersCase { owner, case }: OwnersCase,
        reflection: &Reflection,
        now: i64,
    ) -> Result<ReflectionId, RepoError> {
        let sealed = seal_reflection(cipher, reflection);
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO reflections (case_id, session_number, session_date, version, \
                 trigger_choices, trigger_sealed, manifestation_choices, manifestation_sealed, \
                 management_choices, management_sealed, origin_choices, origin_sealed, racker, \
                 racker_object_sealed, racker_note_sealed, enactment_sealed, private_notes_sealed, \
                 created_at, updated_at, session_day, identifiers_pending) \
                 SELECT $1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, -1 \
                 WHERE EXISTS (SELECT 1 FROM cases WHERE id = $1 AND owner_id = $19) \
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
            .bind(owner.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                return Err(RepoError::NotFound);
            };
            save_rows!(tx, cipher, id, reflection);
            tx.commit().await?;
            Ok::<_, RepoError>(id)
        })?;
        Ok(ReflectionId(id))
    }

    /// Replaces a reflection of `owner`'s case if it is still at
    /// `expected_version`; another's is [`UpdateOutcome::Missing`].
    pub async fn update_reflection(
        &self,
        cipher: &FieldCipher,
        OwnersCase { owner, case }: OwnersCase,
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
                 updated_at = $19, session_day = $20, identifiers_pending = -1 \
                 WHERE id = $1 AND case_id = $2 AND version = $3 \
                 AND case_id IN (SELECT id FROM cases WHERE owner_id = $21)",
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
            .bind(owner.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                let exists: Option<(i64,)> = sqlx::query_as(
                    "SELECT r.id FROM reflections r JOIN cases c ON c.id = r.case_id \
                     WHERE r.id = $1 AND r.case_id = $2 AND c.owner_id = $3",
                )
                .bind(id.0)
                .bind(case.0)
                .bind(owner.0)
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
}
