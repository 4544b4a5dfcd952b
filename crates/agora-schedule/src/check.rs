//! Compares the floors a project declares (see [`crate::pyproject`]) with the floors SPEC 0
//! allows at a date, and renders the comparison.
//!
//! For every declaration of Python or of a package that has releases in the schedule (matched
//! by PEP 503-normalized name; other packages are not reported), the declared floor is first
//! put in its feature-release series: the newest known release at or below the floor's release
//! part, if it shares the floor's first two components (`numpy>=2.0.2` is the `2.0.0` series);
//! otherwise the floor itself (a floor below, between or above the known releases). That
//! series is compared with the minimum in force on the report's date
//! ([`PackageReleases::minimum_in_force`], the rule the schedule publishes): below it the floor
//! [may be raised](Status::MayRaise) (support for the releases in between can be dropped),
//! equal is [fine](Status::Fine), above it is [below policy](Status::BelowPolicy) (the project
//! drops releases SPEC 0 still asks it to support). A declaration without a lower bound may be
//! raised. A package without a SPEC 0 floor (no releases known, or all of them past support)
//! is reported as fine with a message that says why. Markers and extras are kept: a
//! declaration that only applies in some environments is compared all the same, and its
//! message says so. [`render_text`], [`render_json`] and [`render_github`] are views of one
//! [`CheckReport`].

use std::fmt::Write as _;
use std::path::PathBuf;

use jiff::Timestamp;
use pep440_rs::Version;

use crate::pyproject::{Declaration, DeclaredFloors, Problem, normalize_name};
use crate::{PYTHON, PackageReleases, Quarter, SupportWindow};

/// How a declared floor compares with the floor SPEC 0 allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The declared floor is the one SPEC 0 allows (or SPEC 0 sets none).
    Fine,
    /// The floor is lower than SPEC 0 allows: support for older releases can be dropped.
    MayRaise,
    /// The floor is higher than SPEC 0 allows: releases it still asks to support are dropped.
    BelowPolicy,
}

impl Status {
    /// The status as the text table prints it (`fine`, `may raise`, `below policy`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Fine => "fine",
            Status::MayRaise => "may raise",
            Status::BelowPolicy => "below policy",
        }
    }
}

/// The comparison of one declaration with SPEC 0.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The normalized package name, or `python`.
    pub package: String,
    /// The specifiers as declared (`>=2.0`), empty when there are none.
    pub declared: String,
    /// The declared floor, if the specifiers have one.
    #[serde(serialize_with = "crate::serde_version::optional")]
    pub floor: Option<Version>,
    /// The minimum SPEC 0 has in force on the report's date, if any.
    #[serde(serialize_with = "crate::serde_version::optional")]
    pub allowed: Option<Version>,
    /// How the two compare.
    pub status: Status,
    /// For [`Status::MayRaise`] the releases whose support can be dropped, for
    /// [`Status::BelowPolicy`] the releases dropped too early; empty otherwise.
    #[serde(serialize_with = "crate::serde_version::list")]
    pub releases: Vec<Version>,
    /// The declaration's environment marker, if any.
    pub marker: Option<String>,
    /// The declaration's extras.
    pub extras: Vec<String>,
    /// Where the declaration is (`project.dependencies`, `dependency-groups.dev`, …).
    pub source: String,
    /// The 1-based line of the declaration in the file.
    pub line: usize,
    /// One sentence for people: what was found and what to do.
    pub message: String,
}

/// The check of one pyproject.toml against SPEC 0 at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The pyproject.toml checked.
    pub path: PathBuf,
    /// The moment SPEC 0's floors were computed for.
    pub date: Timestamp,
    /// One finding per declaration of Python or of a package with known releases, in file order.
    pub findings: Vec<Finding>,
    /// The values of the file that could not be read.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    /// Whether anything needs action: a floor that is not fine, or a value that could not be
    /// read. The CLI exits 1 when this holds.
    pub fn needs_action(&self) -> bool {
        !self.problems.is_empty() || self.findings.iter().any(|f| f.status != Status::Fine)
    }

    /// How many findings have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }
}

