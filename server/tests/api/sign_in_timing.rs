//! A measurement, not a check (ignored by default): whether a sign-in at an
//! unknown email and one at an account whose gate is closed take the same
//! time (and, for comparison, a wrong password that is checked). Run with
//! `cargo test -p server --features app/ssr --test api sign_in_timing -- --ignored --nocapture`
//! (PostgreSQL needs `REVERIE_TEST_POSTGRES_URL`); the results are in
//! BENCHMARKS.md.

use std::time::{Duration, Instant};

use crate::helpers::{execute_with, spawn_app_with, TestApp, TestBackend, GOOD_PASSWORD};

const ATTEMPTS: usize = 200;
const WARM_UP: usize = 10;

async fn attempt(app: &TestApp, email: &str) -> Duration {
    // A fresh client: no session, no known-device cookie.
    let client = app.new_client();
    let started = Instant::now();
    let response = client
        .post(app.url("/api/auth/login"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", "not the password")])
        .send()
        .await
        .unwrap();
    let status = response.status();
    response.bytes().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(status, 403, "{email}");
    elapsed
}

/// Median, and the spread between the quartiles, in milliseconds.
fn summary(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort_unstable();
    let ms = |index: usize| times[index].as_secs_f64() * 1000.0;
    let n = times.len();
    (ms(n / 2), ms(3 * n / 4) - ms(n / 4))
}

async fn measure(backend: TestBackend) {
    let app = spawn_app_with(backend, &[("REVERIE_AUTH_RATE_BURST", "100000")]).await;
    app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false)
        .await;
    let ben = app
        .create_user("ben@example.org", "Ben", GOOD_PASSWORD, false)
        .await;
    attempt(&app, "ana@example.org").await;
    // Closed for the rest of the run, as after many failures.
    let tomorrow = app::server::auth::now_ms() + 24 * 3_600_000;
    execute_with(
        &app.database,
        "UPDATE sign_in_guards SET next_attempt_at = $1",
        tomorrow,
    )
    .await;

    let (mut unknown, mut waiting, mut wrong) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..WARM_UP + ATTEMPTS {
        // Alternating, and each first in turn, so that drift in the
        // machine's load and any effect of going first affect both alike.
        let (unknown_time, waiting_time) = if round % 2 == 0 {
            let unknown_time = attempt(&app, "nobody@example.org").await;
            (unknown_time, attempt(&app, "ana@example.org").await)
        } else {
            let waiting_time = attempt(&app, "ana@example.org").await;
            (attempt(&app, "nobody@example.org").await, waiting_time)
        };
        // For comparison: a wrong password checked at an open gate (Ben's,
        // reopened before each attempt, outside the timing).
        execute_with(
            &app.database,
            "DELETE FROM sign_in_guards WHERE user_id = $1",
            ben.id.0,
        )
        .await;
        let wrong_time = attempt(&app, "ben@example.org").await;
        if round >= WARM_UP {
            unknown.push(unknown_time);
            waiting.push(waiting_time);
            wrong.push(wrong_time);
        }
    }
    let (unknown_median, unknown_spread) = summary(unknown);
    let (waiting_median, waiting_spread) = summary(waiting);
    let (wrong_median, wrong_spread) = summary(wrong);
    println!(
        "{backend:?}: {ATTEMPTS} attempts each; unknown email: median {unknown_median:.2} ms \
         (interquartile {unknown_spread:.2} ms); closed gate: median {waiting_median:.2} ms \
         (interquartile {waiting_spread:.2} ms); difference {:.2} ms; for comparison, wrong \
         password at an open gate: median {wrong_median:.2} ms (interquartile {wrong_spread:.2} ms)",
        waiting_median - unknown_median
    );
}

#[tokio::test]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn sign_in_timing_sqlite() {
    measure(TestBackend::Sqlite).await;
}

#[tokio::test]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn sign_in_timing_postgres() {
    measure(TestBackend::Postgres).await;
}
