//! `agora store migrate`: a SQLite store copied into an empty PostgreSQL database, verified.
//!
//! The source is opened read-only and must be at this build's schema version; the target is
//! migrated to it, must hold no rows yet (besides the change counter's), and receives every
//! table in one transaction, in the order the tables were created (which satisfies their
//! foreign keys). Tables whose PostgreSQL form has a `rowid` column (see the migrations'
//! edits) get SQLite's rowid, so the order rows were written in survives; identity columns
//! continue after the largest copied key. After the commit both sides are read again and each
//! table is compared by its row count and a digest of its rows: SHA-256 over the sorted
//! SHA-256s of the rows, each row's values encoded with their storage class (text and bytes
//! alike, as PostgreSQL stores some of SQLite's text as `bytea`), so neither the order rows
//! come in nor the backend's collation changes it.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::db::{Arg, Conn, Value};
use crate::{Store, StoreError};

/// One table's figures on both sides.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCopy {
    /// The table.
    pub table: String,
    /// Rows in the SQLite store.
    pub source_rows: u64,
    /// Rows in PostgreSQL after the copy.
    pub target_rows: u64,
    /// The SQLite rows' digest (hex).
    pub source_sha256: String,
    /// The PostgreSQL rows' digest (hex).
    pub target_sha256: String,
}

impl TableCopy {
    /// Whether both sides hold the same rows.
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_sha256 == self.target_sha256
    }
}

/// What a copy did, table by table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CopyReport {
    /// The schema version of both.
    pub schema_version: u32,
    /// Every table.
    pub tables: Vec<TableCopy>,
}

impl CopyReport {
    /// Whether every table matches.
    pub fn verified(&self) -> bool {
        self.tables.iter().all(TableCopy::matches)
    }
}

/// Why a copy was refused.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The store could not be opened or queried.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The target is not PostgreSQL.
    #[error("--to must be a postgres:// URL, not {0}")]
    TargetNotPostgres(String),
    /// The source is not a SQLite file.
    #[error("--from must be a SQLite store file, not {0}")]
    SourceNotSqlite(String),
    /// The target already holds rows.
    #[error("the target {url} already holds {rows} rows in {table}; copy into an empty database")]
    TargetNotEmpty {
        /// The target, without its password.
        url: String,
        /// The first table found with rows.
        table: String,
        /// How many.
        rows: u64,
    },
}

impl From<crate::db::Error> for CopyError {
    fn from(error: crate::db::Error) -> CopyError {
        CopyError::Store(StoreError::Query(error))
    }
}

/// Copies the SQLite store at `from` into the empty PostgreSQL database at `to`, then
/// compares every table on both sides. `progress` hears each table's name and row count as it
/// is copied.
pub fn sqlite_to_postgres(
    from: &Path,
    to: &str,
    mut progress: impl FnMut(&str, u64),
) -> Result<CopyReport, CopyError> {
    if crate::is_postgres_url(from) {
        return Err(CopyError::SourceNotSqlite(crate::redact_url(
            &from.to_string_lossy(),
        )));
    }
    if !crate::is_postgres_url(Path::new(to)) {
        return Err(CopyError::TargetNotPostgres(to.to_string()));
    }
    let source = Store::open_read_only(from)?;
    let target = Store::open_postgres(to)?;
    let tables = table_names(&source.conn)?;
    for table in &tables {
        if table == "gh_change" {
            continue;
        }
        let rows = count(&target.conn, table)?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty {
                url: target.path.display().to_string(),
                table: table.clone(),
                rows,
            });
        }
    }
    let tx = target.conn.transaction()?;
    for table in &tables {
        let columns = source_columns(&source.conn, table)?;
        let target_columns = target_columns(&tx, table)?;
        let with_rowid =
            target_columns.iter().any(|c| c == "rowid") && !columns.iter().any(|c| c == "rowid");
        let mut names = columns.clone();
        if with_rowid {
            names.insert(0, "rowid".to_string());
        }
        let list = names.join(", ");
        let holes: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        tx.execute(&format!("DELETE FROM {table}"), [])?;
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {table} ({list}) VALUES ({})",
            holes.join(", ")
        ))?;
        let mut select = source
            .conn
            .prepare(&format!("SELECT {list} FROM {table} ORDER BY rowid"))?;
        let width = names.len();
        let rows = select.query_map([], |row| {
            (0..width)
                .map(|i| row.value(i))
                .collect::<Result<Vec<Value>, _>>()
        })?;
        let mut copied = 0u64;
        for row in rows {
            let row = row?;
            let args: Vec<Arg<'_>> = row.iter().map(crate::db::ToArg::to_arg).collect();
            insert.execute(ArgList(args))?;
            copied += 1;
        }
        progress(table, copied);
        // Identity columns continue after the largest key copied.
        for (column,) in identity_columns(&tx, table)? {
            tx.query_row(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                         COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table}"
                ),
                [],
                |_| Ok(()),
            )?;
        }
    }
    tx.commit()?;
    let mut report = CopyReport {
        schema_version: source.schema_version()?,
        tables: Vec::new(),
    };
    for table in &tables {
        let columns = source_columns(&source.conn, table)?;
        let (source_rows, source_sha256) = digest(&source.conn, table, &columns)?;
        let (target_rows, target_sha256) = digest(&target.conn, table, &columns)?;
        report.tables.push(TableCopy {
            table: table.clone(),
            source_rows,
            target_rows,
            source_sha256,
            target_sha256,
        });
    }
    Ok(report)
}

