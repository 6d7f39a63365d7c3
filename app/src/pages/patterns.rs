//! "My patterns": the signed-in therapist's countertransference profile
//! across all their cases, and where one case departs from it. The figures
//! come from the asker's own cases only, and nothing links here from a
//! supervisor's pages: no one else ever sees them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        analytics::{analytics_path, my_patterns_view},
        cases::my_cases,
        reflections::reflection_path,
    },
    components::{
        charts::{bar_chart, Chart},
        layout::RequireSignIn,
    },
    domain::{
        analytics::{
            CasePattern, DimensionPattern, Direction, DrivingSession, NoVerdictReason, Patterns,
            Verdict,
        },
        cases::{CaseId, CaseSummary},
        vocabulary::ReactionDimension,
    },
    pages::cases::LoadError,
};

/// The chart's id, unique on the page (the only chart here).
const PROFILE_CHART: &str = "patterns-profile";

#[component]
pub fn MyPatternsPage() -> impl IntoView {
    let patterns = Resource::new(|| (), |_| my_patterns_view());
    // The patterns leave out cases without sessions; the list of cases tells
    // "no cases yet" from "no sessions yet" and names the cases left out.
    let cases = Resource::new(|| (), |_| my_cases(None));
    view! {
        <Title text="My patterns" />
        <RequireSignIn>
            <h1>"My patterns"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (patterns.await, cases.await) {
                        (Ok(patterns), Ok(cases)) => view! { <PatternsReport patterns cases /> }.into_any(),
                        (Err(error), _) | (_, Err(error)) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn PatternsReport(patterns: Patterns, cases: Vec<CaseSummary>) -> impl IntoView {
    // Both, in case a case was created between the two reads.
    if cases.is_empty() && patterns.cases.is_empty() {
        return view! {
            <p class="empty">"No cases yet — " <a href="/cases/new">"create your first case"</a> "."</p>
        }
        .into_any();
    }
    if patterns.cases.is_empty() {
        return view! {
            <p class="empty">
                "None of your cases has a saved reflection yet. Your profile is drawn from the reactions recorded in saved reflections: "
                <a href="/cases">"write one in any of your cases"</a> "."
            </p>
        }
        .into_any();
    }
    let counted: Vec<CaseId> = patterns.cases.iter().map(|case| case.case).collect();
    let left_out: Vec<String> = cases
        .into_iter()
        .filter(|case| !counted.contains(&case.id))
        .map(|case| case.code)
        .collect();
    let too_few = counted.len() <= 3;
    // The thresholds in words are those of `domain::analytics::patterns`.
    view! {
        <p class="lead">
            "Your profile is, for each reaction, the mean over your cases of each case's mean: a case's mean is the average over its sessions of the highest intensity (0–5) you recorded for the reaction, 0 when you did not record it. "
            "A case departs from your profile on a reaction when its mean lies at least 1.5 standard deviations from the mean of your other cases' means (the population standard deviation of those means). "
            "A verdict needs at least 3 other cases with sessions and some spread among them; otherwise the table says why there is none."
        </p>
        <p class="aside">"Only you can see this page; supervisors, including those you share a case with, never do."</p>
        {too_few.then(|| view! {
            <p class="aside">
                {format!(
                    "With {} with sessions, no case has 3 others to be compared with yet: the verdicts come with a fourth case.",
                    case_count(counted.len())
                )}
            </p>
        })}
        {(!left_out.is_empty()).then(|| view! {
            <p class="aside">"Not counted, having no saved reflection yet: " {left_out.join(", ")} "."</p>
        })}
        <ProfileSection patterns=patterns.clone() />
        {patterns
            .cases
            .into_iter()
            .map(|case| view! { <CaseSection case /> })
            .collect_view()}
    }
    .into_any()
}

/// `1 case`, `3 cases`.
fn case_count(n: usize) -> String {
    format!("{n} case{}", if n == 1 { "" } else { "s" })
}

/// Where a case's section starts on this page.
fn case_anchor(case: CaseId) -> String {
    format!("patterns-case-{}", case.0)
}

fn two_decimals(value: Option<f64>) -> String {
    value
        .map(|value| format!("{value:.2}"))
        .unwrap_or_else(|| "—".to_string())
}

fn verdict_words(pattern: &DimensionPattern) -> &'static str {
    match &pattern.verdict {
        Verdict::Departs {
            direction: Direction::Up,
            ..
        } => "Departs: felt more strongly than in your other cases",
        Verdict::Departs {
            direction: Direction::Down,
            ..
        } => "Departs: felt less strongly than in your other cases",
        Verdict::WithinUsual { .. } => "Within your usual range",
        Verdict::NoVerdict(NoVerdictReason::TooFewOtherCases) => {
            "No verdict: fewer than 3 other cases with sessions"
        }
        // The usual reason for no spread: a reaction never recorded at all.
        Verdict::NoVerdict(NoVerdictReason::ZeroSpread)
            if pattern.case_mean == 0.0 && pattern.others_mean == Some(0.0) =>
        {
            "No verdict: not felt in any of your cases"
        }
        Verdict::NoVerdict(NoVerdictReason::ZeroSpread) => {
            "No verdict: your other cases do not vary on this reaction"
        }
    }
}

fn z_of(verdict: &Verdict) -> Option<f64> {
    match verdict {
        Verdict::Departs { z, .. } | Verdict::WithinUsual { z } => Some(*z),
        Verdict::NoVerdict(_) => None,
    }
}

/// The profile as a chart, with a table of the same numbers and the cases
/// that depart on each reaction.
#[component]
fn ProfileSection(patterns: Patterns) -> impl IntoView {
    let bars: Vec<(String, f64)> = ReactionDimension::ALL
        .iter()
        .map(|dimension| {
            let mean = patterns.profile.get(dimension).copied().flatten();
            (dimension.label().to_string(), mean.unwrap_or(0.0))
        })
        .collect();
    let counted = patterns.cases.len();
    let rows = ReactionDimension::ALL
        .iter()
        .map(|dimension| {
            let mean = patterns.profile.get(dimension).copied().flatten();
            let departing: Vec<(CaseId, String, Direction)> = patterns
                .cases
                .iter()
                .filter_map(|case| match case.dimensions.get(dimension)?.verdict {
                    Verdict::Departs { direction, .. } => {
                        Some((case.case, case.code.clone(), direction))
                    }
                    _ => None,
                })
                .collect();
            view! {
                <tr>
                    <th scope="row">{dimension.label()}</th>
                    <td>{two_decimals(mean)}</td>
                    <td>
                        {if departing.is_empty() {
                            "—".into_any()
                        } else {
                            departing
                                .into_iter()
                                .enumerate()
                                .map(|(index, (case, code, direction))| {
                                    let way = match direction {
                                        Direction::Up => " (stronger)",
                                        Direction::Down => " (weaker)",
                                    };
                                    view! {
                                        {(index > 0).then_some(", ")}
                                        <a href=format!("#{}", case_anchor(case))>{code}</a>
                                        {way}
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="analytics-section" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"My profile"</h2>
            <Chart id=PROFILE_CHART
                caption=format!("Mean intensity of each reaction over my {} with sessions", case_count(counted))
                summary="Each bar is the mean over your cases of each case's mean intensity (0–5) of the reaction; longer bars are reactions you usually feel more strongly.".to_string()
                svg=bar_chart(PROFILE_CHART, &bars)>
                <table class="data-table numbers">
                    <thead>
                        <tr>
                            <th scope="col">"Reaction"</th>
                            <th scope="col">"My profile (mean of case means)"</th>
                            <th scope="col">"Cases departing"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </Chart>
        </section>
    }
}

/// One case against the others: every reaction with its verdict, then the
/// departures with the sessions to look at first.
#[component]
fn CaseSection(case: CasePattern) -> impl IntoView {
    let CasePattern {
        case: id,
        code,
        sessions,
        dimensions,
    } = case;
    let heading = case_anchor(id);
    let labelled_by = heading.clone();
    let departures: Vec<(ReactionDimension, DimensionPattern)> = ReactionDimension::ALL
        .iter()
        .filter_map(|dimension| {
            let pattern = dimensions.get(dimension)?;
            matches!(pattern.verdict, Verdict::Departs { .. })
                .then(|| (*dimension, pattern.clone()))
        })
        .collect();
    let summary = match departures.len() {
        0 => "It does not depart from your profile on any reaction.".to_string(),
        1 => "It departs from your profile on 1 reaction.".to_string(),
        n => format!("It departs from your profile on {n} reactions."),
    };
    let rows = ReactionDimension::ALL
        .iter()
        .filter_map(|dimension| Some((*dimension, dimensions.get(dimension)?.clone())))
        .map(|(dimension, pattern)| {
            let departs = matches!(pattern.verdict, Verdict::Departs { .. });
            view! {
                <tr class:flagged=departs>
                    <th scope="row">{dimension.label()}</th>
                    <td>{format!("{:.2}", pattern.case_mean)}</td>
                    <td>{two_decimals(pattern.others_mean)}</td>
                    <td>{two_decimals(pattern.others_sd)}</td>
                    <td>{z_of(&pattern.verdict).map(|z| format!("{z:+.2}")).unwrap_or_else(|| "—".to_string())}</td>
                    <td>{verdict_words(&pattern)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="analytics-section" aria-labelledby=labelled_by>
            <h2 id=heading>"Case " {code.clone()}</h2>
            <p>
                {format!("{sessions} session{} with a reflection. ", if sessions == 1 { "" } else { "s" })}
                {summary} " "
                <a href=format!("/cases/{}", id.0)>"The case"</a>
                " · "
                <a href=analytics_path(id.0)>"Its analytics"</a>
            </p>
            <table class="data-table numbers">
                <caption>{format!("Case {code} against your other cases")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Reaction"</th>
                        <th scope="col">"This case's mean"</th>
                        <th scope="col">"Other cases' mean"</th>
                        <th scope="col">"Other cases' standard deviation"</th>
                        <th scope="col">"z"</th>
                        <th scope="col">"Verdict"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {(!departures.is_empty()).then(|| view! { <Departures case=id departures /> })}
        </section>
    }
}

#[component]
fn Departures(
    case: CaseId,
    departures: Vec<(ReactionDimension, DimensionPattern)>,
) -> impl IntoView {
    view! {
        <h3>"Where it departs, and where to look first"</h3>
        <ul class="flag-list">
            {departures
                .into_iter()
                .filter_map(|(dimension, pattern)| match pattern.verdict {
                    Verdict::Departs { z, direction, driving_sessions } => Some((dimension, z, direction, driving_sessions)),
                    _ => None,
                })
                .map(|(dimension, z, direction, driving_sessions)| {
                    let way = match direction {
                        Direction::Up => "felt more strongly than in your other cases",
                        Direction::Down => "felt less strongly than in your other cases",
                    };
                    view! {
                        <li>
                            <strong>{dimension.label()}</strong>
                            {format!(": {way} (z = {z:+.2}), most of all in")}
                            <DrivingSessions case sessions=driving_sessions />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The sessions that pull the case mean away from the others, furthest first.
#[component]
fn DrivingSessions(case: CaseId, sessions: Vec<DrivingSession>) -> impl IntoView {
    view! {
        <ul>
            {sessions
                .into_iter()
                .map(|driving| {
                    let session = driving.session;
                    view! {
                        <li>
                            <a href=reflection_path(case, session.reflection)>
                                {format!("Session {} · week {}", session.session_number, session.week)}
                            </a>
                            {format!(
                                ": intensity {} ({:+.2} from your other cases' mean)",
                                driving.cell,
                                driving.deviation
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
