//! The supervisor's pages: the inbox of what supervisees shared, a shared
//! case with its sessions, and a shared reflection with the conversation
//! about it. Sessions are placed by number and week, never by date.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::{
    api::{
        analytics::shared_analytics_path,
        meetings::MEETINGS_PATH,
        supervision::{
            read_shared_reflection, shared_case, supervision_case_path, supervision_inbox,
            supervision_reflection_path, SharedCaseOverview, SharedReflectionView, SharedSession,
        },
    },
    components::{
        feedback::{
            review_slug, AnchorFeedback, FeedbackContext, Reader, RemovedRowsFeedback,
            ReviewControl,
        },
        form::Notice,
        layout::RequireSignIn,
        reading::SharedReflectionReading,
    },
    domain::{
        feedback::Anchor,
        sharing::{InboxEntry, SharedCaseInfo},
    },
    pages::cases::{
        id_param, page_param, query_notice, LoadError, Missing, NewCount, SessionGlance,
        TimelinePages,
    },
};

pub const INBOX_PATH: &str = "/supervision";

#[component]
pub fn InboxPage() -> impl IntoView {
    let inbox = Resource::new(|| (), |_| supervision_inbox());
    view! {
        <Title text="Supervision" />
        <RequireSignIn>
            <div class="page-heading">
                <h1>"Supervision"</h1>
                <div class="case-actions">
                    <a class="button-secondary" href=MEETINGS_PATH>"Supervision meetings"</a>
                </div>
            </div>
            <p class="lead">"What your supervisees have shared with you, most recently active first."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(entries) if entries.is_empty() => view! {
                            <p class="empty">
                                "Nothing is shared with you yet. When a therapist on this server shares a case with you, it appears here."
                            </p>
                        }
                        .into_any(),
                        Ok(entries) => view! { <Inbox entries /> }.into_any(),
                        Err(error) => view! { <LoadError error missing=Missing::SharedCase /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// The shared cases, grouped by supervisee (supervisees in the order of
/// their most recent activity). No time is shown: when a reflection was
/// saved says when the session was, and no calendar date is shared.
#[component]
fn Inbox(entries: Vec<InboxEntry>) -> impl IntoView {
    let mut order: Vec<String> = Vec::new();
    let mut by_therapist: BTreeMap<String, Vec<InboxEntry>> = BTreeMap::new();
    for entry in entries {
        let name = entry.case.therapist_name.clone();
        if !order.contains(&name) {
            order.push(name.clone());
        }
        by_therapist.entry(name).or_default().push(entry);
    }
    order
        .into_iter()
        .map(|name| {
            let cases = by_therapist.remove(&name).unwrap_or_default();
            view! {
                <section class="supervisee" aria-label=format!("Shared by {name}")>
                    <h2>{name.clone()}</h2>
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">"Case"</th>
                                <th scope="col">"To review"</th>
                                <th scope="col">"Unread replies"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {cases.into_iter().map(|entry| view! { <InboxRow entry /> }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
        .collect_view()
}

#[component]
fn InboxRow(entry: InboxEntry) -> impl IntoView {
    let href = supervision_case_path(entry.case.case_id.0);
    let waiting = entry.to_review + entry.unread > 0;
    view! {
        <tr class:has-waiting=waiting>
            <td><a href=href>{entry.case.code.clone()}</a></td>
            <td>{entry.to_review}</td>
            <td>{entry.unread}</td>
        </tr>
    }
}

#[component]
pub fn SharedCasePage() -> impl IntoView {
    let case_id = id_param("case_id");
    let page = page_param();
    let overview = Resource::new(
        move || (case_id.get(), page.get()),
        |(id, page)| shared_case(id, page),
    );
    view! {
        <Title text="Shared case" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <SharedCaseBody overview /> }.into_any(),
                        Err(error) => view! { <LoadError error missing=Missing::SharedCase /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// The frame of the work as the supervisor may know it.
#[component]
fn SharedCaseDetails(case: SharedCaseInfo) -> impl IntoView {
    view! {
        <dl class="details">
            <dt>"Therapist"</dt><dd>{case.therapist_name.clone()}</dd>
            <dt>"Status"</dt><dd>{case.status.label()}</dd>
            <dt>"Modality"</dt><dd>{case.modality.label()}</dd>
            <dt>"Meets"</dt><dd>{case.frequency.label()}</dd>
            <dt>"Planned sessions"</dt>
            <dd>{case.planned_sessions.map(|n| n.to_string()).unwrap_or_else(|| "Open-ended".to_string())}</dd>
            <dt>"Shared on the basis of"</dt><dd>{case.basis.label()}</dd>
            <dt>"Shared until"</dt>
            <dd>{case.expires_on.clone().map(|day| format!("the end of {day}")).unwrap_or_else(|| "the therapist revokes it".to_string())}</dd>
        </dl>
    }
}

#[component]
fn SharedCaseBody(overview: SharedCaseOverview) -> impl IntoView {
    let SharedCaseOverview {
        case,
        sessions,
        timeline,
    } = overview;
    let case_id = case.case_id.0;
    view! {
        <Title text=format!("Case {}", case.code) />
        <p class="breadcrumbs"><a href=INBOX_PATH>"Supervision"</a></p>
        <h1>"Case " {case.code.clone()}</h1>
        <SharedCaseDetails case=case.clone() />
        <p><a class="button-secondary" href=shared_analytics_path(case_id)>"Analytics: pacing, themes, countertransference"</a></p>
        <section aria-labelledby="shared-sessions-heading">
            <h2 id="shared-sessions-heading">"Sessions"</h2>
            <TimelinePages timeline path=supervision_case_path(case_id) />
            {if sessions.is_empty() {
                view! { <p class="empty">"No reflections shared yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline" reversed=true>
                        {sessions
                            .into_iter()
                            .map(|session| view! { <SharedTimelineEntry case_id session /> })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn SharedTimelineEntry(case_id: i64, session: SharedSession) -> impl IntoView {
    let href = supervision_reflection_path(case_id, session.reflection_id.0);
    view! {
        <li class="timeline-entry">
            <a href=href>"Session " {session.session_number} " · week " {session.week}</a>
            " "
            <span class="review-state" data-state=review_slug(session.review)>{session.review.label()}</span>
            <NewCount count=session.unread />
            <SessionGlance glance=session.glance />
        </li>
    }
}

#[component]
pub fn SharedReflectionPage() -> impl IntoView {
    let case_id = id_param("case_id");
    let reflection_id = id_param("reflection_id");
    // Reloaded after each comment, rating or review (their answers change the query).
    let location = use_location();
    let view_data = Resource::new(
        move || (case_id.get(), reflection_id.get(), location.search.get()),
        |(case, reflection, _)| read_shared_reflection(case, reflection),
    );
    let notice = query_notice(&[
        ("commented", "Your comment was added."),
        ("rated", "Your pacing rating was saved."),
        ("reviewed", "Marked reviewed."),
    ]);
    view! {
        <Title text="Shared reflection" />
        <RequireSignIn>
            <Notice message=notice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(shared) => view! { <SharedReflectionBody shared /> }.into_any(),
                        Err(error) => view! { <LoadError error missing=Missing::SharedCase /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn SharedReflectionBody(shared: SharedReflectionView) -> impl IntoView {
    let SharedReflectionView {
        case,
        reflection,
        feedback,
    } = shared;
    let case_id = case.case_id.0;
    let review = feedback
        .reviews
        .first()
        .map(|review| review.state)
        .unwrap_or(crate::domain::feedback::ReviewState::NotReviewed);
    let context = StoredValue::new(FeedbackContext {
        case_id,
        reflection_id: reflection.id.0,
        reader: Reader::Supervisor,
        feedback,
    });
    let title = format!(
        "{} · session {} · week {}",
        case.code, reflection.session_number, reflection.week
    );
    view! {
        <Title text=title.clone() />
        <p class="breadcrumbs">
            <a href=INBOX_PATH>"Supervision"</a> " › "
            <a href=supervision_case_path(case_id)>"Case " {case.code.clone()}</a>
        </p>
        <h1>{title}</h1>
        <p class="aside">"Shared by " {case.therapist_name.clone()} ". The therapist's private notes and the origins of their reactions are never shared."</p>
        <ReviewControl case_id reflection_id=reflection.id.0 version=reflection.version state=review />
        <section aria-labelledby="whole-feedback-heading">
            <h2 id="whole-feedback-heading">"About the reflection as a whole"</h2>
            <AnchorFeedback context anchor=Anchor::Reflection />
        </section>
        <SharedReflectionReading reflection feedback=Some(context) />
        <RemovedRowsFeedback context />
    }
}
