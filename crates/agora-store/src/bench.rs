//! Benchmark results (asv): projects, their commit history, result files and cached steps.
//!
//! A project row keeps its `asv.conf.json` and `benchmarks.json` as agora read them (JSON);
//! each result file is one row keyed by its path under the results folder, with the SHA-256 of
//! its bytes (so re-ingesting an unchanged file is a no-op) and its parsed content (agora-bench's
//! binary form, whose runs name numbered `(benchmark, version)` keys; JSON in older rows). The
//! commit history (revision numbers, first-parent lists of branches, tags) is replaced whole
//! when its digest changes. Step fits are cached per series with the digest of their input, so
//! a new result file refits only the series it touches. Every write is one transaction.

use std::collections::HashMap;

use crate::db::{OptionalExtension, params};
use jiff::Timestamp;

use crate::{Store, StoreError};

/// A benchmarked project's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchProject {
    /// The project's name in agora.
    pub name: String,
    /// Its `asv.conf.json`, as agora reads it (JSON).
    pub config: String,
    /// Its `benchmarks.json`, as agora reads it (JSON).
    pub benchmarks: String,
    /// SHA-256 of the commit history last stored.
    pub history_sha256: Option<String>,
    /// When the project was last ingested.
    pub updated_at: Timestamp,
}

/// One stored result file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchFile {
    /// Its path relative to the results folder (`machine/hash-env.json`).
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The commit it measured.
    pub commit_hash: String,
    /// The machine it ran on.
    pub machine: String,
    /// The parsed content: agora-bench's binary form, or JSON in rows stored before it.
    pub content: Vec<u8>,
}

/// The commit history of a project, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BenchHistory {
    /// `(sha, commit time)` by revision number.
    pub commits: Vec<(String, i64)>,
    /// Branches and their first-parent lists, newest first.
    pub branches: Vec<(String, Vec<String>)>,
    /// Tags and their commits.
    pub tags: Vec<(String, String)>,
}

/// Cached steps of one series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchSteps {
    /// SHA-256 of the series' points the steps were fitted to.
    pub input_sha256: String,
    /// The steps (JSON).
    pub steps: String,
}

/// Everything one ingest writes (see [`Store::save_bench_ingest`]).
#[derive(Debug, Clone, Copy)]
pub struct BenchIngest<'a> {
    /// The project.
    pub project: &'a str,
    /// Its `asv.conf.json`, as agora reads it (JSON).
    pub config: &'a str,
    /// Its `benchmarks.json`, as agora reads it (JSON).
    pub benchmarks: &'a str,
    /// The SHA-256 of `history`.
    pub history_sha256: &'a str,
    /// The commit history.
    pub history: &'a BenchHistory,
    /// New or changed result files.
    pub files: &'a [BenchFile],
    /// The machines and their descriptions.
    pub machines: &'a [(String, String)],
    /// The number of the first new run key, and the new keys.
    pub new_keys: (usize, &'a [(String, Option<String>)]),
}

fn timestamp(text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|e: jiff::Error| StoreError::Corrupt {
        column: "bench_project.updated_at",
        message: e.to_string(),
    })
}

