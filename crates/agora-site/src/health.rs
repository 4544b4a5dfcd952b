//! Views of one [`HealthReport`]: text, Markdown, JSON and a self-contained HTML page.
//!
//! All four read the same struct and show the same facts in the same order: the window and
//! filters, the gaps in the data, then issues, pull requests and contributors. [`facts`]
//! turns the report's headline numbers into labelled lines once, so the views cannot drift
//! apart. Unknown values read "not in the data" (the source lacks the field) or "—"
//! (nothing in the window to measure); never a zero. The JSON is the report itself, so it
//! carries every number the pages show.

use std::fmt::Write as _;

use agora_health::measure::Measure;
use agora_health::pulls::BIN_DAYS;
use agora_health::report::{CountBin, HealthReport, NamedCount};

use jiff::civil::Date;
use minijinja::Value;
use serde::Serialize;

use crate::chart::{self, Chart, Datum, Marks, Quantity, RangeDatum, XAxis, YAxis, time};
use crate::page::Frame;
use crate::page::{self, RenderError};

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

/// What an unknown value reads when the source lacks the field.
pub const NOT_IN_DATA: &str = "not in the data";
/// What an unknown value reads when there was nothing to measure.
pub const NOTHING: &str = "—";

/// How many rows of a long series the text and Markdown views show (HTML and JSON show all).
const TAIL: usize = 12;

/// A measure of a real number with `unit`.
pub fn real(measure: &Measure<f64>, unit: &str) -> String {
    match measure {
        Measure::Value(v) => format!("{}{unit}", number(*v)),
        Measure::NotInData => NOT_IN_DATA.to_string(),
        Measure::NoneToMeasure => NOTHING.to_string(),
    }
}

/// Durations shorter than this many hours are shown in hours, longer ones in days: the one
/// unit rule of every duration on the health views (text, Markdown, HTML, dashboard).
pub const SHOWN_IN_HOURS_BELOW: f64 = 48.0;

/// A duration of `hours` in the health views' unit: `5.5 h` below
/// [`SHOWN_IN_HOURS_BELOW`], else days (`15.1 d`).
fn duration(hours: f64) -> String {
    if hours.abs() < SHOWN_IN_HOURS_BELOW {
        format!("{} h", number(hours))
    } else {
        format!("{} d", number(hours / 24.0))
    }
}

/// A measure of a duration in hours, shown by the one unit rule ([`SHOWN_IN_HOURS_BELOW`]).
pub fn duration_from_hours(measure: &Measure<f64>) -> String {
    match measure {
        Measure::Value(hours) => duration(*hours),
        Measure::NotInData => NOT_IN_DATA.to_string(),
        Measure::NoneToMeasure => NOTHING.to_string(),
    }
}

/// A measure of a duration in days, shown by the one unit rule ([`SHOWN_IN_HOURS_BELOW`]).
pub fn duration_from_days(measure: &Measure<f64>) -> String {
    match measure {
        Measure::Value(days) => duration(days * 24.0),
        Measure::NotInData => NOT_IN_DATA.to_string(),
        Measure::NoneToMeasure => NOTHING.to_string(),
    }
}

/// A measure of a count.
pub fn count(measure: &Measure<usize>) -> String {
    match measure {
        Measure::Value(v) => v.to_string(),
        Measure::NotInData => NOT_IN_DATA.to_string(),
        Measure::NoneToMeasure => NOTHING.to_string(),
    }
}

/// A count with its percentage: `3 (50%)`.
fn with_percent(count_text: String, percent: &Measure<f64>) -> String {
    match percent {
        Measure::Value(p) => format!("{count_text} ({p:.0}%)"),
        _ => count_text,
    }
}

/// A labelled value in one section of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// `Issues`, `Pull requests`, `Contributors`.
    pub section: &'static str,
    /// What the value is.
    pub label: String,
    /// The value, formatted.
    pub value: String,
}

