//! Wheel coverage across an ecosystem: for each project's release, which CPython builds
//! (3.9 to 3.15 and the free-threaded 3.13t to 3.15t) have wheels on which platforms, and for
//! each CPython, how many days after its release each project first shipped wheels for it.
//!
//! [`tags`] reads the tags of a wheel name into the cells it covers; [`matrix`] builds the
//! model from the files `agora-pypi` stores ([`agora_store::pypi::PypiFile`]); [`render`] turns
//! that one model into text, JSON, Markdown and a self-contained HTML colour grid. Nothing here
//! fetches: the caller syncs the store first.

pub mod matrix;
pub mod render;
pub mod tags;

pub use matrix::{ProjectFiles, Selection, WheelsReport, latest_report_files};
