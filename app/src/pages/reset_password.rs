use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::auth::{reset_link_email, ResetPassword},
    components::form::{action_error, FormAlert, NewPasswordFields, SubmitButton},
    pages::invitation::LinkNoLongerValid,
};

/// Where someone with a reset link from their administrator sets a new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let reset = Resource::new(token, reset_link_email);
    view! {
        <Title text="Choose a new password" />
        <h1>"Choose a new password"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match reset.await {
                    Ok(email) => view! { <ResetForm email token=token() /> }.into_any(),
                    Err(_) => view! { <LinkNoLongerValid /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResetForm(email: String, token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <p>"New password for " <strong>{email.clone()}</strong> ". Every device signed in to this account will be signed out."</p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="token" value=token />
            <input type="email" name="username" value=email autocomplete="username" hidden=true readonly=true />
            <NewPasswordFields error label="New password" confirm_label="Repeat the new password" autofocus=true />
            <SubmitButton label="Set the new password" pending=action.pending() />
        </ActionForm>
    }
}