/// The report's headline numbers as labelled lines, in display order.
pub fn facts(report: &HealthReport) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut push = |section: &'static str, label: &str, value: String| {
        out.push(Fact {
            section,
            label: label.to_string(),
            value,
        });
    };
    let issues = &report.issues;
    push("Issues", "Opened", issues.opened.to_string());
    push(
        "Issues",
        "Closed",
        with_percent(issues.closed.to_string(), &issues.closed_percent),
    );
    push(
        "Issues",
        "Median lifetime of closed issues",
        duration_from_hours(&issues.lifetime_median_hours),
    );
    push(
        "Issues",
        "Time to close (mean / median)",
        format!(
            "{} / {}",
            duration_from_days(&issues.time_to_close_mean_days),
            duration_from_days(&issues.time_to_close_median_days)
        ),
    );
    push(
        "Issues",
        "Opened at least a day before the end",
        issues.day_old.to_string(),
    );
    let answered = if issues.response_excludes_author {
        "Answered by someone other than the author"
    } else {
        "Answered (any first comment; issue authors not in the data)"
    };
    push(
        "Issues",
        answered,
        with_percent(count(&issues.responded), &issues.responded_percent),
    );
    push(
        "Issues",
        "Median time to first response",
        duration_from_hours(&issues.response_median_hours),
    );

    let pulls = &report.pulls;
    let filter = &pulls.filter;
    push(
        "Pull requests",
        "PRs counted",
        format!(
            "{} of {} (left out: {} to other branches, {} by bots, {} by deleted accounts)",
            filter.considered,
            filter.total,
            filter.other_branch,
            filter.by_bots,
            filter.deleted_author
        ),
    );
    push("Pull requests", "Opened", pulls.opened.to_string());
    push("Pull requests", "Merged", pulls.merged.to_string());
    push("Pull requests", "Open", pulls.open.to_string());
    push(
        "Pull requests",
        "Unique authors of merged PRs",
        count(&pulls.unique_authors),
    );
    push(
        "Pull requests",
        "Fly-by authors (exactly one merged PR)",
        with_percent(count(&pulls.flyby_authors), &pulls.flyby_percent),
    );
    push("Pull requests", "Pony factor", count(&pulls.pony_factor));
    push(
        "Pull requests",
        "Median time to merge",
        duration_from_days(&pulls.lifetimes.merged_median_days),
    );
    push(
        "Pull requests",
        "Median age of open PRs",
        duration_from_days(&pulls.lifetimes.open_median_days),
    );
    push(
        "Pull requests",
        "Open PRs outnumber merged ones from the age of",
        duration_from_days(&pulls.lifetimes.open_outlast_merged_from_days),
    );
    push(
        "Pull requests",
        "Median approving reviews per merged PR",
        real(&pulls.reviews_median, ""),
    );

    let contributors = &report.contributors;
    push(
        "Contributors",
        "New contributors in the last six months (came back since)",
        match &contributors.last_six_months {
            Measure::Value(r) => format!("{} ({})", r.new, r.returned),
            Measure::NotInData => NOT_IN_DATA.to_string(),
            Measure::NoneToMeasure => NOTHING.to_string(),
        },
    );
    push(
        "Contributors",
        "Retained at 6 months",
        real(&contributors.retention_6m_percent, "%"),
    );
    push(
        "Contributors",
        "Retained at 12 months",
        real(&contributors.retention_12m_percent, "%"),
    );
    push(
        "Contributors",
        "Months with a spike of newcomers",
        match &contributors.spikes {
            Measure::Value(spikes) => spikes.len().to_string(),
            Measure::NotInData => NOT_IN_DATA.to_string(),
            Measure::NoneToMeasure => NOTHING.to_string(),
        },
    );
    out
}

/// The window as one line.
fn window_line(report: &HealthReport) -> String {
    let since = report
        .window
        .since
        .map_or("the beginning".to_string(), |t| t.to_string());
    let until = report
        .window
        .until
        .map_or("the end of the data".to_string(), |t| t.to_string());
    let as_of = report
        .window
        .as_of
        .map_or("no data".to_string(), |t| t.to_string());
    format!("from {since} to {until} (ages as of {as_of})")
}

