//! Files from the site root: the compiled bundle under `/pkg/` and whatever
//! `public/` holds (cargo-leptos copies both there). Marked [`StaticAsset`]
//! so the security headers leave their caching alone.
//!
//! A release build (`cargo leptos build --release --precompress`, see
//! `.ci/lib.sh`) names the bundle's files after a hash of their content
//! (`reverie.<hash>.wasm`) and writes a brotli (`.br`) and a gzip (`.gz`)
//! copy beside every file; the request's `Accept-Encoding` picks one. A file
//! whose name carries its hash never changes, so browsers may keep it for a
//! year without asking again; any other file is kept but revalidated.

use std::future::Future;

use axum::{body::Body, extract::Request, response::Response};
use http::{
    header::{CACHE_CONTROL, VARY},
    HeaderValue, Method, StatusCode,
};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::middleware::security_headers::StaticAsset;

/// For a file whose name holds a hash of its content: a new build makes a
/// new name, so the old one may be kept as long as browsers allow.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// For any other file (the favicon, a development build's bundle): stored,
/// but checked with the server (a 304 when unchanged) before each use.
pub const REVALIDATE: &str = "no-cache";

/// The file `request` names under `site_root`, or `None` when there is none
/// (then the app renders its 404 page). Only GET and HEAD read files.
/// `pkg_dir` is the bundle's folder in the site root (`pkg`).
///
/// What the lookup needs is copied out of `request` before the returned
/// future starts, so the future does not borrow the request (whose body is
/// not `Sync`) and stays `Send`.
pub fn serve(
    site_root: &str,
    pkg_dir: &str,
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
    let cache_control = if is_content_hashed(request.uri().path(), pkg_dir) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
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
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache_control));
        // Caches must keep the brotli, gzip and plain answers apart.
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        response.extensions_mut().insert(StaticAsset);
        Some(response)
    }
}

/// Whether `path` names a file of the bundle (directly in `/{pkg_dir}/`)
/// under the name cargo-leptos gives it with `hash-files`:
/// `name.<hash>.ext`, the hash being an MD5 in unpadded base64url (22
/// characters).
fn is_content_hashed(path: &str, pkg_dir: &str) -> bool {
    let Some(file) = path
        .strip_prefix('/')
        .and_then(|path| path.strip_prefix(pkg_dir.trim_matches('/')))
        .and_then(|path| path.strip_prefix('/'))
    else {
        return false;
    };
    let mut parts = file.rsplit('.');
    let (Some(extension), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !file.contains('/')
        && !stem.is_empty()
        && !extension.is_empty()
        && hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn bundle_files_named_with_their_hash_are_recognised() {
        for path in [
            "/pkg/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x-.wasm",
            "/pkg/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x-.js",
            "/pkg/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x-.css",
        ] {
            assert!(is_content_hashed(path, "pkg"), "{path}");
        }
        assert!(is_content_hashed(
            "/assets/bundle/x.Ab3_x-Z9Ab3_x-Z9Ab3_x-.js",
            "/assets/bundle/"
        ));
    }

    #[test]
    fn other_files_are_not() {
        for path in [
            // Unhashed (a development build, or hashing switched off).
            "/pkg/reverie.js",
            "/pkg/reverie.wasm",
            // Outside the bundle's folder, or below it.
            "/favicon.Ab3_x-Z9Ab3_x-Z9Ab3_x-.svg",
            "/pkg/snippets/x.Ab3_x-Z9Ab3_x-Z9Ab3_x-.js",
            "/pkgs/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x-.js",
            // Not 22 base64url characters.
            "/pkg/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x.js",
            "/pkg/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x-!.js",
            "/pkg/reverie.Ab3_x+Z9Ab3_x-Z9Ab3_x-.js",
            // No name or no extension around the hash.
            "/pkg/.Ab3_x-Z9Ab3_x-Z9Ab3_x-.js",
            "/pkg/reverie.Ab3_x-Z9Ab3_x-Z9Ab3_x-.",
            "/pkg/Ab3_x-Z9Ab3_x-Z9Ab3_x-.js",
        ] {
            assert!(!is_content_hashed(path, "pkg"), "{path}");
        }
    }
}
