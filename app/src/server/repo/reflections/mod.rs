//! Session reflections, their reactions, interventions and episodes, and the
//! drafts of unsaved typing. Free text is sealed with the data key before it
//! is written (`write`) and opened after it is read (`read`: the author's
//! full reflection, or the shared projection a supervisor sees); choices are
//! stored as slugs.
//!
//! An author reaches a reflection only through a case they own (every such
//! query filters on the owner); a supervisor's load is scoped to the case
//! and share that `server::access` resolved.

mod bulk;
mod drafts;
mod facts;
mod read;
mod write;

use super::database::{on_pool, Database, RepoError};
use crate::domain::{cases::CaseId, reflection::ReflectionId, time::parse_iso_date};

pub use bulk::ReviewedReflection;
pub(super) use drafts::open_draft;
pub use drafts::NewDraft;
pub(super) use read::session_number_of;

/// A case as its owner names it: what a reflection write needs, so the
/// repository can check the owner itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnersCase {
    pub owner: crate::domain::accounts::UserId,
    pub case: crate::domain::cases::CaseId,
}

/// Which of an owner's reflections to load; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ReflectionFilter {
    pub case: Option<CaseId>,
    pub reflection: Option<ReflectionId>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only these reflections (a page of search results, say).
    pub among: Option<Vec<ReflectionId>>,
}

/// A session of a case as lists show it: nothing sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id: ReflectionId,
    pub session_number: u32,
    /// `YYYY-MM-DD`: for the owner only.
    pub session_date: String,
    /// Incremented by every save.
    pub version: i64,
}

/// A session of a shared case as the supervisor's list shows it: placed by
/// number and week (never by date), nothing sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSessionRow {
    pub id: ReflectionId,
    pub session_number: u32,
    /// 1 for the case's first week.
    pub week: i64,
    /// Incremented by every save of the therapist.
    pub version: i64,
}

/// What became of a save based on a given version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Saved {
        version: i64,
    },
    /// Someone saved since that version: nothing was written.
    Stale,
    Missing,
}

impl Database {
    /// The session number after the case's highest (1 for a new case).
    pub async fn next_session_number(&self, case: CaseId) -> Result<u32, RepoError> {
        let (highest,): (Option<i64>,) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT MAX(session_number) FROM reflections WHERE case_id = $1"
        )
        .bind(case.0)
        .fetch_one(pool)
        .await)?;
        Ok(u32::try_from(highest.unwrap_or(0) + 1).unwrap_or(u32::MAX))
    }
}

/// Days since 1970-01-01 of a validated `YYYY-MM-DD` date, stored beside it
/// so that shared views can give a session's week without the date.
pub(super) fn day_of(iso_date: &str) -> i64 {
    parse_iso_date(iso_date).unwrap_or_default()
}
