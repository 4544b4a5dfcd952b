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
