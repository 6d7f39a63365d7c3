//! The request-level security baseline: headers, cross-origin refusal, body
//! limit, sign-in throttling. Each test fails if its rule is removed.

use axum::body::Body;
use leptos::config::LeptosOptions;
use server::middleware::security_headers::content_security_policy;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tower::ServiceExt;

use crate::{
    helpers::{spawn_app_with, test_config, TestApp},
    on_both_backends,
};

const FIXED_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// Checks the headers every response carries and returns the CSP nonce.
pub(crate) fn assert_security_headers(headers: &http::HeaderMap, what: &str) -> String {
    for (name, value) in FIXED_HEADERS {
        assert_eq!(
            headers.get(name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{name} on {what}"
        );
    }
    let features = headers
        .get("permissions-policy")
        .unwrap_or_else(|| panic!("no Permissions-Policy on {what}"))
        .to_str()
        .unwrap();
    for denied in ["camera=()", "microphone=()", "geolocation=()", "payment=()"] {
        assert!(
            features.contains(denied),
            "{denied} in the Permissions-Policy on {what}"
        );
    }
    let policy = headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("no Content-Security-Policy on {what}"))
        .to_str()
        .unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in the policy on {what}: {policy}"))
        .to_string();
    assert_eq!(policy, content_security_policy(&nonce), "{what}");
    assert!(nonce.len() >= 22, "a nonce of at least 128 bits on {what}");
    assert!(
        headers.get("strict-transport-security").is_none(),
        "no HSTS over plain HTTP ({what})"
    );
    nonce
}

fn cache_control(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get("cache-control")
        .map(|value| value.to_str().unwrap())
}

/// The `nonce` attribute of every `<script>` tag in `html`.
fn script_nonces(html: &str) -> Vec<Option<String>> {
    html.split("<script")
        .skip(1)
        .map(|rest| {
            let tag = &rest[..rest.find('>').expect("a closed script tag")];
            tag.split("nonce=\"")
                .nth(1)
                .and_then(|value| value.split('"').next())
                .map(str::to_string)
        })
        .collect()
}

async fn post(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).body("x=1");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request failed")
}

/// Sends `head`, then `body` piece by piece, over a plain connection, reading
/// the answer while still writing: the server may answer (and hang up)
/// before the body is done. Returns the status code.
async fn raw_request_status(app: &TestApp, head: String, body: Vec<Vec<u8>>) -> u16 {
    let stream = TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .expect("connect to the app");
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        for piece in std::iter::once(head.into_bytes()).chain(body) {
            if writer.write_all(&piece).await.is_err() {
                break;
            }
        }
        // Keep our half open until the answer is read: hyper hangs up on a
        // client that half-closes before its response is ready.
        std::future::pending::<()>().await;
        drop(writer);
    });
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !received.windows(2).any(|pair| pair == b"\r\n") {
        let read = reader.read(&mut buffer).await.expect("read the response");
        assert!(read > 0, "the connection closed without a response");
        received.extend_from_slice(&buffer[..read]);
    }
    writing.abort();
    let status_line = String::from_utf8_lossy(&received);
    status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {status_line}"))
}

fn host(app: &TestApp) -> &str {
    app.address.trim_start_matches("http://")
}

/// `size` bytes as chunks of at most 64 KiB, in chunked transfer encoding.
fn chunked(size: usize) -> Vec<Vec<u8>> {
    const CHUNK: usize = 64 * 1024;
    let mut pieces = Vec::new();
    let mut left = size;
    while left > 0 {
        let length = left.min(CHUNK);
        let mut piece = format!("{length:x}\r\n").into_bytes();
        piece.extend(std::iter::repeat_n(b'x', length));
        piece.extend_from_slice(b"\r\n");
        pieces.push(piece);
        left -= length;
    }
    pieces.push(b"0\r\n\r\n".to_vec());
    pieces
}

const TWO_MIB: usize = 2 * 1024 * 1024;

