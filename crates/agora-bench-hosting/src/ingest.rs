//! Ingest: an asv results folder and its commit order into the store, analysed on the way.
//!
//! The results folder is read (and its files hashed and parsed on all cores) while the store
//! is opened and the commit order is read, each on a thread of its own; a file whose bytes
//! the store already holds is hashed but not parsed. Files are parsed a batch at a time and
//! each batch is packed (the store's binary form) before the next is parsed, so an ingest
//! holds the compact packed forms of the new files, never all of their parsed forms. Nothing
//! is written before the files and the commit order are both known. The analysis
//! ([`crate::analysis`]) is then computed from the packed files (the new ones and the stored
//! ones not read again) while the new files are written, unless the stored analysis already
//! has exactly this ingest's inputs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use agora_bench::format::{self, FormatError, ResultFile};
use agora_bench::history;
use agora_bench::packed::{self, RunKeys};
use agora_bench::parallel;
use agora_bench::project::check_project_name;
use agora_bench::snapshot::Snapshot;
use agora_bench::{AsvConfig, Benchmarks};
use agora_store::Store;
use agora_store::bench::{BenchFile, BenchHistory, BenchIngest};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis;
use crate::{HostingError, Progress, Stage};

/// Where an ingest reads the commit order (asv's numbering of commits) from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOrder {
    /// A git repository (a clone or a bare one): its commits, the asv configuration's
    /// branches and its tags.
    Repository(PathBuf),
    /// Lists, as a CI job without a clone uploads them.
    Lists {
        /// `index<TAB>sha<TAB>unix-time` lines in `git rev-list --all --date-order --reverse`
        /// order.
        revisions: PathBuf,
        /// Each branch's name and its `git rev-list --first-parent BRANCH` file.
        branches: Vec<(String, PathBuf)>,
        /// `tag<TAB>sha` lines, if any.
        tags: Option<PathBuf>,
    },
}

/// What to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// asv's results folder, or a folder with an asv.conf.json whose results_dir points at one.
    pub dir: PathBuf,
    /// The project's name in the store.
    pub project: String,
    /// The project's asv.conf.json [default: DIR/asv.conf.json, else DIR/../asv.conf.json].
    pub asv_config: Option<PathBuf>,
    /// Where the commit order comes from.
    pub commit_order: CommitOrder,
}

/// A file or folder an ingest skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file or folder, as found under the results folder given.
    pub path: String,
    /// Why it was skipped.
    pub error: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// The project's name in the store.
    pub project: String,
    /// Result files new to the store.
    pub added: usize,
    /// Result files stored before with other bytes, now replaced.
    pub replaced: usize,
    /// Result files stored before with the same bytes.
    pub unchanged: usize,
    /// Files and folders skipped (malformed, or of another machine).
    pub skipped: Vec<Skipped>,
    /// Whether the stored commit history changed.
    pub history_updated: bool,
    /// Whether the stored asv configuration or benchmarks.json changed.
    pub settings_updated: bool,
    /// The project's series after this ingest (0 when its stored analysis was kept).
    #[serde(default)]
    pub series: usize,
    /// The series whose steps this ingest fitted: those whose points it changed (a series
    /// whose points are unchanged keeps its stored fit).
    #[serde(default)]
    pub series_fitted: usize,
}

/// What an ingest did, and the analysis it computed.
#[derive(Debug)]
pub struct Ingested {
    /// What was added, replaced, skipped and updated.
    pub summary: IngestSummary,
    /// The project's analysis as this ingest computed (and stored) it, every point and step
    /// included; `None` when the stored one already had this ingest's inputs.
    pub analysis: Option<Snapshot>,
}

