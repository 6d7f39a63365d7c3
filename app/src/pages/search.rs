//! Searching the therapist's own reflections. The form is a plain GET form:
//! the address holds the search, so it works without JavaScript and can be
//! bookmarked or reloaded.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::reflections::{reflection_path, search_reflections, SearchHit, SearchResults},
    components::{
        form::{choice_options, field_error, Field, FormAlert, Select},
        layout::RequireSignIn,
    },
    domain::{
        search::{SearchInput, RESULTS_PER_PAGE},
        vocabulary::{Cluster, ReactionDimension},
    },
    error::AppError,
};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let input = Memo::new(move |_| {
        let query = query.read();
        let get = |name: &str| query.get(name).unwrap_or_default();
        SearchInput {
            words: get("words"),
            dimension: get("dimension"),
            min_intensity: get("min_intensity"),
            cluster: get("cluster"),
            case: get("case"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    });
    let results = Resource::new(move || input.get(), search_reflections);
    view! {
        <Title text="Search" />
        <RequireSignIn>
            <h1>"Search your reflections"</h1>
            <Suspense fallback=|| view! { <p>"Searching…"</p> }>
                {move || Suspend::new(async move {
                    let typed = input.get_untracked();
                    match results.await {
                        Ok(results) => view! { <SearchForm typed=typed.clone() results=Some(results.clone()) error=None /> <Results typed results /> }.into_any(),
                        Err(error) => view! { <SearchForm typed results=None error=Some(error) /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn SearchForm(
    typed: SearchInput,
    results: Option<SearchResults>,
    error: Option<AppError>,
) -> impl IntoView {
    let error = Signal::stored(error);
    let field = move |name: &'static str| field_error(error, name);
    let cases: Vec<(String, String)> = results
        .map(|results| {
            results
                .cases
                .into_iter()
                .map(|case| (case.id.0.to_string(), case.code))
                .collect()
        })
        .unwrap_or_default();
    view! {
        <form method="get" action="/search" class="search-form" role="search">
            <FormAlert error />
            <Field label="Words" name="words" id="search-words" kind="search" value=typed.words
                hint="Whole words, in any case; every word must appear somewhere in the reflection, private notes included."
                autofocus=true error=field("words") />
            <div class="row-fields">
                <Select label="Reaction" id="search-dimension" name="dimension" value=typed.dimension blank="Any"
                    options=choice_options(ReactionDimension::ALL, ReactionDimension::slug, ReactionDimension::label)
                    error=field("dimension") />
                <Select label="At least" id="search-min-intensity" name="min_intensity" value=typed.min_intensity blank="Any intensity"
                    options=(1..=5).map(|v| (v.to_string(), format!("intensity {v}"))).collect()
                    error=field("min_intensity") />
                <Select label="Theme (CCRT cluster)" id="search-cluster" name="cluster" value=typed.cluster blank="Any"
                    options=Cluster::all().map(|c| (c.slug().to_string(), c.label())).collect()
                    error=field("cluster") />
            </div>
            <div class="row-fields">
                <Select label="Case" id="search-case" name="case" value=typed.case.clone() blank="All cases"
                    options=cases error=field("case") />
                <Field label="From" name="from" id="search-from" kind="date" value=typed.from error=field("from") />
                <Field label="To" name="to" id="search-to" kind="date" value=typed.to error=field("to") />
            </div>
            <button type="submit" class="button-primary">"Search"</button>
        </form>
    }
}

#[component]
fn Results(typed: SearchInput, results: SearchResults) -> impl IntoView {
    if typed.is_empty() {
        return ().into_any();
    }
    let SearchResults {
        hits, total, page, ..
    } = results;
    let first = (page - 1) * RESULTS_PER_PAGE;
    let summary = match total {
        0 => "No reflection matches.".to_string(),
        1 => "1 reflection matches.".to_string(),
        n if n <= RESULTS_PER_PAGE => format!("{n} reflections match."),
        n => format!(
            "{n} reflections match; showing {}–{}.",
            first + 1,
            (first + hits.len()).max(first + 1)
        ),
    };
    let page_link = move |page: usize| {
        let mut query = typed.clone();
        query.page = page.to_string();
        search_path(&query)
    };
    let previous = (page > 1).then(|| page_link(page - 1));
    let next = (first + hits.len() < total).then(|| page_link(page + 1));
    view! {
        <section aria-labelledby="results-heading">
            <h2 id="results-heading">"Results"</h2>
            <p role="status">{summary}</p>
            <ol class="search-results" start=first + 1>
                {hits.into_iter().map(|hit| view! { <ResultItem hit /> }).collect_view()}
            </ol>
            <nav class="filter-links" aria-label="More results">
                {previous.map(|href| view! { <a href=href rel="prev">"Previous results"</a> })}
                {next.map(|href| view! { <a href=href rel="next">"Next results"</a> })}
            </nav>
        </section>
    }
    .into_any()
}

#[component]
fn ResultItem(hit: SearchHit) -> impl IntoView {
    let href = reflection_path(hit.case_id, hit.reflection_id);
    view! {
        <li class="search-result">
            <a href=href>
                {hit.case_code} " · session " {hit.session_number} " · " {hit.session_date}
            </a>
            {hit.passage.map(|passage| view! {
                <p class="passage">
                    <span class="passage-label">{passage.label} ": "</span>
                    {passage.before}
                    <mark>{passage.matched}</mark>
                    {passage.after}
                </p>
            })}
        </li>
    }
}

/// The search page's address for `query` (a GET form's fields).
fn search_path(query: &SearchInput) -> String {
    let fields = [
        ("words", &query.words),
        ("dimension", &query.dimension),
        ("min_intensity", &query.min_intensity),
        ("cluster", &query.cluster),
        ("case", &query.case),
        ("from", &query.from),
        ("to", &query.to),
        ("page", &query.page),
    ];
    let encoded: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().filter(|(_, value)| !value.is_empty()))
        .finish();
    format!("/search?{encoded}")
}
