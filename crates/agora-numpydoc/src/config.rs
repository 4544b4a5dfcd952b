//! The validation settings, read as numpydoc's hook reads them.
//!
//! The project root is the nearest folder, from the common parent of the paths linted
//! upwards, holding `pyproject.toml`, `setup.cfg`, `.git` or `.hg` ([`find_project_root`]).
//! Its `pyproject.toml` `[tool.numpydoc_validation]` table is read if the file exists (and
//! then `setup.cfg` is not looked at), else `setup.cfg`'s `[tool:numpydoc_validation]` section
//! with comma-separated values. Keys: `checks` (`"all"` plus codes to leave out, or the codes to
//! run), `exclude` (regexes on the object's dotted name), `exclude_files` (regexes matched at
//! the start of the file path), `override_<CODE>` (regexes on the cleaned docstring that
//! silence that code).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::validate::{all_codes, is_known_code};

/// What is wrong with a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("{path}: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A key has a value of the wrong type.
    #[error("{path}: [tool.numpydoc_validation] {key} must be a string or a list of strings")]
    Type {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
    },
    /// A check code that numpydoc does not have.
    #[error("{path}: unrecognized validation code(s) in checks: {codes}")]
    UnknownCode {
        /// The file (or `--ignore`).
        path: PathBuf,
        /// The codes, comma-separated.
        codes: String,
    },
    /// A regex that does not compile.
    #[error("{path}: invalid regex in {key}: {message}")]
    Regex {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
        /// The regex engine's message.
        message: String,
    },
}

/// The validation settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The codes to report.
    pub checks: BTreeSet<String>,
    /// Objects whose dotted name matches are not checked (their children still are).
    pub exclude: Option<Regex>,
    /// Files whose path matches at its start are skipped.
    pub exclude_files: Option<Regex>,
    /// Per code, a regex on the cleaned docstring that silences the code.
    pub overrides: BTreeMap<String, Regex>,
    /// The file the settings came from, if any.
    pub source: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            checks: all_codes().into_iter().map(str::to_string).collect(),
            exclude: None,
            exclude_files: None,
            overrides: BTreeMap::new(),
            source: None,
        }
    }
}

/// The raw settings before validation: lists of strings per key.
#[derive(Debug, Default)]
struct RawSettings {
    checks: Option<Vec<String>>,
    exclude: Vec<String>,
    exclude_files: Vec<String>,
    overrides: Vec<(String, Vec<String>)>,
}

impl Config {
    /// Reads the settings of the project at `root` (`pyproject.toml`, else `setup.cfg`); the
    /// defaults (every check) when neither has a section.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let toml_path = root.join("pyproject.toml");
        let cfg_path = root.join("setup.cfg");
        let (raw, source) = if toml_path.is_file() {
            (read_pyproject(&toml_path)?, toml_path)
        } else if cfg_path.is_file() {
            (read_setup_cfg(&cfg_path)?, cfg_path)
        } else {
            return Ok(Config::default());
        };
        Config::from_raw(raw, source)
    }

    fn from_raw(raw: RawSettings, source: PathBuf) -> Result<Config, ConfigError> {
        let requested: BTreeSet<String> = raw
            .checks
            .unwrap_or_else(|| vec!["all".to_string()])
            .into_iter()
            .collect();
        let checks = resolve_checks(&requested).map_err(|codes| ConfigError::UnknownCode {
            path: source.clone(),
            codes,
        })?;
        let compile = |key: &str, patterns: &[String]| -> Result<Option<Regex>, ConfigError> {
            let parts: Vec<&str> = patterns
                .iter()
                .map(String::as_str)
                .filter(|p| !p.is_empty())
                .collect();
            if patterns.is_empty() {
                return Ok(None);
            }
            Regex::new(&parts.join("|"))
                .map(Some)
                .map_err(|error| ConfigError::Regex {
                    path: source.clone(),
                    key: key.to_string(),
                    message: error.to_string(),
                })
        };
        let mut overrides = BTreeMap::new();
        for (code, patterns) in &raw.overrides {
            if let Some(regex) = compile(&format!("override_{code}"), patterns)? {
                overrides.insert(code.to_uppercase(), regex);
            }
        }
        Ok(Config {
            checks,
            exclude: compile("exclude", &raw.exclude)?,
            exclude_files: compile("exclude_files", &raw.exclude_files)?,
            overrides,
            source: Some(source),
        })
    }

    /// Leaves out the given codes (`--ignore`); an unknown code is an error.
    pub fn ignore(&mut self, codes: &[String]) -> Result<(), ConfigError> {
        let unknown: Vec<&str> = codes
            .iter()
            .map(String::as_str)
            .filter(|code| !is_known_code(code))
            .collect();
        if !unknown.is_empty() {
            return Err(ConfigError::UnknownCode {
                path: PathBuf::from("--ignore"),
                codes: unknown.join(", "),
            });
        }
        for code in codes {
            self.checks.remove(code);
        }
        Ok(())
    }

    /// Whether a file is left out by `exclude_files` (matched at the start of the path as
    /// given).
    pub fn excludes_file(&self, path: &str) -> bool {
        self.exclude_files
            .as_ref()
            .and_then(|regex| regex.find(path))
            .is_some_and(|found| found.start() == 0)
    }
}

