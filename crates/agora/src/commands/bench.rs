//! `agora bench`: asv results hosted in the store, their regressions, and a static dashboard.
//!
//! `ingest` reads a results folder (and the commit order, from a clone with `gix` or from
//! uploaded lists) into the store, skipping files whose bytes it already holds, and analyses
//! the project ([`bench_analysis`]: series, step fits, regressions) while it writes the files.
//! `regressions` and `publish` read that analysis back, and redo it only when its inputs
//! changed since (or an older agora stored it). They differ only in the view: a list (text or
//! JSON), asv's `regressions.json` or Atom feed, or the dashboard's files (of which only those
//! whose bytes changed are written).

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use agora_bench::display::{factor_text, human_value};
use agora_bench::format::{self, FormatError, ResultFile};
use agora_bench::history;
use agora_bench::packed::{self, RunKeys};
use agora_bench::parallel;
use agora_bench::project::check_project_name;
use agora_bench::regressions::{self, RegressionReport};
use agora_bench::series;
use agora_bench::{AsvConfig, Benchmarks, dashboard};
use agora_store::Store;
use agora_store::bench::{BenchFile, BenchHistory};
use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};
use rustc_hash::FxHashSet;
use sha2::{Digest, Sha256};

use super::bench_analysis::{self, Analysis, Reading, analyse, benchmark_positions};
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
    /// The project is analysed (series, step fits, regressions) as its files are stored, so
    /// `regressions` and `publish` only read the analysis.
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

/// The SHA-256 of `bytes`, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    bench_analysis::hex(&Sha256::digest(bytes))
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

/// The store, with the digests of a project's stored files and its numbered run keys.
/// Opens the store for an ingest of `project` and hands the stored files' digests to `known`
/// (an empty list when it fails: readers waiting on it go on, and the error is reported once
/// they are done); returns the store and the project's numbered run keys.
fn open_for_ingest(
    context: &Context,
    project: &str,
    known: &OnceLock<HashMap<String, String>>,
) -> anyhow::Result<(Store, Vec<packed::RunKey>)> {
    let opened = context.store().and_then(|store| {
        let digests = store.bench_file_digests(project)?;
        let keys = store.bench_run_keys(project)?;
        Ok((store, digests, keys))
    });
    match opened {
        Ok((store, digests, keys)) => {
            let _ = known.set(digests);
            Ok((store, keys))
        }
        Err(error) => {
            let _ = known.set(HashMap::new());
            Err(error)
        }
    }
}

/// A file read by an ingest: its path relative to the results folder, its digest, and its
/// parsed form unless the store already holds these bytes; or why it could not be read.
type FileRead = Result<(String, String, Option<ResultFile>), String>;

/// One machine's folder of results as an ingest read it.
enum FolderRead {
    /// The folder could not be listed.
    Unlisted { dir: PathBuf, error: String },
    /// Its machine.json is missing or malformed: every file is skipped with it.
    NoMachine { files: Vec<PathBuf>, error: String },
    /// The machine's name and description, and each file as read.
    Read {
        machine: (String, String),
        files: Vec<PathBuf>,
        loaded: Vec<FileRead>,
    },
}

