//! Inline SVG charts: bars, lines, ranges and sparklines, with axes, labels and hover values.
//!
//! Each chart is a standalone `<svg>` element meant to sit inside an HTML page: no scripts,
//! no external fonts or styles. Values are placed on categorical x positions (bins, months,
//! labels); the y axis starts at zero and ends at a round number above the largest value,
//! with five gridlines. Every bar, point and range carries a `<title>`, which browsers show
//! on hover, so the exact numbers are readable without JavaScript.

use std::fmt::Write as _;

/// Chart width in pixels.
const WIDTH: f64 = 720.0;
/// Chart height in pixels.
const HEIGHT: f64 = 300.0;
/// Left margin (y tick labels).
const LEFT: f64 = 60.0;
/// Right margin.
const RIGHT: f64 = 16.0;
/// Top margin (legend).
const TOP: f64 = 30.0;
/// Bottom margin (x labels and axis title).
const BOTTOM: f64 = 52.0;

/// Escapes `text` for HTML and SVG text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number for a label: integers without decimals, others with up to two.
pub fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A data series: its name, colour and one value per x position.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Shown in the legend and the hover text.
    pub name: String,
    /// A CSS colour.
    pub color: &'static str,
    /// One value per category.
    pub values: Vec<f64>,
}

/// What a chart shows and how its axes are labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The heading inside the chart, also its accessible name.
    pub title: String,
    /// The x axis title.
    pub x_label: String,
    /// The y axis title.
    pub y_label: String,
    /// The category labels along x.
    pub categories: Vec<String>,
    /// Series drawn as bars, side by side within a category.
    pub bars: Vec<Series>,
    /// Series drawn as lines over the bars.
    pub lines: Vec<Series>,
    /// Unit appended to hover values (`%`, ` h`).
    pub unit: String,
}

