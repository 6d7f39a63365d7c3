//! A reflection laid out for reading: the author's (private parts
//! included) and the shared one a supervisor reads (which has none to
//! show). Both are built from the same sections; with a feedback context,
//! each reaction, intervention and episode carries its feedback.

use leptos::prelude::*;

use crate::{
    components::feedback::{AnchorFeedback, FeedbackContext},
    domain::{
        feedback::Anchor,
        reflection::{
            Choices, Episode, Intervention, Reaction, Reflection, RowId, RowKind, SharedReflection,
        },
        vocabulary::{
            HayesManagement, HayesManifestation, HayesOrigin, HayesTrigger, RackerIdentification,
        },
    },
};

/// The feedback of one reflection, if the page shows it.
pub type Feedback = Option<StoredValue<FeedbackContext>>;

/// The author's reflection; empty sections say so. A page that shows
/// several gives each its own `id_prefix`, so the sections' ids stay unique.
#[component]
pub fn ReflectionReading(
    reflection: Reflection,
    #[prop(optional)] feedback: Feedback,
    #[prop(optional, into)] id_prefix: String,
) -> impl IntoView {
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
    let private_id = format!("{id_prefix}reading-private");
    let private_label = private_id.clone();
    view! {
        <div class="reading">
            <ReactionsReading reactions feedback id_prefix=id_prefix.clone() />
            <HayesReading trigger manifestation management origin=Some(origin) racker racker_object racker_note enactment id_prefix=id_prefix.clone() />
            <InterventionsReading interventions feedback id_prefix=id_prefix.clone() />
            <EpisodesReading episodes feedback id_prefix />
            <section class="private" aria-labelledby=private_label>
                <h2 id=private_id>"Private notes"</h2>
                <p class="aside">"Never shared with anyone."</p>
                {private_notes.is_empty().then(|| view! { <p class="empty">"None."</p> })}
                <Paragraphs text=private_notes />
            </section>
        </div>
    }
}

/// A reflection as a supervisor sees it through a share.
#[component]
pub fn SharedReflectionReading(
    reflection: SharedReflection,
    #[prop(optional)] feedback: Feedback,
) -> impl IntoView {
    let SharedReflection {
        reactions,
        trigger,
        manifestation,
        management,
        racker,
        racker_object,
        racker_note,
        enactment,
        interventions,
        episodes,
        ..
    } = reflection;
    view! {
        <div class="reading">
            <ReactionsReading reactions feedback id_prefix=String::new() />
            <HayesReading trigger manifestation management origin=None racker racker_object racker_note enactment id_prefix=String::new() />
            <InterventionsReading interventions feedback id_prefix=String::new() />
            <EpisodesReading episodes feedback id_prefix=String::new() />
        </div>
    }
}

/// The anchor of a stored row (rows read back always have an id).
fn row_anchor(kind: RowKind, id: Option<RowId>) -> Option<Anchor> {
    id.map(|id| Anchor::Row(kind, id))
}

/// `interventions-12`: where a row is on the page.
pub fn row_element_id(kind: RowKind, id: Option<RowId>) -> Option<String> {
    id.map(|id| format!("{}-{}", kind.slug(), id.0))
}

#[component]
fn RowFeedback(feedback: Feedback, anchor: Option<Anchor>) -> impl IntoView {
    feedback
        .zip(anchor)
        .map(|(context, anchor)| view! { <AnchorFeedback context anchor /> })
}

/// A section of rows under its heading; "None recorded." when there are none.
#[component]
fn RowsSection(
    id: String,
    heading: &'static str,
    #[prop(optional)] numbered: bool,
    empty: bool,
    children: Children,
) -> impl IntoView {
    let rows = if empty {
        view! { <p class="empty">"None recorded."</p> }.into_any()
    } else if numbered {
        view! { <ol class="reading-list">{children()}</ol> }.into_any()
    } else {
        view! { <ul class="reading-list">{children()}</ul> }.into_any()
    };
    let label = id.clone();
    view! {
        <section aria-labelledby=label>
            <h2 id=id>{heading}</h2>
            {rows}
        </section>
    }
}

