//! The supervisor's shared case: one page of its shared sessions, each at
//! a glance, read from structured columns only (nothing sealed is opened
//! for it: the supervisor opens a reflection to read it).

use crate::{
    domain::{
        feedback::ReviewState,
        sharing::{SharedCaseOverview, SharedMaterial, SharedSession},
        timeline::TimelinePage,
    },
    error::AppError,
    server::{
        access::{record_opened, SupervisedCase},
        repo::Database,
    },
};

/// A shared case with one page of its shared sessions (`page` from 1, the
/// newest), each with where its review stands and the therapist's replies
/// not read yet. Notes that the supervisor opened the case.
pub async fn overview(
    database: &Database,
    case: SupervisedCase,
    page: Option<u32>,
    now: i64,
) -> Result<SharedCaseOverview, AppError> {
    let share = Some(case.share());
    let timeline = TimelinePage::of(page, database.count_case_sessions(case.id(), share).await?);
    let rows = database
        .shared_sessions(case.id(), case.share(), timeline)
        .await?;
    let mut glances = database
        .session_glances(case.id(), share, rows.iter().map(|row| row.session_number))
        .await?;
    let marks = database
        .review_marks(case.id(), None, Some(case.supervisor()))
        .await?;
    let unread = database
        .unread_by_reflection(case.id(), case.supervisor(), Some(case.supervisor()))
        .await?;
    record_opened(database, &case, SharedMaterial::Case, None, now).await?;
    let sessions = rows
        .into_iter()
        .map(|row| {
            let mark = marks.iter().find(|mark| mark.reflection == row.id);
            SharedSession {
                reflection_id: row.id,
                session_number: row.session_number,
                week: row.week,
                glance: glances.remove(&row.id).unwrap_or_default(),
                review: ReviewState::of(mark.map(|mark| (mark.version, mark.at)), row.version),
                unread: unread.get(&row.id).copied().unwrap_or(0),
            }
        })
        .collect();
    Ok(SharedCaseOverview {
        case: case.info().clone(),
        sessions,
        timeline,
    })
}
