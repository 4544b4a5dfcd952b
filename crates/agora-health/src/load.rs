//! Reads one repository's issues and PRs from the store into the input model.
//!
//! The store keeps every field a source did not carry as NULL; this loader keeps it unknown.
//! Two rows need a reading of where they came from: a devstats dump asks GitHub for PR and
//! comment authors, so a NULL author there is a deleted account (GitHub's `ghost`), while it
//! never asks for issue authors, so those stay unknown; the REST API names deleted accounts
//! `ghost`. An issue whose stored comment count is positive but that has no stored comments
//! has its comments unknown (they were not fetched). Items without a creation time cannot be
//! placed in time and are left out; [`Loaded::skipped`] counts them. A close or merge time
//! before the item's creation is read as unknown.

use std::collections::HashMap;

use agora_store::github::{ItemKind, Source};
use agora_store::github_activity::ActivityItem;
use agora_store::{Store, StoreError};

use crate::model::{Author, Comment, Dataset, Issue, IssueState, Mergeable, Pull, PullState};

/// What was read, and how many items could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The repository's data.
    pub data: Dataset,
    /// Items left out because the store has no creation time for them.
    pub skipped: usize,
}

/// The author of a row from `source`.
fn author(login: Option<&str>, source: Source, asked: bool) -> Option<Author> {
    match login {
        Some("ghost") => Some(Author::Deleted),
        Some(login) => Some(Author::Login(login.to_string())),
        None if asked && source == Source::Devstats => Some(Author::Deleted),
        None => None,
    }
}

/// GitHub's mergeability word.
fn mergeable(text: &str) -> Mergeable {
    match text.to_ascii_uppercase().as_str() {
        "MERGEABLE" | "TRUE" => Mergeable::Mergeable,
        "CONFLICTING" | "FALSE" => Mergeable::Conflicting,
        _ => Mergeable::Unknown,
    }
}

/// A stored PR as the model's PR.
fn pull(item: &ActivityItem) -> Option<Pull> {
    let merged = item.merged == Some(true) || item.merged_at.is_some();
    let state = if merged {
        PullState::Merged
    } else {
        match item.is_open() {
            Some(true) => PullState::Open,
            _ => PullState::Closed,
        }
    };
    let created_at = item.created_at?;
    Some(Pull {
        number: item.number,
        created_at,
        state,
        author: author(item.author.as_deref(), item.source, true),
        merged_at: not_before(item.merged_at, created_at),
        closed_at: not_before(item.closed_at, created_at),
        base_branch: item.base_ref.clone(),
        mergeable: item.mergeable.as_deref().map(mergeable),
        participants: item.participants.and_then(|n| u32::try_from(n).ok()),
        reviews: item.approved_reviews.and_then(|n| u32::try_from(n).ok()),
    })
}

/// `at` unless it is before `created_at`: an item is never closed or merged before it was
/// opened, so such a time (a faulty dump stored before the import refused them) is unknown
/// rather than a negative lifetime.
fn not_before(at: Option<jiff::Timestamp>, created_at: jiff::Timestamp) -> Option<jiff::Timestamp> {
    at.filter(|at| *at >= created_at)
}

/// Reads `repo`; `None` when the store has no item of it.
///
/// Only the columns the metrics read come out of the store
/// ([`Store::github_activity`]): bodies, titles and labels are never loaded.
pub fn from_store(store: &Store, repo: &str) -> Result<Option<Loaded>, StoreError> {
    let Some(activity) = store.github_activity(repo)? else {
        return Ok(None);
    };
    let mut comments: HashMap<u64, Vec<Comment>> = HashMap::new();
    for comment in activity.comments {
        comments.entry(comment.number).or_default().push(Comment {
            author: author(comment.author.as_deref(), comment.source, true),
            created_at: comment.created_at,
        });
    }
    let mut data = Dataset {
        repo: activity.repo,
        ..Dataset::default()
    };
    let mut skipped = 0;
    for item in &activity.items {
        match item.kind {
            ItemKind::Pr => match pull(item) {
                Some(pull) => data.pulls.push(pull),
                None => skipped += 1,
            },
            ItemKind::Issue => {
                let Some(created_at) = item.created_at else {
                    skipped += 1;
                    continue;
                };
                let stored_comments = comments.remove(&item.number).unwrap_or_default();
                let unfetched = stored_comments.is_empty() && item.comments.is_some_and(|n| n > 0);
                data.issues.push(Issue {
                    number: item.number,
                    created_at,
                    state: match item.is_open() {
                        Some(false) => IssueState::Closed,
                        _ => IssueState::Open,
                    },
                    closed_at: not_before(item.closed_at, created_at),
                    author: author(item.author.as_deref(), item.source, false),
                    comments: (!unfetched).then_some(stored_comments),
                });
            }
        }
    }
    Ok(Some(Loaded { data, skipped }))
}

#[cfg(test)]
mod tests {
    use agora_store::github::{CommentKind, GhComment, GhItem, GithubPage};
    use jiff::Timestamp;

    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn comment(number: u64, author: Option<&str>, when: &str) -> GhComment {
        GhComment {
            kind: CommentKind::Issue,
            github_id: None,
            number,
            author: author.map(str::to_string),
            author_association: None,
            body: None,
            created_at: at(when),
            updated_at: None,
            review_id: None,
            path: None,
            in_reply_to: None,
            reactions: None,
            html_url: None,
        }
    }

