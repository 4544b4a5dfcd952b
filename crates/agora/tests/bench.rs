//! `agora bench` end to end: ingest into the store (idempotent, incremental, malformed files
//! skipped), regressions in every format, and the dashboard; on a small made-up project and on
//! kedro's real results (`$AGORA_CORPUS/asv/kedro`), whose regressions must be asv's.

mod support;

use std::path::{Path, PathBuf};

use agora_corpus::asv_demo::{sha, write_result};
use serde_json::{Value, json};
use support::{agora, assert_contains, stderr, stdout};

/// The made-up asv project ([`agora_corpus::asv_demo`]) with results of its first `count`
/// commits, in a history of 30.
fn make_project(root: &Path, count: usize) -> PathBuf {
    agora_corpus::asv_demo::make_project(root, count, 30)
}

/// Ingests `results` as project `project` into the store of `dir`, with the commit order from
/// the files in `root` (the made-up project and kedro's corpus folder name them alike).
fn ingest_as(project: &str, dir: &Path, root: &Path, results: &Path) -> std::process::Output {
    agora(dir, "http://127.0.0.1:9/simple")
        .arg("bench")
        .arg("ingest")
        .arg(results)
        .args(["--project", project, "--revisions"])
        .arg(root.join("revisions.tsv"))
        .arg("--branch-file")
        .arg(root.join("branch-main-first-parent.txt"))
        .arg("--tags")
        .arg(root.join("tags.tsv"))
        .output()
        .expect("runs")
}

fn ingest(dir: &Path, root: &Path, results: &Path) -> std::process::Output {
    ingest_as("demo", dir, root, results)
}

#[test]
fn ingest_is_idempotent_incremental_and_skips_malformed_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 20);

    let first = ingest(dir.path(), &root, &results);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_contains(
        &stdout(&first),
        "20 result files added, 0 replaced, 0 unchanged, 0 skipped",
    );

    let again = ingest(dir.path(), &root, &results);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_contains(
        &stdout(&again),
        "0 result files added, 0 replaced, 20 unchanged, 0 skipped",
    );

    // One new file and one malformed file: the new one is stored, the bad one named and skipped.
    write_result(&results, 20);
    std::fs::write(results.join("m/bad-py3.11.json"), "{\"version\": 2, ").expect("bad");
    let third = ingest(dir.path(), &root, &results);
    assert_eq!(third.status.code(), Some(1), "{}", stderr(&third));
    assert_contains(
        &stdout(&third),
        "1 result files added, 0 replaced, 20 unchanged, 1 skipped",
    );
    assert_contains(&stderr(&third), "bad-py3.11.json");

    // The regression at commit 10, in every view.
    let run = |format: &str| {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["bench", "regressions", "--format", format])
            .output()
            .expect("runs")
    };
    let asv = run("asv");
    assert_eq!(asv.status.code(), Some(1), "{}", stderr(&asv));
    let value: Value = serde_json::from_slice(&asv.stdout).expect("json");
    assert_eq!(
        value,
        json!({"regressions": [["b.time_x",
            "graphs/branch-main/machine-m/python-3.11/b.time_x.json", {}, null, 2.0, 1.0,
            [[null, 10, 1.0, 2.0]]]]})
    );
    let text = stdout(&run("text"));
    assert_contains(&text, "demo: 1 regressions in 1 series");
    assert_contains(&text, "r10 0000000a: 1s → 2s (×2.00)");
    let list: Value = serde_json::from_slice(&run("json").stdout).expect("json");
    assert_eq!(list[0]["regressions"][0]["jumps"][0]["after"], 10);
    let feed = stdout(&run("atom"));
    assert!(feed.starts_with("<?xml"), "{feed}");
    assert_contains(&feed, "100.00% b.time_x");
    insta::assert_snapshot!("bench_regressions_text", text);
    insta::assert_snapshot!("bench_regressions_atom", feed);

    // The dashboard, then again: nothing changed, nothing rewritten.
    let out = dir.path().join("site");
    let publish = || {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["bench", "publish", "--out"])
            .arg(&out)
            .output()
            .expect("runs")
    };
    let first = publish();
    assert!(first.status.success(), "{}", stderr(&first));
    // One page per module: benchmark b.time_x is a section of bench/b.html.
    // minijinja escapes `/` in text and attributes as `&#x2f;`.
    let page = std::fs::read_to_string(out.join("demo/bench/b.html"))
        .expect("page")
        .replace("&#x2f;", "/");
    assert_contains(&page, "<section id=\"b.time_x\">");
    assert_contains(&page, "<svg");
    assert_contains(&page, "https://example.org/c/");
    let index = std::fs::read_to_string(out.join("demo/index.html"))
        .expect("index")
        .replace("&#x2f;", "/");
    assert_contains(&index, "href=\"bench/b.html#b.time_x\"");
    assert_contains(&stderr(&first), "6 files in");
    assert_contains(&stderr(&first), ", 6 written");
    assert!(out.join("demo/regressions.json").is_file());
    assert!(out.join("demo/summary.html").is_file());
    let second = publish();
    assert!(second.status.success(), "{}", stderr(&second));
    assert_contains(&stderr(&second), ", 0 written");
    let modified = std::fs::metadata(out.join("demo/index.html"))
        .and_then(|m| m.modified())
        .ok();
    let third = publish();
    assert!(third.status.success());
    assert_eq!(
        std::fs::metadata(out.join("demo/index.html"))
            .and_then(|m| m.modified())
            .ok(),
        modified
    );
}

