//! Reading reflections: the author's (private parts included) and the
//! shared projection, each from queries that select only what its type holds.

use std::collections::HashMap;

use super::{ReflectionFilter, SessionRow, SharedSessionRow};
use crate::{
    domain::{
        accounts::UserId,
        cases::CaseId,
        reflection::{
            Choices, Episode, Intervention, Reaction, Reflection, ReflectionId, RowId,
            SharedReflection, StoredReflection, Timing,
        },
        sharing::ShareId,
        timeline::{TimelinePage, SESSIONS_PER_PAGE},
        vocabulary::{
            ClientResponse, EpisodeWhen, EpisodeWith, HayesManagement, HayesManifestation,
            HayesOrigin, HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension,
            ResponseOfOther, ResponseOfSelf, SessionPhase, TargetPerson, Wish,
        },
    },
    server::{
        crypto::{FieldCipher, Place},
        repo::{
            cases::stored,
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

/// The LIMIT and OFFSET of one page of sessions, or of all of them.
fn limit_and_offset(page: Option<TimelinePage>) -> (i64, i64) {
    match page {
        Some(page) => (i64::from(SESSIONS_PER_PAGE), i64::from(page.offset())),
        None => (i64::MAX, 0),
    }
}

/// Whether `id` can name a stored record. The queries read 0 as "any", so
/// an id from an address that did not parse (0) must match nothing instead.
fn is_record_id(id: i64) -> bool {
    id > 0
}

/// Which reflections an author's load reads (parameters `$1`–`$5`).
const OWNED_AND_FILTERED: &str = "c.owner_id = $1 \
     AND ($2 = 0 OR r.case_id = $2) AND ($3 = 0 OR r.id = $3) \
     AND ($4 = '' OR r.session_date >= $4) AND ($5 = '' OR r.session_date <= $5)";

/// Which reflections a shared load reads: one case (`$1`), optionally one
/// reflection (`$2`), without those share `$3` excludes or those held for
/// identifiers to fix or confirm (share 0: the owner's preview, all).
const SHARED_AND_FILTERED: &str = "r.case_id = $1 AND ($2 = 0 OR r.id = $2) \
     AND ($3 = 0 OR r.identifiers_pending = 0) \
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
                     x.response_of_other_sealed, x.response_of_self, x.response_of_self_sealed, \
                     x.happened",
                    $condition
                ),
                [$($bind),*]
            ),
        }
    };
}

fn parts_query(table: &str, columns: &str, condition: &str) -> String {
    format!(
        "SELECT x.reflection_id, x.id, c.owner_id, {columns} FROM {table} x \
         JOIN reflections r ON r.id = x.reflection_id JOIN cases c ON c.id = r.case_id \
         WHERE {condition} ORDER BY x.reflection_id, x.position, x.id"
    )
}