/// Ingests an asv results folder into the store as `options.project`, and stores the
/// project's analysis (series, step fits, regressions).
///
/// `open_store` opens the store; it runs on a thread of its own while the first files are
/// read. Files already stored with the same bytes are counted unchanged; malformed files are
/// skipped and listed in the summary, as is a machine folder without a readable
/// machine.json. The settings, commit history and files are written in one transaction, so
/// an ingest interrupted at any point (the process killed, say) stored all of them or none.
/// An error means nothing new was stored, except for [`HostingError::AnalysisFailed`], after
/// which the files are stored and the next reader redoes the analysis.
pub fn ingest<E>(
    options: &IngestOptions,
    open_store: impl FnOnce() -> Result<Store, E> + Send,
    progress: &dyn Progress,
) -> Result<Ingested, HostingError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    check_project_name(&options.project)?;
    let (results, mut config) = locate(options)?;
    let benchmarks = format::read_benchmarks(&results.join("benchmarks.json"))?;
    if config.project.is_empty() {
        config.project = options.project.clone();
    }
    let config = &config;
    let read_history = || -> Result<BenchHistory, HostingError> {
        progress.start(Stage::ReadingHistory, None);
        let history = match &options.commit_order {
            CommitOrder::Repository(repo) => crate::git::read_history(repo, config)?,
            CommitOrder::Lists {
                revisions,
                branches,
                tags,
            } => history_from_lists(revisions, branches, tags.as_deref())?,
        };
        progress.finish(Stage::ReadingHistory);
        Ok(history)
    };
    // The commit history is read (walking a clone's commits takes a while) on its own thread
    // while the result files are read and parsed; nothing is written before both are known.
    std::thread::scope(|scope| {
        let history = scope.spawn(read_history);
        let open_store = move || open_store().map_err(|e| HostingError::OpenStore(e.into()));
        ingest_with_history(
            options,
            open_store,
            progress,
            &results,
            config,
            &benchmarks,
            || {
                history
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            },
        )
    })
}

/// Reads the commit history from lists: the revisions, each branch's first-parent list, and
/// the tags.
pub fn history_from_lists(
    revisions: &Path,
    branches: &[(String, PathBuf)],
    tags: Option<&Path>,
) -> Result<BenchHistory, FormatError> {
    let commits = history::read_revisions(revisions)?;
    let mut branch_lists = Vec::new();
    for (name, path) in branches {
        branch_lists.push((name.clone(), history::read_branch_list(path)?));
    }
    let tags = match tags {
        Some(path) => history::read_tags(path)?,
        None => Vec::new(),
    };
    Ok(BenchHistory {
        commits: commits.into_iter().map(|c| (c.sha, c.time)).collect(),
        branches: branch_lists,
        tags,
    })
}

/// The SHA-256 of `bytes`, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    analysis::hex(&Sha256::digest(bytes))
}

/// Where the results and the asv configuration of an ingest are.
fn locate(options: &IngestOptions) -> Result<(PathBuf, AsvConfig), HostingError> {
    let dir = &options.dir;
    if !dir.is_dir() {
        return Err(HostingError::NotAFolder(dir.clone()));
    }
    let config_path = match &options.asv_config {
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
        return Err(HostingError::NoBenchmarks(results));
    }
    Ok((results, config))
}

/// The digest of a commit history, under which the stored one is compared.
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

/// What the store holds of a project before an ingest: each file's digest by path, and the
/// numbered run keys the stored files refer to.
#[derive(Default)]
struct Known {
    digests: HashMap<String, String>,
    keys: Vec<packed::RunKey>,
}

/// Opens the store for an ingest of `project` and hands what it holds of the project to
/// `known` (nothing when it fails: readers waiting on it go on, and the error is reported
/// once they are done).
fn open_for_ingest(
    open_store: impl FnOnce() -> Result<Store, HostingError>,
    project: &str,
    known: &OnceLock<Known>,
) -> Result<Store, HostingError> {
    let opened = open_store().and_then(|store| {
        let digests = store.bench_file_digests(project)?;
        let keys = store.bench_run_keys(project)?;
        Ok((store, Known { digests, keys }))
    });
    match opened {
        Ok((store, stored)) => {
            let _ = known.set(stored);
            Ok(store)
        }
        Err(error) => {
            let _ = known.set(Known::default());
            Err(error)
        }
    }
}

/// A file read by an ingest: its path relative to the results folder, its digest, and its
/// parsed form unless the store already holds these bytes; or why it could not be read.
type FileRead = Result<(String, String, Option<ResultFile>), String>;

/// A new file as an ingest keeps it once parsed: packed (see [`packed::encode`]), with the
/// commit and machine it names.
struct NewFile {
    commit_hash: String,
    machine: Option<String>,
    content: Vec<u8>,
}

/// A file read and packed by an ingest: its path relative to the results folder, its digest,
/// and unless the store already holds these bytes the file packed; or why it could not be
/// read.
type FilePacked = Result<(String, String, Option<NewFile>), String>;

