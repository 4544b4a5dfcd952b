//! `agora cache prune`: bounds the HTTP cache by age and size.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use agora_http::{PruneLimits, PruneReport, parse_size, prune_cache};
use anyhow::anyhow;

use crate::cli::{CachePruneArgs, SyncFormat};
use crate::context::Context;

/// `agora cache prune [--max-size SIZE] [--max-age DAYS]`.
pub fn prune(context: &Context, args: &CachePruneArgs) -> anyhow::Result<ExitCode> {
    let mut limits = PruneLimits::AUTOMATIC;
    if let Some(size) = &args.max_size {
        limits.max_size = Some(parse_size(size).map_err(|e| anyhow!("--max-size: {e}"))?);
    }
    if let Some(days) = args.max_age {
        limits.max_age = Some(Duration::from_secs(days.saturating_mul(24 * 3600)));
    }
    let dir = &context.paths.http_cache;
    let report = prune_cache(dir, &limits, SystemTime::now())?;
    match args.format {
        SyncFormat::Text => {
            crate::output::println(&format!("{}: {}", dir.display(), summary(&report)))?
        }
        SyncFormat::Json => {
            let document = serde_json::json!({
                "cache_dir": dir.display().to_string(),
                "max_size": limits.max_size,
                "max_age_days": limits.max_age.map(|a| a.as_secs() / (24 * 3600)),
                "report": report,
            });
            crate::output::println(&serde_json::to_string_pretty(&document)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line on what a prune did.
pub fn summary(report: &PruneReport) -> String {
    format!(
        "removed {} of {} entries ({} bytes freed); {} entries, {} bytes kept",
        report.removed_entries,
        report.entries_before,
        report.removed_bytes,
        report.entries_after,
        report.bytes_after
    )
}
