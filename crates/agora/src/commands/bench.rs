//! `agora bench`: asv results hosted in the store, their regressions, and a static dashboard.
//!
//! The use cases are `agora-bench-hosting`'s: `ingest` reads a results folder and the commit
//! order into the store and analyses the project; `regressions` and `publish` read that
//! analysis back. This module turns the arguments into their inputs and prints their outcomes:
//! a list (text or JSON), asv's `regressions.json` or Atom feed, or the dashboard's files (of
//! which only those whose bytes changed are written).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use agora_bench::dashboard;
use agora_bench::display::{factor_text, human_value};
use agora_bench::regressions::RegressionReport;
use agora_bench::series;
use agora_bench_hosting::{
    Analysis, CommitOrder, HostingError, IngestOptions, Reading, analyse, feed,
};
use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::context::Context;
use crate::progress::Reporter;

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
    /// Upload an asv results folder and its commit order to an `agora serve`
    ///
    /// The CI side of benchmark hosting: packs RESULTS (asv's results folder), --revisions,
    /// --branch-file, --tags and the asv.conf.json into one tarball and posts it to
    /// SERVER/api/v1/projects/PROJECT/bench with the upload token from $AGORA_TOKEN. Network
    /// errors and 5xx answers are retried with the same idempotency key, so the upload is
    /// ingested once. Prints the server's answer (JSON); exit 1 when it refused the upload.
    Upload(UploadArgs),
}

/// `agora bench upload`.
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// asv's results folder (holding benchmarks.json)
    pub results: PathBuf,
    /// The server's base URL
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// The project's name on the server
    #[arg(long)]
    pub project: String,
    /// The project's asv.conf.json [default: RESULTS/../asv.conf.json when it exists]
    #[arg(long, value_name = "FILE")]
    pub asv_config: Option<PathBuf>,
    /// `index<TAB>sha<TAB>unix-time` lines in `git rev-list --all --date-order --reverse` order
    #[arg(long, value_name = "FILE")]
    pub revisions: PathBuf,
    /// A branch's `git rev-list --first-parent BRANCH`, as NAME=FILE (or a file named
    /// branch-NAME-first-parent.txt); repeat for more branches
    #[arg(long, value_name = "NAME=FILE")]
    pub branch_file: Vec<String>,
    /// `tag<TAB>sha` lines
    #[arg(long, value_name = "FILE")]
    pub tags: Option<PathBuf>,
    /// The idempotency key [default: a random one, the same for every retry of this run]
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Attempts before giving up on network errors and 5xx answers
    #[arg(long, default_value_t = 5)]
    pub attempts: u32,
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
        BenchCommand::Upload(args) => upload(args),
    }
}

