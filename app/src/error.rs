//! The one error type that crosses from the server to what a user sees.
//!
//! Server-side failures are converted into an [`AppError`] once, at the edge
//! (server function or handler). Internal causes are logged there with their
//! context and never serialised: the browser only learns the variant.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The request itself was malformed (not a validation failure of a field).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The browser could not reach the server, or the answer was unreadable.
    #[error("network error")]
    Network,
    /// Anything the user cannot act on; details are in the server log.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A short sentence for the page. Never contains internals.
    pub fn user_message(&self) -> String {
        match self {
            AppError::NotFound => "We could not find that page.".to_string(),
            AppError::BadRequest(reason) => format!("The request could not be understood: {reason}"),
            AppError::Network => {
                "Reverie could not reach the server. Check your connection and try again.".to_string()
            }
            AppError::Internal => {
                "Something went wrong on our side. Nothing you typed was sent elsewhere; please try again.".to_string()
            }
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Network => StatusCode::BAD_GATEWAY,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest("some fields were missing or malformed".to_string())
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed outside the application");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_errors_never_carry_their_text_to_the_user() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"users\" does not exist at /srv/app/src/db.rs:12".to_string(),
        ));
        assert_eq!(error, AppError::Internal);
        assert!(!error.user_message().contains("users"));
        assert!(!error.user_message().contains("/srv"));
    }

    #[test]
    fn malformed_arguments_are_a_bad_request_without_parser_details() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Args(
            "missing field `secret_column` at line 1".to_string(),
        ));
        assert!(matches!(error, AppError::BadRequest(_)));
        assert!(!error.user_message().contains("secret_column"));
    }

    #[test]
    fn unreachable_server_is_reported_as_network_trouble() {
        let error =
            AppError::from_server_fn_error(ServerFnErrorErr::Request("timeout".to_string()));
        assert_eq!(error, AppError::Network);
    }
}
