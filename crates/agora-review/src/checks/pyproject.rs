//! PP: `pyproject.toml` packaging metadata (PP0xx) and pytest configuration (PP3xx).
//!
//! The PP3xx checks read the pytest configuration from wherever it lives
//! ([`PytestFile`]): `pytest.toml`/`.pytest.toml`, `[tool.pytest]` (pytest 9+ native) or
//! `[tool.pytest.ini_options]` (legacy); the minimum version PP302 expects depends on which.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::{PytestFile, Repo};
use crate::value::{self, Value};

/// The PP checks.
pub const CHECKS: &[Check] = &[
    check!(
        "PP002",
        "pyproject",
        "packaging-simple",
        "Has a proper build-system table",
        ["PY001"],
        pp002
    ),
    check!(
        "PP003",
        "pyproject",
        "packaging-classic",
        "Does not list wheel as a build-dep",
        ["PY001"],
        pp003
    ),
    check!(
        "PP004",
        "pyproject",
        "packaging-simple",
        "Does not upper cap Python requires",
        [],
        pp004
    ),
    check!(
        "PP005",
        "pyproject",
        "packaging-simple",
        "Using SPDX project.license should not use deprecated trove classifiers",
        ["PY001"],
        pp005
    ),
    check!(
        "PP006",
        "pyproject",
        "packaging-simple",
        "The dev dependency group should be defined",
        ["PY001"],
        pp006
    ),
    check!(
        "PP301",
        "pyproject",
        "pytest",
        "Has pytest in pyproject",
        [],
        pp301
    ),
    check!(
        "PP302",
        "pyproject",
        "pytest",
        "Sets a minimum pytest to at least 6 or 9",
        ["PP301"],
        pp302
    ),
    check!(
        "PP303",
        "pyproject",
        "pytest",
        "Sets the test paths",
        ["PP301"],
        pp303
    ),
    check!(
        "PP304",
        "pyproject",
        "pytest",
        "Sets the log level in pytest",
        ["PP301"],
        pp304
    ),
    check!(
        "PP305",
        "pyproject",
        "pytest",
        "Specifies strict xfail",
        ["PP301"],
        pp305
    ),
    check!(
        "PP306",
        "pyproject",
        "pytest",
        "Specifies strict config",
        ["PP301"],
        pp306
    ),
    check!(
        "PP307",
        "pyproject",
        "pytest",
        "Specifies strict markers",
        ["PP301"],
        pp307
    ),
    check!(
        "PP308",
        "pyproject",
        "pytest",
        "Specifies useful pytest summary",
        ["PP301"],
        pp308
    ),
    check!(
        "PP309",
        "pyproject",
        "pytest",
        "Filter warnings specified",
        ["PP301"],
        pp309
    ),
];

const PP002_MSG: &str = r#"
The `[build-system]` table of `pyproject.toml` is missing or incomplete: set both
`requires` (a list) and `build-backend`, for example

```toml
[build-system]
build-backend = "hatchling.build"
requires = ["hatchling"]
```
"#;

fn pp002(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = value::get(py, &["build-system", "requires"]).is_some_and(Value::is_array)
        && value::string(py, &["build-system", "build-backend"]).is_some();
    Ok(Outcome::from_bool(ok, PP002_MSG))
}

const PP003_MSG: &str = "
`build-system.requires` lists `wheel`: remove it. setuptools asks for `wheel` itself through
PEP 517, only when it builds a wheel and with the version bounds it needs.
";

fn pp003(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = match value::get(py, &["build-system", "requires"]) {
        Some(Value::Array(reqs)) => reqs
            .iter()
            .all(|r| !r.as_str().is_some_and(|r| r.starts_with("wheel"))),
        // Python iterates a string's characters: none starts with "wheel".
        Some(_) => true,
        None => false,
    };
    Ok(Outcome::from_bool(ok, PP003_MSG))
}

fn pp004(repo: &Repo) -> CheckResult {
    // Without a readable pyproject.toml there is nothing to judge.
    repo.pyproject()?;
    match repo.requires_python() {
        Some(r) => Ok(Outcome::from_bool(
            !r.contains('^') && !r.contains("~=") && !r.contains('<'),
            &format!(
                "`requires-python = \"{r}\"` caps the Python version: drop the upper bound. \
                 Resolvers read this field to choose which release to install and pip does \
                 not handle a cap well, so a cap makes installs pick old releases instead of \
                 failing clearly. Say which versions are tested with classifiers; to refuse a \
                 version, raise a clear error at build or import time."
            ),
        )),
        None => Ok(Outcome::not_applicable("no `requires-python` found")),
    }
}

