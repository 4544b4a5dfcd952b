//! The commit history asv orders results by: revision numbers, branches and tags.
//!
//! asv numbers commits by their position in `git rev-list --all --date-order --reverse` (the
//! oldest commit is 0), puts a result on a branch when its commit is on the branch's
//! first-parent history, and treats tagged commits as on every branch. [`History`] holds those
//! three lists, read from a clone (by the caller, with `gix`) or from files a CI job uploads:
//! `revisions.tsv` (`index<TAB>sha<TAB>unix-time`), one first-parent list per branch (newest
//! first, as `git rev-list --first-parent BRANCH` prints it) and `tags.tsv` (`tag<TAB>sha`).

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use crate::format::FormatError;

/// One commit in asv's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Its full hash.
    pub sha: String,
    /// Its commit time (seconds since the epoch).
    pub time: i64,
}

/// Commit order, branches and tags of one repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Commits by revision number (oldest first).
    pub commits: Vec<Commit>,
    /// Each configured branch and its first-parent history, newest first.
    pub branches: Vec<(String, Vec<String>)>,
    /// Tags and the commits they point at, in the order given.
    pub tags: Vec<(String, String)>,
    revision_of: HashMap<String, u32>,
    branch_position: Vec<HashMap<String, usize>>,
}

impl History {
    /// Builds the lookups over the three lists.
    pub fn new(
        commits: Vec<Commit>,
        branches: Vec<(String, Vec<String>)>,
        tags: Vec<(String, String)>,
    ) -> History {
        let revision_of = commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.sha.clone(), i as u32))
            .collect();
        let branch_position = branches
            .iter()
            .map(|(_, list)| {
                list.iter()
                    .enumerate()
                    .map(|(i, sha)| (sha.clone(), i))
                    .collect()
            })
            .collect();
        History {
            commits,
            branches,
            tags,
            revision_of,
            branch_position,
        }
    }

    /// The revision number of a commit.
    pub fn revision(&self, sha: &str) -> Option<u32> {
        self.revision_of.get(sha).copied()
    }

    /// The hash of a revision number.
    pub fn sha(&self, revision: u32) -> Option<&str> {
        self.commits.get(revision as usize).map(|c| c.sha.as_str())
    }

    /// Whether a commit is on a branch's first-parent history.
    pub fn on_branch(&self, branch: usize, sha: &str) -> bool {
        self.branch_position
            .get(branch)
            .is_some_and(|positions| positions.contains_key(sha))
    }

    /// Whether a commit is tagged.
    pub fn is_tagged(&self, sha: &str) -> bool {
        self.tags.iter().any(|(_, tagged)| tagged == sha)
    }

    /// Resolves a name as git would for asv's settings: a tag, a branch, a full or abbreviated hash.
    pub fn resolve(&self, name: &str) -> Option<String> {
        if let Some((_, sha)) = self.tags.iter().find(|(tag, _)| tag == name) {
            return Some(sha.clone());
        }
        if let Some((_, list)) = self.branches.iter().find(|(branch, _)| branch == name) {
            return list.first().cloned();
        }
        if name.len() >= 4 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            let lower = name.to_ascii_lowercase();
            let mut found = self.commits.iter().filter(|c| c.sha.starts_with(&lower));
            let first = found.next()?;
            if found.next().is_none() {
                return Some(first.sha.clone());
            }
        }
        None
    }

    /// `git rev-list --first-parent from..to`: the first-parent history of `to` (newest first)
    /// down to, not including, `from` — or, when `from` is not on it, the commits newer than
    /// `from` in revision order.
    pub fn first_parent_range(&self, from: &str, to: &str) -> Vec<String> {
        for (index, (_, list)) in self.branches.iter().enumerate() {
            let Some(&start) = self.branch_position[index].get(to) else {
                continue;
            };
            if let Some(&stop) = self.branch_position[index].get(from) {
                return if stop > start {
                    list[start..stop].to_vec()
                } else {
                    Vec::new()
                };
            }
            let floor = self.revision(from);
            return list[start..]
                .iter()
                .take_while(|sha| match (floor, self.revision(sha)) {
                    (Some(floor), Some(rev)) => rev > floor,
                    _ => false,
                })
                .cloned()
                .collect();
        }
        Vec::new()
    }
}

fn read(path: &Path) -> Result<String, FormatError> {
    std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn bad_line(path: &Path, line: usize, message: &str) -> FormatError {
    FormatError::Invalid {
        path: path.to_path_buf(),
        message: format!("line {line}: {message}"),
    }
}

/// Reads `revisions.tsv`: `index<TAB>sha<TAB>unix-time`, indices 0, 1, 2, … in order.
pub fn read_revisions(path: &Path) -> Result<Vec<Commit>, FormatError> {
    let text = read(path)?;
    let mut commits = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(index), Some(sha), time) = (fields.next(), fields.next(), fields.next()) else {
            return Err(bad_line(path, number + 1, "expected index, hash and time"));
        };
        let index: usize = index
            .trim()
            .parse()
            .map_err(|_| bad_line(path, number + 1, "the index is not a number"))?;
        if index != commits.len() {
            return Err(bad_line(
                path,
                number + 1,
                &format!("expected index {}", commits.len()),
            ));
        }
        let time = match time {
            Some(t) => t
                .trim()
                .parse()
                .map_err(|_| bad_line(path, number + 1, "the time is not a number"))?,
            None => 0,
        };
        commits.push(Commit {
            sha: sha.trim().to_owned(),
            time,
        });
    }
    Ok(commits)
}

/// Reads a first-parent list: one hash a line, newest first.
pub fn read_branch_list(path: &Path) -> Result<Vec<String>, FormatError> {
    Ok(read(path)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Reads `tags.tsv`: `tag<TAB>sha` a line.
pub fn read_tags(path: &Path) -> Result<Vec<(String, String)>, FormatError> {
    let text = read(path)?;
    let mut tags = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((tag, sha)) = line.split_once('\t') else {
            return Err(bad_line(path, number + 1, "expected tag and hash"));
        };
        tags.push((tag.to_owned(), sha.trim().to_owned()));
    }
    Ok(tags)
}