/// Checks the floors read from one pyproject.toml against SPEC 0 at `at`; `packages` are Python
/// and the core packages with their feature releases.
pub fn check(
    declared: &DeclaredFloors,
    packages: &[PackageReleases],
    at: Timestamp,
) -> CheckReport {
    CheckReport {
        path: declared.path.clone(),
        date: at,
        findings: findings(&declared.declarations, packages, at),
        problems: declared.problems.clone(),
    }
}

/// One finding per declaration of a package in `packages` (matched by normalized name), in the
/// order of `declared`.
pub fn findings(
    declared: &[Declaration],
    packages: &[PackageReleases],
    at: Timestamp,
) -> Vec<Finding> {
    declared
        .iter()
        .filter_map(|declaration| {
            let package = packages
                .iter()
                .find(|p| normalize_name(&p.name) == declaration.package)?;
            Some(compare(declaration, package, at))
        })
        .collect()
}

/// Compares one declaration with its package's SPEC 0 floor.
fn compare(declaration: &Declaration, package: &PackageReleases, at: Timestamp) -> Finding {
    let windows = package.windows();
    // The one rule of the schedule: `PackageReleases::minimum_in_force` on the report's date.
    let in_force = package.in_force(Quarter::of_timestamp(at));
    let allowed = in_force.version.clone();
    let is_python = normalize_name(&package.name) == PYTHON;
    let words = Words {
        declaration,
        is_python,
    };

    let (status, releases, mut message) = match (&allowed, &declaration.floor) {
        (None, _) if windows.is_empty() => (
            Status::Fine,
            Vec::new(),
            format!(
                "no releases of {} are known, so SPEC 0 sets no floor",
                words.name()
            ),
        ),
        (None, _) => (
            Status::Fine,
            Vec::new(),
            format!(
                "every known release of {} is past its SPEC 0 support, so SPEC 0 sets no floor",
                words.name()
            ),
        ),
        (Some(allowed), None) => {
            let releases = versions(windows.iter().filter(|w| &w.version < allowed));
            // A package without a lower bound is allowed (it supports more than SPEC 0
            // asks), so it needs no action; Python without requires-python does.
            if is_python && declaration.specifier.is_empty() {
                let message = format!(
                    "requires-python is missing or empty; SPEC 0 allows {}",
                    words.requirement(allowed)
                );
                (Status::MayRaise, releases, message)
            } else {
                let message = format!(
                    "{} declares no lower bound; SPEC 0 allows requiring {}",
                    words.declared(),
                    words.requirement(allowed)
                );
                let status = if is_python {
                    Status::MayRaise
                } else {
                    Status::Fine
                };
                (status, releases, message)
            }
        }
        (Some(allowed), Some(floor)) => {
            let series = series_of(floor, &windows);
            if &series < allowed {
                let dropped: Vec<&SupportWindow> = windows
                    .iter()
                    .filter(|w| w.version >= series && &w.version < allowed)
                    .collect();
                // The minimum in force holds from the first day of `since`.
                let message = match (dropped.is_empty(), in_force.since) {
                    (false, Some(since)) => format!(
                        "{} still supports {}, which SPEC 0 lets projects drop from {}; the floor may be raised to {}",
                        words.declared(),
                        words.list(&dropped),
                        since.start(),
                        words.requirement(allowed)
                    ),
                    _ => format!(
                        "{} allows releases older than {}, the oldest SPEC 0 asks to support; the floor may be raised to {}",
                        words.declared(),
                        words.version(allowed),
                        words.requirement(allowed)
                    ),
                };
                (Status::MayRaise, versions(dropped.into_iter()), message)
            } else if &series == allowed {
                let message = format!(
                    "{} matches the SPEC 0 floor {}",
                    words.declared(),
                    words.version(allowed)
                );
                (Status::Fine, Vec::new(), message)
            } else {
                let dropped: Vec<&SupportWindow> = windows
                    .iter()
                    .filter(|w| &w.version >= allowed && w.version < series)
                    .collect();
                // SPEC 0 asks to support them until the quarter that holds the latest of
                // their drop dates.
                let until = dropped
                    .iter()
                    .map(|w| w.drops)
                    .max()
                    .map_or_else(String::new, quarter_start);
                let message = format!(
                    "{} drops {}, which SPEC 0 lets projects drop only from {}; lower the floor to {}",
                    words.declared(),
                    words.list(&dropped),
                    until,
                    words.requirement(allowed)
                );
                (Status::BelowPolicy, versions(dropped.into_iter()), message)
            }
        }
    };
    if let Some(marker) = &declaration.marker {
        let _ = write!(
            message,
            " (it applies only where `{marker}`; compared all the same)"
        );
    }

    Finding {
        package: declaration.package.clone(),
        declared: declaration.specifier.clone(),
        floor: declaration.floor.clone(),
        allowed,
        status,
        releases,
        marker: declaration.marker.clone(),
        extras: declaration.extras.clone(),
        source: declaration.source.clone(),
        line: declaration.line,
        message,
    }
}

