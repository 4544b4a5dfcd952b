//! Which checks are reported: `select` / `ignore`, from the command line or the project, and
//! the caller's other [`Options`] (the release data for the SPEC 0 check).
//!
//! A selector is a full code (`PY004`) or a code prefix without its digits (`PY`, `MY`);
//! `*` in `select` selects everything. The project's `[tool.repo-review]` (and agora's own
//! `[tool.agora.review]`, whose entries are added to it) give `select` and `ignore`; `ignore`
//! may be a list or a table of `code = "reason"`, and an ignored check with a reason is still
//! reported, as skipped with that reason. Command-line `select`/`ignore` replace the project's
//! lists; `extend_select`/`extend_ignore` add to whichever lists are in effect.

use std::collections::{BTreeMap, BTreeSet};

use crate::value::{self, Value};

/// Selection options given by the caller (the CLI's `--select`, `--ignore`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Replaces the project's `select` when not empty.
    pub select: Vec<String>,
    /// Replaces the project's `ignore` when not empty.
    pub ignore: Vec<String>,
    /// Added to the `select` in effect.
    pub extend_select: Vec<String>,
    /// Added to the `ignore` in effect.
    pub extend_ignore: Vec<String>,
    /// Release data for AG100 (SPEC 0 floors); AG100 is skipped when it is `None`.
    pub spec0: Option<Spec0Data>,
}

/// Release data for the AG SPEC 0 check (the review itself never fetches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec0Data {
    /// Python and the core packages with their feature releases (from the store).
    pub packages: Vec<agora_schedule::PackageReleases>,
    /// The moment SPEC 0's floors are computed for.
    pub at: jiff::Timestamp,
}

/// The selection in effect for one repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Selected codes or prefixes; empty selects everything.
    pub select: BTreeSet<String>,
    /// Ignored codes or prefixes.
    pub ignore: BTreeSet<String>,
    /// Reasons given for ignored codes or prefixes (from the project's `ignore` table).
    pub reasons: BTreeMap<String, String>,
}

/// The selector in `selectors` matching `code` exactly or by its letter prefix.
pub fn name_matches<'a>(code: &str, selectors: &'a BTreeSet<String>) -> Option<&'a str> {
    if let Some(s) = selectors.get(code) {
        return Some(s);
    }
    let prefix = code.trim_end_matches(|c: char| c.is_ascii_digit());
    selectors.get(prefix).map(String::as_str)
}

/// Reads a list of strings (a single string counts as one entry).
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

impl Selection {
    /// Combines the caller's options with the project's configuration (`pyproject`).
    pub fn new(options: &Options, pyproject: Option<&Value>) -> Self {
        let mut project_select = BTreeSet::new();
        let mut project_ignore = BTreeSet::new();
        let mut reasons = BTreeMap::new();
        for path in [
            &["tool", "repo-review"][..],
            &["tool", "agora", "review"][..],
        ] {
            let Some(config) = pyproject.and_then(|p| value::get(p, path)) else {
                continue;
            };
            project_select.extend(strings(value::get(config, &["select"])));
            match value::get(config, &["ignore"]) {
                Some(Value::Object(table)) => {
                    for (code, reason) in table {
                        project_ignore.insert(code.clone());
                        let reason = reason.as_str().unwrap_or_default().to_string();
                        reasons.insert(code.clone(), reason);
                    }
                }
                other => project_ignore.extend(strings(other)),
            }
        }
        let mut select: BTreeSet<String> = if options.select.is_empty() {
            project_select
        } else {
            options.select.iter().cloned().collect()
        };
        select.extend(options.extend_select.iter().cloned());
        let mut ignore: BTreeSet<String> = if options.ignore.is_empty() {
            project_ignore
        } else {
            options.ignore.iter().cloned().collect()
        };
        ignore.extend(options.extend_ignore.iter().cloned());
        Self {
            select,
            ignore,
            reasons,
        }
    }

    /// Whether `code` is reported normally.
    pub fn is_allowed(&self, code: &str) -> bool {
        if !self.select.is_empty()
            && name_matches(code, &self.select).is_none()
            && !self.select.contains("*")
        {
            return false;
        }
        name_matches(code, &self.ignore).is_none()
    }

    /// The non-empty reason a not-allowed `code` was ignored with, if any.
    pub fn ignore_reason(&self, code: &str) -> Option<&str> {
        let keys: BTreeSet<String> = self.reasons.keys().cloned().collect();
        let key = name_matches(code, &keys)?;
        self.reasons
            .get(key)
            .map(String::as_str)
            .filter(|r| !r.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prefix_matching() {
        let set: BTreeSet<String> = ["PY".to_string(), "MY101".to_string()].into();
        assert_eq!(name_matches("PY004", &set), Some("PY"));
        assert_eq!(name_matches("MY101", &set), Some("MY101"));
        assert_eq!(name_matches("MY102", &set), None);
        assert_eq!(name_matches("PP002", &set), None);
    }

    #[test]
    fn project_config_and_options() {
        let py = json!({"tool": {
            "repo-review": {"select": ["PY", "MY"], "ignore": {"PY004": "no docs here", "MY1": ""}},
            "agora": {"review": {"ignore": ["MY101"]}}
        }});
        let s = Selection::new(&Options::default(), Some(&py));
        assert!(s.is_allowed("PY001"));
        assert!(!s.is_allowed("PY004"));
        assert!(!s.is_allowed("GH100"));
        assert!(!s.is_allowed("MY101"));
        assert!(s.is_allowed("MY102"));
        assert_eq!(s.ignore_reason("PY004"), Some("no docs here"));
        assert_eq!(s.ignore_reason("MY101"), None);

        let cli = Options {
            select: vec!["*".into()],
            ignore: vec!["GH".into()],
            ..Options::default()
        };
        let s = Selection::new(&cli, Some(&py));
        assert!(s.is_allowed("PY004"));
        assert!(s.is_allowed("RF001"));
        assert!(!s.is_allowed("GH100"));
    }
}
