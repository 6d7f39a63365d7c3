//! The supervisor's shared case: one page of its shared sessions, each at
//! a glance, read from structured columns only (nothing sealed is opened
//! for it: the supervisor opens a reflection to read it).

use std::collections::HashMap;

use crate::{
    domain::{
        feedback::ReviewState,
        reflection::{Glance, ReflectionId},
        sharing::{SharedCaseOverview, SharedMaterial, SharedSession},
        timeline::{numbers_of, TimelinePage},
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
    let mut glances: HashMap<ReflectionId, Glance> = database
        .session_facts(
            case.id(),
            share,
            Some(numbers_of(rows.iter().map(|row| row.session_number))),
        )
        .await?
        .iter()
        .map(|facts| (facts.reflection, facts.glance()))
        .collect();
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
