//! The GitHub mirror: issues and pull requests, their comments and reviews, and each
//! repository's labels, milestones, releases and sync cursors.
//!
//! Tables (migration 3), all keyed by the local `gh_repo.id`:
//! - `gh_repo`: one row per mirrored `owner/name` (case-insensitive).
//! - `gh_item`: issues and PRs in one table, `kind` = `issue` | `pr`, keyed by
//!   `(repo_id, number)`. Issue columns (title, body, state `open`/`closed`, state_reason,
//!   locked, author, author_association, labels and assignees as JSON arrays, milestone,
//!   created/updated/closed_at, closed_by, comments count, reactions as a JSON object) and PR
//!   columns (draft, base_ref, head_ref, merged, merged_at, merged_by, mergeable, requested
//!   reviewers, additions, deletions, changed_files, commits, review_comments, approved_reviews,
//!   participants). **NULL means unknown**: a devstats dump lacks bodies, issue authors, PR
//!   labels, …, and those stay NULL; an empty list is `[]`, not NULL.
//! - `gh_comment`: issue comments (`kind` = `issue`) and review comments (`review`) with
//!   `number` of their issue/PR, author, created_at and body. Comments imported from a dump
//!   have no `github_id` and a NULL body; a later REST sync replaces them.
//! - `gh_review`: PR reviews (author, state, submitted_at, body).
//! - `gh_label`, `gh_milestone`, `gh_release`: the repository's catalog.
//! - `gh_sync_cursor`: per repo and endpoint, the newest `updated_at` stored (`since`) and the
//!   ETag of the last conditional request, so a sync resumes and revalidates.
//!
//! Every write goes through [`Store::save_github_page`]: one transaction per page, which also
//! bumps a store-wide change counter and stamps each written item, comment and review with it
//! (`change_seq`). A reader that remembers [`Store::github_change_seq`] can ask what changed
//! since ([`Store::github_items_changed_since`], [`Store::github_comments_changed_since`]).
//! Rows from the REST API (`source` = `rest`) are complete and win: an import never overwrites
//! them; an import over an earlier import keeps what the new dump does not know.

use std::collections::BTreeMap;

use crate::db::Value;
use crate::db::{OptionalExtension, Row, Tx, params, params_from_iter};
use jiff::Timestamp;

use crate::{Store, StoreError};

/// Whether an item is an issue or a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// An issue.
    Issue,
    /// A pull request.
    Pr,
}

impl ItemKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Issue => "issue",
            ItemKind::Pr => "pr",
        }
    }

    pub(crate) fn parse(text: &str) -> ItemKind {
        if text == "pr" {
            ItemKind::Pr
        } else {
            ItemKind::Issue
        }
    }
}

/// Whether a comment was made on the conversation or on a PR's diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentKind {
    /// A comment in the issue/PR conversation.
    Issue,
    /// A review comment on a PR's diff.
    Review,
}

impl CommentKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentKind::Issue => "issue",
            CommentKind::Review => "review",
        }
    }

    fn parse(text: &str) -> CommentKind {
        if text == "review" {
            CommentKind::Review
        } else {
            CommentKind::Issue
        }
    }
}

/// Where a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The GitHub REST API: complete rows.
    Rest,
    /// A devstats GraphQL dump: partial rows, missing fields NULL.
    Devstats,
}

impl Source {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rest => "rest",
            Source::Devstats => "devstats",
        }
    }

    pub(crate) fn parse(text: &str) -> Source {
        if text == "devstats" {
            Source::Devstats
        } else {
            Source::Rest
        }
    }
}

/// Reaction counts by content (`+1`, `-1`, `laugh`, `hooray`, `confused`, `heart`, `rocket`,
/// `eyes`).
pub type Reactions = BTreeMap<String, i64>;

/// One issue or pull request; `None` is unknown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhItem {
    /// Its number in the repository.
    pub number: u64,
    /// Issue or PR.
    pub kind: ItemKind,
    /// GitHub's database id.
    pub github_id: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// Body text (Markdown).
    pub body: Option<String>,
    /// `open` or `closed` (a merged PR is `closed` with `merged` true).
    pub state: Option<String>,
    /// `completed`, `not_planned`, `reopened`, … as GitHub gives it.
    pub state_reason: Option<String>,
    /// Whether the conversation is locked.
    pub locked: Option<bool>,
    /// Why it was locked.
    pub active_lock_reason: Option<String>,
    /// The author's login.
    pub author: Option<String>,
    /// The author's association (`OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `NONE`, …).
    pub author_association: Option<String>,
    /// Label names.
    pub labels: Option<Vec<String>>,
    /// Milestone title.
    pub milestone: Option<String>,
    /// Milestone number.
    pub milestone_number: Option<i64>,
    /// Assignees' logins.
    pub assignees: Option<Vec<String>>,
    /// When it was opened.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// When it was last closed.
    pub closed_at: Option<Timestamp>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// Number of conversation comments.
    pub comments: Option<i64>,
    /// Reactions to the body.
    pub reactions: Option<Reactions>,
    /// Its page on GitHub.
    pub html_url: Option<String>,
    /// PR: whether it is a draft.
    pub draft: Option<bool>,
    /// PR: the branch it targets.
    pub base_ref: Option<String>,
    /// PR: the branch it comes from.
    pub head_ref: Option<String>,
    /// PR: whether it was merged.
    pub merged: Option<bool>,
    /// PR: when it was merged.
    pub merged_at: Option<Timestamp>,
    /// PR: who merged it.
    pub merged_by: Option<String>,
    /// PR: `MERGEABLE`, `CONFLICTING` or `UNKNOWN`.
    pub mergeable: Option<String>,
    /// PR: requested reviewers' logins (teams as `team:slug`).
    pub requested_reviewers: Option<Vec<String>>,
    /// PR: lines added.
    pub additions: Option<i64>,
    /// PR: lines deleted.
    pub deletions: Option<i64>,
    /// PR: files changed.
    pub changed_files: Option<i64>,
    /// PR: commits.
    pub commits: Option<i64>,
    /// PR: review comments on the diff.
    pub review_comments: Option<i64>,
    /// PR: reviews in state `APPROVED`.
    pub approved_reviews: Option<i64>,
    /// PR: people who took part (author, commenters, reviewers).
    pub participants: Option<i64>,
    /// PR: the commit its merge made on the base branch (the merge, squash or rebase result).
    pub merge_commit_sha: Option<String>,
}

