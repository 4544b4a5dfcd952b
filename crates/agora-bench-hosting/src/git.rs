//! The commit order asv uses, read from a git repository with `gix`.
//!
//! asv numbers commits by `git rev-list --all --date-order --reverse`. That order is rebuilt
//! here: every commit reachable from any reference is loaded (hash, parents, committer time),
//! then sorted as git's `--date-order` does — a commit is emitted only after all its children,
//! and among the commits ready to go the newest committer time goes first (ties in the order
//! they became ready) — and the list is reversed. A branch's history is its first-parent chain
//! from its tip; tags are peeled to the commits they name.

use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};

use agora_bench::AsvConfig;
use agora_store::bench::BenchHistory;
use gix::ObjectId;

/// An error of git (gix), boxed: its many types are gix's to change.
type Source = Box<dyn std::error::Error + Send + Sync>;

/// Why the commit order could not be read from a git repository.
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
    /// Its references could not be listed.
    #[error("cannot list references")]
    References(#[source] Source),
    /// A commit could not be read.
    #[error("cannot read commit {id}")]
    Commit {
        /// The commit's hash.
        id: String,
        /// What git said.
        #[source]
        source: Source,
    },
    /// A commit's time could not be read.
    #[error("commit {id} has no readable time")]
    Time {
        /// The commit's hash.
        id: String,
        /// What git said.
        #[source]
        source: Source,
    },
    /// A branch the asv configuration names is not in the repository.
    #[error("the repository {} has no branch {name}", path.display())]
    NoBranch {
        /// The repository.
        path: PathBuf,
        /// The branch.
        name: String,
    },
}

struct Node {
    time: i64,
    parents: Vec<ObjectId>,
}

