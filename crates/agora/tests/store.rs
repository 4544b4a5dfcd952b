//! The store and the search index as files, end to end on the real scipy dumps: after a
//! writing command `agora.db` alone holds the rows; a damaged index is rebuilt; a read-only
//! store and index still answer `search` and `health`; an unchanged dump imported again is
//! reported unchanged; inconsistent dates in a dump are named and stored as unknown.

mod support;

use std::path::{Path, PathBuf};

use agora_corpus::Unwritable;
use agora_store::Store;
use serde_json::Value;
use support::{agora, state_dir, stderr, stdout};

const NO_INDEX: &str = "http://127.0.0.1:9/simple";

fn devstats_dir() -> Option<PathBuf> {
    agora_corpus::folder("github/devstats")
}

/// `agora github import FILES… --format json` with the store in `dir`.
fn import(dir: &Path, files: &[PathBuf]) -> std::process::Output {
    agora(dir, NO_INDEX)
        .args(["github", "import", "--format", "json"])
        .args(files)
        .output()
        .expect("agora runs")
}

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(output), stderr(output)))
}

/// The total of `agora search QUERY --format json` in `dir`, with its stderr.
fn search_total(dir: &Path, query: &str) -> (Option<u64>, String) {
    let output = agora(dir, NO_INDEX)
        .args(["search", "--format", "json", "--limit", "0", "--", query])
        .output()
        .expect("agora runs");
    let total = output
        .status
        .success()
        .then(|| json_of(&output)["total"].as_u64())
        .flatten();
    (total, stderr(&output))
}

#[test]
fn after_an_import_the_database_file_alone_holds_every_row() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let output = import(dir.path(), &[data.join("scipy_issues.json")]);
    assert!(output.status.success(), "{}", stderr(&output));
    // A CI cache or backup of `agora.db` alone.
    let copy = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        state_dir(dir.path()).join("agora.db"),
        copy.path().join("agora.db"),
    )
    .expect("copy the file alone");
    let store = Store::open(&copy.path().join("agora.db")).expect("the copy opens");
    let counts = store.github_counts("scipy/scipy").expect("counts");
    assert_eq!(counts.issues, 2538);
    let comments = store.github_comments("scipy/scipy").expect("comments");
    assert_eq!(comments.len(), 13947);
}

#[test]
fn a_damaged_search_index_is_rebuilt_from_the_store_and_said_so() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let output = import(dir.path(), &[data.join("scipy_issues.json")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let (before, _) = search_total(dir.path(), "eigsh");
    let before = before.expect("the first search answers");
    assert!(before > 0);
    // Every file of the index but its meta.json overwritten with garbage of the same size.
    let index = state_dir(dir.path()).join("index");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&index).expect("the index folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "meta.json" || name.starts_with('.') || !path.is_file() {
            continue;
        }
        let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as usize;
        std::fs::write(&path, vec![0x5a; len.max(16)]).expect("overwrite");
        damaged += 1;
    }
    assert!(damaged > 0, "no index files found in {}", index.display());
    let (after, err) = search_total(dir.path(), "eigsh");
    assert_eq!(after, Some(before), "{err}");
    assert!(err.contains("rebuilt"), "{err}");
    // And it stays repaired: the next search says nothing.
    let (again, err) = search_total(dir.path(), "eigsh");
    assert_eq!(again, Some(before));
    assert!(!err.contains("rebuilt"), "{err}");
}

/// Every file and folder under `root`, folders after their contents.
fn tree(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(tree(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.push(root.to_path_buf());
    out
}

#[test]
fn a_read_only_store_answers_search_and_health() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let output = import(
        dir.path(),
        &[data.join("scipy_issues.json"), data.join("scipy_prs.json")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let (expected, _) = search_total(dir.path(), "eigsh is:issue");
    let expected = expected.expect("the search answers");
    // The index is gone (it was never built here, say), and nothing in the state folder can be written.
    std::fs::remove_dir_all(state_dir(dir.path()).join("index")).expect("remove the index");
    let agora_dir = state_dir(dir.path());
    let _guard = Unwritable::new(tree(&agora_dir));
    if std::fs::write(agora_dir.join("probe"), b"x").is_ok() {
        let _ = std::fs::remove_file(agora_dir.join("probe"));
        eprintln!(
            "note: cannot make a folder read-only here (no chattr, running as root); skipped"
        );
        return;
    }
    let (total, err) = search_total(dir.path(), "eigsh is:issue");
    assert_eq!(total, Some(expected), "{err}");
    assert!(err.contains("in memory"), "{err}");
    let health = agora(dir.path(), NO_INDEX)
        .args(["health", "scipy/scipy", "--format", "json"])
        .output()
        .expect("agora runs");
    assert!(health.status.success(), "{}", stderr(&health));
    assert!(json_of(&health).is_object());
    let schedule = agora(dir.path(), NO_INDEX)
        .args(["--offline", "schedule", "--date", "2026-12-07"])
        .output()
        .expect("agora runs");
    assert!(
        !stderr(&schedule).contains("cannot open the store"),
        "{}",
        stderr(&schedule)
    );
    assert_ne!(schedule.status.code(), Some(2), "{}", stderr(&schedule));
}

#[test]
fn an_unchanged_dump_imported_again_is_reported_unchanged() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data.join("scipy_issues.json");
    let first = import(dir.path(), std::slice::from_ref(&file));
    assert!(first.status.success(), "{}", stderr(&first));
    let again = import(dir.path(), std::slice::from_ref(&file));
    assert!(again.status.success(), "{}", stderr(&again));
    let outcome = &json_of(&again)["files"][0];
    assert_eq!(outcome["added"], 0, "{outcome}");
    assert_eq!(outcome["updated"], 0, "{outcome}");
    assert_eq!(outcome["unchanged"], 2538, "{outcome}");
}

#[test]
fn a_close_before_the_creation_is_named_and_stored_as_unknown() {
    let Some(data) = devstats_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(data.join("scipy_issues.json")).expect("dump");
    let mut edges: Vec<Value> = serde_json::from_slice(&bytes).expect("JSON");
    edges.truncate(50);
    let node = edges
        .iter_mut()
        .map(|e| &mut e["node"])
        .find(|n| n["closedAt"].is_string())
        .expect("a closed issue");
    let number = node["number"].as_u64().expect("number");
    node["closedAt"] = Value::from("2001-01-01T00:00:00Z");
    let file = dir.path().join("scipy_issues.json");
    std::fs::write(&file, serde_json::to_vec(&edges).expect("JSON")).expect("write");
    let output = agora(dir.path(), NO_INDEX)
        .args(["github", "import", "--repo", "scipy/scipy"])
        .arg(&file)
        .output()
        .expect("agora runs");
    let err = stderr(&output);
    assert!(err.contains(&format!("#{number}")), "{err}");
    assert!(err.contains("closedAt"), "{err}");
    let store = Store::open(&state_dir(dir.path()).join("agora.db")).expect("store");
    let item = store
        .github_item("scipy/scipy", number)
        .expect("reads")
        .expect("stored");
    assert_eq!(item.item.closed_at, None);
    assert_eq!(item.item.state.as_deref(), Some("closed"));
}
