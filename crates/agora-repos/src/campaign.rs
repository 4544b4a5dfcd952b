//! `agora repos pr`, `status` and `close`: the pull requests of a campaign, resumable.
//!
//! [`open_pulls`] goes through the repositories one at a time. For each, it reads what the
//! store says was done and does only what is left:
//! 1. nothing to do if `apply` made no commit (no diff) or the PR is known;
//! 2. the head: the repository itself, or with `fork` the user's fork (reused when it exists,
//!    else made through the API);
//! 3. a PR GitHub already has for `head_owner:branch` (in any state) is adopted, not
//!    duplicated: this is what finds the PR of a run killed between GitHub's answer and the
//!    store's write;
//! 4. the branch is pushed unless the store says this commit was pushed;
//! 5. the PR is opened (title and body from the commit, or given), and recorded at once; a 422
//!    "already exists" answer is resolved by looking the PR up again;
//! 6. labels and reviewers, each recorded when done.
//!
//! Every step is written to the store as it completes ([`agora_store::Store::record_repo_step`]),
//! and a failure is recorded against its repository while the others go on. Requests that
//! create content go through the one [`GithubClient`], which sends them one at a time at least
//! a second apart and waits out secondary rate limits. With `canary`, the run stops once that
//! many PRs were opened, for a person to look at them before the rest.

use std::path::PathBuf;

use agora_github::pulls::{self, NewPull, PullInfo};
use agora_github::{GithubClient, GithubError};
use agora_store::Store;
use agora_store::repos::StepUpdate;
use jiff::Timestamp;

use crate::ReposError;
use crate::git::{Git, PushAuth, commit_message, resolve};

/// How to open the PRs of a campaign.
#[derive(Debug, Clone, Default)]
pub struct PrOptions {
    /// The campaign's branch.
    pub branch: String,
    /// The title (default: the commit's subject).
    pub title: Option<String>,
    /// The description (default: the commit's body).
    pub body: Option<String>,
    /// Open drafts.
    pub draft: bool,
    /// Labels to add.
    pub labels: Vec<String>,
    /// Logins asked to review.
    pub reviewers: Vec<String>,
    /// Push to the user's fork instead of the repository.
    pub fork: bool,
    /// Stop after opening this many PRs.
    pub canary: Option<usize>,
    /// The token for pushing over https, and its host.
    pub push_auth: Option<PushAuth>,
}

/// A repository of the campaign: `owner/name` and its clone.
#[derive(Debug, Clone)]
pub struct CampaignRepo {
    /// `owner/name`.
    pub repo: String,
    /// The clone's folder.
    pub dir: PathBuf,
}

/// What happened to one repository's PR.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PrOutcome {
    /// Opened now.
    Opened {
        /// Its number.
        number: u64,
        /// Its page.
        url: String,
    },
    /// It existed (from an earlier run, possibly one that was killed).
    Existing {
        /// Its number.
        number: u64,
        /// Its page.
        url: String,
    },
    /// Nothing to open.
    Skipped {
        /// Why.
        reason: String,
    },
    /// A step failed; the rest of the campaign went on.
    Failed {
        /// What failed.
        error: String,
    },
    /// Not reached: the canary run stopped before it.
    Waiting,
}

/// What happened during a run, as it happens (for progress and messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrEvent {
    /// Work on a repository starts.
    Started(String),
    /// A step of a repository is done.
    Step {
        /// `owner/name`.
        repo: String,
        /// What (`pushed`, `forked`, …).
        step: String,
    },
    /// A rate limit is waited out until this time.
    Waiting(Timestamp),
}

fn now() -> String {
    Timestamp::now().to_string()
}

fn github_error(repo: &str, source: GithubError) -> ReposError {
    ReposError::Github {
        repo: repo.to_string(),
        source: Box::new(source),
    }
}

/// Whether GitHub refused to open the PR because one exists for the head.
fn already_exists(error: &GithubError) -> bool {
    matches!(
        error,
        GithubError::Http(agora_http::HttpError::Client { status: 422, excerpt, .. })
            if excerpt.contains("already exists")
    )
}

