//! SEC: security of the GitHub Actions (zizmor, as a pre-commit hook or an action).

use crate::check::{Check, CheckResult, Outcome, check};
use crate::checks::github::{jobs, steps, uses};
use crate::repo::Repo;
use crate::value;

/// The SEC checks.
pub const CHECKS: &[Check] = &[check!(
    "SEC001",
    "security",
    "security",
    "Use zizmor to check the GitHub Actions",
    ["GH100"],
    sec001
)];

const SEC001_MSG: &str = r#"
The workflows are not checked for security problems: run
[zizmor](https://docs.zizmor.sh) on them, to catch template injection, over-broad
permissions, persisted credentials and similar mistakes. Its pre-commit hook is the simplest
way:

```yaml
- repo: https://github.com/zizmorcore/zizmor-pre-commit
  rev: v1.26.1
  hooks:
    - id: zizmor
```

or use the `zizmorcore/zizmor-action` action in a workflow.
"#;

fn sec001(repo: &Repo) -> CheckResult {
    let hook = value::list(repo.precommit()?, &["repos"]).iter().any(|r| {
        value::string(r, &["repo"])
            .is_some_and(|u| u.to_lowercase() == "https://github.com/zizmorcore/zizmor-pre-commit")
    });
    if hook {
        return Ok(Outcome::Pass);
    }
    let action = repo.workflows()?.iter().any(|w| {
        jobs(&w.doc)
            .any(|(_, job)| steps(job).any(|s| uses(s).starts_with("zizmorcore/zizmor-action")))
    });
    Ok(Outcome::from_bool(action, SEC001_MSG))
}
