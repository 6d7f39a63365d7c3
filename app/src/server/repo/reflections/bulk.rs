//! Writing many new reflections of one case at once, for filling a database
//! with synthetic data (`server seed`): the same rows, columns and sealed
//! values as [`Database::insert_reflection`] followed by the identifier
//! review's count, but with ids reserved up front so every text is sealed
//! before its row is written, and many rows to a statement.

use sqlx::QueryBuilder;

use super::{
    day_of,
    write::{choices_of, sealed_texts},
    OwnersCase,
};
use crate::{
    domain::{
        reflection::{Reflection, ReflectionId, Timing},
        vocabulary::{
            ClientResponse, EpisodeWhen, RackerIdentification, ResponseOfOther, ResponseOfSelf,
            TargetPerson, Wish,
        },
    },
    server::repo::{
        database::{on_pool, Database, RepoError},
        sealed_columns::{
            EPISODE_RESPONSE_OF_OTHER, EPISODE_RESPONSE_OF_SELF, EPISODE_WISH, INTERVENTION_TEXT,
            REACTION_TEXT,
        },
    },
};

/// Rows per INSERT: well under both backends' limits on bound parameters
/// (32,766 for SQLite, 65,535 for PostgreSQL) at 22 columns.
const ROWS_PER_STATEMENT: usize = 500;

/// A new reflection and how many identifier findings its review left
/// pending (more than zero holds it from supervisors, as after a save).
#[derive(Debug, Clone, Copy)]
pub struct ReviewedReflection<'a> {
    pub reflection: &'a Reflection,
    pub identifiers_pending: usize,
}

/// `count` ids for new rows of `$table`, reserved inside the open
/// transaction `$tx`: from the identity sequence on PostgreSQL; on SQLite
/// after both the highest id and the AUTOINCREMENT counter, so an id once
/// given is never given again (feedback is anchored to row ids).
macro_rules! reserve_ids {
    ($tx:ident, $postgres:expr, $table:literal, $count:expr) => {{
        let count = $count as i64;
        if $postgres {
            sqlx::query_as::<_, (i64,)>(concat!(
                "SELECT nextval(pg_get_serial_sequence('",
                $table,
                "', 'id')) FROM generate_series(1, $1)"
            ))
            .bind(count)
            .fetch_all(&mut *$tx)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect::<Vec<i64>>()
        } else {
            let (highest,): (i64,) = sqlx::query_as(concat!(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '",
                $table,
                "'), 0), COALESCE((SELECT MAX(id) FROM ",
                $table,
                "), 0))"
            ))
            .fetch_one(&mut *$tx)
            .await?;
            (highest + 1..=highest + count).collect::<Vec<i64>>()
        }
    }};
}

/// Inserts `$rows` into `$table` (with their reserved ids, hence
/// PostgreSQL's OVERRIDING SYSTEM VALUE), [`ROWS_PER_STATEMENT`] at a time;
/// `$bind` pushes one row's values.
macro_rules! insert_rows {
    ($tx:ident, $postgres:expr, $table:literal, $columns:literal, $rows:expr, $bind:expr) => {
        for chunk in $rows.chunks(ROWS_PER_STATEMENT) {
            let mut insert = QueryBuilder::new(concat!("INSERT INTO ", $table, " ", $columns, " "));
            if $postgres {
                insert.push("OVERRIDING SYSTEM VALUE ");
            }
            insert.push_values(chunk, $bind);
            insert.build().execute(&mut *$tx).await?;
        }
    };
}

/// One reaction, intervention or episode to insert: its reserved id, its
/// reflection's id and owner, its position, and the row.
struct RowToInsert<'a, T> {
    id: i64,
    reflection: i64,
    position: i64,
    row: &'a T,
}

/// The rows of one kind of every reflection, each with an id from `ids`
/// (as many as there are rows), in reflection and then position order.
fn rows_to_insert<'a, T>(
    reflection_ids: &[i64],
    reflections: &'a [ReviewedReflection<'a>],
    rows_of: fn(&'a Reflection) -> &'a [T],
    ids: &[i64],
) -> Vec<RowToInsert<'a, T>> {
    let mut ids = ids.iter();
    reflection_ids
        .iter()
        .zip(reflections)
        .flat_map(|(&reflection, reviewed)| {
            rows_of(reviewed.reflection)
                .iter()
                .enumerate()
                .map(move |(position, row)| (reflection, position as i64, row))
        })
        .map(|(reflection, position, row)| RowToInsert {
            id: *ids.next().expect("an id was reserved for every row"),
            reflection,
            position,
            row,
        })
        .collect()
}

