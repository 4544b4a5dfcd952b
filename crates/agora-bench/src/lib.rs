//! asv (airspeed velocity) benchmark results, analysed as `asv publish` analyses them.
//!
//! [`format`] reads asv's files (result files of formats 1 and 2, `benchmarks.json`,
//! `machine.json`, `asv.conf.json`); [`history`] holds the commit order asv numbers results
//! by; [`series`] builds one series per benchmark × parameters × machine × environment ×
//! branch; [`steps`] fits asv's piecewise-constant model to each; [`regressions`] applies asv's
//! rules to the steps and writes its `regressions.json` and Atom feed; [`dashboard`] holds what
//! the static site (rendered by `agora-site`) is computed from: geometric-mean summaries and
//! page names; [`packed`] is the compact form the store keeps result files in, [`snapshot`]
//! the one it keeps an analysis in;
//! [`parallel`] spreads independent jobs over the cores; [`project`] checks project names.
//! Nothing here touches the store or the network: the caller loads the inputs, and the same
//! model feeds every view.

pub mod dashboard;
pub mod display;
pub mod format;
pub mod history;
pub mod packed;
pub mod parallel;
pub mod project;
pub mod regressions;
pub mod series;
pub mod snapshot;
pub mod steps;

pub use format::{AsvConfig, Benchmark, BenchmarkRun, Benchmarks, FormatError, ResultFile};
pub use history::{Commit, History};
pub use regressions::{Regression, RegressionReport};
pub use series::{Graph, SeriesSet};
pub use steps::Step;
