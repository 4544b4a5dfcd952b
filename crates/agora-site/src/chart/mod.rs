//! The one chart module: every chart on every page is a [`Chart`] drawn into a [`Figure`].
//!
//! A [`Chart`] is what to show, in the data's own terms: an x axis of categories, dates or
//! numbers; a y axis with a title and a [`Quantity`] (count, percentage, seconds, hours,
//! bytes); layers of bars, lines, points, steps and quartile boxes; vertical markers (release
//! tags) and highlighted spans (regressions). [`Chart::draw`] does all presentation math once:
//! it fits the y [`Scale`] (linear or log, chosen by the data unless the chart says, and said in
//! the axis title), picks the axis unit from the magnitude of the ticks (`ms`, `MiB`, days),
//! places time ticks on calendar boundaries ([`time`]), thins category labels that would
//! collide, and lays out the legend. The result is a [`Figure`]: a list of positioned marks that
//! [`svg`] writes out one element per mark, every text through the page templates' escaper.
//!
//! Every figure is accessible (`role="img"`, a `<title>` and a `<desc>`), and every bar, point
//! and box carries a `<title>` with its exact value, which browsers show on hover without
//! JavaScript. Colours of data come from [`PALETTE`], mid-tones that read on light and dark
//! backgrounds; axes and text take the page's colour through the stylesheet.

pub mod scale;
mod svg;
pub mod time;
pub mod units;

use serde::Serialize;

pub use scale::{Scale, ScaleKind};
pub use units::Quantity;

/// Colours for data series, in order of use.
pub const PALETTE: [&str; 6] = [
    "#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2", "#9d7660",
];

/// Width of a full chart, in SVG units (it scales to the page's width).
const WIDTH: f64 = 960.0;
/// Height of a full chart.
const HEIGHT: f64 = 340.0;
/// Room left of the plot for tick labels and the y title.
const LEFT: f64 = 76.0;
/// Room right of the plot.
const RIGHT: f64 = 24.0;
/// Room above the plot for the title and the legend.
const TOP: f64 = 58.0;
/// Room below the plot for tick labels and the x title.
const BOTTOM: f64 = 54.0;
/// Width of one character of tick or legend text, roughly, at the chart's font size.
const CHAR: f64 = 6.6;

/// The x axis of a chart.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Named categories at x = 0, 1, 2, …
    Categories {
        /// The axis title.
        title: String,
        /// One label per category.
        labels: Vec<String>,
    },
    /// Dates: x is days since 1970-01-01 ([`time::day_number`]).
    Time {
        /// The axis title.
        title: String,
    },
    /// Plain numbers (a commit's position in the history, say).
    Numbers {
        /// The axis title.
        title: String,
    },
}

/// The y axis of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct YAxis {
    /// What is measured (`merged PRs`, `time`); the unit is added to it.
    pub title: String,
    /// The quantity, which decides the unit.
    pub quantity: Quantity,
    /// Whether a linear axis starts from zero (bars always do).
    pub include_zero: bool,
    /// Linear or log; `None` lets the data choose ([`ScaleKind::for_data`]).
    pub scale: Option<ScaleKind>,
}

impl YAxis {
    /// A y axis from zero whose scale the data chooses.
    pub fn new(title: &str, quantity: Quantity) -> YAxis {
        YAxis {
            title: title.to_string(),
            quantity,
            include_zero: true,
            scale: None,
        }
    }
}

/// One data point: where it is, and what its hover text and link say.
#[derive(Debug, Clone, PartialEq)]
pub struct Datum {
    /// Position along x (a category index, a day number or a number).
    pub x: f64,
    /// The value.
    pub y: f64,
    /// The hover text.
    pub tip: String,
    /// Where the point links to, if anywhere.
    pub href: Option<String>,
}

impl Datum {
    /// A point with hover text and no link.
    pub fn new(x: f64, y: f64, tip: impl Into<String>) -> Datum {
        Datum {
            x,
            y,
            tip: tip.into(),
            href: None,
        }
    }
}

/// A quartile box: lower quartile, median, upper quartile at one x.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeDatum {
    /// Position along x.
    pub x: f64,
    /// Lower quartile.
    pub low: f64,
    /// Median.
    pub middle: f64,
    /// Upper quartile.
    pub high: f64,
    /// The hover text.
    pub tip: String,
}

