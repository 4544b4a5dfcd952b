//! What the portal shows, as plain data: the contract between `agora portal build` (which
//! gathers it from the store and `agora.toml`) and the portal's templates.
//!
//! Two kinds of data: a [`Tile`] per project is small, serialisable both ways and kept
//! between builds, so the home page and the ecosystem tables can be rebuilt from the tiles
//! of projects whose data did not change without reading their data again; a
//! [`ProjectDetail`] holds the full domain models a project's own pages need (its health
//! report, its review, its wheel matrix, its benchmark analysis) and is built only for
//! projects whose inputs changed. Every number is computed before it gets here: the templates
//! only format.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Data for one capability of one project, or why there is none, said once in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Section<T> {
    /// The capability has data for the project.
    Known {
        /// The data.
        value: T,
    },
    /// It has none; `why` says so in words ("no benchmark results have been ingested").
    Missing {
        /// Why there is nothing to show, and what would bring it.
        why: String,
    },
}

impl<T> Section<T> {
    /// The data, if known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Section::Known { value } => Some(value),
            Section::Missing { .. } => None,
        }
    }

    /// A missing section with its reason.
    pub fn missing(why: impl Into<String>) -> Section<T> {
        Section::Missing { why: why.into() }
    }
}

/// A project's summary: its tile on the home page and its row in every ecosystem table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tile {
    /// The project's name in `agora.toml`.
    pub name: String,
    /// The folder of its pages under `projects/` (lower-case, URL-safe).
    pub slug: String,
    /// Its PyPI name.
    pub pypi: String,
    /// `owner/name` on GitHub.
    pub repo: Option<String>,
    /// Its documentation's address.
    pub docs: Option<String>,
    /// `core` or `other`, as in `agora.toml`.
    pub role: String,
    /// The newest release on PyPI.
    pub release: Section<ReleaseSummary>,
    /// Its floors against SPEC 0 on the build date.
    pub spec0: Section<Spec0Summary>,
    /// Its best-practice review.
    pub review: Section<ReviewSummary>,
    /// Wheels of its newest release for the newest CPythons.
    pub wheels: Section<WheelSummary>,
    /// Its benchmark regressions.
    pub bench: Section<BenchSummary>,
    /// Its health headline.
    pub health: Section<HealthSummary>,
}

/// The newest release of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseSummary {
    /// Its version.
    pub version: String,
    /// When its first file was uploaded.
    pub released: Option<Timestamp>,
    /// Its `Requires-Python`, when the index gives one.
    pub requires_python: Option<String>,
    /// How many releases the index lists.
    pub releases: usize,
}

/// A project's floors against SPEC 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec0Summary {
    /// What the floors were read from ("pyproject.toml of the checkout", "Requires-Python of 2.3.0").
    pub source: String,
    /// `true` when every floor follows SPEC 0 on the build date.
    pub follows: bool,
    /// One line per floor: what is declared, what SPEC 0 asks, what to do.
    pub findings: Vec<Spec0Finding>,
}

/// One declared floor against SPEC 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec0Finding {
    /// `python` or the package.
    pub package: String,
    /// What the project declares (`>=3.10`), or "none".
    pub declared: String,
    /// The minimum SPEC 0 puts in force on the build date.
    pub minimum: String,
    /// `ok`, `below policy` …, as `agora schedule check` labels it.
    pub status: String,
    /// `true` when the status asks for action.
    pub needs_action: bool,
}

/// A project's review in numbers, with the failed checks named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSummary {
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed.
    pub failed: usize,
    /// Checks skipped (not applicable, ignored).
    pub skipped: usize,
    /// The failed checks: code and name.
    pub failures: Vec<(String, String)>,
}

/// Wheel coverage of a project's newest release for the newest CPythons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WheelSummary {
    /// The release looked at.
    pub version: String,
    /// `true` for a pure-Python (or abi3-only) release: every CPython is covered.
    pub pure: bool,
    /// One entry per CPython looked at (newest regular and free-threaded).
    pub pythons: Vec<WheelPython>,
}

/// Coverage of one CPython by a release's wheels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WheelPython {
    /// `3.14` or `3.14t`.
    pub python: String,
    /// Platforms with a wheel for it (`manylinux x86_64`, …).
    pub covered: Vec<String>,
    /// Platforms of the matrix without one.
    pub missing: Vec<String>,
}

/// A project's benchmark regressions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchSummary {
    /// Benchmarks (series) analysed.
    pub series: usize,
    /// The regressions still open (latest level worse than the best), worst first.
    pub regressions: Vec<RegressionSummary>,
}

/// One open regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionSummary {
    /// The benchmark.
    pub benchmark: String,
    /// Its parameters as `name = value` pairs, when it has some.
    pub params: Vec<(String, String)>,
    /// The machine.
    pub machine: Option<String>,
    /// How many times slower (or larger) the latest level is than the best.
    pub factor: Option<f64>,
    /// The commit the step was found at (full hash).
    pub commit: Option<String>,
    /// Its address on GitHub, when the repository is known.
    pub commit_url: Option<String>,
    /// When that commit's results were taken.
    pub at: Option<Timestamp>,
    /// The page of the series' chart, relative to the site root.
    pub page: String,
}

