//! The analysis of a benchmarked project: its series, their fitted steps and its regressions.
//!
//! An analysis is computed from a project's result files, its asv settings and its commit
//! history, and stored (`bench_analysis`) under a digest of those inputs ([`inputs_digest`]).
//! [`ingest`](crate::ingest) computes it as soon as it knows the files: from their packed
//! forms (those it has just packed, and the stored ones it did not read again), decoded a
//! batch at a time on its own threads while the files are written ([`compute`], then
//! [`save`]). Readers of the regressions and the
//! dashboard read it back ([`analyse`]), and compute it only when the digest no longer matches
//! (an older agora wrote it, or it was never computed).
//!
//! Fits are cached per series (`bench_steps`) under a digest of the series' points, so a new
//! result file refits only the series it touches.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use agora_bench::history::{Commit, History};
use agora_bench::packed::{self, RunKey};
use agora_bench::parallel;
use agora_bench::regressions;
use agora_bench::series::{self, Point};
use agora_bench::snapshot;
use agora_bench::{AsvConfig, Benchmarks, Step};
use agora_store::Store;
use agora_store::bench::{BenchFile, BenchHistory, BenchSteps};
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

use crate::HostingError;

/// A project's analysis with the settings it was computed from.
#[derive(Debug)]
pub struct Analysis {
    /// The project's name in the store.
    pub project: String,
    /// Its asv configuration.
    pub config: AsvConfig,
    /// Its benchmarks.json.
    pub benchmarks: Benchmarks,
    /// Its commit order, branches and tags.
    pub history: History,
    /// The series, points, steps, regressions and warnings: just computed, or read back.
    pub found: snapshot::Snapshot,
}

/// The benchmark dashboard of `analysis` (what `agora bench publish` and the portal render):
/// its points and steps move into the dashboard's series, the rest is borrowed.
pub fn site(analysis: &mut Analysis) -> agora_site::bench::Site<'_> {
    let feed = crate::read::feed(analysis);
    let points = std::mem::take(&mut analysis.found.points);
    let steps = std::mem::take(&mut analysis.found.steps);
    let analysis: &Analysis = analysis;
    let graphs = analysis
        .found
        .graphs
        .iter()
        .zip(points)
        .zip(steps)
        .map(|((graph, points), steps)| (graph, points, steps))
        .collect();
    agora_site::bench::Site {
        project: &analysis.project,
        config: &analysis.config,
        history: &analysis.history,
        benchmarks: &analysis.benchmarks,
        graphs,
        report: &analysis.found.report,
        feed,
    }
}

/// What an analysis reads besides the result files: the settings and the commit history.
pub(crate) struct Settings<'a> {
    /// The project's name in the store.
    pub(crate) project: &'a str,
    /// The asv configuration.
    pub(crate) config: &'a AsvConfig,
    /// benchmarks.json.
    pub(crate) benchmarks: &'a Benchmarks,
    /// The commit order.
    pub(crate) history: &'a History,
}

/// A result file an analysis reads, packed (and decoded when read): stored, or packed by
/// the ingest that is about to store it.
pub(crate) struct ResultSource<'a> {
    /// Its path (for errors and warnings).
    path: &'a str,
    /// Its packed bytes.
    content: &'a [u8],
}

/// An analysis just computed, with the fits it made (for the step cache).
pub(crate) struct Computed {
    pub(crate) found: snapshot::Snapshot,
    fresh_steps: Vec<(String, BenchSteps)>,
    /// How many series were fitted now (the others' points were unchanged: their stored fit
    /// was reused).
    pub(crate) fitted: usize,
}

/// Bumped when the analysis changes for the same inputs, so that stored snapshots of an
/// earlier analysis are recomputed.
const ANALYSIS_VERSION: &str = "1";

/// How many stored result files are decoded at a time (on all cores) before they are placed
/// on their series and dropped.
const DECODE_BATCH: usize = 64;

/// A fitted step as the step cache stores it: left, right, value, min, error.
type StepRow = (i64, i64, f64, f64, f64);

