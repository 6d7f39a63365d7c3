//! Feedback where it belongs on a reflection: comment threads with their
//! replies, pacing ratings, the review state, and the forms to add to them.
//! Every form is an `ActionForm` (a plain post without JavaScript); the
//! `form` value a failed plain post brings back says which form the error
//! belongs to, since a page holds many.

use leptos::prelude::*;

use crate::{
    api::{
        feedback::PostComment,
        supervision::{MarkReviewed, RateIntervention},
    },
    components::{
        form::{
            action_error, choice_options, field_error, typed_value, FormAlert, Select, TextArea,
        },
        reading::Paragraphs,
    },
    domain::{
        feedback::{Anchor, Placement, Rating, ReflectionFeedback, Review, ReviewState, Thread},
        reflection::RowKind,
        time::format_utc_minute,
        vocabulary::PacingRating,
    },
    error::AppError,
};

/// Who is reading the feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The reflection's author: reads every supervisor's feedback, replies.
    Therapist,
    /// A supervisor: reads and writes their own conversation.
    Supervisor,
}

/// The feedback of the reflection on the page.
#[derive(Debug, Clone)]
pub struct FeedbackContext {
    pub case_id: i64,
    pub reflection_id: i64,
    pub reader: Reader,
    pub feedback: ReflectionFeedback,
}

/// The error of `action`, when it concerns the form `key` (see the module).
fn error_of_form<S>(action: ServerAction<S>, key: String) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let error = action_error(action);
    let posted_from = typed_value("form");
    Signal::derive(move || {
        error
            .get()
            .filter(|_| posted_from.is_empty() || posted_from == key)
    })
}

/// What is said about one place of a reflection.
#[component]
pub fn AnchorFeedback(context: StoredValue<FeedbackContext>, anchor: Anchor) -> impl IntoView {
    let (threads, ratings, reader) = context.with_value(|context| {
        let ratings = match anchor {
            Anchor::Row(RowKind::Intervention, row) => context.feedback.ratings_of(row),
            _ => Vec::new(),
        };
        (context.feedback.threads_on(anchor), ratings, context.reader)
    });
    let rates =
        reader == Reader::Supervisor && matches!(anchor, Anchor::Row(RowKind::Intervention, _));
    let shows_ratings = reader == Reader::Therapist && !ratings.is_empty();
    view! {
        <div class="feedback">
            {shows_ratings.then(|| view! { <RatingList ratings=ratings.clone() /> })}
            {threads
                .into_iter()
                .map(|thread| view! { <ThreadView context thread /> })
                .collect_view()}
            {(reader == Reader::Supervisor).then(|| view! { <CommentForm context anchor /> })}
            {rates.then(|| view! { <RatingForm context anchor current=ratings.first().cloned() /> })}
        </div>
    }
}

/// Threads and ratings about rows the therapist has removed since: they
/// stay readable by the description written with them.
#[component]
pub fn RemovedRowsFeedback(context: StoredValue<FeedbackContext>) -> impl IntoView {
    let (threads, ratings) = context.with_value(|context| context.feedback.on_removed_rows());
    (!threads.is_empty() || !ratings.is_empty()).then(|| {
        view! {
            <section class="removed-feedback" aria-labelledby="removed-feedback-heading">
                <h2 id="removed-feedback-heading">"About parts removed since"</h2>
                <p class="aside">"The therapist has removed these parts of the reflection; what was said about them stays."</p>
                {(!ratings.is_empty()).then(|| view! { <RatingList ratings=ratings.clone() /> })}
                {threads
                    .into_iter()
                    .map(|thread| view! { <ThreadView context thread /> })
                    .collect_view()}
            </section>
        }
    })
}

fn rating_sentence(rating: &Rating) -> String {
    format!("{}: {}", rating.supervisor_name, rating.rating.label())
}