/// The columns of a reflection that a share may show; both loads read them.
#[derive(sqlx::FromRow)]
struct ShareableColumns {
    /// The case's owner, to whom the sealed texts are bound.
    owner_id: i64,
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

/// What an author's load reads of a reflection.
#[derive(sqlx::FromRow)]
struct ReflectionRow {
    id: i64,
    case_id: i64,
    code: String,
    session_number: i64,
    session_date: String,
    version: i64,
    updated_at: i64,
    #[sqlx(flatten)]
    shareable: ShareableColumns,
    origin_choices: String,
    origin_sealed: String,
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
    #[sqlx(flatten)]
    shareable: ShareableColumns,
}

/// Each row type starts with the reflection's id, the row's own and the
/// case owner's.
type ReactionRow = (i64, i64, i64, String, i64, String);
type InterventionRow = (
    i64,
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
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
);

impl Database {
    /// The owner's reflections that pass `filter`, newest session first.
    pub async fn load_reflections(
        &self,
        cipher: &FieldCipher,
        owner: UserId,
        filter: &ReflectionFilter,
    ) -> Result<Vec<StoredReflection>, RepoError> {
        if filter.case.is_some_and(|case| !is_record_id(case.0))
            || filter.reflection.is_some_and(|id| !is_record_id(id.0))
        {
            return Ok(Vec::new());
        }
        let case = filter.case.map(|case| case.0).unwrap_or(0);
        let reflection = filter.reflection.map(|id| id.0).unwrap_or(0);
        let from = filter.from.as_deref().unwrap_or("");
        let to = filter.to.as_deref().unwrap_or("");
        let condition = match &filter.among {
            None => OWNED_AND_FILTERED.to_string(),
            Some(ids) if ids.is_empty() => return Ok(Vec::new()),
            // Numbers only: the ids are typed, never text from a request.
            Some(ids) => format!(
                "{OWNED_AND_FILTERED} AND r.id IN ({})",
                ids.iter()
                    .map(|id| id.0.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        };
        let (rows, parts) = on_pool!(self, |pool| {
            let rows: Vec<ReflectionRow> = fetch_all!(
                pool,
                format!(
                    "SELECT r.id, r.case_id, c.code, r.session_number, r.session_date, r.version, \
                     r.updated_at, c.owner_id, r.trigger_choices, r.trigger_sealed, r.manifestation_choices, \
                     r.manifestation_sealed, r.management_choices, r.management_sealed, \
                     r.origin_choices, r.origin_sealed, r.racker, r.racker_object_sealed, \
                     r.racker_note_sealed, r.enactment_sealed, r.private_notes_sealed \
                     FROM reflections r JOIN cases c ON c.id = r.case_id \
                     WHERE {condition} \
                     ORDER BY r.session_date DESC, r.session_number DESC, r.id DESC"
                ),
                [owner.0, case, reflection, from, to]
            );
            let parts = fetch_parts!(pool, &condition, [owner.0, case, reflection, from, to]);
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
        if reflection.is_some_and(|id| !is_record_id(id.0)) {
            return Ok(Vec::new());
        }
        let case = case.0;
        let share = share.map(|share| share.0).unwrap_or(0);
        let reflection = reflection.map(|id| id.0).unwrap_or(0);
        let (rows, parts) = on_pool!(self, |pool| {
            let rows: Vec<SharedRow> = fetch_all!(
                pool,
                format!(
                    "SELECT r.id, r.case_id, r.version, r.session_number, \
                     (r.session_day - c.start_day) / 7 + 1 AS week, c.owner_id, \
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

    /// The owner's case's sessions, newest first, without reading anything
    /// sealed: one page of them, or all with `page` `None`.
    pub async fn sessions_of_case(
        &self,
        owner: UserId,
        case: CaseId,
        page: Option<TimelinePage>,
    ) -> Result<Vec<SessionRow>, RepoError> {
        let (limit, offset) = limit_and_offset(page);
        let rows: Vec<(i64, i64, String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.id, r.session_number, r.session_date, r.version \
             FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE c.owner_id = $1 AND r.case_id = $2 \
             ORDER BY r.session_date DESC, r.session_number DESC, r.id DESC \
             LIMIT $3 OFFSET $4"
        )
        .bind(owner.0)
        .bind(case.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(id, number, session_date, version)| {
                Ok(SessionRow {
                    id: ReflectionId(id),
                    session_number: session_number_of(number)?,
                    session_date,
                    version,
                })
            })
            .collect()
    }

    /// One page of the sessions a share shows of its case, newest first,
    /// placed by number and week, without reading anything sealed.
    pub async fn shared_sessions(
        &self,
        case: CaseId,
        share: ShareId,
        page: TimelinePage,
    ) -> Result<Vec<SharedSessionRow>, RepoError> {
        let (limit, offset) = limit_and_offset(Some(page));
        let rows: Vec<(i64, i64, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT r.id, r.session_number, (r.session_day - c.start_day) / 7 + 1, r.version \
             FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE {SHARED_AND_FILTERED} \
             ORDER BY r.session_number DESC, r.id DESC LIMIT $4 OFFSET $5"
        ))
        .bind(case.0)
        .bind(0_i64)
        .bind(share.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(id, number, week, version)| {
                Ok(SharedSessionRow {
                    id: ReflectionId(id),
                    session_number: session_number_of(number)?,
                    week,
                    version,
                })
            })
            .collect()
    }

    /// How many sessions of the case its reader sees: the owner (`share`
    /// `None`) all, a supervisor those the share shows.
    pub async fn count_case_sessions(
        &self,
        case: CaseId,
        share: Option<ShareId>,
    ) -> Result<u32, RepoError> {
        let (count,): (i64,) = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM reflections r WHERE {SHARED_AND_FILTERED}"
        ))
        .bind(case.0)
        .bind(0_i64)
        .bind(share.map(|share| share.0).unwrap_or(0))
        .fetch_one(pool)
        .await)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
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

pub(super) fn small(column: &'static str, value: i64) -> Result<u8, RepoError> {
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
        for (id, row, owner, dimension, intensity, text) in self.reactions {
            parts.reactions.entry(id).or_default().push(Reaction {
                id: Some(RowId(row)),
                dimension: stored("reactions.dimension", &dimension, ReactionDimension::parse)?,
                intensity: small("reactions.intensity", intensity)?,
                text: cipher.open(REACTION_TEXT.at(row, owner), &text)?,
            });
        }
        for (id, row, owner, kind, minute, phase, depth, target, response, text) in
            self.interventions
        {
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
                    text: cipher.open(INTERVENTION_TEXT.at(row, owner), &text)?,
                });
        }
        for (id, row, owner, with_whom, wish, wish_text, ro, ro_text, rs, rs_text, when) in
            self.episodes
        {
            parts.episodes.entry(id).or_default().push(Episode {
                id: Some(RowId(row)),
                with_whom: stored("episodes.with_whom", &with_whom, EpisodeWith::parse)?,
                when: optional("episodes.happened", when, EpisodeWhen::parse)?,
                wish: optional("episodes.wish", wish, Wish::parse)?,
                wish_text: cipher.open(EPISODE_WISH.at(row, owner), &wish_text)?,
                response_of_other: optional(
                    "episodes.response_of_other",
                    ro,
                    ResponseOfOther::parse,
                )?,
                response_of_other_text: cipher
                    .open(EPISODE_RESPONSE_OF_OTHER.at(row, owner), &ro_text)?,
                response_of_self: optional("episodes.response_of_self", rs, ResponseOfSelf::parse)?,
                response_of_self_text: cipher
                    .open(EPISODE_RESPONSE_OF_SELF.at(row, owner), &rs_text)?,
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

/// One of Hayes' lists: the picked slugs and the note sealed at `place`.
fn hayes<T>(
    cipher: &FieldCipher,
    column: &'static str,
    slugs: &str,
    (place, sealed_note): (Place, &str),
    parse: fn(&str) -> Option<T>,
) -> Result<Choices<T>, RepoError> {
    Ok(Choices {
        picked: picked(column, slugs, parse)?,
        note: cipher.open(place, sealed_note)?,
    })
}

pub(in crate::server::repo) fn session_number_of(value: i64) -> Result<u32, RepoError> {
    u32::try_from(value).map_err(|_| RepoError::Corrupt {
        column: "reflections.session_number",
        value: value.to_string(),
    })
}

/// The shareable part of a reflection, opened.
struct Shareable {
    trigger: Choices<HayesTrigger>,
    manifestation: Choices<HayesManifestation>,
    management: Choices<HayesManagement>,
    racker: Option<RackerIdentification>,
    racker_object: String,
    racker_note: String,
    enactment: String,
}

impl ShareableColumns {
    /// Opens the columns of reflection `id`.
    fn open(self, cipher: &FieldCipher, id: i64) -> Result<Shareable, RepoError> {
        let owner = self.owner_id;
        Ok(Shareable {
            trigger: hayes(
                cipher,
                "reflections.trigger_choices",
                &self.trigger_choices,
                (REFLECTION_TRIGGER.at(id, owner), &self.trigger_sealed),
                HayesTrigger::parse,
            )?,
            manifestation: hayes(
                cipher,
                "reflections.manifestation_choices",
                &self.manifestation_choices,
                (
                    REFLECTION_MANIFESTATION.at(id, owner),
                    &self.manifestation_sealed,
                ),
                HayesManifestation::parse,
            )?,
            management: hayes(
                cipher,
                "reflections.management_choices",
                &self.management_choices,
                (REFLECTION_MANAGEMENT.at(id, owner), &self.management_sealed),
                HayesManagement::parse,
            )?,
            racker: optional(
                "reflections.racker",
                self.racker,
                RackerIdentification::parse,
            )?,
            racker_object: cipher.open(
                REFLECTION_RACKER_OBJECT.at(id, owner),
                &self.racker_object_sealed,
            )?,
            racker_note: cipher.open(
                REFLECTION_RACKER_NOTE.at(id, owner),
                &self.racker_note_sealed,
            )?,
            enactment: cipher.open(REFLECTION_ENACTMENT.at(id, owner), &self.enactment_sealed)?,
        })
    }
}

/// A reflection as its author reads it, private parts included.
fn authored(
    cipher: &FieldCipher,
    row: ReflectionRow,
    parts: &mut Parts,
) -> Result<StoredReflection, RepoError> {
    let (reactions, interventions, episodes) = parts.take(row.id);
    let owner = row.shareable.owner_id;
    let Shareable {
        trigger,
        manifestation,
        management,
        racker,
        racker_object,
        racker_note,
        enactment,
    } = row.shareable.open(cipher, row.id)?;
    let reflection = Reflection {
        session_number: session_number_of(row.session_number)?,
        session_date: row.session_date,
        reactions,
        trigger,
        manifestation,
        management,
        origin: hayes(
            cipher,
            "reflections.origin_choices",
            &row.origin_choices,
            (REFLECTION_ORIGIN.at(row.id, owner), &row.origin_sealed),
            HayesOrigin::parse,
        )?,
        racker,
        racker_object,
        racker_note,
        enactment,
        interventions,
        episodes,
        private_notes: cipher.open(
            REFLECTION_PRIVATE_NOTES.at(row.id, owner),
            &row.private_notes_sealed,
        )?,
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
    let Shareable {
        trigger,
        manifestation,
        management,
        racker,
        racker_object,
        racker_note,
        enactment,
    } = row.shareable.open(cipher, row.id)?;
    Ok(SharedReflection {
        id: ReflectionId(row.id),
        case_id: CaseId(row.case_id),
        version: row.version,
        session_number: session_number_of(row.session_number)?,
        week: row.week,
        reactions,
        trigger,
        manifestation,
        management,
        racker,
        racker_object,
        racker_note,
        enactment,
        interventions,
        episodes,
    })
}
