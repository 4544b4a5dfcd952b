//! A small hand-made dataset whose every metric is worked out by hand in the tests
//! (`tests/metrics.rs`) and rendered in `agora-site`'s snapshots.
//!
//! Window: 2024-01-01 to 2024-07-01. Seven issues (one before the window), twelve PRs: five
//! merged in the window by alice (3), bob and carol, one merged by bob before the window,
//! one each by a bot, a deleted account and to a maintenance branch, two open, one closed.

use jiff::Timestamp;

use crate::model::{Author, Comment, Dataset, Issue, IssueState, Mergeable, Pull, PullState};
use crate::report::Options;

/// `text` as a timestamp (the sample's texts are all valid).
fn at(text: &str) -> Timestamp {
    text.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A login.
fn user(login: &str) -> Option<Author> {
    Some(Author::Login(login.to_string()))
}

/// A comment by `login` at `when`.
fn comment(login: &str, when: &str) -> Comment {
    Comment {
        author: user(login),
        created_at: at(when),
    }
}

/// An issue.
fn issue(
    number: u64,
    author: &str,
    created: &str,
    closed: Option<&str>,
    comments: Vec<Comment>,
) -> Issue {
    Issue {
        number,
        created_at: at(created),
        state: if closed.is_some() {
            IssueState::Closed
        } else {
            IssueState::Open
        },
        closed_at: closed.map(at),
        author: user(author),
        comments: Some(comments),
    }
}

/// A PR to `branch`; it got one review per participant besides its author.
fn pull(
    number: u64,
    author: Option<Author>,
    branch: &str,
    created: &str,
    merged: Option<&str>,
    state: PullState,
    participants: u32,
) -> Pull {
    Pull {
        number,
        created_at: at(created),
        state,
        author,
        merged_at: merged.map(at),
        closed_at: merged.map(at),
        base_branch: Some(branch.to_string()),
        mergeable: None,
        participants: Some(participants),
        reviews: Some(participants.saturating_sub(1)),
    }
}

/// The options of the sample: 2024-01-01 to 2024-07-01, default bots and branches.
pub fn options() -> Options {
    Options {
        since: Some(at("2024-01-01T00:00:00Z")),
        until: Some(at("2024-07-01T00:00:00Z")),
        ..Options::default()
    }
}

/// The sample dataset.
pub fn dataset() -> Dataset {
    use PullState::{Closed, Merged, Open};
    let issues = vec![
        issue(
            1,
            "alice",
            "2024-01-01T00:00:00Z",
            Some("2024-01-03T00:00:00Z"),
            vec![
                comment("alice", "2024-01-01T00:30:00Z"),
                comment("bob", "2024-01-01T02:00:00Z"),
            ],
        ),
        issue(
            2,
            "carol",
            "2024-01-10T00:00:00Z",
            None,
            vec![comment("bob", "2024-01-10T00:30:00Z")],
        ),
        issue(
            3,
            "dave",
            "2024-02-01T00:00:00Z",
            Some("2024-02-11T00:00:00Z"),
            vec![comment("erin", "2024-02-05T04:00:00Z")],
        ),
        issue(4, "erin", "2024-03-01T00:00:00Z", None, vec![]),
        issue(
            5,
            "frank",
            "2024-06-30T12:00:00Z",
            None,
            vec![comment("bob", "2024-06-30T13:00:00Z")],
        ),
        issue(
            6,
            "alice",
            "2023-12-01T00:00:00Z",
            Some("2023-12-02T00:00:00Z"),
            vec![comment("carol", "2023-12-01T01:00:00Z")],
        ),
        issue(
            7,
            "bob",
            "2024-04-01T00:00:00Z",
            Some("2024-05-11T00:00:00Z"),
            vec![comment("alice", "2024-04-01T13:00:00Z")],
        ),
    ];
    let mut open_conflicting = pull(
        18,
        user("bob"),
        "main",
        "2024-06-01T00:00:00Z",
        None,
        Open,
        1,
    );
    open_conflicting.mergeable = Some(Mergeable::Conflicting);
    let mut open_clean = pull(
        19,
        user("erin"),
        "main",
        "2024-05-01T00:00:00Z",
        None,
        Open,
        2,
    );
    open_clean.mergeable = Some(Mergeable::Mergeable);
    let pulls = vec![
        pull(
            5,
            user("bob"),
            "main",
            "2023-05-30T00:00:00Z",
            Some("2023-06-01T00:00:00Z"),
            Merged,
            2,
        ),
        pull(
            10,
            user("alice"),
            "main",
            "2024-01-01T00:00:00Z",
            Some("2024-01-02T00:00:00Z"),
            Merged,
            2,
        ),
        pull(
            11,
            user("alice"),
            "main",
            "2024-01-05T00:00:00Z",
            Some("2024-01-15T00:00:00Z"),
            Merged,
            3,
        ),
        pull(
            12,
            user("alice"),
            "master",
            "2024-02-01T00:00:00Z",
            Some("2024-02-03T00:00:00Z"),
            Merged,
            2,
        ),
        pull(
            13,
            user("bob"),
            "main",
            "2024-01-20T00:00:00Z",
            Some("2024-03-01T00:00:00Z"),
            Merged,
            4,
        ),
        pull(
            14,
            user("carol"),
            "main",
            "2024-03-10T00:00:00Z",
            Some("2024-03-11T00:00:00Z"),
            Merged,
            1,
        ),
        pull(
            15,
            user("dependabot[bot]"),
            "main",
            "2024-02-01T00:00:00Z",
            Some("2024-02-02T00:00:00Z"),
            Merged,
            1,
        ),
        pull(
            16,
            user("dave"),
            "maintenance/1.x",
            "2024-02-01T00:00:00Z",
            Some("2024-02-02T00:00:00Z"),
            Merged,
            1,
        ),
        pull(
            17,
            Some(Author::Deleted),
            "main",
            "2024-02-01T00:00:00Z",
            Some("2024-02-02T00:00:00Z"),
            Merged,
            1,
        ),
        open_conflicting,
        open_clean,
        pull(
            20,
            user("frank"),
            "main",
            "2024-02-01T00:00:00Z",
            None,
            Closed,
            1,
        ),
    ];
    Dataset {
        repo: "example/demo".to_string(),
        issues,
        pulls,
    }
}
