//! Reads one repository's issues and PRs from the store into the input model.
//!
//! The store keeps every field a source did not carry as NULL; this loader keeps it unknown.
//! Two rows need a reading of where they came from: a devstats dump asks GitHub for PR and
//! comment authors, so a NULL author there is a deleted account (GitHub's `ghost`), while it
//! never asks for issue authors, so those stay unknown; the REST API names deleted accounts
//! `ghost`. An issue whose stored comment count is positive but that has no stored comments
//! has its comments unknown (they were not fetched). Items without a creation time cannot be
//! placed in time and are left out; [`Loaded::skipped`] counts them.

use std::collections::HashMap;

use agora_store::github::{CommentKind, ItemKind, Source, StoredItem};
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
fn pull(stored: &StoredItem) -> Option<Pull> {
    let item = &stored.item;
    let merged = item.merged == Some(true) || item.merged_at.is_some();
    let state = if merged {
        PullState::Merged
    } else {
        match item.is_open() {
            Some(true) => PullState::Open,
            _ => PullState::Closed,
        }
    };
    Some(Pull {
        number: item.number,
        created_at: item.created_at?,
        state,
        author: author(item.author.as_deref(), stored.source, true),
        merged_at: item.merged_at,
        closed_at: item.closed_at,
        base_branch: item.base_ref.clone(),
        mergeable: item.mergeable.as_deref().map(mergeable),
        participants: item.participants.and_then(|n| u32::try_from(n).ok()),
        reviews: item.approved_reviews.and_then(|n| u32::try_from(n).ok()),
    })
}

/// Reads `repo`; `None` when the store has no item of it.
pub fn from_store(store: &Store, repo: &str) -> Result<Option<Loaded>, StoreError> {
    let items = store.github_items(repo)?;
    if items.is_empty() {
        return Ok(None);
    }
    let mut comments: HashMap<u64, Vec<Comment>> = HashMap::new();
    for stored in store.github_comments(repo)? {
        let comment = stored.comment;
        if comment.kind != CommentKind::Issue {
            continue;
        }
        comments.entry(comment.number).or_default().push(Comment {
            author: author(comment.author.as_deref(), stored.source, true),
            created_at: comment.created_at,
        });
    }
    let mut data = Dataset {
        repo: items
            .first()
            .map_or_else(|| repo.to_string(), |i| i.repo.clone()),
        ..Dataset::default()
    };
    let mut skipped = 0;
    for stored in &items {
        let item = &stored.item;
        match item.kind {
            ItemKind::Pr => match pull(stored) {
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
                    closed_at: item.closed_at,
                    author: author(item.author.as_deref(), stored.source, false),
                    comments: (!unfetched).then_some(stored_comments),
                });
            }
        }
    }
    Ok(Some(Loaded { data, skipped }))
}