/// Reads revisions, the configured branches' first-parent lists and the tags of `path`.
pub fn read_history(path: &Path, config: &AsvConfig) -> Result<BenchHistory, GitError> {
    let repo = gix::open(path).map_err(|source| GitError::Open {
        path: path.to_path_buf(),
        source: source.into(),
    })?;
    let mut tips: Vec<ObjectId> = Vec::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut branch_tips: HashMap<String, ObjectId> = HashMap::new();
    let references = repo
        .references()
        .map_err(|e| GitError::References(e.into()))?;
    for reference in references
        .all()
        .map_err(|e| GitError::References(e.into()))?
    {
        let Ok(mut reference) = reference else {
            continue;
        };
        let name = reference.name().as_bstr().to_string();
        let Ok(id) = reference.peel_to_id() else {
            continue;
        };
        let id = id.detach();
        let Ok(object) = repo.find_object(id) else {
            continue;
        };
        if object.kind != gix::object::Kind::Commit {
            continue;
        }
        if let Some(tag) = name.strip_prefix("refs/tags/") {
            tags.push((tag.to_owned(), id.to_string()));
        } else if let Some(branch) = name.strip_prefix("refs/heads/") {
            branch_tips.insert(branch.to_owned(), id);
        } else if let Some(branch) = name.strip_prefix("refs/remotes/origin/") {
            branch_tips.entry(branch.to_owned()).or_insert(id);
        }
        tips.push(id);
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    tags.sort();

    // Load the graph.
    let mut nodes: HashMap<ObjectId, Node> = HashMap::new();
    let mut stack = tips.clone();
    while let Some(id) = stack.pop() {
        if nodes.contains_key(&id) {
            continue;
        }
        let commit = repo.find_commit(id).map_err(|source| GitError::Commit {
            id: id.to_string(),
            source: source.into(),
        })?;
        let time = commit
            .time()
            .map_err(|source| GitError::Time {
                id: id.to_string(),
                source: source.into(),
            })?
            .seconds;
        let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
        for parent in &parents {
            if !nodes.contains_key(parent) {
                stack.push(*parent);
            }
        }
        nodes.insert(id, Node { time, parents });
    }

    // --date-order: children first, newest ready commit next, then reversed.
    let mut children: HashMap<ObjectId, usize> = nodes.keys().map(|id| (*id, 0)).collect();
    for node in nodes.values() {
        for parent in &node.parents {
            if let Some(count) = children.get_mut(parent) {
                *count += 1;
            }
        }
    }
    let mut ready: BinaryHeap<(i64, std::cmp::Reverse<u64>, ObjectId)> = BinaryHeap::new();
    let mut counter = 0u64;
    let mut seen_tips = std::collections::HashSet::new();
    for tip in &tips {
        if children.get(tip) == Some(&0) && seen_tips.insert(*tip) {
            ready.push((nodes[tip].time, std::cmp::Reverse(counter), *tip));
            counter += 1;
        }
    }
    let mut order: Vec<(String, i64)> = Vec::with_capacity(nodes.len());
    while let Some((time, _, id)) = ready.pop() {
        order.push((id.to_string(), time));
        for parent in &nodes[&id].parents {
            if let Some(count) = children.get_mut(parent) {
                *count -= 1;
                if *count == 0 {
                    ready.push((nodes[parent].time, std::cmp::Reverse(counter), *parent));
                    counter += 1;
                }
            }
        }
    }
    order.reverse();

    let default_branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|name| name.shorten().to_string())
        .unwrap_or_else(|| "main".to_owned());
    let mut branches = Vec::new();
    for branch in &config.branches {
        let name = branch.clone().unwrap_or_else(|| default_branch.clone());
        let Some(&tip) = branch_tips.get(&name) else {
            return Err(GitError::NoBranch {
                path: path.to_path_buf(),
                name,
            });
        };
        let mut list = Vec::new();
        let mut at = Some(tip);
        while let Some(id) = at {
            list.push(id.to_string());
            at = nodes.get(&id).and_then(|n| n.parents.first().copied());
        }
        branches.push((name, list));
    }
    Ok(BenchHistory {
        commits: order,
        branches,
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], date: &str) -> Option<String> {
        let output = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "a")
            .env("GIT_AUTHOR_EMAIL", "a@example.org")
            .env("GIT_COMMITTER_NAME", "a")
            .env("GIT_COMMITTER_EMAIL", "a@example.org")
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    #[test]
    fn the_order_is_git_rev_list_all_date_order_reverse() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        if git(d, &["init", "-q", "-b", "main"], "1000000000 +0000").is_none() {
            eprintln!("note: no git; skipping");
            return;
        }
        // main with a merged side branch, an unmerged branch, equal times and a tag.
        let commit = |msg: &str, t: &str| git(d, &["commit", "-q", "--allow-empty", "-m", msg], t);
        commit("a", "1000000100 +0000").expect("a");
        commit("b", "1000000200 +0000").expect("b");
        git(d, &["checkout", "-q", "-b", "side"], "1000000200 +0000").expect("side");
        commit("s1", "1000000300 +0000").expect("s1");
        commit("s2", "1000000500 +0000").expect("s2");
        git(d, &["checkout", "-q", "main"], "1000000500 +0000").expect("main");
        commit("c", "1000000400 +0000").expect("c");
        commit("c2", "1000000400 +0000").expect("c2");
        git(
            d,
            &["merge", "-q", "--no-ff", "-m", "m", "side"],
            "1000000600 +0000",
        )
        .expect("merge");
        git(d, &["tag", "v1", "HEAD~1"], "1000000600 +0000").expect("tag");
        git(
            d,
            &["checkout", "-q", "-b", "other", "HEAD~2"],
            "1000000600 +0000",
        )
        .expect("other");
        commit("o", "1000000700 +0000").expect("o");
        git(d, &["checkout", "-q", "main"], "1000000700 +0000").expect("main");

        let config = AsvConfig {
            branches: vec![Some("main".into()), None],
            ..AsvConfig::default()
        };
        let history = read_history(d, &config).expect("history");
        let expected: Vec<String> = git(
            d,
            &["rev-list", "--all", "--date-order", "--reverse"],
            "0 +0000",
        )
        .expect("rev-list")
        .lines()
        .map(str::to_owned)
        .collect();
        let ours: Vec<String> = history.commits.iter().map(|(sha, _)| sha.clone()).collect();
        assert_eq!(ours, expected);
        let first_parent: Vec<String> = git(d, &["rev-list", "--first-parent", "main"], "0 +0000")
            .expect("rev-list")
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            history.branches[0],
            ("main".to_owned(), first_parent.clone())
        );
        assert_eq!(history.branches[1], ("main".to_owned(), first_parent));
        let tagged = git(d, &["rev-parse", "v1"], "0 +0000").expect("tag");
        assert_eq!(
            history.tags,
            vec![("v1".to_owned(), tagged.trim().to_owned())]
        );
    }
}
