//! A case's analytics: for its therapist (who can change the transference
//! threshold) and for a supervisor over what the share shows. The same
//! report serves both; only the links and the setting differ.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::{
    api::{
        analytics::{
            my_case_analytics, shared_case_analytics, AnalyticsReader, CaseAnalyticsView,
            SetTransferenceThreshold,
        },
        supervision::supervision_case_path,
    },
    components::{
        analytics::{
            AnalyticsDownloads, CountertransferenceSection, FlagsSummary, PacingSection,
            SessionLinks, ThemesSection,
        },
        form::{action_error, field_error, typed_value, Field, FormAlert, Notice, SubmitButton},
        layout::RequireSignIn,
    },
    error::AppError,
    pages::cases::{id_param, query_notice, LoadError, Missing},
};

#[component]
pub fn CaseAnalyticsPage() -> impl IntoView {
    let case_id = id_param("case_id");
    // Reloaded after the threshold is saved (the form's answer changes the query).
    let location = use_location();
    let report = Resource::new(
        move || (case_id.get(), location.search.get()),
        |(case, _)| my_case_analytics(case),
    );
    let notice = query_notice(&[("threshold_saved", "The threshold was saved.")]);
    view! {
        <Title text="Analytics" />
        <RequireSignIn>
            <Notice message=notice />
            <LoadedReport report missing=Missing::CaseOrReflection />
        </RequireSignIn>
    }
}

#[component]
pub fn SharedCaseAnalyticsPage() -> impl IntoView {
    let case_id = id_param("case_id");
    let report = Resource::new(move || case_id.get(), shared_case_analytics);
    view! {
        <Title text="Analytics" />
        <RequireSignIn>
            <LoadedReport report missing=Missing::SharedCase />
        </RequireSignIn>
    }
}

/// The report once its figures have loaded, or why they did not.
#[component]
fn LoadedReport(
    report: Resource<Result<CaseAnalyticsView, AppError>>,
    missing: Missing,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <AnalyticsReport report /> }.into_any(),
                    Err(error) => view! { <LoadError error missing /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AnalyticsReport(report: CaseAnalyticsView) -> impl IntoView {
    let CaseAnalyticsView {
        case_id,
        case_code,
        reader,
        sessions,
        analytics,
    } = report;
    let links = SessionLinks { case_id, reader };
    let (case_href, scope) = match reader {
        AnalyticsReader::Therapist => (
            format!("/cases/{case_id}"),
            "Computed from every session with a reflection.",
        ),
        AnalyticsReader::Supervisor => (
            supervision_case_path(case_id),
            "Computed from the sessions shared with you only; private parts are never used.",
        ),
    };
    let threshold = analytics.pacing.transference_threshold;
    view! {
        <Title text=format!("Analytics · case {case_code}") />
        <p class="breadcrumbs"><a href=case_href>"Case " {case_code.clone()}</a></p>
        <h1>"Analytics · case " {case_code.clone()}</h1>
        <p class="lead">
            {match sessions {
                0 => "No sessions yet: the figures appear once reflections are written.".to_string(),
                1 => "1 session.".to_string(),
                n => format!("{n} sessions."),
            }}
            " " {scope}
        </p>
        {(reader == AnalyticsReader::Therapist).then(|| view! { <ThresholdForm case_id threshold /> })}
        // A case without sessions has nothing to chart: the lead says so.
        {(sessions > 0).then(|| view! {
            <FlagsSummary analytics=analytics.clone() links />
            <PacingSection pacing=analytics.pacing links />
            <ThemesSection themes=analytics.themes links />
            <CountertransferenceSection countertransference=analytics.countertransference />
            <AnalyticsDownloads links />
        })}
    }
}

/// The therapist's setting for the transference-interpretation flag.
#[component]
fn ThresholdForm(case_id: i64, threshold: u32) -> impl IntoView {
    let action = ServerAction::<SetTransferenceThreshold>::new();
    let error = action_error(action);
    let typed = typed_value("threshold");
    let value = if typed.is_empty() {
        threshold.to_string()
    } else {
        typed
    };
    view! {
        <details class="threshold-setting" open=move || error.get().is_some()>
            <summary>"Transference threshold: " {threshold} " per session"</summary>
            <ActionForm action attr:class="inline-form" attr:novalidate=true>
                <FormAlert error />
                <input type="hidden" name="case_id" value=case_id />
                <Field label="Flag a session with more transference interpretations than" name="threshold"
                    // TRANSFERENCE_THRESHOLD_MAX; the server checks it too.
                    kind="number" min="0" max="20" value
                    hint="Research suggests frequent transference interpretation can harm clients with mature object relations."
                    error=field_error(error, "threshold") />
                <SubmitButton label="Save threshold" pending=action.pending() class="button-secondary" />
            </ActionForm>
        </details>
    }
}