/// A project's health headline (devstats' definitions; `None` where the data has no value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthSummary {
    /// Start of the window.
    pub since: Option<Timestamp>,
    /// End of the window.
    pub until: Option<Timestamp>,
    /// PRs merged in the window.
    pub merged: Option<usize>,
    /// PRs opened in the window and still open.
    pub open: Option<usize>,
    /// Median hours to the first response on an issue.
    pub response_median_hours: Option<f64>,
    /// Median days to merge a PR.
    pub merge_median_days: Option<f64>,
    /// Median days to close an issue.
    pub issue_close_median_days: Option<f64>,
    /// Pony factor.
    pub pony_factor: Option<usize>,
    /// Unique authors of merged PRs.
    pub unique_authors: Option<usize>,
    /// Merged PRs per 30-day bin, oldest first.
    pub sparkline: Vec<usize>,
}

/// The full models behind one project's own pages.
pub struct ProjectDetail<'a> {
    /// The project's tile.
    pub tile: &'a Tile,
    /// Its health report, when the store has its GitHub data.
    pub health: Part<&'a agora_health::report::HealthReport>,
    /// Its review, when `agora.toml` names a checkout.
    pub review: Part<&'a agora_review::Report>,
    /// Its wheel coverage (newest release), when the store has its PyPI data.
    pub wheels: Part<&'a agora_wheels::WheelsReport>,
    /// Its benchmark dashboard, when results have been ingested.
    pub bench: Part<crate::bench::Site<'a>>,
}

/// One capability's pages of a project: to render now from its model, or kept from an earlier
/// build whose inputs for it were the same (its files are on disk and only the project's own
/// index page, which links them, is rendered again), or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<T> {
    /// Render the pages from this model.
    Render(T),
    /// The pages of an earlier build stand: link them, render nothing.
    Kept,
    /// No model and no pages.
    Absent,
}

impl<T> Part<T> {
    /// `Render(model)` for `Some`, `Absent` for `None`.
    pub fn from_option(model: Option<T>) -> Part<T> {
        model.map_or(Part::Absent, Part::Render)
    }

    /// Whether the part has pages, new or kept.
    pub fn is_present(&self) -> bool {
        !matches!(self, Part::Absent)
    }

    /// The same part over a reference to the model.
    pub fn as_ref(&self) -> Part<&T> {
        match self {
            Part::Render(model) => Part::Render(model),
            Part::Kept => Part::Kept,
            Part::Absent => Part::Absent,
        }
    }

    /// The same part over a mutable reference to the model.
    pub fn as_mut(&mut self) -> Part<&mut T> {
        match self {
            Part::Render(model) => Part::Render(model),
            Part::Kept => Part::Kept,
            Part::Absent => Part::Absent,
        }
    }

    /// The same part over `f(model)`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Part<U> {
        match self {
            Part::Render(model) => Part::Render(f(model)),
            Part::Kept => Part::Kept,
            Part::Absent => Part::Absent,
        }
    }
}

/// A medians row over projects; a median over fewer than three projects is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Medians {
    /// Median of the projects' merged PRs.
    pub merged: Option<f64>,
    /// Median of the projects' median first-response hours.
    pub response_median_hours: Option<f64>,
    /// Median of the projects' median days to merge.
    pub merge_median_days: Option<f64>,
    /// Median of the projects' pony factors.
    pub pony_factor: Option<f64>,
}

/// Something that changed, for the Atom feed and the home page's "recent" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `release`, `regression` or `spec0`.
    pub kind: String,
    /// The project, or the ecosystem for SPEC 0 drops.
    pub project: String,
    /// One line: "numpy 2.4.0 released", "time_get 1.8× slower at 3f2a1c0".
    pub title: String,
    /// When it happened.
    pub at: Timestamp,
    /// The page about it, relative to the site root.
    pub page: String,
}

/// Everything the portal's shared pages show.
#[derive(Debug, Clone, Serialize)]
pub struct PortalView<'a> {
    /// The ecosystem's name (`agora.toml`).
    pub ecosystem: &'a str,
    /// The day the portal was built for.
    pub as_of: Date,
    /// `agora X.Y.Z`.
    pub generator: &'a str,
    /// Every project's tile, in `agora.toml`'s order.
    pub tiles: &'a [Tile],
    /// The ecosystem's medians.
    pub medians: &'a Medians,
    /// The SPEC 0 schedule on the build date, when the store has release data.
    pub schedule: Option<&'a agora_schedule::Schedule>,
    /// Wheel coverage of every project's newest release, and readiness per CPython.
    pub wheels: Option<&'a agora_wheels::WheelsReport>,
    /// Recent changes, newest first.
    pub changes: &'a [Change],
}
