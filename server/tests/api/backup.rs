//! `server backup` as an operator runs it: a copy of the SQLite database taken
//! while a therapist keeps saving reflections, compared row by row with the
//! source, restored into a fresh data directory and served again with the
//! same key; and the refusal to copy a PostgreSQL database (pg_dump's job).
//! SQLite only: PostgreSQL has its own tools.

use std::{
    collections::BTreeMap,
    path::Path,
    process::{Command, Output},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use app::{
    domain::{cases::CaseId, reflection::ReflectionId, time::add_days},
    server::repo::{DataKeyRefusal, Database},
};
use server::startup::{Application, StartupError};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqlitePool},
    Row,
};

use crate::{
    casework::{
        create_case, full_reflection, get_json, get_with, save_new_reflection, therapist,
        CASE_START,
    },
    helpers::{
        file_mode, private_tempdir, server_binary, spawn_app_in, test_config, TestApp,
        GOOD_PASSWORD, TEST_DATA_KEY,
    },
};

/// Columns the app changes in a statement of its own after the row was
/// written, so the source may have moved on since the copy: a session's
/// last use, a reflection's count of identifier findings (set right after it
/// is saved), and SQLite's AUTOINCREMENT counters.
const MOVING: [(&str, &str); 3] = [
    ("sessions", "last_seen_at"),
    ("reflections", "identifiers_pending"),
    ("sqlite_sequence", "seq"),
];

/// The writer never goes past this session (its date stays in the past).
const LAST_SESSION: u32 = 300;

/// Every row of every table: table → rowid (or place, for a table without
/// rowids) → (column, value as SQLite quotes it).
type Rows = BTreeMap<String, BTreeMap<i64, Vec<(String, String)>>>;