impl GhItem {
    /// An item of which only the number and kind are known.
    pub fn new(number: u64, kind: ItemKind) -> GhItem {
        GhItem {
            number,
            kind,
            github_id: None,
            title: None,
            body: None,
            state: None,
            state_reason: None,
            locked: None,
            active_lock_reason: None,
            author: None,
            author_association: None,
            labels: None,
            milestone: None,
            milestone_number: None,
            assignees: None,
            created_at: None,
            updated_at: None,
            closed_at: None,
            closed_by: None,
            comments: None,
            reactions: None,
            html_url: None,
            draft: None,
            base_ref: None,
            head_ref: None,
            merged: None,
            merged_at: None,
            merged_by: None,
            mergeable: None,
            requested_reviewers: None,
            additions: None,
            deletions: None,
            changed_files: None,
            commits: None,
            review_comments: None,
            approved_reviews: None,
            participants: None,
            merge_commit_sha: None,
        }
    }

    /// Whether it is open (`None` when the state is unknown).
    pub fn is_open(&self) -> Option<bool> {
        open_state(self.state.as_deref())
    }
}

/// Whether a stored `state` is open (`None` when the state is unknown).
pub(crate) fn open_state(state: Option<&str>) -> Option<bool> {
    state.map(|s| s == "open")
}

/// One comment on an issue or PR.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhComment {
    /// Conversation or diff comment.
    pub kind: CommentKind,
    /// GitHub's id; `None` for comments imported from a dump.
    pub github_id: Option<i64>,
    /// The issue or PR it belongs to.
    pub number: u64,
    /// The author's login.
    pub author: Option<String>,
    /// The author's association with the repository.
    pub author_association: Option<String>,
    /// Its text; `None` when unknown (dumps).
    pub body: Option<String>,
    /// When it was written.
    pub created_at: Timestamp,
    /// When it was last edited.
    pub updated_at: Option<Timestamp>,
    /// Review comments: the review they belong to.
    pub review_id: Option<i64>,
    /// Review comments: the file.
    pub path: Option<String>,
    /// Review comments: the comment answered.
    pub in_reply_to: Option<i64>,
    /// Reactions to it.
    pub reactions: Option<Reactions>,
    /// Its page on GitHub.
    pub html_url: Option<String>,
}

/// One PR review.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhReview {
    /// GitHub's id.
    pub github_id: i64,
    /// The PR.
    pub number: u64,
    /// The reviewer's login.
    pub author: Option<String>,
    /// The reviewer's association with the repository.
    pub author_association: Option<String>,
    /// `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING`.
    pub state: Option<String>,
    /// Its text.
    pub body: Option<String>,
    /// When it was submitted.
    pub submitted_at: Option<Timestamp>,
    /// The commit reviewed.
    pub commit_id: Option<String>,
}

/// One label of a repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhLabel {
    /// Its name.
    pub name: String,
    /// Hex colour without `#`.
    pub color: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// One milestone of a repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhMilestone {
    /// Its number.
    pub number: i64,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// `open` or `closed`.
    pub state: Option<String>,
    /// Open issues in it.
    pub open_issues: Option<i64>,
    /// Closed issues in it.
    pub closed_issues: Option<i64>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// Its due date.
    pub due_on: Option<Timestamp>,
}

/// One release of a repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhRelease {
    /// GitHub's id.
    pub github_id: i64,
    /// The tag.
    pub tag_name: String,
    /// Its title.
    pub name: Option<String>,
    /// Its notes.
    pub body: Option<String>,
    /// Whether it is a draft.
    pub draft: Option<bool>,
    /// Whether it is a pre-release.
    pub prerelease: Option<bool>,
    /// Who made it.
    pub author: Option<String>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it was published.
    pub published_at: Option<Timestamp>,
}

/// Where the sync of one endpoint of a repository stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncCursor {
    /// The endpoint (`issues`, `issue_comments`, `review_comments`, `labels`, …).
    pub endpoint: String,
    /// The newest `updated_at` stored from it: the next sync asks `since` this.
    pub since: Option<Timestamp>,
    /// The ETag of the last response to `etag_url`.
    pub etag: Option<String>,
    /// The URL `etag` belongs to.
    pub etag_url: Option<String>,
    /// When it was last checked.
    pub checked_at: Timestamp,
}

/// Everything one page of a sync (or one chunk of an import) writes, in one transaction.
#[derive(Debug, Clone)]
pub struct GithubPage {
    /// Where the rows come from.
    pub source: Source,
    /// Issues and PRs.
    pub items: Vec<GhItem>,
    /// Comments. From a dump, they replace the dump comments of the page's items.
    pub comments: Vec<GhComment>,
    /// Reviews.
    pub reviews: Vec<GhReview>,
    /// Labels.
    pub labels: Vec<GhLabel>,
    /// Milestones.
    pub milestones: Vec<GhMilestone>,
    /// Releases.
    pub releases: Vec<GhRelease>,
    /// Cursors to record with the page.
    pub cursors: Vec<SyncCursor>,
    /// Commits of the default branch (migration 9).
    pub commits: Vec<crate::github_commits::GhCommit>,
    /// What `/commits/SHA/pulls` answered, per commit.
    pub commit_pulls: Vec<crate::github_commits::CommitPulls>,
    /// Users as `/users/LOGIN` shows them.
    pub users: Vec<crate::github_commits::GhUser>,
    /// The time of the write.
    pub synced_at: Timestamp,
}

