//! The downloads of one's own data (privacy rule 6): a therapist's work
//! and a supervisor's, each as JSON or as CSV files in a zip. Plain GET
//! routes, like the other downloads: the signed-in person's own data only
//! (there is no id in the address to change), an audit event for each
//! (the fact, not the content), and a body written as the data is read
//! (`app::server::export`), so a large export never sits in memory whole.
//! An export is a heavy read: it takes one of the person's places in
//! `HeavyReads` before anything is answered, so a person with too many
//! running is answered "busy" (503), not a broken download.

use app::{
    domain::{
        accounts::AuditAction,
        export::{parse_export_file, ExportFormat},
        time::format_utc_date,
    },
    error::AppError,
    server::{
        auth::{audit, now_ms, Authenticated, RequestMeta},
        export::{Chunk, Chunks, Export},
        ClientAddress, RequestId,
    },
};
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

use crate::{downloads::refused, startup::AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/export/{file}", get(export_download))
}

async fn export_download(
    State(state): State<AppState>,
    signed_in: Option<Extension<Authenticated>>,
    request_id: Option<Extension<RequestId>>,
    client: Option<Extension<ClientAddress>>,
    Path(file): Path<String>,
) -> Response {
    let Some(Extension(signed_in)) = signed_in else {
        return refused(AppError::Unauthenticated);
    };
    let Some((kind, format)) = parse_export_file(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let place = match state.heavy_reads.reserve(signed_in.user.id) {
        Ok(place) => place,
        Err(error) => return refused(error),
    };
    let now = now_ms();
    let meta = RequestMeta {
        request_id: request_id.map(|Extension(RequestId(id))| id),
        client_ip: client.map(|Extension(ClientAddress(address))| address.to_string()),
        user_agent: String::new(),
    };
    let target = format!("{} export, {}", kind.slug(), file_kind(format));
    // No export without its record in the audit log.
    if let Err(error) = audit(
        &state.database,
        &meta,
        Some(signed_in.user.id),
        AuditAction::DataExported,
        Some(&target),
    )
    .await
    {
        return refused(error.into());
    }

    let (chunks, receiver) = Chunks::channel();
    let export = Export::new(
        state.database.clone(),
        state.cipher.clone(),
        signed_in.user,
        now,
        place,
    );
    tokio::spawn(async move { export.write(kind, format, &chunks).await });
    let body = Body::from_stream(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move {
            let chunk: Chunk = receiver.recv().await?;
            Some((chunk, receiver))
        },
    ));

    let (content_type, extension) = match format {
        ExportFormat::Json => ("application/json", "json"),
        ExportFormat::CsvZip => ("application/zip", "zip"),
    };
    let name = format!(
        "reverie-{}-{}.{extension}",
        kind.slug(),
        format_utc_date(now)
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

fn file_kind(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Json => "JSON",
        ExportFormat::CsvZip => "CSV zip",
    }
}
