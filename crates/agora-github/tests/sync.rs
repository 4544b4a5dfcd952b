//! The sync against a fake GitHub built from the real scipy dumps
//! (`$AGORA_CORPUS/github/devstats/`): a first sync mirrors everything, an edit of three items
//! costs only those, an unchanged repository costs three 304s, faults are survived, and a sync
//! cut off at many points and restarted ends with the same store as an uninterrupted one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use agora_fake_server::github::{FakeGithub, Fault};
use agora_github::client::{ClientConfig, GithubClient};
use agora_github::{GithubError, SyncEvent, SyncOptions, SyncReport, sync_repo};
use agora_http::ClientOptions;
use agora_store::Store;

const REPO: &str = "scipy/scipy";

fn devstats_dir() -> Option<PathBuf> {
    agora_corpus::folder("github/devstats")
}

/// A fake GitHub serving the scipy items whose number `keep` accepts.
fn fake(keep: impl Fn(u64) -> bool) -> Option<FakeGithub> {
    let dir = devstats_dir()?;
    let issues = std::fs::read(dir.join("scipy_issues.json")).expect("issues dump");
    let prs = std::fs::read(dir.join("scipy_prs.json")).expect("PR dump");
    Some(FakeGithub::from_dumps(REPO, &issues, &prs, keep).expect("fake GitHub"))
}

fn client(fake: &FakeGithub, retries: u32, no_wait: bool) -> GithubClient {
    GithubClient::new(ClientConfig {
        api_url: fake.api_url(),
        token: Some("test-token".into()),
        no_wait,
        http: ClientOptions {
            retries,
            backoff: Duration::from_millis(1),
            max_retry_after: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            ..ClientOptions::default()
        },
        ..ClientConfig::new(None)
    })
    .expect("client")
}

fn sync(client: &GithubClient, store: &mut Store) -> Result<SyncReport, GithubError> {
    sync_repo(client, store, REPO, SyncOptions::default(), &mut |_| {})
}

/// Everything stored about the repository, without bookkeeping (write times, counters, ids).
fn snapshot(store: &Store) -> String {
    let items: Vec<_> = store
        .github_items(REPO)
        .expect("items")
        .into_iter()
        .map(|i| (i.item, i.source))
        .collect();
    let mut comments: Vec<_> = store
        .github_comments(REPO)
        .expect("comments")
        .into_iter()
        .map(|c| c.comment)
        .collect();
    comments.sort_by_key(|c| (c.number, c.kind.as_str(), c.github_id));
    format!(
        "{items:#?}\n{comments:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
        store.github_reviews(REPO).expect("reviews"),
        store.github_labels(REPO).expect("labels"),
        store.github_milestones(REPO).expect("milestones"),
        store.github_releases(REPO).expect("releases"),
    )
}

#[test]
fn a_first_sync_mirrors_everything() {
    let Some(fake) = fake(|n| n % 20 == 0) else {
        return;
    };
    let mut store = Store::open_in_memory().expect("store");
    let report = sync(&client(&fake, 2, false), &mut store).expect("sync");
    let (issues, prs) = fake.item_count();
    assert!(issues > 50 && prs > 300, "{issues} issues, {prs} PRs");
    let counts = store.github_counts(REPO).expect("counts");
    assert_eq!((counts.issues as usize, counts.prs as usize), (issues, prs));
    let (comments, review_comments) = fake.comment_count();
    assert_eq!(counts.comments as usize, comments + review_comments);
    assert_eq!(report.pr_details.len(), prs);
    assert_eq!(counts.releases, 2);
    assert!(!store.github_labels(REPO).expect("labels").is_empty());

    // Spot checks against what the fake serves.
    let items = store.github_items(REPO).expect("items");
    let merged = items.iter().filter(|i| i.item.merged == Some(true)).count();
    assert!(merged > 0);
    for stored in &items {
        let item = &stored.item;
        assert!(item.title.is_some() && item.body.is_some() && item.state.is_some());
        assert!(item.created_at.is_some() && item.updated_at.is_some());
        if item.merged == Some(true) {
            assert!(item.merged_at.is_some(), "#{}", item.number);
            assert!(item.additions.is_some() && item.base_ref.is_some());
        }
    }
    // Every listing was asked 100 at a time and followed through Link headers.
    let listings = fake.server().requests_to(&format!("/repos/{REPO}/issues"));
    assert!(listings.iter().all(|r| r.path.contains("per_page=100")));
    assert!(listings.iter().any(|r| r.path.contains("page=2")));
    assert!(
        fake.server()
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer test-token"))
    );
}

