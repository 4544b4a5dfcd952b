//! A made-up asv project for the benchmark tests of several crates (ingest, hosting, the
//! server, the command line): one machine `m`, one benchmark `b.time_x` that doubles from
//! 1.0 s to 2.0 s at commit 10, its commit order as the lists `bench ingest --revisions`
//! takes, a tag `v1` at commit 3, and an `asv.conf.json` (with a comment, as asv allows).

use std::path::{Path, PathBuf};

use serde_json::json;

/// A made-up commit hash whose first eight digits (asv's file-name prefix) are `i`.
pub fn sha(i: usize) -> String {
    format!("{i:08x}{:032x}", 7)
}

/// Writes the result file of commit `i` into the results folder `results`.
pub fn write_result(results: &Path, i: usize) {
    let value = if i < 10 { 1.0 } else { 2.0 };
    let text = json!({"commit_hash": sha(i), "env_name": "py3.11", "date": 1_000_000 + i,
        "params": {"machine": "m", "python": "3.11"}, "python": "3.11", "requirements": {},
        "env_vars": {}, "version": 2,
        "result_columns": ["result", "params", "version", "started_at", "duration",
            "stats_ci_99_a", "stats_ci_99_b"],
        "results": {"b.time_x": [[value], [], "1", 2_000_000 + i, 1.0,
            [value * 0.99], [value * 1.01]]}});
    std::fs::write(
        results.join(format!("m/{}-py3.11.json", &sha(i)[..8])),
        text.to_string(),
    )
    .expect("result");
}

/// Writes the project under `root`: results of the first `count` commits of a history of
/// `history` commits (`revisions.tsv`, `branch-main-first-parent.txt`, `tags.tsv`,
/// `asv.conf.json` beside them). Returns the results folder.
pub fn make_project(root: &Path, count: usize, history: usize) -> PathBuf {
    let results = root.join("results");
    std::fs::create_dir_all(results.join("m")).expect("mkdir");
    std::fs::write(
        results.join("benchmarks.json"),
        json!({"version": 2, "b.time_x": {"name": "b.time_x", "params": [], "param_names": [],
            "version": "1", "unit": "seconds", "type": "time"}})
        .to_string(),
    )
    .expect("benchmarks");
    std::fs::write(
        results.join("m/machine.json"),
        json!({"machine": "m", "version": 1}).to_string(),
    )
    .expect("machine");
    for i in 0..count {
        write_result(&results, i);
    }
    let revisions: String = (0..history)
        .map(|i| format!("{i}\t{}\t{}\n", sha(i), 1_000 + i))
        .collect();
    std::fs::write(root.join("revisions.tsv"), revisions).expect("revisions");
    let main: String = (0..history)
        .rev()
        .map(|i| format!("{}\n", sha(i)))
        .collect();
    std::fs::write(root.join("branch-main-first-parent.txt"), main).expect("branch");
    std::fs::write(root.join("tags.tsv"), format!("v1\t{}\n", sha(3))).expect("tags");
    std::fs::write(
        root.join("asv.conf.json"),
        r#"{"version": 1, "project": "demo", "branches": ["main"], // a comment
            "show_commit_url": "https://example.org/c/"}"#,
    )
    .expect("config");
    results
}

/// Asserts that `ours` (asv's `regressions.json` shape) holds the same regressions as
/// `expected/regressions.json` in the asv corpus folder `root` (kedro's), as a set: asv's order
/// follows its directory listing.
#[track_caller]
pub fn assert_regressions_as_expected(ours: &serde_json::Value, root: &Path) {
    assert_regressions_match(ours, &root.join("expected/regressions.json"));
}

/// Asserts that `ours` (asv's `regressions.json` shape) holds the same regressions as the
/// asv `regressions.json` at `expected`, as a set (each entry compared as its JSON text).
#[track_caller]
pub fn assert_regressions_match(ours: &serde_json::Value, expected: &Path) {
    let text =
        std::fs::read_to_string(expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    let expected: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    let sorted = |v: &serde_json::Value| {
        let mut list: Vec<String> = v["regressions"]
            .as_array()
            .expect("list")
            .iter()
            .map(serde_json::Value::to_string)
            .collect();
        list.sort();
        list
    };
    let (ours, expected) = (sorted(ours), sorted(&expected));
    let missing: Vec<&String> = expected.iter().filter(|e| !ours.contains(e)).collect();
    let extra: Vec<&String> = ours.iter().filter(|o| !expected.contains(o)).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && ours.len() == expected.len(),
        "{} of {} expected regressions not found: {missing:#?}\n{} found but not expected: {extra:#?}",
        missing.len(),
        expected.len(),
        extra.len()
    );
}
