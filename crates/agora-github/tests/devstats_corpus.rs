//! Importing the real scipy devstats dumps (`$AGORA_CORPUS/github/devstats/`): every issue and
//! PR is stored once, with the dump's state, labels, author and dates, and nothing the dump
//! lacks is invented. The expectations are read from the dumps themselves, independently of
//! the importer (plain JSON values).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use agora_github::devstats::read_dump;
use agora_github::import_dump;
use agora_store::Store;
use agora_store::github::{ItemKind, Source, StoredItem};
use serde_json::Value;

fn devstats_dir() -> Option<PathBuf> {
    agora_corpus::folder("github/devstats")
}

fn nodes(path: &Path) -> Vec<Value> {
    let bytes = std::fs::read(path).expect("read dump");
    let edges: Vec<Value> = serde_json::from_slice(&bytes).expect("dump JSON");
    edges.into_iter().map(|e| e["node"].clone()).collect()
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn time(item: &Option<jiff::Timestamp>) -> Option<String> {
    item.map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[test]
fn scipy_dumps_import_exactly_with_their_fields() {
    let Some(dir) = devstats_dir() else {
        return;
    };
    let mut store = Store::open_in_memory().expect("store");
    for name in ["scipy_issues.json", "scipy_prs.json"] {
        let dump = read_dump(&dir.join(name)).expect("dump");
        assert!(dump.skipped.is_empty(), "{name}: {:?}", dump.skipped);
        import_dump(&mut store, "scipy/scipy", &dump).expect("import");
    }
    let counts = store.github_counts("scipy/scipy").expect("counts");
    assert_eq!((counts.issues, counts.prs), (2538, 7620));

    let stored: BTreeMap<u64, StoredItem> = store
        .github_items("scipy/scipy")
        .expect("items")
        .into_iter()
        .map(|i| (i.item.number, i))
        .collect();
    assert_eq!(stored.len(), 2538 + 7620);

    // Issues: state, title, labels, dates; no author in the dump, so none stored.
    let mut comments_expected = 0;
    for node in nodes(&dir.join("scipy_issues.json")) {
        let number = node["number"].as_u64().expect("number");
        let item = &stored[&number].item;
        assert_eq!(item.kind, ItemKind::Issue);
        assert_eq!(stored[&number].source, Source::Devstats);
        let state = text(&node["state"]).map(|s| s.to_ascii_lowercase());
        assert_eq!(item.state, state, "#{number}");
        assert_eq!(item.title, text(&node["title"]), "#{number}");
        let labels: Vec<String> = node["labels"]["edges"]
            .as_array()
            .expect("labels")
            .iter()
            .filter_map(|e| text(&e["node"]["name"]))
            .collect();
        assert_eq!(item.labels.as_ref(), Some(&labels), "#{number}");
        assert_eq!(
            time(&item.created_at),
            text(&node["createdAt"]),
            "#{number}"
        );
        assert_eq!(
            time(&item.updated_at),
            text(&node["updatedAt"]),
            "#{number}"
        );
        assert_eq!(time(&item.closed_at), text(&node["closedAt"]), "#{number}");
        assert_eq!(
            item.author, None,
            "#{number}: the dump has no issue authors"
        );
        assert_eq!(item.body, None);
        comments_expected += node["timelineItems"]["edges"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter(|e| e["node"]["__typename"] == "IssueComment")
            .count();
    }
    // Timeline comments are stored with author and time, their text unknown.
    let comments = store.github_comments("scipy/scipy").expect("comments");
    assert_eq!(comments.len(), comments_expected);
    assert!(comments.iter().all(|c| c.comment.body.is_none()));

    // PRs: state (MERGED = closed + merged), author (40 deleted accounts stay unknown),
    // association, base branch, mergeable, merge data, counts; no labels in this dump.
    let mut null_authors = 0;
    for node in nodes(&dir.join("scipy_prs.json")) {
        let number = node["number"].as_u64().expect("number");
        let item = &stored[&number].item;
        assert_eq!(item.kind, ItemKind::Pr, "#{number}");
        let state = text(&node["state"]).expect("state");
        assert_eq!(item.merged, Some(state == "MERGED"), "#{number}");
        let expected_state = if state == "OPEN" { "open" } else { "closed" };
        assert_eq!(item.state.as_deref(), Some(expected_state), "#{number}");
        assert_eq!(item.title, text(&node["title"]), "#{number}");
        let author = text(&node["author"]["login"]);
        null_authors += usize::from(author.is_none());
        assert_eq!(item.author, author, "#{number}");
        assert_eq!(item.author_association, text(&node["authorAssociation"]));
        assert_eq!(item.base_ref, text(&node["baseRefName"]));
        assert_eq!(item.mergeable, text(&node["mergeable"]));
        assert_eq!(item.merged_by, text(&node["mergedBy"]["login"]));
        assert_eq!(time(&item.merged_at), text(&node["mergedAt"]), "#{number}");
        assert_eq!(
            time(&item.created_at),
            text(&node["createdAt"]),
            "#{number}"
        );
        assert_eq!(
            item.approved_reviews,
            node["reviews"]["totalCount"].as_i64()
        );
        assert_eq!(
            item.participants,
            node["participants"]["totalCount"].as_i64()
        );
        assert_eq!(item.labels, None, "#{number}: the PR dump has no labels");
        assert_eq!(
            item.updated_at, None,
            "#{number}: the PR dump has no updatedAt"
        );
    }
    assert_eq!(null_authors, 40);

    // Importing again changes nothing and duplicates nothing.
    let before = store
        .github_comments("scipy/scipy")
        .expect("comments")
        .len();
    let dump = read_dump(&dir.join("scipy_issues.json")).expect("dump");
    let counts = import_dump(&mut store, "scipy/scipy", &dump).expect("import");
    // ...and says so: an unchanged item is counted as unchanged, not as updated.
    assert_eq!(
        (
            counts.items_added,
            counts.items_updated,
            counts.items_unchanged
        ),
        (0, 0, 2538)
    );
    assert_eq!(
        store
            .github_comments("scipy/scipy")
            .expect("comments")
            .len(),
        before
    );
    assert_eq!(
        store.github_counts("scipy/scipy").expect("counts").issues,
        2538
    );
}