#[test]
fn the_whole_repository_without_pr_details() {
    let Some(fake) = fake(|_| true) else {
        return;
    };
    let mut store = Store::open_in_memory().expect("store");
    let options = SyncOptions {
        pr_details: false,
        ..SyncOptions::default()
    };
    sync_repo(
        &client(&fake, 2, false),
        &mut store,
        REPO,
        options,
        &mut |_| {},
    )
    .expect("sync");
    let counts = store.github_counts(REPO).expect("counts");
    assert_eq!((counts.issues, counts.prs), (2538, 7620));
    let (comments, review_comments) = fake.comment_count();
    assert_eq!(counts.comments as usize, comments + review_comments);
    // Without details, what only /pulls/N says stays unknown.
    let items = store.github_items(REPO).expect("items");
    assert!(items.iter().all(|i| i.item.additions.is_none()));
}

#[test]
fn an_edit_to_three_items_fetches_only_those() {
    let Some(fake) = fake(|n| n % 20 == 0) else {
        return;
    };
    let mut store = Store::open_in_memory().expect("store");
    let client = client(&fake, 2, false);
    sync(&client, &mut store).expect("first sync");
    let seq = store.github_change_seq().expect("seq");

    let numbers = fake.numbers();
    let prs: Vec<u64> = store
        .github_items(REPO)
        .expect("items")
        .iter()
        .filter(|i| i.item.kind == agora_store::github::ItemKind::Pr)
        .map(|i| i.item.number)
        .take(2)
        .collect();
    let issue = store
        .github_items(REPO)
        .expect("items")
        .iter()
        .find(|i| i.item.kind == agora_store::github::ItemKind::Issue)
        .map(|i| i.item.number)
        .expect("an issue");
    let edited = [prs[0], prs[1], issue];
    for n in edited {
        assert!(numbers.contains(&n));
        assert!(fake.edit(n));
    }
    fake.server().clear_requests();
    let report = sync(&client, &mut store).expect("second sync");
    assert_eq!(report.items, 3);
    let mut details = report.pr_details.clone();
    details.sort_unstable();
    let mut expected = prs.clone();
    expected.sort_unstable();
    assert_eq!(details, expected);
    let requests = fake.server().requests();
    // Item requests name only the edited PRs.
    for r in &requests {
        if let Some(rest) = r.path_only().strip_prefix(&format!("/repos/{REPO}/pulls/"))
            && rest != "comments"
        {
            let n: u64 = rest
                .split('/')
                .next()
                .and_then(|s| s.parse().ok())
                .expect("n");
            assert!(prs.contains(&n), "{}", r.path);
        }
    }
    // Two listing rounds of issues, two 304 comment listings, three 304 catalog checks, and
    // two requests per edited PR.
    assert_eq!(requests.len(), 2 + 2 + 3 + 2 * 2, "{requests:#?}");
    // The store has the edits, and says exactly these items changed.
    let changed: Vec<u64> = store
        .github_items_changed_since(seq)
        .expect("changed")
        .iter()
        .map(|i| i.item.number)
        .collect();
    let mut changed_sorted = changed.clone();
    changed_sorted.sort_unstable();
    let mut edited_sorted = edited.to_vec();
    edited_sorted.sort_unstable();
    assert_eq!(changed_sorted, edited_sorted);
    for n in edited {
        let item = store.github_item(REPO, n).expect("q").expect("item");
        assert!(item.item.title.as_deref().unwrap_or("").contains("(edited"));
    }
}

#[test]
fn an_unchanged_repository_costs_three_requests_all_304() {
    let Some(fake) = fake(|n| n % 50 == 0) else {
        return;
    };
    let mut store = Store::open_in_memory().expect("store");
    let client = client(&fake, 2, false);
    sync(&client, &mut store).expect("first sync");
    let before = snapshot(&store);
    fake.server().clear_requests();
    let report = sync(&client, &mut store).expect("second sync");
    let requests = fake.server().requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert_eq!(report.not_modified, 3);
    assert_eq!(report.items + report.comments, 0);
    assert!(requests.iter().all(|r| r.header("if-none-match").is_some()));
    assert_eq!(snapshot(&store), before);
}

