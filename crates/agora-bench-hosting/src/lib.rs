//! Benchmark hosting: the use cases that both front ends (the `agora` command line and the
//! server) call to host asv results.
//!
//! [`ingest`] reads an asv results folder and its commit order (from a git repository with
//! `gix`, see [`git`], or from uploaded lists) into the store, skipping files whose bytes it
//! already holds, and stores the project's analysis ([`analysis`]: series, step fits,
//! regressions) while it writes the files. [`projects`], [`analyse`] and [`regressions`] read
//! that analysis back, redoing it only when its inputs changed since (or an older agora
//! stored it); [`feed`] is asv's Atom feed of a project's regressions. The views (text,
//! JSON, asv's `regressions.json`, the dashboard) are the front ends' and `agora-bench`'s.
//!
//! Use cases take plain typed inputs and return typed outcomes (serde structs) or a
//! [`HostingError`]; they never print. Progress and warnings go through a [`Progress`] the
//! front end implements (a bar on a terminal, log lines in a server; [`Silent`] for none).

pub mod analysis;
mod error;
pub mod git;
mod ingest;
mod progress;
mod read;

pub use analysis::{Analysis, Reading, analyse};
pub use error::HostingError;
pub use ingest::{
    CommitOrder, IngestOptions, IngestSummary, Ingested, Skipped, history_from_lists, ingest,
};
pub use progress::{Progress, Silent, Stage};
pub use read::{SeriesPoint, SeriesStep, SeriesView, feed, projects, regressions, series};
