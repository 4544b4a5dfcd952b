//! `agora init`: writes the starter agora.toml.

use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::cli::InitArgs;

/// Writes `agora.toml` into the working directory.
pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let path = std::env::current_dir()
        .context("cannot read the working directory")?
        .join(agora_config::CONFIG_FILE);
    if path.exists() && !args.force {
        bail!("{} exists; pass --force to overwrite it", path.display());
    }
    std::fs::write(&path, agora_config::starter_toml())
        .with_context(|| format!("cannot write {}", path.display()))?;
    crate::output::println(&format!("wrote {}", path.display()))?;
    Ok(ExitCode::SUCCESS)
}
