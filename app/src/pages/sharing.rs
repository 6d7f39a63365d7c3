//! Sharing a case: the share form with its preview of exactly what the
//! supervisor will see, a share's settings (change, revoke), the case's
//! sharing section, and the access log.
//!
//! The share form is a GET form: filling it in shows the preview on the
//! same page (nothing is stored, and no clinical text is in the address);
//! confirming posts the same values to `create_share`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::shares::{
        access_log, access_log_path, share_form, share_path, share_settings, share_settings_path,
        ConfirmReturn, CreateShare, RevokeShare, ShareFormView, ShareSettingsView, UpdateShare,
    },
    components::{
        form::{action_error, field_error, Field, FormAlert, Notice, SubmitButton},
        identifiers::IdentifierReview,
        layout::RequireSignIn,
        reading::SharedReflectionReading,
    },
    domain::{
        cases::CaseId,
        identifiers::review::{pending_in, IDENTIFIERS_FIELD},
        reflection::ReflectionId,
        sharing::{SessionChoice, ShareInput, SharePreview, ShareStatus, ShareSummary},
        time::format_utc_minute,
        vocabulary::ShareBasis,
    },
    pages::cases::{count, id_param, query_notice, LoadError},
};

/// What is shared and what never is, in the therapist's words.
#[component]
fn WhatIsShared() -> impl IntoView {
    view! {
        <div class="explainer">
            <p>
                "The supervisor will see this case's reflections — reactions, trigger, manifestation, "
                "management, identification, enactment, interventions and relationship episodes — "
                "with each session shown by its number and its week since the case started. "
                "They can comment, rate the pacing of interventions and mark reflections reviewed."
            </p>
            <p>
                <strong>"Never shared: "</strong>
                "the origin of your reactions, your private notes, the names to watch, and any calendar date."
            </p>
        </div>
    }
}

fn typed_share(query: &leptos_router::params::ParamsMap) -> Option<ShareInput> {
    let get = |name: &str| query.get(name).unwrap_or_default();
    let typed = ShareInput {
        supervisor_email: get("share[supervisor_email]"),
        basis: get("share[basis]"),
        excluded: query.get_all("share[excluded][]").unwrap_or_default(),
        expires_on: get("share[expires_on]"),
    };
    (typed != ShareInput::default()).then_some(typed)
}

