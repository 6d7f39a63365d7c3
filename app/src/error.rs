//! The one error type that crosses from the server to what a user sees.
//!
//! Server-side failures are converted into an [`AppError`] once, at the edge
//! (server function or handler). Internal causes are logged there with their
//! context and never serialised: the browser only learns the variant.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
    Bytes,
};
use serde::{Deserialize, Serialize};

use crate::domain::validation::FieldErrors;

/// How long a busy server asks to be left alone (`Retry-After`).
#[cfg(feature = "ssr")]
pub const BUSY_RETRY_AFTER_SECONDS: &str = "2";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Missing, or not the asker's to see: the two are indistinguishable.
    #[error("not found")]
    NotFound,
    /// The action needs a signed-in account.
    #[error("not signed in")]
    Unauthenticated,
    /// Some fields need correcting; messages are keyed by field name.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The action was refused for a reason the user can act on.
    #[error("refused: {0}")]
    Refused(String),
    /// The thing was changed elsewhere since the user opened it; nothing
    /// was overwritten.
    #[error("edit conflict")]
    Conflict,
    /// The thing can no longer be changed in this way (a signed-off
    /// meeting record); the message says why and what to do instead.
    #[error("locked: {0}")]
    Locked(String),
    /// The request itself was malformed (not a validation failure of a field).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The browser could not reach the server, or the answer was unreadable.
    #[error("network error")]
    Network,
    /// The server is too busy to take this now; try again in a moment.
    #[error("busy")]
    Busy,
    /// Anything the user cannot act on; details are in the server log.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A short sentence for the page. Never contains internals.
    pub fn user_message(&self) -> String {
        match self {
            AppError::NotFound => "We could not find that page.".to_string(),
            AppError::Unauthenticated => "Please sign in to continue.".to_string(),
            AppError::Invalid(_) => "Please correct the fields marked below.".to_string(),
            AppError::Refused(reason) | AppError::Locked(reason) => reason.clone(),
            AppError::Conflict => "This was changed elsewhere after you opened it. Nothing was overwritten: compare the two versions and choose.".to_string(),
            AppError::BadRequest(reason) => format!("The request could not be understood: {reason}"),
            AppError::Network => {
                "Reverie could not reach the server. Check your connection and try again.".to_string()
            }
            AppError::Busy => {
                "Reverie is busy with other requests. Nothing was changed; try again in a few seconds."
                    .to_string()
            }
            AppError::Internal => {
                "Something went wrong on our side. Nothing you typed was sent elsewhere; please try again."
                    .to_string()
            }
        }
    }

    /// The message for one form field, if this error has one.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid(fields) => fields.get(name).map(str::to_string),
            _ => None,
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Refused(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict | AppError::Locked(_) => StatusCode::CONFLICT,
            AppError::Network => StatusCode::BAD_GATEWAY,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(fields: FieldErrors) -> Self {
        AppError::Invalid(fields)
    }
}

#[cfg(feature = "ssr")]
impl From<crate::server::repo::RepoError> for AppError {
    fn from(error: crate::server::repo::RepoError) -> Self {
        if matches!(error, crate::server::repo::RepoError::NotFound) {
            return AppError::NotFound;
        }
        if matches!(error, crate::server::repo::RepoError::Sealed(_)) {
            // Names the table, column and row; never the text.
            tracing::error!(%error, "integrity error: stored clinical text did not open");
        } else {
            tracing::error!(%error, "database operation failed");
        }
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::server::auth::passwords::HashingError> for AppError {
    fn from(error: crate::server::auth::passwords::HashingError) -> Self {
        if matches!(error, crate::server::auth::passwords::HashingError::Busy) {
            tracing::warn!("password checks queue full: answered busy");
            return AppError::Busy;
        }
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
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

    /// Encodes the error for the response. On the server this is the one
    /// point every server function's error passes through on its way out, so
    /// it also sets the HTTP status (server functions otherwise answer 500
    /// for any error), except for plain form posts, which are redirected back
    /// to their form (see `server::forms`).
    fn ser(&self) -> Bytes {
        #[cfg(feature = "ssr")]
        if !crate::server::forms::is_plain_form_post() {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(self.status_code());
                if *self == AppError::Busy {
                    response.insert_header(
                        http::header::RETRY_AFTER,
                        http::HeaderValue::from_static(BUSY_RETRY_AFTER_SECONDS),
                    );
                }
            }
        }
        let encoded = serde_json::to_vec(self).unwrap_or_else(|_| br#""Internal""#.to_vec());
        Bytes::from(encoded)
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

    #[test]
    fn errors_survive_the_trip_to_the_browser() {
        let mut fields = FieldErrors::new();
        fields.add("email", "Enter an email address.");
        for error in [
            AppError::Invalid(fields),
            AppError::Refused("Locked.".to_string()),
            AppError::Internal,
        ] {
            assert_eq!(AppError::de(error.ser()), error);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_busy_server_answers_503_with_a_short_message() {
        assert_eq!(
            AppError::Busy.status_code(),
            http::StatusCode::SERVICE_UNAVAILABLE
        );
        assert!(AppError::Busy.user_message().contains("try again"));
        let busy = crate::server::auth::passwords::HashingError::Busy;
        assert_eq!(AppError::from(busy), AppError::Busy);
    }

    #[test]
    fn field_messages_are_found_by_name() {
        let mut fields = FieldErrors::new();
        fields.add("password", "Use at least 8 characters.");
        let error = AppError::Invalid(fields);
        assert_eq!(
            error.field("password").as_deref(),
            Some("Use at least 8 characters.")
        );
        assert_eq!(error.field("email"), None);
        assert_eq!(AppError::Internal.field("password"), None);
    }
}
