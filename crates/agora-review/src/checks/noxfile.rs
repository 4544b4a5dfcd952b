//! NOX: the contents of `noxfile.py` (only when the file exists).
//!
//! NOX1xx look at module-level assignments (`nox.needs_version = …`, `nox.options.… = …`),
//! NOX2xx at running the noxfile as a script (PEP 723 block, shebang, `__main__` guard).
//! The noxfile is read by [`crate::parse::python`], a tokenizer rather than a full parser.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::parse::python::{Noxfile, Statement};
use crate::repo::Repo;
use crate::value::{self, Value};

/// The NOX checks.
pub const CHECKS: &[Check] = &[
    check!(
        "NOX101",
        "noxfile",
        "tasks",
        "Sets minimum nox version",
        ["PY007"],
        nox101
    ),
    check!(
        "NOX102",
        "noxfile",
        "tasks",
        "Sets venv backend",
        ["PY007"],
        nox102
    ),
    check!(
        "NOX103",
        "noxfile",
        "tasks",
        "Set default per session instead of session list",
        ["PY007"],
        nox103
    ),
    check!(
        "NOX201",
        "noxfile",
        "tasks",
        "Set a script block with dependencies in your noxfile",
        ["PY007"],
        nox201
    ),
    check!(
        "NOX202",
        "noxfile",
        "tasks",
        "Has a shebang line",
        ["PY007"],
        nox202
    ),
    check!(
        "NOX203",
        "noxfile",
        "tasks",
        "Provide a main block to run nox",
        ["PY007"],
        nox203
    ),
];

/// Runs `test` on the noxfile, or skips when there is none.
fn with_noxfile(repo: &Repo, message: &str, test: fn(&Noxfile) -> bool) -> CheckResult {
    match repo.noxfile()? {
        Some(nox) => Ok(Outcome::from_bool(test(nox), message)),
        None => Ok(Outcome::not_applicable("no `noxfile.py`")),
    }
}

fn assigns(nox: &Noxfile, target: &str) -> bool {
    nox.statements.iter().any(|s| s.assigns_to(target))
}

const NOX101_MSG: &str = r#"
`noxfile.py` does not say which nox it needs: set a minimum version, so that an older nox
stops with a clear message:

```python
nox.needs_version = ">=2025.10.14"
```
"#;

fn nox101(repo: &Repo) -> CheckResult {
    with_noxfile(repo, NOX101_MSG, |n| assigns(n, "nox.needs_version"))
}

const NOX102_MSG: &str = r#"
`noxfile.py` does not choose a virtual environment backend: set the default, preferably uv
with virtualenv as the fallback:

```python
nox.options.default_venv_backend = "uv|virtualenv"
```
"#;

fn nox102(repo: &Repo) -> CheckResult {
    with_noxfile(repo, NOX102_MSG, |n| {
        assigns(n, "nox.options.default_venv_backend")
    })
}

const NOX103_MSG: &str = r#"
`noxfile.py` sets the global `nox.options.sessions` list: remove it and mark the sessions
that should not run by default with `@nox.session(default=False)`.
"#;

fn nox103(repo: &Repo) -> CheckResult {
    with_noxfile(repo, NOX103_MSG, |n| !assigns(n, "nox.options.sessions"))
}

const NOX201_MSG: &str = r#"
`noxfile.py` has no inline script metadata (PEP 723) declaring its dependencies: add a block
naming nox, so that the file runs as a script with its own environment:

```python
# /// script
# dependencies = ["nox"]
# ///
```
"#;

fn nox201(repo: &Repo) -> CheckResult {
    with_noxfile(repo, NOX201_MSG, |n| {
        value::get(&n.script, &["dependencies"]).is_some_and(Value::is_array)
    })
}

const NOX202_MSG: &str = r#"
`noxfile.py` does not start with a shebang line: add one, so that `./noxfile.py` runs it,
for example with uv:

```python
#!/usr/bin/env -S uv run --script
```
"#;

fn nox202(repo: &Repo) -> CheckResult {
    with_noxfile(repo, NOX202_MSG, |n| !n.shebang.is_empty())
}

const NOX203_MSG: &str = r#"
`noxfile.py` has no `__main__` block: end it with one that calls nox, so that running the
file runs its sessions:

```python
if __name__ == "__main__":
    nox.main()
```
"#;

fn nox203(repo: &Repo) -> CheckResult {
    with_noxfile(repo, NOX203_MSG, |n| {
        n.statements.iter().any(Statement::is_main_guard)
    })
}
