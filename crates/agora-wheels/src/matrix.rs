//! The coverage model: one matrix per release, the releases of a project over time, and the
//! ecosystem's readiness for each new CPython.
//!
//! A release's matrix is built from the release's wheels that are not yanked: every wheel adds
//! the cells its tags cover ([`crate::tags::covers`]). A cell keeps the best [`Kind`] among the
//! wheels that cover it and the oldest system any of them supports (no floor as soon as one of
//! them is for `any` platform). The default release is the newest final one (no pre- or
//! development release) that still has a file; `--history` takes every final release, in the
//! order they appeared.
//!
//! Readiness asks, for each CPython row, when a project first shipped a wheel built for it: the
//! earliest upload of a wheel of a final release, not yanked, that covers the row with a
//! [`Kind::Specific`] or [`Kind::Abi3`] wheel, counted in days from that CPython's X.Y.0 release
//! (negative when the wheels came first, as abi3 wheels and release candidates' successors do).
//! A project without such a wheel whose newest release is pure Python (or Python-independent)
//! is ready by construction. Because a lone early wheel (one platform, built against a beta)
//! says little, readiness also gives the day wheels existed on all of [`MAJOR_PLATFORMS`].

use std::collections::BTreeMap;
use std::str::FromStr;

use agora_store::pypi::{FileKind, PypiFile};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use pep440_rs::Version;
use serde::Serialize;

use crate::tags::{CPython, Cover, Floor, Kind, Platform, covers};

/// One project's stored files, as `agora_store` returns them.
#[derive(Debug, Clone)]
pub struct ProjectFiles {
    /// The name to show.
    pub project: String,
    /// Every stored file of the project.
    pub files: Vec<PypiFile>,
}

/// One cell of a matrix: how the best wheel applies and the oldest system supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The best kind among the wheels that cover the cell.
    pub kind: Kind,
    /// The oldest glibc, musl, macOS, iOS, Android API or Pyodide ABI supported; `None` where
    /// the platform has none (Windows) or a wheel covers every platform.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<Floor>,
    /// How many wheel files cover it.
    pub wheels: usize,
}

/// One CPython row of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The CPython build.
    pub python: CPython,
    /// The covered platforms; a platform missing here has no wheel.
    pub cells: BTreeMap<Platform, Cell>,
}

impl Row {
    /// The cell of `platform`, if some wheel covers it.
    pub fn cell(&self, platform: Platform) -> Option<&Cell> {
        self.cells.get(&platform)
    }
}

/// The coverage of one release of one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseMatrix {
    /// The project.
    pub project: String,
    /// The version, as PEP 440 normalizes it.
    pub version: String,
    /// The earliest upload of any of its files.
    pub released: Option<Timestamp>,
    /// Its wheel files, not yanked.
    pub wheels: usize,
    /// Wheels that cover no row or column (PyPy, 32-bit, CPython 2, older CPythons).
    pub other_wheels: usize,
    /// Whether it has a source distribution.
    pub sdist: bool,
    /// Whether its only wheels are pure Python (`none-any`): every cell is covered.
    pub pure: bool,
    /// One row per CPython of [`CPython::ROWS`].
    pub rows: Vec<Row>,
}