/// The feature-release series a floor falls in: the newest known release at or below the
/// floor's release part when both share their first two components, else that release part.
fn series_of(floor: &Version, windows: &[SupportWindow]) -> Version {
    let release = floor.only_release();
    windows
        .iter()
        .rev()
        .find(|w| w.version <= release)
        .filter(|w| same_feature(&w.version, &release))
        .map_or(release.clone(), |w| w.version.clone())
}

/// Whether two versions share their first two release components (missing ones count as 0).
fn same_feature(a: &Version, b: &Version) -> bool {
    let part = |v: &Version, i: usize| v.release().get(i).copied().unwrap_or(0);
    part(a, 0) == part(b, 0) && part(a, 1) == part(b, 1)
}

fn versions<'a>(windows: impl Iterator<Item = &'a SupportWindow>) -> Vec<Version> {
    windows.map(|w| w.version.clone()).collect()
}

/// The UTC calendar day of a timestamp (`2026-06-16`).
fn day(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d").to_string()
}

/// The first day of the quarter that holds a drop time (`2026-04-01`).
fn quarter_start(drops: Timestamp) -> String {
    Quarter::of_timestamp(drops).start().to_string()
}

/// How the messages name a declaration, its package and versions.
struct Words<'a> {
    declaration: &'a Declaration,
    is_python: bool,
}

impl Words<'_> {
    fn name(&self) -> &str {
        if self.is_python {
            "Python"
        } else {
            &self.declaration.package
        }
    }

    fn declared(&self) -> String {
        let specifier = &self.declaration.specifier;
        if self.is_python {
            format!("requires-python = \"{specifier}\"")
        } else {
            format!("{}{specifier}", self.declaration.package)
        }
    }

    fn requirement(&self, version: &Version) -> String {
        if self.is_python {
            format!("requires-python = \">={version}\"")
        } else {
            format!("{}>={version}", self.declaration.package)
        }
    }

    fn version(&self, version: &Version) -> String {
        format!("{} {version}", self.name())
    }

    /// `numpy 2.0.0`, `numpy 1.26.0 and 2.0.0`, `numpy 1.25.0, 1.26.0 and 2.0.0`.
    fn list(&self, windows: &[&SupportWindow]) -> String {
        let names: Vec<String> = windows.iter().map(|w| w.version.to_string()).collect();
        let joined = match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        format!("{} {joined}", self.name())
    }
}

