//! `agora wheels`: the wheel coverage matrix and readiness curve, from the stored PyPI files.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::str::FromStr;

use agora_wheels::{ProjectFiles, Selection, WheelsReport, render};
use anyhow::{Context as _, bail};
use pep440_rs::Version;

use crate::cli::{WheelsArgs, WheelsFormat};
use crate::commands::pypi::{stats_line, sync_with_progress};
use crate::context::Context;

/// The projects asked for as (name to show, PyPI name): the named ones, or the ecosystem's.
fn wanted(context: &Context, names: &[String]) -> Vec<(String, String)> {
    if names.is_empty() {
        return context
            .ecosystem
            .projects
            .iter()
            .map(|p| (p.name.clone(), p.pypi.clone()))
            .collect();
    }
    names
        .iter()
        .map(|name| match context.ecosystem.project(name) {
            Some(project) => (project.name.clone(), project.pypi.clone()),
            None => (name.clone(), name.clone()),
        })
        .collect()
}

/// `agora wheels [PROJECT…]`.
pub fn run(context: &Context, args: &WheelsArgs) -> anyhow::Result<ExitCode> {
    let selection = match (&args.version, args.history) {
        (Some(text), _) => Selection::Version(
            Version::from_str(text)
                .with_context(|| format!("--version `{text}` is not a PEP 440 version"))?,
        ),
        (None, true) => Selection::History,
        (None, false) => Selection::Latest,
    };
    let projects = wanted(context, &args.projects);
    if projects.is_empty() {
        bail!(
            "the ecosystem has no projects; add [[project]] entries to agora.toml or name projects"
        );
    }
    let mut store = context.store()?;
    if !context.offline {
        let http = context.http()?;
        let names: Vec<String> = projects.iter().map(|(_, pypi)| pypi.clone()).collect();
        for error in sync_with_progress(context, &mut store, &http, &names)
            .iter()
            .filter_map(|r| r.as_ref().err())
        {
            eprintln!("warning: {error}; using the data already stored, if any");
        }
        if !context.quiet && crate::progress::interactive(false) {
            eprintln!("pypi: {}", stats_line(&http.stats()));
        }
    }
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for (name, pypi) in &projects {
        let normalized = agora_config::normalize(pypi);
        if store.pypi_project(&normalized)?.is_none() {
            missing.push(name.clone());
            continue;
        }
        files.push(ProjectFiles {
            project: name.clone(),
            files: store.pypi_files(&normalized)?,
        });
    }
    let python_releases: BTreeMap<String, jiff::civil::Date> = context
        .ecosystem
        .python
        .iter()
        .map(|p| (p.version.clone(), p.released))
        .collect();
    let report = WheelsReport::compute(&files, &selection, &python_releases);
    let out = match args.format {
        WheelsFormat::Text => render::text(&report),
        WheelsFormat::Json => render::json(&report),
        WheelsFormat::Markdown => render::markdown(&report),
        WheelsFormat::Html => agora_site::wheels::html(&report)?,
    };
    crate::output::print(&out)?;
    if !missing.is_empty() {
        let how = if context.offline {
            "run `agora pypi sync` while online"
        } else {
            "see the errors above"
        };
        eprintln!(
            "error: no PyPI data for {}; {how}. The result leaves them out.",
            missing.join(", ")
        );
    }
    for problem in &report.problems {
        eprintln!("error: {}: {}", problem.project, problem.message);
    }
    Ok(if missing.is_empty() && report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
