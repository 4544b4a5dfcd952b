//! The feature releases of Python and of the ecosystem's core projects, as the store holds
//! them: what SPEC 0's schedule, `schedule check`, review's AG100 and the portal compute from.

use agora_config::Ecosystem;
use agora_schedule::{PackageReleases, Release, is_feature_release};
use agora_store::Store;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::EcosystemError;

/// Python's and the core projects' feature releases from `store`, and the core projects the
/// store has no PyPI data for (left out of the first list).
pub fn stored(
    store: &Store,
    ecosystem: &Ecosystem,
) -> Result<(Vec<PackageReleases>, Vec<String>), EcosystemError> {
    let python = PackageReleases::python(
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
    );
    let mut packages = vec![python];
    let mut missing = Vec::new();
    for project in ecosystem.core_projects() {
        let name = agora_config::normalize(&project.pypi);
        if store.pypi_project(&name)?.is_none() {
            missing.push(project.name.clone());
            continue;
        }
        let files = store.pypi_files(&name)?;
        let releases = agora_pypi::releases::first_uploads(&files)
            .into_iter()
            .filter(|(version, _)| is_feature_release(version))
            .map(|(version, released)| Release { version, released })
            .collect();
        packages.push(PackageReleases::package(project.name.clone(), releases));
    }
    Ok((packages, missing))
}

/// The first moment of `date`, in UTC.
pub fn start_of(date: Date) -> Timestamp {
    date.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}