fn pp005(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let Some(license) = value::string(py, &["project", "license"]) else {
        return Ok(Outcome::not_applicable(
            "`project.license` is not an SPDX expression",
        ));
    };
    let deprecated: Vec<String> = match value::get(py, &["project", "classifiers"]) {
        Some(Value::Array(cs)) => cs
            .iter()
            .filter_map(Value::as_str)
            .filter(|c| c.starts_with("License ::"))
            .map(|c| format!("`{c}`"))
            .collect(),
        _ => Vec::new(),
    };
    if deprecated.is_empty() {
        return Ok(Outcome::Pass);
    }
    Ok(Outcome::Fail(format!(
        "`project.license = \"{license}\"` is an SPDX expression, which makes the license \
         classifiers deprecated: remove {} from `project.classifiers` (see \
         https://packaging.python.org/en/latest/specifications/core-metadata/#license-expression).",
        deprecated.join(", ")
    )))
}

const PP006_MSG: &str = r#"
There is no `dev` dependency group: define one in `[dependency-groups]`, so that tools such
as uv set up a development environment without extra flags. Groups suit test, docs and other
development requirements better than extras, which are published to PyPI:

```toml
[dependency-groups]
test = ["pytest"]
dev = [{ include-group = "test" }]
```
"#;

fn pp006(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = value::get(py, &["dependency-groups", "dev"]).is_some_and(Value::is_array);
    Ok(Outcome::from_bool(ok, PP006_MSG))
}

const PP301_MSG: &str = "
No pytest configuration in TOML: add a `[tool.pytest]` table (pytest 9+) or
`[tool.pytest.ini_options]` (pytest 6+) to `pyproject.toml`, or a `pytest.toml` /
`.pytest.toml` (pytest 9+). Ignore PP301 if the configuration stays in an ini file on
purpose.
";

fn pp301(repo: &Repo) -> CheckResult {
    let (kind, _) = repo.pytest()?;
    Ok(Outcome::from_bool(kind != PytestFile::None, PP301_MSG))
}

/// Where a pytest setting goes for this kind of configuration: the file and the table
/// header (a missing configuration, only possible when PP301 is ignored, gets pytest 9's).
fn pytest_home(kind: PytestFile) -> (&'static str, &'static str) {
    match kind {
        PytestFile::PytestToml => ("`pytest.toml`", "[pytest]"),
        PytestFile::LegacyPyproject => ("`pyproject.toml`", "[tool.pytest.ini_options]"),
        PytestFile::ModernPyproject | PytestFile::None => ("`pyproject.toml`", "[tool.pytest]"),
    }
}

/// A failure message for a pytest setting: `problem`, then the fix as a TOML snippet under
/// the table this project uses.
fn pytest_fix(kind: PytestFile, problem: &str, setting: &str) -> String {
    let (file, header) = pytest_home(kind);
    format!("{problem} In {file}:\n\n```toml\n{header}\n{setting}\n```")
}

fn pp302(repo: &Repo) -> CheckResult {
    let (kind, options) = repo.pytest()?;
    let minimum = if kind == PytestFile::LegacyPyproject {
        6
    } else {
        9
    };
    let major = value::get(options, &["minversion"]).and_then(|v| {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        text.split('.').next()?.trim().parse::<i64>().ok()
    });
    let why = if minimum == 6 {
        "pytest 6 is the first to read `[tool.pytest.ini_options]`"
    } else {
        "pytest 9 is the first to read a native TOML configuration"
    };
    Ok(Outcome::from_bool(
        major.is_some_and(|m| m >= minimum),
        &pytest_fix(
            kind,
            &format!("pytest's `minversion` is not set to {minimum} or later ({why})."),
            &format!("minversion = \"{minimum}\""),
        ),
    ))
}

