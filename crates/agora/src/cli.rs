//! The command-line surface: one binary, subcommands by noun.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Shared engineering infrastructure for the scientific-Python ecosystem.
///
/// agora reads the ecosystem from the nearest agora.toml (or a built-in default of the
/// SPEC 0 core projects) and works offline from its store once synced. The store and the
/// HTTP cache live in .agora/ beside agora.toml; without one, in .agora/ at the root of the
/// git repository around the working directory (a .gitignore inside keeps it out of git);
/// outside any repository, in $XDG_CACHE_HOME/agora (default ~/.cache/agora).
///
/// Exit codes: 0 all is well; 1 the result asks for action (a check found something, a
/// sync partly failed); 2 the command could not run. Except `agora review`, which exits as
/// repo-review does: 0 no check failed, 2 nothing was checked (or the review could not run),
/// 3 some check failed.
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
    /// The store: a SQLite file, or a PostgreSQL database as postgres://… [default: agora.db in .agora/ beside agora.toml, else at the git repository's root, else in ~/.cache/agora]
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
    /// [tool.agora.review] select/ignore in pyproject.toml.
    ///
    /// Exit codes are repo-review's, not agora's usual 0/1/2 (so CI scripts written for
    /// repo-review keep working): 0 no check failed (some may be skipped), 2 nothing was
    /// checked or the review could not run (a path that is not a folder), 3 some check failed.
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
    /// Project health: issue response times, PR flow, contributors and the pony factor
    ///
    /// Computed from the GitHub data in the store (`agora github import` of devstats dumps, or
    /// `agora github sync`), with devstats' definitions: PRs to main/master only, bots and
    /// deleted accounts left out, 30-day bins, first responses on issues at least a day old.
    /// Metrics whose fields a source lacks (a dump without comments, say) read "not in the
    /// data", never zero. With --all, one self-contained HTML report per project of agora.toml
    /// plus an index.html dashboard comparing them are written to --out DIR, and exit 1 when
    /// one of them has no GitHub data in the store (its row says so). A single REPO without
    /// data exits 2.
    Health(HealthArgs),
    /// Mirror GitHub issues, PRs, comments and reviews into the store
    #[command(subcommand)]
    Github(GithubCommand),
    /// One change as pull requests to many repositories: clone, grep, apply, pr, status, close
    ///
    /// A campaign is named by its branch. `clone` the repositories into one folder, `grep`
    /// them, `apply` a change (one commit on the branch in each), `pr` to push and open the
    /// pull requests, `status` to follow them, `close` to withdraw them. Every step is
    /// recorded in the store, so each command can be run again after an interruption.
    #[command(subcommand)]
    Repos(ReposCommand),
    /// Release notes for START..STOP from the GitHub mirror and git, as changelist writes them
    ///
    /// Commits come from a local clone (--git, default: the working directory) and are
    /// matched to PRs by the mirror's merge commits, then by `(#N)` / `Merge pull request #N`
    /// in their messages, then through the merges that brought them in. Each PR gives its
    /// release-note blocks or its title, placed in sections by its labels; contributors are
    /// commit authors and co-authors, reviewers committers and PR reviewers. The configuration
    /// is changelist's: [tool.changelist] in pyproject.toml at STOP, or --changelist-config, with
    /// changelist 0.5's defaults (title/intro/outro templates, label_section_map,
    /// ignored_user_logins, pr_summary_regex, pr_summary_label_regex). The output is
    /// byte-identical to changelist's when the mirror knows everything.
    ///
    /// It never talks to GitHub: run `agora github sync --release-notes OWNER/REPO` first.
    /// Without a mirror of the repository the notes come from git alone (PR numbers and
    /// titles from messages, authors by git name, no labels or reviewers) and end with what
    /// agora could not know. --check exits 1 when a merged PR of the range has no label that
    /// maps to a section or a malformed release-note block, naming them.
    #[command(disable_version_flag = true)]
    Changelog(ChangelogArgs),
    /// Manage the HTTP cache in .agora/cache/http
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Manage the store itself
    #[command(subcommand)]
    Store(StoreCommand),
    /// Search the mirrored issues and pull requests, offline
    ///
    /// The query is GitHub's search syntax. Words must all occur (in the title, body or
    /// comments; `in:title,body,comments` narrows that); "a phrase" keeps its words in order;
    /// word* matches every word starting with it; -word, -"phrase" and -qualifier:value (or NOT
    /// before them) exclude. Qualifiers: repo:OWNER/NAME, org:OWNER, is:issue|pr,
    /// is:open|closed|merged (closed includes merged), label:NAME (repeat for all of them,
    /// label:a,b for either, label:"with spaces"), author:, commenter:, involves:LOGIN,
    /// created:, updated:, closed: with a date YYYY-MM-DD (or a UTC timestamp) after >, >=, <,
    /// <= or as A..B, A..*, *..B, and comments:N likewise. A number finds that issue or PR.
    ///
    /// The index (.agora/index beside the store) is brought up to date with what `agora github
    /// sync` and `agora github import` stored before answering; only items changed since the
    /// last search are indexed again. Exit 2 for a query that cannot be read (the error points
    /// at the token).
    Search(SearchArgs),
    /// Docstrings: numpydoc validation
    #[command(subcommand)]
    Docs(DocsCommand),
    /// Benchmark results (airspeed velocity): ingest, regressions, a static dashboard
    #[command(subcommand)]
    Bench(crate::commands::bench::BenchCommand),
    /// The ecosystem's website: every project and capability in one static site
    #[command(subcommand)]
    Portal(PortalCommand),
    /// Serve the static site, the JSON API (/api/v1/), benchmark uploads and GitHub webhooks
    ///
    /// Settings come from [serve] in agora.toml; --bind and --site override them. The GitHub
    /// webhook secret is read from $AGORA_WEBHOOK_SECRET (or the variable `webhook-secret-env`
    /// names), the token for the syncs webhooks trigger from $GITHUB_TOKEN. Ctrl-C or SIGTERM
    /// stops it after the requests in flight.
    Serve(crate::commands::serve::ServeArgs),
    /// API tokens for `agora serve`: create, list, revoke
    #[command(subcommand)]
    Token(crate::commands::serve::TokenCommand),
    /// Start a new project following the community's practices, or write one community
    /// document (governance, conduct, security, citation, contributing) into a project
    #[command(long_about = crate::commands::new::LONG_ABOUT)]
    New(crate::commands::new::NewArgs),
    /// Shell completions for bash, zsh, fish, elvish or PowerShell, on standard output
    ///
    /// bash: `agora completions bash > ~/.local/share/bash-completion/completions/agora`;
    /// zsh: `agora completions zsh > ~/.zfunc/_agora` (with ~/.zfunc in $fpath); fish:
    /// `agora completions fish > ~/.config/fish/completions/agora.fish`.
    Completions(crate::commands::manual::CompletionsArgs),
    /// The manual page (roff) of agora and every subcommand
    ///
    /// Without --out, agora(1) on standard output (`agora man | man -l -`); with --out DIR,
    /// one page per command (agora.1, agora-review.1, agora-schedule-check.1, …) in DIR.
    Man(crate::commands::manual::ManArgs),
    /// The community's collections: news, the plan, videos, grants, proposals, events
    #[command(subcommand)]
    Content(ContentCommand),
}

