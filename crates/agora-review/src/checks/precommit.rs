//! PC: the pre-commit hooks in `.pre-commit-config.yaml`.
//!
//! Most checks are "one of these hook repositories is used" ([`HookSpec`]): a repository URL
//! (compared lower-cased), optionally a required hook id, and renamed repositories that get a
//! "use X instead of Y" message. PC9xx check the pre-commit.ci settings and are skipped when
//! Dependabot updates the hooks instead. The family is left out when the project uses
//! lefthook instead of pre-commit.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::checks::github::ecosystem_updates;
use crate::repo::Repo;
use crate::value::{self, Value};

/// The PC checks.
pub const CHECKS: &[Check] = &[
    check!(
        "PC100",
        "pre-commit",
        "style",
        "Has pre-commit-hooks",
        ["PY006"],
        pc100
    ),
    check!(
        "PC110",
        "pre-commit",
        "style",
        "Uses black or ruff-format",
        ["PY006"],
        pc110
    ),
    check!(
        "PC111",
        "pre-commit",
        "style",
        "Formats code in docs (ruff-format or blacken-docs)",
        ["PY006", "PC110"],
        pc111
    ),
    check!(
        "PC140",
        "pre-commit",
        "style",
        "Uses a type checker",
        ["PY006"],
        pc140
    ),
    check!(
        "PC160",
        "pre-commit",
        "style",
        "Uses a spell checker",
        ["PY006"],
        pc160
    ),
    check!(
        "PC170",
        "pre-commit",
        "style",
        "Uses PyGrep hooks (only needed if rST present)",
        ["PY006"],
        pc170
    ),
    check!(
        "PC180",
        "pre-commit",
        "style",
        "Uses a markdown formatter",
        ["PY006"],
        pc180
    ),
    check!(
        "PC190",
        "pre-commit",
        "style",
        "Uses a linter (Ruff/Flake8)",
        ["PY006"],
        pc190
    ),
    check!(
        "PC191",
        "pre-commit",
        "style",
        "Ruff show fixes if fixes enabled",
        ["PC190"],
        pc191
    ),
    check!(
        "PC192",
        "pre-commit",
        "style",
        "Ruff uses `ruff-check` instead of `ruff` (legacy)",
        ["PC190"],
        pc192
    ),
    check!(
        "PC901",
        "pre-commit",
        "style",
        "Custom pre-commit CI update message",
        ["PY006"],
        pc901
    ),
    check!(
        "PC902",
        "pre-commit",
        "style",
        "Custom pre-commit CI autofix message",
        ["PY006"],
        pc902
    ),
    check!(
        "PC903",
        "pre-commit",
        "style",
        "Specified pre-commit CI schedule",
        ["PY006"],
        pc903
    ),
];

/// Which hook repositories satisfy a check.
struct HookSpec {
    /// What the hooks do, for the message ("a linter").
    what: &'static str,
    /// Accepted repository URLs (lower case).
    repos: &'static [&'static str],
    /// Repositories that need a specific hook id (one of the listed ones).
    ids: &'static [(&'static str, &'static [&'static str])],
    /// Old URL → new URL.
    renamed: &'static [(&'static str, &'static str)],
}

