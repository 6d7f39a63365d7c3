//! Turns the session cookie into the signed-in account, placed in the
//! request's extensions for server functions and pages to read.

use app::server::{auth::session::SessionSettings, repo::Database};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};

#[derive(Clone)]
pub struct SessionLayerState {
    pub database: Database,
    pub settings: SessionSettings,
}

pub async fn resolve_session(
    State(state): State<SessionLayerState>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|header| state.settings.token_from_cookie_header(header));
    if let Some(token) = token {
        match state.settings.resolve(&state.database, &token).await {
            Ok(Some(signed_in)) => {
                request.extensions_mut().insert(signed_in);
            }
            Ok(None) => {}
            // The request goes on as a visitor's; pages that need an account will say so.
            Err(error) => tracing::error!(%error, "could not look up the session"),
        }
    }
    next.run(request).await
}
