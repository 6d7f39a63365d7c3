//! Writing and editing a session reflection.
//!
//! The form posts to `save_reflection` (so it works without JavaScript: the
//! add/remove row buttons are submit buttons the server answers by keeping a
//! draft and coming back here). With JavaScript, rows are added and removed
//! in place, and what is typed is kept as it is typed: at once in the
//! browser's local storage (sealed, see `components::browser_copy`), and
//! after a pause as a draft on the server;
//! possible identifiers are marked under each field as they are typed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::{
    api::reflections::{
        editor_path, reflection_editor, reflection_path, DiscardDraft, Editor, KeepDraft,
        SaveReflection,
    },
    components::{
        browser::{draft_key, focus_soon},
        browser_copy::{self, BrowserCopy},
        form::{
            action_error, choice_options, field_error, CheckboxGroup, Field, Notice, Select,
            TextArea,
        },
        identifiers::LiveMarks,
        layout::RequireSignIn,
        reading::ReflectionReading,
    },
    domain::{
        identifiers::Watchlist,
        reflection::{
            row_field, EpisodeInput, InterventionInput, ReactionInput, ReflectionInput, RowKind,
        },
        time::format_utc_minute,
        vocabulary::{
            ClientResponse, EpisodeWhen, EpisodeWith, HayesManagement, HayesManifestation,
            HayesOrigin, HayesTrigger, InterventionKind, RackerIdentification, ReactionDimension,
            ResponseOfOther, ResponseOfSelf, SessionPhase, TargetPerson, Wish,
        },
    },
    error::AppError,
    pages::cases::{id_param, LoadError},
};

const FORM_ID: &str = "reflection-form";
/// Pause in typing after which the draft goes to the server.
const AUTOSAVE_AFTER_MS: u64 = 1200;

#[component]
pub fn NewReflectionPage() -> impl IntoView {
    view! { <ReflectionEditorPage existing=false /> }
}

#[component]
pub fn EditReflectionPage() -> impl IntoView {
    view! { <ReflectionEditorPage existing=true /> }
}

