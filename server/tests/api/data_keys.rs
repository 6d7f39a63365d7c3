//! Sealed values bound to their place, and the data keys (privacy rule 7):
//! a value moved to another row, column or account does not open (a 500
//! with no details, never the moved text); `server rotate-key` re-seals
//! everything under a new key while the app serves; the start-up check
//! refuses a wrong key even without its record, and one of two servers
//! racing with different keys; values sealed before binding are re-sealed
//! at start.

use app::{
    domain::{accounts::UserId, cases::CaseId, reflection::ReflectionId},
    server::{
        crypto::FieldCipher,
        repo::{sealed_columns, DataKeyRefusal, Database, RepoError},
    },
};
use server::startup::{Application, StartupError};

use crate::{
    casework::{create_case, full_reflection, reflection_form, save_new_reflection, therapist},
    helpers::{everything_stored, fresh_database, test_config, TestApp, TEST_DATA_KEY},
    on_both_backends, with_pool,
};

const NEW_KEY: &str = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";
const OTHER_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const SECRET: &str = "Quillfeather";

fn cipher(keys: &str) -> FieldCipher {
    FieldCipher::from_hex(keys).unwrap()
}

/// Every stored value of a `_sealed` column (except the key markers).
async fn sealed_values(database: &Database) -> Vec<(String, String)> {
    everything_stored(database)
        .await
        .into_iter()
        .filter(|(place, value)| place.ends_with("_sealed") && !value.is_empty())
        .filter(|(place, _)| place != "data_keys.marker_sealed")
        .collect()
}

async fn set_value(database: &Database, sql: &str, value: &str, id: i64) {
    with_pool!(database, |pool| sqlx::query(sql)
        .bind(value)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))
    .unwrap();
}

async fn value_of(database: &Database, sql: &str, id: i64) -> String {
    with_pool!(database, |pool| sqlx::query_as::<_, (String,)>(sql)
        .bind(id)
        .fetch_one(pool)
        .await)
    .unwrap()
    .0
}

async fn value_of_id(database: &Database, sql: &str, id: i64) -> i64 {
    with_pool!(database, |pool| sqlx::query_as::<_, (i64,)>(sql)
        .bind(id)
        .fetch_one(pool)
        .await)
    .unwrap()
    .0
}

async fn start(database: &Database, keys: &str) -> Result<Application, StartupError> {
    Application::build_with_database(
        &test_config(&[("REVERIE_DATA_KEY", keys)]),
        database.clone(),
    )
    .await
}

/// A therapist with a case and a full reflection whose private notes hold
/// [`SECRET`].
async fn written(app: &TestApp, client: &reqwest::Client, email: &str) -> (CaseId, i64) {
    therapist(app, client, email).await;
    let case = create_case(app, client, "C-07").await;
    let mut reflection = full_reflection(1, "2026-02-02");
    reflection.private_notes = format!("{SECRET} said so.");
    let id = save_new_reflection(app, client, case, &reflection).await;
    (case, id.0)
}

