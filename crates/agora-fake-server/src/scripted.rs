//! A fake GitHub for one repository whose history, PRs, reviews and users a test scripts,
//! serving both what changelist 0.5 asks (through PyGithub) and what `agora github sync
//! --release-notes` asks.
//!
//! [`ScriptedGithub::start`] takes a [`Script`]: the commits (the same hashes as a local git
//! repository the test built), references, PRs with the commits of their branches, reviews and
//! users with their emails. Answers are computed from it the way GitHub does:
//! - a commit's `author` / `committer` account is the user with the commit's email
//!   (`noreply@github.com` is `web-flow`); the GraphQL `authors` of a commit are its author and
//!   its `Co-authored-by:` trailers, matched the same way (`user: null` when none matches);
//! - `/compare/BASE...HEAD` lists the commits reachable from HEAD and not from BASE, oldest
//!   first, paginated (`per_page` default 250);
//! - `/commits/SHA/pulls` lists the PRs whose merge commit or branch contains SHA;
//! - `/commits` lists the default branch's history newest first; `/issues` lists the PRs as
//!   issues (with `pull_request`), honouring `since`;
//! - every object carries `url` fields on the fake's own origin (taken from the request's
//!   `Host`), so a client that follows them (PyGithub does) stays on the fake.
//!
//! Listings answer with `Link` headers and weak ETags (a matching `If-None-Match` gets 304),
//! like [`crate::github::FakeGithub`]. Every request is recorded, so a benchmark can count them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::paging::{link_header, page_of, query_params};
use crate::{FakeServer, RecordedRequest, Reply};

/// A user of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedUser {
    /// The login.
    pub login: String,
    /// The account id.
    pub id: u64,
    /// The display name (`None`: the account shows none).
    pub name: Option<String>,
    /// The emails GitHub matches to the account.
    pub emails: Vec<String>,
}

/// A commit of the script (as the test's git repository has it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedCommit {
    /// The hash.
    pub sha: String,
    /// The parents' hashes.
    pub parents: Vec<String>,
    /// The message.
    pub message: String,
    /// The author's name.
    pub author_name: String,
    /// The author's email.
    pub author_email: String,
    /// The author date, RFC 3339.
    pub author_date: String,
    /// The committer's name.
    pub committer_name: String,
    /// The committer's email.
    pub committer_email: String,
    /// The commit date, RFC 3339.
    pub committer_date: String,
}

/// A review of a scripted PR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedReview {
    /// The review id.
    pub id: u64,
    /// The reviewer's login.
    pub login: String,
    /// `APPROVED`, `COMMENTED`, …
    pub state: String,
    /// When it was submitted, RFC 3339.
    pub submitted_at: String,
}

/// A PR of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedPr {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// Its description.
    pub body: Option<String>,
    /// Its labels.
    pub labels: Vec<String>,
    /// Its author's login.
    pub user: String,
    /// When it was opened, RFC 3339.
    pub created_at: String,
    /// When it was merged, RFC 3339 (`None`: not merged).
    pub merged_at: Option<String>,
    /// The commit its merge made.
    pub merge_commit_sha: Option<String>,
    /// The commits of its branch.
    pub commits: Vec<String>,
    /// Its reviews.
    pub reviews: Vec<ScriptedReview>,
}

/// Everything the fake serves.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// `owner/name`.
    pub repo: String,
    /// The default branch's name.
    pub default_branch: String,
    /// Branches and tags: name → commit.
    pub refs: BTreeMap<String, String>,
    /// The commits.
    pub commits: Vec<ScriptedCommit>,
    /// The PRs.
    pub prs: Vec<ScriptedPr>,
    /// The users.
    pub users: Vec<ScriptedUser>,
    /// `pyproject.toml` at every revision (`None`: there is none).
    pub pyproject: Option<String>,
}

/// The fake; dropping it stops the server.
pub struct ScriptedGithub {
    server: FakeServer,
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Base64 (standard alphabet, padded), as GitHub's contents API sends file bodies.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'%', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

struct Served<'a> {
    script: &'a Script,
    base: String,
    by_sha: BTreeMap<&'a str, &'a ScriptedCommit>,
}

