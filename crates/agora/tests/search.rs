//! `agora search` on the real scipy dumps: imported with `agora github import`, then searched
//! with qualifiers whose expected counts this test computes from the JSON itself; plus the
//! query errors, the formats and the index kept beside the store.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{agora, stderr, stdout};

fn devstats_dir() -> Option<PathBuf> {
    agora_corpus::folder("github/devstats")
}

/// The nodes of a dump.
fn nodes(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("the dump reads");
    let edges: Vec<Value> = serde_json::from_str(&text).expect("the dump is JSON");
    edges.into_iter().map(|e| e["node"].clone()).collect()
}

fn s<'a>(node: &'a Value, key: &str) -> &'a str {
    node[key].as_str().unwrap_or_default()
}

fn labels(node: &Value) -> Vec<String> {
    node["labels"]["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .filter_map(|e| e["node"]["name"].as_str().map(str::to_lowercase))
                .collect()
        })
        .unwrap_or_default()
}

/// Logins of the IssueComment entries of an issue's timeline.
fn commenters(node: &Value) -> Vec<String> {
    node["timelineItems"]["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .map(|e| &e["node"])
                .filter(|n| n["__typename"] == "IssueComment")
                .map(|n| {
                    n["author"]["login"]
                        .as_str()
                        .unwrap_or_default()
                        .to_lowercase()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `text` has `word` as a token (split at non-alphanumerics, case ignored).
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|t| t.eq_ignore_ascii_case(word))
}

/// The total of `agora search QUERY` in JSON.
fn total(dir: &Path, query: &str) -> u64 {
    let output = agora(dir, "http://127.0.0.1:9/simple")
        .args(["search", "--format", "json", "--limit", "0", "--", query])
        .output()
        .expect("agora runs");
    assert!(
        output.status.success(),
        "{query}: {}{}",
        stdout(&output),
        stderr(&output)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(doc["query"], query);
    doc["total"].as_u64().expect("a total")
}

#[test]
fn qualifiers_count_what_the_dumps_say() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let issues_file = data.join("scipy_issues.json");
    let prs_file = data.join("scipy_prs.json");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["github", "import"])
        .arg(&issues_file)
        .arg(&prs_file)
        .output()
        .expect("agora runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        support::state_dir(dir.path())
            .join("index/meta.json")
            .is_file(),
        "the import built the index beside the store"
    );
    let issues = nodes(&issues_file);
    let prs = nodes(&prs_file);
    assert_eq!((issues.len(), prs.len()), (2538, 7620));
    let count = |nodes: &[Value], keep: &dyn Fn(&Value) -> bool| -> u64 {
        nodes.iter().filter(|n| keep(n)).count() as u64
    };

    assert_eq!(total(dir.path(), ""), 2538 + 7620);
    assert_eq!(total(dir.path(), "is:issue"), 2538);
    assert_eq!(
        total(dir.path(), "is:issue is:open"),
        count(&issues, &|n| s(n, "state") == "OPEN")
    );
    assert_eq!(
        total(dir.path(), "is:pr is:merged author:rgommers"),
        count(&prs, &|n| s(n, "state") == "MERGED"
            && n["author"]["login"].as_str() == Some("rgommers"))
    );
    assert_eq!(
        total(dir.path(), "is:pr is:closed -is:merged"),
        count(&prs, &|n| s(n, "state") == "CLOSED")
    );
    assert_eq!(
        total(dir.path(), "is:closed"),
        count(&issues, &|n| s(n, "state") == "CLOSED") + count(&prs, &|n| s(n, "state") != "OPEN")
    );
    assert_eq!(
        total(dir.path(), r#"label:"Migrated from Trac" is:closed"#),
        count(&issues, &|n| s(n, "state") == "CLOSED"
            && labels(n).contains(&"migrated from trac".to_string()))
    );
    assert_eq!(
        total(dir.path(), "label:scipy.sparse label:defect"),
        count(&issues, &|n| {
            let l = labels(n);
            l.contains(&"scipy.sparse".to_string()) && l.contains(&"defect".to_string())
        })
    );
    assert_eq!(
        total(dir.path(), "label:scipy.sparse,scipy.sparse.linalg"),
        count(&issues, &|n| {
            let l = labels(n);
            l.contains(&"scipy.sparse".to_string())
                || l.contains(&"scipy.sparse.linalg".to_string())
        })
    );
    assert_eq!(
        total(
            dir.path(),
            "commenter:rgommers created:2020-01-01..2020-12-31"
        ),
        count(&issues, &|n| {
            let created = s(n, "createdAt");
            ("2020-01-01".."2021-01-01").contains(&created)
                && commenters(n).contains(&"rgommers".to_string())
        })
    );
    // An issue whose timeline the dump cut (`totalCount` over its entries) has an unknown
    // number of comments, which no `comments:` range matches.
    let timeline_complete = |n: &Value| {
        let edges = n["timelineItems"]["edges"].as_array().map_or(0, Vec::len) as u64;
        n["timelineItems"]["totalCount"]
            .as_u64()
            .is_some_and(|total| total <= edges)
    };
    assert_eq!(
        total(dir.path(), "is:issue comments:>20"),
        count(&issues, &|n| timeline_complete(n)
            && commenters(n).len() > 20)
    );
    // A PR dump carries no comments: their number is unknown, not 0.
    assert_eq!(total(dir.path(), "is:pr comments:0"), 0);
    assert_eq!(total(dir.path(), "is:pr -comments:>0"), 7620);
    assert_eq!(
        total(dir.path(), "is:issue closed:>=2021-06-01"),
        count(&issues, &|n| s(n, "closedAt") >= "2021-06-01")
    );
    assert_eq!(
        total(dir.path(), "is:pr created:<2015-01-01"),
        count(&prs, &|n| s(n, "createdAt") < "2015-01-01")
    );
    let with_sparse = |n: &Value| has_word(s(n, "title"), "sparse");
    assert_eq!(
        total(dir.path(), "sparse is:open"),
        count(&issues, &|n| with_sparse(n) && s(n, "state") == "OPEN")
            + count(&prs, &|n| with_sparse(n) && s(n, "state") == "OPEN")
    );
    assert_eq!(
        total(dir.path(), "is:issue -sparse"),
        count(&issues, &|n| !with_sparse(n))
    );
}

#[test]
fn text_and_json_show_the_same_hits_and_bad_queries_exit_2() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("mirror/scipy.db");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .arg("--db")
        .arg(&db)
        .args(["github", "import"])
        .arg(data.join("scipy_issues.json"))
        .output()
        .expect("agora runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let run = |args: &[&str]| {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .arg("--db")
            .arg(&db)
            .arg("search")
            .args(args)
            .output()
            .expect("agora runs")
    };
    let json = run(&["--format", "json", "--sort", "comments", "-n", "3", "eigsh"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let doc: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let hits = doc["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 3);
    let counts: Vec<u64> = hits.iter().filter_map(|h| h["comments"].as_u64()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for hit in hits {
        let title = hit["title"].as_str().expect("a title");
        assert!(has_word(title, "eigsh"), "{title}");
        let matched = &hit["text_matches"][0];
        assert_eq!(matched["property"], "title");
        assert_eq!(
            matched["matches"][0]["text"]
                .as_str()
                .map(str::to_lowercase),
            Some("eigsh".into())
        );
        assert!(
            hit["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://github.com/scipy/scipy/issues/"))
        );
    }
    let text = run(&["--sort", "comments", "-n", "3", "eigsh"]);
    assert!(text.status.success());
    let text = stdout(&text);
    for hit in hits {
        let key = format!("scipy/scipy#{}", hit["number"]);
        assert!(text.contains(&key), "{key} missing from\n{text}");
    }
    assert!(
        text.contains("**eigsh**") || text.contains("**Eigsh**"),
        "{text}"
    );
    assert!(dir.path().join("mirror/index/meta.json").is_file());

    let bad = run(&["is:open", "created:>2021-02-30"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(err.contains("column 17"), "{err}");
    assert!(
        err.contains("\n  is:open created:>2021-02-30\n                  ^^^^^^^^^^^"),
        "{err}"
    );
}
