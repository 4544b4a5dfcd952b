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
Must have a `tool.mypy`, `tool.pyrefly`, or `tool.ty` section in
`pyproject.toml`. Other forms of configuration are not supported by
this check.
";

fn my100(repo: &Repo) -> CheckResult {
    let py = repo.pyproject()?;
    let ok = ["mypy", "pyrefly", "ty"]
        .iter()
        .any(|t| value::has(py, &["tool", t]));
    Ok(Outcome::from_bool(ok, MY100_MSG))
}

const MY101_MSG: &str = "
Should opt into strict checking. For MyPy, set `strict` (true/false).
For Pyrefly, set a `preset` (such as `\"strict\"`). ty has no strict
switch -- you tighten individual rules in `[tool.ty.rules]` -- so this
check is skipped when only ty is configured.

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
        return Ok(Outcome::Fail(MY101_MSG.to_string()));
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
Must not have `show_error_codes`. It is now the default, or you can
use `hide_error_codes` with the reverse value instead (since MyPy v0.990).
Skipped if MyPy is not configured.
";

fn my102(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY102_MSG, |m| {
        !value::get(m, &["show_error_codes"]).is_some_and(Value::is_boolean)
    })
}

const MY103_MSG: &str = "
Must have `warn_unreachable` (true/false) to pass this check. There are
occasionally false positives (often due to platform or Python version
static checks), so it's okay to set it to false if you need to. But try
it first - it can catch real bugs too. Skipped if MyPy is not configured.

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
Must have `\"ignore-without-code\"` in `enable_error_code = [...]`. This
will force all skips in your project to include the error code, which
makes them more readable, and avoids skipping something unintended.
Skipped if MyPy is not configured.

```toml
[tool.mypy]
enable_error_code = [\"ignore-without-code\", \"redundant-expr\", \"truthy-bool\"]
```
";

fn my104(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY104_MSG, |m| enables(m, "ignore-without-code"))
}

const MY105_MSG: &str = "
Must have `\"redundant-expr\"` in `enable_error_code = [...]`. This helps
catch useless lines of code, like checking the same condition twice.
Skipped if MyPy is not configured.

```toml
[tool.mypy]
enable_error_code = [\"ignore-without-code\", \"redundant-expr\", \"truthy-bool\"]
```
";

fn my105(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY105_MSG, |m| enables(m, "redundant-expr"))
}

const MY106_MSG: &str = "
Must have `\"truthy-bool\"` in `enable_error_code = []`. This catches
mistakes in using a value as truthy if it cannot be falsy. Skipped if
MyPy is not configured.

```toml
[tool.mypy]
enable_error_code = [\"ignore-without-code\", \"redundant-expr\", \"truthy-bool\"]
```
";

fn my106(repo: &Repo) -> CheckResult {
    with_mypy(repo, MY106_MSG, |m| enables(m, "truthy-bool"))
}
