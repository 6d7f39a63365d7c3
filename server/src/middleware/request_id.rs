//! Gives every request an id, a tracing span carrying it, and the
//! `x-request-id` response header, so a user's report can be matched to the
//! server's log lines.

use std::time::Instant;

use app::server::RequestId;
use axum::{extract::Request, middleware::Next, response::Response};
use http::HeaderValue;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Always mints a fresh id: an id sent by the client is not trusted, since it
/// would let anyone write arbitrary text into our logs.
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    request.extensions_mut().insert(RequestId(id.clone()));

    async move {
        let started = Instant::now();
        let mut response = next.run(request).await;
        let status = response.status();
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), elapsed_ms, "request failed");
        } else {
            tracing::info!(status = status.as_u16(), elapsed_ms, "request served");
        }
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID_HEADER, value);
        }
        response
    }
    .instrument(span)
    .await
}
