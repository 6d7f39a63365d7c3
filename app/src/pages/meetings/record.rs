//! The form to record a meeting: a plain form posting to `record_meeting`,
//! so it works without JavaScript; errors show at their fields and what was
//! typed stays (after a plain post, what is not clinical comes back in the
//! address; notes and action items never do).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::meetings::{
        meeting_editor, meeting_form, meeting_path, EditMeeting, MeetingEditorView,
        MeetingFormView, RecordMeeting, MEETINGS_PATH,
    },
    components::{
        form::{
            action_error, field_error, typed_value, Field, FormAlert, Select, SubmitButton,
            TextArea,
        },
        layout::RequireSignIn,
    },
    domain::meetings::{
        action_item_field, ActionItemInput, Assignee, MeetingFormat, MeetingInput,
        DURATION_MAX_MINUTES, DURATION_MIN_MINUTES,
    },
    error::AppError,
    pages::cases::{id_param, LoadError},
};

/// Empty action item rows the form offers (rows left empty are ignored).
const ACTION_ITEM_ROWS: usize = 3;

/// `base` with what a failed post without JavaScript brought back in the
/// address (date, duration, format, people, cases) laid over it.
fn typed_meeting(base: MeetingInput) -> MeetingInput {
    let query = use_query_map();
    let query = query.read_untracked();
    if query.get("meeting[date]").is_none() {
        return base;
    }
    MeetingInput {
        date: typed_value("meeting[date]"),
        duration: typed_value("meeting[duration]"),
        format: typed_value("meeting[format]"),
        supervisees: query.get_all("meeting[supervisees][]").unwrap_or_default(),
        cases: query.get_all("meeting[cases][]").unwrap_or_default(),
        ..base
    }
}

