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

const PP002_MSG: &str = "
Must have `build-system.requires` *and* `build-system.backend`. Both
should be present in all modern packages.
";

fn pp002(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = value::get(py, &["build-system", "requires"]).is_some_and(Value::is_array)
        && value::string(py, &["build-system", "build-backend"]).is_some();
    Ok(Outcome::from_bool(ok, PP002_MSG))
}

const PP003_MSG: &str = "
Do not include `\"wheel\"` in your `build-system.requires`, setuptools
does this via PEP 517 already. Setuptools will also only require this
for actual wheel builds, and might have version limits.
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

const PP004_MSG: &str = "
You should never upper cap your Python requirement. This is rarely correct, and
tools like pip do not handle this properly even if it is correct. This field is used
to back-solve. If you want to specify versions you've tested on, use classifiers. If
you want to add a custom error message, add a build-type and/or runtime assert.
";

fn pp004(repo: &Repo) -> CheckResult {
    // Without a readable pyproject.toml there is nothing to judge.
    repo.pyproject()?;
    match repo.requires_python() {
        Some(r) => Ok(Outcome::from_bool(
            !r.contains('^') && !r.contains("~=") && !r.contains('<'),
            PP004_MSG,
        )),
        None => Ok(Outcome::not_applicable("no `requires-python` found")),
    }
}

const PP005_MSG: &str = "
If you use SPDX identifiers in `project.license`, then all the `License ::`
classifiers are deprecated.

See https://packaging.python.org/en/latest/specifications/core-metadata/#license-expression
";

fn pp005(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    if value::string(py, &["project", "license"]).is_none() {
        return Ok(Outcome::not_applicable(
            "`project.license` is not an SPDX expression",
        ));
    }
    let ok = match value::get(py, &["project", "classifiers"]) {
        Some(Value::Array(cs)) => cs
            .iter()
            .all(|c| !c.as_str().is_some_and(|c| c.starts_with("License ::"))),
        _ => true,
    };
    Ok(Outcome::from_bool(ok, PP005_MSG))
}

const PP006_MSG: &str = "
The `dev` dependency group should be defined so tools like uv will work.
These are better than the old `extras` system for tests, docs, and other
dependencies that are not needed for PyPI installs.

```toml
[dependency-groups]
dev = [ { include-group = \"test\" } ]
test = [ \"pytest\" ]
```
";

fn pp006(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = value::get(py, &["dependency-groups", "dev"]).is_some_and(Value::is_array);
    Ok(Outcome::from_bool(ok, PP006_MSG))
}

const PP301_MSG: &str = "
Must have a `[tool.pytest]` (pytest 9+) or `[tool.pytest.ini_options]`
(pytest 6+) configuration section in pyproject.toml. If you must have it
in ini format, ignore this check.  pytest.toml and .pytest.toml files
(pytest 9+) are also supported.
";

fn pp301(repo: &Repo) -> CheckResult {
    let (kind, _) = repo.pytest()?;
    Ok(Outcome::from_bool(kind != PytestFile::None, PP301_MSG))
}

const PP302_MSG: &str = "
Must have a `minversion=`, and must be at least 6 (first version to
support `pyproject.toml` ini configuration) or 9 (first version to
support native configuration and toml config files).

```toml
# Old pytest
[tool.pytest.ini_options]
minversion = \"6\"

# pytest 9
[tool.pytest]
minversion = \"9\"
```
";

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
    Ok(Outcome::from_bool(
        major.is_some_and(|m| m >= minimum),
        PP302_MSG,
    ))
}

/// A pytest check that passes when any of `keys` is set.
fn pytest_has(repo: &Repo, keys: &[&str], message: &str) -> CheckResult {
    let (_, options) = repo.pytest()?;
    Ok(Outcome::from_bool(
        keys.iter().any(|k| value::has(options, &[k])),
        message,
    ))
}

