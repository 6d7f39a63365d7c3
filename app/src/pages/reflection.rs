//! Reading a saved reflection.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::reflections::{editor_path, reflection_view},
    components::{form::Notice, layout::RequireSignIn},
    domain::{
        reflection::{Choices, Reflection, StoredReflection},
        time::format_utc_minute,
    },
    pages::cases::{id_param, LoadError},
};

#[component]
pub fn ReflectionPage() -> impl IntoView {
    let case_id = id_param("case_id");
    let reflection_id = id_param("reflection_id");
    let stored = Resource::new(
        move || (case_id.get(), reflection_id.get()),
        |(case, reflection)| reflection_view(case, reflection),
    );
    let query = leptos_router::hooks::use_query_map();
    let notice = Signal::derive(move || {
        query
            .read()
            .get("saved")
            .map(|_| "Reflection saved.".to_string())
    });
    view! {
        <Title text="Reflection" />
        <RequireSignIn>
            <Notice message=notice />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match stored.await {
                        Ok(stored) => view! { <SavedReflection stored /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn SavedReflection(stored: StoredReflection) -> impl IntoView {
    let title = format!(
        "{} · session {}",
        stored.case_code, stored.reflection.session_number
    );
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
        <ReflectionReading reflection=stored.reflection />
    }
}

/// A reflection laid out for reading; empty sections are left out.
#[component]
pub fn ReflectionReading(reflection: Reflection) -> impl IntoView {
    let Reflection {
        reactions,
        trigger,
        manifestation,
        management,
        origin,
        racker,
        racker_object,
        racker_note,
        enactment,
        interventions,
        episodes,
        private_notes,
        ..
    } = reflection;
    view! {
        <div class="reading">
            <section aria-labelledby="reading-reactions">
                <h2 id="reading-reactions">"Reactions"</h2>
                {if reactions.is_empty() {
                    view! { <p class="empty">"None recorded."</p> }.into_any()
                } else {
                    view! {
                        <ul class="reading-list">
                            {reactions
                                .into_iter()
                                .map(|reaction| view! {
                                    <li>
                                        <strong>{reaction.dimension.label()}</strong>
                                        " · intensity " {reaction.intensity} "/5"
                                        <Paragraphs text=reaction.text />
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
            <section aria-labelledby="reading-hayes">
                <h2 id="reading-hayes">"How it arose and was handled"</h2>
                <dl class="reading-details">
                    <HayesPart term="Trigger" choices=trigger label=|c| c.label() />
                    <HayesPart term="Manifestation" choices=manifestation label=|c| c.label() />
                    <HayesPart term="Management" choices=management label=|c| c.label() />
                    <HayesPart term="Origin (private)" choices=origin label=|c| c.label() />
                    <dt>"Identification"</dt>
                    <dd>
                        {racker.map(|r| r.label()).unwrap_or("Not recorded")}
                        {(!racker_object.is_empty()).then(|| view! { " — with " {racker_object} })}
                        <Paragraphs text=racker_note />
                    </dd>
                    <dt>"Enactment noticed"</dt>
                    <dd>
                        {enactment.is_empty().then_some("None recorded.")}
                        <Paragraphs text=enactment />
                    </dd>
                </dl>
            </section>
            <section aria-labelledby="reading-interventions">
                <h2 id="reading-interventions">"Interventions"</h2>
                {if interventions.is_empty() {
                    view! { <p class="empty">"None recorded."</p> }.into_any()
                } else {
                    view! {
                        <ol class="reading-list">
                            {interventions
                                .into_iter()
                                .map(|intervention| {
                                    let mut facts = vec![
                                        intervention.timing.describe(),
                                        format!("depth {}/5", intervention.depth),
                                    ];
                                    if let Some(target) = intervention.target {
                                        facts.push(format!("about {}", target.label().to_lowercase()));
                                    }
                                    if let Some(response) = intervention.response {
                                        facts.push(format!("response: {}", response.label().to_lowercase()));
                                    }
                                    view! {
                                        <li>
                                            <strong>{intervention.kind.label()}</strong>
                                            " · " {facts.join(" · ")}
                                            <Paragraphs text=intervention.text />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                    .into_any()
                }}
            </section>
            <section aria-labelledby="reading-episodes">
                <h2 id="reading-episodes">"Relationship episodes"</h2>
                {if episodes.is_empty() {
                    view! { <p class="empty">"None recorded."</p> }.into_any()
                } else {
                    view! {
                        <ol class="reading-list">
                            {episodes
                                .into_iter()
                                .map(|episode| view! {
                                    <li>
                                        <strong>"With " {episode.with_whom.label().to_lowercase()}</strong>
                                        <dl class="reading-details">
                                            <EpisodePart term="Wish" pick=episode.wish.map(|c| c.label()) text=episode.wish_text />
                                            <EpisodePart term="Response of other" pick=episode.response_of_other.map(|c| c.label()) text=episode.response_of_other_text />
                                            <EpisodePart term="Response of self" pick=episode.response_of_self.map(|c| c.label()) text=episode.response_of_self_text />
                                        </dl>
                                    </li>
                                })
                                .collect_view()}
                        </ol>
                    }
                    .into_any()
                }}
            </section>
            <section class="private" aria-labelledby="reading-private">
                <h2 id="reading-private">"Private notes"</h2>
                <p class="aside">"Never shared with anyone."</p>
                {private_notes.is_empty().then(|| view! { <p class="empty">"None."</p> })}
                <Paragraphs text=private_notes />
            </section>
        </div>
    }
}

#[component]
fn HayesPart<T: Copy + Send + Sync + 'static>(
    term: &'static str,
    choices: Choices<T>,
    label: fn(T) -> &'static str,
) -> impl IntoView {
    let picked: Vec<&'static str> = choices.picked.iter().map(|&choice| label(choice)).collect();
    let summary = if picked.is_empty() && choices.note.is_empty() {
        "Not recorded".to_string()
    } else {
        picked.join(", ")
    };
    view! {
        <dt>{term}</dt>
        <dd>{summary}<Paragraphs text=choices.note /></dd>
    }
}

#[component]
fn EpisodePart(term: &'static str, pick: Option<&'static str>, text: String) -> impl IntoView {
    (pick.is_some() || !text.is_empty()).then(|| {
        view! {
            <dt>{term}</dt>
            <dd>{pick}<Paragraphs text /></dd>
        }
    })
}

/// Free text as paragraphs, one per blank-line-separated block.
#[component]
fn Paragraphs(text: String) -> impl IntoView {
    text.split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| view! { <p class="reading-text">{paragraph.to_string()}</p> })
        .collect_view()
}