/// How many files are parsed (on all cores) before they are packed and their parsed forms
/// dropped: the parsed form of a file takes several times the memory of its packed form.
const PARSE_BATCH: usize = 256;

/// One machine's folder of results as an ingest read it.
enum FolderRead {
    /// The folder could not be listed.
    Unlisted { dir: PathBuf, error: String },
    /// Its machine.json is missing or malformed: every file is skipped with it.
    NoMachine { files: Vec<PathBuf>, error: String },
    /// The machine's name and description, and each file as read and packed.
    Read {
        machine: (String, String),
        files: Vec<PathBuf>,
        loaded: Vec<FilePacked>,
    },
}

/// A machine folder listed but not yet read: its machine and its result files (sorted).
enum FolderListed {
    /// Ready to read.
    Machine {
        machine: (String, String),
        files: Vec<PathBuf>,
    },
    /// Skipped whole.
    Skipped(FolderRead),
}

/// Reads every machine folder of `results`: lists the result files (sorted), reads, hashes
/// and parses them on all cores, a batch at a time, and packs each batch (numbering new run
/// keys in `run_keys`, which starts from the stored keys once `known` is set) before the next
/// is parsed. A file whose digest `known` holds is not parsed.
fn read_folders(
    results: &Path,
    known: &OnceLock<Known>,
    run_keys: &mut Option<RunKeys>,
    progress: &dyn Progress,
) -> Result<Vec<FolderRead>, HostingError> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(results)
        .map_err(|source| HostingError::ListResults {
            path: results.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    // Every folder is listed first, so that the progress knows how many files there are.
    let mut listed = Vec::with_capacity(dirs.len());
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
                listed.push(FolderListed::Skipped(FolderRead::Unlisted { dir, error }));
                continue;
            }
        };
        files.sort();
        match format::read_machine(&dir.join("machine.json")) {
            Ok((name, info)) => listed.push(FolderListed::Machine {
                machine: (name, info.to_string()),
                files,
            }),
            Err(error) => {
                let error = error.to_string();
                listed.push(FolderListed::Skipped(FolderRead::NoMachine {
                    files,
                    error,
                }));
            }
        }
    }
    let total: usize = listed
        .iter()
        .map(|folder| match folder {
            FolderListed::Machine { files, .. } => files.len(),
            FolderListed::Skipped(_) => 0,
        })
        .sum();
    progress.start(Stage::ReadingResults, Some(total as u64));
    let mut folders = Vec::with_capacity(listed.len());
    for folder in listed {
        let (machine, files) = match folder {
            FolderListed::Machine { machine, files } => (machine, files),
            FolderListed::Skipped(skipped) => {
                folders.push(skipped);
                continue;
            }
        };
        // Reading, hashing and parsing are independent per file: done on all cores, in order.
        // Packing numbers run keys in file order, on this thread.
        let mut loaded = Vec::with_capacity(files.len());
        for batch in files.chunks(PARSE_BATCH) {
            let parsed = parallel::map_on_all_cores(batch, |file| {
                let read = read_file(results, file, known);
                progress.advance(Stage::ReadingResults);
                read
            });
            let keys = run_keys.get_or_insert_with(|| RunKeys::new(known.wait().keys.clone()));
            loaded.extend(parsed.into_iter().map(|read| {
                read.map(|(relative, digest, parsed)| {
                    let packed = parsed.map(|file| NewFile {
                        content: packed::encode(&file, keys),
                        machine: file.machine().map(str::to_owned),
                        commit_hash: file.commit_hash,
                    });
                    (relative, digest, packed)
                })
            }));
        }
        folders.push(FolderRead::Read {
            machine,
            files,
            loaded,
        });
    }
    progress.finish(Stage::ReadingResults);
    Ok(folders)
}