/// The digest of everything a project's analysis is computed from: the version of agora and
/// of the analysis, the asv configuration and benchmarks.json (as stored, JSON), the digest
/// of the commit history, and each result file's path and digest (in any order).
pub(crate) fn inputs_digest<'a>(
    config: &str,
    benchmarks: &str,
    history_sha256: &str,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut files: Vec<(&str, &str)> = files.into_iter().collect();
    files.sort_unstable();
    let mut hasher = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION"),
        ANALYSIS_VERSION,
        config,
        benchmarks,
        history_sha256,
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    for (path, digest) in files {
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update(digest.as_bytes());
    }
    hex(&hasher.finalize())
}

/// `bytes` in lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The commit history as the analysis reads it.
pub(crate) fn history_of(stored: BenchHistory) -> History {
    History::new(
        stored
            .commits
            .into_iter()
            .map(|(sha, time)| Commit { sha, time })
            .collect(),
        stored.branches,
        stored.tags,
    )
}

/// Each benchmark's position in benchmarks.json, by name (how stored run times name it).
pub fn benchmark_positions(benchmarks: &Benchmarks) -> FxHashMap<&str, u32> {
    benchmarks
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i as u32))
        .collect()
}

/// How much of a stored analysis a reader needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The series, report, warnings and run times: the points and steps are left empty.
    Report,
    /// Everything, for the dashboard.
    Everything,
}

/// A project's analysis: the stored one when its inputs are unchanged (as much of it as
/// `reading` asks), else computed now from the stored files (and stored).
pub fn analyse(
    store: &mut Store,
    project: &str,
    reading: Reading,
) -> Result<Analysis, HostingError> {
    let Some(row) = store.bench_project(project)? else {
        return Err(HostingError::ProjectNotStored(project.to_owned()));
    };
    let unreadable = |what, source| HostingError::UnreadableSettings {
        project: project.to_owned(),
        what,
        source,
    };
    let config: AsvConfig =
        serde_json::from_str(&row.config).map_err(|e| unreadable("asv configuration", e))?;
    let benchmarks: Benchmarks =
        serde_json::from_str(&row.benchmarks).map_err(|e| unreadable("benchmarks.json", e))?;
    let history = history_of(store.bench_history(project)?);
    let digests = store.bench_file_digests(project)?;
    let inputs_sha256 = inputs_digest(
        &row.config,
        &row.benchmarks,
        row.history_sha256.as_deref().unwrap_or(""),
        digests
            .iter()
            .map(|(path, digest)| (path.as_str(), digest.as_str())),
    );
    let found = match store.bench_analysis(project)? {
        Some((stored_inputs, content)) if stored_inputs == inputs_sha256 => match reading {
            Reading::Report => snapshot::decode_report(&content).ok(),
            Reading::Everything => snapshot::decode(&content).ok(),
        },
        _ => None,
    };
    let found = match found {
        Some(found) => found,
        None => {
            let run_keys = store.bench_run_keys(project)?;
            let stored_files = store.bench_files(project)?;
            let sources: Vec<ResultSource> = stored_files.iter().map(ResultSource::of).collect();
            let settings = Settings {
                project,
                config: &config,
                benchmarks: &benchmarks,
                history: &history,
            };
            let cache = store.bench_steps(project)?;
            let computed = compute(&settings, &sources, &run_keys, &cache)?;
            save(store, project, &inputs_sha256, &computed)?;
            computed.found
        }
    };
    Ok(Analysis {
        project: project.to_owned(),
        config,
        benchmarks,
        history,
        found,
    })
}

/// The result files of a project after an ingest, in path order (as the store lists them;
/// points on one revision are averaged in that order): the `stored` ones it did not read
/// again, and the `new` ones.
pub(crate) fn sources_in_path_order<'a>(
    stored: &'a [BenchFile],
    new: &'a [BenchFile],
) -> Vec<ResultSource<'a>> {
    let renewed: FxHashSet<&str> = new.iter().map(|file| file.path.as_str()).collect();
    let mut sources: Vec<ResultSource> = stored
        .iter()
        .filter(|file| !renewed.contains(file.path.as_str()))
        .chain(new)
        .map(ResultSource::of)
        .collect();
    sources.sort_by(|a, b| a.path.cmp(b.path));
    sources
}