#[component]
fn RatingList(ratings: Vec<Rating>) -> impl IntoView {
    view! {
        <ul class="ratings" aria-label="Pacing ratings">
            {ratings
                .into_iter()
                .map(|rating| {
                    let removed = matches!(rating.placement, Placement::RemovedRow(_));
                    view! {
                        <li class="rating">
                            {removed.then(|| view! { <span class="anchor-label">{rating.anchor_label.clone()} " — "</span> })}
                            <strong>"Pacing · " {rating_sentence(&rating)}</strong>
                            <Paragraphs text=rating.note.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn ThreadView(context: StoredValue<FeedbackContext>, thread: Thread) -> impl IntoView {
    let opening = thread.opening();
    let (reader, case_id, reflection_id) =
        context.with_value(|context| (context.reader, context.case_id, context.reflection_id));
    let heading = match reader {
        Reader::Therapist => format!("Comments with {}", thread.supervisor_name),
        Reader::Supervisor => "Your comments".to_string(),
    };
    let removed = matches!(thread.placement, Placement::RemovedRow(_));
    view! {
        <section class="thread" id=format!("thread-{}", opening.0) aria-label=heading>
            {removed.then(|| view! { <p class="anchor-label">"On: " {thread.anchor_label.clone()}</p> })}
            <ol class="messages">
                {thread
                    .messages
                    .into_iter()
                    .map(|message| view! {
                        <li class="message" class:message-new=message.is_new id=format!("comment-{}", message.id.0)>
                            <p class="message-meta">
                                <strong>{if message.by_reader { "You".to_string() } else { message.author_name.clone() }}</strong>
                                " · " {format_utc_minute(message.created_at)}
                                {message.is_new.then(|| view! { " " <span class="badge">"New"</span> })}
                            </p>
                            <Paragraphs text=message.body />
                            {message.reflection_changed_since.then(|| view! {
                                <p class="aside">"The reflection changed since this was written."</p>
                            })}
                        </li>
                    })
                    .collect_view()}
            </ol>
            <ReplyForm case_id reflection_id opening=opening.0 />
        </section>
    }
}

#[component]
fn ReplyForm(case_id: i64, reflection_id: i64, opening: i64) -> impl IntoView {
    let action = ServerAction::<PostComment>::new();
    let key = format!("reply:{opening}");
    let error = error_of_form(action, key.clone());
    let open = typed_value("form") == key;
    view! {
        <details class="reply" open=open>
            <summary>"Reply"</summary>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <ReflectionFields case_id reflection_id />
                <input type="hidden" name="reply_to" value=opening />
                <CommentBody id=format!("reply-{opening}") label="Your reply" error />
                <button type="submit" class="button-secondary" disabled=move || action.pending().get()>"Send reply"</button>
            </ActionForm>
        </details>
    }
}

/// The hidden fields that say which reflection a form is about.
#[component]
fn ReflectionFields(case_id: i64, reflection_id: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="case_id" value=case_id />
        <input type="hidden" name="reflection_id" value=reflection_id />
    }
}

/// The comment text area, with its error.
#[component]
fn CommentBody(id: String, label: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <FormAlert error />
        <TextArea label id name="body" value="" rows=3 error=field_error(error, "body") />
    }
}

#[component]
fn CommentForm(context: StoredValue<FeedbackContext>, anchor: Anchor) -> impl IntoView {
    let action = ServerAction::<PostComment>::new();
    let (case_id, reflection_id) =
        context.with_value(|context| (context.case_id, context.reflection_id));
    let key = anchor.slug();
    let error = error_of_form(action, key.clone());
    let open = typed_value("form") == key;
    let what = match anchor {
        Anchor::Reflection => "Comment on the reflection as a whole",
        Anchor::Row(RowKind::Reaction, _) => "Comment on this reaction",
        Anchor::Row(RowKind::Intervention, _) => "Comment on this intervention",
        Anchor::Row(RowKind::Episode, _) => "Comment on this episode",
    };
    let id = format!("comment-on-{}", key.replace(':', "-"));
    view! {
        <details class="comment-form" open=open>
            <summary>{what}</summary>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <ReflectionFields case_id reflection_id />
                <input type="hidden" name="anchor" value=key />
                <CommentBody id label="Your comment" error />
                <button type="submit" class="button-secondary" disabled=move || action.pending().get()>"Add comment"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn RatingForm(
    context: StoredValue<FeedbackContext>,
    anchor: Anchor,
    current: Option<Rating>,
) -> impl IntoView {
    let Anchor::Row(_, row) = anchor else {
        return ().into_any();
    };
    let action = ServerAction::<RateIntervention>::new();
    let (case_id, reflection_id) =
        context.with_value(|context| (context.case_id, context.reflection_id));
    let key = anchor.slug();
    let error = error_of_form(action, key.clone());
    let id = format!("rating-{}", row.0);
    let summary = current
        .as_ref()
        .map(|rating| format!("Pacing: {} — change", rating.rating.label()))
        .unwrap_or_else(|| "Rate the pacing".to_string());
    let open = typed_value("form") == key;
    let (value, note) = current
        .map(|rating| (rating.rating.slug().to_string(), rating.note))
        .unwrap_or_default();
    view! {
        <details class="rating-form" open=open>
            <summary>{summary}</summary>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <ReflectionFields case_id reflection_id />
                <input type="hidden" name="intervention_id" value=row.0 />
                <Select label="Pacing" id=format!("{id}-value") name="rating" value blank="Choose…"
                    options=choice_options(PacingRating::ALL, PacingRating::slug, PacingRating::label)
                    error=field_error(error, "rating") />
                <TextArea label="Note (optional)" id=format!("{id}-note") name="note" value=note rows=2
                    error=field_error(error, "note") />
                <button type="submit" class="button-secondary" disabled=move || action.pending().get()>"Save rating"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// Where the reflection stands with each supervisor (the therapist's view).
#[component]
pub fn ReviewStates(reviews: Vec<Review>) -> impl IntoView {
    (!reviews.is_empty()).then(|| {
        view! {
            <ul class="review-states" aria-label="Review">
                {reviews
                    .into_iter()
                    .map(|review| view! {
                        <li class="review-state" data-state=review_slug(review.state)>
                            {review.supervisor_name} ": " {review.state.label()}
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    })
}

pub fn review_slug(state: ReviewState) -> &'static str {
    match state {
        ReviewState::NotReviewed => "not-reviewed",
        ReviewState::Reviewed { .. } => "reviewed",
        ReviewState::ChangedSinceReview { .. } => "changed",
    }
}

/// The supervisor's review state of a reflection, and the button to mark
/// the version on the page reviewed.
#[component]
pub fn ReviewControl(
    case_id: i64,
    reflection_id: i64,
    version: i64,
    state: ReviewState,
) -> impl IntoView {
    let action = ServerAction::<MarkReviewed>::new();
    let error = error_of_form(action, "review".to_string());
    let status = match state {
        ReviewState::NotReviewed => "You have not marked this reflection reviewed.".to_string(),
        ReviewState::Reviewed { at } => format!("You marked it reviewed {}.", format_utc_minute(at)),
        ReviewState::ChangedSinceReview { at } => format!(
            "Changed since review: you marked it reviewed {}, and the therapist has saved it again since.",
            format_utc_minute(at)
        ),
    };
    view! {
        <div class="review-control" data-state=review_slug(state)>
            <p>{status}</p>
            {move || error.get().map(|error| {
                let message = match error {
                    AppError::Conflict => "The therapist has saved this reflection again since you opened it. Read it again, then mark it reviewed.".to_string(),
                    other => other.user_message(),
                };
                view! { <p class="form-alert" role="alert">{message}</p> }
            })}
            {state.needs_review().then(|| view! {
                <ActionForm action attr:class="inline-form">
                    <ReflectionFields case_id reflection_id />
                    <input type="hidden" name="version" value=version />
                    <button type="submit" class="button-primary">"Mark reviewed"</button>
                </ActionForm>
            })}
        </div>
    }
}