impl<'a> Served<'a> {
    fn repo_url(&self) -> String {
        format!("{}/repos/{}", self.base, self.script.repo)
    }

    fn user_by_email(&self, email: &str) -> Option<&'a ScriptedUser> {
        let email = email.to_lowercase();
        self.script
            .users
            .iter()
            .find(|u| u.emails.iter().any(|e| e.to_lowercase() == email))
    }

    fn user_by_login(&self, login: &str) -> Option<&'a ScriptedUser> {
        self.script
            .users
            .iter()
            .find(|u| u.login.eq_ignore_ascii_case(login))
    }

    fn simple_user(&self, user: &ScriptedUser) -> Value {
        json!({
            "login": user.login, "id": user.id, "node_id": format!("U_{}", user.id),
            "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", user.id),
            "gravatar_id": "",
            "url": format!("{}/users/{}", self.base, user.login),
            "html_url": format!("https://github.com/{}", user.login),
            "type": if user.login.ends_with("[bot]") { "Bot" } else { "User" },
            "site_admin": false,
        })
    }

    fn full_user(&self, user: &ScriptedUser) -> Value {
        let mut value = self.simple_user(user);
        value["name"] = json!(user.name);
        value["company"] = Value::Null;
        value["blog"] = json!("");
        value["location"] = Value::Null;
        value["email"] = Value::Null;
        value["bio"] = Value::Null;
        value["public_repos"] = json!(3);
        value["followers"] = json!(1);
        value["following"] = json!(0);
        value["created_at"] = json!("2015-01-01T00:00:00Z");
        value["updated_at"] = json!("2024-01-01T00:00:00Z");
        value
    }

    fn user_value(&self, user: Option<&ScriptedUser>) -> Value {
        user.map_or(Value::Null, |u| self.simple_user(u))
    }

    fn commit_json(&self, c: &ScriptedCommit) -> Value {
        let repo_url = self.repo_url();
        let committer = if c.committer_email.eq_ignore_ascii_case("noreply@github.com") {
            self.user_by_login("web-flow")
        } else {
            self.user_by_email(&c.committer_email)
        };
        json!({
            "sha": c.sha, "node_id": format!("C_{}", &c.sha[..c.sha.len().min(12)]),
            "url": format!("{repo_url}/commits/{}", c.sha),
            "html_url": format!("https://github.com/{}/commit/{}", self.script.repo, c.sha),
            "comments_url": format!("{repo_url}/commits/{}/comments", c.sha),
            "commit": {
                "url": format!("{repo_url}/git/commits/{}", c.sha),
                "author": {"name": c.author_name, "email": c.author_email, "date": c.author_date},
                "committer": {"name": c.committer_name, "email": c.committer_email, "date": c.committer_date},
                "message": c.message,
                "tree": {"sha": "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "url": format!("{repo_url}/git/trees/4b825dc642cb6eb9a060e54bf8d69288fbee4904")},
                "comment_count": 0,
                "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null},
            },
            "author": self.user_value(self.user_by_email(&c.author_email)),
            "committer": self.user_value(committer),
            "parents": c.parents.iter().map(|p| json!({
                "sha": p, "url": format!("{repo_url}/commits/{p}"),
                "html_url": format!("https://github.com/{}/commit/{p}", self.script.repo),
            })).collect::<Vec<_>>(),
        })
    }

    fn label_json(&self, name: &str) -> Value {
        json!({"id": hash_of(&name) % 1_000_000_000, "node_id": "LA", "name": name,
               "url": format!("{}/labels/{}", self.repo_url(), name.replace(' ', "%20")),
               "color": "ededed", "default": false, "description": null})
    }

    fn pr_json(&self, pr: &ScriptedPr, full: bool) -> Value {
        let repo_url = self.repo_url();
        let user = self.user_by_login(&pr.user);
        let updated = pr
            .merged_at
            .clone()
            .unwrap_or_else(|| pr.created_at.clone());
        let mut value = json!({
            "url": format!("{repo_url}/pulls/{}", pr.number),
            "id": 800_000_000 + pr.number, "node_id": format!("PR_{}", pr.number),
            "html_url": format!("https://github.com/{}/pull/{}", self.script.repo, pr.number),
            "issue_url": format!("{repo_url}/issues/{}", pr.number),
            "number": pr.number,
            "state": if pr.merged_at.is_some() { "closed" } else { "open" },
            "locked": false, "title": pr.title,
            "user": self.user_value(user),
            "body": pr.body,
            "labels": pr.labels.iter().map(|l| self.label_json(l)).collect::<Vec<_>>(),
            "created_at": pr.created_at, "updated_at": updated,
            "closed_at": pr.merged_at, "merged_at": pr.merged_at,
            "merge_commit_sha": pr.merge_commit_sha,
            "assignee": null, "assignees": [], "requested_reviewers": [], "requested_teams": [],
            "milestone": null, "draft": false,
            "commits_url": format!("{repo_url}/pulls/{}/commits", pr.number),
            "review_comments_url": format!("{repo_url}/pulls/{}/comments", pr.number),
            "comments_url": format!("{repo_url}/issues/{}/comments", pr.number),
            "head": {"label": format!("fork:pr-{}", pr.number), "ref": format!("pr-{}", pr.number),
                     "sha": pr.commits.last().cloned().unwrap_or_default()},
            "base": {"label": format!("o:{}", self.script.default_branch),
                     "ref": self.script.default_branch, "sha": ""},
            "author_association": "CONTRIBUTOR",
            "auto_merge": null, "active_lock_reason": null,
        });
        if full {
            value["merged"] = json!(pr.merged_at.is_some());
            value["mergeable"] = Value::Null;
            value["merged_by"] = Value::Null;
            value["comments"] = json!(0);
            value["review_comments"] = json!(0);
            value["commits"] = json!(pr.commits.len());
            value["additions"] = json!(1);
            value["deletions"] = json!(0);
            value["changed_files"] = json!(1);
            value["maintainer_can_modify"] = json!(false);
        }
        value
    }

    fn issue_json(&self, pr: &ScriptedPr) -> Value {
        let mut value = self.pr_json(pr, false);
        value["pull_request"] = json!({
            "url": format!("{}/pulls/{}", self.repo_url(), pr.number),
            "html_url": format!("https://github.com/{}/pull/{}", self.script.repo, pr.number),
            "merged_at": pr.merged_at,
        });
        value["comments"] = json!(0);
        value["reactions"] = json!({"total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
            "confused": 0, "heart": 0, "rocket": 0, "eyes": 0});
        value["state_reason"] = Value::Null;
        value
    }

    fn resolve(&self, rev: &str) -> Option<&'a ScriptedCommit> {
        if let Some(sha) = self.script.refs.get(rev) {
            return self.by_sha.get(sha.as_str()).copied();
        }
        if rev.len() >= 7 {
            return self.script.commits.iter().find(|c| c.sha.starts_with(rev));
        }
        None
    }

    fn ancestors(&self, tip: &str) -> Vec<&'a ScriptedCommit> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut stack = vec![tip.to_string()];
        while let Some(sha) = stack.pop() {
            if !seen.insert(sha.clone()) {
                continue;
            }
            if let Some(c) = self.by_sha.get(sha.as_str()) {
                out.push(*c);
                stack.extend(c.parents.iter().cloned());
            }
        }
        out
    }

    /// Newest first by commit date (then hash), as GitHub lists history.
    fn by_date_desc(mut commits: Vec<&'a ScriptedCommit>) -> Vec<&'a ScriptedCommit> {
        commits.sort_by(|a, b| {
            b.committer_date
                .cmp(&a.committer_date)
                .then_with(|| b.sha.cmp(&a.sha))
        });
        commits
    }
}