#[test]
fn the_stored_analysis_is_redone_when_an_ingest_changes_its_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    // Commits 0..9 are all at 1.0 s: nothing regressed.
    let results = make_project(&root, 10);
    assert!(ingest(dir.path(), &root, &results).status.success());
    let regressions = || {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["bench", "regressions", "--format", "text"])
            .output()
            .expect("runs")
    };
    for _ in 0..2 {
        // The second run reads the analysis the first one stored: the same answer.
        let none = regressions();
        assert_eq!(none.status.code(), Some(0), "{}", stderr(&none));
        assert_contains(&stdout(&none), "demo: 0 regressions in 1 series");
    }
    // Commits 10..14 at 2.0 s: the stored analysis no longer holds, the regression appears.
    for i in 10..15 {
        write_result(&results, i);
    }
    assert!(ingest(dir.path(), &root, &results).status.success());
    let found = regressions();
    assert_eq!(found.status.code(), Some(1), "{}", stderr(&found));
    assert_contains(&stdout(&found), "demo: 1 regressions in 1 series");
    assert_contains(&stdout(&found), "r10 0000000a");
}

#[test]
fn ingest_stores_the_analysis_that_regressions_then_only_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 15);
    let first = ingest(dir.path(), &root, &results);
    assert!(first.status.success(), "{}", stderr(&first));
    let db = support::state_dir(dir.path()).join("agora.db");
    let store = agora_store::Store::open(&db).expect("store");
    assert!(
        store
            .bench_analysis_inputs("demo")
            .expect("inputs")
            .is_some(),
        "ingest stored no analysis"
    );
    // Spoil every stored result file: a `regressions` that decoded them would warn that they
    // are unreadable and find nothing; one that reads the stored analysis still finds the
    // regression at commit 10.
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    conn.execute("UPDATE bench_file SET content = x'00'", [])
        .expect("spoil");
    drop(conn);
    let found = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "regressions", "--format", "text"])
        .output()
        .expect("runs");
    assert_eq!(found.status.code(), Some(1), "{}", stderr(&found));
    assert_contains(&stdout(&found), "demo: 1 regressions in 1 series");
    assert!(!stderr(&found).contains("unreadable"), "{}", stderr(&found));
}

#[test]
fn missing_inputs_are_errors_that_say_what_to_give() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args([
            "bench",
            "ingest",
            "nowhere",
            "--project",
            "x",
            "--revisions",
            "r.tsv",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "nowhere");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "regressions"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "agora bench ingest");
}

fn kedro() -> Option<PathBuf> {
    agora_corpus::folder("asv/kedro")
}