/// Opens (or finds) the PR of every repository of campaign `options.branch`.
pub fn open_pulls(
    store: &mut Store,
    client: &GithubClient,
    clones: &[CampaignRepo],
    options: &PrOptions,
    on_event: &mut dyn FnMut(PrEvent),
) -> Result<Vec<(String, PrOutcome)>, ReposError> {
    let campaign = store.campaign(&options.branch)?.ok_or_else(|| {
        ReposError::Campaign(format!(
            "no campaign on branch {}: run `agora repos apply --branch {}` first",
            options.branch, options.branch
        ))
    })?;
    if campaign.closed_at.is_some() {
        return Err(ReposError::Campaign(format!(
            "the campaign on branch {} was closed; start another branch",
            options.branch
        )));
    }
    let mut user: Option<String> = None;
    let mut opened = 0usize;
    let mut outcomes = Vec::new();
    for clone in clones {
        if options.canary.is_some_and(|n| opened >= n) {
            outcomes.push((clone.repo.clone(), PrOutcome::Waiting));
            continue;
        }
        on_event(PrEvent::Started(clone.repo.clone()));
        let outcome = match open_one(store, client, clone, options, &mut user, on_event) {
            Ok(outcome) => outcome,
            Err(error) => {
                let message = error.to_string();
                let update = StepUpdate {
                    error: Some(message.clone()),
                    ..StepUpdate::default()
                };
                // A store that cannot be written stops the campaign: nothing could be resumed.
                store.record_repo_step(
                    &options.branch,
                    &clone.repo,
                    "failed",
                    &message,
                    &update,
                    &now(),
                )?;
                PrOutcome::Failed { error: message }
            }
        };
        if matches!(outcome, PrOutcome::Opened { .. }) {
            opened += 1;
        }
        outcomes.push((clone.repo.clone(), outcome));
    }
    Ok(outcomes)
}

fn open_one(
    store: &mut Store,
    client: &GithubClient,
    clone: &CampaignRepo,
    options: &PrOptions,
    user: &mut Option<String>,
    on_event: &mut dyn FnMut(PrEvent),
) -> Result<PrOutcome, ReposError> {
    let repo = clone.repo.as_str();
    let branch = options.branch.as_str();
    let step = |store: &mut Store, step: &str, detail: &str, update: StepUpdate| {
        store.record_repo_step(branch, repo, step, detail, &update, &now())
    };
    let Some(target) = store.campaign_target(branch, repo)? else {
        return Ok(PrOutcome::Skipped {
            reason: format!("not applied: run `agora repos apply --branch {branch}` first"),
        });
    };
    if target.skipped {
        return Ok(PrOutcome::Skipped {
            reason: "the change made no diff here".into(),
        });
    }
    let (Some(commit), Some(base)) = (target.commit_sha.clone(), target.base.clone()) else {
        return Ok(PrOutcome::Skipped {
            reason: "no commit recorded for this campaign".into(),
        });
    };
    let adopt = |store: &mut Store, pull: &PullInfo, how: &str| -> Result<(), ReposError> {
        let update = StepUpdate {
            pr_number: Some(pull.number),
            pr_url: Some(pull.html_url.clone()),
            pr_state: Some(state_of(pull)),
            ..StepUpdate::default()
        };
        step(store, how, &pull.html_url, update)?;
        Ok(())
    };
    let (number, url, outcome_is_new) = match (target.pr_number, target.pr_url.clone()) {
        (Some(number), Some(url)) => (number, url, false),
        _ => {
            // The head: the repository, or the user's fork.
            let head_repo = match (&target.head_repo, options.fork) {
                (Some(head), _) => head.clone(),
                (None, false) => repo.to_string(),
                (None, true) => {
                    let fork =
                        fork_of(client, repo, user, &mut |at| on_event(PrEvent::Waiting(at)))?;
                    step(
                        store,
                        "forked",
                        &fork,
                        StepUpdate {
                            head_repo: Some(fork.clone()),
                            ..StepUpdate::default()
                        },
                    )?;
                    on_event(PrEvent::Step {
                        repo: repo.to_string(),
                        step: format!("fork {fork}"),
                    });
                    fork
                }
            };
            let head_owner = head_repo
                .split('/')
                .next()
                .unwrap_or(&head_repo)
                .to_string();
            let head_label = format!("{head_owner}:{branch}");
            // A PR GitHub already has (an earlier run, killed before it wrote the store).
            let existing = pulls::pulls_by_head(client, repo, &head_label)
                .map_err(|e| github_error(repo, e))?;
            if let Some(pull) = existing.first() {
                adopt(store, pull, "found")?;
                (pull.number, pull.html_url.clone(), false)
            } else {
                if target.pushed_sha.as_deref() != Some(commit.as_str())
                    || target.head_repo.as_deref() != Some(head_repo.as_str())
                {
                    let local = resolve(&clone.dir, repo, &format!("refs/heads/{branch}"))?;
                    if local.as_deref() != Some(commit.as_str()) {
                        return Err(ReposError::Git {
                            repo: repo.to_string(),
                            message: format!(
                                "branch {branch} is not at the commit `apply` recorded ({commit}); run `agora repos apply` again"
                            ),
                        });
                    }
                    let push_url = if head_repo == repo {
                        Git::new(&clone.dir, repo)
                            .run(&["remote", "get-url", "origin"])?
                            .trim()
                            .to_string()
                    } else {
                        pulls::get_repo(client, &head_repo)
                            .map_err(|e| github_error(repo, e))?
                            .clone_url
                    };
                    Git::new(&clone.dir, repo).push(
                        &push_url,
                        branch,
                        options.push_auth.as_ref(),
                    )?;
                    step(
                        store,
                        "pushed",
                        &commit,
                        StepUpdate {
                            head_repo: Some(head_repo.clone()),
                            pushed_sha: Some(commit.clone()),
                            ..StepUpdate::default()
                        },
                    )?;
                    on_event(PrEvent::Step {
                        repo: repo.to_string(),
                        step: "pushed".into(),
                    });
                }
                let (subject, body) =
                    commit_message(&clone.dir, repo, &format!("refs/heads/{branch}"))?;
                let title = options.title.clone().unwrap_or(subject);
                let body = options.body.clone().unwrap_or(body);
                let head = if head_repo == repo {
                    branch.to_string()
                } else {
                    head_label.clone()
                };
                let new = NewPull {
                    title: &title,
                    body: &body,
                    head: &head,
                    base: &base,
                    draft: options.draft,
                };
                match pulls::create_pull(client, repo, &new, &mut |at| {
                    on_event(PrEvent::Waiting(at))
                }) {
                    Ok(pull) => {
                        adopt(store, &pull, "opened")?;
                        (pull.number, pull.html_url, true)
                    }
                    Err(error) if already_exists(&error) => {
                        let found = pulls::pulls_by_head(client, repo, &head_label)
                            .map_err(|e| github_error(repo, e))?;
                        let pull = found.first().ok_or_else(|| github_error(repo, error))?;
                        adopt(store, pull, "found")?;
                        (pull.number, pull.html_url.clone(), false)
                    }
                    Err(error) => return Err(github_error(repo, error)),
                }
            }
        }
    };
    if !options.labels.is_empty() && !target.labels_done {
        pulls::add_labels(client, repo, number, &options.labels, &mut |at| {
            on_event(PrEvent::Waiting(at))
        })
        .map_err(|e| github_error(repo, e))?;
        step(
            store,
            "labelled",
            &options.labels.join(","),
            StepUpdate {
                labels_done: Some(true),
                ..StepUpdate::default()
            },
        )?;
    }
    if !options.reviewers.is_empty() && !target.reviewers_done {
        pulls::request_reviewers(client, repo, number, &options.reviewers, &mut |at| {
            on_event(PrEvent::Waiting(at))
        })
        .map_err(|e| github_error(repo, e))?;
        step(
            store,
            "reviewers",
            &options.reviewers.join(","),
            StepUpdate {
                reviewers_done: Some(true),
                ..StepUpdate::default()
            },
        )?;
    }
    Ok(if outcome_is_new {
        PrOutcome::Opened { number, url }
    } else {
        PrOutcome::Existing { number, url }
    })
}

