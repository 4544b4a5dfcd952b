//! `agora github sync` and `agora github import`: the GitHub mirror in the store.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use agora_github::client::{ClientConfig, GithubClient, token_from_env};
use agora_github::devstats::{self, Dump};
use agora_github::{SyncEvent, SyncOptions, SyncReport, check_repo, import_dump, sync_repo};
use agora_http::ClientOptions;
use anyhow::bail;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::cli::{GithubImportArgs, GithubSyncArgs, SyncFormat};
use crate::context::Context;
use crate::progress;

fn spinner(quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        None,
        if progress::interactive(quiet) {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    let style = ProgressStyle::with_template("{spinner} {prefix} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn report_json(report: &SyncReport) -> serde_json::Value {
    json!({
        "repo": report.repo, "ok": true, "items": report.items, "comments": report.comments,
        "reviews": report.reviews, "pr_details": report.pr_details.len(),
        "requests": report.requests, "not_modified": report.not_modified,
        "commits": report.commits, "users": report.users,
    })
}

/// `agora github sync [OWNER/REPO…]`.
pub fn sync(context: &Context, args: &GithubSyncArgs) -> anyhow::Result<ExitCode> {
    if context.offline {
        bail!("agora github sync needs the network; it cannot run with --offline");
    }
    let repos = context.repos_or_configured(&args.repos);
    if repos.is_empty() {
        bail!("no repositories: name OWNER/REPO or give projects a repo in agora.toml");
    }
    for repo in &repos {
        check_repo(repo)?;
    }
    let client = GithubClient::new(ClientConfig {
        api_url: args.api_url.clone(),
        token: token_from_env(),
        no_wait: args.no_wait,
        max_wait: Duration::from_secs(args.max_wait.saturating_mul(60)),
        http: ClientOptions::default(),
    })?;
    let options = SyncOptions {
        pr_details: !args.no_pr_details,
        release_notes: args.release_notes,
        ..SyncOptions::default()
    };
    let mut store = context.store()?;
    let bar = spinner(context.quiet);
    let mut results = Vec::new();
    for repo in &repos {
        bar.set_prefix(repo.clone());
        let quiet = context.quiet;
        let bar_ref = &bar;
        let mut on_event = |event: SyncEvent| match event {
            SyncEvent::Page {
                endpoint,
                written,
                budget,
            } => {
                let budget = match (budget.remaining, budget.limit) {
                    (Some(r), Some(l)) => format!(" · rate limit {r}/{l} left"),
                    _ => String::new(),
                };
                bar_ref.set_message(format!("{endpoint}: {written} written{budget}"));
            }
            SyncEvent::Waiting { reset } => {
                if !quiet {
                    bar_ref.suspend(|| {
                        eprintln!(
                            "{repo}: the GitHub rate limit is used up; waiting until {reset} (use --no-wait to stop instead)"
                        );
                    });
                }
            }
        };
        let result = sync_repo(&client, &mut store, repo, options, &mut on_event);
        results.push((repo.clone(), result));
    }
    bar.finish_and_clear();
    super::search::refresh_after_write(context, &store);
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    match args.format {
        SyncFormat::Text => {
            for (repo, result) in &results {
                match result {
                    Ok(r) => crate::output::println(&format!(
                        "{repo}: {} issues/PRs, {} comments, {} reviews written; {} requests ({} answered 304)",
                        r.items, r.comments, r.reviews, r.requests, r.not_modified
                    ))?,
                    Err(error) => eprintln!("error: {repo}: {error}"),
                }
            }
            if !context.quiet && !client.authenticated() {
                eprintln!(
                    "note: no GITHUB_TOKEN or GH_TOKEN set; GitHub allows 60 requests an hour without one"
                );
            }
        }
        SyncFormat::Json => {
            let repos: Vec<serde_json::Value> = results
                .iter()
                .map(|(repo, result)| match result {
                    Ok(r) => report_json(r),
                    Err(error) => json!({"repo": repo, "ok": false, "error": error.to_string()}),
                })
                .collect();
            let budget = client.budget();
            let document = json!({
                "repos": repos,
                "rate_limit": {"remaining": budget.remaining, "limit": budget.limit,
                               "reset": budget.reset.map(|t| t.to_string())},
            });
            crate::output::println(&serde_json::to_string_pretty(&document)?)?;
        }
    }
    Ok(if failed == results.len() {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The repository of `dump`: `--repo`, else its URLs, else its file name's project.
fn dump_repo(
    context: &Context,
    given: Option<&str>,
    dump: &Dump,
    known: &[(String, String)],
) -> Option<String> {
    if let Some(repo) = given {
        return Some(repo.to_string());
    }
    if let Some(repo) = &dump.repo_from_urls {
        return Some(repo.clone());
    }
    let prefix = devstats::name_prefix(&dump.path)?;
    if let Some((_, repo)) = known.iter().find(|(p, _)| p.eq_ignore_ascii_case(&prefix)) {
        return Some(repo.clone());
    }
    context
        .ecosystem
        .project(&prefix)
        .and_then(|p| p.repo.clone())
}

/// `agora github import FILE…`.
pub fn import(context: &Context, args: &GithubImportArgs) -> anyhow::Result<ExitCode> {
    if let Some(repo) = &args.repo {
        check_repo(repo)?;
    }
    let mut dumps = Vec::new();
    let mut problems = 0usize;
    let mut outcomes = Vec::new();
    for path in &args.files {
        match devstats::read_dump(path) {
            Ok(dump) => dumps.push(dump),
            Err(error) => {
                problems += 1;
                eprintln!("error: {error}");
                outcomes.push(json!({"file": path, "ok": false, "error": error.to_string()}));
            }
        }
    }
    // Dumps whose items carry URLs tell the repository of their siblings with the same prefix.
    let known: Vec<(String, String)> = dumps
        .iter()
        .filter_map(|d| Some((devstats::name_prefix(&d.path)?, d.repo_from_urls.clone()?)))
        .collect();
    let mut store = context.store()?;
    for dump in &dumps {
        let file = display(&dump.path);
        for (index, message) in &dump.skipped {
            problems += 1;
            eprintln!("warning: {file}: entry {index} skipped: {message}");
        }
        let Some(repo) = dump_repo(context, args.repo.as_deref(), dump, &known) else {
            problems += 1;
            let error = format!(
                "{file}: cannot tell which repository this dump is of; pass --repo OWNER/REPO"
            );
            eprintln!("error: {error}");
            outcomes.push(json!({"file": file, "ok": false, "error": error}));
            continue;
        };
        for (_, message) in &dump.warnings {
            eprintln!("warning: {file}: {message}");
        }
        let counts = match import_dump(&mut store, &repo, dump) {
            Ok(counts) => counts,
            Err(error) => {
                // A write failed (a full disk, say): what was committed stays whole; say what
                // is missing and go on with the other dumps.
                problems += 1;
                eprintln!("error: {error}");
                outcomes.push(
                    json!({"file": file, "ok": false, "repo": repo, "error": error.to_string()}),
                );
                continue;
            }
        };
        let kind = match dump.kind {
            devstats::DumpKind::Issues => "issues",
            devstats::DumpKind::Prs => "prs",
        };
        if args.format == SyncFormat::Text {
            let noun = if kind == "prs" { "PRs" } else { "issues" };
            let mut extra = String::new();
            if !dump.duplicates.is_empty() {
                extra.push_str(&format!(
                    ", {} repeated entries imported once",
                    dump.duplicates.len()
                ));
            }
            if !dump.warnings.is_empty() {
                extra.push_str(&format!(
                    ", {} inconsistent dates stored as unknown",
                    dump.warnings.len()
                ));
            }
            crate::output::println(&format!(
                "{file} → {repo}: {} {noun} ({} new, {} updated, {} unchanged, {} left as synced), {} comments written, {} entries skipped{extra}",
                dump.items.len(),
                counts.items_added,
                counts.items_updated,
                counts.items_unchanged,
                counts.items_skipped,
                counts.comments,
                dump.skipped.len()
            ))?;
        }
        outcomes.push(json!({
            "file": file, "ok": true, "repo": repo, "kind": kind, "items": dump.items.len(),
            "added": counts.items_added, "updated": counts.items_updated,
            "unchanged": counts.items_unchanged,
            "left_as_synced": counts.items_skipped, "comments": counts.comments,
            "skipped": dump.skipped.iter().map(|(i, m)| json!({"entry": i, "error": m})).collect::<Vec<_>>(),
            "duplicates": dump.duplicates,
            "inconsistent": dump.warnings.iter().map(|(n, m)| json!({"number": n, "warning": m})).collect::<Vec<_>>(),
        }));
    }
    // The rows into the database file itself now, so a failure to do so (a full disk) is
    // reported rather than left to the silent checkpoint on close.
    if let Err(error) = store.checkpoint() {
        eprintln!(
            "warning: the imported rows stay in {}-wal for now: {error}",
            store.path().display()
        );
    }
    super::search::refresh_after_write(context, &store);
    if args.format == SyncFormat::Json {
        crate::output::println(&serde_json::to_string_pretty(
            &json!({ "files": outcomes }),
        )?)?;
    }
    Ok(if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
