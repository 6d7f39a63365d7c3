//! Reverie's application crate: pages, server functions, the pure domain and
//! (behind the `ssr` feature) the repository layer the server functions call.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::components::layout::{provide_current_user, SiteHeader};
use crate::pages::{
    about::AboutPage,
    account::AccountPage,
    admin::{AdminPage, SecurityEventsPage},
    analytics::{CaseAnalyticsPage, SharedCaseAnalyticsPage},
    case_print::PrintableCasePage,
    cases::{CasePage, CasesPage, DeleteCasePage, EditCasePage, NewCasePage},
    home::HomePage,
    invitation::AcceptInvitationPage,
    login::LoginPage,
    meetings::{
        EditMeetingPage, HoursPage, MeetingPage, MeetingsPage, RecordMeetingPage, StatementPage,
    },
    not_found::NotFoundPage,
    patterns::MyPatternsPage,
    reflection::ReflectionPage,
    reflection_editor::{EditReflectionPage, NewReflectionPage},
    reset_password::ResetPasswordPage,
    search::SearchPage,
    setup::SetupPage,
    sharing::{AccessLogPage, SharePage, ShareSettingsPage},
    supervision::{InboxPage, SharedCasePage, SharedReflectionPage},
};

/// The product's version, shown on the home page and in `server --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The HTML document around the app, rendered on the server only.
///
/// The scripts and the stylesheet are named as the build named them: with
/// cargo-leptos's `hash-files`, `reverie.<hash>.js` and so on, read from
/// `hash.txt` beside the server binary (`options.hash_files`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="Reflective practice and supervision for psychodynamic clinicians." />
        <Title formatter=|page: String| if page.is_empty() { "Reverie".to_string() } else { format!("{page} · Reverie") } />
        <Router>
            <Layout />
        </Router>
    }
}

/// Everything inside the router: the header, and the page for the address.
///
/// Pages render in `SsrMode::Async`: the server waits for their data before
/// sending anything, so a page can still choose its status (404) or redirect
/// to sign-in, which matters most without JavaScript.
#[component]
fn Layout() -> impl IntoView {
    provide_current_user();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <SiteHeader />
        <main id="main" tabindex="-1">
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/about") view=AboutPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=AcceptInvitationPage ssr=SsrMode::Async />
                <Route path=path!("/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                <Route path=path!("/admin/security") view=SecurityEventsPage ssr=SsrMode::Async />
                <Route path=path!("/cases") view=CasesPage ssr=SsrMode::Async />
                <Route path=path!("/cases/new") view=NewCasePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id") view=CasePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/edit") view=EditCasePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/delete") view=DeleteCasePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/reflections/new") view=NewReflectionPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/reflections/:reflection_id") view=ReflectionPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/reflections/:reflection_id/edit") view=EditReflectionPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/share") view=SharePage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/shares/:share_id") view=ShareSettingsPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/access") view=AccessLogPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/analytics") view=CaseAnalyticsPage ssr=SsrMode::Async />
                <Route path=path!("/cases/:case_id/print") view=PrintableCasePage ssr=SsrMode::Async />
                <Route path=path!("/meetings") view=MeetingsPage ssr=SsrMode::Async />
                <Route path=path!("/meetings/new") view=RecordMeetingPage ssr=SsrMode::Async />
                <Route path=path!("/meetings/hours") view=HoursPage ssr=SsrMode::Async />
                <Route path=path!("/meetings/hours/statement") view=StatementPage ssr=SsrMode::Async />
                <Route path=path!("/meetings/:meeting_id") view=MeetingPage ssr=SsrMode::Async />
                <Route path=path!("/meetings/:meeting_id/edit") view=EditMeetingPage ssr=SsrMode::Async />
                <Route path=path!("/patterns") view=MyPatternsPage ssr=SsrMode::Async />
                <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                <Route path=path!("/supervision") view=InboxPage ssr=SsrMode::Async />
                <Route path=path!("/supervision/cases/:case_id") view=SharedCasePage ssr=SsrMode::Async />
                <Route path=path!("/supervision/cases/:case_id/analytics") view=SharedCaseAnalyticsPage ssr=SsrMode::Async />
                <Route path=path!("/supervision/cases/:case_id/reflections/:reflection_id") view=SharedReflectionPage ssr=SsrMode::Async />
            </Routes>
        </main>
    }
}

/// Entry point of the WebAssembly bundle: hydrates the server-rendered page,
/// then marks `<body data-hydrated="true">` so tests and scripts can tell the
/// page has become interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    if let Some(body) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.body())
    {
        // Setting an attribute cannot fail on an HTML element; nothing to recover.
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