impl<'a> ResultSource<'a> {
    /// The source of a stored (or about to be stored) file.
    pub(crate) fn of(file: &'a BenchFile) -> ResultSource<'a> {
        ResultSource {
            path: &file.path,
            content: &file.content,
        }
    }
}

/// Stores an analysis and the fits it made.
pub(crate) fn save(
    store: &mut Store,
    project: &str,
    inputs_sha256: &str,
    computed: &Computed,
) -> Result<(), HostingError> {
    store.save_bench_steps(project, &computed.fresh_steps)?;
    let bytes = snapshot::encode(&computed.found);

    store.save_bench_analysis(project, inputs_sha256, &bytes)?;

    Ok(())
}

/// Computes a project's analysis from its result files (in path order, as the store lists
/// them): builds the series, fits the steps of those whose points are not in `cache`, finds
/// the regressions. `run_keys` names the runs of the stored files.
pub(crate) fn compute(
    settings: &Settings,
    files: &[ResultSource],
    run_keys: &[RunKey],
    cache: &std::collections::HashMap<String, BenchSteps>,
) -> Result<Computed, HostingError> {
    let mut unreadable = Vec::new();
    // Every series carries every parameter key of the project, so the environments of all
    // files are read first (for a stored file, a short prefix of its blob); the files are
    // then decoded a batch at a time and placed, so that only one batch of decoded stored
    // files is ever held in memory.
    let mut keys = BTreeSet::new();
    let environments = on_all(files, |content| packed::decode_environment(content).ok());
    for (params, env_vars) in environments.into_iter().flatten() {
        series::add_parameter_keys(&mut keys, &params, &env_vars);
    }
    let bench_index = benchmark_positions(settings.benchmarks);
    let history = settings.history;
    let mut builder =
        series::SeriesBuilder::new(settings.benchmarks, history, settings.config, keys);
    // When each benchmark ran, by (its position in benchmarks.json, revision): the feed dates
    // each regression by it.
    let mut run_times: FxHashMap<(u32, u32), i64> = FxHashMap::default();
    // Each file's revision, machine and path: a series refused by the fit names its files.
    let mut placed_files: Vec<(u32, Option<String>, &str)> = Vec::new();
    for batch in files.chunks(DECODE_BATCH) {
        let decoded = on_all(batch, |content| packed::decode(content, run_keys));
        for (file, outcome) in batch.iter().zip(decoded) {
            let path = file.path;
            let parsed = match outcome {
                Ok(parsed) => parsed,
                Err(e) => {
                    unreadable.push(format!("stored result file {path} is unreadable: {e}"));
                    continue;
                }
            };
            builder.add(&parsed);
            let Some(revision) = history.revision(&parsed.commit_hash) else {
                continue;
            };
            placed_files.push((revision, parsed.machine().map(str::to_owned), path));
            for run in &parsed.runs {
                if let (Some(&index), Some(time)) = (
                    bench_index.get(run.name.as_str()),
                    run.started_at.or(parsed.date),
                ) {
                    run_times.insert((index, revision), time);
                }
            }
        }
    }

    let mut set = builder.finish();
    set.warnings.extend(unreadable);
    // Each series' runs are dropped as soon as its points are made, so that the project's
    // runs and its points are not both held whole.
    let graphs: Vec<Mutex<&mut series::Graph>> = set.graphs.iter_mut().map(Mutex::new).collect();
    let (points, digests): (Vec<Vec<Point>>, Vec<String>) =
        parallel::map_on_all_cores(&graphs, |graph| {
            let mut graph = graph.lock().unwrap_or_else(PoisonError::into_inner);
            let points = graph.points();
            graph.forget_runs();
            let digest = points_digest(&points);
            (points, digest)
        })
        .into_iter()
        .unzip();
    drop(graphs);

    let mut steps: Vec<Option<Vec<Vec<Step>>>> = set
        .graphs
        .iter()
        .zip(&digests)
        .map(|(graph, digest)| {
            cache
                .get(&graph.path)
                .filter(|c| c.input_sha256 == *digest)
                .and_then(|c| serde_json::from_str::<Vec<Vec<StepRow>>>(&c.steps).ok())
                .map(|columns| {
                    columns
                        .into_iter()
                        .map(|column| {
                            column
                                .into_iter()
                                .map(|(left, right, value, min, error)| Step {
                                    left,
                                    right,
                                    value,
                                    min,
                                    error,
                                })
                                .collect()
                        })
                        .collect()
                })
        })
        .collect();

    let missing: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].is_none()).collect();
    let inputs: Vec<(&[Point], usize)> = missing
        .iter()
        .map(|&i| (points[i].as_slice(), set.graphs[i].width))
        .collect();
    let fitted = missing.len();
    let mut fresh_steps = Vec::with_capacity(missing.len());
    for (i, fitted) in missing.iter().zip(series::fit_steps_parallel(&inputs)) {
        let graph = &set.graphs[*i];
        let mut refused = false;
        let computed: Vec<Vec<Step>> = fitted
            .into_iter()
            .map(|column| {
                column.unwrap_or_else(|error| {
                    refused = true;
                    set.warnings
                        .push(refusal_warning(graph, &error, history, &placed_files));
                    Vec::new()
                })
            })
            .collect();
        if refused {
            // Not cached: the warning is given again whenever the analysis is redone.
            steps[*i] = Some(computed);
            continue;
        }
        let rows: Vec<Vec<StepRow>> = computed
            .iter()
            .map(|c| {
                c.iter()
                    .map(|s| (s.left, s.right, s.value, s.min, s.error))
                    .collect()
            })
            .collect();
        fresh_steps.push((
            graph.path.clone(),
            BenchSteps {
                input_sha256: digests[*i].clone(),
                steps: serde_json::to_string(&rows)?,
            },
        ));
        steps[*i] = Some(computed);
    }

    let steps: Vec<Vec<Vec<Step>>> = steps.into_iter().map(Option::unwrap_or_default).collect();
    let report = regressions::find_with_steps(
        settings.project,
        &set,
        &steps,
        settings.benchmarks,
        history,
        settings.config,
    );
    // Only the run times of benchmarks that regressed are ever looked up (by the feed).
    let regressed: FxHashSet<u32> = report
        .regressions
        .iter()
        .filter_map(|r| bench_index.get(r.benchmark.as_str()).copied())
        .collect();
    let mut kept_times: Vec<(u32, u32, i64)> = run_times
        .into_iter()
        .filter(|((bench, _), _)| regressed.contains(bench))
        .map(|((bench, revision), time)| (bench, revision, time))
        .collect();
    kept_times.sort_unstable();
    Ok(Computed {
        found: snapshot::Snapshot {
            graphs: set.graphs,
            points,
            steps,
            report,
            warnings: set.warnings,
            run_times: kept_times,
        },
        fresh_steps,
        fitted,
    })
}

