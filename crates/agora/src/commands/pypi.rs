//! `agora pypi sync`: mirrors project pages into the store.

use std::process::ExitCode;

use agora_http::{HttpClient, Origin, PruneLimits, RequestStats, prune_cache, redact_url};
use agora_pypi::sync::{PypiClient, SyncError, SyncOutcome, sync_projects};
use agora_store::Store;
use anyhow::bail;
use serde_json::json;

use crate::cli::{PypiSyncArgs, SyncFormat};
use crate::context::Context;
use crate::progress;

/// Syncs `projects` (PyPI names) with a progress bar; failures are in the results.
pub fn sync_with_progress(
    context: &Context,
    store: &mut Store,
    http: &HttpClient,
    projects: &[String],
) -> Vec<Result<SyncOutcome, SyncError>> {
    let client = PypiClient::new(http, &context.index_url);
    let bar = progress::bar(projects.len(), "pypi", context.quiet);
    let results = sync_projects(store, &client, projects, |project, _| {
        bar.set_message(project.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    results
}

/// Applies the cache's automatic cap ([`PruneLimits::AUTOMATIC`]) after a sync; a failure is
/// a warning, never a failed sync.
pub fn prune_after_sync(context: &Context, http: &HttpClient) {
    let Some(dir) = http.cache_dir() else {
        return;
    };
    match prune_cache(dir, &PruneLimits::AUTOMATIC, std::time::SystemTime::now()) {
        Ok(report) if report.removed_entries > 0 && !context.quiet => {
            eprintln!("cache: {}", super::cache::summary(&report));
        }
        Ok(_) => {}
        Err(error) if !context.quiet => eprintln!("warning: cannot prune the HTTP cache: {error}"),
        Err(_) => {}
    }
}

/// One line on what the HTTP client did.
pub fn stats_line(stats: &RequestStats) -> String {
    format!(
        "{} requests: {} full downloads ({} bytes), {} revalidated (304), {} fresh from cache, {} retries",
        stats.requests, stats.downloads, stats.bytes, stats.revalidated, stats.fresh, stats.retries
    )
}

fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::Network => "downloaded",
        Origin::Revalidated => "revalidated",
        Origin::Fresh => "fresh in cache",
        Origin::Offline => "from cache (offline)",
        Origin::NotModified => "not modified",
    }
}

/// `agora pypi sync [PROJECT…]`.
pub fn sync(context: &Context, args: &PypiSyncArgs) -> anyhow::Result<ExitCode> {
    let projects: Vec<String> = if args.projects.is_empty() {
        context
            .ecosystem
            .projects
            .iter()
            .map(|p| p.pypi.clone())
            .collect()
    } else {
        args.projects
            .iter()
            .map(|name| {
                context
                    .ecosystem
                    .project(name)
                    .map_or_else(|| name.clone(), |p| p.pypi.clone())
            })
            .collect()
    };
    if projects.is_empty() {
        bail!(
            "the ecosystem has no projects; add [[project]] entries to agora.toml or name projects"
        );
    }
    let mut store = context.store()?;
    let http = context.http()?;
    let results = sync_with_progress(context, &mut store, &http, &projects);
    prune_after_sync(context, &http);
    let failed = results.iter().filter(|r| r.is_err()).count();
    let stats = http.stats();
    match args.format {
        SyncFormat::Text => {
            for result in &results {
                match result {
                    Ok(outcome) => {
                        let detail = if outcome.parsed {
                            format!(
                                "{} files, {} new, {} updated",
                                outcome.files, outcome.counts.added, outcome.counts.updated
                            )
                        } else {
                            "unchanged".to_string()
                        };
                        crate::output::println(&format!(
                            "{:<16} {:<20} {detail}",
                            outcome.project,
                            origin_name(outcome.origin)
                        ))?;
                        for problem in &outcome.problems {
                            eprintln!(
                                "warning: {}: {}: {}",
                                outcome.project, problem.filename, problem.message
                            );
                        }
                    }
                    Err(error) => eprintln!("error: {error}"),
                }
            }
            if !context.quiet {
                eprintln!("{}", stats_line(&stats));
            }
        }
        SyncFormat::Json => {
            let projects: Vec<serde_json::Value> = results
                .iter()
                .zip(&projects)
                .map(|(result, name)| match result {
                    Ok(o) => json!({
                        "project": o.project, "ok": true, "origin": origin_name(o.origin),
                        "parsed": o.parsed, "files": o.files, "added": o.counts.added,
                        "updated": o.counts.updated,
                        "problems": o.problems.iter().map(|p| json!({"filename": p.filename, "message": p.message})).collect::<Vec<_>>(),
                    }),
                    Err(error) => json!({"project": name, "ok": false, "error": error.to_string()}),
                })
                .collect();
            let document = json!({
                "index_url": redact_url(&context.index_url),
                "projects": projects,
                "requests": {
                    "sent": stats.requests, "downloads": stats.downloads, "bytes": stats.bytes,
                    "revalidated": stats.revalidated, "fresh": stats.fresh, "offline": stats.offline,
                    "retries": stats.retries,
                },
            });
            crate::output::println(&serde_json::to_string_pretty(&document)?)?;
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
