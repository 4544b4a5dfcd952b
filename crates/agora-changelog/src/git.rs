//! The commits of a range `START..STOP`, read from a local clone with `gix`.
//!
//! Both ends are resolved as git would: a full or abbreviated hash, or a reference name
//! (`refs/…`, a tag, a branch, a remote branch), peeled to the commit it names. The range is
//! what `git rev-list START..STOP` lists: every commit reachable from STOP that is not reachable
//! from START, which is also what GitHub's compare API lists. START's ancestors are walked
//! first (all of them: a range is rarely far from its start), then STOP's ancestors are walked
//! until they meet that set. Messages are cut at [`MAX_MESSAGE_BYTES`] so a hostile history
//! cannot make the notes unbounded.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use gix::ObjectId;
use jiff::Timestamp;
use serde::Serialize;

/// The longest commit message kept, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The longest file read from a tree (`pyproject.toml`), in bytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// An error of git (gix), boxed: its many types are gix's to change.
type Source = Box<dyn std::error::Error + Send + Sync>;

/// Why a range could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The repository could not be opened.
    #[error("cannot open the git repository {}", path.display())]
    Open {
        /// The repository.
        path: PathBuf,
        /// What git said.
        #[source]
        source: Source,
    },
    /// A revision names nothing in the repository.
    #[error("{rev:?} names no commit in {} (expected a tag, a branch or a hash)", path.display())]
    NoRevision {
        /// The repository.
        path: PathBuf,
        /// The revision asked.
        rev: String,
    },
    /// A commit could not be read.
    #[error("cannot read commit {id}")]
    Commit {
        /// The commit's hash.
        id: String,
        /// What git said.
        #[source]
        source: Source,
    },
}

/// A person as a commit names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Signature {
    /// The name.
    pub name: String,
    /// The email.
    pub email: String,
}

/// One commit of a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitCommit {
    /// The full hash.
    pub sha: String,
    /// The parents' hashes, first parent first.
    pub parents: Vec<String>,
    /// The message, at most [`MAX_MESSAGE_BYTES`].
    pub message: String,
    /// The author.
    pub author: Signature,
    /// The author date.
    pub authored_at: Timestamp,
    /// The committer.
    pub committer: Signature,
    /// The commit date.
    pub committed_at: Timestamp,
}

impl GitCommit {
    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("").trim()
    }
}

/// The commits of `START..STOP`, newest first (STOP's history order), and the two ends.
#[derive(Debug, Clone, Serialize)]
pub struct Range {
    /// START resolved.
    pub start: String,
    /// STOP resolved.
    pub stop: String,
    /// The commits, in the order of a walk from STOP (children before parents).
    pub commits: Vec<GitCommit>,
    /// The author emails seen in START's history (for "new contributors").
    #[serde(skip)]
    pub earlier_emails: HashSet<String>,
}

fn open(path: &Path) -> Result<gix::Repository, GitError> {
    gix::open(path).map_err(|source| GitError::Open {
        path: path.to_path_buf(),
        source: source.into(),
    })
}

/// Resolves `rev` to a commit of `repo`.
fn resolve(repo: &gix::Repository, path: &Path, rev: &str) -> Result<ObjectId, GitError> {
    let missing = || GitError::NoRevision {
        path: path.to_path_buf(),
        rev: rev.to_string(),
    };
    if rev.is_empty() || rev.len() > 255 || rev.contains("..") {
        return Err(missing());
    }
    let mut candidates: Vec<ObjectId> = Vec::new();
    for name in [
        rev.to_string(),
        format!("refs/tags/{rev}"),
        format!("refs/heads/{rev}"),
        format!("refs/remotes/{rev}"),
        format!("refs/remotes/origin/{rev}"),
    ] {
        let Ok(partial) = <&gix::refs::PartialNameRef>::try_from(name.as_str()) else {
            continue;
        };
        if let Ok(Some(mut reference)) = repo.try_find_reference(partial)
            && let Ok(id) = reference.peel_to_id()
        {
            candidates.push(id.detach());
            break;
        }
    }
    if candidates.is_empty() && rev.len() >= 4 && rev.chars().all(|c| c.is_ascii_hexdigit()) {
        if let Ok(id) = ObjectId::from_hex(rev.as_bytes()) {
            candidates.push(id);
        } else if let Ok(prefix) = gix::hash::Prefix::from_hex(rev)
            && let Ok(Some(id)) = repo
                .objects
                .lookup_prefix(prefix, None)
                .map(|found| found.and_then(Result::ok))
        {
            candidates.push(id);
        }
    }
    let id = candidates.into_iter().next().ok_or_else(missing)?;
    // Peel an annotated tag to its commit.
    let object = repo.find_object(id).map_err(|_| missing())?;
    let commit = object.peel_to_commit().map_err(|_| missing())?;
    Ok(commit.id)
}

fn text(bytes: &[u8], limit: usize) -> String {
    let cut = &bytes[..bytes.len().min(limit)];
    String::from_utf8_lossy(cut).into_owned()
}