/// A horizontal segment: a detected step's level from one x to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Start along x.
    pub from: f64,
    /// End along x.
    pub to: f64,
    /// The level.
    pub y: f64,
    /// The hover text.
    pub tip: String,
}

/// What a layer of a chart draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Marks {
    /// Bars from zero; each datum's x is the bar's left edge, `width` in x units.
    Bars {
        /// Bar width in x units.
        width: f64,
        /// The bars.
        data: Vec<Datum>,
    },
    /// A line through the points, with a dot on each when `dots`.
    Line {
        /// Whether each point gets a dot (with its hover text).
        dots: bool,
        /// The points, in x order.
        data: Vec<Datum>,
    },
    /// Dots only.
    Points {
        /// The points.
        data: Vec<Datum>,
    },
    /// Horizontal segments.
    Steps {
        /// The segments.
        data: Vec<Segment>,
    },
    /// Quartile boxes with a median bar, `width` in x units, centred on x.
    Ranges {
        /// Box width in x units.
        width: f64,
        /// The boxes.
        data: Vec<RangeDatum>,
    },
}

/// One named, coloured layer of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Its name in the legend.
    pub name: String,
    /// Its colour (one of [`PALETTE`], or any CSS colour).
    pub color: String,
    /// What it draws.
    pub marks: Marks,
}

/// A vertical marker across the plot with a label (a release tag).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Position along x.
    pub x: f64,
    /// The label at its top.
    pub label: String,
}

/// A highlighted stretch of x (a regression), with hover text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Start along x.
    pub from: f64,
    /// End along x.
    pub to: f64,
    /// The hover text.
    pub tip: String,
}

/// A chart in the data's terms; [`Chart::draw`] lays it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The heading, also the figure's accessible name.
    pub title: String,
    /// The x axis.
    pub x: XAxis,
    /// The y axis.
    pub y: YAxis,
    /// The layers, drawn in order.
    pub layers: Vec<Layer>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
    /// Highlighted stretches, drawn under the data.
    pub spans: Vec<Span>,
    /// The legend entry of the markers, if any are drawn (`release tag`).
    pub marker_name: String,
    /// The legend entry of the spans, if any are drawn (`regression`).
    pub span_name: String,
}

impl Chart {
    /// An empty chart with these axes.
    pub fn new(title: &str, x: XAxis, y: YAxis) -> Chart {
        Chart {
            title: title.to_string(),
            x,
            y,
            layers: Vec::new(),
            markers: Vec::new(),
            spans: Vec::new(),
            marker_name: String::new(),
            span_name: String::new(),
        }
    }

    /// Adds a layer with the next colour of the palette.
    pub fn layer(mut self, name: &str, marks: Marks) -> Chart {
        let color = PALETTE[self.layers.len() % PALETTE.len()].to_string();
        self.layers.push(Layer {
            name: name.to_string(),
            color,
            marks,
        });
        self
    }

    /// Bars for categories, side by side: one layer per `(name, values, tips)`.
    pub fn grouped_bars(mut self, series: Vec<(String, Vec<f64>, Vec<String>)>) -> Chart {
        let groups = series.len().max(1) as f64;
        let width = 0.8 / groups;
        for (k, (name, values, tips)) in series.into_iter().enumerate() {
            let data = values
                .iter()
                .zip(tips)
                .enumerate()
                .map(|(i, (v, tip))| Datum::new(i as f64 - 0.4 + width * k as f64, *v, tip))
                .collect();
            self = self.layer(&name, Marks::Bars { width, data });
        }
        self
    }

    /// Every y value the chart must show.
    fn y_values(&self) -> Vec<f64> {
        let mut out = Vec::new();
        for layer in &self.layers {
            match &layer.marks {
                Marks::Bars { data, .. } | Marks::Line { data, .. } | Marks::Points { data } => {
                    out.extend(data.iter().map(|d| d.y));
                }
                Marks::Steps { data } => out.extend(data.iter().map(|s| s.y)),
                Marks::Ranges { data, .. } => {
                    out.extend(data.iter().flat_map(|r| [r.low, r.middle, r.high]));
                }
            }
        }
        out
    }

