//! The analytics pages' data: a case's pacing, themes and
//! countertransference for its therapist, the same for a supervisor over
//! what is shared, the therapist's transference threshold setting, and the
//! therapist's own patterns across their cases.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    crate::{
        domain::{
            cases::{transference_threshold, CaseId},
            validation::FieldErrors,
        },
        server::{
            access::{clinical_stores, owned_case, supervised_case},
            analytics,
            auth::{now_ms, require_user},
            forms::{answer_form, FormPage},
        },
    },
    leptos::server_fn::ServerFn,
};

use crate::{
    domain::analytics::{CaseAnalytics, Patterns},
    error::AppError,
};

/// Who is reading a case's analytics: it decides the links (the therapist's
/// reflections or the shared ones) and whether the threshold can be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnalyticsReader {
    Therapist,
    Supervisor,
}

/// A case's analytics as a page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseAnalyticsView {
    pub case_id: i64,
    pub case_code: String,
    pub reader: AnalyticsReader,
    /// Sessions with a reflection the numbers cover.
    pub sessions: usize,
    pub analytics: CaseAnalytics,
}

#[cfg(feature = "ssr")]
impl CaseAnalyticsView {
    fn of(case_id: i64, reader: AnalyticsReader, computed: analytics::Computed) -> Self {
        CaseAnalyticsView {
            case_id,
            case_code: computed.case_code,
            reader,
            sessions: computed.sessions,
            analytics: computed.analytics,
        }
    }
}

pub fn analytics_path(case: i64) -> String {
    format!("/cases/{case}/analytics")
}

pub fn shared_analytics_path(case: i64) -> String {
    format!("/supervision/cases/{case}/analytics")
}

/// The "My patterns" page.
pub const MY_PATTERNS_PATH: &str = "/patterns";

/// The analytics of one of the signed-in therapist's cases.
#[server(endpoint = "analytics/case", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_case_analytics(case_id: i64) -> Result<CaseAnalyticsView, AppError> {
    let signed_in = require_user()?;
    let (database, cipher) = clinical_stores();
    let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
    let computed = analytics::for_owner(&expect_context(), &database, case).await?;
    Ok(CaseAnalyticsView::of(
        case_id,
        AnalyticsReader::Therapist,
        computed,
    ))
}

/// The analytics of a case shared with the signed-in supervisor, over the
/// shared sessions only.
#[server(endpoint = "analytics/shared", input = leptos::server_fn::codec::GetUrl)]
pub async fn shared_case_analytics(case_id: i64) -> Result<CaseAnalyticsView, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    let now = now_ms();
    let case = supervised_case(&database, signed_in.user.id, CaseId(case_id), now).await?;
    let computed = analytics::for_supervisor(&expect_context(), &database, case, now).await?;
    Ok(CaseAnalyticsView::of(
        case_id,
        AnalyticsReader::Supervisor,
        computed,
    ))
}

/// The signed-in therapist's countertransference profile across their own
/// cases and where each case departs from it. There is no parameter: it is
/// only ever the asker's own cases, so no one can reach anyone else's.
#[server(endpoint = "analytics/patterns", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_patterns_view() -> Result<Patterns, AppError> {
    let signed_in = require_user()?;
    let (database, _) = clinical_stores();
    analytics::patterns_of(&expect_context(), &database, signed_in.user.id).await
}

/// Changes how many transference interpretations in one session the case's
/// analytics allow before flagging it.
#[server(endpoint = "analytics/threshold")]
pub async fn set_transference_threshold(case_id: i64, threshold: String) -> Result<(), AppError> {
    let result = async {
        let signed_in = require_user()?;
        let (database, cipher) = clinical_stores();
        let case = owned_case(&database, &cipher, signed_in.user.id, CaseId(case_id)).await?;
        let value = transference_threshold(&threshold)
            .map_err(|message| FieldErrors::single("threshold", message))?;
        database
            .set_transference_threshold(case.owner(), case.id, value, now_ms())
            .await?;
        Ok(format!("{}?threshold_saved=1", analytics_path(case_id)))
    }
    .await;
    let path = analytics_path(case_id);
    answer_form(
        SetTransferenceThreshold::PATH,
        FormPage {
            path: &path,
            keep: &[("threshold", &threshold)],
        },
        result,
    )
}
