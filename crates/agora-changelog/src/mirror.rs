//! What the GitHub mirror (agora's store) knows that release notes need, read once.
//!
//! [`Mirror::load`] reads a repository's PRs (title, body, labels, merge time and commit,
//! author), their reviews' authors, the commits synced from the default branch (the GitHub
//! accounts of authors and committers, authors' emails), what `/commits/SHA/pulls` answered,
//! and users' display names. An analysis then reads only this struct: it never queries.

use std::collections::{BTreeMap, HashMap};

use agora_store::github::ItemKind;
use agora_store::github_commits::{GhCommit, GhUser};
use agora_store::{Store, StoreError};
use jiff::Timestamp;

/// The longest PR description read, in bytes (the rest is cut at a character boundary).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A PR as the mirror knows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PullRequest {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: Option<String>,
    /// Its description (at most [`MAX_BODY_BYTES`]).
    pub body: Option<String>,
    /// Its labels (`None`: unknown, as after a devstats import).
    pub labels: Option<Vec<String>>,
    /// Whether it was merged.
    pub merged: Option<bool>,
    /// When it was merged.
    pub merged_at: Option<Timestamp>,
    /// The commit its merge made.
    pub merge_commit_sha: Option<String>,
    /// Its page.
    pub html_url: Option<String>,
    /// Its author's login.
    pub author: Option<String>,
    /// The logins of its reviews' authors, in review order.
    pub reviewers: Vec<String>,
}

/// What the mirror knows about one repository.
#[derive(Debug, Clone, Default)]
pub struct Mirror {
    /// PRs by number.
    pub prs: BTreeMap<u64, PullRequest>,
    /// Numbers of issues (not PRs), which messages may mention.
    pub issues: std::collections::BTreeSet<u64>,
    /// Commits synced from the default branch, by hash.
    pub commits: BTreeMap<String, GhCommit>,
    /// `/commits/SHA/pulls` answers, by hash.
    pub commit_pulls: BTreeMap<String, Vec<u64>>,
    /// Users by lowercased login.
    pub users: HashMap<String, GhUser>,
}

fn bounded(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

impl Mirror {
    /// Reads what the store holds for `repo`.
    pub fn load(store: &Store, repo: &str) -> Result<Mirror, StoreError> {
        let mut mirror = Mirror::default();
        for stored in store.github_items(repo)? {
            let item = stored.item;
            if item.kind == ItemKind::Issue {
                mirror.issues.insert(item.number);
                continue;
            }
            mirror.prs.insert(
                item.number,
                PullRequest {
                    number: item.number,
                    title: item.title,
                    body: item.body.map(|b| bounded(b, MAX_BODY_BYTES)),
                    labels: item.labels,
                    merged: item.merged,
                    merged_at: item.merged_at,
                    merge_commit_sha: item.merge_commit_sha,
                    html_url: item.html_url,
                    author: item.author,
                    reviewers: Vec::new(),
                },
            );
        }
        for review in store.github_reviews(repo)? {
            if let (Some(pr), Some(author)) = (mirror.prs.get_mut(&review.number), review.author) {
                pr.reviewers.push(author);
            }
        }
        mirror.commits = store.github_commits(repo)?;
        mirror.commit_pulls = store.github_commit_pulls(repo)?;
        mirror.users = store
            .github_users()?
            .into_values()
            .map(|u| (u.login.to_lowercase(), u))
            .collect();
        Ok(mirror)
    }

    /// Whether the mirror knows anything of the repository's PRs.
    pub fn is_empty(&self) -> bool {
        self.prs.is_empty()
    }

    /// The user `login` (case-insensitive).
    pub fn user(&self, login: &str) -> Option<&GhUser> {
        self.users.get(&login.to_lowercase())
    }
}
