//! Views of the ecosystem dashboard ([`EcosystemSummary`]): an HTML page comparing every
//! project side by side (sparklines of merges, medians, pony factor) that links each
//! project's report, and the same table as text, Markdown and JSON.

use std::fmt::Write as _;

use agora_health::EcosystemSummary;
use agora_health::ecosystem::ProjectSummary;
use agora_health::measure::Measure;

use minijinja::Value;
use serde::Serialize;

use crate::chart::{self, Chart, Quantity, XAxis, YAxis};
use crate::health::{
    FigureView, NOT_IN_DATA, NOTHING, count, duration_from_days, duration_from_hours, real,
};
use crate::page::{self, RenderError};

/// The columns of the table: header and the cell of a row.
fn columns() -> [Column; 9] {
    [
        ("merged PRs", |p| count(&p.merged)),
        ("authors", |p| count(&p.unique_authors)),
        ("fly-by", |p| real(&p.flyby_percent, "%")),
        ("pony factor", |p| count(&p.pony_factor)),
        ("first response", |p| {
            duration_from_hours(&p.response_median_hours)
        }),
        ("issue closed in", |p| {
            duration_from_days(&p.issue_close_median_days)
        }),
        ("PR merged in", |p| duration_from_days(&p.merge_median_days)),
        ("newcomers, 6 months", |p| {
            count(&p.newcomers_last_six_months)
        }),
        ("retained at 6 months", |p| {
            real(&p.retention_6m_percent, "%")
        }),
    ]
}

/// A column: its header and how to fill a row's cell.
type Column = (&'static str, fn(&ProjectSummary) -> String);

/// The medians row.
fn medians(summary: &EcosystemSummary) -> Vec<String> {
    let m = &summary.medians;
    vec![
        real(&m.merged, ""),
        String::new(),
        String::new(),
        real(&m.pony_factor, ""),
        duration_from_hours(&m.response_median_hours),
        duration_from_days(&m.issue_close_median_days),
        duration_from_days(&m.merge_median_days),
        String::new(),
        String::new(),
    ]
}

/// The dashboard as plain text.
pub fn text(summary: &EcosystemSummary) -> String {
    let columns = columns();
    let mut rows: Vec<Vec<String>> = vec![
        std::iter::once("project".to_string())
            .chain(columns.iter().map(|(h, _)| h.to_string()))
            .collect(),
    ];
    for project in &summary.projects {
        rows.push(
            std::iter::once(project.repo.clone())
                .chain(columns.iter().map(|(_, f)| f(project)))
                .collect(),
        );
    }
    rows.push(
        std::iter::once("median".to_string())
            .chain(medians(summary))
            .collect(),
    );
    let widths: Vec<usize> = (0..=columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}

/// The dashboard as a Markdown table linking the reports.
pub fn markdown(summary: &EcosystemSummary) -> String {
    let columns = columns();
    let mut out = String::from("# Ecosystem health\n\n| project |");
    for (header, _) in &columns {
        let _ = write!(out, " {header} |");
    }
    let _ = writeln!(out, "\n|{}", "---|".repeat(columns.len() + 1));
    for project in &summary.projects {
        if project.has_data {
            let _ = write!(out, "| [{}]({}) |", project.repo, project.report);
        } else {
            let _ = write!(out, "| {} (no GitHub data) |", project.repo);
        }
        for (_, cell) in &columns {
            let _ = write!(out, " {} |", cell(project));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "| median | {} |", medians(summary).join(" | "));
    out
}

/// The dashboard as pretty-printed JSON, newline-terminated.
pub fn json(summary: &EcosystemSummary) -> String {
    let mut out =
        serde_json::to_string_pretty(summary).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

/// A cell of the dashboard's table.
#[derive(Serialize)]
struct CellView {
    text: String,
    unknown: bool,
}

/// A row of the dashboard's table.
#[derive(Serialize)]
struct RowView {
    repo: String,
    report: String,
    data: String,
    has_data: bool,
    sparkline: Value,
    cells: Vec<CellView>,
}

/// The dashboard page.
#[derive(Serialize)]
struct DashboardPage {
    title: &'static str,
    wide: bool,
    headers: Vec<&'static str>,
    rows: Vec<RowView>,
    medians: Vec<String>,
    figures: Vec<FigureView>,
}

/// The dashboard page: one row per project linking its report, sparklines and medians.
pub fn html(summary: &EcosystemSummary) -> Result<String, RenderError> {
    let columns = columns();
    let mut rows = Vec::new();
    for project in &summary.projects {
        let sparkline = if project.sparkline.is_empty() {
            Value::from(())
        } else {
            page::safe(
                chart::sparkline(&format!("{} merged PRs", project.repo), &project.sparkline).svg(),
            )
        };
        rows.push(RowView {
            repo: project.repo.clone(),
            report: project.report.clone(),
            data: project.data.clone(),
            has_data: project.has_data,
            sparkline,
            cells: columns
                .iter()
                .map(|(_, cell)| {
                    let text = cell(project);
                    CellView {
                        unknown: text == NOT_IN_DATA || text == NOTHING,
                        text,
                    }
                })
                .collect(),
        });
    }
    let known: Vec<&ProjectSummary> = summary
        .projects
        .iter()
        .filter(|p| matches!(p.pony_factor, Measure::Value(_)))
        .collect();
    let mut figures = Vec::new();
    if !known.is_empty() {
        let values: Vec<f64> = known
            .iter()
            .map(|p| p.pony_factor.value().map_or(0.0, |v| *v as f64))
            .collect();
        let tips = known
            .iter()
            .zip(&values)
            .map(|(p, v)| format!("{} — pony factor: {v}", p.repo))
            .collect();
        let chart = Chart::new(
            "Pony factor by project",
            XAxis::Categories {
                title: "project".into(),
                labels: known.iter().map(|p| p.repo.clone()).collect(),
            },
            YAxis::new("pony factor", Quantity::Count),
        )
        .grouped_bars(vec![("pony factor".into(), values, tips)]);
        figures.push(FigureView::chart(
            &chart,
            "The fewest authors who merged half of the PRs in the window.",
        )?);
    }
    page::render(
        "dashboard.html",
        &DashboardPage {
            title: "Ecosystem health",
            wide: true,
            headers: columns.iter().map(|(h, _)| *h).collect(),
            rows,
            medians: medians(summary),
            figures,
        },
    )
}
