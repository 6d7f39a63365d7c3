//! The search index: each reflection's terms (keyed hashes of its words,
//! made by `FieldCipher::search_term`), which version of the reflection they
//! were made from (`reflections.search_version`) and with which data key
//! (`search_keys`, one per therapist), and the search that reads them. No
//! text is stored here, sealed or not.

use sqlx::QueryBuilder;

use super::database::{on_pool, Database, RepoError};
use crate::domain::{
    accounts::UserId,
    reflection::ReflectionId,
    search::{SearchQuery, RESULTS_PER_PAGE},
    vocabulary::Cluster,
};

/// Terms written by one statement: well under both backends' limits on
/// bound parameters.
const TERMS_PER_STATEMENT: usize = 500;

/// A reflection's terms as made from one version of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedReflection {
    pub id: ReflectionId,
    pub version: i64,
    pub terms: Vec<i64>,
}

/// Which reflections a search reads (aliases `r` and `c`; parameters
/// `$1`–`$9`): the owner's, in the case and dates asked for, with the
/// reaction and theme asked for. [`searched_rows`] adds the words. The
/// reaction and theme are found in indexes alone (`reactions_by_dimension`,
/// `episodes_by_theme`): the rows carry sealed text a search does not need.
const SEARCHED: &str = "c.owner_id = $1 AND ($2 = 0 OR r.case_id = $2) \
     AND ($3 = '' OR r.session_date >= $3) AND ($4 = '' OR r.session_date <= $4) \
     AND ($5 = '' OR EXISTS (SELECT 1 FROM reactions x WHERE x.reflection_id = r.id \
                             AND x.dimension = $5 AND x.intensity >= $6)) \
     AND ($7 = '' OR EXISTS (SELECT 1 FROM episodes e WHERE e.reflection_id = r.id AND e.wish = $7)) \
     AND ($8 = '' OR EXISTS (SELECT 1 FROM episodes e WHERE e.reflection_id = r.id \
                             AND e.response_of_other = $8)) \
     AND ($9 = '' OR EXISTS (SELECT 1 FROM episodes e WHERE e.reflection_id = r.id \
                             AND e.response_of_self = $9))";

/// The rows a search reads, from `FROM` to the end of the `WHERE` clause.
/// With words, they are driven by the first term's rows in `search_terms`
/// (found by the primary key: only the owner's reflections that hold the
/// word are read), and each further term is checked by the primary key too;
/// without words, they are the owner's reflections. Terms are parameters
/// from `$10` on.
fn searched_rows(terms: usize) -> String {
    let mut rows = if terms == 0 {
        format!("FROM reflections r JOIN cases c ON c.id = r.case_id WHERE {SEARCHED}")
    } else {
        format!(
            "FROM search_terms t JOIN reflections r ON r.id = t.reflection_id \
             JOIN cases c ON c.id = r.case_id \
             WHERE t.owner_id = $1 AND t.term = $10 AND {SEARCHED}"
        )
    };
    for index in 1..terms {
        rows.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM search_terms u WHERE u.owner_id = $1 \
              AND u.term = ${} AND u.reflection_id = r.id)",
            10 + index
        ));
    }
    rows
}

/// Binds [`SEARCHED`]'s parameters and the terms, in order.
macro_rules! bind_search {
    ($query:expr, $owner:expr, $search:expr, $terms:expr) => {{
        let search: &SearchQuery = $search;
        let (wish, response_of_other, response_of_self) = match search.cluster {
            Some(Cluster::Wish(wish)) => (wish.slug(), "", ""),
            Some(Cluster::ResponseOfOther(other)) => ("", other.slug(), ""),
            Some(Cluster::ResponseOfSelf(own)) => ("", "", own.slug()),
            None => ("", "", ""),
        };
        let mut query = $query
            .bind($owner)
            .bind(search.case.map(|case| case.0).unwrap_or(0))
            .bind(search.from.clone().unwrap_or_default())
            .bind(search.to.clone().unwrap_or_default())
            .bind(
                search
                    .dimension
                    .map(|dimension| dimension.slug())
                    .unwrap_or(""),
            )
            .bind(i64::from(search.min_intensity))
            .bind(wish)
            .bind(response_of_other)
            .bind(response_of_self);
        for term in $terms {
            query = query.bind(*term);
        }
        query
    }};
}

