//! Versioned schema migrations.
//!
//! Migration `n` (1-based) is `MIGRATIONS[n - 1]`; a file at version `v` has had the first `v`
//! applied. Each runs in its own transaction together with the bump of `user_version`, so a
//! failure leaves the file at the previous version; a new file (version 0) gets them all in one
//! transaction, so it is either fully set up or left empty. Migrations are only ever appended.
//! Every step holds the write lock and re-reads the version under it, so concurrent openers of
//! one new file migrate it once.
//!
//! PostgreSQL runs the same list: [`postgres_ddl`] rewrites each migration's SQLite types into
//! PostgreSQL's (`INTEGER` → `BIGINT`, a rowid key → an identity column, `BLOB` → `BYTEA`,
//! `TEXT` → `TEXT COLLATE "C"` so that text sorts by bytes as in SQLite, `COLLATE NOCASE` → a
//! case-insensitive ICU collation), after the few textual edits of [`POSTGRES_EDITS`] where a
//! column's SQLite type says less than its content (a result file's `content` that holds
//! bytes). So a new migration is one entry of [`MIGRATIONS`], for both. The version lives in
//! the table `agora_schema`, and each step runs in one transaction holding a transaction-level
//! advisory lock, so replicas starting at once migrate the database once.

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::StoreError;
use crate::db::{Conn, OptionalExtension};

