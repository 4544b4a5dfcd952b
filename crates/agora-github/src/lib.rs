//! GitHub for agora: a REST client on `agora-http`, the incremental sync of issues, PRs,
//! comments, reviews, labels, milestones and releases into the store, and the import of
//! devstats dumps into the same tables.
//!
//! [`devstats`] reads dumps and [`import_dump`] writes them in chunks of one transaction each.
//! [`client`] speaks the REST API (token, `Link` pagination, ETags, rate limits) and [`sync`]
//! mirrors a repository incrementally: every page is one transaction together with the cursor
//! it advances, so an interrupted sync resumes where it stopped. [`pulls`] opens, finds and
//! closes pull requests for `agora repos`.

pub mod client;
pub mod devstats;
pub mod pulls;
pub mod rest;
pub mod sync;

use std::path::PathBuf;

use agora_store::Store;
use agora_store::github::{GithubPage, PageCounts, Source};
use jiff::Timestamp;

pub use client::{ClientConfig, GithubClient, Sent};
pub use sync::{SyncEvent, SyncOptions, SyncReport, sync_repo};

/// Why a GitHub operation failed.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not a devstats dump.
    #[error("{path}: {message}")]
    Dump {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A repository name is not `owner/name`.
    #[error("{name:?} is not a repository: expected OWNER/NAME")]
    BadRepo {
        /// What was given.
        name: String,
    },
    /// The HTTP layer failed.
    #[error(transparent)]
    Http(#[from] agora_http::HttpError),
    /// GitHub answered something the client cannot read.
    #[error("{url}: unexpected answer: {message}")]
    Response {
        /// The URL.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// The rate limit is used up and waiting was not allowed.
    #[error(
        "the GitHub rate limit is used up until {reset} (in {wait_secs} s); run again then, or without --no-wait to wait{hint}"
    )]
    RateLimited {
        /// When the budget comes back.
        reset: Timestamp,
        /// Seconds until then.
        wait_secs: u64,
        /// A hint on tokens when unauthenticated.
        hint: &'static str,
    },
    /// The rate limit resets further ahead than the sync may wait.
    #[error(
        "the GitHub rate limit is used up until {reset} (in {wait_secs} s), longer than the {max_wait_secs} s agora waits; run again after {reset}{hint}, or raise --max-wait"
    )]
    WaitTooLong {
        /// When the budget (or the server) allows requests again.
        reset: Timestamp,
        /// Seconds until then.
        wait_secs: u64,
        /// The longest wait allowed.
        max_wait_secs: u64,
        /// A hint on tokens when unauthenticated.
        hint: &'static str,
    },
    /// A `Link` header pointed to another origin than the API's: it is not followed, and the
    /// token is never sent there.
    #[error(
        "refusing to follow a link to {url}: it is not on the API's origin {api} (the token is only sent there)"
    )]
    ForeignLink {
        /// The URL named (credentials redacted).
        url: String,
        /// The API's origin.
        api: String,
    },
    /// Pagination came back to a page already read (a `Link: next` loop).
    #[error(
        "{url}: the Link header's next page was already read in this listing; stopping instead of looping"
    )]
    PaginationLoop {
        /// The URL asked a second time.
        url: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] agora_store::StoreError),
    /// Writing a chunk of a dump failed (a full disk, say); the chunks before it are stored
    /// whole, this one not at all.
    #[error(
        "{path}: cannot store items #{first} to #{last} (entries {start} to {end} of {total}; the {start} before them are stored): {source}"
    )]
    ImportWrite {
        /// The dump.
        path: PathBuf,
        /// The number of the chunk's first item.
        first: u64,
        /// The number of its last item.
        last: u64,
        /// Its position in the dump's items (0-based, first).
        start: usize,
        /// Its position in the dump's items (exclusive end).
        end: usize,
        /// The dump's items.
        total: usize,
        /// The store's error (boxed: it is large, and every other result carries this enum).
        source: Box<agora_store::StoreError>,
    },
}

/// Checks `owner/name`.
pub fn check_repo(name: &str) -> Result<(), GithubError> {
    let mut parts = name.split('/');
    let ok = matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(o), Some(n), None) if !o.is_empty() && !n.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    );
    if ok {
        Ok(())
    } else {
        Err(GithubError::BadRepo { name: name.into() })
    }
}

/// Items written per transaction by an import.
pub const IMPORT_CHUNK: usize = 500;

/// Writes a dump's items into `repo`, [`IMPORT_CHUNK`] items per transaction.
pub fn import_dump(
    store: &mut Store,
    repo: &str,
    dump: &devstats::Dump,
) -> Result<PageCounts, GithubError> {
    check_repo(repo)?;
    let mut total = PageCounts::default();
    let now = Timestamp::now();
    for (index, chunk) in dump.items.chunks(IMPORT_CHUNK).enumerate() {
        let mut page = GithubPage::new(Source::Devstats, now);
        for (item, comments) in chunk {
            page.items.push(item.clone());
            page.comments.extend(comments.iter().cloned());
        }
        let start = index * IMPORT_CHUNK;
        let counts =
            store
                .save_github_page(repo, &page)
                .map_err(|source| GithubError::ImportWrite {
                    path: dump.path.clone(),
                    first: chunk.first().map_or(0, |(item, _)| item.number),
                    last: chunk.last().map_or(0, |(item, _)| item.number),
                    start,
                    end: start + chunk.len(),
                    total: dump.items.len(),
                    source: Box::new(source),
                })?;
        total.items_added += counts.items_added;
        total.items_updated += counts.items_updated;
        total.items_skipped += counts.items_skipped;
        total.items_unchanged += counts.items_unchanged;
        total.comments += counts.comments;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_names() {
        assert!(check_repo("scipy/scipy").is_ok());
        assert!(check_repo("scikit-image/scikit-image").is_ok());
        for bad in ["scipy", "a/b/c", "/x", "x/", "a b/c"] {
            assert!(check_repo(bad).is_err(), "{bad}");
        }
    }
}
