//! The input model: what a health report is computed from.
//!
//! A loader (from the store, or a test fixture) fills a [`Dataset`] with one repository's
//! issues and pull requests. Sources differ in what they carry: a devstats dump has no issue
//! authors and no PR close times, an older query has no comments. Every field a source may
//! lack is therefore an `Option`, where `None` means "not in the data" — never "zero" or
//! "nobody". The metrics look at these options and report a metric as unknown instead of
//! computing it from a hole.

use jiff::Timestamp;
use serde::Serialize;

/// Who opened an issue or PR, or wrote a comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Author {
    /// A GitHub login.
    Login(String),
    /// The account was deleted (GitHub shows it as a ghost).
    Deleted,
}

impl Author {
    /// The login, when the account still exists.
    pub fn login(&self) -> Option<&str> {
        match self {
            Author::Login(login) => Some(login),
            Author::Deleted => None,
        }
    }
}

/// A comment on an issue: who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment's author; `None` when the source does not say.
    pub author: Option<Author>,
    /// When it was written.
    pub created_at: Timestamp,
}

/// Whether an issue is open or closed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueState {
    /// Still open.
    Open,
    /// Closed (completed or not).
    Closed,
}

/// One issue, as far as the source knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The issue number.
    pub number: u64,
    /// When it was opened.
    pub created_at: Timestamp,
    /// Open or closed now.
    pub state: IssueState,
    /// When it was closed; `None` while open, or when the source does not say.
    pub closed_at: Option<Timestamp>,
    /// Who opened it; `None` when the source does not say (devstats dumps).
    pub author: Option<Author>,
    /// Its comments in time order; `None` when the source has no comments at all.
    pub comments: Option<Vec<Comment>>,
}

/// Whether a PR is open, closed without merging, or merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullState {
    /// Still open.
    Open,
    /// Closed without being merged.
    Closed,
    /// Merged.
    Merged,
}

/// GitHub's answer to "can this PR be merged without conflicts?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mergeable {
    /// Merges cleanly.
    Mergeable,
    /// Has conflicts with its base branch.
    Conflicting,
    /// GitHub had not computed it when the data was fetched.
    Unknown,
}

/// One pull request, as far as the source knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pull {
    /// The PR number.
    pub number: u64,
    /// When it was opened.
    pub created_at: Timestamp,
    /// Open, closed or merged now.
    pub state: PullState,
    /// Who opened it; `None` when the source does not say.
    pub author: Option<Author>,
    /// When it was merged; `None` when not merged or not in the data.
    pub merged_at: Option<Timestamp>,
    /// When it was closed; `None` when open or not in the data.
    pub closed_at: Option<Timestamp>,
    /// The branch it targets (`main`, `maintenance/1.7.x`, …).
    pub base_branch: Option<String>,
    /// Whether it merges cleanly (meaningful for open PRs).
    pub mergeable: Option<Mergeable>,
    /// How many people took part (author, commenters, reviewers).
    pub participants: Option<u32>,
    /// How many approving reviews it got (devstats asks GitHub for APPROVED reviews only).
    pub reviews: Option<u32>,
}

/// Everything a report about one repository is computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// `owner/name`.
    pub repo: String,
    /// The repository's issues (not PRs).
    pub issues: Vec<Issue>,
    /// The repository's pull requests.
    pub pulls: Vec<Pull>,
}

impl Dataset {
    /// The newest moment the data knows about: the latest creation, close, merge or comment.
    /// Reports without `--until` measure ages ("open for how long") up to this moment, so the
    /// same data always gives the same report.
    pub fn newest_timestamp(&self) -> Option<Timestamp> {
        let issue_times = self.issues.iter().flat_map(|issue| {
            let comments = issue.comments.iter().flatten().map(|c| c.created_at);
            std::iter::once(issue.created_at)
                .chain(issue.closed_at)
                .chain(comments)
        });
        let pull_times = self.pulls.iter().flat_map(|pull| {
            std::iter::once(pull.created_at)
                .chain(pull.merged_at)
                .chain(pull.closed_at)
        });
        issue_times.chain(pull_times).max()
    }
}
