//! One connection, two backends: SQLite (rusqlite, the embedded default) and PostgreSQL
//! (the blocking client over tokio-postgres, for `agora serve`'s replicas).
//!
//! The query modules are written once, against [`Conn`]: `execute`, `query_row`, `prepare`
//! with `query_map`, `transaction`, rows read with `row.get::<_, T>(i)`, parameters given
//! with [`params!`](crate::params) — the shape of rusqlite's API, so that a query reads the
//! same whichever backend runs it. The SQL is SQLite's; for PostgreSQL it is rewritten by
//! [`postgres_sql`] (placeholders `?N` → `$N`), and
//! the few queries whose SQL really differs name both spellings in one place with
//! [`Conn::dialect`]. Values cross the boundary as [`Value`]s (SQLite's five storage
//! classes): a parameter is converted to the type PostgreSQL inferred for it (an integer to
//! `int8`, `int4` or `bool`, text to `text` or `bytea`), and a PostgreSQL column is read back
//! as the storage class SQLite would have given, so the same `row.get` works on both.
//!
//! A PostgreSQL connection keeps its prepared statements by SQL text, so a query prepared in
//! a loop is parsed once per connection, as rusqlite's statement cache does for SQLite.

use std::cell::RefCell;
use std::collections::HashMap;

/// A value as SQLite stores it: the common currency of both backends.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (booleans are 0 and 1).
    Integer(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// A borrowed parameter value.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// SQL NULL.
    Null,
    /// An integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite's error.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's error (with the server's message and detail when it sent one).
    #[error("{}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    /// A query that must return a row returned none.
    #[error("the query returned no rows")]
    NoRows,
    /// A column held a value of another type than the reader asked for.
    #[error("column {column} holds {found}, not {expected}")]
    Type {
        /// The column's index.
        column: usize,
        /// What the reader asked for.
        expected: &'static str,
        /// What the column held.
        found: &'static str,
    },
}

/// The server's message of a PostgreSQL error, with its detail.
fn postgres_message(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {} ({detail})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        },
        None => error.to_string(),
    }
}

/// A query's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The SQLSTATE of a PostgreSQL error, or SQLite's extended code as text.
    pub fn code(&self) -> Option<String> {
        match self {
            Error::Postgres(e) => e.code().map(|c| c.code().to_string()),
            Error::Sqlite(e) => e.sqlite_error_code().map(|c| format!("{c:?}")),
            _ => None,
        }
    }
}

/// `Result<T>` of a query that may find no row, as `Option<T>` (rusqlite's `optional`).
pub trait OptionalExtension<T> {
    /// `Ok(None)` for "no rows", other errors unchanged.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NoRows) => Ok(None),
            Err(Error::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A Rust value that can be a query parameter.
pub trait ToArg {
    /// The value, borrowed.
    fn to_arg(&self) -> Arg<'_>;
}

impl ToArg for Value {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Value::Null => Arg::Null,
            Value::Integer(i) => Arg::Integer(*i),
            Value::Real(f) => Arg::Real(*f),
            Value::Text(t) => Arg::Text(t),
            Value::Blob(b) => Arg::Blob(b),
        }
    }
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Arg<'_> {
                Arg::Integer(*self as i64)
            }
        }
    )*};
}
int_arg!(i64, i32, u32, i16, u16, u8, usize, u64);

impl ToArg for bool {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Integer(i64::from(*self))
    }
}
impl ToArg for f64 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Real(*self)
    }
}
impl ToArg for str {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}
impl ToArg for String {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(self)
    }
}
impl ToArg for [u8] {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}
impl ToArg for Vec<u8> {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}
impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg<'_> {
        (**self).to_arg()
    }
}
impl<T: ToArg> ToArg for Option<T> {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Some(v) => v.to_arg(),
            None => Arg::Null,
        }
    }
}

/// A query's parameters: `params![a, b]`, `[x]`, `[]` or [`params_from_iter`].
pub trait Params {
    /// The parameters, in order.
    fn args(&self) -> Vec<Arg<'_>>;
}

