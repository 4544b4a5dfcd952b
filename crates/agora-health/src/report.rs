//! The health report of one repository: options, window, and the three parts.
//!
//! [`HealthReport::compute`] fixes the window (`since`/`until`, and the moment ages are
//! measured at: `until`, else the newest timestamp in the data), then hands the dataset to
//! [`crate::issues`], [`crate::pulls`] and [`crate::contributors`]. Each part returns its
//! numbers plus the gaps it found (metrics it could not compute because a field is not in
//! the data). Every renderer works from this one struct.

use jiff::Timestamp;
use serde::Serialize;

use crate::contributors::{self, ContributorReport};
use crate::issues::{self, IssueReport};
use crate::model::Dataset;
use crate::pulls::{self, PullReport};

/// PR authors left out by default: devstats' list plus GitHub's own bots.
pub const DEFAULT_BOTS: &[&str] = &[
    "dependabot-preview",
    "dependabot[bot]",
    "github-actions",
    "github-actions[bot]",
    "meeseeksmachine",
    "pre-commit-ci[bot]",
];

/// Base branches whose PRs count: the development branch, under either name.
pub const DEFAULT_BRANCHES: &[&str] = &["main", "master"];

/// What to compute over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Only count items from this moment on (inclusive).
    pub since: Option<Timestamp>,
    /// Only count items before this moment (exclusive); also the moment ages are measured at.
    pub until: Option<Timestamp>,
    /// PR authors that are bots, left out of the PR and contributor metrics.
    pub bots: Vec<String>,
    /// Base branches whose PRs count.
    pub branches: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            since: None,
            until: None,
            bots: DEFAULT_BOTS.iter().map(|b| b.to_string()).collect(),
            branches: DEFAULT_BRANCHES.iter().map(|b| b.to_string()).collect(),
        }
    }
}

/// The time span a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First moment counted (inclusive); `None` for the beginning of the data.
    pub since: Option<Timestamp>,
    /// First moment not counted; `None` for the end of the data.
    pub until: Option<Timestamp>,
    /// The moment ages are measured at: `until`, else the newest timestamp in the data.
    pub as_of: Option<Timestamp>,
}

impl Window {
    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.since.is_none_or(|since| at >= since) && self.until.is_none_or(|until| at < until)
    }

    /// Whether `at` happened before the window's end (so it is part of the data as of then).
    pub fn before_end(&self, at: Timestamp) -> bool {
        self.until.is_none_or(|until| at < until)
    }
}

/// A metric the report could not compute, and the field it would need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The metric (or group of metrics) left unknown.
    pub metric: String,
    /// What the data lacks.
    pub missing: String,
}

impl Gap {
    /// A gap for `metric`, which needs `missing`.
    pub fn new(metric: &str, missing: &str) -> Gap {
        Gap {
            metric: metric.to_string(),
            missing: missing.to_string(),
        }
    }
}

/// A name with a count (top responders, top authors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedCount {
    /// A login (or `ghost` for deleted accounts).
    pub name: String,
    /// How many.
    pub count: usize,
}

/// One bar of a histogram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountBin {
    /// What the bar counts (`1`, `6–10`, `3 d`).
    pub label: String,
    /// How many fall into it.
    pub count: usize,
}

/// The health of one repository over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthReport {
    /// `owner/name`.
    pub repo: String,
    /// The span covered.
    pub window: Window,
    /// Metrics left unknown because the data lacks something.
    pub gaps: Vec<Gap>,
    /// Issues: opened, closed, lifetimes, first responses.
    pub issues: IssueReport,
    /// Pull requests: merged over time, lifetimes, authors, pony factor.
    pub pulls: PullReport,
    /// New contributors per month and whether they stay.
    pub contributors: ContributorReport,
}

impl HealthReport {
    /// Computes the report of `data` with `options`.
    pub fn compute(data: &Dataset, options: &Options) -> HealthReport {
        let window = Window {
            since: options.since,
            until: options.until,
            as_of: options.until.or_else(|| data.newest_timestamp()),
        };
        let mut gaps = Vec::new();
        let issues = issues::compute(&data.issues, &window, &mut gaps);
        let considered = pulls::filter(&data.pulls, options, &mut gaps);
        let pulls = pulls::compute(&considered, &window, &mut gaps);
        let contributors = contributors::compute(&considered.pulls, &window, &mut gaps);
        HealthReport {
            repo: data.repo.clone(),
            window,
            gaps,
            issues,
            pulls,
            contributors,
        }
    }
}

/// Hours between two moments (negative when `to` is earlier).
pub(crate) fn hours_between(from: Timestamp, to: Timestamp) -> f64 {
    (to.as_second() - from.as_second()) as f64 / 3600.0
}

/// Days between two moments (negative when `to` is earlier).
pub(crate) fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    hours_between(from, to) / 24.0
}

/// The `limit` largest counts, ties by name.
pub(crate) fn top_counts(
    counts: std::collections::HashMap<String, usize>,
    limit: usize,
) -> Vec<NamedCount> {
    let mut ranked: Vec<NamedCount> = counts
        .into_iter()
        .map(|(name, count)| NamedCount { name, count })
        .collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    ranked.truncate(limit);
    ranked
}