    /// The x extent of the data, markers and spans.
    fn x_extent(&self) -> (f64, f64) {
        let mut xs: Vec<f64> = Vec::new();
        for layer in &self.layers {
            match &layer.marks {
                Marks::Bars { width, data } => {
                    xs.extend(data.iter().flat_map(|d| [d.x, d.x + width]));
                }
                Marks::Line { data, .. } | Marks::Points { data } => {
                    xs.extend(data.iter().map(|d| d.x));
                }
                Marks::Steps { data } => xs.extend(data.iter().flat_map(|s| [s.from, s.to])),
                Marks::Ranges { width, data } => {
                    xs.extend(
                        data.iter()
                            .flat_map(|r| [r.x - width / 2.0, r.x + width / 2.0]),
                    );
                }
            }
        }
        xs.extend(self.markers.iter().map(|m| m.x));
        xs.extend(self.spans.iter().flat_map(|s| [s.from, s.to]));
        let lo = xs
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let hi = xs
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
    }

    /// Lays the chart out: scales, ticks, labels, legend and marks.
    pub fn draw(&self) -> Figure {
        let mut figure = Figure::new(WIDTH, HEIGHT, &self.title);
        let (plot_left, plot_right) = (LEFT, WIDTH - RIGHT);
        let (plot_top, plot_bottom) = (TOP, HEIGHT - BOTTOM);
        let values = self.y_values();
        let has_bars = self
            .layers
            .iter()
            .any(|l| matches!(l.marks, Marks::Bars { .. }));
        let quantity = &self.y.quantity;
        let mut scale = Scale::fit(&values, self.y.scale, self.y.include_zero || has_bars, 5);
        if scale.kind == ScaleKind::Log && *quantity == Quantity::Hours {
            scale = duration_scale(&values).unwrap_or(scale);
        }
        if scale.kind == ScaleKind::Linear && *quantity == Quantity::Count {
            scale = whole_steps(scale);
        }
        let y = |v: f64| plot_bottom - (plot_bottom - plot_top) * scale.position(v);

        // The x mapping.
        let (x_lo, x_hi) = match &self.x {
            XAxis::Categories { labels, .. } => (-0.5, labels.len().max(1) as f64 - 0.5),
            XAxis::Time { .. } => {
                // Data taken minutes apart keeps its width: the pad is 2% of the span, at
                // least a minute (half a day only around a single instant).
                let (lo, hi) = self.x_extent();
                let pad = if hi > lo {
                    ((hi - lo) * 0.02).max(1.0 / 1440.0)
                } else {
                    0.5
                };
                (lo - pad, hi + pad)
            }
            XAxis::Numbers { .. } => {
                let (lo, hi) = self.x_extent();
                let pad = ((hi - lo) * 0.02).max(0.5);
                (lo - pad, hi + pad)
            }
        };
        let x = |v: f64| plot_left + (plot_right - plot_left) * ((v - x_lo) / (x_hi - x_lo));

        // Title, y ticks and gridlines, y title.
        figure.text(LEFT, 20.0, "start", "chart-title", &self.title);
        let unit = quantity.axis_unit(scale.ticks.iter().fold(0.0, |m, t| t.abs().max(m)));
        for tick in &scale.ticks {
            let at = y(*tick);
            figure.line(plot_left, at, plot_right, at, "grid");
            let label = match scale.kind {
                ScaleKind::Linear => units::tick_label(*tick, unit),
                ScaleKind::Log => log_tick_label(quantity, *tick),
            };
            figure.text(plot_left - 6.0, at + 4.0, "end", "tick", &label);
        }
        let unit_name = quantity.unit_name(unit);
        let y_title = match (scale.kind, unit_name.is_empty()) {
            (ScaleKind::Log, _) => format!("{}, log scale", self.y.title),
            (ScaleKind::Linear, true) => self.y.title.clone(),
            (ScaleKind::Linear, false) => format!("{} ({unit_name})", self.y.title),
        };
        let middle = (plot_top + plot_bottom) / 2.0;
        figure.marks.push(Mark::Text {
            x: 16.0,
            y: round(middle),
            anchor: "middle",
            class: "axis-title",
            text: y_title.clone(),
            rotate: true,
        });

        // X ticks and title.
        let x_title = match &self.x {
            XAxis::Categories { title, labels } => {
                let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
                let room = (plot_right - plot_left) / labels.len().max(1) as f64;
                let every = ((widest as f64 * CHAR + 8.0) / room).ceil().max(1.0) as usize;
                for (i, label) in labels.iter().enumerate() {
                    // Thin the labels so they never collide; the last always shows (an
                    // overflow bin reads "≥ 30 d").
                    if i % every == 0 || i + 1 == labels.len() && every == 1 {
                        figure.text(x(i as f64), plot_bottom + 16.0, "middle", "tick", label);
                    }
                }
                title.clone()
            }
            XAxis::Time { title } => {
                let most = ((plot_right - plot_left) / 96.0) as usize;
                let (_, ticks) = time::ticks(x_lo, x_hi, most);
                for tick in ticks {
                    let at = x(tick.day);
                    figure.line(at, plot_bottom, at, plot_bottom + 4.0, "axis");
                    figure.line(at, plot_top, at, plot_bottom, "grid");
                    figure.text(at, plot_bottom + 16.0, "middle", "tick", &tick.label);
                }
                title.clone()
            }
            XAxis::Numbers { title } => {
                let ticks = scale::linear_ticks(x_lo, x_hi, 8);
                for tick in ticks.iter().filter(|t| **t >= x_lo && **t <= x_hi) {
                    let at = x(*tick);
                    figure.line(at, plot_bottom, at, plot_bottom + 4.0, "axis");
                    figure.text(
                        at,
                        plot_bottom + 16.0,
                        "middle",
                        "tick",
                        &units::tick_label(*tick, unit_of_numbers()),
                    );
                }
                title.clone()
            }
        };
        figure.text(
            (plot_left + plot_right) / 2.0,
            HEIGHT - 10.0,
            "middle",
            "axis-title",
            &x_title,
        );

        // Spans under the data, then the layers, then markers on top.
        for span in &self.spans {
            let (from, to) = (x(span.from), x(span.to));
            figure.marks.push(Mark::Rect {
                x: round(from.min(to) - 2.0),
                y: round(plot_top),
                width: round((to - from).abs() + 4.0),
                height: round(plot_bottom - plot_top),
                class: "span",
                fill: String::new(),
                tip: span.tip.clone(),
            });
        }
        for layer in &self.layers {
            self.draw_layer(&mut figure, layer, &x, &y, quantity);
        }
        // Marker labels that would overlap the previous one are left out (the line stays).
        let mut labelled_to = f64::NEG_INFINITY;
        let mut sorted: Vec<&Marker> = self.markers.iter().collect();
        sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
        for marker in sorted {
            let at = round(x(marker.x));
            figure.line(at, plot_top, at, plot_bottom, "marker");
            if at > labelled_to {
                figure.marks.push(Mark::Text {
                    x: at + 3.0,
                    y: round(plot_top + 10.0),
                    anchor: "start",
                    class: "marker-label",
                    text: marker.label.clone(),
                    rotate: false,
                });
                labelled_to = at + 3.0 + marker.label.chars().count() as f64 * CHAR * 0.9 + 4.0;
            }
        }
        figure.line(plot_left, plot_bottom, plot_right, plot_bottom, "axis");
        figure.line(plot_left, plot_top, plot_left, plot_bottom, "axis");
        self.legend(&mut figure);
        figure.desc = self.describe(&values, &y_title, quantity);
        figure
    }

