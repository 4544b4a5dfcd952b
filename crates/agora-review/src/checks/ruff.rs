//! RF: the ruff configuration (`.ruff.toml`, `ruff.toml` or `[tool.ruff]`).
//!
//! RF0xx are general settings, RF1xx rule families that should be selected, RF2xx
//! deprecated settings. Every check but RF001 requires a ruff configuration (RF001).

use std::collections::BTreeSet;

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::Repo;
use crate::value::{self, Value};

/// The RF checks.
pub const CHECKS: &[Check] = &[
    check!("RF001", "ruff", "style", "Has Ruff config", [], rf001),
    check!(
        "RF002",
        "ruff",
        "style",
        "Target version must be set",
        ["RF001"],
        rf002
    ),
    check!(
        "RF003",
        "ruff",
        "style",
        "src directory doesn't need to be specified anymore (0.6+)",
        ["RF001"],
        rf003
    ),
    check!(
        "RF101",
        "ruff",
        "style",
        "Bugbear must be selected",
        ["RF001"],
        rf101
    ),
    check!(
        "RF201",
        "ruff",
        "",
        "Avoid using deprecated config settings",
        ["RF001"],
        rf201
    ),
    check!(
        "RF202",
        "ruff",
        "",
        "Use (new) lint config section",
        ["RF001"],
        rf202
    ),
];

/// The selected rules: the first of `lint.select`, `lint.extend-select`, `select`,
/// `extend-select` that is set (as sp-repo-review reads them; they are not merged).
pub fn rule_selection(ruff: &Value) -> BTreeSet<String> {
    let candidates: [&[&str]; 4] = [
        &["lint", "select"],
        &["lint", "extend-select"],
        &["select"],
        &["extend-select"],
    ];
    for path in candidates {
        if let Some(rules) = value::get(ruff, path) {
            return match rules {
                Value::Array(items) => items
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_string))
                    .collect(),
                Value::String(s) => s.chars().map(String::from).collect(),
                _ => BTreeSet::new(),
            };
        }
    }
    BTreeSet::new()
}

/// The rule families the guide mentions, for the family description.
const GUIDE_RULES: &[&str] = &[
    "ARG", "B", "BLE", "C4", "DTZ", "EM", "EXE", "FA", "FLY", "FURB", "G", "I", "ICN", "ISC",
    "LOG", "NPY", "PD", "PERF", "PGH", "PIE", "PL", "PT", "PTH", "PYI", "Q", "RET", "RSE", "RUF",
    "SIM", "SLOT", "T10", "T20", "TC", "TRY", "UP", "YTT",
];

/// The Ruff family description: the guide's rules that are not selected.
pub fn family_description(repo: &Repo) -> String {
    let Ok(Some(ruff)) = repo.ruff() else {
        return String::new();
    };
    let selected = rule_selection(ruff);
    if selected.is_empty() {
        return String::new();
    }
    let missing: Vec<String> = GUIDE_RULES
        .iter()
        .filter(|r| !selected.contains(**r))
        .map(|r| format!("\"{r}\""))
        .collect();
    if missing.is_empty() || selected.contains("ALL") {
        return "Every rule the guide recommends is selected".to_string();
    }
    format!(
        "Recommended by the guide, not selected: `{}`",
        missing.join(", ")
    )
}

/// The ruff config, or a skip when there is none (only reachable when RF001 is ignored).
fn config(repo: &Repo) -> Result<Result<&Value, Outcome>, crate::error::InputError> {
    Ok(repo
        .ruff()?
        .ok_or_else(|| Outcome::not_applicable("no ruff configuration")))
}

const RF001_MSG: &str = r#"
There is no Ruff configuration: add a `[tool.ruff]` table to `pyproject.toml`, or a
`ruff.toml` / `.ruff.toml`.
"#;

fn rf001(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(repo.ruff()?.is_some(), RF001_MSG))
}

const RF002_MSG: &str = r#"
Ruff does not know the oldest Python to support, which pyupgrade-style fixes, import sorting
and other rules depend on: set `project.requires-python` (Ruff reads it) or, without one,
Ruff's `target-version`.
"#;

