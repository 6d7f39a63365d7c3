//! Supervision hours in a period: per supervisee of the meetings one
//! recorded, and one's own as a supervisee; signed-off meetings count, the
//! others show apart. A GET form picks the period, so it works without
//! JavaScript; the page prints as a statement, and the CSV downloads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::meetings::{
        hours_statement, meetings_csv_path, statement_path, supervision_hours, HoursView,
        StatementView, HOURS_PATH, MEETINGS_PATH,
    },
    components::{
        form::{field_error, Field, FormAlert},
        layout::RequireSignIn,
    },
    domain::meetings::{decimal_hours, format_hours_and_minutes, FormatTotals, PeriodInput},
    error::AppError,
    pages::cases::{LoadError, Missing},
};

fn typed_period(query: &leptos_router::params::ParamsMap) -> PeriodInput {
    let get = |name: &str| query.get(&format!("period[{name}]")).unwrap_or_default();
    PeriodInput {
        kind: get("kind"),
        month: get("month"),
        year: get("year"),
        quarter: get("quarter"),
        from: get("from"),
        to: get("to"),
    }
}

#[component]
pub fn HoursPage() -> impl IntoView {
    let query = use_query_map();
    let typed = Memo::new(move |_| typed_period(&query.read()));
    let hours = Resource::new(move || typed.get(), supervision_hours);
    view! {
        <Title text="Supervision hours" />
        <RequireSignIn>
            <p class="breadcrumbs no-print"><a href=MEETINGS_PATH>"Supervision meetings"</a></p>
            <h1>"Supervision hours"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let typed = typed.get_untracked();
                    match hours.await {
                        Ok(hours) => {
                            // With no period asked for, the form shows the month shown.
                            let typed = if typed.kind.trim().is_empty() {
                                PeriodInput {
                                    kind: "month".to_string(),
                                    month: hours.period_slug.clone(),
                                    ..typed
                                }
                            } else {
                                typed
                            };
                            view! {
                                <PeriodForm typed error=None />
                                <HoursStatement hours />
                            }
                            .into_any()
                        }
                        Err(error @ AppError::Invalid(_)) => {
                            #[cfg(feature = "ssr")]
                            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                response.set_status(error.status_code());
                            }
                            view! { <PeriodForm typed error=Some(error) /> }.into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// The period to show, as a GET form; a period that cannot be read is
/// reported at its fields.
#[component]
fn PeriodForm(typed: PeriodInput, error: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(error);
    let field = move |name: &str| field_error(error, name.to_string());
    let kinds = [
        ("month", "Month"),
        ("quarter", "Quarter"),
        ("year", "Year"),
        ("custom", "Dates from … to …"),
    ];
    view! {
        <form method="get" action=HOURS_PATH class="period-form no-print">
            <FormAlert error />
            <div class="field" class:field-invalid=move || field("kind").get().is_some()>
                <label for="period-kind">"Period"</label>
                <select id="period-kind" name="period[kind]">
                    {kinds.into_iter().map(|(value, text)| {
                        let selected = typed.kind == value || (typed.kind.is_empty() && value == "month");
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" id="period-kind-error">{move || field("kind").get()}</p>
            </div>
            <Field label="Month (for a month)" id="period-month" kind="month" name="period[month]"
                value=typed.month.clone() error=field("month") />
            <Field label="Year (for a quarter or a year)" id="period-year" kind="number" name="period[year]"
                value=typed.year.clone() error=field("year") />
            <Field label="Quarter (1–4)" id="period-quarter" kind="number" min="1" max="4" name="period[quarter]"
                value=typed.quarter.clone() error=field("quarter") />
            <Field label="From" id="period-from" kind="date" name="period[from]"
                value=typed.from.clone() error=field("from") />
            <Field label="To" id="period-to" kind="date" name="period[to]"
                value=typed.to.clone() error=field("to") />
            <button type="submit" class="button-secondary">"Show hours"</button>
        </form>
    }
}

#[component]
fn HoursStatement(hours: HoursView) -> impl IntoView {
    let HoursView {
        me,
        period_label,
        period_slug,
        as_supervisor,
        signed_off,
        not_signed_off,
    } = hours;
    view! {
        <h2 class="statement-period">{period_label}</h2>
        <section aria-labelledby="given-heading">
            <h3 id="given-heading">"Supervision you gave, per supervisee"</h3>
            {if as_supervisor.is_empty() {
                view! { <p class="empty">"No meetings you recorded in this period."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table hours-table">
                        <thead>
                            <tr>
                                <th scope="col">"Supervisee"</th>
                                <HoursHeadings />
                                <th scope="col" class="no-print">"Statement"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {as_supervisor.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row">{row.name}</th>
                                    <HoursCells signed_off=row.signed_off not_signed_off=row.not_signed_off />
                                    <td class="no-print"><a href=statement_path(row.supervisee, &period_slug)>"Statement"</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="no-print"><a href=meetings_csv_path("records", &period_slug)>"Download these meetings (CSV)"</a></p>
                }
                .into_any()
            }}
        </section>
        <section aria-labelledby="received-heading">
            <h3 id="received-heading">"Supervision you received"</h3>
            {if signed_off.meetings() + not_signed_off.meetings() == 0 {
                view! { <p class="empty">"No meetings you were in during this period."</p> }.into_any()
            } else {
                view! { <ReceivedHours me period_slug signed_off not_signed_off /> }.into_any()
            }}
        </section>
        <p class="field-hint">"Only signed-off meetings count; meetings not signed off yet are shown apart. Hours are also given in decimals, as boards ask for them."</p>
    }
}

/// The asker's own hours as a supervisee, with their statement and CSV.
#[component]
fn ReceivedHours(
    me: i64,
    period_slug: String,
    signed_off: FormatTotals,
    not_signed_off: FormatTotals,
) -> impl IntoView {
    view! {
            <table class="data-table hours-table">
                <thead>
                    <tr>
                        <th scope="col">"You"</th>
                        <HoursHeadings />
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">"Total"</th>
                        <HoursCells signed_off not_signed_off />
                    </tr>
                </tbody>
            </table>
            <p class="no-print">
                <a href=statement_path(me, &period_slug)>"Your hours statement"</a>
                " · "
                <a href=meetings_csv_path("supervision", &period_slug)>"Download your meetings (CSV)"</a>
            </p>
    }
}

#[component]
fn HoursHeadings() -> impl IntoView {
    view! {
        <th scope="col">"Individual, signed off"</th>
        <th scope="col">"Group, signed off"</th>
        <th scope="col">"Total signed off"</th>
        <th scope="col">"Not signed off yet"</th>
    }
}

/// `1 h 30 min = 1.50 h (2 meetings)`.
fn hours_text(minutes: u32, meetings: u32) -> String {
    format!(
        "{} = {} h ({meetings} {})",
        format_hours_and_minutes(minutes),
        decimal_hours(minutes),
        if meetings == 1 { "meeting" } else { "meetings" }
    )
}

#[component]
fn HoursCells(signed_off: FormatTotals, not_signed_off: FormatTotals) -> impl IntoView {
    view! {
        <td>{hours_text(signed_off.individual_minutes, signed_off.individual_meetings)}</td>
        <td>{hours_text(signed_off.group_minutes, signed_off.group_meetings)}</td>
        <td class="hours-total">{hours_text(signed_off.total_minutes(), signed_off.meetings())}</td>
        <td>{hours_text(not_signed_off.total_minutes(), not_signed_off.meetings())}</td>
    }
}

/// A supervisee's printable hours statement for a period.
#[component]
pub fn StatementPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let query = query.read();
        (
            query
                .get("supervisee")
                .and_then(|id| id.parse().ok())
                .unwrap_or(0),
            query.get("period").unwrap_or_default(),
        )
    });
    let statement = Resource::new(
        move || asked.get(),
        |(supervisee, period)| hours_statement(supervisee, period),
    );
    view! {
        <Title text="Supervision hours statement" />
        <RequireSignIn>
            <p class="breadcrumbs no-print"><a href=HOURS_PATH>"Supervision hours"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match statement.await {
                        Ok(statement) => view! { <Statement statement /> }.into_any(),
                        Err(error) => view! { <LoadError error missing=Missing::Statement /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn Statement(statement: StatementView) -> impl IntoView {
    let StatementView {
        supervisee_name,
        period_label,
        meetings,
        signed_off,
        not_signed_off,
    } = statement;
    view! {
        <article class="hours-statement">
            <h1>"Supervision hours statement"</h1>
            <dl class="details">
                <dt>"Supervisee"</dt><dd>{supervisee_name}</dd>
                <dt>"Period"</dt><dd>{period_label}</dd>
                <dt>"Individual, signed off"</dt><dd>{hours_text(signed_off.individual_minutes, signed_off.individual_meetings)}</dd>
                <dt>"Group, signed off"</dt><dd>{hours_text(signed_off.group_minutes, signed_off.group_meetings)}</dd>
                <dt>"Total signed off"</dt><dd class="hours-total">{hours_text(signed_off.total_minutes(), signed_off.meetings())}</dd>
                <dt>"Not signed off yet (not counted)"</dt><dd>{hours_text(not_signed_off.total_minutes(), not_signed_off.meetings())}</dd>
            </dl>
            {if meetings.is_empty() {
                view! { <p class="empty">"No meetings in this period."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table hours-table">
                        <thead>
                            <tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Minutes"</th>
                                <th scope="col">"Format"</th>
                                <th scope="col">"Supervisor"</th>
                                <th scope="col">"Signed off on"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {meetings.into_iter().map(|row| view! {
                                <tr>
                                    <td>{row.date}</td>
                                    <td>{row.duration_minutes}</td>
                                    <td>{row.format.label()}</td>
                                    <td>{row.supervisor_name}</td>
                                    <td>{row.signed_off_on.unwrap_or_else(|| "Not signed off".to_string())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
            <div class="statement-signature">
                <p>"Supervisor's signature"</p>
                <p>"Date"</p>
            </div>
        </article>
    }
}