/// `a`, `a or b`, `a, b or c`.
fn either(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The failure for a hook repository that has moved.
fn moved(old: &str, new: &str) -> Outcome {
    Outcome::Fail(format!(
        "`.pre-commit-config.yaml` uses `{old}`: switch to `{new}`, which replaces it."
    ))
}

impl HookSpec {
    /// The accepted repositories (sorted), each with the hook id it needs.
    fn describe(&self) -> String {
        let mut items: Vec<String> = self
            .repos
            .iter()
            .map(|r| match self.ids.iter().find(|(repo, _)| repo == r) {
                // The preferred id (others are accepted, but PC192 asks to move off them).
                Some((_, ids)) => format!("`{r}` with its `{}` hook", ids.first().unwrap_or(&"")),
                None => format!("`{r}`"),
            })
            .collect();
        items.sort();
        if items.len() > 1 {
            format!("one of {}", either(&items))
        } else {
            either(&items)
        }
    }

    fn check(&self, precommit: &Value) -> Outcome {
        for item in repos(precommit) {
            let url = repo_url(item);
            if url.is_empty() {
                continue;
            }
            if self.repos.contains(&url.as_str()) {
                match self.ids.iter().find(|(r, _)| *r == url) {
                    Some((_, ids)) => {
                        if hooks(item).any(|h| ids.contains(&hook_id(h))) {
                            return Outcome::Pass;
                        }
                    }
                    None => return Outcome::Pass,
                }
            }
            if let Some((_, new)) = self.renamed.iter().find(|(old, _)| *old == url) {
                return moved(&url, new);
            }
        }
        Outcome::Fail(format!(
            "`.pre-commit-config.yaml` runs no {}: add {}.",
            self.what,
            self.describe()
        ))
    }
}

/// The `repos:` entries that are mappings.
fn repos(precommit: &Value) -> impl Iterator<Item = &Value> {
    value::list(precommit, &["repos"])
        .iter()
        .filter(|r| r.is_object())
}

/// A repo entry's URL, lower-cased (empty if missing).
fn repo_url(item: &Value) -> String {
    value::string(item, &["repo"])
        .unwrap_or_default()
        .to_lowercase()
}

/// A repo entry's hooks that are mappings.
fn hooks(item: &Value) -> impl Iterator<Item = &Value> {
    value::list(item, &["hooks"])
        .iter()
        .filter(|h| h.is_object())
}

/// A hook's id (empty if missing).
fn hook_id(hook: &Value) -> &str {
    value::string(hook, &["id"]).unwrap_or_default()
}

const RUFF_REPO: &str = "https://github.com/astral-sh/ruff-pre-commit";

fn run_spec(repo: &Repo, spec: &HookSpec) -> CheckResult {
    Ok(spec.check(repo.precommit()?))
}

fn pc100(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "hooks from pre-commit-hooks (checks for whitespace, file endings, merge conflicts and the like)",
            repos: &["https://github.com/pre-commit/pre-commit-hooks"],
            ids: &[],
            renamed: &[],
        },
    )
}

fn pc110(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "code formatter",
            repos: &["https://github.com/psf/black-pre-commit-mirror", RUFF_REPO],
            ids: &[(RUFF_REPO, &["ruff-format"])],
            renamed: &[(
                "https://github.com/psf/black",
                "https://github.com/psf/black-pre-commit-mirror",
            )],
        },
    )
}

const PC111_MSG: &str = r#"
Code in the documentation is not formatted: add the hook of
`https://github.com/adamchainz/blacken-docs`, or (Ruff 0.16+) have the `ruff-format` hook
format Markdown files as well. Until that is Ruff's default, give the hook
`types_or: [python, pyi, jupyter, markdown, pyproject]`.
"#;

/// A `ruff-format` hook that Markdown files reach (no `types_or` means ruff's default).
fn formats_markdown(hook: &Value) -> bool {
    if hook_id(hook) != "ruff-format" {
        return false;
    }
    match value::get(hook, &["types_or"]) {
        Some(types) => value::contains(types, "markdown"),
        None => true,
    }
}

fn pc111(repo: &Repo) -> CheckResult {
    for item in repos(repo.precommit()?) {
        let url = repo_url(item);
        if url == "https://github.com/adamchainz/blacken-docs" {
            return Ok(Outcome::Pass);
        }
        if url == RUFF_REPO && hooks(item).any(formats_markdown) {
            return Ok(Outcome::Pass);
        }
        if url == "https://github.com/asottile/blacken-docs" {
            return Ok(moved(&url, "https://github.com/adamchainz/blacken-docs"));
        }
    }
    Ok(Outcome::fail(PC111_MSG))
}

fn pc140(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "type checker",
            repos: &[
                "https://github.com/pre-commit/mirrors-mypy",
                "https://github.com/facebook/pyrefly-pre-commit",
                "https://github.com/astral-sh/ty-pre-commit",
            ],
            ids: &[],
            renamed: &[],
        },
    )
}

fn pc160(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "spell checker",
            repos: &[
                "https://github.com/codespell-project/codespell",
                "https://github.com/crate-ci/typos",
            ],
            ids: &[],
            renamed: &[],
        },
    )
}

fn pc170(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "PyGrep hooks (quick checks for common reStructuredText and `noqa` mistakes)",
            repos: &["https://github.com/pre-commit/pygrep-hooks"],
            ids: &[],
            renamed: &[],
        },
    )
}

fn pc180(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "Markdown formatter",
            repos: &[
                "https://github.com/rbubley/mirrors-prettier",
                "https://github.com/hukkin/mdformat",
                "https://github.com/rvben/rumdl-pre-commit",
                "https://github.com/davidanson/markdownlint-cli2",
                "https://github.com/jolars/panache-pre-commit",
                "https://github.com/akiomik/mado",
                "https://github.com/markdownlint/markdownlint",
            ],
            ids: &[],
            renamed: &[
                (
                    "https://github.com/pre-commit/mirrors-prettier",
                    "https://github.com/rbubley/mirrors-prettier",
                ),
                (
                    "https://github.com/executablebooks/mdformat",
                    "https://github.com/hukkin/mdformat",
                ),
            ],
        },
    )
}

