//! Countertransference over a case: how strongly each of the eight reaction
//! dimensions was felt session by session, its mean, and where it is going.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{mean, SessionFacts, SessionRef};
use crate::domain::vocabulary::ReactionDimension;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Countertransference {
    /// One row per session, in session order.
    pub heat_map: Vec<HeatMapRow>,
    /// Every dimension.
    #[serde(with = "super::slugs::keys")]
    pub dimensions: BTreeMap<ReactionDimension, DimensionSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatMapRow {
    pub session: SessionRef,
    /// Every dimension: the highest intensity recorded for it in the
    /// session, 0 when it was not recorded. The highest rather than a sum,
    /// so that splitting one feeling over two rows does not make it weigh
    /// double.
    #[serde(with = "super::slugs::keys")]
    pub cells: BTreeMap<ReactionDimension, u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionSummary {
    /// The mean of the dimension's cell over the case's sessions; `None`
    /// when the case has no sessions.
    pub mean: Option<f64>,
    /// `None` with fewer than 2 sessions.
    pub trend: Option<Trend>,
}

/// The least-squares line through (session index, cell), indices counted
/// 0, 1, 2… in session order, so `intercept` is the fitted value of the
/// first session and `slope` the change per session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub slope: f64,
    pub intercept: f64,
}

impl Countertransference {
    pub fn of(sessions: &[SessionFacts]) -> Self {
        let heat_map: Vec<HeatMapRow> = sessions.iter().map(HeatMapRow::of).collect();
        let dimensions = ReactionDimension::ALL
            .iter()
            .map(|&dimension| {
                let cells: Vec<f64> = heat_map
                    .iter()
                    .map(|row| f64::from(row.cell(dimension)))
                    .collect();
                let summary = DimensionSummary {
                    mean: mean(cells.iter().copied()),
                    trend: Trend::fit(&cells),
                };
                (dimension, summary)
            })
            .collect();
        Countertransference {
            heat_map,
            dimensions,
        }
    }

    /// The case mean of a dimension; `None` when the case has no sessions.
    pub fn mean(&self, dimension: ReactionDimension) -> Option<f64> {
        self.dimensions
            .get(&dimension)
            .and_then(|summary| summary.mean)
    }
}

impl HeatMapRow {
    fn of(session: &SessionFacts) -> Self {
        let mut cells: BTreeMap<ReactionDimension, u8> = ReactionDimension::ALL
            .iter()
            .map(|&dimension| (dimension, 0))
            .collect();
        for reaction in &session.reactions {
            let cell = cells.entry(reaction.dimension).or_default();
            *cell = (*cell).max(reaction.intensity);
        }
        HeatMapRow {
            session: session.session_ref(),
            cells,
        }
    }

    pub fn cell(&self, dimension: ReactionDimension) -> u8 {
        self.cells.get(&dimension).copied().unwrap_or(0)
    }
}

impl Trend {
    /// Fits `values[i]` against `i`; `None` with fewer than 2 values, where
    /// no line is determined.
    pub fn fit(values: &[f64]) -> Option<Self> {
        if values.len() < 2 {
            return None;
        }
        let n = values.len() as f64;
        let mean_x = (n - 1.0) / 2.0;
        let mean_y = values.iter().sum::<f64>() / n;
        let (covariance, variance) =
            values
                .iter()
                .enumerate()
                .fold((0.0, 0.0), |(covariance, variance), (i, &y)| {
                    let dx = i as f64 - mean_x;
                    (covariance + dx * (y - mean_y), variance + dx * dx)
                });
        let slope = covariance / variance;
        Some(Trend {
            slope,
            intercept: mean_y - slope * mean_x,
        })
    }

    /// The fitted value at a session index, for drawing the line.
    pub fn at(&self, index: usize) -> f64 {
        self.intercept + self.slope * index as f64
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::ReactionFacts;
    use super::*;
    use ReactionDimension::*;

    fn with(number: u32, reactions: Vec<ReactionFacts>) -> SessionFacts {
        SessionFacts {
            reactions,
            ..session(number)
        }
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn a_cell_is_the_highest_intensity_of_its_dimension_in_the_session() {
        let sessions = [with(
            1,
            vec![
                reaction(1, Helpless, 2),
                reaction(2, Helpless, 4),
                reaction(3, Helpless, 3),
                reaction(4, Positive, 1),
            ],
        )];

        let map = Countertransference::of(&sessions);

        let row = &map.heat_map[0];
        assert_eq!(row.session.session_number, 1);
        assert_eq!(row.cell(Helpless), 4);
        assert_eq!(row.cell(Positive), 1);
        assert_eq!(
            row.cells.keys().copied().collect::<Vec<_>>(),
            ReactionDimension::ALL
        );
        // Six dimensions not recorded: 0 each.
        assert_eq!(row.cells.values().filter(|&&cell| cell == 0).count(), 6);
    }

    #[test]
    fn a_case_whose_every_reaction_is_one_dimension() {
        let sessions = [
            with(1, vec![reaction(1, Parental, 2)]),
            session(2),
            with(3, vec![reaction(2, Parental, 5), reaction(3, Parental, 1)]),
        ];

        let map = Countertransference::of(&sessions);

        // Parental cells 2, 0, 5: mean 7/3. Trend through (0, 2), (1, 0),
        // (2, 5): mean x 1, mean y 7/3, slope = ((-1)(2 - 7/3) + 0 + (1)(5 -
        // 7/3)) / (1 + 0 + 1) = (1/3 + 8/3) / 2 = 3/2, intercept 7/3 - 3/2 = 5/6.
        let parental = &map.dimensions[&Parental];
        assert_close(parental.mean.unwrap(), 7.0 / 3.0);
        let trend = parental.trend.unwrap();
        assert_close(trend.slope, 1.5);
        assert_close(trend.intercept, 5.0 / 6.0);
        // Every other dimension is 0 in every session: mean 0, flat at 0.
        for dimension in ReactionDimension::ALL.iter().filter(|&&d| d != Parental) {
            let summary = &map.dimensions[dimension];
            assert_eq!(summary.mean, Some(0.0));
            assert_eq!(
                summary.trend,
                Some(Trend {
                    slope: 0.0,
                    intercept: 0.0
                })
            );
        }
    }

    #[test]
    fn the_trend_is_the_least_squares_line_over_session_indices() {
        // (0, 1), (1, 3), (2, 2), (3, 5): mean x 1.5, mean y 11/4 = 2.75.
        // Sum of dx * dy = (-1.5)(-1.75) + (-0.5)(0.25) + (0.5)(-0.75) +
        // (1.5)(2.25) = 2.625 - 0.125 - 0.375 + 3.375 = 5.5; sum of dx^2 =
        // 2.25 + 0.25 + 0.25 + 2.25 = 5. Slope 5.5 / 5 = 1.1, intercept 2.75
        // - 1.1 * 1.5 = 1.1.
        let sessions: Vec<_> = [1, 3, 2, 5]
            .into_iter()
            .zip(1..)
            .map(|(intensity, number)| with(number, vec![reaction(1, Overwhelmed, intensity)]))
            .collect();

        let trend = Countertransference::of(&sessions).dimensions[&Overwhelmed]
            .trend
            .unwrap();

        assert_close(trend.slope, 1.1);
        assert_close(trend.intercept, 1.1);
        // The fitted value of the fourth session: 1.1 + 3 * 1.1 = 4.4.
        assert_close(trend.at(3), 4.4);
    }

    #[test]
    fn one_session_has_a_mean_but_no_trend_and_none_has_neither() {
        let one = Countertransference::of(&[with(1, vec![reaction(1, Criticized, 3)])]);
        assert_eq!(one.mean(Criticized), Some(3.0));
        assert_eq!(one.dimensions[&Criticized].trend, None);

        let none = Countertransference::of(&[]);
        assert!(none.heat_map.is_empty());
        assert_eq!(none.dimensions.len(), 8);
        assert_eq!(none.mean(Criticized), None);
        assert_eq!(none.dimensions[&Criticized].trend, None);
    }

    #[test]
    fn two_sessions_give_the_line_through_both() {
        // (0, 4), (1, 1): slope -3, intercept 4.
        let sessions = [
            with(1, vec![reaction(1, Disengaged, 4)]),
            with(2, vec![reaction(2, Disengaged, 1)]),
        ];
        let trend = Countertransference::of(&sessions).dimensions[&Disengaged]
            .trend
            .unwrap();
        assert_close(trend.slope, -3.0);
        assert_close(trend.intercept, 4.0);
    }
}
