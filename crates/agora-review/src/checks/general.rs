//! PY: the general layout of the repository (files and folders that should exist).
//!
//! These checks only look at the directory tree, except PY007 which also accepts task-runner
//! configuration inside `pyproject.toml`.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::Repo;
use crate::value;

/// The PY checks.
pub const CHECKS: &[Check] = &[
    check!(
        "PY001",
        "general",
        "packaging-simple",
        "Has a pyproject.toml",
        [],
        py001
    ),
    check!(
        "PY002",
        "general",
        "packaging-simple",
        "Has a README.(md|rst) file",
        [],
        py002
    ),
    check!(
        "PY003",
        "general",
        "packaging-simple",
        "Has a LICENSE* file",
        [],
        py003
    ),
    check!(
        "PY004",
        "general",
        "packaging-simple",
        "Has docs folder",
        [],
        py004
    ),
    check!(
        "PY005",
        "general",
        "packaging-simple",
        "Has tests folder",
        [],
        py005
    ),
    check!(
        "PY006",
        "general",
        "style",
        "Has pre-commit config",
        [],
        py006
    ),
    check!(
        "PY007",
        "general",
        "tasks",
        "Supports an easy task runner (nox, tox, pixi, etc.)",
        [],
        py007
    ),
    check!(
        "PY008",
        "general",
        "packaging-simple",
        "Has a .gitignore file",
        [],
        py008
    ),
];

const PY001_MSG: &str = "
There is no `pyproject.toml`: add one with a `[build-system]` table and the `[project]`
metadata. Modern build frontends read the build system from it, and it is what makes the
project build and install as a wheel.
";

fn py001(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(
        repo.is_file("pyproject.toml"),
        PY001_MSG,
    ))
}

fn py002(repo: &Repo) -> CheckResult {
    let ok = repo.is_file("README.md") || repo.is_file("README.rst");
    Ok(Outcome::from_bool(
        ok,
        "There is no `README.md` or `README.rst` at the root: add one that says what the project does and how to install it.",
    ))
}

fn py003(repo: &Repo) -> CheckResult {
    let ok = repo.entries("").iter().any(|(name, _)| {
        ["LICENSE", "LICENCE", "COPYING"]
            .iter()
            .any(|s| name.starts_with(s))
    });
    Ok(Outcome::from_bool(
        ok,
        "There is no license file at the root (`LICENSE*`, `LICENCE*` or `COPYING*`): add one so that others know on what terms they may use the code.",
    ))
}

fn py004(repo: &Repo) -> CheckResult {
    let ok = repo
        .entries("")
        .iter()
        .any(|(name, is_dir)| *is_dir && name == "docs");
    Ok(Outcome::from_bool(
        ok,
        "There is no `docs/` folder: keep the documentation sources in `docs/` (or ignore PY004 if the project has no documentation of its own).",
    ))
}

fn has_test_dir(repo: &Repo, rel: &str) -> bool {
    repo.entries(rel)
        .iter()
        .any(|(name, is_dir)| *is_dir && name.starts_with("test"))
}

fn py005(repo: &Repo) -> CheckResult {
    let ok = has_test_dir(repo, "")
        || (repo.is_dir("src")
            && repo
                .entries("src")
                .iter()
                .any(|(pkg, is_dir)| *is_dir && has_test_dir(repo, &format!("src/{pkg}"))));
    Ok(Outcome::from_bool(
        ok,
        "There is no tests folder: put the tests in a folder whose name starts with `test`, at the root or inside the package (`src/PACKAGE/test*`).",
    ))
}

fn py006(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(
        repo.is_file(".pre-commit-config.yaml"),
        "There is no `.pre-commit-config.yaml`: add one so that formatters and linters run on every commit.",
    ))
}

const PY007_MSG: &str = "
No task runner is configured. Give new contributors one command to run the tests and
builds: add a `noxfile.py`, `tox.ini`, `tox.toml` or `pixi.toml`, or configure
`[tool.hatch.envs]`, `[tool.spin]`, `[tool.tox]`, `[tool.poe]` or pixi tasks in
`pyproject.toml`.
";

fn py007(repo: &Repo) -> CheckResult {
    if ["noxfile.py", "tox.ini", "tox.toml", "pixi.toml"]
        .iter()
        .any(|f| repo.is_file(f))
    {
        return Ok(Outcome::Pass);
    }
    let pyproject = repo.pyproject()?;
    let Some(tool) = value::table(pyproject, &["tool"]) else {
        return Ok(Outcome::from_bool(false, PY007_MSG));
    };
    let hatch_envs = tool.get("hatch").is_some_and(|h| value::has(h, &["envs"]));
    let pixi_tasks = tool.get("pixi").is_some_and(|pixi| {
        value::table(pixi, &["tasks"]).is_some()
            || value::table(pixi, &["feature"])
                .is_some_and(|feats| feats.values().any(|f| value::contains(f, "tasks")))
    });
    let ok = hatch_envs
        || tool.contains_key("spin")
        || tool.contains_key("tox")
        || tool.contains_key("poe")
        || pixi_tasks;
    Ok(Outcome::from_bool(ok, PY007_MSG))
}

fn py008(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(
        repo.is_file(".gitignore"),
        "There is no `.gitignore`: add one so that build products, caches and virtual environments stay out of version control.",
    ))
}