/// Reads `START..STOP` from the clone at `path`.
pub fn read_range(path: &Path, start: &str, stop: &str) -> Result<Range, GitError> {
    let repo = open(path)?;
    let start_id = resolve(&repo, path, start)?;
    let stop_id = resolve(&repo, path, stop)?;
    let commit_error = |id: &ObjectId, source: Source| GitError::Commit {
        id: id.to_string(),
        source,
    };
    // START's history.
    let mut excluded: HashSet<ObjectId> = HashSet::new();
    let mut earlier_emails = HashSet::new();
    let mut stack = vec![start_id];
    while let Some(id) = stack.pop() {
        if !excluded.insert(id) {
            continue;
        }
        let commit = repo
            .find_commit(id)
            .map_err(|e| commit_error(&id, e.into()))?;
        if let Ok(author) = commit.author() {
            earlier_emails.insert(author.email.to_string().to_lowercase());
        }
        stack.extend(commit.parent_ids().map(|p| p.detach()));
    }
    // STOP's history down to START's.
    let commits = walk(&repo, stop_id, &excluded)?;
    Ok(Range {
        start: start_id.to_string(),
        stop: stop_id.to_string(),
        commits,
        earlier_emails,
    })
}

/// Every commit reachable from `rev` (children before parents).
pub fn read_history(path: &Path, rev: &str) -> Result<Vec<GitCommit>, GitError> {
    let repo = open(path)?;
    let id = resolve(&repo, path, rev)?;
    walk(&repo, id, &HashSet::new())
}

/// The commits reachable from `tip` and not in `excluded`, first parents first.
fn walk(
    repo: &gix::Repository,
    tip: ObjectId,
    excluded: &HashSet<ObjectId>,
) -> Result<Vec<GitCommit>, GitError> {
    let commit_error = |id: &ObjectId, source: Source| GitError::Commit {
        id: id.to_string(),
        source,
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut commits = Vec::new();
    let mut stack = vec![tip];
    while let Some(id) = stack.pop() {
        if excluded.contains(&id) || !seen.insert(id) {
            continue;
        }
        let commit = repo
            .find_commit(id)
            .map_err(|e| commit_error(&id, e.into()))?;
        let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
        let author = commit.author().map_err(|e| commit_error(&id, e.into()))?;
        let committer = commit
            .committer()
            .map_err(|e| commit_error(&id, e.into()))?;
        let message = commit
            .message_raw()
            .map_err(|e| commit_error(&id, e.into()))?;
        commits.push(GitCommit {
            sha: id.to_string(),
            parents: parents.iter().map(ObjectId::to_string).collect(),
            message: text(message, MAX_MESSAGE_BYTES),
            author: Signature {
                name: author.name.to_string(),
                email: author.email.to_string(),
            },
            authored_at: Timestamp::from_second(author.seconds()).unwrap_or(Timestamp::UNIX_EPOCH),
            committer: Signature {
                name: committer.name.to_string(),
                email: committer.email.to_string(),
            },
            committed_at: Timestamp::from_second(committer.seconds())
                .unwrap_or(Timestamp::UNIX_EPOCH),
        });
        // Push the first parent last so it is walked first.
        for parent in parents.iter().rev() {
            stack.push(*parent);
        }
    }
    Ok(commits)
}

/// The text of the file `name` at the root of `rev`'s tree, `None` when there is none (or it
/// is not UTF-8, or larger than [`MAX_FILE_BYTES`]).
pub fn file_at(path: &Path, rev: &str, name: &str) -> Result<Option<String>, GitError> {
    let repo = open(path)?;
    let id = resolve(&repo, path, rev)?;
    let commit = repo.find_commit(id).map_err(|e| GitError::Commit {
        id: id.to_string(),
        source: e.into(),
    })?;
    let Ok(tree) = commit.tree() else {
        return Ok(None);
    };
    let Some(entry) = tree.find_entry(name) else {
        return Ok(None);
    };
    let Ok(object) = entry.object() else {
        return Ok(None);
    };
    if object.data.len() > MAX_FILE_BYTES {
        return Ok(None);
    }
    Ok(String::from_utf8(object.data.clone()).ok())
}

/// For each commit of the range that a merge brought in (reachable from a merge's second or
/// later parent but not from its first), the merge that brought it; the newest merge wins.
pub fn merged_by(range: &Range) -> HashMap<String, String> {
    let in_range: HashMap<&str, &GitCommit> =
        range.commits.iter().map(|c| (c.sha.as_str(), c)).collect();
    let mut owner: HashMap<String, String> = HashMap::new();
    // Walk merges oldest first so that, for a commit two merges share, the first merge that
    // brought it in keeps it.
    for merge in range.commits.iter().rev().filter(|c| c.parents.len() > 1) {
        // The first parent's side within the range.
        let mut mainline: HashSet<&str> = HashSet::new();
        let mut stack = vec![merge.parents[0].as_str()];
        while let Some(sha) = stack.pop() {
            if let Some(commit) = in_range.get(sha)
                && mainline.insert(sha)
            {
                stack.extend(commit.parents.iter().map(String::as_str));
            }
        }
        let mut stack: Vec<&str> = merge.parents[1..].iter().map(String::as_str).collect();
        let mut visited: HashSet<&str> = HashSet::new();
        while let Some(sha) = stack.pop() {
            if mainline.contains(sha) || !visited.insert(sha) {
                continue;
            }
            if let Some(commit) = in_range.get(sha) {
                owner
                    .entry(sha.to_string())
                    .or_insert_with(|| merge.sha.clone());
                stack.extend(commit.parents.iter().map(String::as_str));
            }
        }
    }
    owner
}
