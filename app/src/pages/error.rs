use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// What a user sees when a page cannot be shown: a short message, never internals.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status_code());
    }

    view! {
        <Title text="Something went wrong" />
        <h1>"Something went wrong"</h1>
        <p role="alert">{error.user_message()}</p>
        <p><a href="/">"Go to the home page"</a></p>
    }
}
