use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::{
        admin::{
            accounts_overview, security_events, DisableAccount, EnableAccount, SecurityEventsView,
            SECURITY_EVENTS_PATH,
        },
        admin_links::{new_link, CreateResetLink, Invite, RevokeInvitation, RevokeResetLink},
    },
    components::{
        form::{action_error, field_error, typed_value, Field, FormAlert, Select, SubmitButton},
        layout::RequireSignIn,
    },
    domain::{
        accounts::{AuditAction, Invitation, User},
        admin_links::{LinkKind, OpenResetLink, RevealedLink, REVEALED_PARAMETER},
        audit::AuditFilterInput,
        time::{format_utc_date, format_utc_minute},
    },
    error::AppError,
    pages::{error::ErrorPage, not_found::NotFoundPage},
};

/// Accounts and invitations. Administrators only; anyone else gets the
/// not-found page.
#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let invite = ServerAction::<Invite>::new();
    let disable = ServerAction::<DisableAccount>::new();
    let enable = ServerAction::<EnableAccount>::new();
    let reset = ServerAction::<CreateResetLink>::new();
    let revoke_invitation = ServerAction::<RevokeInvitation>::new();
    let revoke_reset = ServerAction::<RevokeResetLink>::new();
    let overview = Resource::new(
        move || {
            (
                query.read().to_query_string(),
                invite.version().get(),
                reset.version().get(),
                disable.version().get(),
                enable.version().get(),
                revoke_invitation.version().get(),
                revoke_reset.version().get(),
            )
        },
        |_| accounts_overview(),
    );
    // Made here, not in the views below that re-render when the overview
    // is read again: the link is given out once, so it is asked for once.
    let revealed = Memo::new(move |_| query.read().get(REVEALED_PARAMETER));
    let revealed_link = Resource::new(
        move || revealed.get(),
        |revealed| async move {
            match revealed {
                Some(revealed) => new_link(revealed).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let created = RwSignal::new(None::<RevealedLink>);
    Effect::new(move |_| {
        if let Some(Ok(Some(link))) = invite.value().get() {
            created.set(Some(link));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(link))) = reset.value().get() {
            created.set(Some(link));
        }
    });
    view! {
        <Title text="Administration" />
        <RequireSignIn>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => {
                            let revealed = revealed_link.await;
                            view! {
                                <h1>"Administration"</h1>
                                <p><A href="/admin/security">"Security events"</A></p>
                                <NewLink revealed created />
                                <InviteForm action=invite />
                                <AccountsTable users=overview.users me=overview.me disable enable reset />
                                <ResetLinksTable links=overview.reset_links revoke=revoke_reset />
                                <InvitationsTable invitations=overview.invitations read_at=overview.read_at revoke=revoke_invitation />
                            }.into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Transition>
        </RequireSignIn>
    }
}

/// A just-created invitation or reset link, shown once to the
/// administrator who created it: from the answer to the form's post (with
/// JavaScript, `created`) or from the page named in the address after a
/// plain post (`?revealed=invitation-12`, never the token).
#[component]
fn NewLink(
    revealed: Result<Option<Option<RevealedLink>>, AppError>,
    created: RwSignal<Option<RevealedLink>>,
) -> impl IntoView {
    move || {
        match (created.get(), revealed.clone()) {
        (Some(link), _) | (None, Ok(Some(Some(link)))) => {
            Some(view! { <NewLinkBox link /> }.into_any())
        }
        (None, Ok(None)) => None,
        (None, Ok(Some(None))) => Some(view! {
            <p class="notice" role="status">
                "This link was shown once and is not shown again. If it was lost, revoke it below and create a new one."
            </p>
        }.into_any()),
        (None, Err(error)) => Some(view! { <p class="form-alert" role="alert">{error.user_message()}</p> }.into_any()),
    }
    }
}

#[component]
fn NewLinkBox(link: RevealedLink) -> impl IntoView {
    let (message, label, id) = match link.kind {
        LinkKind::Invitation => (
            "Invitation created. Send this link to the person you invited; it works once, for 7 days, and is not shown again.",
            "Invitation link",
            "new-invitation-link",
        ),
        LinkKind::Reset => (
            "Password reset link created. Give it to the account's owner; it works once, for 24 hours, and is not shown again. Any earlier unused reset link for this account no longer works. Whoever opens it can sign in as that person, who will be told at their next sign-in.",
            "Reset link",
            "new-reset-link",
        ),
    };
    view! {
        <div class="notice" role="status">
            <p>{message}</p>
            <label for=id>{label}</label>
            <input id=id class="link-output" readonly=true value=link.url />
        </div>
    }
}

#[component]
fn InviteForm(action: ServerAction<Invite>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite someone"</h2>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert error />
                <Field label="Email address" name="email" kind="email" value=typed_value("email") autocomplete="off" required=true error=field_error(error, "email") />
                <SubmitButton label="Create invitation link" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn AccountsTable(
    users: Vec<User>,
    me: User,
    disable: ServerAction<DisableAccount>,
    enable: ServerAction<EnableAccount>,
    reset: ServerAction<CreateResetLink>,
) -> impl IntoView {
    let errors = [
        action_error(disable),
        action_error(enable),
        action_error(reset),
    ];
    let error = Signal::derive(move || errors.iter().find_map(|error| error.get()));
    view! {
        <section aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">"Accounts"</h2>
            <FormAlert error />
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Since"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|user| {
                            let is_me = user.id == me.id;
                            let id = user.id.0;
                            view! {
                                <tr>
                                    <td>{user.display_name.clone()}</td>
                                    <td>{user.email.clone()}</td>
                                    <td>{if user.is_admin { "Administrator" } else { "Clinician" }}</td>
                                    <td>{if user.disabled { "Disabled" } else { "Active" }}</td>
                                    <td>{format_utc_date(user.created_at)}</td>
                                    <td class="actions">
                                        {(!is_me).then(|| if user.disabled {
                                            view! {
                                                <ActionForm action=enable attr:class="inline-form">
                                                    <input type="hidden" name="user_id" value=id />
                                                    <button type="submit" class="button-secondary">"Enable"</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=disable attr:class="inline-form">
                                                    <input type="hidden" name="user_id" value=id />
                                                    <button type="submit" class="button-secondary">"Disable"</button>
                                                </ActionForm>
                                            }.into_any()
                                        })}
                                        <ActionForm action=reset attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=id />
                                            <button type="submit" class="button-secondary">"Create reset link"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Reset links that can still be used, each with a button to revoke it.
#[component]
fn ResetLinksTable(
    links: Vec<OpenResetLink>,
    revoke: ServerAction<RevokeResetLink>,
) -> impl IntoView {
    let error = action_error(revoke);
    view! {
        <section aria-labelledby="reset-links-heading">
            <h2 id="reset-links-heading">"Open reset links"</h2>
            <FormAlert error />
            {if links.is_empty() {
                view! { <p>"No reset link can be used now."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">"Account"</th>
                                <th scope="col">"Created"</th>
                                <th scope="col">"By"</th>
                                <th scope="col">"Open until"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {links.into_iter().map(|link| view! {
                                <tr>
                                    <td>{link.email}</td>
                                    <td>{format_utc_minute(link.created_at)}</td>
                                    <td>{link.created_by}</td>
                                    <td>{format_utc_minute(link.expires_at)}</td>
                                    <td class="actions">
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="reset_id" value=link.id />
                                            <button type="submit" class="button-secondary">"Revoke"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn InvitationsTable(
    invitations: Vec<Invitation>,
    read_at: i64,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let error = action_error(revoke);
    if invitations.is_empty() {
        return view! { <p>"No invitations yet."</p> }.into_any();
    }
    view! {
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">"Invitations"</h2>
            <FormAlert error />
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {invitations
                        .into_iter()
                        .map(|invitation| {
                            let open = invitation.used_at.is_none()
                                && invitation.revoked_at.is_none()
                                && invitation.expires_at > read_at;
                            let status = match (invitation.used_at, invitation.revoked_at) {
                                (Some(used_at), _) => format!("Accepted {}", format_utc_date(used_at)),
                                (None, Some(revoked_at)) => format!("Revoked {}", format_utc_date(revoked_at)),
                                (None, None) if open => format!("Open until {}", format_utc_minute(invitation.expires_at)),
                                (None, None) => format!("Expired {}", format_utc_date(invitation.expires_at)),
                            };
                            let id = invitation.id;
                            view! {
                                <tr>
                                    <td>{invitation.email}</td>
                                    <td>{format_utc_date(invitation.created_at)}</td>
                                    <td>{status}</td>
                                    <td class="actions">
                                        {open.then(|| view! {
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="invitation_id" value=id />
                                                <button type="submit" class="button-secondary">"Revoke"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }.into_any()
}

/// The security audit log, newest first, a page at a time, filtered by
/// kind of event and by account. Administrators only.
#[component]
pub fn SecurityEventsPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let query = query.read();
        let get = |name: &str| query.get(name).unwrap_or_default();
        AuditFilterInput {
            action: get("action"),
            account: get("account"),
            before: get("before"),
        }
    });
    let events = Resource::new(move || asked.get(), security_events);
    view! {
        <Title text="Security events" />
        <RequireSignIn>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let typed = asked.get_untracked();
                    match events.await {
                        Ok(page) => view! {
                            <h1>"Security events"</h1>
                            <p>"Sign-ins, sign-outs and account changes, newest first. Times are UTC."</p>
                            <EventsFilter typed=typed.clone() error=None />
                            <EventsTable page newest=!typed.before.is_empty() />
                        }.into_any(),
                        Err(error @ AppError::Invalid(_)) => {
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(error.status_code());
                            }
                            view! {
                                <h1>"Security events"</h1>
                                <EventsFilter typed error=Some(error) />
                            }.into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Transition>
        </RequireSignIn>
    }
}

/// Which events to show: a GET form, so it works without JavaScript.
#[component]
fn EventsFilter(typed: AuditFilterInput, error: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(error);
    let options = AuditAction::ALL
        .into_iter()
        .map(|action| (action.as_str().to_string(), action.label().to_string()))
        .collect();
    view! {
        <form method="get" action=SECURITY_EVENTS_PATH class="period-form events-filter">
            <FormAlert error />
            <Select label="Kind of event" id="events-action" name="action" value=typed.action
                options blank="Every kind" error=field_error(error, "action") />
            <Field label="Account (email)" id="events-account" name="account" kind="email"
                value=typed.account error=field_error(error, "account") />
            <p class="field-error">{move || field_error(error, "before").get()}</p>
            <button type="submit" class="button-secondary">"Show events"</button>
        </form>
    }
}

#[component]
fn EventsTable(page: SecurityEventsView, newest: bool) -> impl IntoView {
    let SecurityEventsView { events, older } = page;
    if events.is_empty() {
        return view! { <p class="empty">"No events match."</p> }.into_any();
    }
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Concerning"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Request"</th>
                </tr>
            </thead>
            <tbody>
                {events.into_iter().map(|event| view! {
                    <tr>
                        <td>{format_utc_minute(event.occurred_at)}</td>
                        <td>{event.action.label()}</td>
                        <td>{event.actor.unwrap_or_default()}</td>
                        <td>{event.target.unwrap_or_default()}</td>
                        <td>{event.client_ip.unwrap_or_default()}</td>
                        <td><code>{event.request_id.unwrap_or_default()}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <nav class="filter-links" aria-label="More events">
            {newest.then(|| view! { <a href=SECURITY_EVENTS_PATH>"Newest events"</a> })}
            {older.map(|path| view! { <a href=path rel="next">"Older events"</a> })}
        </nav>
    }
    .into_any()
}
