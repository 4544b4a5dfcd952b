//! What every command opens: the ecosystem, the store, and the HTTP client.

use agora_config::{Ecosystem, Paths, find_config};
use agora_http::{ClientOptions, HttpClient};
use agora_store::Store;
use anyhow::Context as _;

use crate::cli::GlobalArgs;

/// The ecosystem and where its files live.
pub struct Context {
    /// The ecosystem (from agora.toml or built in).
    pub ecosystem: Ecosystem,
    /// Where the store and caches are.
    pub paths: Paths,
    /// The index to read.
    pub index_url: String,
    /// Whether the network is off limits.
    pub offline: bool,
    /// Whether to stay silent on stderr.
    pub quiet: bool,
}

impl Context {
    /// The repositories named on the command line, or else every project's `repo` in
    /// agora.toml.
    pub fn repos_or_configured(&self, named: &[String]) -> Vec<String> {
        if named.is_empty() {
            self.ecosystem
                .projects
                .iter()
                .filter_map(|p| p.repo.clone())
                .collect()
        } else {
            named.to_vec()
        }
    }

    /// Finds and reads the configuration.
    pub fn load(global: &GlobalArgs) -> anyhow::Result<Context> {
        let cwd = std::env::current_dir().context("cannot read the working directory")?;
        let config = match &global.config {
            Some(path) => Some(path.clone()),
            None => find_config(&cwd),
        };
        let ecosystem = match &config {
            Some(path) => Ecosystem::load(path)?,
            None => Ecosystem::builtin(),
        };
        let paths = Paths::locate(&cwd, config.as_deref(), global.db.as_deref(), |name| {
            std::env::var_os(name)
        });
        let index_url = global
            .index_url
            .clone()
            .unwrap_or_else(|| ecosystem.index_url.clone());
        Ok(Context {
            ecosystem,
            paths,
            index_url,
            offline: global.offline,
            quiet: global.quiet,
        })
    }

    /// Opens (creating and migrating) the store.
    pub fn store(&self) -> anyhow::Result<Store> {
        if self.paths.db.starts_with(&self.paths.state) {
            self.create_state_dir()?;
        }
        Ok(Store::open(&self.paths.db)?)
    }

    /// The HTTP client, caching under `.agora/cache/http`.
    pub fn http(&self) -> anyhow::Result<HttpClient> {
        self.create_state_dir()?;
        let options = ClientOptions {
            cache_dir: Some(self.paths.http_cache.clone()),
            offline: self.offline,
            // Index pages that say nothing about caching (some mirrors and proxies) are kept as
            // long as PyPI itself asks (max-age=600), so a second run soon after makes no
            // downloads.
            heuristic_max_age: Some(std::time::Duration::from_secs(600)),
            ..ClientOptions::default()
        };
        Ok(HttpClient::new(options)?)
    }

    /// Creates the state folder (with its `.gitignore`) before the first write into it.
    fn create_state_dir(&self) -> anyhow::Result<()> {
        self.paths.create_state_dir().with_context(|| {
            format!(
                "cannot create agora's state folder {}",
                self.paths.state.display()
            )
        })
    }
}
