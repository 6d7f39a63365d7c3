//! How long the analytics page of a 200-session case takes over HTTP: the
//! real application on a fresh SQLite database in a temporary directory
//! (served on a free port of 127.0.0.1), a signed-in therapist's browser
//! asking for `GET /cases/{id}/analytics` and reading the whole
//! server-rendered page. That is loading the case and its sessions' facts
//! from the database, computing the analytics, and rendering the HTML.
//! Target: a median of 20 ms or less on the project's machine.
//! `json_without_page` times the server function the page calls
//! (`GET /api/analytics/case`: the same loading and computing, answered as
//! JSON), so the difference shows what rendering costs, and
//! `facts_from_database` the repository call that loads the facts (no HTTP).
//!
//! The case's 200 reflections are saved once, before measuring, through the
//! same form endpoint the editor posts to. Each has the shape of the
//! `analytics` benchmark's sessions (5 interventions, 3 reactions and 2
//! episodes, see `server::synthetic`) plus a sentence of text in every row and notes.
//!
//! Run: `cargo bench -p server --features app/ssr --bench analytics_page`
//! (see BENCHMARKS.md).

use std::time::Duration;

use app::{
    domain::{analytics::SessionFacts, cases::CaseId, reflection::Timing, time::add_days},
    server::{
        auth::{now_ms, passwords::PasswordHasher},
        crypto::FieldCipher,
        repo::{Database, DatabaseLocation, NewUser},
    },
};
use criterion::{criterion_group, criterion_main, Criterion};
use server::{config::Config, startup::Application, synthetic};
use tokio::runtime::Runtime;

const SESSIONS: u32 = 200;
const EMAIL: &str = "bench@example.org";
const PASSWORD: &str = "lantern orchard velvet compass";
/// A Monday far enough back for 200 weekly sessions (and missed weeks) to
/// lie in the past.
const CASE_START: &str = "2022-01-03";
const HTML: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

/// The running application and a browser signed in to it.
struct World {
    runtime: Runtime,
    client: reqwest::Client,
    address: String,
    /// The case whose analytics are read.
    case: i64,
    /// The application's database, to time loading the facts alone.
    database: Database,
    /// Holds the SQLite database; removed when the bench ends.
    _data_dir: tempfile::TempDir,
}

fn world() -> World {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let data_dir = tempfile::tempdir().expect("temporary directory");
    let (client, address, case, database) = runtime.block_on(start(data_dir.path()));
    World {
        runtime,
        client,
        address,
        case,
        database,
        _data_dir: data_dir,
    }
}

/// Starts the application in `data_dir` with one therapist, signs in, and
/// saves the case; answers the client, the address, the case and the
/// database.
async fn start(data_dir: &std::path::Path) -> (reqwest::Client, String, i64, Database) {
    let key = FieldCipher::generate_hex_key();
    let data_dir_setting = data_dir.to_str().expect("a UTF-8 path").to_string();
    let config = Config::from_lookup(|name| match name {
        "REVERIE_ADDR" => Some("127.0.0.1:0".to_string()),
        "REVERIE_LOG" => Some("warn".to_string()),
        "REVERIE_DATA_DIR" => Some(data_dir_setting.clone()),
        "REVERIE_DATA_KEY" => Some(key.clone()),
        _ => None,
    })
    .expect("bench configuration is valid");

    // The account exists before the application starts, as on an instance
    // that has been set up.
    let database = Database::connect(&DatabaseLocation::SqliteFile(data_dir.join("reverie.db")))
        .await
        .expect("connect");
    database.migrate().await.expect("migrate");
    let password_hash = PasswordHasher::default()
        .hash(PASSWORD)
        .await
        .expect("hash");
    database
        .create_user(&NewUser {
            email: EMAIL,
            display_name: "Bench Therapist",
            password_hash: &password_hash,
            is_admin: false,
            created_at: now_ms(),
        })
        .await
        .expect("create the therapist");

    let application = Application::build_with_database(&config, database.clone())
        .await
        .expect("build the application");
    let address = format!("http://{}", application.local_addr());
    tokio::spawn(application.serve_until(std::future::pending()));

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client");
    let signed_in = post(
        &client,
        &address,
        "/api/auth/login",
        &[("email", EMAIL.into()), ("password", PASSWORD.into())],
    )
    .await;
    assert_eq!(signed_in.status(), 200, "signing in");

    let case = create_case(&client, &address).await;
    let started = std::time::Instant::now();
    for session in synthetic::sessions(SESSIONS) {
        save_reflection(&client, &address, case, &session).await;
    }
    eprintln!(
        "saved {SESSIONS} reflections over HTTP in {:.1?}",
        started.elapsed()
    );
    (client, address, case, database)
}

/// Posts a form as the app's pages do with JavaScript (a same-origin fetch).
async fn post(
    client: &reqwest::Client,
    address: &str,
    path: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    client
        .post(format!("{address}{path}"))
        .header("origin", address)
        .form(fields)
        .send()
        .await
        .expect("request failed")
}

/// The number right after `prefix` in a redirect's Location.
fn id_after(prefix: &str, response: &reqwest::Response) -> i64 {
    let location = response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location in the answer ({})", response.status()))
        .to_str()
        .expect("ASCII Location");
    let rest = location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}"));
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number after {prefix} in {location}"))
}

