//! The structured facts of a case's sessions, for analytics and counts: the
//! queries select no sealed column, so nothing is decrypted and no clinical
//! text leaves the database for them. Also the reactions of all of an
//! owner's sessions at once, for "My patterns".
//!
//! One row per session: its reactions, interventions and episodes come packed
//! into one text per table by `string_agg` (SQLite 3.44 and later and
//! PostgreSQL both have it, with `ORDER BY` inside), a row per comma and a
//! field per space, `-` for an absent value; ids, numbers and vocabulary
//! slugs hold neither separator. A row per reaction, intervention and
//! episode instead cost most of a long case's load on SQLite, whose driver
//! hands every row across threads (BENCHMARKS.md).

use std::{collections::HashMap, ops::RangeInclusive};

use super::read::{session_number_of, small};
use crate::server::repo::cases::threshold_of;
use crate::{
    domain::{
        accounts::UserId,
        analytics::{
            EpisodeFacts, InterventionFacts, ReactionFacts, RecentSessions, SessionFacts,
            BASELINE_SESSIONS_BEFORE,
        },
        cases::CaseId,
        reflection::{Glance, ReflectionId, RowId, Timing},
        sharing::ShareId,
        timeline::numbers_of,
        vocabulary::{
            CaseStatus, ClientResponse, EpisodeWhen, EpisodeWith, InterventionKind,
            ReactionDimension, ResponseOfOther, ResponseOfSelf, SessionPhase, Wish,
        },
    },
    server::repo::{
        cases::stored,
        database::{on_pool, Database, RepoError},
    },
};

/// The case's sessions (`$1`), without those share `$2` leaves out or holds
/// for identifiers to fix or confirm (0: the owner's view, nothing left out).
const CASE_SESSIONS: &str = "r.case_id = $1 AND ($2 = 0 OR r.identifiers_pending = 0) \
     AND NOT EXISTS \
     (SELECT 1 FROM share_exclusions e WHERE e.share_id = $2 AND e.reflection_id = r.id)";

/// The session's number and week, from the reflection `r` of the case `c`.
const SESSION_NUMBER_AND_WEEK: &str = "r.session_number, (r.session_day - c.start_day) / 7 + 1";

const SESSION_ORDER: &str = "r.session_number, r.session_day, r.id";

/// The packed columns, each table's fields in the order [`Packed`] reads them.
const REACTIONS: &str = "reactions";
const REACTION_FIELDS: [&str; 3] = ["x.id", "x.dimension", "x.intensity"];
const INTERVENTIONS: &str = "interventions";
const INTERVENTION_FIELDS: [&str; 6] = [
    "x.id",
    "x.kind",
    "x.minute",
    "x.phase",
    "x.depth",
    "x.response",
];
const EPISODES: &str = "episodes";
const EPISODE_FIELDS: [&str; 6] = [
    "x.id",
    "x.with_whom",
    "x.happened",
    "x.wish",
    "x.response_of_other",
    "x.response_of_self",
];

/// The rows of `table` that belong to the session `r`, packed in their order.
fn packed(table: &str, fields: &[&str]) -> String {
    let fields = fields
        .iter()
        .map(|field| format!("COALESCE(CAST({field} AS TEXT), '-')"))
        .collect::<Vec<_>>()
        .join(" || ' ' || ");
    format!(
        "(SELECT string_agg({fields}, ',' ORDER BY x.position, x.id) \
         FROM {table} x WHERE x.reflection_id = r.id)"
    )
}