    /// Draws one layer's marks.
    fn draw_layer(
        &self,
        figure: &mut Figure,
        layer: &Layer,
        x: &dyn Fn(f64) -> f64,
        y: &dyn Fn(f64) -> f64,
        quantity: &Quantity,
    ) {
        let base = y(0.0);
        match &layer.marks {
            Marks::Bars { width, data } => {
                for d in data {
                    let (left, right) = (x(d.x), x(d.x + width));
                    let top = y(d.y);
                    figure.marks.push(Mark::Rect {
                        x: round(left),
                        y: round(top.min(base)),
                        width: round((right - left - 1.0).max(0.8)),
                        height: round((base - top).abs()),
                        class: "bar",
                        fill: layer.color.clone(),
                        tip: d.tip.clone(),
                    });
                }
            }
            Marks::Line { dots, data } => {
                let points: Vec<String> = data
                    .iter()
                    .filter(|d| d.y.is_finite())
                    .map(|d| format!("{},{}", round(x(d.x)), round(y(d.y))))
                    .collect();
                figure.marks.push(Mark::Polyline {
                    points: points.join(" "),
                    class: "line",
                    stroke: layer.color.clone(),
                });
                if *dots {
                    self.dots(figure, layer, data, x, y, 2.5);
                }
            }
            Marks::Points { data } => self.dots(figure, layer, data, x, y, 2.5),
            Marks::Steps { data } => {
                for s in data {
                    figure.marks.push(Mark::Segment {
                        x1: round(x(s.from)),
                        x2: round(x(s.to)),
                        y: round(y(s.y)),
                        stroke: layer.color.clone(),
                        tip: s.tip.clone(),
                    });
                }
            }
            Marks::Ranges { width, data } => {
                for r in data {
                    let (left, right) = (x(r.x - width / 2.0), x(r.x + width / 2.0));
                    let (top, bottom) = (y(r.high), y(r.low));
                    figure.marks.push(Mark::Rect {
                        x: round(left),
                        y: round(top),
                        width: round(right - left),
                        height: round((bottom - top).max(1.0)),
                        class: "range",
                        fill: layer.color.clone(),
                        tip: r.tip.clone(),
                    });
                    figure.marks.push(Mark::Segment {
                        x1: round(left),
                        x2: round(right),
                        y: round(y(r.middle)),
                        stroke: "currentColor".into(),
                        tip: format!("median {}", quantity.format(r.middle)),
                    });
                }
            }
        }
    }

