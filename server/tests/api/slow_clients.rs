//! Slow clients are cut off: a request's headers, its body and its handling
//! each have a deadline, so nobody can hold a connection (and the task
//! serving it) for ever by sending one byte a second.

use std::time::{Duration, Instant};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    helpers::{spawn_app_with, TestApp},
    on_both_backends,
};

/// The deadlines the app is started with here: short, so the tests are.
const SETTINGS: [(&str, &str); 2] = [
    ("REVERIE_HEADER_TIMEOUT_SECONDS", "2"),
    ("REVERIE_BODY_TIMEOUT_SECONDS", "2"),
];

/// How a connection that sends `head` at once and then one byte a second
/// for up to 15 seconds ends: the status of the answer (or `None` if the
/// server hung up without one) and when.
async fn trickle(app: &TestApp, head: &str) -> (Option<u16>, Duration) {
    let stream = TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .expect("connect to the app");
    let (mut reader, mut writer) = stream.into_split();
    let head = head.to_string();
    let writing = tokio::spawn(async move {
        if writer.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..15 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if writer.write_all(b"x").await.is_err() {
                return;
            }
        }
        // Keep our half open: the question is whether the server closes.
        std::future::pending::<()>().await;
    });
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => received.extend_from_slice(&buffer[..read]),
            }
            if received.windows(2).any(|pair| pair == b"\r\n") {
                break;
            }
        }
    })
    .await;
    writing.abort();
    assert!(
        ended.is_ok(),
        "the server kept the connection open for 20 s"
    );
    let status = String::from_utf8_lossy(&received)
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok());
    (status, started.elapsed())
}

on_both_backends! {
    async fn headers_sent_one_byte_a_second_are_cut_off(backend: backend) {
        let app = spawn_app_with(backend, &SETTINGS).await;
        let (status, after) = trickle(&app, "GET / HTTP/1.1\r\nHost: reverie.test\r\nX-Slow: ").await;
        assert!(status.is_none() || status == Some(408), "{status:?}");
        assert!(after < Duration::from_secs(6), "cut off after {after:?}, not about 2 s");
    }

    async fn a_body_sent_one_byte_a_second_is_cut_off(backend: backend) {
        let app = spawn_app_with(backend, &SETTINGS).await;
        let head = "POST /api/auth/login HTTP/1.1\r\nHost: reverie.test\r\n\
                    Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n";
        let (status, after) = trickle(&app, head).await;
        assert_eq!(status, Some(408));
        assert!(after < Duration::from_secs(6), "cut off after {after:?}, not about 2 s");
    }

    async fn a_request_sent_in_time_is_answered(backend: backend) {
        let app = spawn_app_with(backend, &SETTINGS).await;
        let response = app.get("/about").await;
        assert_eq!(response.status(), 200);
    }
}
