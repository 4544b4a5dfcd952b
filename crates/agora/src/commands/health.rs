//! `agora health`: one project's health report, or every project's plus the dashboard.
//!
//! The command resolves the name and computes the report over the window with
//! `agora_ecosystem::health` (the repository's issues and PRs read from the store), and hands
//! it to `agora_site` for the chosen view. Nothing here fetches: the data comes from
//! `agora github import` or `agora github sync`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agora_health::EcosystemSummary;
use agora_health::report::{HealthReport, Options};
use agora_site::{dashboard, health};
use anyhow::{Context as _, bail};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::cli::{HealthArgs, HealthFormat};
use crate::context::Context;

/// A `--since`/`--until` value: a day (UTC midnight) or an RFC 3339 moment.
fn moment(text: &str, flag: &str) -> anyhow::Result<Timestamp> {
    if let Ok(day) = text.parse::<Date>() {
        return Ok(day.to_zoned(TimeZone::UTC)?.timestamp());
    }
    text.parse::<Timestamp>().with_context(|| {
        format!("{flag} `{text}` is neither a day (YYYY-MM-DD) nor an RFC 3339 moment")
    })
}

/// The options from the command line.
fn options(args: &HealthArgs) -> anyhow::Result<Options> {
    let mut options = Options {
        since: args
            .since
            .as_deref()
            .map(|t| moment(t, "--since"))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|t| moment(t, "--until"))
            .transpose()?,
        ..Options::default()
    };
    if let (Some(since), Some(until)) = (options.since, options.until)
        && since >= until
    {
        bail!("--since {since} is not before --until {until}");
    }
    if !args.bots.is_empty() {
        options.bots = args.bots.clone();
    }
    Ok(options)
}

/// The repository's health report from the store; `None` when the store has no data for it.
fn load(
    store: &agora_store::Store,
    repo: &str,
    options: &Options,
    quiet: bool,
) -> anyhow::Result<Option<HealthReport>> {
    let found = agora_ecosystem::health::report(store, repo, options)
        .with_context(|| format!("cannot read {repo}'s GitHub data from the store"))?;
    Ok(found.map(|found| {
        if found.skipped > 0 && !quiet {
            eprintln!(
                "warning: {repo}: {} stored items have no creation time and are left out",
                found.skipped
            );
        }
        found.report
    }))
}

/// The hint for a repository without data.
fn no_data(repo: &str) -> String {
    format!(
        "no GitHub data for {repo} in the store; run `agora github import OWNER_issues.json OWNER_prs.json` \
         (devstats dumps) or `agora github sync {repo}` first"
    )
}

/// Writes `text` to `path`, creating its folder.
fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// `agora health REPO` and `agora health --all`.
pub fn run(context: &Context, args: &HealthArgs) -> anyhow::Result<ExitCode> {
    let options = options(args)?;
    let store = context.store()?;
    if args.all {
        return run_all(context, args, &options, &store);
    }
    let name = args.repo.as_deref().unwrap_or_default();
    let repo = agora_ecosystem::health::repository(&context.ecosystem, name)?;
    let Some(report) = load(&store, &repo, &options, context.quiet)? else {
        bail!("{}", no_data(&repo));
    };
    if let (Some(since), Some(as_of)) = (report.window.since, report.window.as_of)
        && since > as_of
        && !context.quiet
    {
        eprintln!(
            "warning: --since {since} is after the newest data of {repo} ({as_of}): the window is empty"
        );
    }
    let out = match args.format {
        HealthFormat::Text => health::text(&report),
        HealthFormat::Json => health::json(&report),
        HealthFormat::Markdown => health::markdown(&report),
        HealthFormat::Html => health::html(&report)?,
    };
    match &args.out {
        Some(path) => write(path, &out)?,
        None => crate::output::print(&out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Every project: a page each, the dashboard, and the summary on standard output.
fn run_all(
    context: &Context,
    args: &HealthArgs,
    options: &Options,
    store: &agora_store::Store,
) -> anyhow::Result<ExitCode> {
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("health"));
    let mut projects = Vec::new();
    let mut missing = Vec::new();
    for project in &context.ecosystem.projects {
        let Some(repo) = project.repo.clone() else {
            missing.push(format!("{} (no repo in agora.toml)", project.name));
            continue;
        };
        let report = load(store, &repo, options, context.quiet)?;
        match &report {
            Some(report) => {
                write(
                    &dir.join(agora_health::ecosystem::report_file_name(&repo)),
                    &health::html(report)?,
                )?;
                write(
                    &dir.join(agora_health::ecosystem::data_file_name(&repo)),
                    &health::json(report),
                )?;
            }
            None => missing.push(repo.clone()),
        }
        projects.push((repo, report));
    }
    let summary = EcosystemSummary::from_reports(&projects);
    let page = dashboard::html(&summary)?;
    write(&dir.join("index.html"), &page)?;
    let out = match args.format {
        HealthFormat::Text => dashboard::text(&summary),
        HealthFormat::Json => dashboard::json(&summary),
        HealthFormat::Markdown => dashboard::markdown(&summary),
        HealthFormat::Html => page,
    };
    crate::output::print(&out)?;
    if !context.quiet {
        eprintln!("wrote {}", dir.join("index.html").display());
    }
    if missing.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error: no GitHub data for {}; the dashboard marks them. Import or sync them first.",
            missing.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}
