use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::account::{my_sessions, ChangePassword, DeleteAccount, EndSession},
    components::{
        account_activity::{AccountActivity, ResetNotices},
        form::{
            action_error, field_error, typed_value, Field, FormAlert, NewPasswordFields, Notice,
            SubmitButton,
        },
        layout::{CurrentUser, RequireSignIn},
    },
    domain::{accounts::DeviceSession, time::format_utc_minute},
};

/// The signed-in person's own account: details, password, devices, what
/// happened to the account, and deleting it.
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Your account" />
        <RequireSignIn>
            <h1>"Your account"</h1>
            <ResetNotices back="/account" />
            <AccountDetails />
            <ChangePasswordForm />
            <SignedInDevices />
            <AccountActivity />
            <ExportMyData />
            <DeleteAccountForm />
        </RequireSignIn>
    }
}

#[component]
fn AccountDetails() -> impl IntoView {
    let current_user = expect_context::<CurrentUser>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                current_user.await.map(|user| view! {
                    <dl class="details">
                        <dt>"Name"</dt><dd>{user.display_name}</dd>
                        <dt>"Email"</dt><dd>{user.email}</dd>
                    </dl>
                })
            })}
        </Transition>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    let query = use_query_map();
    let notice = Signal::derive(move || {
        query
            .read()
            .get("password_changed")
            .map(|_| "Your password was changed. Your other devices were signed out.".to_string())
    });
    view! {
        <section aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <Notice message=notice />
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert error />
                <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" required=true error=field_error(error, "current_password") />
                <NewPasswordFields error label="New password" confirm_label="Repeat the new password" />
                <SubmitButton label="Change password" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn SignedInDevices() -> impl IntoView {
    let end_session = ServerAction::<EndSession>::new();
    let query = use_query_map();
    let sessions = Resource::new(
        move || {
            (
                end_session.version().get(),
                query.read().get("session_ended"),
            )
        },
        |_| my_sessions(),
    );
    let error = action_error(end_session);
    view! {
        <section aria-labelledby="devices-heading">
            <h2 id="devices-heading">"Signed-in devices"</h2>
            <p>"Sessions end after 30 minutes without use, and 12 hours after signing in."</p>
            <FormAlert error />
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(sessions) => view! { <DeviceTable sessions end_session /> }.into_any(),
                        Err(error) => view! { <p role="alert">{error.user_message()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DeviceTable(
    sessions: Vec<DeviceSession>,
    end_session: ServerAction<EndSession>,
) -> impl IntoView {
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"Device"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last active"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {sessions
                    .into_iter()
                    .map(|session| {
                        let label = if session.current { "Sign out here" } else { "End session" };
                        view! {
                            <tr>
                                <td>
                                    {session.device()}
                                    {session.current.then(|| view! { <span class="badge">"This device"</span> })}
                                </td>
                                <td>{session.client_ip.clone()}</td>
                                <td>{format_utc_minute(session.created_at)}</td>
                                <td>{format_utc_minute(session.last_seen_at)}</td>
                                <td>
                                    <ActionForm action=end_session attr:class="inline-form">
                                        <input type="hidden" name="session_id" value=session.id />
                                        <button type="submit" class="button-secondary">{label}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Leaving for good: what goes, and the form that asks for the password and
/// the email address again.
#[component]
fn DeleteAccountForm() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let error = action_error(action);
    let current_user = expect_context::<CurrentUser>();
    view! {
        <section class="danger-zone" aria-labelledby="delete-account-heading">
            <h2 id="delete-account-heading">"Delete my account"</h2>
            <p class="warning">
                "This deletes, at once and for good: your cases with every reflection, draft and share of them; "
                "the comments, replies and pacing ratings you wrote, on your cases and on cases shared with you (with the replies to your comments); "
                "the supervision meetings you recorded; and in others' meetings, your place, your comments, addenda and action items. "
                "Every device you are signed in on is signed out. It cannot be undone."
            </p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    current_user.await.filter(|user| user.is_admin).map(|_| view! {
                        <p>"As an administrator you can delete your account only while another active administrator remains."</p>
                    })
                })}
            </Transition>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert error />
                <Field
                    label="Your password"
                    name="password"
                    id="delete-account-password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error=field_error(error, "password")
                />
                <Field
                    label="Type the email address you sign in with, to confirm"
                    name="confirmation"
                    id="delete-account-confirmation"
                    kind="email"
                    value=typed_value("confirmation")
                    autocomplete="off"
                    required=true
                    error=field_error(error, "confirmation")
                />
                <SubmitButton label="Delete my account and everything in it" pending=action.pending() class="button-danger" />
            </ActionForm>
        </section>
    }
}

/// Links to download one's own data (privacy rule 6). Plain links: each
/// is a file download, with or without JavaScript.
#[component]
fn ExportMyData() -> impl IntoView {
    use crate::domain::export::{export_path, ExportFormat, ExportKind};
    let link = |kind, format, text: &'static str| {
        // `rel="external"` keeps the router from treating a file as a page.
        view! { <li><a href=export_path(kind, format) rel="external" download>{text}</a></li> }
    };
    view! {
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">"Export my data"</h2>
            <p>
                "Everything you wrote as a therapist: every case with all its reflections "
                "(private notes and origins included), your drafts, your shares, the "
                "supervisors' comments and ratings on your cases, and the supervision "
                "meetings you were in. Keep the file somewhere safe: it is not encrypted."
            </p>
            <ul>
                {link(ExportKind::MyWork, ExportFormat::Json, "My work as JSON")}
                {link(ExportKind::MyWork, ExportFormat::CsvZip, "My work as CSV files (zip)")}
            </ul>
            <p>
                "What you wrote as a supervisor: your comments, replies and pacing ratings, "
                "and the meetings you recorded."
            </p>
            <ul>
                {link(ExportKind::MySupervision, ExportFormat::Json, "My supervision as JSON")}
                {link(ExportKind::MySupervision, ExportFormat::CsvZip, "My supervision as CSV files (zip)")}
            </ul>
            <p class="aside">
                "For one case on paper, open the case and choose Printable view. "
                "The format of the files is described in Reverie's documentation (docs/export.md)."
            </p>
        </section>
    }
}
