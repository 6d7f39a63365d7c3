//! A case's analytics as files to download: the JSON document and one CSV
//! per table. Plain routes rather than server functions, because a
//! download is a file with its own type and name, not a value for the page.
//! They go through the same access rules and services as the pages: the
//! owner's figures over every session, a supervisor's over the shared ones
//! (which writes the access event).

use app::{
    domain::{
        analytics::export::{AnalyticsDocument, Table},
        cases::CaseId,
    },
    error::AppError,
    server::{
        access::{owned_case, supervised_case},
        analytics,
        auth::{now_ms, Authenticated},
    },
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

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

/// An error as the API answers it: its status and its short message.
fn refused(error: AppError) -> Response {
    (error.status_code(), error.user_message()).into_response()
}

async fn owner_download(
    State(state): State<AppState>,
    signed_in: Option<Extension<Authenticated>>,
    Path((case_id, file)): Path<(i64, String)>,
) -> Response {
    let Some(Extension(signed_in)) = signed_in else {
        return refused(AppError::Unauthenticated);
    };
    let Some(download) = Download::parse(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = async {
        let case = owned_case(
            &state.database,
            &state.cipher,
            signed_in.user.id,
            CaseId(case_id),
        )
        .await?;
        let computed = analytics::for_owner(&state.database, &case).await?;
        Ok::<_, AppError>(AnalyticsDocument::new(
            case.into_case().details.code,
            computed.sessions,
            computed.analytics,
        ))
    }
    .await;
    match result {
        Ok(document) => download.file(document),
        Err(error) => refused(error),
    }
}

async fn supervisor_download(
    State(state): State<AppState>,
    signed_in: Option<Extension<Authenticated>>,
    Path((case_id, file)): Path<(i64, String)>,
) -> Response {
    let Some(Extension(signed_in)) = signed_in else {
        return refused(AppError::Unauthenticated);
    };
    let Some(download) = Download::parse(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let result = async {
        let now = now_ms();
        let case =
            supervised_case(&state.database, signed_in.user.id, CaseId(case_id), now).await?;
        let computed = analytics::for_supervisor(&state.database, &case, now).await?;
        Ok::<_, AppError>(AnalyticsDocument::new(
            case.info().code.clone(),
            computed.sessions,
            computed.analytics,
        ))
    }
    .await;
    match result {
        Ok(document) => download.file(document),
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
