//! Where agora's files live: `agora.toml`, and beside it `.agora/` with the store and caches.
//!
//! The configuration is found by walking up from the working directory, like git finds its
//! repository; without one, the working directory is the root. `AGORA_DB` or `--db` moves the
//! database, and everything else stays under `.agora/`.

use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "agora.toml";

/// The nearest `agora.toml` at or above `start`.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

/// The places agora reads and writes for one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The folder that holds `agora.toml` (or the working directory without one).
    pub root: PathBuf,
    /// The SQLite store.
    pub db: PathBuf,
    /// The HTTP cache.
    pub http_cache: PathBuf,
}

impl Paths {
    /// The paths for an ecosystem rooted at `root`, with the database at `db` when given.
    pub fn new(root: &Path, db: Option<&Path>) -> Paths {
        let state = root.join(".agora");
        Paths {
            root: root.to_path_buf(),
            db: db
                .map(Path::to_path_buf)
                .unwrap_or_else(|| state.join("agora.db")),
            http_cache: state.join("cache").join("http"),
        }
    }
}