/// A session of the case as read: id, number, week and its packed rows.
type SessionRow = (
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// An owner's case, its code and its sessions (see [`Database::owner_reactions`]).
pub type OwnerCaseSessions = (CaseId, String, Vec<SessionFacts>);

impl Database {
    /// The facts of every session of `case` in session order, or of those
    /// whose numbers are in `numbers`; `share` leaves out what it excludes.
    /// The caller has resolved access to the case.
    pub async fn session_facts(
        &self,
        case: CaseId,
        share: Option<ShareId>,
        numbers: Option<RangeInclusive<u32>>,
    ) -> Result<Vec<SessionFacts>, RepoError> {
        let share = share.map(|share| share.0).unwrap_or(0);
        let (first, last) = numbers.map_or((0, 0), |numbers| {
            (i64::from(*numbers.start()), i64::from(*numbers.end()))
        });
        let query = format!(
            "SELECT r.id, {SESSION_NUMBER_AND_WEEK}, {}, {}, {} \
             FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE {CASE_SESSIONS} AND ($3 = 0 OR r.session_number BETWEEN $3 AND $4) \
             ORDER BY {SESSION_ORDER}",
            packed(REACTIONS, &REACTION_FIELDS),
            packed(INTERVENTIONS, &INTERVENTION_FIELDS),
            packed(EPISODES, &EPISODE_FIELDS),
        );
        let sessions: Vec<SessionRow> = on_pool!(self, |pool| {
            sqlx::query_as(&query)
                .bind(case.0)
                .bind(share)
                .bind(first)
                .bind(last)
                .fetch_all(pool)
                .await
        })?;
        sessions
            .into_iter()
            .map(|(id, number, week, reactions, interventions, episodes)| {
                Ok(SessionFacts {
                    reflection: ReflectionId(id),
                    session_number: session_number_of(number)?,
                    week,
                    reactions: reactions_of(reactions.as_deref())?,
                    interventions: interventions_of(interventions.as_deref())?,
                    episodes: episodes_of(episodes.as_deref())?,
                })
            })
            .collect()
    }

    /// The sessions of a page of a timeline at a glance, by reflection: the
    /// facts of the span of `numbers` (the page's session numbers); `share`
    /// leaves out what it excludes. The caller has resolved access.
    pub async fn session_glances(
        &self,
        case: CaseId,
        share: Option<ShareId>,
        numbers: impl IntoIterator<Item = u32>,
    ) -> Result<HashMap<ReflectionId, Glance>, RepoError> {
        Ok(self
            .session_facts(case, share, Some(numbers_of(numbers)))
            .await?
            .iter()
            .map(|facts| (facts.reflection, facts.glance()))
            .collect())
    }

    /// Every case of `owner`, by code, with its sessions in session order
    /// carrying their reactions only (no interventions or episodes): what
    /// "My patterns" is computed from. Two queries however many cases there
    /// are, each scoped to the owner in SQL, so no one else's case can come
    /// back; a case without sessions comes back with none.
    pub async fn owner_reactions(
        &self,
        owner: UserId,
    ) -> Result<Vec<OwnerCaseSessions>, RepoError> {
        let query = format!(
            "SELECT r.case_id, r.id, {SESSION_NUMBER_AND_WEEK}, {} \
             FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE c.owner_id = $1 ORDER BY r.case_id, {SESSION_ORDER}",
            packed(REACTIONS, &REACTION_FIELDS),
        );
        let (cases, sessions) = on_pool!(self, |pool| {
            let cases: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, code FROM cases WHERE owner_id = $1 ORDER BY code_key, id",
            )
            .bind(owner.0)
            .fetch_all(pool)
            .await?;
            let sessions: Vec<(i64, i64, i64, i64, Option<String>)> =
                sqlx::query_as(&query).bind(owner.0).fetch_all(pool).await?;
            Ok::<_, RepoError>((cases, sessions))
        })?;

        // A session whose case another request added between these queries
        // finds no case below and is dropped: the figures are those of a
        // moment earlier, never someone else's. The sessions come in session
        // order within each case, and pushing keeps that order.
        let mut sessions_of: HashMap<i64, Vec<SessionFacts>> = HashMap::new();
        for (case, id, number, week, reactions) in sessions {
            sessions_of.entry(case).or_default().push(SessionFacts {
                reflection: ReflectionId(id),
                session_number: session_number_of(number)?,
                week,
                reactions: reactions_of(reactions.as_deref())?,
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

/// A session of an owner's case as [`Database::recent_session_facts`] reads
/// it: case, code, threshold, reflection, number, week, whether it is
/// recent, and its packed interventions.
type RecentRow = (i64, String, i64, i64, i64, i64, i64, Option<String>);

impl Database {
    /// The interventions of the sessions on or after day `since` of each of
    /// `owner`'s active cases, with, before them, the (up to) three latest
    /// sessions with interventions that a recent session's depth baseline
    /// may need: what the home page's flags are computed from. One query
    /// however many cases, scoped to the owner in SQL; structured columns
    /// only, nothing sealed. Cases with no recent session are left out.
    pub async fn recent_session_facts(
        &self,
        owner: UserId,
        since: i64,
    ) -> Result<Vec<RecentSessions>, RepoError> {
        let query = format!(
            "SELECT r.case_id, c.code, c.transference_threshold, r.id, {SESSION_NUMBER_AND_WEEK}, \
             CAST(CASE WHEN r.session_day >= $2 THEN 1 ELSE 0 END AS BIGINT), {} \
             FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE c.owner_id = $1 AND c.status = $4 AND (r.session_day >= $2 OR r.id IN \
               (SELECT id FROM (SELECT b.id, ROW_NUMBER() OVER \
                  (PARTITION BY b.case_id ORDER BY b.session_number DESC) AS back \
                  FROM reflections b JOIN cases bc ON bc.id = b.case_id \
                  WHERE bc.owner_id = $1 AND bc.status = $4 AND b.session_day < $2 \
                  AND EXISTS (SELECT 1 FROM interventions i WHERE i.reflection_id = b.id) \
                  AND EXISTS (SELECT 1 FROM reflections w \
                              WHERE w.case_id = b.case_id AND w.session_day >= $2)) earlier \
                WHERE earlier.back <= $3)) \
             ORDER BY c.code_key, r.case_id, {SESSION_ORDER}",
            packed(INTERVENTIONS, &INTERVENTION_FIELDS),
        );
        let rows: Vec<RecentRow> = on_pool!(self, |pool| {
            sqlx::query_as(&query)
                .bind(owner.0)
                .bind(since)
                .bind(BASELINE_SESSIONS_BEFORE)
                .bind(CaseStatus::Active.slug())
                .fetch_all(pool)
                .await
        })?;
        let mut cases: Vec<RecentSessions> = Vec::new();
        for (case, code, threshold, id, number, week, recent, interventions) in rows {
            if cases.last().is_none_or(|last| last.case.0 != case) {
                cases.push(RecentSessions {
                    case: CaseId(case),
                    code,
                    transference_threshold: threshold_of(threshold)?,
                    sessions: Vec::new(),
                    recent: Vec::new(),
                });
            }
            let Some(current) = cases.last_mut() else {
                continue;
            };
            let reflection = ReflectionId(id);
            if recent == 1 {
                current.recent.push(reflection);
            }
            current.sessions.push(SessionFacts {
                reflection,
                session_number: session_number_of(number)?,
                week,
                reactions: Vec::new(),
                interventions: interventions_of(interventions.as_deref())?,
                episodes: Vec::new(),
            });
        }
        Ok(cases)
    }
}

/// The fields of one packed row, read in order.
struct Packed<'a> {
    table: &'static str,
    fields: std::str::Split<'a, char>,
}

impl<'a> Packed<'a> {
    /// The rows of a packed column (none when the session has none).
    fn rows(table: &'static str, packed: Option<&'a str>) -> impl Iterator<Item = Packed<'a>> {
        packed
            .into_iter()
            .flat_map(|packed| packed.split(','))
            .map(move |row| Packed {
                table,
                fields: row.split(' '),
            })
    }

    /// The next field, `None` when the row left it empty.
    fn optional(&mut self) -> Result<Option<&'a str>, RepoError> {
        match self.fields.next() {
            Some("-") => Ok(None),
            Some(field) => Ok(Some(field)),
            None => Err(RepoError::Corrupt {
                column: self.table,
                value: "a packed row with too few fields".to_string(),
            }),
        }
    }

    fn required(&mut self) -> Result<&'a str, RepoError> {
        self.optional()?.ok_or_else(|| RepoError::Corrupt {
            column: self.table,
            value: "-".to_string(),
        })
    }

    fn number(&mut self) -> Result<i64, RepoError> {
        self.optional_number()?.ok_or_else(|| RepoError::Corrupt {
            column: self.table,
            value: "-".to_string(),
        })
    }

    fn optional_number(&mut self) -> Result<Option<i64>, RepoError> {
        let table = self.table;
        self.optional()?
            .map(|field| {
                field.parse().map_err(|_| RepoError::Corrupt {
                    column: table,
                    value: field.to_string(),
                })
            })
            .transpose()
    }

    fn slug<T>(
        &mut self,
        column: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<T, RepoError> {
        stored(column, self.required()?, parse)
    }

    fn optional_slug<T>(
        &mut self,
        column: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, RepoError> {
        self.optional()?
            .map(|slug| stored(column, slug, parse))
            .transpose()
    }
}

fn reactions_of(packed: Option<&str>) -> Result<Vec<ReactionFacts>, RepoError> {
    Packed::rows(REACTIONS, packed)
        .map(|mut row| {
            Ok(ReactionFacts {
                row: RowId(row.number()?),
                dimension: row.slug("reactions.dimension", ReactionDimension::parse)?,
                intensity: small("reactions.intensity", row.number()?)?,
            })
        })
        .collect()
}

fn interventions_of(packed: Option<&str>) -> Result<Vec<InterventionFacts>, RepoError> {
    Packed::rows(INTERVENTIONS, packed)
        .map(|mut row| {
            let row_id = RowId(row.number()?);
            let kind = row.slug("interventions.kind", InterventionKind::parse)?;
            let minute = row.optional_number()?;
            let phase = row.optional_slug("interventions.phase", SessionPhase::parse)?;
            let timing = match (minute, phase) {
                (Some(minute), _) => Timing::Minute(small("interventions.minute", minute)?),
                (None, Some(phase)) => Timing::Phase(phase),
                (None, None) => {
                    return Err(RepoError::Corrupt {
                        column: "interventions.phase",
                        value: "-".to_string(),
                    })
                }
            };
            Ok(InterventionFacts {
                row: row_id,
                kind,
                timing,
                depth: small("interventions.depth", row.number()?)?,
                response: row.optional_slug("interventions.response", ClientResponse::parse)?,
            })
        })
        .collect()
}

fn episodes_of(packed: Option<&str>) -> Result<Vec<EpisodeFacts>, RepoError> {
    Packed::rows(EPISODES, packed)
        .map(|mut row| {
            Ok(EpisodeFacts {
                row: RowId(row.number()?),
                with_whom: row.slug("episodes.with_whom", EpisodeWith::parse)?,
                when: row.optional_slug("episodes.happened", EpisodeWhen::parse)?,
                wish: row.optional_slug("episodes.wish", Wish::parse)?,
                response_of_other: row
                    .optional_slug("episodes.response_of_other", ResponseOfOther::parse)?,
                response_of_self: row
                    .optional_slug("episodes.response_of_self", ResponseOfSelf::parse)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_without_rows_has_none() {
        assert!(reactions_of(None).unwrap().is_empty());
        assert!(interventions_of(None).unwrap().is_empty());
        assert!(episodes_of(None).unwrap().is_empty());
    }

    #[test]
    fn packed_rows_are_read_in_order_with_absent_fields() {
        let reactions = reactions_of(Some("7 helpless 4,3 parental 1")).unwrap();
        assert_eq!(
            reactions,
            vec![
                ReactionFacts {
                    row: RowId(7),
                    dimension: ReactionDimension::Helpless,
                    intensity: 4
                },
                ReactionFacts {
                    row: RowId(3),
                    dimension: ReactionDimension::Parental,
                    intensity: 1
                },
            ]
        );
        let interventions = interventions_of(Some(
            "5 transference_interpretation - late 4 -,6 clarification 12 - 2 new_material",
        ))
        .unwrap();
        assert_eq!(interventions[0].timing, Timing::Phase(SessionPhase::Late));
        assert_eq!(interventions[0].response, None);
        assert_eq!(interventions[1].timing, Timing::Minute(12));
        assert_eq!(interventions[1].depth, 2);
        let episodes = episodes_of(Some("9 therapist in_session - - -")).unwrap();
        assert_eq!(episodes[0].with_whom, EpisodeWith::Therapist);
        assert_eq!(episodes[0].when, Some(EpisodeWhen::InSession));
        assert_eq!(episodes[0].wish, None);
    }

    #[test]
    fn a_malformed_packed_row_is_corrupt_not_guessed() {
        for packed in [
            "7 helpless",
            "x helpless 4",
            "7 nonsense 4",
            "7 - 4",
            "7 helpless 400",
        ] {
            assert!(
                matches!(reactions_of(Some(packed)), Err(RepoError::Corrupt { .. })),
                "{packed}"
            );
        }
        assert!(matches!(
            interventions_of(Some("5 clarification - - 3 -")),
            Err(RepoError::Corrupt { .. })
        ));
    }
}