/// `agora content …`.
#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Validate a content folder: every item against its kind's schema
    ///
    /// The folder (default: content/ beside agora.toml, else ./content) holds one folder per
    /// kind — news, plan, videos, grants, proposals, events — of Markdown files that open with
    /// TOML front matter between `+++` lines. Each mistake (a missing field, a bad date, an
    /// unknown key, a value of the wrong type, an event that ends before it starts) is named
    /// as FILE:LINE; a file with a mistake is left out of the portal, the others are built.
    /// Exit 0 when every file was accepted, 1 when some were refused, 2 when the folder does
    /// not exist.
    Check(ContentCheckArgs),
}

/// `agora content check`.
#[derive(Debug, Args)]
pub struct ContentCheckArgs {
    /// The content folder [default: content/ beside agora.toml]
    pub dir: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ContentFormat::Text)]
    pub format: ContentFormat,
}

/// How `agora content check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContentFormat {
    /// A line per mistake (FILE:LINE: what), then the counts
    Text,
    /// One JSON document: the counts per kind, the refused files, every problem
    Json,
}

/// `agora portal …`.
#[derive(Debug, Subcommand)]
pub enum PortalCommand {
    /// Build the portal from the store and agora.toml into --out
    ///
    /// Home (a tile per project: newest release, SPEC 0 floors, review failures, wheels for the
    /// newest CPython and its free-threaded build, open benchmark regressions, health), a page
    /// per project with a section per capability (its benchmark charts and health report
    /// beside it), the ecosystem's pages (SPEC 0 schedule, wheel readiness, reviews, health,
    /// regressions), an Atom feed of what changed and a site search. Nothing is fetched: run
    /// `agora pypi sync`, `agora github sync|import` and `agora bench ingest` first; review
    /// reads the checkouts agora.toml names (checkout = "PATH"). A capability without data for
    /// a project says so once, in words.
    ///
    /// Incremental: a project whose inputs did not change since the last build into the same
    /// folder keeps its pages (see .agora-portal.json there), and a file whose bytes would not
    /// change is not touched. Exit 0 when built (what lacks data is listed on stderr), 2 when
    /// the build could not run.
    Build(PortalBuildArgs),
}