#[component]
fn ReflectionEditorPage(existing: bool) -> impl IntoView {
    let case_id = id_param("case_id");
    let reflection_id = id_param("reflection_id");
    let location = use_location();
    let editor = Resource::new(
        move || {
            (
                case_id.get(),
                existing.then(|| reflection_id.get()),
                location.search.get(),
            )
        },
        |(case, reflection, _)| reflection_editor(case, reflection),
    );
    view! {
        <Title text=if existing { "Edit reflection" } else { "New reflection" } />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match editor.await {
                        Ok(editor) => view! { <EditorBody editor /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn EditorBody(editor: Editor) -> impl IntoView {
    let query = use_query_map();
    let restoring = query.read_untracked().get("draft").is_some() && editor.draft.is_some();
    let focus = query.read_untracked().get("focus");
    let conflict = restoring && editor.draft_conflicts();
    let offered_draft = (!restoring).then(|| editor.draft.clone()).flatten();
    let input = match (&editor.draft, &editor.saved) {
        (Some(draft), _) if restoring => draft.input.clone(),
        (_, Some(saved)) => saved.reflection.to_input(),
        _ => editor.blank.clone(),
    };
    let heading = match &editor.saved {
        Some(saved) => format!(
            "{}: edit session {}",
            editor.case_code, saved.reflection.session_number
        ),
        None => format!("{}: new reflection", editor.case_code),
    };
    let reflection_id = editor.saved.as_ref().map(|saved| saved.id);
    let back = match reflection_id {
        Some(id) => reflection_path(editor.case_id, id),
        None => format!("/cases/{}", editor.case_id.0),
    };
    let storage_key = draft_key(
        editor.owner.0,
        editor.case_id.0,
        reflection_id.map(|id| id.0),
    );
    view! {
        <Title text=heading.clone() />
        <p class="breadcrumbs">
            <a href=format!("/cases/{}", editor.case_id.0)>"Case " {editor.case_code.clone()}</a>
        </p>
        <h1>{heading}</h1>
        <Notice message=Signal::derive(move || {
            query
                .read()
                .get("recovered")
                .map(|_| "Changes kept in this browser were recovered.".to_string())
        }) />
        {offered_draft.map(|draft| view! {
            <DraftOffer editor=editor.clone() updated_at=draft.updated_at conflicts=editor.draft_conflicts() />
        })}
        {conflict.then(|| view! { <ConflictPanel editor=editor.clone() /> })}
        <ReflectionForm
            editor=editor.clone()
            input
            autosave=editor.draft.is_none() || restoring
            conflict
            focus
            storage_key
            back
        />
    }
}

/// A draft exists that this page did not load: restore it or throw it away.
#[component]
fn DraftOffer(editor: Editor, updated_at: i64, conflicts: bool) -> impl IntoView {
    let discard = ServerAction::<DiscardDraft>::new();
    let reflection_id = editor.saved.as_ref().map(|saved| saved.id.0);
    let restore = format!(
        "{}?draft=1",
        editor_path(editor.case_id, editor.saved.as_ref().map(|saved| saved.id))
    );
    view! {
        <section class="draft-offer" role="region" aria-labelledby="draft-offer-heading">
            <h2 id="draft-offer-heading">"You have unsaved changes"</h2>
            <p>
                "Last typed " {format_utc_minute(updated_at)} "."
                {conflicts.then_some(" The reflection has been saved since; restoring shows both versions.")}
                " Until you choose, what you type here is not kept as a draft."
            </p>
            <div class="form-actions">
                <a class="button-primary" href=restore>"Restore my changes"</a>
                <ActionForm action=discard attr:class="inline-form">
                    <input type="hidden" name="case_id" value=editor.case_id.0 />
                    {reflection_id.map(|id| view! { <input type="hidden" name="reflection_id" value=id /> })}
                    <button type="submit" class="button-secondary">"Discard them"</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The version saved elsewhere, beside the therapist's own (in the form).
#[component]
fn ConflictPanel(editor: Editor) -> impl IntoView {
    let discard = ServerAction::<DiscardDraft>::new();
    let saved = editor.saved.clone()?;
    Some(view! {
        <section class="conflict" role="region" aria-labelledby="conflict-heading">
            <h2 id="conflict-heading">"This reflection was changed elsewhere"</h2>
            <p>
                "It was saved at " {format_utc_minute(saved.updated_at)}
                ", after you started editing. Nothing was overwritten. Your version is in the form below; the saved version is here. "
                "Save yours to replace it (copy anything you want to keep from the saved version first), or keep the saved version and discard yours."
            </p>
            <ActionForm action=discard attr:class="inline-form">
                <input type="hidden" name="case_id" value=editor.case_id.0 />
                <input type="hidden" name="reflection_id" value=saved.id.0 />
                <button type="submit" class="button-secondary">"Keep the saved version, discard mine"</button>
            </ActionForm>
            <details open=true class="saved-version">
                <summary>"The saved version"</summary>
                <ReflectionReading reflection=saved.reflection />
            </details>
        </section>
    })
}

/// Rows of one kind, each with a stable key so that adding or removing one
/// leaves the others (and what is typed in them) in place. Field names use
/// the row's current position, which is what the server reports errors by.
struct Rows<T: Send + Sync + 'static> {
    items: RwSignal<Vec<(usize, T)>>,
    next_key: StoredValue<usize>,
}

impl<T: Send + Sync + 'static> Clone for Rows<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Rows<T> {}

impl<T: Clone + Default + Send + Sync + 'static> Rows<T> {
    fn new(initial: Vec<T>) -> Self {
        let next_key = initial.len();
        Rows {
            items: RwSignal::new(initial.into_iter().enumerate().collect()),
            next_key: StoredValue::new(next_key),
        }
    }

    /// Adds an empty row; returns its key.
    fn add(&self) -> usize {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.items.update(|items| items.push((key, T::default())));
        key
    }

    fn remove(&self, key: usize) {
        self.items.update(|items| items.retain(|(k, _)| *k != key));
    }

    fn position(&self, key: usize) -> Signal<usize> {
        let items = self.items;
        Signal::derive(move || {
            items.with(|items| items.iter().position(|(k, _)| *k == key).unwrap_or(0))
        })
    }
}

/// How the autosave is doing, for the status line.
#[derive(Debug, Clone, PartialEq)]
enum Keeping {
    Idle,
    Pending,
    Kept(i64),
    OnlyHere(AppError),
}

#[component]
#[allow(clippy::too_many_arguments)]
fn ReflectionForm(
    editor: Editor,
    input: ReflectionInput,
    /// Whether typing is kept as a draft (not while a draft is on offer).
    autosave: bool,
    conflict: bool,
    focus: Option<String>,
    storage_key: String,
    back: String,
) -> impl IntoView {
    let action = ServerAction::<SaveReflection>::new();
    let error = action_error(action);
    let keeping = RwSignal::new(Keeping::Idle);
    let case_id = editor.case_id;
    let reflection_id = editor.saved.as_ref().map(|saved| saved.id);
    let editor_here = editor_path(case_id, reflection_id);
    let copy = BrowserCopy::new(storage_key);
    // A plain (thread-safe) store: the page is also rendered on the server,
    // where a local one is dropped on another thread than it was made on.
    let timer = StoredValue::new(None::<TimeoutHandle>);

    // Possible identifiers, marked under each field as it is typed.
    let live_marks = LiveMarks::new();
    provide_context(live_marks);
    let watched = StoredValue::new((editor.names_to_watch.clone(), [editor.case_code.clone()]));
    let mark = move |input: &ReflectionInput| {
        watched.with_value(|(names, own_codes)| {
            live_marks.update(input, Watchlist { names, own_codes })
        })
    };

    let reactions = Rows::new(input.reactions.clone());
    let interventions = Rows::new(input.interventions.clone());
    let episodes = Rows::new(input.episodes.clone());

    // What the form holds right now, as the draft endpoint takes it.
    let current_form = move || -> Option<KeepDraft> {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            use wasm_bindgen::JsCast;
            let form = document()
                .get_element_by_id(FORM_ID)?
                .dyn_into::<web_sys::HtmlFormElement>()
                .ok()?;
            let data = web_sys::FormData::new_with_form(&form).ok()?;
            KeepDraft::from_form_data(&data).ok()
        }
        #[cfg(not(feature = "hydrate"))]
        None
    };
    let send_draft = move |draft: KeepDraft| {
        keeping.set(Keeping::Pending);
        leptos::task::spawn_local(async move {
            match browser_copy::send(draft).await {
                Ok(at) => {
                    copy.forget();
                    keeping.set(Keeping::Kept(at));
                }
                Err(error) => keeping.set(Keeping::OnlyHere(error)),
            }
        });
    };
    let on_input = move |_| {
        let Some(draft) = current_form() else { return };
        mark(&draft.reflection);
        if !autosave {
            return;
        }
        copy.keep(&draft);
        keeping.set(Keeping::Pending);
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if let Some(draft) = current_form() {
                    send_draft(draft);
                }
            },
            std::time::Duration::from_millis(AUTOSAVE_AFTER_MS),
        )
        .ok();
        timer.set_value(handle);
    };
    // What the page opened with is marked too.
    Effect::new(move |_| {
        if let Some(draft) = current_form() {
            mark(&draft.reflection);
        }
    });
    // Typing kept only in this browser (the tab closed, or the sign-in had
    // expired) goes to the server as soon as the page is back; the page then
    // offers it like any other draft.
    let navigate = use_navigate();
    let navigate_for_recovery = navigate.clone();
    let here_for_recovery = editor_here.clone();
    copy.recover(move || {
        navigate_for_recovery(
            &format!("{here_for_recovery}?recovered=1"),
            Default::default(),
        )
    });
    // A save replaces the copies of the typing; a failed one keeps them, and
    // a conflict shows both versions (the server kept this one as the draft).
    let on_submit = move |_| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        // The pending copy is not sent now: the save (or, if it fails, the
        // draft the server keeps of it) takes its place.
        keeping.set(Keeping::Idle);
    };
    // Ctrl+Enter (⌘+Enter) saves from anywhere in the form.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
            event.prevent_default();
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                if let Some(form) = document()
                    .get_element_by_id(FORM_ID)
                    .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok())
                {
                    let _ = form.request_submit();
                }
            }
        }
    };
    let here_for_conflict = editor_here.clone();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => copy.forget(),
        Some(Err(AppError::Conflict)) => {
            copy.forget();
            navigate(&format!("{here_for_conflict}?draft=1"), Default::default());
        }
        _ => {}
    });

    let focus_row = StoredValue::new(focus);
    let autofocus = move |kind: RowKind, key: usize| {
        focus_row
            .read_value()
            .as_deref()
            .is_some_and(|focus| focus == format!("{}-{key}", kind.slug()))
    };
    let save_label = if conflict {
        "Save my version over it"
    } else {
        "Save reflection"
    };

    view! {
        <div on:input=on_input on:submit=on_submit on:keydown=on_keydown>
            <ActionForm action attr:id=FORM_ID attr:class="reflection-form" attr:novalidate=true>
                <div class="form-bar">
                    <button type="submit" name="intent" value="save" class="button-primary" disabled=move || action.pending().get()>
                        {save_label}
                    </button>
                    <button type="submit" name="intent" value="draft" class="button-secondary">"Keep as draft"</button>
                    <a href=back.clone()>"Cancel"</a>
                    <span class="shortcut">"Ctrl+Enter saves"</span>
                    <KeepingStatus keeping editor_here=editor_here.clone() />
                </div>
                <SaveAlert error editor_here=editor_here.clone() />
                <input type="hidden" name="case_id" value=case_id.0 />
                {editor.saved.as_ref().map(|saved| view! {
                    <input type="hidden" name="reflection_id" value=saved.id.0 />
                    <input type="hidden" name="version" value=saved.version />
                })}

                <fieldset class="form-section session-fields">
                    <legend>"Session"</legend>
                    <Field label="Session number" name="reflection[session_number]" id="session-number" kind="number" min="1"
                        value=input.session_number.clone() required=true error=field_error(error, "session_number") />
                    <Field label="Session date" name="reflection[session_date]" id="session-date" kind="date"
                        value=input.session_date.clone() required=true error=field_error(error, "session_date") />
                </fieldset>

                <fieldset class="form-section" id="reactions">
                    <legend>"Reactions"</legend>
                    <p class="field-hint">"What the client stirred in you: one row per reaction."</p>
                    <RowError error kind=RowKind::Reaction />
                    <For each=move || reactions.items.get() key=|(key, _)| *key let:row>
                        <ReactionRow key=row.0 initial=row.1 index=reactions.position(row.0) error
                            autofocus=autofocus(RowKind::Reaction, row.0)
                            remove=move |key| reactions.remove(key) />
                    </For>
                    <AddRowButton kind=RowKind::Reaction label="Add reaction" accesskey="r"
                        add=move || format!("reaction-{}-dimension", reactions.add()) />
                </fieldset>

                <fieldset class="form-section">
                    <legend>"How it arose and was handled (Hayes)"</legend>
                    <CheckboxGroup legend="Trigger" id="trigger" name="reflection[trigger][]"
                        options=HayesTrigger::ALL.iter().map(|c| (c.slug(), c.label())).collect()
                        checked=input.trigger.clone() error=field_error(error, "trigger") />
                    <TextArea label="Trigger, in your words" id="trigger-note" name="reflection[trigger_note]"
                        value=input.trigger_note.clone() rows=2 error=field_error(error, "trigger_note") />
                    <CheckboxGroup legend="Manifestation" id="manifestation" name="reflection[manifestation][]"
                        options=HayesManifestation::ALL.iter().map(|c| (c.slug(), c.label())).collect()
                        checked=input.manifestation.clone() error=field_error(error, "manifestation") />
                    <TextArea label="Manifestation, in your words" id="manifestation-note" name="reflection[manifestation_note]"
                        value=input.manifestation_note.clone() rows=2 error=field_error(error, "manifestation_note") />
                    <CheckboxGroup legend="Management" id="management" name="reflection[management][]"
                        options=HayesManagement::ALL.iter().map(|c| (c.slug(), c.label())).collect()
                        checked=input.management.clone() error=field_error(error, "management") />
                    <TextArea label="Management, in your words" id="management-note" name="reflection[management_note]"
                        value=input.management_note.clone() rows=2 error=field_error(error, "management_note") />
                    <div class="private-part">
                        <CheckboxGroup legend="Origin (private: never shared)" id="origin" name="reflection[origin][]"
                            options=HayesOrigin::ALL.iter().map(|c| (c.slug(), c.label())).collect()
                            checked=input.origin.clone() error=field_error(error, "origin") />
                        <TextArea label="Origin, in your words (private)" id="origin-note" name="reflection[origin_note]"
                            value=input.origin_note.clone() rows=2 error=field_error(error, "origin_note") />
                    </div>
                </fieldset>

                <fieldset class="form-section">
                    <legend>"Identification (Racker) and enactment"</legend>
                    <Select label="Identification" id="racker" name="reflection[racker]" value=input.racker.clone()
                        blank="Not recorded"
                        options=choice_options(RackerIdentification::ALL, RackerIdentification::slug, RackerIdentification::label)
                        error=field_error(error, "racker") />
                    <Field label="Internal object (for a complementary identification)" name="reflection[racker_object]"
                        id="racker-object" value=input.racker_object.clone() error=field_error(error, "racker_object") />
                    <TextArea label="Identification, in your words" id="racker-note" name="reflection[racker_note]"
                        value=input.racker_note.clone() rows=2 error=field_error(error, "racker_note") />
                    <TextArea label="Enactment noticed" id="enactment" name="reflection[enactment]"
                        value=input.enactment.clone() error=field_error(error, "enactment") />
                </fieldset>

                <fieldset class="form-section" id="interventions">
                    <legend>"Interventions"</legend>
                    <RowError error kind=RowKind::Intervention />
                    <For each=move || interventions.items.get() key=|(key, _)| *key let:row>
                        <InterventionRow key=row.0 initial=row.1 index=interventions.position(row.0) error
                            autofocus=autofocus(RowKind::Intervention, row.0)
                            remove=move |key| interventions.remove(key) />
                    </For>
                    <AddRowButton kind=RowKind::Intervention label="Add intervention" accesskey="i"
                        add=move || format!("intervention-{}-kind", interventions.add()) />
                </fieldset>

                <fieldset class="form-section" id="episodes">
                    <legend>"Relationship episodes"</legend>
                    <p class="field-hint">"Each component: pick a standard cluster, write your own words, or both."</p>
                    <RowError error kind=RowKind::Episode />
                    <For each=move || episodes.items.get() key=|(key, _)| *key let:row>
                        <EpisodeRow key=row.0 initial=row.1 index=episodes.position(row.0) error
                            autofocus=autofocus(RowKind::Episode, row.0)
                            remove=move |key| episodes.remove(key) />
                    </For>
                    <AddRowButton kind=RowKind::Episode label="Add episode" accesskey="e"
                        add=move || format!("episode-{}-with-whom", episodes.add()) />
                </fieldset>

                <fieldset class="form-section private-part">
                    <legend>"Private notes"</legend>
                    <TextArea label="Private notes (never shared with anyone)" id="private-notes" name="reflection[private_notes]"
                        value=input.private_notes.clone() rows=4 error=field_error(error, "private_notes") />
                </fieldset>

                <div class="form-actions">
                    <button type="submit" name="intent" value="save" class="button-primary" disabled=move || action.pending().get()>
                        {save_label}
                    </button>
                    <a href=back>"Cancel"</a>
                </div>
            </ActionForm>
        </div>
    }
}

