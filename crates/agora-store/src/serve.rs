//! What `agora serve` keeps: API tokens, the outcomes of uploads by idempotency key, and the
//! GitHub webhook deliveries already seen.
//!
//! A token is stored only as the SHA-256 of its secret (hex) with a short hint (its prefix and
//! first characters) for lists; the secret itself is shown once, by whoever created it, and
//! never stored. An upload's outcome is stored under its project and idempotency key once the
//! upload is done, so a retry answers the same; a delivery id is stored when first seen, so a
//! redelivery is recognised. Every write is one statement (SQLite makes each atomic).

use crate::db::{OptionalExtension, params};
use jiff::Timestamp;

use crate::{Store, StoreError};

/// A token as stored: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// Its number, which `agora token revoke` takes.
    pub id: i64,
    /// SHA-256 of the secret, hex.
    pub sha256: String,
    /// Its prefix and first characters, to recognise it in a list.
    pub hint: String,
    /// The project it may act on.
    pub project: String,
    /// What it may do (`upload`).
    pub action: String,
    /// What it is for, as its creator said.
    pub note: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it stops working; `None` never.
    pub expires_at: Option<Timestamp>,
    /// When it was revoked; `None` while it is not.
    pub revoked_at: Option<Timestamp>,
    /// When it was last accepted.
    pub last_used_at: Option<Timestamp>,
}

/// A token to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken<'a> {
    /// SHA-256 of the secret, hex.
    pub sha256: &'a str,
    /// Its prefix and first characters.
    pub hint: &'a str,
    /// The project it may act on.
    pub project: &'a str,
    /// What it may do.
    pub action: &'a str,
    /// What it is for.
    pub note: &'a str,
    /// When it is created.
    pub created_at: Timestamp,
    /// When it stops working; `None` never.
    pub expires_at: Option<Timestamp>,
}

/// The stored outcome of an upload made with an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOutcome {
    /// SHA-256 of the request body the outcome answered, hex.
    pub request_sha256: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The JSON answered.
    pub response: String,
}

fn parse_time(column: &'static str, text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.map(|text| {
        text.parse().map_err(|e: jiff::Error| StoreError::Corrupt {
            column,
            message: e.to_string(),
        })
    })
    .transpose()
}

const TOKEN_COLUMNS: &str = "id, sha256, hint, project, action, note, created_at, expires_at, \
                             revoked_at, last_used_at";

type TokenRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn token_row(row: &crate::db::Row<'_>) -> crate::db::Result<TokenRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
    ))
}

fn token(row: TokenRow) -> Result<StoredToken, StoreError> {
    let (id, sha256, hint, project, action, note, created, expires, revoked, used) = row;
    Ok(StoredToken {
        id,
        sha256,
        hint,
        project,
        action,
        note,
        created_at: parse_time("serve_token.created_at", Some(created))?
            .unwrap_or(Timestamp::UNIX_EPOCH),
        expires_at: parse_time("serve_token.expires_at", expires)?,
        revoked_at: parse_time("serve_token.revoked_at", revoked)?,
        last_used_at: parse_time("serve_token.last_used_at", used)?,
    })
}

impl Store {
    /// Stores a new token and returns its number.
    pub fn insert_token(&self, new: &NewToken<'_>) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO serve_token (sha256, hint, project, action, note, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            params![
                new.sha256,
                new.hint,
                new.project,
                new.action,
                new.note,
                new.created_at.to_string(),
                new.expires_at.map(|t| t.to_string()),
            ],
            |row| row.get(0),
        )?)
    }

    /// Every stored token, oldest first (revoked and expired ones included).
    pub fn tokens(&self) -> Result<Vec<StoredToken>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {TOKEN_COLUMNS} FROM serve_token ORDER BY id"
        ))?;
        let rows = statement
            .query_map([], token_row)?
            .collect::<crate::db::Result<Vec<_>>>()?;
        rows.into_iter().map(token).collect()
    }

    /// The token whose secret has this SHA-256 (hex), if any.
    pub fn token_by_sha256(&self, sha256: &str) -> Result<Option<StoredToken>, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {TOKEN_COLUMNS} FROM serve_token WHERE sha256 = ?1"),
                [sha256],
                token_row,
            )
            .optional()?;
        row.map(token).transpose()
    }

    /// Revokes token `id` at `at`; false when there is no such token or it was revoked before.
    pub fn revoke_token(&self, id: i64, at: Timestamp) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE serve_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, at.to_string()],
        )?;
        Ok(changed == 1)
    }

    /// Records that token `id` was accepted at `at`.
    pub fn touch_token(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE serve_token SET last_used_at = ?2 WHERE id = ?1",
            params![id, at.to_string()],
        )?;
        Ok(())
    }

    /// The stored outcome of `project`'s upload with idempotency key `key`, if it finished.
    pub fn upload_outcome(
        &self,
        project: &str,
        key: &str,
    ) -> Result<Option<StoredOutcome>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT request_sha256, status, response FROM serve_idempotency
                 WHERE project = ?1 AND key = ?2",
                [project, key],
                |row| {
                    Ok(StoredOutcome {
                        request_sha256: row.get(0)?,
                        status: row.get(1)?,
                        response: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores the outcome of `project`'s upload with idempotency key `key` (the first one
    /// stored stays).
    pub fn record_upload_outcome(
        &self,
        project: &str,
        key: &str,
        outcome: &StoredOutcome,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO serve_idempotency
             (project, key, request_sha256, status, response, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                project,
                key,
                outcome.request_sha256,
                outcome.status,
                outcome.response,
                at.to_string()
            ],
        )?;
        Ok(())
    }

    /// Records webhook delivery `id`; false when it was recorded before (a redelivery).
    pub fn record_delivery(
        &self,
        id: &str,
        event: &str,
        repo: Option<&str>,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let inserted = self.conn.execute(
            "INSERT INTO serve_delivery (id, event, repo, received_at)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![id, event, repo, at.to_string()],
        )?;
        Ok(inserted == 1)
    }
}

/// A lock on one unit of work (a project's ingest, a repository's sync) held across every
/// process that shares the database: on PostgreSQL a session-level advisory lock, released by
/// [`Drop`] or, when the process dies, by the server as the connection closes; on SQLite,
/// where one process serves the file and its writes are serialised by SQLite's write lock,
/// nothing is held.
#[derive(Debug)]
pub struct WorkLock<'s> {
    store: &'s Store,
    key: String,
}

impl Store {
    /// Waits until no other connection holds the lock named `key` (say `project:scipy`), then
    /// holds it until the returned guard is dropped.
    pub fn lock_work(&self, key: &str) -> Result<WorkLock<'_>, StoreError> {
        if self.conn.backend() == crate::Backend::Postgres {
            self.conn.query_row(
                "SELECT pg_advisory_lock(hashtextextended(?1, 0))::text",
                [key],
                |_| Ok(()),
            )?;
        }
        Ok(WorkLock {
            store: self,
            key: key.to_string(),
        })
    }
}

impl Drop for WorkLock<'_> {
    fn drop(&mut self) {
        if self.store.conn.backend() == crate::Backend::Postgres {
            let _ = self.store.conn.query_row(
                "SELECT pg_advisory_unlock(hashtextextended(?1, 0))",
                [&self.key],
                |_| Ok(()),
            );
        }
    }
}
