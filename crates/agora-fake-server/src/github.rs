//! A fake GitHub REST API for one repository, built from real devstats dumps.
//!
//! [`FakeGithub::from_dumps`] reads an issues dump and a PR dump (the format of
//! `../shared/data/github/devstats/`) and keeps the items whose number a filter accepts.
//! What the dumps lack is generated, deterministically: bodies and comment texts, issue
//! authors, PR `updated_at` (the merge or creation time), reviews (one `APPROVED` review per
//! approval the dump counts), one review comment per approved PR, a few labels' colours and
//! two releases. Comments are the dumps' `IssueComment` timeline entries (author and time).
//!
//! It serves what `agora github sync` asks: `/repos/O/R/issues` (issues and PRs, with a
//! `pull_request` key on PRs), `/issues/comments`, `/pulls/comments`, `/pulls/N`,
//! `/pulls/N/reviews`, `/labels`, `/milestones`, `/releases`; listings honour `since`
//! (inclusive), `sort=updated`, `direction`, `per_page` and `page`, and answer with a real
//! `Link` header (`next`, `last`), a weak ETag over the body (a matching `If-None-Match` gets a
//! 304), and `x-ratelimit-*` headers (a 304 does not use the budget, as on GitHub).
//!
//! Tests script it: [`FakeGithub::edit`] changes an item (new title, body and `updated_at`),
//! [`FakeGithub::push_fault`] makes the next matching request fail (403 rate limit with a
//! reset, 403 or 429 with `Retry-After`, 502, a connection dropped mid-body or before answering),
//! [`FakeGithub::fail_after`] drops every request after the next `n` (a network loss, or a
//! sync killed at that point), and [`FakeGithub::set_budget`] sets the rate-limit budget.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::paging::{link_header, page_of, query_params};
use crate::{FakeServer, RecordedRequest, Reply};

/// A scripted failure of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 403 with `x-ratelimit-remaining: 0` and a reset `reset_in` seconds ahead.
    RateLimit {
        /// Seconds until the reset.
        reset_in: u64,
    },
    /// 429 with `Retry-After: secs` (a secondary rate limit).
    RetryAfter {
        /// The seconds to wait.
        secs: u64,
    },
    /// 403 with `Retry-After: secs` and budget left (GitHub's usual secondary rate limit).
    SecondaryLimit {
        /// The seconds to wait.
        secs: u64,
    },
    /// 502 Bad Gateway.
    BadGateway,
    /// The answer announces its full length and stops halfway through the body.
    DropMidBody,
    /// The connection closes before any answer.
    Drop,
}

#[derive(Clone, Debug)]
struct FakePr {
    base: String,
    draft: bool,
    merged_at: Option<String>,
    merged_by: Option<String>,
    mergeable: Option<bool>,
    additions: u64,
    deletions: u64,
    reviews: Vec<Value>,
}

#[derive(Clone, Debug)]
struct FakeItem {
    number: u64,
    id: u64,
    title: String,
    body: String,
    state: String,
    labels: Vec<String>,
    user: Option<String>,
    association: String,
    created_at: String,
    updated_at: String,
    closed_at: Option<String>,
    pr: Option<FakePr>,
}

#[derive(Clone, Debug)]
struct FakeComment {
    id: u64,
    number: u64,
    user: Option<String>,
    body: String,
    created_at: String,
    updated_at: String,
    review: bool,
}

struct State {
    repo: String,
    items: BTreeMap<u64, FakeItem>,
    comments: Vec<FakeComment>,
    /// Items by (updated_at, number), rebuilt on edits: listings slice it, never sort.
    item_order: Vec<(String, u64)>,
    /// Conversation comments (`[0]`) and review comments (`[1]`) by (updated_at, id):
    /// indices into `comments`.
    comment_order: [Vec<(String, u64, usize)>; 2],
    /// Conversation comments per item.
    comment_counts: BTreeMap<u64, usize>,
    labels: Vec<String>,
    faults: VecDeque<(String, Fault)>,
    fail_after: Option<usize>,
    served_since_fail_after: usize,
    remaining: u64,
    limit: u64,
    reset_at: u64,
    edits: u64,
}