/// Parameters already borrowed.
struct ArgList<'a>(Vec<Arg<'a>>);

impl crate::db::Params for ArgList<'_> {
    fn args(&self) -> Vec<Arg<'_>> {
        self.0.clone()
    }
}

/// The tables of a SQLite store, in the order they were created.
fn table_names(conn: &Conn) -> Result<Vec<String>, CopyError> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY rowid",
    )?;
    let names = statement
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

/// A SQLite table's columns, in order.
fn source_columns(conn: &Conn, table: &str) -> Result<Vec<String>, CopyError> {
    let mut statement = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names = statement
        .query_map([table], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

/// A PostgreSQL table's columns (in the schema `search_path` finds first).
fn target_columns(conn: &Conn, table: &str) -> Result<Vec<String>, CopyError> {
    let mut statement = conn.prepare(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ?1::text ORDER BY ordinal_position",
    )?;
    let names = statement
        .query_map([table], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(names)
}

/// A PostgreSQL table's identity columns.
fn identity_columns(conn: &Conn, table: &str) -> Result<Vec<(String,)>, CopyError> {
    let mut statement = conn.prepare(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ?1::text AND is_identity = 'YES'",
    )?;
    let names = statement
        .query_map([table], |r| Ok((r.get(0)?,)))?
        .collect::<Result<Vec<(String,)>, _>>()?;
    Ok(names)
}

/// Rows in `table`.
fn count(conn: &Conn, table: &str) -> Result<u64, CopyError> {
    let rows: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

/// A table's row count and the digest of its rows over `columns` (see the module's
/// documentation).
fn digest(conn: &Conn, table: &str, columns: &[String]) -> Result<(u64, String), CopyError> {
    let list = columns.join(", ");
    let width = columns.len();
    let mut statement = conn.prepare(&format!("SELECT {list} FROM {table}"))?;
    let mut rows: Vec<[u8; 32]> = statement
        .query_map([], |row| {
            let mut hasher = Sha256::new();
            for i in 0..width {
                match row.value(i)? {
                    Value::Null => hasher.update(b"n"),
                    Value::Integer(v) => {
                        hasher.update(b"i");
                        hasher.update(v.to_le_bytes());
                    }
                    Value::Real(v) => {
                        hasher.update(b"r");
                        hasher.update(v.to_le_bytes());
                    }
                    Value::Text(t) => {
                        hasher.update(b"b");
                        hasher.update((t.len() as u64).to_le_bytes());
                        hasher.update(t.as_bytes());
                    }
                    Value::Blob(b) => {
                        hasher.update(b"b");
                        hasher.update((b.len() as u64).to_le_bytes());
                        hasher.update(&b);
                    }
                }
            }
            Ok(<[u8; 32]>::from(hasher.finalize()))
        })?
        .collect::<Result<_, _>>()?;
    rows.sort_unstable();
    let mut hasher = Sha256::new();
    for row in &rows {
        hasher.update(row);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((rows.len() as u64, hex))
}
