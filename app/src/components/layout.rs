use leptos::prelude::*;
use leptos_router::components::A;

/// The header on every page: the product name and the main navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Reverie"</a>
            <nav aria-label="Main">
                <ul>
                    <li><A href="/">"Home"</A></li>
                    <li><A href="/about">"About"</A></li>
                </ul>
            </nav>
        </header>
    }
}
