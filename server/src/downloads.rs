//! A case's analytics as files to download: the JSON document and one CSV
//! per table. Plain routes rather than server functions, because a
//! download is a file with its own type and name, not a value for the page.
//! They go through the same access rules and services as the pages: the
//! owner's figures over every session, a supervisor's over the shared ones
//! (which writes the access event).

use app::{
    domain::{
        accounts::UserId,
        analytics::export::{AnalyticsDocument, Table},
        cases::CaseId,
        meetings::Period,
    },
    error::AppError,
    server::{
        access::{owned_case, supervised_case},
        analytics::{self, Computed},
        auth::{now_ms, Authenticated},
        meetings::{self, ExportOf},
    },
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

use std::future::Future;

use crate::startup::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{case_id}/analytics/download/{file}",
            get(owner_download),
        )
        .route(
            "/supervision/cases/{case_id}/analytics/download/{file}",
            get(supervisor_download),
        )
        .route("/meetings/export/{of}/{period}", get(meetings_download))
}

/// Which file of a case's analytics is asked for: `analytics.json` or
/// `<table>.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Download {
    Json,
    Csv(Table),
}

impl Download {
    fn parse(file: &str) -> Option<Self> {
        if file == "analytics.json" {
            return Some(Download::Json);
        }
        file.strip_suffix(".csv")
            .and_then(Table::parse)
            .map(Download::Csv)
    }

    /// The file for `code`'s figures: its type, name and contents.
    fn file(self, document: AnalyticsDocument) -> Response {
        let stem = file_stem(&document.case_code);
        let (content_type, name, body) = match self {
            Download::Json => (
                "application/json",
                format!("{stem}-analytics.json"),
                // A derived document of numbers and strings: it always serializes.
                serde_json::to_string_pretty(&document).unwrap_or_default(),
            ),
            Download::Csv(table) => (
                "text/csv; charset=utf-8",
                format!("{stem}-{}.csv", table.slug()),
                table.csv(&document.analytics),
            ),
        };
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response()
    }
}

/// The case code as a file name: letters, digits, `-` and `_` kept, anything
/// else (quotes, slashes, spaces) made `_`.
fn file_stem(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// An error as the API answers it: its status and its short message (and,
/// when busy, when to try again).
pub(crate) fn refused(error: AppError) -> Response {
    let mut response = (error.status_code(), error.user_message()).into_response();
    if error == AppError::Busy {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(app::error::BUSY_RETRY_AFTER_SECONDS),
        );
    }
    response
}

/// Answers a download: the asker must be signed in and name a known file;
/// `compute` resolves their access to the case and computes its figures.
async fn download<Compute>(
    signed_in: Option<Extension<Authenticated>>,
    file: &str,
    compute: impl FnOnce(UserId) -> Compute,
) -> Response
where
    Compute: Future<Output = Result<Computed, AppError>>,
{
    let Some(Extension(signed_in)) = signed_in else {
        return refused(AppError::Unauthenticated);
    };
    let Some(download) = Download::parse(file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match compute(signed_in.user.id).await {
        Ok(computed) => download.file(AnalyticsDocument::new(
            computed.case_code,
            computed.sessions,
            computed.analytics,
        )),
        Err(error) => refused(error),
    }
}

async fn owner_download(
    State(state): State<AppState>,
    signed_in: Option<Extension<Authenticated>>,
    Path((case_id, file)): Path<(i64, String)>,
) -> Response {
    download(signed_in, &file, |owner| async move {
        let case = owned_case(&state.database, &state.cipher, owner, CaseId(case_id)).await?;
        analytics::for_owner(&state.heavy_reads, &state.database, case).await
    })
    .await
}

async fn supervisor_download(
    State(state): State<AppState>,
    signed_in: Option<Extension<Authenticated>>,
    Path((case_id, file)): Path<(i64, String)>,
) -> Response {
    download(signed_in, &file, |supervisor| async move {
        let now = now_ms();
        let case = supervised_case(&state.database, supervisor, CaseId(case_id), now).await?;
        analytics::for_supervisor(&state.heavy_reads, &state.database, case, now).await
    })
    .await
}

/// The CSV of the asker's meetings in a period (`of`: `records` for the
/// meetings they recorded, `supervision` for those they were in, their own
/// rows only). Nothing clinical is in it: dates, minutes, format, names and
/// case codes.
async fn meetings_download(
    State(state): State<AppState>,
    signed_in: Option<Extension<Authenticated>>,
    Path((of, period)): Path<(String, String)>,
) -> Response {
    let Some(Extension(signed_in)) = signed_in else {
        return refused(AppError::Unauthenticated);
    };
    let export_of = match of.as_str() {
        "records" => ExportOf::MyRecords,
        "supervision" => ExportOf::MySupervision,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let Some(period) = Period::parse(&period) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match meetings::export(&state.database, signed_in.user.id, export_of, period).await {
        Ok(body) => {
            let name = format!("meetings-{of}-{}.csv", period.slug());
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Err(error) => refused(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_the_json_document_or_a_known_table() {
        assert_eq!(Download::parse("analytics.json"), Some(Download::Json));
        assert_eq!(
            Download::parse("heat-map.csv"),
            Some(Download::Csv(Table::HeatMap))
        );
        for unknown in [
            "heat-map",
            "analytics.csv",
            "pacing.json",
            "../pacing.csv",
            "",
        ] {
            assert_eq!(Download::parse(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn a_case_code_becomes_a_safe_file_name() {
        assert_eq!(file_stem("C-07_b"), "C-07_b");
        assert_eq!(file_stem("a\"b/c d;é"), "a_b_c_d__");
    }
}
