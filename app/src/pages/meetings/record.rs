//! The form to record a meeting, in two steps: who was in it (a GET form,
//! so the agenda can be pre-filled for exactly them), then the record and
//! its agenda, a plain form posting to `record_meeting`. Both work without
//! JavaScript; errors show at their fields and what was typed stays (after
//! a plain post, what is not clinical comes back in the address; notes,
//! action items and one's own agenda items never do).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::meetings::{
        agenda_row_name, meeting_editor, meeting_form, meeting_path, AgendaRowView, EditMeeting,
        MeetingEditorView, MeetingFormView, RecordMeeting, MEETINGS_PATH, NEW_MEETING_PATH,
    },
    components::{
        form::{
            action_error, field_error, typed_value, Field, FormAlert, Select, SubmitButton,
            TextArea,
        },
        layout::RequireSignIn,
    },
    domain::meetings::{
        action_item_field, agenda_field, ActionItemInput, AgendaRowInput, Assignee, MeetingFormat,
        MeetingInput, Participant, DURATION_MAX_MINUTES, DURATION_MIN_MINUTES, NOTES_MAX_CHARS,
        OWN_ITEM_MAX_CHARS,
    },
    error::AppError,
    pages::cases::{id_param, LoadError, Missing},
};

/// Empty action item rows the form offers (rows left empty are ignored).
const ACTION_ITEM_ROWS: usize = 3;
/// Empty rows for one's own agenda items (rows left empty are ignored).
const OWN_AGENDA_ROWS: usize = 3;

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
        agenda: crate::domain::meetings::AgendaInput {
            items: (0..)
                .map_while(|index| {
                    let get = |field| query.get(&agenda_row_name(index, field));
                    let key = get("key");
                    let position = get("position");
                    (key.is_some() || position.is_some()).then(|| AgendaRowInput {
                        key: key.unwrap_or_default(),
                        position: position.unwrap_or_default(),
                        remove: get("remove").unwrap_or_default(),
                        text: String::new(),
                    })
                })
                .collect(),
        },
        ..base
    }
}

