//! SPEC 0: which Python and core-package releases a scientific-Python project may stop
//! supporting, and when.
//!
//! The computation follows the one that publishes SPEC 0's table (scientific-python/specs):
//! every feature release of a core package is supported for 365×2 days after its release,
//! every Python X.Y for 365×3 days. [`Schedule::compute`] takes the releases of each package
//! (already narrowed to final feature releases with their earliest upload time, see
//! [`is_feature_release`]) and a date; it keeps the releases whose drop date falls after the
//! cutoff (the start of the date's quarter, minus nine months), groups them by the calendar
//! quarter of their drop date, and leaves out the earliest quarter of that grouping, whose
//! content depends on where in the quarter the cutoff fell. [`render`] turns a schedule into
//! the published formats; [`check`] compares a project's declared floors with the policy.

pub mod check;
pub mod pyproject;
mod quarter;
pub mod render;
mod serde_version;

pub use quarter::Quarter;

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use pep440_rs::Version;

/// Days a Python X.Y stays supported after its X.Y.0 release.
pub const PYTHON_SUPPORT_DAYS: i64 = 365 * 3;
/// Days a core package's feature release stays supported after its release.
pub const PACKAGE_SUPPORT_DAYS: i64 = 365 * 2;

/// The name under which Python itself appears in a schedule.
pub const PYTHON: &str = "python";

/// Whether SPEC 0 counts `version` as a feature release: not a pre- or dev release, micro 0
/// (`2.1.0`, and `3.2` where a project spells two components).
pub fn is_feature_release(version: &Version) -> bool {
    !version.any_prerelease() && version.release().get(2).copied().unwrap_or(0) == 0
}

/// One release that SPEC 0 tracks, with the moment it appeared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The version, as PEP 440 normalizes it (`2.1.0`, `2024.7.0`, `3.12`).
    pub version: Version,
    /// The earliest upload time of any of the release's files (UTC); for Python, midnight of
    /// the X.Y.0 release date.
    pub released: Timestamp,
}

/// The feature releases of one package (or of Python) and how long each is supported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageReleases {
    /// The package's name as the schedule prints it (`numpy`, `python`).
    pub name: String,
    /// Days each release stays supported ([`PACKAGE_SUPPORT_DAYS`] or [`PYTHON_SUPPORT_DAYS`]).
    pub support_days: i64,
    /// The feature releases, in any order.
    pub releases: Vec<Release>,
}

impl PackageReleases {
    /// A core package's releases, supported for [`PACKAGE_SUPPORT_DAYS`].
    pub fn package(name: impl Into<String>, releases: Vec<Release>) -> Self {
        Self {
            name: name.into(),
            support_days: PACKAGE_SUPPORT_DAYS,
            releases,
        }
    }

    /// Python's X.Y.0 releases, supported for [`PYTHON_SUPPORT_DAYS`].
    pub fn python(releases: Vec<Release>) -> Self {
        Self {
            name: PYTHON.to_string(),
            support_days: PYTHON_SUPPORT_DAYS,
            releases,
        }
    }

    /// The moment `release` stops being supported.
    pub fn drop_time(&self, release: &Release) -> Timestamp {
        release
            .released
            .saturating_add(SignedDuration::from_hours(24 * self.support_days))
            .unwrap_or(Timestamp::MAX)
    }

    /// The releases sorted by version, each with its drop time.
    pub fn windows(&self) -> Vec<SupportWindow> {
        let mut windows: Vec<SupportWindow> = self
            .releases
            .iter()
            .map(|release| SupportWindow {
                package: self.name.clone(),
                version: release.version.clone(),
                released: release.released,
                drops: self.drop_time(release),
            })
            .collect();
        windows.sort_by(|a, b| a.version.cmp(&b.version));
        windows.dedup_by(|a, b| a.version == b.version);
        windows
    }

    /// The lowest version a project may still be required to support at `at`: the release
    /// that follows the newest one whose drop time has passed. `None` when nothing can be
    /// dropped yet, or when every known release can.
    pub fn minimum_supported(&self, at: Timestamp) -> Option<Version> {
        let windows = self.windows();
        let newest_dropped = windows
            .iter()
            .filter(|w| w.drops <= at)
            .map(|w| &w.version)
            .max();
        match newest_dropped {
            None => windows.first().map(|w| w.version.clone()),
            Some(dropped) => windows
                .iter()
                .find(|w| &w.version > dropped)
                .map(|w| w.version.clone()),
        }
    }
}

/// One release's support window: from its release to the moment support may end.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SupportWindow {
    /// The package (or `python`).
    pub package: String,
    /// The release.
    #[serde(serialize_with = "crate::serde_version::display")]
    pub version: Version,
    /// When it was released.
    pub released: Timestamp,
    /// When its support ends.
    pub drops: Timestamp,
}

