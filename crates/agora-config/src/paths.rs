//! Where agora's files live: `agora.toml`, and the state folder with the store and caches.
//!
//! The configuration is found by walking up from the working directory, like git finds its
//! repository. The state folder (the SQLite store and the HTTP cache) is chosen by
//! [`Paths::locate`], first match wins:
//! 1. `.agora/` beside the `agora.toml` in use;
//! 2. `.agora/` at the root of the git repository around the working directory (the nearest
//!    folder at or above it that holds `.git`), so every folder of a checkout shares one store;
//! 3. the user's cache folder, as the XDG base directory specification places it:
//!    `$XDG_CACHE_HOME/agora` when that is an absolute path, else `$HOME/.cache/agora`;
//! 4. `.agora/` in the working directory, when there is no home folder either.
//!
//! A `.agora/` folder gets a `.gitignore` of `*` when agora creates it (as pytest, mypy and
//! ruff do with their caches), so it never shows up as untracked files. `AGORA_DB` or `--db`
//! moves the database only; the HTTP cache stays in the state folder.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "agora.toml";

/// The name of the state folder beside `agora.toml` or at a repository's root.
pub const STATE_DIR: &str = ".agora";

/// What a new `.agora/` folder's `.gitignore` says: ignore everything in it.
const STATE_GITIGNORE: &str =
    "# Created by agora: the store and caches are not for version control.\n*\n";

/// The nearest `agora.toml` at or above `start`.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

/// The nearest folder at or above `start` that holds `.git` (a folder, or the file of a
/// worktree or submodule).
pub fn find_repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The user's cache folder for agora: `$XDG_CACHE_HOME/agora` when that variable holds an
/// absolute path (the XDG specification says to ignore relative ones), else
/// `$HOME/.cache/agora`; `None` without either. `env` reads one environment variable.
pub fn user_cache_dir(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let absolute = |name: &str| {
        env(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    if let Some(cache) = absolute("XDG_CACHE_HOME") {
        return Some(cache.join("agora"));
    }
    absolute("HOME").map(|home| home.join(".cache").join("agora"))
}

/// Why the state folder is where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Beside the `agora.toml` in use.
    Config,
    /// At the root of the git repository around the working directory.
    Repository,
    /// In the user's cache folder (no `agora.toml`, no repository).
    UserCache,
    /// In the working directory (no `agora.toml`, no repository, no home folder).
    WorkingDirectory,
}

/// The places agora reads and writes for one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The folder that holds `agora.toml`, else the repository root, else the working
    /// directory.
    pub root: PathBuf,
    /// The state folder: the store and caches live in it.
    pub state: PathBuf,
    /// Why [`Self::state`] is where it is.
    pub placement: Placement,
    /// The store: a SQLite file, or a `postgres://…` URL given as `--db` / `AGORA_DB`.
    pub db: PathBuf,
    /// The HTTP cache.
    pub http_cache: PathBuf,
}

impl Paths {
    /// The paths for an ecosystem rooted at `root` (state in `root/.agora`), with the
    /// database at `db` when given.
    pub fn new(root: &Path, db: Option<&Path>) -> Paths {
        Paths::in_state(
            root.to_path_buf(),
            root.join(STATE_DIR),
            Placement::Config,
            db,
        )
    }

    /// The paths for a command run in `cwd`: `config` is the `agora.toml` in use, if any,
    /// `db` the database asked for (`--db`, `AGORA_DB`), and `env` reads environment
    /// variables (`XDG_CACHE_HOME`, `HOME`). See the module documentation for the order.
    pub fn locate(
        cwd: &Path,
        config: Option<&Path>,
        db: Option<&Path>,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Paths {
        if let Some(config) = config {
            let root = config
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
            return Paths::new(&root, db);
        }
        if let Some(root) = find_repository_root(cwd) {
            let state = root.join(STATE_DIR);
            return Paths::in_state(root, state, Placement::Repository, db);
        }
        match user_cache_dir(env) {
            Some(state) => Paths::in_state(cwd.to_path_buf(), state, Placement::UserCache, db),
            None => Paths::in_state(
                cwd.to_path_buf(),
                cwd.join(STATE_DIR),
                Placement::WorkingDirectory,
                db,
            ),
        }
    }

    fn in_state(root: PathBuf, state: PathBuf, placement: Placement, db: Option<&Path>) -> Paths {
        Paths {
            db: db
                .map(Path::to_path_buf)
                .unwrap_or_else(|| state.join("agora.db")),
            http_cache: state.join("cache").join("http"),
            root,
            state,
            placement,
        }
    }

    /// Creates the state folder if it is missing; a `.agora/` folder (not the user cache)
    /// gets a `.gitignore` that ignores everything in it. An existing folder is left as it is.
    pub fn create_state_dir(&self) -> std::io::Result<()> {
        if self.state.is_dir() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.state)?;
        if self.placement != Placement::UserCache {
            std::fs::write(self.state.join(".gitignore"), STATE_GITIGNORE)?;
        }
        Ok(())
    }
}
