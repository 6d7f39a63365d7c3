//! Liveness and readiness probes for process supervisors and load balancers.

use app::server::repo::Database;
use axum::{extract::State, http::StatusCode, response::Html};
use leptos::prelude::*;

/// The process is up and answering.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve real requests: the database answers.
pub async fn readyz(State(database): State<Database>) -> (StatusCode, &'static str) {
    match database.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// A small static page rendered by Leptos, reading neither the database nor
/// a session: the ceiling the load benchmarks (`.ci/bench-load`) compare
/// the real pages with. It sits behind the same middleware as the pages, so
/// the difference between them is the pages' own work.
pub async fn page() -> Html<String> {
    Html(static_page().to_html())
}

fn static_page() -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <title>"Reverie is up"</title>
            </head>
            <body>
                <main>
                    <h1>"Reverie is up"</h1>
                    <p>"This page is rendered without the database or a session."</p>
                </main>
            </body>
        </html>
    }
}