async fn reflection_answer(
    app: &TestApp,
    client: &reqwest::Client,
    case: CaseId,
    id: i64,
) -> (u16, String) {
    let response = client
        .get(app.url("/api/reflections/get"))
        .query(&[
            ("case_id", case.0.to_string()),
            ("reflection_id", id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

on_both_backends! {
    async fn a_sealed_value_moved_to_another_row_column_or_account_does_not_open(app: app) {
        let ana = app.new_client();
        let (anas_case, anas) = written(&app, &ana, "ana@example.org").await;
        let ben = app.new_client();
        let (bens_case, bens) = written(&app, &ben, "ben@example.org").await;
        let (status, _) = reflection_answer(&app, &ben, bens_case, bens).await;
        assert_eq!(status, 200);

        // Ana's private notes copied into Ben's reflection: another row and account.
        let anas_notes = value_of(&app.database, "SELECT private_notes_sealed FROM reflections WHERE id = $1", anas).await;
        let bens_notes = value_of(&app.database, "SELECT private_notes_sealed FROM reflections WHERE id = $1", bens).await;
        set_value(&app.database, "UPDATE reflections SET private_notes_sealed = $1 WHERE id = $2", &anas_notes, bens).await;
        let (status, body) = reflection_answer(&app, &ben, bens_case, bens).await;
        assert_eq!(status, 500, "{body}");
        assert!(!body.contains(SECRET), "{body}");
        assert!(!body.contains("private_notes") && !body.contains("integrity"), "no details: {body}");
        set_value(&app.database, "UPDATE reflections SET private_notes_sealed = $1 WHERE id = $2", &bens_notes, bens).await;
        assert_eq!(reflection_answer(&app, &ben, bens_case, bens).await.0, 200);

        // Ana's private notes moved into her own enactment: another column.
        set_value(&app.database, "UPDATE reflections SET enactment_sealed = $1 WHERE id = $2", &anas_notes, anas).await;
        let (status, body) = reflection_answer(&app, &ana, anas_case, anas).await;
        assert_eq!(status, 500, "{body}");
        assert!(!body.contains(SECRET), "{body}");

    }

    async fn rotation_reseals_everything_while_the_app_serves_and_the_old_key_can_go(app: app) {
        let ana = app.new_client();
        let (case, id) = written(&app, &ana, "ana@example.org").await;
        let before = sealed_values(&app.database).await;
        assert!(before.len() > 10, "{before:?}");
        let old_id = cipher(TEST_DATA_KEY).sealing_key_id().to_string();
        assert!(before.iter().all(|(_, value)| value.starts_with(&format!("v2.{old_id}."))), "{before:?}");

        // Step 1: a server with the new key first and the old one after it.
        let ring = format!("{NEW_KEY},{TEST_DATA_KEY}");
        let rotating = start(&app.database, &ring).await.expect("a server with both keys starts");
        let serving = format!("http://{}", rotating.local_addr());
        tokio::spawn(rotating.serve_until(std::future::pending()));
        // A server given only the new key is refused while old values remain.
        match start(&app.database, NEW_KEY).await {
            Err(StartupError::DataKeys(DataKeyRefusal::MissingKey(missing))) => assert_eq!(missing, old_id),
            Err(error) => panic!("expected the missing old key, got {error}"),
            Ok(_) => panic!("started without the old key"),
        }

        // Step 2: rotate while that server keeps writing.
        let writing = async {
            for number in 2..6 {
                let form = reflection_form(case, &full_reflection(number, "2026-02-09")).add("intent", "save");
                let response = ana
                    .post(format!("{serving}/api/reflections/save"))
                    .header("origin", &serving)
                    .form(&form.fields())
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                assert_eq!(status, 200, "saving session {number}: {}", response.text().await.unwrap());
            }
        };
        let ring_cipher = cipher(&ring);
        let ((), rotated) = tokio::join!(writing, app.database.rotate_data_key(&ring_cipher, 1));
        let resealed = rotated.expect("rotation");
        assert!(resealed as usize >= before.len(), "{resealed} of {}", before.len());

        let after = sealed_values(&app.database).await;
        let new_id = cipher(NEW_KEY).sealing_key_id().to_string();
        let left: Vec<_> = after.iter().filter(|(_, value)| !value.starts_with(&format!("v2.{new_id}."))).collect();
        assert!(left.is_empty(), "not re-sealed: {left:?}");

        // Step 3: the old key can go; a server with the new key alone reads everything.
        let new_only = cipher(NEW_KEY);
        start(&app.database, NEW_KEY).await.expect("a server with the new key alone starts");
        let ana_id = UserId(value_of_id(&app.database, "SELECT owner_id FROM cases WHERE id = $1", case.0).await);
        let read = app.database.reflection_of(&new_only, ana_id, case, ReflectionId(id)).await;
        let read = read.expect("read with the new key").expect("Ana's reflection");
        assert_eq!(read.reflection.private_notes, format!("{SECRET} said so."));
        match start(&app.database, TEST_DATA_KEY).await {
            Err(StartupError::DataKeys(DataKeyRefusal::MissingKey(missing))) => assert_eq!(missing, new_id),
            Err(error) => panic!("expected the missing new key, got {error}"),
            Ok(_) => panic!("started with the discarded key"),
        }
    }

    async fn values_sealed_before_binding_are_resealed_at_start(app: app) {
        let ana = app.new_client();
        let (case, id) = written(&app, &ana, "ana@example.org").await;
        // Make the database look like one from before place binding: values
        // unbound, the old check row, no key record.
        let key = cipher(TEST_DATA_KEY);
        let notes = format!("{SECRET} said so, long ago.");
        set_value(&app.database, "UPDATE reflections SET private_notes_sealed = $1 WHERE id = $2", &key.seal_unbound(&notes), id).await;
        set_value(&app.database, "UPDATE cases SET names_to_watch_sealed = $1 WHERE id = $2", &key.seal_unbound("Ottoline"), case.0).await;
        set_value(&app.database, "INSERT INTO data_key_check (sealed, id) VALUES ($1, $2)", &key.seal_unbound("reverie data key"), 1).await;
        crate::helpers::execute_with(&app.database, "DELETE FROM data_keys WHERE added_at > $1", -1).await;
        assert_eq!(reflection_answer(&app, &ana, case, id).await.0, 500, "unbound values do not open as they are");

        match start(&app.database, OTHER_KEY).await {
            Err(StartupError::DataKeys(DataKeyRefusal::WrongKey(_))) => {}
            Err(error) => panic!("expected a wrong key, got {error}"),
            Ok(_) => panic!("started with another key"),
        }
        start(&app.database, TEST_DATA_KEY).await.expect("starts and re-seals");
        let resealed = sealed_values(&app.database).await;
        assert!(resealed.iter().all(|(_, value)| value.starts_with("v2.")), "{resealed:?}");
        let (status, body) = reflection_answer(&app, &ana, case, id).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(&notes), "{body}");
        assert!(everything_stored(&app.database).await.iter().all(|(place, _)| !place.starts_with("data_key_check.")), "the old check row is gone");
    }

    async fn a_lost_key_record_does_not_let_another_key_in(app: app) {
        let ana = app.new_client();
        written(&app, &ana, "ana@example.org").await;
        let old_id = cipher(TEST_DATA_KEY).sealing_key_id().to_string();
        crate::helpers::execute_with(&app.database, "DELETE FROM data_keys WHERE added_at > $1", -1).await;
        match start(&app.database, OTHER_KEY).await {
            Err(StartupError::DataKeys(DataKeyRefusal::MissingKey(missing))) => assert_eq!(missing, old_id),
            Err(error) => panic!("expected the missing key, got {error}"),
            Ok(_) => panic!("another key started on sealed data without a key record"),
        }
        start(&app.database, TEST_DATA_KEY).await.expect("the right key starts and is recorded again");
        assert!(start(&app.database, OTHER_KEY).await.is_err());
    }

    async fn of_two_servers_racing_with_different_keys_on_a_new_database_one_starts(backend: backend) {
        for _ in 0..3 {
            let (database, _guard) = fresh_database(backend).await;
            let (one, other) = (cipher(TEST_DATA_KEY), cipher(OTHER_KEY));
            let (first, second) = tokio::join!(
                database.check_data_keys(&one, 1),
                database.check_data_keys(&other, 1),
            );
            let started = [first.is_ok(), second.is_ok()];
            assert_eq!(started.iter().filter(|ok| **ok).count(), 1, "{first:?} {second:?}");
            for refused in [first, second].into_iter().filter_map(Result::err) {
                assert!(matches!(refused, RepoError::DataKeys(DataKeyRefusal::MissingKey(_)) | RepoError::Query(_)), "{refused:?}");
            }
        }
    }

    async fn every_sealed_column_of_the_schema_is_in_the_list_rotation_walks(database: database) {
        let (database, _guard) = database;
        let mut schema: Vec<String> = everything_columns(&database).await
            .into_iter()
            .filter(|column| column.ends_with("_sealed"))
            .filter(|column| column != "data_keys.marker_sealed" && column != "data_key_check.sealed")
            .collect();
        schema.sort();
        let mut listed: Vec<String> = sealed_columns::all().map(|column| format!("{}.{}", column.table, column.column)).collect();
        listed.sort();
        assert_eq!(listed, schema);
    }
}

/// Every `table.column` of the schema.
async fn everything_columns(database: &Database) -> Vec<String> {
    let sql = match database {
        Database::Sqlite(_) => "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
        Database::Postgres(_) => "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
    };
    with_pool!(database, |pool| sqlx::query_as::<_, (String, String)>(sql)
        .fetch_all(pool)
        .await)
    .unwrap()
    .into_iter()
    .map(|(table, column)| format!("{table}.{column}"))
    .collect()
}
