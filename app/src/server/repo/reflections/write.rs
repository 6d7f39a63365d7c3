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
        crypto::{FieldCipher, SealedColumn},
        repo::{
            database::{on_pool, Database, RepoError},
            sealed_columns::{
                EPISODE_RESPONSE_OF_OTHER, EPISODE_RESPONSE_OF_SELF, EPISODE_WISH,
                INTERVENTION_TEXT, REACTION_TEXT, REFLECTION_ENACTMENT, REFLECTION_MANAGEMENT,
                REFLECTION_MANIFESTATION, REFLECTION_ORIGIN, REFLECTION_PRIVATE_NOTES,
                REFLECTION_RACKER_NOTE, REFLECTION_RACKER_OBJECT, REFLECTION_TRIGGER,
            },
        },
    },
};

/// Writes a reflection's reactions, interventions and episodes inside the
/// open transaction `$tx` (a macro: the transaction's type differs per
/// backend). A row carrying the id of one of this reflection's stored rows
/// is updated in place, any other is inserted, and stored rows left out of
/// the save are deleted: feedback anchored to a row stays on that row.
macro_rules! save_rows {
    ($tx:ident, $cipher:expr, $owner:expr, $id:expr, $reflection:expr) => {
        let reflection_id: i64 = $id;
        let owner: i64 = $owner;

        let existing = stored_rows!($tx, "reactions", reflection_id);
        let mut kept = Vec::new();
        for (position, reaction) in $reflection.reactions.iter().enumerate() {
            let in_place = in_place(reaction.id, &existing);
            let query = sqlx::query(if in_place.is_some() {
                "UPDATE reactions SET position = $2, dimension = $3, intensity = $4 \
                 WHERE reflection_id = $1 AND id = $5 RETURNING id"
            } else {
                "INSERT INTO reactions (reflection_id, position, dimension, intensity, text_sealed) \
                 VALUES ($1, $2, $3, $4, '') RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(reaction.dimension.slug())
            .bind(i64::from(reaction.intensity));
            let row = written_row!($tx, kept, in_place, query);
            sqlx::query("UPDATE reactions SET text_sealed = $2 WHERE id = $1")
                .bind(row)
                .bind($cipher.seal(REACTION_TEXT.at(row, owner), &reaction.text))
                .execute(&mut *$tx)
                .await?;
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
                 depth = $6, target = $7, response = $8 \
                 WHERE reflection_id = $1 AND id = $9 RETURNING id"
            } else {
                "INSERT INTO interventions (reflection_id, position, kind, minute, phase, depth, \
                 target, response, text_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '') \
                 RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(intervention.kind.slug())
            .bind(minute)
            .bind(phase)
            .bind(i64::from(intervention.depth))
            .bind(intervention.target.map(TargetPerson::slug))
            .bind(intervention.response.map(ClientResponse::slug));
            let row = written_row!($tx, kept, in_place, query);
            sqlx::query("UPDATE interventions SET text_sealed = $2 WHERE id = $1")
                .bind(row)
                .bind($cipher.seal(INTERVENTION_TEXT.at(row, owner), &intervention.text))
                .execute(&mut *$tx)
                .await?;
        }
        delete_unkept!($tx, "interventions", existing, kept);

        let existing = stored_rows!($tx, "episodes", reflection_id);
        let mut kept = Vec::new();
        for (position, episode) in $reflection.episodes.iter().enumerate() {
            let in_place = in_place(episode.id, &existing);
            let query = sqlx::query(if in_place.is_some() {
                "UPDATE episodes SET position = $2, with_whom = $3, wish = $4, \
                 response_of_other = $5, response_of_self = $6, happened = $7 \
                 WHERE reflection_id = $1 AND id = $8 RETURNING id"
            } else {
                "INSERT INTO episodes (reflection_id, position, with_whom, wish, wish_sealed, \
                 response_of_other, response_of_other_sealed, response_of_self, \
                 response_of_self_sealed, happened) \
                 VALUES ($1, $2, $3, $4, '', $5, '', $6, '', $7) RETURNING id"
            })
            .bind(reflection_id)
            .bind(position as i64)
            .bind(episode.with_whom.slug())
            .bind(episode.wish.map(Wish::slug))
            .bind(episode.response_of_other.map(ResponseOfOther::slug))
            .bind(episode.response_of_self.map(ResponseOfSelf::slug))
            .bind(episode.when.map(EpisodeWhen::slug));
            let row = written_row!($tx, kept, in_place, query);
            sqlx::query(
                "UPDATE episodes SET wish_sealed = $2, response_of_other_sealed = $3, \
                 response_of_self_sealed = $4 WHERE id = $1",
            )
            .bind(row)
            .bind($cipher.seal(EPISODE_WISH.at(row, owner), &episode.wish_text))
            .bind($cipher.seal(
                EPISODE_RESPONSE_OF_OTHER.at(row, owner),
                &episode.response_of_other_text,
            ))
            .bind($cipher.seal(
                EPISODE_RESPONSE_OF_SELF.at(row, owner),
                &episode.response_of_self_text,
            ))
            .execute(&mut *$tx)
            .await?;
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

/// Runs a row's INSERT, or its UPDATE with the row's id bound last,
/// records the id written and gives it: the row's sealed text is written
/// after, bound to that id.
macro_rules! written_row {
    ($tx:ident, $kept:ident, $in_place:expr, $query:ident) => {{
        let $query = match $in_place {
            Some(id) => $query.bind(id),
            None => $query,
        };
        let written = $query.fetch_one(&mut *$tx).await?;
        let row = sqlx::Row::try_get::<i64, _>(&written, 0)?;
        $kept.push(row);
        row
    }};
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

/// A reflection's own sealed columns, in the order of [`sealed_texts`].
const TEXT_COLUMNS: [SealedColumn; 8] = [
    REFLECTION_TRIGGER,
    REFLECTION_MANIFESTATION,
    REFLECTION_MANAGEMENT,
    REFLECTION_ORIGIN,
    REFLECTION_RACKER_OBJECT,
    REFLECTION_RACKER_NOTE,
    REFLECTION_ENACTMENT,
    REFLECTION_PRIVATE_NOTES,
];

/// A reflection's own texts sealed in row `id` of `owner`'s case, in the
/// order of [`TEXT_COLUMNS`].
pub(super) fn sealed_texts(
    cipher: &FieldCipher,
    owner: i64,
    id: i64,
    reflection: &Reflection,
) -> [String; 8] {
    let texts = [
        &reflection.trigger.note,
        &reflection.manifestation.note,
        &reflection.management.note,
        &reflection.origin.note,
        &reflection.racker_object,
        &reflection.racker_note,
        &reflection.enactment,
        &reflection.private_notes,
    ];
    std::array::from_fn(|index| cipher.seal(TEXT_COLUMNS[index].at(id, owner), texts[index]))
}

/// The picked slugs of Hayes' four lists: trigger, manifestation,
/// management, origin.
pub(super) fn choices_of(reflection: &Reflection) -> [String; 4] {
    fn slugs<T: Copy>(choices: &Choices<T>, slug: fn(T) -> &'static str) -> String {
        choices
            .picked
            .iter()
            .map(|&choice| slug(choice))
            .collect::<Vec<_>>()
            .join(",")
    }
    [
        slugs(&reflection.trigger, HayesTrigger::slug),
        slugs(&reflection.manifestation, HayesManifestation::slug),
        slugs(&reflection.management, HayesManagement::slug),
        slugs(&reflection.origin, HayesOrigin::slug),
    ]
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
        let choices = choices_of(reflection);
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The texts are sealed bound to the new row's id, so they are
            // written once it has one.
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO reflections (case_id, session_number, session_date, version, \
                 trigger_choices, trigger_sealed, manifestation_choices, manifestation_sealed, \
                 management_choices, management_sealed, origin_choices, origin_sealed, racker, \
                 racker_object_sealed, racker_note_sealed, enactment_sealed, private_notes_sealed, \
                 created_at, updated_at, session_day, identifiers_pending) \
                 SELECT $1, $2, $3, 1, $4, '', $5, '', $6, '', $7, '', $8, '', '', '', '', $9, $9, $10, -1 \
                 WHERE EXISTS (SELECT 1 FROM cases WHERE id = $1 AND owner_id = $11) \
                 RETURNING id",
            )
            .bind(case.0)
            .bind(i64::from(reflection.session_number))
            .bind(&reflection.session_date)
            .bind(&choices[0])
            .bind(&choices[1])
            .bind(&choices[2])
            .bind(&choices[3])
            .bind(reflection.racker.map(RackerIdentification::slug))
            .bind(now)
            .bind(day_of(&reflection.session_date))
            .bind(owner.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                return Err(RepoError::NotFound);
            };
            let texts = sealed_texts(cipher, owner.0, id, reflection);
            let mut seal = sqlx::query(
                "UPDATE reflections SET trigger_sealed = $2, manifestation_sealed = $3, \
                 management_sealed = $4, origin_sealed = $5, racker_object_sealed = $6, \
                 racker_note_sealed = $7, enactment_sealed = $8, private_notes_sealed = $9 \
                 WHERE id = $1",
            )
            .bind(id);
            for text in &texts {
                seal = seal.bind(text);
            }
            seal.execute(&mut *tx).await?;
            save_rows!(tx, cipher, owner.0, id, reflection);
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
        let choices = choices_of(reflection);
        let texts = sealed_texts(cipher, owner.0, id.0, reflection);
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
            .bind(&choices[0])
            .bind(&texts[0])
            .bind(&choices[1])
            .bind(&texts[1])
            .bind(&choices[2])
            .bind(&texts[2])
            .bind(&choices[3])
            .bind(&texts[3])
            .bind(reflection.racker.map(RackerIdentification::slug))
            .bind(&texts[4])
            .bind(&texts[5])
            .bind(&texts[6])
            .bind(&texts[7])
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
            save_rows!(tx, cipher, owner.0, id.0, reflection);
            tx.commit().await?;
            Ok::<_, RepoError>(UpdateOutcome::Saved {
                version: expected_version + 1,
            })
        })
    }
}