/// `agora portal build`.
#[derive(Debug, Args)]
pub struct PortalBuildArgs {
    /// The output folder
    #[arg(long, value_name = "DIR", default_value = "site")]
    pub out: PathBuf,
    /// The day to build for (SPEC 0 minimums in force, recent changes) [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Rebuild every project, even those whose inputs did not change
    #[arg(long)]
    pub full: bool,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
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
    /// Check (and fix) a project's pyproject.toml against the schedule, or derive a CI matrix
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
    ///
    /// With --fix, first raises every floor SPEC 0 lets the project raise (requires-python and
    /// the requirement strings of core projects), as spec0-action's pull requests do: only the
    /// version specifier changes (extras, markers, upper bounds, comments, quotes and ordering
    /// stay), a floor already at or above SPEC 0's minimum is left alone, and each change is
    /// printed. Exit 0 when the fixed file then checks clean.
    Check(CheckArgs),
    /// A CI test matrix from SPEC 0: the Python versions to test and an "oldest supported
    /// dependencies" job
    ///
    /// Python versions: every CPython feature release out by the date, from requires-python's
    /// floor (SPEC 0's minimum when there is none) upward, within requires-python. The oldest
    /// job runs on the lowest of them with project.dependencies' core projects pinned exactly
    /// at their SPEC 0 floors (or the project's own floor, when higher); other requirements are
    /// left as written. `--format github` prints `matrix=<JSON>` for `$GITHUB_OUTPUT`: use it as
    /// `strategy: matrix: ${{ fromJSON(needs.<job>.outputs.matrix) }}`, and install the oldest
    /// job's pins with `pip install ${{ join(matrix.dependencies, ' ') }}` (quoted as needed).
    Matrix(MatrixArgs),
}

/// `agora schedule matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The pyproject.toml, or a folder holding one [default: .]
    pub path: Option<PathBuf>,
    /// The day to compute the matrix for, YYYY-MM-DD [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Output format: github (`matrix=<one-line JSON>` for $GITHUB_OUTPUT) or json (pretty)
    #[arg(long, value_enum, default_value_t = MatrixFormat::Github)]
    pub format: MatrixFormat,
}

/// Formats of `agora schedule matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    /// `matrix=<one-line JSON>`, for $GITHUB_OUTPUT
    Github,
    /// Pretty-printed JSON
    Json,
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
    /// Raise the floors SPEC 0 lets the project raise in pyproject.toml, keeping its
    /// formatting and comments, print each change, then check the fixed file
    #[arg(long)]
    pub fix: bool,
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
    /// GitHub Actions annotations: an ::error per failed check and a ::notice with the counts;
    /// the Markdown report is appended to $GITHUB_STEP_SUMMARY when it is set
    Github,
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
    /// Report only these codes or prefixes (`WC3`, `WC105`, check-wheel-contents' `W002`),
    /// comma-separated or repeated; replaces `select` of `[tool.agora.wheel-check]`
    #[arg(long, value_name = "CODES")]
    pub select: Vec<String>,
    /// Never report these codes or prefixes; replaces `ignore` of `[tool.agora.wheel-check]`
    /// (read from the nearest pyproject.toml above the current directory)
    #[arg(long, value_name = "CODES")]
    pub ignore: Vec<String>,
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

