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
    let mut store = Store::open_in_memory().expect("store");
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
