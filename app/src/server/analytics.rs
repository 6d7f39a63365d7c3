//! The analytics of a case, for its therapist or for a supervisor: the same
//! computation over the sessions each may see. Facts are read from
//! structured columns only (nothing sealed is read or decrypted), and a
//! supervisor's view leaves out what the share excludes and writes an access
//! event (privacy rule 5). Also the therapist's own patterns across their
//! cases, which only they ever see.

use crate::{
    domain::{
        accounts::UserId,
        analytics::{my_patterns, CaseAnalytics, CaseReactions, Countertransference, Patterns},
        sharing::SharedMaterial,
    },
    error::AppError,
    server::{
        access::{record_opened, OwnedCase, SupervisedCase},
        repo::Database,
    },
};

/// A case's analytics, the case's code and how many sessions they cover.
pub struct Computed {
    pub case_code: String,
    pub analytics: CaseAnalytics,
    pub sessions: usize,
}

/// The analytics of the owner's case, over every session.
pub async fn for_owner(database: &Database, case: &OwnedCase) -> Result<Computed, AppError> {
    let facts = database.session_facts(case.id, None).await?;
    let threshold = database.transference_threshold(case.id).await?;
    Ok(Computed {
        case_code: case.details.code.clone(),
        analytics: CaseAnalytics::of(&facts, threshold),
        sessions: facts.len(),
    })
}

/// The analytics a supervisor sees: over the shared sessions only. Notes
/// that the supervisor opened them.
pub async fn for_supervisor(
    database: &Database,
    case: &SupervisedCase,
    now: i64,
) -> Result<Computed, AppError> {
    let facts = database
        .session_facts(case.id(), Some(case.share()))
        .await?;
    let threshold = database.transference_threshold(case.id()).await?;
    record_opened(database, case, SharedMaterial::Analytics, None, now).await?;
    Ok(Computed {
        case_code: case.info().code.clone(),
        analytics: CaseAnalytics::of(&facts, threshold),
        sessions: facts.len(),
    })
}

/// The countertransference profile of `owner` across all their own cases
/// (the owner is the only reader: the query is scoped to them), and where
/// each case departs from it. No cases give an empty result.
pub async fn patterns_of(database: &Database, owner: UserId) -> Result<Patterns, AppError> {
    let cases: Vec<CaseReactions> = database
        .owner_reactions(owner)
        .await?
        .into_iter()
        .map(|(case, code, sessions)| CaseReactions {
            case,
            code,
            countertransference: Countertransference::of(&sessions),
        })
        .collect();
    Ok(my_patterns(&cases))
}
