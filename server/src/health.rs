//! Liveness and readiness probes for process supervisors and load balancers.

use app::server::repo::Database;
use axum::{extract::State, http::StatusCode};

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
