use crate::on_both_backends;

on_both_backends! {
    async fn healthz_answers_while_the_process_runs(app: app) {
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");
    }

    async fn readyz_answers_when_the_database_does(app: app) {
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), 200);
    }

    async fn readyz_is_unavailable_when_the_database_is_not(app: app) {
        app.database.close().await;
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), 503);
        assert_eq!(response.text().await.unwrap(), "database unavailable");
        // The process itself is still alive.
        assert_eq!(app.get("/healthz").await.status(), 200);
    }

    async fn the_static_page_renders_without_the_database_or_a_session(app: app) {
        // No session: a fresh client without cookies; no database: closed.
        app.database.close().await;
        let response = app.new_client().get(app.url("/healthz/page")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        crate::security::assert_security_headers(response.headers(), "/healthz/page");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body = response.text().await.unwrap();
        assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
        assert!(body.contains("<h1>Reverie is up</h1>"), "{body}");
    }

    async fn every_response_carries_a_fresh_request_id(app: app) {
        let first = app.get("/healthz").await;
        let second = app.get("/no-such-page").await;
        let id = |response: &reqwest::Response| {
            response.headers().get("x-request-id").expect("x-request-id header").to_str().unwrap().to_string()
        };
        let (first, second) = (id(&first), id(&second));
        assert_eq!(first.len(), 32);
        assert_ne!(first, second);
    }

    async fn a_client_chosen_request_id_is_not_trusted(app: app) {
        let response = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", "forged-by-the-client")
            .send()
            .await
            .unwrap();
        let id = response.headers().get("x-request-id").unwrap().to_str().unwrap();
        assert_ne!(id, "forged-by-the-client");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
