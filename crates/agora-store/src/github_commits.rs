//! What release notes need from the GitHub mirror besides issues and PRs: the commits of a
//! repository's default branch with the GitHub accounts GitHub matched to their author and
//! committer, the PRs GitHub associates with a commit, and users' display names (migration 9).
//!
//! Rows are written by [`crate::Store::save_github_page`] (the `commits`, `commit_pulls` and
//! `users` of a [`crate::github::GithubPage`]), in the page's transaction. **NULL means
//! unknown**: a commit row whose `author_login` is NULL is one GitHub matched to no account;
//! a commit that has no row at all was never synced. A `gh_user` row is only written from
//! `/users/LOGIN`, so a row with a NULL `name` is an account that shows no name, while a login
//! without a row is unknown. The devstats import writes none of these tables.

use std::collections::BTreeMap;

use crate::db::{Tx, params};
use jiff::Timestamp;

use crate::github::GithubPage;
use crate::{Store, StoreError};

/// The longest commit message kept, in bytes (longer ones are cut at a character boundary).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// A commit as `/repos/O/R/commits` lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhCommit {
    /// The full hash.
    pub sha: String,
    /// The GitHub account GitHub matched to the author's email, if any.
    pub author_login: Option<String>,
    /// The author's name in git.
    pub author_name: Option<String>,
    /// The author's email in git.
    pub author_email: Option<String>,
    /// The GitHub account of the committer (`web-flow` for merges made on GitHub).
    pub committer_login: Option<String>,
    /// The message (at most [`MAX_MESSAGE_BYTES`]).
    pub message: Option<String>,
    /// The author date.
    pub authored_at: Option<Timestamp>,
}

/// The PRs `/repos/O/R/commits/SHA/pulls` listed for one commit (possibly none); nothing asks
/// that endpoint yet (reserved for an online fallback of `agora changelog`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommitPulls {
    /// The commit.
    pub sha: String,
    /// The PR numbers, as listed.
    pub numbers: Vec<u64>,
}

/// A user as `/users/LOGIN` shows one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GhUser {
    /// The login.
    pub login: String,
    /// The account's id.
    pub github_id: Option<i64>,
    /// The display name (`None`: the account shows none).
    pub name: Option<String>,
    /// The profile page.
    pub html_url: Option<String>,
}

/// `message` cut to at most [`MAX_MESSAGE_BYTES`] at a character boundary.
pub fn bounded_message(message: &str) -> String {
    if message.len() <= MAX_MESSAGE_BYTES {
        return message.to_string();
    }
    let mut end = MAX_MESSAGE_BYTES;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    message[..end].to_string()
}

/// Writes the page's commits, commit-to-PR lists and users inside its transaction.
pub(crate) fn save(
    tx: &Tx<'_>,
    repo_id: i64,
    page: &GithubPage,
    now: &str,
) -> Result<(), StoreError> {
    let mut commit = tx.prepare(
        "INSERT INTO gh_commit (repo_id, sha, author_login, author_name, author_email,
             committer_login, message, authored_at, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(repo_id, sha) DO UPDATE SET author_login = excluded.author_login,
             author_name = excluded.author_name, author_email = excluded.author_email,
             committer_login = excluded.committer_login, message = excluded.message,
             authored_at = excluded.authored_at, synced_at = excluded.synced_at",
    )?;
    for c in &page.commits {
        commit.execute(params![
            repo_id,
            c.sha,
            c.author_login,
            c.author_name,
            c.author_email,
            c.committer_login,
            c.message.as_deref().map(bounded_message),
            c.authored_at.map(|t| t.to_string()),
            now
        ])?;
    }
    let mut pulls = tx.prepare(
        "INSERT INTO gh_commit_pulls (repo_id, sha, numbers, checked_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(repo_id, sha) DO UPDATE SET numbers = excluded.numbers,
             checked_at = excluded.checked_at",
    )?;
    for p in &page.commit_pulls {
        let numbers = serde_json::to_string(&p.numbers).unwrap_or_else(|_| "[]".into());
        pulls.execute(params![repo_id, p.sha, numbers, now])?;
    }
    let mut user = tx.prepare(
        "INSERT INTO gh_user (login, github_id, name, html_url, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(login) DO UPDATE SET github_id = excluded.github_id, name = excluded.name,
             html_url = excluded.html_url, synced_at = excluded.synced_at",
    )?;
    for u in &page.users {
        user.execute(params![u.login, u.github_id, u.name, u.html_url, now])?;
    }
    Ok(())
}

fn read_time(text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.map(|t| {
        t.parse::<Timestamp>().map_err(|e| StoreError::Corrupt {
            column: "gh_commit.authored_at",
            message: e.to_string(),
        })
    })
    .transpose()
}

