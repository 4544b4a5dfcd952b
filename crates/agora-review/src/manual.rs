//! The practices manual: every check as a page's worth of data — what it asks, the family and
//! topic it belongs to, what it needs first, how to comply in the check's own words, and
//! which projects pass or fail it now.
//!
//! Nothing here is written twice: the description, URL, family and requirements are the
//! [`Check`]'s metadata; "how to comply" is the message the check itself gives on a bare
//! repository (no files at all; [`bare_messages`]), which for most checks is the
//! configuration snippet to add; the per-project results are the [`Report`]s the caller
//! made of its projects. Topics follow the development guide's pages (the check's URL), and
//! agora's own checks are filed by what they are about.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::check::{Check, FamilyInfo, Outcome};
use crate::report::Report;
use crate::select::Options;
use crate::{Repo, checks};

/// A topic of the manual and its checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    /// A short key (`pytest`, `community`).
    pub key: String,
    /// Its title.
    pub name: String,
    /// Its checks, by code.
    pub checks: Vec<ManualCheck>,
}

/// One check of the manual.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManualCheck {
    /// `PP301`.
    pub code: String,
    /// The family key (`pyproject`).
    pub family: String,
    /// The family's name (`PyProject`).
    pub family_name: String,
    /// When the family is reviewed at all, for conditional families.
    pub family_note: Option<String>,
    /// What it asks, in one line.
    pub description: String,
    /// The guide or specification that explains why.
    pub url: Option<String>,
    /// Codes that must pass before it runs.
    pub requires: Vec<String>,
    /// How to comply: what the check says to a repository without any of it (Markdown).
    pub remedy: Option<String>,
    /// Each reviewed project's result, in the caller's order.
    pub results: Vec<ProjectResult>,
}

/// One project's result on one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectResult {
    /// The project's name.
    pub project: String,
    /// `pass`, `fail`, `skip`, or `absent` (its family does not apply to the project).
    pub result: &'static str,
    /// The failure's message or the skip's reason (Markdown).
    pub note: Option<String>,
}

impl ManualCheck {
    /// The projects with `result`.
    pub fn with(&self, result: &str) -> Vec<&ProjectResult> {
        self.results.iter().filter(|r| r.result == result).collect()
    }
}

/// The manual over `reviews` (project name and its report).
pub fn manual(reviews: &[(&str, &Report)]) -> Vec<Topic> {
    let bare = bare_messages();
    let mut topics: BTreeMap<(usize, &'static str), Topic> = BTreeMap::new();
    let mut all = checks::all();
    all.sort_by_key(|c| c.code);
    for check in all {
        let (order, key, name) = topic_of(check);
        let family = FamilyInfo::get(check.family);
        let results = reviews
            .iter()
            .map(|(project, report)| {
                let found = report.checks.iter().find(|c| c.code == check.code);
                let (result, note) = match found.map(|c| &c.outcome) {
                    Some(Outcome::Pass) => ("pass", None),
                    Some(Outcome::Fail(message)) => ("fail", Some(message.clone())),
                    Some(Outcome::Skip(reason)) => ("skip", Some(reason.message())),
                    None => ("absent", None),
                };
                ProjectResult {
                    project: (*project).to_string(),
                    result,
                    note,
                }
            })
            .collect();
        topics
            .entry((order, key))
            .or_insert_with(|| Topic {
                key: key.to_string(),
                name: name.to_string(),
                checks: Vec::new(),
            })
            .checks
            .push(ManualCheck {
                code: check.code.to_string(),
                family: check.family.to_string(),
                family_name: family.map_or(check.family, |f| f.name).to_string(),
                family_note: family.and_then(|f| f.readme_note).map(str::to_string),
                description: check.description.to_string(),
                url: (!check.url.is_empty()).then(|| check.url.to_string()),
                requires: check.requires.iter().map(|r| (*r).to_string()).collect(),
                remedy: bare.get(check.code).cloned(),
                results,
            });
    }
    topics.into_values().collect()
}

/// The topic of a check: its order in the manual, key and title.
fn topic_of(check: &Check) -> (usize, &'static str, &'static str) {
    let page = check
        .url
        .split("/development/guides/")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .unwrap_or("");
    match (check.family, page, check.code) {
        (_, "packaging-simple" | "packaging-classic", _) => (1, "packaging", "Packaging"),
        (_, "pytest", _) => (2, "testing", "Testing with pytest"),
        (_, "gha-basic" | "gha-wheels", _) => (3, "ci", "Continuous integration and wheels"),
        (_, "style", _) => (4, "style", "Style checks: pre-commit and Ruff"),
        (_, "mypy", _) => (5, "typing", "Static typing"),
        (_, "docs", _) | ("rtd", _, _) | (_, _, "AG101") => (6, "docs", "Documentation"),
        (_, "tasks", _) | ("noxfile", _, _) => (7, "tasks", "Task runners"),
        ("agora", _, "AG100") => (8, "spec0", "SPEC 0: supported versions"),
        ("agora", _, "AG102" | "AG103" | "AG104" | "AG105") => {
            (9, "community", "Community and governance documents")
        }
        ("agora", _, "AG106") => (10, "benchmarks", "Benchmarks"),
        ("agora", _, _) => (3, "ci", "Continuous integration and wheels"),
        _ => (0, "repository", "The repository"),
    }
}

/// A folder that does not exist: a repository without any file.
const BARE: &str = "/nonexistent/agora-manual/bare-repository";

/// What each check says to a repository without any file: its failure message, where it
/// fails there (checks that pass, skip or need data on a bare repository have none).
pub fn bare_messages() -> BTreeMap<&'static str, String> {
    let repo = Repo::load(Path::new(BARE));
    let options = Options::default();
    checks::all()
        .into_iter()
        .filter_map(|check| match (check.run)(&repo, &options) {
            Ok(Outcome::Fail(message)) if !message.trim().is_empty() => Some((check.code, message)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_in_one_topic() {
        let topics = manual(&[]);
        let codes: usize = topics.iter().map(|t| t.checks.len()).sum();
        assert_eq!(codes, checks::all().len());
        assert!(topics.iter().all(|t| !t.checks.is_empty()));
    }

    #[test]
    fn a_bare_repository_gets_the_snippets_to_add() {
        let bare = bare_messages();
        // A build system table to copy, and pytest's settings under the table pytest 9 reads.
        assert!(
            bare["PP002"].contains("[build-system]"),
            "{}",
            bare["PP002"]
        );
        assert!(
            bare["PP305"].contains("strict_xfail = true"),
            "{}",
            bare["PP305"]
        );
        assert!(bare.len() > checks::all().len() / 2, "{}", bare.len());
    }
}