/// A simple table: header and rows.
struct Table {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn named_counts(title: &str, what: &str, counts: &[NamedCount]) -> Table {
    Table {
        title: title.to_string(),
        header: vec!["who".into(), what.into()],
        rows: counts
            .iter()
            .map(|c| vec![c.name.clone(), c.count.to_string()])
            .collect(),
    }
}

fn bins_table(title: &str, what: &str, bins: &[CountBin]) -> Table {
    Table {
        title: title.to_string(),
        header: vec![what.into(), "count".into()],
        rows: bins
            .iter()
            .map(|b| vec![b.label.clone(), b.count.to_string()])
            .collect(),
    }
}

/// The detail tables shared by the text and Markdown views.
fn tables(report: &HealthReport) -> Vec<Table> {
    let mut out = Vec::new();
    if let Some(cutoffs) = report.issues.answered_within.value() {
        out.push(Table {
            title: "Issues answered within".into(),
            header: vec!["within".into(), "issues".into(), "share".into()],
            rows: cutoffs
                .iter()
                .map(|c| {
                    vec![
                        c.label.clone(),
                        c.count.to_string(),
                        format!("{:.0}%", c.percent),
                    ]
                })
                .collect(),
        });
    }
    if let Some(responders) = report.issues.first_responders.value() {
        out.push(named_counts(
            "Top first responders",
            "first responses",
            responders,
        ));
    }
    if let Some(bins) = report.pulls.merged_per_author.value() {
        out.push(bins_table("Authors by merged PRs", "merged PRs", bins));
    }
    if let Some(top) = report.pulls.top_authors.value() {
        out.push(named_counts("Top authors of merged PRs", "merged PRs", top));
    }
    if let Some(bins) = report.pulls.merged_over_time.value() {
        let skip = bins.len().saturating_sub(TAIL);
        out.push(Table {
            title: format!(
                "Merged PRs per {BIN_DAYS} days (last {} of {} bins)",
                bins.len() - skip,
                bins.len()
            ),
            header: vec![
                "from".into(),
                "merged".into(),
                "average".into(),
                "first-time".into(),
                "average".into(),
            ],
            rows: bins
                .iter()
                .skip(skip)
                .map(|b| {
                    vec![
                        b.start.to_string(),
                        b.merged.to_string(),
                        number(b.merged_average),
                        b.first_time.to_string(),
                        number(b.first_time_average),
                    ]
                })
                .collect(),
        });
    }
    out.push(Table {
        title: "PRs open at least this long (survival)".into(),
        header: vec!["age".into(), "merged PRs".into(), "open PRs".into()],
        rows: report
            .pulls
            .lifetimes
            .survival
            .iter()
            .map(|p| vec![p.label.clone(), p.merged.to_string(), p.open.to_string()])
            .collect(),
    });
    if let Some(years) = report.pulls.mergeability.value() {
        out.push(Table {
            title: "Open PRs by year opened".into(),
            header: vec![
                "year".into(),
                "mergeable".into(),
                "conflicting".into(),
                "unknown".into(),
            ],
            rows: years
                .iter()
                .map(|y| {
                    vec![
                        y.year.to_string(),
                        y.mergeable.to_string(),
                        y.conflicting.to_string(),
                        y.unknown.to_string(),
                    ]
                })
                .collect(),
        });
    }
    if let Some(rows) = report.pulls.participants.value() {
        out.push(Table {
            title: "Lifetime of merged PRs by participants (hours)".into(),
            header: vec![
                "participants".into(),
                "PRs".into(),
                "lower quartile".into(),
                "median".into(),
                "upper quartile".into(),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.participants.clone(),
                        r.prs.to_string(),
                        number(r.lifetime_q1_hours),
                        number(r.lifetime_median_hours),
                        number(r.lifetime_q3_hours),
                    ]
                })
                .collect(),
        });
    }
    if let Some(months) = report.contributors.months.value() {
        let skip = months.len().saturating_sub(TAIL);
        let known = |v: Option<usize>| v.map_or("not yet".to_string(), |v| v.to_string());
        out.push(Table {
            title: format!(
                "New contributors per month (last {} of {})",
                months.len() - skip,
                months.len()
            ),
            header: vec![
                "month".into(),
                "new".into(),
                "back within 6 months".into(),
                "back within 12 months".into(),
            ],
            rows: months
                .iter()
                .skip(skip)
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.new.to_string(),
                        known(m.returned_6m),
                        known(m.returned_12m),
                    ]
                })
                .collect(),
        });
    }
    if let Some(spikes) = report.contributors.spikes.value()
        && !spikes.is_empty()
    {
        out.push(Table {
            title: "Spikes of newcomers (sprints)".into(),
            header: vec![
                "month".into(),
                "new".into(),
                "usual (median of 12 months before)".into(),
                "back within 6 months".into(),
                "lasting".into(),
            ],
            rows: spikes
                .iter()
                .map(|s| {
                    vec![
                        s.month.clone(),
                        s.new.to_string(),
                        number(s.baseline),
                        s.returned_6m_percent
                            .map_or("not yet".to_string(), |p| format!("{p:.0}%")),
                        match s.lasting {
                            Some(true) => "yes".to_string(),
                            Some(false) => "no".to_string(),
                            None => "not yet".to_string(),
                        },
                    ]
                })
                .collect(),
        });
    }
    out
}