impl ReleaseMatrix {
    /// Builds the matrix of the files of one release (yanked files are left out).
    pub fn from_files<'a>(
        project: &str,
        version: &Version,
        files: impl IntoIterator<Item = &'a PypiFile>,
    ) -> ReleaseMatrix {
        let mut cells: BTreeMap<(CPython, Platform), (Cell, bool)> = BTreeMap::new();
        let mut released: Option<Timestamp> = None;
        let (mut wheels, mut other_wheels, mut sdist, mut pure) = (0, 0, false, true);
        for file in files {
            if let Some(uploaded) = file.upload_time {
                released = Some(released.map_or(uploaded, |t| t.min(uploaded)));
            }
            if file.yanked {
                continue;
            }
            match file.kind {
                FileKind::Sdist => sdist = true,
                FileKind::Other => {}
                FileKind::Wheel => {
                    let (Some(python), Some(abi), Some(platform)) =
                        (&file.python_tag, &file.abi_tag, &file.platform_tag)
                    else {
                        continue;
                    };
                    wheels += 1;
                    let mut covered = covers(python, abi, platform);
                    if covered.is_empty() {
                        other_wheels += 1;
                        continue;
                    }
                    if covered.iter().any(|c| c.kind != Kind::Pure) {
                        pure = false;
                    }
                    covered.sort_by_key(|c| (c.python, c.platform));
                    covered.dedup_by_key(|c| (c.python, c.platform, c.kind, c.floor));
                    let mut last = None;
                    for cover in covered {
                        let key = (cover.python, cover.platform);
                        let entry = cells.entry(key).or_insert((
                            Cell {
                                kind: cover.kind,
                                floor: cover.floor,
                                wheels: 0,
                            },
                            cover.floor.is_none(),
                        ));
                        // A wheel counts once per cell, however many of its tags land there.
                        if last != Some(key) {
                            entry.0.wheels += 1;
                            last = Some(key);
                        }
                        entry.0.kind = entry.0.kind.min(cover.kind);
                        // No floor wins: some wheel installs there whatever the system.
                        entry.1 |= cover.floor.is_none();
                        entry.0.floor = match (entry.0.floor, cover.floor) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                    }
                }
            }
        }
        let rows = CPython::ROWS
            .iter()
            .map(|python| Row {
                python: *python,
                cells: Platform::ALL
                    .iter()
                    .filter_map(|platform| {
                        let (mut cell, floorless) = *cells.get(&(*python, *platform))?;
                        if floorless {
                            cell.floor = None;
                        }
                        Some((*platform, cell))
                    })
                    .collect(),
            })
            .collect();
        ReleaseMatrix {
            project: project.to_string(),
            version: version.to_string(),
            released,
            wheels,
            other_wheels,
            sdist,
            pure: pure && wheels > other_wheels,
            rows,
        }
    }

    /// The row of `python`.
    pub fn row(&self, python: CPython) -> Option<&Row> {
        self.rows.iter().find(|r| r.python == python)
    }

    /// How many platforms have a wheel for `python`.
    pub fn platforms_covered(&self, python: CPython) -> usize {
        self.row(python).map_or(0, |r| r.cells.len())
    }

    /// The best kind of wheel any platform has for `python`.
    pub fn best_kind(&self, python: CPython) -> Option<Kind> {
        self.row(python)
            .and_then(|r| r.cells.values().map(|c| c.kind).min())
    }
}

/// Whether a version is a final release (not a pre- or development release).
pub fn is_final(version: &Version) -> bool {
    !version.any_prerelease()
}

/// The files of each version the file names spell, ordered by version.
pub fn files_by_version(files: &[PypiFile]) -> BTreeMap<Version, Vec<&PypiFile>> {
    let mut by_version: BTreeMap<Version, Vec<&PypiFile>> = BTreeMap::new();
    for file in files {
        let Some(version) = file
            .version
            .as_deref()
            .and_then(|v| Version::from_str(v).ok())
        else {
            continue;
        };
        by_version.entry(version).or_default().push(file);
    }
    by_version
}

/// The newest final release with at least one file not yanked.
pub fn latest_final(files: &[PypiFile]) -> Option<Version> {
    files_by_version(files)
        .into_iter()
        .rev()
        .find(|(version, files)| is_final(version) && files.iter().any(|f| !f.yanked))
        .map(|(version, _)| version)
}

/// Why a project has no matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The project.
    pub project: String,
    /// What is missing.
    pub message: String,
}

/// Which release(s) to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The newest final release.
    Latest,
    /// This version of every project.
    Version(Version),
    /// Every final release.
    History,
}

