//! Best-practice checks of a Python repository, compatible with sp-repo-review.
//!
//! `agora-review` reimplements the checks of [repo-review] with the [sp-repo-review] plugin
//! (release 2026.8.14): same codes, same descriptions and URLs, same results on the same tree,
//! and the same JSON; and it adds agora's own family, `AG` ([`checks::agora`]): the
//! scientific-Python ecosystem's practices (SPEC 0 floors, numpydoc validation, community
//! files, asv, cibuildwheel with free-threaded wheels, Trusted Publishing). The SPEC 0 check
//! needs release data, which the caller passes in [`Options::spec0`] ([`Spec0Data`]); the
//! review itself never fetches. It is used by `agora review` and can be used on its own:
//!
//! ```no_run
//! use agora_review::{Options, render, review};
//!
//! let report = review(std::path::Path::new("."), &Options::default());
//! println!("{}", render::text(&report));
//! std::process::exit(report.exit_code());
//! ```
//!
//! How it works: [`Repo::load`] reads and parses every input once (a bad file is kept as an
//! [`InputError`] for the checks that need it), the checks ([`checks::all`]) of the families
//! that apply run in dependency order (a check whose requirements did not all pass is
//! skipped, naming them), the project's and the caller's `select`/`ignore` pick what is
//! reported ([`select`]), and the resulting [`Report`] is rendered by [`render`] (text, JSON,
//! markdown, HTML, and a matrix of several repositories).
//!
//! See `CHECKS.md` in this crate for the implemented codes.
//!
//! [repo-review]: https://github.com/scientific-python/repo-review
//! [sp-repo-review]: https://github.com/scientific-python/cookie

use std::collections::BTreeMap;
use std::path::Path;

pub mod check;
pub mod checks;
pub mod error;
pub mod manual;
pub mod parse;
pub mod render;
pub mod repo;
pub mod report;
pub mod select;
pub mod value;

pub use check::{Check, FamilyInfo, Outcome, SkipReason};
pub use error::InputError;
pub use repo::Repo;
pub use report::{CheckReport, FamilyReport, Report, Status};
pub use select::{Options, Selection, Spec0Data};

/// Reviews the repository at `root`.
pub fn review(root: &Path, options: &Options) -> Report {
    review_repo(&Repo::load(root), options)
}

/// Reviews an already loaded repository.
pub fn review_repo(repo: &Repo, options: &Options) -> Report {
    let collected: Vec<&'static Check> = checks::all()
        .into_iter()
        .filter(|c| FamilyInfo::get(c.family).is_some_and(|f| f.applies(repo)))
        .collect();
    let mut outcomes: BTreeMap<&'static str, Outcome> = BTreeMap::new();
    for check in &collected {
        evaluate(
            check,
            &collected,
            repo,
            options,
            &mut outcomes,
            &mut Vec::new(),
        );
    }

    let selection = Selection::new(options, repo.pyproject.as_ref().ok());
    let mut sorted = collected;
    sorted.sort_by_key(|c| {
        let order = FamilyInfo::get(c.family).map_or(0, |f| f.order);
        (order, c.family, c.code)
    });
    let mut reported = Vec::new();
    for check in sorted {
        let mut outcome = outcomes
            .remove(check.code)
            .unwrap_or_else(|| Outcome::not_applicable("not run"));
        if !selection.is_allowed(check.code) {
            match selection.ignore_reason(check.code) {
                Some(reason) => outcome = Outcome::Skip(SkipReason::Ignored(reason.to_string())),
                None => continue,
            }
        }
        reported.push(CheckReport {
            code: check.code,
            family: check.family,
            description: check.description,
            url: check.url,
            outcome,
        });
    }

    let name = repo
        .root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| repo.root.display().to_string());
    Report {
        name,
        root: repo.root.clone(),
        families: family_reports(repo),
        checks: reported,
    }
}

/// Runs `check` after its requirements (memoized in `outcomes`); `stack` guards against cycles.
fn evaluate(
    check: &'static Check,
    collected: &[&'static Check],
    repo: &Repo,
    options: &Options,
    outcomes: &mut BTreeMap<&'static str, Outcome>,
    stack: &mut Vec<&'static str>,
) {
    if outcomes.contains_key(check.code) || stack.contains(&check.code) {
        return;
    }
    stack.push(check.code);
    let mut unmet = Vec::new();
    for req in check.requires {
        // A requirement that is not collected (its family does not apply) counts as passed.
        let Some(dep) = collected.iter().find(|c| c.code == *req) else {
            continue;
        };
        evaluate(dep, collected, repo, options, outcomes, stack);
        if outcomes.get(req) != Some(&Outcome::Pass) {
            unmet.push((*req).to_string());
        }
    }
    stack.pop();
    let outcome = if unmet.is_empty() {
        (check.run)(repo, options).unwrap_or_else(|e| Outcome::Fail(e.to_string()))
    } else {
        Outcome::Skip(SkipReason::Requires(unmet))
    };
    outcomes.insert(check.code, outcome);
}

/// The families with this repository's descriptions.
fn family_reports(repo: &Repo) -> Vec<FamilyReport> {
    check::FAMILIES
        .iter()
        .map(|f| FamilyReport {
            key: f.key,
            name: f.name,
            order: f.order,
            description: match f.key {
                "general" => Some(general_description(repo)),
                "ruff" => Some(checks::ruff::family_description(repo)),
                _ => None,
            },
            readme_note: f.readme_note,
        })
        .collect()
}

/// Build backend, license and `requires-python`, the facts sp-repo-review's General description gives.
fn general_description(repo: &Repo) -> String {
    use value::Value;
    let empty = Value::Object(Default::default());
    let py = repo.pyproject.as_ref().unwrap_or(&empty);
    let backend = match value::get(py, &["build-system", "build-backend"]) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "MISSING".to_string(),
    };
    let mut lines = vec![format!("- Build backend: `{backend}`")];
    if let Some(license) = value::string(py, &["project", "license"]) {
        lines.push(format!("- License (SPDX): `{license}`"));
    } else if let Some(classifiers) = value::get(py, &["project", "classifiers"]) {
        let licenses: Vec<&str> = classifiers
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|c| c.strip_prefix("License :: "))
            .map(|c| c.strip_prefix("OSI Approved :: ").unwrap_or(c))
            .collect();
        if !licenses.is_empty() {
            lines.push(format!("- License (classifiers): {}", licenses.join(", ")));
        }
    }
    if let Some(requires) = repo.requires_python() {
        lines.push(format!("- Requires Python: `{requires}`"));
    }
    lines.join("\n")
}
