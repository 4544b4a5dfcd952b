//! Which checks run, and what the project declares about its wheels: `--select`/`--ignore` on
//! the command line and the `[tool.agora.wheel-check]` table of `pyproject.toml`.
//!
//! The table takes `select` and `ignore` (lists of codes or code prefixes, `WC3` for every
//! `WC3xx`; check-wheel-contents' `W001`–`W010` name their `WC301`–`WC310` counterparts) and
//! `toplevel` (the library's top-level entries, as check-wheel-contents' `--toplevel`: when
//! given, `WC309` gives way to `WC311`/`WC312`). The file is the nearest `pyproject.toml` from
//! the current directory upwards ([`find_pyproject`]). A code enabled by `select` (all, when
//! empty) and not matched by `ignore` is reported. A selector that names no check is an error
//! naming where it was written.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rules::RULES;

/// What the project (or the command line) says about the checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Codes or prefixes to report (all, when empty).
    pub select: Vec<String>,
    /// Codes or prefixes never to report.
    pub ignore: Vec<String>,
    /// The library's top-level entries (`pkg`, `pkg/`, `module.py`), when declared.
    pub toplevel: Option<Vec<String>>,
}

/// Why settings could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not valid TOML or the table has the wrong shape.
    #[error("{path}: [tool.agora.wheel-check]: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What the TOML reader said.
        message: String,
    },
    /// A selector names no check.
    #[error("{place}: `{selector}` matches no check code (codes are WC001…WC503, see CHECKS.md)")]
    UnknownCode {
        /// Where it was written (`--select`, or the file and key).
        place: String,
        /// The selector.
        selector: String,
    },
}

/// The `[tool.agora.wheel-check]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Table {
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    toplevel: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct Pyproject {
    #[serde(default)]
    tool: Tool,
}

#[derive(Debug, Default, Deserialize)]
struct Tool {
    #[serde(default)]
    agora: Agora,
}

#[derive(Debug, Default, Deserialize)]
struct Agora {
    #[serde(rename = "wheel-check")]
    wheel_check: Option<Table>,
}

/// The nearest `pyproject.toml` in `start` or a folder above it.
pub fn find_pyproject(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("pyproject.toml"))
        .find(|path| path.is_file())
}

/// The code a selector stands for after mapping check-wheel-contents' `Wnnn` to `WCnnn`.
fn normalized(selector: &str) -> String {
    let upper = selector.trim().to_ascii_uppercase();
    RULES
        .iter()
        .find(|rule| rule.check_wheel_contents == Some(upper.as_str()))
        .map_or(upper, |rule| rule.code.to_string())
}

/// Whether `selector` (a code or prefix) matches `code`.
fn matches(selector: &str, code: &str) -> bool {
    !selector.is_empty() && code.starts_with(selector)
}

fn validate(selectors: &[String], place: &str) -> Result<Vec<String>, SettingsError> {
    selectors
        .iter()
        .map(|selector| {
            let code = normalized(selector);
            if RULES.iter().any(|rule| matches(&code, rule.code)) {
                Ok(code)
            } else {
                Err(SettingsError::UnknownCode {
                    place: place.to_string(),
                    selector: selector.clone(),
                })
            }
        })
        .collect()
}

impl Settings {
    /// Reads the `[tool.agora.wheel-check]` table of the `pyproject.toml` at `path` (defaults
    /// when the table is absent).
    pub fn from_pyproject(path: &Path) -> Result<Settings, SettingsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: shown.clone(),
            source,
        })?;
        Settings::from_pyproject_text(&text, &shown)
    }

    /// Reads the table from `pyproject.toml` text; `path` names the file in errors.
    pub fn from_pyproject_text(text: &str, path: &str) -> Result<Settings, SettingsError> {
        let parsed: Pyproject = toml::from_str(text).map_err(|error| SettingsError::Invalid {
            path: path.to_string(),
            message: error.to_string().trim().to_string(),
        })?;
        let Some(table) = parsed.tool.agora.wheel_check else {
            return Ok(Settings::default());
        };
        Ok(Settings {
            select: validate(&table.select, &format!("{path}: select"))?,
            ignore: validate(&table.ignore, &format!("{path}: ignore"))?,
            toplevel: table.toplevel,
        })
    }

    /// These settings with the command line's `select`/`ignore` in place of the file's, when
    /// given.
    pub fn with_command_line(
        mut self,
        select: &[String],
        ignore: &[String],
    ) -> Result<Settings, SettingsError> {
        let split = |list: &[String]| -> Vec<String> {
            list.iter()
                .flat_map(|item| item.split(','))
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_string)
                .collect()
        };
        if !select.is_empty() {
            self.select = validate(&split(select), "--select")?;
        }
        if !ignore.is_empty() {
            self.ignore = validate(&split(ignore), "--ignore")?;
        }
        Ok(self)
    }

    /// Whether findings of `code` are reported.
    pub fn enabled(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| matches(s, code)))
            && !self.ignore.iter().any(|s| matches(s, code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_check_wheel_contents_codes() {
        let Ok(settings) = Settings::default()
            .with_command_line(&["WC3".to_string()], &["W002,WC310".to_string()])
        else {
            panic!("valid selectors")
        };
        assert!(settings.enabled("WC301"));
        assert!(!settings.enabled("WC302"));
        assert!(!settings.enabled("WC310"));
        assert!(!settings.enabled("WC105"));
        let error = Settings::default().with_command_line(&[], &["WC999".to_string()]);
        assert!(matches!(error, Err(SettingsError::UnknownCode { .. })));
    }

    #[test]
    fn the_pyproject_table() {
        let text = "[project]\nname = \"x\"\n[tool.agora.wheel-check]\nignore = [\"WC313\"]\n\
                    toplevel = [\"x\", \"x.libs/\"]\n";
        let Ok(settings) = Settings::from_pyproject_text(text, "pyproject.toml") else {
            panic!("a valid table")
        };
        assert_eq!(settings.ignore, ["WC313"]);
        assert!(!settings.enabled("WC313"));
        assert_eq!(
            settings.toplevel,
            Some(vec!["x".to_string(), "x.libs/".to_string()])
        );
        let bad = Settings::from_pyproject_text(
            "[tool.agora.wheel-check]\nselct = []\n",
            "pyproject.toml",
        );
        assert!(
            matches!(&bad, Err(SettingsError::Invalid { message, .. }) if message.contains("selct")),
            "{bad:?}"
        );
        let none = Settings::from_pyproject_text("[project]\nname = \"x\"\n", "p");
        assert!(matches!(none, Ok(settings) if settings == Settings::default()));
    }
}
