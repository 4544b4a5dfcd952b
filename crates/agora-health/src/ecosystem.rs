//! The ecosystem dashboard's model: one row per project, and the medians across them.
//!
//! [`EcosystemSummary::from_reports`] takes the health report of every project of
//! `agora.toml` (or `None` for a project with no GitHub data in the store) and keeps the
//! numbers the dashboard compares: merges, authors, pony factor, response and merge times,
//! newcomers, and the last two years of 30-day merge counts for a sparkline.

use serde::Serialize;

use crate::measure::{Measure, median};
use crate::report::HealthReport;

/// How many 30-day bins a sparkline shows (about two years).
pub const SPARKLINE_BINS: usize = 24;

/// One project's row on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectSummary {
    /// `owner/name`.
    pub repo: String,
    /// The file name of its report, beside the dashboard.
    pub report: String,
    /// The file name of its report's JSON (every number), beside the dashboard.
    pub data: String,
    /// Whether the store has GitHub data for it.
    pub has_data: bool,
    /// PRs merged in the window.
    pub merged: Measure<usize>,
    /// Unique authors of merged PRs.
    pub unique_authors: Measure<usize>,
    /// Percentage of fly-by authors.
    pub flyby_percent: Measure<f64>,
    /// Pony factor.
    pub pony_factor: Measure<usize>,
    /// Median hours to the first response on an issue.
    pub response_median_hours: Measure<f64>,
    /// Median days to close an issue.
    pub issue_close_median_days: Measure<f64>,
    /// Median days to merge a PR.
    pub merge_median_days: Measure<f64>,
    /// Newcomers of the last six months.
    pub newcomers_last_six_months: Measure<usize>,
    /// 6-month retention of newcomers, percent.
    pub retention_6m_percent: Measure<f64>,
    /// Merged PRs in the last 30-day bins (oldest first), for the sparkline.
    pub sparkline: Vec<usize>,
}

/// Medians across the projects that have data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EcosystemMedians {
    /// Median pony factor.
    pub pony_factor: Measure<f64>,
    /// Median of the projects' median response hours.
    pub response_median_hours: Measure<f64>,
    /// Median of the projects' median days to merge.
    pub merge_median_days: Measure<f64>,
    /// Median of the projects' median days to close an issue.
    pub issue_close_median_days: Measure<f64>,
    /// Median merged PRs.
    pub merged: Measure<f64>,
}

/// The dashboard: every project side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EcosystemSummary {
    /// One row per project, in `agora.toml`'s order.
    pub projects: Vec<ProjectSummary>,
    /// Medians across projects with data.
    pub medians: EcosystemMedians,
}

/// The file name of `repo`'s report: `owner-name.html`.
pub fn report_file_name(repo: &str) -> String {
    format!("{}.html", file_stem(repo))
}

/// The file name of `repo`'s report data: `owner-name.json`.
pub fn data_file_name(repo: &str) -> String {
    format!("{}.json", file_stem(repo))
}

/// `repo` as a file name stem: `owner-name`.
fn file_stem(repo: &str) -> String {
    let safe: String = repo
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    safe
}

/// The median of the known values among `values`.
fn median_of(values: impl Iterator<Item = Option<f64>>) -> Measure<f64> {
    let known: Vec<f64> = values.flatten().collect();
    Measure::from_option(median(&known))
}

impl ProjectSummary {
    /// The row of a project the store has no data for.
    pub fn without_data(repo: &str) -> ProjectSummary {
        ProjectSummary {
            repo: repo.to_string(),
            report: report_file_name(repo),
            data: data_file_name(repo),
            has_data: false,
            merged: Measure::NotInData,
            unique_authors: Measure::NotInData,
            flyby_percent: Measure::NotInData,
            pony_factor: Measure::NotInData,
            response_median_hours: Measure::NotInData,
            issue_close_median_days: Measure::NotInData,
            merge_median_days: Measure::NotInData,
            newcomers_last_six_months: Measure::NotInData,
            retention_6m_percent: Measure::NotInData,
            sparkline: Vec::new(),
        }
    }

    /// The row of a project from its report.
    pub fn from_report(report: &HealthReport) -> ProjectSummary {
        let pulls = &report.pulls;
        let sparkline = match &pulls.merged_over_time {
            Measure::Value(bins) => bins
                .iter()
                .skip(bins.len().saturating_sub(SPARKLINE_BINS))
                .map(|b| b.merged)
                .collect(),
            _ => Vec::new(),
        };
        ProjectSummary {
            repo: report.repo.clone(),
            report: report_file_name(&report.repo),
            data: data_file_name(&report.repo),
            has_data: true,
            merged: Measure::Value(pulls.merged),
            unique_authors: pulls.unique_authors.clone(),
            flyby_percent: pulls.flyby_percent.clone(),
            pony_factor: pulls.pony_factor.clone(),
            response_median_hours: report.issues.response_median_hours.clone(),
            issue_close_median_days: report.issues.time_to_close_median_days.clone(),
            merge_median_days: pulls.lifetimes.merged_median_days.clone(),
            newcomers_last_six_months: report.contributors.last_six_months.clone().map(|r| r.new),
            retention_6m_percent: report.contributors.retention_6m_percent.clone(),
            sparkline,
        }
    }
}

impl EcosystemSummary {
    /// The dashboard of `projects`: each a repo with its report, if the store has data.
    pub fn from_reports(projects: &[(String, Option<HealthReport>)]) -> EcosystemSummary {
        let rows: Vec<ProjectSummary> = projects
            .iter()
            .map(|(repo, report)| match report {
                Some(report) => ProjectSummary::from_report(report),
                None => ProjectSummary::without_data(repo),
            })
            .collect();
        let medians = EcosystemMedians {
            pony_factor: median_of(
                rows.iter()
                    .map(|r| r.pony_factor.value().map(|v| *v as f64)),
            ),
            response_median_hours: median_of(
                rows.iter()
                    .map(|r| r.response_median_hours.value().copied()),
            ),
            merge_median_days: median_of(rows.iter().map(|r| r.merge_median_days.value().copied())),
            issue_close_median_days: median_of(
                rows.iter()
                    .map(|r| r.issue_close_median_days.value().copied()),
            ),
            merged: median_of(rows.iter().map(|r| r.merged.value().map(|v| *v as f64))),
        };
        EcosystemSummary {
            projects: rows,
            medians,
        }
    }
}