fn with_etag(request: &RecordedRequest, body: String, link: Option<String>) -> Reply {
    let etag = format!("W/\"{:016x}\"", hash_of(&body));
    let rate = |reply: Reply| {
        reply
            .header("x-ratelimit-limit", "5000")
            .header("x-ratelimit-remaining", "4999")
            .header("x-ratelimit-used", "1")
            .header("x-ratelimit-reset", "4102444800")
            .header("x-ratelimit-resource", "core")
    };
    if request.header("if-none-match") == Some(etag.as_str()) {
        return rate(Reply::not_modified().header("etag", etag));
    }
    let mut reply = Reply::json_text(200, body)
        .header("content-type", "application/json; charset=utf-8")
        .header("etag", etag);
    if let Some(link) = link {
        reply = reply.header("link", link);
    }
    rate(reply)
}

fn not_found() -> Reply {
    Reply::json(
        404,
        &json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}),
    )
}

fn listing(
    request: &RecordedRequest,
    base: &str,
    values: Vec<Value>,
    default: usize,
    max: usize,
) -> Reply {
    let params = query_params(request);
    let (range, page, last) = page_of(&params, values.len(), default, max);
    let body = Value::Array(values[range].to_vec()).to_string();
    with_etag(request, body, link_header(request, base, page, last))
}

