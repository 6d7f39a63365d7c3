//! A case's analytics as downloads: one JSON document, and one CSV table per
//! chart or table of the page. Vocabulary appears as slugs, sessions by
//! number and week (never a date), and nothing else: no clinical text.

use serde::{Deserialize, Serialize};

use super::{CaseAnalytics, SessionRef};
use crate::domain::csv::csv_line;
use crate::domain::vocabulary::{
    ClientResponse, EpisodeWhen, InterventionKind, ReactionDimension, ResponseOfOther,
    ResponseOfSelf, Wish,
};

/// Names the JSON document's shape; changed whenever a field changes
/// meaning, so scripts reading downloads can tell.
pub const SCHEMA: &str = "reverie.case-analytics.v1";

/// The JSON download (its fields are documented in the README).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsDocument {
    pub schema: String,
    pub case_code: String,
    /// Sessions with a reflection the figures cover.
    pub sessions: usize,
    pub analytics: CaseAnalytics,
}

impl AnalyticsDocument {
    pub fn new(case_code: String, sessions: usize, analytics: CaseAnalytics) -> Self {
        AnalyticsDocument {
            schema: SCHEMA.to_string(),
            case_code,
            sessions,
            analytics,
        }
    }
}

/// The CSV tables, one per chart or table of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Pacing,
    InterventionKinds,
    ResponsesByDepth,
    PrematureInterpretations,
    Wishes,
    ResponsesOfOther,
    ResponsesOfSelf,
    Combinations,
    Episodes,
    HeatMap,
    Dimensions,
}

impl Table {
    pub const ALL: [Table; 11] = [
        Table::Pacing,
        Table::InterventionKinds,
        Table::ResponsesByDepth,
        Table::PrematureInterpretations,
        Table::Wishes,
        Table::ResponsesOfOther,
        Table::ResponsesOfSelf,
        Table::Combinations,
        Table::Episodes,
        Table::HeatMap,
        Table::Dimensions,
    ];

