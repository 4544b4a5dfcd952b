//! `agora bench`: asv results hosted in the store, their regressions, and a static dashboard.
//!
//! `ingest` reads a results folder (and the commit order, from a clone with `gix` or from
//! uploaded lists) into the store, skipping files whose bytes it already holds. `regressions`
//! and `publish` load a project from the store, build its series, fit steps (reusing the fits
//! cached for series whose points did not change) and find regressions with `agora-bench`,
//! and store that analysis under a digest of its inputs, so the next of them reads it back
//! until an ingest changes something. They differ only in the view: a list (text or JSON),
//! asv's `regressions.json` or Atom feed, or the dashboard's files (of which only those whose
//! bytes changed are written).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agora_bench::format::{self, FormatError};
use agora_bench::history::{self, Commit, History};
use agora_bench::packed::{self, RunKeys};
use agora_bench::parallel;
use agora_bench::regressions::{self, RegressionReport};
use agora_bench::series::{self, Point};
use agora_bench::snapshot;
use agora_bench::{AsvConfig, Benchmarks, Step, dashboard};
use agora_store::Store;
use agora_store::bench::{BenchFile, BenchHistory, BenchSteps};
use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

use crate::context::Context;

/// `agora bench …`.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Load an asv results folder into the store
    ///
    /// DIR is asv's results folder (holding benchmarks.json and one folder per machine with its
    /// machine.json), or a folder with an asv.conf.json whose results_dir points at one. Files
    /// already stored with the same bytes are skipped, so re-ingesting changes nothing and new
    /// files add only themselves. Malformed files are reported by path and skipped (exit 1).
    /// The commit order comes from --repo (a git clone or bare repository) or from --revisions
    /// with --branch-file and --tags, as a CI job without a clone uploads them.
    Ingest(IngestArgs),
    /// The regressions `asv publish` would report, from the stored results
    ///
    /// Exit 1 when there are regressions.
    Regressions(RegressionsArgs),
    /// Write a static dashboard: regressions, a chart per series, a summary of geometric means
    ///
    /// One page per benchmark module (bench/MODULE.html, a section per benchmark). Also writes
    /// asv's regressions.json and regressions.xml. Only files whose content changed are
    /// rewritten.
    Publish(PublishArgs),
}

/// `agora bench ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The results folder (or a folder with asv.conf.json)
    pub dir: PathBuf,
    /// The project's name in the store
    #[arg(long)]
    pub project: String,
    /// The project's asv.conf.json [default: DIR/asv.conf.json, else DIR/../asv.conf.json]
    #[arg(long, value_name = "FILE")]
    pub asv_config: Option<PathBuf>,
    /// A git repository (clone or bare) to read the commit order, branches and tags from
    #[arg(long, value_name = "PATH", conflicts_with = "revisions")]
    pub repo: Option<PathBuf>,
    /// `index<TAB>sha<TAB>unix-time` lines in `git rev-list --all --date-order --reverse` order
    #[arg(long, value_name = "FILE")]
    pub revisions: Option<PathBuf>,
    /// A branch's `git rev-list --first-parent BRANCH`, as NAME=FILE (or a file named
    /// branch-NAME-first-parent.txt); repeat for more branches
    #[arg(long, value_name = "NAME=FILE", requires = "revisions")]
    pub branch_file: Vec<String>,
    /// `tag<TAB>sha` lines
    #[arg(long, value_name = "FILE", requires = "revisions")]
    pub tags: Option<PathBuf>,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

/// Formats of `agora bench ingest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// One line
    Text,
    /// One JSON document
    Json,
}

/// `agora bench regressions`.
#[derive(Debug, Args)]
pub struct RegressionsArgs {
    /// Only this project [default: every benchmarked project in the store]
    #[arg(long)]
    pub project: Option<String>,
    /// Output format: text (a table), json (agora's list), asv (asv's regressions.json), atom
    /// (asv's regressions.xml feed)
    #[arg(long, value_enum, default_value_t = RegressionsFormat::Text)]
    pub format: RegressionsFormat,
}

/// Formats of `agora bench regressions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegressionsFormat {
    /// A table for the terminal
    Text,
    /// One JSON document
    Json,
    /// asv's regressions.json (one project)
    Asv,
    /// asv's Atom feed (one project)
    Atom,
}