/// The report as an aligned table (package, declared, SPEC 0 floor, status, where), followed
/// by the message of every finding that needs action and by the problems of the file.
pub fn render_text(report: &CheckReport) -> String {
    let path = report.path.display().to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "SPEC 0 check of {path} as of {}: {} fine, {} may raise, {} below policy",
        day(report.date),
        report.count(Status::Fine),
        report.count(Status::MayRaise),
        report.count(Status::BelowPolicy),
    );
    if report.findings.is_empty() {
        out.push_str("no floors of Python or of a core package are declared\n");
    } else {
        let mut rows: Vec<[String; 5]> =
            vec![["package", "declared", "SPEC 0 floor", "status", "where"].map(String::from)];
        for finding in &report.findings {
            let mut declared = if finding.declared.is_empty() {
                "-".to_string()
            } else {
                finding.declared.clone()
            };
            if let Some(marker) = &finding.marker {
                let _ = write!(declared, "; {marker}");
            }
            rows.push([
                finding.package.clone(),
                declared,
                finding
                    .allowed
                    .as_ref()
                    .map_or_else(|| "-".to_string(), ToString::to_string),
                finding.status.label().to_string(),
                format!("{path}:{}", finding.line),
            ]);
        }
        out.push('\n');
        let mut widths = [0usize; 5];
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in &rows {
            let mut line = String::new();
            for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let _ = write!(line, "{cell:<width$}");
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    let actions: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Fine)
        .collect();
    if !actions.is_empty() {
        out.push('\n');
        for finding in actions {
            let _ = writeln!(
                out,
                "{path}:{} ({}): {}",
                finding.line, finding.source, finding.message
            );
        }
    }
    if !report.problems.is_empty() {
        out.push_str("\nproblems:\n");
        for problem in &report.problems {
            let _ = writeln!(out, "{problem}");
        }
    }
    out
}

/// The report as pretty-printed JSON: `path`, `date`, `needs_action`, `findings` (the fields of
/// [`Finding`], versions as strings) and `problems` (`line`, `message`).
pub fn render_json(report: &CheckReport) -> String {
    #[derive(serde::Serialize)]
    struct JsonProblem {
        line: usize,
        message: String,
    }
    #[derive(serde::Serialize)]
    struct JsonReport<'a> {
        path: String,
        date: Timestamp,
        needs_action: bool,
        findings: &'a [Finding],
        problems: Vec<JsonProblem>,
    }
    let json = JsonReport {
        path: report.path.display().to_string(),
        date: report.date,
        needs_action: report.needs_action(),
        findings: &report.findings,
        problems: report
            .problems
            .iter()
            .map(|p| JsonProblem {
                line: p.line,
                message: p.kind.to_string(),
            })
            .collect(),
    };
    match serde_json::to_string_pretty(&json) {
        Ok(text) => text,
        // Serializing strings, numbers and timestamps cannot fail; keep the output valid JSON.
        Err(error) => format!("{{\"error\": {:?}}}", error.to_string()),
    }
}

/// GitHub workflow commands, one line per finding that needs action (`::warning` for
/// [`Status::MayRaise`], `::error` for [`Status::BelowPolicy`]) and per problem (`::error`),
/// each pointing at its line of the file.
pub fn render_github(report: &CheckReport) -> String {
    let path = report.path.display().to_string();
    let mut out = String::new();
    for finding in &report.findings {
        let level = match finding.status {
            Status::Fine => continue,
            Status::MayRaise => "warning",
            Status::BelowPolicy => "error",
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},title={}::{}",
            escape_property(&path),
            finding.line,
            escape_property("SPEC 0"),
            escape_data(&finding.message)
        );
    }
    for problem in &report.problems {
        let _ = writeln!(
            out,
            "::error file={},line={},title={}::{}",
            escape_property(&problem.path.display().to_string()),
            problem.line,
            escape_property("invalid pyproject.toml"),
            escape_data(&problem.kind.to_string())
        );
    }
    out
}