impl GithubPage {
    /// An empty page from `source`, written at `synced_at`.
    pub fn new(source: Source, synced_at: Timestamp) -> GithubPage {
        GithubPage {
            source,
            items: Vec::new(),
            comments: Vec::new(),
            reviews: Vec::new(),
            labels: Vec::new(),
            milestones: Vec::new(),
            releases: Vec::new(),
            cursors: Vec::new(),
            commits: Vec::new(),
            commit_pulls: Vec::new(),
            users: Vec::new(),
            synced_at,
        }
    }
}

/// What a page write changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageCounts {
    /// Items not stored before.
    pub items_added: usize,
    /// Items stored before and written again.
    pub items_updated: usize,
    /// Items left alone (an import never overwrites a REST row).
    pub items_skipped: usize,
    /// Items of an import that would not change (every field and comment already stored as
    /// the dump says): not written again.
    pub items_unchanged: usize,
    /// Comments written.
    pub comments: usize,
    /// Reviews written.
    pub reviews: usize,
}

/// A stored item with its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredItem {
    /// `owner/name`.
    pub repo: String,
    /// The item.
    #[serde(flatten)]
    pub item: GhItem,
    /// Where it came from.
    pub source: Source,
    /// The change counter of its last write.
    pub change_seq: i64,
    /// When it was last written.
    pub synced_at: Timestamp,
}

/// A stored comment with its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredComment {
    /// `owner/name`.
    pub repo: String,
    /// agora's id of the comment (stable while the row lives).
    pub id: i64,
    /// The comment.
    #[serde(flatten)]
    pub comment: GhComment,
    /// Where it came from.
    pub source: Source,
    /// The change counter of its last write.
    pub change_seq: i64,
}

/// An issue or PR with its comments and reviews, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Thread {
    /// The item.
    pub item: StoredItem,
    /// Its conversation and diff comments, by creation time.
    pub comments: Vec<StoredComment>,
    /// Its reviews, by submission time.
    pub reviews: Vec<GhReview>,
}

/// How much of a repository is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RepoCounts {
    /// Issues.
    pub issues: u64,
    /// Pull requests.
    pub prs: u64,
    /// Comments of both kinds.
    pub comments: u64,
    /// Reviews.
    pub reviews: u64,
    /// Releases.
    pub releases: u64,
}

const ITEM_COLUMNS: &[&str] = &[
    "number",
    "kind",
    "github_id",
    "title",
    "body",
    "state",
    "state_reason",
    "locked",
    "active_lock_reason",
    "author",
    "author_association",
    "labels",
    "milestone",
    "milestone_number",
    "assignees",
    "created_at",
    "updated_at",
    "closed_at",
    "closed_by",
    "comments",
    "reactions",
    "html_url",
    "draft",
    "base_ref",
    "head_ref",
    "merged",
    "merged_at",
    "merged_by",
    "mergeable",
    "requested_reviewers",
    "additions",
    "deletions",
    "changed_files",
    "commits",
    "review_comments",
    "approved_reviews",
    "participants",
    "merge_commit_sha",
];

fn text(v: &Option<String>) -> Value {
    v.clone().map_or(Value::Null, Value::Text)
}

fn time(v: &Option<Timestamp>) -> Value {
    v.map_or(Value::Null, |t| Value::Text(t.to_string()))
}

fn int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Integer)
}

fn flag(v: Option<bool>) -> Value {
    v.map_or(Value::Null, |b| Value::Integer(i64::from(b)))
}

fn json<T: serde::Serialize>(v: &Option<T>) -> Value {
    v.as_ref()
        .and_then(|v| serde_json::to_string(v).ok())
        .map_or(Value::Null, Value::Text)
}

fn item_values(item: &GhItem) -> Vec<Value> {
    vec![
        Value::Integer(item.number as i64),
        Value::Text(item.kind.as_str().into()),
        int(item.github_id),
        text(&item.title),
        text(&item.body),
        text(&item.state),
        text(&item.state_reason),
        flag(item.locked),
        text(&item.active_lock_reason),
        text(&item.author),
        text(&item.author_association),
        json(&item.labels),
        text(&item.milestone),
        int(item.milestone_number),
        json(&item.assignees),
        time(&item.created_at),
        time(&item.updated_at),
        time(&item.closed_at),
        text(&item.closed_by),
        int(item.comments),
        json(&item.reactions),
        text(&item.html_url),
        flag(item.draft),
        text(&item.base_ref),
        text(&item.head_ref),
        flag(item.merged),
        time(&item.merged_at),
        text(&item.merged_by),
        text(&item.mergeable),
        json(&item.requested_reviewers),
        int(item.additions),
        int(item.deletions),
        int(item.changed_files),
        int(item.commits),
        int(item.review_comments),
        int(item.approved_reviews),
        int(item.participants),
        text(&item.merge_commit_sha),
    ]
}

pub(crate) fn read_time(
    column: &'static str,
    text: Option<String>,
) -> Result<Option<Timestamp>, StoreError> {
    text.map(|t| {
        t.parse::<Timestamp>().map_err(|e| StoreError::Corrupt {
            column,
            message: e.to_string(),
        })
    })
    .transpose()
}

fn read_json<T: serde::de::DeserializeOwned>(
    column: &'static str,
    text: Option<String>,
) -> Result<Option<T>, StoreError> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
            column,
            message: e.to_string(),
        })
    })
    .transpose()
}