impl Params for &[&dyn ToArg] {
    fn args(&self) -> Vec<Arg<'_>> {
        self.iter().map(|a| a.to_arg()).collect()
    }
}
/// `[]`: no parameters.
impl Params for [&dyn ToArg; 0] {
    fn args(&self) -> Vec<Arg<'_>> {
        Vec::new()
    }
}
macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToArg> Params for [T; $n] {
            fn args(&self) -> Vec<Arg<'_>> {
                self.iter().map(ToArg::to_arg).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// Parameters from a list of values.
pub struct ParamsFromIter(Vec<Value>);

/// Parameters from an iterator of values (rusqlite's `params_from_iter`).
pub fn params_from_iter(values: impl IntoIterator<Item = Value>) -> ParamsFromIter {
    ParamsFromIter(values.into_iter().collect())
}

impl Params for ParamsFromIter {
    fn args(&self) -> Vec<Arg<'_>> {
        self.0.iter().map(ToArg::to_arg).collect()
    }
}

/// Query parameters of mixed types: `params![name, 3, Some("x")]`.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::db::ToArg] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::db::ToArg),+] as &[&dyn $crate::db::ToArg] };
}
pub use crate::params;

/// A Rust type a column can be read as.
pub trait FromValue: Sized {
    /// Converts a column's value, naming the column on a mismatch.
    fn from_value(value: Value, column: usize) -> Result<Self>;
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Integer(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

fn mismatch<T>(value: &Value, column: usize, expected: &'static str) -> Result<T> {
    Err(Error::Type {
        column,
        expected,
        found: kind(value),
    })
}

impl FromValue for Value {
    fn from_value(value: Value, _column: usize) -> Result<Self> {
        Ok(value)
    }
}
impl FromValue for i64 {
    fn from_value(value: Value, column: usize) -> Result<Self> {
        match value {
            Value::Integer(i) => Ok(i),
            other => mismatch(&other, column, "an integer"),
        }
    }
}
macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: Value, column: usize) -> Result<Self> {
                match value {
                    Value::Integer(i) => <$t>::try_from(i).or_else(|_| {
                        mismatch(&Value::Integer(i), column, concat!("an integer in ", stringify!($t)))
                    }),
                    other => mismatch(&other, column, "an integer"),
                }
            }
        }
    )*};
}
int_from!(i32, u32, u64, usize, u16, u8, i16);

impl FromValue for bool {
    fn from_value(value: Value, column: usize) -> Result<Self> {
        match value {
            Value::Integer(i) => Ok(i != 0),
            other => mismatch(&other, column, "a boolean"),
        }
    }
}
impl FromValue for f64 {
    fn from_value(value: Value, column: usize) -> Result<Self> {
        match value {
            Value::Real(f) => Ok(f),
            Value::Integer(i) => Ok(i as f64),
            other => mismatch(&other, column, "a real"),
        }
    }
}
impl FromValue for String {
    fn from_value(value: Value, column: usize) -> Result<Self> {
        match value {
            Value::Text(t) => Ok(t),
            other => mismatch(&other, column, "text"),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(value: Value, column: usize) -> Result<Self> {
        match value {
            Value::Blob(b) => Ok(b),
            Value::Text(t) => Ok(t.into_bytes()),
            other => mismatch(&other, column, "a blob"),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value, column: usize) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other, column).map(Some),
        }
    }
}

/// A column index (`usize`, or an integer literal).
pub trait ColumnIndex {
    /// The index.
    fn index(self) -> usize;
}
impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}
impl ColumnIndex for i32 {
    fn index(self) -> usize {
        usize::try_from(self).unwrap_or(usize::MAX)
    }
}