/// The regressions of the store of `dir` equal asv's `expected/regressions.json` (asv lists
/// them in directory order, so as sets).
fn assert_kedro_regressions_are_asvs(dir: &Path, root: &Path) {
    let output = agora(dir, "http://127.0.0.1:9/simple")
        .args([
            "bench",
            "regressions",
            "--project",
            "kedro",
            "--format",
            "asv",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let ours: Value = serde_json::from_slice(&output.stdout).expect("json");
    agora_corpus::asv_demo::assert_regressions_as_expected(&ours, root);
}

#[test]
fn kedro_regressions_through_the_store_equal_asv_publish() {
    let Some(root) = kedro() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let output = ingest_as("kedro", dir.path(), &root, &root.join("results"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_contains(&stdout(&output), "424 result files added");
    assert_kedro_regressions_are_asvs(dir.path(), &root);
}

#[test]
fn kedro_ingested_in_two_steps_gives_asvs_regressions() {
    let Some(root) = kedro() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    // A copy of the results without three files of the main environment: the second ingest
    // analyses the stored files (decoded) and the new ones (just parsed) together.
    let results = dir.path().join("results");
    let mut held = Vec::new();
    for entry in agora_corpus::files_under(&root.join("results")) {
        let relative = entry.strip_prefix(root.join("results")).expect("inside");
        let target = results.join(relative);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &target).expect("copy");
        held.push(target);
    }
    held.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.ends_with("-virtualenv-py3.11-kedro-datasets[pandas].json")
    });
    held.sort();
    let held: Vec<PathBuf> = held.split_off(held.len() - 3);
    let aside = dir.path().join("aside");
    std::fs::create_dir_all(&aside).expect("mkdir");
    for file in &held {
        std::fs::rename(file, aside.join(file.file_name().expect("name"))).expect("move");
    }
    let first = ingest_as("kedro", dir.path(), &root, &results);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_contains(&stdout(&first), "421 result files added");
    for file in &held {
        std::fs::rename(aside.join(file.file_name().expect("name")), file).expect("back");
    }
    let second = ingest_as("kedro", dir.path(), &root, &results);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_contains(
        &stdout(&second),
        "3 result files added, 0 replaced, 421 unchanged",
    );
    assert_kedro_regressions_are_asvs(dir.path(), &root);
}

#[test]
fn a_folder_without_machine_json_is_skipped_file_by_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 12);
    std::fs::create_dir_all(results.join("lost")).expect("mkdir");
    std::fs::copy(
        results.join(format!("m/{}-py3.11.json", &sha(0)[..8])),
        results.join("lost/x-py3.11.json"),
    )
    .expect("copy");
    let output = ingest(dir.path(), &root, &results);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_contains(
        &stdout(&output),
        "12 result files added, 0 replaced, 0 unchanged, 1 skipped",
    );
    assert_contains(&stderr(&output), "lost/x-py3.11.json");
    assert_contains(&stderr(&output), "machine.json");
}

/// A results folder of `count` commits of the benchmarks `names` (all in seconds, without
/// parameters), the value of each given by `value(name, commit)`, without statistics (so every
/// point has the same weight).
fn make_project_of(
    root: &Path,
    names: &[&str],
    count: usize,
    value: &dyn Fn(&str, usize) -> f64,
) -> PathBuf {
    let results = make_project(root, 0);
    let benchmarks: serde_json::Map<String, Value> = names
        .iter()
        .map(|name| {
            let description = json!({"name": name, "params": [], "param_names": [],
                "version": "1", "unit": "seconds", "type": "time"});
            ((*name).to_owned(), description)
        })
        .chain([("version".to_owned(), json!(2))])
        .collect();
    std::fs::write(
        results.join("benchmarks.json"),
        Value::Object(benchmarks).to_string(),
    )
    .expect("benchmarks");
    for i in 0..count {
        let rows: serde_json::Map<String, Value> = names
            .iter()
            .map(|name| {
                let v = value(name, i);
                let row = json!([[v], [], "1", 2_000_000 + i, 1.0]);
                ((*name).to_owned(), row)
            })
            .collect();
        let text = json!({"commit_hash": sha(i), "env_name": "py3.11", "date": 1_000_000 + i,
            "params": {"machine": "m", "python": "3.11"}, "python": "3.11",
            "requirements": {}, "env_vars": {}, "version": 2,
            "result_columns": ["result", "params", "version", "started_at", "duration"],
            "results": rows});
        std::fs::write(
            results.join(format!("m/{}-py3.11.json", &sha(i)[..8])),
            text.to_string(),
        )
        .expect("result");
    }
    results
}

#[test]
fn a_series_whose_sums_overflow_is_refused_by_name_and_the_rest_is_analysed() {
    // Two results of 1e308 in one series made the step fit loop, allocating without bound.
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project_of(&root, &["b.time_x", "b.time_huge"], 16, &|name, i| match (
        name, i,
    ) {
        ("b.time_huge", 10 | 11) => 1e308,
        (_, i) if i < 10 => 1.0,
        _ => 2.0,
    });
    let ingested = ingest(dir.path(), &root, &results);
    assert!(ingested.status.success(), "{}", stderr(&ingested));
    let found = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "regressions", "--format", "text"])
        .output()
        .expect("runs");
    assert_eq!(found.status.code(), Some(1), "{}", stderr(&found));
    // The ordinary series still has its regression at commit 10.
    assert_contains(&stdout(&found), "demo: 1 regressions in 2 series");
    assert_contains(&stdout(&found), "r10 0000000a: 1s → 2s (×2.00)");
    // The refused one is named: benchmark, value, commit and file.
    let warnings = stderr(&found);
    assert_contains(&warnings, "benchmark b.time_huge");
    assert_contains(&warnings, "1e308");
    assert_contains(&warnings, &sha(10));
    assert_contains(&warnings, "m/0000000a-py3.11.json");
    assert!(!warnings.contains("b.time_x"), "{warnings}");
    let out = dir.path().join("site");
    let published = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "publish", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(published.status.success(), "{}", stderr(&published));
}