/// When one project first shipped wheels for one CPython.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Readiness {
    /// A wheel built for it was uploaded.
    Ready {
        /// The release the first such wheel belongs to.
        version: String,
        /// When it was uploaded.
        uploaded: Timestamp,
        /// Days from the CPython release to the upload; `None` when the release date is unknown.
        days: Option<i64>,
        /// Specific or abi3.
        kind: Kind,
        /// When wheels for it existed on every one of [`MAJOR_PLATFORMS`] (each platform's
        /// first upload, the latest of those); `None` while one is missing.
        #[serde(skip_serializing_if = "Option::is_none")]
        all_major: Option<Timestamp>,
        /// Days from the CPython release to `all_major`.
        #[serde(skip_serializing_if = "Option::is_none")]
        all_major_days: Option<i64>,
    },
    /// No wheel needs building: the newest release is pure Python or Python-independent.
    Pure,
    /// No wheel for it yet.
    Missing,
}

/// The readiness of every project for one CPython.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadinessRow {
    /// The CPython build.
    pub python: CPython,
    /// Its X.Y.0 release day, when known.
    pub released: Option<Date>,
    /// One entry per project, in the order of the report's projects.
    pub projects: Vec<ProjectReadiness>,
}

/// One project's readiness for one CPython.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectReadiness {
    /// The project.
    pub project: String,
    /// When it shipped.
    #[serde(flatten)]
    pub readiness: Readiness,
}

impl ReadinessRow {
    /// Projects with wheels built for it, or pure ones.
    pub fn ready(&self) -> usize {
        self.projects
            .iter()
            .filter(|p| !matches!(p.readiness, Readiness::Missing))
            .count()
    }

    /// Projects with wheels on all of [`MAJOR_PLATFORMS`], or pure ones.
    pub fn ready_on_all_major(&self) -> usize {
        self.projects
            .iter()
            .filter(|p| match p.readiness {
                Readiness::Ready { all_major, .. } => all_major.is_some(),
                Readiness::Pure => true,
                Readiness::Missing => false,
            })
            .count()
    }

    /// The days of the projects that built wheels, smallest first: the readiness curve.
    pub fn curve(&self) -> Vec<i64> {
        self.sorted_days(|r| match r {
            Readiness::Ready { days, .. } => *days,
            _ => None,
        })
    }

    /// The same curve for wheels on all of [`MAJOR_PLATFORMS`].
    pub fn all_major_curve(&self) -> Vec<i64> {
        self.sorted_days(|r| match r {
            Readiness::Ready { all_major_days, .. } => *all_major_days,
            _ => None,
        })
    }

    fn sorted_days(&self, days_of: impl Fn(&Readiness) -> Option<i64>) -> Vec<i64> {
        let mut days: Vec<i64> = self
            .projects
            .iter()
            .filter_map(|p| days_of(&p.readiness))
            .collect();
        days.sort_unstable();
        days
    }
}

/// The whole answer of `agora wheels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WheelsReport {
    /// `latest`, `version` or `history`.
    pub view: &'static str,
    /// The CPython rows, in order.
    pub pythons: Vec<CPython>,
    /// The platform columns, in order.
    pub platforms: Vec<Platform>,
    /// The matrices: one per project (latest, version) or one per final release (history),
    /// projects in the order asked, releases in the order they appeared.
    pub releases: Vec<ReleaseMatrix>,
    /// Readiness for each CPython row.
    pub readiness: Vec<ReadinessRow>,
    /// Projects without the release asked for.
    pub problems: Vec<Problem>,
}

/// The platforms most users are on: readiness also says when all of them had wheels.
pub const MAJOR_PLATFORMS: [Platform; 3] = [
    Platform::ManylinuxX86_64,
    Platform::MacosArm64,
    Platform::WinAmd64,
];

/// Midnight UTC at the start of `date`.
fn start_of(date: Date) -> Option<Timestamp> {
    date.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Whole days from `from` to `to`, rounded down (an upload on the release day is day 0).
fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    (to.as_second() - from.as_second()).div_euclid(86_400)
}

/// A final, non-yanked wheel with an upload time, with the specific and abi3 builds it
/// provides (every CPython row), as the readiness table reads it.
struct BuiltWheel<'a> {
    /// Its place in the project's file list.
    index: usize,
    uploaded: Timestamp,
    file: &'a PypiFile,
    builds: Vec<Cover>,
}

