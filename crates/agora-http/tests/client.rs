//! HttpClient against agora-fake-server: caching, revalidation, retries, errors, offline mode.
//!
//! Every test checks what the server saw (the request log), not only what the client returned,
//! and uses millisecond backoffs and short timeouts so the suite stays fast.

use std::path::Path;
use std::time::{Duration, Instant};

use agora_fake_server::{FakeServer, RecordedRequest, Reply, Routes};
use agora_http::{ClientOptions, HttpClient, HttpError, Origin, Request};

/// Options for tests: a cache in `dir`, 2 retries, 10 ms backoff, 2 s timeout.
fn options(dir: &Path) -> ClientOptions {
    ClientOptions {
        cache_dir: Some(dir.to_path_buf()),
        offline: false,
        retries: 2,
        backoff: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(5),
        timeout: Duration::from_secs(2),
        heuristic_max_age: None,
        ..ClientOptions::default()
    }
}

fn client(dir: &Path) -> HttpClient {
    HttpClient::new(options(dir)).expect("client")
}

fn offline_client(dir: &Path) -> HttpClient {
    HttpClient::new(ClientOptions {
        offline: true,
        ..options(dir)
    })
    .expect("client")
}

fn json_reply(body: &str) -> Reply {
    Reply::json_text(200, body)
}

