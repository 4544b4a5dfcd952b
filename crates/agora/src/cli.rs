//! The command-line surface: one binary, subcommands by noun.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Shared engineering infrastructure for the scientific-Python ecosystem.
///
/// agora reads the ecosystem from the nearest agora.toml (or a built-in default of the
/// SPEC 0 core projects), keeps what it fetches in .agora/ beside it, and works offline
/// from there once synced.
///
/// Exit codes: 0 all is well; 1 the result asks for action (a check found something, a
/// sync partly failed); 2 the command could not run.
#[derive(Debug, Parser)]
#[command(
    name = "agora",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The ecosystem file [default: the nearest agora.toml at or above the working directory]
    #[arg(long, global = true, env = "AGORA_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The SQLite store [default: .agora/agora.db beside agora.toml]
    #[arg(long, global = true, env = "AGORA_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Never touch the network: answer from the store and the HTTP cache, or say what is missing
    #[arg(long, global = true)]
    pub offline: bool,
    /// The PyPI simple index (PEP 691 JSON) [default: the one in agora.toml, else https://pypi.org/simple]
    #[arg(long, global = true, env = "AGORA_INDEX_URL", value_name = "URL")]
    pub index_url: Option<String>,
    /// No progress bars and no summaries on stderr
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented agora.toml with the default ecosystem into the working directory
    Init(InitArgs),
    /// Mirror PyPI release data into the store
    #[command(subcommand)]
    Pypi(PypiCommand),
    /// The SPEC 0 support schedule: which Python and core-package releases may be dropped when
    ///
    /// Python versions are supported for 3 years after their release, core packages' feature
    /// releases for 2 years. Release dates come from PyPI (the earliest upload of any file of
    /// each X.Y.0 release), refreshed through the HTTP cache unless --offline.
    Schedule(ScheduleArgs),
    /// Check repositories against the community's best practices
    ///
    /// Every check of sp-repo-review (same codes, same results), plus agora's own AG family:
    /// SPEC 0 floors, numpydoc validation, code of conduct, governance, security policy,
    /// citation, benchmarks, wheels and Trusted Publishing. Honours [tool.repo-review] and
    /// [tool.agora.review] select/ignore in pyproject.toml. Exit codes as repo-review's:
    /// 0 all pass, 2 nothing to check, 3 some check failed.
    Review(ReviewArgs),
    /// Wheel coverage: which CPython versions have wheels on which platforms, and how soon
    /// after each CPython release every project shipped them
    ///
    /// Rows are CPython 3.9 to 3.15 and the free-threaded 3.13t to 3.15t; columns are manylinux
    /// and musllinux (x86_64, aarch64), macOS (x86_64, arm64), Windows (amd64, arm64), iOS,
    /// Android and Pyodide. A cell gives the oldest glibc, musl, macOS, iOS, Android API or
    /// Pyodide ABI the wheels support; abi3 wheels cover later CPythons (not free-threaded
    /// ones) and pure wheels cover everything. File lists come from PyPI through the HTTP
    /// cache (or only from the store with --offline). Exit 1 when a project has no data or
    /// not the release asked for.
    #[command(disable_version_flag = true)]
    Wheels(WheelsArgs),
    /// Inspect single wheel files
    #[command(subcommand)]
    Wheel(WheelCommand),
    /// Benchmark results (airspeed velocity): ingest, regressions, a static dashboard
    #[command(subcommand)]
    Bench(crate::commands::bench::BenchCommand),
}

/// `agora init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing agora.toml
    #[arg(long)]
    pub force: bool,
}

/// `agora pypi …`.
#[derive(Debug, Subcommand)]
pub enum PypiCommand {
    /// Fetch the project pages of the ecosystem (or of the named projects) and store their files
    ///
    /// Pages are cached and revalidated with ETags: a second sync of unchanged projects downloads
    /// nothing. Exit 1 when some project could not be synced (the others are still stored).
    Sync(PypiSyncArgs),
}

/// `agora pypi sync`.
#[derive(Debug, Args)]
pub struct PypiSyncArgs {
    /// Projects to sync [default: every project of the ecosystem]
    pub projects: Vec<String>,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// How `agora pypi sync` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyncFormat {
    /// A line per project
    Text,
    /// One JSON document
    Json,
}

/// `agora schedule`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ScheduleArgs {
    /// Check a project's pyproject.toml against the schedule
    #[command(subcommand)]
    pub command: Option<ScheduleCommand>,
    /// The day to compute the schedule for, YYYY-MM-DD [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Output format: text (a table), markdown (SPEC 0's schedule.md), json (spec0-action's
    /// schedule.json), ics (a calendar, one event per quarter), mermaid (a Gantt chart of
    /// support windows)
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Text)]
    pub format: ScheduleFormat,
}