/// The SQL of every migration, oldest first.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: PyPI projects and their files, as the simple API (PEP 691/700) lists them.
    "CREATE TABLE pypi_project (
        name TEXT PRIMARY KEY,              -- PEP 503 normalized
        display_name TEXT NOT NULL,
        last_serial INTEGER,
        content_sha256 TEXT,                -- of the index page last parsed
        synced_at TEXT NOT NULL             -- RFC 3339, UTC
    );
    CREATE TABLE pypi_file (
        project TEXT NOT NULL REFERENCES pypi_project(name) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        version TEXT,                       -- as the filename spells it; NULL if unparseable
        kind TEXT NOT NULL,                 -- wheel, sdist, other
        url TEXT NOT NULL,
        sha256 TEXT,
        size INTEGER,
        upload_time TEXT,                   -- RFC 3339, UTC
        yanked INTEGER NOT NULL DEFAULT 0,
        yanked_reason TEXT,
        requires_python TEXT,
        PRIMARY KEY (project, filename)
    );",
    // 2: wheel tags, for coverage matrices, and lookups by release.
    "ALTER TABLE pypi_file ADD COLUMN python_tag TEXT;
    ALTER TABLE pypi_file ADD COLUMN abi_tag TEXT;
    ALTER TABLE pypi_file ADD COLUMN platform_tag TEXT;
    CREATE INDEX pypi_file_release ON pypi_file(project, version);",
    // 3: the GitHub mirror (issues, PRs, comments, reviews, labels, milestones, releases, sync
    // cursors); see `github.rs` for what each column means. NULL always means unknown.
    "CREATE TABLE gh_repo (
        id INTEGER PRIMARY KEY,
        full_name TEXT NOT NULL UNIQUE COLLATE NOCASE,   -- owner/name
        created_at TEXT NOT NULL                         -- when agora first stored it
    );
    CREATE TABLE gh_change (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL                             -- bumped once per written page
    );
    INSERT INTO gh_change (id, seq) VALUES (1, 0);
    CREATE TABLE gh_item (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        number INTEGER NOT NULL,
        kind TEXT NOT NULL,                  -- issue, pr
        github_id INTEGER,
        title TEXT,
        body TEXT,
        state TEXT,                          -- open, closed
        state_reason TEXT,                   -- completed, not_planned, reopened, duplicate
        locked INTEGER,
        active_lock_reason TEXT,
        author TEXT,
        author_association TEXT,             -- OWNER, MEMBER, CONTRIBUTOR, NONE, ...
        labels TEXT,                         -- JSON array of names
        milestone TEXT,                      -- its title
        milestone_number INTEGER,
        assignees TEXT,                      -- JSON array of logins
        created_at TEXT,
        updated_at TEXT,
        closed_at TEXT,
        closed_by TEXT,
        comments INTEGER,                    -- number of issue comments
        reactions TEXT,                      -- JSON object: reaction to count
        html_url TEXT,
        draft INTEGER,
        base_ref TEXT,
        head_ref TEXT,
        merged INTEGER,
        merged_at TEXT,
        merged_by TEXT,
        mergeable TEXT,                      -- MERGEABLE, CONFLICTING, UNKNOWN
        requested_reviewers TEXT,            -- JSON array of logins and team slugs
        additions INTEGER,
        deletions INTEGER,
        changed_files INTEGER,
        commits INTEGER,
        review_comments INTEGER,
        approved_reviews INTEGER,            -- reviews in state APPROVED
        participants INTEGER,
        source TEXT NOT NULL,                -- rest, devstats
        change_seq INTEGER NOT NULL,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, number)
    );
    CREATE INDEX gh_item_change ON gh_item(change_seq);
    CREATE INDEX gh_item_updated ON gh_item(repo_id, updated_at);
    CREATE TABLE gh_comment (
        id INTEGER PRIMARY KEY,
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        number INTEGER NOT NULL,             -- of the issue or PR
        kind TEXT NOT NULL,                  -- issue, review
        github_id INTEGER,                   -- NULL when imported from a dump
        author TEXT,
        author_association TEXT,
        body TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        review_id INTEGER,
        path TEXT,
        in_reply_to INTEGER,
        reactions TEXT,
        html_url TEXT,
        source TEXT NOT NULL,
        change_seq INTEGER NOT NULL,
        synced_at TEXT NOT NULL,
        UNIQUE (kind, github_id)
    );
    CREATE INDEX gh_comment_item ON gh_comment(repo_id, number);
    CREATE INDEX gh_comment_change ON gh_comment(change_seq);
    CREATE TABLE gh_review (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        github_id INTEGER NOT NULL,
        number INTEGER NOT NULL,
        author TEXT,
        author_association TEXT,
        state TEXT,                          -- APPROVED, CHANGES_REQUESTED, COMMENTED, ...
        body TEXT,
        submitted_at TEXT,
        commit_id TEXT,
        change_seq INTEGER NOT NULL,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, github_id)
    );
    CREATE INDEX gh_review_item ON gh_review(repo_id, number);
    CREATE TABLE gh_label (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        name TEXT NOT NULL,
        color TEXT,
        description TEXT,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, name)
    );
    CREATE TABLE gh_milestone (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        number INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT,
        state TEXT,
        open_issues INTEGER,
        closed_issues INTEGER,
        created_at TEXT,
        updated_at TEXT,
        closed_at TEXT,
        due_on TEXT,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, number)
    );
    CREATE TABLE gh_release (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        github_id INTEGER NOT NULL,
        tag_name TEXT NOT NULL,
        name TEXT,
        body TEXT,
        draft INTEGER,
        prerelease INTEGER,
        author TEXT,
        created_at TEXT,
        published_at TEXT,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, github_id)
    );
    CREATE TABLE gh_sync_cursor (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        endpoint TEXT NOT NULL,              -- issues, issue_comments, review_comments, ...
        since TEXT,                          -- newest updated_at stored from this endpoint
        etag TEXT,                           -- of the last response to etag_url
        etag_url TEXT,
        checked_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, endpoint)
    );",
    // 4: bench: asv projects, their commit history, result files and cached step fits.
    "CREATE TABLE bench_project (
        name TEXT PRIMARY KEY,
        config TEXT NOT NULL,               -- asv.conf.json as agora reads it (JSON)
        benchmarks TEXT NOT NULL,           -- benchmarks.json as agora reads it (JSON)
        history_sha256 TEXT,                -- of the commit history last stored
        updated_at TEXT NOT NULL            -- RFC 3339, UTC
    );
    CREATE TABLE bench_commit (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        revision INTEGER NOT NULL,          -- position in git rev-list --all --date-order --reverse
        sha TEXT NOT NULL,
        time INTEGER NOT NULL,              -- commit time, seconds since the epoch
        PRIMARY KEY (project, revision)
    );
    CREATE TABLE bench_branch_commit (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        branch TEXT NOT NULL,
        position INTEGER NOT NULL,          -- 0 = the branch tip (first-parent order)
        sha TEXT NOT NULL,
        PRIMARY KEY (project, branch, position)
    );
    CREATE TABLE bench_tag (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        sha TEXT NOT NULL,
        PRIMARY KEY (project, tag)
    );
    CREATE TABLE bench_machine (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        machine TEXT NOT NULL,
        info TEXT NOT NULL,                 -- machine.json (JSON)
        PRIMARY KEY (project, machine)
    );
    CREATE TABLE bench_file (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        path TEXT NOT NULL,                 -- relative to the results folder
        sha256 TEXT NOT NULL,               -- of the file's bytes
        commit_hash TEXT NOT NULL,
        machine TEXT NOT NULL,
        content TEXT NOT NULL,              -- the parsed result file (JSON)
        ingested_at TEXT NOT NULL,          -- RFC 3339, UTC
        PRIMARY KEY (project, path)
    );
    CREATE TABLE bench_steps (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        graph_path TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,         -- of the series' points
        steps TEXT NOT NULL,                -- fitted steps per value column (JSON)
        PRIMARY KEY (project, graph_path)
    );",
    // 5: bench: result files are stored in a compact binary form (a BLOB in bench_file.content,
    // whose older rows stay JSON text); it names each run's (benchmark, code version) by a
    // number of this table.
    "CREATE TABLE bench_run_key (
        project TEXT NOT NULL REFERENCES bench_project(name) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,                 -- the benchmark
        version TEXT,                       -- its code version in the run
        PRIMARY KEY (project, id)
    );",
    // 6: bench: the last analysis of a project (series, steps, regressions), so that
    // `regressions` and `publish` after an unchanged ingest need not rebuild it.
    "CREATE TABLE bench_analysis (
        project TEXT PRIMARY KEY REFERENCES bench_project(name) ON DELETE CASCADE,
        inputs_sha256 TEXT NOT NULL,        -- of everything the analysis was computed from
        content BLOB NOT NULL               -- agora_bench::snapshot's binary form
    );",
    // 7: bench: the paths and digests of a project's result files without their contents
    // (every `regressions` and `publish` reads them to check the stored analysis is current;
    // from the table, that walks the pages of every file's content).
    "CREATE INDEX bench_file_digest ON bench_file (project, path, sha256);",
    // 8: the server: API tokens (only their SHA-256 is kept), the outcomes of uploads by
    // idempotency key (a retried upload answers the stored outcome), and the GitHub webhook
    // deliveries already seen (a redelivery is ignored).
    "CREATE TABLE serve_token (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,        -- of the whole secret, hex
        hint TEXT NOT NULL,                 -- its prefix and first characters, for lists
        project TEXT NOT NULL,              -- the project it may act on
        action TEXT NOT NULL,               -- what it may do: upload
        note TEXT NOT NULL,                 -- what it is for, as its creator said
        created_at TEXT NOT NULL,           -- RFC 3339, UTC
        expires_at TEXT,                    -- RFC 3339, UTC; NULL never
        revoked_at TEXT,                    -- RFC 3339, UTC; NULL while valid
        last_used_at TEXT                   -- RFC 3339, UTC
    );
    CREATE TABLE serve_idempotency (
        project TEXT NOT NULL,
        key TEXT NOT NULL,                  -- the client's Idempotency-Key
        request_sha256 TEXT NOT NULL,       -- of the request body
        status INTEGER NOT NULL,            -- the HTTP status answered
        response TEXT NOT NULL,             -- the JSON answered
        created_at TEXT NOT NULL,           -- RFC 3339, UTC
        PRIMARY KEY (project, key)
    );
    CREATE TABLE serve_delivery (
        id TEXT PRIMARY KEY,                -- X-GitHub-Delivery
        event TEXT NOT NULL,                -- X-GitHub-Event
        repo TEXT,                          -- owner/name, when the payload names one
        received_at TEXT NOT NULL           -- RFC 3339, UTC
    );",
    // 9: what release notes need from the GitHub mirror: each PR's merge commit, the commits
    // of the default branch with the GitHub accounts of their author and committer, the PRs
    // GitHub associates with a commit, and users' display names. NULL always means unknown;
    // see `github_commits.rs`.
    "ALTER TABLE gh_item ADD COLUMN merge_commit_sha TEXT;
    CREATE INDEX gh_item_merge_commit ON gh_item(repo_id, merge_commit_sha);
    CREATE TABLE gh_commit (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        sha TEXT NOT NULL,
        author_login TEXT,                  -- the GitHub account of the author's email
        author_name TEXT,
        author_email TEXT,
        committer_login TEXT,               -- web-flow for merges made on GitHub
        message TEXT,                       -- bounded to 64 KiB
        authored_at TEXT,                   -- RFC 3339, UTC
        synced_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, sha)
    );
    CREATE INDEX gh_commit_email ON gh_commit(author_email);
    CREATE TABLE gh_commit_pulls (
        repo_id INTEGER NOT NULL REFERENCES gh_repo(id),
        sha TEXT NOT NULL,
        numbers TEXT NOT NULL,              -- JSON array of the PRs /commits/SHA/pulls lists
        checked_at TEXT NOT NULL,
        PRIMARY KEY (repo_id, sha)
    );
    CREATE TABLE gh_user (
        login TEXT PRIMARY KEY COLLATE NOCASE,
        github_id INTEGER,
        name TEXT,                          -- NULL: the account shows no name (rows come
                                            -- only from /users/LOGIN; no row: unknown)
        html_url TEXT,
        synced_at TEXT NOT NULL
    );",
    // 10: `agora repos` campaigns: one row per campaign (its branch), one per repository of a
    // campaign holding how far it got, and the log of every step; see `repos.rs`.
    "CREATE TABLE repos_campaign (
        branch TEXT PRIMARY KEY,            -- the campaign's branch, its name
        message TEXT NOT NULL,              -- the commit message
        created_at TEXT NOT NULL,           -- RFC 3339, UTC
        closed_at TEXT                      -- when `agora repos close` withdrew it
    );
    CREATE TABLE repos_target (
        campaign TEXT NOT NULL REFERENCES repos_campaign(branch) ON DELETE CASCADE,
        repo TEXT NOT NULL,                 -- owner/name
        base TEXT,                          -- the default branch the change was made on
        commit_sha TEXT,                    -- the campaign branch's commit, once applied
        skipped INTEGER NOT NULL DEFAULT 0, -- 1: the change made no diff
        head_repo TEXT,                     -- where the branch was pushed (the repo or a fork)
        pushed_sha TEXT,                    -- the commit pushed
        pr_number INTEGER,
        pr_url TEXT,
        pr_state TEXT,                      -- open, closed, merged, as last seen
        labels_done INTEGER NOT NULL DEFAULT 0,
        reviewers_done INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,                    -- the last step's failure, NULL once a step succeeds
        updated_at TEXT NOT NULL,
        PRIMARY KEY (campaign, repo)
    );
    CREATE TABLE repos_event (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL REFERENCES repos_campaign(branch) ON DELETE CASCADE,
        repo TEXT NOT NULL,
        step TEXT NOT NULL,                 -- applied, skipped, pushed, forked, opened, found, ...
        detail TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX repos_event_target ON repos_event(campaign, repo);",
    // 11: a repository's activity mark (`Store::github_activity_mark`: its rows and newest
    // change counter, read by every portal build) from indexes, not a scan of its rows.
    "CREATE INDEX gh_item_repo_change ON gh_item(repo_id, change_seq);
    CREATE INDEX gh_comment_repo_change ON gh_comment(repo_id, change_seq);
    CREATE INDEX gh_review_repo_change ON gh_review(repo_id, change_seq);",
];