fn rf002(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    if value::string(py, &["project", "requires-python"]).is_some() {
        if value::has(py, &["tool", "ruff", "target-version"]) {
            return Ok(Outcome::fail(
                "Ruff's `target-version` repeats what `project.requires-python` says (Ruff reads \
                 that): remove `target-version`.",
            ));
        }
        return Ok(Outcome::Pass);
    }
    let ruff = match config(repo)? {
        Ok(r) => r,
        Err(skip) => return Ok(skip),
    };
    Ok(Outcome::from_bool(
        value::has(ruff, &["target-version"]),
        RF002_MSG,
    ))
}

const RF003_MSG: &str = r#"
Ruff's `src = ["src"]` is the default since Ruff 0.6: remove the setting.
"#;

fn rf003(repo: &Repo) -> CheckResult {
    let ruff = match config(repo)? {
        Ok(r) => r,
        Err(skip) => return Ok(skip),
    };
    if !repo.is_dir("src") {
        return Ok(Outcome::not_applicable("no `src` directory"));
    }
    let only_src = value::get(ruff, &["src"]) == Some(&Value::Array(vec!["src".into()]));
    Ok(Outcome::from_bool(!only_src, RF003_MSG))
}

const RF101_MSG: &str = r#"
Ruff does not select the flake8-bugbear rules (`B`), which find likely bugs: add them.

```toml
[tool.ruff.lint]
extend-select = ["B"]
```
"#;

fn rf101(repo: &Repo) -> CheckResult {
    let ruff = match config(repo)? {
        Ok(r) => r,
        Err(skip) => return Ok(skip),
    };
    let selected = rule_selection(ruff);
    Ok(Outcome::from_bool(
        selected.contains("B") || selected.contains("ALL"),
        RF101_MSG,
    ))
}

fn rf201(repo: &Repo) -> CheckResult {
    let ruff = match config(repo)? {
        Ok(r) => r,
        Err(skip) => return Ok(skip),
    };
    let either = |key: &str| value::has(ruff, &[key]) || value::has(ruff, &["lint", key]);
    let messages: Vec<String> = [
        ("extend-unfixable", "unfixable"),
        ("extend-ignore", "ignore"),
    ]
    .iter()
    .filter(|(old, _)| either(old))
    .map(|(old, new)| {
        format!("Ruff's `{old}` is deprecated: rename it to `{new}`, which means the same.")
    })
    .collect();
    Ok(Outcome::from_message(messages.join("\n\n")))
}

/// Settings that belong in `[tool.ruff.lint]` now.
const RUFF_LINT: &[&str] = &[
    "allowed-confusables",
    "dummy-variable-rgx",
    "explicit-preview-rules",
    "extend-fixable",
    "extend-ignore",
    "extend-per-file-ignores",
    "extend-safe-fixes",
    "extend-select",
    "extend-unfixable",
    "extend-unsafe-fixes",
    "external",
    "fixable",
    "flake8-annotations",
    "flake8-bandit",
    "flake8-bugbear",
    "flake8-builtins",
    "flake8-comprehensions",
    "flake8-copyright",
    "flake8-errmsg",
    "flake8-gettext",
    "flake8-implicit-str-concat",
    "flake8-import-conventions",
    "flake8-pytest-style",
    "flake8-quotes",
    "flake8-self",
    "flake8-tidy-imports",
    "flake8-type-checking",
    "flake8-unused-arguments",
    "ignore",
    "ignore-init-module-imports",
    "isort",
    "logger-objects",
    "mccabe",
    "pep8-naming",
    "per-file-ignores",
    "pycodestyle",
    "pydocstyle",
    "pyflakes",
    "pylint",
    "pyupgrade",
    "select",
    "task-tags",
    "typing-modules",
    "unfixable",
];

fn rf202(repo: &Repo) -> CheckResult {
    let ruff = match config(repo)? {
        Ok(r) => r,
        Err(skip) => return Ok(skip),
    };
    let Some(table) = ruff.as_object() else {
        return Ok(Outcome::Pass);
    };
    let mut keys: Vec<&str> = table
        .keys()
        .map(String::as_str)
        .filter(|k| RUFF_LINT.contains(k))
        .collect();
    keys.sort_unstable();
    if keys.is_empty() {
        return Ok(Outcome::Pass);
    }
    let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    Ok(Outcome::Fail(format!(
        "Lint settings at the top level of the Ruff configuration: {}. Move them into the \
         `lint` section (`[tool.ruff.lint]`, or `[lint]` in `ruff.toml`), where Ruff now \
         expects them.",
        keys.join(", ")
    )))
}
