//! The ecosystem agora works on: its projects and CPython's release dates, read from
//! `agora.toml`, and where agora keeps its files.
//!
//! An ecosystem starts from a built-in default ([`Ecosystem::builtin`]): the ten SPEC 0 core
//! projects and the X.Y.0 release dates of CPython 3.8 to 3.15. `agora.toml` overrides it:
//! a `[[project]]` whose `name` matches a default replaces that project's fields, a new name
//! adds a project, and `[python]` entries replace or add release dates. With
//! `include-defaults = false` under `[ecosystem]` the file starts from nothing instead.
//! Errors name the file, the line, the column and the key ([`ConfigError`]).

mod defaults;
mod paths;
mod serve;

pub use defaults::{DEFAULT_INDEX_URL, starter_toml};
pub use paths::{
    CONFIG_FILE, Paths, Placement, STATE_DIR, find_config, find_repository_root, user_cache_dir,
};
pub use serve::{LogFormat, ServeSettings};

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;

/// What a project is to the ecosystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A SPEC 0 core project: its releases drive the support schedule.
    Core,
    /// Any other project the ecosystem follows.
    Member,
}

/// One project of the ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Project {
    /// The short name agora shows (`scikit-image`).
    pub name: String,
    /// The distribution name on PyPI.
    pub pypi: String,
    /// The GitHub repository, `owner/name`.
    pub repo: Option<String>,
    /// The URL of the published documentation.
    pub docs: Option<String>,
    /// Core (counts for SPEC 0) or member.
    pub role: Role,
    /// A local checkout of the repository, for `agora review` over the ecosystem; relative
    /// paths are relative to the folder of agora.toml.
    pub checkout: Option<PathBuf>,
}

/// The X.Y.0 release date of one CPython feature version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PythonRelease {
    /// `3.13`.
    pub version: String,
    /// The day X.Y.0 was (or is planned to be) released.
    pub released: Date,
}

/// An ecosystem: the projects agora follows, and CPython's release dates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ecosystem {
    /// A name for the portal and reports.
    pub name: String,
    /// The PyPI simple index to read, PEP 691 JSON (like pip's `--index-url`).
    pub index_url: String,
    /// The projects, in the order of the file.
    pub projects: Vec<Project>,
    /// CPython feature releases, oldest first.
    pub python: Vec<PythonRelease>,
    /// The file this came from, `None` for the built-in default.
    pub source: Option<PathBuf>,
    /// `[serve]`: the settings of `agora serve`.
    pub serve: ServeSettings,
}

