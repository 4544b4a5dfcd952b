//! `agora store migrate` end to end on the real data: a SQLite store holding the scipy dumps
//! and kedro's asv results is copied into PostgreSQL (a fresh schema on the test server of
//! `AGORA_TEST_POSTGRES`), verified table by table, and then answers `search`, `health` and
//! `bench regressions` exactly as the SQLite store does. A copy into a database that already
//! holds rows is refused, naming the table.

mod support;

use std::path::Path;

use support::{agora, state_dir, stderr, stdout};

const NO_INDEX: &str = "http://127.0.0.1:9/simple";

/// `agora --db DB ARGS…` run in `dir`: its exit code and standard output.
fn run(dir: &Path, db: &str, args: &[&str]) -> (Option<i32>, String) {
    let output = agora(dir, NO_INDEX)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("agora runs");
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "agora {args:?} on {db}: {}",
        stderr(&output)
    );
    (output.status.code(), stdout(&output))
}

#[test]
fn a_migrated_store_gives_the_same_answers_from_postgres() {
    let Some(devstats) = agora_corpus::folder("github/devstats") else {
        return;
    };
    let Some(kedro) = agora_corpus::folder("asv/kedro") else {
        return;
    };
    let Some(url) = agora_store::scratch::postgres_url("store_migrate") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(state_dir(dir.path())).expect("state dir");
    let sqlite = state_dir(dir.path()).join("agora.db");
    let sqlite = sqlite.to_str().expect("UTF-8 path");
    let issues = devstats.join("scipy_issues.json");
    let prs = devstats.join("scipy_prs.json");
    run(
        dir.path(),
        sqlite,
        &[
            "github",
            "import",
            issues.to_str().expect("path"),
            prs.to_str().expect("path"),
        ],
    );
    let path = |name: &str| kedro.join(name).to_str().expect("path").to_string();
    run(
        dir.path(),
        sqlite,
        &[
            "bench",
            "ingest",
            &path("results"),
            "--project",
            "kedro",
            "--revisions",
            &path("revisions.tsv"),
            "--branch-file",
            &path("branch-main-first-parent.txt"),
            "--tags",
            &path("tags.tsv"),
        ],
    );

    let (code, report) = run(
        dir.path(),
        sqlite,
        &[
            "store", "migrate", "--from", sqlite, "--to", &url, "--format", "json",
        ],
    );
    assert_eq!(code, Some(0), "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON report");
    let tables = report["tables"].as_array().expect("tables");
    let rows = |name: &str| {
        tables
            .iter()
            .find(|t| t["table"] == name)
            .and_then(|t| t["target_rows"].as_u64())
    };
    assert_eq!(rows("gh_item"), Some(2538 + 7620));
    assert_eq!(rows("bench_file"), Some(424));
    for table in tables {
        assert_eq!(table["source_sha256"], table["target_sha256"], "{table}");
    }

    for args in [
        &["search", "--format", "json", "sparse matrix is:pr"][..],
        &[
            "search",
            "--format",
            "json",
            "--sort",
            "updated",
            "label:enhancement",
        ][..],
        &["health", "scipy/scipy", "--format", "json"][..],
        &["bench", "regressions", "--format", "json"][..],
    ] {
        let from_sqlite = run(dir.path(), sqlite, args);
        let from_postgres = run(dir.path(), &url, args);
        assert!(from_sqlite.1.len() > 100, "{args:?}: {}", from_sqlite.1);
        assert_eq!(from_sqlite, from_postgres, "{args:?}");
    }

    // Again into the same database: refused, naming a table that holds rows.
    let output = agora(dir.path(), NO_INDEX)
        .args(["store", "migrate", "--from", sqlite, "--to", &url])
        .output()
        .expect("agora runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("already holds"),
        "{}",
        stderr(&output)
    );
}
