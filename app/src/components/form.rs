//! Form pieces: labelled fields with their error beside them, the form-level
//! alert, and the submit button. Used with `ActionForm`, so forms post
//! without JavaScript and stay in place with it.

use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;

use crate::{components::identifiers::FieldMarks, error::AppError};

/// The error of a server action's last run, if it failed.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The message for one field from a server action's last failure.
pub fn field_error(
    error: Signal<Option<AppError>>,
    name: impl Into<String>,
) -> Signal<Option<String>> {
    let name = name.into();
    Signal::derive(move || error.get().and_then(|error| error.field(&name)))
}

/// What the user typed into field `name` before a failed form post without
/// JavaScript brought them back to this page (see `server::forms`); empty
/// otherwise. Used as the field's initial value so nothing typed is lost.
pub fn typed_value(name: &str) -> String {
    use_query_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// A labelled input. Its error, when there is one, is shown under it and
/// announced with it (`aria-describedby`, `aria-invalid`).
#[component]
pub fn Field(
    /// Visible label.
    label: &'static str,
    /// The form field's name (the server function's argument).
    #[prop(into)]
    name: Signal<String>,
    /// Defaults to `field-` and the name.
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] accesskey: Option<&'static str>,
    #[prop(optional, into)] min: Option<&'static str>,
    #[prop(optional, into)] max: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("field-{}", name.get_untracked()));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(&id, hint.is_some(), error);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                type=kind
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                accesskey=accesskey
                min=min
                max=max
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id>{move || error.get()}</p>
            <FieldMarks name />
        </div>
    }
}

/// The form-level message after a failed submission: what went wrong, in
/// words the user can act on.
#[component]
pub fn FormAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|error| view! { <p class="form-alert" role="alert">{error.user_message()}</p> })
    }
}

/// A notice after a successful action (shown from the page's query string,
/// so it works without JavaScript too).
#[component]
pub fn Notice(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|message| view! { <p class="notice" role="status">{message}</p> })
    }
}

/// The submit button; disabled while the action is in flight.
#[component]
pub fn SubmitButton(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="submit" class=class.unwrap_or("button-primary") disabled=move || pending.get()>
            {label}
        </button>
    }
}

/// A new password and its confirmation (`password`, `password_confirm`),
/// with the advice on choosing one.
#[component]
pub fn NewPasswordFields(
    error: Signal<Option<AppError>>,
    #[prop(default = "Password")] label: &'static str,
    #[prop(default = "Repeat the password")] confirm_label: &'static str,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    view! {
        <Field
            label
            name="password"
            kind="password"
            autocomplete="new-password"
            hint="At least 8 characters. A phrase of several unrelated words is strong and easy to remember."
            required=true
            autofocus
            error=field_error(error, "password")
        />
        <Field
            label=confirm_label
            name="password_confirm"
            kind="password"
            autocomplete="new-password"
            required=true
            error=field_error(error, "password_confirm")
        />
    }
}

/// The ids tying a control to its hint and error, and whether it is invalid.
fn described_by(
    id: &str,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A labelled multi-line text field, with its error beside it.
#[component]
pub fn TextArea(
    label: &'static str,
    #[prop(into)] id: String,
    #[prop(into)] name: Signal<String>,
    #[prop(into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 3)] rows: u32,
    /// The most characters the server takes: the browser then stops the
    /// typing there, so a post without JavaScript is not refused (and its
    /// text lost) for its length.
    #[prop(optional)]
    maxlength: Option<usize>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=maxlength
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            >
                {value}
            </textarea>
            <p class="field-error" id=error_id>{move || error.get()}</p>
            <FieldMarks name />
        </div>
    }
}

/// The `(value, label)` options of a closed set of choices.
pub fn choice_options<T: Copy>(
    all: &[T],
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&choice| (slug(choice).to_string(), label(choice).to_string()))
        .collect()
}

/// A labelled drop-down of `(value, label)` choices; `blank` adds an empty
/// first choice with that text.
#[component]
pub fn Select(
    label: &'static str,
    #[prop(into)] id: String,
    #[prop(into)] name: Signal<String>,
    #[prop(into)] value: String,
    /// `(value, label)` pairs; see [`choice_options`].
    options: Vec<(String, String)>,
    #[prop(optional)] blank: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autofocus: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let blank = blank.map(|text| {
        let selected = value.is_empty();
        view! { <option value="" selected=selected>{text}</option> }
    });
    let options = options
        .into_iter()
        .map(|(slug, text)| {
            let selected = slug == value;
            view! { <option value=slug selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <select
                id=id
                name=name
                autofocus=autofocus
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            >
                {blank}
                {options}
            </select>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A group of check boxes sharing one name (posted as `name[]`).
#[component]
pub fn CheckboxGroup(
    legend: &'static str,
    /// Prefix of the boxes' ids.
    id: &'static str,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    checked: Vec<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <fieldset class="checkbox-group" class:field-invalid=move || error.get().is_some()>
            <legend>{legend}</legend>
            {options
                .into_iter()
                .map(|(slug, text)| {
                    let box_id = format!("{id}-{slug}");
                    let is_checked = checked.iter().any(|value| value == slug);
                    view! {
                        <label class="checkbox" for=box_id>
                            <input type="checkbox" id=box_id.clone() name=name value=slug checked=is_checked />
                            {text}
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </fieldset>
    }
}