/// Why `agora.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a key has the wrong type or an unknown name.
    #[error("{path}:{line}:{column}: {key}{message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending key or value.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The dotted key (`project[2].role: `), empty when the TOML itself is broken.
        key: String,
        /// What was wrong and what was expected.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    ecosystem: FileEcosystem,
    #[serde(default)]
    project: Vec<FileProject>,
    #[serde(default)]
    python: std::collections::BTreeMap<String, toml::value::Datetime>,
    #[serde(default)]
    serve: ServeSettings,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileEcosystem {
    name: Option<String>,
    index_url: Option<String>,
    include_defaults: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileProject {
    name: String,
    pypi: Option<String>,
    repo: Option<String>,
    docs: Option<String>,
    role: Option<Role>,
    checkout: Option<PathBuf>,
}

impl Ecosystem {
    /// The built-in ecosystem: SPEC 0's core projects and CPython 3.8 to 3.15.
    pub fn builtin() -> Ecosystem {
        defaults::builtin()
    }

    /// Reads `path`; see the module documentation for how it combines with the default.
    pub fn load(path: &Path) -> Result<Ecosystem, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses the text of an `agora.toml`; `path` only names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Ecosystem, ConfigError> {
        let file: FileConfig = deserialize(text, path)?;
        let mut ecosystem = if file.ecosystem.include_defaults.unwrap_or(true) {
            Ecosystem::builtin()
        } else {
            Ecosystem {
                name: "ecosystem".into(),
                index_url: DEFAULT_INDEX_URL.into(),
                projects: Vec::new(),
                python: Vec::new(),
                source: None,
                serve: ServeSettings::default(),
            }
        };
        ecosystem.source = Some(path.to_path_buf());
        ecosystem.serve = file.serve;
        if let Some(site) = ecosystem.serve.site.take() {
            ecosystem.serve.site = Some(resolve(path, site));
        }
        if let Some(name) = file.ecosystem.name {
            ecosystem.name = name;
        }
        if let Some(url) = file.ecosystem.index_url {
            ecosystem.index_url = url;
        }
        for entry in file.project {
            let existing = ecosystem.projects.iter_mut().find(|p| p.name == entry.name);
            match existing {
                Some(project) => {
                    if let Some(pypi) = entry.pypi {
                        project.pypi = pypi;
                    }
                    if entry.repo.is_some() {
                        project.repo = entry.repo;
                    }
                    if entry.docs.is_some() {
                        project.docs = entry.docs;
                    }
                    if let Some(role) = entry.role {
                        project.role = role;
                    }
                    if let Some(checkout) = entry.checkout {
                        project.checkout = Some(resolve(path, checkout));
                    }
                }
                None => ecosystem.projects.push(Project {
                    pypi: entry.pypi.unwrap_or_else(|| entry.name.clone()),
                    name: entry.name,
                    repo: entry.repo,
                    docs: entry.docs,
                    role: entry.role.unwrap_or(Role::Member),
                    checkout: entry.checkout.map(|checkout| resolve(path, checkout)),
                }),
            }
        }
        for (version, date) in file.python {
            let released = python_date(&version, &date, text, path)?;
            match ecosystem.python.iter_mut().find(|p| p.version == version) {
                Some(release) => release.released = released,
                None => ecosystem.python.push(PythonRelease { version, released }),
            }
        }
        ecosystem
            .python
            .sort_by_key(|p| python_sort_key(&p.version));
        Ok(ecosystem)
    }

    /// The core projects, in the order of the file.
    pub fn core_projects(&self) -> impl Iterator<Item = &Project> {
        self.projects.iter().filter(|p| p.role == Role::Core)
    }

    /// The project called `name`, matched on its agora name or its PyPI name.
    pub fn project(&self, name: &str) -> Option<&Project> {
        let wanted = normalize(name);
        self.projects
            .iter()
            .find(|p| normalize(&p.name) == wanted || normalize(&p.pypi) == wanted)
    }
}

/// `checkout` as written in the file at `config`: relative to the file's folder.
fn resolve(config: &Path, checkout: PathBuf) -> PathBuf {
    match config.parent() {
        Some(dir) if checkout.is_relative() => dir.join(checkout),
        _ => checkout,
    }
}

/// PEP 503 normalization of a project name: lowercase, runs of `-_.` become `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.extend(ch.to_lowercase());
            in_separator = false;
        }
    }
    out
}

/// Sorts `3.9` before `3.10`.
fn python_sort_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(u64::MAX))
        .collect()
}

fn python_date(
    version: &str,
    value: &toml::value::Datetime,
    text: &str,
    path: &Path,
) -> Result<Date, ConfigError> {
    let invalid = |message: String| {
        let (line, column) = find_key_line(text, version);
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            key: format!("python.\"{version}\": "),
            message,
        }
    };
    if python_sort_key(version).contains(&u64::MAX) || !version.contains('.') {
        return Err(invalid(format!(
            "`{version}` is not a Python version like \"3.13\""
        )));
    }
    match (value.date, value.time) {
        (Some(date), None) => Date::new(date.year as i16, date.month as i8, date.day as i8)
            .map_err(|e| invalid(format!("invalid date: {e}"))),
        _ => Err(invalid(format!(
            "expected a date like 2024-10-07, found `{value}`"
        ))),
    }
}

/// Where `key` is first written as a key in `text`, for errors that serde cannot place.
fn find_key_line(text: &str, key: &str) -> (usize, usize) {
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(&format!("\"{key}\"")) || trimmed.starts_with(&format!("'{key}'")) {
            return (n + 1, line.len() - trimmed.len() + 1);
        }
    }
    (1, 1)
}

fn deserialize<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, ConfigError> {
    let deserializer = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let key = error.path().to_string();
        let inner = error.into_inner();
        let (line, column) = inner
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        let key = if key == "." || key.is_empty() {
            String::new()
        } else {
            format!("{key}: ")
        };
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            key,
            message: inner.message().trim().to_string(),
        }
    })
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