/// `agora health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The repository, OWNER/NAME, or a project name of agora.toml
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub repo: Option<String>,
    /// Every project of agora.toml: a report each and the dashboard, written to --out DIR
    #[arg(long)]
    pub all: bool,
    /// Count only what happened from this day (YYYY-MM-DD, UTC) or moment (RFC 3339) on
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Count only what happened before this day or moment; ages are measured at it
    /// [default: the newest timestamp in the data]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// PR authors to leave out as bots (repeat; replaces the default list: dependabot-preview,
    /// dependabot[bot], github-actions, github-actions[bot], meeseeksmachine, pre-commit-ci[bot])
    #[arg(long = "bot", value_name = "LOGIN")]
    pub bots: Vec<String>,
    /// Output format: text, json (every number), markdown, or html (a self-contained page with
    /// charts); with --all, the format of the summary printed (the pages are always HTML)
    #[arg(long, value_enum, default_value_t = HealthFormat::Text)]
    pub format: HealthFormat,
    /// Write the report to FILE instead of standard output; with --all, the folder for
    /// index.html and the reports [default with --all: health]
    #[arg(long, short, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
}

/// Formats of `agora health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HealthFormat {
    /// Sections and tables for the terminal
    Text,
    /// The whole report as one JSON document
    Json,
    /// Markdown tables
    Markdown,
    /// A self-contained HTML page with inline SVG charts
    Html,
}

/// `agora github …`.
#[derive(Debug, Subcommand)]
pub enum GithubCommand {
    /// Mirror issues, PRs, comments, reviews, labels, milestones and releases of repositories
    ///
    /// Incremental: each repository's listings are asked from where the last sync stopped
    /// (`since`, oldest change first) and revalidated with their ETags, so a sync of an unchanged
    /// repository costs three requests answered 304. Every page is stored in one transaction
    /// with its cursor: an interrupted sync (Ctrl-C, network loss) resumes where it stopped.
    /// The token comes from GITHUB_TOKEN or GH_TOKEN (without one GitHub allows 60 requests an
    /// hour). When the rate limit is used up, the sync waits for its reset and says so, or
    /// stops with --no-wait. Exit 1 when some repository could not be synced (the others are
    /// still stored), 2 when none could.
    Sync(GithubSyncArgs),
    /// Import devstats dumps (`*_issues.json`, `*_PRs.json`) into the store
    ///
    /// The dumps' GraphQL edges become the same rows as a sync writes; what a dump does not
    /// carry (bodies, comment texts, issue authors, PR labels, …) stays unknown. Rows already
    /// mirrored from the REST API are left alone. The repository comes from --repo, else from
    /// the items' URLs, else from the file name's project (`scipy_PRs.json` → the `scipy`
    /// project of agora.toml). Exit 1 when a file or some of its entries could not be read.
    Import(GithubImportArgs),
}

/// `agora cache …`.
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Remove cache entries unused for longer than --max-age days, then the least recently
    /// used ones until the cache fits in --max-size
    ///
    /// Without options, the automatic cap applies (2 GiB, 90 days), as after every sync.
    Prune(CachePruneArgs),
}

/// `agora store …`.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy a SQLite store into an empty PostgreSQL database, verified
    ///
    /// Every table is copied in one transaction, then compared on both sides by its row
    /// count and a SHA-256 digest of its rows. Exit 1 when any table differs.
    Migrate(StoreMigrateArgs),
}

/// `agora store migrate`.
#[derive(Debug, Args)]
pub struct StoreMigrateArgs {
    /// The SQLite store to copy
    #[arg(long, value_name = "FILE.db")]
    pub from: std::path::PathBuf,
    /// The PostgreSQL database to copy it into, postgres://USER[:PASSWORD]@HOST[:PORT]/DB
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Output format of the report
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora cache prune`.
#[derive(Debug, Args)]
pub struct CachePruneArgs {
    /// The most the cache may hold, e.g. 500M or 2GiB [default: 2GiB]
    #[arg(long, value_name = "SIZE")]
    pub max_size: Option<String>,
    /// Remove entries not used for this many days [default: 90]
    #[arg(long, value_name = "DAYS")]
    pub max_age: Option<u64>,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora github sync`.
#[derive(Debug, Args)]
pub struct GithubSyncArgs {
    /// Repositories, OWNER/NAME [default: every repository of the ecosystem]
    #[arg(value_name = "OWNER/REPO")]
    pub repos: Vec<String>,
    /// The GitHub REST API root
    #[arg(
        long,
        env = "AGORA_GITHUB_API_URL",
        value_name = "URL",
        default_value = "https://api.github.com"
    )]
    pub api_url: String,
    /// Stop with an error instead of waiting when the rate limit is used up
    #[arg(long)]
    pub no_wait: bool,
    /// The longest wait for a rate limit, in minutes; a reset further ahead stops the sync
    /// with a message saying when to run again
    #[arg(long, value_name = "MINUTES", default_value_t = 15)]
    pub max_wait: u64,
    /// Skip each changed PR's /pulls/N and reviews requests (no additions, deletions, merged_by,
    /// mergeable, requested reviewers or reviews; two requests fewer per PR)
    #[arg(long)]
    pub no_pr_details: bool,
    /// Also mirror what `agora changelog` needs: the default branch's commits with their
    /// authors' GitHub accounts, and the display names of PR authors, reviewers and committers
    /// (one request per commit page and per user not yet stored; unchanged: one 304)
    #[arg(long)]
    pub release_notes: bool,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// The formats of `agora changelog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangelogFormat {
    /// Markdown, as changelist writes it
    Md,
    /// reStructuredText, as changelist writes it
    Rst,
    /// The model: sections, PRs, commits and how they were matched, contributors, findings
    Json,
}