/// A use case's error in the command line's words: the flag a bad project name came from,
/// the command to run when the store holds nothing.
fn cli_error(error: HostingError) -> anyhow::Error {
    let text = match &error {
        HostingError::ProjectName(_) => return anyhow::Error::new(error).context("--project"),
        HostingError::NoBranchHistory => {
            "no branch history: give --branch-file NAME=FILE (a `git rev-list --first-parent` list)"
                .to_owned()
        }
        HostingError::NoProjects => {
            "no benchmark results in the store; run `agora bench ingest` first".to_owned()
        }
        HostingError::ProjectNotStored(project) => format!(
            "no benchmark results stored for project {project}; run `agora bench ingest` first"
        ),
        _ => return anyhow::Error::new(error),
    };
    anyhow::Error::msg(text)
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

fn ingest(context: &Context, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let commit_order = match (&args.repo, &args.revisions) {
        (Some(repo), _) => CommitOrder::Repository(repo.clone()),
        (None, Some(revisions)) => CommitOrder::Lists {
            revisions: revisions.clone(),
            branches: args
                .branch_file
                .iter()
                .map(|arg| branch_file(arg))
                .collect::<anyhow::Result<_>>()?,
            tags: args.tags.clone(),
        },
        (None, None) => {
            bail!("give the commit order: --repo PATH, or --revisions FILE with --branch-file")
        }
    };
    let options = IngestOptions {
        dir: args.dir.clone(),
        project: args.project.clone(),
        asv_config: args.asv_config.clone(),
        commit_order,
    };
    let reporter = Reporter::new(context.quiet);
    let ingested =
        agora_bench_hosting::ingest(&options, || context.store(), &reporter).map_err(cli_error)?;
    drop(reporter);
    // The process ends soon: the operating system frees the analysis at once.
    std::mem::forget(ingested.analysis);
    let summary = ingested.summary;

    match args.format {
        SummaryFormat::Json => crate::output::println(&serde_json::to_string_pretty(&summary)?)?,
        SummaryFormat::Text => {
            for skipped in &summary.skipped {
                eprintln!("warning: {}: {}", skipped.path, skipped.error);
            }
            if !context.quiet {
                crate::output::println(&format!(
                    "{}: {} result files added, {} replaced, {} unchanged, {} skipped{}{}",
                    summary.project,
                    summary.added,
                    summary.replaced,
                    summary.unchanged,
                    summary.skipped.len(),
                    if summary.history_updated {
                        "; commit history updated"
                    } else {
                        ""
                    },
                    if summary.series > 0 {
                        format!(
                            "; steps fitted for {} of {} series",
                            summary.series_fitted, summary.series
                        )
                    } else {
                        String::new()
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

fn upload(args: &UploadArgs) -> anyhow::Result<ExitCode> {
    let Some(token) = std::env::var("AGORA_TOKEN").ok().filter(|t| !t.is_empty()) else {
        bail!(
            "set AGORA_TOKEN to an upload token (`agora token create --project P` on the server)"
        );
    };
    let asv_config = args.asv_config.clone().or_else(|| {
        let beside = args.results.join("../asv.conf.json");
        beside.is_file().then_some(beside)
    });
    let request = agora_server::client::UploadRequest {
        server: args.server.clone(),
        project: args.project.clone(),
        results: args.results.clone(),
        asv_config,
        revisions: args.revisions.clone(),
        branches: args
            .branch_file
            .iter()
            .map(|arg| branch_file(arg))
            .collect::<anyhow::Result<_>>()?,
        tags: args.tags.clone(),
        token,
        idempotency_key: args.idempotency_key.clone(),
        attempts: args.attempts,
    };
    let reply = agora_server::client::upload(&request)?;
    crate::output::println(&reply.body)?;
    Ok(if (200..300).contains(&reply.status) {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: the server answered {}", reply.status);
        ExitCode::from(1)
    })
}

fn regressions_command(context: &Context, args: &RegressionsArgs) -> anyhow::Result<ExitCode> {
    let mut store = context.store()?;
    let reporter = Reporter::new(context.quiet);
    let names = agora_bench_hosting::projects(&store, args.project.as_deref(), &reporter)
        .map_err(cli_error)?;
    if names.len() > 1
        && matches!(
            args.format,
            RegressionsFormat::Asv | RegressionsFormat::Atom
        )
    {
        bail!("asv's formats hold one project: give --project");
    }
    let analyses = agora_bench_hosting::regressions(&mut store, &names, Reading::Report, &reporter)
        .map_err(cli_error)?;
    drop(reporter);
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
    let reporter = Reporter::new(context.quiet);
    let names = agora_bench_hosting::projects(&store, args.project.as_deref(), &reporter)
        .map_err(cli_error)?;
    let mut written = 0;
    let mut total = 0;
    // One project at a time: a dashboard's analysis holds every point of every series.
    for name in &names {
        let mut analysis = analyse(&mut store, name, Reading::Everything).map_err(cli_error)?;
        let site = agora_bench_hosting::analysis::site(&mut analysis);
        let folder = args.out.join(series::sanitize_filename(name));
        // Each file is written (unless unchanged) and dropped as soon as it is made.
        let outcomes = site.render_each(
            agora_site::bench::XOrder::Dates,
            None,
            &|path, bytes| -> anyhow::Result<bool> {
                dashboard::write_if_changed(&folder, &path, &bytes).with_context(|| {
                    format!("cannot write the dashboard into {}", folder.display())
                })
            },
        )?;
        total += outcomes.len();
        written += outcomes.into_iter().filter(|&w| w).count();
        // As in `regressions`: the operating system frees all of it faster at exit.
        std::mem::forget(site.graphs);
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
