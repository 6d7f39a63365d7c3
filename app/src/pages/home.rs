//! The home page: for a visitor, what Reverie is; for someone signed in,
//! their starting point: the cases most likely due a reflection (one click
//! to write it), unsaved reflections, new feedback, and, for a supervisor,
//! what waits for review and the meetings to sign off.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        home::{my_home, HomeView},
        meetings::{meeting_path, MeetingListEntry, NEW_MEETING_PATH},
        reflections::editor_path,
        supervision::supervision_case_path,
    },
    components::account_activity::ResetNotices,
    domain::{due::DueCase, sharing::InboxEntry},
    pages::cases::{LoadError, UnsavedDrafts},
    VERSION,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| my_home());
    view! {
        <Title text="" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Some(home)) => view! { <Home home /> }.into_any(),
                    Ok(None) => view! { <AboutReverie /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a visitor sees: what Reverie is.
#[component]
fn AboutReverie() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Reverie"</h1>
            <p class="lead">
                "A private place to reflect on your sessions, notice your countertransference, "
                "and bring exactly what you choose to supervision."
            </p>
            <p class="version">"Version " {VERSION}</p>
        </section>
        <section class="principles" aria-labelledby="principles-heading">
            <h2 id="principles-heading">"Private by default"</h2>
            <ul>
                <li>"Cases carry a code you choose, never a client's name."</li>
                <li>"Nothing you write is visible to anyone until you share a case."</li>
                <li>"Private notes stay private, whatever you share."</li>
                <li>"Sharing is scoped to one case and one supervisor, and you can revoke it."</li>
            </ul>
            <p><a href="/about">"How Reverie works"</a></p>
        </section>
    }
}

/// The signed-in person's starting point.
#[component]
fn Home(home: HomeView) -> impl IntoView {
    let HomeView {
        name,
        due,
        drafts,
        unread_feedback,
        supervising,
        waiting,
        meetings_to_sign,
    } = home;
    view! {
        <h1>{format!("Welcome, {name}")}</h1>
        <ResetNotices back="/" />
        <DueCases cases=due />
        {(!drafts.is_empty()).then(|| view! { <UnsavedDrafts drafts /> })}
        {(unread_feedback > 0).then(|| view! { <NewFeedback count=unread_feedback /> })}
        {supervising.then(|| view! { <WaitingForReview entries=waiting /> })}
        {(supervising || !meetings_to_sign.is_empty()).then(|| view! { <MeetingsToSignOff meetings=meetings_to_sign /> })}
    }
}

/// The active cases, the most likely due first, each one click from its
/// next reflection.
#[component]
fn DueCases(cases: Vec<DueCase>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="due-heading">
            <h2 id="due-heading">"Write a reflection"</h2>
            {if cases.is_empty() {
                view! {
                    <p class="empty">"No active cases yet. "<a href="/cases/new">"Create your first case"</a>" to start writing."</p>
                }
                .into_any()
            } else {
                view! {
                    <ul class="due-cases">
                        {cases.into_iter().map(|case| view! { <DueCaseRow case /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn DueCaseRow(case: DueCase) -> impl IntoView {
    let last = match (case.last_session_number, case.last_reflection.as_deref()) {
        (Some(number), Some(date)) => format!("Last: session {number}, {date}"),
        _ => "No reflection yet".to_string(),
    };
    view! {
        <li class="due-case" class:is-due=case.due>
            <a class="case-code" href=format!("/cases/{}", case.id.0)>{case.code.clone()}</a>
            <span class="due-last">{last}{case.due.then_some(" · probably due")}</span>
            <a class="button-primary" href=editor_path(case.id, None)
                aria-label=format!("Write session {} of {}", case.next_session, case.code)>
                {format!("Write session {}", case.next_session)}
            </a>
        </li>
    }
}

#[component]
fn NewFeedback(count: i64) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">"New feedback"</h2>
            <p>
                {format!("{count} new {} from your supervisors. ", if count == 1 { "comment or rating" } else { "comments and ratings" })}
                <a href="/cases">"See them in your cases"</a>
            </p>
        </section>
    }
}

/// Shared cases with something to review or read.
#[component]
fn WaitingForReview(entries: Vec<InboxEntry>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">"Waiting for your review"</h2>
            {if entries.is_empty() {
                view! { <p class="empty">"Nothing waits: every shared reflection is reviewed and every reply read. "<a href="/supervision">"Supervision"</a></p> }.into_any()
            } else {
                view! {
                    <ul class="waiting">
                        {entries.into_iter().map(|entry| view! {
                            <li>
                                <a href=supervision_case_path(entry.case.case_id.0)>{entry.case.code.clone()}</a>
                                " (" {entry.case.therapist_name.clone()} "): "
                                {entry.to_review} " to review, " {entry.unread} " unread"
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// The meetings one recorded and has not signed off.
#[component]
fn MeetingsToSignOff(meetings: Vec<MeetingListEntry>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="sign-heading">
            <h2 id="sign-heading">"Meetings to sign off"</h2>
            {if meetings.is_empty() {
                view! { <p class="empty">"None. "<a href=NEW_MEETING_PATH>"Record a meeting"</a></p> }.into_any()
            } else {
                view! {
                    <ul>
                        {meetings.into_iter().map(|meeting| view! {
                            <li>
                                <a href=meeting_path(meeting.id)>{format!("Meeting of {}", meeting.date)}</a>
                                " with " {meeting.supervisees.join(", ")} " · " {meeting.stage.label()}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