/// The raw values of one item row, read inside the row callback and checked after.
struct RawItem {
    repo: String,
    values: Vec<Value>,
    source: String,
    change_seq: i64,
    synced_at: String,
}

const ITEM_SELECT_PREFIX: &str = "SELECT r.full_name, i.source, i.change_seq, i.synced_at";

fn item_select(filter: &str) -> String {
    let columns: Vec<String> = ITEM_COLUMNS.iter().map(|c| format!("i.{c}")).collect();
    format!(
        "{ITEM_SELECT_PREFIX}, {} FROM gh_item i JOIN gh_repo r ON r.id = i.repo_id {filter}",
        columns.join(", ")
    )
}

fn raw_item(row: &Row<'_>) -> crate::db::Result<RawItem> {
    let mut values = Vec::with_capacity(ITEM_COLUMNS.len());
    for i in 0..ITEM_COLUMNS.len() {
        values.push(row.get::<_, Value>(4 + i)?);
    }
    Ok(RawItem {
        repo: row.get(0)?,
        source: row.get(1)?,
        change_seq: row.get(2)?,
        synced_at: row.get(3)?,
        values,
    })
}

/// Reads positional values back into typed fields, reporting the column of a bad value.
struct Cells {
    values: std::vec::IntoIter<Value>,
    index: usize,
}

impl Cells {
    fn next(&mut self) -> (Value, &'static str) {
        let column = ITEM_COLUMNS.get(self.index).copied().unwrap_or("?");
        self.index += 1;
        (self.values.next().unwrap_or(Value::Null), column)
    }

