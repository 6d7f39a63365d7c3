//! The search index: each reflection's terms (keyed hashes of its words,
//! made by `FieldCipher::search_term`), which version of the reflection and
//! which data key they were made from, and the search that reads them. No
//! text is stored here, sealed or not.

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
/// reaction and theme asked for. Each word adds a condition on its term.
const SEARCHED: &str = "c.owner_id = $1 AND ($2 = 0 OR r.case_id = $2) \
     AND ($3 = '' OR r.session_date >= $3) AND ($4 = '' OR r.session_date <= $4) \
     AND ($5 = '' OR EXISTS (SELECT 1 FROM reactions x WHERE x.reflection_id = r.id \
                             AND x.dimension = $5 AND x.intensity >= $6)) \
     AND ($7 = '' OR EXISTS (SELECT 1 FROM episodes e WHERE e.reflection_id = r.id AND e.wish = $7)) \
     AND ($8 = '' OR EXISTS (SELECT 1 FROM episodes e WHERE e.reflection_id = r.id \
                             AND e.response_of_other = $8)) \
     AND ($9 = '' OR EXISTS (SELECT 1 FROM episodes e WHERE e.reflection_id = r.id \
                             AND e.response_of_self = $9))";

/// The condition [`SEARCHED`] and one per term, from parameter `$10` on.
fn searched_with(terms: usize) -> String {
    let mut condition = SEARCHED.to_string();
    for index in 0..terms {
        condition.push_str(&format!(
            " AND r.id IN (SELECT t.reflection_id FROM search_terms t \
              WHERE t.owner_id = $1 AND t.term = ${})",
            10 + index
        ));
    }
    condition
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
    /// The owner's reflections whose terms are missing, or were made from
    /// another version of it or with another data key than `key_id`.
    pub async fn reflections_to_index(
        &self,
        owner: UserId,
        key_id: &str,
    ) -> Result<Vec<ReflectionId>, RepoError> {
        let ids: Vec<(i64,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.id FROM reflections r JOIN cases c ON c.id = r.case_id \
             LEFT JOIN search_indexed s ON s.reflection_id = r.id \
             WHERE c.owner_id = $1 \
             AND (s.reflection_id IS NULL OR s.version <> r.version OR s.key_id <> $2) \
             ORDER BY r.id"
        )
        .bind(owner.0)
        .bind(key_id)
        .fetch_all(pool)
        .await)?;
        Ok(ids.into_iter().map(|(id,)| ReflectionId(id)).collect())
    }

    /// Replaces the terms of the owner's reflections, recording the version
    /// each was made from and the key. A reflection deleted meanwhile gets
    /// no terms.
    pub async fn store_search_terms(
        &self,
        owner: UserId,
        key_id: &str,
        indexed: &[IndexedReflection],
    ) -> Result<(), RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for reflection in indexed {
                // The write comes first: on SQLite it takes the write lock
                // before anything is read.
                sqlx::query("DELETE FROM search_terms WHERE reflection_id = $1")
                    .bind(reflection.id.0)
                    .execute(&mut *tx)
                    .await?;
                for terms in reflection.terms.chunks(TERMS_PER_STATEMENT) {
                    let values = (0..terms.len())
                        .map(|index| format!("(${})", index + 3))
                        .collect::<Vec<_>>()
                        .join(",");
                    let sql = format!(
                        "INSERT INTO search_terms (owner_id, term, reflection_id) \
                         SELECT $1, t.column1, r.id FROM reflections r \
                         JOIN cases c ON c.id = r.case_id \
                         CROSS JOIN (VALUES {values}) AS t \
                         WHERE r.id = $2 AND c.owner_id = $1 \
                         ON CONFLICT DO NOTHING"
                    );
                    let mut insert = sqlx::query(&sql).bind(owner.0).bind(reflection.id.0);
                    for term in terms {
                        insert = insert.bind(*term);
                    }
                    insert.execute(&mut *tx).await?;
                }
                sqlx::query(
                    "INSERT INTO search_indexed (reflection_id, version, key_id) \
                     SELECT r.id, $2, $3 FROM reflections r JOIN cases c ON c.id = r.case_id \
                     WHERE r.id = $1 AND c.owner_id = $4 \
                     ON CONFLICT (reflection_id) DO UPDATE \
                     SET version = excluded.version, key_id = excluded.key_id",
                )
                .bind(reflection.id.0)
                .bind(reflection.version)
                .bind(key_id)
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
        let condition = searched_with(terms.len());
        let limit = i64::try_from(RESULTS_PER_PAGE).unwrap_or(i64::MAX);
        let offset =
            i64::try_from((search.page - 1).saturating_mul(RESULTS_PER_PAGE)).unwrap_or(i64::MAX);
        let after_terms = 10 + terms.len();
        let count_sql = format!(
            "SELECT COUNT(*) FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE {condition}"
        );
        let page_sql = format!(
            "SELECT r.id FROM reflections r JOIN cases c ON c.id = r.case_id \
             WHERE {condition} \
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
