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
All projects should have a `pyproject.toml` file to support a modern
build system and support wheel installs properly.
";

fn py001(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(
        repo.is_file("pyproject.toml"),
        PY001_MSG,
    ))
}

fn py002(repo: &Repo) -> CheckResult {
    let ok = repo.is_file("README.md") || repo.is_file("README.rst");
    Ok(Outcome::from_bool(ok, "Projects must have a readme file"))
}

fn py003(repo: &Repo) -> CheckResult {
    let ok = repo.entries("").iter().any(|(name, _)| {
        ["LICENSE", "LICENCE", "COPYING"]
            .iter()
            .any(|s| name.starts_with(s))
    });
    Ok(Outcome::from_bool(ok, "Projects must have a license"))
}

fn py004(repo: &Repo) -> CheckResult {
    let ok = repo
        .entries("")
        .iter()
        .any(|(name, is_dir)| *is_dir && name == "docs");
    Ok(Outcome::from_bool(
        ok,
        "Projects must have documentation in a folder called docs (disable if not applicable)",
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
        "Projects must have a folder called `test*` or `src/*/test*`",
    ))
}

fn py006(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(
        repo.is_file(".pre-commit-config.yaml"),
        "Projects must have a `.pre-commit-config.yaml` file",
    ))
}

const PY007_MSG: &str = "
Projects must have a `noxfile.py`, `tox.ini`, `tox.toml`, `pixi.toml` or
`tool.hatch.envs`/`tool.spin`/`tool.tox` in `pyproject.toml` to encourage new
contributors.
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
        "Projects must have a `.gitignore` file",
    ))
}
