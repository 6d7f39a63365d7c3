use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any path the app does not know; answers with status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Page not found" />
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. It may have moved, or you may not have access to it."</p>
        <p><a href="/">"Go to the home page"</a></p>
    }
}