/// Formats of `agora schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleFormat {
    /// A table for the terminal
    Text,
    /// SPEC 0's published schedule.md
    Markdown,
    /// spec0-action's schedule.json
    Json,
    /// An iCalendar file
    Ics,
    /// A Mermaid Gantt chart of support windows
    Mermaid,
}

/// `agora schedule …`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Compare the floors a pyproject.toml declares with the ones SPEC 0 allows
    ///
    /// Reads requires-python, [project] dependencies, optional-dependencies and
    /// [dependency-groups]; for each core package and Python says whether the floor is fine,
    /// may be raised (support can be dropped), or is above what SPEC 0 still asks to support.
    /// Exit 1 when something needs action.
    Check(CheckArgs),
}

/// `agora schedule check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The pyproject.toml, or a folder holding one [default: .]
    pub path: Option<PathBuf>,
    /// The day to check for, YYYY-MM-DD [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Output format: text, json, or github (workflow annotations on pyproject.toml's lines)
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Formats of `agora schedule check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A table for the terminal
    Text,
    /// One JSON document
    Json,
    /// GitHub Actions workflow commands
    Github,
}

/// `agora review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Repository checkouts [default: the checkouts configured in agora.toml, else .]
    pub paths: Vec<PathBuf>,
    /// Only these checks or families (prefixes: PY, PP3, GH100), replacing the project's select
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Leave out these checks or families, replacing the project's ignore
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Add to the project's select
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub extend_select: Vec<String>,
    /// Add to the project's ignore
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub extend_ignore: Vec<String>,
    /// The day SPEC 0 floors are checked for, YYYY-MM-DD [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Output format: text, json (repo-review's schema), markdown, or html (for a CI step
    /// summary); several repositories give one table, a column each
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
}

/// Formats of `agora review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// Grouped by family, for the terminal
    Text,
    /// repo-review's JSON
    Json,
    /// Markdown
    Markdown,
    /// An HTML fragment
    Html,
}

/// `agora wheels`.
#[derive(Debug, Args)]
pub struct WheelsArgs {
    /// Projects, by agora.toml name or PyPI name [default: every project of the ecosystem]
    pub projects: Vec<String>,
    /// The release to show for every project [default: each project's newest final release]
    #[arg(long, value_name = "V", conflicts_with = "history")]
    pub version: Option<String>,
    /// Every final release over time instead of one
    #[arg(long)]
    pub history: bool,
    /// Output format: text, json, markdown, or html (a self-contained page with a colour grid)
    #[arg(long, value_enum, default_value_t = WheelsFormat::Text)]
    pub format: WheelsFormat,
}

/// Formats of `agora wheels`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WheelsFormat {
    /// Tables for the terminal
    Text,
    /// One JSON document
    Json,
    /// Markdown tables
    Markdown,
    /// A self-contained HTML page
    Html,
}

/// `agora wheel …`.
#[derive(Debug, Subcommand)]
pub enum WheelCommand {
    /// Check wheels: file name, RECORD, WHEEL and METADATA, contents, and compiled code's tags
    ///
    /// What auditwheel show, check-wheel-contents and twine check report, in one pass: the file
    /// name (PEP 427 escaping, tags valid and equal to WHEEL's), RECORD (every file listed with
    /// its sha256 and size), METADATA (name and version as in the file name, valid
    /// Requires-Python and Requires-Dist, a known description type), the contents (W001-W010 as
    /// WC301-WC310), and for ELF binaries the libraries they need that the manylinux/musllinux
    /// policy does not allow and the wheel does not vendor, the newest GLIBC/GLIBCXX/CXXABI/GCC
    /// symbol versions, and the best tag they qualify for against the one claimed; for Mach-O,
    /// the minimum macOS against the tag. Every finding has a WC code (see CHECKS.md in
    /// agora-wheel-check) and a hint.
    ///
    /// Exit 1 when a wheel has an error finding or some target could not be fetched, 2 when
    /// nothing could be checked.
    Check(WheelCheckArgs),
}

/// `agora wheel check`.
#[derive(Debug, Args)]
pub struct WheelCheckArgs {
    /// Wheels: FILE.whl, an http(s) URL, or PROJECT==VERSION for every wheel of that release on
    /// the index (downloads are kept in agora's HTTP cache)
    #[arg(required = true, value_name = "FILE.whl|URL|PROJECT==VERSION")]
    pub targets: Vec<String>,
    /// Only the wheels of a PROJECT==VERSION release whose file name contains this text
    /// (e.g. `cp312-manylinux`; repeat to keep wheels matching any)
    #[arg(long, value_name = "TEXT")]
    pub only: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = WheelCheckFormat::Text)]
    pub format: WheelCheckFormat,
}

/// Formats of `agora wheel check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WheelCheckFormat {
    /// Findings with hints, per wheel
    Text,
    /// One JSON document: wheels, failures, summary
    Json,
}