    /// Dots with hover text and, where given, links.
    fn dots(
        &self,
        figure: &mut Figure,
        layer: &Layer,
        data: &[Datum],
        x: &dyn Fn(f64) -> f64,
        y: &dyn Fn(f64) -> f64,
        radius: f64,
    ) {
        for d in data.iter().filter(|d| d.y.is_finite()) {
            figure.marks.push(Mark::Dot {
                cx: round(x(d.x)),
                cy: round(y(d.y)),
                r: radius,
                fill: layer.color.clone(),
                tip: d.tip.clone(),
                href: d.href.clone().unwrap_or_default(),
            });
        }
    }

    /// The legend, right-aligned above the plot: a swatch per layer (when there is more than
    /// one layer or anything else to name), markers and spans.
    fn legend(&self, figure: &mut Figure) {
        let mut entries: Vec<(String, String, &'static str)> = Vec::new();
        if self.layers.len() > 1 || !self.markers.is_empty() || !self.spans.is_empty() {
            for layer in &self.layers {
                entries.push((layer.name.clone(), layer.color.clone(), "swatch"));
            }
        }
        if !self.markers.is_empty() && !self.marker_name.is_empty() {
            entries.push((self.marker_name.clone(), String::new(), "swatch-marker"));
        }
        if !self.spans.is_empty() && !self.span_name.is_empty() {
            entries.push((self.span_name.clone(), String::new(), "swatch-span"));
        }
        let mut at = WIDTH - RIGHT;
        for (name, color, class) in entries.iter().rev() {
            let text_width = name.chars().count() as f64 * CHAR;
            at -= text_width;
            figure.text(at, 42.0, "start", "legend", name);
            at -= 16.0;
            figure.marks.push(Mark::Rect {
                x: round(at),
                y: 33.0,
                width: 11.0,
                height: 11.0,
                class,
                fill: color.clone(),
                tip: String::new(),
            });
            at -= 14.0;
        }
    }

    /// A sentence describing the chart for screen readers.
    fn describe(&self, values: &[f64], y_title: &str, quantity: &Quantity) -> String {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let names: Vec<&str> = self.layers.iter().map(|l| l.name.as_str()).collect();
        let x_title = match &self.x {
            XAxis::Categories { title, .. } | XAxis::Time { title } | XAxis::Numbers { title } => {
                title
            }
        };
        let range = match (
            finite.iter().copied().reduce(f64::min),
            finite.iter().copied().reduce(f64::max),
        ) {
            (Some(lo), Some(hi)) => {
                format!(
                    "values from {} to {}",
                    quantity.format(lo),
                    quantity.format(hi)
                )
            }
            _ => "no values".to_string(),
        };
        format!(
            "{} against {x_title}: {}; {range}.",
            y_title,
            names.join(", ")
        )
    }
}

/// The unit of a plain-number axis.
fn unit_of_numbers() -> units::Unit {
    Quantity::Count.axis_unit(1.0)
}

/// Durations we label a log axis of hours with, a minute to ten years, and their labels.
const DURATION_TICKS: [(f64, &str); 11] = [
    (1.0 / 60.0, "1 min"),
    (0.1, "6 min"),
    (1.0, "1 h"),
    (6.0, "6 h"),
    (24.0, "1 d"),
    (7.0 * 24.0, "1 w"),
    (30.0 * 24.0, "30 d"),
    (91.0 * 24.0, "3 mo"),
    (365.0 * 24.0, "1 y"),
    (3.0 * 365.0 * 24.0, "3 y"),
    (10.0 * 365.0 * 24.0, "10 y"),
];

/// The label of a tick on a log axis: a round duration's own name, else the value.
fn log_tick_label(quantity: &Quantity, value: f64) -> String {
    if *quantity == Quantity::Hours
        && let Some((_, label)) = DURATION_TICKS
            .iter()
            .find(|(hours, _)| (hours - value).abs() <= hours * 1e-9)
    {
        return (*label).to_string();
    }
    quantity.format(value)
}

/// A log scale of hours with ticks on round durations (1 h, 6 h, 1 d, 1 w, 30 d, 1 y, …).
fn duration_scale(values: &[f64]) -> Option<Scale> {
    let positive = values.iter().copied().filter(|v| *v > 0.0 && v.is_finite());
    let lo = positive.clone().fold(f64::INFINITY, f64::min);
    let hi = positive.fold(f64::NEG_INFINITY, f64::max);
    let first = DURATION_TICKS.iter().rposition(|(t, _)| *t <= lo)?;
    let last = DURATION_TICKS.iter().position(|(t, _)| *t >= hi)?;
    let ticks: Vec<f64> = DURATION_TICKS[first..=last]
        .iter()
        .map(|(t, _)| *t)
        .collect();
    Some(Scale {
        kind: ScaleKind::Log,
        lo: ticks[0],
        hi: ticks[ticks.len() - 1],
        ticks,
    })
}

/// A linear scale of counts with whole-number ticks: a step below one becomes one.
fn whole_steps(scale: Scale) -> Scale {
    let step = match scale.ticks.as_slice() {
        [first, second, ..] => second - first,
        _ => return scale,
    };
    if step >= 1.0 {
        return scale;
    }
    let (lo, hi) = (scale.lo.floor(), scale.hi.ceil());
    let ticks: Vec<f64> = (lo as i64..=hi as i64).map(|t| t as f64).collect();
    Scale {
        kind: ScaleKind::Linear,
        lo,
        hi,
        ticks,
    }
}

/// A coordinate to one decimal, enough for a screen and short to write.
fn round(value: f64) -> f64 {
    if value.is_finite() {
        (value * 10.0).round() / 10.0
    } else {
        0.0
    }
}

/// A positioned mark: one SVG element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Mark {
    /// A straight line styled by class (axis, grid, marker).
    Line {
        /// Start x.
        x1: f64,
        /// Start y.
        y1: f64,
        /// End x.
        x2: f64,
        /// End y.
        y2: f64,
        /// The stylesheet class.
        class: &'static str,
    },
    /// A coloured horizontal segment with hover text.
    Segment {
        /// Start x.
        x1: f64,
        /// End x.
        x2: f64,
        /// Height.
        y: f64,
        /// Its colour.
        stroke: String,
        /// Hover text.
        tip: String,
    },
    /// A rectangle (bar, box, span, legend swatch).
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        width: f64,
        /// Height.
        height: f64,
        /// The stylesheet class.
        class: &'static str,
        /// Its colour, if not the class's.
        fill: String,
        /// Hover text, if any.
        tip: String,
    },
    /// A dot with hover text and an optional link.
    Dot {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Radius.
        r: f64,
        /// Its colour.
        fill: String,
        /// Hover text.
        tip: String,
        /// Link target; empty for none.
        href: String,
    },
    /// A line through points.
    Polyline {
        /// `x,y x,y …`.
        points: String,
        /// The stylesheet class.
        class: &'static str,
        /// Its colour.
        stroke: String,
    },
    /// A text.
    Text {
        /// Anchor x.
        x: f64,
        /// Baseline y.
        y: f64,
        /// `start`, `middle` or `end`.
        anchor: &'static str,
        /// The stylesheet class.
        class: &'static str,
        /// The text.
        text: String,
        /// Whether it reads bottom to top (a y axis title).
        rotate: bool,
    },
}