/// One row of a result.
pub enum Row<'r> {
    /// A SQLite row.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A PostgreSQL row.
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `index`, as a `T`.
    pub fn get<I: ColumnIndex, T: FromValue>(&self, index: I) -> Result<T> {
        let index = index.index();
        T::from_value(self.value(index)?, index)
    }

    /// The value of column `index` as SQLite's storage class.
    pub fn value(&self, index: usize) -> Result<Value> {
        match self {
            Row::Sqlite(row) => {
                use rusqlite::types::ValueRef;
                Ok(match row.get_ref(index)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(i) => Value::Integer(i),
                    ValueRef::Real(f) => Value::Real(f),
                    ValueRef::Text(t) => Value::Text(
                        std::str::from_utf8(t)
                            .map_err(|_| Error::Type {
                                column: index,
                                expected: "text",
                                found: "invalid UTF-8",
                            })?
                            .to_owned(),
                    ),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                })
            }
            Row::Postgres(row) => pg_value(row, index),
        }
    }
}

/// A PostgreSQL column as SQLite's storage class.
fn pg_value(row: &postgres::Row, index: usize) -> Result<Value> {
    use postgres::types::Type;
    let Some(column) = row.columns().get(index) else {
        return Err(Error::Type {
            column: index,
            expected: "a column",
            found: "nothing (no such column)",
        });
    };
    let ty = column.type_().clone();
    let value = if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(index)?.map(Value::Integer)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(index)?
            .map(|i| Value::Integer(i.into()))
    } else if ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(index)?
            .map(|i| Value::Integer(i.into()))
    } else if ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(index)?
            .map(|b| Value::Integer(b.into()))
    } else if ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(index)?.map(Value::Real)
    } else if ty == Type::FLOAT4 {
        row.try_get::<_, Option<f32>>(index)?
            .map(|f| Value::Real(f.into()))
    } else if ty == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(index)?.map(Value::Blob)
    } else if ty == Type::NUMERIC {
        // SUM and AVG of integers: the queries cast them; reaching here is a query's mistake.
        return Err(Error::Type {
            column: index,
            expected: "int8 or float8 (cast the aggregate)",
            found: "numeric",
        });
    } else {
        row.try_get::<_, Option<String>>(index)?.map(Value::Text)
    };
    Ok(value.unwrap_or(Value::Null))
}

impl postgres::types::ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        use postgres::types::{IsNull, Type};
        let mismatch = |what: &str| -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot store {what} in a column of type {ty}").into()
        };
        match *self {
            Arg::Null => Ok(IsNull::Yes),
            Arg::Integer(i) => {
                if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(i)
                        .map_err(|_| mismatch("a large integer"))?
                        .to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(i)
                        .map_err(|_| mismatch("a large integer"))?
                        .to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (i != 0).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (i as f64).to_sql(ty, out)
                } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                    i.to_string().as_str().to_sql(ty, out)
                } else {
                    Err(mismatch("an integer"))
                }
            }
            Arg::Real(f) => {
                if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else if *ty == Type::FLOAT4 {
                    (f as f32).to_sql(ty, out)
                } else {
                    Err(mismatch("a real"))
                }
            }
            Arg::Text(t) => {
                if *ty == Type::BYTEA {
                    t.as_bytes().to_sql(ty, out)
                } else if *ty == Type::INT8 {
                    t.parse::<i64>()
                        .map_err(|_| mismatch("text"))?
                        .to_sql(ty, out)
                } else {
                    t.to_sql(ty, out)
                }
            }
            Arg::Blob(b) => {
                if *ty == Type::BYTEA {
                    b.to_sql(ty, out)
                } else {
                    Err(mismatch("bytes"))
                }
            }
        }
    }

    fn accepts(_ty: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Arg::Null => ValueRef::Null,
            Arg::Integer(i) => ValueRef::Integer(i),
            Arg::Real(f) => ValueRef::Real(f),
            Arg::Text(t) => ValueRef::Text(t.as_bytes()),
            Arg::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A PostgreSQL connection and its prepared statements by SQL text.
pub struct PgConn {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// Rows changed through this connection (SQLite's `total_changes()`).
    changes: std::cell::Cell<u64>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgConn")
    }
}