/// `agora changelog`.
#[derive(Debug, Args)]
pub struct ChangelogArgs {
    /// The repository, OWNER/NAME
    #[arg(value_name = "OWNER/REPO")]
    pub repo: String,
    /// The previous release, excluded (a tag, branch or commit)
    pub start: String,
    /// The release, included (a tag, branch or commit)
    pub stop: String,
    /// The version announced in the title and intro
    #[arg(long, default_value = "x.y.z")]
    pub version: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ChangelogFormat::Md)]
    pub format: ChangelogFormat,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// A TOML file with [tool.changelist], instead of pyproject.toml at STOP (changelist's
    /// --config; agora's own --config names agora.toml)
    #[arg(long, value_name = "FILE")]
    pub changelist_config: Option<PathBuf>,
    /// The local clone to read commits from
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub git: PathBuf,
    /// Also list the authors whose first merged PR is in the range
    #[arg(long)]
    pub new_contributors: bool,
    /// Print problems instead of notes: merged PRs without a label that maps to a section,
    /// malformed release-note blocks; exit 1 when there is one
    #[arg(long)]
    pub check: bool,
}

/// `agora github import`.
#[derive(Debug, Args)]
pub struct GithubImportArgs {
    /// devstats dumps
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The repository the dumps are of, OWNER/NAME
    #[arg(long, value_name = "OWNER/REPO")]
    pub repo: Option<String>,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces. Quote it whole when it has
    /// exclusions (`agora search "crash -segfault"`) or put it after `--`
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    /// Order of the hits; relevance falls back to updated for a query without words
    #[arg(long, value_enum, default_value_t = SearchSort::Relevance)]
    pub sort: SearchSort,
    /// Show at most this many hits (0: only count them)
    #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Skip this many hits first, for the next page
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
}

/// Orders of `agora search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchSort {
    /// Best match first
    Relevance,
    /// Most recently updated first
    Updated,
    /// Most recently opened first
    Created,
    /// Most commented first
    Comments,
}

/// Formats of `agora search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Hits with details and snippets, matches marked
    Text,
    /// One JSON document: query, sort, total, hits with text_matches
    Json,
}