#[component]
pub fn RecordMeetingPage() -> impl IntoView {
    let form = Resource::new(|| (), |_| meeting_form());
    view! {
        <Title text="Record a meeting" />
        <RequireSignIn>
            <p class="breadcrumbs"><a href=MEETINGS_PATH>"Supervision meetings"</a></p>
            <h1>"Record a meeting"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) if form.supervisees.is_empty() => view! {
                            <p class="empty">"Nobody shares a case with you yet. A meeting is recorded with the people who share at least one case with you."</p>
                        }
                        .into_any(),
                        Ok(form) => view! { <MeetingForm form /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn MeetingForm(form: MeetingFormView) -> impl IntoView {
    let action = ServerAction::<RecordMeeting>::new();
    let error = action_error(action);
    let typed = typed_meeting(MeetingInput::default());
    view! {
        <ActionForm action attr:class="stacked-form meeting-form" attr:novalidate=true>
            <FormAlert error />
            <MeetingFields form typed error />
            <SubmitButton label="Record the meeting" pending=action.pending() />
        </ActionForm>
    }
}

#[component]
pub fn EditMeetingPage() -> impl IntoView {
    let meeting_id = id_param("meeting_id");
    let editor = Resource::new(move || meeting_id.get(), meeting_editor);
    view! {
        <Title text="Edit the meeting" />
        <RequireSignIn>
            <p class="breadcrumbs"><a href=move || meeting_path(meeting_id.get())>"The meeting"</a></p>
            <h1>"Edit the meeting"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match editor.await {
                        Ok(editor) => view! { <EditMeetingForm meeting=meeting_id.get_untracked() editor /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn EditMeetingForm(meeting: i64, editor: MeetingEditorView) -> impl IntoView {
    let action = ServerAction::<EditMeeting>::new();
    let error = action_error(action);
    let MeetingEditorView {
        choices,
        input,
        version,
    } = editor;
    let typed = typed_meeting(input);
    view! {
        <ActionForm action attr:class="stacked-form meeting-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="meeting_id" value=meeting />
            <input type="hidden" name="version" value=version />
            <MeetingFields form=choices typed error />
            <SubmitButton label="Save the meeting" pending=action.pending() />
        </ActionForm>
    }
}

/// The meeting's fields, named `meeting[...]`, filled with `typed`.
#[component]
fn MeetingFields(
    form: MeetingFormView,
    typed: MeetingInput,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = move |name: &str| field_error(error, name.to_string());
    let rows = typed.action_items.len() + ACTION_ITEM_ROWS;
    let assignees: Vec<(String, String)> =
        std::iter::once((Assignee::Supervisor.slug(), "Me (supervisor)".to_string()))
            .chain(
                form.supervisees
                    .iter()
                    .map(|person| (Assignee::Supervisee(person.id).slug(), person.name.clone())),
            )
            .collect();
    view! {
            <Field label="Date of the meeting" name="meeting[date]" id="meeting-date" kind="date"
                value=typed.date.clone() required=true error=field("date") />
            <Field label="Duration in minutes" name="meeting[duration]" id="meeting-duration" kind="number"
                min="5" max="480" value=typed.duration.clone() required=true
                hint=DURATION_HINT error=field("duration") />
            <FormatChoice checked=typed.format.clone() error=field("format") />
            <fieldset class="checkbox-group" class:field-invalid=move || field("supervisees").get().is_some()>
                <legend>"Supervisees in the meeting"</legend>
                {form.supervisees.iter().map(|person| {
                    let value = person.id.0.to_string();
                    let id = format!("meeting-supervisee-{value}");
                    let checked = typed.supervisees.contains(&value);
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="checkbox" id=id.clone() name="meeting[supervisees][]" value=value checked=checked />
                            {person.name.clone()}
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="meeting-supervisees-error">{move || field("supervisees").get()}</p>
            </fieldset>
            <fieldset class="checkbox-group" class:field-invalid=move || field("cases").get().is_some()>
                <legend>"Cases discussed (optional)"</legend>
                <p class="field-hint">"Only cases the supervisees in the meeting share with you."</p>
                {form.cases.iter().map(|case| {
                    let value = case.case_id.to_string();
                    let id = format!("meeting-case-{value}");
                    let checked = typed.cases.contains(&value);
                    let whose = form.supervisees.iter().find(|person| person.id.0 == case.supervisee)
                        .map(|person| person.name.clone()).unwrap_or_default();
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="checkbox" id=id.clone() name="meeting[cases][]" value=value checked=checked />
                            {case.code.clone()} " (" {whose} ")"
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="meeting-cases-error">{move || field("cases").get()}</p>
            </fieldset>
            <TextArea label="Notes" id="meeting-notes" name="meeting[notes]" value=typed.notes.clone() rows=8
                hint="Encrypted when stored. Refer to cases by code and sessions by number, never by a name or a date."
                error=field("notes") />
            <fieldset class="action-items">
                <legend>"Action items (optional)"</legend>
                {(0..rows).map(|index| {
                    let row = typed.action_items.get(index).cloned().unwrap_or_else(|| ActionItemInput {
                        assignee: Assignee::Supervisor.slug(),
                        ..ActionItemInput::default()
                    });
                    let name = |field: &str| format!("meeting[action_items][{index}][{field}]");
                    view! {
                        <div class="action-item-row">
                            <input type="hidden" name=name("id") value=row.id />
                            <input type="hidden" name=name("done") value=row.done />
                            <Field label="What was agreed" name=name("text") id=format!("meeting-item-{index}-text")
                                value=row.text error=field(&action_item_field(index, "text")) />
                            <Select label="Who does it" id=format!("meeting-item-{index}-assignee") name=name("assignee")
                                value=row.assignee options=assignees.clone()
                                error=field(&action_item_field(index, "assignee")) />
                        </div>
                    }
                }).collect_view()}
            </fieldset>
    }
}

const DURATION_HINT: &str = "Whole minutes, from 5 to 480.";
const _: () = assert!(DURATION_MIN_MINUTES == 5 && DURATION_MAX_MINUTES == 480);

#[component]
fn FormatChoice(checked: String, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <fieldset class="radio-group" class:field-invalid=move || error.get().is_some()>
            <legend>"Format"</legend>
            {MeetingFormat::ALL.iter().map(|format| {
                let id = format!("meeting-format-{}", format.slug());
                let is_checked = checked == format.slug();
                view! {
                    <label class="checkbox" for=id.clone()>
                        <input type="radio" id=id.clone() name="meeting[format]" value=format.slug() checked=is_checked />
                        {format.label()}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" id="meeting-format-error">{move || error.get()}</p>
        </fieldset>
    }
}