/// Files in the cache directory that belong to entries (not temporary files).
fn cache_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn fresh_response_is_served_without_a_request() {
    let server = FakeServer::with_routes(Routes::new().on(
        "/a",
        json_reply(r#"{"v":1}"#).header("Cache-Control", "max-age=3600"),
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let req = Request::new(server.url("/a")).expect_json();

    let first = client.get(&req).expect("first");
    assert_eq!(first.origin, Origin::Network);
    assert_eq!(first.status, 200);
    assert_eq!(first.body, br#"{"v":1}"#);
    let second = client.get(&req).expect("second");
    assert_eq!(second.origin, Origin::Fresh);
    assert_eq!(second.body, first.body);
    assert_eq!(second.body_sha256, first.body_sha256);
    assert!(second.from_cache());

    assert_eq!(server.request_count(), 1, "the fresh hit sent no request");
    let seen = &server.requests()[0];
    assert_eq!(seen.header("user-agent"), Some(agora_http::USER_AGENT));
    assert!(agora_http::USER_AGENT.starts_with("agora/"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    let stats = client.stats();
    assert_eq!((stats.requests, stats.downloads, stats.fresh), (1, 1, 1));
    assert_eq!(stats.bytes, 7);
    assert_eq!(cache_files(dir.path()).len(), 2, "one body, one meta");
}

#[test]
fn stale_entry_is_revalidated_with_if_none_match() {
    let server = FakeServer::start(|req: &RecordedRequest| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::not_modified().header("Cache-Control", "max-age=3600")
        } else {
            json_reply(r#"{"v":1}"#)
                .header("ETag", "\"v1\"")
                .header("Cache-Control", "no-cache")
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let req = Request::new(server.url("/p")).expect_json();

    let first = client.get(&req).expect("first");
    assert_eq!(first.origin, Origin::Network);
    let second = client.get(&req).expect("second");
    assert_eq!(second.origin, Origin::Revalidated);
    assert_eq!(second.body, br#"{"v":1}"#);
    assert_eq!(second.body_sha256, first.body_sha256);
    assert_eq!(second.header("etag"), Some("\"v1\""));
    // The 304's max-age refreshed the entry: the third get sends nothing.
    let third = client.get(&req).expect("third");
    assert_eq!(third.origin, Origin::Fresh);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("if-none-match"), None);
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v1\""));
    let stats = client.stats();
    assert_eq!(
        (
            stats.requests,
            stats.downloads,
            stats.revalidated,
            stats.fresh
        ),
        (2, 1, 1, 1)
    );
}

#[test]
fn stale_entry_is_revalidated_with_if_modified_since() {
    const DATE: &str = "Wed, 10 Jan 2024 10:34:45 GMT";
    let server = FakeServer::start(|req: &RecordedRequest| {
        if req.header("if-modified-since") == Some(DATE) {
            Reply::not_modified()
        } else {
            Reply::text(200, "hello").header("Last-Modified", DATE)
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let req = Request::new(server.url("/lm"));

    assert_eq!(client.get(&req).expect("first").origin, Origin::Network);
    let second = client.get(&req).expect("second");
    assert_eq!(second.origin, Origin::Revalidated);
    assert_eq!(second.text(), "hello");
    assert_eq!(
        second.header("content-type"),
        Some("text/plain; charset=utf-8")
    );

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].header("if-modified-since"), Some(DATE));
    assert_eq!(reqs[1].header("if-none-match"), None);
}

#[test]
fn changed_resource_is_downloaded_again() {
    let server = FakeServer::with_routes(Routes::new().on_seq(
        "/c",
        [
            Reply::text(200, "one").header("ETag", "\"1\""),
            Reply::text(200, "two").header("ETag", "\"2\""),
        ],
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let req = Request::new(server.url("/c"));
    let first = client.get(&req).expect("first");
    let second = client.get(&req).expect("second");
    assert_eq!(second.origin, Origin::Network);
    assert_eq!(second.text(), "two");
    assert_ne!(second.body_sha256, first.body_sha256);
    // The new body and ETag replaced the old entry.
    let third = Request::new(server.url("/c"));
    client.get(&third).expect("third");
    assert_eq!(server.requests()[2].header("if-none-match"), Some("\"2\""));
}

#[test]
fn server_error_then_success_is_retried() {
    let server = FakeServer::with_routes(
        Routes::new().on_seq("/r", [Reply::text(500, "boom"), json_reply("[1]")]),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let resp = client
        .get(&Request::new(server.url("/r")).expect_json())
        .expect("retried");
    assert_eq!(resp.origin, Origin::Network);
    assert_eq!(resp.json::<Vec<u32>>().expect("json"), vec![1]);
    assert_eq!(server.request_count(), 2);
    let stats = client.stats();
    assert_eq!((stats.requests, stats.retries, stats.downloads), (2, 1, 1));
}

#[test]
fn persistent_server_error_fails_after_retries() {
    let server = FakeServer::start(|_| Reply::text(502, "upstream is down"));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = server.url("/down");
    let err = client.get(&Request::new(&url)).expect_err("fails");
    assert!(
        matches!(
            err,
            HttpError::Server {
                status: 502,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&url) && msg.contains("upstream is down"),
        "{msg}"
    );
    assert_eq!(server.request_count(), 3, "1 request + 2 retries");
    assert_eq!(client.stats().retries, 2);
    assert!(cache_files(dir.path()).is_empty());
}

#[test]
fn retry_after_is_honoured() {
    let server = FakeServer::with_routes(Routes::new().on_seq(
        "/busy",
        [
            Reply::text(503, "busy").header("Retry-After", "1"),
            Reply::text(200, "ok"),
        ],
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let start = Instant::now();
    let resp = client.get(&Request::new(server.url("/busy"))).expect("ok");
    assert_eq!(resp.text(), "ok");
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "waited only {:?}, not the 1 s asked for",
        start.elapsed()
    );
    assert_eq!(server.request_count(), 2);
    assert_eq!(client.stats().retries, 1);
}

#[test]
fn retry_after_beyond_the_cap_fails_and_says_when() {
    let server = FakeServer::start(|_| Reply::text(429, "slow down").header("Retry-After", "3600"));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = server.url("/limited");
    let start = Instant::now();
    let err = client.get(&Request::new(&url)).expect_err("rate limited");
    assert!(start.elapsed() < Duration::from_secs(2), "did not wait");
    match &err {
        HttpError::RateLimited {
            status,
            wait,
            max_wait,
            ..
        } => {
            assert_eq!(*status, 429);
            assert_eq!(*wait, Duration::from_secs(3600));
            assert_eq!(*max_wait, Duration::from_secs(5));
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains(&url) && msg.contains("try again after"),
        "{msg}"
    );
    assert_eq!(server.request_count(), 1);
    assert_eq!(client.stats().retries, 0);
}

#[test]
fn github_rate_limit_reset_beyond_the_cap_fails() {
    let server = FakeServer::start(|_| {
        Reply::json_text(403, r#"{"message":"API rate limit exceeded"}"#)
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", "99999999999")
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let err = client(dir.path())
        .get(&Request::new(server.url("/repos/o/r/issues")))
        .expect_err("rate limited");
    assert!(
        matches!(err, HttpError::RateLimited { status: 403, .. }),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn not_found_is_a_clear_client_error_without_retries() {
    let server = FakeServer::start(|_| Reply::text(404, "Not Found: no such project"));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = server.url("/simple/nope/");
    let err = client.get(&Request::new(&url)).expect_err("404");
    assert!(
        matches!(err, HttpError::Client { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.url(), Some(url.as_str()));
    let msg = err.to_string();
    assert!(msg.starts_with("got HTTP 404 Not Found from "), "{msg}");
    assert!(
        msg.contains(&url) && msg.contains("no such project"),
        "{msg}"
    );
    assert_eq!(server.request_count(), 1);
    assert!(cache_files(dir.path()).is_empty());
}

#[test]
fn html_instead_of_json_is_not_json_and_not_cached() {
    let server = FakeServer::start(|_| Reply::html(200, "<!DOCTYPE html><html>index</html>"));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = server.url("/simple/numpy/");
    let req = Request::new(&url)
        .accept("application/vnd.pypi.simple.v1+json")
        .expect_json();
    let err = client.get(&req).expect_err("not json");
    match &err {
        HttpError::NotJson { content_type, .. } => {
            assert_eq!(content_type, "text/html; charset=utf-8");
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains(&url) && msg.contains("text/html") && msg.contains("<!DOCTYPE"),
        "{msg}"
    );
    assert_eq!(
        server.requests()[0].header("accept"),
        Some("application/vnd.pypi.simple.v1+json")
    );
    assert_eq!(
        server.request_count(),
        1,
        "a wrong content type is not retried"
    );
    assert!(cache_files(dir.path()).is_empty());
}

#[test]
fn pep691_json_content_type_counts_as_json() {
    let server = FakeServer::start(|_| {
        Reply::new(200)
            .header("Content-Type", "application/vnd.pypi.simple.v1+json")
            .body(r#"{"meta":{"api-version":"1.1"},"name":"numpy","files":[]}"#)
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let resp = client(dir.path())
        .get(
            &Request::new(server.url("/simple/numpy/"))
                .accept("application/vnd.pypi.simple.v1+json")
                .expect_json(),
        )
        .expect("json");
    let page: serde_json::Value = resp.json().expect("parses");
    assert_eq!(page["name"], "numpy");
}

#[test]
fn json_content_type_with_broken_body_is_a_json_error() {
    let server = FakeServer::start(|_| json_reply("{\n  \"a\": [1, 2,\n"));
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/broken");
    let err = client(dir.path())
        .get(&Request::new(&url).expect_json())
        .expect_err("broken json");
    match &err {
        HttpError::Json { line, .. } => assert_eq!(*line, 3),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(&url));
    assert!(cache_files(dir.path()).is_empty());
}

#[test]
fn response_json_error_names_url_and_position() {
    let server = FakeServer::start(|_| json_reply(r#"{"a": "not a number"}"#));
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/shape");
    let resp = client(dir.path()).get(&Request::new(&url)).expect("ok");
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Shape {
        a: u32,
    }
    let err = resp.json::<Shape>().expect_err("wrong shape");
    assert!(matches!(err, HttpError::Json { line: 1, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(&url) && msg.contains("line 1, column"),
        "{msg}"
    );
}

#[test]
fn truncated_body_fails_after_retries_and_is_not_cached() {
    let server = FakeServer::start(|_| Reply::truncated(200, "0123456789", 4));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = server.url("/t");
    let err = client.get(&Request::new(&url)).expect_err("truncated");
    match &err {
        HttpError::Truncated {
            expected,
            received,
            attempts,
            ..
        } => {
            assert_eq!(*expected, 10);
            assert!(*received < 10, "received {received}");
            assert_eq!(*attempts, 3);
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(&url) && msg.contains("10 bytes"), "{msg}");
    assert_eq!(server.request_count(), 3);
    assert_eq!(client.stats().downloads, 0);
    assert!(cache_files(dir.path()).is_empty(), "nothing cached");
    assert!(matches!(
        offline_client(dir.path()).get(&Request::new(&url)),
        Err(HttpError::OfflineMiss { .. })
    ));
}

#[test]
fn truncated_then_complete_succeeds() {
    let server = FakeServer::with_routes(Routes::new().on_seq(
        "/t",
        [
            Reply::truncated(200, "0123456789", 3),
            Reply::text(200, "0123456789"),
        ],
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let resp = client.get(&Request::new(server.url("/t"))).expect("ok");
    assert_eq!(resp.text(), "0123456789");
    assert_eq!(client.stats().retries, 1);
}

#[test]
fn dropped_connection_then_success() {
    let server = FakeServer::with_routes(
        Routes::new().on_seq("/d", [Reply::drop_connection(), Reply::text(200, "back")]),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let resp = client.get(&Request::new(server.url("/d"))).expect("ok");
    assert_eq!(resp.text(), "back");
    assert_eq!(resp.origin, Origin::Network);
    assert_eq!(server.request_count(), 2);
    let stats = client.stats();
    assert_eq!((stats.requests, stats.retries, stats.downloads), (2, 1, 1));
}

#[test]
fn always_dropped_connection_is_a_transport_error() {
    let server = FakeServer::start(|_| Reply::drop_connection());
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/gone");
    let err = client(dir.path())
        .get(&Request::new(&url))
        .expect_err("dropped");
    assert!(
        matches!(err, HttpError::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("cannot fetch {url} (3 attempts): ")),
        "{msg}"
    );
    assert_eq!(server.request_count(), 3);
}

#[test]
fn refused_connection_is_a_transport_error() {
    // Bind and release a port so nothing listens on it.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port");
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = format!("http://{addr}/x");
    let err = client.get(&Request::new(&url)).expect_err("refused");
    assert!(matches!(err, HttpError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains(&url));
    assert_eq!(client.stats().requests, 3);
}

#[test]
fn timeout_is_retried_then_reported() {
    let server = FakeServer::with_routes(
        Routes::new()
            .on(
                "/slow",
                Reply::text(200, "late").delay(Duration::from_secs(3)),
            )
            .on_seq(
                "/once",
                [
                    Reply::text(200, "late").delay(Duration::from_secs(3)),
                    Reply::text(200, "on time"),
                ],
            ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let client = HttpClient::new(ClientOptions {
        timeout: Duration::from_millis(200),
        retries: 1,
        // Per-request retries only: giving up on the host is tested in hardening.rs.
        max_host_timeouts: 0,
        ..options(dir.path())
    })
    .expect("client");

    let start = Instant::now();
    let url = server.url("/slow");
    let err = client.get(&Request::new(&url)).expect_err("timeout");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    match &err {
        HttpError::Timeout {
            timeout, attempts, ..
        } => {
            assert_eq!(*timeout, Duration::from_millis(200));
            assert_eq!(*attempts, 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(&url));
    assert_eq!(server.requests_to("/slow").len(), 2);

    let resp = client
        .get(&Request::new(server.url("/once")))
        .expect("second try");
    assert_eq!(resp.text(), "on time");
    assert_eq!(server.requests_to("/once").len(), 2);
}

#[test]
fn offline_serves_stale_entries_and_never_connects() {
    let server =
        FakeServer::start(|_| json_reply(r#"{"cached":true}"#).header("Cache-Control", "no-cache"));
    let dir = tempfile::tempdir().expect("tempdir");
    let req = Request::new(server.url("/o")).expect_json();
    client(dir.path()).get(&req).expect("online");
    assert_eq!(server.request_count(), 1);

    let offline = offline_client(dir.path());
    let resp = offline.get(&req).expect("offline hit");
    assert_eq!(resp.origin, Origin::Offline);
    assert_eq!(resp.body, br#"{"cached":true}"#);
    assert_eq!(server.request_count(), 1, "offline sent nothing");
    assert_eq!(offline.stats().offline, 1);
    assert_eq!(offline.stats().requests, 0);
}

#[test]
fn offline_miss_says_it_is_not_cached() {
    let server = FakeServer::start(|_| Reply::text(200, "never asked"));
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/missing");
    let err = offline_client(dir.path())
        .get(&Request::new(&url))
        .expect_err("miss");
    assert!(
        matches!(&err, HttpError::OfflineMiss { url: u } if *u == url),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&url) && msg.contains("not in the cache") && msg.contains("without --offline"),
        "{msg}"
    );
    assert_eq!(server.request_count(), 0);

    // Without a cache directory at all, offline mode misses too.
    let no_cache = HttpClient::new(ClientOptions {
        offline: true,
        ..ClientOptions::default()
    })
    .expect("client");
    assert!(matches!(
        no_cache.get(&Request::new(&url)),
        Err(HttpError::OfflineMiss { .. })
    ));
}

#[test]
fn entry_for_another_accept_is_not_used() {
    let server = FakeServer::start(|req: &RecordedRequest| {
        if req.header("accept") == Some("text/html") {
            Reply::html(200, "<html></html>").header("Cache-Control", "max-age=3600")
        } else {
            json_reply("{}").header("Cache-Control", "max-age=3600")
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let url = server.url("/neg");
    client
        .get(&Request::new(&url).accept("text/html"))
        .expect("html");
    let json = client.get(&Request::new(&url).expect_json()).expect("json");
    assert_eq!(json.origin, Origin::Network);
    assert_eq!(json.body, b"{}");
    assert_eq!(server.request_count(), 2);
}

#[test]
fn corrupt_cache_entry_is_treated_as_missing() {
    let server = FakeServer::start(|req: &RecordedRequest| {
        if req.header("if-none-match").is_some() {
            Reply::not_modified()
        } else {
            Reply::text(200, "original").header("ETag", "\"e\"")
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let req = Request::new(server.url("/x"));
    client.get(&req).expect("first");

    // Damage the body: same length, other bytes.
    for name in cache_files(dir.path()) {
        if name.ends_with(".body") {
            std::fs::write(dir.path().join(&name), "ORIGINAL").expect("corrupt");
        }
    }
    let resp = client.get(&req).expect("refetched");
    assert_eq!(resp.origin, Origin::Network);
    assert_eq!(resp.text(), "original");
    assert_eq!(
        server.requests()[1].header("if-none-match"),
        None,
        "no validator from a bad entry"
    );

    // Damage the meta: not JSON.
    for name in cache_files(dir.path()) {
        if name.ends_with(".meta.json") {
            std::fs::write(dir.path().join(&name), "{\"format\": 1, trunc").expect("corrupt");
        }
    }
    let resp = client.get(&req).expect("refetched again");
    assert_eq!(resp.origin, Origin::Network);
    assert_eq!(server.requests()[2].header("if-none-match"), None);

    // The rewritten entry is whole again: the next get revalidates it.
    assert_eq!(
        client.get(&req).expect("revalidated").origin,
        Origin::Revalidated
    );
    assert_eq!(server.request_count(), 4);
}

#[test]
fn no_store_responses_are_not_cached() {
    let server =
        FakeServer::start(|_| Reply::text(200, "secret").header("Cache-Control", "no-store"));
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    client.get(&Request::new(server.url("/s"))).expect("ok");
    assert!(cache_files(dir.path()).is_empty());
}

#[test]
fn works_without_a_cache_dir() {
    let server =
        FakeServer::start(|_| Reply::text(200, "x").header("Cache-Control", "max-age=3600"));
    let client = HttpClient::new(ClientOptions {
        cache_dir: None,
        ..ClientOptions::default()
    })
    .expect("client");
    let req = Request::new(server.url("/n"));
    client.get(&req).expect("one");
    assert_eq!(client.get(&req).expect("two").origin, Origin::Network);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn concurrent_gets_from_threads() {
    let server = FakeServer::start(|req: &RecordedRequest| {
        Reply::json_text(200, format!("{{\"path\":\"{}\"}}", req.path))
            .header("Cache-Control", "max-age=3600")
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let client = client(dir.path());
    let urls: Vec<String> = (0..8).map(|i| server.url(&format!("/c/{i}"))).collect();

    for round in 0..2 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = urls
                .iter()
                .enumerate()
                .map(|(i, url)| {
                    let client = &client;
                    scope.spawn(move || {
                        let resp = client.get(&Request::new(url).expect_json()).expect("get");
                        let value: serde_json::Value = resp.json().expect("json");
                        assert_eq!(value["path"], format!("/c/{i}"));
                        resp.origin
                    })
                })
                .collect();
            for handle in handles {
                let origin = handle.join().expect("thread");
                let want = if round == 0 {
                    Origin::Network
                } else {
                    Origin::Fresh
                };
                assert_eq!(origin, want);
            }
        });
    }
    assert_eq!(server.request_count(), 8);
    let stats = client.stats();
    assert_eq!((stats.requests, stats.downloads, stats.fresh), (8, 8, 8));
    assert_eq!(cache_files(dir.path()).len(), 16, "no temporary files left");
}

#[test]
fn extra_headers_are_sent() {
    let server = FakeServer::start(|_| Reply::text(200, "ok"));
    let dir = tempfile::tempdir().expect("tempdir");
    client(dir.path())
        .get(&Request::new(server.url("/h")).header("Authorization", "Bearer t0ken"))
        .expect("ok");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer t0ken")
    );
}

#[test]
fn responses_silent_about_caching_get_the_heuristic_lifetime() {
    // Like this workplace's PyPI proxy: no Cache-Control, no ETag, no Last-Modified.
    let server = FakeServer::start(|_| Reply::json(200, &serde_json::json!({"a": 1})));
    let dir = tempfile::tempdir().expect("tempdir");
    let request = Request::new(server.url("/silent")).expect_json();

    let plain = client(dir.path());
    assert_eq!(plain.get(&request).expect("first").origin, Origin::Network);
    assert_eq!(plain.get(&request).expect("second").origin, Origin::Network);
    assert_eq!(
        server.request_count(),
        2,
        "without a heuristic every get downloads"
    );

    let heuristic = HttpClient::new(ClientOptions {
        heuristic_max_age: Some(Duration::from_secs(600)),
        ..options(dir.path())
    })
    .expect("client");
    assert_eq!(
        heuristic.get(&request).expect("third").origin,
        Origin::Fresh
    );
    assert_eq!(server.request_count(), 2, "a fresh entry costs no request");
    assert_eq!(heuristic.stats().fresh, 1);
}

#[test]
fn a_304_to_the_callers_own_etag_is_reported_without_a_cache() {
    let server = FakeServer::start(|req: &RecordedRequest| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Reply::not_modified().header("etag", "\"v1\"")
        } else {
            json_reply("[1]").header("etag", "\"v1\"")
        }
    });
    let client = HttpClient::new(ClientOptions {
        cache_dir: None,
        ..options(Path::new("unused"))
    })
    .expect("client");
    let url = server.url("/items");
    let first = client
        .get(&Request::new(url.clone()).expect_json())
        .expect("first");
    assert_eq!((first.status, first.origin), (200, Origin::Network));
    let second = client
        .get(
            &Request::new(url.clone())
                .expect_json()
                .header("If-None-Match", "\"v1\""),
        )
        .expect("second");
    assert_eq!((second.status, second.origin), (304, Origin::NotModified));
    assert!(second.body.is_empty());
    assert_eq!(second.header("etag"), Some("\"v1\""));
    // Without validators of its own, a 304 is still an error.
    let server = FakeServer::start(|_: &RecordedRequest| Reply::not_modified());
    let err = client
        .get(&Request::new(server.url("/x")))
        .expect_err("unexpected 304");
    assert!(
        matches!(err, HttpError::UnexpectedStatus { status: 304, .. }),
        "{err}"
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_github_secondary_limit_403_with_retry_after_is_waited_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let routes = Routes::new().on_seq(
        "/limited",
        [
            Reply::json_text(403, "{\"message\": \"secondary rate limit\"}")
                .header("x-ratelimit-remaining", "4000")
                .header("retry-after", "0"),
            json_reply("[]"),
        ],
    );
    let server = FakeServer::with_routes(routes);
    let response = client(dir.path())
        .get(&Request::new(server.url("/limited")).expect_json())
        .expect("retried");
    assert_eq!(response.status, 200);
    assert_eq!(server.request_count(), 2);
}