/// `agora docs …`.
#[derive(Debug, Subcommand)]
pub enum DocsCommand {
    /// Validate numpydoc docstrings: a drop-in for `numpydoc lint` (numpydoc 1.11.0)
    ///
    /// Every module, class, function and method of the Python files is checked with numpydoc's
    /// codes and messages (GL01-GL10, SS01-SS06, ES01, PR01-PR10, RT01-RT05, YD01, SA01-SA04,
    /// EX01), printed as `path:line: CODE message`. Settings come from `[tool.numpydoc_validation]`
    /// in the project's pyproject.toml (or `[tool:numpydoc_validation]` in setup.cfg): `checks`,
    /// `exclude`, `exclude_files`, `override_<CODE>`; the project is the nearest folder above the
    /// paths with pyproject.toml, setup.cfg, .git or .hg. A `# numpydoc ignore=CODE,CODE` comment
    /// on a def/class line silences those codes for it. A docstring numpydoc cannot parse (it
    /// aborts on those) is checked as far as possible and reported as GL90. Files are checked in
    /// parallel; directories are searched for .py files, hidden folders included (but not .git,
    /// .hg, .svn, .jj), honouring .gitignore. Files are read as UTF-8 unless a PEP 263 coding
    /// line declares Latin-1, Windows-1252 or ASCII.
    ///
    /// Exit 1 when there are findings (or a file could not be parsed), 0 when none, 2 on a bad
    /// command line or configuration.
    Lint(DocsLintArgs),
    /// Build the API reference of a package from its source, without importing it
    ///
    /// PATH is a source tree or an sdist (.tar.gz). The package's public API is resolved
    /// statically: modules, `__all__` and `from x import *` chains, classes (inherited members
    /// included), methods, properties, attributes, functions, module data and aliases;
    /// signatures from the source or from `.pyi` stubs; docstrings from the source, from numpy's
    /// `add_newdoc(...)` calls and from static `$NAME`/`%(name)s` tables. Writes OUT/index.html,
    /// a page per public object in OUT/api/, and OUT/objects.inv (Sphinx inventory v2, for
    /// intersphinx, sphobjinv, mkdocstrings). Prints a summary: objects, what could not be
    /// resolved (by cause), See Also references resolved, time. Each unresolved See Also name is
    /// a warning on stderr with file:line.
    ///
    /// Exit 0 when the reference was written (unresolved names are warnings), 2 when the package
    /// cannot be read or OUT cannot be written.
    #[command(disable_version_flag = true)]
    Build(DocsBuildArgs),
}

/// `agora docs build`.
#[derive(Debug, Args)]
pub struct DocsBuildArgs {
    /// A source tree or an sdist (.tar.gz) [default: .]
    #[arg(value_name = "PATH|SDIST", default_value = ".")]
    pub path: PathBuf,
    /// Where to write the pages and objects.inv (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The project name in titles and the inventory [default: pyproject's name, else the package]
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// The version in titles and the inventory [default: pyproject's version, else the sdist's]
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
    /// The import name of the package, when the tree holds several
    #[arg(long, value_name = "NAME")]
    pub package: Option<String>,
    /// The `[source]` link, with {path}, {line}, {end_line} and {version} to fill in
    /// [default: pyproject's repository URL + /blob/v{version}/{path}#L{line}-L{end_line}]
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// Write only objects.inv and the summary, no pages
    #[arg(long)]
    pub no_pages: bool,
    /// Summary format: text, or json (counts, every problem, every unresolved reference)
    #[arg(long, value_enum, default_value_t = DocsBuildFormat::Text)]
    pub format: DocsBuildFormat,
}

/// Formats of `agora docs build`'s summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsBuildFormat {
    /// A few lines for people
    Text,
    /// One JSON document
    Json,
}

