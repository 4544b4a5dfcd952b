//! A CI test matrix from SPEC 0 as of a date (`agora schedule matrix`).
//!
//! The Python versions are the CPython feature releases the ecosystem knows, released on or
//! before the date, from the project's `requires-python` floor upward (SPEC 0's minimum in
//! force when the project declares none) and allowed by its specifiers. The "oldest supported
//! dependencies" entry runs on the lowest of them with every `project.dependencies` entry of a
//! core project pinned exactly (`numpy==2.1.0`) to the higher of SPEC 0's minimum in force
//! ([`PackageReleases::minimum_in_force`], the rule `schedule check` uses) and the project's own
//! floor; extras and markers are kept, and requirements of other projects are left as written.

use std::str::FromStr;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use pep440_rs::{Version, VersionSpecifiers};

use crate::pyproject::{DeclaredFloors, normalize_name};
use crate::{PYTHON, PackageReleases};

/// Where the dependencies the oldest entry pins are declared.
const DEPENDENCIES: &str = "project.dependencies";

/// One job of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// What the job is called (`python 3.13`, `oldest supported dependencies`).
    pub name: String,
    /// The CPython feature release (`3.13`).
    #[serde(rename = "python-version")]
    pub python_version: String,
    /// For the oldest entry, the requirements to install; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<String>>,
}

/// A test matrix: GitHub's `{"include": [...]}` shape.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Matrix {
    /// The jobs: one per Python version, then the oldest supported dependencies.
    pub include: Vec<Entry>,
}

/// The matrix for a project's declared floors on `date`; `packages` are Python and the core
/// packages with their feature releases.
pub fn matrix(declared: &DeclaredFloors, packages: &[PackageReleases], date: Date) -> Matrix {
    let python = packages.iter().find(|p| p.name == PYTHON);
    let declared_python = declared.declarations.iter().find(|d| d.package == PYTHON);
    let specifiers = declared_python
        .and_then(|d| VersionSpecifiers::from_str(&d.specifier).ok())
        .filter(|s| !s.is_empty());
    let lowest = declared_python
        .and_then(|d| d.floor.clone())
        .or_else(|| python.and_then(|p| p.minimum_in_force(date)));
    let versions: Vec<Version> = python
        .map(|p| {
            p.windows()
                .into_iter()
                .filter(|w| w.released.to_zoned(TimeZone::UTC).date() <= date)
                .map(|w| w.version)
                .filter(|v| lowest.as_ref().is_none_or(|lowest| v >= lowest))
                .filter(|v| {
                    let full = Version::new([
                        v.release().first().copied().unwrap_or(0),
                        v.release().get(1).copied().unwrap_or(0),
                        0,
                    ]);
                    specifiers.as_ref().is_none_or(|s| s.contains(&full))
                })
                .collect()
        })
        .unwrap_or_default();

    let mut include: Vec<Entry> = versions
        .iter()
        .map(|v| Entry {
            name: format!("python {v}"),
            python_version: v.to_string(),
            dependencies: None,
        })
        .collect();
    if let Some(oldest) = versions.first() {
        include.push(Entry {
            name: "oldest supported dependencies".to_string(),
            python_version: oldest.to_string(),
            dependencies: Some(oldest_dependencies(declared, packages, date)),
        });
    }
    Matrix { include }
}

/// `project.dependencies` with core projects pinned at their SPEC 0 floors.
fn oldest_dependencies(
    declared: &DeclaredFloors,
    packages: &[PackageReleases],
    date: Date,
) -> Vec<String> {
    declared
        .declarations
        .iter()
        .filter(|d| d.source == DEPENDENCIES)
        .map(|d| {
            let minimum = packages
                .iter()
                .filter(|p| p.name != PYTHON)
                .find(|p| normalize_name(&p.name) == d.package)
                .and_then(|p| p.minimum_in_force(date));
            let Some(minimum) = minimum else {
                return d.written.clone();
            };
            // The project's own floor wins when it is higher: the pin must satisfy it.
            let pin = match &d.floor {
                Some(floor) if floor > &minimum => floor.clone(),
                _ => minimum,
            };
            let mut text = d.package.clone();
            if !d.extras.is_empty() {
                text.push_str(&format!("[{}]", d.extras.join(",")));
            }
            text.push_str(&format!("=={pin}"));
            if let Some(marker) = &d.marker {
                text.push_str(&format!("; {marker}"));
            }
            text
        })
        .collect()
}

/// What a workflow step appends to `$GITHUB_OUTPUT`: `matrix=<one-line JSON>`, to use as
/// `strategy.matrix: ${{ fromJSON(needs.<job>.outputs.matrix) }}`.
pub fn render_github(matrix: &Matrix) -> String {
    let json = serde_json::to_string(matrix).unwrap_or_else(|_| "{}".to_string());
    format!("matrix={json}\n")
}

/// The matrix as pretty-printed JSON.
pub fn render_json(matrix: &Matrix) -> String {
    serde_json::to_string_pretty(matrix).unwrap_or_else(|_| "{}".to_string())
}