    fn text(&mut self) -> Option<String> {
        match self.next().0 {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    fn int(&mut self) -> Option<i64> {
        match self.next().0 {
            Value::Integer(i) => Some(i),
            _ => None,
        }
    }

    fn flag(&mut self) -> Option<bool> {
        self.int().map(|i| i != 0)
    }

    fn time(&mut self) -> Result<Option<Timestamp>, StoreError> {
        let (value, column) = self.next();
        match value {
            Value::Text(t) => read_time(column, Some(t)),
            _ => Ok(None),
        }
    }

    fn json<T: serde::de::DeserializeOwned>(&mut self) -> Result<Option<T>, StoreError> {
        let (value, column) = self.next();
        match value {
            Value::Text(t) => read_json(column, Some(t)),
            _ => Ok(None),
        }
    }
}

fn item_from_raw(raw: RawItem) -> Result<StoredItem, StoreError> {
    let mut c = Cells {
        values: raw.values.into_iter(),
        index: 0,
    };
    let number = c.int().unwrap_or(0).max(0) as u64;
    let kind = ItemKind::parse(c.text().as_deref().unwrap_or("issue"));
    let item = GhItem {
        number,
        kind,
        github_id: c.int(),
        title: c.text(),
        body: c.text(),
        state: c.text(),
        state_reason: c.text(),
        locked: c.flag(),
        active_lock_reason: c.text(),
        author: c.text(),
        author_association: c.text(),
        labels: c.json()?,
        milestone: c.text(),
        milestone_number: c.int(),
        assignees: c.json()?,
        created_at: c.time()?,
        updated_at: c.time()?,
        closed_at: c.time()?,
        closed_by: c.text(),
        comments: c.int(),
        reactions: c.json()?,
        html_url: c.text(),
        draft: c.flag(),
        base_ref: c.text(),
        head_ref: c.text(),
        merged: c.flag(),
        merged_at: c.time()?,
        merged_by: c.text(),
        mergeable: c.text(),
        requested_reviewers: c.json()?,
        additions: c.int(),
        deletions: c.int(),
        changed_files: c.int(),
        commits: c.int(),
        review_comments: c.int(),
        approved_reviews: c.int(),
        participants: c.int(),
        merge_commit_sha: c.text(),
    };
    Ok(StoredItem {
        repo: raw.repo,
        item,
        source: Source::parse(&raw.source),
        change_seq: raw.change_seq,
        synced_at: read_time("gh_item.synced_at", Some(raw.synced_at))?
            .unwrap_or(Timestamp::UNIX_EPOCH),
    })
}

const COMMENT_SELECT: &str = "SELECT r.full_name, c.id, c.kind, c.github_id, c.number, c.author,
        c.author_association, c.body, c.created_at, c.updated_at, c.review_id, c.path,
        c.in_reply_to, c.reactions, c.html_url, c.source, c.change_seq
    FROM gh_comment c JOIN gh_repo r ON r.id = c.repo_id";

type RawComment = (
    String,
    i64,
    String,
    Option<i64>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

fn raw_comment(row: &Row<'_>) -> crate::db::Result<RawComment> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
        row.get(11)?,
        row.get(12)?,
        row.get(13)?,
        row.get(14)?,
        row.get(15)?,
        row.get(16)?,
    ))
}

fn comment_from_raw(raw: RawComment) -> Result<StoredComment, StoreError> {
    let (
        repo,
        id,
        kind,
        github_id,
        number,
        author,
        author_association,
        body,
        created_at,
        updated_at,
        review_id,
        path,
        in_reply_to,
        reactions,
        html_url,
        source,
        change_seq,
    ) = raw;
    Ok(StoredComment {
        repo,
        id,
        comment: GhComment {
            kind: CommentKind::parse(&kind),
            github_id,
            number: number.max(0) as u64,
            author,
            author_association,
            body,
            created_at: read_time("gh_comment.created_at", Some(created_at))?
                .unwrap_or(Timestamp::UNIX_EPOCH),
            updated_at: read_time("gh_comment.updated_at", updated_at)?,
            review_id,
            path,
            in_reply_to,
            reactions: read_json("gh_comment.reactions", reactions)?,
            html_url,
        },
        source: Source::parse(&source),
        change_seq,
    })
}

type RawReview = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn review_from_raw(raw: RawReview) -> Result<GhReview, StoreError> {
    let (github_id, number, author, author_association, state, body, submitted_at, commit_id) = raw;
    Ok(GhReview {
        github_id,
        number: number.max(0) as u64,
        author,
        author_association,
        state,
        body,
        submitted_at: read_time("gh_review.submitted_at", submitted_at)?,
        commit_id,
    })
}

fn repo_id(tx: &Tx<'_>, repo: &str, now: &str) -> crate::db::Result<i64> {
    tx.execute(
        "INSERT INTO gh_repo (full_name, created_at) VALUES (?1, ?2)
         ON CONFLICT(full_name) DO NOTHING",
        params![repo, now],
    )?;
    tx.query_row(
        "SELECT id FROM gh_repo WHERE full_name = ?1",
        params![repo],
        |r| r.get(0),
    )
}

impl Store {
    /// Writes one page of `repo` (items, comments, reviews, catalog, cursors) in one
    /// transaction, stamped with a new change counter.
    pub fn save_github_page(
        &mut self,
        repo: &str,
        page: &GithubPage,
    ) -> Result<PageCounts, StoreError> {
        let now = page.synced_at.to_string();
        let tx = self.conn.transaction()?;
        let repo_id = repo_id(&tx, repo, &now)?;
        let seq: i64 = tx.query_row(
            "UPDATE gh_change SET seq = seq + 1 WHERE id = 1 RETURNING seq",
            [],
            |r| r.get(0),
        )?;
        let mut counts = PageCounts::default();
        let merge = page.source == Source::Devstats;
        {
            let names = ITEM_COLUMNS.join(", ");
            let holes: Vec<String> = (1..=ITEM_COLUMNS.len() + 4)
                .map(|i| format!("?{i}"))
                .collect();
            let updates: Vec<String> = ITEM_COLUMNS
                .iter()
                .filter(|c| **c != "number")
                .map(|c| {
                    if merge {
                        format!("{c} = COALESCE(excluded.{c}, gh_item.{c})")
                    } else {
                        format!("{c} = excluded.{c}")
                    }
                })
                .collect();
            let sql = format!(
                "INSERT INTO gh_item ({names}, repo_id, source, change_seq, synced_at)
                 VALUES ({})
                 ON CONFLICT(repo_id, number) DO UPDATE SET {}, source = excluded.source,
                     change_seq = excluded.change_seq, synced_at = excluded.synced_at",
                holes.join(", "),
                updates.join(", ")
            );
            let mut upsert = tx.prepare(&sql)?;
            let mut existing =
                tx.prepare("SELECT source FROM gh_item WHERE repo_id = ?1 AND number = ?2")?;
            let mut clear_dump_comments = tx.prepare(
                "DELETE FROM gh_comment WHERE repo_id = ?1 AND number = ?2 AND source = 'devstats'",
            )?;
            let mut skipped = std::collections::HashSet::new();
            // For an import: each item's comments in the page, to compare with the stored ones.
            let mut page_comments: BTreeMap<u64, Vec<(String, Option<String>, String)>> =
                BTreeMap::new();
            if merge {
                for c in &page.comments {
                    page_comments.entry(c.number).or_default().push((
                        c.kind.as_str().to_string(),
                        c.author.clone(),
                        c.created_at.to_string(),
                    ));
                }
            }
            let columns = ITEM_COLUMNS.join(", ");
            let mut stored_row = tx.prepare(&format!(
                "SELECT {columns} FROM gh_item WHERE repo_id = ?1 AND number = ?2"
            ))?;
            let mut stored_dump_comments = tx.prepare(
                "SELECT kind, author, created_at FROM gh_comment
                 WHERE repo_id = ?1 AND number = ?2 AND source = 'devstats'",
            )?;
            let mut rest_comment = tx.prepare(
                "SELECT 1 FROM gh_comment WHERE repo_id = ?1 AND number = ?2 AND kind = ?3
                     AND source = 'rest' AND author IS NOT DISTINCT FROM ?4 AND created_at = ?5",
            )?;
            for item in &page.items {
                let before: Option<String> = existing
                    .query_row(params![repo_id, item.number as i64], |r| r.get(0))
                    .optional()?;
                if merge && before.as_deref() == Some("rest") {
                    counts.items_skipped += 1;
                    skipped.insert(item.number);
                    continue;
                }
                if merge && before.is_some() {
                    // Unchanged when merging the dump into the stored row changes no column
                    // and the dump's comments (those without a REST twin) are those stored.
                    let old: Vec<Value> =
                        stored_row.query_row(params![repo_id, item.number as i64], |row| {
                            (0..ITEM_COLUMNS.len())
                                .map(|i| row.get::<_, Value>(i))
                                .collect()
                        })?;
                    let merged: Vec<Value> = item_values(item)
                        .into_iter()
                        .zip(old.iter())
                        .map(|(new, old)| match new {
                            Value::Null => old.clone(),
                            new => new,
                        })
                        .collect();
                    let mut wanted = Vec::new();
                    for (kind, author, created) in
                        page_comments.get(&item.number).into_iter().flatten()
                    {
                        let twin = rest_comment.exists(params![
                            repo_id,
                            item.number as i64,
                            kind,
                            author,
                            created
                        ])?;
                        if !twin {
                            wanted.push((kind.clone(), author.clone(), created.clone()));
                        }
                    }
                    let mut stored: Vec<(String, Option<String>, String)> = stored_dump_comments
                        .query_map(params![repo_id, item.number as i64], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                        })?
                        .collect::<crate::db::Result<_>>()?;
                    wanted.sort();
                    stored.sort();
                    if merged == old && wanted == stored {
                        counts.items_unchanged += 1;
                        skipped.insert(item.number);
                        continue;
                    }
                }
                let mut values = item_values(item);
                values.push(Value::Integer(repo_id));
                values.push(Value::Text(page.source.as_str().into()));
                values.push(Value::Integer(seq));
                values.push(Value::Text(now.clone()));
                upsert.execute(params_from_iter(values))?;
                if merge {
                    clear_dump_comments.execute(params![repo_id, item.number as i64])?;
                }
                if before.is_some() {
                    counts.items_updated += 1;
                } else {
                    counts.items_added += 1;
                }
            }
            let mut upsert_comment = tx.prepare(
                "INSERT INTO gh_comment (repo_id, number, kind, github_id, author,
                     author_association, body, created_at, updated_at, review_id, path,
                     in_reply_to, reactions, html_url, source, change_seq, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                 ON CONFLICT(kind, github_id) DO UPDATE SET repo_id = excluded.repo_id,
                     number = excluded.number, author = excluded.author,
                     author_association = excluded.author_association, body = excluded.body,
                     created_at = excluded.created_at, updated_at = excluded.updated_at,
                     review_id = excluded.review_id, path = excluded.path,
                     in_reply_to = excluded.in_reply_to, reactions = excluded.reactions,
                     html_url = excluded.html_url, source = excluded.source,
                     change_seq = excluded.change_seq, synced_at = excluded.synced_at",
            )?;
            let mut drop_dump_twin = tx.prepare(
                "DELETE FROM gh_comment WHERE repo_id = ?1 AND number = ?2 AND kind = ?3
                     AND source = 'devstats' AND author IS NOT DISTINCT FROM ?4 AND created_at = ?5",
            )?;
            let mut rest_twin = tx.prepare(
                "SELECT 1 FROM gh_comment WHERE repo_id = ?1 AND number = ?2 AND kind = ?3
                     AND source = 'rest' AND author IS NOT DISTINCT FROM ?4 AND created_at = ?5",
            )?;
            for comment in &page.comments {
                if skipped.contains(&comment.number) {
                    continue;
                }
                let key = params![
                    repo_id,
                    comment.number as i64,
                    comment.kind.as_str(),
                    comment.author,
                    comment.created_at.to_string()
                ];
                if merge {
                    if rest_twin.exists(key)? {
                        continue;
                    }
                } else {
                    drop_dump_twin.execute(key)?;
                }
                upsert_comment.execute(params![
                    repo_id,
                    comment.number as i64,
                    comment.kind.as_str(),
                    comment.github_id,
                    comment.author,
                    comment.author_association,
                    comment.body,
                    comment.created_at.to_string(),
                    comment.updated_at.map(|t| t.to_string()),
                    comment.review_id,
                    comment.path,
                    comment.in_reply_to,
                    json(&comment.reactions),
                    comment.html_url,
                    page.source.as_str(),
                    seq,
                    now,
                ])?;
                counts.comments += 1;
            }
            let mut upsert_review = tx.prepare(
                "INSERT INTO gh_review (repo_id, github_id, number, author, author_association,
                     state, body, submitted_at, commit_id, change_seq, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(repo_id, github_id) DO UPDATE SET number = excluded.number,
                     author = excluded.author, author_association = excluded.author_association,
                     state = excluded.state, body = excluded.body,
                     submitted_at = excluded.submitted_at, commit_id = excluded.commit_id,
                     change_seq = excluded.change_seq, synced_at = excluded.synced_at",
            )?;
            for review in &page.reviews {
                upsert_review.execute(params![
                    repo_id,
                    review.github_id,
                    review.number as i64,
                    review.author,
                    review.author_association,
                    review.state,
                    review.body,
                    review.submitted_at.map(|t| t.to_string()),
                    review.commit_id,
                    seq,
                    now,
                ])?;
                counts.reviews += 1;
            }
            let mut upsert_label = tx.prepare(
                "INSERT INTO gh_label (repo_id, name, color, description, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(repo_id, name) DO UPDATE SET color = excluded.color,
                     description = excluded.description, synced_at = excluded.synced_at",
            )?;
            for label in &page.labels {
                upsert_label.execute(params![
                    repo_id,
                    label.name,
                    label.color,
                    label.description,
                    now
                ])?;
            }
            let mut upsert_milestone = tx.prepare(
                "INSERT INTO gh_milestone (repo_id, number, title, description, state,
                     open_issues, closed_issues, created_at, updated_at, closed_at, due_on,
                     synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT(repo_id, number) DO UPDATE SET title = excluded.title,
                     description = excluded.description, state = excluded.state,
                     open_issues = excluded.open_issues, closed_issues = excluded.closed_issues,
                     created_at = excluded.created_at, updated_at = excluded.updated_at,
                     closed_at = excluded.closed_at, due_on = excluded.due_on,
                     synced_at = excluded.synced_at",
            )?;
            for m in &page.milestones {
                upsert_milestone.execute(params![
                    repo_id,
                    m.number,
                    m.title,
                    m.description,
                    m.state,
                    m.open_issues,
                    m.closed_issues,
                    m.created_at.map(|t| t.to_string()),
                    m.updated_at.map(|t| t.to_string()),
                    m.closed_at.map(|t| t.to_string()),
                    m.due_on.map(|t| t.to_string()),
                    now
                ])?;
            }
            let mut upsert_release = tx.prepare(
                "INSERT INTO gh_release (repo_id, github_id, tag_name, name, body, draft,
                     prerelease, author, created_at, published_at, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(repo_id, github_id) DO UPDATE SET tag_name = excluded.tag_name,
                     name = excluded.name, body = excluded.body, draft = excluded.draft,
                     prerelease = excluded.prerelease, author = excluded.author,
                     created_at = excluded.created_at, published_at = excluded.published_at,
                     synced_at = excluded.synced_at",
            )?;
            for r in &page.releases {
                upsert_release.execute(params![
                    repo_id,
                    r.github_id,
                    r.tag_name,
                    r.name,
                    r.body,
                    r.draft,
                    r.prerelease,
                    r.author,
                    r.created_at.map(|t| t.to_string()),
                    r.published_at.map(|t| t.to_string()),
                    now
                ])?;
            }
            let mut upsert_cursor = tx.prepare(
                "INSERT INTO gh_sync_cursor (repo_id, endpoint, since, etag, etag_url, checked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(repo_id, endpoint) DO UPDATE SET since = excluded.since,
                     etag = excluded.etag, etag_url = excluded.etag_url,
                     checked_at = excluded.checked_at",
            )?;
            crate::github_commits::save(&tx, repo_id, page, &now)?;
            for cursor in &page.cursors {
                upsert_cursor.execute(params![
                    repo_id,
                    cursor.endpoint,
                    cursor.since.map(|t| t.to_string()),
                    cursor.etag,
                    cursor.etag_url,
                    cursor.checked_at.to_string()
                ])?;
            }
        }
        let wrote_nothing = counts.items_added + counts.items_updated + counts.comments == 0
            && counts.reviews == 0
            && page.labels.is_empty()
            && page.milestones.is_empty()
            && page.releases.is_empty()
            && page.cursors.is_empty()
            && page.commits.is_empty()
            && page.commit_pulls.is_empty()
            && page.users.is_empty();
        if wrote_nothing {
            // Nothing changed: no new change counter, so readers have nothing to re-read.
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(counts)
    }