/// numpydoc's `get_validation_checks`: `all` means every code except the others listed.
fn resolve_checks(requested: &BTreeSet<String>) -> Result<BTreeSet<String>, String> {
    let every: BTreeSet<String> = all_codes().into_iter().map(str::to_string).collect();
    let selected: BTreeSet<String> = if requested.contains("all") {
        every.difference(requested).cloned().collect()
    } else {
        requested.clone()
    };
    let unknown: Vec<&str> = selected
        .iter()
        .map(String::as_str)
        .filter(|code| !is_known_code(code))
        .collect();
    if unknown.is_empty() {
        Ok(selected)
    } else {
        Err(unknown.join(", "))
    }
}

fn string_list(value: &toml::Value, key: &str, path: &Path) -> Result<Vec<String>, ConfigError> {
    let error = || ConfigError::Type {
        path: path.to_path_buf(),
        key: key.to_string(),
    };
    match value {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string).ok_or_else(error))
            .collect(),
        _ => Err(error()),
    }
}

fn read_pyproject(path: &Path) -> Result<RawSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let document: toml::Table =
        text.parse()
            .map_err(|error: toml::de::Error| ConfigError::Toml {
                path: path.to_path_buf(),
                message: error.to_string(),
            })?;
    let mut raw = RawSettings::default();
    let Some(table) = document
        .get("tool")
        .and_then(|tool| tool.get("numpydoc_validation"))
        .and_then(toml::Value::as_table)
    else {
        return Ok(raw);
    };
    for (key, value) in table {
        match key.as_str() {
            "checks" => raw.checks = Some(string_list(value, key, path)?),
            "exclude" => raw.exclude = string_list(value, key, path)?,
            "exclude_files" => raw.exclude_files = string_list(value, key, path)?,
            _ => {
                if let Some(code) = key.strip_prefix("override_") {
                    raw.overrides
                        .push((code.to_string(), string_list(value, key, path)?));
                }
            }
        }
    }
    Ok(raw)
}

/// Comma-separated values of `setup.cfg`, as numpydoc splits them (a trailing comma
/// allowed); surrounding whitespace of each item is dropped.
fn comma_list(value: &str) -> Vec<String> {
    value
        .trim_end_matches(',')
        .split(',')
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

fn read_setup_cfg(path: &Path) -> Result<RawSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut raw = RawSettings::default();
    for (key, value) in ini_section(&text, "tool:numpydoc_validation") {
        match key.as_str() {
            "checks" => raw.checks = Some(comma_list(&value)),
            "exclude" => raw.exclude = comma_list(&value),
            "exclude_files" => raw.exclude_files = comma_list(&value),
            _ => {
                if let Some(code) = key.strip_prefix("override_")
                    && !value.trim().is_empty()
                {
                    raw.overrides
                        .push((code.to_string(), vec![value.trim().to_string()]));
                }
            }
        }
    }
    Ok(raw)
}

/// The keys (lower-cased, as configparser does) and values of one INI section; indented lines
/// continue the previous value.
fn ini_section(text: &str, wanted: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            inside = name.trim() == wanted;
            continue;
        }
        if !inside || trimmed.is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        let split = trimmed.find(['=', ':']);
        if let Some(index) = split {
            let key = trimmed[..index].trim().to_lowercase();
            let value = trimmed[index + 1..].trim().to_string();
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => out.push((key, value)),
            }
        }
    }
    out
}

/// numpydoc's project root: from the common parent of `paths` upwards, the first folder with
/// `pyproject.toml`, `setup.cfg`, `.git` or `.hg`; the file-system root when none has.
pub fn find_project_root(paths: &[PathBuf]) -> PathBuf {
    let absolute: Vec<PathBuf> = paths
        .iter()
        .map(|path| std::path::absolute(path).unwrap_or_else(|_| path.clone()))
        .collect();
    let mut common = match absolute.first() {
        Some(first) => first.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    for path in absolute.iter().skip(1) {
        while !path.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    let mut last = common.clone();
    for dir in common.ancestors() {
        last = dir.to_path_buf();
        if dir.join("pyproject.toml").is_file()
            || dir.join("setup.cfg").is_file()
            || dir.join(".git").exists()
            || dir.join(".hg").is_dir()
        {
            return last;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_all_minus_and_explicit() {
        let all_but: BTreeSet<String> = ["all", "GL08"].iter().map(|s| s.to_string()).collect();
        let resolved = resolve_checks(&all_but).unwrap_or_default();
        assert!(!resolved.contains("GL08") && resolved.contains("EX01"));
        let explicit: BTreeSet<String> = ["SS01".to_string()].into();
        assert_eq!(resolve_checks(&explicit), Ok(explicit.clone()));
        let bad: BTreeSet<String> = ["XX99".to_string()].into();
        assert_eq!(resolve_checks(&bad), Err("XX99".to_string()));
    }

    #[test]
    fn setup_cfg_section() {
        let pairs = ini_section(
            "[metadata]\nname = x\n\n[tool:numpydoc_validation]\nchecks = all,GL08,\nOverride_SS05 = ^Process\n",
            "tool:numpydoc_validation",
        );
        assert_eq!(
            pairs,
            [
                ("checks".to_string(), "all,GL08,".to_string()),
                ("override_ss05".to_string(), "^Process".to_string())
            ]
        );
        assert_eq!(comma_list("all, GL08,"), ["all", "GL08"]);
    }
}