#[component]
pub fn SharePage() -> impl IntoView {
    let case_id = id_param("case_id");
    let query = use_query_map();
    let typed = Memo::new(move |_| typed_share(&query.read()));
    // Confirming findings returns here with a new `confirmed` stamp.
    let confirmed = Memo::new(move |_| query.read().get("confirmed"));
    let form = Resource::new(
        move || (case_id.get(), typed.get(), confirmed.get()),
        |(case, typed, _)| share_form(case, typed),
    );
    view! {
        <Title text="Share case" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! {
                            <ShareFormBody case=CaseId(case_id.get_untracked()) form typed=typed.get_untracked().unwrap_or_default() />
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn ShareFormBody(case: CaseId, form: ShareFormView, typed: ShareInput) -> impl IntoView {
    let ShareFormView {
        case_code,
        sessions,
        preview,
    } = form;
    let (preview, preview_error) = match preview {
        Some(Ok(preview)) => (Some(preview), None),
        Some(Err(error)) => (None, Some(error)),
        None => (None, None),
    };
    let error = Signal::stored(preview_error);
    let field = move |name: &'static str| field_error(error, name);
    let path = share_path(case.0);
    view! {
        <Title text=format!("Share {case_code}") />
        <p class="breadcrumbs"><a href=format!("/cases/{}", case.0)>"Case " {case_code.clone()}</a></p>
        <h1>"Share case " {case_code.clone()} " with a supervisor"</h1>
        <WhatIsShared />
        <form method="get" action=path class="stacked-form share-form" novalidate=true>
            <FormAlert error />
            <Field label="Supervisor's email address" name="share[supervisor_email]" id="share-email" kind="email"
                value=typed.supervisor_email.clone() autocomplete="off" required=true
                hint="They need an account on this server."
                error=field("supervisor_email") />
            <BasisChoice checked=typed.basis.clone() error=field("basis") />
            <SessionsToLeaveOut name="share[excluded][]" sessions checked=typed.excluded.clone() error=field("excluded") />
            <Field label="Last day of the share (optional)" name="share[expires_on]" id="share-expires" kind="date"
                value=typed.expires_on.clone()
                hint="Access ends after this day. Leave it empty to share until you revoke it."
                error=field("expires_on") />
            <button type="submit" class="button-secondary">"Preview what they will see"</button>
        </form>
        {preview.map(|preview| view! { <SharePreviewSection case preview /> })}
    }
}

#[component]
fn BasisChoice(checked: String, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <fieldset class="radio-group" class:field-invalid=move || error.get().is_some()>
            <legend>"Basis for sharing"</legend>
            {ShareBasis::ALL
                .iter()
                .map(|basis| {
                    let id = format!("share-basis-{}", basis.slug());
                    let is_checked = checked == basis.slug();
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="radio" id=id.clone() name="share[basis]" value=basis.slug() checked=is_checked />
                            {basis.label()}
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-error" id="share-basis-error">{move || error.get()}</p>
        </fieldset>
    }
}

/// Check boxes for the case's sessions a share leaves out.
#[component]
fn SessionsToLeaveOut(
    name: &'static str,
    sessions: Vec<SessionChoice>,
    checked: Vec<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="checkbox-group" class:field-invalid=move || error.get().is_some()>
            <legend>"Sessions to leave out (optional)"</legend>
            {sessions.is_empty().then(|| view! { <p class="field-hint">"No reflections yet: the ones you write later will be shared."</p> })}
            {sessions
                .into_iter()
                .map(|session| {
                    let value = session.reflection_id.0.to_string();
                    let id = format!("exclude-{value}");
                    let is_checked = checked.contains(&value);
                    view! {
                        <label class="checkbox" for=id.clone()>
                            <input type="checkbox" id=id.clone() name=name value=value checked=is_checked />
                            "Session " {session.session_number} " · " {session.session_date}
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-hint">"Reflections you write later are shared too, unless you leave them out here afterwards."</p>
            <p class="field-error">{move || error.get()}</p>
        </fieldset>
    }
}

#[component]
fn SharePreviewSection(case: CaseId, preview: SharePreview) -> impl IntoView {
    let action = ServerAction::<CreateShare>::new();
    let error = action_error(action);
    let SharePreview {
        supervisor_name,
        request,
        reflections,
        identifiers,
    } = preview;
    let typed = ShareInput::of_request(&request);
    let pending = pending_in(&identifiers);
    let back = ConfirmReturn {
        share: Some(typed.clone()),
        reflection_id: None,
    };
    let scope_line = match (&request.scope.expires_on, request.scope.excluded.len()) {
        (None, 0) => "Every session, until you revoke the share.".to_string(),
        (Some(day), 0) => format!("Every session, through {day}."),
        (None, left_out) => format!(
            "All but {}, until you revoke the share.",
            count(left_out, "session", "sessions")
        ),
        (Some(day), left_out) => format!(
            "All but {}, through {day}.",
            count(left_out, "session", "sessions")
        ),
    };
    let shown = reflections.len();
    view! {
        <section class="share-preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">"What " {supervisor_name.clone()} " will see"</h2>
            <dl class="details">
                <dt>"Supervisor"</dt><dd>{supervisor_name.clone()} " (" {request.supervisor_email.to_string()} ")"</dd>
                <dt>"Basis"</dt><dd>{request.basis.label()}</dd>
                <dt>"Scope"</dt><dd>{scope_line}</dd>
            </dl>
            {if reflections.is_empty() {
                view! { <p class="empty">"No reflections to show yet."</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{}, exactly as the supervisor will read them:", count(shown, "reflection", "reflections"))}</p>
                    {reflections
                        .into_iter()
                        .map(|reflection| view! {
                            <details class="preview-reflection">
                                <summary>"Session " {reflection.session_number} " · week " {reflection.week}</summary>
                                <SharedReflectionReading reflection />
                            </details>
                        })
                        .collect_view()}
                }
                .into_any()
            }}
            {(!identifiers.is_empty()).then(|| view! { <IdentifierReview case passages=identifiers back /> })}
            <ActionForm action attr:class="stacked-form">
                <FormAlert error />
                <input type="hidden" name="case_id" value=case.0 />
                <input type="hidden" name="share[supervisor_email]" value=typed.supervisor_email />
                <input type="hidden" name="share[basis]" value=typed.basis />
                {typed
                    .excluded
                    .into_iter()
                    .map(|id| view! { <input type="hidden" name="share[excluded][]" value=id /> })
                    .collect_view()}
                <input type="hidden" name="share[expires_on]" value=typed.expires_on />
                <p class="field-error">{move || field_error(error, "supervisor_email").get()}</p>
                <p class="field-error">{move || field_error(error, IDENTIFIERS_FIELD).get()}</p>
                {if pending == 0 {
                    view! {
                        <button type="submit" class="button-primary" disabled=move || action.pending().get()>
                            "Share with " {supervisor_name.clone()}
                        </button>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="warning">
                            "Sharing waits until every possible identifier above is fixed or confirmed."
                        </p>
                    }
                    .into_any()
                }}
            </ActionForm>
        </section>
    }
}

/// The case page's part about sharing: every share (history included) and
/// the ways to share, change, revoke, and see who opened what.
#[component]
pub fn CaseSharing(case: CaseId, shares: Vec<ShareSummary>) -> impl IntoView {
    view! {
        <section class="sharing" id="sharing" aria-labelledby="sharing-heading">
            <h2 id="sharing-heading">"Sharing"</h2>
            {if shares.is_empty() {
                view! { <p class="empty">"Not shared with anyone. Only you can see this case."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">"Supervisor"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Basis"</th>
                                <th scope="col">"Scope"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {shares
                                .into_iter()
                                .map(|share| view! { <ShareRow case share /> })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
            <div class="case-actions">
                <a class="button-secondary" href=share_path(case.0)>"Share this case…"</a>
                <a href=access_log_path(case.0)>"Who opened what (access log)"</a>
            </div>
        </section>
    }
}

fn status_text(share: &ShareSummary) -> String {
    match (share.status, share.revoked_at) {
        (ShareStatus::Revoked, Some(at)) => format!("Revoked {}", format_utc_minute(at)),
        (status, _) => status.label().to_string(),
    }
}

fn scope_text(share: &ShareSummary) -> String {
    let left_out = match share.scope.excluded.len() {
        0 => "Every session".to_string(),
        n => format!("Leaves out {}", count(n, "session", "sessions")),
    };
    match &share.scope.expires_on {
        Some(day) => format!("{left_out}, through {day}"),
        None => left_out,
    }
}

#[component]
fn ShareRow(case: CaseId, share: ShareSummary) -> impl IntoView {
    let settings = share_settings_path(case.0, share.id.0);
    let revoked = share.status == ShareStatus::Revoked;
    view! {
        <tr data-status=share.status.label()>
            <td>
                {share.supervisor_name.clone()}<br />
                <span class="aside email">{share.supervisor_email.clone()}</span>
                // In the first column, so that it stays in view on a phone.
                {(!revoked).then(|| view! { <br /><a href=settings>"Change or revoke"</a> })}
            </td>
            <td>{status_text(&share)}</td>
            <td>{share.basis.label()}</td>
            <td>{scope_text(&share)}</td>
        </tr>
    }
}

#[component]
pub fn ShareSettingsPage() -> impl IntoView {
    let case_id = id_param("case_id");
    let share_id = id_param("share_id");
    let update = ServerAction::<UpdateShare>::new();
    let settings = Resource::new(
        move || (case_id.get(), share_id.get(), update.version().get()),
        |(case, share, _)| share_settings(case, share),
    );
    let notice = query_notice(&[("updated", "The share was changed.")]);
    view! {
        <Title text="Share" />
        <RequireSignIn>
            <Notice message=notice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <ShareSettingsBody case=CaseId(case_id.get_untracked()) settings update /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn ShareSettingsBody(
    case: CaseId,
    settings: ShareSettingsView,
    update: ServerAction<UpdateShare>,
) -> impl IntoView {
    let ShareSettingsView {
        case_code,
        share,
        sessions,
    } = settings;
    let update_error = action_error(update);
    let revoke = ServerAction::<RevokeShare>::new();
    let revoke_error = action_error(revoke);
    let excluded: Vec<String> = share
        .scope
        .excluded
        .iter()
        .map(|id: &ReflectionId| id.0.to_string())
        .collect();
    let open = share.status != ShareStatus::Revoked;
    view! {
        <Title text=format!("Share of {case_code} with {}", share.supervisor_name) />
        <p class="breadcrumbs"><a href=format!("/cases/{}#sharing", case.0)>"Case " {case_code.clone()}</a></p>
        <h1>"Case " {case_code.clone()} " shared with " {share.supervisor_name.clone()}</h1>
        <dl class="details">
            <dt>"Status"</dt><dd>{status_text(&share)}</dd>
            <dt>"Basis"</dt><dd>{share.basis.label()}</dd>
            <dt>"Shared"</dt><dd>{format_utc_minute(share.created_at)}</dd>
            <dt>"Scope"</dt><dd>{scope_text(&share)}</dd>
        </dl>
        {open.then(|| view! {
            <section aria-labelledby="change-heading">
                <h2 id="change-heading">"Change what is shared"</h2>
                <ActionForm action=update attr:class="stacked-form" attr:novalidate=true>
                    <FormAlert error=update_error />
                    <input type="hidden" name="case_id" value=case.0 />
                    <input type="hidden" name="share_id" value=share.id.0 />
                    <SessionsToLeaveOut name="scope[excluded][]" sessions checked=excluded error=field_error(update_error, "excluded") />
                    <Field label="Last day of the share (optional)" name="scope[expires_on]" id="scope-expires" kind="date"
                        value=share.scope.expires_on.clone().unwrap_or_default()
                        hint="Access ends after this day. Leave it empty to share until you revoke it."
                        error=field_error(update_error, "expires_on") />
                    <SubmitButton label="Save changes" pending=update.pending() />
                </ActionForm>
            </section>
            <section class="danger-zone" aria-labelledby="revoke-heading">
                <h2 id="revoke-heading">"Revoke"</h2>
                <p>"The supervisor loses access at once, from their next click. What they wrote stays with you; you can share again later."</p>
                <ActionForm action=revoke attr:class="inline-form">
                    <FormAlert error=revoke_error />
                    <input type="hidden" name="case_id" value=case.0 />
                    <input type="hidden" name="share_id" value=share.id.0 />
                    <button type="submit" class="button-danger">"Revoke access now"</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let case_id = id_param("case_id");
    let log = Resource::new(move || case_id.get(), access_log);
    view! {
        <Title text="Access log" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(log) => view! {
                            <Title text=format!("Access log of {}", log.case_code) />
                            <p class="breadcrumbs"><a href=format!("/cases/{}#sharing", case_id.get_untracked())>"Case " {log.case_code.clone()}</a></p>
                            <h1>"Who opened what of " {log.case_code.clone()}</h1>
                            <p class="aside">"Every time a supervisor opens this case or one of its reflections, it is noted here. Only you see this log."</p>
                            {if log.events.is_empty() {
                                view! { <p class="empty">"Nobody has opened anything of this case."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="data-table">
                                        <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th></tr></thead>
                                        <tbody>
                                            {log.events.into_iter().map(|event| view! {
                                                <tr>
                                                    <td>{format_utc_minute(event.occurred_at)}</td>
                                                    <td>{event.supervisor_name}</td>
                                                    <td>{event.material.describe()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }
                                .into_any()
                            }}
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}
