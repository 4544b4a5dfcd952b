//! `agora repos clone` / `update`: one clone per repository under one folder, incrementally.
//!
//! A repository without a clone is cloned into `ROOT/owner/name.partial` and renamed into
//! place once its work tree is checked out, so an interrupted clone never looks finished (the
//! next run starts it again). gix does the clone and the fetch for local paths, `file://` and
//! ssh URLs (when gix cannot take the pack a server sends, the `git` program clones instead,
//! and the outcome's note says why); https URLs are cloned and fetched with the `git` program, which brings its own
//! HTTP stack and credential helpers (see the crate docs). After a clone,
//! `refs/remotes/origin/HEAD` names the default branch, which the later steps branch off.
//!
//! An existing clone is fetched (new commits of every branch, still shallow if it was), and
//! when it is on its default branch that branch is moved to the fetched one and the work tree
//! with it: the clones are agora's, and local edits on a default branch are not kept. A clone
//! on a campaign branch is only fetched. Repositories are handled a few at a time
//! ([`CloneOptions::jobs`]); one failing is reported and the others go on.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::ReposError;
use crate::git::{Git, default_branch, resolve};
use crate::parallel::for_each_bounded;
use crate::targets::RepoTarget;

/// How to clone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloneOptions {
    /// Only this many commits of history (`None`: all of it).
    pub depth: Option<NonZeroU32>,
    /// Repositories handled at once.
    pub jobs: usize,
    /// Only fetch existing clones; clone nothing new.
    pub update_only: bool,
}

/// What happened to one repository.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloneAction {
    /// Cloned now.
    Cloned,
    /// Fetched; the default branch moved.
    Updated,
    /// Fetched; nothing new on the default branch.
    UpToDate,
    /// No clone, and `update_only` was asked.
    Missing,
}

/// The outcome for one repository.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CloneOutcome {
    /// `owner/name`.
    pub repo: String,
    /// The clone's folder.
    pub dir: PathBuf,
    /// What was done, or why it failed.
    #[serde(serialize_with = "serialize_result")]
    pub result: Result<CloneAction, String>,
    /// The default branch's commit afterwards.
    pub head: Option<String>,
    /// Something worth knowing that did not stop it (gix gave way to git).
    pub note: Option<String>,
}

fn serialize_result<S: serde::Serializer>(
    result: &Result<CloneAction, String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(1))?;
    match result {
        Ok(action) => map.serialize_entry("action", action)?,
        Err(error) => map.serialize_entry("error", error)?,
    }
    map.end()
}

/// Clones or updates every target under `root`; `progress` is told of each as it finishes.
pub fn sync_all(
    targets: &[RepoTarget],
    root: &Path,
    options: CloneOptions,
    mut progress: impl FnMut(&CloneOutcome),
) -> Vec<CloneOutcome> {
    let mut outcomes: Vec<Option<CloneOutcome>> = vec![None; targets.len()];
    for_each_bounded(
        targets,
        options.jobs,
        |target| sync_one(target, root, options),
        |index, outcome| {
            progress(&outcome);
            outcomes[index] = Some(outcome);
        },
    );
    outcomes.into_iter().flatten().collect()
}

/// Clones or updates one repository.
pub fn sync_one(target: &RepoTarget, root: &Path, options: CloneOptions) -> CloneOutcome {
    let dir = target.dir(root);
    let mut note = None;
    let result = if dir.join(".git").exists() {
        update(target, &dir, options)
    } else if options.update_only {
        Ok(CloneAction::Missing)
    } else {
        clone(target, &dir, options).map(|gix_error| {
            note = gix_error.map(|e| format!("{e}; cloned with git instead"));
            CloneAction::Cloned
        })
    };
    let head = match &result {
        Ok(CloneAction::Missing) | Err(_) => None,
        Ok(_) => default_branch(&dir, &target.name).ok().and_then(|branch| {
            resolve(&dir, &target.name, &format!("refs/remotes/origin/{branch}"))
                .ok()
                .flatten()
        }),
    };
    CloneOutcome {
        repo: target.name.clone(),
        dir,
        result: result.map_err(|e| e.to_string()),
        head,
        note,
    }
}

fn git_error(target: &RepoTarget, message: String) -> ReposError {
    ReposError::Git {
        repo: target.name.clone(),
        message,
    }
}

/// Whether gix can reach `url` in this build (everything but http(s)).
fn gix_can_fetch(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    !(lower.starts_with("https://") || lower.starts_with("http://"))
}

