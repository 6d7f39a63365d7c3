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

/// Failures counted on the account's shared gate.
async fn gate_failures(
    app: &crate::helpers::TestApp,
    user_id: app::domain::accounts::UserId,
) -> i64 {
    app.database
        .sign_in_gate_state(app::server::repo::SignInGate::Account(user_id))
        .await
        .unwrap()
        .map_or(0, |(failures, _)| failures)
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

    async fn unknown_email_wrong_password_and_too_soon_get_the_same_answer(app: app) {
        let user = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let wrong_password = app.sign_in("ana@example.org", "not the password").await;
        let unknown_email = app.sign_in("nobody@example.org", "not the password").await;
        // The account's gate closed (as after many failures): even the right password waits.
        execute_with(&app.database, "UPDATE sign_in_guards SET next_attempt_at = $1", app::server::auth::now_ms() + 60_000).await;
        let too_soon = app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await;
        let mut answers = Vec::new();
        for response in [wrong_password, unknown_email, too_soon] {
            assert!(session_cookie(&response).is_none());
            let set_cookies = response.headers().get_all("set-cookie").iter().count();
            answers.push((response.status(), set_cookies, response.text().await.unwrap()));
        }
        assert_eq!(answers[0].0, 403);
        assert_eq!(answers[0], answers[1], "unknown email");
        assert_eq!(answers[0], answers[2], "too soon");
        assert_eq!(serde_json::from_str::<AppError>(&answers[0].2).unwrap(), AppError::Refused(REFUSED.to_string()));
        let actions = audit_actions(&app.database).await;
        assert!(actions.contains(&"sign_in.refused_locked".to_string()), "{actions:?}");
        assert_eq!(gate_failures(&app, user.id).await, 1, "a refusal is not a check");
    }

    async fn missing_fields_are_named(app: app) {
        let response = app.sign_in("not-an-email", "").await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        assert!(error.field("email").is_some(), "{error:?}");
        assert_eq!(error.field("password").as_deref(), Some("Enter your password."));
    }

    async fn after_five_failures_new_browsers_wait_but_a_known_device_signs_in(app: app) {
        let user = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        // Ana's usual browser signed in before, and signed out.
        let usual = app.new_client();
        let first = app.sign_in_with(&usual, "ana@example.org", GOOD_PASSWORD).await;
        let device_cookie = first
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("reverie_device="))
            .expect("a known-device cookie")
            .to_string();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(device_cookie.contains(attribute), "{device_cookie}");
        }
        assert_eq!(app.post_form_with(&usual, "/api/auth/logout", &[]).await.status(), 200);

        // Someone else guesses.
        let guesser = app.new_client();
        for _ in 0..5 {
            let error = app_error(app.sign_in_with(&guesser, "ana@example.org", "wrong password").await).await;
            assert_eq!(error, AppError::Refused(REFUSED.to_string()));
        }
        assert_eq!(gate_failures(&app, user.id).await, 5);
        // A browser the account has not seen waits, even with the right password…
        let response = app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await;
        assert!(session_cookie(&response).is_none());
        assert_eq!(app_error(response).await, AppError::Refused(REFUSED.to_string()));
        assert!(audit_actions(&app.database).await.contains(&"sign_in.refused_locked".to_string()));
        // …and so does a wrong guess, which is not even checked.
        app.sign_in_with(&guesser, "ana@example.org", "another guess").await;
        assert_eq!(gate_failures(&app, user.id).await, 5);
        // Ana's usual browser is not held up by them.
        let response = app.sign_in_with(&usual, "ana@example.org", GOOD_PASSWORD).await;
        assert_eq!(response.status(), 200);
        assert!(session_cookie(&response).is_some());
        assert_eq!(app.signed_in_email(&usual).await.as_deref(), Some("ana@example.org"));
        // Her success there does not reopen the gate the guesser closed.
        assert_eq!(app.sign_in_with(&guesser, "ana@example.org", GOOD_PASSWORD).await.status(), 403);
    }

    async fn a_known_device_counts_its_own_failures(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let usual = app.new_client();
        app.sign_in_with(&usual, "ana@example.org", GOOD_PASSWORD).await;
        app.post_form_with(&usual, "/api/auth/logout", &[]).await;
        for _ in 0..5 {
            assert_eq!(app.sign_in_with(&usual, "ana@example.org", "wrong password").await.status(), 403);
        }
        // A stolen laptop gets no more guesses than anyone: now it waits too…
        let waiting = app.sign_in_with(&usual, "ana@example.org", GOOD_PASSWORD).await;
        assert_eq!(app_error(waiting).await, AppError::Refused(REFUSED.to_string()));
        // …while the account's shared gate is untouched.
        assert_eq!(app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await.status(), 200);
    }

    async fn the_delay_ends_and_a_success_forgets_the_failures(app: app) {
        let user = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        for _ in 0..6 {
            app.sign_in("ana@example.org", "wrong password").await;
        }
        assert_eq!(gate_failures(&app, user.id).await, 5, "the sixth came too soon");
        execute_with(&app.database, "UPDATE sign_in_guards SET next_attempt_at = $1", app::server::auth::now_ms() - 1).await;
        assert_eq!(app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await.status(), 200);
        assert_eq!(gate_failures(&app, user.id).await, 0);
    }

    async fn twenty_concurrent_guesses_on_two_servers_get_at_most_five_checks(backend: backend) {
        let settings = [("REVERIE_AUTH_RATE_BURST", "1000")];
        let app = crate::helpers::spawn_app_with(backend, &settings).await;
        let user = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        // A second app server on the same database: nothing is shared
        // between the two but the database.
        let second = server::startup::Application::build_with_database(&crate::helpers::test_config(&settings), app.database.clone())
            .await
            .unwrap();
        let servers = [app.address.clone(), format!("http://{}", second.local_addr())];
        tokio::spawn(second.serve_until(std::future::pending()));
        let guesses: Vec<_> = (0..20)
            .map(|attempt| {
                let (client, origin) = (app.new_client(), servers[attempt % 2].clone());
                tokio::spawn(async move {
                    let password = format!("guess number {attempt}");
                    client
                        .post(format!("{origin}/api/auth/login"))
                        .header("origin", origin)
                        .form(&[("email", "ana@example.org"), ("password", password.as_str())])
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for guess in guesses {
            statuses.push(guess.await.unwrap().as_u16());
        }
        // Refused, or (past the hashing queue) busy; never signed in.
        assert!(statuses.iter().all(|status| [403, 503].contains(status)), "{statuses:?}");
        let checked = audit_actions(&app.database).await.iter().filter(|action| *action == "sign_in.failed").count();
        assert!((1..=5).contains(&checked), "{checked} passwords checked: {statuses:?}");
        assert_eq!(gate_failures(&app, user.id).await, checked as i64);
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

    async fn a_session_writes_its_last_seen_time_at_most_once_a_minute(app: app) {
        use app::server::auth::{now_ms, session::LAST_SEEN_INTERVAL_MS};
        let ana = app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        let stored = || async { app.database.list_sessions(ana.id, None).await.unwrap()[0].last_seen_at };
        let request = || async {
            assert_eq!(app.signed_in_email(&app.client).await.as_deref(), Some("ana@example.org"));
        };
        let a_minute_ago = || now_ms() - LAST_SEEN_INTERVAL_MS - 1;

        // Last seen over a minute ago: the first request writes the time,
        // the next one, right after, leaves it.
        execute_with(&app.database, "UPDATE sessions SET last_seen_at = $1", a_minute_ago()).await;
        let before = now_ms();
        request().await;
        let written = stored().await;
        assert!(written >= before, "written at the first request");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        request().await;
        assert_eq!(stored().await, written, "not written again within the minute");

        // A minute on, the next request writes it again.
        execute_with(&app.database, "UPDATE sessions SET last_seen_at = $1", a_minute_ago()).await;
        let later = now_ms();
        request().await;
        assert!(stored().await >= later, "written again after the minute");
    }

    async fn the_devices_list_shows_the_device_asking_as_active_now(app: app) {
        use app::server::auth::{now_ms, session::LAST_SEEN_INTERVAL_MS};
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        let laptop = app.new_client();
        app.sign_in_with(&laptop, "ana@example.org", GOOD_PASSWORD).await;
        // Both were last written less than a minute ago, so this request
        // leaves them as they are.
        let half_a_minute_ago = now_ms() - LAST_SEEN_INTERVAL_MS / 2;
        execute_with(&app.database, "UPDATE sessions SET last_seen_at = $1", half_a_minute_ago).await;

        let before = now_ms();
        let sessions: serde_json::Value =
            serde_json::from_str(&app.get("/api/account/sessions").await.text().await.unwrap()).unwrap();
        let last_seen = |current: bool| {
            sessions.as_array().unwrap().iter().find(|s| s["current"] == current).unwrap()["last_seen_at"].as_i64().unwrap()
        };
        assert!(last_seen(true) >= before, "this device is in use now");
        assert_eq!(last_seen(false), half_a_minute_ago, "the laptop as stored");
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
        let app = crate::helpers::spawn_app_with(backend, &[("REVERIE_AUTH_RATE_BURST", "10"), ("REVERIE_AUTH_RATE_PER_MINUTE", "1")]).await;
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let laptop = app.new_client();
        app.sign_in_with(&laptop, "ana@example.org", GOOD_PASSWORD).await;
        let change = |current: &'static str| change_password(&app, &laptop, current, "quiet harbour lemon typewriter");
        for attempt in 1..=5 {
            assert_eq!(change("guess").await.status(), 422, "attempt {attempt}");
        }
        // This browser now waits, for the right password too…
        let waiting = change(GOOD_PASSWORD).await;
        assert_eq!(waiting.status(), 403);
        assert_eq!(app_error(waiting).await, AppError::Refused(app::api::account::CHANGE_REFUSED_WAIT.to_string()));
        let actions = audit_actions(&app.database).await;
        assert_eq!(actions.iter().filter(|action| *action == "sign_in.failed").count(), 5, "{actions:?}");
        assert!(actions.contains(&"sign_in.refused_locked".to_string()), "{actions:?}");
        // …and for signing in again (it is a known device, with its own gate),
        // while the account's gate, shared by other browsers, is untouched.
        assert_eq!(app.sign_in_with(&laptop, "ana@example.org", GOOD_PASSWORD).await.status(), 403);
        assert_eq!(app.sign_in_with(&app.new_client(), "ana@example.org", GOOD_PASSWORD).await.status(), 200);
        // Nine requests from this address so far (three sign-ins, six
        // changes) of its ten: the allowance runs out like for sign-ins.
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
