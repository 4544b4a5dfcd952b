//! Search results on a small hand-made corpus: each qualifier, text form and sort, and the
//! incremental update (upsert by key, watermark, reopen, rebuild).

use agora_search::render::{self, Marking};
use agora_search::{Document, Kind, SearchIndex, SearchOptions, SearchResults, Sort, State};

fn at(s: &str) -> jiff::Timestamp {
    s.parse().expect("test timestamps are valid")
}

#[allow(clippy::too_many_arguments)]
fn doc(
    repo: &str,
    number: u64,
    kind: Kind,
    state: State,
    title: &str,
    body: &str,
    labels: &[&str],
    author: Option<&str>,
    comments: &[(&str, &str)],
    created: &str,
    updated: &str,
    closed: Option<&str>,
) -> Document {
    let mut commenters: Vec<String> = comments.iter().map(|(who, _)| who.to_string()).collect();
    commenters.sort();
    commenters.dedup();
    Document {
        repo: repo.into(),
        number,
        kind,
        title: title.into(),
        body: body.into(),
        state: Some(state),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        author: author.map(str::to_string),
        commenters,
        created: Some(at(created)),
        updated: Some(at(updated)),
        closed: closed.map(at),
        comment_count: Some(comments.len() as u64),
        comments: comments.iter().map(|(_, text)| text.to_string()).collect(),
    }
}

fn corpus() -> Vec<Document> {
    use Kind::{Issue, PullRequest};
    use State::{Closed, Merged, Open};
    vec![
        doc(
            "scipy/scipy",
            101,
            Issue,
            Open,
            "Segfault in scipy.sparse.linalg.eigsh with large matrices",
            "Calling eigsh on a 10^6 x 10^6 sparse matrix crashes the interpreter.\n\nTraceback below.",
            &["defect", "scipy.sparse.linalg"],
            Some("alice"),
            &[
                ("bob", "I can reproduce the segfault on Linux."),
                ("carol", "Looks like ARPACK."),
            ],
            "2021-03-04T10:00:00Z",
            "2021-06-01T09:00:00Z",
            None,
        ),
        doc(
            "scipy/scipy",
            102,
            PullRequest,
            Merged,
            "Fix eigsh crash for large sparse matrices",
            "Closes #101. The workspace size overflowed a 32-bit integer.",
            &["defect", "scipy.sparse.linalg"],
            Some("bob"),
            &[("alice", "Thanks, this fixes my crash."), ("dave", "LGTM")],
            "2021-05-01T12:00:00Z",
            "2021-05-20T12:00:00Z",
            Some("2021-05-20T12:00:00Z"),
        ),
        doc(
            "scipy/scipy",
            103,
            Issue,
            Closed,
            "Documentation: typo in optimize.minimize docstring",
            "The word 'minimzation' is misspelled.",
            &["Documentation", "good first issue"],
            Some("erin"),
            &[],
            "2020-01-15T08:00:00Z",
            "2020-02-01T08:00:00Z",
            Some("2020-02-01T08:00:00Z"),
        ),
        doc(
            "scipy/scipy",
            104,
            PullRequest,
            Closed,
            "WIP: linear programming with HiGHS",
            "Adds a linprog method. Not ready.",
            &["enhancement", "scipy.optimize"],
            Some("frank"),
            &[("alice", "Superseded by another PR."), ("bob", "closing")],
            "2019-07-01T00:00:00Z",
            "2019-12-31T23:59:59Z",
            Some("2019-12-31T23:59:59Z"),
        ),
        doc(
            "numpy/numpy",
            2001,
            Issue,
            Open,
            "np.linalg.eigh returns wrong eigenvalues for complex input",
            "With complex Hermitian input the eigenvalues differ from LAPACK's.",
            &["00 - Bug", "component: numpy.linalg"],
            Some("Alice"),
            &[
                ("carol", "Confirmed, the sparse path is not involved."),
                ("carol", "Also on macOS."),
            ],
            "2022-01-10T00:00:00Z",
            "2022-01-12T00:00:00Z",
            None,
        ),
        doc(
            "numpy/numpy",
            2002,
            PullRequest,
            Open,
            "ENH: faster linalg.inv for small matrices",
            "Linear algebra speedups; benchmarks attached. Café au lait.",
            &["01 - Enhancement"],
            None,
            &[],
            "2022-02-01T00:00:00Z",
            "2022-02-02T00:00:00Z",
            None,
        ),
    ]
}