/// Whether what is typed is safe, in a line that screen readers announce.
#[component]
fn KeepingStatus(keeping: RwSignal<Keeping>, editor_here: String) -> impl IntoView {
    let sign_in = format!(
        "/login?next={}",
        url::form_urlencoded::byte_serialize(editor_here.as_bytes()).collect::<String>()
    );
    view! {
        <p class="keeping-status" role="status">
            {move || match keeping.get() {
                Keeping::Idle => ().into_any(),
                Keeping::Pending => "Keeping your changes…".into_any(),
                Keeping::Kept(at) => format!("Draft kept {}", format_utc_minute(at)).into_any(),
                Keeping::OnlyHere(AppError::Unauthenticated) => view! {
                    "Your sign-in has ended: your changes are kept in this browser only. "
                    <a href=sign_in.clone()>"Sign in again"</a>
                    " and they will be offered to you."
                }
                .into_any(),
                Keeping::OnlyHere(_) => "The server cannot be reached: your changes are kept in this browser for now.".into_any(),
            }}
        </p>
    }
}

/// The form-level message of a failed save.
#[component]
fn SaveAlert(error: Signal<Option<AppError>>, editor_here: String) -> impl IntoView {
    let sign_in = format!(
        "/login?next={}",
        url::form_urlencoded::byte_serialize(editor_here.as_bytes()).collect::<String>()
    );
    move || {
        error.get().map(|error| match error {
            AppError::Unauthenticated => view! {
                <p class="form-alert" role="alert">
                    "Your sign-in has ended, so the reflection was not saved. What you typed is kept in this browser: "
                    <a href=sign_in.clone()>"sign in again"</a>
                    " and it will be offered to you."
                </p>
            }
            .into_any(),
            other => view! { <p class="form-alert" role="alert">{other.user_message()}</p> }.into_any(),
        })
    }
}

