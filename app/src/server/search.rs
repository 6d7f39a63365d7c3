//! Searching a therapist's own reflections over sealed text. The database
//! holds a keyed index of each reflection's words (`repo::search_index`);
//! a search brings the owner's index up to date (reflections saved since,
//! or indexed with an earlier data key, are opened and indexed again), asks
//! it for one page of matches, and opens only that page's reflections to
//! show where each matched.

use crate::{
    api::reflections::SearchHit,
    domain::{
        accounts::UserId,
        search::{indexed_words, SearchQuery},
    },
    error::AppError,
    server::{
        crypto::FieldCipher,
        repo::{Database, IndexedReflection, ReflectionFilter},
    },
};

/// Reflections opened and indexed per transaction when an index is behind
/// (after an upgrade or a key rotation it can be all of them).
const INDEXED_AT_ONCE: usize = 200;

/// The page of `search` among `owner`'s reflections, newest session first,
/// and how many match in all.
pub async fn search_reflections(
    database: &Database,
    cipher: &FieldCipher,
    owner: UserId,
    search: &SearchQuery,
) -> Result<(Vec<SearchHit>, usize), AppError> {
    bring_index_up_to_date(database, cipher, owner).await?;
    let terms: Vec<i64> = search
        .words
        .iter()
        .map(|word| cipher.search_term(owner.0, word))
        .collect();
    let (page, total) = database.search_index(owner, search, &terms).await?;
    let filter = ReflectionFilter {
        among: Some(page.clone()),
        ..ReflectionFilter::default()
    };
    let mut shown = database.load_reflections(cipher, owner, &filter).await?;
    // Same order as the index gave (the load sorts the same way, but the
    // page is what decides).
    shown.sort_by_key(|stored| page.iter().position(|id| *id == stored.id));
    let hits = shown
        .into_iter()
        .filter_map(|stored| {
            // `None` only if two words shared a term (a 1 in 2^64 chance).
            let passage = search.matches(&stored.reflection)?;
            Some(SearchHit {
                case_id: stored.case_id,
                case_code: stored.case_code,
                reflection_id: stored.id,
                session_number: stored.reflection.session_number,
                session_date: stored.reflection.session_date,
                passage,
            })
        })
        .collect();
    Ok((hits, total))
}

/// Indexes `owner`'s reflections that were never indexed or were saved
/// since, all of them when the index was made with another data key.
pub async fn bring_index_up_to_date(
    database: &Database,
    cipher: &FieldCipher,
    owner: UserId,
) -> Result<(), AppError> {
    database
        .claim_search_key(owner, cipher.sealing_key_id())
        .await?;
    let behind = database.reflections_to_index(owner).await?;
    for ids in behind.chunks(INDEXED_AT_ONCE) {
        let filter = ReflectionFilter {
            among: Some(ids.to_vec()),
            ..ReflectionFilter::default()
        };
        let indexed: Vec<IndexedReflection> = database
            .load_reflections(cipher, owner, &filter)
            .await?
            .into_iter()
            .map(|stored| IndexedReflection {
                id: stored.id,
                version: stored.version,
                terms: terms_of(cipher, owner, &stored.reflection),
            })
            .collect();
        database.store_search_terms(owner, &indexed).await?;
    }
    Ok(())
}

/// The terms of a reflection's distinct words.
fn terms_of(
    cipher: &FieldCipher,
    owner: UserId,
    reflection: &crate::domain::reflection::Reflection,
) -> Vec<i64> {
    indexed_words(reflection)
        .iter()
        .map(|word| cipher.search_term(owner.0, word))
        .collect()
}
