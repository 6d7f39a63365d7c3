use leptos::prelude::*;
use leptos_meta::Title;

use crate::VERSION;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Reverie"</h1>
            <p class="lead">
                "A private place to reflect on your sessions, notice your countertransference, "
                "and bring exactly what you choose to supervision."
            </p>
            <p class="version">"Version " {VERSION}</p>
        </section>
        <section class="principles" aria-labelledby="principles-heading">
            <h2 id="principles-heading">"Private by default"</h2>
            <ul>
                <li>"Cases carry a code you choose, never a client's name."</li>
                <li>"Nothing you write is visible to anyone until you share a case."</li>
                <li>"Private notes stay private, whatever you share."</li>
                <li>"Sharing is scoped to one case and one supervisor, and you can revoke it."</li>
            </ul>
            <p><a href="/about">"How Reverie works"</a></p>
        </section>
    }
}