impl Store {
    /// The stored settings of a benchmarked project.
    pub fn bench_project(&self, name: &str) -> Result<Option<BenchProject>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT name, config, benchmarks, history_sha256, updated_at FROM bench_project WHERE name = ?1",
                [name],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(name, config, benchmarks, history_sha256, updated)| {
            Ok(BenchProject {
                name,
                config,
                benchmarks,
                history_sha256,
                updated_at: timestamp(&updated)?,
            })
        })
        .transpose()
    }

    /// The names of every benchmarked project.
    pub fn bench_projects(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT name FROM bench_project ORDER BY name")?;
        let names = statement
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }

    /// Creates or updates a project's settings; returns whether anything changed.
    pub fn save_bench_project(
        &mut self,
        name: &str,
        config: &str,
        benchmarks: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        write_project(&self.conn, name, config, benchmarks, now)
    }

    /// The SHA-256 of every stored result file of a project, by path.
    pub fn bench_file_digests(&self, project: &str) -> Result<HashMap<String, String>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT path, sha256 FROM bench_file WHERE project = ?1")?;
        let digests = statement
            .query_map([project], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(digests)
    }

    /// The numbered `(benchmark, version)` keys of a project's runs, in number order.
    pub fn bench_run_keys(
        &self,
        project: &str,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT id, name, version FROM bench_run_key WHERE project = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([project], |row| {
            Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?))
        })?;
        let mut keys = Vec::new();
        for row in rows {
            let (id, name, version) = row?;
            if id != keys.len() as i64 {
                return Err(StoreError::Corrupt {
                    column: "bench_run_key.id",
                    message: format!("key {id} where {} was expected", keys.len()),
                });
            }
            keys.push((name, version));
        }
        Ok(keys)
    }

    /// Stores result files (replacing files of the same path), machines and the run keys
    /// numbered from `first_new_key` on, in one transaction.
    pub fn save_bench_files(
        &mut self,
        project: &str,
        files: &[BenchFile],
        machines: &[(String, String)],
        new_keys: (usize, &[(String, Option<String>)]),
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        write_files(&tx, project, files, machines, new_keys, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores what one ingest read, in one transaction, so that a process killed while it
    /// writes leaves the store as it was before or with all of it: the project's settings,
    /// its commit history (replaced when `history_sha256` differs from the stored one), and
    /// the result files, machines and new run keys (as [`Store::save_bench_files`]). Returns
    /// whether the settings changed and whether the history did.
    pub fn save_bench_ingest(
        &mut self,
        ingest: &BenchIngest<'_>,
        now: Timestamp,
    ) -> Result<(bool, bool), StoreError> {
        let tx = self.conn.transaction()?;
        let settings = write_project(&tx, ingest.project, ingest.config, ingest.benchmarks, now)?;
        let history = write_history(&tx, ingest.project, ingest.history_sha256, ingest.history)?;
        write_files(
            &tx,
            ingest.project,
            ingest.files,
            ingest.machines,
            ingest.new_keys,
            now,
        )?;
        tx.commit()?;
        Ok((settings, history))
    }

    /// Every stored result file of a project, by path.
    pub fn bench_files(&self, project: &str) -> Result<Vec<BenchFile>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT path, sha256, commit_hash, machine, content FROM bench_file WHERE project = ?1 ORDER BY path",
        )?;
        let files = statement
            .query_map([project], |row| {
                Ok(BenchFile {
                    path: row.get(0)?,
                    sha256: row.get(1)?,
                    commit_hash: row.get(2)?,
                    machine: row.get(3)?,
                    content: row.get::<_, Option<Vec<u8>>>(4)?.unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(files)
    }

    /// The stored analysis of a project: the digest of its inputs and its bytes.
    pub fn bench_analysis(&self, project: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT inputs_sha256, content FROM bench_analysis WHERE project = ?1",
                [project],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// The digest of the inputs of a project's stored analysis, without reading the analysis.
    pub fn bench_analysis_inputs(&self, project: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT inputs_sha256 FROM bench_analysis WHERE project = ?1",
                [project],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Replaces the stored analysis of a project.
    pub fn save_bench_analysis(
        &mut self,
        project: &str,
        inputs_sha256: &str,
        content: &[u8],
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO bench_analysis (project, inputs_sha256, content) VALUES (?1, ?2, ?3)
             ON CONFLICT(project) DO UPDATE SET inputs_sha256 = excluded.inputs_sha256,
                 content = excluded.content",
            params![project, inputs_sha256, content],
        )?;
        Ok(())
    }

    /// Replaces a project's commit history when its digest changed; returns whether it did.
    pub fn save_bench_history(
        &mut self,
        project: &str,
        sha256: &str,
        history: &BenchHistory,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let changed = write_history(&tx, project, sha256, history)?;
        tx.commit()?;
        Ok(changed)
    }

    /// A project's stored commit history.
    pub fn bench_history(&self, project: &str) -> Result<BenchHistory, StoreError> {
        let mut history = BenchHistory::default();
        let mut statement = self
            .conn
            .prepare("SELECT sha, time FROM bench_commit WHERE project = ?1 ORDER BY revision")?;
        history.commits = statement
            .query_map([project], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut statement = self.conn.prepare(
            "SELECT branch, sha FROM bench_branch_commit WHERE project = ?1 ORDER BY branch, position",
        )?;
        let rows: Vec<(String, String)> = statement
            .query_map([project], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (branch, sha) in rows {
            match history.branches.last_mut() {
                Some((name, list)) if *name == branch => list.push(sha),
                _ => history.branches.push((branch, vec![sha])),
            }
        }
        let mut statement = self
            .conn
            .prepare("SELECT tag, sha FROM bench_tag WHERE project = ?1 ORDER BY rowid")?;
        history.tags = statement
            .query_map([project], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(history)
    }

    /// The machines of a project and their descriptions (JSON).
    pub fn bench_machines(&self, project: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT machine, info FROM bench_machine WHERE project = ?1 ORDER BY machine",
        )?;
        let machines = statement
            .query_map([project], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(machines)
    }

    /// The cached steps of a project's series, by series path.
    pub fn bench_steps(&self, project: &str) -> Result<HashMap<String, BenchSteps>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT graph_path, input_sha256, steps FROM bench_steps WHERE project = ?1",
        )?;
        let steps = statement
            .query_map([project], |row| {
                Ok((
                    row.get(0)?,
                    BenchSteps {
                        input_sha256: row.get(1)?,
                        steps: row.get(2)?,
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(steps)
    }

    /// Stores freshly fitted steps of some series, in one transaction.
    pub fn save_bench_steps(
        &mut self,
        project: &str,
        steps: &[(String, BenchSteps)],
    ) -> Result<(), StoreError> {
        if steps.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO bench_steps (project, graph_path, input_sha256, steps) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(project, graph_path) DO UPDATE SET input_sha256 = excluded.input_sha256,
                     steps = excluded.steps",
            )?;
            for (path, row) in steps {
                insert.execute(params![project, path, row.input_sha256, row.steps])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Creates or updates a project's settings on `conn`; returns whether anything changed.
fn write_project(
    conn: &crate::db::Conn,
    name: &str,
    config: &str,
    benchmarks: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "INSERT INTO bench_project (name, config, benchmarks, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET config = excluded.config, benchmarks = excluded.benchmarks,
             updated_at = excluded.updated_at
         WHERE bench_project.config IS DISTINCT FROM excluded.config OR bench_project.benchmarks IS DISTINCT FROM excluded.benchmarks",
        params![name, config, benchmarks, now.to_string()],
    )?;
    Ok(changed > 0)
}

/// Writes result files, machines and new run keys on `tx` (see [`Store::save_bench_files`]).
fn write_files(
    tx: &crate::db::Conn,
    project: &str,
    files: &[BenchFile],
    machines: &[(String, String)],
    new_keys: (usize, &[(String, Option<String>)]),
    now: Timestamp,
) -> Result<(), StoreError> {
    {
        let mut key = tx.prepare(
            "INSERT INTO bench_run_key (project, id, name, version) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let (first, keys) = new_keys;
        for (offset, (name, version)) in keys.iter().enumerate() {
            key.execute(params![project, (first + offset) as i64, name, version])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO bench_file (project, path, sha256, commit_hash, machine, content, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(project, path) DO UPDATE SET sha256 = excluded.sha256,
                 commit_hash = excluded.commit_hash, machine = excluded.machine,
                 content = excluded.content, ingested_at = excluded.ingested_at",
        )?;
        let now = now.to_string();
        for file in files {
            insert.execute(params![
                project,
                file.path,
                file.sha256,
                file.commit_hash,
                file.machine,
                file.content,
                now
            ])?;
        }
        let mut machine = tx.prepare(
            "INSERT INTO bench_machine (project, machine, info) VALUES (?1, ?2, ?3)
             ON CONFLICT(project, machine) DO UPDATE SET info = excluded.info",
        )?;
        for (name, info) in machines {
            machine.execute(params![project, name, info])?;
        }
    }
    Ok(())
}

/// Replaces a project's commit history on `tx` when its digest changed; returns whether it did.
fn write_history(
    tx: &crate::db::Conn,
    project: &str,
    sha256: &str,
    history: &BenchHistory,
) -> Result<bool, StoreError> {
    let current: Option<Option<String>> = tx
        .query_row(
            "SELECT history_sha256 FROM bench_project WHERE name = ?1",
            [project],
            |row| row.get(0),
        )
        .optional()?;
    if current.flatten().as_deref() == Some(sha256) {
        return Ok(false);
    }
    tx.execute("DELETE FROM bench_commit WHERE project = ?1", [project])?;
    tx.execute(
        "DELETE FROM bench_branch_commit WHERE project = ?1",
        [project],
    )?;
    tx.execute("DELETE FROM bench_tag WHERE project = ?1", [project])?;
    {
        let mut commit = tx.prepare(
            "INSERT INTO bench_commit (project, revision, sha, time) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (revision, (sha, time)) in history.commits.iter().enumerate() {
            commit.execute(params![project, revision as i64, sha, time])?;
        }
        let mut branch = tx.prepare(
            "INSERT INTO bench_branch_commit (project, branch, position, sha) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (name, list) in &history.branches {
            for (position, sha) in list.iter().enumerate() {
                branch.execute(params![project, name, position as i64, sha])?;
            }
        }
        let mut tag =
            tx.prepare("INSERT INTO bench_tag (project, tag, sha) VALUES (?1, ?2, ?3)")?;
        for (name, sha) in &history.tags {
            tag.execute(params![project, name, sha])?;
        }
    }
    tx.execute(
        "UPDATE bench_project SET history_sha256 = ?2 WHERE name = ?1",
        params![project, sha256],
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-01T20:00:00Z".parse().expect("time")
    }

    #[test]
    fn the_analysis_is_replaced_and_goes_with_its_project() {
        for mut store in crate::test_stores("the_analysis_is_replaced_and_goes_with_its_project") {
            assert!(store.bench_analysis("kedro").expect("none").is_none());
            // The project must exist first.
            assert!(store.save_bench_analysis("kedro", "a", b"x").is_err());
            store
                .save_bench_project("kedro", "{}", "{}", now())
                .expect("project");
            store
                .save_bench_analysis("kedro", "a", b"one")
                .expect("save");
            store
                .save_bench_analysis("kedro", "b", b"two")
                .expect("again");
            assert_eq!(
                store.bench_analysis("kedro").expect("load"),
                Some(("b".to_owned(), b"two".to_vec()))
            );
            assert_eq!(
                store.bench_analysis_inputs("kedro").expect("inputs"),
                Some("b".to_owned())
            );
            assert!(store.bench_analysis("other").expect("none").is_none());
            assert!(
                store
                    .bench_analysis_inputs("other")
                    .expect("none")
                    .is_none()
            );
        }
    }

    #[test]
    fn files_are_upserted_and_history_replaced_only_when_changed() {
        for mut store in
            crate::test_stores("files_are_upserted_and_history_replaced_only_when_changed")
        {
            assert!(
                store
                    .save_bench_project("kedro", "{}", "{}", now())
                    .expect("save")
            );
            assert!(
                !store
                    .save_bench_project("kedro", "{}", "{}", now())
                    .expect("save")
            );
            let file = BenchFile {
                path: "m/abc-env.json".into(),
                sha256: "1".into(),
                commit_hash: "abc".into(),
                machine: "m".into(),
                content: b"AGB1\0\xff".to_vec(),
            };
            let keys = [
                ("a.t".to_owned(), Some("v1".to_owned())),
                ("b.t".to_owned(), None),
            ];
            store
                .save_bench_files(
                    "kedro",
                    std::slice::from_ref(&file),
                    &[("m".into(), "{}".into())],
                    (0, &keys[..1]),
                    now(),
                )
                .expect("files");
            store
                .save_bench_files(
                    "kedro",
                    std::slice::from_ref(&file),
                    &[],
                    (1, &keys[1..]),
                    now(),
                )
                .expect("again");
            assert_eq!(store.bench_files("kedro").expect("load"), vec![file]);
            assert_eq!(store.bench_run_keys("kedro").expect("keys"), keys.to_vec());
            // A key number given twice is refused, and the transaction leaves nothing behind.
            let other = BenchFile {
                path: "m/def-env.json".into(),
                ..store.bench_files("kedro").expect("load")[0].clone()
            };
            assert!(
                store
                    .save_bench_files("kedro", &[other], &[], (1, &keys[1..]), now())
                    .is_err()
            );
            assert_eq!(store.bench_files("kedro").expect("load").len(), 1);
            // Rows written before the binary form hold JSON text; it is read back as its bytes.
            store
                .conn
                .execute(
                    "UPDATE bench_file SET content = '{\"c\": \"abc\"}' WHERE project = 'kedro'",
                    [],
                )
                .expect("legacy row");
            assert_eq!(
                store.bench_files("kedro").expect("load")[0].content,
                br#"{"c": "abc"}"#.to_vec()
            );
            let history = BenchHistory {
                commits: vec![("a".into(), 1), ("b".into(), 2)],
                branches: vec![("main".into(), vec!["b".into(), "a".into()])],
                tags: vec![("v1".into(), "a".into())],
            };
            assert!(
                store
                    .save_bench_history("kedro", "h1", &history)
                    .expect("history")
            );
            assert!(
                !store
                    .save_bench_history("kedro", "h1", &history)
                    .expect("same")
            );
            assert_eq!(store.bench_history("kedro").expect("load"), history);
            assert_eq!(
                store.bench_projects().expect("names"),
                vec!["kedro".to_owned()]
            );
        }
    }

    #[test]
    fn an_ingest_is_stored_whole_or_not_at_all() {
        for mut store in crate::test_stores("an_ingest_is_stored_whole_or_not_at_all") {
            let history = BenchHistory {
                commits: vec![("abc".into(), 1)],
                branches: vec![("main".into(), vec!["abc".into()])],
                tags: Vec::new(),
            };
            let file = BenchFile {
                path: "m/abc-env.json".into(),
                sha256: "1".into(),
                commit_hash: "abc".into(),
                machine: "m".into(),
                content: b"AGB1".to_vec(),
            };
            let keys = [("a.t".to_owned(), None), ("b.t".to_owned(), None)];
            let machines = [("m".to_owned(), "{}".to_owned())];
            let whole = BenchIngest {
                project: "kedro",
                config: "{}",
                benchmarks: "{}",
                history_sha256: "h1",
                history: &history,
                files: std::slice::from_ref(&file),
                machines: &machines,
                new_keys: (0, &keys[..1]),
            };
            assert_eq!(
                store.save_bench_ingest(&whole, now()).expect("save"),
                (true, true)
            );
            // A second ingest changes the settings and the history, then its files' write fails
            // (run key 0 exists already): the settings and the history are rolled back with it.
            let longer = BenchHistory {
                commits: vec![("abc".into(), 1), ("def".into(), 2)],
                ..history.clone()
            };
            let failing = BenchIngest {
                config: "{\"project\": \"kedro\"}",
                history_sha256: "h2",
                history: &longer,
                new_keys: (0, &keys[1..]),
                ..whole
            };
            assert!(store.save_bench_ingest(&failing, now()).is_err());
            assert_eq!(
                store
                    .bench_project("kedro")
                    .expect("read")
                    .expect("kept")
                    .config,
                "{}"
            );
            assert_eq!(store.bench_history("kedro").expect("read"), history);
            assert_eq!(
                store.bench_files("kedro").expect("read"),
                vec![file.clone()]
            );
            assert_eq!(store.bench_run_keys("kedro").expect("keys").len(), 1);
            // Numbered right, it is stored whole.
            let right = BenchIngest {
                new_keys: (1, &keys[1..]),
                ..failing
            };
            assert_eq!(
                store.save_bench_ingest(&right, now()).expect("save"),
                (true, true)
            );
            assert_eq!(store.bench_history("kedro").expect("read"), longer);
            assert_eq!(store.bench_run_keys("kedro").expect("keys").len(), 2);
            // The same again changes neither the settings nor the history.
            let again = BenchIngest {
                files: &[],
                new_keys: (2, &[]),
                ..right
            };
            assert_eq!(
                store.save_bench_ingest(&again, now()).expect("save"),
                (false, false)
            );
        }
    }
}
