//! The home page: for a visitor, what Reverie is; for someone signed in,
//! their starting point, one collapsible part per role in the order
//! therapist, supervisor, administrator: the cases most likely due a
//! reflection (one click to write it), unsaved reflections, new feedback
//! and flags worth a look; what waits for review, the next meetings'
//! agendas and the meetings to sign off; open links, disabled accounts and
//! security events worth a look.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::{
    api::{
        admin::SECURITY_EVENTS_PATH,
        home::{my_home, AdministrationHome, HomeView},
        meetings::{meeting_path, MeetingListEntry, NEW_MEETING_PATH},
        reflections::{editor_path, reflection_path},
        supervision::supervision_case_path,
    },
    components::{account_activity::ResetNotices, form::Notice},
    domain::{
        accounts::AuditAction,
        analytics::{SessionFlag, RECENT_FLAGS_DAYS},
        audit::events_of,
        cases::CaseId,
        due::DueCase,
        feedback::{ChangedSinceReview, UnreadFeedback},
        meetings::NextMeeting,
        reflection::ReflectionId,
        sharing::InboxEntry,
        time::{format_utc_date, format_utc_minute},
    },
    pages::cases::{DiscardFrom, Heading, LoadError, UnsavedDrafts},
    VERSION,
};

#[component]
pub fn HomePage() -> impl IntoView {
    // Read again when the address changes: discarding a draft comes back
    // here with `?discarded=1`, and the list must no longer show it.
    let location = use_location();
    let home = Resource::new(move || location.search.get(), |_| my_home());
    view! {
        <Title text="" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Some(home)) => view! { <Home home /> }.into_any(),
                    Ok(None) => view! { <AboutReverie /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
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
        account,
        name,
        due,
        drafts,
        unread_places,
        changed_since_review,
        flags,
        supervising,
        waiting,
        meetings_to_sign,
        next_meetings,
        administration,
    } = home;
    let new_feedback = !unread_places.is_empty() || !changed_since_review.is_empty();
    let supervisor_part = supervising || !meetings_to_sign.is_empty();
    let query = use_query_map();
    let discarded = Signal::derive(move || {
        query
            .read()
            .get("discarded")
            .map(|_| "The draft was discarded.".to_string())
    });
    let discard = DiscardFrom {
        owner: account,
        back: "/",
    };
    view! {
        <h1>{format!("Welcome, {name}")}</h1>
        <ResetNotices back="/" />
        <Notice message=discarded />
        <RolePart id="therapist-part" title="Your cases">
            <DueCases cases=due />
            {(!drafts.is_empty()).then(|| view! { <UnsavedDrafts drafts heading=Heading::Part discard /> })}
            {new_feedback.then(|| view! { <NewFeedback places=unread_places changed=changed_since_review /> })}
            {(!flags.is_empty()).then(|| view! { <FlagsWorthALook flags /> })}
        </RolePart>
        {supervisor_part.then(|| view! {
            <RolePart id="supervisor-part" title="Your supervision">
                {supervising.then(|| view! { <WaitingForReview entries=waiting /> })}
                {supervising.then(|| view! { <NextMeetings meetings=next_meetings /> })}
                <MeetingsToSignOff meetings=meetings_to_sign />
            </RolePart>
        })}
        {administration.map(|administration| view! {
            <RolePart id="administrator-part" title="Administration">
                <Administration administration />
            </RolePart>
        })}
    }
}

/// One role's part of the home page, open until its person folds it.
#[component]
fn RolePart(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <details class="home-role" open>
            <summary><h2 id=id>{title}</h2></summary>
            <div class="home-role-parts" role="group" aria-labelledby=id>{children()}</div>
        </details>
    }
}

