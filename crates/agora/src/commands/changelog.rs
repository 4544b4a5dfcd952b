//! `agora changelog`: release notes for a range, from the store's GitHub mirror and git.
//!
//! The store is opened read-only when it exists (a missing one means git alone); the notes are
//! built by `agora_changelog::changelog` and printed as markdown, reST or JSON, or checked.

use std::io::Write as _;
use std::process::ExitCode;

use agora_changelog::{Extras, Format, Request, changelog, render};
use agora_store::Store;
use anyhow::Context as _;

use crate::cli::{ChangelogArgs, ChangelogFormat};
use crate::context::Context;

/// `agora changelog OWNER/REPO START STOP`.
pub fn run(context: &Context, args: &ChangelogArgs) -> anyhow::Result<ExitCode> {
    let store = if context.paths.db.exists() {
        Some(
            Store::open_read_only(&context.paths.db)
                .with_context(|| format!("cannot open the store {}", context.paths.db.display()))?,
        )
    } else {
        None
    };
    let request = Request {
        repo: &args.repo,
        start: &args.start,
        stop: &args.stop,
        version: &args.version,
        git: &args.git,
        config: args.changelist_config.as_deref(),
    };
    let notes = changelog(&request, store.as_ref())?;
    if args.check {
        let mut out = std::io::stdout().lock();
        for finding in &notes.findings {
            writeln!(
                out,
                "#{} {}: {}",
                finding.number, finding.url, finding.problem
            )?;
        }
        if notes.findings.is_empty() {
            writeln!(
                out,
                "{} PRs in {}..{}: every one has a section and well-formed release notes",
                notes.pull_requests.len(),
                args.start,
                args.stop
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        return Ok(ExitCode::from(1));
    }
    let extras = Extras {
        new_contributors: args.new_contributors,
    };
    let text = match args.format {
        ChangelogFormat::Md => render(&notes, Format::Markdown, extras),
        ChangelogFormat::Rst => render(&notes, Format::Rst, extras),
        ChangelogFormat::Json => format!("{}\n", serde_json::to_string_pretty(&notes)?),
    };
    match &args.out {
        Some(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