impl Database {
    /// Stores new reflections of `owner`'s case in one transaction. Fails
    /// with [`RepoError::NotFound`] when the case is not theirs, and with
    /// [`RepoError::Duplicate`] when a session number is taken.
    pub async fn insert_reflections_in_bulk(
        &self,
        cipher: &crate::server::crypto::FieldCipher,
        OwnersCase { owner, case }: OwnersCase,
        reflections: &[ReviewedReflection<'_>],
        now: i64,
    ) -> Result<Vec<ReflectionId>, RepoError> {
        let postgres = matches!(self, Database::Postgres(_));
        let owner = owner.0;
        let count = |rows_of: fn(&Reflection) -> usize| -> usize {
            reflections
                .iter()
                .map(|reviewed| rows_of(reviewed.reflection))
                .sum()
        };
        let reaction_count = count(|reflection| reflection.reactions.len());
        let intervention_count = count(|reflection| reflection.interventions.len());
        let episode_count = count(|reflection| reflection.episodes.len());
        let ids = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let owned: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM cases WHERE id = $1 AND owner_id = $2")
                    .bind(case.0)
                    .bind(owner)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owned.is_none() {
                return Err(RepoError::NotFound);
            }

            let reflection_ids = reserve_ids!(tx, postgres, "reflections", reflections.len());
            let own_columns: Vec<(i64, &ReviewedReflection, [String; 4], [String; 8])> =
                reflection_ids
                    .iter()
                    .zip(reflections)
                    .map(|(&id, reviewed)| {
                        let reflection = reviewed.reflection;
                        (
                            id,
                            reviewed,
                            choices_of(reflection),
                            sealed_texts(cipher, owner, id, reflection),
                        )
                    })
                    .collect();
            insert_rows!(
                tx,
                postgres,
                "reflections",
                "(id, case_id, session_number, session_date, version, \
                 trigger_choices, trigger_sealed, manifestation_choices, manifestation_sealed, \
                 management_choices, management_sealed, origin_choices, origin_sealed, racker, \
                 racker_object_sealed, racker_note_sealed, enactment_sealed, private_notes_sealed, \
                 created_at, updated_at, session_day, identifiers_pending)",
                own_columns,
                |mut row, (id, reviewed, choices, texts)| {
                    let reflection = reviewed.reflection;
                    row.push_bind(*id)
                        .push_bind(case.0)
                        .push_bind(i64::from(reflection.session_number))
                        .push_bind(reflection.session_date.clone())
                        .push_bind(1_i64);
                    for (choice, text) in choices.iter().zip(texts) {
                        row.push_bind(choice.clone()).push_bind(text.clone());
                    }
                    row.push_bind(reflection.racker.map(RackerIdentification::slug));
                    for text in &texts[4..] {
                        row.push_bind(text.clone());
                    }
                    row.push_bind(now)
                        .push_bind(now)
                        .push_bind(day_of(&reflection.session_date))
                        .push_bind(reviewed.identifiers_pending as i64);
                }
            );

            let ids = reserve_ids!(tx, postgres, "reactions", reaction_count);
            let reactions = rows_to_insert(
                &reflection_ids,
                reflections,
                |reflection| &reflection.reactions,
                &ids,
            );
            insert_rows!(
                tx,
                postgres,
                "reactions",
                "(id, reflection_id, position, dimension, intensity, text_sealed)",
                reactions,
                |mut row, reaction| {
                    row.push_bind(reaction.id)
                        .push_bind(reaction.reflection)
                        .push_bind(reaction.position)
                        .push_bind(reaction.row.dimension.slug())
                        .push_bind(i64::from(reaction.row.intensity))
                        .push_bind(
                            cipher.seal(REACTION_TEXT.at(reaction.id, owner), &reaction.row.text),
                        );
                }
            );

            let ids = reserve_ids!(tx, postgres, "interventions", intervention_count);
            let interventions = rows_to_insert(
                &reflection_ids,
                reflections,
                |reflection| &reflection.interventions,
                &ids,
            );
            insert_rows!(
                tx,
                postgres,
                "interventions",
                "(id, reflection_id, position, kind, minute, phase, depth, target, response, \
                 text_sealed)",
                interventions,
                |mut row, intervention| {
                    let written = intervention.row;
                    let (minute, phase) = match written.timing {
                        Timing::Minute(minute) => (Some(i64::from(minute)), None),
                        Timing::Phase(phase) => (None, Some(phase.slug())),
                    };
                    row.push_bind(intervention.id)
                        .push_bind(intervention.reflection)
                        .push_bind(intervention.position)
                        .push_bind(written.kind.slug())
                        .push_bind(minute)
                        .push_bind(phase)
                        .push_bind(i64::from(written.depth))
                        .push_bind(written.target.map(TargetPerson::slug))
                        .push_bind(written.response.map(ClientResponse::slug))
                        .push_bind(
                            cipher
                                .seal(INTERVENTION_TEXT.at(intervention.id, owner), &written.text),
                        );
                }
            );

            let ids = reserve_ids!(tx, postgres, "episodes", episode_count);
            let episodes = rows_to_insert(
                &reflection_ids,
                reflections,
                |reflection| &reflection.episodes,
                &ids,
            );
            insert_rows!(
                tx,
                postgres,
                "episodes",
                "(id, reflection_id, position, with_whom, wish, wish_sealed, response_of_other, \
                 response_of_other_sealed, response_of_self, response_of_self_sealed, happened)",
                episodes,
                |mut row, episode| {
                    let written = episode.row;
                    row.push_bind(episode.id)
                        .push_bind(episode.reflection)
                        .push_bind(episode.position)
                        .push_bind(written.with_whom.slug())
                        .push_bind(written.wish.map(Wish::slug))
                        .push_bind(
                            cipher.seal(EPISODE_WISH.at(episode.id, owner), &written.wish_text),
                        )
                        .push_bind(written.response_of_other.map(ResponseOfOther::slug))
                        .push_bind(cipher.seal(
                            EPISODE_RESPONSE_OF_OTHER.at(episode.id, owner),
                            &written.response_of_other_text,
                        ))
                        .push_bind(written.response_of_self.map(ResponseOfSelf::slug))
                        .push_bind(cipher.seal(
                            EPISODE_RESPONSE_OF_SELF.at(episode.id, owner),
                            &written.response_of_self_text,
                        ))
                        .push_bind(written.when.map(EpisodeWhen::slug));
                }
            );

            tx.commit().await?;
            Ok::<_, RepoError>(reflection_ids)
        })?;
        Ok(ids.into_iter().map(ReflectionId).collect())
    }
}
