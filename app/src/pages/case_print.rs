//! A case and all its reflections on one page, for its owner to print or
//! save as PDF (the browser's own Print command). Private parts are
//! included: it is the author's own copy.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::export::{printable_case, CaseToPrint},
    components::{layout::RequireSignIn, reading::ReflectionReading},
    domain::time::{format_utc_date, format_utc_minute},
    pages::cases::{id_param, LoadError},
};

#[component]
pub fn PrintableCasePage() -> impl IntoView {
    let case_id = id_param("case_id");
    let page = Resource::new(move || case_id.get(), printable_case);
    view! {
        <Title text="Printable case" />
        <RequireSignIn>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(printable) => view! { <PrintedCase printable /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn PrintedCase(printable: CaseToPrint) -> impl IntoView {
    let CaseToPrint {
        case,
        reflections,
        printed_at,
    } = printable;
    let details = case.details;
    let count = reflections.len();
    view! {
        <Title text=format!("Case {} · printable", details.code) />
        <article class="printable-case">
            <p class="breadcrumbs">
                <a href=format!("/cases/{}", case.id.0)>"Case " {details.code.clone()}</a>
            </p>
            <h1>"Case " {details.code.clone()}</h1>
            <p class="aside">
                "Printed from Reverie on " {format_utc_date(printed_at)}
                ". Confidential: includes your private notes and origins."
            </p>
            <p class="no-print">
                "Use your browser's Print command (Ctrl+P or ⌘P) to print this page or save it as a PDF."
            </p>
            <dl class="details">
                <dt>"Status"</dt><dd>{case.status.label()}</dd>
                <dt>"Modality"</dt><dd>{details.modality.label()}</dd>
                <dt>"Meets"</dt><dd>{details.frequency.label()}</dd>
                <dt>"Started"</dt><dd>{details.start_date.clone()}</dd>
                <dt>"Planned sessions"</dt>
                <dd>{details.planned_sessions.map(|n| n.to_string()).unwrap_or_else(|| "Open-ended".to_string())}</dd>
                <dt>"Names to watch"</dt>
                <dd>{if details.names_to_watch.is_empty() { "None listed".to_string() } else { details.names_to_watch.join(", ") }}</dd>
                <dt>"Reflections"</dt><dd>{count}</dd>
            </dl>
            {(count == 0).then(|| view! { <p class="empty">"No reflections written yet."</p> })}
            {reflections
                .into_iter()
                .map(|stored| {
                    let heading_id = format!("session-{}", stored.id.0);
                    let label = heading_id.clone();
                    let heading = format!(
                        "Session {} · {}",
                        stored.reflection.session_number, stored.reflection.session_date
                    );
                    let prefix = format!("session-{}-", stored.id.0);
                    view! {
                        <section class="printed-reflection" aria-labelledby=label>
                            <h2 id=heading_id>{heading}</h2>
                            <p class="aside">"Last saved " {format_utc_minute(stored.updated_at)}</p>
                            <ReflectionReading reflection=stored.reflection id_prefix=prefix />
                        </section>
                    }
                })
                .collect_view()}
        </article>
    }
}