/// `agora bench publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The output folder (one subfolder per project)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only this project [default: every benchmarked project in the store]
    #[arg(long)]
    pub project: Option<String>,
}

/// Runs an `agora bench` subcommand.
pub fn run(context: &Context, command: &BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ingest(args) => ingest(context, args),
        BenchCommand::Regressions(args) => regressions_command(context, args),
        BenchCommand::Publish(args) => publish(context, args),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Where the results and the asv configuration of an ingest are.
fn locate(args: &IngestArgs) -> anyhow::Result<(PathBuf, AsvConfig)> {
    let dir = &args.dir;
    if !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let config_path = match &args.asv_config {
        Some(path) => Some(path.clone()),
        None => [dir.join("asv.conf.json"), dir.join("../asv.conf.json")]
            .into_iter()
            .find(|p| p.is_file()),
    };
    let config = match &config_path {
        Some(path) => format::read_config(path)?,
        None => AsvConfig::default(),
    };
    let results = if dir.join("benchmarks.json").is_file() {
        dir.clone()
    } else if let Some(path) = config_path.filter(|p| p.parent() == Some(dir.as_path())) {
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        base.join(&config.results_dir)
    } else {
        dir.clone()
    };
    if !results.join("benchmarks.json").is_file() {
        bail!(
            "{} has no benchmarks.json: give asv's results folder",
            results.display()
        );
    }
    Ok((results, config))
}

/// The branch name of a `--branch-file` argument.
fn branch_file(arg: &str) -> anyhow::Result<(String, PathBuf)> {
    if let Some((name, file)) = arg.split_once('=') {
        return Ok((name.to_owned(), PathBuf::from(file)));
    }
    let path = PathBuf::from(arg);
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("branch-"))
        .and_then(|n| n.strip_suffix("-first-parent.txt"))
        .map(str::to_owned);
    match stem {
        Some(name) => Ok((name, path)),
        None => bail!("--branch-file {arg}: give NAME=FILE"),
    }
}

fn history_digest(history: &BenchHistory) -> String {
    let mut hasher = Sha256::new();
    for (sha, time) in &history.commits {
        hasher.update(sha.as_bytes());
        hasher.update(time.to_le_bytes());
    }
    for (name, list) in &history.branches {
        hasher.update(b"\0branch\0");
        hasher.update(name.as_bytes());
        for sha in list {
            hasher.update(sha.as_bytes());
        }
    }
    for (tag, sha) in &history.tags {
        hasher.update(b"\0tag\0");
        hasher.update(tag.as_bytes());
        hasher.update(sha.as_bytes());
    }
    sha256_hex(&hasher.finalize())
}

/// Reads the commit history from the uploaded lists.
fn history_from_files(args: &IngestArgs, revisions: &Path) -> anyhow::Result<BenchHistory> {
    let commits = history::read_revisions(revisions)?;
    let mut branches = Vec::new();
    for arg in &args.branch_file {
        let (name, path) = branch_file(arg)?;
        branches.push((name, history::read_branch_list(&path)?));
    }
    let tags = match &args.tags {
        Some(path) => history::read_tags(path)?,
        None => Vec::new(),
    };
    Ok(BenchHistory {
        commits: commits.into_iter().map(|c| (c.sha, c.time)).collect(),
        branches,
        tags,
    })
}

/// One file's fate during an ingest.
#[derive(Debug, serde::Serialize)]
struct Skipped {
    path: String,
    error: String,
}

/// What an ingest did.
#[derive(Debug, Default, serde::Serialize)]
struct IngestSummary {
    project: String,
    added: usize,
    replaced: usize,
    unchanged: usize,
    skipped: Vec<Skipped>,
    history_updated: bool,
    settings_updated: bool,
}

