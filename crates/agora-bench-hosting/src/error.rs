//! Why a use case failed.

use std::path::PathBuf;

use agora_bench::format::FormatError;
use agora_bench::project::ProjectNameError;
use agora_store::StoreError;

use crate::git::GitError;

/// Why an ingest, an analysis or a read of the regressions could not be done.
///
/// The messages say what went wrong in the library's terms; a front end that has its own
/// words for a case (a command-line flag, an HTTP status) matches on the variant.
#[derive(Debug, thiserror::Error)]
pub enum HostingError {
    /// The project name cannot name a project.
    #[error(transparent)]
    ProjectName(#[from] ProjectNameError),
    /// The results folder given is not a folder.
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// The results folder has no `benchmarks.json`.
    #[error("{} has no benchmarks.json: give asv's results folder", .0.display())]
    NoBenchmarks(PathBuf),
    /// The results folder could not be listed.
    #[error("cannot list {}", path.display())]
    ListResults {
        /// The results folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An asv file (configuration, benchmarks.json, commit lists) is unreadable.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The commit order could not be read from the git repository.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The commit order names no branch, so no series can be built.
    #[error("no branch history: the commit order names no branch's first-parent list")]
    NoBranchHistory,
    /// The store could not be opened (as the front end's opener reported it).
    #[error(transparent)]
    OpenStore(Box<dyn std::error::Error + Send + Sync>),
    /// The store refused a read or a write.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The files of an ingest are stored, but the analysis of the project failed.
    #[error("the files are stored, but their analysis failed")]
    AnalysisFailed(#[source] Box<HostingError>),
    /// The store holds no benchmarked project.
    #[error("no benchmark results in the store")]
    NoProjects,
    /// The store holds no results for this project.
    #[error("no benchmark results stored for project {0}")]
    ProjectNotStored(String),
    /// A project's stored settings (asv configuration or benchmarks.json) are unreadable.
    #[error("the stored {what} of {project} is unreadable")]
    UnreadableSettings {
        /// The project.
        project: String,
        /// Which settings.
        what: &'static str,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A value could not be written as JSON for the store.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}