/// The smallest "round" number (1, 2, 4, 8 × 10^k) at or above `value`, so that the
/// quarter gridlines fall on short numbers.
fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [1.0, 2.0, 4.0, 8.0, 10.0] {
        if step * magnitude >= value - 1e-9 {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// The plot frame: maps categories and values to pixels.
struct Frame {
    count: usize,
    y_max: f64,
}

impl Frame {
    fn plot_width(&self) -> f64 {
        WIDTH - LEFT - RIGHT
    }
    fn band(&self) -> f64 {
        self.plot_width() / self.count.max(1) as f64
    }
    fn x_center(&self, index: usize) -> f64 {
        LEFT + self.band() * (index as f64 + 0.5)
    }
    fn y(&self, value: f64) -> f64 {
        let plot_height = HEIGHT - TOP - BOTTOM;
        TOP + plot_height * (1.0 - (value / self.y_max).clamp(0.0, 1.0))
    }
}

/// Writes the axes, gridlines, tick labels and axis titles.
fn axes(out: &mut String, chart: &Chart, frame: &Frame) {
    let bottom = HEIGHT - BOTTOM;
    for tick in 0..=4 {
        let value = frame.y_max * f64::from(tick) / 4.0;
        let y = frame.y(value);
        let _ = write!(
            out,
            r##"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e3e3"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            number(value)
        );
    }
    let _ = write!(
        out,
        r##"<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#555"/><line class="axis" x1="{LEFT}" y1="{bottom}" x2="{:.1}" y2="{bottom}" stroke="#555"/>"##,
        WIDTH - RIGHT
    );
    let step = chart.categories.len().div_ceil(9).max(1);
    for (index, label) in chart.categories.iter().enumerate() {
        if index % step != 0 {
            continue;
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"#,
            frame.x_center(index),
            bottom + 14.0,
            escape(label)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">{}</text>"#,
        LEFT + frame.plot_width() / 2.0,
        HEIGHT - 10.0,
        escape(&chart.x_label)
    );
    let middle = TOP + (HEIGHT - TOP - BOTTOM) / 2.0;
    let _ = write!(
        out,
        r#"<text x="14" y="{middle:.1}" text-anchor="middle" font-size="12" transform="rotate(-90 14 {middle:.1})">{}</text>"#,
        escape(&chart.y_label)
    );
}

/// Writes the legend along the top.
fn legend(out: &mut String, series: &[&Series]) {
    let mut x = LEFT;
    for s in series {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="8" width="12" height="12" fill="{}"/><text x="{:.1}" y="18" font-size="12">{}</text>"#,
            s.color,
            x + 16.0,
            escape(&s.name)
        );
        x += 28.0 + 7.0 * s.name.chars().count() as f64;
    }
}

/// Opens an `<svg>` with its accessible title, shown in the top right corner.
fn open(out: &mut String, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{0}" font-family="sans-serif"><title>{0}</title><text x="{1}" y="18" text-anchor="end" font-size="13" font-weight="bold">{0}</text>"#,
        escape(title),
        WIDTH - RIGHT
    );
}

/// Renders a chart of bars and lines.
pub fn chart(chart: &Chart) -> String {
    let largest = chart
        .bars
        .iter()
        .chain(chart.lines.iter())
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let frame = Frame {
        count: chart.categories.len(),
        y_max: nice_ceiling(largest),
    };
    let mut out = String::new();
    open(&mut out, &chart.title);
    axes(&mut out, chart, &frame);
    let all: Vec<&Series> = chart.bars.iter().chain(chart.lines.iter()).collect();
    legend(&mut out, &all);
    let groups = chart.bars.len().max(1) as f64;
    let bar_width = frame.band() * 0.8 / groups;
    for (position, series) in chart.bars.iter().enumerate() {
        out.push_str(r#"<g class="bars">"#);
        for (index, value) in series.values.iter().enumerate() {
            let x = frame.x_center(index) - frame.band() * 0.4 + bar_width * position as f64;
            let top = frame.y(*value);
            let label = chart.categories.get(index).map_or("", String::as_str);
            let _ = write!(
                out,
                r#"<rect x="{x:.2}" y="{top:.2}" width="{:.2}" height="{:.2}" fill="{}"><title>{} — {}: {}{}</title></rect>"#,
                bar_width.max(0.5),
                (HEIGHT - BOTTOM - top).max(0.0),
                series.color,
                escape(label),
                escape(&series.name),
                number(*value),
                escape(&chart.unit)
            );
        }
        out.push_str("</g>");
    }
    for series in &chart.lines {
        let points: Vec<String> = series
            .values
            .iter()
            .enumerate()
            .map(|(index, value)| format!("{:.2},{:.2}", frame.x_center(index), frame.y(*value)))
            .collect();
        let _ = write!(
            out,
            r#"<g class="line"><polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
            series.color,
            points.join(" ")
        );
        for (index, value) in series.values.iter().enumerate() {
            let label = chart.categories.get(index).map_or("", String::as_str);
            let _ = write!(
                out,
                r#"<circle cx="{:.2}" cy="{:.2}" r="3" fill="{}"><title>{} — {}: {}{}</title></circle>"#,
                frame.x_center(index),
                frame.y(*value),
                series.color,
                escape(label),
                escape(&series.name),
                number(*value),
                escape(&chart.unit)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// One category of a range chart: lower quartile, median, upper quartile.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// The category label.
    pub label: String,
    /// How many values the range summarizes.
    pub count: usize,
    /// Lower quartile.
    pub low: f64,
    /// Median.
    pub middle: f64,
    /// Upper quartile.
    pub high: f64,
}

/// Renders quartile boxes with a median line per category.
pub fn ranges(title: &str, x_label: &str, y_label: &str, unit: &str, rows: &[Range]) -> String {
    let chart = Chart {
        title: title.to_string(),
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        categories: rows.iter().map(|r| r.label.clone()).collect(),
        bars: Vec::new(),
        lines: Vec::new(),
        unit: unit.to_string(),
    };
    let largest = rows.iter().map(|r| r.high).fold(0.0, f64::max);
    let frame = Frame {
        count: rows.len(),
        y_max: nice_ceiling(largest),
    };
    let mut out = String::new();
    open(&mut out, title);
    axes(&mut out, &chart, &frame);
    out.push_str(r#"<g class="ranges">"#);
    for (index, row) in rows.iter().enumerate() {
        let width = frame.band() * 0.5;
        let x = frame.x_center(index) - width / 2.0;
        let (top, bottom, middle) = (frame.y(row.high), frame.y(row.low), frame.y(row.middle));
        let _ = write!(
            out,
            r##"<g><title>{}: {} PRs, quartiles {}–{}{u}, median {}{u}</title><rect x="{x:.2}" y="{top:.2}" width="{width:.2}" height="{:.2}" fill="#9ecae1" stroke="#3182bd"/><line x1="{x:.2}" y1="{middle:.2}" x2="{:.2}" y2="{middle:.2}" stroke="#08519c" stroke-width="3"/></g>"##,
            escape(&row.label),
            row.count,
            number(row.low),
            number(row.high),
            number(row.middle),
            (bottom - top).max(1.0),
            x + width,
            u = escape(unit)
        );
    }
    out.push_str("</g></svg>");
    out
}

/// A small line of `values` for a table cell, with its numbers on hover.
pub fn sparkline(label: &str, values: &[usize]) -> String {
    const W: f64 = 120.0;
    const H: f64 = 28.0;
    let largest = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if values.len() > 1 {
        W / (values.len() - 1) as f64
    } else {
        0.0
    };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                H - 2.0 - (H - 4.0) * (*v as f64 / largest)
            )
        })
        .collect();
    let numbers: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!(
        r##"<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{0}"><title>{0}: {1}</title><polyline fill="none" stroke="#3182bd" stroke-width="1.5" points="{2}"/></svg>"##,
        escape(label),
        numbers.join(", "),
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 8.0);
        assert_eq!(nice_ceiling(23.0), 40.0);
        assert_eq!(nice_ceiling(101.0), 200.0);
        assert_eq!(nice_ceiling(0.3), 0.4);
        assert_eq!(nice_ceiling(10.0), 10.0);
    }

    #[test]
    fn bars_carry_hover_values_and_labels_are_escaped() {
        let svg = chart(&Chart {
            title: "a <b>".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            categories: vec!["one".into(), "two".into()],
            bars: vec![Series {
                name: "n".into(),
                color: "#000",
                values: vec![1.0, 2.5],
            }],
            lines: Vec::new(),
            unit: "%".into(),
        });
        assert!(svg.contains("<title>a &lt;b&gt;</title>"));
        assert!(svg.contains("<title>two — n: 2.50%</title>"));
        assert_eq!(svg.matches("<rect").count(), 1 + 2, "legend plus two bars");
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn sparkline_lists_its_values() {
        let svg = sparkline("merged", &[1, 3, 2]);
        assert!(svg.contains("<title>merged: 1, 3, 2</title>"));
        assert!(svg.contains("points=\"0.0,18.0 60.0,2.0 120.0,10.0\""));
    }
}
