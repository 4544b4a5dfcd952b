//! The result of reviewing one repository: one model, rendered by [`crate::render`].
//!
//! A [`Report`] holds every family (with its per-repository description) and the reported
//! checks in display order (family order, family key, code), each with its [`Outcome`].
//! [`Status`] and [`Report::exit_code`] follow repo-review: `errors` (3) as soon as one check
//! failed, `empty` (2) when nothing was reported, otherwise `passed` or `skips` (0).

use std::path::PathBuf;

use crate::check::Outcome;

/// A family as shown in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyReport {
    /// The family key (`general`, `pre-commit`, …).
    pub key: &'static str,
    /// The display name.
    pub name: &'static str,
    /// The sort order (lower first).
    pub order: i32,
    /// A per-repository description (markdown), for the families that have one.
    pub description: Option<String>,
    /// When the family shows up, if it is conditional.
    pub readme_note: Option<&'static str>,
}

/// One reported check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The code (`PY001`).
    pub code: &'static str,
    /// The family key.
    pub family: &'static str,
    /// The one-line description.
    pub description: &'static str,
    /// The guide URL, or empty.
    pub url: &'static str,
    /// Pass, fail with a message, or skip with a reason.
    pub outcome: Outcome,
}

/// The overall status, as repo-review names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every reported check passed.
    Passed,
    /// Nothing failed, something was skipped.
    Skips,
    /// At least one check failed.
    Errors,
    /// No check was reported.
    Empty,
}

impl Status {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Skips => "skips",
            Status::Errors => "errors",
            Status::Empty => "empty",
        }
    }
}

/// The review of one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// A short name for the repository (its directory name).
    pub name: String,
    /// The repository root that was reviewed.
    pub root: PathBuf,
    /// Every family, in display order.
    pub families: Vec<FamilyReport>,
    /// The reported checks, in display order.
    pub checks: Vec<CheckReport>,
}

impl Report {
    /// The overall status.
    pub fn status(&self) -> Status {
        if self.checks.is_empty() {
            return Status::Empty;
        }
        if self
            .checks
            .iter()
            .any(|c| matches!(c.outcome, Outcome::Fail(_)))
        {
            return Status::Errors;
        }
        if self
            .checks
            .iter()
            .any(|c| matches!(c.outcome, Outcome::Skip(_)))
        {
            return Status::Skips;
        }
        Status::Passed
    }

    /// The process exit code repo-review uses: 3 failures, 2 nothing checked, 0 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self.status() {
            Status::Errors => 3,
            Status::Empty => 2,
            Status::Passed | Status::Skips => 0,
        }
    }

    /// The reported check with this code.
    pub fn get(&self, code: &str) -> Option<&CheckReport> {
        self.checks.iter().find(|c| c.code == code)
    }

    /// The failed checks' codes by the `pyproject.toml` table that can ignore them:
    /// sp-repo-review's codes in `[tool.repo-review]` (which repo-review reads too), agora's
    /// own family in `[tool.agora.review]` (read only by agora), each in report order.
    pub fn failed_codes_by_table(&self) -> Vec<(&'static str, Vec<&'static str>)> {
        let failed = |agora: bool| -> Vec<&'static str> {
            self.checks
                .iter()
                .filter(|c| matches!(c.outcome, Outcome::Fail(_)))
                .filter(|c| (c.family == "agora") == agora)
                .map(|c| c.code)
                .collect()
        };
        [
            ("tool.repo-review", failed(false)),
            ("tool.agora.review", failed(true)),
        ]
        .into_iter()
        .filter(|(_, codes)| !codes.is_empty())
        .collect()
    }

    /// Counts of (passed, failed, skipped) checks.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for c in &self.checks {
            match c.outcome {
                Outcome::Pass => counts.0 += 1,
                Outcome::Fail(_) => counts.1 += 1,
                Outcome::Skip(_) => counts.2 += 1,
            }
        }
        counts
    }
}