/// What one package drops in one quarter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackageDrop {
    /// The package (or `python`).
    pub package: String,
    /// The releases whose support ends this quarter, by version.
    #[serde(serialize_with = "crate::serde_version::list")]
    pub versions: Vec<Version>,
    /// The earliest release time among them.
    pub first_released: Timestamp,
    /// The latest release time among them.
    pub last_released: Timestamp,
    /// The new minimum to require: the newest of the dropped releases' successors (so the
    /// release that follows the newest one dropped, or the newest release when that one is
    /// dropped too). `None` when the only release dropped is the package's newest.
    #[serde(serialize_with = "crate::serde_version::optional")]
    pub new_minimum: Option<Version>,
}

impl PackageDrop {
    /// The oldest version dropped.
    pub fn min_version(&self) -> &Version {
        &self.versions[0]
    }

    /// The newest version dropped.
    pub fn max_version(&self) -> &Version {
        &self.versions[self.versions.len() - 1]
    }
}

/// The drops of one calendar quarter, packages sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuarterDrops {
    /// The quarter in which the drop dates fall.
    pub quarter: Quarter,
    /// One entry per package that drops something, sorted by name.
    pub packages: Vec<PackageDrop>,
}

/// A SPEC 0 schedule as of one date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Schedule {
    /// The date the schedule is computed for.
    pub date: Date,
    /// Releases whose drop time is not after this moment are left out.
    pub cutoff: Timestamp,
    /// Every release still in the window, per package in input order, by version.
    pub windows: Vec<Vec<SupportWindow>>,
    /// The drops per quarter, oldest first, without the earliest quarter of the grouping.
    pub quarters: Vec<QuarterDrops>,
}

impl Schedule {
    /// The schedule as of `date` for `packages` (Python first, by convention).
    pub fn compute(packages: &[PackageReleases], date: Date) -> Schedule {
        let cutoff = cutoff_for(date);
        let windows: Vec<Vec<SupportWindow>> = packages
            .iter()
            .map(|package| {
                package
                    .windows()
                    .into_iter()
                    .filter(|w| w.drops > cutoff)
                    .collect()
            })
            .collect();

        let mut by_quarter: BTreeMap<Quarter, BTreeMap<&str, Vec<&SupportWindow>>> =
            BTreeMap::new();
        for package_windows in &windows {
            for window in package_windows {
                by_quarter
                    .entry(Quarter::of_timestamp(window.drops))
                    .or_default()
                    .entry(window.package.as_str())
                    .or_default()
                    .push(window);
            }
        }

        let quarters = by_quarter
            .into_iter()
            .skip(1)
            .map(|(quarter, packages)| QuarterDrops {
                quarter,
                packages: packages
                    .into_iter()
                    .map(|(name, dropped)| {
                        let all = windows
                            .iter()
                            .find(|w| w.first().is_some_and(|w| w.package == name))
                            .map(Vec::as_slice)
                            .unwrap_or_default();
                        package_drop(name, &dropped, all)
                    })
                    .collect(),
            })
            .collect();

        Schedule {
            date,
            cutoff,
            windows,
            quarters,
        }
    }
}

/// Builds one package's entry of a quarter from the windows dropped in it; `all` is every
/// window of the package that survived the cutoff, by version.
fn package_drop(name: &str, dropped: &[&SupportWindow], all: &[SupportWindow]) -> PackageDrop {
    let mut versions: Vec<Version> = dropped.iter().map(|w| w.version.clone()).collect();
    versions.sort();
    let first_released = dropped
        .iter()
        .map(|w| w.released)
        .min()
        .unwrap_or(Timestamp::MIN);
    let last_released = dropped
        .iter()
        .map(|w| w.released)
        .max()
        .unwrap_or(Timestamp::MIN);
    // As spec0-action computes it: each dropped release's successor (the next version among
    // the package's releases), and the newest of those. When the newest dropped release is
    // the package's newest, that is the newest release itself; when the only release dropped
    // is the newest, there is none.
    let new_minimum = versions
        .iter()
        .filter_map(|dropped| {
            all.iter()
                .find(|w| &w.version > dropped)
                .map(|w| w.version.clone())
        })
        .max();
    PackageDrop {
        package: name.to_string(),
        versions,
        first_released,
        last_released,
        new_minimum,
    }
}

/// The cutoff of a schedule computed on `date`: midnight UTC at the start of its quarter,
/// minus nine months.
pub fn cutoff_for(date: Date) -> Timestamp {
    let quarter_start = Quarter::of_date(date).start();
    let cutoff = quarter_start
        .checked_sub(9.months())
        .unwrap_or(quarter_start);
    cutoff
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN)
}

#[cfg(test)]
mod tests;
