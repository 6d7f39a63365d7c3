//! How server functions answer HTML forms, with and without JavaScript.
//!
//! With JavaScript, `ActionForm` posts through `fetch`: success navigates
//! client-side to the page named by the server, failure leaves the form as it
//! is (everything typed kept) and shows the error from the action's value.
//!
//! Without JavaScript the browser posts the form itself and shows whatever
//! comes back, so every answer is a redirect: on success to the next page; on
//! failure back to the form, with the error encoded the way Leptos's
//! `ServerAction` reads it from the URL and the non-secret fields the user
//! typed as query parameters, which the form uses as its initial values.
//! (Our `Referrer-Policy: no-referrer` means the framework's own fallback,
//! redirecting to the `Referer`, cannot be used.)

use base64::{engine::general_purpose::URL_SAFE, Engine};
use http::request::Parts;
use leptos::{prelude::use_context, server_fn::error::FromServerFnError};

use crate::error::AppError;

/// Whether the request in hand is a browser's own form submission.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        })
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The form page a failed plain post returns to, and the typed fields worth
/// keeping (never passwords or tokens).
pub struct FormPage<'a> {
    pub path: &'a str,
    pub keep: &'a [(&'a str, &'a str)],
}

/// Sends the browser to `success_path` after a successful form action, or,
/// for a failed plain form post, back to the form. Returns the result.
pub fn answer_form(
    server_fn_path: &str,
    form: FormPage<'_>,
    result: Result<String, AppError>,
) -> Result<(), AppError> {
    match result {
        Ok(success_path) => {
            leptos_axum::redirect(&success_path);
            Ok(())
        }
        Err(error) => {
            if is_plain_form_post() {
                leptos_axum::redirect(&back_to_form(server_fn_path, &form, &error));
            }
            Err(error)
        }
    }
}

fn back_to_form(server_fn_path: &str, form: &FormPage<'_>, error: &AppError) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in form.keep {
        query.append_pair(name, value);
    }
    query.append_pair("__path", server_fn_path);
    query.append_pair("__err", &URL_SAFE.encode(error.ser()));
    format!("{}?{}", form.path, query.finish())
}

/// A path inside this site to continue to after signing in, or `/`. Refuses
/// anything that could leave the site (`//host`, `/\host`, schemes).
pub fn local_path_or_home(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control()) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_posts_return_to_the_form_with_kept_fields_and_the_error() {
        let form = FormPage {
            path: "/login",
            keep: &[("email", "ana@example.org")],
        };
        let url = back_to_form(
            "/api/auth/login",
            &form,
            &AppError::Refused("No.".to_string()),
        );
        assert!(
            url.starts_with("/login?email=ana%40example.org&__path=%2Fapi%2Fauth%2Flogin&__err="),
            "{url}"
        );
        let encoded = url.split("__err=").nth(1).unwrap();
        let decoded = AppError::de(URL_SAFE.decode(encoded.replace("%3D", "=")).unwrap().into());
        assert_eq!(decoded, AppError::Refused("No.".to_string()));
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path_or_home(Some("/account")), "/account");
        assert_eq!(local_path_or_home(Some("/cases/3?tab=a")), "/cases/3?tab=a");
        for outside in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "account",
            "",
        ] {
            assert_eq!(local_path_or_home(Some(outside)), "/", "{outside}");
        }
        assert_eq!(local_path_or_home(None), "/");
    }
}
