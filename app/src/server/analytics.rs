//! The analytics of a case, for its therapist or for a supervisor: the same
//! computation over the sessions each may see. Facts are read from
//! structured columns only (nothing sealed is read or decrypted), and a
//! supervisor's view leaves out what the share excludes and writes an access
//! event (privacy rule 5). Also the therapist's own patterns across their
//! cases, which only they ever see.
//!
//! Each goes through [`HeavyReads`]: it reads and counts every session of a
//! case (or of all the owner's cases), off the async workers and a few per
//! account at once.

use crate::{
    domain::{
        accounts::UserId,
        analytics::{my_patterns, CaseAnalytics, CaseReactions, Countertransference, Patterns},
        cases::CaseId,
        sharing::{ShareId, SharedMaterial},
    },
    error::AppError,
    server::{
        access::{record_opened, OwnedCase, SupervisedCase},
        heavy_reads::HeavyReads,
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
pub async fn for_owner(
    reads: &HeavyReads,
    database: &Database,
    case: OwnedCase,
) -> Result<Computed, AppError> {
    let database = database.clone();
    reads
        .run(case.owner(), async move {
            computed(&database, case.id, None, case.details.code.clone()).await
        })
        .await
}

/// The analytics a supervisor sees: over the shared sessions only. Notes
/// that the supervisor opened them.
pub async fn for_supervisor(
    reads: &HeavyReads,
    database: &Database,
    case: SupervisedCase,
    now: i64,
) -> Result<Computed, AppError> {
    let database = database.clone();
    reads
        .run(case.supervisor(), async move {
            let share = Some(case.share());
            let computed = computed(&database, case.id(), share, case.info().code.clone()).await?;
            record_opened(&database, &case, SharedMaterial::Analytics, None, now).await?;
            Ok(computed)
        })
        .await
}

/// The analytics of `case` over its sessions (only those `share` shows,
/// if given), under its code.
async fn computed(
    database: &Database,
    case: CaseId,
    share: Option<ShareId>,
    case_code: String,
) -> Result<Computed, AppError> {
    let facts = database.session_facts(case, share, None).await?;
    let threshold = database.transference_threshold(case).await?;
    Ok(Computed {
        case_code,
        analytics: CaseAnalytics::of(&facts, threshold),
        sessions: facts.len(),
    })
}

/// The countertransference profile of `owner` across all their own cases
/// (the owner is the only reader: the query is scoped to them), and where
/// each case departs from it. No cases give an empty result.
pub async fn patterns_of(
    reads: &HeavyReads,
    database: &Database,
    owner: UserId,
) -> Result<Patterns, AppError> {
    let database = database.clone();
    reads
        .run(owner, async move {
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
        })
        .await
}
