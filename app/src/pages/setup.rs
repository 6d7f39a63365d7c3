use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::auth::{setup_open, SetUpAdministrator},
    components::form::{
        action_error, field_error, typed_value, Field, FormAlert, NewPasswordFields, SubmitButton,
    },
    pages::not_found::NotFoundPage,
};

/// First run only: create the first administrator with the token from the
/// server's log. Not found once any account exists.
#[component]
pub fn SetupPage() -> impl IntoView {
    let open = Resource::new(|| (), |_| setup_open());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(true) => view! { <SetupForm /> }.into_any(),
                    _ => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let action = ServerAction::<SetUpAdministrator>::new();
    let error = action_error(action);
    view! {
        <Title text="Set up Reverie" />
        <h1>"Set up Reverie"</h1>
        <p>
            "Create the first administrator. Administrators invite and manage accounts; "
            "they never see clinical content."
        </p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <Field
                label="Setup token"
                name="setup_token"
                autocomplete="off"
                hint="Printed in the server's log when it started."
                required=true
                autofocus=true
                error=field_error(error, "setup_token")
            />
            <Field label="Email" name="email" kind="email" value=typed_value("email") autocomplete="username" required=true error=field_error(error, "email") />
            <Field label="Your name" name="display_name" value=typed_value("display_name") autocomplete="name" required=true error=field_error(error, "display_name") />
            <NewPasswordFields error label="Password" confirm_label="Repeat the password" />
            <SubmitButton label="Create administrator" pending=action.pending() />
        </ActionForm>
    }
}
