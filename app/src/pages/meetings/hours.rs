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
    components::layout::RequireSignIn,
    domain::meetings::{format_hours_and_minutes, FormatTotals, PeriodInput},
    pages::cases::LoadError,
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
            <PeriodForm typed=typed.get_untracked() />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match hours.await {
                        Ok(hours) => view! { <HoursStatement hours /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn PeriodForm(typed: PeriodInput) -> impl IntoView {
    let kinds = [
        ("month", "Month"),
        ("quarter", "Quarter"),
        ("year", "Year"),
        ("custom", "Dates from … to …"),
    ];
    view! {
        <form method="get" action=HOURS_PATH class="period-form no-print">
            <div class="field">
                <label for="period-kind">"Period"</label>
                <select id="period-kind" name="period[kind]">
                    {kinds.into_iter().map(|(value, text)| {
                        let selected = typed.kind == value || (typed.kind.is_empty() && value == "month");
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="period-month">"Month (for a month)"</label>
                <input id="period-month" type="month" name="period[month]" value=typed.month.clone() />
            </div>
            <div class="field">
                <label for="period-year">"Year (for a quarter or a year)"</label>
                <input id="period-year" type="number" name="period[year]" value=typed.year.clone() />
            </div>
            <div class="field">
                <label for="period-quarter">"Quarter (1–4)"</label>
                <input id="period-quarter" type="number" min="1" max="4" name="period[quarter]" value=typed.quarter.clone() />
            </div>
            <div class="field">
                <label for="period-from">"From"</label>
                <input id="period-from" type="date" name="period[from]" value=typed.from.clone() />
            </div>
            <div class="field">
                <label for="period-to">"To"</label>
                <input id="period-to" type="date" name="period[to]" value=typed.to.clone() />
            </div>
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
        </section>
        <p class="field-hint">"Only signed-off meetings count; meetings not signed off yet are shown apart."</p>
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

fn hours_text(minutes: u32, meetings: u32) -> String {
    format!(
        "{} ({meetings} {})",
        format_hours_and_minutes(minutes),
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
                        Err(error) => view! { <LoadError error /> }.into_any(),
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
        </article>
    }
}
