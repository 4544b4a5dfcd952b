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

use crate::svg::{self, Chart, Range, Series, escape, number};

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

/// The page's style sheet.
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}\
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left}\
td.n,th.n{text-align:right}.unknown{color:#a33;font-style:italic}.chart{max-width:100%;height:auto;display:block;margin:1rem 0}\
.gaps{background:#fff4e5;border:1px solid #f0c36d;padding:.5rem 1rem}figure{margin:1.5rem 0}figcaption{color:#555;font-size:.9rem}";

/// A value cell, marked when unknown.
fn value_cell(value: &str) -> String {
    if value == NOT_IN_DATA || value == NOTHING {
        format!(r#"<td class="unknown">{}</td>"#, escape(value))
    } else {
        format!("<td>{}</td>", escape(value))
    }
}

fn html_table(out: &mut String, table: &Table) {
    let _ = write!(
        out,
        "<table><caption>{}</caption><thead><tr>",
        escape(&table.title)
    );
    for h in &table.header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for c in row {
            let _ = write!(out, "<td>{}</td>", escape(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn figure(out: &mut String, svg: String, caption: &str) {
    let _ = write!(
        out,
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        escape(caption)
    );
}

fn unknown_note(out: &mut String, what: &str, measure_is_not_in_data: bool) {
    let why = if measure_is_not_in_data {
        NOT_IN_DATA
    } else {
        "nothing to show in this window"
    };
    let _ = write!(out, r#"<p class="unknown">{}: {why}.</p>"#, escape(what));
}

/// The issue charts.
fn issue_charts(out: &mut String, report: &HealthReport) {
    let issues = &report.issues;
    match &issues.lifetime_days {
        Measure::Value(bins) => figure(
            out,
            svg::chart(&Chart {
                title: "Lifetime of closed issues".into(),
                x_label: "days open".into(),
                y_label: "issues".into(),
                categories: bins.iter().map(|b| b.label.clone()).collect(),
                bars: vec![Series {
                    name: "closed issues".into(),
                    color: "#3182bd",
                    values: bins.iter().map(|b| b.count as f64).collect(),
                }],
                lines: Vec::new(),
                unit: String::new(),
            }),
            "Issues opened in the window and closed, by whole days open.",
        ),
        other => unknown_note(out, "Lifetime of closed issues", other.is_not_in_data()),
    }
    match &issues.answered_within {
        Measure::Value(cutoffs) => figure(
            out,
            svg::chart(&Chart {
                title: "Issues answered within".into(),
                x_label: "time to first response".into(),
                y_label: "% of issues a day old".into(),
                categories: cutoffs.iter().map(|c| c.label.clone()).collect(),
                bars: vec![Series {
                    name: "answered".into(),
                    color: "#31a354",
                    values: cutoffs.iter().map(|c| c.percent).collect(),
                }],
                lines: Vec::new(),
                unit: "%".into(),
            }),
            "Share of issues at least a day old whose first response came sooner.",
        ),
        other => unknown_note(out, "Time to first response", other.is_not_in_data()),
    }
}

/// The PR charts.
fn pull_charts(out: &mut String, report: &HealthReport) {
    let pulls = &report.pulls;
    match &pulls.merged_over_time {
        Measure::Value(bins) => {
            let categories: Vec<String> = bins.iter().map(|b| b.start.to_string()).collect();
            for (title, color, bars, average) in [
                (
                    "Merged PRs, everyone",
                    "#3182bd",
                    bins.iter().map(|b| b.merged as f64).collect::<Vec<_>>(),
                    bins.iter().map(|b| b.merged_average).collect::<Vec<_>>(),
                ),
                (
                    "Merged PRs, first-time contributors",
                    "#756bb1",
                    bins.iter().map(|b| b.first_time as f64).collect(),
                    bins.iter().map(|b| b.first_time_average).collect(),
                ),
            ] {
                figure(
                    out,
                    svg::chart(&Chart {
                        title: title.into(),
                        x_label: format!("{BIN_DAYS}-day bin starting"),
                        y_label: "merged PRs".into(),
                        categories: categories.clone(),
                        bars: vec![Series {
                            name: "merged".into(),
                            color,
                            values: bars,
                        }],
                        lines: vec![Series {
                            name: "4-bin moving average".into(),
                            color: "#e6550d",
                            values: average,
                        }],
                        unit: String::new(),
                    }),
                    "PRs merged per 30-day bin, and the average over four bins.",
                );
            }
        }
        other => unknown_note(out, "Merged PRs over time", other.is_not_in_data()),
    }
    let survival = &pulls.lifetimes.survival;
    figure(
        out,
        svg::chart(&Chart {
            title: "PR lifetime (survival)".into(),
            x_label: "open at least".into(),
            y_label: "PRs".into(),
            categories: survival.iter().map(|p| p.label.clone()).collect(),
            bars: Vec::new(),
            lines: vec![
                Series {
                    name: "merged PRs (time to merge)".into(),
                    color: "#3182bd",
                    values: survival.iter().map(|p| p.merged as f64).collect(),
                },
                Series {
                    name: "open PRs (age)".into(),
                    color: "#e6550d",
                    values: survival.iter().map(|p| p.open as f64).collect(),
                },
            ],
            unit: String::new(),
        }),
        "How many merged PRs took at least so long, and how many open PRs are at least so old.",
    );
    match &pulls.merged_per_author {
        Measure::Value(bins) => figure(
            out,
            svg::chart(&Chart {
                title: "Authors by number of merged PRs".into(),
                x_label: "merged PRs".into(),
                y_label: "authors".into(),
                categories: bins.iter().map(|b| b.label.clone()).collect(),
                bars: vec![Series {
                    name: "authors".into(),
                    color: "#3182bd",
                    values: bins.iter().map(|b| b.count as f64).collect(),
                }],
                lines: Vec::new(),
                unit: String::new(),
            }),
            "How many authors have one, two, … merged PRs in the window.",
        ),
        other => unknown_note(out, "Authors by merged PRs", other.is_not_in_data()),
    }
    match &pulls.mergeability {
        Measure::Value(years) => figure(
            out,
            svg::chart(&Chart {
                title: "Mergeability of open PRs".into(),
                x_label: "year opened".into(),
                y_label: "open PRs".into(),
                categories: years.iter().map(|y| y.year.to_string()).collect(),
                bars: vec![
                    Series {
                        name: "mergeable".into(),
                        color: "#31a354",
                        values: years.iter().map(|y| y.mergeable as f64).collect(),
                    },
                    Series {
                        name: "conflicting".into(),
                        color: "#de2d26",
                        values: years.iter().map(|y| y.conflicting as f64).collect(),
                    },
                    Series {
                        name: "unknown".into(),
                        color: "#969696",
                        values: years.iter().map(|y| y.unknown as f64).collect(),
                    },
                ],
                lines: Vec::new(),
                unit: String::new(),
            }),
            "Open PRs by the year they were opened and whether they merge cleanly.",
        ),
        other => unknown_note(out, "Mergeability of open PRs", other.is_not_in_data()),
    }
    match &pulls.participants {
        Measure::Value(rows) => figure(
            out,
            svg::ranges(
                "Lifetime of merged PRs by participants",
                "participants",
                "hours to merge",
                " h",
                &rows
                    .iter()
                    .map(|r| Range {
                        label: r.participants.clone(),
                        count: r.prs,
                        low: r.lifetime_q1_hours,
                        middle: r.lifetime_median_hours,
                        high: r.lifetime_q3_hours,
                    })
                    .collect::<Vec<_>>(),
            ),
            "Boxes span the middle half of the lifetimes; the bar is the median.",
        ),
        other => unknown_note(out, "Participants against lifetime", other.is_not_in_data()),
    }
}

/// The contributor charts.
fn contributor_charts(out: &mut String, report: &HealthReport) {
    match &report.contributors.months {
        Measure::Value(months) => figure(
            out,
            svg::chart(&Chart {
                title: "New contributors per month".into(),
                x_label: "month of first merged PR".into(),
                y_label: "contributors".into(),
                categories: months.iter().map(|m| m.month.clone()).collect(),
                bars: vec![
                    Series {
                        name: "new".into(),
                        color: "#3182bd",
                        values: months.iter().map(|m| m.new as f64).collect(),
                    },
                    Series {
                        name: "back within 6 months".into(),
                        color: "#31a354",
                        values: months
                            .iter()
                            .map(|m| m.returned_6m.unwrap_or(0) as f64)
                            .collect(),
                    },
                ],
                lines: Vec::new(),
                unit: String::new(),
            }),
            "Months less than six months before the end show no returns yet: not known, not zero.",
        ),
        other => unknown_note(out, "New contributors per month", other.is_not_in_data()),
    }
}

/// The report as one self-contained HTML page: inline CSS and SVG, no script, no network.
pub fn html(report: &HealthReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Health of {0}</title><style>{STYLE}</style></head><body><h1>Health of {0}</h1><p>{1}.</p>",
        escape(&report.repo),
        escape(&window_line(report))
    );
    if !report.gaps.is_empty() {
        out.push_str(r#"<div class="gaps"><strong>Not in the data:</strong><ul>"#);
        for gap in &report.gaps {
            let _ = write!(
                out,
                "<li>{}: no {}</li>",
                escape(&gap.metric),
                escape(&gap.missing)
            );
        }
        out.push_str("</ul></div>");
    }
    let facts = facts(report);
    let tables = tables(report);
    for section in ["Issues", "Pull requests", "Contributors"] {
        let id = section.to_lowercase().replace(' ', "-");
        let _ = write!(
            out,
            r#"<h2 id="{id}">{section}</h2><table class="facts"><tbody>"#
        );
        for fact in facts.iter().filter(|f| f.section == section) {
            let _ = write!(
                out,
                "<tr><th>{}</th>{}</tr>",
                escape(&fact.label),
                value_cell(&fact.value)
            );
        }
        out.push_str("</tbody></table>");
        match section {
            "Issues" => issue_charts(&mut out, report),
            "Pull requests" => pull_charts(&mut out, report),
            _ => contributor_charts(&mut out, report),
        }
        let wanted: &[&str] = match section {
            "Issues" => &["Top first responders"],
            "Pull requests" => &["Top authors of merged PRs"],
            _ => &["Spikes of newcomers (sprints)"],
        };
        for table in tables.iter().filter(|t| wanted.contains(&t.title.as_str())) {
            html_table(&mut out, table);
        }
    }
    out.push_str("<p><small>Generated by agora health. Hover over a bar or point for its value; <code>--format json</code> has every number.</small></p></body></html>\n");
    out
}
