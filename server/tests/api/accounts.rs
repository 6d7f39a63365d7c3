//! Accounts and sessions: every rule of the security baseline that concerns
//! them, over HTTP, on both backends.

use app::error::AppError;

use crate::{
    helpers::{app_error, execute_with, GOOD_PASSWORD},
    on_both_backends,
};

const REFUSED: &str = app::api::auth::SIGN_IN_REFUSED;

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("reverie_session="))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("reverie_session=")
        .to_string()
}

async fn change_password(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    current: &str,
    new: &str,
) -> reqwest::Response {
    let fields = [
        ("current_password", current),
        ("password", new),
        ("password_confirm", new),
    ];
    app.post_form_with(client, "/api/auth/password", &fields)
        .await
}

/// The account a bare session token signs in (a browser that kept it).
async fn signed_in_with_token(app: &crate::helpers::TestApp, token: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .get(app.url("/api/account/me"))
        .header("cookie", format!("reverie_session={token}"))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    body.get("email")
        .and_then(|email| email.as_str())
        .map(str::to_string)
}

async fn audit_actions(database: &app::server::repo::Database) -> Vec<String> {
    database
        .recent_audit_events(100)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.action.as_str().to_string())
        .collect()
}

on_both_backends! {

    async fn with_secure_cookies_the_session_cookie_is_host_prefixed_and_secure(backend: backend) {
        let app = crate::helpers::spawn_app_with(backend, &[("REVERIE_SECURE_COOKIES", "true")]).await;
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let origin = app.address.replace("http://", "https://");
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .header("origin", origin)
            .form(&[("email", "ana@example.org"), ("password", GOOD_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("__Host-reverie_session="), "{cookie}");
        assert!(cookie.contains("Secure"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
        assert!(!cookie.contains("Domain"), "{cookie}");
    }

    async fn signing_in_sets_a_hardened_session_cookie(app: app) {
        let user = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let response = app.sign_in("  ANA@example.org ", GOOD_PASSWORD).await;
        assert_eq!(response.status(), 200);
        let cookie = session_cookie(&response).expect("a session cookie");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
        // At least 128 bits of entropy: 32 random bytes, base64url.
        assert!(cookie_value(&cookie).len() >= 43, "{cookie}");
        assert_eq!(app.signed_in_email(&app.client).await.as_deref(), Some(user.email.as_str()));
    }

    async fn the_database_never_holds_the_session_token(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let token = cookie_value(&session_cookie(&app.sign_in("ana@example.org", GOOD_PASSWORD).await).unwrap());
        assert!(app.database.find_session(&token).await.unwrap().is_none());
        let hash = app::server::auth::tokens::token_hash(&token);
        assert!(app.database.find_session(&hash).await.unwrap().is_some());
    }

    async fn unknown_email_and_wrong_password_get_the_same_answer(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let wrong_password = app.sign_in("ana@example.org", "not the password").await;
        let unknown_email = app.sign_in("nobody@example.org", "not the password").await;
        assert_eq!(wrong_password.status(), unknown_email.status());
        assert_eq!(wrong_password.status(), 403);
        assert!(session_cookie(&wrong_password).is_none());
        assert_eq!(app_error(wrong_password).await, AppError::Refused(REFUSED.to_string()));
        assert_eq!(app_error(unknown_email).await, AppError::Refused(REFUSED.to_string()));
    }

    async fn missing_fields_are_named(app: app) {
        let response = app.sign_in("not-an-email", "").await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        assert!(error.field("email").is_some(), "{error:?}");
        assert_eq!(error.field("password").as_deref(), Some("Enter your password."));
    }

    async fn five_failures_lock_the_account_for_fifteen_minutes(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        for _ in 0..4 {
            let error = app_error(app.sign_in("ana@example.org", "wrong password").await).await;
            assert_eq!(error, AppError::Refused(REFUSED.to_string()));
        }
        let fifth = app_error(app.sign_in("ana@example.org", "wrong password").await).await;
        assert!(matches!(&fifth, AppError::Refused(message) if message.contains("try again in 15 minutes")), "{fifth:?}");
        // Even the right password is refused while locked.
        let response = app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        assert!(session_cookie(&response).is_none());
        let error = app_error(response).await;
        assert!(matches!(&error, AppError::Refused(message) if message.contains("Too many failed sign-ins")), "{error:?}");
        assert!(audit_actions(&app.database).await.contains(&"sign_in.refused_locked".to_string()));
    }

    async fn the_lock_ends_after_fifteen_minutes(app: app) {
        let user = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let sixteen_minutes_ago = app::server::auth::now_ms() - 16 * 60_000;
        for offset in 0..5 {
            app.database.record_sign_in_failure(user.id, sixteen_minutes_ago + offset).await.unwrap();
        }
        assert_eq!(app.sign_in("ana@example.org", GOOD_PASSWORD).await.status(), 200);
    }

    async fn signing_out_deletes_the_server_side_session(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let token = cookie_value(&session_cookie(&app.sign_in("ana@example.org", GOOD_PASSWORD).await).unwrap());
        let response = app.post_form("/api/auth/logout", &[]).await;
        assert_eq!(response.status(), 200);
        let cleared = session_cookie(&response).expect("the cookie is cleared");
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        // Replaying the old cookie finds nothing on the server.
        let replay = app.new_client();
        let me = replay
            .get(app.url("/api/account/me"))
            .header("cookie", format!("reverie_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(me.text().await.unwrap(), "null");
        assert!(audit_actions(&app.database).await.contains(&"sign_out".to_string()));
    }

    async fn each_sign_in_gets_a_new_session_id(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let first = cookie_value(&session_cookie(&app.sign_in("ana@example.org", GOOD_PASSWORD).await).unwrap());
        let second = cookie_value(&session_cookie(&app.sign_in("ana@example.org", GOOD_PASSWORD).await).unwrap());
        assert_ne!(first, second);
        // Signing in again from the same browser replaces its session.
        let hash = app::server::auth::tokens::token_hash(&first);
        assert!(app.database.find_session(&hash).await.unwrap().is_none());
    }

    async fn idle_sessions_end_after_thirty_minutes(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        let thirty_one_minutes_ago = app::server::auth::now_ms() - 31 * 60_000;
        execute_with(&app.database, "UPDATE sessions SET last_seen_at = $1", thirty_one_minutes_ago).await;
        assert_eq!(app.signed_in_email(&app.client).await, None);
    }

    async fn active_sessions_end_after_twelve_hours(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        execute_with(&app.database, "UPDATE sessions SET created_at = $1", app::server::auth::now_ms() - 12 * 3_600_000 - 1).await;
        assert_eq!(app.signed_in_email(&app.client).await, None);
    }

    async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let signed_in = app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        let token_before = cookie_value(&session_cookie(&signed_in).expect("a session cookie"));
        let laptop = app.new_client();
        app.sign_in_with(&laptop, "ana@example.org", GOOD_PASSWORD).await;

        let new_password = "quiet harbour lemon typewriter";
        let wrong = app
            .post_form("/api/auth/password", &[("current_password", "nope"), ("password", new_password), ("password_confirm", new_password)])
            .await;
        assert_eq!(wrong.status(), 422);
        assert_eq!(app_error(wrong).await.field("current_password").as_deref(), Some("This is not your current password."));

        let changed = app
            .post_form("/api/auth/password", &[("current_password", GOOD_PASSWORD), ("password", new_password), ("password_confirm", new_password)])
            .await;
        assert_eq!(changed.status(), 200);
        // This browser goes on, with a new token; the old one signs nobody in.
        let token_after = cookie_value(&session_cookie(&changed).expect("a new session cookie"));
        assert_ne!(token_after, token_before);
        assert_eq!(app.signed_in_email(&app.client).await.as_deref(), Some("ana@example.org"));
        assert_eq!(signed_in_with_token(&app, &token_before).await, None, "the old token is dead");
        assert_eq!(app.signed_in_email(&laptop).await, None, "other sessions end");
        assert_eq!(app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await.status(), 403);
        assert_eq!(app.sign_in_with(&app.new_client(), "ana@example.org", new_password).await.status(), 200);
        assert!(audit_actions(&app.database).await.contains(&"password.changed".to_string()));
    }

    async fn wrong_current_passwords_count_like_failed_sign_ins_and_are_throttled(backend: backend) {
        let app = crate::helpers::spawn_app_with(backend, &[("REVERIE_AUTH_RATE_BURST", "9"), ("REVERIE_AUTH_RATE_PER_MINUTE", "1")]).await;
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let laptop = app.new_client();
        app.sign_in_with(&laptop, "ana@example.org", GOOD_PASSWORD).await;
        let change = |current: &'static str| change_password(&app, &laptop, current, "quiet harbour lemon typewriter");
        for attempt in 1..=5 {
            assert_eq!(change("guess").await.status(), 422, "attempt {attempt}");
        }
        // The account is now locked, for the right password too, and for signing in.
        let locked = change(GOOD_PASSWORD).await;
        assert_eq!(locked.status(), 403);
        assert!(matches!(app_error(locked).await, AppError::Refused(message) if message.contains("locked")));
        assert_eq!(app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await.status(), 403);
        // Eight requests from this address so far (two sign-ins, six
        // changes) of its nine: the allowance runs out like for sign-ins.
        assert_ne!(change("guess").await.status(), 429);
        assert_eq!(change("guess").await.status(), 429);
    }

    async fn weak_new_passwords_are_refused_with_a_reason(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        for (weak, expected) in [("short", "at least 8"), ("password123", ""), (&"x".repeat(129), "at most 128")] {
            let response = app
                .post_form("/api/auth/password", &[("current_password", GOOD_PASSWORD), ("password", weak), ("password_confirm", weak)])
                .await;
            assert_eq!(response.status(), 422, "{weak}");
            let message = app_error(response).await.field("password").expect("a message at the password field");
            assert!(message.contains(expected), "{weak}: {message}");
        }
        let mismatch = app
            .post_form("/api/auth/password", &[("current_password", GOOD_PASSWORD), ("password", "quiet harbour lemon typewriter"), ("password_confirm", "quiet harbour lemon")])
            .await;
        assert_eq!(app_error(mismatch).await.field("password_confirm").as_deref(), Some("The two passwords are not the same."));
    }

    async fn people_see_and_end_their_own_sessions_only(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        let laptop = app.new_client();
        app.sign_in_with(&laptop, "ana@example.org", GOOD_PASSWORD).await;
        let ben = app.new_client();
        app.sign_in_with(&ben, "ben@example.org", GOOD_PASSWORD).await;

        let sessions: serde_json::Value =
            serde_json::from_str(&app.get("/api/account/sessions").await.text().await.unwrap()).unwrap();
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
        let laptop_session = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_i64().unwrap();

        // Ben cannot end Ana's session: not found, whatever the id.
        let response = app.post_form_with(&ben, "/api/account/end-session", &[("session_id", &laptop_session.to_string())]).await;
        assert_eq!(response.status(), 404);
        assert_eq!(app.signed_in_email(&laptop).await.as_deref(), Some("ana@example.org"));

        let response = app.post_form("/api/account/end-session", &[("session_id", &laptop_session.to_string())]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(app.signed_in_email(&laptop).await, None);
        assert_eq!(app.signed_in_email(&app.client).await.as_deref(), Some("ana@example.org"));
        assert!(audit_actions(&app.database).await.contains(&"session.ended".to_string()));
    }

    async fn visitors_are_asked_to_sign_in(app: app) {
        let response = app.get("/api/account/sessions").await;
        assert_eq!(response.status(), 401);
        assert_eq!(app_error(response).await, AppError::Unauthenticated);
    }

    async fn malformed_requests_get_400_with_a_message_not_500(app: app) {
        let response = app.post_form("/api/auth/login", &[("unexpected", "field")]).await;
        assert_eq!(response.status(), 400);
        let error = app_error(response).await;
        assert!(matches!(error, AppError::BadRequest(_)), "{error:?}");
        let response = app.post_form("/api/account/end-session", &[("session_id", "not a number")]).await;
        assert_eq!(response.status(), 400);
    }

    async fn internal_failures_reach_the_user_without_internals(app: app) {
        app.database.close().await;
        let response = app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        assert_eq!(response.status(), 500);
        let request_id = response.headers()["x-request-id"].to_str().unwrap().to_string();
        assert_eq!(request_id.len(), 32);
        let body = response.text().await.unwrap();
        assert_eq!(body, r#""Internal""#);
        for internal in ["sqlx", "pool", "SELECT", "database", "/src/"] {
            assert!(!body.contains(internal), "{body}");
        }
    }
}
