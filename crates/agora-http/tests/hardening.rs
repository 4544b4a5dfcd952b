//! The client against hostile or broken servers (issue 15): credentials in URLs never shown or
//! stored, redirects that would carry credentials elsewhere, trickling and dead servers, bodies
//! and gzip bombs larger than the cap, downloads that fail validation, and cache pruning.
//!
//! Caps and timeouts are configured small so every test runs in well under a second or two.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use agora_fake_server::{FakeServer, Reply, Routes};
use agora_http::{ClientOptions, HttpClient, HttpError, Origin, PruneLimits, Request, prune_cache};

fn options(dir: &Path) -> ClientOptions {
    ClientOptions {
        cache_dir: Some(dir.to_path_buf()),
        retries: 2,
        backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(1),
        timeout: Duration::from_secs(2),
        ..ClientOptions::default()
    }
}

/// Every byte of every file under `dir`, as lossy text.
fn all_files_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        text.push_str(&entry.file_name().to_string_lossy());
        text.push('\n');
        if let Ok(bytes) = std::fs::read(entry.path()) {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

/// Runs `work` on a thread and gives up (failing the test) if it has not returned after
/// `limit`: the behaviours tested here used to run for hours or for ever.
fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("still running after {limit:?}: unbounded wait or loop"))
}

