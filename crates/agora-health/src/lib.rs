//! Project health metrics, computed from one repository's issues and pull requests.
//!
//! A loader fills the input model ([`model::Dataset`]) from the store; every field a source
//! may lack is an `Option`, and a metric that needs a missing field comes out as unknown
//! ([`measure::Measure::NotInData`]) and is listed in the report's gaps — never as a zero.
//! [`report::HealthReport::compute`] runs the three parts ([`issues`], [`pulls`],
//! [`contributors`]) over a window; [`ecosystem`] condenses several reports into the
//! dashboard's rows. The definitions follow scientific-python/devstats where it has one.
//! [`load`] reads a repository from the store (`agora github import` or `sync`) into the
//! model. Nothing here touches the network, and nothing renders: `agora-site` does that.

pub mod contributors;
pub mod ecosystem;
pub mod issues;
pub mod load;
pub mod measure;
pub mod model;
pub mod pulls;
pub mod report;
pub mod sample;

pub use ecosystem::{EcosystemSummary, ProjectSummary};
pub use measure::Measure;
pub use model::{Author, Comment, Dataset, Issue, IssueState, Mergeable, Pull, PullState};
pub use report::{HealthReport, Options};
