//! Reads that decrypt or count a person's whole record (search, a case's
//! analytics and its downloads, "my patterns", the printable case, the
//! supervisor's analytics of a shared case, the exports) share the
//! app's heavy-read limit: with an account's places all taken, each of
//! them answers "busy" (503, with `Retry-After`) at once, while other
//! accounts' reads go on; once the places are free, they answer again.

use app::{
    domain::accounts::UserId,
    error::AppError,
    server::heavy_reads::{HeavyPlace, HeavyReads},
};
use reqwest::StatusCode;

use crate::{
    casework::get_with,
    helpers::{app_error, TestApp},
    on_both_backends,
    sharing::{Account, SharingWorld},
};

/// A heavy read: its address, its query, and whether it is a server
/// function (answering an `AppError`) or a download (answering text).
struct Read {
    path: String,
    query: Vec<(&'static str, String)>,
    server_function: bool,
}

fn server_function(path: &str, query: &[(&'static str, String)]) -> Read {
    Read {
        path: path.to_string(),
        query: query.to_vec(),
        server_function: true,
    }
}

fn download(path: String) -> Read {
    Read {
        path,
        query: Vec::new(),
        server_function: false,
    }
}

/// The therapist's heavy reads of the world's case.
fn therapists_reads(world: &SharingWorld) -> Vec<Read> {
    let case = [("case_id", world.case.0.to_string())];
    vec![
        server_function("/api/analytics/case", &case),
        server_function("/api/analytics/patterns", &[]),
        server_function("/api/cases/printable", &case),
        server_function(
            "/api/reflections/search",
            &[("query[words]", "session".to_string())],
        ),
        download(format!(
            "/cases/{}/analytics/download/analytics.json",
            world.case.0
        )),
        download("/account/export/my-work.json".to_string()),
        download("/account/export/my-work-csv.zip".to_string()),
    ]
}

/// The supervisor's heavy reads of the world's shared case.
fn supervisors_reads(world: &SharingWorld) -> Vec<Read> {
    let case = [("case_id", world.case.0.to_string())];
    vec![
        server_function("/api/analytics/shared", &case),
        download(format!(
            "/supervision/cases/{}/analytics/download/analytics.json",
            world.case.0
        )),
        download("/account/export/my-supervision.json".to_string()),
        download("/account/export/my-supervision-csv.zip".to_string()),
    ]
}

async fn get(app: &TestApp, person: &Account, read: &Read) -> reqwest::Response {
    let query: Vec<(&str, &str)> = read
        .query
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    get_with(app, &person.client, &read.path, &query).await
}

async fn assert_busy(app: &TestApp, person: &Account, reads: &[Read]) {
    for read in reads {
        let response = get(app, person, read).await;
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            read.path
        );
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .map(|value| value.to_str().unwrap()),
            Some("2"),
            "{}",
            read.path
        );
        if read.server_function {
            assert_eq!(app_error(response).await, AppError::Busy, "{}", read.path);
        } else {
            assert_eq!(
                response.text().await.unwrap(),
                AppError::Busy.user_message(),
                "{}",
                read.path
            );
        }
    }
}

async fn assert_answered(app: &TestApp, person: &Account, reads: &[Read]) {
    for read in reads {
        let response = get(app, person, read).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", read.path);
        // The whole answer arrives (a download is cut short on failure).
        response.bytes().await.expect(&read.path);
    }
}

/// Takes all of `account`'s heavy-read places, as its own reads running
/// at once would.
fn hold_places(reads: &HeavyReads, account: UserId) -> Vec<HeavyPlace> {
    (0..HeavyReads::PER_ACCOUNT)
        .map(|_| reads.reserve(account).expect("a free place"))
        .collect()
}

on_both_backends! {
    async fn an_account_with_its_heavy_reads_running_is_answered_busy_by_every_heavy_read(app: app) {
        let world = SharingWorld::new(&app).await;
        let (tess, sam) = (&world.therapist, &world.supervisor);

        let tess_running = hold_places(&app.heavy_reads, tess.user.id);
        assert_busy(&app, tess, &therapists_reads(&world)).await;
        // Another account's heavy reads are not held up.
        assert_answered(&app, sam, &supervisors_reads(&world)).await;

        let sam_running = hold_places(&app.heavy_reads, sam.user.id);
        assert_busy(&app, sam, &supervisors_reads(&world)).await;

        drop((tess_running, sam_running));
        assert_answered(&app, tess, &therapists_reads(&world)).await;
        assert_answered(&app, sam, &supervisors_reads(&world)).await;
    }
}
