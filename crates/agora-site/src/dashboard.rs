//! Views of the ecosystem dashboard ([`EcosystemSummary`]): an HTML page comparing every
//! project side by side (sparklines of merges, medians, pony factor) that links each
//! project's report, and the same table as text, Markdown and JSON.

use std::fmt::Write as _;

use agora_health::EcosystemSummary;
use agora_health::ecosystem::ProjectSummary;
use agora_health::measure::Measure;

use crate::health::{NOT_IN_DATA, STYLE, count, duration_from_days, duration_from_hours, real};
use crate::svg::{self, Chart, Series, escape};

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

/// The dashboard page: one row per project linking its report, sparklines and medians.
pub fn html(summary: &EcosystemSummary) -> String {
    let columns = columns();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Ecosystem health</title><style>{STYLE} body{{max-width:80rem}}</style></head><body><h1>Ecosystem health</h1><p>{} projects; each name links its full report, and <em>data</em> its JSON with every number. Sparklines: merged PRs per 30 days over the last two years.</p><table><thead><tr><th>project</th><th>merged PRs per 30 days</th>",
        summary.projects.len()
    );
    for (header, _) in &columns {
        let _ = write!(out, r#"<th class="n">{}</th>"#, escape(header));
    }
    out.push_str("</tr></thead><tbody>");
    for project in &summary.projects {
        let name = if project.has_data {
            format!(
                r#"<a href="{}">{}</a> <small>(<a href="{}">data</a>)</small>"#,
                escape(&project.report),
                escape(&project.repo),
                escape(&project.data)
            )
        } else {
            format!(
                r#"{} <span class="unknown">(no GitHub data in the store)</span>"#,
                escape(&project.repo)
            )
        };
        let spark = if project.sparkline.is_empty() {
            format!(r#"<span class="unknown">{NOT_IN_DATA}</span>"#)
        } else {
            svg::sparkline(&format!("{} merged PRs", project.repo), &project.sparkline)
        };
        let _ = write!(out, "<tr><td>{name}</td><td>{spark}</td>");
        for (_, cell) in &columns {
            let value = cell(project);
            let class = if value == NOT_IN_DATA || value == crate::health::NOTHING {
                "n unknown"
            } else {
                "n"
            };
            let _ = write!(out, r#"<td class="{class}">{}</td>"#, escape(&value));
        }
        out.push_str("</tr>");
    }
    out.push_str("<tr><th>median</th><td></td>");
    for value in medians(summary) {
        let _ = write!(
            out,
            r#"<td class="n"><strong>{}</strong></td>"#,
            escape(&value)
        );
    }
    out.push_str("</tr></tbody></table>");
    let known: Vec<&ProjectSummary> = summary
        .projects
        .iter()
        .filter(|p| matches!(p.pony_factor, Measure::Value(_)))
        .collect();
    if !known.is_empty() {
        out.push_str(&svg::chart(&Chart {
            title: "Pony factor by project".into(),
            x_label: "project".into(),
            y_label: "pony factor".into(),
            categories: known.iter().map(|p| p.repo.clone()).collect(),
            bars: vec![Series {
                name: "pony factor".into(),
                color: "#3182bd",
                values: known
                    .iter()
                    .map(|p| p.pony_factor.value().map_or(0.0, |v| *v as f64))
                    .collect(),
            }],
            lines: Vec::new(),
            unit: String::new(),
        }));
    }
    out.push_str("<p><small>Generated by agora health --all.</small></p></body></html>\n");
    out
}
