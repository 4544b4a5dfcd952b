//! One project's health report, the use case behind `agora health PROJECT` and the server's
//! `/api/v1/projects/{project}/health`: the repository a name stands for, its mirrored issues
//! and pull requests read from the store, and the report computed over them.

use agora_config::Ecosystem;
use agora_health::report::{HealthReport, Options};
use agora_store::Store;

/// Why a name has no repository to report on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRepository {
    /// The project has no `repo` in agora.toml.
    #[error("project `{0}` has no GitHub repository in agora.toml (repo = \"OWNER/NAME\")")]
    NotConfigured(String),
    /// The name is neither `OWNER/NAME` nor a project of the ecosystem.
    #[error("`{0}` is neither OWNER/NAME nor a project of the ecosystem")]
    Unknown(String),
}

/// `OWNER/NAME` for a repository (given as such) or a project name of the ecosystem.
pub fn repository(ecosystem: &Ecosystem, name: &str) -> Result<String, NoRepository> {
    if name.contains('/') {
        return Ok(name.to_owned());
    }
    match ecosystem.project(name) {
        Some(project) => project
            .repo
            .clone()
            .ok_or_else(|| NoRepository::NotConfigured(name.to_owned())),
        None => Err(NoRepository::Unknown(name.to_owned())),
    }
}

/// A repository's health report.
#[derive(Debug)]
pub struct Found {
    /// The report.
    pub report: HealthReport,
    /// Stored items left out because they have no creation time.
    pub skipped: usize,
}

/// The health report of `repo` over the window of `options`, from the store; `None` when the
/// store holds no GitHub data for it.
pub fn report(
    store: &Store,
    repo: &str,
    options: &Options,
) -> Result<Option<Found>, agora_store::StoreError> {
    Ok(
        agora_health::load::from_store(store, repo)?.map(|loaded| Found {
            report: HealthReport::compute(&loaded.data, options),
            skipped: loaded.skipped,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_repositories() {
        let ecosystem = Ecosystem::builtin();
        assert_eq!(repository(&ecosystem, "scipy"), Ok("scipy/scipy".into()));
        assert_eq!(repository(&ecosystem, "a/b"), Ok("a/b".into()));
        assert_eq!(
            repository(&ecosystem, "nope"),
            Err(NoRepository::Unknown("nope".into()))
        );
        let store = Store::open_in_memory().expect("store");
        assert!(
            report(&store, "scipy/scipy", &Options::default())
                .expect("read")
                .is_none()
        );
    }
}
