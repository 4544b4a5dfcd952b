//! A fake GitHub for pull-request campaigns (`agora repos pr`): repositories, forks and PRs
//! that requests create and change, with the time of every request that writes.
//!
//! [`FakePulls::start`] takes the repositories (name, default branch, clone URL) and the login
//! of the token's user. It answers what a campaign asks, the way GitHub does:
//! - `GET /user`; `GET /repos/O/N` (a fork has `fork: true` and its `parent`);
//! - `POST /repos/O/N/forks` makes `USER/N` (clone URL from [`FakePulls::fork_clone_url`])
//!   or answers the fork already made, 202 either way;
//! - `GET /repos/O/N/pulls?head=OWNER:BRANCH&state=…` lists matching PRs, newest first;
//! - `POST /repos/O/N/pulls` opens one (201), or answers 422 "A pull request already exists"
//!   when an open PR has the same head and base, or 422 when the base branch is unknown;
//! - `POST …/issues/N/labels`, `POST …/pulls/N/requested_reviewers`, `GET`/`PATCH …/pulls/N`.
//!
//! Misbehaviour on demand: [`FakePulls::secondary_limit`] answers the next content-creating
//! requests with GitHub's secondary rate limit (403, `Retry-After`), creating nothing;
//! [`FakePulls::hang_pull_creation_after`] makes the PR of every creation after the first
//! `n` and then holds the answer back, as a server whose reply a killed client never read.
//! [`FakePulls::writes`] lists every non-GET request with the instant it arrived, so a test
//! can check the spacing between them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::paging::query_params;
use crate::{FakeServer, RecordedRequest, Reply};

/// A repository the fake knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRepo {
    /// `owner/name`.
    pub full_name: String,
    /// The default branch.
    pub default_branch: String,
    /// What `clone_url` says (a local bare repository in tests).
    pub clone_url: String,
    /// The repository it was forked from.
    pub parent: Option<String>,
}

/// A pull request the fake holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakePull {
    /// `owner/name` of the repository it was opened on.
    pub repo: String,
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// Its description.
    pub body: String,
    /// `owner:branch`.
    pub head: String,
    /// The base branch.
    pub base: String,
    /// Opened as a draft.
    pub draft: bool,
    /// `open` or `closed`.
    pub state: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// Reviewers requested.
    pub reviewers: Vec<String>,
}

/// One request that writes, as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// When it arrived.
    pub at: Instant,
    /// Its method.
    pub method: String,
    /// Its path.
    pub path: String,
    /// The status answered.
    pub status: u16,
}

#[derive(Debug, Default)]
struct State {
    user: String,
    repos: BTreeMap<String, FakeRepo>,
    pulls: Vec<FakePull>,
    writes: Vec<Write>,
    secondary_limit: u32,
    retry_after_secs: u64,
    hang_after: Option<usize>,
    fork_url_template: String,
}