fn pc190(repo: &Repo) -> CheckResult {
    run_spec(
        repo,
        &HookSpec {
            what: "linter",
            repos: &[RUFF_REPO, "https://github.com/pycqa/flake8"],
            ids: &[(RUFF_REPO, &["ruff-check", "ruff"])],
            renamed: &[
                (
                    "https://github.com/charliermarsh/ruff-pre-commit",
                    RUFF_REPO,
                ),
                // The trailing space is in sp-repo-review too: this rename never matches.
                (
                    "https://gitlab.com/pycqa/flake8 ",
                    "https://github.com/pycqa/flake8",
                ),
            ],
        },
    )
}

const PC191_MSG: &str = r#"
The Ruff hook runs with `--fix` but not `--show-fixes`: add `--show-fixes` to its `args` (or
`show-fixes = true` to the Ruff configuration), so that the output lists what was changed.
"#;

fn pc191(repo: &Repo) -> CheckResult {
    let precommit = repo.precommit()?;
    for item in repos(precommit).filter(|r| repo_url(r) == RUFF_REPO) {
        for hook in hooks(item) {
            let Some(args) = value::get(hook, &["args"]) else {
                continue;
            };
            if matches!(hook_id(hook), "ruff" | "ruff-check") && value::contains(args, "--fix") {
                let in_config = match repo.ruff()? {
                    Some(ruff) => value::has(ruff, &["show-fixes"]),
                    None => false,
                };
                return Ok(Outcome::from_bool(
                    value::contains(args, "--show-fixes") || in_config,
                    PC191_MSG,
                ));
            }
        }
    }
    Ok(Outcome::not_applicable("no ruff hook with `--fix`"))
}

const PC192_MSG: &str = r#"
The Ruff hook uses the legacy id `ruff`: rename it to `ruff-check`.
"#;

fn pc192(repo: &Repo) -> CheckResult {
    let precommit = repo.precommit()?;
    let ruff_repos = || repos(precommit).filter(|r| repo_url(r) == RUFF_REPO);
    if ruff_repos().any(|r| hooks(r).any(|h| hook_id(h) == "ruff")) {
        return Ok(Outcome::fail(PC192_MSG));
    }
    if ruff_repos().any(|r| hooks(r).any(|h| hook_id(h) == "ruff-check")) {
        return Ok(Outcome::Pass);
    }
    Ok(Outcome::not_applicable("no ruff lint hook"))
}

/// A pre-commit.ci setting check, skipped when Dependabot updates the hooks.
fn ci_setting(repo: &Repo, key: &str, message: &str) -> CheckResult {
    let precommit = repo.precommit()?;
    if ecosystem_updates(repo.dependabot()?, "pre-commit")
        .next()
        .is_some()
    {
        return Ok(Outcome::not_applicable(
            "Dependabot updates the pre-commit hooks",
        ));
    }
    let ok = value::get(precommit, &["ci"]).is_some_and(|ci| value::contains(ci, key));
    Ok(Outcome::from_bool(ok, message))
}

const PC901_MSG: &str = r#"
pre-commit.ci commits its hook updates with its default message: set one that follows the
project's convention in `.pre-commit-config.yaml`, for example

```yaml
ci:
  autoupdate_commit_msg: "chore: update pre-commit hooks"
```
"#;

fn pc901(repo: &Repo) -> CheckResult {
    ci_setting(repo, "autoupdate_commit_msg", PC901_MSG)
}

const PC902_MSG: &str = r#"
pre-commit.ci commits its automatic fixes with its default message: set one that follows
the project's convention in `.pre-commit-config.yaml`, for example

```yaml
ci:
  autofix_commit_msg: "style: apply pre-commit fixes"
```
"#;

fn pc902(repo: &Repo) -> CheckResult {
    ci_setting(repo, "autofix_commit_msg", PC902_MSG)
}

const PC903_MSG: &str = r#"
pre-commit.ci's hook updates have no schedule set: choose `weekly` (its default), `monthly` or
`quarterly` in `.pre-commit-config.yaml`:

```yaml
ci:
  autoupdate_schedule: quarterly
```
"#;

fn pc903(repo: &Repo) -> CheckResult {
    ci_setting(repo, "autoupdate_schedule", PC903_MSG)
}