impl Database {
    /// Makes sure the owner's index is made with the data key `key_id`:
    /// when it was made with another (after a key rotation), or never
    /// recorded, the owner's terms are dropped and every reflection of
    /// theirs is marked as not indexed, so the next indexing makes them all
    /// again with this key.
    pub async fn claim_search_key(&self, owner: UserId, key_id: &str) -> Result<(), RepoError> {
        let recorded: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT key_id FROM search_keys WHERE owner_id = $1"
        )
        .bind(owner.0)
        .fetch_optional(pool)
        .await)?;
        if recorded.is_some_and(|(recorded,)| recorded == key_id) {
            return Ok(());
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO search_keys (owner_id, key_id) VALUES ($1, $2) \
                 ON CONFLICT (owner_id) DO UPDATE SET key_id = excluded.key_id",
            )
            .bind(owner.0)
            .bind(key_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM search_terms WHERE owner_id = $1")
                .bind(owner.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE reflections SET search_version = NULL \
                 WHERE search_version IS NOT NULL \
                 AND case_id IN (SELECT id FROM cases WHERE owner_id = $1)",
            )
            .bind(owner.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, RepoError>(())
        })
    }

    /// The owner's reflections saved since their terms were made (or never
    /// indexed), oldest first. Reads only those rows, through the partial
    /// index `reflections_search_behind`.
    pub async fn reflections_to_index(
        &self,
        owner: UserId,
    ) -> Result<Vec<ReflectionId>, RepoError> {
        let ids: Vec<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.id FROM cases c JOIN reflections r ON r.case_id = c.id \
             WHERE c.owner_id = $1 AND r.search_version IS DISTINCT FROM r.version \
             ORDER BY r.id"
        )
        .bind(owner.0)
        .fetch_all(pool)
        .await)?;
        Ok(ids.into_iter().map(|(id,)| ReflectionId(id)).collect())
    }

    /// Replaces the terms of the owner's reflections and records the
    /// version each was made from, in one transaction. A reflection deleted
    /// meanwhile gets no terms; one saved meanwhile stays behind (its
    /// version moved on) and is indexed again by the next search.
    pub async fn store_search_terms(
        &self,
        owner: UserId,
        indexed: &[IndexedReflection],
    ) -> Result<(), RepoError> {
        if indexed.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = indexed.iter().map(|reflection| reflection.id.0).collect();
        let pairs: Vec<(i64, i64)> = indexed
            .iter()
            .flat_map(|reflection| reflection.terms.iter().map(|term| (*term, reflection.id.0)))
            .collect();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The write comes first: on SQLite it takes the write lock
            // before anything is read.
            let mut delete = QueryBuilder::new("DELETE FROM search_terms WHERE reflection_id IN (");
            let mut listed = delete.separated(", ");
            for id in &ids {
                listed.push_bind(*id);
            }
            delete.push(")");
            delete.build().execute(&mut *tx).await?;
            for rows in pairs.chunks(TERMS_PER_STATEMENT) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO search_terms (owner_id, term, reflection_id) \
                     SELECT c.owner_id, t.column1, t.column2 FROM (",
                );
                insert.push_values(rows, |mut row, (term, id)| {
                    row.push_bind(*term).push_bind(*id);
                });
                insert.push(
                    ") AS t JOIN reflections r ON r.id = t.column2 \
                     JOIN cases c ON c.id = r.case_id WHERE c.owner_id = ",
                );
                insert.push_bind(owner.0);
                insert.push(" ON CONFLICT DO NOTHING");
                insert.build().execute(&mut *tx).await?;
            }
            for reflection in indexed {
                sqlx::query(
                    "UPDATE reflections SET search_version = $2 \
                     WHERE id = $1 AND case_id IN (SELECT id FROM cases WHERE owner_id = $3)",
                )
                .bind(reflection.id.0)
                .bind(reflection.version)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<_, RepoError>(())
        })
    }

    /// The page `search` asks for of the owner's reflections that hold
    /// every term and pass its filters, newest session first, and how many
    /// there are in all. The index must be current (see
    /// [`Database::reflections_to_index`]).
    pub async fn search_index(
        &self,
        owner: UserId,
        search: &SearchQuery,
        terms: &[i64],
    ) -> Result<(Vec<ReflectionId>, usize), RepoError> {
        let rows = searched_rows(terms.len());
        let limit = i64::try_from(RESULTS_PER_PAGE).unwrap_or(i64::MAX);
        let offset =
            i64::try_from((search.page - 1).saturating_mul(RESULTS_PER_PAGE)).unwrap_or(i64::MAX);
        let after_terms = 10 + terms.len();
        let count_sql = format!("SELECT COUNT(*) {rows}");
        let page_sql = format!(
            "SELECT r.id {rows} \
             ORDER BY r.session_date DESC, r.session_number DESC, r.id DESC \
             LIMIT ${after_terms} OFFSET ${}",
            after_terms + 1
        );
        let (total, page) = on_pool!(self, |pool| {
            let (total,): (i64,) = bind_search!(sqlx::query_as(&count_sql), owner.0, search, terms)
                .fetch_one(pool)
                .await?;
            let page: Vec<(i64,)> = bind_search!(sqlx::query_as(&page_sql), owner.0, search, terms)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            Ok::<_, RepoError>((total, page))
        })?;
        Ok((
            page.into_iter().map(|(id,)| ReflectionId(id)).collect(),
            usize::try_from(total).unwrap_or(0),
        ))
    }
}
