//! scipy's real devstats dumps (`$AGORA_CORPUS/github/devstats/scipy_*.json`), read by a
//! minimal reader that lives only in this test, straight into the input model: the
//! headline numbers of the issue (all time: 5,795 merged PRs, 1,033 unique authors, 672
//! fly-by authors, pony factor 16), and the gaps such a dump has. The CLI test in
//! `crates/agora/tests/health.rs` checks the same numbers through `agora github import`
//! and the store.

use std::path::{Path, PathBuf};

use agora_health::measure::Measure;
use agora_health::model::{
    Author, Comment, Dataset, Issue, IssueState, Mergeable, Pull, PullState,
};
use agora_health::report::{HealthReport, Options};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    agora_corpus::folder("github/devstats")
}

fn nodes(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("dump readable");
    let edges: Vec<Value> = serde_json::from_str(&text).expect("dump is JSON");
    edges.into_iter().map(|e| e["node"].clone()).collect()
}

fn time(value: &Value) -> Option<jiff::Timestamp> {
    value.as_str().and_then(|s| s.parse().ok())
}

fn author(value: &Value) -> Option<Author> {
    if value.is_null() {
        return Some(Author::Deleted);
    }
    value["login"]
        .as_str()
        .map(|l| Author::Login(l.to_string()))
}

fn dataset(dir: &Path) -> Dataset {
    let pulls = nodes(&dir.join("scipy_prs.json"))
        .iter()
        .map(|n| Pull {
            number: n["number"].as_u64().expect("number"),
            created_at: time(&n["createdAt"]).expect("createdAt"),
            state: match n["state"].as_str() {
                Some("MERGED") => PullState::Merged,
                Some("OPEN") => PullState::Open,
                _ => PullState::Closed,
            },
            author: author(&n["author"]),
            merged_at: time(&n["mergedAt"]),
            closed_at: None,
            base_branch: n["baseRefName"].as_str().map(str::to_string),
            mergeable: match n["mergeable"].as_str() {
                Some("MERGEABLE") => Some(Mergeable::Mergeable),
                Some("CONFLICTING") => Some(Mergeable::Conflicting),
                Some(_) => Some(Mergeable::Unknown),
                None => None,
            },
            participants: n["participants"]["totalCount"].as_u64().map(|v| v as u32),
            reviews: n["reviews"]["totalCount"].as_u64().map(|v| v as u32),
        })
        .collect();
    let issues = nodes(&dir.join("scipy_issues.json"))
        .iter()
        .map(|n| Issue {
            number: n["number"].as_u64().expect("number"),
            created_at: time(&n["createdAt"]).expect("createdAt"),
            state: if n["state"] == "CLOSED" {
                IssueState::Closed
            } else {
                IssueState::Open
            },
            closed_at: time(&n["closedAt"]),
            author: None,
            comments: Some(
                n["timelineItems"]["edges"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| &e["node"])
                    .filter(|e| e["__typename"] == "IssueComment")
                    .filter_map(|e| {
                        Some(Comment {
                            author: author(&e["author"]),
                            created_at: time(&e["createdAt"])?,
                        })
                    })
                    .collect(),
            ),
        })
        .collect();
    Dataset {
        repo: "scipy/scipy".into(),
        issues,
        pulls,
    }
}

#[test]
fn scipy_all_time_matches_devstats() {
    let Some(dir) = corpus() else { return };
    let report = HealthReport::compute(&dataset(&dir), &Options::default());
    let pulls = &report.pulls;
    assert_eq!(pulls.merged, 5_795);
    assert_eq!(pulls.unique_authors, Measure::Value(1_033));
    assert_eq!(pulls.flyby_authors, Measure::Value(672));
    assert_eq!(pulls.pony_factor, Measure::Value(16));
    assert_eq!(pulls.filter.total, 7_620);
    // The dump has no issue authors: first responses count any first comment, and say so.
    assert!(!report.issues.response_excludes_author);
    assert!(report.gaps.iter().any(|g| g.missing == "issue authors"));
    assert_eq!(report.issues.opened, 2_538);
    assert!(matches!(report.issues.response_median_hours, Measure::Value(h) if h > 0.0));
    // Open PRs in 2022-01 with GitHub's mergeability: every open PR lands in a year bin.
    let years = report.pulls.mergeability.value().expect("mergeability");
    let binned: usize = years
        .iter()
        .map(|y| y.mergeable + y.conflicting + y.unknown)
        .sum();
    assert_eq!(binned, report.pulls.open);
}

/// devstats' scipy notebook (devstats 0.1 from PyPI, run over the same dumps, "now" being
/// 2026-12) glues: 1883 new issues since 2020-01-01, "1169 (62%)" closed, median lifetime
/// "92 hours" (whole hours), 1883 at least a day old of which "1605 (85%)" commented on,
/// median response "3" hours (rounded).
#[test]
fn scipy_issues_since_2020_match_devstats() {
    let Some(dir) = corpus() else { return };
    let options = Options {
        since: "2020-01-01T00:00:00Z".parse().ok(),
        until: "2026-12-01T00:00:00Z".parse().ok(),
        ..Options::default()
    };
    let report = HealthReport::compute(&dataset(&dir), &options);
    let issues = &report.issues;
    assert_eq!(issues.opened, 1_883);
    assert_eq!(issues.closed, 1_169);
    assert!(matches!(issues.closed_percent, Measure::Value(p) if p.round() == 62.0));
    assert!(matches!(issues.lifetime_median_hours, Measure::Value(h) if h.floor() == 92.0));
    assert_eq!(issues.day_old, 1_883);
    assert_eq!(issues.responded, Measure::Value(1_605));
    assert!(matches!(issues.response_median_hours, Measure::Value(h) if h.round() == 3.0));
}
