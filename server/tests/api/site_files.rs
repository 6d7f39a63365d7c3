//! The site's files over HTTP: the bundle under names that carry its hash,
//! sent precompressed as the browser accepts and kept for a year; other
//! files revalidated; pages never stored.
//!
//! The tests build a small site of their own (the suite runs without a
//! release build): a "precompressed" copy holds different bytes from the
//! plain file, so the body shows which one was sent.

use server::site_files::{IMMUTABLE, REVALIDATE};

use crate::{
    helpers::{spawn_app_with, TestApp, TestBackend},
    on_both_backends,
};

const HASHED_WASM: &str = "/pkg/reverie.0Ab-9zY_0Ab-9zY_0Ab-9z.wasm";
const PLAIN: &[u8] = b"\0asm the plain bundle";
const BROTLI: &[u8] = b"the brotli copy";
const GZIP: &[u8] = b"the gzip copy";

/// A site root with the hashed bundle (plain, `.br` and `.gz`), an unhashed
/// script beside it, and a favicon without compressed copies.
fn site() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let file = |path: &str, contents: &[u8]| {
        let path = root.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    };
    file(HASHED_WASM, PLAIN);
    file(&format!("{HASHED_WASM}.br"), BROTLI);
    file(&format!("{HASHED_WASM}.gz"), GZIP);
    file("/pkg/reverie.js", b"export default 1;");
    file("/pkg/reverie.js.br", b"the brotli script");
    file("/favicon.svg", b"<svg/>");
    root
}

async fn serve_site(backend: TestBackend, site: &tempfile::TempDir) -> TestApp {
    spawn_app_with(
        backend,
        &[("LEPTOS_SITE_ROOT", site.path().to_str().unwrap())],
    )
    .await
}

/// `path` asked for with `accept_encoding` (none: no header at all).
async fn fetch(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(accepted) = accept_encoding {
        request = request.header("accept-encoding", accepted);
    }
    request.send().await.expect("request failed")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap())
}

on_both_backends! {
    async fn the_bundle_is_sent_in_the_best_encoding_accepted_and_kept_for_a_year(backend: backend) {
        let site = site();
        let app = serve_site(backend, &site).await;
        for (accepted, encoding, body) in [
            (Some("gzip, deflate, br, zstd"), Some("br"), BROTLI),
            (Some("br"), Some("br"), BROTLI),
            (Some("gzip"), Some("gzip"), GZIP),
            (Some("gzip, br;q=0"), Some("gzip"), GZIP),
            (Some("identity"), None, PLAIN),
            (None, None, PLAIN),
        ] {
            let response = fetch(&app, HASHED_WASM, accepted).await;
            assert_eq!(response.status(), 200, "{accepted:?}");
            assert_eq!(header(&response, "content-encoding"), encoding, "{accepted:?}");
            assert_eq!(header(&response, "content-type"), Some("application/wasm"), "{accepted:?}");
            assert_eq!(header(&response, "cache-control"), Some(IMMUTABLE), "{accepted:?}");
            assert_eq!(header(&response, "vary"), Some("accept-encoding"), "{accepted:?}");
            assert_eq!(response.bytes().await.unwrap().as_ref(), body, "{accepted:?}");
        }
    }

    async fn files_without_a_hash_in_their_name_are_revalidated(backend: backend) {
        let site = site();
        let app = serve_site(backend, &site).await;
        let script = fetch(&app, "/pkg/reverie.js", Some("br")).await;
        assert_eq!(script.status(), 200);
        assert_eq!(header(&script, "content-encoding"), Some("br"), "precompressed all the same");
        assert_eq!(header(&script, "cache-control"), Some(REVALIDATE));

        // No compressed copy: the file as it is.
        let icon = fetch(&app, "/favicon.svg", Some("gzip, br")).await;
        assert_eq!(icon.status(), 200);
        assert_eq!(header(&icon, "content-encoding"), None);
        assert_eq!(header(&icon, "cache-control"), Some(REVALIDATE));
        assert_eq!(icon.bytes().await.unwrap().as_ref(), b"<svg/>");
    }

    async fn pages_are_never_stored(backend: backend) {
        let site = site();
        let app = serve_site(backend, &site).await;
        for path in ["/", "/about", "/pkg/reverie.0Ab-9zY_0Ab-9zY_0Ab-9z.js"] {
            let response = fetch(&app, path, Some("gzip, br")).await;
            assert_eq!(header(&response, "cache-control"), Some("no-store"), "{path}");
            assert_eq!(header(&response, "content-encoding"), None, "{path}");
        }
    }
}