/// The running fake; stops when dropped.
pub struct FakePulls {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for FakePulls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakePulls")
            .field("url", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakePulls {
    /// Starts the fake with `repos`, the token's user `user`, and forks cloned from
    /// `fork_url_template` with `{owner}` and `{name}` replaced.
    pub fn start(repos: Vec<FakeRepo>, user: &str, fork_url_template: &str) -> FakePulls {
        let state = Arc::new(Mutex::new(State {
            user: user.to_string(),
            repos: repos
                .into_iter()
                .map(|r| (r.full_name.to_ascii_lowercase(), r))
                .collect(),
            fork_url_template: fork_url_template.to_string(),
            retry_after_secs: 1,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let server = FakeServer::start(move |request| handle(&shared, request));
        FakePulls { server, state }
    }

    /// The API root.
    pub fn url(&self) -> String {
        self.server.base_url()
    }

    /// The clone URL a fork of `name` by `owner` gets.
    pub fn fork_clone_url(&self, owner: &str, name: &str) -> String {
        lock(&self.state)
            .fork_url_template
            .replace("{owner}", owner)
            .replace("{name}", name)
    }

    /// Answers the next `n` content-creating requests with a secondary rate limit
    /// (403, `Retry-After: secs`).
    pub fn secondary_limit(&self, n: u32, secs: u64) {
        let mut state = lock(&self.state);
        state.secondary_limit = n;
        state.retry_after_secs = secs;
    }

    /// After `n` PRs were created, creates each further PR but holds its answer back for
    /// a minute; `None` answers at once again.
    pub fn hang_pull_creation_after(&self, n: Option<usize>) {
        lock(&self.state).hang_after = n;
    }

    /// Every PR, in the order opened.
    pub fn pulls(&self) -> Vec<FakePull> {
        lock(&self.state).pulls.clone()
    }

    /// Every request that wrote (or tried to), in order of arrival.
    pub fn writes(&self) -> Vec<Write> {
        lock(&self.state).writes.clone()
    }

    /// Every request received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }
}

fn repo_json(base: &str, repo: &FakeRepo) -> Value {
    let mut value = json!({
        "full_name": repo.full_name,
        "name": repo.full_name.split('/').nth(1).unwrap_or(""),
        "owner": {"login": repo.full_name.split('/').next().unwrap_or("")},
        "default_branch": repo.default_branch,
        "clone_url": repo.clone_url,
        "url": format!("{base}/repos/{}", repo.full_name),
        "fork": repo.parent.is_some(),
    });
    if let Some(parent) = &repo.parent {
        value["parent"] = json!({"full_name": parent});
    }
    value
}

fn pull_json(base: &str, pull: &FakePull) -> Value {
    let (head_owner, head_ref) = pull.head.split_once(':').unwrap_or(("", &pull.head));
    json!({
        "number": pull.number,
        "url": format!("{base}/repos/{}/pulls/{}", pull.repo, pull.number),
        "html_url": format!("https://github.com/{}/pull/{}", pull.repo, pull.number),
        "state": pull.state,
        "title": pull.title,
        "body": pull.body,
        "draft": pull.draft,
        "merged_at": null,
        "labels": pull.labels.iter().map(|l| json!({"name": l})).collect::<Vec<_>>(),
        "requested_reviewers": pull.reviewers.iter().map(|l| json!({"login": l})).collect::<Vec<_>>(),
        "head": {"label": pull.head, "ref": head_ref, "user": {"login": head_owner}},
        "base": {"label": format!("{}:{}", pull.repo.split('/').next().unwrap_or(""), pull.base), "ref": pull.base},
    })
}

fn message(status: u16, text: &str) -> Reply {
    Reply::json(
        status,
        &json!({"message": text, "documentation_url": "https://docs.github.com/rest"}),
    )
}

fn handle(state: &Mutex<State>, request: &RecordedRequest) -> Reply {
    let arrived = Instant::now();
    let base = request.base_url().unwrap_or_default();
    let mut guard = lock(state);
    let reply = route(&mut guard, &base, request);
    if request.method != "GET" {
        guard.writes.push(Write {
            at: arrived,
            method: request.method.clone(),
            path: request.path.clone(),
            status: reply.status(),
        });
    }
    reply
}

fn route(state: &mut State, base: &str, request: &RecordedRequest) -> Reply {
    let path = request.path_only().trim_end_matches('/').to_string();
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let method = request.method.as_str();
    if method != "GET" && state.secondary_limit > 0 {
        state.secondary_limit -= 1;
        return message(
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        )
        .header("Retry-After", state.retry_after_secs.to_string());
    }
    let body: Value = if request.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&request.body) {
            Ok(value) => value,
            Err(_) => return message(400, "Problems parsing JSON"),
        }
    };
    match (method, parts.as_slice()) {
        ("GET", ["user"]) => Reply::json(200, &json!({"login": state.user})),
        ("GET", ["repos", owner, name]) => {
            match state
                .repos
                .get(&format!("{owner}/{name}").to_ascii_lowercase())
            {
                Some(repo) => Reply::json(200, &repo_json(base, repo)),
                None => message(404, "Not Found"),
            }
        }
        ("POST", ["repos", owner, name, "forks"]) => {
            let full = format!("{owner}/{name}");
            let Some(parent) = state.repos.get(&full.to_ascii_lowercase()).cloned() else {
                return message(404, "Not Found");
            };
            let fork_name = format!("{}/{name}", state.user);
            let fork = state
                .repos
                .entry(fork_name.to_ascii_lowercase())
                .or_insert_with(|| FakeRepo {
                    full_name: fork_name.clone(),
                    default_branch: parent.default_branch.clone(),
                    clone_url: state
                        .fork_url_template
                        .replace("{owner}", &state.user)
                        .replace("{name}", name),
                    parent: Some(parent.full_name.clone()),
                })
                .clone();
            Reply::json(202, &repo_json(base, &fork))
        }
        ("GET", ["repos", owner, name, "pulls"]) => {
            let full = format!("{owner}/{name}");
            let params = query_params(request);
            let wanted_state = params.get("state").map_or("open", String::as_str);
            let mut found: Vec<Value> = state
                .pulls
                .iter()
                .rev()
                .filter(|p| p.repo.eq_ignore_ascii_case(&full))
                .filter(|p| params.get("head").is_none_or(|h| *h == p.head))
                .filter(|p| wanted_state == "all" || p.state == wanted_state)
                .map(|p| pull_json(base, p))
                .collect();
            found.truncate(100);
            Reply::json(200, &Value::Array(found))
        }
        ("POST", ["repos", owner, name, "pulls"]) => {
            let full = format!("{owner}/{name}");
            let Some(repo) = state.repos.get(&full.to_ascii_lowercase()).cloned() else {
                return message(404, "Not Found");
            };
            let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
            let (Some(title), Some(head), Some(base_ref)) =
                (text("title"), text("head"), text("base"))
            else {
                return message(422, "Validation Failed: title, head and base are required");
            };
            let head = if head.contains(':') {
                head
            } else {
                format!("{owner}:{head}")
            };
            if base_ref != repo.default_branch {
                return message(
                    422,
                    &format!("Validation Failed: base {base_ref} is not a branch"),
                );
            }
            if state.pulls.iter().any(|p| {
                p.repo == repo.full_name
                    && p.head == head
                    && p.base == base_ref
                    && p.state == "open"
            }) {
                return message(
                    422,
                    &format!("Validation Failed: A pull request already exists for {head}."),
                );
            }
            let number = 1 + state
                .pulls
                .iter()
                .filter(|p| p.repo == repo.full_name)
                .map(|p| p.number)
                .max()
                .unwrap_or(0);
            let pull = FakePull {
                repo: repo.full_name.clone(),
                number,
                title,
                body: text("body").unwrap_or_default(),
                head,
                base: base_ref,
                draft: body.get("draft").and_then(Value::as_bool).unwrap_or(false),
                state: "open".into(),
                labels: Vec::new(),
                reviewers: Vec::new(),
            };
            let reply = Reply::json(201, &pull_json(base, &pull));
            let created_before = state.pulls.len();
            state.pulls.push(pull);
            match state.hang_after {
                Some(n) if created_before >= n => reply.delay(Duration::from_secs(60)),
                _ => reply,
            }
        }
        ("POST", ["repos", owner, name, "issues", number, "labels"]) => {
            let full = format!("{owner}/{name}");
            let labels = strings(&body, "labels");
            match find_pull(state, &full, number) {
                Some(pull) => {
                    for label in labels {
                        if !pull.labels.contains(&label) {
                            pull.labels.push(label);
                        }
                    }
                    let names: Vec<Value> =
                        pull.labels.iter().map(|l| json!({"name": l})).collect();
                    Reply::json(200, &Value::Array(names))
                }
                None => message(404, "Not Found"),
            }
        }
        ("POST", ["repos", owner, name, "pulls", number, "requested_reviewers"]) => {
            let full = format!("{owner}/{name}");
            let reviewers = strings(&body, "reviewers");
            match find_pull(state, &full, number) {
                Some(pull) => {
                    pull.reviewers.extend(reviewers);
                    let pull = pull.clone();
                    Reply::json(201, &pull_json(base, &pull))
                }
                None => message(404, "Not Found"),
            }
        }
        ("GET", ["repos", owner, name, "pulls", number]) => {
            let full = format!("{owner}/{name}");
            match find_pull(state, &full, number) {
                Some(pull) => {
                    let pull = pull.clone();
                    Reply::json(200, &pull_json(base, &pull))
                }
                None => message(404, "Not Found"),
            }
        }
        ("PATCH", ["repos", owner, name, "pulls", number]) => {
            let full = format!("{owner}/{name}");
            let new_state = body
                .get("state")
                .and_then(Value::as_str)
                .map(str::to_string);
            match find_pull(state, &full, number) {
                Some(pull) => {
                    if let Some(new_state) = new_state {
                        pull.state = new_state;
                    }
                    let pull = pull.clone();
                    Reply::json(200, &pull_json(base, &pull))
                }
                None => message(404, "Not Found"),
            }
        }
        _ => message(404, "Not Found"),
    }
}

/// The strings of the JSON array `body[key]` (none when it is missing).
fn strings(body: &Value, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn find_pull<'a>(state: &'a mut State, repo: &str, number: &str) -> Option<&'a mut FakePull> {
    let number: u64 = number.parse().ok()?;
    state
        .pulls
        .iter_mut()
        .find(|p| p.repo.eq_ignore_ascii_case(repo) && p.number == number)
}