/// Textual edits of a migration for PostgreSQL, applied before [`postgres_ddl`]: (version,
/// SQLite's text, PostgreSQL's). Only where SQLite's declared type is not what is stored.
pub(crate) const POSTGRES_EDITS: &[(u32, &str, &str)] = &[
    // Result files' `content` holds bytes since migration 5 (JSON text before it).
    (
        4,
        "content TEXT NOT NULL,              -- the parsed result file (JSON)",
        "content BLOB NOT NULL,",
    ),
    // Tags are read in the order they were written (`ORDER BY rowid`): PostgreSQL has no
    // rowid, so the table gets an identity column of that name.
    (
        4,
        "CREATE TABLE bench_tag (\n        project",
        "CREATE TABLE bench_tag (\n        rowid INTEGER PRIMARY KEY, project",
    ),
    (
        4,
        "        PRIMARY KEY (project, tag)",
        "        UNIQUE (project, tag)",
    ),
];

/// The collation `COLLATE NOCASE` becomes on PostgreSQL: ICU's root locale at strength 2
/// (case-insensitive, accent-sensitive), nondeterministic so that equality follows it.
const POSTGRES_PRELUDE: &str = "CREATE COLLATION IF NOT EXISTS agora_nocase
    (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE IF NOT EXISTS agora_schema (version INTEGER NOT NULL);";

/// Migration `version`'s SQL for PostgreSQL: [`POSTGRES_EDITS`], then SQLite's types and
/// collations spelled as PostgreSQL's (see the module's documentation). Comments are dropped.
pub(crate) fn postgres_ddl(version: u32, sqlite: &str) -> String {
    let mut sql = sqlite.to_string();
    for (v, from, to) in POSTGRES_EDITS {
        if *v == version {
            sql = sql.replace(from, to);
        }
    }
    let mut out = String::with_capacity(sql.len() + 256);
    for line in sql.lines() {
        let code = line.split("--").next().unwrap_or("").trim_end();
        // `name TEXT … COLLATE NOCASE`: PostgreSQL wants the collation right after the type.
        if code.contains(" COLLATE NOCASE") {
            let code = code.replace(" COLLATE NOCASE", "").replacen(
                " TEXT",
                " TEXT COLLATE agora_nocase",
                1,
            );
            out.push_str(&code);
        } else {
            out.push_str(code);
        }
        out.push('\n');
    }
    // Word by word, outside string literals (the DDL has none with these words).
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in out.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            current.push(c);
        } else {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            words.push(c.to_string());
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let next_words = |i: usize, n: usize| -> Vec<String> {
        words[i + 1..]
            .iter()
            .filter(|w| !w.trim().is_empty())
            .take(n)
            .map(|w| w.to_ascii_uppercase())
            .collect()
    };
    let mut result = String::with_capacity(out.len() + 256);
    for (i, word) in words.iter().enumerate() {
        match word.to_ascii_uppercase().as_str() {
            "INTEGER" => {
                if next_words(i, 2) == ["PRIMARY", "KEY"] {
                    result.push_str("BIGINT GENERATED BY DEFAULT AS IDENTITY");
                } else {
                    result.push_str("BIGINT");
                }
            }
            "BLOB" => result.push_str("BYTEA"),
            "REAL" => result.push_str("DOUBLE PRECISION"),
            "TEXT" => {
                if next_words(i, 1) == ["COLLATE"] {
                    result.push_str(word);
                } else {
                    result.push_str("TEXT COLLATE \"C\"");
                }
            }
            _ => result.push_str(word),
        }
    }
    result
}

/// The schema version recorded in a PostgreSQL database (0 for a new one).
pub(crate) fn postgres_version(conn: &Conn) -> crate::db::Result<u32> {
    let exists: bool =
        conn.query_row("SELECT to_regclass('agora_schema') IS NOT NULL", [], |r| {
            r.get(0)
        })?;
    if !exists {
        return Ok(0);
    }
    let version: Option<i64> = conn
        .query_row("SELECT version FROM agora_schema", [], |r| r.get(0))
        .optional()?;
    Ok(version.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX)))
}

