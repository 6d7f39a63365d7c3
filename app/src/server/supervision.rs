//! The supervisor's reads of a shared case that open every shared session:
//! the case's timeline. It decrypts each shared reflection, so it goes
//! through [`HeavyReads`]: off the async workers, a few per account at once.

use crate::{
    domain::{
        feedback::ReviewState,
        reflection::Glance,
        sharing::{SharedCaseOverview, SharedMaterial, SharedSession},
    },
    error::AppError,
    server::{
        access::{record_opened, SupervisedCase},
        crypto::FieldCipher,
        heavy_reads::HeavyReads,
        repo::Database,
    },
};

/// A shared case with its shared sessions, newest first, each with where
/// its review stands and the therapist's replies not read yet. Notes that
/// the supervisor opened the case.
pub async fn overview(
    reads: &HeavyReads,
    database: &Database,
    cipher: &FieldCipher,
    case: SupervisedCase,
    now: i64,
) -> Result<SharedCaseOverview, AppError> {
    let (database, cipher) = (database.clone(), cipher.clone());
    reads
        .run(case.supervisor(), async move {
            let reflections = database
                .load_shared_reflections(&cipher, case.id(), Some(case.share()), None)
                .await?;
            let marks = database
                .review_marks(case.id(), None, Some(case.supervisor()))
                .await?;
            let unread = database
                .unread_by_reflection(case.id(), case.supervisor(), Some(case.supervisor()))
                .await?;
            record_opened(&database, &case, SharedMaterial::Case, None, now).await?;
            let sessions = reflections
                .iter()
                .map(|shared| {
                    let mark = marks.iter().find(|mark| mark.reflection == shared.id);
                    SharedSession {
                        reflection_id: shared.id,
                        session_number: shared.session_number,
                        week: shared.week,
                        glance: Glance::of(
                            &shared.reactions,
                            &shared.interventions,
                            &shared.episodes,
                        ),
                        review: ReviewState::of(
                            mark.map(|mark| (mark.version, mark.at)),
                            shared.version,
                        ),
                        unread: unread.get(&shared.id).copied().unwrap_or(0),
                    }
                })
                .collect();
            Ok(SharedCaseOverview {
                case: case.info().clone(),
                sessions,
            })
        })
        .await
}
