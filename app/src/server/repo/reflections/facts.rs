//! The structured facts of a case's sessions, for analytics and counts: the
//! queries select no sealed column, so nothing is decrypted and no clinical
//! text leaves the database for them. Also the reactions of all of an
//! owner's sessions at once, for "My patterns".

use std::collections::HashMap;

use super::read::{optional, session_number_of, small};
use crate::{
    domain::{
        accounts::UserId,
        analytics::{EpisodeFacts, InterventionFacts, ReactionFacts, SessionFacts},
        cases::CaseId,
        reflection::{ReflectionId, RowId, Timing},
        sharing::ShareId,
        vocabulary::{
            ClientResponse, EpisodeWhen, EpisodeWith, InterventionKind, ReactionDimension,
            ResponseOfOther, ResponseOfSelf, SessionPhase, Wish,
        },
    },
    server::repo::{
        cases::stored,
        database::{on_pool, Database, RepoError},
    },
};

/// The case's sessions (`$1`), without those share `$2` leaves out (0: the
/// owner's view, nothing left out).
const CASE_SESSIONS: &str = "r.case_id = $1 AND NOT EXISTS \
     (SELECT 1 FROM share_exclusions e WHERE e.share_id = $2 AND e.reflection_id = r.id)";

/// Each row type starts with the reflection's id and the row's own.
type ReactionRow = (i64, i64, String, i64);
type InterventionRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
);
type EpisodeRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// An owner's case, its code and its sessions (see [`Database::owner_reactions`]).
pub type OwnerCaseSessions = (CaseId, String, Vec<SessionFacts>);

fn rows_query(table: &str, columns: &str) -> String {
    format!(
        "SELECT x.reflection_id, x.id, {columns} FROM {table} x \
         JOIN reflections r ON r.id = x.reflection_id \
         WHERE {CASE_SESSIONS} ORDER BY x.reflection_id, x.position, x.id"
    )
}