/// The key of the advisory lock that migrations of one PostgreSQL database hold.
const MIGRATION_LOCK: i64 = 0x6167_6f72_6100; // "agora\0"

/// Brings a PostgreSQL database up to `target`; returns whether it applied any migration.
/// Every migration still to apply runs in one transaction under an advisory lock, and the
/// version is read again under it, so replicas starting at once migrate it once.
pub(crate) fn migrate_postgres(conn: &Conn, url: &str, target: u32) -> Result<bool, StoreError> {
    let target = target.min(SCHEMA_VERSION);
    let failed = |version: u32| {
        move |source: crate::db::Error| StoreError::MigratePostgres {
            url: url.to_string(),
            version,
            source,
        }
    };
    let found = postgres_version(conn).map_err(failed(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: url.into(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found >= target {
        return Ok(false);
    }
    let tx = conn.transaction().map_err(failed(found + 1))?;
    tx.query_row("SELECT pg_advisory_xact_lock(?1)", [MIGRATION_LOCK], |_| {
        Ok(())
    })
    .map_err(failed(found + 1))?;
    let found = postgres_version(&tx).map_err(failed(found + 1))?;
    if found >= target {
        return Ok(false);
    }
    if found == 0 {
        tx.execute_batch(POSTGRES_PRELUDE).map_err(failed(1))?;
        tx.execute("INSERT INTO agora_schema (version) VALUES (0)", [])
            .map_err(failed(1))?;
    }
    for version in (found + 1)..=target {
        let sql = postgres_ddl(version, MIGRATIONS[(version - 1) as usize]);
        tx.execute_batch(&sql).map_err(failed(version))?;
    }
    tx.execute("UPDATE agora_schema SET version = ?1", [i64::from(target)])
        .map_err(failed(target))?;
    tx.commit().map_err(failed(target))?;
    Ok(true)
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version recorded in the file.
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies the migrations after the file's version, up to `target`; returns whether it
/// applied any.
///
/// Each step takes SQLite's write lock first (`BEGIN IMMEDIATE`, waiting up to the busy
/// timeout) and reads the version again under it: another command that opened the same new
/// store at the same moment may have migrated it meanwhile, and its tables must not be
/// created twice.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, target: u32) -> Result<bool, StoreError> {
    let open_error = |source| StoreError::Open {
        path: path.into(),
        source,
    };
    let target = target.min(SCHEMA_VERSION);
    let found = user_version(conn).map_err(open_error)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.into(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found >= target {
        return Ok(false);
    }
    let mut applied = false;
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Migrate {
                path: path.into(),
                version: found + 1,
                source,
            })?;
        let found = user_version(&tx).map_err(open_error)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.into(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found >= target {
            // Someone else migrated it while this connection waited for the lock.
            return Ok(applied);
        }
        // A new file gets every migration in one transaction (one commit instead of one per
        // migration; if any fails, the file stays empty); an older one, one at a time.
        let last = if found == 0 { target } else { found + 1 };
        for version in (found + 1)..=last {
            tx.execute_batch(MIGRATIONS[(version - 1) as usize])
                .map_err(|source| StoreError::Migrate {
                    path: path.into(),
                    version,
                    source,
                })?;
        }
        let step = |tx: Transaction<'_>| -> rusqlite::Result<()> {
            tx.pragma_update(None, "user_version", last)?;
            tx.commit()
        };
        step(tx).map_err(|source| StoreError::Migrate {
            path: path.into(),
            version: last,
            source,
        })?;
        applied = true;
        if last >= target {
            return Ok(applied);
        }
    }
}

#[cfg(test)]
pub(crate) fn open_at_version(path: &Path, version: u32) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.into(),
        source,
    })?;
    migrate(&mut conn, path, version)?;
    Ok(conn)
}
