//! Reading a saved reflection, with what supervisors said about it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::{
    api::{
        reflections::{editor_path, reflection_page, OwnReflectionView},
        shares::ConfirmReturn,
    },
    components::{
        feedback::{AnchorFeedback, FeedbackContext, Reader, RemovedRowsFeedback, ReviewStates},
        form::Notice,
        identifiers::{IdentifierReview, PrivateFindings},
        layout::RequireSignIn,
        reading::ReflectionReading,
    },
    domain::{
        feedback::{Anchor, ReflectionFeedback},
        identifiers::review::{pending_in, ReflectionIdentifiers},
        reflection::StoredReflection,
        time::format_utc_minute,
    },
    pages::cases::{id_param, query_notice, LoadError},
};

#[component]
pub fn ReflectionPage() -> impl IntoView {
    let case_id = id_param("case_id");
    let reflection_id = id_param("reflection_id");
    // Reloaded after each reply (the form's answer changes the query).
    let location = use_location();
    let page = Resource::new(
        move || (case_id.get(), reflection_id.get(), location.search.get()),
        |(case, reflection, _)| reflection_page(case, reflection),
    );
    let notice = query_notice(&[
        ("saved", "Reflection saved."),
        ("commented", "Your reply was added."),
        ("confirmed", "Your confirmations were recorded."),
    ]);
    view! {
        <Title text="Reflection" />
        <RequireSignIn>
            <Notice message=notice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(OwnReflectionView { stored, feedback, identifiers }) => view! { <SavedReflection stored feedback identifiers /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn SavedReflection(
    stored: StoredReflection,
    feedback: ReflectionFeedback,
    identifiers: ReflectionIdentifiers,
) -> impl IntoView {
    let ReflectionIdentifiers { shared, private } = identifiers;
    let pending = pending_in(&shared);
    let back = ConfirmReturn {
        share: None,
        reflection_id: Some(stored.id.0),
    };
    let title = format!(
        "{} · session {}",
        stored.case_code, stored.reflection.session_number
    );
    let unread = feedback.unread();
    let reviews = feedback.reviews.clone();
    let context = StoredValue::new(FeedbackContext {
        case_id: stored.case_id.0,
        reflection_id: stored.id.0,
        reader: Reader::Therapist,
        feedback,
    });
    let whole_reflection_threads =
        context.with_value(|context| !context.feedback.threads_on(Anchor::Reflection).is_empty());
    view! {
        <Title text=title />
        <p class="breadcrumbs">
            <a href=format!("/cases/{}", stored.case_id.0)>"Case " {stored.case_code.clone()}</a>
        </p>
        <div class="page-heading">
            <h1>
                "Session " {stored.reflection.session_number} " · " {stored.reflection.session_date.clone()}
            </h1>
            <a class="button-primary" href=editor_path(stored.case_id, Some(stored.id)) accesskey="e">
                "Edit reflection"
            </a>
        </div>
        <p class="aside">"Last saved " {format_utc_minute(stored.updated_at)}</p>
        <ReviewStates reviews />
        {(pending > 0).then(|| view! {
            <p class="warning" role="status">
                "Held from supervision: while this case is shared, your supervisor does not see this reflection until each "
                <a href="#identifiers">"possible identifier"</a>
                " is fixed or confirmed."
            </p>
        })}
        {(unread > 0).then(|| view! {
            <p class="notice" role="status">
                {if unread == 1 { "1 new comment or rating from supervision, marked New below.".to_string() } else { format!("{unread} new comments or ratings from supervision, marked New below.") }}
            </p>
        })}
        {whole_reflection_threads.then(|| view! {
            <section aria-labelledby="whole-feedback-heading">
                <h2 id="whole-feedback-heading">"About the reflection as a whole"</h2>
                <AnchorFeedback context anchor=Anchor::Reflection />
            </section>
        })}
        <ReflectionReading reflection=stored.reflection feedback=Some(context) />
        <RemovedRowsFeedback context />
        {(!shared.is_empty()).then(|| view! { <IdentifierReview case=stored.case_id passages=shared back /> })}
        {(!private.is_empty()).then(|| view! { <PrivateFindings passages=private /> })}
    }
}
