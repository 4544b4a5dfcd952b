use super::pypi::{FileKind, PypiFile, PypiProject};
use super::*;

fn sample_project(name: &str) -> PypiProject {
    PypiProject {
        name: name.into(),
        display_name: name.into(),
        last_serial: Some(7),
        content_sha256: Some("abc".into()),
        synced_at: "2026-11-24T10:00:00Z".parse().expect("timestamp"),
    }
}

fn sample_file(filename: &str, yanked: bool) -> PypiFile {
    PypiFile {
        filename: filename.into(),
        version: Some("2.1.0".into()),
        kind: FileKind::Wheel,
        url: format!("https://files.example/{filename}"),
        sha256: Some("00ff".into()),
        size: Some(123),
        upload_time: Some("2024-08-18T15:36:00.123456Z".parse().expect("timestamp")),
        yanked,
        yanked_reason: yanked.then(|| "broken".into()),
        requires_python: Some(">=3.10".into()),
        python_tag: Some("cp312".into()),
        abi_tag: Some("cp312".into()),
        platform_tag: Some("manylinux_2_17_x86_64".into()),
    }
}

#[test]
fn empty_file_is_migrated_to_the_latest_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/agora.db");
    let store = Store::open(&path).expect("open");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
    drop(store);
    // Opening again applies nothing and keeps the version.
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
}

fn save_sample_bench_project(store: &mut Store) {
    store
        .save_bench_project(
            "p",
            "{\"c\": 1}",
            "{}",
            "2026-12-02T00:00:00Z".parse().expect("t"),
        )
        .expect("save");
}

#[test]
fn after_a_write_the_database_file_alone_holds_the_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("agora.db");
    let mut store = Store::open(&path).expect("open");
    save_sample_bench_project(&mut store);
    drop(store);
    // What a CI cache or a backup of `agora.db` gets: the file, without `-wal` or `-shm`.
    let copy_dir = tempfile::tempdir().expect("tempdir");
    let copy = copy_dir.path().join("agora.db");
    std::fs::copy(&path, &copy).expect("copy the file alone");
    let store = Store::open(&copy).expect("open the copy");
    let project = store.bench_project("p").expect("read").expect("stored");
    assert_eq!(project.config, "{\"c\": 1}");
}

#[test]
fn a_connection_that_only_read_leaves_the_log_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("agora.db");
    let mut writer = Store::open(&path).expect("open");
    save_sample_bench_project(&mut writer);
    // A writer that has not closed yet (or was killed): its rows are in the log only.
    std::mem::forget(writer);
    let wal = dir.path().join("agora.db-wal");
    let logged = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(logged > 0, "no write-ahead log at {}", wal.display());
    let reader = Store::open(&path).expect("reopen");
    assert!(reader.bench_project("p").expect("read").is_some());
    assert!(!reader.has_written());
    drop(reader);
    // Reading did not pay for a checkpoint.
    let after = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(after, logged);
}

#[test]
fn connections_migrating_a_new_store_at_once_all_succeed() {
    for round in 0..8 {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("agora.db");
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                let start = start.clone();
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(|store| store.schema_version().ok())
                })
            })
            .collect();
        for opener in openers {
            let opened = opener.join().expect("no panic");
            match opened {
                Ok(version) => assert_eq!(version, Some(SCHEMA_VERSION), "round {round}"),
                Err(error) => panic!("round {round}: {error}"),
            }
        }
    }
}

#[test]
fn a_store_that_cannot_be_written_is_opened_for_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("ro");
    let path = folder.join("agora.db");
    let mut store = Store::open(&path).expect("open");
    save_sample_bench_project(&mut store);
    drop(store);
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let mut locked = files;
    locked.push(folder.clone());
    let _guard = agora_corpus::Unwritable::new(locked);
    if std::fs::OpenOptions::new().append(true).open(&path).is_ok()
        || std::fs::write(folder.join("probe"), b"x").is_ok()
    {
        eprintln!("note: cannot make a file read-only here (no chattr, running as root); skipped");
        return;
    }
    let store = Store::open(&path).expect("a read-only store opens");
    assert!(store.is_read_only());
    let project = store.bench_project("p").expect("read").expect("stored");
    assert_eq!(project.config, "{\"c\": 1}");
    drop(store);
}

