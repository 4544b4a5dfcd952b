//! How a use case tells its front end what it is doing: a bar on a terminal, log lines in a
//! server, events in a test.

use serde::Serialize;

/// A stage of a use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Reading, hashing and parsing result files (one step per file).
    ReadingResults,
    /// Reading the commit order (from a git repository or from lists).
    ReadingHistory,
    /// Writing the settings, history and new files into the store.
    Storing,
    /// Computing or reading back projects' analyses (one step per project).
    Analysing,
}

impl Stage {
    /// A short label for the stage, for a progress bar or a log line.
    pub fn label(self) -> &'static str {
        match self {
            Stage::ReadingResults => "reading results",
            Stage::ReadingHistory => "reading the commit order",
            Stage::Storing => "storing",
            Stage::Analysing => "analysing",
        }
    }
}

/// Receives a use case's progress and warnings; every method does nothing by default.
///
/// Methods may be called from several threads at once (files are read on all cores, the
/// commit order on a thread of its own), so an implementation is `Sync`.
pub trait Progress: Sync {
    /// `stage` begins, with `total` steps when that is known.
    fn start(&self, _stage: Stage, _total: Option<u64>) {}
    /// One step of `stage` is done.
    fn advance(&self, _stage: Stage) {}
    /// `stage` is over.
    fn finish(&self, _stage: Stage) {}
    /// Something worth knowing that does not stop the use case.
    fn warning(&self, _message: &str) {}
}

/// A [`Progress`] that reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
