//! The therapist's cases: list, create, edit, close/reopen, delete.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            accounts::UserId,
            cases::{confirms_deletion, CaseId},
            feedback::reviews_of,
            time::utc_day,
            validation::FieldErrors,
            vocabulary::CaseStatus,
        },
        server::{
            access::{clinical_stores, owned_case},
            auth::{now_ms, require_user},
            forms::{answer_form, FormPage},
            repo::{Database, RepoError},
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::{
        cases::{Case, CaseInput, CaseSummary},
        feedback::Review,
        reflection::{Glance, ReflectionId},
        sharing::ShareSummary,
        timeline::TimelinePage,
    },
    error::AppError,
};

/// A case with its sessions, newest first, and its shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOverview {
    pub case: Case,
    /// One page of them.
    pub sessions: Vec<SessionAtAGlance>,
    pub timeline: TimelinePage,
    pub next_session_number: u32,
    /// Every share of the case, revoked ones included, newest first.
    pub shares: Vec<ShareSummary>,
}

/// One session on a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAtAGlance {
    pub reflection_id: ReflectionId,
    pub session_number: u32,
    pub session_date: String,
    pub glance: Glance,
    /// Supervisors' comments and ratings the therapist has not read.
    pub unread: i64,
    /// Where the session stands with each supervisor it is shared with.
    pub reviews: Vec<Review>,
}

/// The typed case fields worth bringing back after a failed plain post.
/// Names to watch are left out on purpose (and so is a code that contains
/// one): they identify the client and would end up in the address bar and
/// the browser's history.
#[cfg(feature = "ssr")]
fn kept_case_fields(case: &CaseInput) -> [(&'static str, &str); 5] {
    [
        ("case[code]", case.code_safe_to_carry()),
        ("case[modality]", &case.modality),
        ("case[frequency]", &case.frequency),
        ("case[start_date]", &case.start_date),
        ("case[planned_sessions]", &case.planned_sessions),
    ]
}

#[cfg(feature = "ssr")]
fn duplicate_code(error: RepoError, code: &str) -> AppError {
    match error {
        RepoError::Duplicate => {
            let mut fields = FieldErrors::new();
            fields.add(
                "code",
                format!("You already have a case with the code “{code}”. Choose another."),
            );
            AppError::Invalid(fields)
        }
        other => other.into(),
    }
}

/// The signed-in therapist's cases; `status` is `active`, `closed` or empty for all.
#[server(endpoint = "cases/list", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_cases(status: Option<String>) -> Result<Vec<CaseSummary>, AppError> {
    let signed_in = require_user()?;
    let status = status.as_deref().and_then(CaseStatus::parse);
    Ok(expect_context::<Database>()
        .list_cases(signed_in.user.id, status)
        .await?)
}

/// The case and one page of its sessions (`page` from 1, the newest; none
/// or one past the last is the nearest page there is).
#[server(endpoint = "cases/overview", input = leptos::server_fn::codec::GetUrl)]
pub async fn case_with_sessions(case_id: i64, page: Option<u32>) -> Result<CaseOverview, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
    let now = now_ms();
    // The timeline shows structure only: nothing sealed is read for it.
    let timeline = TimelinePage::of(page, database.count_case_sessions(case.id, None).await?);
    let rows = database
        .sessions_of_case(case.owner(), case.id, Some(timeline))
        .await?;
    let mut glances = database
        .session_glances(case.id, None, rows.iter().map(|row| row.session_number))
        .await?;
    let shares = database.shares_of_case(case.id, utc_day(now)).await?;
    let marks = database.review_marks(case.id, None, None).await?;
    let unread = database
        .unread_by_reflection(case.id, case.owner(), None)
        .await?;
    let sessions = rows
        .into_iter()
        .map(|row| SessionAtAGlance {
            reflection_id: row.id,
            session_number: row.session_number,
            glance: glances.remove(&row.id).unwrap_or_default(),
            unread: unread.get(&row.id).copied().unwrap_or(0),
            reviews: reviews_of(row.id, row.version, &shares, &marks),
            session_date: row.session_date,
        })
        .collect();
    Ok(CaseOverview {
        next_session_number: database.next_session_number(case.id).await?,
        sessions,
        timeline,
        shares,
        case: case.into_case(),
    })
}

#[server(endpoint = "cases/create")]
pub async fn create_case(case: CaseInput) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let details = case.validate()?;
        let (database, cipher) = clinical_stores();
        let id = database
            .create_case(&cipher, signed_in.user.id, &details, now_ms())
            .await
            .map_err(|error| duplicate_code(error, &details.code))?;
        Ok(format!("/cases/{}?created=1", id.0))
    }
    .await;
    answer_form(
        CreateCase::PATH,
        FormPage {
            path: "/cases/new",
            keep: &kept_case_fields(&case),
        },
        result,
    )
}

#[server(endpoint = "cases/update")]
pub async fn update_case(case_id: i64, case: CaseInput) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        let owner: UserId = signed_in.user.id;
        owned_case(&database, &cipher, owner, CaseId(case_id)).await?;
        let details = case.validate()?;
        database
            .update_case(&cipher, owner, CaseId(case_id), &details, now_ms())
            .await
            .map_err(|error| duplicate_code(error, &details.code))?;
        Ok(format!("/cases/{case_id}?updated=1"))
    }
    .await;
    let path = format!("/cases/{case_id}/edit");
    answer_form(
        UpdateCase::PATH,
        FormPage {
            path: &path,
            keep: &kept_case_fields(&case),
        },
        result,
    )
}

/// Closes (`closed`) or reopens (`active`) a case.
#[server(endpoint = "cases/status")]
pub async fn set_case_status(case_id: i64, status: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let status = CaseStatus::parse(&status)
            .ok_or_else(|| AppError::BadRequest("unknown case status".to_string()))?;
        if !expect_context::<Database>()
            .set_case_status(signed_in.user.id, CaseId(case_id), status, now_ms())
            .await?
        {
            return Err(AppError::NotFound);
        }
        Ok(format!("/cases/{case_id}?status={}", status.slug()))
    }
    .await;
    let path = format!("/cases/{case_id}");
    answer_form(
        SetCaseStatus::PATH,
        FormPage {
            path: &path,
            keep: &[],
        },
        result,
    )
}

/// Deletes a case and everything of it, once its code is typed again.
#[server(endpoint = "cases/delete")]
pub async fn delete_case(case_id: i64, confirm_code: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
        if !confirms_deletion(&case.details.code, &confirm_code) {
            let mut fields = FieldErrors::new();
            fields.add(
                "confirm_code",
                "Type the case code exactly as shown to delete the case.",
            );
            return Err(AppError::Invalid(fields));
        }
        database.delete_case(signed_in.user.id, case.id).await?;
        Ok("/cases?deleted=1".to_string())
    }
    .await;
    let path = format!("/cases/{case_id}/delete");
    answer_form(
        DeleteCase::PATH,
        FormPage {
            path: &path,
            keep: &[],
        },
        result,
    )
}