impl PgConn {
    /// Wraps a connected client.
    pub fn new(client: postgres::Client) -> PgConn {
        PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            changes: std::cell::Cell::new(0),
        }
    }

    /// The prepared statement of `sql` (SQLite's spelling), preparing it once.
    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.borrow_mut().prepare(&postgres_sql(sql))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn execute(&self, statement: &postgres::Statement, args: &[Arg<'_>]) -> Result<usize> {
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = args
            .iter()
            .map(|a| a as &(dyn postgres::types::ToSql + Sync))
            .collect();
        let n = self.client.borrow_mut().execute(statement, &refs)?;
        self.changes.set(self.changes.get() + n);
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn query(
        &self,
        statement: &postgres::Statement,
        args: &[Arg<'_>],
    ) -> Result<Vec<postgres::Row>> {
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = args
            .iter()
            .map(|a| a as &(dyn postgres::types::ToSql + Sync))
            .collect();
        Ok(self.client.borrow_mut().query(statement, &refs)?)
    }

    /// Runs statements without parameters (DDL, `BEGIN`, …).
    pub fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }
}

/// A connection to either backend.
#[derive(Debug)]
pub enum Conn {
    /// SQLite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL.
    Postgres(Box<PgConn>),
}

impl Conn {
    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// The spelling of a query for this backend: where SQLite's and PostgreSQL's SQL differ,
    /// both are written side by side at the query.
    pub fn dialect<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self {
            Conn::Sqlite(_) => sqlite,
            Conn::Postgres(_) => postgres,
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match self {
            Conn::Sqlite(conn) => {
                let args = params.args();
                let mut statement = conn.prepare_cached(sql)?;
                Ok(statement.execute(rusqlite::params_from_iter(args.iter()))?)
            }
            Conn::Postgres(pg) => {
                let statement = pg.statement(sql)?;
                pg.execute(&statement, &params.args())
            }
        }
    }

    /// Runs statements without parameters, separated by semicolons.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Conn::Postgres(pg) => pg.batch(sql),
        }
    }

    /// The first row of a query, mapped by `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<P: Params, T, F: FnOnce(&Row<'_>) -> Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// A statement to run several times.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Conn::Sqlite(conn) => Ok(Statement::Sqlite(conn.prepare(sql)?)),
            Conn::Postgres(pg) => Ok(Statement::Postgres {
                conn: pg,
                statement: pg.statement(sql)?,
            }),
        }
    }

    /// A statement kept in the connection's cache.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Conn::Sqlite(conn) => Ok(Statement::SqliteCached(conn.prepare_cached(sql)?)),
            Conn::Postgres(_) => self.prepare(sql),
        }
    }

    /// Begins a transaction, rolled back unless [`Tx::commit`] is called.
    pub fn transaction(&self) -> Result<Tx<'_>> {
        self.execute_batch("BEGIN")?;
        Ok(Tx {
            conn: self,
            open: true,
        })
    }

    /// Rows changed through this connection since it opened.
    pub fn total_changes(&self) -> u64 {
        match self {
            Conn::Sqlite(conn) => conn.total_changes(),
            Conn::Postgres(pg) => pg.changes.get(),
        }
    }
}

/// An open transaction; every query of [`Conn`] runs inside it.
pub struct Tx<'c> {
    conn: &'c Conn,
    open: bool,
}

impl Tx<'_> {
    /// Commits.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }

    /// Rolls back.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("ROLLBACK")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A prepared statement.