/// Reads, hashes and (unless `known` holds its digest) parses one result file.
fn read_file(results: &Path, file: &PathBuf, known: &OnceLock<Known>) -> FileRead {
    let relative = file
        .strip_prefix(results)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/");
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let digest = sha256_hex(&bytes);
    if known.wait().digests.get(&relative) == Some(&digest) {
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
}

/// The rest of an ingest: `history` gives the commit history once it is needed.
fn ingest_with_history(
    options: &IngestOptions,
    open_store: impl FnOnce() -> Result<Store, HostingError> + Send,
    progress: &dyn Progress,
    results: &Path,
    config: &AsvConfig,
    benchmarks: &Benchmarks,
    history: impl FnOnce() -> Result<BenchHistory, HostingError>,
) -> Result<Ingested, HostingError> {
    let project = options.project.as_str();
    let now = jiff::Timestamp::now();
    let mut summary = IngestSummary {
        project: project.to_owned(),
        ..IngestSummary::default()
    };
    // The store is opened (a new one created) on its own thread while the first files are
    // read and hashed; each file waits for the stored digests only to learn whether it is new.
    let known = OnceLock::new();
    let mut run_keys = None;
    let (opened, folders) = std::thread::scope(|scope| {
        let opening = scope.spawn(|| open_for_ingest(open_store, project, &known));
        let folders = read_folders(results, &known, &mut run_keys, progress);
        let opened = opening
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (opened, folders)
    });

    let mut store = opened?;
    let folders = folders?;
    let Known {
        digests: known,
        keys: stored_keys,
    } = known.into_inner().unwrap_or_default();
    let stored_keys_len = stored_keys.len();
    let run_keys = run_keys.unwrap_or_else(|| RunKeys::new(stored_keys));
    let mut new_files = Vec::new();
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
            let (relative, digest, packed) = match outcome {
                Ok(found) => found,
                Err(error) => {
                    summary.skipped.push(Skipped {
                        path: file.display().to_string(),
                        error,
                    });
                    continue;
                }
            };
            let Some(packed) = packed else {
                summary.unchanged += 1;
                continue;
            };
            let previous = known.get(&relative);
            if packed.machine.as_deref() != Some(machine.as_str()) {
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
                commit_hash: packed.commit_hash,
                machine: machine.clone(),
                content: packed.content,
            });
        }
    }

    let bench_history = history()?;

    if bench_history.branches.is_empty() {
        return Err(HostingError::NoBranchHistory);
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
        analysis::inputs_digest(&config_json, &benchmarks_json, &history_sha256, digests);
    let analysed = store.bench_analysis_inputs(project)?.as_deref() == Some(&inputs_sha256);
    // Stored files this ingest did not read again are decoded by the analysis.
    let renewed: FxHashSet<&str> = new_files.iter().map(|f| f.path.as_str()).collect();
    let stored_files = if analysed || known.keys().all(|path| renewed.contains(path.as_str())) {
        Vec::new()
    } else {
        store.bench_files(project)?
    };
    let sources = analysis::sources_in_path_order(&stored_files, &new_files);
    let history = analysis::history_of(bench_history.clone());
    let settings = analysis::Settings {
        project,
        config,
        benchmarks,
        history: &history,
    };
    let cache = if analysed {
        Default::default()
    } else {
        store.bench_steps(project)?
    };

    let analysis = std::thread::scope(|scope| -> Result<Option<Snapshot>, HostingError> {
        // The analysis runs on its own threads while the files are written.
        let computing = (!analysed).then(|| {
            scope.spawn(|| {
                progress.start(Stage::Analysing, Some(1));
                let computed = analysis::compute(&settings, &sources, run_keys.keys(), &cache);
                progress.advance(Stage::Analysing);
                progress.finish(Stage::Analysing);
                computed
            })
        });
        progress.start(Stage::Storing, None);
        // One transaction: a process killed here leaves none of this ingest or all of it.
        let written = BenchIngest {
            project,
            config: &config_json,
            benchmarks: &benchmarks_json,
            history_sha256: &history_sha256,
            history: &bench_history,
            files: &new_files,
            machines: &machines,
            new_keys: (stored_keys_len, &run_keys.keys()[stored_keys_len..]),
        };
        (summary.settings_updated, summary.history_updated) =
            store.save_bench_ingest(&written, now)?;
        progress.finish(Stage::Storing);

        if let Some(computing) = computing {
            let computed = computing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .map_err(|error| HostingError::AnalysisFailed(Box::new(error)))?;
            analysis::save(&mut store, project, &inputs_sha256, &computed)?;
            summary.series = computed.found.graphs.len();
            summary.series_fitted = computed.fitted;
            return Ok(Some(computed.found));
        }
        Ok(None)
    })?;
    Ok(Ingested { summary, analysis })
}
