//! `agora repos …`: clone, grep, apply, pr, status and close (the work is `agora_repos`').

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use agora_github::client::token_from_env;
use agora_github::{ClientConfig, GithubClient};
use agora_http::ClientOptions;
use agora_repos::apply::{Applied, Change, SedExpr, globs};
use agora_repos::campaign::{self, CampaignRepo, PrEvent, PrOptions, PrOutcome};
use agora_repos::clone::{CloneAction, CloneOptions, sync_all};
use agora_repos::git::PushAuth;
use agora_repos::grep::{GrepOptions, find_files, grep};
use agora_repos::parallel::default_jobs;
use agora_repos::targets::{RepoTarget, discover, parse_list};
use anyhow::{Context as _, bail};

use crate::cli::{
    ReposApplyArgs, ReposCloneArgs, ReposCloseArgs, ReposCommand, ReposFindArgs, ReposGrepArgs,
    ReposPrArgs, ReposSelectArgs, ReposStatusArgs, SyncFormat,
};
use crate::context::Context;

/// Runs `agora repos …`.
pub fn run(context: &Context, command: &ReposCommand) -> anyhow::Result<ExitCode> {
    match command {
        ReposCommand::Clone(args) => clone(context, args, false),
        ReposCommand::Update(args) => clone(context, args, true),
        ReposCommand::Grep(args) => grep_command(context, args),
        ReposCommand::FindFiles(args) => find_command(context, args),
        ReposCommand::Apply(args) => apply(context, args),
        ReposCommand::Pr(args) => pr(context, args),
        ReposCommand::Status(args) => status(context, args),
        ReposCommand::Close(args) => close(context, args),
    }
}

/// The clones' folder.
fn root(context: &Context, select: &ReposSelectArgs) -> PathBuf {
    select
        .root
        .clone()
        .unwrap_or_else(|| context.paths.state.join("repos"))
}

/// The repositories asked for: --repos-file, --repos, else the projects of agora.toml.
fn targets(context: &Context, select: &ReposSelectArgs) -> anyhow::Result<Vec<RepoTarget>> {
    if let Some(file) = &select.repos_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        return Ok(parse_list(
            &text,
            &file.display().to_string(),
            &select.git_base,
        )?);
    }
    let names = context.repos_or_configured(&select.repos);
    if names.is_empty() {
        bail!("no repositories: give --repos or --repos-file, or projects a repo in agora.toml");
    }
    let mut targets: Vec<RepoTarget> = Vec::new();
    for name in names {
        let target = RepoTarget::from_name(name.trim(), &select.git_base)
            .map_err(|e| anyhow::anyhow!("--repos: {e}"))?;
        if !targets
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&target.name))
        {
            targets.push(target);
        }
    }
    Ok(targets)
}

/// The clones to search: those asked for, else every clone in the folder.
fn search_clones(
    context: &Context,
    select: &ReposSelectArgs,
) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let root = root(context, select);
    let targets = if select.repos.is_empty() && select.repos_file.is_none() {
        if !root.is_dir() {
            bail!(
                "no clones in {}: run `agora repos clone` first (or give --root)",
                root.display()
            );
        }
        discover(&root)?
    } else {
        targets(context, select)?
    };
    Ok(targets
        .into_iter()
        .map(|t| {
            let dir = t.dir(&root);
            (t.name, dir)
        })
        .collect())
}

fn jobs(select: &ReposSelectArgs) -> usize {
    select.jobs.unwrap_or_else(default_jobs).max(1)
}