/// The error about a whole list (too many rows), if any.
#[component]
fn RowError(error: Signal<Option<AppError>>, kind: RowKind) -> impl IntoView {
    let message = field_error(error, kind.slug());
    move || {
        message
            .get()
            .map(|message| view! { <p class="field-error">{message}</p> })
    }
}

/// Adds a row in place with JavaScript (focus goes to its first field);
/// without it, a submit button the server answers with the extra row.
#[component]
fn AddRowButton(
    kind: RowKind,
    label: &'static str,
    accesskey: &'static str,
    /// Adds the row; returns the id of the field to focus.
    add: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            name="intent"
            value=format!("add:{}", kind.slug())
            class="button-secondary add-row"
            accesskey=accesskey
            aria-keyshortcuts=format!("Alt+Shift+{}", accesskey.to_uppercase())
            on:click=move |event| {
                event.prevent_default();
                focus_soon(add());
            }
        >
            {label}
            <span class="shortcut">" (Alt+Shift+" {accesskey.to_uppercase()} ")"</span>
        </button>
    }
}

#[component]
fn RemoveRowButton(
    kind: RowKind,
    index: Signal<usize>,
    what: &'static str,
    remove: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            name="intent"
            value=move || format!("remove:{}:{}", kind.slug(), index.get())
            class="button-link remove-row"
            on:click=move |event| {
                event.prevent_default();
                remove();
            }
        >
            {move || format!("Remove {what} {}", index.get() + 1)}
        </button>
    }
}

