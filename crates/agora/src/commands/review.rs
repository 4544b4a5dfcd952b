//! `agora review`: best-practice checks of one or several checkouts.

use std::path::PathBuf;
use std::process::ExitCode;

use agora_review::{Options, Report, Spec0Data, render};
use anyhow::{Context as _, bail};

use crate::cli::{ReviewArgs, ReviewFormat};
use crate::commands::schedule::{load_releases, parse_date, start_of};
use crate::context::Context;

/// The checkouts to review: the paths given, else those configured in agora.toml, else `.`.
fn checkouts(context: &Context, args: &ReviewArgs) -> Vec<PathBuf> {
    if !args.paths.is_empty() {
        return args.paths.clone();
    }
    let configured: Vec<PathBuf> = context
        .ecosystem
        .projects
        .iter()
        .filter_map(|p| p.checkout.clone())
        .collect();
    if configured.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        configured
    }
}

/// `agora review [PATH…]`.
pub fn run(context: &Context, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let date = parse_date(args.date.as_deref())?;
    // The SPEC 0 check reads what the store holds (a review never fetches, and never creates
    // a store in a checkout that has none).
    let stored = if context.paths.db.exists() {
        load_releases(context, false).ok()
    } else {
        None
    };
    let spec0 = match stored {
        Some((packages, missing)) if packages.len() > 1 && missing.is_empty() => Some(Spec0Data {
            packages,
            at: start_of(date),
        }),
        _ => None,
    };
    let options = Options {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extend_select: args.extend_select.clone(),
        extend_ignore: args.extend_ignore.clone(),
        spec0,
    };
    let paths = checkouts(context, args);
    for path in &paths {
        if !path.is_dir() {
            bail!(
                "{} is not a folder: agora review reads a repository checkout",
                path.display()
            );
        }
    }
    let reports: Vec<Report> = paths
        .iter()
        .map(|path| agora_review::review(path, &options))
        .collect();
    let out = match (args.format, reports.as_slice()) {
        (ReviewFormat::Text, [one]) => render::text(one),
        (ReviewFormat::Json, [one]) => render::json(one),
        (ReviewFormat::Markdown, [one]) => render::markdown(one),
        (ReviewFormat::Html, [one]) => agora_site::review::html(one)?,
        (ReviewFormat::Text, many) => render::matrix_text(many),
        (ReviewFormat::Json, many) => render::json_many(many),
        (ReviewFormat::Markdown, many) => render::matrix_markdown(many),
        (ReviewFormat::Html, many) => agora_site::review::matrix_html(many)?,
        (ReviewFormat::Github, many) => {
            append_step_summary(many)?;
            many.iter().map(render::github).collect()
        }
    };
    crate::output::print(&out)?;
    if !out.ends_with('\n') {
        crate::output::println("")?;
    }
    let code = reports.iter().map(Report::exit_code).max().unwrap_or(0);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

/// Appends the Markdown report of each review to `$GITHUB_STEP_SUMMARY`, when it is set.
fn append_step_summary(reports: &[Report]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot open $GITHUB_STEP_SUMMARY ({})",
                path.to_string_lossy()
            )
        })?;
    for report in reports {
        writeln!(file, "{}", render::markdown(report)).with_context(|| {
            format!(
                "cannot write $GITHUB_STEP_SUMMARY ({})",
                path.to_string_lossy()
            )
        })?;
    }
    Ok(())
}
