//! The ecosystem as the store knows it, and the portal built from it.
//!
//! [`health`] is one project's health report (`agora health`, the server's health API);
//! [`releases`] reads Python's and the core projects' feature releases (what SPEC 0 is
//! computed from); [`summary`] gathers one project's summary (its tile: newest release,
//! SPEC 0 floors, review, wheel coverage, benchmark regressions, health headline) and the full
//! models behind its pages; [`portal`] is the `agora portal build` use case: it gathers what
//! changed, hands the models to `agora-site` for the pages, and writes only the files whose
//! bytes changed; [`community`] adds the practices manual, the content folder's
//! collections, the calendars and the bug days. Use cases take typed inputs, return typed outcomes and never print.

pub mod community;
mod error;
pub mod health;
pub mod portal;
pub mod releases;
pub mod summary;

pub use error::EcosystemError;
