//! Gives every request an id, a tracing span carrying it, and the
//! `x-request-id` response header, so a user's report can be matched to the
//! server's log lines.

use std::{borrow::Cow, time::Instant};

use app::server::RequestId;
use axum::{extract::Request, middleware::Next, response::Response};
use http::HeaderValue;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Pages whose last segment is a secret (an invitation or password-reset
/// token): it is never written to the log. (Query strings never are.)
const SECRET_SEGMENT_PAGES: [&str; 2] = ["/invite/", "/reset/"];

/// The request path as the log may show it: a token in the address is
/// replaced by `…`.
pub fn loggable_path(path: &str) -> Cow<'_, str> {
    match SECRET_SEGMENT_PAGES
        .iter()
        .find(|page| path.starts_with(*page) && path.len() > page.len())
    {
        Some(page) => Cow::Owned(format!("{page}…")),
        None => Cow::Borrowed(path),
    }
}

/// Always mints a fresh id: an id sent by the client is not trusted, since it
/// would let anyone write arbitrary text into our logs.
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
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

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_in_addresses_never_reach_the_log() {
        let token = "q8YkM2x0V7tL1cR9sA4nE6uH3jD5fG0bW2zP8yT1kQm";
        assert_eq!(loggable_path(&format!("/invite/{token}")), "/invite/…");
        assert_eq!(loggable_path(&format!("/reset/{token}")), "/reset/…");
        assert_eq!(loggable_path(&format!("/reset/{token}/x")), "/reset/…");
        assert_eq!(
            loggable_path("/cases/3/reflections/7"),
            "/cases/3/reflections/7"
        );
        assert_eq!(loggable_path("/invite/"), "/invite/");
        assert_eq!(loggable_path("/resets"), "/resets");
    }
}
