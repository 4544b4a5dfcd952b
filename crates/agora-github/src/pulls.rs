//! The pull-request endpoints a campaign needs: the repository and the user, forks, PRs by
//! head branch, opening, labelling, requesting reviewers, reading and closing a PR.
//!
//! Each function is one REST call through [`GithubClient`] (so the token, the origin check,
//! rate limits and the spacing of content-creating requests apply) and turns GitHub's JSON
//! into a small typed answer; a field the answer lacks is a [`GithubError::Response`] naming
//! the URL, never a panic. Listing PRs by head uses `state=all`, so a campaign that is run
//! again finds the PRs it opened even after they were closed or merged.

use agora_http::Method;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::{GithubClient, GithubError, check_repo};

/// A repository as GitHub describes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RepoInfo {
    /// `owner/name`.
    pub full_name: String,
    /// The default branch.
    pub default_branch: String,
    /// The URL to clone it over https.
    pub clone_url: String,
    /// Whether it is a fork.
    pub fork: bool,
    /// The repository it was forked from, when it is a fork.
    pub parent: Option<String>,
}

/// A pull request as GitHub describes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PullInfo {
    /// Its number.
    pub number: u64,
    /// Its page.
    pub html_url: String,
    /// `open` or `closed`.
    pub state: String,
    /// Whether it was merged.
    pub merged: bool,
    /// Whether it is a draft.
    pub draft: bool,
    /// `owner:branch` of its head.
    pub head_label: String,
    /// The branch it targets.
    pub base_ref: String,
}

/// A pull request to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPull<'a> {
    /// The title.
    pub title: &'a str,
    /// The description.
    pub body: &'a str,
    /// `branch` in the same repository, or `owner:branch` from a fork.
    pub head: &'a str,
    /// The branch to merge into.
    pub base: &'a str,
    /// Open it as a draft.
    pub draft: bool,
}

fn field<'a>(url: &str, value: &'a Value, name: &str) -> Result<&'a Value, GithubError> {
    value.get(name).ok_or_else(|| GithubError::Response {
        url: url.to_string(),
        message: format!("the answer has no `{name}`"),
    })
}

fn text(url: &str, value: &Value, name: &str) -> Result<String, GithubError> {
    field(url, value, name)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| GithubError::Response {
            url: url.to_string(),
            message: format!("`{name}` is not a string"),
        })
}