#[test]
fn credentials_in_the_url_are_used_but_never_shown_or_cached() {
    let server = FakeServer::with_routes(
        Routes::new()
            .on("/simple/broken/", Reply::text(500, "internal error"))
            .on(
                "/simple/fine/",
                Reply::json_text(200, r#"{"files": []}"#).header("cache-control", "max-age=60"),
            ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(options(dir.path())).expect("client");
    let with_creds = |path: &str| format!("http://alice:s3cret-pass@{}{path}", server.addr());

    let error = client
        .get(&Request::new(with_creds("/simple/broken/")))
        .expect_err("500 every time");
    let message = error.to_string();
    assert!(!message.contains("s3cret"), "{message}");
    assert!(!message.contains("alice"), "{message}");
    assert!(message.contains("****@127.0.0.1"), "{message}");
    assert!(!format!("{error:?}").contains("s3cret"));

    let fine = client
        .get(&Request::new(with_creds("/simple/fine/")).expect_json())
        .expect("fine");
    assert!(!fine.url.contains("s3cret"), "{}", fine.url);
    // The credentials were sent, as Basic auth.
    let seen = server.requests_to("/simple/fine/");
    assert!(
        seen[0]
            .header("authorization")
            .is_some_and(|v| v.starts_with("Basic ")),
        "{seen:?}"
    );
    // Nothing on disk names them, and the cached entry still answers.
    let stored = all_files_text(dir.path());
    assert!(stored.contains("****@127.0.0.1"), "{stored}");
    assert!(
        !stored.contains("s3cret") && !stored.contains("alice"),
        "{stored}"
    );
    let again = client
        .get(&Request::new(with_creds("/simple/fine/")).expect_json())
        .expect("again");
    assert_eq!(again.origin, Origin::Fresh);
}

#[test]
fn cross_origin_redirects_are_refused_when_credentials_must_stay_home() {
    let elsewhere =
        FakeServer::with_routes(Routes::new().on("/stolen", Reply::json_text(200, "{}")));
    let home = FakeServer::with_routes(Routes::new().on(
        "/api",
        Reply::new(302).header("location", elsewhere.url("/stolen")),
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(ClientOptions {
        cross_origin_redirects: false,
        ..options(dir.path())
    })
    .expect("client");
    let error = client
        .get(&Request::new(home.url("/api")).header("Authorization", "Bearer t0ken"))
        .expect_err("refused");
    assert!(error.to_string().contains("another origin"), "{error}");
    assert_eq!(
        elsewhere.request_count(),
        0,
        "nothing reached the other origin"
    );

    // Allowed by default, but without the Authorization header.
    let client = HttpClient::new(options(dir.path())).expect("client");
    client
        .get(&Request::new(home.url("/api")).header("Authorization", "Bearer t0ken"))
        .expect("followed");
    let seen = elsewhere.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("authorization"), None);
}

#[test]
fn a_trickling_body_is_cut_at_the_deadline_and_named() {
    // 100 bytes at one per 50 ms would take 5 s; the deadline is 300 ms.
    let server = FakeServer::with_routes(Routes::new().on(
        "/slow",
        Reply::text(200, "x".repeat(100)).trickle(Duration::from_millis(50)),
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(ClientOptions {
        retries: 0,
        timeout: Duration::from_millis(300),
        ..options(dir.path())
    })
    .expect("client");
    let url = server.url("/slow");
    let result = within(Duration::from_secs(60), move || {
        client.get(&Request::new(url)).map(|r| r.body.len())
    });
    match result {
        Err(HttpError::Timeout { url, .. }) => assert!(url.ends_with("/slow"), "{url}"),
        other => panic!("expected a timeout naming the URL, got {other:?}"),
    }
}

#[test]
fn a_dead_host_costs_its_timeouts_once_not_per_url() {
    let server = FakeServer::with_routes(
        Routes::new().fallback(Reply::text(200, "late").delay(Duration::from_secs(30))),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(ClientOptions {
        retries: 3,
        timeout: Duration::from_millis(200),
        max_host_timeouts: 2,
        ..options(dir.path())
    })
    .expect("client");
    let mut errors = Vec::new();
    for n in 0..6 {
        errors.push(
            client
                .get(&Request::new(server.url(&format!("/p{n}"))))
                .expect_err("dead"),
        );
    }
    // Two timeouts in a row on the host, then nothing more is sent to it.
    assert_eq!(server.request_count(), 2, "{errors:?}");
    assert!(
        matches!(&errors[0], HttpError::Timeout { url, attempts: 2, .. } if url.ends_with("/p0")),
        "{:?}",
        errors[0]
    );
    for (n, error) in errors.iter().enumerate().skip(1) {
        let message = error.to_string();
        assert!(
            matches!(error, HttpError::HostUnresponsive { .. }),
            "{error:?}"
        );
        assert!(
            message.contains(&format!("/p{n}")) && message.contains("127.0.0.1"),
            "{message}"
        );
    }
}

#[test]
fn a_body_over_the_cap_is_refused_and_not_cached() {
    let big = "y".repeat(300_000);
    let server = FakeServer::with_routes(Routes::new().on("/big", Reply::text(200, big)));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(options(dir.path())).expect("client");
    let error = client
        .get(&Request::new(server.url("/big")).max_body(100_000))
        .expect_err("too large");
    match &error {
        HttpError::TooLarge {
            url,
            limit,
            declared,
        } => {
            assert!(url.ends_with("/big"));
            assert_eq!((*limit, *declared), (100_000, Some(300_000)));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("limit"), "{error}");
    assert_eq!(server.requests_to("/big").len(), 1, "not retried");
    // The client-wide default applies when the request sets none.
    let client = HttpClient::new(ClientOptions {
        max_body: 1000,
        ..options(dir.path())
    })
    .expect("client");
    assert!(matches!(
        client.get(&Request::new(server.url("/big"))),
        Err(HttpError::TooLarge { limit: 1000, .. })
    ));
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "nothing cached"
    );
}

#[test]
fn a_gzip_bomb_is_stopped_at_the_decompressed_cap() {
    // 8 MiB of zeros compress to a few kilobytes.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; 8 << 20]).expect("compress");
    let bomb = encoder.finish().expect("gzip");
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    let server = FakeServer::with_routes(
        Routes::new().on(
            "/simple/bomb/",
            Reply::new(200)
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .body(bomb),
        ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(options(dir.path())).expect("client");
    let error = client
        .get(&Request::new(server.url("/simple/bomb/")).max_body(1 << 20))
        .expect_err("bomb");
    assert!(
        matches!(error, HttpError::TooLarge { limit, .. } if limit == 1 << 20),
        "{error:?}"
    );
    assert_eq!(client.stats().bytes, 0);
}

#[test]
fn a_download_that_fails_validation_is_never_cached() {
    let server = FakeServer::with_routes(
        Routes::new().on_seq(
            "/pkg-1.0-py3-none-any.whl",
            [
                Reply::html(200, "<html>Service unavailable, try later</html>")
                    .header("cache-control", "max-age=3600"),
                Reply::new(200)
                    .header("content-type", "application/octet-stream")
                    .header("cache-control", "max-age=3600")
                    .body(b"PK\x03\x04 a wheel".to_vec()),
            ],
        ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(options(dir.path())).expect("client");
    let request = Request::new(server.url("/pkg-1.0-py3-none-any.whl")).commit_after_validation();
    let is_zip = |body: &[u8]| body.starts_with(b"PK\x03\x04");

    let first = client.get(&request).expect("first");
    assert!(!is_zip(&first.body));
    // Not committed: the next request goes to the server and gets the real file.
    let second = client.get(&request).expect("second");
    assert_eq!(second.origin, Origin::Network);
    assert!(is_zip(&second.body));
    client.commit(&request, &second).expect("commit");
    let third = client.get(&request).expect("third");
    assert_eq!(third.origin, Origin::Fresh);
    assert_eq!(server.request_count(), 2);

    // An entry that turns out bad later is evicted, and fetched anew.
    assert!(client.evict(&request.url).expect("evict"));
    assert!(!client.evict(&request.url).expect("evict again"));
    assert_eq!(
        client.get(&request).expect("fourth").origin,
        Origin::Network
    );
}

/// Writes a cache entry of `size` body bytes for key `n`, last used `days_ago`.
fn entry(dir: &Path, n: u8, size: usize, days_ago: u64) {
    let key = format!("{n:064x}");
    let when = SystemTime::now() - Duration::from_secs(days_ago * 24 * 3600);
    for (name, bytes) in [
        (format!("{key}.body"), vec![b'b'; size]),
        (format!("{key}.meta.json"), b"{}".to_vec()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        let file = std::fs::File::options()
            .append(true)
            .open(&path)
            .expect("open");
        file.set_modified(when).expect("mtime");
    }
}

#[test]
fn pruning_drops_old_entries_then_the_least_recently_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path();
    entry(cache, 1, 1000, 1);
    entry(cache, 2, 1000, 5);
    entry(cache, 3, 1000, 10);
    entry(cache, 4, 1000, 200);
    // An orphan body, a stale temporary file and someone else's file.
    std::fs::write(cache.join(format!("{:064x}.body", 9)), b"orphan").expect("write");
    std::fs::write(cache.join(".x.body.1-1.tmp"), b"tmp").expect("write");
    let tmp = std::fs::File::options()
        .append(true)
        .open(cache.join(".x.body.1-1.tmp"))
        .expect("open");
    tmp.set_modified(SystemTime::now() - Duration::from_secs(7200))
        .expect("mtime");
    std::fs::write(cache.join("README"), b"keep me").expect("write");

    let limits = PruneLimits {
        max_size: Some(2100),
        max_age: Some(Duration::from_secs(90 * 24 * 3600)),
    };
    let report = prune_cache(cache, &limits, SystemTime::now()).expect("prune");
    assert_eq!(report.entries_before, 4);
    assert_eq!(report.removed_entries, 2, "{report:?}");
    assert_eq!(report.entries_after, 2);
    assert_eq!(report.bytes_after, 2 * 1002);
    let mut left: Vec<String> = std::fs::read_dir(cache)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let key = |n: u8| format!("{n:064x}");
    assert_eq!(
        left,
        [
            format!("{}.body", key(1)),
            format!("{}.meta.json", key(1)),
            format!("{}.body", key(2)),
            format!("{}.meta.json", key(2)),
            "README".to_string(),
        ]
    );
    // A missing cache is an empty one.
    let none = prune_cache(&cache.join("absent"), &limits, SystemTime::now()).expect("prune");
    assert_eq!(none.entries_before, 0);
}

#[test]
fn a_cache_hit_counts_as_use_for_pruning() {
    let server = FakeServer::with_routes(Routes::new().on(
        "/a",
        Reply::json_text(200, "{}").header("cache-control", "max-age=3600"),
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(options(dir.path())).expect("client");
    client.get(&Request::new(server.url("/a"))).expect("first");
    // Age the entry's files by 100 days, then use it.
    let old = SystemTime::now() - Duration::from_secs(100 * 24 * 3600);
    for entry in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        let file = std::fs::File::options()
            .append(true)
            .open(entry.path())
            .expect("open");
        file.set_modified(old).expect("mtime");
    }
    let hit = client.get(&Request::new(server.url("/a"))).expect("hit");
    assert_eq!(hit.origin, Origin::Fresh);
    let report =
        prune_cache(dir.path(), &PruneLimits::AUTOMATIC, SystemTime::now()).expect("prune");
    assert_eq!(
        (report.removed_entries, report.entries_after),
        (0, 1),
        "{report:?}"
    );
}
