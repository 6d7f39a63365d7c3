//! A measurement, not a check (ignored by default): how long a busy
//! therapist's home page takes over HTTP (target: under 15 ms). Twenty
//! active cases of six sessions each (the last two in the flags' window,
//! with interpretations that get flagged), three unsaved drafts, every
//! case shared with one supervisor who left 50 comments the therapist has
//! not read, and a review the therapist's edit has overtaken. Run with
//! `cargo test --release -p server --features app/ssr --test api home_timing -- --ignored --nocapture --test-threads=1`
//! (PostgreSQL needs `REVERIE_TEST_POSTGRES_URL`); the results are in
//! BENCHMARKS.md.

use std::time::{Duration, Instant};

use app::{
    api::home::HomeView,
    domain::reflection::{InterventionInput, ReflectionInput},
};

use crate::{
    casework::{get_json, reflection_form, save_new_reflection, short_reflection},
    helpers::{spawn_app, TestApp, TestBackend},
    sharing::{account, comment, day_from_today, mark_reviewed, new_case, page, share_case},
    sharing_feedback::{editing, save_changes},
};

const CASES: usize = 20;
const SESSIONS_PER_CASE: u32 = 6;
const UNREAD: usize = 50;
const DRAFTS: usize = 3;
const RUNS: usize = 100;
const WARM_UP: usize = 10;

/// Session `number` of six, a fortnight apart and ending three days ago
/// (the first two before the flags' window of eight weeks); each
/// with a question and a deep transference interpretation met with a
/// withdrawal (so the depth baseline moves and sessions get flagged).
fn busy_session(number: u32) -> ReflectionInput {
    let days = -3 - 14 * i64::from(SESSIONS_PER_CASE - number);
    let intervention = |kind: &str, depth: u32, response: &str| InterventionInput {
        kind: kind.to_string(),
        minute: "20".to_string(),
        depth: depth.to_string(),
        response: response.to_string(),
        ..InterventionInput::default()
    };
    ReflectionInput {
        interventions: vec![
            intervention("question", 1, ""),
            intervention(
                "transference_interpretation",
                if number.is_multiple_of(3) { 5 } else { 2 },
                "withdrawal",
            ),
        ],
        ..short_reflection(number, &day_from_today(days))
    }
}

/// Median and slowest of `RUNS` loads of the home page, in ms.
async fn time(app: &TestApp, client: &reqwest::Client) -> (f64, f64) {
    let mut times: Vec<Duration> = Vec::new();
    for run in 0..WARM_UP + RUNS {
        let started = Instant::now();
        let response = page(app, client, "/").await;
        let status = response.status();
        let body = response.text().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(status, 200);
        assert!(body.contains("Flags worth a look") && body.contains("New feedback"));
        if run >= WARM_UP {
            times.push(elapsed);
        }
    }
    times.sort_unstable();
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[times.len() - 1]))
}

async fn measure(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let tess = account(&app, "tess@example.org", "Tess Therapist").await;
    let sam = account(&app, "sam@example.org", "Sam Supervisor").await;
    let mut reflections = Vec::new();
    for index in 0..CASES {
        let case = new_case(&app, &tess.client, &format!("C-{index:02}")).await;
        for number in 1..=SESSIONS_PER_CASE {
            let reflection =
                save_new_reflection(&app, &tess.client, case, &busy_session(number)).await;
            reflections.push((case, reflection));
        }
        share_case(&app, &tess.client, case, "sam@example.org", &[]).await;
        if index < DRAFTS {
            let typed = short_reflection(SESSIONS_PER_CASE + 1, &day_from_today(0));
            let response = app
                .post_form_with(
                    &tess.client,
                    "/api/reflections/keep-draft",
                    &reflection_form(case, &typed).fields(),
                )
                .await;
            assert_eq!(response.status(), 200);
        }
    }
    let (case, reflection) = reflections[0];
    assert_eq!(
        mark_reviewed(&app, &sam.client, case, reflection, 1)
            .await
            .status(),
        200
    );
    let (_, input) = editing(&app, &tess.client, case, reflection).await;
    save_changes(&app, &tess.client, case, reflection, &input).await;
    for (case, reflection) in reflections.iter().take(UNREAD) {
        comment(
            &app,
            &sam.client,
            *case,
            *reflection,
            "reflection",
            "Say more.",
        )
        .await;
    }

    let home: Option<HomeView> = get_json(&app, &tess.client, "/api/home", &[]).await;
    let home = home.expect("Tess's home");
    assert_eq!(home.due.len(), CASES);
    assert_eq!(home.drafts.len(), DRAFTS);
    assert_eq!(home.unread_feedback(), UNREAD as i64);
    assert_eq!(home.changed_since_review.len(), 1);
    assert!(!home.flags.is_empty());

    let (median, slowest) = time(&app, &tess.client).await;
    eprintln!(
        "{backend:?}: home page of {CASES} cases, {UNREAD} unread items, {} flags: \
         median {median:.2} ms, slowest {slowest:.2} ms of {RUNS}",
        home.flags.len()
    );
}

#[tokio::test]
#[ignore = "a measurement; run on purpose"]
async fn home_page_of_a_busy_therapist_sqlite() {
    measure(TestBackend::Sqlite).await;
}

#[tokio::test]
#[ignore = "a measurement; run on purpose"]
async fn home_page_of_a_busy_therapist_postgres() {
    measure(TestBackend::Postgres).await;
}
