//! What an import must not accept or hide, on the real scipy dumps
//! (`$AGORA_CORPUS/github/devstats/`): repeated edges, re-imports of an unchanged dump, and a
//! store that runs out of room part way.

use std::path::{Path, PathBuf};

use agora_github::devstats::{parse_dump, read_dump};
use agora_github::{GithubError, IMPORT_CHUNK, import_dump};
use agora_store::Store;
use serde_json::Value;

fn devstats_dir() -> Option<PathBuf> {
    agora_corpus::folder("github/devstats")
}

fn edges(path: &Path) -> Vec<Value> {
    let bytes = std::fs::read(path).expect("read dump");
    serde_json::from_slice(&bytes).expect("dump JSON")
}

#[test]
fn repeated_edges_store_each_comment_once() {
    let Some(dir) = devstats_dir() else { return };
    let path = dir.join("scipy_issues.json");
    let first: Vec<Value> = edges(&path).into_iter().take(60).collect();
    // Each edge twice in a row, as overlapping devstats pages give them.
    let doubled: Vec<Value> = first.iter().flat_map(|e| [e.clone(), e.clone()]).collect();
    let once = parse_dump(&path, &serde_json::to_vec(&first).expect("json")).expect("dump");
    let twice = parse_dump(&path, &serde_json::to_vec(&doubled).expect("json")).expect("dump");
    assert_eq!(twice.items.len(), once.items.len());
    assert_eq!(twice.duplicates.len(), 60);

    let mut reference = Store::open_in_memory().expect("store");
    import_dump(&mut reference, "scipy/scipy", &once).expect("import");
    let mut store = Store::open_in_memory().expect("store");
    let counts = import_dump(&mut store, "scipy/scipy", &twice).expect("import");
    let expected = reference.github_comments("scipy/scipy").expect("comments");
    assert!(!expected.is_empty(), "the sample has comments");
    let stored = store.github_comments("scipy/scipy").expect("comments");
    assert_eq!(stored.len(), expected.len());
    assert_eq!(counts.comments, expected.len());
}

#[test]
fn an_unchanged_dump_imported_again_is_unchanged_and_writes_nothing() {
    let Some(dir) = devstats_dir() else { return };
    let dump = read_dump(&dir.join("scipy_issues.json")).expect("dump");
    let mut store = Store::open_in_memory().expect("store");
    let first = import_dump(&mut store, "scipy/scipy", &dump).expect("import");
    assert_eq!(first.items_added, dump.items.len());
    let seq = store.github_change_seq().expect("seq");
    let again = import_dump(&mut store, "scipy/scipy", &dump).expect("import again");
    assert_eq!(
        (
            again.items_added,
            again.items_updated,
            again.items_unchanged
        ),
        (0, 0, dump.items.len())
    );
    assert_eq!(again.comments, 0);
    assert_eq!(
        store.github_change_seq().expect("seq"),
        seq,
        "nothing written"
    );

    // One changed item is one update, its comments rewritten.
    let mut changed = dump.clone();
    changed.items[3].0.title = Some("a new title".into());
    let counts = import_dump(&mut store, "scipy/scipy", &changed).expect("import");
    assert_eq!(
        (counts.items_updated, counts.items_unchanged),
        (1, dump.items.len() - 1)
    );
    assert_eq!(counts.comments, changed.items[3].1.len());
}

#[test]
fn a_full_store_stops_the_import_with_an_error_naming_the_file_and_items() {
    let Some(dir) = devstats_dir() else { return };
    let path = dir.join("scipy_prs.json");
    let dump = read_dump(&path).expect("dump");
    let folder = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&folder.path().join("agora.db")).expect("store");
    // Room for a few chunks of the 7,620 PRs, not for all of them.
    store.limit_size(1024 * 1024).expect("limit");
    let error = import_dump(&mut store, "scipy/scipy", &dump).expect_err("the store fills up");
    let message = error.to_string();
    assert!(message.contains("scipy_prs.json"), "{message}");
    assert!(message.contains("full"), "{message}");
    let GithubError::ImportWrite {
        start, end, first, ..
    } = error
    else {
        panic!("not an import write error: {message}")
    };
    assert!(message.contains(&format!("#{first}")), "{message}");
    assert!(start > 0 && start < dump.items.len(), "{message}");
    // Whole chunks were committed, the failed one not at all.
    let stored = store.github_items("scipy/scipy").expect("items");
    assert_eq!(stored.len(), start, "{message}");
    assert_eq!(start % IMPORT_CHUNK, 0);
    assert!(end > start);
    let numbers: Vec<u64> = stored.iter().map(|s| s.item.number).collect();
    let expected: Vec<u64> = dump.items[..start].iter().map(|(i, _)| i.number).collect();
    let (mut numbers, mut expected) = (numbers, expected);
    numbers.sort_unstable();
    expected.sort_unstable();
    assert_eq!(numbers, expected);
}