    /// The mirrored repositories (`owner/name`), sorted.
    pub fn github_repos(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT full_name FROM gh_repo ORDER BY full_name")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<crate::db::Result<_>>()?)
    }

    fn items_where(
        &self,
        filter: &str,
        args: &[&dyn crate::db::ToArg],
    ) -> Result<Vec<StoredItem>, StoreError> {
        let mut stmt = self.conn.prepare(&item_select(filter))?;
        let raws = stmt
            .query_map(args, raw_item)?
            .collect::<crate::db::Result<Vec<_>>>()?;
        raws.into_iter().map(item_from_raw).collect()
    }

    /// Every issue and PR of `repo`, by number.
    pub fn github_items(&self, repo: &str) -> Result<Vec<StoredItem>, StoreError> {
        self.items_where("WHERE r.full_name = ?1 ORDER BY i.number", &[&repo])
    }

    /// One issue or PR of `repo`.
    pub fn github_item(&self, repo: &str, number: u64) -> Result<Option<StoredItem>, StoreError> {
        Ok(self
            .items_where(
                "WHERE r.full_name = ?1 AND i.number = ?2",
                &[&repo, &(number as i64)],
            )?
            .pop())
    }

    /// Items of every repository written after change counter `seq`, in write order.
    pub fn github_items_changed_since(&self, seq: i64) -> Result<Vec<StoredItem>, StoreError> {
        self.items_where(
            "WHERE i.change_seq > ?1 ORDER BY i.change_seq, r.full_name, i.number",
            &[&seq],
        )
    }