/// A project's wheels that count for readiness, in the index's order; the tags of each are
/// read once for all CPython rows.
fn built_wheels(files: &[PypiFile]) -> Vec<BuiltWheel<'_>> {
    files
        .iter()
        .enumerate()
        .filter_map(|(index, file)| {
            let (false, FileKind::Wheel, Some(uploaded)) =
                (file.yanked, file.kind, file.upload_time)
            else {
                return None;
            };
            let (Some(py), Some(abi), Some(platform)) =
                (&file.python_tag, &file.abi_tag, &file.platform_tag)
            else {
                return None;
            };
            let final_release = file
                .version
                .as_deref()
                .and_then(|v| Version::from_str(v).ok())
                .is_some_and(|v| is_final(&v));
            if !final_release {
                return None;
            }
            let builds: Vec<Cover> = covers(py, abi, platform)
                .into_iter()
                .filter(|c| matches!(c.kind, Kind::Specific | Kind::Abi3))
                .collect();
            (!builds.is_empty()).then_some(BuiltWheel {
                index,
                uploaded,
                file,
                builds,
            })
        })
        .collect()
}

/// The wheels that decide a project's readiness for `python`: the first one built for it
/// (its kind) and, per major platform, the first one built for it there. "First" is the
/// earliest upload, the earlier in the list among equal times.
struct Witnesses<'w, 'a> {
    first: Option<(&'w BuiltWheel<'a>, Kind)>,
    first_on_major: [Option<&'w BuiltWheel<'a>>; MAJOR_PLATFORMS.len()],
}

fn witnesses<'w, 'a>(wheels: &'w [BuiltWheel<'a>], python: CPython) -> Witnesses<'w, 'a> {
    let mut found = Witnesses {
        first: None,
        first_on_major: Default::default(),
    };
    for wheel in wheels {
        let built: Vec<&Cover> = wheel.builds.iter().filter(|c| c.python == python).collect();
        let Some(kind) = built.iter().map(|c| c.kind).min() else {
            continue;
        };
        if found.first.is_none_or(|(w, _)| wheel.uploaded < w.uploaded) {
            found.first = Some((wheel, kind));
        }
        for (major, slot) in MAJOR_PLATFORMS.iter().zip(found.first_on_major.iter_mut()) {
            if built.iter().any(|c| c.platform == *major)
                && slot.is_none_or(|w| wheel.uploaded < w.uploaded)
            {
                *slot = Some(wheel);
            }
        }
    }
    found
}

/// The files of `files` that a [`Selection::Latest`] report reads: every file of the newest
/// final release and, for each CPython row, the wheels that decide its readiness. A report
/// computed from these is the report computed from all of them; the portal keeps them per
/// project so that a change to one project's PyPI page recomputes only that project's part.
pub fn latest_report_files(files: &[PypiFile]) -> Vec<PypiFile> {
    let mut keep = vec![false; files.len()];
    if let Some(latest) = latest_final(files) {
        for (i, file) in files.iter().enumerate() {
            if file
                .version
                .as_deref()
                .and_then(|v| Version::from_str(v).ok())
                .is_some_and(|v| v == latest)
            {
                keep[i] = true;
            }
        }
    }
    let wheels = built_wheels(files);
    for python in CPython::ROWS {
        let found = witnesses(&wheels, python);
        let chosen = found.first.map(|(w, _)| w).into_iter();
        for wheel in chosen.chain(found.first_on_major.iter().flatten().copied()) {
            keep[wheel.index] = true;
        }
    }
    files
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(file, _)| file.clone())
        .collect()
}

