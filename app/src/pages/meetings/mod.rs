//! Supervision meetings: the list of one's meetings (recorded as supervisor
//! and taken part in as supervisee), the form to record one, and a meeting's
//! record. Cases show by code; no session appears by date or name.

mod hours;
mod meeting;
mod record;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::meetings::{
        meeting_path, my_meetings, MeetingListEntry, MeetingLists, HOURS_PATH, NEW_MEETING_PATH,
    },
    components::layout::RequireSignIn,
    pages::cases::LoadError,
};

pub use hours::{HoursPage, StatementPage};
pub use meeting::MeetingPage;
pub use record::{EditMeetingPage, RecordMeetingPage};

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let meetings = Resource::new(|| (), |_| my_meetings());
    view! {
        <Title text="Supervision meetings" />
        <RequireSignIn>
            <div class="page-heading">
                <h1>"Supervision meetings"</h1>
                <div class="case-actions">
                    <a class="button-secondary" href=HOURS_PATH>"Hours"</a>
                    <a class="button-primary" href=NEW_MEETING_PATH>"Record a meeting"</a>
                </div>
            </div>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match meetings.await {
                        Ok(meetings) => view! { <MeetingsByRole meetings /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn MeetingsByRole(meetings: MeetingLists) -> impl IntoView {
    let MeetingLists { led, attended } = meetings;
    view! {
        <section aria-labelledby="led-heading">
            <h2 id="led-heading">"Meetings you recorded"</h2>
            {if led.is_empty() {
                view! { <p class="empty">"None yet. Record a meeting with the people who share cases with you."</p> }.into_any()
            } else {
                view! { <MeetingTable meetings=led with_supervisor=false /> }.into_any()
            }}
        </section>
        <section aria-labelledby="attended-heading">
            <h2 id="attended-heading">"Meetings you took part in"</h2>
            {if attended.is_empty() {
                view! { <p class="empty">"None yet. Meetings your supervisor records with you appear here."</p> }.into_any()
            } else {
                view! { <MeetingTable meetings=attended with_supervisor=true /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn MeetingTable(meetings: Vec<MeetingListEntry>, with_supervisor: bool) -> impl IntoView {
    view! {
        <table class="data-table meetings-table">
            <thead>
                <tr>
                    <th scope="col">"Date"</th>
                    <th scope="col">"Format"</th>
                    <th scope="col">"Minutes"</th>
                    {with_supervisor.then(|| view! { <th scope="col">"Supervisor"</th> })}
                    <th scope="col">"Supervisees"</th>
                    <th scope="col">"Record"</th>
                </tr>
            </thead>
            <tbody>
                {meetings
                    .into_iter()
                    .map(|entry| {
                        let supervisor = entry.supervisor_name.clone();
                        view! {
                            <tr>
                                <td><a href=meeting_path(entry.id)>{entry.date.clone()}</a></td>
                                <td>{entry.format.label()}</td>
                                <td>{entry.duration_minutes}</td>
                                {with_supervisor.then(|| view! { <td>{supervisor}</td> })}
                                <td>{entry.supervisees.join(", ")}</td>
                                <td>{entry.stage.label()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