/// Clones `target` into `dir`; returns gix's error when git had to do it instead.
fn clone(
    target: &RepoTarget,
    dir: &Path,
    options: CloneOptions,
) -> Result<Option<ReposError>, ReposError> {
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(|source| ReposError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    // `name.partial`, beside the clone (not `with_extension`: names such as `astropy.io`).
    let mut partial_name = dir.file_name().unwrap_or_default().to_os_string();
    partial_name.push(".partial");
    let partial = dir.with_file_name(partial_name);
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(|source| ReposError::Io {
            path: partial.clone(),
            source,
        })?;
    }
    let mut gix_error = None;
    let by_gix = if gix_can_fetch(&target.url) {
        match clone_with_gix(target, &partial, options) {
            Ok(()) => true,
            // A pack gix cannot take (it happens with some large histories): git can.
            Err(error) => {
                if partial.exists() {
                    std::fs::remove_dir_all(&partial).map_err(|source| ReposError::Io {
                        path: partial.clone(),
                        source,
                    })?;
                }
                gix_error = Some(error);
                false
            }
        }
    } else {
        false
    };
    if !by_gix {
        let mut args = vec!["clone", "--quiet", "--no-tags"];
        let depth = options.depth.map(|d| format!("--depth={d}"));
        if let Some(depth) = &depth {
            args.push(depth);
        }
        let destination = partial.display().to_string();
        args.extend([target.url.as_str(), destination.as_str()]);
        Git::new(parent, &target.name).run(&args)?;
    }
    let git = Git::new(&partial, &target.name);
    // `origin/HEAD` records the default branch for later steps.
    if resolve(&partial, &target.name, "refs/remotes/origin/HEAD")?.is_none() {
        let branch = default_branch(&partial, &target.name)?;
        git.run(&[
            "symbolic-ref",
            "refs/remotes/origin/HEAD",
            &format!("refs/remotes/origin/{branch}"),
        ])?;
    }
    std::fs::rename(&partial, dir).map_err(|source| ReposError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(gix_error)
}

fn clone_with_gix(
    target: &RepoTarget,
    dir: &Path,
    options: CloneOptions,
) -> Result<(), ReposError> {
    let interrupt = AtomicBool::new(false);
    let mut prepare = gix::prepare_clone(target.url.as_str(), dir).map_err(|e| {
        git_error(
            target,
            format!("cannot clone {}: {}", target.url, chain(&e)),
        )
    })?;
    if let Some(depth) = options.depth {
        prepare = prepare.with_shallow(gix::remote::fetch::Shallow::DepthAtRemote(depth));
    }
    let (mut checkout, _) = prepare
        .fetch_then_checkout(gix::progress::Discard, &interrupt)
        .map_err(|e| {
            git_error(
                target,
                format!("cannot fetch {}: {}", target.url, chain(&e)),
            )
        })?;
    checkout
        .main_worktree(gix::progress::Discard, &interrupt)
        .map_err(|e| {
            git_error(
                target,
                format!("cannot check out {}: {}", target.url, chain(&e)),
            )
        })?;
    Ok(())
}

fn update(
    target: &RepoTarget,
    dir: &Path,
    options: CloneOptions,
) -> Result<CloneAction, ReposError> {
    let branch = default_branch(dir, &target.name)?;
    let remote_ref = format!("refs/remotes/origin/{branch}");
    let before = resolve(dir, &target.name, &remote_ref)?;
    let git = Git::new(dir, &target.name);
    let url = git
        .run(&["remote", "get-url", "origin"])?
        .trim()
        .to_string();
    // gix first; git when gix cannot (https, or a pack it cannot take).
    if !gix_can_fetch(&url) || fetch_with_gix(target, dir, options).is_err() {
        git.run(&["fetch", "--quiet", "--no-tags", "origin"])?;
    }
    let after = resolve(dir, &target.name, &remote_ref)?;
    let on_default = gix::open(dir)
        .ok()
        .and_then(|repo| repo.head_name().ok().flatten())
        .is_some_and(|name| name.shorten() == branch.as_str());
    let local = resolve(dir, &target.name, &format!("refs/heads/{branch}"))?;
    if on_default && after.is_some() && local != after {
        git.run(&["reset", "--quiet", "--hard", &remote_ref])?;
    }
    Ok(if before == after {
        CloneAction::UpToDate
    } else {
        CloneAction::Updated
    })
}

fn fetch_with_gix(
    target: &RepoTarget,
    dir: &Path,
    options: CloneOptions,
) -> Result<(), ReposError> {
    let interrupt = AtomicBool::new(false);
    let error = |e: String| git_error(target, format!("cannot fetch: {e}"));
    let repo = gix::open(dir).map_err(|e| error(e.to_string()))?;
    let remote = repo
        .find_default_remote(gix::remote::Direction::Fetch)
        .ok_or_else(|| error("the clone has no remote".into()))?
        .map_err(|e| error(e.to_string()))?;
    let connection = remote
        .connect(gix::remote::Direction::Fetch)
        .map_err(|e| error(e.to_string()))?;
    let mut prepare = connection
        .prepare_fetch(gix::progress::Discard, Default::default())
        .map_err(|e| error(e.to_string()))?;
    if repo.is_shallow() {
        let shallow = match options.depth {
            Some(depth) => gix::remote::fetch::Shallow::DepthAtRemote(depth),
            None => gix::remote::fetch::Shallow::NoChange,
        };
        prepare = prepare.with_shallow(shallow);
    }
    prepare
        .receive(gix::progress::Discard, &interrupt)
        .map_err(|e| error(e.to_string()))?;
    Ok(())
}

/// `error` and its sources, `: `-separated.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