pub enum Statement<'c> {
    /// SQLite's, prepared for this use.
    Sqlite(rusqlite::Statement<'c>),
    /// SQLite's, from the connection's cache.
    SqliteCached(rusqlite::CachedStatement<'c>),
    /// PostgreSQL's, from the connection's cache.
    Postgres {
        /// The connection.
        conn: &'c PgConn,
        /// The statement.
        statement: postgres::Statement,
    },
}

impl<'c> Statement<'c> {
    fn sqlite(&mut self) -> Option<&mut rusqlite::Statement<'c>> {
        match self {
            Statement::Sqlite(s) => Some(s),
            Statement::SqliteCached(s) => Some(s),
            Statement::Postgres { .. } => None,
        }
    }

    /// Runs it; returns the number of rows changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let args = params.args();
        if let Some(s) = self.sqlite() {
            return Ok(s.execute(rusqlite::params_from_iter(args.iter()))?);
        }
        match self {
            Statement::Postgres { conn, statement } => conn.execute(statement, &args),
            _ => unreachable!("SQLite statements return above"),
        }
    }

    /// The first row, mapped by `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<P: Params, T, F: FnOnce(&Row<'_>) -> Result<T>>(
        &mut self,
        params: P,
        f: F,
    ) -> Result<T> {
        let args = params.args();
        if let Some(s) = self.sqlite() {
            let mut rows = s.query(rusqlite::params_from_iter(args.iter()))?;
            return match rows.next()? {
                Some(row) => f(&Row::Sqlite(row)),
                None => Err(Error::NoRows),
            };
        }
        match self {
            Statement::Postgres { conn, statement } => {
                let rows = conn.query(statement, &args)?;
                match rows.first() {
                    Some(row) => f(&Row::Postgres(row)),
                    None => Err(Error::NoRows),
                }
            }
            _ => unreachable!("SQLite statements return above"),
        }
    }

    /// Whether the query returns any row.
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        self.query_row(params, |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
    }

    /// Every row, mapped by `f` (read lazily from SQLite, at once from PostgreSQL).
    pub fn query_map<'s, P: Params, T: 's, F: FnMut(&Row<'_>) -> Result<T> + 's>(
        &'s mut self,
        params: P,
        mut f: F,
    ) -> Result<Box<dyn Iterator<Item = Result<T>> + 's>> {
        let args = params.args();
        match self {
            Statement::Sqlite(s) => {
                let rows = s.query_map(rusqlite::params_from_iter(args.iter()), move |row| {
                    Ok(f(&Row::Sqlite(row)))
                })?;
                Ok(Box::new(
                    rows.map(|r| r.map_err(Error::from).and_then(|v| v)),
                ))
            }
            Statement::SqliteCached(s) => {
                let rows = s.query_map(rusqlite::params_from_iter(args.iter()), move |row| {
                    Ok(f(&Row::Sqlite(row)))
                })?;
                Ok(Box::new(
                    rows.map(|r| r.map_err(Error::from).and_then(|v| v)),
                ))
            }
            Statement::Postgres { conn, statement } => {
                let rows = conn.query(statement, &args)?;
                let mapped: Vec<Result<T>> =
                    rows.iter().map(|row| f(&Row::Postgres(row))).collect();
                Ok(Box::new(mapped.into_iter()))
            }
        }
    }
}

/// SQLite's spelling of a query rewritten for PostgreSQL: `?N` → `$N` (a bare `?` numbered
/// after the previous one); string literals, quoted names and comments are left alone.
/// (Null-safe comparisons are written `IS [NOT] DISTINCT FROM`, which both understand.)
pub fn postgres_sql(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' | b'"' => {
                let end = sql[i + 1..]
                    .find(c as char)
                    .map_or(sql.len(), |e| i + 1 + e + 1);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = sql[i..].find('\n').map_or(sql.len(), |e| i + e);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let number = if digits == 0 {
                    next
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(next)
                };
                next = number + 1;
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
            }
            _ => {
                let len = sql[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&sql[i..i + len]);
                i += len;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::postgres_sql;

    #[test]
    fn placeholders_are_rewritten_outside_literals_and_comments() {
        assert_eq!(
            postgres_sql("SELECT a FROM t WHERE b = ?1 AND c = ?12 AND e = '?' AND \"?\" = 1"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 AND e = '?' AND \"?\" = 1"
        );
        assert_eq!(
            postgres_sql("VALUES (?, ?) -- a ?"),
            "VALUES ($1, $2) -- a ?"
        );
        assert_eq!(postgres_sql("x IS NULL AND y = ?"), "x IS NULL AND y = $1");
    }
}
