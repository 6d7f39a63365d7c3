//! The sections of a case's analytics report: what is flagged, pacing,
//! themes and countertransference, each chart with the table of its numbers.

use leptos::prelude::*;

use crate::{
    api::{analytics::AnalyticsReader, supervision::supervision_reflection_path},
    components::{
        charts::{
            bar_chart, column_chart, fills, format_number, heat_map, Chart, Reference, Series,
        },
        reading::row_element_id,
    },
    domain::{
        analytics::{
            export::Table, CaseAnalytics, Countertransference, EpisodeCounts, Pacing,
            PrematureInterpretation, SessionPacing, SessionRef, SessionThemes, ThemeCombination,
            Themes,
        },
        reflection::{RowId, RowKind},
        vocabulary::{
            ClientResponse, EpisodeWhen, InterventionKind, ReactionDimension, ResponseOfOther,
            ResponseOfSelf, Wish,
        },
    },
};

/// Where a session or an intervention is read, for the reader at hand.
#[derive(Debug, Clone, Copy)]
pub struct SessionLinks {
    pub case_id: i64,
    pub reader: AnalyticsReader,
}

impl SessionLinks {
    fn session(self, session: SessionRef) -> String {
        match self.reader {
            AnalyticsReader::Therapist => {
                format!(
                    "/cases/{}/reflections/{}",
                    self.case_id, session.reflection.0
                )
            }
            AnalyticsReader::Supervisor => {
                supervision_reflection_path(self.case_id, session.reflection.0)
            }
        }
    }

    fn intervention(self, session: SessionRef, row: RowId) -> String {
        let anchor = row_element_id(RowKind::Intervention, Some(row)).unwrap_or_default();
        format!("{}#{anchor}", self.session(session))
    }
}

fn session_label(session: SessionRef) -> String {
    format!("Session {} · week {}", session.session_number, session.week)
}

