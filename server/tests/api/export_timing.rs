//! A measurement, not a check (ignored by default): how long a therapist's
//! export of 1,000 reflections takes to download whole, as JSON and as
//! the CSV zip (target: under 5 seconds each). The reflections (four
//! cases of 250, each the full test reflection: 2 reactions, 3
//! interventions, 1 episode, every text field filled) are saved first
//! through the editor's endpoint. Run with
//! `cargo test -p server --features app/ssr --test api export_timing -- --ignored --nocapture`
//! (PostgreSQL needs `REVERIE_TEST_POSTGRES_URL`); the results are in
//! BENCHMARKS.md.

use std::time::{Duration, Instant};

use app::domain::time::add_days;

use crate::{
    casework::{full_reflection, reflection_form},
    export::download,
    helpers::{spawn_app, TestApp, TestBackend},
    sharing::{account, new_case, START_DATE},
};

const CASES: usize = 4;
const SESSIONS_PER_CASE: u32 = 250;
const RUNS: usize = 5;

/// The slowest of `RUNS` downloads of `path`, and the size of the last.
async fn time(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    content_type: &str,
) -> (Duration, usize) {
    let mut slowest = Duration::ZERO;
    let mut size = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        size = download(app, client, path, content_type).await.len();
        slowest = slowest.max(started.elapsed());
    }
    (slowest, size)
}

async fn measure(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let tess = account(&app, "tess@example.org", "Tess Therapist").await;
    let seeding = Instant::now();
    for index in 0..CASES {
        let case = new_case(&app, &tess.client, &format!("C-{index:02}")).await;
        for session in 1..=SESSIONS_PER_CASE {
            let date = add_days(START_DATE, i64::from(session)).unwrap();
            let form = reflection_form(case, &full_reflection(session, &date));
            let response = app
                .post_form_with(&tess.client, "/api/reflections/save", &form.fields())
                .await;
            assert_eq!(response.status(), 200);
        }
    }
    eprintln!(
        "{backend:?}: saved 1,000 reflections in {:.1?}",
        seeding.elapsed()
    );

    let (json, json_size) = time(
        &app,
        &tess.client,
        "/account/export/my-work.json",
        "application/json",
    )
    .await;
    let (zip, zip_size) = time(
        &app,
        &tess.client,
        "/account/export/my-work-csv.zip",
        "application/zip",
    )
    .await;
    eprintln!(
        "{backend:?}: JSON {json:.2?} ({} KiB), CSV zip {zip:.2?} ({} KiB), slowest of {RUNS}",
        json_size / 1024,
        zip_size / 1024
    );
    assert!(json < Duration::from_secs(5) && zip < Duration::from_secs(5));
}

#[tokio::test]
#[ignore = "a measurement; run on purpose"]
async fn export_of_1000_reflections_sqlite() {
    measure(TestBackend::Sqlite).await;
}

#[tokio::test]
#[ignore = "a measurement; run on purpose"]
async fn export_of_1000_reflections_postgres() {
    measure(TestBackend::Postgres).await;
}
