//! GH: GitHub Actions workflows (GH1xx) and Dependabot (GH2xx).
//!
//! Workflows are read from `.github/workflows/*.{yml,yaml}` and named by file name (and job)
//! in messages. A YAML 1.1 reader (PyYAML, used by sp-repo-review) turns the `on:` key into the
//! boolean `true`; our YAML 1.2 reader keeps it as `"on"`, so both spellings are looked up.

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::Repo;
use crate::value::{self, Value};

/// The GH checks.
pub const CHECKS: &[Check] = &[
    check!(
        "GH100",
        "github",
        "gha-basic",
        "Has GitHub Actions config",
        [],
        gh100
    ),
    check!(
        "GH101",
        "github",
        "gha-basic",
        "Has nice names",
        ["GH100"],
        gh101
    ),
    check!(
        "GH102",
        "github",
        "gha-basic",
        "Auto-cancel on repeated PRs",
        ["GH100"],
        gh102
    ),
    check!(
        "GH103",
        "github",
        "gha-basic",
        "At least one workflow with manual dispatch trigger",
        ["GH100"],
        gh103
    ),
    check!(
        "GH104",
        "github",
        "gha-wheels",
        "Use unique names for upload-artifact",
        ["GH100"],
        gh104
    ),
    check!(
        "GH105",
        "github",
        "gha-basic",
        "Use Trusted Publishing instead of token-based publishing on PyPI",
        ["GH100"],
        gh105
    ),
    check!(
        "GH200",
        "github",
        "gha-basic",
        "Maintained by Dependabot",
        ["GH100"],
        gh200
    ),
    check!(
        "GH210",
        "github",
        "gha-basic",
        "Maintains the GitHub action versions with Dependabot",
        ["GH200"],
        gh210
    ),
    check!(
        "GH211",
        "github",
        "gha-basic",
        "Do not pin core actions as major versions",
        ["GH200", "GH210"],
        gh211
    ),
    check!(
        "GH212",
        "github",
        "gha-basic",
        "Require GHA update grouping",
        ["GH200", "GH210"],
        gh212
    ),
];

/// The jobs of a workflow as (name, job mapping); jobs that are not mappings are left out.
pub(crate) fn jobs(workflow: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value::table(workflow, &["jobs"])
        .into_iter()
        .flat_map(|jobs| jobs.iter())
        .filter(|(_, job)| job.is_object())
}

/// The steps of a job that are mappings.
pub(crate) fn steps(job: &Value) -> impl Iterator<Item = &Value> {
    value::list(job, &["steps"])
        .iter()
        .filter(|s| s.is_object())
}

/// A step's `uses:` (empty if none).
pub(crate) fn uses(step: &Value) -> &str {
    value::string(step, &["uses"]).unwrap_or_default()
}

const GH100_MSG: &str = "
There are no workflows in `.github/workflows/` (`*.yml` or `*.yaml`): add GitHub Actions
workflows to test and build the project. The other GitHub checks wait for one.
";

fn gh100(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(!repo.workflows()?.is_empty(), GH100_MSG))
}

fn gh101(repo: &Repo) -> CheckResult {
    let unnamed: Vec<String> = repo
        .workflows()?
        .iter()
        .filter(|w| !value::has(&w.doc, &["name"]))
        .map(|w| format!("`{}`", w.file))
        .collect();
    if unnamed.is_empty() {
        return Ok(Outcome::Pass);
    }
    Ok(Outcome::Fail(format!(
        "Workflows without a `name:`: {}. Give each a short, readable name for the Actions tab \
         and the status checks (or ignore GH101 if the file names read well enough).",
        unnamed.join(", ")
    )))
}

const GH102_MSG: &str = "
No workflow cancels its superseded runs: give at least one (usually CI) a `concurrency`
group, so that a new push to a branch or pull request stops the run still going on the
previous commit:

```yaml
concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: true
```
";

fn gh102(repo: &Repo) -> CheckResult {
    let ok = repo
        .workflows()?
        .iter()
        .any(|w| value::has(&w.doc, &["concurrency"]));
    Ok(Outcome::from_bool(ok, GH102_MSG))
}

const GH103_MSG: &str = "
No workflow can be started by hand: add the `workflow_dispatch` trigger to at least one, so
that it can be run from the Actions tab or with `gh workflow run`:

```yaml
on:
  workflow_dispatch:
  pull_request:
```
";

fn gh103(repo: &Repo) -> CheckResult {
    let ok = repo.workflows()?.iter().any(|w| {
        ["on", "true"].iter().any(|key| {
            value::get(&w.doc, &[key]).is_some_and(|on| value::contains(on, "workflow_dispatch"))
        })
    });
    Ok(Outcome::from_bool(ok, GH103_MSG))
}

const GH104_FIX: &str = "
Since `actions/upload-artifact@v4` two uploads under the same name are an error (older
versions merged them). Name each upload uniquely, for example after the job and the matrix
index, and download them together with a pattern:

```yaml
- uses: actions/upload-artifact@v4
  with:
    name: dist-${{ github.job }}-${{ strategy.job-index }}
# … in the job that needs them:
- uses: actions/download-artifact@v4
  with:
    pattern: dist-*
    merge-multiple: true
```
";

fn gh104(repo: &Repo) -> CheckResult {
    let mut errors = Vec::new();
    for workflow in repo.workflows()? {
        for (job_name, job) in jobs(&workflow.doc) {
            let names: Vec<&str> = steps(job)
                .filter(|s| uses(s).starts_with("actions/upload-artifact"))
                .map(|s| value::string(s, &["with", "name"]).unwrap_or_default())
                .collect();
            let matrix =
                value::get(job, &["strategy"]).is_some_and(|s| value::contains(s, "matrix"));
            if matrix && !names.iter().all(|n| n.contains("${{")) {
                errors.push(format!(
                    "* `{}`, job `{job_name}`: a matrix job uploads under a fixed name (no `${{{{ … }}}}` in it), so its copies collide.",
                    workflow.file
                ));
            }
            let mut fixed: Vec<&str> = names.into_iter().filter(|n| !n.contains("${{")).collect();
            let count = fixed.len();
            fixed.sort_unstable();
            fixed.dedup();
            if fixed.len() != count {
                errors.push(format!(
                    "* `{}`, job `{job_name}`: several uploads use the same name.",
                    workflow.file
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(Outcome::Pass)
    } else {
        Ok(Outcome::Fail(format!(
            "Artifact names that collide:\n\n{}\n\n{}",
            errors.join("\n"),
            GH104_FIX.trim()
        )))
    }
}

fn gh105(repo: &Repo) -> CheckResult {
    let mut errors = Vec::new();
    for workflow in repo.workflows()? {
        for (job_name, job) in jobs(&workflow.doc) {
            for step in steps(job) {
                let token =
                    value::get(step, &["with"]).is_some_and(|w| value::contains(w, "password"));
                if uses(step).starts_with("pypa/gh-action-pypi-publish") && token {
                    errors.push(format!("* `{}`, job `{job_name}`", workflow.file));
                }
            }
        }
    }
    if errors.is_empty() {
        return Ok(Outcome::Pass);
    }
    Ok(Outcome::Fail(format!(
        "These jobs upload to PyPI with an API token (`password:`):\n\n{}\n\nSwitch them to \
         Trusted Publishing: register the workflow as a trusted publisher of the project on \
         PyPI, grant the job `id-token: write`, and remove the `password:` input and its secret.",
        errors.join("\n")
    )))
}

const GH200_MSG: &str = "
There is no `.github/dependabot.yml`: add one so that Dependabot proposes updates, at least
of the GitHub Actions the workflows use:

```yaml
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
```
";

fn gh200(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(
        value::truthy(repo.dependabot()?),
        GH200_MSG,
    ))
}

/// The `updates:` entries of dependabot.yml for the given ecosystem.
pub(crate) fn ecosystem_updates<'a>(
    dependabot: &'a Value,
    ecosystem: &'a str,
) -> impl Iterator<Item = &'a Value> {
    value::list(dependabot, &["updates"])
        .iter()
        .filter(move |u| value::string(u, &["package-ecosystem"]) == Some(ecosystem))
}

const GH210_MSG: &str = "
`.github/dependabot.yml` does not update the GitHub Actions: add a `github-actions` entry to
`updates`, with a group so that the bumps come in one pull request:

```yaml
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    groups:
      actions:
        patterns: [\"*\"]
```
";

fn gh210(repo: &Repo) -> CheckResult {
    let ok = ecosystem_updates(repo.dependabot()?, "github-actions")
        .next()
        .is_some();
    Ok(Outcome::from_bool(ok, GH210_MSG))
}

const GH211_MSG: &str = "
`.github/dependabot.yml` ignores updates of `actions/*`, presumably to keep major-version
tags such as `@v4`: remove that `ignore` entry. Since April 2022 Dependabot keeps the tag
style a workflow already uses, so it proposes `@v5`, not `@v5.0.1`.
";

fn gh211(repo: &Repo) -> CheckResult {
    let pinned = ecosystem_updates(repo.dependabot()?, "github-actions").any(|u| {
        value::list(u, &["ignore"]).iter().any(|i| {
            value::get(i, &["dependency-name"]).is_some_and(|d| value::contains(d, "actions/*"))
        })
    });
    Ok(Outcome::from_bool(!pinned, GH211_MSG))
}

const GH212_MSG: &str = "
The `github-actions` updates in `.github/dependabot.yml` are not grouped, so every action
gets its own pull request: add a group to that entry (Dependabot supports them since June
2023):

```yaml
    groups:
      actions:
        patterns: [\"*\"]
```
";

fn gh212(repo: &Repo) -> CheckResult {
    let ungrouped = ecosystem_updates(repo.dependabot()?, "github-actions")
        .any(|u| !value::has(u, &["groups"]));
    Ok(Outcome::from_bool(!ungrouped, GH212_MSG))
}