    /// The table's name in its download's address and file name.
    pub fn slug(self) -> &'static str {
        match self {
            Table::Pacing => "pacing",
            Table::InterventionKinds => "intervention-kinds",
            Table::ResponsesByDepth => "responses-by-depth",
            Table::PrematureInterpretations => "premature-interpretations",
            Table::Wishes => "wishes",
            Table::ResponsesOfOther => "responses-of-other",
            Table::ResponsesOfSelf => "responses-of-self",
            Table::Combinations => "combinations",
            Table::Episodes => "episodes",
            Table::HeatMap => "heat-map",
            Table::Dimensions => "dimensions",
        }
    }

    /// What the table holds, for the list of downloads.
    pub fn label(self) -> &'static str {
        match self {
            Table::Pacing => "Pacing per session",
            Table::InterventionKinds => "Interventions by kind",
            Table::ResponsesByDepth => "Responses by depth",
            Table::PrematureInterpretations => "Premature interpretations",
            Table::Wishes => "Wishes (W)",
            Table::ResponsesOfOther => "Responses of other (RO)",
            Table::ResponsesOfSelf => "Responses of self (RS)",
            Table::Combinations => "W/RO/RS combinations",
            Table::Episodes => "Episodes by with whom and when",
            Table::HeatMap => "Countertransference heat map",
            Table::Dimensions => "Countertransference means and trends",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Table::ALL.into_iter().find(|table| table.slug() == slug)
    }

    /// The table as CSV (RFC 4180: comma-separated, CRLF line ends, a
    /// header line, fields quoted when they need it).
    pub fn csv(self, analytics: &CaseAnalytics) -> String {
        let (header, rows) = self.rows(analytics);
        let mut csv = csv_line(&header);
        for row in rows {
            csv.push_str(&csv_line(&row));
        }
        csv
    }

    fn rows(self, analytics: &CaseAnalytics) -> (Vec<String>, Vec<Vec<String>>) {
        let pacing = &analytics.pacing;
        let themes = &analytics.themes;
        let countertransference = &analytics.countertransference;
        let session_columns = ["session_number", "week"].map(String::from).to_vec();
        match self {
            Table::Pacing => (
                header(
                    &session_columns,
                    &[
                        "interventions",
                        "interpretations",
                        "interpretation_share",
                        "mean_depth",
                        "first_interpretation_minute",
                        "transference_interpretations",
                        "over_threshold",
                        "transference_threshold",
                    ],
                ),
                pacing
                    .sessions
                    .iter()
                    .map(|session| {
                        let mut row = session_cells(session.session);
                        row.extend([
                            session.interventions.to_string(),
                            session.interpretations.to_string(),
                            optional(session.interpretation_share),
                            optional(session.mean_depth),
                            session
                                .first_interpretation_minute
                                .map(|minute| minute.to_string())
                                .unwrap_or_default(),
                            session.transference_interpretations.to_string(),
                            session.over_threshold.to_string(),
                            pacing.transference_threshold.to_string(),
                        ]);
                        row
                    })
                    .collect(),
            ),
            Table::InterventionKinds => (
                header(
                    &session_columns,
                    &InterventionKind::ALL
                        .iter()
                        .map(|kind| kind.slug())
                        .collect::<Vec<_>>(),
                ),
                pacing
                    .sessions
                    .iter()
                    .map(|session| {
                        let mut row = session_cells(session.session);
                        row.extend(InterventionKind::ALL.iter().map(|kind| {
                            session.by_kind.get(kind).copied().unwrap_or(0).to_string()
                        }));
                        row
                    })
                    .collect(),
            ),
            Table::ResponsesByDepth => {
                let mut columns = vec!["depth".to_string()];
                columns.extend(ClientResponse::ALL.iter().map(|r| r.slug().to_string()));
                columns.push("not_recorded".to_string());
                let rows = pacing
                    .responses_by_depth
                    .iter()
                    .map(|level| {
                        let mut row = vec![level.depth.to_string()];
                        row.extend(ClientResponse::ALL.iter().map(|response| {
                            level
                                .responses
                                .get(response)
                                .copied()
                                .unwrap_or(0)
                                .to_string()
                        }));
                        row.push(level.unrecorded.to_string());
                        row
                    })
                    .collect();
                (columns, rows)
            }
            Table::PrematureInterpretations => (
                header(
                    &session_columns,
                    &[
                        "intervention_id",
                        "kind",
                        "depth",
                        "baseline",
                        "baseline_sessions",
                        "response",
                    ],
                ),
                pacing
                    .premature_interpretations
                    .iter()
                    .map(|flag| {
                        let mut row = session_cells(flag.session);
                        row.extend([
                            flag.row.0.to_string(),
                            flag.kind.slug().to_string(),
                            flag.depth.to_string(),
                            number(flag.baseline),
                            flag.baseline_sessions
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(" "),
                            flag.response.slug().to_string(),
                        ]);
                        row
                    })
                    .collect(),
            ),
            Table::Wishes => counts(Wish::ALL.iter().map(|w| (w.slug(), themes.wishes.get(w)))),
            Table::ResponsesOfOther => counts(
                ResponseOfOther::ALL
                    .iter()
                    .map(|ro| (ro.slug(), themes.responses_of_other.get(ro))),
            ),
            Table::ResponsesOfSelf => counts(
                ResponseOfSelf::ALL
                    .iter()
                    .map(|rs| (rs.slug(), themes.responses_of_self.get(rs))),
            ),
            Table::Combinations => (
                [
                    "wish",
                    "response_of_other",
                    "response_of_self",
                    "episodes",
                    "sessions",
                    "pervasiveness",
                    "most_pervasive",
                ]
                .map(String::from)
                .to_vec(),
                themes
                    .combinations
                    .iter()
                    .map(|combination| {
                        vec![
                            combination.wish.slug().to_string(),
                            combination.response_of_other.slug().to_string(),
                            combination.response_of_self.slug().to_string(),
                            combination.episodes.to_string(),
                            combination.sessions.len().to_string(),
                            number(combination.pervasiveness),
                            (themes.most_pervasive.as_ref() == Some(combination)).to_string(),
                        ]
                    })
                    .collect(),
            ),
            Table::Episodes => {
                let mut columns = vec!["with".to_string()];
                columns.extend(EpisodeWhen::ALL.iter().map(|when| when.slug().to_string()));
                columns.extend(["not_recorded", "total"].map(String::from));
                let row =
                    |who: &str, counts: &super::EpisodeCounts| {
                        let mut row = vec![who.to_string()];
                        row.extend(EpisodeWhen::ALL.iter().map(|when| {
                            counts.by_when.get(when).copied().unwrap_or(0).to_string()
                        }));
                        row.extend([counts.when_unrecorded.to_string(), counts.total.to_string()]);
                        row
                    };
                (
                    columns,
                    vec![
                        row("therapist", &themes.with_therapist),
                        row("others", &themes.with_others),
                    ],
                )
            }
            Table::HeatMap => (
                header(
                    &session_columns,
                    &ReactionDimension::ALL
                        .iter()
                        .map(|dimension| dimension.slug())
                        .collect::<Vec<_>>(),
                ),
                countertransference
                    .heat_map
                    .iter()
                    .map(|heat| {
                        let mut row = session_cells(heat.session);
                        row.extend(
                            ReactionDimension::ALL
                                .iter()
                                .map(|dimension| heat.cell(*dimension).to_string()),
                        );
                        row
                    })
                    .collect(),
            ),
            Table::Dimensions => (
                ["dimension", "mean", "trend_slope", "trend_intercept"]
                    .map(String::from)
                    .to_vec(),
                ReactionDimension::ALL
                    .iter()
                    .map(|dimension| {
                        let summary = countertransference.dimensions.get(dimension);
                        let trend = summary.and_then(|summary| summary.trend);
                        vec![
                            dimension.slug().to_string(),
                            optional(summary.and_then(|summary| summary.mean)),
                            optional(trend.map(|trend| trend.slope)),
                            optional(trend.map(|trend| trend.intercept)),
                        ]
                    })
                    .collect(),
            ),
        }
    }
}