/// A pytest check that passes when any of `keys` is set.
fn pytest_has(repo: &Repo, keys: &[&str], problem: &str, setting: &str) -> CheckResult {
    let (kind, options) = repo.pytest()?;
    Ok(Outcome::from_bool(
        keys.iter().any(|k| value::has(options, &[k])),
        &pytest_fix(kind, problem, setting),
    ))
}

fn pp303(repo: &Repo) -> CheckResult {
    pytest_has(
        repo,
        &["testpaths"],
        "pytest's `testpaths` is not set, so a bare `pytest` searches the whole tree: point it \
         at the tests.",
        "testpaths = [\"tests\"]",
    )
}

fn pp304(repo: &Repo) -> CheckResult {
    pytest_has(
        repo,
        &["log_level"],
        "pytest's `log_level` is not set: set it so that a failing test shows the log records \
         it emitted.",
        "log_level = \"INFO\"",
    )
}

fn pp305(repo: &Repo) -> CheckResult {
    let (kind, _) = repo.pytest()?;
    let setting = if kind == PytestFile::LegacyPyproject {
        "xfail_strict = true"
    } else {
        "strict = true  # or strict_xfail = true"
    };
    pytest_has(
        repo,
        &["xfail_strict", "strict_xfail", "strict"],
        "pytest's xfail is not strict, so a test marked `xfail` that starts passing goes \
         unnoticed: make it strict (a single marker can still opt out with `strict=False`).",
        setting,
    )
}

/// Whether `flag` is in `addopts` (Python `in`: substring of a string, element of a list).
fn addopts_has(options: &Value, flag: &str) -> bool {
    value::get(options, &["addopts"]).is_some_and(|a| value::contains(a, flag))
}

/// The setting that turns on a strictness flag: `strict = true` for pytest 9 configurations,
/// `flag` in `addopts` for the legacy table.
fn strict_setting(kind: PytestFile) -> &'static str {
    if kind == PytestFile::LegacyPyproject {
        "addopts = [\"-ra\", \"--strict-config\", \"--strict-markers\"]"
    } else {
        "strict = true"
    }
}

fn pp306(repo: &Repo) -> CheckResult {
    let (kind, options) = repo.pytest()?;
    let ok = value::has(options, &["strict"])
        || value::has(options, &["strict_config"])
        || addopts_has(options, "--strict-config");
    Ok(Outcome::from_bool(
        ok,
        &pytest_fix(
            kind,
            "pytest does not run with `--strict-config` (or, with pytest 9+, `strict` or \
             `strict_config`), so a misspelled setting is silently ignored.",
            strict_setting(kind),
        ),
    ))
}

fn pp307(repo: &Repo) -> CheckResult {
    let (kind, options) = repo.pytest()?;
    let ok = value::has(options, &["strict"])
        || value::has(options, &["strict_markers"])
        || addopts_has(options, "--strict-markers");
    Ok(Outcome::from_bool(
        ok,
        &pytest_fix(
            kind,
            "pytest does not run with `--strict-markers` (or, with pytest 9+, `strict` or \
             `strict_markers`), so a misspelled marker is silently accepted instead of having \
             to be declared.",
            strict_setting(kind),
        ),
    ))
}

fn pp308(repo: &Repo) -> CheckResult {
    let (kind, options) = repo.pytest()?;
    let ok = match value::get(options, &["addopts"]) {
        // Legacy ini-style options are one shell-like string.
        Some(Value::String(s)) if kind == PytestFile::LegacyPyproject => {
            s.split_whitespace().any(|o| o.starts_with("-r"))
        }
        Some(Value::Array(opts)) => opts
            .iter()
            .any(|o| o.as_str().is_some_and(|o| o.starts_with("-r"))),
        _ => false,
    };
    Ok(Outcome::from_bool(
        ok,
        &pytest_fix(
            kind,
            "pytest's `addopts` has no `-r` summary flag: add `-ra` to list every test that \
             did not pass (failures, errors, skips, xfails) at the end of the run.",
            "addopts = [\"-ra\"]",
        ),
    ))
}

fn pp309(repo: &Repo) -> CheckResult {
    pytest_has(
        repo,
        &["filterwarnings"],
        "pytest's `filterwarnings` is not set: turn warnings into errors (at least \
         `[\"error\"]`, then ignore the ones you accept), or deprecations and other important \
         warnings stay hidden.",
        "filterwarnings = [\"error\"]",
    )
}
