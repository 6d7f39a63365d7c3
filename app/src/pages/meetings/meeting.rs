//! A meeting's record, as its supervisor and its supervisees read it: the
//! facts, the cases discussed by code (a link only while the reader may
//! still open the case), the notes, the action items, the supervisees'
//! comments and the addenda.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::meetings::{
        edit_meeting_path, meeting, AcknowledgeMeeting, ActionItemView, AddAddendum, CaseOnRecord,
        CommentOnMeeting, MarkActionItemDone, MeetingView, Reader, RemarkView, SignOffMeeting,
        MEETINGS_PATH,
    },
    components::{
        form::{action_error, field_error, FormAlert, Notice, SubmitButton, TextArea},
        layout::RequireSignIn,
    },
    domain::{
        feedback::COMMENT_MAX_CHARS,
        meetings::{participants_line, Stage, ADDENDUM_MAX_CHARS},
    },
    pages::cases::{id_param, query_notice, LoadError, Missing},
};

#[component]
pub fn MeetingPage() -> impl IntoView {
    let meeting_id = id_param("meeting_id");
    let actions = MeetingActions::new();
    // Read again after each change made from this page, so the record shows
    // it (the answer's redirect to this same page does not remount it).
    let found = Resource::new(
        move || (meeting_id.get(), actions.versions()),
        |(meeting_id, _)| meeting(meeting_id),
    );
    let notice = query_notice(&[
        ("recorded", "The meeting is recorded."),
        ("edited", "Your changes are saved."),
        (
            "signed",
            "The record is signed off. From now on, corrections are addenda.",
        ),
        ("acknowledged", "You acknowledged the record."),
        ("commented", "Your comment is added."),
        ("added", "The addendum is added."),
        ("marked", "The action item is updated."),
    ]);
    view! {
        <Title text="Supervision meeting" />
        <RequireSignIn>
            <p class="breadcrumbs"><a href=MEETINGS_PATH>"Supervision meetings"</a></p>
            <Notice message=notice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(meeting) => view! { <MeetingRecord meeting actions /> }.into_any(),
                        Err(error) => view! { <LoadError error missing=Missing::Meeting /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// The changes the meeting page can make, shared by its forms.
#[derive(Clone, Copy)]
struct MeetingActions {
    sign_off: ServerAction<SignOffMeeting>,
    acknowledge: ServerAction<AcknowledgeMeeting>,
    comment: ServerAction<CommentOnMeeting>,
    addendum: ServerAction<AddAddendum>,
    done: ServerAction<MarkActionItemDone>,
}

impl MeetingActions {
    fn new() -> Self {
        Self {
            sign_off: ServerAction::new(),
            acknowledge: ServerAction::new(),
            comment: ServerAction::new(),
            addendum: ServerAction::new(),
            done: ServerAction::new(),
        }
    }

    /// How many times each has completed.
    fn versions(self) -> [usize; 5] {
        [
            self.sign_off.version().get(),
            self.acknowledge.version().get(),
            self.comment.version().get(),
            self.addendum.version().get(),
            self.done.version().get(),
        ]
    }
}

#[component]
fn MeetingRecord(meeting: MeetingView, actions: MeetingActions) -> impl IntoView {
    let people = participants_line(
        &meeting
            .supervisees
            .iter()
            .map(|person| person.name.clone())
            .collect::<Vec<_>>(),
        meeting.former_members,
    );
    let stage = match meeting.stage {
        Stage::SignedOff { at } => view! {
            "Signed off on "
            <span class="date">{crate::domain::time::format_utc_date(at)}</span>
        }
        .into_any(),
        other => other.label().into_any(),
    };
    let id = meeting.id;
    let version = meeting.version;
    let signed_off = matches!(meeting.stage, Stage::SignedOff { .. });
    let reader = meeting.reader;
    let shows_sign_off = !signed_off && reader == Reader::Supervisor;
    let shows_response = !signed_off && reader == Reader::Supervisee;
    let MeetingActions {
        sign_off,
        acknowledge,
        comment,
        addendum,
        done,
    } = actions;
    // A refusal from a form the record no longer offers (a comment sent
    // just after sign-off) is shown at the top.
    let (sign_off_error, acknowledge_error, comment_error, addendum_error) = (
        action_error(sign_off),
        action_error(acknowledge),
        action_error(comment),
        action_error(addendum),
    );
    let elsewhere = Signal::derive(move || {
        [
            (!shows_sign_off).then(|| sign_off_error.get()),
            (!shows_response).then(|| acknowledge_error.get()),
            (!shows_response).then(|| comment_error.get()),
            (!signed_off).then(|| addendum_error.get()),
        ]
        .into_iter()
        .flatten()
        .flatten()
        .next()
    });
    let acknowledged =
        (!meeting.acknowledged_by.is_empty()).then(|| meeting.acknowledged_by.join(", "));
    view! {
        <Title text=format!("Supervision meeting of {}", meeting.date) />
        <h1>"Supervision meeting of " {meeting.date.clone()}</h1>
        <FormAlert error=elsewhere />
        {shows_sign_off.then(|| view! {
            <p class="case-actions"><a class="button-secondary" href=edit_meeting_path(id)>"Edit the record"</a></p>
        })}
        <dl class="details meeting-facts">
            <dt>"Format"</dt><dd>{meeting.format.label()}</dd>
            <dt>"Duration"</dt><dd>{meeting.duration_minutes} " minutes"</dd>
            <dt>"Supervisor"</dt><dd>{meeting.supervisor_name.clone()}</dd>
            <dt>"Supervisees"</dt><dd>{people}</dd>
            <dt>"Record"</dt><dd class="meeting-stage">{stage}</dd>
            {acknowledged.map(|names| view! { <dt>"Acknowledged by"</dt><dd>{names}</dd> })}
        </dl>
        <DiscussedCases cases=meeting.cases />
        <Agenda items=meeting.agenda />
        <section class="meeting-notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            {if meeting.notes.is_empty() {
                view! { <p class="empty">"No notes."</p> }.into_any()
            } else {
                view! { <p class="prose">{meeting.notes.clone()}</p> }.into_any()
            }}
        </section>
        <ActionItems meeting=id items=meeting.action_items action=done />
        <Remarks heading="Comments" id="comments" remarks=meeting.comments empty="No comments from the supervisees." />
        {shows_response.then(|| view! { <SuperviseeForms meeting=id version acknowledged=meeting.acknowledged_by_me acknowledge comment /> })}
        {shows_sign_off.then(|| view! { <SignOffForm meeting=id version action=sign_off /> })}
        <Remarks heading="Addenda" id="addenda" remarks=meeting.addenda empty="No addenda." />
        {signed_off.then(|| view! { <AddendumForm meeting=id action=addendum /> })}
    }
}

#[component]
fn DiscussedCases(cases: Vec<CaseOnRecord>) -> impl IntoView {
    view! {
        <section aria-labelledby="cases-heading">
            <h2 id="cases-heading">"Cases discussed"</h2>
            {if cases.is_empty() {
                view! { <p class="empty">"No case in particular."</p> }.into_any()
            } else {
                view! {
                    <ul class="meeting-cases">
                        {cases.into_iter().map(|case| {
                            let code = match case.link {
                                Some(link) => view! { <a href=link>{case.code}</a> }.into_any(),
                                None => view! { <span class="case-code">{case.code}</span> }.into_any(),
                            };
                            view! { <li>{code} " · " {case.supervisee_name}</li> }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn ActionItems(
    meeting: i64,
    items: Vec<ActionItemView>,
    action: ServerAction<MarkActionItemDone>,
) -> impl IntoView {
    // The item last marked, so a refusal shows at that item only: clicked
    // with JavaScript, or named in the address after a plain post.
    let marked = RwSignal::new(
        use_query_map()
            .read_untracked()
            .get("item")
            .and_then(|id| id.parse::<i64>().ok()),
    );
    view! {
        <section aria-labelledby="items-heading">
            <h2 id="items-heading">"Action items"</h2>
            {if items.is_empty() {
                view! { <p class="empty">"None agreed."</p> }.into_any()
            } else {
                view! {
                    <ul class="action-items-list">
                        {items.into_iter().map(|item| view! {
                            <li class:done=item.done>
                                <span class="action-item-text">{item.text}</span>
                                " — " {item.assignee_name}
                                {item.done.then_some(" (done)")}
                                {item.mine.then(|| view! { <DoneToggle meeting item=item.id done=item.done action marked /> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn Remarks(
    heading: &'static str,
    id: &'static str,
    remarks: Vec<RemarkView>,
    empty: &'static str,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section id=id aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            {if remarks.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <ol class="remarks">
                        {remarks.into_iter().map(|remark| view! {
                            <li>
                                <p class="remark-meta">{remark.author_name} " · " {remark.at}</p>
                                <p class="prose">{remark.body}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

/// The assignee's button to mark an action item done, or not done again.
#[component]
fn DoneToggle(
    meeting: i64,
    item: i64,
    done: bool,
    action: ServerAction<MarkActionItemDone>,
    marked: RwSignal<Option<i64>>,
) -> impl IntoView {
    let failed = action_error(action);
    let error = Signal::derive(move || {
        if marked.get() == Some(item) {
            failed.get()
        } else {
            None
        }
    });
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="meeting_id" value=meeting />
            <input type="hidden" name="item_id" value=item />
            <input type="hidden" name="done" value=if done { "false" } else { "true" } />
            <button type="submit" class="button-secondary done-toggle" disabled=move || action.pending().get()
                on:click=move |_| marked.set(Some(item))>
                {if done { "Mark not done" } else { "Mark done" }}
            </button>
            <FormAlert error />
        </ActionForm>
    }
}

/// The supervisor's sign-off, of the version on the page.
#[component]
fn SignOffForm(meeting: i64, version: i64, action: ServerAction<SignOffMeeting>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="meeting-sign-off" aria-labelledby="sign-off-heading">
            <h2 id="sign-off-heading">"Sign off"</h2>
            <p>"Once signed off, nothing in this record can be changed by anyone; a later correction is an addendum with its own date and author."</p>
            <ActionForm action attr:class="stacked-form">
                <FormAlert error />
                <input type="hidden" name="meeting_id" value=meeting />
                <input type="hidden" name="version" value=version />
                <SubmitButton label="Sign off the record" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// A supervisee's acknowledgement and comment, before sign-off.
#[component]
fn SuperviseeForms(
    meeting: i64,
    version: i64,
    /// Whether the reader acknowledged the record as it now reads.
    acknowledged: bool,
    acknowledge: ServerAction<AcknowledgeMeeting>,
    comment: ServerAction<CommentOnMeeting>,
) -> impl IntoView {
    let acknowledge_error = action_error(acknowledge);
    let comment_error = action_error(comment);
    view! {
        <section class="meeting-response" aria-labelledby="respond-heading">
            <h2 id="respond-heading">"Your response"</h2>
            {if acknowledged {
                view! { <p>"You acknowledged this record as it reads now."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=acknowledge attr:class="stacked-form">
                        <FormAlert error=acknowledge_error />
                        <input type="hidden" name="meeting_id" value=meeting />
                        <input type="hidden" name="version" value=version />
                        <SubmitButton label="Acknowledge the record" pending=acknowledge.pending() class="button-secondary" />
                    </ActionForm>
                }
                .into_any()
            }}
            <ActionForm action=comment attr:class="stacked-form" attr:novalidate=true>
                <FormAlert error=comment_error />
                <input type="hidden" name="meeting_id" value=meeting />
                <TextArea label="Add a comment" id="meeting-comment" name="body" value=String::new()
                    maxlength=COMMENT_MAX_CHARS error=field_error(comment_error, "body") />
                <SubmitButton label="Add comment" pending=comment.pending() />
            </ActionForm>
        </section>
    }
}

/// An addendum to the signed-off record.
#[component]
fn AddendumForm(meeting: i64, action: ServerAction<AddAddendum>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="stacked-form" attr:novalidate=true>
            <FormAlert error />
            <input type="hidden" name="meeting_id" value=meeting />
            <TextArea label="Add an addendum" id="meeting-addendum" name="body" value=String::new()
                hint="A correction or completion of the signed-off record, with today's date and your name."
                maxlength=ADDENDUM_MAX_CHARS error=field_error(error, "body") />
            <SubmitButton label="Add addendum" pending=action.pending() />
        </ActionForm>
    }
}

#[component]
fn Agenda(items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <section aria-labelledby="agenda-heading">
                <h2 id="agenda-heading">"Agenda"</h2>
                <ol class="meeting-agenda">
                    {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
                </ol>
            </section>
        }
    })
}
