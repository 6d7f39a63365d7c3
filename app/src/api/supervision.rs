//! The supervisor's side: the inbox of shared cases, a shared case and its
//! reflections in the shared projection, pacing ratings and review marks.
//! Every read of shared material is written to the therapist's access log.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            cases::CaseId,
            reflection::{ReflectionId, RowId},
            sharing::SharedMaterial,
            time::format_utc_date,
            vocabulary::PacingRating,
        },
        server::{
            access::{
                clinical_stores, record_opened, supervised_case, supervised_reflection,
                SupervisedCase,
            },
            auth::{now_ms, require_user},
            crypto::FieldCipher,
            feedback::{self, RatingRequest},
            forms::{answer_form, FormPage},
            repo::Database,
            supervision,
        },
    },
    leptos::server_fn::ServerFn,
};

pub use crate::domain::sharing::{SharedCaseOverview, SharedSession};
use crate::{
    domain::{
        feedback::ReflectionFeedback,
        reflection::SharedReflection,
        sharing::{InboxEntry, SharedCaseInfo},
    },
    error::AppError,
};

/// A shared reflection with the supervisor's conversation about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedReflectionView {
    pub case: SharedCaseInfo,
    pub reflection: SharedReflection,
    pub feedback: ReflectionFeedback,
}

pub fn supervision_case_path(case: i64) -> String {
    format!("/supervision/cases/{case}")
}

pub fn supervision_reflection_path(case: i64, reflection: i64) -> String {
    format!("/supervision/cases/{case}/reflections/{reflection}")
}

#[cfg(feature = "ssr")]
async fn supervising(case_id: i64) -> Result<(Database, FieldCipher, SupervisedCase), AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let case = supervised_case(&database, signed_in.user.id, CaseId(case_id), now_ms()).await?;
    Ok((database, cipher, case))
}

/// The cases shared with the signed-in supervisor, with what waits in each.
#[server(endpoint = "supervision/inbox", input = leptos::server_fn::codec::GetUrl)]
pub async fn supervision_inbox() -> Result<Vec<InboxEntry>, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    Ok(database
        .supervisor_inbox(signed_in.user.id, &format_utc_date(now_ms()))
        .await?)
}

/// The shared case and one page of its shared sessions (`page` from 1, the
/// newest; none or one past the last is the nearest page there is).
#[server(endpoint = "supervision/case", input = leptos::server_fn::codec::GetUrl)]
pub async fn shared_case(case_id: i64, page: Option<u32>) -> Result<SharedCaseOverview, AppError> {
    let (database, _, case) = supervising(case_id).await?;
    supervision::overview(&database, case, page, now_ms()).await
}

#[server(endpoint = "supervision/reflection", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_shared_reflection(
    case_id: i64,
    reflection_id: i64,
) -> Result<SharedReflectionView, AppError> {
    let (database, cipher, case) = supervising(case_id).await?;
    let now = now_ms();
    let reflection =
        supervised_reflection(&database, &cipher, &case, ReflectionId(reflection_id)).await?;
    let material = SharedMaterial::Reflection {
        session_number: reflection.session_number,
    };
    record_opened(&database, &case, material, Some(reflection.id), now).await?;
    let feedback = feedback::for_supervisor(
        &database,
        &cipher,
        &case,
        reflection.id,
        reflection.version,
        now,
    )
    .await?;
    Ok(SharedReflectionView {
        case: case.info().clone(),
        reflection,
        feedback,
    })
}

/// Rates one intervention's pacing (replacing the supervisor's earlier rating).
#[server(endpoint = "supervision/rate")]
pub async fn rate_intervention(
    case_id: i64,
    reflection_id: i64,
    intervention_id: i64,
    rating: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    let here = supervision_reflection_path(case_id, reflection_id);
    let result = async {
        let (database, cipher, case) = supervising(case_id).await?;
        let request = RatingRequest {
            reflection: ReflectionId(reflection_id),
            intervention: RowId(intervention_id),
            rating: rating.as_deref().and_then(PacingRating::parse),
            note: note.as_deref().unwrap_or(""),
        };
        feedback::rate(&database, &cipher, &case, &request, now_ms()).await?;
        Ok(format!("{here}?rated=1#interventions-{intervention_id}"))
    }
    .await;
    let focus = format!("interventions:{intervention_id}");
    answer_form(
        RateIntervention::PATH,
        FormPage {
            path: &here,
            keep: &[("form", &focus)],
        },
        result,
    )
}

/// Marks the version of the reflection the supervisor read as reviewed.
#[server(endpoint = "supervision/review")]
pub async fn mark_reviewed(case_id: i64, reflection_id: i64, version: i64) -> Result<(), AppError> {
    let here = supervision_reflection_path(case_id, reflection_id);
    let result = async {
        let (database, cipher, case) = supervising(case_id).await?;
        feedback::mark_reviewed(
            &database,
            &cipher,
            &case,
            ReflectionId(reflection_id),
            version,
            now_ms(),
        )
        .await?;
        Ok(format!("{here}?reviewed=1"))
    }
    .await;
    answer_form(
        MarkReviewed::PATH,
        FormPage {
            path: &here,
            keep: &[("form", "review")],
        },
        result,
    )
}
