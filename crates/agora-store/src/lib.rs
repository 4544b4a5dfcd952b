//! agora's embedded store: one SQLite file with versioned migrations and one module of
//! queries per domain.
//!
//! [`Store::open`] creates the file (and its folder) when missing, switches it to WAL so that
//! readers never block the writer, and applies every migration the file has not seen yet, each
//! in its own transaction (all in one for a new file), recording progress in SQLite's
//! `user_version`. A file written by a
//! newer agora is refused rather than guessed at. Writers of synced data go through the domain
//! modules ([`pypi`], [`github`]), which upsert inside one transaction per unit of work, so an interrupted
//! sync leaves every item whole and resumes where it stopped.

pub mod bench;
pub mod github;
mod migrations;
pub mod pypi;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use migrations::SCHEMA_VERSION;

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder for the database could not be created.
    #[error("cannot create {path}: {source}")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// SQLite refused to open the file, or it is not a database.
    #[error("cannot open the store {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The file was written by a newer agora.
    #[error(
        "the store {path} has schema version {found}, newer than this agora knows ({known}); upgrade agora or use another --db"
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The newest version this build knows.
        known: u32,
    },
    /// A migration failed; the file stays at the version before it.
    #[error("cannot migrate the store {path} to schema version {version}: {source}")]
    Migrate {
        /// The database file.
        path: PathBuf,
        /// The migration that failed.
        version: u32,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("store query failed: {0}")]
    Query(#[from] rusqlite::Error),
    /// A stored value could not be read back (a timestamp, say).
    #[error("the store holds an unreadable value in {column}: {message}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// What was wrong.
        message: String,
    },
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::prepare(conn, path)
    }

    /// A store that lives in memory, for tests and one-off computations.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Self::prepare(conn, Path::new(":memory:"))
    }

    fn prepare(conn: Connection, path: &Path) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_error)?;
        // Set before the switch to WAL, so that creating a new file syncs as little as the
        // commits after it (neither pragma reads the file).
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(open_error)?;
        // The journal mode query is the first read, so a file that is not SQLite fails here.
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        // A short-lived command (every agora run is one) would otherwise copy the whole
        // write-ahead log into the database and sync both files each time it exits: for
        // `agora bench ingest` that was a fifth of its time. The log is instead copied when it
        // outgrows SQLite's automatic checkpoint (1000 pages), by whichever run commits then;
        // readers see the same data either way, and with `synchronous = NORMAL` a crash can at
        // worst roll back the last commits, never corrupt the file.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .map_err(open_error)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        migrations::migrate(&mut store.conn, path, SCHEMA_VERSION)?;
        Ok(store)
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(migrations::user_version(&self.conn)?)
    }

    /// Where the store lives (`:memory:` for an in-memory one).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests;