/// The commit a GraphQL query asks about (`object(expression: "SHA")`).
fn graphql_expression(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let query = value.get("query")?.as_str()?;
    let start = query.find("expression:")? + "expression:".len();
    let rest = query[start..].trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

fn co_authors(message: &str) -> Vec<(String, String)> {
    message
        .lines()
        .filter_map(|line| {
            let value = line.trim().strip_prefix("Co-authored-by:")?.trim();
            let open = value.rfind('<')?;
            let close = value.rfind('>')?;
            (open < close).then(|| {
                (
                    value[..open].trim().to_string(),
                    value[open + 1..close].trim().to_string(),
                )
            })
        })
        .collect()
}

fn answer(script: &Script, request: &RecordedRequest) -> Reply {
    let base = request.base_url().unwrap_or_default();
    let served = Served {
        script,
        base: base.clone(),
        by_sha: script.commits.iter().map(|c| (c.sha.as_str(), c)).collect(),
    };
    let path = request.path_only();
    if request.method == "POST" && path == "/graphql" {
        let Some(sha) = graphql_expression(&request.body) else {
            return Reply::json(400, &json!({"message": "Problems parsing JSON"}));
        };
        let Some(commit) = served.resolve(&sha) else {
            return Reply::json(200, &json!({"data": {"repository": {"object": null}}}));
        };
        let mut people = vec![(commit.author_name.clone(), commit.author_email.clone())];
        people.extend(co_authors(&commit.message));
        let edges: Vec<Value> = people
            .iter()
            .enumerate()
            .map(|(i, (name, email))| {
                let user = served.user_by_email(email).map_or(Value::Null, |u| {
                    json!({"login": u.login, "databaseId": u.id})
                });
                json!({"cursor": format!("c{i}"), "node": {"name": name, "email": email, "user": user}})
            })
            .collect();
        return Reply::json(
            200,
            &json!({"data": {"repository": {"object": {
                "commitUrl": format!("https://github.com/{}/commit/{}", script.repo, commit.sha),
                "authors": {"edges": edges}}}}}),
        );
    }
    if request.method != "GET" {
        return not_found();
    }
    if let Some(login) = path.strip_prefix("/users/") {
        return match served.user_by_login(&percent_decode(login)) {
            Some(user) => with_etag(request, served.full_user(user).to_string(), None),
            None => not_found(),
        };
    }
    if let Some(id) = path.strip_prefix("/user/") {
        let user = id
            .parse::<u64>()
            .ok()
            .and_then(|id| script.users.iter().find(|u| u.id == id));
        return match user {
            Some(user) => with_etag(request, served.full_user(user).to_string(), None),
            None => not_found(),
        };
    }
    let prefix = format!("/repos/{}", script.repo);
    let Some(rest) = path.strip_prefix(&prefix) else {
        return not_found();
    };
    let segments: Vec<String> = rest
        .trim_start_matches('/')
        .split('/')
        .map(percent_decode)
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    match segments.as_slice() {
        [""] => {
            let (owner, name) = script.repo.split_once('/').unwrap_or(("", ""));
            let value = json!({
                "id": 1_234_567, "node_id": "R_1", "name": name, "full_name": script.repo,
                "private": false, "owner": {"login": owner, "id": 1, "type": "Organization",
                    "url": format!("{base}/users/{owner}"), "html_url": format!("https://github.com/{owner}")},
                "html_url": format!("https://github.com/{}", script.repo),
                "url": served.repo_url(), "default_branch": script.default_branch,
                "fork": false, "created_at": "2010-01-01T00:00:00Z",
                "updated_at": "2025-01-01T00:00:00Z", "pushed_at": "2025-01-01T00:00:00Z",
            });
            with_etag(request, value.to_string(), None)
        }
        ["contents", "pyproject.toml"] => match &script.pyproject {
            Some(text) => {
                let value = json!({
                    "type": "file", "encoding": "base64", "size": text.len(),
                    "name": "pyproject.toml", "path": "pyproject.toml",
                    "content": base64(text.as_bytes()),
                    "sha": format!("{:040x}", hash_of(text)),
                    "url": format!("{}/contents/pyproject.toml", served.repo_url()),
                    "html_url": format!("https://github.com/{}/blob/main/pyproject.toml", script.repo),
                    "git_url": null, "download_url": null,
                });
                with_etag(request, value.to_string(), None)
            }
            None => not_found(),
        },
        ["compare", basehead] => {
            let Some((b, h)) = basehead.split_once("...") else {
                return not_found();
            };
            let (Some(base_commit), Some(head_commit)) = (served.resolve(b), served.resolve(h))
            else {
                return not_found();
            };
            let excluded: HashSet<&str> = served
                .ancestors(&base_commit.sha)
                .iter()
                .map(|c| c.sha.as_str())
                .collect();
            let mut commits: Vec<&ScriptedCommit> = served
                .ancestors(&head_commit.sha)
                .into_iter()
                .filter(|c| !excluded.contains(c.sha.as_str()))
                .collect();
            commits = Served::by_date_desc(commits);
            commits.reverse();
            let params = query_params(request);
            let (range, page, last) = page_of(&params, commits.len(), 250, 1000);
            let value = json!({
                "url": format!("{}/compare/{basehead}", served.repo_url()),
                "html_url": format!("https://github.com/{}/compare/{basehead}", script.repo),
                "permalink_url": format!("https://github.com/{}/compare/{basehead}", script.repo),
                "diff_url": "", "patch_url": "",
                "base_commit": served.commit_json(base_commit),
                "merge_base_commit": served.commit_json(base_commit),
                "status": "ahead", "ahead_by": commits.len(), "behind_by": 0,
                "total_commits": commits.len(),
                "commits": commits[range].iter().map(|c| served.commit_json(c)).collect::<Vec<_>>(),
                "files": [],
            });
            with_etag(
                request,
                value.to_string(),
                link_header(request, &base, page, last),
            )
        }
        ["commits"] => {
            let tip = script
                .refs
                .get(&script.default_branch)
                .cloned()
                .unwrap_or_default();
            let commits = Served::by_date_desc(served.ancestors(&tip));
            let values = commits.iter().map(|c| served.commit_json(c)).collect();
            listing(request, &base, values, 30, 100)
        }
        ["commits", rev] => match served.resolve(rev) {
            Some(c) => {
                let mut value = served.commit_json(c);
                value["stats"] = json!({"total": 0, "additions": 0, "deletions": 0});
                value["files"] = json!([]);
                with_etag(request, value.to_string(), None)
            }
            None => Reply::json(
                422,
                &json!({"message": format!("No commit found for SHA: {rev}")}),
            ),
        },
        ["commits", sha, "pulls"] => {
            let Some(commit) = served.resolve(sha) else {
                return Reply::json(
                    422,
                    &json!({"message": format!("No commit found for SHA: {sha}")}),
                );
            };
            let values = script
                .prs
                .iter()
                .filter(|pr| {
                    pr.merge_commit_sha.as_deref() == Some(commit.sha.as_str())
                        || pr.commits.contains(&commit.sha)
                })
                .map(|pr| served.pr_json(pr, false))
                .collect();
            listing(request, &base, values, 30, 100)
        }
        ["issues", "comments"]
        | ["pulls", "comments"]
        | ["labels"]
        | ["milestones"]
        | ["releases"] => listing(request, &base, Vec::new(), 30, 100),
        ["pulls", number] => {
            match number
                .parse::<u64>()
                .ok()
                .and_then(|n| script.prs.iter().find(|p| p.number == n))
            {
                Some(pr) => with_etag(request, served.pr_json(pr, true).to_string(), None),
                None => not_found(),
            }
        }
        ["pulls", number, "reviews"] => {
            let Some(pr) = number
                .parse::<u64>()
                .ok()
                .and_then(|n| script.prs.iter().find(|p| p.number == n))
            else {
                return not_found();
            };
            let values = pr
                .reviews
                .iter()
                .map(|r| {
                    json!({"id": r.id, "node_id": format!("PRR_{}", r.id),
                        "user": served.user_value(served.user_by_login(&r.login)),
                        "body": "", "state": r.state, "submitted_at": r.submitted_at,
                        "commit_id": pr.commits.last(), "author_association": "MEMBER",
                        "html_url": format!("https://github.com/{}/pull/{}#pullrequestreview-{}", script.repo, pr.number, r.id),
                        "pull_request_url": format!("{}/pulls/{}", served.repo_url(), pr.number)})
                })
                .collect();
            listing(request, &base, values, 30, 100)
        }
        ["issues"] => {
            let params = query_params(request);
            let since = params.get("since").cloned().unwrap_or_default();
            let mut prs: Vec<&ScriptedPr> = script
                .prs
                .iter()
                .filter(|pr| {
                    pr.merged_at
                        .clone()
                        .unwrap_or_else(|| pr.created_at.clone())
                        >= since
                })
                .collect();
            prs.sort_by_key(|pr| {
                (
                    pr.merged_at
                        .clone()
                        .unwrap_or_else(|| pr.created_at.clone()),
                    pr.number,
                )
            });
            if params.get("direction").map(String::as_str) == Some("desc") {
                prs.reverse();
            }
            let values = prs.iter().map(|pr| served.issue_json(pr)).collect();
            listing(request, &base, values, 30, 100)
        }
        _ => not_found(),
    }
}

impl ScriptedGithub {
    /// Starts serving `script`.
    pub fn start(script: Script) -> ScriptedGithub {
        let script = Arc::new(script);
        let server = FakeServer::start(move |request| answer(&script, request));
        ScriptedGithub { server }
    }

    /// Starts serving `script`, appending `METHOD PATH` of every request to `log` (for a
    /// benchmark in another process to count them).
    pub fn start_logged(script: Script, log: std::path::PathBuf) -> ScriptedGithub {
        let script = Arc::new(script);
        let log = std::sync::Mutex::new(log);
        let server = FakeServer::start(move |request| {
            if let Ok(path) = log.lock() {
                let line = format!("{} {}\n", request.method, request.path);
                let _ = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&*path)
                    .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
            }
            answer(&script, request)
        });
        ScriptedGithub { server }
    }

    /// The API root (`http://127.0.0.1:PORT`).
    pub fn api_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (its recorded requests).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// The PR numbers GitHub would associate with each commit, for tests to compare with.
    pub fn associations(script: &Script) -> BTreeMap<String, BTreeSet<u64>> {
        let mut out: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
        for pr in &script.prs {
            for sha in pr.commits.iter().chain(pr.merge_commit_sha.iter()) {
                out.entry(sha.clone()).or_default().insert(pr.number);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_python() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"[tool]\n"), "W3Rvb2xdCg==");
    }

    #[test]
    fn graphql_names_its_commit() {
        let body = br#"{"query": "query {  repository (owner: \"o\" name: \"r\") {    object(expression: \"abc123\" ) {}}}"}"#;
        assert_eq!(graphql_expression(body).as_deref(), Some("abc123"));
        assert_eq!(graphql_expression(b"not json"), None);
    }
}