async fn every_row(pool: &SqlitePool) -> Rows {
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut rows = Rows::new();
    for (table,) in tables {
        let columns: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(pool)
            .await
            .unwrap();
        let quoted: Vec<String> = columns
            .iter()
            .map(|(column,)| format!(r#"quote("{column}")"#))
            .collect();
        // A table WITHOUT ROWID (the search index) has no rowid: its rows
        // are keyed by their place in the order of all their columns.
        let (without_rowid,): (bool,) =
            sqlx::query_as("SELECT wr FROM pragma_table_list WHERE name = $1")
                .bind(&table)
                .fetch_one(pool)
                .await
                .unwrap();
        let key = if without_rowid {
            format!("ROW_NUMBER() OVER (ORDER BY {})", quoted.join(", "))
        } else {
            "rowid".to_string()
        };
        let sql = format!(r#"SELECT {key}, {} FROM "{table}""#, quoted.join(", "));
        let mut by_id = BTreeMap::new();
        for row in sqlx::query(&sql).fetch_all(pool).await.unwrap() {
            let values = (columns.iter().enumerate())
                .map(|(index, (column,))| (column.clone(), row.get::<String, _>(index + 1)))
                .collect();
            by_id.insert(row.get::<i64, _>(0), values);
        }
        rows.insert(table, by_id);
    }
    rows
}

async fn schema(pool: &SqlitePool) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The copy is the source as it was at one moment: each of its rows is
/// still in the source, equal but for [`MOVING`] columns, and every row of
/// the source that it lacks is newer than all of the table's rows it has.
fn assert_copy_of(copy: &Rows, source: &Rows) {
    assert_eq!(
        copy.keys().collect::<Vec<_>>(),
        source.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, copied) in copy {
        let current = &source[table];
        for (id, values) in copied {
            let now = current
                .get(id)
                .unwrap_or_else(|| panic!("row {id} of {table} is in the copy only"));
            for ((column, then), (_, now)) in values.iter().zip(now) {
                assert!(
                    then == now || MOVING.contains(&(table.as_str(), column.as_str())),
                    "{table}.{column} of row {id} differs"
                );
            }
        }
        let newest_copied = copied.keys().next_back().copied().unwrap_or(i64::MIN);
        for id in current.keys().filter(|id| !copied.contains_key(id)) {
            assert!(
                *id > newest_copied,
                "row {id} of {table} is missing from the copy, which has row {newest_copied}"
            );
        }
    }
}

/// `server backup target` on the database in `data_dir`, as an operator runs it.
fn run_backup(data_dir: &Path, target: &Path, database_url: Option<&str>) -> Output {
    let mut command = Command::new(server_binary());
    command.arg("backup").arg(target);
    for name in ["DATABASE_URL", "REVERIE_DATA_KEY", "REVERIE_DATA_KEY_FILE"] {
        command.env_remove(name);
    }
    command.env("REVERIE_DATA_DIR", data_dir);
    if let Some(url) = database_url {
        command
            .env("DATABASE_URL", url)
            .env("REVERIE_DATA_KEY", TEST_DATA_KEY);
    }
    command.output().unwrap()
}

/// One reflection saved by the writer (they go in session order): when it
/// was sent and when answered.
struct Save {
    sent: Instant,
    answered: Instant,
}

/// Saves reflections 2, 3, … of `case` one after the other until `stop`.
fn keep_writing(
    app: Arc<TestApp>,
    case: CaseId,
    stop: Arc<AtomicBool>,
    saves: Arc<Mutex<Vec<Save>>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for session in 2..=LAST_SESSION {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let date = add_days(CASE_START, i64::from(session)).unwrap();
            let sent = Instant::now();
            save_new_reflection(&app, &app.client, case, &full_reflection(session, &date)).await;
            let answered = Instant::now();
            saves.lock().unwrap().push(Save { sent, answered });
        }
    })
}

/// Waits until `enough` holds of the saves so far, or the writer stopped
/// (awaiting it then tells why).
async fn wait_for(
    saves: &Mutex<Vec<Save>>,
    writer: &tokio::task::JoinHandle<()>,
    enough: impl Fn(&[Save]) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !enough(&saves.lock().unwrap()) && !writer.is_finished() {
        assert!(Instant::now() < deadline, "the writer stalled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn reflection_json(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    reflection: ReflectionId,
) -> serde_json::Value {
    get_json(
        app,
        client,
        "/api/reflections/get",
        &[
            ("case_id", &case.0.to_string()),
            ("reflection_id", &reflection.0.to_string()),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_is_a_consistent_copy_that_restores() {
    let source_dir = private_tempdir();
    let backups = tempfile::tempdir().unwrap();
    let app = spawn_app_in(source_dir.path())
        .await
        .expect("the app starts");
    let Database::Sqlite(source) = app.database.clone() else {
        unreachable!("the data directory holds an SQLite database")
    };
    // 16 MiB of other data, so the copy takes long enough for saves to
    // land while it runs.
    sqlx::query("CREATE TABLE backup_ballast (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)")
        .execute(&source)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2048) \
         INSERT INTO backup_ballast (id, bytes) SELECT i, randomblob(8192) FROM n",
    )
    .execute(&source)
    .await
    .unwrap();

    therapist(&app, &app.client, "tess@example.org").await;
    let case = create_case(&app, &app.client, "BK-01").await;
    let first = save_new_reflection(
        &app,
        &app.client,
        case,
        &full_reflection(1, &add_days(CASE_START, 1).unwrap()),
    )
    .await;
    // A search, so that the search index (a table without rowids) is copied too.
    let searched = get_with(
        &app,
        &app.client,
        "/api/reflections/search",
        &[("query[words]", "silence")],
    )
    .await;
    assert_eq!(searched.status(), 200);

    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let saves = Arc::new(Mutex::new(Vec::new()));
    let writer = keep_writing(app.clone(), case, stop.clone(), saves.clone());
    wait_for(&saves, &writer, |saves| saves.len() >= 5).await;

    let target = backups.path().join("reverie-backup.db");
    let started = Instant::now();
    let output = {
        let (data_dir, target) = (source_dir.path().to_path_buf(), target.clone());
        tokio::task::spawn_blocking(move || run_backup(&data_dir, &target, None))
            .await
            .unwrap()
    };
    let finished = Instant::now();
    wait_for(&saves, &writer, |saves| {
        saves.iter().filter(|save| save.sent > finished).count() >= 5
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("every save succeeded");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("integrity check ok"), "{stdout}");
    assert_eq!(file_mode(&target), 0o600, "the copy is its owner's only");
    let saves = std::mem::take(&mut *saves.lock().unwrap());
    let during = saves
        .iter()
        .filter(|save| save.answered > started && save.answered < finished)
        .count();
    eprintln!(
        "backup took {:?}; {during} reflections were saved meanwhile, {} in all",
        finished - started,
        saves.len() + 1
    );
    assert!(during >= 1, "saves went on while the copy was taken");

    // The copy is whole, and is the source at one moment between the last
    // save answered before the backup began and the first sent after it ended.
    let copy = SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(&target)
            .read_only(true),
    )
    .await
    .unwrap();
    let (verdict,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&copy)
        .await
        .unwrap();
    assert_eq!(verdict, "ok");
    assert_eq!(schema(&copy).await, schema(&source).await);
    let copied = every_row(&copy).await;
    assert_copy_of(&copied, &every_row(&source).await);
    let copied_sessions: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT session_number, id FROM reflections WHERE case_id = $1 ORDER BY session_number",
    )
    .bind(case.0)
    .fetch_all(&copy)
    .await
    .unwrap();
    copy.close().await;
    let numbers: Vec<u32> = copied_sessions.iter().map(|(n, _)| *n as u32).collect();
    let before = 1 + saves.iter().filter(|save| save.answered < started).count() as u32;
    let by_end = 1 + saves.iter().filter(|save| save.sent < finished).count() as u32;
    assert_eq!(
        numbers,
        (1..=numbers.len() as u32).collect::<Vec<_>>(),
        "whole saves, in order"
    );
    assert!(
        (before..=by_end).contains(&(numbers.len() as u32)),
        "{} reflections copied; {before} were saved before the backup, {by_end} sent by its end",
        numbers.len()
    );
    assert!(
        saves.iter().filter(|save| save.sent > finished).count() >= 5,
        "saves went on after the copy"
    );

    // A second backup to the same name is refused and leaves the first alone.
    let first_copy = std::fs::read(&target).unwrap();
    let again = run_backup(source_dir.path(), &target, None);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("exists already"), "{stderr}");
    assert_eq!(std::fs::read(&target).unwrap(), first_copy);

    // Restore as the README says: the file as the database of a fresh data
    // directory, the same key. Another key is refused.
    let restored_dir = private_tempdir();
    std::fs::copy(&target, restored_dir.path().join("reverie.db")).unwrap();
    let other_key = format!("{}{}", &TEST_DATA_KEY[..60], "0000");
    let with_other_key = test_config(&[
        ("REVERIE_DATA_DIR", restored_dir.path().to_str().unwrap()),
        ("REVERIE_DATA_KEY", &other_key),
    ]);
    assert!(matches!(
        Application::build(&with_other_key).await,
        Err(StartupError::DataKeys(DataKeyRefusal::MissingKey(_)))
    ));
    let restored = spawn_app_in(restored_dir.path())
        .await
        .expect("the restored app starts with the same key");
    let client = restored.new_client();
    assert_eq!(
        restored
            .sign_in_with(&client, "tess@example.org", GOOD_PASSWORD)
            .await
            .status(),
        200
    );
    let written_first = reflection_json(&restored, &client, case, first).await;
    assert_eq!(
        written_first["reflection"]["enactment"], "I ran over time.",
        "{written_first}"
    );
    for (_, id) in copied_sessions {
        let id = ReflectionId(id);
        assert_eq!(
            reflection_json(&restored, &client, case, id).await,
            reflection_json(&app, &app.client, case, id).await,
            "reflection {id:?} reads the same from the restored app"
        );
    }
}

#[test]
fn backup_refuses_postgres_and_points_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.db");
    let output = run_backup(
        dir.path(),
        &target,
        Some("postgres://reverie:pa55word@127.0.0.1:5432/reverie"),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pg_dump"), "{stderr}");
    assert!(!stderr.contains("pa55word"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!target.exists());
}
