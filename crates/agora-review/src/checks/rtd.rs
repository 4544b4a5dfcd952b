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
Should have a `.readthedocs.yaml` file in the root of the repository.
Modern ReadTheDocs requires this file.
";

fn rtd100(repo: &Repo) -> CheckResult {
    let ok = repo.is_file(".readthedocs.yaml") || repo.is_file(".readthedocs.yml");
    Ok(Outcome::from_bool(ok, RTD100_MSG))
}

const RTD101_MSG: &str = "
You must set `version: 2` in the `.readthedocs.yaml` file.
";

fn rtd101(repo: &Repo) -> CheckResult {
    let rtd = repo.readthedocs()?;
    let ok = value::get(rtd, &["version"])
        .and_then(Value::as_f64)
        .is_some_and(|v| v >= 2.0);
    Ok(Outcome::from_bool(ok, RTD101_MSG))
}

const RTD102_MSG: &str = "
You must set `build: os: ubuntu-22.04` or similar in the
`.readthedocs.yaml` file.  Otherwise, you will get old, unsupported
versions of software for backward compatibility.
[Suggestion](https://docs.readthedocs.io/en/stable/config-file/v2.html):

```yaml
build:
  os: ubuntu-22.04
  tools:
    python: \"3.12\"
```
";

fn rtd102(repo: &Repo) -> CheckResult {
    let ok = value::has(repo.readthedocs()?, &["build", "os"]);
    Ok(Outcome::from_bool(ok, RTD102_MSG))
}

const RTD103_MSG: &str = "
You must set `build: tools: python: \"3.12\"` or similar in the
`.readthedocs.yaml` file for a Python project.

```yaml
build:
  os: ubuntu-22.04
  tools:
    python: \"3.12\"
```
";

fn rtd103(repo: &Repo) -> CheckResult {
    let rtd = repo.readthedocs()?;
    let ok = value::has(rtd, &["build", "tools", "python"])
        || value::has(rtd, &["build", "jobs"])
        || value::has(rtd, &["build", "commands"]);
    Ok(Outcome::from_bool(ok, RTD103_MSG))
}

const RTD104_MSG: &str = "
You must set `sphinx: configuration:`, `mkdocs: configuration:`,
`build: commands:`, or `build: jobs:`. Skipping it is no longer allowed.
Note: `build: jobs:` is preferred over `build: commands:`.
Example:

```yaml
sphinx:
  configuration: docs/conf.py
```
";

fn rtd104(repo: &Repo) -> CheckResult {
    let rtd = repo.readthedocs()?;
    let ok = value::table(rtd, &["build", "jobs"]).is_some()
        || value::get(rtd, &["build", "commands"]).is_some_and(Value::is_array)
        || value::string(rtd, &["sphinx", "configuration"]).is_some()
        || value::string(rtd, &["mkdocs", "configuration"]).is_some();
    Ok(Outcome::from_bool(ok, RTD104_MSG))
}
