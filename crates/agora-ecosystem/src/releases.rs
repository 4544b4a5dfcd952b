//! The feature releases of Python and of the ecosystem's core projects, as the store holds
//! them: what SPEC 0's schedule, `schedule check`, review's AG100 and the portal compute from.

use agora_config::Ecosystem;
use agora_schedule::{PackageReleases, Release, is_feature_release};
use std::collections::BTreeMap;

use agora_store::Store;
use agora_store::pypi::PypiProject;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::EcosystemError;

/// Python's and the core projects' feature releases from `store`, and the core projects the
/// store has no PyPI data for (left out of the first list).
pub fn stored(
    store: &Store,
    ecosystem: &Ecosystem,
) -> Result<(Vec<PackageReleases>, Vec<String>), EcosystemError> {
    stored_reusing(store, ecosystem, &BTreeMap::new()).map(|read| (read.packages, read.missing))
}

/// The feature releases read from one project's PyPI page, kept with the page's digest so
/// that a later read of an unchanged page can reuse them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageReleases {
    /// [`page_digest`] of the page they were read from.
    pub page: String,
    /// Each feature release: its version and first upload.
    pub releases: Vec<(String, Timestamp)>,
}

/// What [`stored_reusing`] read.
#[derive(Debug, Clone)]
pub struct StoredReleases {
    /// Python's releases first, then each core project's with PyPI data.
    pub packages: Vec<PackageReleases>,
    /// The core projects without PyPI data.
    pub missing: Vec<String>,
    /// Per core project (by name), the releases and the page they came from.
    pub pages: BTreeMap<String, PageReleases>,
}

/// The digest of a stored PyPI page: its content hash and serial.
pub fn page_digest(page: &PypiProject) -> String {
    format!(
        "{}:{}",
        page.content_sha256.as_deref().unwrap_or("-"),
        page.last_serial
            .map_or_else(|| "-".into(), |s| s.to_string())
    )
}

/// CPython's feature releases from the ecosystem's `[python]` dates (no store needed).
pub fn python_releases(ecosystem: &Ecosystem) -> PackageReleases {
    PackageReleases::python(
        ecosystem
            .python
            .iter()
            .filter_map(|p| {
                Some(Release {
                    version: p.version.parse().ok()?,
                    released: start_of(p.released),
                })
            })
            .collect(),
    )
}

/// As [`stored`], but a core project whose page digest is in `known` takes its releases from
/// there instead of reading its files again.
pub fn stored_reusing(
    store: &Store,
    ecosystem: &Ecosystem,
    known: &BTreeMap<String, PageReleases>,
) -> Result<StoredReleases, EcosystemError> {
    let python = python_releases(ecosystem);
    let mut read = StoredReleases {
        packages: vec![python],
        missing: Vec::new(),
        pages: BTreeMap::new(),
    };
    for project in ecosystem.core_projects() {
        let name = agora_config::normalize(&project.pypi);
        let Some(page) = store.pypi_project(&name)? else {
            read.missing.push(project.name.clone());
            continue;
        };
        let page = page_digest(&page);
        let reused = known
            .get(&project.name)
            .filter(|known| known.page == page)
            .and_then(|known| {
                known
                    .releases
                    .iter()
                    .map(|(version, released)| {
                        Some(Release {
                            version: version.parse().ok()?,
                            released: *released,
                        })
                    })
                    .collect::<Option<Vec<Release>>>()
            });
        let releases = match reused {
            Some(releases) => releases,
            None => agora_pypi::releases::first_uploads(&store.pypi_files(&name)?)
                .into_iter()
                .filter(|(version, _)| is_feature_release(version))
                .map(|(version, released)| Release { version, released })
                .collect(),
        };
        read.pages.insert(
            project.name.clone(),
            PageReleases {
                page,
                releases: releases
                    .iter()
                    .map(|r| (r.version.to_string(), r.released))
                    .collect(),
            },
        );
        read.packages
            .push(PackageReleases::package(project.name.clone(), releases));
    }
    Ok(read)
}

/// The first moment of `date`, in UTC.
pub fn start_of(date: Date) -> Timestamp {
    date.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}