fn readiness_of(
    wheels: &[BuiltWheel<'_>],
    python: CPython,
    released: Option<Date>,
    latest: Option<&ReleaseMatrix>,
) -> Readiness {
    let found = witnesses(wheels, python);
    let first = found.first.map(|(w, kind)| (w.uploaded, w.file, kind));
    let first_on_major = found.first_on_major.map(|w| w.map(|w| w.uploaded));
    let days_to = |at: Timestamp| {
        released
            .and_then(start_of)
            .map(|start| days_between(start, at))
    };
    if let Some((uploaded, file, kind)) = first {
        let version = file
            .version
            .as_deref()
            .and_then(|v| Version::from_str(v).ok())
            .map_or_else(String::new, |v| v.to_string());
        let all_major = first_on_major
            .iter()
            .copied()
            .collect::<Option<Vec<Timestamp>>>()
            .and_then(|times| times.into_iter().max());
        return Readiness::Ready {
            version,
            uploaded,
            days: days_to(uploaded),
            kind,
            all_major,
            all_major_days: all_major.and_then(days_to),
        };
    }
    let pure_now = latest.is_some_and(|m| {
        m.row(python).is_some_and(|r| {
            !r.cells.is_empty() && r.cells.values().all(|c| c.kind >= Kind::Generic)
        })
    });
    if pure_now {
        Readiness::Pure
    } else {
        Readiness::Missing
    }
}

impl WheelsReport {
    /// Computes the report for `projects`; `python_releases` maps `3.13` to its X.Y.0 day.
    pub fn compute(
        projects: &[ProjectFiles],
        selection: &Selection,
        python_releases: &BTreeMap<String, Date>,
    ) -> WheelsReport {
        let mut releases = Vec::new();
        let mut problems = Vec::new();
        let mut latest_matrices = Vec::new();
        for project in projects {
            let by_version = files_by_version(&project.files);
            let latest = latest_final(&project.files).and_then(|version| {
                by_version.get(&version).map(|files| {
                    ReleaseMatrix::from_files(&project.project, &version, files.iter().copied())
                })
            });
            let problem = |message: String| Problem {
                project: project.project.clone(),
                message,
            };
            match selection {
                Selection::Latest => match &latest {
                    Some(matrix) => releases.push(matrix.clone()),
                    None => problems.push(problem("no final release with files".into())),
                },
                // The release as the index spells it: `9` finds and shows `9.0`.
                Selection::Version(version) => match by_version.get_key_value(version) {
                    Some((found, files)) => releases.push(ReleaseMatrix::from_files(
                        &project.project,
                        found,
                        files.iter().copied(),
                    )),
                    None => problems.push(problem(format!("no release {version} on the index"))),
                },
                Selection::History => {
                    let mut history: Vec<ReleaseMatrix> = by_version
                        .iter()
                        .filter(|(version, files)| {
                            is_final(version) && files.iter().any(|f| !f.yanked)
                        })
                        .map(|(version, files)| {
                            ReleaseMatrix::from_files(
                                &project.project,
                                version,
                                files.iter().copied(),
                            )
                        })
                        .collect();
                    if history.is_empty() {
                        problems.push(problem("no final release with files".into()));
                    }
                    // In the order they appeared; the sort is stable, so versions order ties and undated ones.
                    history.sort_by_key(|m| m.released);
                    releases.extend(history);
                }
            }
            latest_matrices.push(latest);
        }
        let built: Vec<Vec<BuiltWheel<'_>>> =
            projects.iter().map(|p| built_wheels(&p.files)).collect();
        let readiness = CPython::ROWS
            .iter()
            .map(|python| {
                let released = python_releases.get(&python.version()).copied();
                ReadinessRow {
                    python: *python,
                    released,
                    projects: projects
                        .iter()
                        .zip(&built)
                        .zip(&latest_matrices)
                        .map(|((project, wheels), latest)| ProjectReadiness {
                            project: project.project.clone(),
                            readiness: readiness_of(wheels, *python, released, latest.as_ref()),
                        })
                        .collect(),
                }
            })
            .collect();
        WheelsReport {
            view: match selection {
                Selection::Latest => "latest",
                Selection::Version(_) => "version",
                Selection::History => "history",
            },
            pythons: CPython::ROWS.to_vec(),
            platforms: Platform::ALL.to_vec(),
            releases,
            readiness,
            problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wheel(filename: &str, uploaded: &str, yanked: bool) -> PypiFile {
        let stem = filename.trim_end_matches(".whl");
        let parts: Vec<&str> = stem.split('-').collect();
        let is_wheel = filename.ends_with(".whl");
        PypiFile {
            filename: filename.into(),
            version: parts
                .get(1)
                .map(|v| v.trim_end_matches(".tar.gz").to_string()),
            kind: if is_wheel {
                FileKind::Wheel
            } else {
                FileKind::Sdist
            },
            url: String::new(),
            sha256: None,
            size: None,
            upload_time: uploaded.parse().ok(),
            yanked,
            yanked_reason: None,
            requires_python: None,
            python_tag: is_wheel.then(|| parts[parts.len() - 3].to_string()),
            abi_tag: is_wheel.then(|| parts[parts.len() - 2].to_string()),
            platform_tag: is_wheel.then(|| parts[parts.len() - 1].to_string()),
        }
    }

    fn project(files: Vec<PypiFile>) -> ProjectFiles {
        ProjectFiles {
            project: "demo".into(),
            files,
        }
    }

    fn releases() -> BTreeMap<String, Date> {
        [("3.13", "2024-10-07"), ("3.14", "2025-10-07")]
            .into_iter()
            .filter_map(|(v, d)| Some((v.to_string(), d.parse().ok()?)))
            .collect()
    }

    #[test]
    fn cells_keep_the_best_kind_and_the_oldest_floor() {
        let files = vec![
            wheel(
                "demo-1.0-cp313-cp313-manylinux_2_28_x86_64.whl",
                "2025-01-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                "2025-01-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.0-cp39-abi3-macosx_11_0_arm64.whl",
                "2025-01-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.0-cp313-cp313-macosx_14_0_arm64.whl",
                "2025-01-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.0-cp313-cp313-manylinux_2_5_x86_64.whl",
                "2025-01-02T00:00:00Z",
                true,
            ),
            wheel(
                "demo-1.0-pp310-pypy310_pp73-win_amd64.whl",
                "2025-01-01T00:00:00Z",
                false,
            ),
            wheel("demo-1.0.tar.gz", "2024-12-31T00:00:00Z", false),
        ];
        let version = Version::from_str("1.0").expect("version");
        let matrix = ReleaseMatrix::from_files("demo", &version, &files);
        let row = matrix.row(CPython::default_build(13)).expect("row");
        let linux = row.cell(Platform::ManylinuxX86_64).expect("linux");
        // The yanked manylinux_2_5 wheel does not lower the floor.
        assert_eq!(
            (linux.kind, linux.floor, linux.wheels),
            (Kind::Specific, Some(Floor::Glibc(2, 17)), 2)
        );
        let mac = row.cell(Platform::MacosArm64).expect("mac");
        assert_eq!(
            (mac.kind, mac.floor, mac.wheels),
            (Kind::Specific, Some(Floor::Macos(11, 0)), 2)
        );
        let mac312 = matrix
            .row(CPython::default_build(12))
            .and_then(|r| r.cell(Platform::MacosArm64));
        assert_eq!(mac312.map(|c| c.kind), Some(Kind::Abi3));
        assert!(
            matrix
                .row(CPython::free_threaded_build(13))
                .is_some_and(|r| r.cells.is_empty())
        );
        assert_eq!(
            (
                matrix.wheels,
                matrix.other_wheels,
                matrix.sdist,
                matrix.pure
            ),
            (5, 1, true, false)
        );
        assert_eq!(
            matrix.released.map(|t| t.to_string()).as_deref(),
            Some("2024-12-31T00:00:00Z")
        );
    }

    #[test]
    fn pure_wheels_and_any_platform_clear_the_floor() {
        let files = vec![
            wheel("demo-2.0-py3-none-any.whl", "2025-01-01T00:00:00Z", false),
            wheel(
                "demo-2.0-cp313-cp313-manylinux_2_28_x86_64.whl",
                "2025-01-01T00:00:00Z",
                false,
            ),
        ];
        let version = Version::from_str("2.0").expect("version");
        let matrix = ReleaseMatrix::from_files("demo", &version, &files);
        let cell = matrix
            .row(CPython::default_build(13))
            .and_then(|r| r.cell(Platform::ManylinuxX86_64))
            .expect("cell");
        assert_eq!((cell.kind, cell.floor), (Kind::Specific, None));
        assert!(!matrix.pure);
        let only_pure = ReleaseMatrix::from_files("demo", &version, &files[..1]);
        assert!(only_pure.pure);
        assert_eq!(
            only_pure.platforms_covered(CPython::free_threaded_build(15)),
            11
        );
    }

    #[test]
    fn latest_final_skips_pre_releases_and_fully_yanked_ones() {
        let files = vec![
            wheel("demo-1.0-py3-none-any.whl", "2024-01-01T00:00:00Z", false),
            wheel("demo-1.1-py3-none-any.whl", "2024-02-01T00:00:00Z", true),
            wheel(
                "demo-2.0rc1-py3-none-any.whl",
                "2024-03-01T00:00:00Z",
                false,
            ),
        ];
        assert_eq!(
            latest_final(&files).map(|v| v.to_string()).as_deref(),
            Some("1.0")
        );
        assert_eq!(latest_final(&files[1..]), None);
    }

    #[test]
    fn readiness_counts_days_from_the_cpython_release() {
        let files = vec![
            wheel(
                "demo-1.0-cp313-cp313-win_amd64.whl",
                "2024-10-06T23:00:00Z",
                false,
            ),
            wheel(
                "demo-1.1-cp313-cp313t-win_amd64.whl",
                "2024-12-01T12:00:00Z",
                false,
            ),
            // A release candidate does not count, nor a yanked wheel.
            wheel(
                "demo-1.1rc1-cp314-cp314-win_amd64.whl",
                "2025-09-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.2-cp314-cp314-win_amd64.whl",
                "2025-10-01T00:00:00Z",
                true,
            ),
            wheel(
                "demo-1.3-cp314-cp314-win_amd64.whl",
                "2025-10-17T08:00:00Z",
                false,
            ),
        ];
        let report = WheelsReport::compute(&[project(files)], &Selection::Latest, &releases());
        let status = |label: &str| {
            report
                .readiness
                .iter()
                .find(|r| r.python.label() == label)
                .map(|r| r.projects[0].readiness.clone())
        };
        let days = |label: &str| match status(label) {
            Some(Readiness::Ready { days, version, .. }) => Some((days, version)),
            _ => None,
        };
        assert_eq!(days("3.13"), Some((Some(-1), "1.0".into())));
        assert_eq!(days("3.13t"), Some((Some(55), "1.1".into())));
        assert_eq!(days("3.14"), Some((Some(10), "1.3".into())));
        // No release date for 3.15 in this table: ready or not, no day count.
        assert_eq!(status("3.15"), Some(Readiness::Missing));
        assert_eq!(status("3.12"), Some(Readiness::Missing));
        assert_eq!(report.releases.len(), 1);
        assert_eq!(report.releases[0].version, "1.3");
    }

    #[test]
    fn all_major_platforms_is_the_last_of_their_first_wheels() {
        let files = vec![
            wheel(
                "demo-1.0-cp313-cp313-win_amd64.whl",
                "2024-10-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.1-cp313-cp313-manylinux2014_x86_64.whl",
                "2024-10-20T00:00:00Z",
                false,
            ),
            // Pre-release and yanked wheels do not count, a later final one does.
            wheel(
                "demo-1.2rc1-cp313-cp313-macosx_11_0_arm64.whl",
                "2024-10-25T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.2-cp313-cp313-macosx_11_0_arm64.whl",
                "2024-10-26T00:00:00Z",
                true,
            ),
            wheel(
                "demo-1.3-cp313-cp313-macosx_11_0_arm64.whl",
                "2024-11-01T06:00:00Z",
                false,
            ),
            // A universal2 wheel covers arm64; a free-threaded build is its own row.
            wheel(
                "demo-1.3-cp313-cp313t-win_amd64.whl",
                "2024-11-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.3-cp313-cp313t-manylinux2014_x86_64.whl",
                "2024-11-01T00:00:00Z",
                false,
            ),
            wheel(
                "demo-1.4-cp313-cp313t-macosx_10_13_universal2.whl",
                "2024-12-01T00:00:00Z",
                false,
            ),
        ];
        let report = WheelsReport::compute(&[project(files)], &Selection::Latest, &releases());
        let major = |label: &str| {
            report
                .readiness
                .iter()
                .find(|r| r.python.label() == label)
                .and_then(|r| match &r.projects[0].readiness {
                    Readiness::Ready {
                        days,
                        all_major_days,
                        ..
                    } => Some((*days, *all_major_days)),
                    _ => None,
                })
        };
        assert_eq!(major("3.13"), Some((Some(-6), Some(25))));
        assert_eq!(major("3.13t"), Some((Some(25), Some(55))));
        let row = report
            .readiness
            .iter()
            .find(|r| r.python.label() == "3.13")
            .expect("row");
        assert_eq!(
            (row.ready_on_all_major(), row.all_major_curve()),
            (1, vec![25])
        );
        // Without a macOS arm64 wheel the milestone is not reached.
        let files = vec![wheel(
            "demo-1.0-cp313-cp313-win_amd64.whl",
            "2024-10-01T00:00:00Z",
            false,
        )];
        let report = WheelsReport::compute(&[project(files)], &Selection::Latest, &releases());
        assert_eq!(report.readiness[4].python.label(), "3.13");
        assert_eq!(report.readiness[4].ready_on_all_major(), 0);
        assert_eq!(report.readiness[4].ready(), 1);
    }

    #[test]
    fn pure_projects_are_ready_and_abi3_counts_from_its_upload() {
        let pure = vec![wheel(
            "demo-1.0-py3-none-any.whl",
            "2020-01-01T00:00:00Z",
            false,
        )];
        let report = WheelsReport::compute(&[project(pure)], &Selection::Latest, &releases());
        assert!(
            report
                .readiness
                .iter()
                .all(|r| r.projects[0].readiness == Readiness::Pure)
        );
        let abi3 = vec![wheel(
            "demo-1.0-cp39-abi3-win_amd64.whl",
            "2024-01-01T00:00:00Z",
            false,
        )];
        let report = WheelsReport::compute(&[project(abi3)], &Selection::Latest, &releases());
        let row = |label: &str| {
            report
                .readiness
                .iter()
                .find(|r| r.python.label() == label)
                .map(|r| r.projects[0].readiness.clone())
        };
        assert!(matches!(
            row("3.13"),
            Some(Readiness::Ready {
                kind: Kind::Abi3,
                days: Some(-280),
                ..
            })
        ));
        assert_eq!(row("3.13t"), Some(Readiness::Missing));
    }

    #[test]
    fn history_orders_releases_by_date_and_reports_missing_versions() {
        let files = vec![
            wheel("demo-9.0-py3-none-any.whl", "2024-01-01T00:00:00Z", false),
            wheel("demo-8.9-py3-none-any.whl", "2024-02-01T00:00:00Z", false),
            wheel(
                "demo-10.0a1-py3-none-any.whl",
                "2024-03-01T00:00:00Z",
                false,
            ),
        ];
        let report =
            WheelsReport::compute(&[project(files.clone())], &Selection::History, &releases());
        let versions: Vec<&str> = report.releases.iter().map(|m| m.version.as_str()).collect();
        assert_eq!(versions, ["9.0", "8.9"]);
        // A version finds its release however it is spelled (9 = 9.0 = 9.0.0).
        let nine = Version::from_str("9.0.0").expect("version");
        let report = WheelsReport::compute(
            &[project(files.clone())],
            &Selection::Version(nine),
            &releases(),
        );
        assert_eq!(report.releases[0].version, "9.0");
        let wanted = Version::from_str("7.0").expect("version");
        let report =
            WheelsReport::compute(&[project(files)], &Selection::Version(wanted), &releases());
        assert!(report.releases.is_empty());
        assert_eq!(report.problems[0].message, "no release 7.0 on the index");
    }
}