/// A laid-out chart: its size, accessible title and description, and its marks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Width in SVG units.
    pub width: f64,
    /// Height in SVG units.
    pub height: f64,
    /// The accessible name.
    pub title: String,
    /// The accessible description.
    pub desc: String,
    /// The `class` of the `<svg>` (`chart`, `sparkline`).
    pub class: &'static str,
    /// The marks, in drawing order.
    pub marks: Vec<Mark>,
}

impl Figure {
    /// An empty figure.
    fn new(width: f64, height: f64, title: &str) -> Figure {
        Figure {
            width,
            height,
            title: title.to_string(),
            desc: String::new(),
            class: "chart",
            marks: Vec::new(),
        }
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, class: &'static str) {
        self.marks.push(Mark::Line {
            x1: round(x1),
            y1: round(y1),
            x2: round(x2),
            y2: round(y2),
            class,
        });
    }

    fn text(&mut self, x: f64, y: f64, anchor: &'static str, class: &'static str, text: &str) {
        self.marks.push(Mark::Text {
            x: round(x),
            y: round(y),
            anchor,
            class,
            text: text.to_string(),
            rotate: false,
        });
    }

    /// The figure as an `<svg>` element.
    pub fn svg(&self) -> String {
        svg::write(self)
    }
}

/// A small line of `values` for a table cell, its numbers in the hover text.
pub fn sparkline(label: &str, values: &[usize]) -> Figure {
    const W: f64 = 120.0;
    const H: f64 = 28.0;
    let numbers: Vec<String> = values.iter().map(ToString::to_string).collect();
    let mut figure = Figure::new(W, H, &format!("{label}: {}", numbers.join(", ")));
    figure.class = "sparkline";
    figure.desc = format!("{} values, oldest first", values.len());
    let as_f64: Vec<f64> = values.iter().map(|v| *v as f64).collect();
    let scale = Scale::fit(&as_f64, Some(ScaleKind::Linear), true, 2);
    let step = if values.len() > 1 {
        W / (values.len() - 1) as f64
    } else {
        0.0
    };
    let points: Vec<String> = as_f64
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{},{}",
                round(i as f64 * step),
                round(H - 2.0 - (H - 4.0) * scale.position(*v))
            )
        })
        .collect();
    figure.marks.push(Mark::Polyline {
        points: points.join(" "),
        class: "line",
        stroke: PALETTE[0].into(),
    });
    figure
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(values: &[f64]) -> Chart {
        let labels: Vec<String> = (0..values.len()).map(|i| i.to_string()).collect();
        Chart::new(
            "a <chart>",
            XAxis::Categories {
                title: "x".into(),
                labels,
            },
            YAxis::new("things", Quantity::Count),
        )
        .grouped_bars(vec![(
            "n".into(),
            values.to_vec(),
            values.iter().map(|v| format!("{v}")).collect(),
        )])
    }

    #[test]
    fn an_all_zero_series_is_drawn_flat_on_a_zero_to_one_axis() {
        let figure = bars(&[0.0, 0.0, 0.0]).draw();
        let labels: Vec<&str> = figure
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text {
                    class: "tick",
                    text,
                    ..
                } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(labels.contains(&"0") && labels.contains(&"1"), "{labels:?}");
        let svg = figure.svg();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }

    #[test]
    fn long_tailed_durations_go_on_a_log_axis_of_round_durations() {
        let chart = Chart::new(
            "lifetimes",
            XAxis::Categories {
                title: "participants".into(),
                labels: vec!["1".into(), "2".into()],
            },
            YAxis::new("time to merge", Quantity::Hours),
        )
        .layer(
            "merged PRs",
            Marks::Ranges {
                width: 0.5,
                data: vec![
                    RangeDatum {
                        x: 0.0,
                        low: 2.0,
                        middle: 5.0,
                        high: 30.0,
                        tip: String::new(),
                    },
                    RangeDatum {
                        x: 1.0,
                        low: 50.0,
                        middle: 400.0,
                        high: 20_000.0,
                        tip: String::new(),
                    },
                ],
            },
        );
        let svg = chart.draw().svg();
        assert!(svg.contains("time to merge, log scale"), "{svg}");
        for label in ["1 h", "1 d", "1 w", "30 d", "1 y", "3 y"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}: {svg}");
        }
    }

    #[test]
    fn figures_are_accessible_and_escaped() {
        let svg = bars(&[1.0, 2.0]).draw().svg();
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title>a &lt;chart&gt;</title>"), "{svg}");
        assert!(svg.contains("<desc>"));
        assert!(svg.contains("<title>2</title>"));
        assert!(!svg.contains("<script"));
    }
}
