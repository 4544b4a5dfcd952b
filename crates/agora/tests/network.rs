//! The network commands against hostile servers (issue 15): credentials in `--index-url` never
//! printed or stored, a wheel URL answered with an HTML error page not cached, and
//! `agora cache prune`.

mod support;

use std::path::Path;

use agora_fake_server::{FakeServer, Reply, Routes};
use support::{agora, state_dir, stderr, stdout};

/// Every file under `dir`, recursively, as lossy text (names and contents).
fn tree_text(dir: &Path) -> String {
    let mut text = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return text;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        text.push_str(&path.display().to_string());
        text.push('\n');
        if path.is_dir() {
            text.push_str(&tree_text(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

#[test]
fn index_credentials_are_neither_printed_nor_stored() {
    let server = FakeServer::with_routes(
        Routes::new()
            .on("/simple/numpy/", Reply::text(500, "upstream exploded"))
            .on(
                "/simple/zarr/",
                Reply::new(200)
                    .header("content-type", "application/vnd.pypi.simple.v1+json")
                    .header("cache-control", "max-age=600")
                    .body(r#"{"meta": {"api-version": "1.1"}, "name": "zarr", "files": []}"#),
            ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let index = format!("http://deploy:hunter2-secret@{}/simple", server.addr());
    for format in ["text", "json"] {
        let output = agora(dir.path(), &index)
            .args(["pypi", "sync", "numpy", "zarr", "--format", format])
            .output()
            .expect("runs");
        let shown = format!("{}{}", stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(1), "{shown}");
        assert!(shown.contains("numpy"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("deploy"), "{shown}");
    }
    // The credentials were used...
    assert!(server.requests().iter().all(|r| {
        r.header("authorization")
            .is_some_and(|v| v.starts_with("Basic "))
    }));
    // ...and nothing in the state folder names them: not the cache, not the store.
    let stored = tree_text(&state_dir(dir.path()));
    assert!(
        stored.contains(".meta.json"),
        "the zarr page is cached: {stored}"
    );
    assert!(
        !stored.contains("hunter2") && !stored.contains("deploy"),
        "{stored}"
    );
}

#[test]
fn a_wheel_url_answered_with_an_html_page_is_not_cached() {
    let server = FakeServer::with_routes(
        Routes::new().on(
            "/files/pkg-1.0-py3-none-any.whl",
            Reply::html(200, "<html><body>Rate limited, please retry</body></html>")
                .header("cache-control", "max-age=31536000, immutable"),
        ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/files/pkg-1.0-py3-none-any.whl");
    for run in 1..=2 {
        let output = agora(dir.path(), &server.url("/simple"))
            .args(["wheel", "check", &url])
            .output()
            .expect("runs");
        assert_ne!(output.status.code(), Some(0), "run {run}");
        let err = stderr(&output) + &stdout(&output);
        assert!(err.contains("not a wheel"), "run {run}: {err}");
        assert_eq!(
            server.request_count(),
            run,
            "run {run} asked the server again"
        );
    }
}

#[test]
fn cache_prune_bounds_the_cache_by_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = state_dir(dir.path()).join("cache/http");
    std::fs::create_dir_all(&cache).expect("mkdir");
    for n in 0..4u8 {
        let key = format!("{n:064x}");
        std::fs::write(cache.join(format!("{key}.body")), vec![b'x'; 1000]).expect("write");
        std::fs::write(cache.join(format!("{key}.meta.json")), b"{}").expect("write");
    }
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["cache", "prune", "--max-size", "2.5K", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let report = &document["report"];
    assert_eq!(report["entries_before"], 4, "{document}");
    assert_eq!(report["removed_entries"], 2, "{document}");
    assert_eq!(report["entries_after"], 2, "{document}");
    assert_eq!(std::fs::read_dir(&cache).expect("dir").count(), 4);

    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["cache", "prune", "--max-size", "lots"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--max-size"),
        "{}",
        stderr(&output)
    );
}
