use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::auth::SignIn,
    components::form::{
        action_error, field_error, typed_value, Field, FormAlert, Notice, SubmitButton,
    },
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action);
    let query = use_query_map();
    let notice = move || {
        let query = query.read();
        if query.get("welcome").is_some() {
            Some("Your account is ready. Sign in with your password.".to_string())
        } else if query.get("reset").is_some() {
            Some("Your password was changed. Sign in with the new one.".to_string())
        } else if query.get("account_deleted").is_some() {
            Some("Your account was deleted, with everything in it.".to_string())
        } else if query.get("signed_out").is_some() {
            Some("You have signed out.".to_string())
        } else {
            None
        }
    };

    view! {
        <Title text="Sign in" />
        <h1>"Sign in"</h1>
        <Notice message=Signal::derive(notice) />
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="next" value=typed_value("next") />
            <Field
                label="Email"
                name="email"
                kind="email"
                value=typed_value("email")
                autocomplete="username"
                required=true
                autofocus=true
                error=field_error(error, "email")
            />
            <Field
                label="Password"
                name="password"
                kind="password"
                autocomplete="current-password"
                required=true
                error=field_error(error, "password")
            />
            <SubmitButton label="Sign in" pending=action.pending() />
        </ActionForm>
        <p class="aside">"Forgotten your password? Ask your administrator for a reset link."</p>
    }
}
