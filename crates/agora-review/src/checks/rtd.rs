//! RTD: the ReadTheDocs configuration (`.readthedocs.yaml` or `.readthedocs.yml`).
//!
//! The family only applies when that file has content; RTD100 checks the file exists, the
//! others check the keys modern ReadTheDocs requires.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::Repo;
use crate::value::{self, Value};

/// The RTD checks.
pub const CHECKS: &[Check] = &[
    check!(
        "RTD100",
        "rtd",
        "docs",
        "Uses ReadTheDocs (pyproject config)",
        [],
        rtd100
    ),
    check!(
        "RTD101",
        "rtd",
        "docs",
        "You have to set the RTD version number to 2",
        ["RTD100"],
        rtd101
    ),
    check!(
        "RTD102",
        "rtd",
        "docs",
        "You have to set the RTD build image",
        ["RTD100"],
        rtd102
    ),
    check!(
        "RTD103",
        "rtd",
        "docs",
        "You have to set the RTD python version",
        ["RTD102"],
        rtd103
    ),
    check!(
        "RTD104",
        "rtd",
        "docs",
        "You have to specify a build configuration now for readthedocs.",
        ["RTD100"],
        rtd104
    ),
];

const RTD100_MSG: &str = "
There is no `.readthedocs.yaml` at the root: ReadTheDocs now requires one to build the
documentation; add it.
";

fn rtd100(repo: &Repo) -> CheckResult {
    let ok = repo.is_file(".readthedocs.yaml") || repo.is_file(".readthedocs.yml");
    Ok(Outcome::from_bool(ok, RTD100_MSG))
}

/// The name of the ReadTheDocs configuration file, for messages.
fn config_file(repo: &Repo) -> &'static str {
    if repo.is_file(".readthedocs.yaml") || !repo.is_file(".readthedocs.yml") {
        ".readthedocs.yaml"
    } else {
        ".readthedocs.yml"
    }
}

fn rtd101(repo: &Repo) -> CheckResult {
    let rtd = repo.readthedocs()?;
    let ok = value::get(rtd, &["version"])
        .and_then(Value::as_f64)
        .is_some_and(|v| v >= 2.0);
    Ok(Outcome::from_bool(
        ok,
        &format!(
            "`{}` does not declare the configuration format: add `version: 2` at the top.",
            config_file(repo)
        ),
    ))
}

const BUILD_SNIPPET: &str = r#"
```yaml
build:
  os: ubuntu-24.04
  tools:
    python: "3.13"
```
"#;

fn rtd102(repo: &Repo) -> CheckResult {
    let ok = value::has(repo.readthedocs()?, &["build", "os"]);
    Ok(Outcome::from_bool(
        ok,
        &format!(
            "`{}` does not choose a build image (`build.os`), so ReadTheDocs falls back to old \
             tool versions kept for compatibility: set one (see \
             [the configuration reference](https://docs.readthedocs.io/en/stable/config-file/v2.html)):\n\n{}",
            config_file(repo),
            BUILD_SNIPPET.trim()
        ),
    ))
}

fn rtd103(repo: &Repo) -> CheckResult {
    let rtd = repo.readthedocs()?;
    let ok = value::has(rtd, &["build", "tools", "python"])
        || value::has(rtd, &["build", "jobs"])
        || value::has(rtd, &["build", "commands"]);
    Ok(Outcome::from_bool(
        ok,
        &format!(
            "`{}` does not choose a Python version: set `build.tools.python` (or build with \
             `build.jobs` or `build.commands`):\n\n{}",
            config_file(repo),
            BUILD_SNIPPET.trim()
        ),
    ))
}

fn rtd104(repo: &Repo) -> CheckResult {
    let rtd = repo.readthedocs()?;
    let ok = value::table(rtd, &["build", "jobs"]).is_some()
        || value::get(rtd, &["build", "commands"]).is_some_and(Value::is_array)
        || value::string(rtd, &["sphinx", "configuration"]).is_some()
        || value::string(rtd, &["mkdocs", "configuration"]).is_some();
    Ok(Outcome::from_bool(
        ok,
        &format!(
            "`{}` does not say how to build the documentation, which ReadTheDocs no longer \
             allows: set `sphinx.configuration` or `mkdocs.configuration`, or build with \
             `build.jobs` (better than `build.commands`). For Sphinx:\n\n\
             ```yaml\nsphinx:\n  configuration: docs/conf.py\n```",
            config_file(repo)
        ),
    ))
}