const PP303_MSG: &str = "
The `testpaths` setting should be set to a reasonable default.

```toml
# Old pytest
[tool.pytest.ini_options]
testpaths = [\"tests\"]

# pytest 9+
[tool.pytest]
testpaths = [\"tests\"]
```
";

fn pp303(repo: &Repo) -> CheckResult {
    pytest_has(repo, &["testpaths"], PP303_MSG)
}

const PP304_MSG: &str = "
`log_level` should be set. This will allow logs to be displayed on
failures.

```toml
# Old pytest
[tool.pytest.ini_options]
log_level = \"INFO\"

# pytest 9+
[tool.pytest]
log_level = \"INFO\"
```
";

fn pp304(repo: &Repo) -> CheckResult {
    pytest_has(repo, &["log_level"], PP304_MSG)
}

const PP305_MSG: &str = "
`xfail_strict`, or if using pytest 9+, `strict_xfail` or `strict` should
be set. You can manually specify if a check should be strict when
setting each xfail.

```toml
[tool.pytest.ini_options]
xfail_strict = true

[tool.pytest]
strict = true
```
";

fn pp305(repo: &Repo) -> CheckResult {
    pytest_has(repo, &["xfail_strict", "strict_xfail", "strict"], PP305_MSG)
}

/// Whether `flag` is in `addopts` (Python `in`: substring of a string, element of a list).
fn addopts_has(options: &Value, flag: &str) -> bool {
    value::get(options, &["addopts"]).is_some_and(|a| value::contains(a, flag))
}

const PP306_MSG: &str = "
`--strict-config` should be in `addopts = [...]` or (pytest 9+)
`strict_config` or `strict` should be set. This forces an error if a
config setting is misspelled.

```toml
# Old pytest
[tool.pytest.ini_options]
addopts = [\"-ra\", \"--strict-config\", \"--strict-markers\"]

# pytest 9+
[tool.pytest]
strict = true
```
";

fn pp306(repo: &Repo) -> CheckResult {
    let (_, options) = repo.pytest()?;
    let ok = value::has(options, &["strict"])
        || value::has(options, &["strict_config"])
        || addopts_has(options, "--strict-config");
    Ok(Outcome::from_bool(ok, PP306_MSG))
}

const PP307_MSG: &str = "
`--strict-markers` should be in `addopts = [...]` or (pytest 9+)
`strict_markers` or `strict` should be set. This forces test markers to
be specified in config, avoiding misspellings.

```toml
# Old pytest
[tool.pytest.ini_options]
addopts = [\"-ra\", \"--strict-config\", \"--strict-markers\"]

# pytest 9+
[tool.pytest]
strict = true
```
";

fn pp307(repo: &Repo) -> CheckResult {
    let (_, options) = repo.pytest()?;
    let ok = value::has(options, &["strict"])
        || value::has(options, &["strict_markers"])
        || addopts_has(options, "--strict-markers");
    Ok(Outcome::from_bool(ok, PP307_MSG))
}

const PP308_MSG: &str = "
An explicit summary flag like `-ra` should be in `addopts = [...]`
(print summary of all fails/errors).

```toml
# Old pytest
[tool.pytest.ini_options]
addopts = [\"-ra\", \"--strict-config\", \"--strict-markers\"]

# pytest 9+
[tool.pytest]
addopts = [\"-ra\"]
```
";

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
    Ok(Outcome::from_bool(ok, PP308_MSG))
}

const PP309_MSG: &str = "
`filterwarnings` must be set (probably to at least `[\"error\"]`). Python
will hide important warnings otherwise, like deprecations.

```toml
# Old pytest
[tool.pytest.ini_options]
filterwarnings = [\"error\"]

# pytest 9+
[tool.pytest]
filterwarnings = [\"error\"]
```
";

fn pp309(repo: &Repo) -> CheckResult {
    pytest_has(repo, &["filterwarnings"], PP309_MSG)
}
