//! Charts drawn on the server as SVG markup, so they read (and print)
//! without JavaScript. Each series is told apart by a pattern as well as a
//! colour (the Okabe–Ito palette, safe for colour-blind readers), every
//! number is also in the table the page shows beside the chart, and labels
//! are vocabulary and numbers only: no clinical text is ever drawn.
//!
//! The builders are pure functions returning markup; [`Chart`] puts it on
//! the page with its caption and summary as the accessible name and
//! description.

use std::fmt::Write;

use leptos::prelude::*;

/// How a series is filled: a pattern as well as a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    Solid,
    Hatched,
    Dotted,
}

impl Fill {
    const ALL: [Fill; 3] = [Fill::Solid, Fill::Hatched, Fill::Dotted];

    fn colour(self) -> &'static str {
        match self {
            Fill::Solid => "#0072b2",
            Fill::Hatched => "#d55e00",
            Fill::Dotted => "#009e73",
        }
    }

    fn paint(self, chart: &str) -> String {
        match self {
            Fill::Solid => self.colour().to_string(),
            Fill::Hatched => format!("url(#{chart}-hatched)"),
            Fill::Dotted => format!("url(#{chart}-dotted)"),
        }
    }
}

/// One named series of a column chart: a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub fill: Fill,
}

/// A horizontal line across a column chart (a threshold), with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub value: f64,
    pub label: String,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const PLOT_HEIGHT: f64 = 180.0;
const AXIS_LABELS: f64 = 28.0;

/// Escapes text for SVG markup (labels are ours, but never trust a label).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A number as a chart shows it: whole numbers bare, others to one decimal.
pub fn format_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// The patterns the series use, defined once per chart (`chart` prefixes
/// their ids so that several charts can share a page).
fn pattern_defs(chart: &str) -> String {
    let hatched = Fill::Hatched.colour();
    let dotted = Fill::Dotted.colour();
    format!(
        "<defs>\
         <pattern id=\"{chart}-hatched\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#fbe3d6\"/>\
         <rect width=\"3\" height=\"6\" fill=\"{hatched}\"/></pattern>\
         <pattern id=\"{chart}-dotted\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"5\" height=\"5\" fill=\"#d5f0e6\"/>\
         <circle cx=\"2.5\" cy=\"2.5\" r=\"1.6\" fill=\"{dotted}\"/></pattern>\
         </defs>"
    )
}

fn svg_open(chart: &str, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"{chart}-title\" aria-describedby=\"{chart}-summary\" \
         class=\"chart-svg\" preserveAspectRatio=\"xMinYMin meet\">{}",
        pattern_defs(chart)
    )
}

/// The smallest "nice" axis maximum at or above `value` (at least 1).
fn axis_max(value: f64) -> f64 {
    if value <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * magnitude)
}

