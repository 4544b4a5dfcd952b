//! SPEC 0: which Python and core-package releases a scientific-Python project may stop
//! supporting, and when.
//!
//! The computation follows the one that publishes SPEC 0's table (scientific-python/specs):
//! every feature release of a core package is supported for 365×2 days after its release,
//! every Python X.Y for 365×3 days. [`Schedule::compute`] takes the releases of each package
//! (already narrowed to final feature releases with their earliest upload time, see
//! [`is_feature_release`]) and a date; it keeps the releases whose drop date falls after the
//! cutoff (the start of the date's quarter, minus nine months), groups them by the calendar
//! quarter of their drop date, and leaves out the cutoff's own quarter (as the published
//! table does). [`render`] turns a schedule into the published formats; [`check`] compares a
//! project's declared floors with the policy.
//!
//! One rule says which floors are in force on a date, for every consumer (the schedule's
//! "new minimum" column and `schedule.json`, [`check`], and the review's AG100):
//! [`PackageReleases::minimum_in_force`]. SPEC 0 publishes its drops by quarter ("the next
//! release in a given quarter is considered as the one removing support"), so a release may
//! be dropped from the first day of the quarter that holds its drop date, and the minimum in
//! force is the release that follows the newest release droppable so far. A project that
//! follows the published schedule, as spec0-action does (the newest `schedule.json` entry
//! whose `start_date` has passed), therefore always passes the check.

pub mod check;
pub mod fix;
pub mod matrix;
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

    /// The lowest version SPEC 0 asks a project to support on `date`: the release that
    /// follows (by version) the newest release whose drop date falls in `date`'s quarter or
    /// an earlier one. The oldest known release when nothing can be dropped yet; `None` when
    /// no release is known, or when every known release can be dropped (the next minimum is
    /// a release that does not exist yet).
    pub fn minimum_in_force(&self, date: Date) -> Option<Version> {
        self.in_force(Quarter::of_date(date)).version
    }

    /// [`Self::minimum_in_force`] with the quarter from which it holds.
    pub(crate) fn in_force(&self, quarter: Quarter) -> MinimumInForce {
        let windows = self.windows();
        let newest_droppable = windows
            .iter()
            .filter(|w| Quarter::of_timestamp(w.drops) <= quarter)
            .max_by(|a, b| a.version.cmp(&b.version));
        let (version, since) = match newest_droppable {
            None => (windows.first().map(|w| w.version.clone()), None),
            Some(dropped) => (
                windows
                    .iter()
                    .find(|w| w.version > dropped.version)
                    .map(|w| w.version.clone()),
                // The minimum moved to this value when `dropped` became droppable; an older
                // release dropped later (a backport line) does not move it.
                Some(Quarter::of_timestamp(dropped.drops)),
            ),
        };
        MinimumInForce {
            package: self.name.clone(),
            version,
            since,
        }
    }
}

/// The floor SPEC 0 asks a project to keep for one package on a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MinimumInForce {
    /// The package (or `python`).
    pub package: String,
    /// The minimum version, see [`PackageReleases::minimum_in_force`].
    #[serde(serialize_with = "crate::serde_version::optional")]
    pub version: Option<Version>,
    /// The quarter from whose first day this minimum holds; `None` when nothing could be
    /// dropped yet.
    pub since: Option<Quarter>,
}

/// The minimums in force on `date` for every package, in the order given: the one rule that
/// the schedule, `schedule check` and the review share (see [`PackageReleases::minimum_in_force`]).
pub fn minimums_in_force(packages: &[PackageReleases], date: Date) -> Vec<MinimumInForce> {
    let quarter = Quarter::of_date(date);
    packages.iter().map(|p| p.in_force(quarter)).collect()
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
    /// The minimum in force from the quarter's first day
    /// ([`PackageReleases::minimum_in_force`]): always newer than every version dropped.
    /// `None` when the package's newest known release is among the dropped ones: its
    /// successor is not released yet.
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
    /// The drops per quarter, oldest first, from the quarter after the cutoff's.
    pub quarters: Vec<QuarterDrops>,
    /// The drops of the cutoff's own quarter (those after the cutoff), if any: left out of
    /// the published table, kept in `schedule.json` as spec0-action keeps them.
    pub cutoff_quarter: Option<QuarterDrops>,
    /// The minimums in force on [`Self::date`], per package in input order
    /// ([`minimums_in_force`]).
    pub in_force: Vec<MinimumInForce>,
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

        // Grouped by (quarter, package name), each name with the index of its package.
        let mut by_quarter: BTreeMap<Quarter, BTreeMap<&str, (usize, Vec<&SupportWindow>)>> =
            BTreeMap::new();
        for (index, package_windows) in windows.iter().enumerate() {
            for window in package_windows {
                by_quarter
                    .entry(Quarter::of_timestamp(window.drops))
                    .or_default()
                    .entry(window.package.as_str())
                    .or_insert_with(|| (index, Vec::new()))
                    .1
                    .push(window);
            }
        }

        // The cutoff's own quarter is left out, as the published table leaves out its first
        // quarter: which releases of it pass the cutoff depends on where the cutoff falls.
        // Leaving out the cutoff's quarter rather than the first quarter that has drops keeps
        // a quarter that happens to be the first with drops (with few packages, or none
        // dropping in the cutoff's quarter).
        let cutoff_quarter = Quarter::of_timestamp(cutoff);
        let (mut quarters, mut leading) = (Vec::new(), None);
        for (quarter, dropped) in by_quarter {
            let drops = QuarterDrops {
                quarter,
                packages: dropped
                    .into_iter()
                    .map(|(name, (index, dropped))| {
                        package_drop(name, &dropped, &packages[index], quarter)
                    })
                    .collect(),
            };
            if quarter > cutoff_quarter {
                quarters.push(drops);
            } else {
                leading = Some(drops);
            }
        }

        Schedule {
            date,
            cutoff,
            windows,
            quarters,
            cutoff_quarter: leading,
            in_force: minimums_in_force(packages, date),
        }
    }
}

/// Builds one package's entry of `quarter` from the windows dropped in it.
fn package_drop(
    name: &str,
    dropped: &[&SupportWindow],
    package: &PackageReleases,
    quarter: Quarter,
) -> PackageDrop {
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
    PackageDrop {
        package: name.to_string(),
        versions,
        first_released,
        last_released,
        new_minimum: package.in_force(quarter).version,
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