/// A fake GitHub serving one repository; dropping it stops the server.
pub struct FakeGithub {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

const WORDS: &[&str] = &[
    "segfault",
    "sparse",
    "matrix",
    "integrate",
    "optimize",
    "regression",
    "wheel",
    "windows",
    "docs",
    "deprecation",
    "interpolate",
    "signal",
    "benchmark",
    "memory",
    "precision",
    "random",
    "linalg",
    "build",
    "meson",
    "typing",
];

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A paragraph of made-up words, the same for the same seed.
fn generated_text(kind: &str, seed: u64, title: &str) -> String {
    let words: Vec<&str> = (0..12)
        .map(|i| WORDS[(hash_of(&(seed, i)) % WORDS.len() as u64) as usize])
        .collect();
    format!(
        "{kind} #{seed} about {title}.\n\nObserved with {} and {}: {}.",
        words[0],
        words[1],
        words[2..].join(" ")
    )
}

fn login(value: &Value) -> Option<String> {
    value.get("login")?.as_str().map(str::to_string)
}

fn text_of(node: &Value, key: &str) -> Option<String> {
    node.get(key)?.as_str().map(str::to_string)
}

fn user_json(login: &Option<String>) -> Value {
    match login {
        Some(l) => json!({"login": l, "id": hash_of(l) % 1_000_000, "type": "User"}),
        None => Value::Null,
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl State {
    fn index(&mut self) {
        let mut order: Vec<(String, u64)> = self
            .items
            .values()
            .map(|i| (i.updated_at.clone(), i.number))
            .collect();
        order.sort();
        self.item_order = order;
        let mut comment_order: [Vec<(String, u64, usize)>; 2] = [Vec::new(), Vec::new()];
        let mut counts = BTreeMap::new();
        for (index, c) in self.comments.iter().enumerate() {
            comment_order[usize::from(c.review)].push((c.updated_at.clone(), c.id, index));
            if !c.review {
                *counts.entry(c.number).or_insert(0) += 1;
            }
        }
        for order in &mut comment_order {
            order.sort();
        }
        self.comment_order = comment_order;
        self.comment_counts = counts;
    }

    /// The positions of page `range` in a listing of `len` entries, oldest first or reversed.
    fn positions(range: std::ops::Range<usize>, len: usize, descending: bool) -> Vec<usize> {
        range
            .map(|i| if descending { len - 1 - i } else { i })
            .collect()
    }

    fn issue_json(&self, item: &FakeItem, comments: usize) -> Value {
        let repo = &self.repo;
        let mut value = json!({
            "url": format!("https://api.github.com/repos/{repo}/issues/{}", item.number),
            "html_url": format!("https://github.com/{repo}/issues/{}", item.number),
            "id": item.id,
            "number": item.number,
            "title": item.title,
            "user": user_json(&item.user),
            "labels": item.labels.iter().map(|l| json!({"name": l, "color": "ededed", "description": null})).collect::<Vec<_>>(),
            "state": item.state,
            "state_reason": if item.state == "closed" && item.pr.is_none() { json!("completed") } else { Value::Null },
            "locked": false,
            "assignee": null,
            "assignees": [],
            "milestone": null,
            "comments": comments,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
            "closed_at": item.closed_at,
            "author_association": item.association,
            "active_lock_reason": null,
            "body": item.body,
            "reactions": {"total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
        });
        if let Some(pr) = &item.pr {
            value["pull_request"] = json!({
                "url": format!("https://api.github.com/repos/{repo}/pulls/{}", item.number),
                "merged_at": pr.merged_at,
            });
            value["draft"] = json!(pr.draft);
        }
        value
    }

    fn pull_json(&self, item: &FakeItem, pr: &FakePr) -> Value {
        let comments = self.comment_counts.get(&item.number).copied().unwrap_or(0);
        let mut value = self.issue_json(item, comments);
        let review_comments = self
            .comments
            .iter()
            .filter(|c| c.number == item.number && c.review)
            .count();
        value["base"] = json!({"ref": pr.base, "label": format!("scipy:{}", pr.base)});
        value["head"] = json!({"ref": format!("pr-{}", item.number)});
        value["merged"] = json!(pr.merged_at.is_some());
        value["merged_at"] = json!(pr.merged_at);
        value["merged_by"] = user_json(&pr.merged_by);
        value["mergeable"] = json!(pr.mergeable);
        value["requested_reviewers"] = json!([]);
        value["requested_teams"] = json!([]);
        value["additions"] = json!(pr.additions);
        value["deletions"] = json!(pr.deletions);
        value["changed_files"] = json!(1 + pr.additions % 7);
        value["commits"] = json!(1 + pr.deletions % 5);
        value["review_comments"] = json!(review_comments);
        value
    }

    fn comment_json(&self, c: &FakeComment) -> Value {
        let repo = &self.repo;
        let mut value = json!({
            "id": c.id,
            "user": user_json(&c.user),
            "body": c.body,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "author_association": "CONTRIBUTOR",
            "html_url": format!("https://github.com/{repo}/issues/{}#issuecomment-{}", c.number, c.id),
        });
        if c.review {
            value["pull_request_url"] = json!(format!(
                "https://api.github.com/repos/{repo}/pulls/{}",
                c.number
            ));
            value["pull_request_review_id"] = json!(c.id + 7);
            value["path"] = json!("scipy/__init__.py");
            value["in_reply_to_id"] = Value::Null;
        } else {
            value["issue_url"] = json!(format!(
                "https://api.github.com/repos/{repo}/issues/{}",
                c.number
            ));
        }
        value
    }

    fn rate_headers(&self, reply: Reply) -> Reply {
        reply
            .header("x-ratelimit-limit", self.limit.to_string())
            .header("x-ratelimit-remaining", self.remaining.to_string())
            .header("x-ratelimit-reset", self.reset_at.to_string())
            .header(
                "x-ratelimit-used",
                (self.limit - self.remaining).to_string(),
            )
            .header("x-ratelimit-resource", "core")
    }

    /// The page of `total` entries a listing request asks: (range, page, last page).
    fn page_of(request: &RecordedRequest, total: usize) -> (std::ops::Range<usize>, usize, usize) {
        page_of(&query_params(request), total, 30, 100)
    }

    /// A paginated listing of `values` (already filtered and sorted).
    fn listing(&mut self, request: &RecordedRequest, values: Vec<Value>) -> Reply {
        let (range, page, last) = State::page_of(request, values.len());
        let body: Vec<Value> = values[range].to_vec();
        self.listing_page(request, body, page, last)
    }

    /// One page of a listing, with its `Link` header.
    fn listing_page(
        &mut self,
        request: &RecordedRequest,
        body: Vec<Value>,
        page: usize,
        last: usize,
    ) -> Reply {
        let mut reply = self.object(request, &Value::Array(body));
        if reply.status() == 200 {
            let base = request.base_url().unwrap_or_default();
            if let Some(links) = link_header(request, &base, page, last) {
                reply = reply.header("link", links);
            }
        }
        reply
    }

    /// `value` with an ETag; a 304 when the client already has it.
    fn object(&mut self, request: &RecordedRequest, value: &Value) -> Reply {
        let body = value.to_string();
        let etag = format!("W/\"{:016x}\"", hash_of(&body));
        if request.header("if-none-match") == Some(etag.as_str()) {
            return self.rate_headers(Reply::not_modified().header("etag", etag));
        }
        // The budget never runs out by itself (tests make thousands of requests); only
        // `set_budget` empties it.
        if self.remaining > 1 {
            self.remaining -= 1;
        }
        self.rate_headers(
            Reply::json_text(200, body)
                .header("content-type", "application/json; charset=utf-8")
                .header("etag", etag),
        )
    }

    fn descending(params: &BTreeMap<String, String>) -> bool {
        params.get("direction").map(String::as_str) == Some("desc")
    }

    fn answer(&mut self, request: &RecordedRequest) -> Reply {
        let prefix = format!("/repos/{}/", self.repo);
        let Some(rest) = request.path_only().strip_prefix(&prefix) else {
            return Reply::json(404, &json!({"message": "Not Found"}));
        };
        let params = query_params(request);
        let since = params.get("since").cloned().unwrap_or_default();
        let descending = State::descending(&params);
        let segments: Vec<&str> = rest.split('/').collect();
        match segments.as_slice() {
            ["issues"] => {
                let start = self
                    .item_order
                    .partition_point(|(updated, _)| *updated < since);
                let selected = &self.item_order[start..];
                let (range, page, last) = State::page_of(request, selected.len());
                let body = State::positions(range, selected.len(), descending)
                    .into_iter()
                    .filter_map(|i| self.items.get(&selected[i].1))
                    .map(|item| {
                        let count = self.comment_counts.get(&item.number).copied();
                        self.issue_json(item, count.unwrap_or(0))
                    })
                    .collect();
                self.listing_page(request, body, page, last)
            }
            ["issues", "comments"] | ["pulls", "comments"] => {
                let order = &self.comment_order[usize::from(segments[0] == "pulls")];
                let start = order.partition_point(|(updated, _, _)| *updated < since);
                let selected = &order[start..];
                let (range, page, last) = State::page_of(request, selected.len());
                let body = State::positions(range, selected.len(), descending)
                    .into_iter()
                    .filter_map(|i| self.comments.get(selected[i].2))
                    .map(|c| self.comment_json(c))
                    .collect();
                self.listing_page(request, body, page, last)
            }
            ["pulls", number] => {
                let found = number
                    .parse::<u64>()
                    .ok()
                    .and_then(|n| self.items.get(&n))
                    .and_then(|i| Some((i.clone(), i.pr.clone()?)));
                match found {
                    Some((item, pr)) => {
                        let value = self.pull_json(&item, &pr);
                        self.object(request, &value)
                    }
                    None => Reply::json(404, &json!({"message": "Not Found"})),
                }
            }
            ["pulls", number, "reviews"] => {
                let reviews = number
                    .parse::<u64>()
                    .ok()
                    .and_then(|n| self.items.get(&n))
                    .and_then(|i| i.pr.as_ref())
                    .map(|pr| pr.reviews.clone());
                match reviews {
                    Some(reviews) => self.listing(request, reviews),
                    None => Reply::json(404, &json!({"message": "Not Found"})),
                }
            }
            ["labels"] => {
                let values = self
                    .labels
                    .iter()
                    .map(|l| json!({"name": l, "color": "ededed", "description": format!("{l} things")}))
                    .collect();
                self.listing(request, values)
            }
            ["milestones"] => self.listing(
                request,
                vec![json!({"number": 1, "title": "1.8.0", "description": null,
                    "state": "closed", "open_issues": 0, "closed_issues": 3,
                    "created_at": "2021-01-01T00:00:00Z", "updated_at": "2021-06-01T00:00:00Z",
                    "closed_at": "2021-06-01T00:00:00Z", "due_on": null})],
            ),
            ["releases"] => self.listing(
                request,
                vec![
                    json!({"id": 2, "tag_name": "v1.8.0", "name": "SciPy 1.8.0",
                        "body": "Release notes.", "draft": false, "prerelease": false,
                        "author": {"login": "tylerjereddy"},
                        "created_at": "2022-02-05T00:00:00Z", "published_at": "2022-02-05T01:00:00Z"}),
                    json!({"id": 1, "tag_name": "v1.7.0", "name": "SciPy 1.7.0",
                        "body": "Release notes.", "draft": false, "prerelease": false,
                        "author": {"login": "tylerjereddy"},
                        "created_at": "2021-06-20T00:00:00Z", "published_at": "2021-06-20T01:00:00Z"}),
                ],
            ),
            _ => Reply::json(404, &json!({"message": "Not Found"})),
        }
    }

    fn handle(&mut self, request: &RecordedRequest) -> Reply {
        let now = now_secs();
        if now >= self.reset_at {
            self.remaining = self.limit;
            self.reset_at = now + 3600;
        }
        if let Some(limit) = self.fail_after {
            if self.served_since_fail_after >= limit {
                return Reply::drop_connection();
            }
            self.served_since_fail_after += 1;
        }
        let position = self
            .faults
            .iter()
            .position(|(needle, _)| request.path.contains(needle.as_str()));
        if let Some(fault) = position.and_then(|i| self.faults.remove(i)).map(|(_, f)| f) {
            return match fault {
                Fault::RateLimit { reset_in } => Reply::json(
                    403,
                    &json!({"message": "API rate limit exceeded for 127.0.0.1.",
                            "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}),
                )
                .header("x-ratelimit-limit", self.limit.to_string())
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", (now_secs() + reset_in).to_string()),
                Fault::RetryAfter { secs } => Reply::json(
                    429,
                    &json!({"message": "You have exceeded a secondary rate limit."}),
                )
                .header("retry-after", secs.to_string()),
                Fault::SecondaryLimit { secs } => Reply::json(
                    403,
                    &json!({"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}),
                )
                .header("x-ratelimit-remaining", self.remaining.to_string())
                .header("retry-after", secs.to_string()),
                Fault::BadGateway => Reply::text(502, "Bad Gateway"),
                Fault::Drop => Reply::drop_connection(),
                Fault::DropMidBody => {
                    let reply = self.answer(request);
                    let half = reply.body.len() / 2;
                    reply.truncate_after(half)
                }
            };
        }
        self.answer(request)
    }
}

impl FakeGithub {
    /// A fake GitHub for `repo` serving the items of the two dumps that `keep` accepts.
    pub fn from_dumps(
        repo: &str,
        issues_dump: &[u8],
        prs_dump: &[u8],
        keep: impl Fn(u64) -> bool,
    ) -> Result<FakeGithub, String> {
        let issues: Vec<Value> =
            serde_json::from_slice(issues_dump).map_err(|e| format!("issues dump: {e}"))?;
        let prs: Vec<Value> =
            serde_json::from_slice(prs_dump).map_err(|e| format!("PR dump: {e}"))?;
        let mut items = BTreeMap::new();
        let mut comments = Vec::new();
        let mut labels = BTreeSet::new();
        let mut next_comment_id = 1_000_000u64;
        for edge in &issues {
            let node = &edge["node"];
            let Some(number) = node["number"].as_u64().filter(|n| keep(*n)) else {
                continue;
            };
            let title = text_of(node, "title").unwrap_or_default();
            let item_labels: Vec<String> = node["labels"]["edges"]
                .as_array()
                .map(|edges| {
                    edges
                        .iter()
                        .filter_map(|e| text_of(&e["node"], "name"))
                        .collect()
                })
                .unwrap_or_default();
            labels.extend(item_labels.iter().cloned());
            let created_at = text_of(node, "createdAt").unwrap_or_default();
            for entry in node["timelineItems"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let entry = &entry["node"];
                if entry["__typename"] == "IssueComment" {
                    let created = text_of(entry, "createdAt").unwrap_or_else(|| created_at.clone());
                    comments.push(FakeComment {
                        id: next_comment_id,
                        number,
                        user: login(&entry["author"]),
                        body: generated_text("Comment", next_comment_id, &title),
                        updated_at: created.clone(),
                        created_at: created,
                        review: false,
                    });
                    next_comment_id += 1;
                }
            }
            let state = text_of(node, "state")
                .unwrap_or_default()
                .to_ascii_lowercase();
            items.insert(
                number,
                FakeItem {
                    number,
                    id: 500_000_000 + number,
                    body: generated_text("Issue", number, &title),
                    title,
                    state,
                    labels: item_labels,
                    user: Some(format!("user{}", number % 97)),
                    association: "NONE".into(),
                    updated_at: text_of(node, "updatedAt").unwrap_or_else(|| created_at.clone()),
                    created_at,
                    closed_at: text_of(node, "closedAt"),
                    pr: None,
                },
            );
        }
        for edge in &prs {
            let node = &edge["node"];
            let Some(number) = node["number"].as_u64().filter(|n| keep(*n)) else {
                continue;
            };
            let title = text_of(node, "title").unwrap_or_default();
            let created_at = text_of(node, "createdAt").unwrap_or_default();
            let merged_at = text_of(node, "mergedAt");
            let merged_by = login(&node["mergedBy"]);
            let state = text_of(node, "state").unwrap_or_default();
            let open = state == "OPEN";
            let approved = node["reviews"]["totalCount"].as_u64().unwrap_or(0);
            let done_at = merged_at.clone().unwrap_or_else(|| created_at.clone());
            let reviews = (0..approved)
                .map(|k| {
                    json!({"id": 900_000_000 + number * 10 + k,
                           "user": {"login": merged_by.clone().unwrap_or_else(|| format!("reviewer{k}"))},
                           "author_association": "MEMBER", "state": "APPROVED", "body": "LGTM",
                           "submitted_at": done_at, "commit_id": format!("{:040x}", number)})
                })
                .collect();
            if approved > 0 {
                comments.push(FakeComment {
                    id: next_comment_id,
                    number,
                    user: merged_by.clone(),
                    body: generated_text("Review comment", next_comment_id, &title),
                    created_at: done_at.clone(),
                    updated_at: done_at.clone(),
                    review: true,
                });
                next_comment_id += 1;
            }
            let seed = hash_of(&number);
            items.insert(
                number,
                FakeItem {
                    number,
                    id: 700_000_000 + number,
                    body: generated_text("Pull request", number, &title),
                    title,
                    state: if open { "open" } else { "closed" }.into(),
                    labels: Vec::new(),
                    user: login(&node["author"]),
                    association: text_of(node, "authorAssociation")
                        .unwrap_or_else(|| "NONE".into()),
                    updated_at: done_at.clone(),
                    created_at,
                    closed_at: (!open).then(|| done_at.clone()),
                    pr: Some(FakePr {
                        base: text_of(node, "baseRefName").unwrap_or_else(|| "main".into()),
                        draft: false,
                        merged_at,
                        merged_by,
                        mergeable: match node["mergeable"].as_str() {
                            Some("MERGEABLE") => Some(true),
                            Some("CONFLICTING") => Some(false),
                            _ => None,
                        },
                        additions: seed % 400,
                        deletions: (seed / 400) % 300,
                        reviews,
                    }),
                },
            );
        }
        let mut state = State {
            repo: repo.to_string(),
            items,
            comments,
            item_order: Vec::new(),
            comment_order: [Vec::new(), Vec::new()],
            comment_counts: BTreeMap::new(),
            labels: labels.into_iter().collect(),
            faults: VecDeque::new(),
            fail_after: None,
            served_since_fail_after: 0,
            remaining: 5000,
            limit: 5000,
            reset_at: now_secs() + 3600,
            edits: 0,
        };
        state.index();
        let state = Arc::new(Mutex::new(state));
        let shared = Arc::clone(&state);
        let server = FakeServer::start(move |request| match shared.lock() {
            Ok(mut state) => state.handle(request),
            Err(_) => Reply::text(500, "poisoned"),
        });
        Ok(FakeGithub { server, state })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The API root to give the client (`http://127.0.0.1:PORT`).
    pub fn api_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (its recorded requests).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// How many issues and PRs it serves.
    pub fn item_count(&self) -> (usize, usize) {
        let state = self.state();
        let prs = state.items.values().filter(|i| i.pr.is_some()).count();
        (state.items.len() - prs, prs)
    }

    /// How many conversation and review comments it serves.
    pub fn comment_count(&self) -> (usize, usize) {
        let state = self.state();
        let review = state.comments.iter().filter(|c| c.review).count();
        (state.comments.len() - review, review)
    }

    /// The numbers it serves, ascending.
    pub fn numbers(&self) -> Vec<u64> {
        self.state().items.keys().copied().collect()
    }

    /// Edits item `number` now: a new title and body and a later `updated_at`. Returns whether
    /// the item exists.
    pub fn edit(&self, number: u64) -> bool {
        let mut state = self.state();
        state.edits += 1;
        let edits = state.edits;
        let Some(item) = state.items.get_mut(&number) else {
            return false;
        };
        item.title = format!("{} (edited {edits})", item.title);
        item.body = generated_text("Edited", number + edits, &item.title);
        item.updated_at = format!(
            "2030-01-01T{:02}:{:02}:{:02}Z",
            edits / 3600 % 24,
            edits / 60 % 60,
            edits % 60
        );
        state.index();
        true
    }

    /// Makes the next request whose path contains `path_contains` fail with `fault`.
    pub fn push_fault(&self, path_contains: &str, fault: Fault) {
        self.state()
            .faults
            .push_back((path_contains.to_string(), fault));
    }

    /// How many pushed faults have not been served yet.
    pub fn pending_faults(&self) -> usize {
        self.state().faults.len()
    }

    /// Answers the next `n` requests, then drops every connection (`None`: never).
    pub fn fail_after(&self, n: Option<usize>) {
        let mut state = self.state();
        state.fail_after = n;
        state.served_since_fail_after = 0;
    }

    /// Sets the rate-limit budget the answers report: `remaining` of 5,000, reset in
    /// `reset_in` seconds.
    pub fn set_budget(&self, remaining: u64, reset_in: u64) {
        let mut state = self.state();
        state.remaining = remaining;
        state.reset_at = now_secs() + reset_in;
    }
}
