//! SCFG: `setup.cfg` (only when the file exists).

use crate::check::{Check, CheckResult, Outcome, check};
use crate::repo::Repo;

/// The SCFG checks.
pub const CHECKS: &[Check] = &[check!(
    "SCFG001",
    "setupcfg",
    "packaging-classic",
    "Avoid deprecated setup.cfg names",
    [],
    scfg001
)];

fn scfg001(repo: &Repo) -> CheckResult {
    let Some(cfg) = repo.setupcfg()? else {
        return Ok(Outcome::not_applicable("no `setup.cfg`"));
    };
    let mut invalid = Vec::new();
    for section in ["metadata", "options"] {
        if cfg.has_section(section) {
            invalid.extend(
                cfg.keys(section)
                    .into_iter()
                    .filter(|k| k.contains('-'))
                    .map(|k| format!("`{section}.{k}` → `{}`", k.replace('-', "_"))),
            );
        }
    }
    if invalid.is_empty() {
        return Ok(Outcome::Pass);
    }
    Ok(Outcome::Fail(format!(
        "`setup.cfg` spells options with dashes, which setuptools has deprecated: rename them \
         with underscores: {}.",
        invalid.join(", ")
    )))
}