#[test]
fn every_earlier_version_migrates_and_keeps_its_data() {
    for start in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("agora.db");
        let conn = migrations::open_at_version(&path, start).expect("old version");
        assert_eq!(migrations::user_version(&conn).expect("version"), start);
        if start >= 1 {
            // Data as version 1 wrote it.
            conn.execute_batch(
                "INSERT INTO pypi_project VALUES ('numpy', 'numpy', 1, 'x', '2026-01-01T00:00:00Z');
                 INSERT INTO pypi_file (project, filename, version, kind, url, upload_time)
                 VALUES ('numpy', 'numpy-2.1.0.tar.gz', '2.1.0', 'sdist', 'u', '2024-08-18T15:36:00Z');",
            )
            .expect("seed");
        }
        drop(conn);
        let store = Store::open(&path).expect("migrate");
        assert_eq!(
            store.schema_version().expect("version"),
            SCHEMA_VERSION,
            "from {start}"
        );
        if start >= 1 {
            let files = store.pypi_files("numpy").expect("files");
            assert_eq!(files.len(), 1, "from {start}");
            assert_eq!(files[0].version.as_deref(), Some("2.1.0"));
            assert_eq!(files[0].python_tag, None);
        }
    }
}

/// A raw connection to a fresh PostgreSQL schema, and its URL.
fn postgres_conn(label: &str) -> Option<(db::Conn, String)> {
    let url = scratch::postgres_url(label)?;
    let client = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    Some((db::Conn::Postgres(Box::new(db::PgConn::new(client))), url))
}

#[test]
fn every_edit_of_a_postgres_migration_applies() {
    for (version, from, _) in migrations::POSTGRES_EDITS {
        let sql = migrations::MIGRATIONS[(*version - 1) as usize];
        assert!(sql.contains(from), "migration {version} has no {from:?}");
    }
    let ddl = migrations::postgres_ddl(3, migrations::MIGRATIONS[2]);
    assert!(
        ddl.contains("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
        "{ddl}"
    );
    assert!(
        ddl.contains("full_name TEXT COLLATE agora_nocase NOT NULL UNIQUE"),
        "{ddl}"
    );
    assert!(ddl.contains("title TEXT COLLATE \"C\""), "{ddl}");
    assert!(!ddl.contains("--"), "{ddl}");
}

#[test]
fn every_earlier_postgres_version_migrates_and_keeps_its_data() {
    for start in 0..SCHEMA_VERSION {
        let Some((conn, url)) = postgres_conn("earlier_postgres_version") else {
            return;
        };
        migrations::migrate_postgres(&conn, "test", start).expect("old version");
        assert_eq!(migrations::postgres_version(&conn).expect("version"), start);
        if start >= 1 {
            conn.execute_batch(
                "INSERT INTO pypi_project VALUES ('numpy', 'numpy', 1, 'x', '2026-01-01T00:00:00Z');
                 INSERT INTO pypi_file (project, filename, version, kind, url, upload_time)
                 VALUES ('numpy', 'numpy-2.1.0.tar.gz', '2.1.0', 'sdist', 'u', '2024-08-18T15:36:00Z');",
            )
            .expect("seed");
        }
        drop(conn);
        let store = Store::open_postgres(&url).expect("migrate");
        assert_eq!(
            store.schema_version().expect("version"),
            SCHEMA_VERSION,
            "from {start}"
        );
        if start >= 1 {
            let files = store.pypi_files("numpy").expect("files");
            assert_eq!(files.len(), 1, "from {start}");
            assert_eq!(files[0].python_tag, None);
        }
    }
}

#[test]
fn replicas_migrating_a_new_postgres_database_at_once_all_succeed() {
    let Some(url) = scratch::postgres_url("replicas_migrating") else {
        return;
    };
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                Store::open_postgres(&url).map(|store| store.schema_version().ok())
            })
        })
        .collect();
    for opener in openers {
        match opener.join().expect("no panic") {
            Ok(version) => assert_eq!(version, Some(SCHEMA_VERSION)),
            Err(error) => panic!("{error}"),
        }
    }
}

