use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::auth::{invitation_email, AcceptInvitation},
    components::form::{
        action_error, field_error, typed_value, Field, FormAlert, NewPasswordFields, SubmitButton,
    },
};

/// Where an invited person chooses their name and password.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, invitation_email);
    view! {
        <Title text="Accept your invitation" />
        <h1>"Join Reverie"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(email) => view! { <InvitationForm email token=token() /> }.into_any(),
                    Err(_) => view! { <LinkNoLongerValid /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvitationForm(email: String, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = action_error(action);
    view! {
        <p>"You were invited to Reverie as " <strong>{email.clone()}</strong> ". Choose the name others will see and a password."</p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="token" value=token />
            <input type="email" name="username" value=email autocomplete="username" hidden=true readonly=true />
            <Field label="Your name" name="display_name" value=typed_value("display_name") autocomplete="name" required=true autofocus=true error=field_error(error, "display_name") />
            <NewPasswordFields error label="Password" confirm_label="Repeat the password" />
            <SubmitButton label="Create my account" pending=action.pending() />
        </ActionForm>
    }
}

/// An invitation or reset link that was used, expired, or never existed.
#[component]
pub fn LinkNoLongerValid() -> impl IntoView {
    view! {
        <p role="alert" class="form-alert">
            "This link is no longer valid: it was used already or has expired. Ask your administrator for a new one."
        </p>
        <p><a href="/login">"Go to sign in"</a></p>
    }
}
