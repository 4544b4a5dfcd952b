//! GH: GitHub Actions workflows (GH1xx) and Dependabot (GH2xx).
//!
//! Workflows are read from `.github/workflows/*.{yml,yaml}` and named by file stem in
//! messages. A YAML 1.1 reader (PyYAML, used by sp-repo-review) turns the `on:` key into the
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
All projects should have GitHub Actions config for this series of
checks.  If there are no `.yml` files in `.github/workflows`, the
remaining checks will be skipped.
";

fn gh100(repo: &Repo) -> CheckResult {
    Ok(Outcome::from_bool(!repo.workflows()?.is_empty(), GH100_MSG))
}

const GH101_MSG: &str = "
All workflows should have a nice readable `name:` field to pass this
check. Feel free to ignore if you are happy with the filenames as names.
";

fn gh101(repo: &Repo) -> CheckResult {
    let ok = repo
        .workflows()?
        .iter()
        .all(|w| value::has(&w.doc, &["name"]));
    Ok(Outcome::from_bool(ok, GH101_MSG))
}

const GH102_MSG: &str = "
At least one workflow should auto-cancel.

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
At least one workflow should have manual dispatch to allow easy triggering from the web.

```yaml
on:
  workflow_dispatch:
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

const GH104_MSG: &str = "
Multiple upload-artifact usages _must_ have unique names to be
compatible with `v4` (which no longer merges artifacts, but instead
errors out). The most general solution is:

```yaml
- uses: actions/upload-artifact@v4
  with:
    name: prefix-${{ github.job }}-${{ strategy.job-index }}

- uses: actions/download-artifact@v4
  with:
    pattern: prefix-*
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
                    "* No variable substitutions were detected in `{}.yml:{job_name}`.",
                    workflow.name
                ));
            }
            let mut fixed: Vec<&str> = names.into_iter().filter(|n| !n.contains("${{")).collect();
            let count = fixed.len();
            fixed.sort_unstable();
            fixed.dedup();
            if fixed.len() != count {
                errors.push(format!(
                    "* Multiple matching upload artifact names detected in `{}.yml:{job_name}`.",
                    workflow.name
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(Outcome::Pass)
    } else {
        Ok(Outcome::Fail(format!("{GH104_MSG}{}", errors.join("\n\n"))))
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
                    errors.push(format!(
                        "* Token-based publishing detected in `{}.yml:{job_name}`. Trusted Publishing is recommended.",
                        workflow.name
                    ));
                }
            }
        }
    }
    Ok(Outcome::from_message(errors.join("\n")))
}

const GH200_MSG: &str = "
All projects should have a `.github/dependabot.yml` file to support at least
GitHub Actions regular updates. Something like this:

```yaml
version: 2
updates:
# Maintain dependencies for GitHub Actions
  - package-ecosystem: \"github-actions\"
    directory: \"/\"
    schedule:
      interval: \"weekly\"
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
All projects should maintain the GH Actions with dependabot.

```yaml
version: 2
updates:
# Maintain dependencies for GitHub Actions
  - package-ecosystem: \"github-actions\"
    directory: \"/\"
    schedule:
      interval: \"weekly\"
    groups:
      actions:
        patterns:
          - \"*\"
```
";

fn gh210(repo: &Repo) -> CheckResult {
    let ok = ecosystem_updates(repo.dependabot()?, "github-actions")
        .next()
        .is_some();
    Ok(Outcome::from_bool(ok, GH210_MSG))
}

const GH211_MSG: &str = "
Projects should not pin major versions for official actions. This is now
supported by dependabot respecting the tag style you are already using
since April 2022.
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
Projects should group their updates to avoid extra PRs and stay in sync.
This is now supported by dependabot since June 2023.

```yaml
    groups:
      actions:
        patterns:
          - \"*\"
```
";

fn gh212(repo: &Repo) -> CheckResult {
    let ungrouped = ecosystem_updates(repo.dependabot()?, "github-actions")
        .any(|u| !value::has(u, &["groups"]));
    Ok(Outcome::from_bool(!ungrouped, GH212_MSG))
}