async fn create_case(client: &reqwest::Client, address: &str) -> i64 {
    let fields = [
        ("case[code]", "B-200".to_string()),
        ("case[modality]", "psychodynamic".to_string()),
        ("case[frequency]", "weekly".to_string()),
        ("case[start_date]", CASE_START.to_string()),
        ("case[planned_sessions]", String::new()),
        ("case[names_to_watch]", "Marguerite\nTheodor".to_string()),
    ];
    let response = post(client, address, "/api/cases/create", &fields).await;
    assert_eq!(response.status(), 200, "creating the case");
    id_after("/cases/", &response)
}

/// Saves `session` as a new reflection of `case`, with the reflection
/// form's field names (`reflection[interventions][0][kind]`, …).
async fn save_reflection(
    client: &reqwest::Client,
    address: &str,
    case: i64,
    session: &SessionFacts,
) {
    let date = add_days(CASE_START, 7 * (session.week - 1)).expect("a session date");
    let sentence = |what: &str| {
        format!(
            "{what} in session {}: she spoke about the move and her sister again, and I noticed the pull to reassure.",
            session.session_number
        )
    };
    let mut fields: Vec<(String, String)> = vec![
        ("case_id".into(), case.to_string()),
        ("intent".into(), "save".into()),
    ];
    let mut put = |name: String, value: String| fields.push((format!("reflection[{name}]"), value));
    put("session_number".into(), session.session_number.to_string());
    put("session_date".into(), date);
    for (index, reaction) in session.reactions.iter().enumerate() {
        let field = |name: &str| format!("reactions][{index}][{name}");
        put(field("dimension"), reaction.dimension.slug().into());
        put(field("intensity"), reaction.intensity.to_string());
        put(field("text"), sentence("reaction"));
    }
    put("trigger][".into(), "client_material".into());
    put("trigger_note".into(), sentence("trigger"));
    put("racker".into(), "concordant".into());
    put("enactment".into(), sentence("enactment"));
    for (index, intervention) in session.interventions.iter().enumerate() {
        let field = |name: &str| format!("interventions][{index}][{name}");
        put(field("kind"), intervention.kind.slug().into());
        match intervention.timing {
            Timing::Minute(minute) => put(field("minute"), minute.to_string()),
            Timing::Phase(phase) => put(field("phase"), phase.slug().into()),
        }
        put(field("depth"), intervention.depth.to_string());
        if let Some(response) = intervention.response {
            put(field("response"), response.slug().into());
        }
        put(field("text"), sentence("intervention"));
    }
    for (index, episode) in session.episodes.iter().enumerate() {
        let field = |name: &str| format!("episodes][{index}][{name}");
        put(field("with_whom"), episode.with_whom.slug().into());
        if let Some(when) = episode.when {
            put(field("when"), when.slug().into());
        }
        if let Some(wish) = episode.wish {
            put(field("wish"), wish.slug().into());
        }
        if let Some(response) = episode.response_of_other {
            put(field("response_of_other"), response.slug().into());
        }
        if let Some(response) = episode.response_of_self {
            put(field("response_of_self"), response.slug().into());
        }
        put(field("response_of_self_text"), sentence("episode"));
    }
    put("private_notes".into(), sentence("private note"));

    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.clone()))
        .collect();
    let response = post(client, address, "/api/reflections/save", &fields).await;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(
        status, 200,
        "saving session {}: {body}",
        session.session_number
    );
}

/// The page's figures as JSON (`GET /api/analytics/case`), read whole.
async fn analytics_json(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.expect("request failed");
    assert_eq!(response.status(), 200);
    response.text().await.expect("the figures")
}

/// One page view: the request, and the whole page read.
async fn analytics_page(client: &reqwest::Client, url: &str) -> String {
    let response = client
        .get(url)
        .header("accept", HTML)
        .send()
        .await
        .expect("request failed");
    assert_eq!(response.status(), 200);
    response.text().await.expect("the page")
}

fn case_analytics_page(c: &mut Criterion) {
    let world = world();
    let url = format!("{}/cases/{}/analytics", world.address, world.case);

    // The page is the real one, with every session counted.
    let page = world.runtime.block_on(analytics_page(&world.client, &url));
    for expected in [
        "Analytics · case B-200",
        &format!("{SESSIONS} sessions."),
        "Computed from every session with a reflection.",
    ] {
        assert!(page.contains(expected), "the page lacks {expected:?}");
    }
    let json_url = format!(
        "{}/api/analytics/case?case_id={}",
        world.address, world.case
    );
    let json = world
        .runtime
        .block_on(analytics_json(&world.client, &json_url));
    assert!(json.contains(&format!("\"sessions\":{SESSIONS}")));
    eprintln!(
        "the page is {} bytes, its figures as JSON {} bytes",
        page.len(),
        json.len()
    );
    // To see what the page is made of.
    if let Some(path) = std::env::var_os("REVERIE_BENCH_SAVE_PAGE") {
        std::fs::write(path, &page).expect("the page saved");
    }

    let mut group = c.benchmark_group("analytics_page");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("sessions/200", |b| {
        b.iter(|| world.runtime.block_on(analytics_page(&world.client, &url)))
    });
    // The same figures from the server function the page calls, as JSON:
    // loading and computing without rendering, to show where the time goes.
    group.bench_function("json_without_page/200", |b| {
        b.iter(|| {
            world
                .runtime
                .block_on(analytics_json(&world.client, &json_url))
        })
    });
    // Loading the facts alone (the repository call the server function
    // makes), without HTTP, the signed-in check, computing or JSON.
    group.bench_function("facts_from_database/200", |b| {
        b.iter(|| {
            world
                .runtime
                .block_on(world.database.session_facts(CaseId(world.case), None, None))
                .expect("the facts")
        })
    });
    group.finish();
}

criterion_group!(benches, case_analytics_page);
criterion_main!(benches);