/// The user's fork of `repo`: reused when it exists, else made.
fn fork_of(
    client: &GithubClient,
    repo: &str,
    user: &mut Option<String>,
    wait: &mut dyn FnMut(Timestamp),
) -> Result<String, ReposError> {
    let login = match user {
        Some(login) => login.clone(),
        None => {
            let login = pulls::current_user(client).map_err(|e| github_error(repo, e))?;
            *user = Some(login.clone());
            login
        }
    };
    let name = repo.split('/').nth(1).unwrap_or(repo);
    if let Ok(existing) = pulls::get_repo(client, &format!("{login}/{name}"))
        && existing.fork
        && existing
            .parent
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(repo))
    {
        return Ok(existing.full_name);
    }
    let fork = pulls::create_fork(client, repo, wait).map_err(|e| github_error(repo, e))?;
    Ok(fork.full_name)
}

/// `open`, `closed` or `merged`.
fn state_of(pull: &PullInfo) -> String {
    if pull.merged {
        "merged".into()
    } else {
        pull.state.clone()
    }
}

/// One row of `agora repos status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusRow {
    /// `owner/name`.
    pub repo: String,
    /// The PR's number.
    pub number: Option<u64>,
    /// Its page.
    pub url: Option<String>,
    /// `open`, `closed`, `merged`; `no diff`, `not opened`, `failed`.
    pub state: String,
    /// The last failure recorded.
    pub error: Option<String>,
}

