//! `agora schedule` and `agora schedule check`.

use std::path::PathBuf;
use std::process::ExitCode;

use agora_schedule::check::{check as check_floors, render_github, render_json, render_text};
use agora_schedule::{PackageReleases, Schedule, render};
use anyhow::{Context as _, bail};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::cli::{CheckArgs, CheckFormat, MatrixArgs, MatrixFormat, ScheduleArgs, ScheduleFormat};
use crate::commands::pypi::{stats_line, sync_with_progress};
use crate::context::Context;

/// `--date`, or today in UTC.
pub fn parse_date(text: Option<&str>) -> anyhow::Result<Date> {
    match text {
        Some(text) => text
            .parse::<Date>()
            .with_context(|| format!("--date `{text}` is not a date like 2026-04-01")),
        None => Ok(Timestamp::now().to_zoned(TimeZone::UTC).date()),
    }
}

pub use agora_ecosystem::releases::start_of;

/// Release data for Python and every core project, refreshed from the index when `refresh`
/// and not offline. Returns the packages that have data and the names of those that have none.
pub fn load_releases(
    context: &Context,
    refresh: bool,
) -> anyhow::Result<(Vec<PackageReleases>, Vec<String>)> {
    let core: Vec<_> = context.ecosystem.core_projects().collect();
    if core.is_empty() {
        bail!("the ecosystem has no core projects (role = \"core\" in agora.toml)");
    }
    let mut store = context.store()?;
    if refresh && !context.offline {
        let http = context.http()?;
        let names: Vec<String> = core.iter().map(|p| p.pypi.clone()).collect();
        let results = sync_with_progress(context, &mut store, &http, &names);
        for error in results.iter().filter_map(|r| r.as_ref().err()) {
            eprintln!("warning: {error}; using the data already stored, if any");
        }
        if !context.quiet && crate::progress::interactive(false) {
            eprintln!("pypi: {}", stats_line(&http.stats()));
        }
    }
    Ok(agora_ecosystem::releases::stored(
        &store,
        &context.ecosystem,
    )?)
}

fn report_missing(context: &Context, missing: &[String]) {
    if !missing.is_empty() {
        let how = if context.offline {
            "run `agora pypi sync` while online"
        } else {
            "see the errors above"
        };
        eprintln!(
            "error: no release data for {}; {how}. The result leaves them out.",
            missing.join(", ")
        );
    }
}

/// `agora schedule`.
pub fn schedule(context: &Context, args: &ScheduleArgs) -> anyhow::Result<ExitCode> {
    let date = parse_date(args.date.as_deref())?;
    let (packages, missing) = load_releases(context, true)?;
    let schedule = Schedule::compute(&packages, date);
    let out = match args.format {
        ScheduleFormat::Text => render::text(&schedule),
        ScheduleFormat::Markdown => render::markdown(&schedule),
        ScheduleFormat::Json => render::json(&schedule),
        ScheduleFormat::Ics => render::ics(&schedule),
        ScheduleFormat::Mermaid => render::mermaid(&schedule),
    };
    crate::output::print(&out)?;
    report_missing(context, &missing);
    Ok(if missing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `agora schedule check [PATH]`.
pub fn check(context: &Context, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let date = parse_date(args.date.as_deref())?;
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    // Read the project first: a missing or broken pyproject.toml needs no network.
    let mut declared = agora_schedule::pyproject::read(&path)?;
    let (packages, missing) = load_releases(context, true)?;
    if args.fix {
        let file = declared.path.clone();
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let fixed = agora_schedule::fix::fix(&file, &text, &packages, start_of(date))?;
        if fixed.text != text {
            std::fs::write(&file, &fixed.text)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
        let lines = agora_schedule::fix::render_changes(&fixed);
        // The changes go with the text report; beside JSON or annotations, to stderr.
        if args.format == CheckFormat::Text {
            crate::output::print(&format!("{lines}\n"))?;
        } else {
            eprint!("{lines}");
        }
        declared = agora_schedule::pyproject::parse(&file, &fixed.text)?;
    }
    let report = check_floors(&declared, &packages, start_of(date));
    let out = match args.format {
        CheckFormat::Text => render_text(&report),
        CheckFormat::Json => render_json(&report),
        CheckFormat::Github => render_github(&report),
    };
    crate::output::print(&out)?;
    report_missing(context, &missing);
    Ok(if report.needs_action() || !missing.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `agora schedule matrix [PATH]`.
pub fn matrix(context: &Context, args: &MatrixArgs) -> anyhow::Result<ExitCode> {
    let date = parse_date(args.date.as_deref())?;
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let declared = agora_schedule::pyproject::read(&path)?;
    let (packages, missing) = load_releases(context, true)?;
    let matrix = agora_schedule::matrix::matrix(&declared, &packages, date);
    let out = match args.format {
        MatrixFormat::Github => agora_schedule::matrix::render_github(&matrix),
        MatrixFormat::Json => agora_schedule::matrix::render_json(&matrix),
    };
    crate::output::print(&out)?;
    report_missing(context, &missing);
    for problem in &declared.problems {
        eprintln!("warning: {problem}");
    }
    Ok(if missing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
