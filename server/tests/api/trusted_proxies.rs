//! Behind a reverse proxy: with `REVERIE_TRUSTED_PROXIES` naming the proxy,
//! the client forwarded in `X-Forwarded-For` is the one the audit log, the
//! devices list and the sign-in throttle see; without it the header changes
//! nothing. The test server's peer is always 127.0.0.1.

use app::domain::accounts::AuditAction;

use crate::{
    helpers::{spawn_app_with, TestApp, GOOD_PASSWORD},
    on_both_backends,
};

const THE_PROXY: (&str, &str) = ("REVERIE_TRUSTED_PROXIES", "127.0.0.1, ::1");

/// A sign-in as it arrives from a proxy that says it is forwarding for
/// `forwarded_for`, with `client`'s cookies.
async fn sign_in_forwarded(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/auth/login"))
        .header("origin", &app.address)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("request failed")
}

/// A sign-in style request (throttled like a sign-in) forwarded for
/// `forwarded_for`, or sent directly when it is `None`; returns the status.
async fn attempt_from(app: &TestApp, forwarded_for: Option<&str>) -> u16 {
    let mut request = app.client.post(app.url("/api/auth/x")).body("x=1");
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    request
        .send()
        .await
        .expect("request failed")
        .status()
        .as_u16()
}

/// The address each audit event of `action` was recorded with, oldest first.
async fn audited_addresses(app: &TestApp, action: AuditAction) -> Vec<String> {
    let mut events = app.database.recent_audit_events(100).await.unwrap();
    events.reverse();
    events
        .into_iter()
        .filter(|event| event.action == action)
        .map(|event| event.client_ip.unwrap_or_default())
        .collect()
}

on_both_backends! {
    async fn the_audit_log_and_devices_list_show_the_client_the_proxy_forwarded(backend: backend) {
        let app = spawn_app_with(backend, &[THE_PROXY]).await;
        app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
        let failed = sign_in_forwarded(&app, &app.client, "203.0.113.9", "ana@example.org", "a wrong guess").await;
        assert_eq!(failed.status(), 403);
        // What a client wrote before the proxy appended its address is not believed.
        let laptop = app.new_client();
        let signed_in = sign_in_forwarded(&app, &laptop, "192.0.2.66, 198.51.100.7", "ana@example.org", GOOD_PASSWORD).await;
        assert_eq!(signed_in.status(), 200);

        assert_eq!(audited_addresses(&app, AuditAction::SignInFailed).await, ["203.0.113.9"]);
        assert_eq!(audited_addresses(&app, AuditAction::SignInSucceeded).await, ["198.51.100.7"]);
        let sessions: serde_json::Value =
            serde_json::from_str(&laptop.get(app.url("/api/account/sessions")).send().await.unwrap().text().await.unwrap()).unwrap();
        let sessions = sessions.as_array().expect("a list of sessions");
        assert_eq!(sessions.len(), 1, "{sessions:?}");
        assert_eq!(sessions[0]["client_ip"], "198.51.100.7");
    }

    async fn the_throttle_counts_each_forwarded_client_apart(backend: backend) {
        let app = spawn_app_with(
            backend,
            &[THE_PROXY, ("REVERIE_AUTH_RATE_BURST", "3"), ("REVERIE_AUTH_RATE_PER_MINUTE", "1")],
        )
        .await;
        for attempt in 1..=3 {
            assert_ne!(attempt_from(&app, Some("203.0.113.9")).await, 429, "attempt {attempt} is within the burst");
        }
        assert_eq!(attempt_from(&app, Some("203.0.113.9")).await, 429);
        // The same client, whatever it claims to the left of its address.
        assert_eq!(attempt_from(&app, Some("192.0.2.1, 203.0.113.9")).await, 429);
        // Another client of the same proxy is not held back by it.
        assert_ne!(attempt_from(&app, Some("198.51.100.7")).await, 429);
        assert_ne!(attempt_from(&app, Some("2001:db8::7")).await, 429);
        // Nor is a request from the proxy's own host, sent without the header.
        assert_ne!(attempt_from(&app, None).await, 429);
    }

    async fn without_the_proxy_trusted_x_forwarded_for_is_ignored(backend: backend) {
        // Not configured at all, and configured with proxies other than the peer.
        for trusted_proxies in ["", "10.0.0.0/8, ::1"] {
            let app = spawn_app_with(
                backend,
                &[
                    ("REVERIE_TRUSTED_PROXIES", trusted_proxies),
                    ("REVERIE_AUTH_RATE_BURST", "3"),
                    ("REVERIE_AUTH_RATE_PER_MINUTE", "1"),
                ],
            )
            .await;
            app.create_user("ana@example.org", "Ana", GOOD_PASSWORD, false).await;
            let failed = sign_in_forwarded(&app, &app.client, "203.0.113.9", "ana@example.org", "a wrong guess").await;
            assert_eq!(failed.status(), 403, "{trusted_proxies:?}");
            assert_eq!(audited_addresses(&app, AuditAction::SignInFailed).await, ["127.0.0.1"], "{trusted_proxies:?}");

            // Claiming to be someone new each time earns no more attempts.
            assert_ne!(attempt_from(&app, Some("198.51.100.1")).await, 429, "{trusted_proxies:?}");
            assert_ne!(attempt_from(&app, Some("198.51.100.2")).await, 429, "{trusted_proxies:?}");
            assert_eq!(attempt_from(&app, Some("198.51.100.3")).await, 429, "{trusted_proxies:?}");
        }
    }
}
