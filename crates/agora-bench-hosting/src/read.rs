//! Reading the analyses back: which projects are benchmarked, their regressions, their feed.

use agora_bench::project::check_project_name;
use agora_bench::regressions;
use agora_store::Store;

use crate::analysis::{Analysis, Reading, analyse, benchmark_positions};
use crate::{HostingError, Progress, Stage};

/// The projects to read: `only` (checked as a project name), or every benchmarked project in
/// the store. A stored project whose name is not a plain name (from an older agora) is
/// skipped with a warning.
pub fn projects(
    store: &Store,
    only: Option<&str>,
    progress: &dyn Progress,
) -> Result<Vec<String>, HostingError> {
    let names = match only {
        Some(name) => {
            check_project_name(name)?;
            vec![name.to_owned()]
        }
        None => {
            let mut names = store.bench_projects()?;
            names.retain(|name| match check_project_name(name) {
                Ok(()) => true,
                Err(error) => {
                    progress.warning(&format!("a stored project is skipped: {error}"));
                    false
                }
            });
            names
        }
    };
    if names.is_empty() {
        return Err(HostingError::NoProjects);
    }
    Ok(names)
}

/// The analyses of `projects`, in order: each read back from the store, or computed (and
/// stored) when its inputs changed since it was stored.
pub fn regressions(
    store: &mut Store,
    projects: &[String],
    reading: Reading,
    progress: &dyn Progress,
) -> Result<Vec<Analysis>, HostingError> {
    progress.start(Stage::Analysing, Some(projects.len() as u64));
    let mut analyses = Vec::with_capacity(projects.len());
    for name in projects {
        analyses.push(analyse(store, name, reading)?);
        progress.advance(Stage::Analysing);
    }
    progress.finish(Stage::Analysing);
    Ok(analyses)
}

/// A project's regressions as asv's Atom feed (`regressions.xml`), each entry dated by when
/// its benchmark ran on the commit that regressed.
pub fn feed(analysis: &Analysis) -> String {
    let times = &analysis.found.run_times;
    let positions = benchmark_positions(&analysis.benchmarks);
    regressions::atom_feed(
        &analysis.found.report,
        &analysis.config,
        &analysis.history,
        &|name: &str, revision: u32| {
            let bench = *positions.get(name)?;
            let at = times
                .binary_search_by_key(&(bench, revision), |&(b, r, _)| (b, r))
                .ok()?;
            Some(times[at].2)
        },
    )
}

/// One series of a benchmark (an environment, machine and branch), with its points and the
/// steps fitted to them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeriesView {
    /// The benchmark's name.
    pub benchmark: String,
    /// The environment parameters, machine and branch (`None`: the parameter is not set).
    pub params: std::collections::BTreeMap<String, Option<String>>,
    /// asv's path of the series (without `.json`).
    pub path: String,
    /// Whether the benchmark has parameters (then each point holds one value per combination).
    pub parameterized: bool,
    /// The points, oldest revision first.
    pub points: Vec<SeriesPoint>,
    /// The steps fitted to each value column (one column without parameters).
    pub steps: Vec<Vec<SeriesStep>>,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeriesPoint {
    /// asv's revision number of the commit.
    pub revision: u32,
    /// The commit's hash, when the stored history has it.
    pub commit: Option<String>,
    /// One value per parameter combination (`None`: failed or skipped).
    pub values: Vec<Option<f64>>,
}

/// One step of a fit: the level of the points from revision `left` up to (not including)
/// `right`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SeriesStep {
    /// The first revision of the step.
    pub left: i64,
    /// One past its last revision.
    pub right: i64,
    /// Its level (the weighted median of its points).
    pub value: f64,
}

/// The series of `benchmark` in `project`'s analysis (read back, or computed and stored when
/// its inputs changed); empty when the project has no such benchmark.
pub fn series(
    store: &mut Store,
    project: &str,
    benchmark: &str,
) -> Result<Vec<SeriesView>, HostingError> {
    check_project_name(project)?;
    let analysis = analyse(store, project, Reading::Everything)?;
    let found = &analysis.found;
    let mut out = Vec::new();
    for (index, graph) in found.graphs.iter().enumerate() {
        if graph.benchmark != benchmark {
            continue;
        }
        let points = found
            .points
            .get(index)
            .map(|points| {
                points
                    .iter()
                    .map(|point| SeriesPoint {
                        revision: point.revision,
                        commit: analysis.history.sha(point.revision).map(str::to_owned),
                        values: point.values.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let steps = found
            .steps
            .get(index)
            .map(|columns| {
                columns
                    .iter()
                    .map(|steps| {
                        steps
                            .iter()
                            .map(|step| SeriesStep {
                                left: step.left,
                                right: step.right,
                                value: step.value,
                            })
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(SeriesView {
            benchmark: graph.benchmark.clone(),
            params: graph.params.clone(),
            path: graph.path.clone(),
            parameterized: graph.parameterized,
            points,
            steps,
        });
    }
    Ok(out)
}