fn optional_number(value: Option<f64>) -> String {
    value.map(format_number).unwrap_or_else(|| "—".to_string())
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn numbers(values: &[u32]) -> String {
    match values {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!(
            "{} and {last}",
            rest.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn combination_label(combination: &ThemeCombination) -> String {
    format!(
        "W “{}”, RO “{}”, RS “{}”",
        combination.wish.label(),
        combination.response_of_other.label(),
        combination.response_of_self.label()
    )
}

/// One paragraph on what is flagged, with links to where.
#[component]
pub fn FlagsSummary(analytics: CaseAnalytics, links: SessionLinks) -> impl IntoView {
    let pacing = &analytics.pacing;
    let premature: Vec<u32> = pacing
        .premature_interpretations
        .iter()
        .map(|flag| flag.session.session_number)
        .collect();
    let over: Vec<u32> = pacing
        .sessions_over_threshold()
        .map(|session| session.session.session_number)
        .collect();
    let threshold = pacing.transference_threshold;
    let premature_text = match premature.len() {
        0 => "No interpretation is flagged as premature.".to_string(),
        1 => format!(
            "1 interpretation is flagged as premature (session {}).",
            numbers(&premature)
        ),
        n => format!(
            "{n} interpretations are flagged as premature (sessions {}).",
            numbers(&premature)
        ),
    };
    let over_text = match over.len() {
        0 => format!("No session has more than {threshold} transference interpretations."),
        1 => format!(
            "Session {} has more than {threshold} transference interpretations.",
            numbers(&over)
        ),
        _ => format!(
            "Sessions {} have more than {threshold} transference interpretations.",
            numbers(&over)
        ),
    };
    let theme_text = match &analytics.themes.most_pervasive {
        Some(theme) => format!(
            "The most pervasive theme is {}, in {} of the sessions ({}).",
            combination_label(theme),
            theme.sessions.len(),
            percent(theme.pervasiveness)
        ),
        None => "No relationship episode has all three of W, RO and RS picked, so there is no theme yet.".to_string(),
    };
    let flags = analytics.pacing.premature_interpretations;
    view! {
        <section class="analytics-summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"What stands out"</h2>
            <p>{premature_text} " " {over_text} " " {theme_text}</p>
            {(!flags.is_empty()).then(|| view! { <PrematureList flags links /> })}
        </section>
    }
}

#[component]
fn PrematureList(flags: Vec<PrematureInterpretation>, links: SessionLinks) -> impl IntoView {
    view! {
        <ul class="flag-list">
            {flags
                .into_iter()
                .map(|flag| {
                    let baseline_from = flag.baseline_sessions.clone();
                    view! {
                        <li>
                            <a href=links.intervention(flag.session, flag.row)>
                                {session_label(flag.session)} ": " {flag.kind.label()}
                            </a>
                            {format!(
                                " at depth {}, against a mean depth of {} in session{} {}; the client's response: {}.",
                                flag.depth,
                                format_number(flag.baseline),
                                if baseline_from.len() == 1 { "" } else { "s" },
                                numbers(&baseline_from),
                                flag.response.label().to_lowercase()
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn PacingSection(pacing: Pacing, links: SessionLinks) -> impl IntoView {
    let categories: Vec<String> = pacing
        .sessions
        .iter()
        .map(|session| session.session.session_number.to_string())
        .collect();
    let mut fill = fills();
    let mut series_of = |name: &str, count: fn(&SessionPacing) -> u32| Series {
        name: name.to_string(),
        values: pacing
            .sessions
            .iter()
            .map(|s| f64::from(count(s)))
            .collect(),
        fill: fill.next().expect("cycles"),
    };
    let series = vec![
        series_of("Interventions", |s| s.interventions),
        series_of("Interpretations", |s| s.interpretations),
        series_of("Transference interpretations", |s| {
            s.transference_interpretations
        }),
    ];
    let threshold = pacing.transference_threshold;
    let reference = Reference {
        value: f64::from(threshold),
        label: format!("Transference threshold ({threshold})"),
    };
    let counts_svg = column_chart("pacing-counts", &categories, &series, Some(&reference));
    let depth_svg = column_chart(
        "pacing-depth",
        &categories,
        &[Series {
            name: "Mean depth (1–5)".to_string(),
            values: pacing
                .sessions
                .iter()
                .map(|s| s.mean_depth.unwrap_or(0.0))
                .collect(),
            fill: fills().next().expect("cycles"),
        }],
        None,
    );
    let sessions = pacing.sessions.clone();
    let by_kind = pacing.sessions.clone();
    view! {
        <section class="analytics-section" aria-labelledby="pacing-heading">
            <h2 id="pacing-heading">"Pacing"</h2>
            <Chart id="pacing-counts" caption="Interventions, interpretations and transference interpretations per session".to_string()
                summary=format!("Sessions above the line have more than {threshold} transference interpretations.")
                svg=counts_svg>
                <table class="data-table numbers">
                    <thead>
                        <tr>
                            <th scope="col">"Session"</th>
                            <th scope="col">"Interventions"</th>
                            <th scope="col">"Interpretations"</th>
                            <th scope="col">"Interpretation share"</th>
                            <th scope="col">"Mean depth"</th>
                            <th scope="col">"First interpretation (minute)"</th>
                            <th scope="col">"Transference interpretations"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {sessions
                            .into_iter()
                            .map(|session| view! {
                                <tr class:flagged=session.over_threshold>
                                    <th scope="row"><a href=links.session(session.session)>{session_label(session.session)}</a></th>
                                    <td>{session.interventions}</td>
                                    <td>{session.interpretations}</td>
                                    <td>{session.interpretation_share.map(percent).unwrap_or_else(|| "—".to_string())}</td>
                                    <td>{optional_number(session.mean_depth)}</td>
                                    <td>{session.first_interpretation_minute.map(|m| m.to_string()).unwrap_or_else(|| "—".to_string())}</td>
                                    <td>
                                        {session.transference_interpretations}
                                        {session.over_threshold.then(|| view! { " " <span class="badge">"Over the threshold"</span> })}
                                    </td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </Chart>
            <Chart id="pacing-depth" caption="Mean depth of the interventions per session".to_string()
                summary="Depth 1 is close to what the client already says; 5 is far from the client's awareness. Sessions without interventions show no column.".to_string()
                svg=depth_svg>
                <KindTable sessions=by_kind links />
            </Chart>
            <ResponseMix pacing />
        </section>
    }
}

/// Interventions per session by kind.
#[component]
fn KindTable(sessions: Vec<SessionPacing>, links: SessionLinks) -> impl IntoView {
    view! {
        <table class="data-table numbers">
            <caption>"Interventions by kind"</caption>
            <thead>
                <tr>
                    <th scope="col">"Session"</th>
                    {InterventionKind::ALL.iter().map(|kind| view! { <th scope="col">{kind.label()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {sessions
                    .into_iter()
                    .map(|session| view! {
                        <tr>
                            <th scope="row"><a href=links.session(session.session)>{session_label(session.session)}</a></th>
                            {InterventionKind::ALL
                                .iter()
                                .map(|kind| view! { <td>{session.by_kind.get(kind).copied().unwrap_or(0)}</td> })
                                .collect_view()}
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// How the client responded at each depth, over the case.
#[component]
fn ResponseMix(pacing: Pacing) -> impl IntoView {
    view! {
        <table class="data-table numbers">
            <caption>"The client's responses by depth of intervention, over the case"</caption>
            <thead>
                <tr>
                    <th scope="col">"Depth"</th>
                    {ClientResponse::ALL.iter().map(|response| view! { <th scope="col">{response.label()}</th> }).collect_view()}
                    <th scope="col">"Not recorded"</th>
                </tr>
            </thead>
            <tbody>
                {pacing
                    .responses_by_depth
                    .into_iter()
                    .map(|level| view! {
                        <tr>
                            <th scope="row">{level.depth}</th>
                            {ClientResponse::ALL
                                .iter()
                                .map(|response| view! { <td>{level.responses.get(response).copied().unwrap_or(0)}</td> })
                                .collect_view()}
                            <td>{level.unrecorded}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A cluster frequency chart with its table.
#[component]
fn ClusterChart(
    id: &'static str,
    caption: &'static str,
    counts: Vec<(&'static str, u32)>,
) -> impl IntoView {
    let bars: Vec<(String, f64)> = counts
        .iter()
        .map(|(label, count)| (label.to_string(), f64::from(*count)))
        .collect();
    let total: u32 = counts.iter().map(|(_, count)| count).sum();
    view! {
        <Chart id caption=caption.to_string()
            summary=format!("{total} picks over the case; an episode counts once for each cluster it picked.")
            svg=bar_chart(id, &bars)>
            <table class="data-table numbers">
                <thead><tr><th scope="col">"Cluster"</th><th scope="col">"Episodes"</th></tr></thead>
                <tbody>
                    {counts
                        .into_iter()
                        .map(|(label, count)| view! { <tr><th scope="row">{label}</th><td>{count}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </Chart>
    }
}

#[component]
pub fn ThemesSection(themes: Themes, links: SessionLinks) -> impl IntoView {
    let wishes = Wish::ALL
        .iter()
        .map(|wish| (wish.label(), themes.wishes.get(wish).copied().unwrap_or(0)))
        .collect();
    let others = ResponseOfOther::ALL
        .iter()
        .map(|ro| {
            (
                ro.label(),
                themes.responses_of_other.get(ro).copied().unwrap_or(0),
            )
        })
        .collect();
    let selves = ResponseOfSelf::ALL
        .iter()
        .map(|rs| {
            (
                rs.label(),
                themes.responses_of_self.get(rs).copied().unwrap_or(0),
            )
        })
        .collect();
    let theme = themes.most_pervasive.clone().map(|theme| {
        format!(
            "{}: {} episode{} in {} session{}, a pervasiveness of {}.",
            combination_label(&theme),
            theme.episodes,
            if theme.episodes == 1 { "" } else { "s" },
            theme.sessions.len(),
            if theme.sessions.len() == 1 { "" } else { "s" },
            percent(theme.pervasiveness)
        )
    });
    view! {
        <section class="analytics-section" aria-labelledby="themes-heading">
            <h2 id="themes-heading">"Transference themes"</h2>
            <p>
                <strong>"The case's theme: "</strong>
                {theme.unwrap_or_else(|| "none yet (only episodes with all three of W, RO and RS picked form a combination).".to_string())}
            </p>
            <p class="aside">
                "Pervasiveness is the share of the case's sessions in which the combination appears. When combinations appear in as many sessions, the one with more episodes comes first, then the one earlier in the list of clusters."
            </p>
            <ClusterChart id="themes-wishes" caption="Wishes (W)" counts=wishes />
            <ClusterChart id="themes-others" caption="Responses of other (RO)" counts=others />
            <ClusterChart id="themes-selves" caption="Responses of self (RS)" counts=selves />
            <SessionThemesTable sessions=themes.sessions links />
            <EpisodesTable with_therapist=themes.with_therapist with_others=themes.with_others />
        </section>
    }
}

/// The clusters each session's episodes picked.
#[component]
fn SessionThemesTable(sessions: Vec<SessionThemes>, links: SessionLinks) -> impl IntoView {
    fn labels<T: Copy>(clusters: &[T], label: fn(T) -> &'static str) -> String {
        if clusters.is_empty() {
            "—".to_string()
        } else {
            clusters
                .iter()
                .map(|cluster| label(*cluster))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
    view! {
        <table class="data-table">
            <caption>"Clusters per session"</caption>
            <thead>
                <tr>
                    <th scope="col">"Session"</th>
                    <th scope="col">"Wishes (W)"</th>
                    <th scope="col">"Responses of other (RO)"</th>
                    <th scope="col">"Responses of self (RS)"</th>
                </tr>
            </thead>
            <tbody>
                {sessions
                    .into_iter()
                    .map(|session| view! {
                        <tr>
                            <th scope="row"><a href=links.session(session.session)>{session_label(session.session)}</a></th>
                            <td>{labels(&session.wishes, Wish::label)}</td>
                            <td>{labels(&session.responses_of_other, ResponseOfOther::label)}</td>
                            <td>{labels(&session.responses_of_self, ResponseOfSelf::label)}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn EpisodesTable(with_therapist: EpisodeCounts, with_others: EpisodeCounts) -> impl IntoView {
    let row = |who: &'static str, counts: EpisodeCounts| {
        view! {
            <tr>
                <th scope="row">{who}</th>
                {EpisodeWhen::ALL
                    .iter()
                    .map(|when| view! { <td>{counts.by_when.get(when).copied().unwrap_or(0)}</td> })
                    .collect_view()}
                <td>{counts.when_unrecorded}</td>
                <td>{counts.total}</td>
            </tr>
        }
    };
    view! {
        <table class="data-table numbers">
            <caption>"Relationship episodes: with whom, and when"</caption>
            <thead>
                <tr>
                    <th scope="col">"With"</th>
                    {EpisodeWhen::ALL.iter().map(|when| view! { <th scope="col">{when.label()}</th> }).collect_view()}
                    <th scope="col">"When not recorded"</th>
                    <th scope="col">"All"</th>
                </tr>
            </thead>
            <tbody>
                {row("The therapist", with_therapist)}
                {row("Others (current or past)", with_others)}
            </tbody>
        </table>
    }
}

/// Which way a dimension is going, in words.
fn trend_words(slope: f64) -> &'static str {
    if slope > 0.05 {
        "rising"
    } else if slope < -0.05 {
        "falling"
    } else {
        "steady"
    }
}

#[component]
pub fn CountertransferenceSection(countertransference: Countertransference) -> impl IntoView {
    let rows: Vec<String> = ReactionDimension::ALL
        .iter()
        .map(|dimension| dimension.label().to_string())
        .collect();
    let columns: Vec<String> = countertransference
        .heat_map
        .iter()
        .map(|row| row.session.session_number.to_string())
        .collect();
    let cells: Vec<Vec<u8>> = ReactionDimension::ALL
        .iter()
        .map(|dimension| {
            countertransference
                .heat_map
                .iter()
                .map(|row| row.cell(*dimension))
                .collect()
        })
        .collect();
    let svg = heat_map("countertransference", &rows, &columns, &cells);
    let dimensions = countertransference.dimensions.clone();
    let heat = countertransference;
    view! {
        <section class="analytics-section" aria-labelledby="countertransference-heading">
            <h2 id="countertransference-heading">"Countertransference"</h2>
            <Chart id="countertransference" caption="Highest intensity of each reaction, session by session".to_string()
                summary="Each cell is the highest intensity (1–5) recorded for the reaction in the session, 0 or empty when it was not recorded; sessions run left to right.".to_string()
                svg>
                <table class="data-table numbers">
                    <thead>
                        <tr>
                            <th scope="col">"Reaction"</th>
                            <th scope="col">"Mean over the case"</th>
                            <th scope="col">"Trend per session"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {ReactionDimension::ALL
                            .iter()
                            .map(|dimension| {
                                let summary = dimensions.get(dimension).cloned();
                                let mean = summary.as_ref().and_then(|summary| summary.mean);
                                let trend = summary.and_then(|summary| summary.trend);
                                view! {
                                    <tr>
                                        <th scope="row">{dimension.label()}</th>
                                        <td>{mean.map(|mean| format!("{mean:.2}")).unwrap_or_else(|| "—".to_string())}</td>
                                        <td>
                                            {trend
                                                .map(|trend| format!("{} ({:+.2})", trend_words(trend.slope), trend.slope))
                                                .unwrap_or_else(|| "— (needs 2 sessions)".to_string())}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <HeatMapTable countertransference=heat />
            </Chart>
        </section>
    }
}

/// The heat map's cells, one row per session.
#[component]
fn HeatMapTable(countertransference: Countertransference) -> impl IntoView {
    view! {
        <table class="data-table numbers">
            <caption>"Highest intensity per session"</caption>
            <thead>
                <tr>
                    <th scope="col">"Session"</th>
                    {ReactionDimension::ALL.iter().map(|dimension| view! { <th scope="col">{dimension.label()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {countertransference
                    .heat_map
                    .into_iter()
                    .map(|row| view! {
                        <tr>
                            <th scope="row">{session_label(row.session)}</th>
                            {ReactionDimension::ALL.iter().map(|dimension| view! { <td>{row.cell(*dimension)}</td> }).collect_view()}
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The figures as files: the JSON document and one CSV per table.
#[component]
pub fn AnalyticsDownloads(links: SessionLinks) -> impl IntoView {
    let base = match links.reader {
        AnalyticsReader::Therapist => format!("/cases/{}/analytics/download", links.case_id),
        AnalyticsReader::Supervisor => {
            format!("/supervision/cases/{}/analytics/download", links.case_id)
        }
    };
    // `rel="external"` keeps the router from treating a file as a page.
    view! {
        <section class="analytics-section downloads" aria-labelledby="downloads-heading">
            <h2 id="downloads-heading">"The numbers, to download"</h2>
            <p>
                <a href=format!("{base}/analytics.json") rel="external" download>"All figures (JSON)"</a>
                " · the tables as CSV: "
            </p>
            <ul class="download-list">
                {Table::ALL
                    .into_iter()
                    .map(|table| view! {
                        <li>
                            <a href=format!("{base}/{}.csv", table.slug()) rel="external" download>
                                {table.label()}
                            </a>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