impl Store {
    /// Every stored commit of `repo`, by hash.
    pub fn github_commits(&self, repo: &str) -> Result<BTreeMap<String, GhCommit>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.sha, c.author_login, c.author_name, c.author_email, c.committer_login,
                    c.message, c.authored_at
             FROM gh_commit c JOIN gh_repo r ON r.id = c.repo_id WHERE r.full_name = ?1",
        )?;
        type Raw = (
            String,
            Option<String>,
            Option<String>,
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
                ))
            })?
            .collect::<crate::db::Result<Vec<Raw>>>()?;
        let mut out = BTreeMap::new();
        for (sha, author_login, author_name, author_email, committer_login, message, at) in raws {
            let commit = GhCommit {
                sha: sha.clone(),
                author_login,
                author_name,
                author_email,
                committer_login,
                message,
                authored_at: read_time(at)?,
            };
            out.insert(sha, commit);
        }
        Ok(out)
    }

    /// What `/commits/SHA/pulls` answered for the commits of `repo` that were asked.
    pub fn github_commit_pulls(
        &self,
        repo: &str,
    ) -> Result<BTreeMap<String, Vec<u64>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT p.sha, p.numbers FROM gh_commit_pulls p JOIN gh_repo r ON r.id = p.repo_id
             WHERE r.full_name = ?1",
        )?;
        let raws = stmt
            .query_map(params![repo], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<crate::db::Result<Vec<(String, String)>>>()?;
        let mut out = BTreeMap::new();
        for (sha, numbers) in raws {
            let numbers: Vec<u64> =
                serde_json::from_str(&numbers).map_err(|e| StoreError::Corrupt {
                    column: "gh_commit_pulls.numbers",
                    message: e.to_string(),
                })?;
            out.insert(sha, numbers);
        }
        Ok(out)
    }

    /// Every stored user, by login as GitHub spells it.
    pub fn github_users(&self) -> Result<BTreeMap<String, GhUser>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT login, github_id, name, html_url FROM gh_user")?;
        let users = stmt
            .query_map([], |r| {
                Ok(GhUser {
                    login: r.get(0)?,
                    github_id: r.get(1)?,
                    name: r.get(2)?,
                    html_url: r.get(3)?,
                })
            })?
            .collect::<crate::db::Result<Vec<GhUser>>>()?;
        Ok(users.into_iter().map(|u| (u.login.clone(), u)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::{GhItem, ItemKind, Source};

    #[test]
    fn commits_users_and_merge_commits_round_trip_and_unknown_stays_null() {
        for mut store in
            crate::test_stores("commits_users_and_merge_commits_round_trip_and_unknown_stays_null")
        {
            let mut page = GithubPage::new(Source::Rest, Timestamp::UNIX_EPOCH);
            let mut pr = GhItem::new(7, ItemKind::Pr);
            pr.merge_commit_sha = Some("abc".into());
            page.items.push(pr);
            page.items.push(GhItem::new(8, ItemKind::Pr));
            page.commits.push(GhCommit {
                sha: "abc".into(),
                author_login: None,
                author_name: Some("A".into()),
                author_email: Some("a@example.org".into()),
                committer_login: Some("web-flow".into()),
                message: Some("x".repeat(MAX_MESSAGE_BYTES + 10)),
                authored_at: None,
            });
            page.commit_pulls.push(CommitPulls {
                sha: "abc".into(),
                numbers: vec![7, 9],
            });
            page.users.push(GhUser {
                login: "Someone".into(),
                github_id: Some(3),
                name: None,
                html_url: None,
            });
            store.save_github_page("o/r", &page).expect("save");
            let items = store.github_items("o/r").expect("items");
            assert_eq!(items[0].item.merge_commit_sha.as_deref(), Some("abc"));
            assert_eq!(items[1].item.merge_commit_sha, None);
            let commits = store.github_commits("o/r").expect("commits");
            assert_eq!(commits["abc"].author_login, None);
            assert_eq!(
                commits["abc"].message.as_ref().map(String::len),
                Some(MAX_MESSAGE_BYTES)
            );
            assert_eq!(
                store.github_commit_pulls("o/r").expect("pulls")["abc"],
                vec![7, 9]
            );
            let users = store.github_users().expect("users");
            assert_eq!(users["Someone"].name, None);
        }
    }

    #[test]
    fn a_long_message_is_cut_at_a_character_boundary() {
        let text = "é".repeat(MAX_MESSAGE_BYTES);
        let cut = bounded_message(&text);
        assert!(cut.len() <= MAX_MESSAGE_BYTES);
        assert!(cut.chars().all(|c| c == 'é'));
    }
}