/// The exit code for `failed` of `total`: 0 none, 1 some, 2 all.
fn failure_code(failed: usize, total: usize) -> ExitCode {
    match failed {
        0 => ExitCode::SUCCESS,
        n if n == total => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

fn short(sha: &str) -> &str {
    sha.get(..10).unwrap_or(sha)
}

/// `agora repos clone` and `update`.
fn clone(context: &Context, args: &ReposCloneArgs, update_only: bool) -> anyhow::Result<ExitCode> {
    let targets = targets(context, &args.select)?;
    let root = root(context, &args.select);
    let what = if update_only { "update" } else { "clone" };
    let bar = crate::progress::bar(targets.len(), what, context.quiet);
    let options = CloneOptions {
        depth: args.depth,
        jobs: jobs(&args.select),
        update_only,
    };
    let outcomes = sync_all(&targets, &root, options, |outcome| {
        bar.inc(1);
        bar.set_message(outcome.repo.clone());
        if let Err(error) = &outcome.result {
            bar.suspend(|| eprintln!("error: {error}"));
        }
        if let Some(note) = &outcome.note {
            bar.suspend(|| eprintln!("note: {note}"));
        }
    });
    bar.finish_and_clear();
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    match args.format {
        SyncFormat::Json => crate::output::println(&serde_json::to_string_pretty(&outcomes)?)?,
        SyncFormat::Text => {
            let mut out = String::new();
            for outcome in &outcomes {
                let head = outcome.head.as_deref().map(short).unwrap_or("");
                let line = match &outcome.result {
                    Ok(CloneAction::Cloned) => format!("cloned      {head}"),
                    Ok(CloneAction::Updated) => format!("updated     {head}"),
                    Ok(CloneAction::UpToDate) => format!("up to date  {head}"),
                    Ok(CloneAction::Missing) => "no clone (run `agora repos clone`)".to_string(),
                    Err(_) => "failed (see above)".to_string(),
                };
                let _ = writeln!(out, "{:40} {line}", outcome.repo);
            }
            crate::output::print(&out)?;
            if !context.quiet {
                eprintln!(
                    "{what}: {} repositories in {}, {failed} failed",
                    outcomes.len(),
                    root.display()
                );
            }
        }
    }
    Ok(failure_code(failed, outcomes.len()))
}

/// grep's exit code: 2 on an error, else 0 when something matched, else 1.
fn grep_code(errors: usize, matched: bool) -> ExitCode {
    if errors > 0 {
        ExitCode::from(2)
    } else if matched {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `agora repos grep`.
fn grep_command(context: &Context, args: &ReposGrepArgs) -> anyhow::Result<ExitCode> {
    let clones = search_clones(context, &args.select)?;
    let options = GrepOptions {
        ignore_case: args.ignore_case,
        fixed_strings: args.fixed_strings,
        word: args.word_regexp,
        jobs: jobs(&args.select),
    };
    let report = grep(&clones, &args.pattern, options)?;
    for error in &report.errors {
        eprintln!("agora repos grep: {error}");
    }
    match args.format {
        SyncFormat::Json => crate::output::println(&serde_json::to_string_pretty(&report)?)?,
        SyncFormat::Text => {
            let mut out = String::with_capacity(report.matches.len() * 80);
            if args.files_with_matches {
                let files: BTreeSet<(&str, &str)> = report
                    .matches
                    .iter()
                    .map(|m| (m.repo.as_str(), m.path.as_str()))
                    .collect();
                for (repo, path) in files {
                    let _ = writeln!(out, "{repo}:{path}");
                }
            } else {
                for found in &report.matches {
                    out.push_str(&found.render());
                    out.push('\n');
                }
            }
            crate::output::print(&out)?;
        }
    }
    Ok(grep_code(report.errors.len(), !report.matches.is_empty()))
}

/// `agora repos find-files`.
fn find_command(context: &Context, args: &ReposFindArgs) -> anyhow::Result<ExitCode> {
    let clones = search_clones(context, &args.select)?;
    let options = GrepOptions {
        ignore_case: args.ignore_case,
        jobs: jobs(&args.select),
        ..GrepOptions::default()
    };
    let (files, errors) = find_files(&clones, &args.pattern, options)?;
    for error in &errors {
        eprintln!("agora repos find-files: {error}");
    }
    match args.format {
        SyncFormat::Json => crate::output::println(&serde_json::to_string_pretty(&files)?)?,
        SyncFormat::Text => {
            let mut out = String::new();
            for file in &files {
                let _ = writeln!(out, "{}:{}", file.repo, file.path);
            }
            crate::output::print(&out)?;
        }
    }
    Ok(grep_code(errors.len(), !files.is_empty()))
}

/// `agora/` and the first words of `message`, as a branch name.
fn branch_from_message(message: &str) -> String {
    let mut slug = String::new();
    for word in message.lines().next().unwrap_or("").split_whitespace() {
        let word: String = word
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
            .collect::<String>()
            .to_ascii_lowercase();
        let word = word.trim_matches('.');
        if word.is_empty() {
            continue;
        }
        if slug.len() + word.len() > 40 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        slug.push_str("change");
    }
    format!("agora/{slug}")
}

/// `agora repos apply`.
fn apply(context: &Context, args: &ReposApplyArgs) -> anyhow::Result<ExitCode> {
    let message = match (&args.message, args.spec0) {
        (Some(message), _) => message.clone(),
        (None, true) => "Raise dependency floors to SPEC 0".to_string(),
        (None, false) => bail!("--message is required"),
    };
    if message.trim().is_empty() {
        bail!("--message is empty");
    }
    let branch = args
        .branch
        .clone()
        .unwrap_or_else(|| branch_from_message(&message));
    let git_ok = std::process::Command::new("git")
        .args(["check-ref-format", "--branch", &branch])
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_ok {
        bail!("--branch {branch:?} is not a valid branch name");
    }
    let targets = targets(context, &args.select)?;
    let root = root(context, &args.select);
    let spec0_packages = if args.spec0 {
        let date = super::schedule::parse_date(args.date.as_deref())?;
        let (packages, missing) = super::schedule::load_releases(context, true)?;
        if !missing.is_empty() {
            eprintln!(
                "warning: no release data for {}; their floors are left alone",
                missing.join(", ")
            );
        }
        Some((packages, super::schedule::start_of(date)))
    } else {
        None
    };
    let spec0 = |dir: &Path, _repo: &str| -> Result<Vec<String>, String> {
        let Some((packages, at)) = &spec0_packages else {
            return Ok(Vec::new());
        };
        let file = dir.join("pyproject.toml");
        if !file.is_file() {
            return Ok(Vec::new());
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let fixed =
            agora_schedule::fix::fix(&file, &text, packages, *at).map_err(|e| e.to_string())?;
        if fixed.text != text {
            std::fs::write(&file, &fixed.text)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
        Ok(fixed
            .changes
            .iter()
            .map(|c| format!("pyproject.toml:{}: {} -> {}", c.line, c.before, c.after))
            .collect())
    };
    let change = match (&args.sed, &args.script) {
        (Some(expr), _) => Change::Sed {
            expr: SedExpr::parse(expr)?,
            files: globs(args.files.as_deref().unwrap_or(""))?,
        },
        (None, Some(command)) => Change::Script {
            command: command.clone(),
        },
        (None, None) => Change::Function(&spec0),
    };
    let mut store = context.store()?;
    if !args.dry_run {
        campaign::start_campaign(&store, &branch, &message)?;
    }
    let mut list = Vec::new();
    for target in &targets {
        let pushed = campaign::pushed_commit(&store, &branch, &target.name)?;
        list.push((target.name.clone(), target.dir(&root), pushed));
    }
    let bar = crate::progress::bar(list.len(), "apply", context.quiet);
    let mut results: Vec<Option<Result<Applied, String>>> = vec![None; list.len()];
    let mut store_error = None;
    agora_repos::apply::apply_all(
        &list,
        &branch,
        &change,
        &message,
        args.dry_run,
        jobs(&args.select),
        |index, result| {
            bar.inc(1);
            if !args.dry_run
                && store_error.is_none()
                && let Err(error) =
                    campaign::record_applied(&mut store, &branch, &list[index].0, &result)
            {
                store_error = Some(error);
            }
            if let Err(error) = &result {
                bar.suspend(|| eprintln!("error: {error}"));
            }
            results[index] = Some(result.map_err(|e| e.to_string()));
        },
    );
    bar.finish_and_clear();
    if let Some(error) = store_error {
        return Err(error.into());
    }
    let results: Vec<(String, Result<Applied, String>)> = list
        .iter()
        .zip(results)
        .filter_map(|((name, _, _), result)| result.map(|r| (name.clone(), r)))
        .collect();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    match args.format {
        SyncFormat::Json => {
            let json: Vec<serde_json::Value> = results
                .iter()
                .map(|(repo, result)| match result {
                    Ok(applied) => {
                        serde_json::json!({"repo": repo, "branch": branch, "result": applied})
                    }
                    Err(error) => {
                        serde_json::json!({"repo": repo, "branch": branch, "error": error})
                    }
                })
                .collect();
            crate::output::println(&serde_json::to_string_pretty(&json)?)?;
        }
        SyncFormat::Text => {
            let mut out = String::new();
            for (repo, result) in &results {
                match result {
                    Ok(Applied::Committed { commit, notes, .. }) => {
                        let _ = writeln!(out, "{repo}: committed {} on {branch}", short(commit));
                        for note in notes {
                            let _ = writeln!(out, "    {note}");
                        }
                    }
                    Ok(Applied::Diff { diff, .. }) => {
                        let _ = writeln!(out, "{repo}: would change");
                        out.push_str(diff);
                    }
                    Ok(Applied::Unchanged { .. }) => {
                        let _ = writeln!(out, "{repo}: no diff, skipped");
                    }
                    Ok(Applied::AlreadyPushed { commit }) => {
                        let _ = writeln!(
                            out,
                            "{repo}: {branch} was pushed already at {}, left alone",
                            short(commit)
                        );
                    }
                    Err(_) => {
                        let _ = writeln!(out, "{repo}: failed (see above)");
                    }
                }
            }
            crate::output::print(&out)?;
            if !context.quiet && !args.dry_run {
                eprintln!("next: agora repos pr --branch {branch}");
            }
        }
    }
    Ok(failure_code(failed, results.len()))
}

/// The host a token of the API at `api_url` pushes to: github.com for api.github.com,
/// the server itself for GitHub Enterprise (`https://HOST/api/v3`).
fn push_host(api_url: &str) -> Option<String> {
    let rest = api_url.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.eq_ignore_ascii_case("api.github.com") {
        Some("github.com".into())
    } else if path.trim_end_matches('/') == "api/v3" {
        Some(host.to_ascii_lowercase())
    } else {
        None
    }
}

fn github_client(api_url: &str, token: Option<String>) -> anyhow::Result<GithubClient> {
    Ok(GithubClient::new(ClientConfig {
        api_url: api_url.to_string(),
        token,
        no_wait: false,
        max_wait: Duration::from_secs(15 * 60),
        http: ClientOptions::default(),
    })?)
}

fn on_event(quiet: bool) -> impl FnMut(PrEvent) {
    move |event| match event {
        PrEvent::Started(repo) => {
            if crate::progress::interactive(quiet) {
                eprintln!("{repo}…");
            }
        }
        PrEvent::Step { repo, step } => {
            if crate::progress::interactive(quiet) {
                eprintln!("{repo}: {step}");
            }
        }
        PrEvent::Waiting(at) => {
            if !quiet {
                eprintln!("GitHub asked to slow down; waiting until {at}");
            }
        }
    }
}

/// Asks on the terminal whether to go on after the canary PRs.
fn go_ahead(opened: usize, left: usize) -> bool {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!("{opened} canary PR(s) opened; open the other {left}? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes")
}

/// `agora repos pr`.
fn pr(context: &Context, args: &ReposPrArgs) -> anyhow::Result<ExitCode> {
    if context.offline {
        bail!("agora repos pr needs the network; it cannot run with --offline");
    }
    let Some(token) = token_from_env() else {
        bail!("agora repos pr needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN)");
    };
    let client = github_client(&args.api.api_url, Some(token.clone()))?;
    let push_auth = push_host(&args.api.api_url).map(|host| PushAuth { host, token });
    let body = match &args.body_file {
        Some(file) => Some(
            std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?,
        ),
        None => None,
    };
    let targets = targets(context, &args.select)?;
    let root = root(context, &args.select);
    let repos: Vec<CampaignRepo> = targets
        .iter()
        .map(|t| CampaignRepo {
            repo: t.name.clone(),
            dir: t.dir(&root),
        })
        .collect();
    let mut options = PrOptions {
        branch: args.branch.clone(),
        title: args.title.clone(),
        body,
        draft: args.draft,
        labels: args.labels.clone(),
        reviewers: args.reviewers.clone(),
        fork: args.fork,
        canary: args.canary,
        push_auth,
    };
    let mut store = context.store()?;
    let mut events = on_event(context.quiet);
    let mut outcomes = campaign::open_pulls(&mut store, &client, &repos, &options, &mut events)?;
    let waiting = outcomes
        .iter()
        .filter(|(_, o)| *o == PrOutcome::Waiting)
        .count();
    if waiting > 0 {
        let opened = outcomes
            .iter()
            .filter(|(_, o)| matches!(o, PrOutcome::Opened { .. }))
            .count();
        if go_ahead(opened, waiting) {
            options.canary = None;
            outcomes = campaign::open_pulls(&mut store, &client, &repos, &options, &mut events)?;
        }
    }
    let failed = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, PrOutcome::Failed { .. }))
        .count();
    match args.format {
        SyncFormat::Json => {
            let json: Vec<serde_json::Value> = outcomes
                .iter()
                .map(|(repo, outcome)| serde_json::json!({"repo": repo, "result": outcome}))
                .collect();
            crate::output::println(&serde_json::to_string_pretty(&json)?)?;
        }
        SyncFormat::Text => {
            let mut out = String::new();
            for (repo, outcome) in &outcomes {
                let line = match outcome {
                    PrOutcome::Opened { number, url } => format!("opened #{number} {url}"),
                    PrOutcome::Existing { number, url } => format!("exists #{number} {url}"),
                    PrOutcome::Skipped { reason } => format!("skipped: {reason}"),
                    PrOutcome::Failed { error } => format!("failed: {error}"),
                    PrOutcome::Waiting => "waiting for the canary PRs".to_string(),
                };
                let _ = writeln!(out, "{repo}: {line}");
            }
            crate::output::print(&out)?;
            let still = outcomes
                .iter()
                .filter(|(_, o)| *o == PrOutcome::Waiting)
                .count();
            if still > 0 && !context.quiet {
                eprintln!(
                    "{still} repositories wait: look at the canary PRs, then run `agora repos pr --branch {}` again",
                    args.branch
                );
            }
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `agora repos status`.
fn status(context: &Context, args: &ReposStatusArgs) -> anyhow::Result<ExitCode> {
    let mut store = context.store()?;
    let Some(branch) = &args.branch else {
        let campaigns = store.campaigns()?;
        match args.format {
            SyncFormat::Json => {
                crate::output::println(&serde_json::to_string_pretty(&campaigns)?)?;
            }
            SyncFormat::Text => {
                let mut out = String::new();
                for c in &campaigns {
                    let targets = store.campaign_targets(&c.branch)?;
                    let opened = targets.iter().filter(|t| t.pr_number.is_some()).count();
                    let state = if c.closed_at.is_some() {
                        "closed"
                    } else {
                        "open"
                    };
                    let _ = writeln!(
                        out,
                        "{:40} {state:6} {opened}/{} PRs  {}  {}",
                        c.branch,
                        targets.len(),
                        c.created_at,
                        c.message.lines().next().unwrap_or("")
                    );
                }
                if campaigns.is_empty() {
                    out.push_str("no campaigns yet: start one with `agora repos apply`\n");
                }
                crate::output::print(&out)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let client = if context.offline {
        None
    } else {
        Some(github_client(&args.api.api_url, token_from_env())?)
    };
    let rows = campaign::refresh_status(&mut store, client.as_ref(), branch)?;
    match args.format {
        SyncFormat::Json => crate::output::println(&serde_json::to_string_pretty(&rows)?)?,
        SyncFormat::Text => {
            let mut out = String::new();
            for row in &rows {
                let number = row.number.map(|n| format!("#{n}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:40} {number:>7} {:10} {}",
                    row.repo,
                    row.state,
                    row.url.as_deref().unwrap_or("")
                );
                if let Some(error) = &row.error {
                    let _ = writeln!(out, "{:40}         last error: {error}", "");
                }
            }
            crate::output::print(&out)?;
        }
    }
    let failed = rows.iter().filter(|r| r.state == "failed").count();
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `agora repos close`.
fn close(context: &Context, args: &ReposCloseArgs) -> anyhow::Result<ExitCode> {
    if context.offline {
        bail!("agora repos close needs the network; it cannot run with --offline");
    }
    let Some(token) = token_from_env() else {
        bail!("agora repos close needs a GitHub token: set GITHUB_TOKEN (or GH_TOKEN)");
    };
    let client = github_client(&args.api.api_url, Some(token))?;
    let mut store = context.store()?;
    let mut events = on_event(context.quiet);
    let (closed, failed) = campaign::close_all(&mut store, &client, &args.branch, &mut events)?;
    let mut out = String::new();
    for (repo, number) in &closed {
        let _ = writeln!(out, "{repo}: closed #{number}");
    }
    crate::output::print(&out)?;
    for (repo, error) in &failed {
        eprintln!("error: {repo}: {error}");
    }
    if failed.is_empty() && !context.quiet {
        eprintln!("campaign {} closed", args.branch);
    }
    Ok(failure_code(failed.len(), closed.len() + failed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_and_push_hosts() {
        assert_eq!(
            branch_from_message("Bump cibuildwheel to v3.1 (all platforms)"),
            "agora/bump-cibuildwheel-to-v3.1-all-platforms"
        );
        assert_eq!(branch_from_message("!!!"), "agora/change");
        assert_eq!(
            push_host("https://api.github.com").as_deref(),
            Some("github.com")
        );
        assert_eq!(
            push_host("https://ghe.example.org/api/v3/").as_deref(),
            Some("ghe.example.org")
        );
        assert_eq!(push_host("http://127.0.0.1:9/"), None);
    }
}
