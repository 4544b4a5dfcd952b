//! agora's store: one SQLite file (the embedded default) or a PostgreSQL database (for
//! several `agora serve` replicas), with the same versioned migrations and one module of
//! queries per domain, written once against [`db::Conn`].
//!
//! [`Store::open`] creates the file (and its folder) when missing, switches it to WAL so that
//! readers never block the writer, and applies every migration the file has not seen yet, each
//! in its own transaction (all in one for a new file), recording progress in SQLite's
//! `user_version`; migrations take the write lock first and re-read the version under it, so
//! two commands opening a new store at once do not both create its tables. A file written by a
//! newer agora is refused rather than guessed at; a file that cannot be written is opened
//! read-only. A connection that wrote checkpoints the log into the file when it is dropped, so
//! that after a writing command `agora.db` alone holds every row. Writers of synced data go through the domain
//! modules ([`pypi`], [`github`]), which upsert inside one transaction per unit of work, so an interrupted
//! sync leaves every item whole and resumes where it stopped.
//!
//! A `postgres://…` location ([`Store::open_postgres`]) gets the same schema through the same
//! migration list (see `migrations.rs`), migrated under an advisory lock; [`Store::lock_work`]
//! serialises one unit of work (a project's ingest) across processes, and [`copy`] moves a
//! SQLite store into PostgreSQL, verified.

pub mod bench;
pub mod copy;
pub mod db;
pub mod github;
pub mod github_activity;
pub mod github_commits;
mod migrations;
pub mod pypi;
pub mod repos;
pub mod scratch;
pub mod serve;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use db::Backend;
use db::Conn;
pub use migrations::SCHEMA_VERSION;

/// Whether `location` (a `--db` or `AGORA_DB` value) names a PostgreSQL database
/// (`postgres://…` or `postgresql://…`) rather than a SQLite file.
pub fn is_postgres_url(location: &Path) -> bool {
    location
        .to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// A PostgreSQL URL with its password replaced by `***`, for messages and `Store::path`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _password)) => format!("{scheme}://{name}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

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
    /// The store can only be opened read-only and was written by an older agora, so it
    /// would need a migration that cannot be written.
    #[error(
        "the store {path} is read-only and has schema version {found}, but this agora reads version {known}; open it once where it can be written (to migrate it) or use another --db"
    )]
    ReadOnlyOutdated {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// The version this build reads.
        known: u32,
    },
    /// Another connection kept the write-ahead log busy, so it could not be emptied.
    #[error(
        "another agora kept the write-ahead log of {path} busy; its newest rows stay in the -wal file beside it until the next writing command"
    )]
    CheckpointBusy {
        /// The database file.
        path: PathBuf,
    },
    /// The PostgreSQL server could not be reached, or refused the connection.
    #[error("cannot connect to the store {url}: {source}")]
    Connect {
        /// The database's URL, without its password.
        url: String,
        /// The client's error.
        source: db::Error,
    },
    /// A PostgreSQL migration failed; the database stays at the version before it.
    #[error("cannot migrate the store {url} to schema version {version}: {source}")]
    MigratePostgres {
        /// The database's URL, without its password.
        url: String,
        /// The migration that failed.
        version: u32,
        /// The server's error.
        source: db::Error,
    },
    /// What SQLite alone can do was asked of a PostgreSQL store.
    #[error("{what} needs a SQLite store, and {url} is PostgreSQL")]
    SqliteOnly {
        /// What was asked.
        what: &'static str,
        /// The database's URL, without its password.
        url: String,
    },
    /// A query failed.
    #[error("store query failed: {0}")]
    Query(#[from] db::Error),
    /// A stored value could not be read back (a timestamp, say).
    #[error("the store holds an unreadable value in {column}: {message}")]
    Corrupt {
        /// The column.
        column: &'static str,
        /// What was wrong.
        message: String,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Query(error.into())
    }
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Conn,
    path: PathBuf,
    /// Opened read-only (the file or its folder cannot be written).
    read_only: bool,
    /// Whether opening applied a migration (a write that `total_changes()` does not count).
    migrated: bool,
}