fn ingest(context: &Context, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let (results, mut config) = locate(args)?;
    let benchmarks = format::read_benchmarks(&results.join("benchmarks.json"))?;
    if config.project.is_empty() {
        config.project = args.project.clone();
    }
    let config = &config;
    let read_history: Box<dyn FnOnce() -> anyhow::Result<BenchHistory> + Send + '_> =
        match (&args.repo, &args.revisions) {
            (Some(repo), _) => {
                Box::new(move || crate::commands::bench_git::read_history(repo, config))
            }
            (None, Some(revisions)) => Box::new(move || history_from_files(args, revisions)),
            (None, None) => {
                bail!("give the commit order: --repo PATH, or --revisions FILE with --branch-file")
            }
        };
    // The commit history is read (walking a clone's commits takes a while) on its own thread
    // while the result files are read and parsed; nothing is written before both are known.
    std::thread::scope(|scope| {
        let history = scope.spawn(read_history);
        ingest_with_history(context, args, &results, config, &benchmarks, || {
            history
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// The rest of an ingest: `history` gives the commit history once it is needed.
fn ingest_with_history(
    context: &Context,
    args: &IngestArgs,
    results: &Path,
    config: &AsvConfig,
    benchmarks: &Benchmarks,
    history: impl FnOnce() -> anyhow::Result<BenchHistory>,
) -> anyhow::Result<ExitCode> {
    let mut store = context.store()?;
    let now = jiff::Timestamp::now();
    let mut summary = IngestSummary {
        project: args.project.clone(),
        ..IngestSummary::default()
    };
    let known = store.bench_file_digests(&args.project)?;
    let mut run_keys = RunKeys::new(store.bench_run_keys(&args.project)?);
    let stored_keys = run_keys.keys().len();
    let mut new_files = Vec::new();
    let mut machines = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(results)
        .with_context(|| format!("cannot list {}", results.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "json")
                        && !p.ends_with("machine.json")
                        && !p.ends_with("benchmarks.json")
                })
                .collect(),
            Err(e) => {
                summary.skipped.push(Skipped {
                    path: dir.display().to_string(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        files.sort();
        let machine = match format::read_machine(&dir.join("machine.json")) {
            Ok((name, info)) => {
                machines.push((name.clone(), info.to_string()));
                name
            }
            Err(error) => {
                for file in files {
                    summary.skipped.push(Skipped {
                        path: file.display().to_string(),
                        error: format!("skipped with its folder: {error}"),
                    });
                }
                continue;
            }
        };
        // Reading, hashing and parsing are independent per file: done on all cores, in order.
        let loaded = parallel::map_on_all_cores(&files, |file| {
            let relative = file
                .strip_prefix(results)
                .unwrap_or(file)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
            let digest = sha256_hex(&bytes);
            if known.get(&relative) == Some(&digest) {
                return Ok((relative, digest, None));
            }
            let parsed = std::str::from_utf8(&bytes)
                .map_err(|e| FormatError::Invalid {
                    path: file.clone(),
                    message: format!("not UTF-8: {e}"),
                })
                .and_then(|text| format::parse_result_file(file, text))
                .map_err(|error| error.to_string())?;
            Ok((relative, digest, Some(parsed)))
        });
        for (file, outcome) in files.iter().zip(loaded) {
            let (relative, digest, parsed) = match outcome {
                Ok(found) => found,
                Err(error) => {
                    summary.skipped.push(Skipped {
                        path: file.display().to_string(),
                        error,
                    });
                    continue;
                }
            };
            let Some(parsed) = parsed else {
                summary.unchanged += 1;
                continue;
            };
            let previous = known.get(&relative);
            if parsed.machine() != Some(machine.as_str()) {
                summary.skipped.push(Skipped {
                    path: file.display().to_string(),
                    error: format!("its machine is not '{machine}' as machine.json says"),
                });
                continue;
            }
            if previous.is_some() {
                summary.replaced += 1;
            } else {
                summary.added += 1;
            }
            new_files.push(BenchFile {
                path: relative,
                sha256: digest,
                commit_hash: parsed.commit_hash.clone(),
                machine: machine.clone(),
                content: packed::encode(&parsed, &mut run_keys),
            });
        }
    }
    let bench_history = history()?;
    if bench_history.branches.is_empty() {
        bail!(
            "no branch history: give --branch-file NAME=FILE (a `git rev-list --first-parent` list)"
        );
    }
    summary.settings_updated = store.save_bench_project(
        &args.project,
        &serde_json::to_string(config)?,
        &serde_json::to_string(benchmarks)?,
        now,
    )?;
    summary.history_updated = store.save_bench_history(
        &args.project,
        &history_digest(&bench_history),
        &bench_history,
    )?;
    store.save_bench_files(
        &args.project,
        &new_files,
        &machines,
        (stored_keys, &run_keys.keys()[stored_keys..]),
        now,
    )?;

    match args.format {
        SummaryFormat::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        SummaryFormat::Text => {
            for skipped in &summary.skipped {
                eprintln!("warning: {}: {}", skipped.path, skipped.error);
            }
            if !context.quiet {
                println!(
                    "{}: {} result files added, {} replaced, {} unchanged, {} skipped{}",
                    summary.project,
                    summary.added,
                    summary.replaced,
                    summary.unchanged,
                    summary.skipped.len(),
                    if summary.history_updated {
                        "; commit history updated"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    Ok(if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A project loaded from the store and analysed.
struct Analysis {
    project: String,
    config: AsvConfig,
    benchmarks: Benchmarks,
    history: History,
    /// The series, points, steps, regressions and warnings: just computed, or read back.
    found: snapshot::Snapshot,
}

/// Each benchmark's position in benchmarks.json, by name (how stored run times name it).
fn benchmark_positions(benchmarks: &Benchmarks) -> FxHashMap<&str, u32> {
    benchmarks
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i as u32))
        .collect()
}

/// How many stored result files are decoded at a time (on all cores) before they are placed
/// on their series and dropped.
const DECODE_BATCH: usize = 64;

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
    sha256_hex(&hasher.finalize())
}

type StepRow = (i64, i64, f64, f64, f64);

fn analyse(store: &mut Store, project: &str) -> anyhow::Result<Analysis> {
    let Some(row) = store.bench_project(project)? else {
        bail!("no benchmark results stored for project {project}; run `agora bench ingest` first");
    };
    let config: AsvConfig = serde_json::from_str(&row.config)
        .with_context(|| format!("the stored asv configuration of {project} is unreadable"))?;
    let benchmarks: Benchmarks = serde_json::from_str(&row.benchmarks)
        .with_context(|| format!("the stored benchmarks.json of {project} is unreadable"))?;
    let stored = store.bench_history(project)?;
    let history = History::new(
        stored
            .commits
            .into_iter()
            .map(|(sha, time)| Commit { sha, time })
            .collect(),
        stored.branches,
        stored.tags,
    );
    let inputs_sha256 = analysis_inputs(store, project, &row)?;
    if let Some((stored_inputs, content)) = store.bench_analysis(project)?
        && stored_inputs == inputs_sha256
        && let Ok(found) = snapshot::decode(&content)
    {
        return Ok(Analysis {
            project: project.to_owned(),
            config,
            benchmarks,
            history,
            found,
        });
    }
    let run_keys = store.bench_run_keys(project)?;
    let stored_files = store.bench_files(project)?;
    let mut unreadable = Vec::new();
    // Every series carries every parameter key of the project, so the environments of all
    // files are read first (a short prefix of each blob); the files themselves are then decoded
    // a batch at a time and placed, so that only one batch is ever held in memory.
    let mut keys = BTreeSet::new();
    for (params, env_vars) in parallel::map_on_all_cores(&stored_files, |file| {
        packed::decode_environment(&file.content)
    })
    .into_iter()
    .flatten()
    {
        series::add_parameter_keys(&mut keys, &params, &env_vars);
    }
    let bench_index = benchmark_positions(&benchmarks);
    let mut builder = series::SeriesBuilder::new(&benchmarks, &history, &config, keys);
    // When each benchmark ran, by (its position in benchmarks.json, revision): the feed dates
    // each regression by it.
    let mut run_times: FxHashMap<(u32, u32), i64> = FxHashMap::default();
    for batch in stored_files.chunks(DECODE_BATCH) {
        let decoded =
            parallel::map_on_all_cores(batch, |file| packed::decode(&file.content, &run_keys));
        for (file, outcome) in batch.iter().zip(decoded) {
            let parsed = match outcome {
                Ok(parsed) => parsed,
                Err(e) => {
                    unreadable.push(format!(
                        "stored result file {} is unreadable: {e}",
                        file.path
                    ));
                    continue;
                }
            };
            builder.add(&parsed);
            let Some(revision) = history.revision(&parsed.commit_hash) else {
                continue;
            };
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
    drop(stored_files);
    let mut set = builder.finish();
    set.warnings.extend(unreadable);
    let cache = store.bench_steps(project)?;
    let (points, digests): (Vec<Vec<Point>>, Vec<String>) =
        parallel::map_on_all_cores(&set.graphs, |graph| {
            let points = graph.points();
            let digest = points_digest(&points);
            (points, digest)
        })
        .into_iter()
        .unzip();
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
    // The series without a cached fit are fitted together, on every core.
    let missing: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].is_none()).collect();
    let inputs: Vec<(&[Point], usize)> = missing
        .iter()
        .map(|&i| (points[i].as_slice(), set.graphs[i].width))
        .collect();
    let mut fresh = Vec::with_capacity(missing.len());
    for (i, computed) in missing.iter().zip(series::fit_steps_parallel(&inputs)) {
        let rows: Vec<Vec<StepRow>> = computed
            .iter()
            .map(|c| {
                c.iter()
                    .map(|s| (s.left, s.right, s.value, s.min, s.error))
                    .collect()
            })
            .collect();
        fresh.push((
            set.graphs[*i].path.clone(),
            BenchSteps {
                input_sha256: digests[*i].clone(),
                steps: serde_json::to_string(&rows)?,
            },
        ));
        steps[*i] = Some(computed);
    }
    let steps: Vec<Vec<Vec<Step>>> = steps.into_iter().map(Option::unwrap_or_default).collect();
    store.save_bench_steps(project, &fresh)?;
    let report =
        regressions::find_with_steps(project, &set, &steps, &benchmarks, &history, &config);
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
    let found = snapshot::Snapshot {
        graphs: set.graphs,
        points,
        steps,
        report,
        warnings: set.warnings,
        run_times: kept_times,
    };
    store.save_bench_analysis(project, &inputs_sha256, &snapshot::encode(&found))?;
    Ok(Analysis {
        project: project.to_owned(),
        config,
        benchmarks,
        history,
        found,
    })
}

/// Bumped when the analysis changes for the same inputs, so that stored snapshots of an
/// earlier analysis are recomputed.
const ANALYSIS_VERSION: &str = "1";

/// The digest of everything a project's analysis is computed from: its asv configuration
/// and benchmarks.json, its commit history, the bytes of each stored result file, and the
/// version of agora and of the analysis.
fn analysis_inputs(
    store: &Store,
    project: &str,
    row: &agora_store::bench::BenchProject,
) -> anyhow::Result<String> {
    let mut files: Vec<(String, String)> = store.bench_file_digests(project)?.into_iter().collect();
    files.sort_unstable();
    let mut hasher = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION"),
        ANALYSIS_VERSION,
        &row.config,
        &row.benchmarks,
        row.history_sha256.as_deref().unwrap_or(""),
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    for (path, digest) in &files {
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update(digest.as_bytes());
    }
    Ok(sha256_hex(&hasher.finalize()))
}

fn projects(store: &Store, only: &Option<String>) -> anyhow::Result<Vec<String>> {
    let names = match only {
        Some(name) => vec![name.clone()],
        None => store.bench_projects()?,
    };
    if names.is_empty() {
        bail!("no benchmark results in the store; run `agora bench ingest` first");
    }
    Ok(names)
}

fn feed(analysis: &Analysis) -> String {
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

fn regressions_command(context: &Context, args: &RegressionsArgs) -> anyhow::Result<ExitCode> {
    let mut store = context.store()?;
    let names = projects(&store, &args.project)?;
    if names.len() > 1
        && matches!(
            args.format,
            RegressionsFormat::Asv | RegressionsFormat::Atom
        )
    {
        bail!("asv's formats hold one project: give --project");
    }
    let mut analyses = Vec::new();
    for name in &names {
        analyses.push(analyse(&mut store, name)?);
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        RegressionsFormat::Asv => writeln!(
            out,
            "{}",
            serde_json::to_string(&analyses[0].found.report.asv_json())?
        )?,
        RegressionsFormat::Atom => writeln!(out, "{}", feed(&analyses[0]))?,
        RegressionsFormat::Json => {
            let reports: Vec<&RegressionReport> =
                analyses.iter().map(|a| &a.found.report).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?
        }
        RegressionsFormat::Text => {
            for analysis in &analyses {
                write_text(&mut out, analysis)?;
            }
        }
    }
    for analysis in &analyses {
        for warning in analysis
            .found
            .warnings
            .iter()
            .chain(&analysis.found.report.warnings)
        {
            if !context.quiet {
                eprintln!("warning: {}: {warning}", analysis.project);
            }
        }
    }
    let any = analyses
        .iter()
        .any(|a| !a.found.report.regressions.is_empty());
    // The process ends here: the operating system frees the loaded projects at once, faster
    // than dropping their many small allocations one by one.
    std::mem::forget(analyses);
    Ok(if any {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_text(out: &mut impl std::io::Write, analysis: &Analysis) -> std::io::Result<()> {
    let report = &analysis.found.report;
    writeln!(
        out,
        "{}: {} regressions in {} series",
        report.project,
        report.regressions.len(),
        analysis.found.graphs.len()
    )?;
    let short = |rev: u32| {
        let sha = analysis.history.sha(rev).unwrap_or("?");
        sha[..sha.len().min(analysis.config.hash_length.max(1))].to_owned()
    };
    for r in &report.regressions {
        let mut where_: Vec<String> = Vec::new();
        if let Some(machine) = &r.machine {
            where_.push(format!("machine {machine}"));
        }
        if let Some(branch) = &r.branch {
            where_.push(format!("branch {branch}"));
        }
        for (k, v) in &r.graph_params {
            where_.push(format!("{k}={}", v.as_deref().unwrap_or("null")));
        }
        writeln!(out, "  {} ({})", r.name, where_.join(", "))?;
        for jump in &r.jumps {
            let range = match jump.before {
                Some(b) => format!(
                    "r{}..r{} {}..{}",
                    b,
                    jump.after,
                    short(b),
                    short(jump.after)
                ),
                None => format!("r{} {}", jump.after, short(jump.after)),
            };
            writeln!(
                out,
                "    {range}: {} → {} (×{:.2})",
                agora_bench::display::human_value(jump.value_before, &r.unit),
                agora_bench::display::human_value(jump.value_after, &r.unit),
                jump.value_after / jump.value_before
            )?;
        }
        writeln!(
            out,
            "    latest {} vs best {} (×{:.2})",
            agora_bench::display::human_value(r.latest, &r.unit),
            agora_bench::display::human_value(r.best, &r.unit),
            r.factor()
        )?;
    }
    Ok(())
}

fn publish(context: &Context, args: &PublishArgs) -> anyhow::Result<ExitCode> {
    let mut store = context.store()?;
    let names = projects(&store, &args.project)?;
    let mut written = 0;
    let mut total = 0;
    for name in &names {
        let mut analysis = analyse(&mut store, name)?;
        let feed = feed(&analysis);
        let points = std::mem::take(&mut analysis.found.points);
        let steps = std::mem::take(&mut analysis.found.steps);
        let graphs: Vec<_> = analysis
            .found
            .graphs
            .iter()
            .zip(points)
            .zip(steps)
            .map(|((g, p), s)| (g, p, s))
            .collect();
        let site = dashboard::Site {
            project: name,
            config: &analysis.config,
            history: &analysis.history,
            benchmarks: &analysis.benchmarks,
            graphs,
            report: &analysis.found.report,
            feed,
        };
        let files = site.render();
        total += files.len();
        let folder = args.out.join(series::sanitize_filename(name));
        written += dashboard::write_changed(&folder, &files)
            .with_context(|| format!("cannot write the dashboard into {}", folder.display()))?;
        // As in `regressions`: the operating system frees all of it faster at exit.
        std::mem::forget((files, site.graphs));
        std::mem::forget(analysis);
    }
    let index: BTreeMap<&str, String> = names
        .iter()
        .map(|n| {
            (
                n.as_str(),
                format!("{}/index.html", series::sanitize_filename(n)),
            )
        })
        .collect();
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Benchmarks</title></head><body><h1>Benchmarks</h1><ul>\n",
    );
    for (name, link) in &index {
        html.push_str(&format!("<li><a href=\"{link}\">{name}</a></li>\n"));
    }
    html.push_str("</ul></body></html>\n");
    written +=
        dashboard::write_changed(&args.out, &[("index.html".to_owned(), html.into_bytes())])?;
    if !context.quiet {
        eprintln!(
            "{} files in {}, {} written",
            total + 1,
            args.out.display(),
            written
        );
    }
    Ok(ExitCode::SUCCESS)
}
