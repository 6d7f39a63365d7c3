//! Files from the site root: the compiled bundle under `/pkg/` and whatever
//! `public/` holds (cargo-leptos copies both there). Served with their default
//! caching, marked [`StaticAsset`] so the security headers leave it alone.

use std::future::Future;

use axum::{body::Body, extract::Request, response::Response};
use http::{Method, StatusCode};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::middleware::security_headers::StaticAsset;

/// The file `request` names under `site_root`, or `None` when there is none
/// (then the app renders its 404 page). Only GET and HEAD read files.
///
/// What the lookup needs is copied out of `request` before the returned
/// future starts, so the future does not borrow the request (whose body is
/// not `Sync`) and stays `Send`.
pub fn serve(
    site_root: &str,
    request: &Request,
) -> impl Future<Output = Option<Response>> + Send + 'static {
    let file_request = matches!(*request.method(), Method::GET | Method::HEAD).then(|| {
        let mut file_request = Request::new(Body::empty());
        *file_request.method_mut() = request.method().clone();
        *file_request.uri_mut() = request.uri().clone();
        // Accept-Encoding picks a precompressed file; the conditional headers
        // let the browser revalidate with a 304.
        *file_request.headers_mut() = request.headers().clone();
        file_request
    });
    let service = ServeDir::new(site_root)
        .precompressed_gzip()
        .precompressed_br();
    async move {
        let response = match service.oneshot(file_request?).await {
            Ok(response) => response,
            // `ServeDir` cannot fail (its error type is `Infallible`).
            Err(never) => match never {},
        };
        let served =
            response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
        if !served {
            return None;
        }
        let mut response = response.map(Body::new);
        response.extensions_mut().insert(StaticAsset);
        Some(response)
    }
}
