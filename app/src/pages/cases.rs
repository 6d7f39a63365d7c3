//! The therapist's cases: the list, a case with its sessions, and the forms
//! to create, edit and delete one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        analytics::{analytics_path, MY_PATTERNS_PATH},
        cases::{
            case_with_sessions, my_cases, CaseOverview, CreateCase, DeleteCase, SessionAtAGlance,
            SetCaseStatus, UpdateCase,
        },
        reflections::{editor_path, my_drafts, reflection_path, DiscardDraft},
    },
    components::{
        browser::{draft_key, forget},
        feedback::ReviewStates,
        form::{
            action_error, choice_options, field_error, typed_value, Field, FormAlert, Notice,
            Select, SubmitButton, TextArea,
        },
        layout::RequireSignIn,
    },
    domain::{
        accounts::UserId,
        cases::{CaseId, CaseInput, CaseSummary},
        reflection::{DraftSummary, Glance},
        time::format_utc_minute,
        timeline::{requested_page, TimelinePage},
        vocabulary::{CaseStatus, Modality, SessionFrequency},
    },
    error::AppError,
    pages::sharing::CaseSharing,
};

/// A numeric id from the address (`name` is the route parameter), or 0,
/// which no record has.
pub fn id_param(name: &'static str) -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get(name)
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    })
}

pub fn query_notice(messages: &'static [(&'static str, &'static str)]) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || {
        let query = query.read();
        messages
            .iter()
            .find(|(key, _)| query.get(key).is_some())
            .map(|(_, message)| message.to_string())
    })
}

/// What a page was looking for, so its "not found" speaks of it and leads
/// back to where such things are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Missing {
    /// One's own cases and reflections.
    #[default]
    CaseOrReflection,
    /// Cases and reflections shared with one as supervisor.
    SharedCase,
    Meeting,
    /// A supervisee's hours statement.
    Statement,
}

impl Missing {
    fn sentence(self) -> &'static str {
        match self {
            Missing::CaseOrReflection => "There is no such case or reflection among yours.",
            Missing::SharedCase => "There is no such case or reflection shared with you.",
            Missing::Meeting => "There is no such meeting among yours.",
            Missing::Statement => "There is no such hours statement among yours.",
        }
    }

    fn way_back(self) -> (&'static str, &'static str) {
        match self {
            Missing::CaseOrReflection => ("/cases", "Back to your cases"),
            Missing::SharedCase => ("/supervision", "Back to supervision"),
            Missing::Meeting => ("/meetings", "Back to your meetings"),
            Missing::Statement => ("/meetings/hours", "Back to supervision hours"),
        }
    }
}

/// Shows a failed load: 404 for what is not the asker's (worded for what
/// was `missing`), a short message otherwise.
#[component]
pub fn LoadError(error: AppError, #[prop(optional)] missing: Missing) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status_code());
    }
    match error {
        AppError::NotFound => {
            let (back, back_text) = missing.way_back();
            view! {
                <h1>"Not found"</h1>
                <p>{missing.sentence()}</p>
                <p><a href=back>{back_text}</a></p>
            }
            .into_any()
        }
        other => view! { <p class="form-alert" role="alert">{other.user_message()}</p> }.into_any(),
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query
            .read()
            .get("status")
            .unwrap_or_else(|| "active".to_string())
    });
    let cases = Resource::new(move || filter.get(), |status| my_cases(Some(status)));
    let drafts = Resource::new(|| (), |_| my_drafts());
    let notice = query_notice(&[(
        "deleted",
        "The case and everything written in it were deleted.",
    )]);
    view! {
        <Title text="Your cases" />
        <RequireSignIn>
            <div class="page-heading">
                <h1>"Your cases"</h1>
                <div class="case-actions">
                    <a class="button-secondary" href=MY_PATTERNS_PATH>"My patterns"</a>
                    <a class="button-primary" href="/cases/new">"New case"</a>
                </div>
            </div>
            <Notice message=notice />
            <nav class="filter-links" aria-label="Show cases">
                {[("active", "Active"), ("closed", "Closed"), ("all", "All")]
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <a
                                href=format!("/cases?status={value}")
                                aria-current=move || (filter.get() == value).then_some("page")
                            >
                                {text}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(cases) if cases.is_empty() => view! {
                            <p class="empty">"No cases here yet. Create one to start writing reflections."</p>
                        }
                        .into_any(),
                        Ok(cases) => view! { <CaseTable cases /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    drafts
                        .await
                        .ok()
                        .filter(|drafts| !drafts.is_empty())
                        .map(|drafts| view! { <UnsavedDrafts drafts /> })
                })}
            </Transition>
        </RequireSignIn>
    }
}