impl Database {
    /// The facts of every session of `case` in session order; `share` leaves
    /// out what it excludes. The caller has resolved access to the case.
    pub async fn session_facts(
        &self,
        case: CaseId,
        share: Option<ShareId>,
    ) -> Result<Vec<SessionFacts>, RepoError> {
        let share = share.map(|share| share.0).unwrap_or(0);
        let (sessions, reactions, interventions, episodes) = on_pool!(self, |pool| {
            let sessions: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
                "SELECT r.id, r.session_number, (r.session_day - c.start_day) / 7 + 1 AS week \
                 FROM reflections r JOIN cases c ON c.id = r.case_id \
                 WHERE {CASE_SESSIONS} ORDER BY r.session_number, r.session_day, r.id"
            ))
            .bind(case.0)
            .bind(share)
            .fetch_all(pool)
            .await?;
            let reactions: Vec<ReactionRow> =
                sqlx::query_as(&rows_query("reactions", "x.dimension, x.intensity"))
                    .bind(case.0)
                    .bind(share)
                    .fetch_all(pool)
                    .await?;
            let interventions: Vec<InterventionRow> = sqlx::query_as(&rows_query(
                "interventions",
                "x.kind, x.minute, x.phase, x.depth, x.response",
            ))
            .bind(case.0)
            .bind(share)
            .fetch_all(pool)
            .await?;
            let episodes: Vec<EpisodeRow> = sqlx::query_as(&rows_query(
                "episodes",
                "x.with_whom, x.happened, x.wish, x.response_of_other, x.response_of_self",
            ))
            .bind(case.0)
            .bind(share)
            .fetch_all(pool)
            .await?;
            Ok::<_, RepoError>((sessions, reactions, interventions, episodes))
        })?;

        let mut reactions_of = reactions_by_reflection(reactions)?;
        let mut interventions_of: HashMap<i64, Vec<InterventionFacts>> = HashMap::new();
        for (reflection, row, kind, minute, phase, depth, response) in interventions {
            let timing = match minute {
                Some(minute) => Timing::Minute(small("interventions.minute", minute)?),
                None => Timing::Phase(stored(
                    "interventions.phase",
                    phase.as_deref().unwrap_or_default(),
                    SessionPhase::parse,
                )?),
            };
            interventions_of
                .entry(reflection)
                .or_default()
                .push(InterventionFacts {
                    row: RowId(row),
                    kind: stored("interventions.kind", &kind, InterventionKind::parse)?,
                    timing,
                    depth: small("interventions.depth", depth)?,
                    response: optional("interventions.response", response, ClientResponse::parse)?,
                });
        }
        let mut episodes_of: HashMap<i64, Vec<EpisodeFacts>> = HashMap::new();
        for (reflection, row, with_whom, when, wish, other, own) in episodes {
            episodes_of
                .entry(reflection)
                .or_default()
                .push(EpisodeFacts {
                    row: RowId(row),
                    with_whom: stored("episodes.with_whom", &with_whom, EpisodeWith::parse)?,
                    when: optional("episodes.happened", when, EpisodeWhen::parse)?,
                    wish: optional("episodes.wish", wish, Wish::parse)?,
                    response_of_other: optional(
                        "episodes.response_of_other",
                        other,
                        ResponseOfOther::parse,
                    )?,
                    response_of_self: optional(
                        "episodes.response_of_self",
                        own,
                        ResponseOfSelf::parse,
                    )?,
                });
        }
        sessions
            .into_iter()
            .map(|(id, number, week)| {
                Ok(SessionFacts {
                    reflection: ReflectionId(id),
                    session_number: session_number_of(number)?,
                    week,
                    reactions: reactions_of.remove(&id).unwrap_or_default(),
                    interventions: interventions_of.remove(&id).unwrap_or_default(),
                    episodes: episodes_of.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Every case of `owner`, by code, with its sessions in session order
    /// carrying their reactions only (no interventions or episodes): what
    /// "My patterns" is computed from. Three queries however many cases
    /// there are, each scoped to the owner in SQL, so no one else's case can
    /// come back; a case without sessions comes back with none.
    pub async fn owner_reactions(
        &self,
        owner: UserId,
    ) -> Result<Vec<OwnerCaseSessions>, RepoError> {
        let (cases, sessions, reactions) = on_pool!(self, |pool| {
            let cases: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, code FROM cases WHERE owner_id = $1 ORDER BY code_key, id",
            )
            .bind(owner.0)
            .fetch_all(pool)
            .await?;
            let sessions: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
                "SELECT r.case_id, r.id, r.session_number, \
                 (r.session_day - c.start_day) / 7 + 1 AS week \
                 FROM reflections r JOIN cases c ON c.id = r.case_id \
                 WHERE c.owner_id = $1 \
                 ORDER BY r.case_id, r.session_number, r.session_day, r.id",
            )
            .bind(owner.0)
            .fetch_all(pool)
            .await?;
            let reactions: Vec<ReactionRow> = sqlx::query_as(
                "SELECT x.reflection_id, x.id, x.dimension, x.intensity FROM reactions x \
                 JOIN reflections r ON r.id = x.reflection_id \
                 JOIN cases c ON c.id = r.case_id \
                 WHERE c.owner_id = $1 \
                 ORDER BY x.reflection_id, x.position, x.id",
            )
            .bind(owner.0)
            .fetch_all(pool)
            .await?;
            Ok::<_, RepoError>((cases, sessions, reactions))
        })?;

        // A row whose session or case another request added or deleted
        // between these queries finds no partner below and is dropped: the
        // figures are those of a moment earlier, never someone else's.
        let mut reactions_of = reactions_by_reflection(reactions)?;
        // The sessions come in session order within each case, and pushing
        // keeps that order.
        let mut sessions_of: HashMap<i64, Vec<SessionFacts>> = HashMap::new();
        for (case, id, number, week) in sessions {
            sessions_of.entry(case).or_default().push(SessionFacts {
                reflection: ReflectionId(id),
                session_number: session_number_of(number)?,
                week,
                reactions: reactions_of.remove(&id).unwrap_or_default(),
                interventions: Vec::new(),
                episodes: Vec::new(),
            });
        }
        Ok(cases
            .into_iter()
            .map(|(id, code)| {
                let sessions = sessions_of.remove(&id).unwrap_or_default();
                (CaseId(id), code, sessions)
            })
            .collect())
    }
}

/// The reactions read, grouped by reflection in the order read.
fn reactions_by_reflection(
    rows: Vec<ReactionRow>,
) -> Result<HashMap<i64, Vec<ReactionFacts>>, RepoError> {
    let mut reactions_of: HashMap<i64, Vec<ReactionFacts>> = HashMap::new();
    for (reflection, row, dimension, intensity) in rows {
        reactions_of
            .entry(reflection)
            .or_default()
            .push(ReactionFacts {
                row: RowId(row),
                dimension: stored("reactions.dimension", &dimension, ReactionDimension::parse)?,
                intensity: small("reactions.intensity", intensity)?,
            });
    }
    Ok(reactions_of)
}