fn pad(text: &str, width: usize) -> String {
    let length = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(length)))
}

/// The report as plain text for a terminal.
pub fn text(report: &HealthReport) -> String {
    let mut out = format!("Health of {}\n{}\n", report.repo, window_line(report));
    if !report.gaps.is_empty() {
        out.push_str("\nNot in the data:\n");
        for gap in &report.gaps {
            let _ = writeln!(out, "  {}: no {}", gap.metric, gap.missing);
        }
    }
    let facts = facts(report);
    let width = facts
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    let mut section = "";
    for fact in &facts {
        if fact.section != section {
            section = fact.section;
            let _ = writeln!(out, "\n{section}");
        }
        let _ = writeln!(out, "  {}  {}", pad(&fact.label, width), fact.value);
    }
    for table in tables(report) {
        let _ = writeln!(out, "\n{}", table.title);
        let widths: Vec<usize> = (0..table.header.len())
            .map(|i| {
                table
                    .rows
                    .iter()
                    .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                    .chain(std::iter::once(table.header[i].chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in std::iter::once(&table.header).chain(table.rows.iter()) {
            let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
            let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
        }
    }
    out
}

/// Escapes `|` in a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The report as GitHub-flavoured Markdown.
pub fn markdown(report: &HealthReport) -> String {
    let mut out = format!(
        "# Health of `{}`\n\n{}.\n",
        report.repo,
        window_line(report)
    );
    out = out.replacen("from", "From", 1);
    if !report.gaps.is_empty() {
        out.push_str("\n**Not in the data:**\n\n");
        for gap in &report.gaps {
            let _ = writeln!(out, "- {}: no {}", gap.metric, gap.missing);
        }
    }
    let mut section = "";
    for fact in facts(report) {
        if fact.section != section {
            section = fact.section;
            let _ = writeln!(out, "\n## {section}\n\n| | |\n|---|---|");
        }
        let _ = writeln!(out, "| {} | {} |", cell(&fact.label), cell(&fact.value));
    }
    for table in tables(report) {
        let _ = writeln!(out, "\n### {}\n", table.title);
        let _ = writeln!(
            out,
            "| {} |",
            table
                .header
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(out, "|{}", "---|".repeat(table.header.len()));
        for row in &table.rows {
            let _ = writeln!(
                out,
                "| {} |",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
    }
    out
}

/// The report as pretty-printed JSON: the whole struct, newline-terminated.
pub fn json(report: &HealthReport) -> String {
    let mut out =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

/// A fact as the page shows it.
#[derive(Serialize)]
struct FactView {
    label: String,
    value: String,
    unknown: bool,
}

/// A chart with its caption, or a note saying why there is none.
#[derive(Serialize)]
pub(crate) struct FigureView {
    /// The rendered chart (empty when there is a note instead).
    pub(crate) svg: Value,
    /// What the chart shows.
    pub(crate) caption: String,
    /// Why there is no chart.
    pub(crate) note: String,
}

impl FigureView {
    /// A drawn chart with its caption.
    pub(crate) fn chart(chart: &Chart, caption: &str) -> Result<FigureView, RenderError> {
        Ok(FigureView {
            svg: page::safe(chart.draw().svg()),
            caption: caption.to_string(),
            note: String::new(),
        })
    }

    /// A note instead of a chart: the data lacks the field, or the window holds nothing.
    fn missing(what: &str, not_in_data: bool) -> FigureView {
        let why = if not_in_data {
            NOT_IN_DATA
        } else {
            "nothing to show in this window"
        };
        FigureView {
            svg: Value::from(()),
            caption: String::new(),
            note: format!("{what}: {why}."),
        }
    }
}

/// A table as the page shows it.
#[derive(Serialize)]
struct TableView {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// One section of the page.
#[derive(Serialize)]
struct SectionView {
    id: String,
    name: &'static str,
    facts: Vec<FactView>,
    figures: Vec<FigureView>,
    tables: Vec<TableView>,
}

/// The whole page.
#[derive(Serialize)]
struct HealthPage {
    title: String,
    window: String,
    gaps: Vec<(String, String)>,
    sections: Vec<SectionView>,
}

/// A chart of bars over categories, one series.
fn category_bars(
    title: &str,
    x_title: &str,
    labels: Vec<String>,
    y: YAxis,
    name: &str,
    values: Vec<f64>,
) -> Chart {
    let tips = labels
        .iter()
        .zip(&values)
        .map(|(label, value)| format!("{label} — {name}: {}", y.quantity.format(*value)))
        .collect();
    Chart::new(
        title,
        XAxis::Categories {
            title: x_title.to_string(),
            labels,
        },
        y,
    )
    .grouped_bars(vec![(name.to_string(), values, tips)])
}

/// The issue charts.
fn issue_figures(report: &HealthReport) -> Result<Vec<FigureView>, RenderError> {
    let issues = &report.issues;
    let mut out = Vec::new();
    out.push(match &issues.lifetime_days {
        Measure::Value(bins) => {
            // The last bin gathers every issue open 30 days or more: say so on the axis.
            let labels = bins
                .iter()
                .map(|b| match b.label.strip_prefix('≥') {
                    Some(days) => format!("≥ {days} d"),
                    None => b.label.clone(),
                })
                .collect();
            FigureView::chart(
                &category_bars(
                    "Lifetime of closed issues",
                    "days open (whole days; the last bar: 30 days or more)",
                    labels,
                    YAxis::new("closed issues", Quantity::Count),
                    "closed issues",
                    bins.iter().map(|b| b.count as f64).collect(),
                ),
                "Issues opened in the window and closed, by whole days open.",
            )?
        }
        other => FigureView::missing("Lifetime of closed issues", other.is_not_in_data()),
    });
    out.push(match &issues.answered_within {
        Measure::Value(cutoffs) => FigureView::chart(
            &category_bars(
                "Issues answered within",
                "time to first response",
                cutoffs.iter().map(|c| c.label.clone()).collect(),
                YAxis {
                    scale: Some(chart::ScaleKind::Linear),
                    ..YAxis::new("share of issues a day old", Quantity::Percent)
                },
                "answered",
                cutoffs.iter().map(|c| c.percent).collect(),
            ),
            "Share of issues at least a day old whose first response came sooner.",
        )?,
        other => FigureView::missing("Time to first response", other.is_not_in_data()),
    });
    Ok(out)
}

/// Days since 1970 of a date, for a time axis.
fn day(date: Date) -> f64 {
    time::day_number(date)
}

/// The PR charts.
fn pull_figures(report: &HealthReport) -> Result<Vec<FigureView>, RenderError> {
    let pulls = &report.pulls;
    let mut out = Vec::new();
    match &pulls.merged_over_time {
        Measure::Value(bins) => {
            type Pick = fn(&agora_health::pulls::MergeBin) -> (usize, f64);
            let charts: [(&str, Pick); 2] = [
                ("Merged PRs, everyone", |b| (b.merged, b.merged_average)),
                ("Merged PRs, first-time contributors", |b| {
                    (b.first_time, b.first_time_average)
                }),
            ];
            for (title, pick) in charts {
                let width = BIN_DAYS as f64;
                let bars = bins
                    .iter()
                    .map(|b| {
                        let (count, _) = pick(b);
                        Datum::new(
                            day(b.start),
                            count as f64,
                            format!("{} — merged: {count}", b.start),
                        )
                    })
                    .collect();
                let average = bins
                    .iter()
                    .map(|b| {
                        let (_, mean) = pick(b);
                        Datum::new(
                            day(b.start) + width / 2.0,
                            mean,
                            format!("{} — 4-bin moving average: {}", b.start, number(mean)),
                        )
                    })
                    .collect();
                let chart = Chart::new(
                    title,
                    XAxis::Time {
                        title: format!("date ({BIN_DAYS}-day bins)"),
                    },
                    YAxis::new("merged PRs", Quantity::Count),
                )
                .layer("merged", Marks::Bars { width, data: bars })
                .layer(
                    "4-bin moving average",
                    Marks::Line {
                        dots: false,
                        data: average,
                    },
                );
                out.push(FigureView::chart(
                    &chart,
                    "PRs merged per 30-day bin, and the average over four bins.",
                )?);
            }
        }
        other => out.push(FigureView::missing(
            "Merged PRs over time",
            other.is_not_in_data(),
        )),
    }
    // Merged and open PRs differ by an order of magnitude: each gets its own axis.
    let survival = &pulls.lifetimes.survival;
    let labels: Vec<String> = survival.iter().map(|p| p.label.clone()).collect();
    for (title, name, values, caption) in [
        (
            "Merged PRs by time to merge",
            "merged PRs",
            survival.iter().map(|p| p.merged as f64).collect::<Vec<_>>(),
            "How many merged PRs took at least so long to merge.",
        ),
        (
            "Open PRs by age",
            "open PRs",
            survival.iter().map(|p| p.open as f64).collect(),
            "How many open PRs are at least so old.",
        ),
    ] {
        let data = values
            .iter()
            .zip(&labels)
            .enumerate()
            .map(|(i, (v, label))| {
                Datum::new(i as f64, *v, format!("at least {label} — {name}: {v}"))
            })
            .collect();
        let chart = Chart::new(
            title,
            XAxis::Categories {
                title: "open at least".into(),
                labels: labels.clone(),
            },
            YAxis::new(name, Quantity::Count),
        )
        .layer(name, Marks::Line { dots: true, data });
        out.push(FigureView::chart(&chart, caption)?);
    }
    out.push(match &pulls.merged_per_author {
        Measure::Value(bins) => FigureView::chart(
            &category_bars(
                "Authors by number of merged PRs",
                "merged PRs",
                bins.iter().map(|b| b.label.clone()).collect(),
                YAxis::new("authors", Quantity::Count),
                "authors",
                bins.iter().map(|b| b.count as f64).collect(),
            ),
            "How many authors have one, two, … merged PRs in the window.",
        )?,
        other => FigureView::missing("Authors by merged PRs", other.is_not_in_data()),
    });
    out.push(match &pulls.mergeability {
        Measure::Value(years) => {
            let labels: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
            type Pick = fn(&agora_health::pulls::MergeabilityBin) -> usize;
            let kinds: [(&str, Pick); 3] = [
                ("mergeable", |y| y.mergeable),
                ("conflicting", |y| y.conflicting),
                ("unknown", |y| y.unknown),
            ];
            let series = kinds
                .iter()
                .map(|(name, pick)| {
                    let values: Vec<f64> = years.iter().map(|y| pick(y) as f64).collect();
                    let tips = years
                        .iter()
                        .map(|y| format!("{} — {name}: {}", y.year, pick(y)))
                        .collect();
                    ((*name).to_string(), values, tips)
                })
                .collect();
            let chart = Chart::new(
                "Mergeability of open PRs",
                XAxis::Categories {
                    title: "year opened".into(),
                    labels,
                },
                YAxis::new("open PRs", Quantity::Count),
            )
            .grouped_bars(series);
            FigureView::chart(
                &chart,
                "Open PRs by the year they were opened and whether they merge cleanly.",
            )?
        }
        other => FigureView::missing("Mergeability of open PRs", other.is_not_in_data()),
    });
    out.push(match &pulls.participants {
        Measure::Value(rows) => {
            let data = rows
                .iter()
                .enumerate()
                .map(|(i, r)| RangeDatum {
                    x: i as f64,
                    low: r.lifetime_q1_hours,
                    middle: r.lifetime_median_hours,
                    high: r.lifetime_q3_hours,
                    tip: format!(
                        "{} participants: {} PRs, quartiles {} to {}, median {}",
                        r.participants,
                        r.prs,
                        Quantity::Hours.format(r.lifetime_q1_hours),
                        Quantity::Hours.format(r.lifetime_q3_hours),
                        Quantity::Hours.format(r.lifetime_median_hours)
                    ),
                })
                .collect();
            let chart = Chart::new(
                "Lifetime of merged PRs by participants",
                XAxis::Categories {
                    title: "participants".into(),
                    labels: rows.iter().map(|r| r.participants.clone()).collect(),
                },
                YAxis::new("time to merge", Quantity::Hours),
            )
            .layer("merged PRs", Marks::Ranges { width: 0.5, data });
            FigureView::chart(
                &chart,
                "Boxes span the middle half of the lifetimes; the bar is the median.",
            )?
        }
        other => FigureView::missing("Participants against lifetime", other.is_not_in_data()),
    });
    Ok(out)
}

/// The contributor charts.
fn contributor_figures(report: &HealthReport) -> Result<Vec<FigureView>, RenderError> {
    Ok(vec![match &report.contributors.months {
        Measure::Value(months) => {
            let start = |m: &str| {
                format!("{m}-01")
                    .parse::<Date>()
                    .map(day)
                    .unwrap_or(f64::NAN)
            };
            let width = 13.0;
            let new = months
                .iter()
                .map(|m| {
                    Datum::new(
                        start(&m.month),
                        m.new as f64,
                        format!("{} — new: {}", m.month, m.new),
                    )
                })
                .collect();
            let back = months
                .iter()
                .filter_map(|m| {
                    let returned = m.returned_6m?;
                    Some(Datum::new(
                        start(&m.month) + width,
                        returned as f64,
                        format!("{} — back within 6 months: {returned}", m.month),
                    ))
                })
                .collect();
            let chart = Chart::new(
                "New contributors per month",
                XAxis::Time {
                    title: "month of first merged PR".into(),
                },
                YAxis::new("contributors", Quantity::Count),
            )
            .layer("new", Marks::Bars { width, data: new })
            .layer("back within 6 months", Marks::Bars { width, data: back });
            FigureView::chart(
                &chart,
                "Months less than six months before the end show no returns yet: not known, not zero.",
            )?
        }
        other => FigureView::missing("New contributors per month", other.is_not_in_data()),
    }])
}

/// The report as one self-contained HTML page: inline CSS and SVG, no script, no network.
pub fn html(report: &HealthReport) -> Result<String, RenderError> {
    html_in(report, None)
}

/// Like [`html`], inside the portal's `frame` when given.
pub fn html_in(report: &HealthReport, frame: Option<&Frame>) -> Result<String, RenderError> {
    let facts = facts(report);
    let tables = tables(report);
    let mut sections = Vec::new();
    for name in ["Issues", "Pull requests", "Contributors"] {
        let (figures, wanted): (Vec<FigureView>, &[&str]) = match name {
            "Issues" => (issue_figures(report)?, &["Top first responders"]),
            "Pull requests" => (pull_figures(report)?, &["Top authors of merged PRs"]),
            _ => (
                contributor_figures(report)?,
                &["Spikes of newcomers (sprints)"],
            ),
        };
        sections.push(SectionView {
            id: name.to_lowercase().replace(' ', "-"),
            name,
            facts: facts
                .iter()
                .filter(|f| f.section == name)
                .map(|f| FactView {
                    label: f.label.clone(),
                    unknown: f.value == NOT_IN_DATA || f.value == NOTHING,
                    value: f.value.clone(),
                })
                .collect(),
            figures,
            tables: tables
                .iter()
                .filter(|t| wanted.contains(&t.title.as_str()))
                .map(|t| TableView {
                    title: t.title.clone(),
                    header: t.header.clone(),
                    rows: t.rows.clone(),
                })
                .collect(),
        });
    }
    page::render_in(
        "health.html",
        &HealthPage {
            title: format!("Health of {}", report.repo),
            window: window_line(report),
            gaps: report
                .gaps
                .iter()
                .map(|g| (g.metric.clone(), g.missing.clone()))
                .collect(),
            sections,
        },
        frame,
    )
}
