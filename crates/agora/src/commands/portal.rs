//! `agora portal build`: parses the options, runs the build use case of `agora-ecosystem`
//! with a progress bar, prints its summary.

use std::process::ExitCode;

use agora_ecosystem::portal::{BuildEvent, BuildOptions, build as build_portal};

use crate::cli::{PortalBuildArgs, SyncFormat};
use crate::commands::schedule::parse_date;
use crate::context::Context;

/// `agora portal build`.
pub fn build(context: &Context, args: &PortalBuildArgs) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        out: args.out.clone(),
        as_of: parse_date(args.date.as_deref())?,
        full: args.full,
    };
    let mut store = context.store()?;
    let bar = crate::progress::bar(
        context.ecosystem.projects.len() + 1,
        "portal",
        context.quiet,
    );
    let summary = build_portal(&mut store, &context.ecosystem, &options, &mut |event| {
        match event {
            BuildEvent::Project(name) => bar.set_message(name.to_string()),
            BuildEvent::Kept(name) => bar.set_message(format!("{name} (unchanged)")),
            BuildEvent::Shared => bar.set_message("shared pages"),
        }
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    match args.format {
        SyncFormat::Json => {
            crate::output::println(&serde_json::to_string_pretty(&summary).unwrap_or_default())?
        }
        SyncFormat::Text => {
            crate::output::println(&format!(
                "portal: {} pages in {}; {} projects rebuilt, {} unchanged; {} files written, {} already right, {} removed",
                summary.pages,
                args.out.display(),
                summary.projects_rebuilt.len(),
                summary.projects_kept.len(),
                summary.written,
                summary.unchanged,
                summary.removed,
            ))?;
            if !context.quiet {
                for line in &summary.missing {
                    eprintln!("note: {line}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
