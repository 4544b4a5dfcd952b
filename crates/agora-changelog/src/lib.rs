//! Release notes from the GitHub mirror and git, as scientific-python/changelist writes them.
//!
//! [`changelog`] is the use case behind `agora changelog`: it reads the commits of
//! `START..STOP` from a local clone ([`git`]), the configuration from `[tool.changelist]` in
//! `pyproject.toml` at STOP or from a file ([`config`]), what the store mirrors of the
//! repository's PRs, commits and users ([`mirror`]), and builds one model ([`notes`]) that
//! [`render`] shows as markdown or reST (and the front end as JSON). Nothing here talks to the
//! network: the mirror is filled beforehand by `agora github sync --release-notes`, and
//! without it the notes come from git alone and say what they could not know.

pub mod config;
pub mod git;
pub mod mirror;
pub mod notes;
pub mod refs;
pub mod render;

use std::path::{Path, PathBuf};

use agora_store::Store;

pub use config::{Config, ConfigError};
pub use git::GitError;
pub use notes::{Origin, ReleaseNotes};
pub use render::{Extras, Format, render};

/// Why notes could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChangelogError {
    /// Git failed.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A configuration file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] agora_store::StoreError),
    /// The repository name is not `owner/name`.
    #[error("{0:?} is not a repository: expected OWNER/NAME")]
    BadRepo(String),
}

/// What `agora changelog` was asked.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `owner/name`.
    pub repo: &'a str,
    /// The previous release (excluded).
    pub start: &'a str,
    /// The release (included).
    pub stop: &'a str,
    /// The version announced.
    pub version: &'a str,
    /// The local clone.
    pub git: &'a Path,
    /// A TOML file with `[tool.changelist]`, instead of `pyproject.toml` at STOP.
    pub config: Option<&'a Path>,
}

/// Reads the configuration: the given file, else `pyproject.toml` at STOP, else defaults.
pub fn load_config(request: &Request<'_>) -> Result<Config, ChangelogError> {
    match request.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| ChangelogError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            Ok(Config::from_toml(&text, &path.display().to_string())?)
        }
        None => match git::file_at(request.git, request.stop, "pyproject.toml")? {
            Some(text) => Ok(Config::from_toml(
                &text,
                &format!("pyproject.toml at {}", request.stop),
            )?),
            None => Ok(Config::default()),
        },
    }
}

/// Builds the notes of a range from git and (when given) the store's mirror.
pub fn changelog(
    request: &Request<'_>,
    store: Option<&Store>,
) -> Result<ReleaseNotes, ChangelogError> {
    let mut parts = request.repo.split('/');
    let valid = matches!((parts.next(), parts.next(), parts.next()), (Some(o), Some(n), None) if !o.is_empty() && !n.is_empty());
    if !valid {
        return Err(ChangelogError::BadRepo(request.repo.to_string()));
    }
    let config = load_config(request)?;
    let range = git::read_range(request.git, request.start, request.stop)?;
    let mirror = match store {
        Some(store) => Some(mirror::Mirror::load(store, request.repo)?),
        None => None,
    };
    Ok(notes::build(
        &range,
        mirror.as_ref(),
        &notes::Options {
            repo: request.repo,
            version: request.version,
            config: &config,
        },
    )?)
}