/// `agora docs lint`.
#[derive(Debug, Args)]
pub struct DocsLintArgs {
    /// Python files or directories [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Codes to leave out, in addition to the configured ones (repeat, or separate with commas
    /// or spaces: `--ignore ES01,SA01 --ignore 'EX01 GL08'`)
    #[arg(long, value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Output format: text (numpydoc's lines), json (one object per finding), github (workflow
    /// annotations, a closing ::notice with the counts by code, and a Markdown summary appended
    /// to $GITHUB_STEP_SUMMARY when it is set)
    #[arg(long, value_enum, default_value_t = DocsLintFormat::Text)]
    pub format: DocsLintFormat,
    /// Print counts by code, with what each code checks, instead of the findings
    #[arg(long)]
    pub statistics: bool,
    /// With --format github: annotate at most N findings a file (one more annotation says how
    /// many were left out); GitHub shows only the first ten error annotations of a step, and
    /// the closing ::notice and the step summary count everything [default: no limit]
    #[arg(long, value_name = "N")]
    pub max_annotations_per_file: Option<usize>,
    /// Worker threads [default: the number of CPUs]
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Formats of `agora docs lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsLintFormat {
    /// `path:line: CODE message` lines, as numpydoc prints them
    Text,
    /// A JSON array of findings: path, line, name, code, message
    Json,
    /// GitHub Actions `::error` annotations
    Github,
}

/// `agora repos …`.
#[derive(Debug, Subcommand)]
pub enum ReposCommand {
    /// Clone the ecosystem's repositories into one folder, or fetch the clones already there
    ///
    /// The repositories are the projects of agora.toml (their `repo`), or --repos, or
    /// --repos-file (one `OWNER/NAME [URL]` a line). Each goes to ROOT/OWNER/NAME; a few are
    /// cloned at once (--jobs). Existing clones are fetched, and moved to the new commits of
    /// their default branch when they are on it. A repository that fails is reported and the
    /// others go on. Exit 1 when some failed, 2 when all did.
    Clone(ReposCloneArgs),
    /// Fetch the clones already in the folder (clone nothing new); see `clone`
    Update(ReposCloneArgs),
    /// Search every clone for a regex, in parallel, printing `OWNER/NAME:PATH:LINE:TEXT`
    ///
    /// As `git grep` in each clone: files ignored by .gitignore are left out, binary files
    /// (a NUL in the first 8000 bytes) print `OWNER/NAME:Binary file PATH matches`. The
    /// pattern is a Rust regex (like `git grep -E`; -F for a literal string). Exit codes are
    /// grep's: 0 something matched, 1 nothing did, 2 an error (a bad pattern, an unreadable
    /// file).
    Grep(ReposGrepArgs),
    /// List the files of every clone whose path matches a regex, as `OWNER/NAME:PATH`
    ///
    /// Exit codes are grep's: 0 some file matched, 1 none did, 2 an error.
    FindFiles(ReposFindArgs),
    /// Make one change in every clone, as one commit on a fresh branch off its default branch
    ///
    /// The change is --sed 's/REGEX/REPLACEMENT/FLAGS' on the files --files selects, or
    /// --script 'CMD' run with `sh -c` in each clone (AGORA_REPO holds OWNER/NAME), or
    /// --spec0: raise the dependency floors of pyproject.toml to SPEC 0, as `agora schedule
    /// check --fix` does. Repositories where it makes no diff are skipped. --dry-run prints
    /// the diffs and changes nothing. Each repository's outcome is recorded in the store under
    /// the campaign's branch, for `agora repos pr`. Exit 1 when some repository failed.
    Apply(ReposApplyArgs),
    /// Push each branch of a campaign and open its pull request
    ///
    /// Pushes to the repository (or, with --fork, to your fork, made or reused) and opens the
    /// PR through GitHub's REST API with GITHUB_TOKEN (or GH_TOKEN): title and body from the
    /// commit unless --title/--body-file, optionally as a draft, with labels and reviewers.
    /// Requests that create content go one at a time, at least a second apart, and secondary
    /// rate limits (403/429 with Retry-After) are waited out. Every step is recorded in the
    /// store, so running it again after a crash or Ctrl-C opens what is missing and nothing
    /// twice: a PR GitHub already has for the branch is adopted. --canary N opens N PRs and
    /// stops (or asks, on a terminal) before the rest. Exit 1 when some repository failed.
    Pr(ReposPrArgs),
    /// The state of each pull request of a campaign (open, closed, merged), or the campaigns
    ///
    /// Reads each PR from GitHub and records its state; with --offline, shows the states
    /// last recorded.
    Status(ReposStatusArgs),
    /// Withdraw a campaign: close its open pull requests and mark it closed
    Close(ReposCloseArgs),
}

/// Which repositories, and where their clones are.
#[derive(Debug, Args)]
pub struct ReposSelectArgs {
    /// The folder of the clones [default: repos/ in the state folder, .agora/repos]
    #[arg(long, env = "AGORA_REPOS_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Repositories, OWNER/NAME, comma-separated [default: the projects of agora.toml]
    #[arg(long, value_delimiter = ',', value_name = "OWNER/NAME")]
    pub repos: Vec<String>,
    /// A file listing the repositories, one `OWNER/NAME [URL]` a line (# comments)
    #[arg(long, value_name = "FILE", conflicts_with = "repos")]
    pub repos_file: Option<PathBuf>,
    /// Where repositories without a URL are cloned from: BASE/OWNER/NAME.git
    #[arg(
        long,
        env = "AGORA_GIT_BASE",
        value_name = "URL",
        default_value = "https://github.com"
    )]
    pub git_base: String,
    /// Repositories handled at once [default: the number of CPUs]
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

