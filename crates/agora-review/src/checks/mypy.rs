//! MY: type-checker configuration in `pyproject.toml` (MyPy, Pyrefly or ty).
//!
//! MY100 looks for any of the three; the others look at `[tool.mypy]` (MY101 also accepts a
//! Pyrefly `preset`) and are skipped when MyPy is not the configured checker.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::Repo;
use crate::value::{self, Value};

/// The MY checks.
pub const CHECKS: &[Check] = &[
    check!(
        "MY100",
        "mypy",
        "style",
        "Uses a type checker (pyproject config)",
        ["PY001"],
        my100
    ),
    check!(
        "MY101",
        "mypy",
        "style",
        "Type checker in strict mode",
        ["MY100"],
        my101
    ),
    check!(
        "MY102",
        "mypy",
        "",
        "MyPy show_error_codes deprecated",
        ["MY100"],
        my102
    ),
    check!(
        "MY103",
        "mypy",
        "style",
        "MyPy warn unreachable",
        ["MY100"],
        my103
    ),
    check!(
        "MY104",
        "mypy",
        "style",
        "MyPy enables ignore-without-code",
        ["MY100"],
        my104
    ),
    check!(
        "MY105",
        "mypy",
        "style",
        "MyPy enables redundant-expr",
        ["MY100"],
        my105
    ),
    check!(
        "MY106",
        "mypy",
        "style",
        "MyPy enables truthy-bool",
        ["MY100"],
        my106
    ),
];

const NO_MYPY: &str = "MyPy is not configured";

const MY100_MSG: &str = "
No type checker is configured in `pyproject.toml`: add a `[tool.mypy]`, `[tool.pyrefly]` or
`[tool.ty]` table. (Configuration in other files, such as `mypy.ini`, is not looked at.)
";

fn my100(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = ["mypy", "pyrefly", "ty"]
        .iter()
        .any(|t| value::has(py, &["tool", t]));
    Ok(Outcome::from_bool(ok, MY100_MSG))
}

const MY101_MSG: &str = "
The type checker does not choose its strictness: for MyPy set `strict` (to `true`, or
`false` deliberately), for Pyrefly choose a `preset` such as `\"strict\"`. (ty has no single
switch, so a project configuring only ty skips this check.)

```toml
[tool.mypy]
strict = true
```
";

fn my101(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    if value::get(py, &["tool", "mypy", "strict"]).is_some_and(Value::is_boolean)
        || value::string(py, &["tool", "pyrefly", "preset"]).is_some()
    {
        return Ok(Outcome::Pass);
    }
    if value::has(py, &["tool", "mypy"]) || value::has(py, &["tool", "pyrefly"]) {
        return Ok(Outcome::fail(MY101_MSG));
    }
    Ok(Outcome::not_applicable("only ty is configured"))
}

/// Runs `test` on `[tool.mypy]`, or skips when MyPy is not configured.
fn with_mypy(repo: &Repo, message: &str, test: fn(&Value) -> bool) -> CheckResult {
    let py = repo.pyproject()?;
    match value::get(py, &["tool", "mypy"]) {
        Some(mypy) => Ok(Outcome::from_bool(test(mypy), message)),
        None => Ok(Outcome::not_applicable(NO_MYPY)),
    }
}

const MY102_MSG: &str = "
`[tool.mypy]` sets `show_error_codes`: remove it. MyPy shows error codes by default since
0.990; set `hide_error_codes` if you want them hidden.
";

fn my102(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY102_MSG, |m| {
        !value::get(m, &["show_error_codes"]).is_some_and(Value::is_boolean)
    })
}

const MY103_MSG: &str = "
`[tool.mypy]` does not set `warn_unreachable`: set it, to catch code that can never run. If
platform or Python version checks make it report false positives, `false` passes this check
too, but try `true` first.

```toml
[tool.mypy]
warn_unreachable = true
```
";

fn my103(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY103_MSG, |m| {
        value::get(m, &["warn_unreachable"]).is_some_and(Value::is_boolean)
    })
}

/// Whether `enable_error_code` mentions `code`.
fn enables(mypy: &Value, code: &str) -> bool {
    value::get(mypy, &["enable_error_code"]).is_some_and(|c| value::contains(c, code))
}

const MY104_MSG: &str = "
`enable_error_code` in `[tool.mypy]` lacks `\"ignore-without-code\"`: add it, so that every
`# type: ignore` names the error it silences and cannot hide another one.

```toml
[tool.mypy]
enable_error_code = [\"truthy-bool\", \"redundant-expr\", \"ignore-without-code\"]
```
";

fn my104(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY104_MSG, |m| enables(m, "ignore-without-code"))
}

const MY105_MSG: &str = "
`enable_error_code` in `[tool.mypy]` lacks `\"redundant-expr\"`: add it, to flag expressions
that are always true or always false, such as a condition tested twice.

```toml
[tool.mypy]
enable_error_code = [\"truthy-bool\", \"redundant-expr\", \"ignore-without-code\"]
```
";

fn my105(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY105_MSG, |m| enables(m, "redundant-expr"))
}

const MY106_MSG: &str = "
`enable_error_code` in `[tool.mypy]` lacks `\"truthy-bool\"`: add it, to flag values used as
a condition although they can never be false.

```toml
[tool.mypy]
enable_error_code = [\"truthy-bool\", \"redundant-expr\", \"ignore-without-code\"]
```
";

fn my106(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY106_MSG, |m| enables(m, "truthy-bool"))
}
