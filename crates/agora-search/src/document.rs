//! The searchable model: one [`Document`] per issue or pull request, with its comments folded in.
//!
//! The index never reads the store itself; whoever feeds it (the store reader in
//! [`crate::store`] after a sync or import, the benchmark's generator, tests) turns items into
//! documents. Logins, label names and repository names are matched without regard to case, as
//! GitHub does; the document keeps them as written for display.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Whether an item is an issue or a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An issue.
    Issue,
    /// A pull request.
    #[serde(rename = "pr")]
    PullRequest,
}

impl Kind {
    /// The name used in queries (`is:issue`, `is:pr`) and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Issue => "issue",
            Kind::PullRequest => "pr",
        }
    }
}

/// The state of an item. A merged pull request is also closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Open.
    Open,
    /// Closed without being merged (or an issue closed for any reason).
    Closed,
    /// A merged pull request.
    Merged,
}

impl State {
    /// The name used in queries (`is:open`, …) and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Closed => "closed",
            State::Merged => "merged",
        }
    }
}

/// One issue or pull request, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// `owner/name` of the repository, as written.
    pub repo: String,
    /// The issue or pull request number.
    pub number: u64,
    /// Issue or pull request.
    pub kind: Kind,
    /// The title.
    pub title: String,
    /// The body (empty when unknown).
    pub body: String,
    /// Open, closed or merged (`None`: unknown, matched by no `is:` state).
    pub state: Option<State>,
    /// Label names.
    pub labels: Vec<String>,
    /// The login of the author, when known (deleted accounts and some dumps have none).
    pub author: Option<String>,
    /// Logins of everyone who commented, each once.
    pub commenters: Vec<String>,
    /// When it was opened, if known.
    pub created: Option<Timestamp>,
    /// When it last changed, if known.
    pub updated: Option<Timestamp>,
    /// When it was closed or merged, if it is.
    pub closed: Option<Timestamp>,
    /// How many comments it has (may exceed `comments.len()` when texts are missing);
    /// `None` when the source does not say (a devstats PR dump, a timeline cut at 100
    /// entries): unknown, never 0.
    pub comment_count: Option<u64>,
    /// The comments' texts, oldest first.
    pub comments: Vec<String>,
}

impl Document {
    /// The key that identifies the item across updates: lowercase `owner/name#number`.
    pub fn key(&self) -> String {
        item_key(&self.repo, self.number)
    }
}

/// The key of an item: lowercase `owner/name#number`.
pub fn item_key(repo: &str, number: u64) -> String {
    format!("{}#{number}", repo.to_lowercase())
}