/// The state of every PR of campaign `branch`; with a client, read from GitHub first (and
/// recorded), else as last recorded.
pub fn refresh_status(
    store: &mut Store,
    client: Option<&GithubClient>,
    branch: &str,
) -> Result<Vec<StatusRow>, ReposError> {
    if store.campaign(branch)?.is_none() {
        return Err(ReposError::Campaign(format!(
            "no campaign on branch {branch}"
        )));
    }
    let mut rows = Vec::new();
    for target in store.campaign_targets(branch)? {
        let mut state = target.pr_state.clone();
        let mut error = target.last_error.clone();
        if let (Some(client), Some(number)) = (client, target.pr_number) {
            match pulls::get_pull(client, &target.repo, number) {
                Ok(pull) => {
                    let now_state = state_of(&pull);
                    if state.as_deref() != Some(now_state.as_str()) {
                        store.record_repo_step(
                            branch,
                            &target.repo,
                            "state",
                            &now_state,
                            &StepUpdate {
                                pr_state: Some(now_state.clone()),
                                error: target.last_error.clone(),
                                ..StepUpdate::default()
                            },
                            &now(),
                        )?;
                    }
                    state = Some(now_state);
                }
                Err(e) => error = Some(format!("cannot read the PR: {e}")),
            }
        }
        let state = match (state, target.skipped, target.pr_number) {
            (Some(state), _, _) => state,
            (None, true, _) => "no diff".into(),
            (None, false, None) if target.last_error.is_some() => "failed".into(),
            (None, false, _) => "not opened".into(),
        };
        rows.push(StatusRow {
            repo: target.repo,
            number: target.pr_number,
            url: target.pr_url,
            state,
            error,
        });
    }
    Ok(rows)
}

/// The PRs `close` closed (`owner/name`, number) and the repositories it failed on (with why).
pub type Withdrawn = (Vec<(String, u64)>, Vec<(String, String)>);

/// Closes every open PR of campaign `branch` and marks the campaign closed; returns the PRs
/// closed and the failures.
pub fn close_all(
    store: &mut Store,
    client: &GithubClient,
    branch: &str,
    on_event: &mut dyn FnMut(PrEvent),
) -> Result<Withdrawn, ReposError> {
    if store.campaign(branch)?.is_none() {
        return Err(ReposError::Campaign(format!(
            "no campaign on branch {branch}"
        )));
    }
    let mut closed = Vec::new();
    let mut failed = Vec::new();
    for target in store.campaign_targets(branch)? {
        let Some(number) = target.pr_number else {
            continue;
        };
        if matches!(target.pr_state.as_deref(), Some("closed" | "merged")) {
            continue;
        }
        match pulls::close_pull(client, &target.repo, number, &mut |at| {
            on_event(PrEvent::Waiting(at))
        }) {
            Ok(pull) => {
                store.record_repo_step(
                    branch,
                    &target.repo,
                    "closed",
                    &pull.html_url,
                    &StepUpdate {
                        pr_state: Some(state_of(&pull)),
                        ..StepUpdate::default()
                    },
                    &now(),
                )?;
                closed.push((target.repo.clone(), number));
            }
            Err(e) => failed.push((target.repo.clone(), e.to_string())),
        }
    }
    if failed.is_empty() {
        store.close_campaign(branch, &now())?;
    }
    Ok((closed, failed))
}

/// Records campaign `branch` (with its commit `message`) before `apply` runs.
pub fn start_campaign(store: &Store, branch: &str, message: &str) -> Result<(), ReposError> {
    let campaign = store.ensure_campaign(branch, message, &now())?;
    if campaign.closed_at.is_some() {
        return Err(ReposError::Campaign(format!(
            "the campaign on branch {branch} was closed; start another branch"
        )));
    }
    Ok(())
}

/// The commit already pushed for `repo` in campaign `branch`, which `apply` must not rewrite.
pub fn pushed_commit(
    store: &Store,
    branch: &str,
    repo: &str,
) -> Result<Option<String>, ReposError> {
    Ok(store
        .campaign_target(branch, repo)?
        .and_then(|t| t.pushed_sha.or(t.pr_number.and(t.commit_sha))))
}

/// Records what `apply` did in `repo` (a dry run records nothing).
pub fn record_applied(
    store: &mut Store,
    branch: &str,
    repo: &str,
    result: &Result<crate::apply::Applied, ReposError>,
) -> Result<(), ReposError> {
    use crate::apply::Applied;
    let (step, detail, update) = match result {
        Ok(Applied::Committed { base, commit, .. }) => (
            "applied",
            commit.clone(),
            StepUpdate {
                base: Some(base.clone()),
                commit_sha: Some(commit.clone()),
                skipped: Some(false),
                ..StepUpdate::default()
            },
        ),
        Ok(Applied::Unchanged { base }) => (
            "skipped",
            "no diff".to_string(),
            StepUpdate {
                base: Some(base.clone()),
                skipped: Some(true),
                ..StepUpdate::default()
            },
        ),
        Ok(Applied::Diff { .. } | Applied::AlreadyPushed { .. }) => return Ok(()),
        Err(error) => (
            "failed",
            error.to_string(),
            StepUpdate {
                error: Some(error.to_string()),
                ..StepUpdate::default()
            },
        ),
    };
    store.record_repo_step(branch, repo, step, &detail, &update, &now())?;
    Ok(())
}
