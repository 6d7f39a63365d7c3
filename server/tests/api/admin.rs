//! Administration over HTTP: invitations, disabling, reset links, the
//! security log, first-run setup; and that none of it is open to others.

use app::error::AppError;

use crate::{
    admin_links::token_of_new_link,
    helpers::{app_error, execute_with, GOOD_PASSWORD},
    on_both_backends,
};

const NEW_PASSWORD: &str = "quiet harbour lemon typewriter";

on_both_backends! {
    async fn an_invitation_link_creates_one_account_once(app: app) {
        app.signed_in_admin().await;
        let response = app.post_form("/api/admin/invite", &[("email", "Ben@Example.org")]).await;
        assert_eq!(response.status(), 200);
        let token = token_of_new_link(response).await;

        let invitee = app.new_client();
        let email = invitee.get(app.url(&format!("/api/auth/invitation?token={token}"))).send().await.unwrap();
        assert_eq!(email.text().await.unwrap(), r#""ben@example.org""#);

        let accept = [("token", token.as_str()), ("display_name", "Ben Bell"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
        let response = app.post_form_with(&invitee, "/api/auth/accept-invitation", &accept).await;
        assert_eq!(response.status(), 200);
        assert_eq!(app.sign_in_with(&invitee, "ben@example.org", NEW_PASSWORD).await.status(), 200);
        assert_eq!(app.signed_in_email(&invitee).await.as_deref(), Some("ben@example.org"));

        let again = app.post_form_with(&app.new_client(), "/api/auth/accept-invitation", &accept).await;
        let error = app_error(again).await;
        assert!(matches!(&error, AppError::Refused(message) if message.contains("no longer valid")), "{error:?}");

        let actions: Vec<_> = app.database.recent_audit_events(50).await.unwrap().into_iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"invitation.created") && actions.contains(&"invitation.used"), "{actions:?}");
    }

    async fn invitations_expire_after_seven_days(app: app) {
        app.signed_in_admin().await;
        let token = token_of_new_link(app.post_form("/api/admin/invite", &[("email", "ben@example.org")]).await).await;
        execute_with(&app.database, "UPDATE invitations SET expires_at = $1", app::server::auth::now_ms() - 1).await;
        let accept = [("token", token.as_str()), ("display_name", "Ben"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
        let error = app_error(app.post_form_with(&app.new_client(), "/api/auth/accept-invitation", &accept).await).await;
        assert!(matches!(error, AppError::Refused(_)));
    }

    async fn an_invitation_link_lasts_exactly_seven_days(app: app) {
        app.signed_in_admin().await;
        app.post_form("/api/admin/invite", &[("email", "ben@example.org")]).await;
        let invitation = app.database.list_invitations().await.unwrap().remove(0);
        assert_eq!(invitation.expires_at - invitation.created_at, 7 * 24 * 3_600_000);
    }

    async fn accepting_checks_the_name_and_password_at_their_fields(app: app) {
        app.signed_in_admin().await;
        let token = token_of_new_link(app.post_form("/api/admin/invite", &[("email", "ben@example.org")]).await).await;
        let response = app
            .post_form_with(&app.new_client(), "/api/auth/accept-invitation", &[("token", &token), ("display_name", " "), ("password", "password1"), ("password_confirm", "password1")])
            .await;
        assert_eq!(response.status(), 422);
        let error = app_error(response).await;
        assert_eq!(error.field("display_name").as_deref(), Some("Enter the name others will see."));
        assert!(error.field("password").is_some());
        // The failed attempt did not use up the invitation.
        let accept = [("token", token.as_str()), ("display_name", "Ben"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
        assert_eq!(app.post_form_with(&app.new_client(), "/api/auth/accept-invitation", &accept).await.status(), 200);
    }

    async fn disabling_an_account_ends_its_sessions_at_once(app: app) {
        app.signed_in_admin().await;
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        let bens_browser = app.new_client();
        app.sign_in_with(&bens_browser, "ben@example.org", GOOD_PASSWORD).await;

        let response = app.post_form("/api/admin/disable", &[("user_id", &ben.id.0.to_string())]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(app.signed_in_email(&bens_browser).await, None);
        let error = app_error(app.sign_in_with(&bens_browser, "ben@example.org", GOOD_PASSWORD).await).await;
        assert!(matches!(&error, AppError::Refused(message) if message.contains("disabled")), "{error:?}");

        assert_eq!(app.post_form("/api/admin/enable", &[("user_id", &ben.id.0.to_string())]).await.status(), 200);
        assert_eq!(app.sign_in_with(&bens_browser, "ben@example.org", GOOD_PASSWORD).await.status(), 200);
        let actions: Vec<_> = app.database.recent_audit_events(50).await.unwrap().into_iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"account.disabled") && actions.contains(&"account.enabled"), "{actions:?}");
    }

    async fn administrators_cannot_disable_themselves(app: app) {
        let admin = app.signed_in_admin().await;
        let response = app.post_form("/api/admin/disable", &[("user_id", &admin.id.0.to_string())]).await;
        assert_eq!(response.status(), 403);
        assert_eq!(app.signed_in_email(&app.client).await.as_deref(), Some("admin@example.org"));
    }

    async fn a_reset_link_sets_a_new_password_once_and_ends_sessions(app: app) {
        app.signed_in_admin().await;
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        let bens_old_browser = app.new_client();
        app.sign_in_with(&bens_old_browser, "ben@example.org", GOOD_PASSWORD).await;

        let response = app.post_form("/api/admin/reset-link", &[("user_id", &ben.id.0.to_string())]).await;
        let token = token_of_new_link(response).await;
        let reset = [("token", token.as_str()), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
        assert_eq!(app.post_form_with(&app.new_client(), "/api/auth/reset-password", &reset).await.status(), 200);

        assert_eq!(app.signed_in_email(&bens_old_browser).await, None);
        assert_eq!(app.sign_in_with(&app.new_client(), "ben@example.org", GOOD_PASSWORD).await.status(), 403);
        assert_eq!(app.sign_in_with(&app.new_client(), "ben@example.org", NEW_PASSWORD).await.status(), 200);
        let again = app.post_form_with(&app.new_client(), "/api/auth/reset-password", &reset).await;
        assert!(matches!(app_error(again).await, AppError::Refused(_)));
        let actions: Vec<_> = app.database.recent_audit_events(50).await.unwrap().into_iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"reset_link.created") && actions.contains(&"reset_link.used"), "{actions:?}");
    }

    async fn administration_is_not_found_for_everyone_else(app: app) {
        let ben = app.create_user("ben@example.org", "Ben", GOOD_PASSWORD, false).await;
        app.sign_in("ben@example.org", GOOD_PASSWORD).await;
        for (path, fields) in [
            ("/api/admin/invite", vec![("email", "eve@example.org")]),
            ("/api/admin/disable", vec![("user_id", "1")]),
            ("/api/admin/enable", vec![("user_id", "1")]),
            ("/api/admin/reset-link", vec![("user_id", "1")]),
            ("/api/admin/revoke-invitation", vec![("invitation_id", "1")]),
            ("/api/admin/revoke-reset-link", vec![("reset_id", "1")]),
        ] {
            let response = app.post_form(path, &fields).await;
            assert_eq!(response.status(), 404, "{path}");
        }
        for path in ["/api/admin/accounts", "/api/admin/security-events", "/api/admin/new-link?revealed=invitation-1"] {
            assert_eq!(app.get(path).await.status(), 404, "{path}");
        }
        assert!(app.database.list_invitations().await.unwrap().is_empty());
        assert!(!app.database.find_user(ben.id).await.unwrap().unwrap().disabled);
        // Visitors are asked to sign in.
        assert_eq!(app.new_client().get(app.url("/api/admin/accounts")).send().await.unwrap().status(), 401);
    }

    async fn the_audit_log_records_who_what_when_and_from_where_but_no_secrets(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let failed = app.sign_in("ana@example.org", "my secret guess").await;
        let failed_request_id = failed.headers()["x-request-id"].to_str().unwrap().to_string();
        let signed_in = app.sign_in("ana@example.org", GOOD_PASSWORD).await;
        let token = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().split('=').nth(1).unwrap().to_string();

        let admin = app.create_user("admin@example.org", "Ada", GOOD_PASSWORD, true).await;
        let admin_browser = app.new_client();
        app.sign_in_with(&admin_browser, &admin.email, GOOD_PASSWORD).await;
        let body = admin_browser.get(app.url("/api/admin/security-events")).send().await.unwrap().text().await.unwrap();
        let events: serde_json::Value = serde_json::from_str(&body).unwrap();
        let events = &events["events"];
        let failure = events.as_array().unwrap().iter().find(|e| e["action"] == "SignInFailed").expect("the failure is logged");
        assert_eq!(failure["request_id"], failed_request_id.as_str());
        assert_eq!(failure["client_ip"], "127.0.0.1");
        assert_eq!(failure["target"], "ana@example.org");
        assert!(failure["occurred_at"].as_i64().unwrap() > 0);
        let success = events.as_array().unwrap().iter().find(|e| e["action"] == "SignInSucceeded" && e["actor"] == "ana@example.org");
        assert!(success.is_some(), "{body}");
        for secret in ["my secret guess", GOOD_PASSWORD, token.as_str()] {
            assert!(!body.contains(secret), "the log must not contain {secret}");
        }
    }

    async fn a_flood_of_failed_sign_ins_hides_no_event(app: app) {
        use app::{domain::accounts::AuditAction, server::repo::NewAuditEvent};
        app.signed_in_admin().await;
        let event = |action, target: &'static str| NewAuditEvent {
            occurred_at: 1_700_000_000_000,
            actor: None,
            action,
            target: Some(target),
            request_id: None,
            client_ip: Some("203.0.113.9"),
        };
        app.database.record_audit_event(&event(AuditAction::ResetLinkCreated, "ana@example.org")).await.unwrap();
        for _ in 0..250 {
            app.database.record_audit_event(&event(AuditAction::SignInFailed, "ben@example.org")).await.unwrap();
        }
        let page = |query: &'static str| {
            let app = &app;
            async move {
                let response = app.get(&format!("/api/admin/security-events{query}")).await;
                assert_eq!(response.status(), 200, "{query}");
                serde_json::from_str::<serde_json::Value>(&response.text().await.unwrap()).unwrap()
            }
        };
        let actions = |page: &serde_json::Value| -> Vec<String> {
            page["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
        };
        // The newest page is all failures…
        let newest = page("").await;
        assert_eq!(actions(&newest).len(), 100);
        assert!(actions(&newest).iter().all(|action| action == "SignInFailed"));
        // …but the reset link is one filter away, by kind or by account.
        let by_kind = page("?filter[action]=reset_link.created").await;
        assert_eq!(actions(&by_kind), ["ResetLinkCreated"]);
        assert!(by_kind["older"].is_null());
        let by_account = page("?filter[account]=ANA%40example.org").await;
        assert_eq!(actions(&by_account), ["ResetLinkCreated"]);
        // …and paging reaches it too, each event once.
        let mut seen = actions(&newest).len();
        let mut older = newest["older"].as_str().map(str::to_string);
        let mut found = false;
        while let Some(path) = older {
            let html = app.get(&path).await;
            assert_eq!(html.status(), 200, "{path}");
            let before = path.split("before=").nth(1).unwrap().split('&').next().unwrap().to_string();
            let response = app.get(&format!("/api/admin/security-events?filter[before]={before}")).await;
            let next: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
            seen += actions(&next).len();
            found |= actions(&next).iter().any(|action| action == "ResetLinkCreated");
            older = next["older"].as_str().map(str::to_string);
        }
        assert!(found);
        assert!(seen >= 251, "{seen}: every event once, the administrator's sign-in included");
        // The page, without JavaScript: the filter form and the filtered rows.
        let html = app.get("/admin/security?action=reset_link.created").await.text().await.unwrap();
        assert!(html.contains("Password reset link created") && !html.contains("Sign-in failed</td>"), "{html}");
        assert!(html.contains("name=\"action\""), "{html}");
        // A filter that cannot be read is reported at its field.
        let response = app.get("/admin/security?account=not-an-address").await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("Enter an email address, or leave it empty."));
    }

    async fn first_run_setup_needs_the_token_from_the_log(app: app) {
        let token = app.setup_token.clone().expect("a fresh instance offers setup");
        let mut fields = vec![("setup_token", "guessed"), ("email", "root@example.org"), ("display_name", "Root"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
        let response = app.post_form("/api/auth/setup", &fields).await;
        assert_eq!(response.status(), 422);
        assert!(app_error(response).await.field("setup_token").is_some());

        fields[0].1 = &token;
        assert_eq!(app.post_form("/api/auth/setup", &fields).await.status(), 200);
        assert_eq!(app.sign_in("root@example.org", NEW_PASSWORD).await.status(), 200);
        let me: serde_json::Value = serde_json::from_str(&app.get("/api/account/me").await.text().await.unwrap()).unwrap();
        assert_eq!(me["is_admin"], true);

        // Once an account exists, setup is closed for good.
        fields[1].1 = "second@example.org";
        assert_eq!(app.post_form_with(&app.new_client(), "/api/auth/setup", &fields).await.status(), 404);
    }

    async fn without_javascript_forms_redirect_with_errors_and_typed_fields(app: app) {
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let failed = app.post_plain_form("/api/auth/login", &[("email", "ana@example.org"), ("password", "wrong one")]).await;
        assert_eq!(failed.status(), 302);
        let location = failed.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?email=ana%40example.org"), "{location}");
        assert!(location.contains("__err="), "{location}");
        assert!(!location.contains("wrong"), "the password is never put in a URL: {location}");

        let page = app.get(&location).await.text().await.unwrap();
        assert!(page.contains(REFUSED_HTML), "the sign-in page shows the error");
        assert!(page.contains(r#"value="ana@example.org""#), "the email is kept");

        let signed_in = app
            .post_plain_form("/api/auth/login", &[("email", "ana@example.org"), ("password", GOOD_PASSWORD), ("next", "/account")])
            .await;
        assert_eq!(signed_in.status(), 302);
        assert_eq!(signed_in.headers()["location"], "/account");
        assert!(signed_in.headers().get("set-cookie").is_some());
    }
}

const REFUSED_HTML: &str = app::api::auth::SIGN_IN_REFUSED;