/// `reflection[reactions][2][text]` for the row at `index`.
fn row_name(kind: RowKind, index: Signal<usize>, field: &'static str) -> Signal<String> {
    Signal::derive(move || format!("reflection[{}][{}][{field}]", kind.slug(), index.get()))
}

fn row_error(
    error: Signal<Option<AppError>>,
    kind: RowKind,
    index: Signal<usize>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error
            .get()
            .and_then(|error| error.field(&row_field(kind, index.get(), field)))
    })
}

fn one_to_five(words: [&'static str; 5]) -> Vec<(String, String)> {
    (1..=5)
        .zip(words)
        .map(|(value, word)| (value.to_string(), format!("{value} — {word}")))
        .collect()
}

#[component]
fn ReactionRow(
    key: usize,
    initial: ReactionInput,
    index: Signal<usize>,
    error: Signal<Option<AppError>>,
    autofocus: bool,
    remove: impl Fn(usize) + Send + Sync + 'static,
) -> impl IntoView {
    let kind = RowKind::Reaction;
    view! {
        <fieldset class="row" id=format!("reactions-{key}")>
            <legend>{move || format!("Reaction {}", index.get() + 1)}</legend>
            // Keeps the row's identity through edits: feedback stays on it.
            <input type="hidden" name=row_name(kind, index, "id") value=initial.id.clone() />
            <div class="row-fields">
                <Select label="What you felt" id=format!("reaction-{key}-dimension") name=row_name(kind, index, "dimension")
                    value=initial.dimension blank="Choose…" autofocus
                    options=choice_options(ReactionDimension::ALL, ReactionDimension::slug, ReactionDimension::label)
                    error=row_error(error, kind, index, "dimension") />
                <Select label="Intensity" id=format!("reaction-{key}-intensity") name=row_name(kind, index, "intensity")
                    value=initial.intensity blank="Choose…"
                    options=one_to_five(["slight", "mild", "moderate", "strong", "overwhelming"])
                    error=row_error(error, kind, index, "intensity") />
            </div>
            <TextArea label="In your words" id=format!("reaction-{key}-text") name=row_name(kind, index, "text")
                value=initial.text rows=2 error=row_error(error, kind, index, "text") />
            <RemoveRowButton kind index what="reaction" remove=move || remove(key) />
        </fieldset>
    }
}

#[component]
fn InterventionRow(
    key: usize,
    initial: InterventionInput,
    index: Signal<usize>,
    error: Signal<Option<AppError>>,
    autofocus: bool,
    remove: impl Fn(usize) + Send + Sync + 'static,
) -> impl IntoView {
    let kind = RowKind::Intervention;
    view! {
        <fieldset class="row" id=format!("interventions-{key}")>
            <legend>{move || format!("Intervention {}", index.get() + 1)}</legend>
            // Keeps the row's identity through edits: feedback stays on it.
            <input type="hidden" name=row_name(kind, index, "id") value=initial.id.clone() />
            <div class="row-fields">
                <Select label="Kind" id=format!("intervention-{key}-kind") name=row_name(kind, index, "kind")
                    value=initial.kind blank="Choose…" autofocus
                    options=choice_options(InterventionKind::ALL, InterventionKind::slug, InterventionKind::label)
                    error=row_error(error, kind, index, "kind") />
                <Field label="Minute" id=format!("intervention-{key}-minute") name=row_name(kind, index, "minute")
                    kind="number" min="0" max="120" value=initial.minute
                    hint="0–120, or choose a phase"
                    error=row_error(error, kind, index, "minute") />
                <Select label="Phase" id=format!("intervention-{key}-phase") name=row_name(kind, index, "phase")
                    value=initial.phase blank="—"
                    options=choice_options(SessionPhase::ALL, SessionPhase::slug, SessionPhase::label)
                    error=row_error(error, kind, index, "phase") />
                <Select label="Depth" id=format!("intervention-{key}-depth") name=row_name(kind, index, "depth")
                    value=initial.depth blank="Choose…"
                    options=one_to_five(["close to what the client says", "a small step", "a step further", "well beyond", "far from awareness"])
                    error=row_error(error, kind, index, "depth") />
                <Select label="About" id=format!("intervention-{key}-target") name=row_name(kind, index, "target")
                    value=initial.target blank="—"
                    options=choice_options(TargetPerson::ALL, TargetPerson::slug, TargetPerson::label)
                    error=row_error(error, kind, index, "target") />
                <Select label="Client's response" id=format!("intervention-{key}-response") name=row_name(kind, index, "response")
                    value=initial.response blank="—"
                    options=choice_options(ClientResponse::ALL, ClientResponse::slug, ClientResponse::label)
                    error=row_error(error, kind, index, "response") />
            </div>
            <TextArea label="What you said, and what followed" id=format!("intervention-{key}-text") name=row_name(kind, index, "text")
                value=initial.text rows=2 error=row_error(error, kind, index, "text") />
            <RemoveRowButton kind index what="intervention" remove=move || remove(key) />
        </fieldset>
    }
}

#[component]
fn EpisodeRow(
    key: usize,
    initial: EpisodeInput,
    index: Signal<usize>,
    error: Signal<Option<AppError>>,
    autofocus: bool,
    remove: impl Fn(usize) + Send + Sync + 'static,
) -> impl IntoView {
    let kind = RowKind::Episode;
    view! {
        <fieldset class="row" id=format!("episodes-{key}")>
            <legend>{move || format!("Episode {}", index.get() + 1)}</legend>
            // Keeps the row's identity through edits: feedback stays on it.
            <input type="hidden" name=row_name(kind, index, "id") value=initial.id.clone() />
            <div class="row-fields">
                <Select label="With whom" id=format!("episode-{key}-with-whom") name=row_name(kind, index, "with_whom")
                    value=initial.with_whom blank="Choose…" autofocus
                    options=choice_options(EpisodeWith::ALL, EpisodeWith::slug, EpisodeWith::label)
                    error=row_error(error, kind, index, "with_whom") />
                <Select label="When" id=format!("episode-{key}-when") name=row_name(kind, index, "when")
                    value=initial.when blank="—"
                    options=choice_options(EpisodeWhen::ALL, EpisodeWhen::slug, EpisodeWhen::label)
                    error=row_error(error, kind, index, "when") />
            </div>
            <div class="row-fields">
                <Select label="Wish (W)" id=format!("episode-{key}-wish") name=row_name(kind, index, "wish")
                    value=initial.wish blank="—"
                    options=choice_options(Wish::ALL, Wish::slug, Wish::label)
                    error=row_error(error, kind, index, "wish") />
                <Field label="Wish, in your words" id=format!("episode-{key}-wish-text") name=row_name(kind, index, "wish_text")
                    value=initial.wish_text error=row_error(error, kind, index, "wish_text") />
            </div>
            <div class="row-fields">
                <Select label="Response of other (RO)" id=format!("episode-{key}-ro") name=row_name(kind, index, "response_of_other")
                    value=initial.response_of_other blank="—"
                    options=choice_options(ResponseOfOther::ALL, ResponseOfOther::slug, ResponseOfOther::label)
                    error=row_error(error, kind, index, "response_of_other") />
                <Field label="Response of other, in your words" id=format!("episode-{key}-ro-text") name=row_name(kind, index, "response_of_other_text")
                    value=initial.response_of_other_text error=row_error(error, kind, index, "response_of_other_text") />
            </div>
            <div class="row-fields">
                <Select label="Response of self (RS)" id=format!("episode-{key}-rs") name=row_name(kind, index, "response_of_self")
                    value=initial.response_of_self blank="—"
                    options=choice_options(ResponseOfSelf::ALL, ResponseOfSelf::slug, ResponseOfSelf::label)
                    error=row_error(error, kind, index, "response_of_self") />
                <Field label="Response of self, in your words" id=format!("episode-{key}-rs-text") name=row_name(kind, index, "response_of_self_text")
                    value=initial.response_of_self_text error=row_error(error, kind, index, "response_of_self_text") />
            </div>
            <RemoveRowButton kind index what="episode" remove=move || remove(key) />
        </fieldset>
    }
}