/// Columns per category (grouped when there are several series), with a
/// legend, a value axis from 0, and an optional reference line.
pub fn column_chart(
    chart: &str,
    categories: &[String],
    series: &[Series],
    reference: Option<&Reference>,
) -> String {
    let height = TOP + PLOT_HEIGHT + AXIS_LABELS;
    let mut svg = svg_open(chart, height);
    let highest = series
        .iter()
        .flat_map(|series| series.values.iter().copied())
        .chain(reference.map(|reference| reference.value))
        .fold(0.0, f64::max);
    let max = axis_max(highest);
    let y_of = |value: f64| TOP + PLOT_HEIGHT - value / max * PLOT_HEIGHT;
    let plot_width = WIDTH - LEFT - RIGHT;

    // Legend, on the top line.
    let mut x = LEFT;
    for one in series {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"6\" width=\"14\" height=\"12\" fill=\"{}\" stroke=\"#333\" stroke-width=\"0.5\"/>\
             <text x=\"{}\" y=\"16\" class=\"chart-legend\">{}</text>",
            one.fill.paint(chart),
            x + 18.0,
            escape(&one.name)
        );
        x += 26.0 + 7.0 * one.name.chars().count() as f64;
    }

    // Value axis: 0, half and the maximum, with light grid lines.
    for value in [0.0, max / 2.0, max] {
        let y = y_of(value);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" class=\"chart-grid\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-axis\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 4.0,
            y + 4.0,
            format_number(value)
        );
    }

    if !categories.is_empty() && !series.is_empty() {
        let slot = plot_width / categories.len() as f64;
        let bar = (slot * 0.8 / series.len() as f64).max(0.5);
        // Label every category when they fit, else every nth.
        let every = (categories.len() as f64 / (plot_width / 28.0))
            .ceil()
            .max(1.0) as usize;
        for (index, category) in categories.iter().enumerate() {
            let start = LEFT + slot * index as f64 + slot * 0.1;
            for (position, one) in series.iter().enumerate() {
                let value = one.values.get(index).copied().unwrap_or(0.0);
                let top = y_of(value);
                let _ = write!(
                    svg,
                    "<rect x=\"{:.2}\" y=\"{top:.2}\" width=\"{bar:.2}\" height=\"{:.2}\" fill=\"{}\" \
                     stroke=\"#333\" stroke-width=\"0.4\"><title>{}: {}, {}</title></rect>",
                    start + bar * position as f64,
                    TOP + PLOT_HEIGHT - top,
                    one.fill.paint(chart),
                    escape(category),
                    escape(&one.name),
                    format_number(value)
                );
            }
            if index % every == 0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.2}\" y=\"{}\" text-anchor=\"middle\" class=\"chart-axis\">{}</text>",
                    LEFT + slot * (index as f64 + 0.5),
                    TOP + PLOT_HEIGHT + 16.0,
                    escape(category)
                );
            }
        }
    }

    if let Some(reference) = reference {
        let y = y_of(reference.value);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" class=\"chart-reference\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-reference-label\">{}</text>",
            WIDTH - RIGHT,
            WIDTH - RIGHT,
            y - 4.0,
            escape(&reference.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One horizontal bar per label, its number written after it.
pub fn bar_chart(chart: &str, bars: &[(String, f64)]) -> String {
    const ROW: f64 = 22.0;
    const LABEL_WIDTH: f64 = 300.0;
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let mut svg = svg_open(chart, height);
    let max = axis_max(bars.iter().map(|(_, value)| *value).fold(0.0, f64::max));
    let room = WIDTH - LABEL_WIDTH - 48.0;
    for (index, (label, value)) in bars.iter().enumerate() {
        let y = 4.0 + ROW * index as f64;
        let length = value / max * room;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-axis\">{}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{length:.2}\" height=\"{}\" fill=\"{}\" \
             stroke=\"#333\" stroke-width=\"0.4\"/>\
             <text x=\"{:.2}\" y=\"{}\" class=\"chart-value\">{}</text>",
            LABEL_WIDTH - 6.0,
            y + 14.0,
            escape(label),
            y + 3.0,
            ROW - 6.0,
            Fill::Solid.paint(chart),
            LABEL_WIDTH + length + 4.0,
            y + 14.0,
            format_number(*value)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A grid of intensities 0–5: one row per label in `rows`, one column per
/// label in `columns`; each cell is shaded by its value and shows the
/// number itself, so the colour is never the only carrier.
pub fn heat_map(chart: &str, rows: &[String], columns: &[String], cells: &[Vec<u8>]) -> String {
    const LABEL_WIDTH: f64 = 170.0;
    const ROW: f64 = 22.0;
    const SHADES: [&str; 6] = [
        "#ffffff", "#deebf7", "#b3d3ea", "#6baed6", "#2f7fc1", "#08306b",
    ];
    let height = TOP + ROW * rows.len() as f64 + 6.0;
    let mut svg = svg_open(chart, height);
    let cell = if columns.is_empty() {
        0.0
    } else {
        (WIDTH - LABEL_WIDTH - RIGHT) / columns.len() as f64
    };
    let show_numbers = cell >= 11.0;
    let every = (12.0 / cell.max(0.1)).ceil().max(1.0) as usize;
    for (index, column) in columns.iter().enumerate() {
        if index % every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.2}\" y=\"{}\" text-anchor=\"middle\" class=\"chart-axis\">{}</text>",
                LABEL_WIDTH + cell * (index as f64 + 0.5),
                TOP - 8.0,
                escape(column)
            );
        }
    }
    for (row_index, row) in rows.iter().enumerate() {
        let y = TOP + ROW * row_index as f64;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-axis\">{}</text>",
            LABEL_WIDTH - 6.0,
            y + 15.0,
            escape(row)
        );
        for (column_index, column) in columns.iter().enumerate() {
            let value = cells
                .get(row_index)
                .and_then(|values| values.get(column_index))
                .copied()
                .unwrap_or(0)
                .min(5);
            let x = LABEL_WIDTH + cell * column_index as f64;
            let _ = write!(
                svg,
                "<rect x=\"{x:.2}\" y=\"{y}\" width=\"{cell:.2}\" height=\"{ROW}\" fill=\"{}\" \
                 stroke=\"#999\" stroke-width=\"0.3\"><title>{}, {}: {value}</title></rect>",
                SHADES[usize::from(value)],
                escape(row),
                escape(column)
            );
            if show_numbers && value > 0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.2}\" y=\"{}\" text-anchor=\"middle\" class=\"{}\">{value}</text>",
                    x + cell / 2.0,
                    y + 15.0,
                    if value >= 4 {
                        "chart-cell chart-cell-dark"
                    } else {
                        "chart-cell"
                    }
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The series fills in order, for a chart with several series.
pub fn fills() -> impl Iterator<Item = Fill> {
    Fill::ALL.into_iter().cycle()
}

/// A chart with its caption (the accessible name), the markup drawn by
/// one of the builders above, a one-sentence summary (the accessible
/// description) and the table of the same numbers as children.
#[component]
pub fn Chart(
    /// Unique on the page; the builders were given the same.
    id: &'static str,
    caption: String,
    summary: String,
    svg: String,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="chart-figure" aria-labelledby=format!("{id}-title")>
            <figcaption id=format!("{id}-title")>{caption}</figcaption>
            <div class="chart" inner_html=svg></div>
            <p class="chart-summary" id=format!("{id}-summary")>{summary}</p>
            <div class="chart-table">{children()}</div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories(count: usize) -> Vec<String> {
        (1..=count).map(|number| format!("S{number}")).collect()
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B\"</b>'"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;&#39;"
        );
        let svg = bar_chart("c", &[("<script>".to_string(), 1.0)]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
    }

    #[test]
    fn numbers_are_whole_or_one_decimal() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(2.25), "2.2");
        assert_eq!(format_number(2.26), "2.3");
    }

    #[test]
    fn the_axis_rounds_up_to_a_nice_maximum() {
        assert_eq!(axis_max(0.0), 1.0);
        assert_eq!(axis_max(1.0), 1.0);
        assert_eq!(axis_max(3.0), 5.0);
        assert_eq!(axis_max(5.0), 5.0);
        assert_eq!(axis_max(7.0), 10.0);
        assert_eq!(axis_max(12.0), 20.0);
        assert_eq!(axis_max(21.0), 25.0);
    }

    #[test]
    fn a_column_chart_draws_one_column_per_category_and_series_with_a_legend() {
        let series = [
            Series {
                name: "Interventions".to_string(),
                values: vec![4.0, 0.0, 2.0],
                fill: Fill::Solid,
            },
            Series {
                name: "Interpretations".to_string(),
                values: vec![1.0, 0.0, 2.0],
                fill: Fill::Hatched,
            },
        ];
        let reference = Reference {
            value: 3.0,
            label: "Threshold 3".to_string(),
        };
        let svg = column_chart("pacing", &categories(3), &series, Some(&reference));
        assert_eq!(svg.matches("<title>").count(), 6);
        assert!(svg.contains("<title>S1: Interventions, 4</title>"));
        assert!(svg.contains("<title>S3: Interpretations, 2</title>"));
        assert!(svg.contains("url(#pacing-hatched)"));
        assert!(svg.contains(">Interventions</text>"));
        assert!(svg.contains("Threshold 3"));
        assert!(svg.contains("aria-labelledby=\"pacing-title\""));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn a_column_chart_with_nothing_to_draw_is_still_a_chart() {
        let svg = column_chart("empty", &[], &[], None);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<title>"));
    }

    #[test]
    fn many_categories_label_every_nth() {
        let series = [Series {
            name: "Interventions".to_string(),
            values: vec![1.0; 200],
            fill: Fill::Solid,
        }];
        let svg = column_chart("many", &categories(200), &series, None);
        assert_eq!(svg.matches("<title>").count(), 200);
        let labels = svg.matches("class=\"chart-axis\">S").count();
        assert!(labels < 30 && labels > 10, "{labels}");
    }

    #[test]
    fn a_heat_map_shows_each_cell_with_its_number() {
        let rows = vec!["Helpless".to_string(), "Positive".to_string()];
        let cells = vec![vec![0, 3, 5], vec![2, 0, 0]];
        let svg = heat_map("heat", &rows, &categories(3), &cells);
        assert_eq!(svg.matches("<title>").count(), 6);
        assert!(svg.contains("<title>Helpless, S3: 5</title>"));
        assert!(svg.contains("<title>Positive, S2: 0</title>"));
        // Numbers written in the non-empty cells: 3, 5 and 2.
        assert_eq!(svg.matches("class=\"chart-cell").count(), 3);
    }

    #[test]
    fn a_bar_chart_writes_each_value() {
        let svg = bar_chart(
            "bars",
            &[
                ("To be loved".to_string(), 4.0),
                ("Strong".to_string(), 0.0),
            ],
        );
        assert!(svg.contains(">To be loved</text>"));
        assert!(svg.contains("class=\"chart-value\">4</text>"));
        assert!(svg.contains("class=\"chart-value\">0</text>"));
    }
}
