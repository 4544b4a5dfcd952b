//! Multi-repository campaigns: one change as pull requests to many repositories, resumable.
//!
//! The repositories of a campaign are [`targets::RepoTarget`]s (`owner/name` and a URL to clone),
//! kept as clones in one folder, `ROOT/owner/name`. The steps, each usable alone:
//! - [`clone::sync_all`] clones missing repositories and fetches the others, a few at a time,
//!   with gix (shallow or full);
//! - [`grep::grep`] and [`grep::find_files`] search every clone at once with ripgrep's
//!   libraries, answering as `git grep` would;
//! - [`apply::apply_all`] makes a fresh branch off each default branch, runs a change (a
//!   `sed`-style substitution, a shell command, or a change agora builds in), and commits it
//!   where there is a diff;
//! - [`campaign::open_pulls`] pushes each branch (to the repository or a fork) and opens its
//!   pull request through the GitHub client, one request at a time; [`campaign::refresh_status`]
//!   and [`campaign::close_all`] follow and withdraw them.
//!
//! Every step of every repository is recorded in the store ([`agora_store::repos`]), so a
//! rerun after a crash finds what was done and neither repeats nor loses it.
//!
//! Git: gix clones and fetches (over local paths, `file://` and ssh) and reads references.
//! What gix cannot do is done by the `git` program: pushing, committing, moving a work tree to
//! a new branch, and cloning over https (which gix supports only with an HTTP stack this
//! workspace does not build). Credentials never appear on a `git` command line: a push over
//! https gets the token through a credential helper reading an environment variable of that
//! one process, and only for the host the token belongs to.

pub mod apply;
pub mod campaign;
pub mod clone;
pub mod git;
pub mod grep;
pub mod parallel;
pub mod targets;

use std::path::PathBuf;

/// Why a step of `agora repos` failed.
#[derive(Debug, thiserror::Error)]
pub enum ReposError {
    /// A repository list is malformed.
    #[error("{source_name}:{line}: {message}")]
    List {
        /// The file (or `--repos`).
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// A pattern, glob or expression is not valid.
    #[error("{what}: {message}")]
    Pattern {
        /// Which argument.
        what: String,
        /// What was wrong.
        message: String,
    },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// git (gix or the `git` program) failed.
    #[error("{repo}: {message}")]
    Git {
        /// `owner/name` or the folder.
        repo: String,
        /// What git said.
        message: String,
    },
    /// GitHub answered with an error.
    #[error("{repo}: {source}")]
    Github {
        /// `owner/name`.
        repo: String,
        /// The client's error.
        source: Box<agora_github::GithubError>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] agora_store::StoreError),
    /// The campaign is unknown or not in a state for this step.
    #[error("{0}")]
    Campaign(String),
}
