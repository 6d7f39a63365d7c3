//! What the signed-in person is told about their own account: a reset of
//! their password through an administrator's link, and the account's
//! recent activity.

use leptos::prelude::*;

use crate::{
    api::account_activity::{my_account_activity, reset_notices, DismissResetNotice},
    components::form::{action_error, FormAlert},
    domain::{
        accounts::{AuditAction, AuditEvent},
        admin_links::ResetNotice,
        time::format_utc_minute,
    },
};

/// "Your password was reset through a link from an administrator", with
/// when and who, until dismissed. `back` is the page it is shown on, where
/// dismissing it returns.
#[component]
pub fn ResetNotices(back: &'static str) -> impl IntoView {
    let dismiss = ServerAction::<DismissResetNotice>::new();
    let notices = Resource::new(move || dismiss.version().get(), |_| reset_notices());
    let error = action_error(dismiss);
    view! {
        <FormAlert error />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                notices.await.ok().map(|notices| {
                    notices
                        .into_iter()
                        .map(|notice| view! { <ResetNoticeBox notice dismiss back /> })
                        .collect_view()
                })
            })}
        </Transition>
    }
}

#[component]
fn ResetNoticeBox(
    notice: ResetNotice,
    dismiss: ServerAction<DismissResetNotice>,
    back: &'static str,
) -> impl IntoView {
    let ResetNotice {
        reset_id,
        reset_at,
        administrator_name,
        administrator_email,
    } = notice;
    view! {
        <div class="notice reset-notice" role="status">
            <p>
                <strong>"Your password was reset through a link from an administrator. "</strong>
                {format!(
                    "On {} a reset link created by {administrator_name} ({administrator_email}) was used to set a new password for your account. ",
                    format_utc_minute(reset_at),
                )}
                "If it was not you who used it, someone else could have signed in as you: tell your administrator and change your password."
            </p>
            <p><a href="/account#activity-heading">"See your account's activity"</a></p>
            <ActionForm action=dismiss attr:class="inline-form">
                <input type="hidden" name="reset_id" value=reset_id />
                <input type="hidden" name="back" value=back />
                <button type="submit" class="button-secondary">"Dismiss"</button>
            </ActionForm>
        </div>
    }
}

/// The account's recent activity, newest first.
#[component]
pub fn AccountActivity() -> impl IntoView {
    let activity = Resource::new(|| (), |_| my_account_activity());
    view! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Account activity"</h2>
            <p>"Sign-ins, sign-outs, password changes and resets, and what administrators did to your account; the most recent 50. Times are UTC."</p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match activity.await {
                        Ok(events) => view! { <ActivityTable events /> }.into_any(),
                        Err(error) => view! { <p role="alert">{error.user_message()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ActivityTable(events: Vec<AuditEvent>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="empty">"Nothing yet."</p> }.into_any();
    }
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Address"</th>
                </tr>
            </thead>
            <tbody>
                {events.into_iter().map(|event| view! {
                    <tr>
                        <td>{format_utc_minute(event.occurred_at)}</td>
                        <td>{event.action.label()}</td>
                        <td>{who_did_it(&event)}</td>
                        <td>{event.client_ip.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Events done to the account name their administrator; the account's own
/// are "You", and a failed sign-in with the account's email is "Someone".
fn who_did_it(event: &AuditEvent) -> String {
    match (&event.actor, event.action) {
        (
            Some(actor),
            AuditAction::ResetLinkCreated
            | AuditAction::ResetLinkRevoked
            | AuditAction::AccountDisabled
            | AuditAction::AccountEnabled,
        ) => format!("Administrator {actor}"),
        (Some(_), _) => "You".to_string(),
        (None, _) => "Someone (unknown)".to_string(),
    }
}
