//! `agora store migrate`: a SQLite store into PostgreSQL, verified table by table.

use std::process::ExitCode;

use agora_store::copy::{self, CopyReport};

use crate::cli::{StoreMigrateArgs, SyncFormat};

/// `agora store migrate --from FILE.db --to postgres://…`.
pub fn migrate(args: &StoreMigrateArgs) -> anyhow::Result<ExitCode> {
    let report = copy::sqlite_to_postgres(&args.from, &args.to, |table, rows| {
        if args.format == SyncFormat::Text {
            let _ = crate::output::println(&format!("copied {table}: {rows} rows"));
        }
    })?;
    match args.format {
        SyncFormat::Text => crate::output::println(&summary(&report))?,
        SyncFormat::Json => crate::output::println(&serde_json::to_string_pretty(&report)?)?,
    }
    Ok(if report.verified() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The verification, a line per table that differs and one in all.
fn summary(report: &CopyReport) -> String {
    let mut lines = Vec::new();
    for table in report.tables.iter().filter(|t| !t.matches()) {
        lines.push(format!(
            "MISMATCH {}: {} rows (sha256 {}) in SQLite, {} rows (sha256 {}) in PostgreSQL",
            table.table,
            table.source_rows,
            table.source_sha256,
            table.target_rows,
            table.target_sha256
        ));
    }
    let rows: u64 = report.tables.iter().map(|t| t.source_rows).sum();
    lines.push(if report.verified() {
        format!(
            "verified: {} tables, {rows} rows, same counts and digests on both sides (schema version {})",
            report.tables.len(),
            report.schema_version
        )
    } else {
        "the copy differs from its source".to_string()
    });
    lines.join("\n")
}