/// The warning for a series the step fit refused: the benchmark, the series, the commit and
/// the result files of the offending value.
fn refusal_warning(
    graph: &series::Graph,
    error: &agora_bench::steps::FitError,
    history: &History,
    files: &[(u32, Option<String>, &str)],
) -> String {
    let agora_bench::steps::FitError::Overflow {
        position, value, ..
    } = *error;
    let machine = graph.params.get("machine").cloned().flatten();
    let revision = u32::try_from(position).ok();
    let named: Vec<&str> = files
        .iter()
        .filter(|(rev, file_machine, _)| Some(*rev) == revision && *file_machine == machine)
        .map(|(_, _, path)| *path)
        .collect();
    let commit = revision
        .and_then(|rev| history.sha(rev))
        .map_or_else(|| format!("r{position}"), str::to_owned);
    let files = if named.is_empty() {
        String::new()
    } else {
        format!(" in {}", named.join(", "))
    };
    format!(
        "benchmark {} ({}): the value {value:e} at commit {commit}{files} is too large for the step fit (its sums overflow); the series is shown without steps or regressions",
        graph.benchmark, graph.path
    )
}

/// `f` applied to the bytes of each file, on all cores.
fn on_all<R: Send>(files: &[ResultSource], f: impl Fn(&[u8]) -> R + Sync) -> Vec<R> {
    parallel::map_on_all_cores(files, |file| f(file.content))
}

/// The digest of a series' points, under which its fit is cached.
fn points_digest(points: &[Point]) -> String {
    let mut hasher = Sha256::new();
    for p in points {
        hasher.update(p.revision.to_le_bytes());
        for v in p.values.iter().chain(&p.weights) {
            match v {
                Some(v) => hasher.update(v.to_bits().to_le_bytes()),
                None => hasher.update(b"-"),
            }
        }
        hasher.update(b";");
    }
    hex(&hasher.finalize())
}
