//! Refuses request bodies over [`MAX_REQUEST_BODY`] with 413, whether the
//! size is declared up front (`Content-Length`) or only found out while
//! reading (`Transfer-Encoding: chunked`).
//!
//! tower-http's `RequestBodyLimitLayer` and axum's `DefaultBodyLimit` only
//! answer 413 for a chunked body if the handler happens to read it; a route
//! that ignores its body would answer 200 or 404 instead. Reading the body
//! here, up to the limit, makes the answer the same everywhere. Nothing in
//! Reverie streams uploads, and every handler buffers its body anyway.

use axum::{
    body::Body,
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{header::CONTENT_LENGTH, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Forms and server-function arguments are small; 1 MiB is generous.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;

pub async fn limit_request_body(request: Request, next: Next) -> Response {
    if declared_length(&request).is_some_and(|length| length > MAX_REQUEST_BODY as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => {
            let request = Request::from_parts(parts, Body::from(collected.to_bytes()));
            next.run(request).await
        }
        Err(error) if error.is::<LengthLimitError>() => too_large(),
        Err(error) => {
            tracing::info!(%error, "could not read a request body");
            (StatusCode::BAD_REQUEST, "Could not read the request body.").into_response()
        }
    }
}

/// The `Content-Length` the client declared, if it is a number.
fn declared_length(request: &Request) -> Option<u64> {
    request
        .headers()
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "Request body too large (the limit is 1 MiB).",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::{middleware::from_fn, routing::post, Router};
    use tower::ServiceExt;

    use super::*;

    /// A route that never reads its body: the limit must not depend on it.
    fn app() -> Router {
        Router::new()
            .route("/", post(|| async { "accepted" }))
            .layer(from_fn(limit_request_body))
    }

    async fn status(request: Request) -> StatusCode {
        app().oneshot(request).await.unwrap().status()
    }

    fn post_body(size: usize, declare_length: bool) -> Request {
        let mut builder = Request::post("/");
        if declare_length {
            builder = builder.header(CONTENT_LENGTH, size);
        }
        builder.body(Body::from(vec![b'x'; size])).unwrap()
    }

    #[tokio::test]
    async fn bodies_up_to_the_limit_pass() {
        assert_eq!(
            status(post_body(MAX_REQUEST_BODY, true)).await,
            StatusCode::OK
        );
        assert_eq!(
            status(post_body(MAX_REQUEST_BODY, false)).await,
            StatusCode::OK
        );
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_unread() {
        let request = Request::post("/")
            .header(CONTENT_LENGTH, MAX_REQUEST_BODY + 1)
            .body(Body::empty())
            .unwrap();
        assert_eq!(status(request).await, StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn an_undeclared_body_over_the_limit_is_refused() {
        assert_eq!(
            status(post_body(MAX_REQUEST_BODY + 1, false)).await,
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }

    #[tokio::test]
    async fn the_handler_still_gets_the_whole_body() {
        let app = Router::new()
            .route("/", post(|body: String| async move { body }))
            .layer(from_fn(limit_request_body));
        let response = app
            .oneshot(Request::post("/").body(Body::from("hello")).unwrap())
            .await
            .unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"hello");
    }
}
