use leptos::prelude::*;
use leptos_router::{
    components::{Redirect, A},
    hooks::use_location,
};

use crate::{
    api::{
        account::current_account,
        auth::SignOut,
        feedback::{header_counts, NavCounts},
    },
    components::browser_copy::{forget_plain_copies, send_plain_copies},
    domain::accounts::User,
};

/// The signed-in account as the page sees it, fetched again on every
/// navigation so that signing in or out shows at once.
pub type CurrentUser = Resource<Option<User>>;

pub fn provide_current_user() -> CurrentUser {
    let location = use_location();
    let resource = Resource::new(
        move || (location.pathname.get(), location.search.get()),
        |_| async move { current_account().await.ok().flatten() },
    );
    provide_context(resource);
    resource
}

/// The header's counts, fetched again on every navigation like the account.
fn header_counts_resource() -> Resource<NavCounts> {
    let location = use_location();
    Resource::new(
        move || (location.pathname.get(), location.search.get()),
        |_| async move { header_counts().await.unwrap_or_default() },
    )
}

/// The header on every page: the product name, the main navigation and the
/// account controls.
///
/// Both resources are made here, once, and only awaited inside the
/// `Transition`. During server rendering Leptos runs a `Suspend`'s body more
/// than once (to find what it waits for, then to render); a resource made
/// inside it was made anew each time, with its own request, while the
/// browser makes it once and hydrates with the first one's serialised
/// value. The counts change while a page renders (opening a reflection marks
/// its feedback read), so the header the server sent could show other
/// counts than the browser rendered, and hydration failed.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let current_user = expect_context::<CurrentUser>();
    let counts = header_counts_resource();
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Reverie"</a>
            <nav aria-label="Main">
                <ul>
                    <li><A href="/">"Home"</A></li>
                    <li><A href="/about">"About"</A></li>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match current_user.await {
                                Some(user) => {
                                    let counts = counts.await;
                                    view! { <SignedInLinks user counts sign_out /> }.into_any()
                                }
                                None => view! { <li><A href="/login">"Sign in"</A></li> }.into_any(),
                            }
                        })}
                    </Transition>
                </ul>
            </nav>
        </header>
    }
}

#[component]
fn SignedInLinks(user: User, counts: NavCounts, sign_out: ServerAction<SignOut>) -> impl IntoView {
    let owner = user.id.0;
    Effect::new(move |_| send_plain_copies(owner));
    view! {
        <li>
            <A href="/cases">"Cases"</A>
            {(counts.feedback_unread > 0).then(|| view! {
                " " <span class="badge" title="New feedback from supervision">{counts.feedback_unread}<span class="visually-hidden">" new feedback"</span></span>
            })}
        </li>
        {counts.supervising.then(|| view! {
            <li>
                <A href="/supervision">"Supervision"</A>
                {(counts.supervision_waiting > 0).then(|| view! {
                    " " <span class="badge" title="Waiting for you">{counts.supervision_waiting}<span class="visually-hidden">" waiting"</span></span>
                })}
            </li>
        })}
        <li><A href="/meetings">"Meetings"</A></li>
        <li><A href="/search">"Search"</A></li>
        <li><A href="/account">"Account"</A></li>
        {user.is_admin.then(|| view! { <li><A href="/admin">"Administration"</A></li> })}
        <li>
            <ActionForm action=sign_out attr:class="inline-form" on:submit=|_| forget_plain_copies()>
                <button type="submit" class="link-button">"Sign out"</button>
            </ActionForm>
        </li>
    }
}

/// Shows `children` to a signed-in person; anyone else is sent to sign in
/// and brought back here afterwards.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let current_user = expect_context::<CurrentUser>();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match current_user.await {
                    Some(_) => children.read_value()().into_any(),
                    None => {
                        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
                        view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