/// The people chosen in the first step, or those a failed post without
/// JavaScript brought back; none before the first step.
fn chosen_supervisees(query: &leptos_router::params::ParamsMap) -> Vec<i64> {
    query
        .get_all("with")
        .or_else(|| query.get_all("meeting[supervisees][]"))
        .unwrap_or_default()
        .iter()
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

#[component]
pub fn RecordMeetingPage() -> impl IntoView {
    let query = use_query_map();
    let with = Memo::new(move |_| chosen_supervisees(&query.read()));
    let form = Resource::new(
        move || with.get(),
        |with| async move {
            let first_step = with.is_empty();
            meeting_form(with).await.map(|form| (first_step, form))
        },
    );
    view! {
        <Title text="Record a meeting" />
        <RequireSignIn>
            <p class="breadcrumbs"><a href=MEETINGS_PATH>"Supervision meetings"</a></p>
            <h1>"Record a meeting"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok((_, form)) if form.supervisees.is_empty() => view! {
                            <p class="empty">"Nobody shares a case with you yet. A meeting is recorded with the people who share at least one case with you."</p>
                        }
                        .into_any(),
                        Ok((true, form)) => view! { <ChooseSupervisees form /> }.into_any(),
                        Ok((false, form)) => view! { <MeetingForm form /> }.into_any(),
                        Err(error) => view! { <LoadError error missing=Missing::Meeting /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// The first step: who was in the meeting.
#[component]
fn ChooseSupervisees(form: MeetingFormView) -> impl IntoView {
    let chosen = use_query_map()
        .read_untracked()
        .get_all("chosen")
        .unwrap_or_default();
    view! {
        <form method="get" action=NEW_MEETING_PATH class="stacked-form">
            <fieldset class="checkbox-group">
                <legend>"Who was in the meeting?"</legend>
                {form.supervisees.into_iter().map(|person| {
                    let id = format!("with-{}", person.id.0);
                    let checked = chosen.contains(&person.id.0.to_string());
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="checkbox" id=id.clone() name="with" value=person.id.0 checked=checked />
                            {person.name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <p class="field-hint">"The agenda is then pre-filled with what was flagged since your previous meeting with exactly these people, and their open action items."</p>
            <button type="submit" class="button-primary">"Continue"</button>
        </form>
    }
}

#[component]
fn MeetingForm(form: MeetingFormView) -> impl IntoView {
    let action = ServerAction::<RecordMeeting>::new();
    let error = action_error(action);
    let mut typed = typed_meeting(MeetingInput::default());
    typed.supervisees = form
        .supervisees
        .iter()
        .map(|person| person.id.0.to_string())
        .collect();
    if typed.format.is_empty() {
        typed.format = if form.supervisees.len() == 1 {
            MeetingFormat::Individual
        } else {
            MeetingFormat::Group
        }
        .slug()
        .to_string();
    }
    view! {
        <ActionForm action attr:class="stacked-form meeting-form" attr:novalidate=true>
            <FormAlert error />
            <MeetingFields form typed error people_fixed=true />
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
                        Err(error) => view! { <LoadError error missing=Missing::Meeting /> }.into_any(),
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
            <MeetingFields form=choices typed error people_fixed=false />
            <SubmitButton label="Save the meeting" pending=action.pending() />
        </ActionForm>
    }
}

/// The meeting's fields, named `meeting[...]`, filled with `typed`; the
/// supervisees as check boxes unless they were chosen in a first step
/// (`people_fixed`).
#[component]
fn MeetingFields(
    form: MeetingFormView,
    typed: MeetingInput,
    error: Signal<Option<AppError>>,
    people_fixed: bool,
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
            {if people_fixed {
                view! { <FixedSupervisees people=form.supervisees.clone() error=field("supervisees") /> }.into_any()
            } else {
                view! { <SuperviseeChoice people=form.supervisees.clone() checked=typed.supervisees.clone() error=field("supervisees") /> }.into_any()
            }}
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
                maxlength=NOTES_MAX_CHARS
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
            <AgendaEditor rows=form.agenda typed=typed.agenda.items error />
    }
}

/// The people chosen in the first step, posted as hidden fields, with the
/// way back to change them.
#[component]
fn FixedSupervisees(people: Vec<Participant>, error: Signal<Option<String>>) -> impl IntoView {
    let change = format!(
        "{NEW_MEETING_PATH}?{}",
        people
            .iter()
            .map(|person| format!("chosen={}", person.id.0))
            .collect::<Vec<_>>()
            .join("&")
    );
    let names = people
        .iter()
        .map(|person| person.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="meeting-people" class:field-invalid=move || error.get().is_some()>
            <p>
                <strong>"In the meeting: "</strong>
                {names}
                " · "
                <a href=change>"Change who was in it"</a>
            </p>
            {people.iter().map(|person| view! {
                <input type="hidden" name="meeting[supervisees][]" value=person.id.0 />
            }).collect_view()}
            <p class="field-error" id="meeting-supervisees-error">{move || error.get()}</p>
        </div>
    }
}

/// The people in the meeting as check boxes (when editing a record).
#[component]
fn SuperviseeChoice(
    people: Vec<Participant>,
    checked: Vec<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="checkbox-group" class:field-invalid=move || error.get().is_some()>
            <legend>"Supervisees in the meeting"</legend>
            {people.into_iter().map(|person| {
                let value = person.id.0.to_string();
                let id = format!("meeting-supervisee-{value}");
                let is_checked = checked.contains(&value);
                view! {
                    <label class="checkbox" for=id.clone()>
                        <input type="checkbox" id=id.clone() name="meeting[supervisees][]" value=value checked=is_checked />
                        {person.name}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" id="meeting-supervisees-error">{move || error.get()}</p>
        </fieldset>
    }
}

/// The agenda: each pre-filled item kept (or removed) and placed by number,
/// the supervisor's own items as text; blank rows to add more.
#[component]
fn AgendaEditor(
    rows: Vec<AgendaRowView>,
    typed: Vec<AgendaRowInput>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = move |name: String| field_error(error, name);
    let total = rows.len() + OWN_AGENDA_ROWS;
    let blank = AgendaRowView {
        key: String::new(),
        line: String::new(),
    };
    let rows: Vec<AgendaRowView> = rows
        .into_iter()
        .chain(std::iter::repeat_n(blank, OWN_AGENDA_ROWS))
        .collect();
    view! {
        <fieldset class="agenda-editor" class:field-invalid=move || field("agenda".to_string()).get().is_some()>
            <legend>"Agenda"</legend>
            <p class="field-hint">"Pre-filled with what was flagged since the previous meeting with the same people. Tick “Remove” to drop an item, change the numbers to reorder, and add your own items below."</p>
            <p class="field-error" id="meeting-agenda-error">{move || field("agenda".to_string()).get()}</p>
            <ol class="agenda-rows">
                {rows.into_iter().enumerate().map(|(index, row)| {
                    let typed = typed.get(index).filter(|typed| typed.key == row.key);
                    let position = typed
                        .map(|typed| typed.position.clone())
                        .filter(|position| !position.is_empty())
                        .unwrap_or_else(|| (index + 1).to_string());
                    let removed = typed.is_some_and(|typed| !typed.remove.is_empty());
                    view! {
                        <AgendaRow index row position removed total error />
                    }
                }).collect_view()}
            </ol>
        </fieldset>
    }
}

/// One agenda row: its line (or the text of one's own item), its place and
/// the box to remove it; errors under it.
#[component]
fn AgendaRow(
    index: usize,
    row: AgendaRowView,
    position: String,
    removed: bool,
    total: usize,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = |part: &str| format!("agenda-{index}-{part}");
    let errors = ["key", "text", "position", "remove"]
        .map(|name| field_error(error, agenda_field(index, name)));
    let message = move || errors.iter().find_map(|error| error.get());
    let is_own = row.is_own();
    view! {
        <li class="agenda-row" class:field-invalid=move || message().is_some()>
            <input type="hidden" name=agenda_row_name(index, "key") value=row.key.clone() />
            {if is_own {
                view! {
                    <label class="visually-hidden" for=id("text")>{format!("Agenda item {}", index + 1)}</label>
                    <input type="text" id=id("text") class="agenda-own" name=agenda_row_name(index, "text")
                        value=row.line maxlength=OWN_ITEM_MAX_CHARS placeholder="An item of your own" />
                }
                .into_any()
            } else {
                view! { <span class="agenda-line" id=id("line")>{row.line}</span> }.into_any()
            }}
            <label class="agenda-place" for=id("position")>
                "Place "
                <input type="number" id=id("position") name=agenda_row_name(index, "position")
                    min="1" max=total value=position inputmode="numeric" />
            </label>
            <label class="checkbox" for=id("remove")>
                <input type="checkbox" id=id("remove") name=agenda_row_name(index, "remove") value="on" checked=removed />
                "Remove"
            </label>
            <p class="field-error">{message}</p>
        </li>
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