fn repo_info(url: &str, value: &Value) -> Result<RepoInfo, GithubError> {
    Ok(RepoInfo {
        full_name: text(url, value, "full_name")?,
        default_branch: text(url, value, "default_branch")?,
        clone_url: text(url, value, "clone_url")?,
        fork: value.get("fork").and_then(Value::as_bool).unwrap_or(false),
        parent: value
            .get("parent")
            .and_then(|p| p.get("full_name"))
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

fn pull_info(url: &str, value: &Value) -> Result<PullInfo, GithubError> {
    let number = field(url, value, "number")?
        .as_u64()
        .ok_or_else(|| GithubError::Response {
            url: url.to_string(),
            message: "`number` is not a number".into(),
        })?;
    let head = field(url, value, "head")?;
    let base = field(url, value, "base")?;
    Ok(PullInfo {
        number,
        html_url: text(url, value, "html_url")?,
        state: text(url, value, "state")?,
        merged: value.get("merged_at").is_some_and(|m| !m.is_null())
            || value.get("merged").and_then(Value::as_bool) == Some(true),
        draft: value.get("draft").and_then(Value::as_bool).unwrap_or(false),
        head_label: text(url, head, "label")?,
        base_ref: text(url, base, "ref")?,
    })
}

fn ignore_wait(_: Timestamp) {}

/// The repository `owner/name`.
pub fn get_repo(client: &GithubClient, repo: &str) -> Result<RepoInfo, GithubError> {
    check_repo(repo)?;
    let page = client.get_page(&format!("/repos/{repo}"), None, &mut ignore_wait)?;
    repo_info(&page.url, &page.body)
}

/// The login of the token's user.
pub fn current_user(client: &GithubClient) -> Result<String, GithubError> {
    let page = client.get_page("/user", None, &mut ignore_wait)?;
    text(&page.url, &page.body, "login")
}

/// Forks `repo` into the token's account, or returns the fork it already has (GitHub answers
/// 202 with the existing fork). The fork may take a moment before it can be pushed to.
pub fn create_fork(
    client: &GithubClient,
    repo: &str,
    on_wait: &mut dyn FnMut(Timestamp),
) -> Result<RepoInfo, GithubError> {
    check_repo(repo)?;
    let sent = client.send_json(
        Method::Post,
        &format!("/repos/{repo}/forks"),
        Some(&json!({ "default_branch_only": true })),
        on_wait,
    )?;
    repo_info(&sent.url, &sent.body)
}

/// The PRs of `repo` whose head is `owner:branch`, in every state, newest first.
pub fn pulls_by_head(
    client: &GithubClient,
    repo: &str,
    head: &str,
) -> Result<Vec<PullInfo>, GithubError> {
    check_repo(repo)?;
    let mut url = format!(
        "/repos/{repo}/pulls?state=all&per_page=100&head={}",
        head.replace('%', "%25")
            .replace('&', "%26")
            .replace('#', "%23")
            .replace('+', "%2B")
    );
    let mut pulls = Vec::new();
    // A head names one branch: more than a few pages would be a server gone wrong.
    for _ in 0..10 {
        let page = client.get_page(&url, None, &mut ignore_wait)?;
        let items = page.body.as_array().ok_or_else(|| GithubError::Response {
            url: page.url.clone(),
            message: "expected a list of pull requests".into(),
        })?;
        for item in items {
            pulls.push(pull_info(&page.url, item)?);
        }
        match page.next {
            Some(next) => url = next,
            None => break,
        }
    }
    Ok(pulls)
}

/// Opens a PR.
pub fn create_pull(
    client: &GithubClient,
    repo: &str,
    pull: &NewPull<'_>,
    on_wait: &mut dyn FnMut(Timestamp),
) -> Result<PullInfo, GithubError> {
    check_repo(repo)?;
    let body = json!({
        "title": pull.title,
        "body": pull.body,
        "head": pull.head,
        "base": pull.base,
        "draft": pull.draft,
        "maintainer_can_modify": true,
    });
    let sent = client.send_json(
        Method::Post,
        &format!("/repos/{repo}/pulls"),
        Some(&body),
        on_wait,
    )?;
    pull_info(&sent.url, &sent.body)
}

/// Adds `labels` to PR `number` (labels GitHub does not know are created).
pub fn add_labels(
    client: &GithubClient,
    repo: &str,
    number: u64,
    labels: &[String],
    on_wait: &mut dyn FnMut(Timestamp),
) -> Result<(), GithubError> {
    check_repo(repo)?;
    client.send_json(
        Method::Post,
        &format!("/repos/{repo}/issues/{number}/labels"),
        Some(&json!({ "labels": labels })),
        on_wait,
    )?;
    Ok(())
}

/// Asks `reviewers` (logins) to review PR `number`.
pub fn request_reviewers(
    client: &GithubClient,
    repo: &str,
    number: u64,
    reviewers: &[String],
    on_wait: &mut dyn FnMut(Timestamp),
) -> Result<(), GithubError> {
    check_repo(repo)?;
    client.send_json(
        Method::Post,
        &format!("/repos/{repo}/pulls/{number}/requested_reviewers"),
        Some(&json!({ "reviewers": reviewers })),
        on_wait,
    )?;
    Ok(())
}

/// PR `number` of `repo`.
pub fn get_pull(client: &GithubClient, repo: &str, number: u64) -> Result<PullInfo, GithubError> {
    check_repo(repo)?;
    let page = client.get_page(
        &format!("/repos/{repo}/pulls/{number}"),
        None,
        &mut ignore_wait,
    )?;
    pull_info(&page.url, &page.body)
}

/// Closes PR `number` without merging it.
pub fn close_pull(
    client: &GithubClient,
    repo: &str,
    number: u64,
    on_wait: &mut dyn FnMut(Timestamp),
) -> Result<PullInfo, GithubError> {
    check_repo(repo)?;
    let sent = client.send_json(
        Method::Patch,
        &format!("/repos/{repo}/pulls/{number}"),
        Some(&json!({ "state": "closed" })),
        on_wait,
    )?;
    pull_info(&sent.url, &sent.body)
}