    fn store_with(source: Source, items: Vec<GhItem>, comments: Vec<GhComment>) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let mut page = GithubPage::new(source, at("2024-01-01T00:00:00Z"));
        page.items = items;
        page.comments = comments;
        store.save_github_page("o/r", &page).expect("saved");
        store
    }

    #[test]
    fn a_dump_says_deleted_for_null_pr_and_comment_authors_but_unknown_for_issues() {
        let mut merged = GhItem::new(1, ItemKind::Pr);
        merged.state = Some("closed".into());
        merged.merged = Some(true);
        merged.created_at = Some(at("2023-01-01T00:00:00Z"));
        merged.merged_at = Some(at("2023-01-02T00:00:00Z"));
        merged.base_ref = Some("main".into());
        merged.mergeable = Some("CONFLICTING".into());
        merged.participants = Some(3);
        merged.approved_reviews = Some(1);
        let mut open = GhItem::new(2, ItemKind::Pr);
        open.state = Some("open".into());
        open.created_at = Some(at("2023-02-01T00:00:00Z"));
        open.author = Some("alice".into());
        let mut issue = GhItem::new(3, ItemKind::Issue);
        issue.state = Some("closed".into());
        issue.created_at = Some(at("2023-03-01T00:00:00Z"));
        issue.closed_at = Some(at("2023-03-02T00:00:00Z"));
        let undated = GhItem::new(4, ItemKind::Issue);
        let store = store_with(
            Source::Devstats,
            vec![merged, open, issue, undated],
            vec![
                comment(3, Some("bob"), "2023-03-01T01:00:00Z"),
                comment(3, None, "2023-03-01T02:00:00Z"),
            ],
        );
        let loaded = from_store(&store, "o/r").expect("reads").expect("has data");
        assert_eq!(loaded.skipped, 1);
        let data = loaded.data;
        assert_eq!(data.pulls.len(), 2);
        let first = &data.pulls[0];
        assert_eq!(first.state, PullState::Merged);
        assert_eq!(first.author, Some(Author::Deleted));
        assert_eq!(first.mergeable, Some(Mergeable::Conflicting));
        assert_eq!((first.participants, first.reviews), (Some(3), Some(1)));
        assert_eq!(data.pulls[1].state, PullState::Open);
        assert_eq!(data.pulls[1].author, Some(Author::Login("alice".into())));
        assert_eq!(data.issues.len(), 1);
        let issue = &data.issues[0];
        assert_eq!(issue.state, IssueState::Closed);
        assert_eq!(issue.author, None);
        let comments = issue.comments.as_ref().expect("comments known");
        assert_eq!(comments.len(), 2);
        assert_eq!(comments[1].author, Some(Author::Deleted));
        assert_eq!(from_store(&store, "o/other").expect("reads"), None);
    }

    #[test]
    fn a_close_before_the_creation_is_read_as_unknown() {
        let mut issue = GhItem::new(1, ItemKind::Issue);
        issue.state = Some("closed".into());
        issue.created_at = Some(at("2023-03-01T00:00:00Z"));
        issue.closed_at = Some(at("2022-03-01T00:00:00Z"));
        let mut pr = GhItem::new(2, ItemKind::Pr);
        pr.state = Some("closed".into());
        pr.merged = Some(true);
        pr.created_at = Some(at("2023-03-01T00:00:00Z"));
        pr.merged_at = Some(at("2023-02-01T00:00:00Z"));
        pr.closed_at = Some(at("2023-04-01T00:00:00Z"));
        let store = store_with(Source::Devstats, vec![issue, pr], Vec::new());
        let data = from_store(&store, "o/r")
            .expect("reads")
            .expect("has data")
            .data;
        assert_eq!(data.issues[0].closed_at, None);
        assert_eq!(data.issues[0].state, IssueState::Closed);
        assert_eq!(data.pulls[0].merged_at, None);
        assert_eq!(data.pulls[0].state, PullState::Merged);
        assert_eq!(data.pulls[0].closed_at, Some(at("2023-04-01T00:00:00Z")));
    }

    #[test]
    fn rest_rows_name_ghosts_and_unfetched_comments_are_unknown() {
        let mut issue = GhItem::new(1, ItemKind::Issue);
        issue.state = Some("open".into());
        issue.created_at = Some(at("2023-03-01T00:00:00Z"));
        issue.author = Some("ghost".into());
        issue.comments = Some(4);
        let mut quiet = GhItem::new(2, ItemKind::Issue);
        quiet.state = Some("open".into());
        quiet.created_at = Some(at("2023-03-01T00:00:00Z"));
        quiet.author = Some("carol".into());
        quiet.comments = Some(0);
        let store = store_with(Source::Rest, vec![issue, quiet], Vec::new());
        let data = from_store(&store, "o/r")
            .expect("reads")
            .expect("data")
            .data;
        assert_eq!(data.issues[0].author, Some(Author::Deleted));
        assert_eq!(data.issues[0].comments, None);
        assert_eq!(data.issues[1].comments, Some(Vec::new()));
    }
}