/// Reads every machine folder of `results`: lists the result files (sorted), and reads,
/// hashes and parses them on all cores. A file whose digest `known` (once set) holds is not
/// parsed.
fn read_folders(
    results: &Path,
    known: &OnceLock<HashMap<String, String>>,
) -> anyhow::Result<Vec<FolderRead>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(results)
        .with_context(|| format!("cannot list {}", results.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut folders = Vec::with_capacity(dirs.len());
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
                let error = e.to_string();
                folders.push(FolderRead::Unlisted { dir, error });
                continue;
            }
        };
        files.sort();
        let machine = match format::read_machine(&dir.join("machine.json")) {
            Ok((name, info)) => (name, info.to_string()),
            Err(error) => {
                let error = error.to_string();
                folders.push(FolderRead::NoMachine { files, error });
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
            if known.wait().get(&relative) == Some(&digest) {
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
        folders.push(FolderRead::Read {
            machine,
            files,
            loaded,
        });
    }
    Ok(folders)
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
    check_project_name(&args.project).context("--project")?;
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
    let now = jiff::Timestamp::now();
    let mut summary = IngestSummary {
        project: args.project.clone(),
        ..IngestSummary::default()
    };
    // The store is opened (a new one created) on its own thread while the first files are
    // read and hashed; each file waits for the stored digests only to learn whether it is new.
    let known = OnceLock::new();
    let (opened, folders) = std::thread::scope(|scope| {
        let opening = scope.spawn(|| open_for_ingest(context, &args.project, &known));
        let folders = read_folders(results, &known);
        let opened = opening
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (opened, folders)
    });

    let (mut store, stored_keys) = opened?;
    let folders = folders?;
    let known = known.into_inner().unwrap_or_default();
    let mut run_keys = RunKeys::new(stored_keys);
    let stored_keys = run_keys.keys().len();
    let mut new_files = Vec::new();
    // The parsed form of each of new_files, for the analysis.
    let mut parsed_files = Vec::new();
    let mut machines = Vec::new();
    for folder in folders {
        let (machine, files, loaded) = match folder {
            FolderRead::Unlisted { dir, error } => {
                summary.skipped.push(Skipped {
                    path: dir.display().to_string(),
                    error,
                });
                continue;
            }
            FolderRead::NoMachine { files, error } => {
                for file in files {
                    summary.skipped.push(Skipped {
                        path: file.display().to_string(),
                        error: format!("skipped with its folder: {error}"),
                    });
                }
                continue;
            }
            FolderRead::Read {
                machine: (machine, info),
                files,
                loaded,
            } => {
                machines.push((machine.clone(), info));
                (machine, files, loaded)
            }
        };
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
            parsed_files.push(parsed);
        }
    }

    let bench_history = history()?;

    if bench_history.branches.is_empty() {
        bail!(
            "no branch history: give --branch-file NAME=FILE (a `git rev-list --first-parent` list)"
        );
    }
    let config_json = serde_json::to_string(config)?;
    let benchmarks_json = serde_json::to_string(benchmarks)?;
    let history_sha256 = history_digest(&bench_history);
    // The analysis is computed now, unless the stored one already has the inputs this ingest
    // leaves: the stored files (some replaced by this ingest) and the new ones.
    let mut digests: BTreeMap<&str, &str> = known
        .iter()
        .map(|(path, digest)| (path.as_str(), digest.as_str()))
        .collect();
    for file in &new_files {
        digests.insert(&file.path, &file.sha256);
    }
    let inputs_sha256 =
        bench_analysis::inputs_digest(&config_json, &benchmarks_json, &history_sha256, digests);
    let analysed = store.bench_analysis_inputs(&args.project)?.as_deref() == Some(&inputs_sha256);
    // Stored files this ingest did not read again are decoded by the analysis.
    let renewed: FxHashSet<&str> = new_files.iter().map(|f| f.path.as_str()).collect();
    let stored_files = if analysed || known.keys().all(|path| renewed.contains(path.as_str())) {
        Vec::new()
    } else {
        store.bench_files(&args.project)?
    };
    let sources = bench_analysis::sources_in_path_order(&stored_files, &new_files, &parsed_files);
    let history = bench_analysis::history_of(bench_history.clone());
    let settings = bench_analysis::Settings {
        project: &args.project,
        config,
        benchmarks,
        history: &history,
    };
    let cache = if analysed {
        Default::default()
    } else {
        store.bench_steps(&args.project)?
    };

    std::thread::scope(|scope| -> anyhow::Result<()> {
        // The analysis runs on its own threads while the files are written.
        let computing = (!analysed).then(|| {
            scope.spawn(|| bench_analysis::compute(&settings, &sources, run_keys.keys(), &cache))
        });
        summary.settings_updated =
            store.save_bench_project(&args.project, &config_json, &benchmarks_json, now)?;
        summary.history_updated =
            store.save_bench_history(&args.project, &history_sha256, &bench_history)?;
        store.save_bench_files(
            &args.project,
            &new_files,
            &machines,
            (stored_keys, &run_keys.keys()[stored_keys..]),
            now,
        )?;

        if let Some(computing) = computing {
            let computed = computing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .context("the files are stored, but their analysis failed")?;
            bench_analysis::save(&mut store, &args.project, &inputs_sha256, &computed)?;
            // The process ends soon: the operating system frees the analysis at once.
            std::mem::forget(computed);
        }
        Ok(())
    })?;

    match args.format {
        SummaryFormat::Json => crate::output::println(&serde_json::to_string_pretty(&summary)?)?,
        SummaryFormat::Text => {
            for skipped in &summary.skipped {
                eprintln!("warning: {}: {}", skipped.path, skipped.error);
            }
            if !context.quiet {
                crate::output::println(&format!(
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
                ))?;
            }
        }
    }
    Ok(if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The projects a command reads: `only`, or every benchmarked project in the store (those
/// whose stored name is not a plain name, from an older agora, are skipped with a warning).
fn projects(store: &Store, only: &Option<String>) -> anyhow::Result<Vec<String>> {
    let names = match only {
        Some(name) => {
            check_project_name(name).context("--project")?;
            vec![name.clone()]
        }
        None => {
            let mut names = store.bench_projects()?;
            names.retain(|name| match check_project_name(name) {
                Ok(()) => true,
                Err(error) => {
                    eprintln!("warning: a stored project is skipped: {error}");
                    false
                }
            });
            names
        }
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
        analyses.push(analyse(&mut store, name, Reading::Report)?);
    }
    let mut out = crate::output::stdout();
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
                "    {range}: {} → {} ({})",
                human_value(jump.value_before, &r.unit),
                human_value(jump.value_after, &r.unit),
                factor_text(jump.value_before, jump.value_after, &r.unit)
            )?;
        }
        writeln!(
            out,
            "    latest {} vs best {} ({})",
            human_value(r.latest, &r.unit),
            human_value(r.best, &r.unit),
            factor_text(r.best, r.latest, &r.unit)
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
        let mut analysis = analyse(&mut store, name, Reading::Everything)?;
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
        let site = agora_site::bench::Site {
            project: name,
            config: &analysis.config,
            history: &analysis.history,
            benchmarks: &analysis.benchmarks,
            graphs,
            report: &analysis.found.report,
            feed,
        };
        let files = site.render()?;
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
    let index: Vec<(String, String)> = index
        .into_iter()
        .map(|(name, link)| (name.to_owned(), link))
        .collect();
    let html = agora_site::bench::projects_index(&index)?;
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