    fn comments_where(
        &self,
        filter: &str,
        args: &[&dyn crate::db::ToArg],
    ) -> Result<Vec<StoredComment>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("{COMMENT_SELECT} {filter}"))?;
        let raws = stmt
            .query_map(args, raw_comment)?
            .collect::<crate::db::Result<Vec<_>>>()?;
        raws.into_iter().map(comment_from_raw).collect()
    }

    /// Every comment of `repo`, by item number and creation time.
    pub fn github_comments(&self, repo: &str) -> Result<Vec<StoredComment>, StoreError> {
        self.comments_where(
            "WHERE r.full_name = ?1 ORDER BY c.number, c.created_at, c.id",
            &[&repo],
        )
    }

    /// Comments of every repository written after change counter `seq`.
    pub fn github_comments_changed_since(
        &self,
        seq: i64,
    ) -> Result<Vec<StoredComment>, StoreError> {
        self.comments_where(
            "WHERE c.change_seq > ?1 ORDER BY c.change_seq, c.id",
            &[&seq],
        )
    }

    /// Every review of `repo`, by PR number and submission time.
    pub fn github_reviews(&self, repo: &str) -> Result<Vec<GhReview>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT v.github_id, v.number, v.author, v.author_association, v.state, v.body,
                    v.submitted_at, v.commit_id
             FROM gh_review v JOIN gh_repo r ON r.id = v.repo_id
             WHERE r.full_name = ?1 ORDER BY v.number, v.submitted_at, v.github_id",
        )?;
        let raws = stmt
            .query_map(params![repo], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?
            .collect::<crate::db::Result<Vec<RawReview>>>()?;
        raws.into_iter().map(review_from_raw).collect()
    }

    /// Every issue and PR of `repo` with its comments and reviews: what activity metrics read.
    pub fn github_threads(&self, repo: &str) -> Result<Vec<Thread>, StoreError> {
        let items = self.github_items(repo)?;
        let mut comments: BTreeMap<u64, Vec<StoredComment>> = BTreeMap::new();
        for c in self.github_comments(repo)? {
            comments.entry(c.comment.number).or_default().push(c);
        }
        let mut reviews: BTreeMap<u64, Vec<GhReview>> = BTreeMap::new();
        for r in self.github_reviews(repo)? {
            reviews.entry(r.number).or_default().push(r);
        }
        Ok(items
            .into_iter()
            .map(|item| {
                let n = item.item.number;
                Thread {
                    item,
                    comments: comments.remove(&n).unwrap_or_default(),
                    reviews: reviews.remove(&n).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// The labels of `repo`, by name.
    pub fn github_labels(&self, repo: &str) -> Result<Vec<GhLabel>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT l.name, l.color, l.description FROM gh_label l
             JOIN gh_repo r ON r.id = l.repo_id WHERE r.full_name = ?1 ORDER BY l.name",
        )?;
        let rows = stmt.query_map(params![repo], |r| {
            Ok(GhLabel {
                name: r.get(0)?,
                color: r.get(1)?,
                description: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<crate::db::Result<_>>()?)
    }

    /// The milestones of `repo`, by number.
    pub fn github_milestones(&self, repo: &str) -> Result<Vec<GhMilestone>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT m.number, m.title, m.description, m.state, m.open_issues, m.closed_issues,
                    m.created_at, m.updated_at, m.closed_at, m.due_on
             FROM gh_milestone m JOIN gh_repo r ON r.id = m.repo_id
             WHERE r.full_name = ?1 ORDER BY m.number",
        )?;
        type Raw = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let raws = stmt
            .query_map(params![repo], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })?
            .collect::<crate::db::Result<Vec<Raw>>>()?;
        raws.into_iter()
            .map(
                |(number, title, description, state, open, closed, c, u, x, d)| {
                    Ok(GhMilestone {
                        number,
                        title,
                        description,
                        state,
                        open_issues: open,
                        closed_issues: closed,
                        created_at: read_time("gh_milestone.created_at", c)?,
                        updated_at: read_time("gh_milestone.updated_at", u)?,
                        closed_at: read_time("gh_milestone.closed_at", x)?,
                        due_on: read_time("gh_milestone.due_on", d)?,
                    })
                },
            )
            .collect()
    }

    /// The releases of `repo`, newest first.
    pub fn github_releases(&self, repo: &str) -> Result<Vec<GhRelease>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.github_id, e.tag_name, e.name, e.body, e.draft, e.prerelease, e.author,
                    e.created_at, e.published_at
             FROM gh_release e JOIN gh_repo r ON r.id = e.repo_id
             WHERE r.full_name = ?1 ORDER BY e.created_at DESC, e.github_id DESC",
        )?;
        type Raw = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<bool>,
            Option<bool>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let raws = stmt
            .query_map(params![repo], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })?
            .collect::<crate::db::Result<Vec<Raw>>>()?;
        raws.into_iter()
            .map(
                |(github_id, tag_name, name, body, draft, prerelease, author, c, p)| {
                    Ok(GhRelease {
                        github_id,
                        tag_name,
                        name,
                        body,
                        draft,
                        prerelease,
                        author,
                        created_at: read_time("gh_release.created_at", c)?,
                        published_at: read_time("gh_release.published_at", p)?,
                    })
                },
            )
            .collect()
    }

    /// The sync cursor of `repo`'s `endpoint`, if it was ever synced.
    pub fn github_cursor(
        &self,
        repo: &str,
        endpoint: &str,
    ) -> Result<Option<SyncCursor>, StoreError> {
        type Raw = (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
        );
        let raw: Option<Raw> = self
            .conn
            .query_row(
                "SELECT c.endpoint, c.since, c.etag, c.etag_url, c.checked_at
                 FROM gh_sync_cursor c JOIN gh_repo r ON r.id = c.repo_id
                 WHERE r.full_name = ?1 AND c.endpoint = ?2",
                params![repo, endpoint],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        raw.map(|(endpoint, since, etag, etag_url, checked_at)| {
            Ok(SyncCursor {
                endpoint,
                since: read_time("gh_sync_cursor.since", since)?,
                etag,
                etag_url,
                checked_at: read_time("gh_sync_cursor.checked_at", Some(checked_at))?
                    .unwrap_or(Timestamp::UNIX_EPOCH),
            })
        })
        .transpose()
    }

    /// The stored `updated_at` of every item of `repo`, by number: what a sync compares a
    /// listing against to fetch only the details of items that changed.
    pub fn github_item_versions(
        &self,
        repo: &str,
    ) -> Result<BTreeMap<u64, (Source, Option<Timestamp>)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT i.number, i.source, i.updated_at FROM gh_item i
             JOIN gh_repo r ON r.id = i.repo_id WHERE r.full_name = ?1",
        )?;
        let rows = stmt.query_map(params![repo], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (n, source, updated) = row?;
            let updated = read_time("gh_item.updated_at", updated)?;
            out.insert(n.max(0) as u64, (Source::parse(&source), updated));
        }
        Ok(out)
    }

    /// How much of `repo` is stored.
    pub fn github_counts(&self, repo: &str) -> Result<RepoCounts, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> {
            let n: i64 = self.conn.query_row(sql, params![repo], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        };
        Ok(RepoCounts {
            issues: count(
                "SELECT COUNT(*) FROM gh_item i JOIN gh_repo r ON r.id = i.repo_id
                 WHERE r.full_name = ?1 AND i.kind = 'issue'",
            )?,
            prs: count(
                "SELECT COUNT(*) FROM gh_item i JOIN gh_repo r ON r.id = i.repo_id
                 WHERE r.full_name = ?1 AND i.kind = 'pr'",
            )?,
            comments: count(
                "SELECT COUNT(*) FROM gh_comment c JOIN gh_repo r ON r.id = c.repo_id
                 WHERE r.full_name = ?1",
            )?,
            reviews: count(
                "SELECT COUNT(*) FROM gh_review v JOIN gh_repo r ON r.id = v.repo_id
                 WHERE r.full_name = ?1",
            )?,
            releases: count(
                "SELECT COUNT(*) FROM gh_release e JOIN gh_repo r ON r.id = e.repo_id
                 WHERE r.full_name = ?1",
            )?,
        })
    }

    /// The store-wide change counter: bumped by every page written.
    pub fn github_change_seq(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT seq FROM gh_change WHERE id = 1", [], |r| r.get(0))?)
    }
}