/// The active cases, the most likely due first, each one click from its
/// next reflection.
#[component]
fn DueCases(cases: Vec<DueCase>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="due-heading">
            <h3 id="due-heading">"Write a reflection"</h3>
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

/// Each reflection with comments, replies or ratings not read yet, and
/// each one saved again since a supervisor reviewed it, one click from
/// them.
#[component]
fn NewFeedback(places: Vec<UnreadFeedback>, changed: Vec<ChangedSinceReview>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="feedback-heading">
            <h3 id="feedback-heading">"New feedback"</h3>
            <ul>
                {places.into_iter().map(|place| {
                    let what = format!("{} new {}", place.items, if place.items == 1 { "comment or rating" } else { "comments and ratings" });
                    view! { <SessionItem case=place.case reflection=place.reflection code=place.case_code session=place.session_number what /> }
                }).collect_view()}
                {changed.into_iter().map(|changed| {
                    let what = format!("changed since {} reviewed it on {}", changed.supervisor_name, format_utc_date(changed.reviewed_at));
                    view! { <SessionItem case=changed.case reflection=changed.reflection code=changed.case_code session=changed.session_number what /> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The flags of the last weeks' sessions, each one click from its session.
#[component]
fn FlagsWorthALook(flags: Vec<SessionFlag>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="flags-heading">
            <h3 id="flags-heading">"Flags worth a look"</h3>
            <p class="field-hint">{format!("From the sessions of the last {} weeks, as the analytics of each case compute them.", RECENT_FLAGS_DAYS / 7)}</p>
            <ul class="home-flags">
                {flags.into_iter().map(|flag| view! {
                    <SessionItem case=flag.case reflection=flag.reflection code=flag.case_code session=flag.session_number what=flag.flag.describe() />
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One of one's own sessions, one click away, and what there is to see in it.
#[component]
fn SessionItem(
    case: CaseId,
    reflection: ReflectionId,
    code: String,
    session: u32,
    what: String,
) -> impl IntoView {
    view! {
        <li>
            <a href=reflection_path(case, reflection)>{format!("{code}, session {session}")}</a>
            {format!(": {what}")}
        </li>
    }
}

/// Shared cases with something to review or read.
#[component]
fn WaitingForReview(entries: Vec<InboxEntry>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="waiting-heading">
            <h3 id="waiting-heading">"Waiting for your review"</h3>
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

/// The meetings not held yet and how much their agendas already hold, one
/// click from recording each with its agenda pre-filled.
#[component]
fn NextMeetings(meetings: Vec<NextMeeting>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="next-heading">
            <h3 id="next-heading">"Next meetings"</h3>
            <ul>
                {meetings.into_iter().map(|meeting| {
                    let with: Vec<String> = meeting.supervisees.iter().map(|person| format!("with={}", person.id.0)).collect();
                    let names: Vec<String> = meeting.supervisees.into_iter().map(|person| person.name).collect();
                    let items = match meeting.agenda_items {
                        0 => "nothing on the agenda yet".to_string(),
                        1 => "1 agenda item".to_string(),
                        many => format!("{many} agenda items"),
                    };
                    view! {
                        <li>
                            <a href=format!("{NEW_MEETING_PATH}?{}", with.join("&"))>{format!("With {}", names.join(", "))}</a>
                            {format!(": {items}")}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The meetings one recorded and has not signed off.
#[component]
fn MeetingsToSignOff(meetings: Vec<MeetingListEntry>) -> impl IntoView {
    view! {
        <section class="home-part" aria-labelledby="sign-heading">
            <h3 id="sign-heading">"Meetings to sign off"</h3>
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

/// What needs an administrator: links that still work, accounts turned off,
/// and security events worth a look; never clinical content.
#[component]
fn Administration(administration: AdministrationHome) -> impl IntoView {
    let AdministrationHome {
        open_invitations,
        open_reset_links,
        disabled_accounts,
        failed_sign_in_bursts,
        used_reset_links,
    } = administration;
    let no_links =
        open_invitations.is_empty() && open_reset_links.is_empty() && disabled_accounts.is_empty();
    view! {
        <section class="home-part" aria-labelledby="attention-heading">
            <h3 id="attention-heading">"Security events worth a look"</h3>
            {if failed_sign_in_bursts.is_empty() && used_reset_links.is_empty() {
                view! { <p class="empty">"No bursts of failed sign-ins in the last day and no reset link used in the last week. "<a href=SECURITY_EVENTS_PATH>"All security events"</a></p> }.into_any()
            } else {
                view! {
                    <ul>
                        {failed_sign_in_bursts.into_iter().map(|burst| view! {
                            <li>
                                <a href=events_of(SECURITY_EVENTS_PATH, AuditAction::SignInFailed, Some(&burst.account))>
                                    {format!("{} failed sign-ins for {}", burst.failures, burst.account)}
                                </a>
                                {format!(" in the last day, the latest at {}", format_utc_minute(burst.last_at))}
                            </li>
                        }).collect_view()}
                        {used_reset_links.into_iter().map(|used| view! {
                            <li>
                                <a href=events_of(SECURITY_EVENTS_PATH, AuditAction::ResetLinkUsed, None)>
                                    {format!("Reset link used for {}", used.account)}
                                </a>
                                {format!(" at {}", format_utc_minute(used.at))}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="home-part" aria-labelledby="links-heading">
            <h3 id="links-heading">"Open links and disabled accounts"</h3>
            {if no_links {
                view! { <p class="empty">"No open invitation or reset link, and no disabled account. "<a href="/admin">"Invite someone"</a></p> }.into_any()
            } else {
                view! {
                    <ul>
                        {open_invitations.into_iter().map(|invitation| view! {
                            <li><a href="/admin">{format!("Invitation for {}", invitation.email)}</a>{format!(", open until {}", format_utc_date(invitation.expires_at))}</li>
                        }).collect_view()}
                        {open_reset_links.into_iter().map(|link| view! {
                            <li><a href="/admin">{format!("Reset link for {}", link.email)}</a>{format!(", by {}, open until {}", link.created_by, format_utc_minute(link.expires_at))}</li>
                        }).collect_view()}
                        {disabled_accounts.into_iter().map(|user| view! {
                            <li><a href="/admin">{format!("{} ({}) is disabled", user.display_name, user.email)}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