#[test]
fn faults_are_survived() {
    let Some(fake) = fake(|n| n % 50 == 0) else {
        return;
    };
    let mut reference = Store::open_in_memory().expect("store");
    sync(&client(&fake, 2, false), &mut reference).expect("reference sync");

    let mut store = Store::open_in_memory().expect("store");
    fake.push_fault("/issues?", Fault::RateLimit { reset_in: 1 });
    fake.push_fault("/issues?", Fault::DropMidBody);
    fake.push_fault("/issues/comments", Fault::RetryAfter { secs: 1 });
    fake.push_fault("/pulls/comments", Fault::SecondaryLimit { secs: 1 });
    fake.push_fault("/pulls/", Fault::BadGateway);
    fake.push_fault("/pulls/", Fault::Drop);
    fake.push_fault("/labels", Fault::DropMidBody);
    let client = client(&fake, 3, false);
    sync(&client, &mut store).expect("sync through faults");
    assert_eq!(fake.pending_faults(), 0);
    assert_eq!(snapshot(&store), snapshot(&reference));
}

#[test]
fn an_exhausted_budget_is_waited_for_or_refused() {
    let Some(fake) = fake(|n| n % 200 == 0) else {
        return;
    };
    // --no-wait: a clear error once the budget is gone; what was stored is kept.
    let mut store = Store::open_in_memory().expect("store");
    sync(&client(&fake, 0, true), &mut store).expect("first sync");
    let before = snapshot(&store);
    let number = fake.numbers()[0];
    fake.edit(number);
    fake.set_budget(0, 3600);
    let err = sync(&client(&fake, 0, true), &mut store).expect_err("no wait");
    let message = err.to_string();
    assert!(message.contains("rate limit"), "{message}");
    assert!(message.contains("--no-wait"), "{message}");
    assert_eq!(snapshot(&store), before);

    // Waiting: the sync says it waits, then finishes.
    fake.set_budget(0, 1);
    let mut waited = false;
    let mut store = Store::open_in_memory().expect("store");
    sync_repo(
        &client(&fake, 0, false),
        &mut store,
        REPO,
        SyncOptions::default(),
        &mut |event| waited |= matches!(event, SyncEvent::Waiting { .. }),
    )
    .expect("sync after waiting");
    assert!(waited);
    let (issues, prs) = fake.item_count();
    let counts = store.github_counts(REPO).expect("counts");
    assert_eq!((counts.issues as usize, counts.prs as usize), (issues, prs));
}

#[test]
fn a_sync_cut_off_anywhere_and_restarted_ends_the_same() {
    let Some(fake) = fake(|n| n % 40 == 0) else {
        return;
    };
    let mut reference = Store::open_in_memory().expect("store");
    let full = sync(&client(&fake, 0, false), &mut reference).expect("reference sync");
    let expected = snapshot(&reference);
    let total = full.requests as usize;
    assert!(total > 100, "{total} requests");

    // Cut points from a fixed pseudo-random sequence: each run is cut after that many
    // requests (the connection drops, no retries), and the next one resumes.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..4 {
        let mut store = Store::open_in_memory().expect("store");
        let mut cuts = 0;
        loop {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // A page is written only once all its PRs' details are in, so a cut before that
            // makes no progress; the next cut may go further.
            let cut = 1 + (seed % total as u64) as usize;
            fake.fail_after(Some(cut));
            match sync(&client(&fake, 0, false), &mut store) {
                Ok(_) => break,
                Err(_) => cuts += 1,
            }
            assert!(cuts < 100, "round {round}: no progress");
        }
        fake.fail_after(None);
        sync(&client(&fake, 0, false), &mut store).expect("final sync");
        assert!(cuts > 0, "round {round} was never cut");
        assert_eq!(
            snapshot(&store),
            expected,
            "round {round} after {cuts} cuts"
        );
    }
}

#[test]
fn items_edited_between_cut_off_syncs_end_as_a_fresh_mirror() {
    let Some(fake) = fake(|n| n % 45 == 0) else {
        return;
    };
    let numbers = fake.numbers();
    let mut store = Store::open_in_memory().expect("store");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut finished = 0;
    for _ in 0..12 {
        // Edit a few items, then sync with a cut somewhere in the first 300 requests.
        for _ in 0..3 {
            let n = numbers[(next() % numbers.len() as u64) as usize];
            assert!(fake.edit(n));
        }
        fake.fail_after(Some(1 + (next() % 300) as usize));
        finished += usize::from(sync(&client(&fake, 0, false), &mut store).is_ok());
    }
    fake.fail_after(None);
    sync(&client(&fake, 0, false), &mut store).expect("final sync");
    assert!(finished < 12, "no sync was cut");

    let mut fresh = Store::open_in_memory().expect("store");
    sync(&client(&fake, 0, false), &mut fresh).expect("fresh sync");
    assert_eq!(snapshot(&store), snapshot(&fresh));
}