#[test]
fn a_newer_postgres_database_is_refused_and_a_bad_url_named() {
    let Some((conn, url)) = postgres_conn("newer_postgres") else {
        return;
    };
    migrations::migrate_postgres(&conn, "test", SCHEMA_VERSION).expect("migrate");
    conn.execute(
        "UPDATE agora_schema SET version = ?1",
        [i64::from(SCHEMA_VERSION) + 1],
    )
    .expect("bump");
    let error = Store::open_postgres(&url).expect_err("too new");
    assert!(matches!(error, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1));
    let error = Store::open(std::path::Path::new(
        "postgres://agora:secret@127.0.0.1:1/none",
    ))
    .expect_err("nothing listens on port 1");
    let message = error.to_string();
    assert!(
        message.contains("postgres://agora:***@127.0.0.1:1/none"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
}

#[test]
fn newer_store_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("agora.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("bump");
    drop(conn);
    let error = Store::open(&path).expect_err("too new");
    assert!(matches!(error, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1));
    assert!(error.to_string().contains("newer than this agora knows"));
}

#[test]
fn a_file_that_is_not_sqlite_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("agora.db");
    std::fs::write(
        &path,
        b"this is not a database, just some text that is long enough",
    )
    .expect("write");
    let error = Store::open(&path).expect_err("not a db");
    assert!(error.to_string().contains("agora.db"), "{error}");
}

#[test]
fn saves_upsert_and_count_changes() {
    for mut store in crate::test_stores("saves_upsert_and_count_changes") {
        let project = sample_project("numpy");
        let files = vec![sample_file("a.whl", false), sample_file("b.whl", false)];
        let counts = store.save_pypi_project(&project, &files).expect("save");
        assert_eq!((counts.added, counts.updated), (2, 0));
        let counts = store
            .save_pypi_project(&project, &files)
            .expect("save again");
        assert_eq!((counts.added, counts.updated), (0, 0));
        // A yank is an update; a file gone from the page is kept.
        let counts = store
            .save_pypi_project(&project, &[sample_file("a.whl", true)])
            .expect("yank");
        assert_eq!((counts.added, counts.updated), (0, 1));
        let stored = store.pypi_files("numpy").expect("files");
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0], sample_file("a.whl", true));
        assert_eq!(store.pypi_project("numpy").expect("project"), Some(project));
        let later: jiff::Timestamp = "2026-11-25T00:00:00Z".parse().expect("timestamp");
        store.touch_pypi_project("numpy", later).expect("touch");
        assert_eq!(
            store
                .pypi_project("numpy")
                .expect("project")
                .map(|p| p.synced_at),
            Some(later)
        );
        assert_eq!(store.pypi_project("scipy").expect("none"), None);
    }
}

mod github {
    use crate::github::*;
    use jiff::Timestamp;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    fn issue(number: u64, title: &str, updated: &str) -> GhItem {
        let mut item = GhItem::new(number, ItemKind::Issue);
        item.title = Some(title.into());
        item.state = Some("open".into());
        item.labels = Some(vec!["bug".into()]);
        item.author = Some("alice".into());
        item.created_at = Some(at("2024-01-01T00:00:00Z"));
        item.updated_at = Some(at(updated));
        item
    }

    fn comment(number: u64, github_id: Option<i64>, body: Option<&str>) -> GhComment {
        GhComment {
            kind: CommentKind::Issue,
            github_id,
            number,
            author: Some("bob".into()),
            author_association: None,
            body: body.map(str::to_string),
            created_at: at("2024-01-02T00:00:00Z"),
            updated_at: None,
            review_id: None,
            path: None,
            in_reply_to: None,
            reactions: None,
            html_url: None,
        }
    }

