//! Mirroring project pages from a PEP 691 index into the store.
//!
//! Pages are fetched concurrently (a few at a time, to be polite) through [`HttpClient`], which
//! answers from its cache while a page is fresh and revalidates it with its ETag afterwards.
//! The store remembers the SHA-256 of the page it last parsed; a page whose body has that hash
//! (a 304, a fresh cache hit, or an identical download) is not parsed again, only marked as
//! checked. Each page is saved in its own transaction on the calling thread, so one project
//! failing (a 404, a truncated body, a malformed page) is reported and the others go on.

use std::sync::mpsc;

use agora_http::{HttpClient, HttpError, Origin, Request, Response};
use agora_store::pypi::{PypiProject, SaveCounts};
use agora_store::{Store, StoreError};
use jiff::Timestamp;

use crate::simple::{FileProblem, PageError, SIMPLE_JSON, parse_project_page};

/// How many pages are fetched at once.
pub const CONCURRENCY: usize = 4;

/// The largest project page accepted (after decompression); numpy's, with every file of every
/// release, is a few megabytes.
pub const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// A client for one PEP 691 index.
#[derive(Debug)]
pub struct PypiClient<'a> {
    http: &'a HttpClient,
    index_url: String,
}

/// Why one project could not be synced.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The index has no such project.
    #[error("{project}: no such project on {index} (404 for {url})")]
    NotFound {
        /// The project.
        project: String,
        /// The index URL.
        index: String,
        /// The page URL.
        url: String,
    },
    /// The page could not be fetched.
    #[error("{project}: {source}")]
    Http {
        /// The project.
        project: String,
        /// What went wrong.
        source: HttpError,
    },
    /// The page is not a PEP 691 page.
    #[error("{project}: {source}")]
    Page {
        /// The project.
        project: String,
        /// What went wrong.
        source: PageError,
    },
    /// The fetch never reported back (its worker thread died); nothing was stored.
    #[error("{project}: the fetch was interrupted; nothing was stored")]
    Interrupted {
        /// The project.
        project: String,
    },
    /// The store refused the write; what was stored before is unchanged.
    #[error("{project}: {source}")]
    Store {
        /// The project.
        project: String,
        /// What went wrong.
        source: StoreError,
    },
}

/// What syncing one project did.
#[derive(Debug, Clone)]
pub struct SyncOutcome {
    /// The project, normalized.
    pub project: String,
    /// Where the page came from.
    pub origin: Origin,
    /// Whether the page was parsed (false when it was the one already stored).
    pub parsed: bool,
    /// Files on the page (when parsed).
    pub files: usize,
    /// Files added and updated in the store.
    pub counts: SaveCounts,
    /// Files kept with fields that could not be read.
    pub problems: Vec<FileProblem>,
}

impl<'a> PypiClient<'a> {
    /// A client for the index at `index_url` (`https://pypi.org/simple`, with or without a
    /// trailing slash).
    pub fn new(http: &'a HttpClient, index_url: &str) -> Self {
        PypiClient {
            http,
            index_url: index_url.trim_end_matches('/').to_string(),
        }
    }

    /// The index URL, without a trailing slash (with any credentials in it: for requests,
    /// never for display; see [`PypiClient::index_display`]).
    pub fn index_url(&self) -> &str {
        &self.index_url
    }

    /// The index URL with credentials redacted, for messages.
    pub fn index_display(&self) -> String {
        agora_http::redact_url(&self.index_url)
    }

    /// The URL of a project's page: `{index}/{normalized-name}/`.
    pub fn project_url(&self, project: &str) -> String {
        format!("{}/{}/", self.index_url, agora_config::normalize(project))
    }

    /// Fetches a project's page (from the cache when it is fresh).
    pub fn fetch(&self, project: &str) -> Result<Response, SyncError> {
        let url = self.project_url(project);
        let request = Request::new(url.clone())
            .accept(SIMPLE_JSON)
            .expect_json()
            .max_body(MAX_PAGE_BYTES);
        self.http.get(&request).map_err(|source| {
            if source.status() == Some(404) {
                SyncError::NotFound {
                    project: project.to_string(),
                    index: self.index_display(),
                    url: agora_http::redact_url(&url),
                }
            } else {
                SyncError::Http {
                    project: project.to_string(),
                    source,
                }
            }
        })
    }
}

/// Saves a fetched page, parsing it only when it differs from the one stored.
pub fn save_page(
    store: &mut Store,
    project: &str,
    response: &Response,
) -> Result<SyncOutcome, SyncError> {
    let name = agora_config::normalize(project);
    let store_error = |source| SyncError::Store {
        project: name.clone(),
        source,
    };
    let now = Timestamp::now();
    let stored = store.pypi_project(&name).map_err(store_error)?;
    let unchanged = stored
        .as_ref()
        .and_then(|p| p.content_sha256.as_deref())
        .is_some_and(|sha| sha == response.body_sha256);
    if unchanged {
        store.touch_pypi_project(&name, now).map_err(store_error)?;
        return Ok(SyncOutcome {
            project: name,
            origin: response.origin,
            parsed: false,
            files: 0,
            counts: SaveCounts::default(),
            problems: Vec::new(),
        });
    }
    let parsed =
        parse_project_page(&response.body, &response.url).map_err(|source| SyncError::Page {
            project: name.clone(),
            source,
        })?;
    let record = PypiProject {
        name: name.clone(),
        display_name: parsed.page.name.clone(),
        last_serial: parsed.page.meta.last_serial,
        content_sha256: Some(response.body_sha256.clone()),
        synced_at: now,
    };
    let counts = store
        .save_pypi_project(&record, &parsed.files)
        .map_err(store_error)?;
    Ok(SyncOutcome {
        project: name,
        origin: response.origin,
        parsed: true,
        files: parsed.files.len(),
        counts,
        problems: parsed.problems,
    })
}

/// Syncs `projects`, fetching [`CONCURRENCY`] at a time and saving each as it arrives;
/// `report` sees every outcome in completion order. Returns the outcomes in input order.
pub fn sync_projects(
    store: &mut Store,
    client: &PypiClient<'_>,
    projects: &[String],
    mut report: impl FnMut(&str, &Result<SyncOutcome, SyncError>),
) -> Vec<Result<SyncOutcome, SyncError>> {
    let mut results: Vec<Option<Result<SyncOutcome, SyncError>>> =
        projects.iter().map(|_| None).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, Result<Response, SyncError>)>();
        for _ in 0..CONCURRENCY.min(projects.len()) {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(project) = projects.get(index) else {
                        break;
                    };
                    if sender.send((index, client.fetch(project))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for (index, fetched) in receiver {
            let project = &projects[index];
            let outcome = fetched.and_then(|response| save_page(store, project, &response));
            report(project, &outcome);
            results[index] = Some(outcome);
        }
    });
    results
        .into_iter()
        .zip(projects)
        .map(|(result, project)| {
            result.unwrap_or_else(|| {
                Err(SyncError::Interrupted {
                    project: project.clone(),
                })
            })
        })
        .collect()
}