/// Dumps small enough to write here, so the sync is tested without the corpus too.
const TINY_ISSUES: &str = r#"[
 {"cursor": "a", "node": {"number": 1, "title": "Crash in solve", "state": "OPEN",
  "createdAt": "2021-01-01T00:00:00Z", "updatedAt": "2021-01-05T00:00:00Z", "closedAt": null,
  "labels": {"edges": [{"node": {"name": "bug"}}]},
  "timelineItems": {"totalCount": 1, "edges": [{"node": {"__typename": "IssueComment",
   "author": {"login": "ann"}, "createdAt": "2021-01-02T00:00:00Z"}}]}}},
 {"cursor": "b", "node": {"number": 3, "title": "Docs typo", "state": "CLOSED",
  "createdAt": "2021-02-01T00:00:00Z", "updatedAt": "2021-02-03T00:00:00Z",
  "closedAt": "2021-02-03T00:00:00Z", "labels": {"edges": []},
  "timelineItems": {"totalCount": 0, "edges": []}}}
]"#;

const TINY_PRS: &str = r#"[
 {"cursor": "c", "node": {"number": 2, "state": "MERGED", "title": "Fix crash",
  "createdAt": "2021-01-03T00:00:00Z", "baseRefName": "main", "mergeable": "UNKNOWN",
  "author": {"login": "bob"}, "authorAssociation": "MEMBER", "mergedBy": {"login": "cat"},
  "mergedAt": "2021-01-04T00:00:00Z", "reviews": {"totalCount": 1},
  "participants": {"totalCount": 2}}}
]"#;

#[test]
fn a_small_repository_syncs_and_then_costs_three_304s() {
    let fake = FakeGithub::from_dumps(REPO, TINY_ISSUES.as_bytes(), TINY_PRS.as_bytes(), |_| true)
        .expect("fake GitHub");
    let mut store = Store::open_in_memory().expect("store");
    let client = client(&fake, 1, false);
    let report = sync(&client, &mut store).expect("first sync");
    assert_eq!(report.items, 3);
    assert_eq!(report.pr_details, vec![2]);
    let pr = store.github_item(REPO, 2).expect("q").expect("PR");
    assert_eq!(pr.item.merged_by.as_deref(), Some("cat"));
    assert_eq!(pr.item.approved_reviews, Some(1));
    assert_eq!(pr.item.base_ref.as_deref(), Some("main"));
    let issue = store.github_item(REPO, 1).expect("q").expect("issue");
    assert_eq!(issue.item.labels, Some(vec!["bug".to_string()]));
    assert_eq!(issue.item.comments, Some(1));
    let threads = store.github_threads(REPO).expect("threads");
    assert_eq!(
        threads[0].comments[0].comment.author.as_deref(),
        Some("ann")
    );
    assert!(threads[0].comments[0].comment.body.is_some());
    assert_eq!(threads[1].reviews.len(), 1);

    fake.server().clear_requests();
    let again = sync(&client, &mut store).expect("second sync");
    assert_eq!((again.requests, again.not_modified), (3, 3));
}

#[test]
fn a_sync_after_an_import_completes_the_rows_without_duplicates() {
    let fake = FakeGithub::from_dumps(REPO, TINY_ISSUES.as_bytes(), TINY_PRS.as_bytes(), |_| true)
        .expect("fake GitHub");
    let mut store = Store::open_in_memory().expect("store");
    for (name, text) in [
        ("tiny_issues.json", TINY_ISSUES),
        ("tiny_PRs.json", TINY_PRS),
    ] {
        let dump =
            agora_github::devstats::parse_dump(Path::new(name), text.as_bytes()).expect("dump");
        agora_github::import_dump(&mut store, REPO, &dump).expect("import");
    }
    let imported = store.github_comments(REPO).expect("comments");
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].comment.body, None);

    sync(&client(&fake, 1, false), &mut store).expect("sync");
    let items = store.github_items(REPO).expect("items");
    assert!(
        items
            .iter()
            .all(|i| i.source == agora_store::github::Source::Rest)
    );
    assert!(items.iter().all(|i| i.item.body.is_some()));
    // The dump's comment is replaced by its REST twin (same author and time), not doubled.
    let comments = store.github_comments(REPO).expect("comments");
    let (conversation, review) = fake.comment_count();
    assert_eq!(comments.len(), conversation + review);
    assert!(comments.iter().all(|c| c.comment.body.is_some()));
}