#[test]
fn project_names_that_are_not_one_plain_folder_name_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 12);
    for (name, says) in [
        ("", "empty"),
        ("  ", "empty"),
        ("..", ".."),
        ("../elsewhere", ".."),
        ("a/b", "/"),
        ("a\\b", "\\"),
        ("a\nb", "control character"),
    ] {
        let output = ingest_as(name, dir.path(), &root, &results);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name:?}: {}",
            stderr(&output)
        );
        assert_contains(&stderr(&output), "--project");
        assert_contains(&stderr(&output), says);
    }
    // Nothing was stored under any of them.
    let listed = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "regressions"])
        .output()
        .expect("runs");
    assert_eq!(listed.status.code(), Some(2), "{}", stderr(&listed));
    assert_contains(&stderr(&listed), "agora bench ingest");
    // The other commands refuse them too, before reading anything.
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "publish", "--project", "..", "--out"])
        .arg(dir.path().join("site"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_contains(&stderr(&output), "--project");
    assert!(!dir.path().join("site").exists());
}

#[test]
fn zero_timings_give_changes_in_units_never_nan_or_inf() {
    // b.time_zero is 0 s up to commit 9, then 0.5 s: a regression from zero. b.time_none is
    // 0 s everywhere: its summary has nothing to divide by.
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project_of(&root, &["b.time_zero", "b.time_none"], 16, &|name, i| {
        if name == "b.time_zero" && i >= 10 {
            0.5
        } else {
            0.0
        }
    });
    let ingested = ingest(dir.path(), &root, &results);
    assert!(ingested.status.success(), "{}", stderr(&ingested));
    let run = |format: &str| {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["bench", "regressions", "--format", format])
            .output()
            .expect("runs")
    };
    let text = run("text");
    assert_eq!(text.status.code(), Some(1), "{}", stderr(&text));
    let text = stdout(&text);
    assert_contains(&text, "demo: 1 regressions in 2 series");
    assert_contains(&text, "r10 0000000a: 0ns → 500ms (+500ms)");
    assert_contains(&text, "latest 500ms vs best 0ns (+500ms)");
    let feed = stdout(&run("atom"));
    // asv's own wording when it would divide by zero.
    assert_contains(&feed, "0.5 units b.time_zero");
    assert_contains(&feed, "(0.5 units worse than best value");
    let out = dir.path().join("site");
    let published = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "publish", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(published.status.success(), "{}", stderr(&published));
    let index = std::fs::read_to_string(out.join("demo/index.html"))
        .expect("index")
        .replace("&#x2f;", "/");
    assert_contains(&index, "<td class=\"num bad\">+500ms</td>");
    assert_contains(&index, "<td class=\"num\">no change</td>");
    for view in [&text, &feed, &index] {
        for bad in ["NaN", "nan", "inf", "×0.00"] {
            assert!(!view.contains(bad), "{bad} in {view}");
        }
    }
}

#[test]
fn the_dashboards_regressions_table_has_dates_and_names_each_series() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("demo");
    let results = make_project(&root, 20);
    assert!(ingest(dir.path(), &root, &results).status.success());
    let out = dir.path().join("site");
    let published = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["bench", "publish", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(published.status.success(), "{}", stderr(&published));
    let index = std::fs::read_to_string(out.join("demo/index.html"))
        .expect("index")
        .replace("&#x2f;", "/");
    let table: String = index
        .lines()
        .skip_while(|line| !line.starts_with("<h2>Regressions</h2>"))
        .skip(1)
        .take_while(|line| !line.starts_with("<h2>"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("bench_publish_regressions_table", table);
    // Commit 10 (where the regression appears) is dated 1000 + 10 s after the epoch.
    assert_contains(&table, "<th>date</th>");
    assert_contains(&table, "<td>1970-01-01</td>");
    assert_contains(
        &table,
        "<a href=\"bench/b.html#b.time_x\">b.time_x</a> <small>machine m, branch main</small>",
    );
}