#[component]
fn CaseTable(cases: Vec<CaseSummary>) -> impl IntoView {
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"Code"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Sessions"</th>
                    <th scope="col">"Last reflection"</th>
                </tr>
            </thead>
            <tbody>
                {cases
                    .into_iter()
                    .map(|case| {
                        view! {
                            <tr>
                                <td><a href=format!("/cases/{}", case.id.0)>{case.code}</a></td>
                                <td>{case.status.label()}</td>
                                <td>{case.sessions}</td>
                                <td>{case.last_reflection.unwrap_or_else(|| "—".to_string())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// How high a shared section's heading stands: a part of its page, or a
/// section inside one of the home page's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Heading {
    #[default]
    Page,
    Part,
}

/// Where a list of drafts lets each be thrown away: whose they are (their
/// browser copies are forgotten too) and the page to come back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscardFrom {
    pub owner: UserId,
    pub back: &'static str,
}

/// Reflections being written and not saved yet, with a way back to each
/// and, given `discard`, a way to throw each away.
#[component]
pub fn UnsavedDrafts(
    drafts: Vec<DraftSummary>,
    #[prop(optional)] heading: Heading,
    #[prop(optional)] discard: Option<DiscardFrom>,
) -> impl IntoView {
    let title = "Unsaved reflections";
    let heading = match heading {
        Heading::Page => view! { <h2 id="drafts-heading">{title}</h2> }.into_any(),
        Heading::Part => view! { <h3 id="drafts-heading">{title}</h3> }.into_any(),
    };
    let action = ServerAction::<DiscardDraft>::new();
    view! {
        <section class="drafts" aria-labelledby="drafts-heading">
            {heading}
            <FormAlert error=action_error(action) />
            <ul class="draft-list">
                {drafts
                    .into_iter()
                    .map(|draft| {
                        let href = format!("{}?draft=1", editor_path(draft.case_id, draft.reflection_id));
                        let what = if draft.session_number.trim().is_empty() {
                            format!("{}: a reflection", draft.case_code)
                        } else {
                            format!("{}: session {}", draft.case_code, draft.session_number.trim())
                        };
                        let discard = discard.map(|from| view! {
                            <DiscardDraftForm action from draft=draft.clone() what=what.clone() />
                        });
                        view! {
                            <li>
                                <span>
                                    <a href=href>{what}</a>
                                    " — last typed " {format_utc_minute(draft.updated_at)}
                                </span>
                                {discard}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Throwing one draft away, in two steps so that no text is lost to a
/// stray click: "Discard…" opens the button that does it. With JavaScript
/// the sealed copy of its typing this browser may hold goes too, or the
/// editor would bring the text back the next time it opens.
#[component]
fn DiscardDraftForm(
    action: ServerAction<DiscardDraft>,
    from: DiscardFrom,
    draft: DraftSummary,
    what: String,
) -> impl IntoView {
    let copy = draft_key(
        from.owner.0,
        draft.case_id.0,
        draft.reflection_id.map(|id| id.0),
    );
    view! {
        <details class="discard-draft">
            <summary>"Discard…"<span class="visually-hidden">{format!(" {what}")}</span></summary>
            <ActionForm action attr:class="discard-draft-form" on:submit=move |_| forget(&copy)>
                <input type="hidden" name="case_id" value=draft.case_id.0 />
                {draft.reflection_id.map(|id| view! { <input type="hidden" name="reflection_id" value=id.0 /> })}
                <input type="hidden" name="back" value=from.back />
                <span class="field-hint">"What was typed in it will be lost."</span>
                <button type="submit" class="button-danger">
                    "Discard this draft"<span class="visually-hidden">{format!(" of {what}")}</span>
                </button>
            </ActionForm>
        </details>
    }
}

/// The case fields, named `case[...]` for the server functions.
#[component]
fn CaseFields(input: CaseInput, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <Field
            label="Case code"
            name="case[code]"
            id="case-code"
            value=input.code
            hint="Your own pseudonym for the client, up to 40 characters. Never use a name or initials."
            required=true
            autofocus=true
            error=field_error(error, "code")
        />
        <Select
            label="Modality"
            id="case-modality"
            name="case[modality]"
            value=input.modality
            blank="Choose…"
            options=choice_options(Modality::ALL, Modality::slug, Modality::label)
            error=field_error(error, "modality")
        />
        <Select
            label="How often you meet"
            id="case-frequency"
            name="case[frequency]"
            value=input.frequency
            blank="Choose…"
            options=choice_options(SessionFrequency::ALL, SessionFrequency::slug, SessionFrequency::label)
            error=field_error(error, "frequency")
        />
        <Field
            label="Start date"
            name="case[start_date]"
            id="case-start-date"
            kind="date"
            value=input.start_date
            required=true
            error=field_error(error, "start_date")
        />
        <Field
            label="Planned number of sessions (optional)"
            name="case[planned_sessions]"
            id="case-planned-sessions"
            kind="number"
            min="1"
            value=input.planned_sessions
            hint="For time-limited work, for example 16."
            error=field_error(error, "planned_sessions")
        />
        <TextArea
            label="Names to watch (optional)"
            id="case-names"
            name="case[names_to_watch]"
            value=input.names_to_watch
            hint="Names of the client and of people in their life, one per line. They stay encrypted and are used to warn you before anything is shared."
            error=field_error(error, "names_to_watch")
        />
    }
}

/// What a failed post without JavaScript brought back for the case form.
fn typed_case_input() -> Option<CaseInput> {
    let code = typed_value("case[code]");
    let modality = typed_value("case[modality]");
    (!code.is_empty() || !modality.is_empty()).then(|| CaseInput {
        code,
        modality,
        frequency: typed_value("case[frequency]"),
        start_date: typed_value("case[start_date]"),
        planned_sessions: typed_value("case[planned_sessions]"),
        names_to_watch: String::new(),
    })
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let action = ServerAction::<CreateCase>::new();
    let error = action_error(action);
    let input = StoredValue::new(typed_case_input().unwrap_or_default());
    view! {
        <Title text="New case" />
        <RequireSignIn>
            <h1>"New case"</h1>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <FormAlert error />
                <CaseFields input=input.get_value() error />
                <SubmitButton label="Create case" pending=action.pending() />
            </ActionForm>
        </RequireSignIn>
    }
}

#[component]
pub fn EditCasePage() -> impl IntoView {
    let case_id = id_param("case_id");
    let overview = Resource::new(move || case_id.get(), |id| case_with_sessions(id, None));
    view! {
        <Title text="Edit case" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <EditCaseForm overview /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn EditCaseForm(overview: CaseOverview) -> impl IntoView {
    let action = ServerAction::<UpdateCase>::new();
    let error = action_error(action);
    let stored = CaseInput::from_details(&overview.case.details);
    let input = match typed_case_input() {
        Some(typed) => CaseInput {
            names_to_watch: stored.names_to_watch,
            ..typed
        },
        None => stored,
    };
    let id = overview.case.id.0;
    view! {
        <h1>"Edit case " {overview.case.details.code.clone()}</h1>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="case_id" value=id />
            <CaseFields input error />
            <div class="form-actions">
                <SubmitButton label="Save changes" pending=action.pending() />
                <a href=format!("/cases/{id}")>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let case_id = id_param("case_id");
    let set_status = ServerAction::<SetCaseStatus>::new();
    let page = page_param();
    let overview = Resource::new(
        move || (case_id.get(), page.get(), set_status.version().get()),
        |(id, page, _)| case_with_sessions(id, page),
    );
    let notice = query_notice(&[
        (
            "created",
            "Case created. Write the first reflection when you are ready.",
        ),
        ("updated", "Changes saved."),
        (
            "draft_kept",
            "Your reflection was kept as a draft; it is listed on your cases page.",
        ),
        (
            "shared",
            "The case is shared. The supervisor sees it from their next visit.",
        ),
        (
            "revoked",
            "The share was revoked. The supervisor can no longer open this case.",
        ),
    ]);
    view! {
        <Title text="Case" />
        <RequireSignIn>
            <Notice message=notice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <CaseOverviewView overview set_status /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn CaseOverviewView(
    overview: CaseOverview,
    set_status: ServerAction<SetCaseStatus>,
) -> impl IntoView {
    let case = overview.case;
    let id = case.id;
    let details = case.details;
    let (next_status, status_label) = match case.status {
        CaseStatus::Active => (CaseStatus::Closed, "Close case"),
        CaseStatus::Closed => (CaseStatus::Active, "Reopen case"),
    };
    let write_label = format!(
        "Write reflection for session {}",
        overview.next_session_number
    );
    let error = action_error(set_status);
    view! {
        <Title text=format!("Case {}", details.code) />
        <div class="page-heading">
            <h1>"Case " {details.code.clone()}</h1>
            <a class="button-primary" href=editor_path(id, None) accesskey="n">{write_label}</a>
        </div>
        <dl class="details">
            <dt>"Status"</dt><dd>{case.status.label()}</dd>
            <dt>"Modality"</dt><dd>{details.modality.label()}</dd>
            <dt>"Meets"</dt><dd>{details.frequency.label()}</dd>
            <dt>"Started"</dt><dd>{details.start_date.clone()}</dd>
            <dt>"Planned sessions"</dt>
            <dd>{details.planned_sessions.map(|n| n.to_string()).unwrap_or_else(|| "Open-ended".to_string())}</dd>
            <dt>"Names to watch"</dt>
            <dd>{if details.names_to_watch.is_empty() { "None listed".to_string() } else { details.names_to_watch.join(", ") }}</dd>
        </dl>
        <FormAlert error />
        <div class="case-actions">
            <a class="button-secondary" href=analytics_path(id.0)>"Analytics"</a>
            <a class="button-secondary" href=crate::api::export::print_path(id.0)>"Printable view"</a>
            <a class="button-secondary" href=format!("/cases/{}/edit", id.0)>"Edit details"</a>
            <ActionForm action=set_status attr:class="inline-form">
                <input type="hidden" name="case_id" value=id.0 />
                <input type="hidden" name="status" value=next_status.slug() />
                <button type="submit" class="button-secondary">{status_label}</button>
            </ActionForm>
            <a class="button-danger" href=format!("/cases/{}/delete", id.0)>"Delete case…"</a>
        </div>
        <CaseSharing case=id shares=overview.shares />
        <SessionTimeline case=id sessions=overview.sessions timeline=overview.timeline />
    }
}

/// One page of the case's sessions, newest first, each with its reactions
/// at a glance.
#[component]
fn SessionTimeline(
    case: CaseId,
    sessions: Vec<SessionAtAGlance>,
    timeline: TimelinePage,
) -> impl IntoView {
    view! {
        <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Sessions"</h2>
            <TimelinePages timeline path=format!("/cases/{}", case.0) />
            {if sessions.is_empty() {
                view! { <p class="empty">"No reflections yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline" reversed=true>
                        {sessions
                            .into_iter()
                            .map(|session| view! { <TimelineEntry case session /> })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

/// The address's `page` parameter, for a list shown a page at a time.
pub fn page_param() -> Memo<Option<u32>> {
    let query = use_query_map();
    Memo::new(move |_| requested_page(query.read().get("page").as_deref()))
}

/// Which sessions a timeline of several pages shows, with links to the
/// newer and the earlier ones (`path` is the page's own address). Nothing
/// when they all fit on one page.
#[component]
pub fn TimelinePages(timeline: TimelinePage, path: String) -> impl IntoView {
    let link = move |page: u32| match page {
        1 => path.clone(),
        page => format!("{path}?page={page}"),
    };
    timeline.summary().map(|summary| {
        view! {
            <p class="timeline-summary">{summary}</p>
            <nav class="filter-links" aria-label="Sessions">
                {timeline.newer().map(|page| view! { <a href=link(page) rel="prev">"Newer sessions"</a> })}
                {timeline.earlier().map(|page| view! { <a href=link(page) rel="next">"Earlier sessions"</a> })}
            </nav>
        }
    })
}

#[component]
fn TimelineEntry(case: CaseId, session: SessionAtAGlance) -> impl IntoView {
    let href = reflection_path(case, session.reflection_id);
    view! {
        <li class="timeline-entry">
            <a href=href>"Session " {session.session_number} " · " {session.session_date}</a>
            <NewCount count=session.unread />
            <ReviewStates reviews=session.reviews />
            <SessionGlance glance=session.glance />
        </li>
    }
}

/// `1 episode`, `3 episodes`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A session at a glance: each reaction as its dimension with a 1–5
/// intensity meter, and how many interventions, interpretations and
/// episodes it has.
#[component]
pub fn SessionGlance(glance: Glance) -> impl IntoView {
    let counts = format!(
        "{} ({}), {}",
        count(glance.interventions, "intervention", "interventions"),
        count(glance.interpretations, "interpretation", "interpretations"),
        count(glance.episodes, "episode", "episodes"),
    );
    view! {
        <ul class="chips" aria-label="Reactions">
            {glance
                .reactions
                .into_iter()
                .map(|(dimension, intensity)| {
                    view! {
                        <li class="chip" data-intensity=intensity>
                            {dimension.label()}
                            <span class="chip-intensity">" " {intensity} "/5"</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <p class="timeline-counts">{counts}</p>
    }
}

/// How many new things there are, when there are any.
#[component]
pub fn NewCount(count: i64) -> impl IntoView {
    (count > 0).then(|| view! { " " <span class="badge">{count} " new"</span> })
}

#[component]
pub fn DeleteCasePage() -> impl IntoView {
    let case_id = id_param("case_id");
    let overview = Resource::new(move || case_id.get(), |id| case_with_sessions(id, None));
    view! {
        <Title text="Delete case" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <DeleteCaseForm overview /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn DeleteCaseForm(overview: CaseOverview) -> impl IntoView {
    let action = ServerAction::<DeleteCase>::new();
    let error = action_error(action);
    let code = overview.case.details.code;
    let id = overview.case.id.0;
    let sessions = overview.timeline.total_sessions;
    view! {
        <h1>"Delete case " {code.clone()}</h1>
        <p class="warning">
            "This deletes the case and its " {sessions}
            " reflections, with every reaction, intervention, episode, note and draft in them, every share of it and all feedback on it. It cannot be undone."
        </p>
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="case_id" value=id />
            <Field
                label="Type the case code to confirm"
                name="confirm_code"
                id="confirm-code"
                hint="Type it exactly as shown in the heading."
                autocomplete="off"
                required=true
                autofocus=true
                error=field_error(error, "confirm_code")
            />
            <div class="form-actions">
                <SubmitButton label="Delete case and everything in it" pending=action.pending() class="button-danger" />
                <a href=format!("/cases/{id}")>"Keep the case"</a>
            </div>
        </ActionForm>
    }
}
