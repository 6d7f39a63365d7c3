//! The keys that seal the editor's copy of unsaved typing in the browser:
//! handed only to their account, stored sealed, forgotten once the copy
//! reached the server, and gone after 30 days. (That the browser's storage
//! never holds the text is the browser test `browser-copy.spec.ts`.)

use app::{
    domain::browser_copy::{BrowserCopyKey, KEY_LIFETIME_MS},
    error::AppError,
};

use crate::{
    casework::{create_case, reflection_form, short_reflection, therapist},
    helpers::{app_error, count, everything_stored, execute_with, TestApp},
    on_both_backends,
};

async fn new_key(app: &TestApp, client: &reqwest::Client) -> BrowserCopyKey {
    let response = app
        .post_form_with(client, "/api/browser-copies/new-key", &[])
        .await;
    assert_eq!(response.status(), 200);
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

async fn fetch_key(app: &TestApp, client: &reqwest::Client, id: i64) -> reqwest::Response {
    app.post_form_with(
        client,
        "/api/browser-copies/key",
        &[("id", &id.to_string())],
    )
    .await
}

on_both_backends! {
    async fn a_key_is_handed_to_its_account_only(app: app) {
        therapist(&app, &app.client, "tess@example.org").await;
        let key = new_key(&app, &app.client).await;
        let response = fetch_key(&app, &app.client, key.id).await;
        assert_eq!(response.status(), 200);
        let handed: BrowserCopyKey = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(handed, key);
        // Two pages get two keys.
        assert_ne!(new_key(&app, &app.client).await.key, key.key);

        let olga = app.new_client();
        therapist(&app, &olga, "olga@example.org").await;
        let response = fetch_key(&app, &olga, key.id).await;
        assert_eq!(response.status(), 404);
        assert_eq!(app_error(response).await, AppError::NotFound);
        assert_eq!(fetch_key(&app, &olga, key.id + 1000).await.status(), 404);

        let signed_out = app.new_client();
        assert_eq!(fetch_key(&app, &signed_out, key.id).await.status(), 401);
        assert_eq!(app.post_form_with(&signed_out, "/api/browser-copies/new-key", &[]).await.status(), 401);
    }

    async fn a_key_is_stored_sealed(app: app) {
        therapist(&app, &app.client, "tess@example.org").await;
        let key = new_key(&app, &app.client).await;
        let stored: Vec<_> = everything_stored(&app.database).await;
        assert!(stored.iter().all(|(_, value)| !value.contains(&key.key)));
        assert!(stored
            .iter()
            .any(|(place, value)| place == "browser_copy_keys.key_sealed" && value.starts_with("v2.")));
    }

    async fn the_key_of_a_copy_that_reached_the_server_is_forgotten(app: app) {
        therapist(&app, &app.client, "tess@example.org").await;
        let case = create_case(&app, &app.client, "T-01").await;
        let key = new_key(&app, &app.client).await;
        let other = new_key(&app, &app.client).await;
        let draft = reflection_form(case, &short_reflection(1, "2026-02-02"))
            .add("copy_key", key.id.to_string());
        let response = app
            .post_form_with(&app.client, "/api/reflections/keep-draft", &draft.fields())
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(fetch_key(&app, &app.client, key.id).await.status(), 404);
        // Only that key: the open page's own key still seals.
        assert_eq!(fetch_key(&app, &app.client, other.id).await.status(), 200);

        // Another account's key is not forgotten through a draft of mine.
        let olga = app.new_client();
        therapist(&app, &olga, "olga@example.org").await;
        let olgas = new_key(&app, &olga).await;
        let draft = reflection_form(case, &short_reflection(1, "2026-02-02"))
            .add("copy_key", olgas.id.to_string());
        let response = app
            .post_form_with(&app.client, "/api/reflections/keep-draft", &draft.fields())
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(fetch_key(&app, &olga, olgas.id).await.status(), 200);
    }

    async fn keys_expire_after_thirty_days_and_are_then_deleted(app: app) {
        therapist(&app, &app.client, "tess@example.org").await;
        let old = new_key(&app, &app.client).await;
        let recent = new_key(&app, &app.client).await;
        let sql = format!(
            "UPDATE browser_copy_keys SET created_at = created_at - $1 WHERE id = {}",
            old.id
        );
        execute_with(&app.database, &sql, KEY_LIFETIME_MS + 1).await;
        assert_eq!(fetch_key(&app, &app.client, old.id).await.status(), 404);
        assert_eq!(fetch_key(&app, &app.client, recent.id).await.status(), 200);
        // The next new key deletes the expired one.
        assert_eq!(count(&app, "browser_copy_keys").await, 2);
        new_key(&app, &app.client).await;
        assert_eq!(count(&app, "browser_copy_keys").await, 2);
        assert_eq!(
            count(&app, &format!("browser_copy_keys WHERE id = {}", old.id)).await,
            0
        );
    }
}