on_both_backends! {
    async fn pages_carry_the_security_headers_and_are_not_stored(app: app) {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert_security_headers(response.headers(), "/");
        assert_eq!(cache_control(response.headers()), Some("no-store"));
    }

    async fn not_found_pages_carry_the_security_headers(app: app) {
        for path in ["/no-such-page", "/pkg/no-such-bundle.js"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
            assert_security_headers(response.headers(), path);
            assert_eq!(cache_control(response.headers()), Some("no-store"), "{path}");
        }
    }

    async fn health_probes_carry_the_security_headers(app: app) {
        for path in ["/healthz", "/healthz/page", "/readyz"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_security_headers(response.headers(), path);
            assert_eq!(cache_control(response.headers()), Some("no-store"), "{path}");
        }
    }

    async fn server_function_paths_are_never_stored(app: app) {
        let response = post(&app, "/api/anything", &[]).await;
        assert_security_headers(response.headers(), "POST /api/anything");
        assert_eq!(cache_control(response.headers()), Some("no-store"));
    }

    async fn the_scripts_carry_the_nonce_of_their_response(app: app) {
        let first = app.get("/").await;
        let first_nonce = assert_security_headers(first.headers(), "/");
        let body = first.text().await.unwrap();
        let nonces = script_nonces(&body);
        assert!(!nonces.is_empty(), "the page has its hydration script: {body}");
        for nonce in nonces {
            assert_eq!(nonce.as_deref(), Some(first_nonce.as_str()), "{body}");
        }

        let second = app.get("/").await;
        let second_nonce = assert_security_headers(second.headers(), "/");
        assert_ne!(first_nonce, second_nonce, "a fresh nonce per request");
        let body = second.text().await.unwrap();
        assert!(body.contains(&format!("nonce=\"{second_nonce}\"")), "{body}");
        assert!(!body.contains(&first_nonce));
    }

    async fn the_not_found_page_scripts_carry_the_nonce_too(app: app) {
        let response = app.get("/no-such-page").await;
        let nonce = assert_security_headers(response.headers(), "a 404");
        let body = response.text().await.unwrap();
        let nonces = script_nonces(&body);
        assert!(!nonces.is_empty(), "{body}");
        assert!(nonces.iter().all(|found| found.as_deref() == Some(nonce.as_str())), "{body}");
    }

    async fn hsts_is_sent_only_with_secure_cookies(backend: backend) {
        let app = spawn_app_with(backend, &[("REVERIE_SECURE_COOKIES", "true")]).await;
        for path in ["/", "/healthz", "/no-such-page"] {
            let response = app.get(path).await;
            assert_eq!(
                response.headers().get("strict-transport-security").map(|v| v.to_str().unwrap()),
                Some("max-age=63072000; includeSubDomains"),
                "{path}"
            );
        }
        // And never without them (the default).
        let plain = spawn_app_with(backend, &[]).await;
        assert!(plain.get("/").await.headers().get("strict-transport-security").is_none());
    }

    async fn cross_site_posts_are_refused(app: app) {
        for headers in [
            &[("sec-fetch-site", "cross-site")][..],
            &[("origin", "http://evil.example")][..],
            &[("sec-fetch-site", "same-origin"), ("origin", "http://evil.example")][..],
        ] {
            let response = post(&app, "/api/anything", headers).await;
            assert_eq!(response.status(), 403, "{headers:?}");
            // Refusals carry the security headers too.
            assert_security_headers(response.headers(), "a 403");
            assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
            let body = response.text().await.unwrap();
            assert!(body.contains("refused") && body.len() < 100, "{body}");
        }
        for method in [reqwest::Method::PUT, reqwest::Method::PATCH, reqwest::Method::DELETE] {
            let response = app
                .client
                .request(method.clone(), app.url("/api/anything"))
                .header("sec-fetch-site", "cross-site")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{method}");
        }
    }

    async fn same_origin_and_non_browser_posts_pass_the_check(app: app) {
        let same_origin = app.address.clone();
        for headers in [
            &[("origin", same_origin.as_str())][..],
            &[("sec-fetch-site", "same-origin"), ("origin", same_origin.as_str())][..],
            &[("sec-fetch-site", "same-origin"), ("origin", "null")][..],
            &[("sec-fetch-site", "none")][..],
            &[][..],
        ] {
            let response = post(&app, "/api/anything", headers).await;
            assert_ne!(response.status(), 403, "{headers:?}");
        }
        // Reading is never refused, whoever asks.
        let response = app
            .client
            .get(app.url("/"))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "http://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }

    async fn behind_https_only_the_https_origin_is_this_site(backend: backend) {
        let app = spawn_app_with(backend, &[("REVERIE_SECURE_COOKIES", "true")]).await;
        let https_origin = format!("https://{}", host(&app));
        let response = post(&app, "/api/anything", &[("origin", https_origin.as_str())]).await;
        assert_ne!(response.status(), 403);
        let http_origin = app.address.clone();
        let response = post(&app, "/api/anything", &[("origin", http_origin.as_str())]).await;
        assert_eq!(response.status(), 403);
    }

    async fn bodies_over_one_mebibyte_are_refused(app: app) {
        let declared = raw_request_status(
            &app,
            format!(
                "POST /api/anything HTTP/1.1\r\nHost: {}\r\nContent-Length: {TWO_MIB}\r\nConnection: close\r\n\r\n",
                host(&app)
            ),
            vec![vec![b'x'; TWO_MIB]],
        )
        .await;
        assert_eq!(declared, 413, "declared with Content-Length");

        let chunked_head = format!(
            "POST /api/anything HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            host(&app)
        );
        let streamed = raw_request_status(&app, chunked_head.clone(), chunked(TWO_MIB)).await;
        assert_eq!(streamed, 413, "chunked, no declared length");

        // A body within the limit goes through to the router (no such route).
        let small = raw_request_status(&app, chunked_head, chunked(1000)).await;
        assert_eq!(small, 404);
    }

    async fn sign_in_requests_are_throttled_per_client(backend: backend) {
        let app = spawn_app_with(
            backend,
            &[("REVERIE_AUTH_RATE_BURST", "3"), ("REVERIE_AUTH_RATE_PER_MINUTE", "1")],
        )
        .await;
        for attempt in 1..=3 {
            let response = post(&app, "/api/auth/x", &[]).await;
            assert_ne!(response.status(), 429, "attempt {attempt} is within the burst");
        }
        let response = post(&app, "/api/auth/x", &[]).await;
        assert_eq!(response.status(), 429);
        assert_security_headers(response.headers(), "a 429");
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .expect("Retry-After in whole seconds");
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        let body = response.text().await.unwrap();
        assert!(body.contains("Too many attempts"), "{body}");

        // Only sign-in style POSTs are throttled: never signing out.
        assert_ne!(post(&app, "/api/auth/logout", &[]).await.status(), 429);
        assert_ne!(post(&app, "/api/other", &[]).await.status(), 429);
        assert_ne!(app.get("/api/auth/x").await.status(), 429);
        assert_eq!(app.get("/").await.status(), 200);
    }

    async fn static_files_keep_their_caching_but_get_the_headers(db: database) {
        let (database, _guard) = db;
        let site_root = tempfile::tempdir().unwrap();
        std::fs::write(site_root.path().join("favicon.svg"), "<svg/>").unwrap();
        let options = LeptosOptions::builder()
            .output_name("reverie")
            .site_root(site_root.path().to_string_lossy().to_string())
            .build();
        let cipher = app::server::crypto::FieldCipher::from_hex(crate::helpers::TEST_DATA_KEY).unwrap();
        let router = server::startup::router(options, database, cipher, &test_config(&[]));

        let request = http::Request::get("/favicon.svg").body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_security_headers(response.headers(), "a static file");
        assert_ne!(cache_control(response.headers()), Some("no-store"));

        // A file that is not there is the app's 404 page, not stored.
        let request = http::Request::get("/missing.svg").body(Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(cache_control(response.headers()), Some("no-store"));
    }
}