fn index() -> SearchIndex {
    let mut index = SearchIndex::in_memory().expect("an index in memory opens");
    let mut update = index.update(None).expect("a writer opens");
    for d in corpus() {
        update.upsert(&d).expect("documents index");
    }
    update.commit(Some("w1")).expect("the update commits");
    index
}

fn search(index: &SearchIndex, q: &str, sort: Sort) -> SearchResults {
    let options = SearchOptions {
        sort,
        limit: 50,
        ..SearchOptions::default()
    };
    match index.search_text(q, &options) {
        Ok(results) => results,
        Err(e) => panic!("{q:?} fails: {e}"),
    }
}

/// The `repo#number` of each hit, in order.
fn found(index: &SearchIndex, q: &str) -> Vec<String> {
    let mut keys = keys(&search(index, q, Sort::Relevance));
    keys.sort();
    keys
}

fn keys(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| format!("{}#{}", h.repo, h.number))
        .collect()
}

fn set(keys: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    v.sort();
    v
}

#[test]
fn qualifiers_filter() {
    let index = index();
    assert_eq!(index.len(), 6);
    assert_eq!(
        found(&index, "repo:numpy/numpy"),
        set(&["numpy/numpy#2001", "numpy/numpy#2002"])
    );
    assert_eq!(found(&index, "org:NUMPY").len(), 2);
    assert_eq!(
        found(&index, "is:pr"),
        set(&["numpy/numpy#2002", "scipy/scipy#102", "scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, "is:issue is:open"),
        set(&["numpy/numpy#2001", "scipy/scipy#101"])
    );
    // Closed includes merged, as on GitHub.
    assert_eq!(
        found(&index, "is:closed"),
        set(&["scipy/scipy#102", "scipy/scipy#103", "scipy/scipy#104"])
    );
    assert_eq!(found(&index, "is:merged"), set(&["scipy/scipy#102"]));
    assert_eq!(
        found(&index, "is:pr -is:merged"),
        set(&["numpy/numpy#2002", "scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, r#"label:"good first issue""#),
        set(&["scipy/scipy#103"])
    );
    assert_eq!(
        found(&index, "label:defect label:scipy.sparse.linalg"),
        set(&["scipy/scipy#101", "scipy/scipy#102"])
    );
    assert_eq!(
        found(&index, "label:documentation,enhancement"),
        set(&["scipy/scipy#103", "scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, r#"label:"component: numpy.linalg""#),
        set(&["numpy/numpy#2001"])
    );
    assert_eq!(
        found(&index, "author:alice"),
        set(&["numpy/numpy#2001", "scipy/scipy#101"])
    );
    assert_eq!(
        found(&index, "commenter:alice"),
        set(&["scipy/scipy#102", "scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, "involves:alice"),
        set(&[
            "numpy/numpy#2001",
            "scipy/scipy#101",
            "scipy/scipy#102",
            "scipy/scipy#104"
        ])
    );
    assert_eq!(found(&index, "-author:alice repo:scipy/scipy").len(), 3);
}

#[test]
fn dates_and_comment_counts() {
    let index = index();
    assert_eq!(
        found(&index, "created:>=2022-01-01"),
        set(&["numpy/numpy#2001", "numpy/numpy#2002"])
    );
    assert_eq!(
        found(&index, "created:>2022-01-10"),
        set(&["numpy/numpy#2002"])
    );
    assert_eq!(
        found(&index, "created:2022-01-10"),
        set(&["numpy/numpy#2001"])
    );
    assert_eq!(
        found(&index, "created:<2020-01-15"),
        set(&["scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, "created:<=2020-01-15"),
        set(&["scipy/scipy#103", "scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, "updated:2021-01-01..2021-12-31"),
        set(&["scipy/scipy#101", "scipy/scipy#102"])
    );
    // 23:59:59 on the last day of the range still counts.
    assert_eq!(
        found(&index, "closed:2019-12-31"),
        set(&["scipy/scipy#104"])
    );
    assert_eq!(
        found(&index, "closed:*..2020-12-31"),
        set(&["scipy/scipy#103", "scipy/scipy#104"])
    );
    // Open items have no close date: excluding a range keeps them.
    assert_eq!(found(&index, "-closed:<2021-01-01").len(), 4);
    assert_eq!(
        found(
            &index,
            "created:>=2021-05-01T12:00:00Z created:<2021-05-01T12:00:01Z"
        ),
        set(&["scipy/scipy#102"])
    );
    assert_eq!(
        found(&index, "comments:0"),
        set(&["numpy/numpy#2002", "scipy/scipy#103"])
    );
    assert_eq!(found(&index, "comments:>1").len(), 4);
    assert_eq!(found(&index, "comments:<2").len(), 2);
    assert_eq!(found(&index, "comments:1..2").len(), 4);
}

#[test]
fn free_text_phrases_prefixes_exclusions() {
    let index = index();
    assert_eq!(
        found(&index, "eigsh"),
        set(&["scipy/scipy#101", "scipy/scipy#102"])
    );
    // Every word must occur, in any text field.
    assert_eq!(found(&index, "segfault arpack"), set(&["scipy/scipy#101"]));
    assert_eq!(
        found(&index, "crash"),
        set(&["scipy/scipy#102"]),
        "tokens are whole: crash is not crashes"
    );
    assert_eq!(
        found(&index, "crash*"),
        set(&["scipy/scipy#101", "scipy/scipy#102"])
    );
    assert_eq!(
        found(&index, r#""sparse matrix""#),
        set(&["scipy/scipy#101"])
    );
    assert_eq!(
        found(&index, r#""matrix sparse""#),
        Vec::<String>::new(),
        "phrases keep their order"
    );
    // A dotted word is a phrase of its tokens.
    assert_eq!(found(&index, "np.linalg.eigh"), set(&["numpy/numpy#2001"]));
    assert_eq!(found(&index, "linalg.in*"), set(&["numpy/numpy#2002"]));
    assert_eq!(
        found(&index, "sparse -linalg"),
        set(&["scipy/scipy#102"]),
        "the excluded word occurs in 101's title, 2001's comment and 2002's title"
    );
    assert_eq!(
        found(&index, r#"-"sparse matrix" eigsh"#),
        set(&["scipy/scipy#102"])
    );
    // Case and accents do not matter.
    assert_eq!(found(&index, "CAFE"), set(&["numpy/numpy#2002"]));
    // in: narrows the fields.
    assert_eq!(found(&index, "in:title sparse").len(), 2);
    assert_eq!(
        found(&index, "in:comments sparse"),
        set(&["numpy/numpy#2001"])
    );
    assert_eq!(
        found(&index, "in:body,comments reproduce"),
        set(&["scipy/scipy#101"])
    );
    // A number finds the item (and mentions of it).
    assert_eq!(
        found(&index, "#101"),
        set(&["scipy/scipy#101", "scipy/scipy#102"])
    );
    assert_eq!(found(&index, "zzz*"), Vec::<String>::new());
    assert_eq!(found(&index, "").len(), 6);
    assert_eq!(found(&index, "-eigsh").len(), 4);
}

#[test]
fn qualifiers_and_text_combine() {
    let index = index();
    assert_eq!(
        found(&index, "repo:scipy/scipy is:pr label:defect crash"),
        set(&["scipy/scipy#102"])
    );
    assert_eq!(
        found(&index, "eigenvalues is:open created:2022-01-01..2022-12-31"),
        set(&["numpy/numpy#2001"])
    );
}

#[test]
fn sorting() {
    let index = index();
    let r = search(&index, "", Sort::Relevance);
    assert_eq!(
        r.sort,
        Sort::Updated,
        "no text: relevance falls back to updated"
    );
    assert_eq!(r.total, 6);
    assert_eq!(
        keys(&r),
        vec![
            "numpy/numpy#2002",
            "numpy/numpy#2001",
            "scipy/scipy#101",
            "scipy/scipy#102",
            "scipy/scipy#103",
            "scipy/scipy#104"
        ]
    );
    let r = search(&index, "is:issue", Sort::Created);
    assert_eq!(
        keys(&r),
        vec!["numpy/numpy#2001", "scipy/scipy#101", "scipy/scipy#103"]
    );
    let r = search(&index, "repo:numpy/numpy", Sort::Comments);
    assert_eq!(keys(&r), vec!["numpy/numpy#2001", "numpy/numpy#2002"]);
    // A title match outranks a body-only match.
    let r = search(&index, "eigsh", Sort::Relevance);
    assert_eq!(r.sort, Sort::Relevance);
    assert!(r.hits.iter().all(|h| h.score.is_some()));
    let r = search(&index, "workspace OR eigsh", Sort::Relevance);
    assert_eq!(r.total, 0, "OR is a word like any other");
    let r = search(&index, "sparse", Sort::Relevance);
    assert_eq!(
        r.hits[0].number, 101,
        "title and body and comment beat title alone"
    );
    // Paging.
    let options = SearchOptions {
        sort: Sort::Updated,
        limit: 2,
        offset: 2,
        ..SearchOptions::default()
    };
    let page = index.search_text("", &options).expect("searches");
    assert_eq!(keys(&page), vec!["scipy/scipy#101", "scipy/scipy#102"]);
    assert_eq!(page.total, 6);
    let count = SearchOptions {
        limit: 0,
        ..SearchOptions::default()
    };
    let only = index.search_text("is:open", &count).expect("counts");
    assert_eq!((only.total, only.hits.len()), (3, 0));
}

#[test]
fn snippets_mark_the_matched_terms() {
    let index = index();
    let r = search(&index, "segfault repo:scipy/scipy", Sort::Relevance);
    assert_eq!(r.hits.len(), 1);
    let hit = &r.hits[0];
    assert_eq!(hit.url, "https://github.com/scipy/scipy/issues/101");
    let props: Vec<&str> = hit.text_matches.iter().map(|m| m.property).collect();
    assert_eq!(props, vec!["title", "comments"]);
    let title = &hit.text_matches[0];
    assert_eq!(title.fragment, hit.title);
    assert_eq!(title.matches.len(), 1);
    assert_eq!(title.matches[0].text, "Segfault");
    assert_eq!(title.matches[0].indices, [0, 8]);
    let comment = &hit.text_matches[1];
    assert_eq!(comment.fragment, "I can reproduce the segfault on Linux.");
    assert_eq!(comment.matches[0].text, "segfault");

    // Prefix expansions are marked; whitespace collapses; offsets count characters.
    let r = search(&index, "travers* caf*", Sort::Relevance);
    assert!(r.hits.is_empty());
    let r = search(&index, "caf*", Sort::Relevance);
    let body = &r.hits[0].text_matches[0];
    assert_eq!(body.property, "body");
    let m = &body.matches[0];
    assert_eq!(m.text, "Café");
    let chars: Vec<char> = body.fragment.chars().collect();
    let marked: String = chars[m.indices[0]..m.indices[1]].iter().collect();
    assert_eq!(marked, "Café");

    let r = search(&index, "traceback", Sort::Relevance);
    let body = &r.hits[0].text_matches[0];
    assert!(!body.fragment.contains('\n'), "{:?}", body.fragment);
    // Excluded words are not marked.
    let r = search(&index, "eigsh -segfault", Sort::Relevance);
    assert_eq!(keys(&r), vec!["scipy/scipy#102"]);
    assert!(
        r.hits[0]
            .text_matches
            .iter()
            .flat_map(|m| &m.matches)
            .all(|m| m.text.eq_ignore_ascii_case("eigsh"))
    );
}

#[test]
fn long_bodies_are_cut_with_ellipses() {
    let mut index = SearchIndex::in_memory().expect("opens");
    let mut long = corpus().remove(0);
    long.body = format!("{} needle {}", "hay ".repeat(200), "straw ".repeat(200));
    let mut update = index.update(None).expect("writer");
    update.upsert(&long).expect("indexes");
    update.commit(None).expect("commits");
    let r = index
        .search_text("needle", &SearchOptions::default())
        .expect("searches");
    let body = &r.hits[0].text_matches[0];
    assert!(
        body.fragment.starts_with('…') && body.fragment.ends_with('…'),
        "{}",
        body.fragment
    );
    assert!(body.fragment.chars().count() <= 170);
    assert_eq!(body.matches[0].text, "needle");
}

#[test]
fn updates_replace_items_and_keep_the_watermark() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("index");
    {
        let mut index = SearchIndex::open(&path).expect("creates");
        assert!(!index.rebuilt());
        assert_eq!(index.watermark().expect("reads"), None);
        let mut update = index.update(Some(6)).expect("writer");
        for d in corpus() {
            update.upsert(&d).expect("indexes");
        }
        assert_eq!(
            update
                .commit(Some("2022-02-02T00:00:00Z"))
                .expect("commits"),
            6
        );
    }
    let mut index = SearchIndex::open(&path).expect("reopens");
    assert!(!index.rebuilt());
    assert_eq!(index.len(), 6);
    assert_eq!(
        index.watermark().expect("reads").as_deref(),
        Some("2022-02-02T00:00:00Z")
    );
    // Re-indexing an item replaces it: same count, new state and text.
    let mut changed = corpus().remove(0);
    changed.state = Some(State::Closed);
    changed.closed = Some(at("2022-03-01T00:00:00Z"));
    changed.updated = Some(at("2022-03-01T00:00:00Z"));
    changed
        .comments
        .push("Fixed by the workspace fix, closing.".into());
    changed.comment_count = changed.comment_count.map(|n| n + 1);
    changed.repo = "SciPy/SciPy".into();
    let mut update = index.update(Some(1)).expect("writer");
    update.upsert(&changed).expect("indexes");
    update.delete("numpy/numpy", 2002);
    update
        .commit(Some("2022-03-01T00:00:00Z"))
        .expect("commits");
    assert_eq!(index.len(), 5);
    assert_eq!(found(&index, "is:open"), set(&["numpy/numpy#2001"]));
    assert_eq!(
        found(&index, "workspace is:issue"),
        set(&["SciPy/SciPy#101"])
    );
    assert_eq!(found(&index, "repo:scipy/scipy").len(), 4);
    assert_eq!(
        index.watermark().expect("reads").as_deref(),
        Some("2022-03-01T00:00:00Z")
    );
    // An uncommitted update is discarded.
    {
        let mut update = index.update(None).expect("writer");
        update.clear().expect("clears");
    }
    assert_eq!(index.len(), 5);
}

#[test]
fn an_unusable_index_is_rebuilt_and_a_foreign_folder_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("index");
    {
        let mut index = SearchIndex::open(&path).expect("creates");
        let mut update = index.update(None).expect("writer");
        update.upsert(&corpus()[0]).expect("indexes");
        update.commit(Some("w")).expect("commits");
    }
    std::fs::write(path.join("meta.json"), "{ not json").expect("writes");
    let index = SearchIndex::open(&path).expect("rebuilds");
    assert!(index.rebuilt());
    assert!(index.is_empty());
    assert_eq!(index.watermark().expect("reads"), None);

    let foreign = dir.path().join("photos");
    std::fs::create_dir_all(&foreign).expect("creates");
    std::fs::write(foreign.join("cat.jpg"), b"meow").expect("writes");
    let err = SearchIndex::open(&foreign).expect_err("refuses");
    assert!(
        err.to_string().contains("not an agora search index"),
        "{err}"
    );
    assert!(foreign.join("cat.jpg").exists(), "nothing deleted");
}

#[test]
fn a_second_writer_is_told_the_index_is_busy() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("index");
    let mut first = SearchIndex::open(&path).expect("creates");
    let mut second = SearchIndex::open(&path).expect("opens");
    let _update = first.update(None).expect("writer");
    let err = second.update(None).expect_err("busy");
    assert!(err.to_string().contains("another agora"), "{err}");
}

#[test]
fn bad_queries_are_errors_with_a_caret() {
    let index = index();
    let err = index
        .search_text("is:open label:", &SearchOptions::default())
        .expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("column 9"), "{text}");
    assert!(text.ends_with("\n          ^^^^^^"), "{text:?}");
}

#[test]
fn text_without_a_searchable_word_is_refused_not_matched_everywhere() {
    let index = index();
    for query in ["🎉", ".*", "\\\\", "-🎉", "\"🎉\"", "is:open 🎉"] {
        let err = index
            .search_text(query, &SearchOptions::default())
            .expect_err(query);
        assert!(
            err.to_string().contains("no word to search for"),
            "{query}: {err}"
        );
    }
    // Words beside the symbols are still searched.
    assert_eq!(found(&index, "\"segfault 🎉\""), found(&index, "segfault"));
}

#[test]
fn an_unknown_comment_count_is_neither_shown_nor_matched_as_zero() {
    let mut unknown = corpus().remove(0);
    unknown.number = 999;
    unknown.comment_count = None;
    unknown.comments.clear();
    unknown.commenters.clear();
    let mut index = index();
    let mut update = index.update(None).expect("writer");
    update.upsert(&unknown).expect("indexes");
    update.commit(Some("w2")).expect("commits");
    let zero = found(&index, "comments:0");
    assert!(!zero.contains(&"scipy/scipy#999".to_string()), "{zero:?}");
    let some = found(&index, "comments:>=0");
    assert!(!some.contains(&"scipy/scipy#999".to_string()), "{some:?}");
    // Excluding a count keeps the items whose count is unknown.
    let not_many = found(&index, "-comments:>0");
    assert!(
        not_many.contains(&"scipy/scipy#999".to_string()),
        "{not_many:?}"
    );
    let results = search(&index, "repo:scipy/scipy", Sort::Created);
    let hit = results
        .hits
        .iter()
        .find(|h| h.number == 999)
        .expect("the item is found");
    assert_eq!(hit.comments, None);
    let text = render::text(&results, 0, Marking::Plain);
    let block: String = text
        .split("\n\n")
        .find(|b| b.starts_with("scipy/scipy#999"))
        .unwrap_or_default()
        .to_string();
    assert!(!block.is_empty(), "{text}");
    assert!(!block.contains("comment"), "{block}");
    let json = render::json(&results);
    assert!(json.contains("\"comments\": null"), "{json}");
}

#[test]
fn text_and_json_views() {
    let index = index();
    let options = SearchOptions {
        sort: Sort::Updated,
        limit: 2,
        ..SearchOptions::default()
    };
    let results = index
        .search_text("eig* -label:defect", &options)
        .expect("searches");
    insta::assert_snapshot!("search_text", render::text(&results, 0, Marking::Plain));
    insta::assert_snapshot!("search_json", render::json(&results));
    let ansi = render::text(&results, 0, Marking::Ansi);
    assert!(ansi.contains("\x1b[1;33meigh\x1b[0m"), "{ansi}");
}

/// `agora search -n 18446744073709551615` panicked (capacity overflow) and `-n 1000000000`
/// reserved 16 GB: the hits are bounded by the documents, not by the limit asked for.
#[test]
fn huge_limits_and_offsets_cost_what_the_index_holds() {
    let index = index();
    let everything = search(&index, "", Sort::Updated);
    for limit in [usize::MAX, 1_000_000_000] {
        let options = SearchOptions {
            sort: Sort::Updated,
            limit,
            ..SearchOptions::default()
        };
        let all = index.search_text("", &options).expect("searches");
        assert_eq!(keys(&all), keys(&everything));
        let beyond = SearchOptions {
            offset: usize::MAX,
            ..options
        };
        let none = index.search_text("", &beyond).expect("searches");
        assert_eq!((none.total, none.hits.len()), (everything.total, 0));
        let last = SearchOptions {
            offset: everything.total - 1,
            ..options
        };
        let tail = index.search_text("", &last).expect("searches");
        assert_eq!(keys(&tail), keys(&everything)[everything.total - 1..]);
    }
}
