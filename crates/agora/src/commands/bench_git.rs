//! The commit order asv uses, read from a git repository with `gix`.
//!
//! asv numbers commits by `git rev-list --all --date-order --reverse`. That order is rebuilt
//! here: every commit reachable from any reference is loaded (hash, parents, committer time),
//! then sorted as git's `--date-order` does — a commit is emitted only after all its children,
//! and among the commits ready to go the newest committer time goes first (ties in the order
//! they became ready) — and the list is reversed. A branch's history is its first-parent chain
//! from its tip; tags are peeled to the commits they name.

use std::collections::{BinaryHeap, HashMap};
use std::path::Path;

use agora_bench::AsvConfig;
use agora_store::bench::BenchHistory;
use anyhow::{Context as _, bail};
use gix::ObjectId;

struct Node {
    time: i64,
    parents: Vec<ObjectId>,
}

/// Reads revisions, the configured branches' first-parent lists and the tags of `path`.
pub fn read_history(path: &Path, config: &AsvConfig) -> anyhow::Result<BenchHistory> {
    let repo = gix::open(path)
        .with_context(|| format!("cannot open the git repository {}", path.display()))?;
    let mut tips: Vec<ObjectId> = Vec::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    let mut branch_tips: HashMap<String, ObjectId> = HashMap::new();
    let references = repo.references().context("cannot list references")?;
    for reference in references.all().context("cannot list references")? {
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
        let commit = repo
            .find_commit(id)
            .with_context(|| format!("cannot read commit {id}"))?;
        let time = commit
            .time()
            .with_context(|| format!("commit {id} has no readable time"))?
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
            bail!("the repository {} has no branch {name}", path.display());
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
