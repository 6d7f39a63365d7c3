//! Refuses request bodies over [`MAX_REQUEST_BODY`] with 413, whether the
//! size is declared up front (`Content-Length`) or only found out while
//! reading (`Transfer-Encoding: chunked`); and bodies that take longer than
//! the body deadline to arrive with 408, however steadily they trickle (a
//! timeout between reads would let one byte a second go on for ever).
//!
//! tower-http's `RequestBodyLimitLayer` and axum's `DefaultBodyLimit` only
//! answer 413 for a chunked body if the handler happens to read it; a route
//! that ignores its body would answer 200 or 404 instead. Reading the body
//! here, up to the limit, makes the answer the same everywhere. Nothing in
//! Reverie streams uploads, and every handler buffers its body anyway.

use std::time::Duration;

use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{header::CONTENT_LENGTH, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Forms and server-function arguments are small; 1 MiB is generous.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;

/// How long a request's body may take to arrive, from its headers on.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadline(pub Duration);

pub async fn limit_request_body(
    State(BodyDeadline(deadline)): State<BodyDeadline>,
    request: Request,
    next: Next,
) -> Response {
    if declared_length(&request).is_some_and(|length| length > MAX_REQUEST_BODY as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(deadline, Limited::new(body, MAX_REQUEST_BODY).collect());
    let Ok(read) = read.await else {
        tracing::info!(?deadline, "a request body took too long to arrive");
        return (
            StatusCode::REQUEST_TIMEOUT,
            "The request took too long to arrive.",
        )
            .into_response();
    };
    match read {
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
    use axum::{middleware::from_fn_with_state, routing::post, Router};
    use tower::ServiceExt;

    use super::*;

    const DEADLINE: BodyDeadline = BodyDeadline(Duration::from_secs(5));

    /// A route that never reads its body: the limit must not depend on it.
    fn app() -> Router {
        Router::new()
            .route("/", post(|| async { "accepted" }))
            .layer(from_fn_with_state(DEADLINE, limit_request_body))
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
            .layer(from_fn_with_state(DEADLINE, limit_request_body));
        let response = app
            .oneshot(Request::post("/").body(Body::from("hello")).unwrap())
            .await
            .unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"hello");
    }

    /// A body that sends a byte every 50 ms for ever: each read is quick,
    /// the whole never ends.
    fn trickle() -> Body {
        let bytes = futures_util::stream::unfold((), |()| async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Some((Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"x")), ()))
        });
        Body::from_stream(bytes)
    }

    #[tokio::test]
    async fn a_body_that_trickles_past_the_deadline_is_refused() {
        let app = Router::new()
            .route("/", post(|body: String| async move { body }))
            .layer(from_fn_with_state(
                BodyDeadline(Duration::from_millis(300)),
                limit_request_body,
            ));
        let request = Request::post("/")
            .header(CONTENT_LENGTH, 1000)
            .body(trickle())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    }
}