/// Escapes the message of a GitHub workflow command (`::error::…`): `%`, `\r`, `\n`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a GitHub workflow command (`title=…`): as [`escape_data`], plus `:`
/// and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::Release;

    fn v(text: &str) -> Version {
        Version::from_str(text).expect("test version")
    }

    fn ts(text: &str) -> Timestamp {
        Timestamp::from_str(text).expect("test timestamp")
    }

    fn release(version: &str, day: &str) -> Release {
        Release {
            version: v(version),
            released: ts(&format!("{day}T00:00:00Z")),
        }
    }

    /// numpy drops: 1.26.0 2023-09-16 + 730 d = 2025-09-15 (the first year holds 2024-02-29);
    /// 2.0.0 2024-06-16 → 2026-06-16; 2.1.0 2024-08-18 → 2026-08-18; 2.2.0 → 2026-12-08.
    fn numpy() -> PackageReleases {
        PackageReleases::package(
            "NumPy",
            vec![
                release("1.26.0", "2023-09-16"),
                release("2.0.0", "2024-06-16"),
                release("2.1.0", "2024-08-18"),
                release("2.2.0", "2024-12-08"),
            ],
        )
    }

    fn declaration(package: &str, specifier: &str, floor: Option<&str>) -> Declaration {
        Declaration {
            package: package.to_string(),
            specifier: specifier.to_string(),
            floor: floor.map(v),
            marker: None,
            extras: Vec::new(),
            source: "project.dependencies".to_string(),
            line: 7,
            written: format!("{package}{specifier}"),
        }
    }

    fn one(declaration: Declaration, at: &str) -> Finding {
        let mut found = findings(&[declaration], &[numpy()], ts(at));
        assert_eq!(found.len(), 1);
        found.remove(0)
    }

    // On 2026-05-01 (2026 Q2) 1.26.0 (2025 Q3) and 2.0.0 (2026 Q2) may be dropped: the
    // minimum in force is 2.1.0.
    const AT: &str = "2026-05-01T00:00:00Z";

    #[test]
    fn series_granularity() {
        let windows = numpy().windows();
        assert_eq!(series_of(&v("2.0.2"), &windows), v("2.0.0"));
        assert_eq!(series_of(&v("2.1"), &windows), v("2.1.0"));
        assert_eq!(series_of(&v("2.1.0rc1"), &windows), v("2.1.0"));
        assert_eq!(series_of(&v("1.20"), &windows), v("1.20"));
        assert_eq!(series_of(&v("1.27.1"), &windows), v("1.27.1"));
        assert_eq!(series_of(&v("3.0"), &windows), v("3.0"));
    }

    #[test]
    fn statuses() {
        let may = one(declaration("numpy", ">=2.0.2", Some("2.0.2")), AT);
        assert_eq!(may.status, Status::MayRaise);
        assert_eq!(may.allowed, Some(v("2.1.0")));
        assert_eq!(may.releases, vec![v("2.0.0")]);
        assert_eq!(
            may.message,
            "numpy>=2.0.2 still supports numpy 2.0.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to numpy>=2.1.0"
        );

        let fine = one(declaration("numpy", ">=2.1.3", Some("2.1.3")), AT);
        assert_eq!(fine.status, Status::Fine);
        assert_eq!(
            fine.message,
            "numpy>=2.1.3 matches the SPEC 0 floor numpy 2.1.0"
        );

        let below = one(declaration("numpy", ">=3", Some("3")), AT);
        assert_eq!(below.status, Status::BelowPolicy);
        assert_eq!(below.releases, vec![v("2.1.0"), v("2.2.0")]);
        assert_eq!(
            below.message,
            "numpy>=3 drops numpy 2.1.0 and 2.2.0, which SPEC 0 lets projects drop only from 2026-10-01; lower the floor to numpy>=2.1.0"
        );

        // No lower bound supports more than SPEC 0 asks: fine, with the allowed floor named.
        let none = one(declaration("numpy", "<3", None), AT);
        assert_eq!(none.status, Status::Fine);
        assert_eq!(none.releases, vec![v("1.26.0"), v("2.0.0")]);
        assert_eq!(
            none.message,
            "numpy<3 declares no lower bound; SPEC 0 allows requiring numpy>=2.1.0"
        );
    }

    #[test]
    fn missing_requires_python() {
        // Python 3.11.0 2022-10-24 + 1095 d = 2025-10-23 (2024-02-29 inside); 3.12 drops
        // 2026-10-01: on 2026-05-01 the floor is 3.12.
        let python = PackageReleases::python(vec![
            release("3.11", "2022-10-24"),
            release("3.12", "2023-10-02"),
        ]);
        let mut missing = declaration("python", "", None);
        missing.source = crate::pyproject::REQUIRES_PYTHON.to_string();
        let found = findings(&[missing], &[python], ts(AT));
        assert_eq!(found[0].status, Status::MayRaise);
        assert_eq!(found[0].releases, vec![v("3.11")]);
        assert_eq!(
            found[0].message,
            "requires-python is missing or empty; SPEC 0 allows requires-python = \">=3.12\""
        );
    }

    #[test]
    fn the_floor_follows_the_quarter_not_the_day() {
        // 2.2.0's support ends 2026-12-08, in 2026 Q4: from 2026-10-01 the schedule's minimum
        // is the release after it, so on 2026-12-07 a floor of 2.2 may be raised, and no
        // floor newer than 2.2.0 is below policy for dropping 2.2.0.
        let mut releases = numpy();
        releases.releases.push(release("2.3.0", "2025-06-07"));
        let at = ts("2026-12-07T00:00:00Z");
        let found = findings(
            &[declaration("numpy", ">=2.3", Some("2.3"))],
            std::slice::from_ref(&releases),
            at,
        );
        assert_eq!(found[0].status, Status::Fine, "{}", found[0].message);
        assert_eq!(found[0].allowed, Some(v("2.3.0")));
        let found = findings(
            &[declaration("numpy", ">=2.2", Some("2.2"))],
            std::slice::from_ref(&releases),
            at,
        );
        assert_eq!(found[0].status, Status::MayRaise);
        assert_eq!(
            found[0].message,
            "numpy>=2.2 still supports numpy 2.2.0, which SPEC 0 lets projects drop from 2026-10-01; the floor may be raised to numpy>=2.3.0"
        );
    }

    #[test]
    fn floor_below_every_known_release() {
        // At 2025-01-01 nothing has dropped yet: allowed is the first known release, 1.26.0,
        // and a floor of 1.20 lies below it with no known release in between.
        let finding = one(
            declaration("numpy", ">=1.20", Some("1.20")),
            "2025-01-01T00:00:00Z",
        );
        assert_eq!(finding.status, Status::MayRaise);
        assert_eq!(finding.allowed, Some(v("1.26.0")));
        assert!(finding.releases.is_empty());
        assert_eq!(
            finding.message,
            "numpy>=1.20 allows releases older than numpy 1.26.0, the oldest SPEC 0 asks to support; the floor may be raised to numpy>=1.26.0"
        );
    }

    #[test]
    fn no_allowed_floor_is_fine() {
        // 2.2.0 drops 2026-12-08, so at 2027-01-01 every known release is past support.
        let finding = one(
            declaration("numpy", ">=2.2", Some("2.2")),
            "2027-01-01T00:00:00Z",
        );
        assert_eq!(finding.status, Status::Fine);
        assert_eq!(finding.allowed, None);
        let empty = PackageReleases::package("numpy", Vec::new());
        let found = findings(&[declaration("numpy", ">=1", Some("1"))], &[empty], ts(AT));
        assert_eq!(found[0].status, Status::Fine);
        assert_eq!(
            found[0].message,
            "no releases of numpy are known, so SPEC 0 sets no floor"
        );
    }

    #[test]
    fn unknown_packages_are_not_reported() {
        let found = findings(
            &[declaration("scipy", ">=1.11", Some("1.11"))],
            &[numpy()],
            ts(AT),
        );
        assert!(found.is_empty());
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn marker_is_mentioned_and_github_escapes() {
        let mut declared = declaration("numpy", ">=1.26", Some("1.26"));
        declared.marker = Some("python_version < '3.12'".to_string());
        let floors = DeclaredFloors {
            path: PathBuf::from("sub,dir/pyproject.toml"),
            declarations: vec![declared],
            problems: Vec::new(),
        };
        let report = check(&floors, &[numpy()], ts(AT));
        assert!(report.needs_action());
        assert_eq!(
            render_github(&report),
            "::warning file=sub%2Cdir/pyproject.toml,line=7,title=SPEC 0::numpy>=1.26 still supports numpy 1.26.0 and 2.0.0, which SPEC 0 lets projects drop from 2026-04-01; the floor may be raised to numpy>=2.1.0 (it applies only where `python_version < '3.12'`; compared all the same)\n"
        );
    }
}