fn header(first: &[String], rest: &[&str]) -> Vec<String> {
    first
        .iter()
        .cloned()
        .chain(rest.iter().map(|column| column.to_string()))
        .collect()
}

fn session_cells(session: SessionRef) -> Vec<String> {
    vec![session.session_number.to_string(), session.week.to_string()]
}

fn counts<'a>(
    clusters: impl Iterator<Item = (&'static str, Option<&'a u32>)>,
) -> (Vec<String>, Vec<Vec<String>>) {
    (
        ["cluster", "episodes"].map(String::from).to_vec(),
        clusters
            .map(|(slug, count)| vec![slug.to_string(), count.copied().unwrap_or(0).to_string()])
            .collect(),
    )
}

/// A figure with up to 6 decimals, trailing zeros dropped.
fn number(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn optional(value: Option<f64>) -> String {
    value.map(number).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{episode, intervention, reaction, session};
    use crate::domain::{reflection::Timing, vocabulary::SessionPhase};

    fn analytics() -> CaseAnalytics {
        let mut first = session(1);
        first.reactions = vec![reaction(1, ReactionDimension::Helpless, 4)];
        first.interventions = vec![
            intervention(1, InterventionKind::Question, Timing::Minute(5), 1, None),
            intervention(
                2,
                InterventionKind::TransferenceInterpretation,
                Timing::Phase(SessionPhase::Late),
                2,
                Some(ClientResponse::Withdrawal),
            ),
        ];
        first.episodes = vec![episode(
            1,
            Some(Wish::BeLoved),
            Some(ResponseOfOther::Rejecting),
            Some(ResponseOfSelf::Disappointed),
        )];
        let second = session(2);
        CaseAnalytics::of(&[first, second], 3)
    }

    fn lines(csv: &str) -> Vec<&str> {
        assert!(csv.ends_with("\r\n"));
        csv.trim_end_matches("\r\n").split("\r\n").collect()
    }

    #[test]
    fn every_table_has_a_header_and_parses_back_by_its_slug() {
        let analytics = analytics();
        for table in Table::ALL {
            assert_eq!(Table::parse(table.slug()), Some(table));
            let csv = table.csv(&analytics);
            let header = lines(&csv)[0].split(',').count();
            for line in lines(&csv) {
                assert_eq!(line.split(',').count(), header, "{}: {line}", table.slug());
            }
        }
        assert_eq!(Table::parse("nothing"), None);
    }

    #[test]
    fn the_pacing_table_has_one_line_per_session_with_empty_cells_for_no_value() {
        let csv = Table::Pacing.csv(&analytics());
        assert_eq!(
            lines(&csv),
            [
                "session_number,week,interventions,interpretations,interpretation_share,mean_depth,first_interpretation_minute,transference_interpretations,over_threshold,transference_threshold",
                "1,1,2,1,0.5,1.5,50,1,false,3",
                "2,2,0,0,,,,0,false,3",
            ]
        );
    }

    #[test]
    fn tables_use_slugs_and_list_every_choice() {
        let analytics = analytics();
        let wishes = Table::Wishes.csv(&analytics);
        assert_eq!(lines(&wishes).len(), 1 + Wish::ALL.len());
        assert!(wishes.contains("w_loved,1\r\n"));
        assert!(wishes.contains("w_assert,0\r\n"));
        let heat = Table::HeatMap.csv(&analytics);
        assert!(lines(&heat)[0].ends_with(",criticized"));
        assert_eq!(lines(&heat)[1], "1,1,0,4,0,0,0,0,0,0");
        let combinations = Table::Combinations.csv(&analytics);
        assert_eq!(
            lines(&combinations)[1],
            "w_loved,ro_rejecting,rs_disappointed,1,1,0.5,true"
        );
    }

    #[test]
    fn numbers_keep_six_decimals_at_most() {
        assert_eq!(number(7.0 / 3.0), "2.333333");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-0.0000001), "0");
    }

    #[test]
    fn the_document_names_its_schema_and_reads_back() {
        let document = AnalyticsDocument::new("C-07".to_string(), 2, analytics());
        let json = serde_json::to_string(&document).unwrap();
        assert!(json.starts_with("{\"schema\":\"reverie.case-analytics.v1\""));
        assert!(json.contains("\"w_loved\""));
        let back: AnalyticsDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(back, document);
    }
}
