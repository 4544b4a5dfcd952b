//! The index fed from a store: a first refresh indexes everything, later ones only what the
//! store wrote since (items, and items whose comments changed), and an unchanged store costs
//! nothing.

use agora_search::feed::{self, RefreshSummary};
use agora_search::{SearchIndex, SearchOptions, Sort};
use agora_store::Store;
use agora_store::github::{CommentKind, GhComment, GhItem, GithubPage, ItemKind, Source};

fn at(s: &str) -> jiff::Timestamp {
    s.parse().expect("test timestamps are valid")
}

fn item(number: u64, kind: ItemKind, title: &str, state: &str) -> GhItem {
    let mut item = GhItem::new(number, kind);
    item.title = Some(title.into());
    item.body = Some(format!("Body of {number}: {title}"));
    item.state = Some(state.into());
    item.author = Some("alice".into());
    item.labels = Some(vec!["bug".into()]);
    item.created_at = Some(at("2021-01-01T00:00:00Z"));
    item.updated_at = Some(at("2021-02-01T00:00:00Z"));
    item
}

fn comment(number: u64, id: i64, author: &str, body: &str) -> GhComment {
    GhComment {
        kind: CommentKind::Issue,
        github_id: Some(id),
        number,
        author: Some(author.into()),
        author_association: None,
        body: Some(body.into()),
        created_at: at("2021-01-15T00:00:00Z"),
        updated_at: None,
        review_id: None,
        path: None,
        in_reply_to: None,
        reactions: None,
        html_url: None,
    }
}

fn save(store: &mut Store, repo: &str, items: Vec<GhItem>, comments: Vec<GhComment>) {
    let mut page = GithubPage::new(Source::Rest, at("2021-03-01T00:00:00Z"));
    page.items = items;
    page.comments = comments;
    store
        .save_github_page(repo, &page)
        .expect("the page is stored");
}

fn numbers(index: &SearchIndex, q: &str) -> Vec<u64> {
    let options = SearchOptions {
        sort: Sort::Created,
        limit: 100,
        ..SearchOptions::default()
    };
    let mut n: Vec<u64> = index
        .search_text(q, &options)
        .expect("searches")
        .hits
        .iter()
        .map(|h| h.number)
        .collect();
    n.sort();
    n
}

#[test]
fn refresh_indexes_only_what_changed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join(".agora/agora.db");
    let mut store = Store::open(&db).expect("the store opens");
    save(
        &mut store,
        "scipy/scipy",
        (1..=20)
            .map(|n| item(n, ItemKind::Issue, &format!("issue number {n}"), "open"))
            .collect(),
        vec![comment(3, 1003, "bob", "a segfault here")],
    );
    let mut pr = item(21, ItemKind::Pr, "a merged fix", "closed");
    pr.merged = Some(true);
    pr.merged_at = Some(at("2021-02-10T00:00:00Z"));
    pr.updated_at = None;
    save(&mut store, "numpy/numpy", vec![pr], vec![]);

    assert_eq!(
        feed::index_dir_for(&db),
        dir.path().join(".agora/index"),
        "the index lives beside the store"
    );
    let (index, summary) = feed::refresh_beside(&store).expect("first refresh");
    assert!(summary.full);
    assert_eq!((summary.indexed, summary.total), (21, 21));
    assert_eq!(numbers(&index, "segfault commenter:bob"), vec![3]);
    assert_eq!(numbers(&index, "is:merged repo:numpy/numpy"), vec![21]);
    // Without updated_at, the latest activity stands in: the merge.
    assert_eq!(numbers(&index, "updated:2021-02-10"), vec![21]);
    assert_eq!(numbers(&index, "closed:2021-02-10 is:closed"), vec![21]);
    drop(index);

    // Nothing changed: nothing indexed.
    let (_, summary) = feed::refresh_beside(&store).expect("second refresh");
    assert_eq!(
        summary,
        RefreshSummary {
            full: false,
            indexed: 0,
            total: 21,
            change_seq: store.github_change_seq().expect("reads"),
        }
    );

    // Two items edited and a comment on a third: those three are indexed again.
    let mut closed = item(5, ItemKind::Issue, "issue number 5, now closed", "closed");
    closed.closed_at = Some(at("2021-04-01T00:00:00Z"));
    let retitled = item(6, ItemKind::Issue, "a brand new title", "open");
    save(&mut store, "scipy/scipy", vec![closed, retitled], vec![]);
    save(
        &mut store,
        "scipy/scipy",
        vec![],
        vec![comment(7, 1007, "carol", "an unrelated remark")],
    );
    let (index, summary) = feed::refresh_beside(&store).expect("third refresh");
    assert!(!summary.full);
    assert_eq!((summary.indexed, summary.total), (3, 21));
    assert_eq!(numbers(&index, "is:closed repo:scipy/scipy"), vec![5]);
    assert_eq!(numbers(&index, "brand"), vec![6]);
    assert_eq!(numbers(&index, "commenter:carol remark"), vec![7]);
    // Item 3 keeps its comment (it was not touched).
    assert_eq!(numbers(&index, "segfault"), vec![3]);
    drop(index);

    // Another store at the same place (recreated from scratch): everything again.
    drop(store);
    std::fs::remove_file(&db).expect("removes the store");
    let _ = std::fs::remove_file(db.with_extension("db-wal"));
    let _ = std::fs::remove_file(db.with_extension("db-shm"));
    let mut store = Store::open(&db).expect("a new store opens");
    save(
        &mut store,
        "scipy/scipy",
        vec![item(1, ItemKind::Issue, "only one", "open")],
        vec![],
    );
    let (index, summary) = feed::refresh_beside(&store).expect("refresh after recreation");
    assert!(
        summary.full,
        "the change counter went backwards: {summary:?}"
    );
    assert_eq!((summary.indexed, summary.total), (1, 1));
    assert_eq!(numbers(&index, ""), vec![1]);
}

#[test]
fn documents_keep_unknowns_unknown() {
    let mut store = Store::open_in_memory().expect("opens");
    let mut bare = GhItem::new(9, ItemKind::Pr);
    bare.created_at = Some(at("2020-01-01T00:00:00Z"));
    save(&mut store, "scipy/scipy", vec![bare], vec![]);
    let items = store.github_items("scipy/scipy").expect("reads");
    let doc = feed::document(&items[0], &[]);
    assert_eq!(doc.state, None);
    assert_eq!(doc.author, None);
    assert!(doc.labels.is_empty() && doc.title.is_empty());
    assert_eq!(doc.updated, doc.created);
    assert_eq!(doc.closed, None);
    let mut index = SearchIndex::in_memory().expect("opens");
    let summary = feed::refresh(&mut index, &store).expect("refreshes");
    assert_eq!(summary.total, 1);
    assert_eq!(numbers(&index, "is:open").len(), 0);
    assert_eq!(numbers(&index, "is:closed").len(), 0);
    assert_eq!(numbers(&index, "is:pr"), vec![9]);
}