/// `agora repos clone` and `update`.
#[derive(Debug, Args)]
pub struct ReposCloneArgs {
    /// Which repositories
    #[command(flatten)]
    pub select: ReposSelectArgs,
    /// Clone only this many commits of history
    #[arg(long, value_name = "N")]
    pub depth: Option<std::num::NonZeroU32>,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora repos grep`.
#[derive(Debug, Args)]
pub struct ReposGrepArgs {
    /// The regex (Rust syntax; a literal string with -F)
    pub pattern: String,
    /// Which clones [default: every clone in the folder]
    #[command(flatten)]
    pub select: ReposSelectArgs,
    /// Ignore case
    #[arg(long, short = 'i')]
    pub ignore_case: bool,
    /// The pattern is a literal string
    #[arg(long, short = 'F')]
    pub fixed_strings: bool,
    /// Match whole words
    #[arg(long, short = 'w')]
    pub word_regexp: bool,
    /// Print only the repositories and files that match, `OWNER/NAME:PATH`
    #[arg(long, short = 'l')]
    pub files_with_matches: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora repos find-files`.
#[derive(Debug, Args)]
pub struct ReposFindArgs {
    /// The regex matched against each path relative to its clone
    pub pattern: String,
    /// Which clones [default: every clone in the folder]
    #[command(flatten)]
    pub select: ReposSelectArgs,
    /// Ignore case
    #[arg(long, short = 'i')]
    pub ignore_case: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora repos apply`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("change").required(true).args(["sed", "script", "spec0"])))]
pub struct ReposApplyArgs {
    /// Which repositories
    #[command(flatten)]
    pub select: ReposSelectArgs,
    /// A substitution, s/REGEX/REPLACEMENT/FLAGS (flags: g every match on a line, i ignore
    /// case; \1 and & in the replacement), in the files --files selects
    #[arg(long, value_name = "EXPR", requires = "files")]
    pub sed: Option<String>,
    /// The files --sed edits: globs relative to each clone, comma-separated
    /// (`pyproject.toml,.github/workflows/*.yml`)
    #[arg(long, value_name = "GLOB")]
    pub files: Option<String>,
    /// A shell command run in each clone
    #[arg(long, value_name = "CMD")]
    pub script: Option<String>,
    /// Raise pyproject.toml's dependency floors to SPEC 0 (as `agora schedule check --fix`)
    #[arg(long)]
    pub spec0: bool,
    /// The date for --spec0's schedule, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", requires = "spec0")]
    pub date: Option<String>,
    /// The commit message (its first line becomes the PR's title) [default with --spec0:
    /// "Raise dependency floors to SPEC 0"]
    #[arg(
        long,
        short = 'm',
        value_name = "MSG",
        required_unless_present = "spec0"
    )]
    pub message: Option<String>,
    /// The campaign's branch [default: agora/ and the message's first words]
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Show the diffs; commit nothing, record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora repos pr`.
#[derive(Debug, Args)]
pub struct ReposPrArgs {
    /// Which repositories
    #[command(flatten)]
    pub select: ReposSelectArgs,
    /// The campaign's branch
    #[arg(long, value_name = "NAME")]
    pub branch: String,
    /// The PRs' title [default: the commit's first line]
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// A file holding the PRs' description [default: the commit message's body]
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// Open the PRs as drafts
    #[arg(long)]
    pub draft: bool,
    /// A label to add (repeatable)
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// A login to ask for a review (repeatable)
    #[arg(long = "reviewer", value_name = "LOGIN")]
    pub reviewers: Vec<String>,
    /// Push to your fork (made when missing, reused when there) instead of the repository
    #[arg(long)]
    pub fork: bool,
    /// Open this many PRs, then stop (on a terminal: ask whether to go on)
    #[arg(long, value_name = "N")]
    pub canary: Option<usize>,
    /// Where the GitHub API is
    #[command(flatten)]
    pub api: ReposApiArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora repos status`.
#[derive(Debug, Args)]
pub struct ReposStatusArgs {
    /// The campaign's branch [default: list the campaigns]
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Where the GitHub API is
    #[command(flatten)]
    pub api: ReposApiArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = SyncFormat::Text)]
    pub format: SyncFormat,
}

/// `agora repos close`.
#[derive(Debug, Args)]
pub struct ReposCloseArgs {
    /// The campaign's branch
    #[arg(long, value_name = "NAME")]
    pub branch: String,
    /// Where the GitHub API is
    #[command(flatten)]
    pub api: ReposApiArgs,
}

/// The GitHub API `agora repos` talks to.
#[derive(Debug, Args)]
pub struct ReposApiArgs {
    /// The GitHub REST API root
    #[arg(
        long,
        env = "AGORA_GITHUB_API_URL",
        value_name = "URL",
        default_value = "https://api.github.com"
    )]
    pub api_url: String,
}