/// Whether SQLite's error says the file (or its folder, for the `-wal` and `-shm` files)
/// cannot be written or created.
fn is_not_writable(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(
            rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::PermissionDenied
        )
    )
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// A store that exists but cannot be written (a read-only file, folder or medium) is
    /// opened read-only instead, for commands that only read; it must already be at this
    /// build's schema version, and writes to it fail with SQLite's "readonly database".
    ///
    /// A `postgres://…` location opens that PostgreSQL database instead ([`Store::open_postgres`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if is_postgres_url(path) {
            return Self::open_postgres(&path.to_string_lossy());
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Err(source) = std::fs::create_dir_all(dir)
        {
            if path.is_file() {
                return Self::open_read_only(path);
            }
            return Err(StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            });
        }
        // A file this process may not write is read as such, without trying what would fail.
        let file_is_read_only = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
        if file_is_read_only {
            return Self::open_read_only(path);
        }
        let conn = match Connection::open(path) {
            Ok(conn) => conn,
            Err(source) if path.is_file() && is_not_writable(&source) => {
                return Self::open_read_only(path);
            }
            Err(source) => {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        match Self::prepare(conn, path) {
            Err(StoreError::Open { source, .. } | StoreError::Migrate { source, .. })
                if path.is_file() && is_not_writable(&source) =>
            {
                Self::open_read_only(path)
            }
            other => other,
        }
    }

    /// Opens the existing store at `path` for reading only: no migration, no change to the
    /// file or its folder. A store in WAL mode whose folder cannot be written (so SQLite
    /// cannot create the shared-memory index beside it) is read as an immutable file.
    /// A PostgreSQL location is opened as by [`Store::open`] (its server decides what may be
    /// written).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if is_postgres_url(path) {
            return Self::open_postgres(&path.to_string_lossy());
        }
        use rusqlite::OpenFlags;
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let first = Connection::open_with_flags(path, flags).and_then(|conn| {
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            migrations::user_version(&conn).map(|version| (conn, version))
        });
        let (conn, found) = match first {
            Ok(opened) => opened,
            Err(source) if is_not_writable(&source) => {
                // `immutable=1` tells SQLite that nothing changes the file, so it needs no
                // locks and no `-shm`; a checkpointed store (every writing command leaves one)
                // has its every row in the file.
                let uri = format!("file:{}?immutable=1", uri_path(path));
                let conn = Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(open_error)?;
                let found = migrations::user_version(&conn).map_err(open_error)?;
                (conn, found)
            }
            Err(source) => return Err(open_error(source)),
        };
        if found != SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyOutdated {
                path: path.to_path_buf(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        Ok(Store {
            conn: Conn::Sqlite(conn),
            path: path.to_path_buf(),
            read_only: true,
            migrated: false,
        })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://user:password@host:port/db`,
    /// with libpq's parameters such as `?options=-csearch_path%3Dschema`) and brings its schema
    /// up to date with the same migrations as SQLite's, holding an advisory lock so that
    /// replicas starting at once migrate it once.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        let shown = redact_url(url);
        let connect_error = |source: db::Error| StoreError::Connect {
            url: shown.clone(),
            source,
        };
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| connect_error(e.into()))?;
        let client = config
            .connect(postgres::NoTls)
            .map_err(|e| connect_error(e.into()))?;
        let conn = Conn::Postgres(Box::new(db::PgConn::new(client)));
        let migrated = migrations::migrate_postgres(&conn, &shown, SCHEMA_VERSION)?;
        Ok(Store {
            conn,
            path: PathBuf::from(shown),
            read_only: false,
            migrated,
        })
    }

    /// Which database the store lives in.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
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
        // Commands opening a new store at once race for the switch to WAL, and SQLite answers
        // the losers "database is locked" without asking the busy handler: wait for them here.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let _mode: String = loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)) {
                Err(rusqlite::Error::SqliteFailure(error, _))
                    if error.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                other => break other.map_err(open_error)?,
            }
        };
        // Closing the last connection would otherwise copy the whole write-ahead log into the
        // database and sync both files each time any command exits, readers included: for
        // `agora bench ingest` that was a fifth of its time. Instead a store that this
        // connection wrote to is checkpointed when it is dropped (see `Drop`), so that the
        // database file alone holds every row after a writing command (a CI cache or a backup
        // of `agora.db` gets everything), and a command that only read leaves the files alone.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .map_err(open_error)?;
        let mut conn = conn;
        let migrated = migrations::migrate(&mut conn, path, SCHEMA_VERSION)?;
        Ok(Store {
            conn: Conn::Sqlite(conn),
            path: path.to_path_buf(),
            read_only: false,
            migrated,
        })
    }

    /// Refuses writes that would grow the database beyond about `max_bytes` (SQLite's
    /// `max_page_count` for this connection): a quota, and how tests meet a full disk.
    pub fn limit_size(&self, max_bytes: u64) -> Result<(), StoreError> {
        let Conn::Sqlite(conn) = &self.conn else {
            return Err(StoreError::SqliteOnly {
                what: "a size limit",
                url: self.path.display().to_string(),
            });
        };
        let page_size: u64 = conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
        let pages = (max_bytes / page_size.max(1)).max(1);
        let _granted: i64 =
            conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |row| {
                row.get(0)
            })?;
        Ok(())
    }

    /// Whether the store was opened read-only (see [`Store::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether this connection has written anything (a migration or any row) since it opened.
    pub fn has_written(&self) -> bool {
        if self.migrated {
            return true;
        }
        self.conn.total_changes() > 0
    }

    /// Copies the write-ahead log into the database file and empties the log, so that the
    /// file alone holds every committed row. Waits (up to the busy timeout) for readers.
    /// A PostgreSQL store has no such log: nothing to do.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let Conn::Sqlite(conn) = &self.conn else {
            return Ok(());
        };
        if self.read_only {
            return Ok(());
        }
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        if busy != 0 {
            return Err(StoreError::CheckpointBusy {
                path: self.path.clone(),
            });
        }
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(migrations::user_version(conn)?),
            Conn::Postgres(_) => Ok(migrations::postgres_version(&self.conn)?),
        }
    }

    /// Where the store lives (`:memory:` for an in-memory one, the URL without its password
    /// for PostgreSQL).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The path of `path` as a `file:` URI path (`?`, `#` and `%` escaped).
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
}

impl Drop for Store {
    /// A store this connection wrote to is checkpointed, so the file alone holds its rows; a
    /// failure leaves them in the `-wal` file, where the next connection reads them.
    fn drop(&mut self) {
        if self.backend() == Backend::Sqlite
            && !self.read_only
            && self.path != Path::new(":memory:")
            && self.has_written()
        {
            let _ = self.checkpoint();
        }
    }
}

/// The stores every store test runs against: an in-memory SQLite store, and a fresh schema
/// on the test PostgreSQL server when there is one ([`scratch::postgres_url`]).
#[cfg(test)]
pub(crate) fn test_stores(label: &str) -> Vec<Store> {
    let mut stores = vec![Store::open_in_memory().expect("in-memory store")];
    if let Some(url) = scratch::postgres_url(label) {
        stores.push(Store::open_postgres(&url).expect("PostgreSQL store"));
    }
    stores
}

#[cfg(test)]
mod tests;