#[component]
fn ReactionsReading(
    reactions: Vec<Reaction>,
    feedback: Feedback,
    id_prefix: String,
) -> impl IntoView {
    view! {
        <RowsSection id=format!("{id_prefix}reading-reactions") heading="Reactions" empty=reactions.is_empty()>
            {reactions
                .into_iter()
                .map(|reaction| view! {
                    <li id=row_element_id(RowKind::Reaction, reaction.id)>
                        <strong>{reaction.dimension.label()}</strong>
                        " · intensity " {reaction.intensity} "/5"
                        <Paragraphs text=reaction.text />
                        <RowFeedback feedback anchor=row_anchor(RowKind::Reaction, reaction.id) />
                    </li>
                })
                .collect_view()}
        </RowsSection>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn HayesReading(
    trigger: Choices<HayesTrigger>,
    manifestation: Choices<HayesManifestation>,
    management: Choices<HayesManagement>,
    /// The author's only: never part of a shared reflection.
    origin: Option<Choices<HayesOrigin>>,
    racker: Option<RackerIdentification>,
    racker_object: String,
    racker_note: String,
    enactment: String,
    id_prefix: String,
) -> impl IntoView {
    let id = format!("{id_prefix}reading-hayes");
    let label = id.clone();
    view! {
        <section aria-labelledby=label>
            <h2 id=id>"How it arose and was handled"</h2>
            <dl class="reading-details">
                <HayesPart term="Trigger" choices=trigger label=|c| c.label() />
                <HayesPart term="Manifestation" choices=manifestation label=|c| c.label() />
                <HayesPart term="Management" choices=management label=|c| c.label() />
                {origin.map(|origin| view! {
                    <HayesPart term="Origin (private)" choices=origin label=|c| c.label() />
                })}
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
    }
}

#[component]
fn InterventionsReading(
    interventions: Vec<Intervention>,
    feedback: Feedback,
    id_prefix: String,
) -> impl IntoView {
    view! {
        <RowsSection id=format!("{id_prefix}reading-interventions") heading="Interventions" numbered=true empty=interventions.is_empty()>
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
                        <li id=row_element_id(RowKind::Intervention, intervention.id)>
                            <strong>{intervention.kind.label()}</strong>
                            " · " {facts.join(" · ")}
                            <Paragraphs text=intervention.text />
                            <RowFeedback feedback anchor=row_anchor(RowKind::Intervention, intervention.id) />
                        </li>
                    }
                })
                .collect_view()}
        </RowsSection>
    }
}

#[component]
fn EpisodesReading(episodes: Vec<Episode>, feedback: Feedback, id_prefix: String) -> impl IntoView {
    view! {
        <RowsSection id=format!("{id_prefix}reading-episodes") heading="Relationship episodes" numbered=true empty=episodes.is_empty()>
            {episodes
                .into_iter()
                .map(|episode| view! {
                    <li id=row_element_id(RowKind::Episode, episode.id)>
                        <strong>
                            "With " {episode.with_whom.label().to_lowercase()}
                            {episode.when.map(|when| format!(" · {}", when.label().to_lowercase()))}
                        </strong>
                        <dl class="reading-details">
                            <EpisodePart term="Wish" pick=episode.wish.map(|c| c.label()) text=episode.wish_text />
                            <EpisodePart term="Response of other" pick=episode.response_of_other.map(|c| c.label()) text=episode.response_of_other_text />
                            <EpisodePart term="Response of self" pick=episode.response_of_self.map(|c| c.label()) text=episode.response_of_self_text />
                        </dl>
                        <RowFeedback feedback anchor=row_anchor(RowKind::Episode, episode.id) />
                    </li>
                })
                .collect_view()}
        </RowsSection>
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
pub fn Paragraphs(text: String) -> impl IntoView {
    text.split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| view! { <p class="reading-text">{paragraph.to_string()}</p> })
        .collect_view()
}