    #[test]
    fn a_page_round_trips_and_bumps_the_change_counter() {
        for mut store in crate::test_stores("a_page_round_trips_and_bumps_the_change_counter") {
            assert_eq!(store.github_change_seq().expect("seq"), 0);
            let mut page = GithubPage::new(Source::Rest, at("2024-02-01T00:00:00Z"));
            let mut pr = GhItem::new(2, ItemKind::Pr);
            pr.merged = Some(true);
            pr.requested_reviewers = Some(vec![]);
            pr.reactions = Some([("+1".to_string(), 3)].into_iter().collect());
            page.items = vec![issue(1, "first", "2024-01-05T00:00:00Z"), pr.clone()];
            page.comments = vec![comment(1, Some(10), Some("hello"))];
            page.cursors = vec![SyncCursor {
                endpoint: "issues".into(),
                since: Some(at("2024-01-05T00:00:00Z")),
                etag: Some("\"abc\"".into()),
                etag_url: Some("https://x/issues".into()),
                checked_at: at("2024-02-01T00:00:00Z"),
            }];
            let counts = store.save_github_page("o/r", &page).expect("save");
            assert_eq!((counts.items_added, counts.comments), (2, 1));
            assert_eq!(store.github_change_seq().expect("seq"), 1);
            let items = store.github_items("o/r").expect("items");
            assert_eq!(items.len(), 2);
            assert_eq!(items[0].item, issue(1, "first", "2024-01-05T00:00:00Z"));
            assert_eq!(items[1].item, pr);
            assert_eq!(items[1].change_seq, 1);
            let threads = store.github_threads("O/R").expect("threads");
            assert_eq!(threads[0].comments.len(), 1);
            assert_eq!(
                threads[0].comments[0].comment.body.as_deref(),
                Some("hello")
            );
            let cursor = store.github_cursor("o/r", "issues").expect("cursor");
            assert_eq!(cursor.and_then(|c| c.etag).as_deref(), Some("\"abc\""));

            // Writing the same comment again updates it in place; the counter moves on.
            let mut again = GithubPage::new(Source::Rest, at("2024-02-02T00:00:00Z"));
            again.comments = vec![comment(1, Some(10), Some("edited"))];
            store.save_github_page("o/r", &again).expect("save");
            assert_eq!(store.github_comments("o/r").expect("comments").len(), 1);
            let changed = store.github_comments_changed_since(1).expect("changed");
            assert_eq!(changed.len(), 1);
            assert!(
                store
                    .github_items_changed_since(1)
                    .expect("items")
                    .is_empty()
            );
        }
    }

    #[test]
    fn an_import_keeps_known_values_and_never_overwrites_rest_rows() {
        for mut store in
            crate::test_stores("an_import_keeps_known_values_and_never_overwrites_rest_rows")
        {
            let mut first = GithubPage::new(Source::Devstats, at("2024-02-01T00:00:00Z"));
            let mut known = issue(1, "dump", "2024-01-05T00:00:00Z");
            known.body = None;
            first.items = vec![known];
            first.comments = vec![comment(1, None, None), comment(1, None, None)];
            store.save_github_page("o/r", &first).expect("save");
            assert_eq!(store.github_comments("o/r").expect("c").len(), 2);

            // A second dump without labels keeps the labels; its comments replace the first's.
            let mut second = GithubPage::new(Source::Devstats, at("2024-02-02T00:00:00Z"));
            let mut partial = GhItem::new(1, ItemKind::Issue);
            partial.title = Some("dump 2".into());
            second.items = vec![partial];
            second.comments = vec![comment(1, None, None)];
            store.save_github_page("o/r", &second).expect("save");
            let item = store.github_item("o/r", 1).expect("q").expect("item");
            assert_eq!(item.item.title.as_deref(), Some("dump 2"));
            assert_eq!(item.item.labels, Some(vec!["bug".to_string()]));
            assert_eq!(store.github_comments("o/r").expect("c").len(), 1);

            // The REST comment replaces its dump twin.
            let mut rest = GithubPage::new(Source::Rest, at("2024-02-03T00:00:00Z"));
            rest.items = vec![issue(1, "rest", "2024-01-06T00:00:00Z")];
            rest.comments = vec![comment(1, Some(7), Some("text"))];
            store.save_github_page("o/r", &rest).expect("save");
            let comments = store.github_comments("o/r").expect("c");
            assert_eq!(comments.len(), 1);
            assert_eq!(comments[0].source, Source::Rest);

            // A dump after the sync leaves the REST row alone.
            let counts = store.save_github_page("o/r", &second).expect("save");
            assert_eq!(counts.items_skipped, 1);
            let item = store.github_item("o/r", 1).expect("q").expect("item");
            assert_eq!(item.item.title.as_deref(), Some("rest"));
            assert_eq!(store.github_comments("o/r").expect("c").len(), 1);
        }
    }
}
