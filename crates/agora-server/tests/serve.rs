//! `agora serve` over real HTTP on 127.0.0.1: uploads with tokens and idempotency keys, the
//! tarball checks, the limits, webhooks, the read API, the static site; and kedro's real
//! results (`$AGORA_CORPUS/asv/kedro`) uploaded in three batches.
//!
//! Every test runs twice: over a SQLite file, and over a fresh schema of the PostgreSQL server
//! of `AGORA_TEST_POSTGRES` (skipped with a note without one, a failure under `CI=true`).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use agora_config::{Ecosystem, ServeSettings};
use agora_server::client::{self, UploadRequest};
use agora_server::tokens::{self, Action};
use agora_server::{Running, ServerConfig};
use agora_store::Store;
use jiff::Timestamp;
use reqwest::blocking::Client;
use serde_json::{Value, json};

/// The made-up asv project ([`agora_corpus::asv_demo`]) with results of its first `count`
/// commits, in a history of 30.
fn make_project(root: &Path, count: usize) -> PathBuf {
    agora_corpus::asv_demo::make_project(root, count, 30)
}

const SECRET: &[u8] = b"webhook secret";

/// A server on a free port over a new store in `dir`, with `tune` applied to its settings.
fn start(dir: &Path, tune: impl FnOnce(&mut ServeSettings)) -> Running {
    start_with(dir, Ecosystem::builtin(), tune)
}

/// [`start`] with another ecosystem.
fn start_with(dir: &Path, ecosystem: Ecosystem, tune: impl FnOnce(&mut ServeSettings)) -> Running {
    let mut settings = ServeSettings {
        bind: "127.0.0.1:0".into(),
        // Nothing listens there: a queued sync fails at once instead of reaching GitHub.
        github_api_url: "http://127.0.0.1:9".into(),
        ..ServeSettings::default()
    };
    tune(&mut settings);
    Running::start(ServerConfig {
        db: db(dir),
        ecosystem,
        settings,
        webhook_secret: Some(SECRET.to_vec()),
        github_token: None,
    })
    .expect("server starts")
}

/// The store of a test folder: `agora.db` in it, or the PostgreSQL URL its `postgres-url`
/// file holds (see [`backends`]).
fn db(dir: &Path) -> PathBuf {
    match std::fs::read_to_string(dir.join("postgres-url")) {
        Ok(url) => PathBuf::from(url),
        Err(_) => dir.join("agora.db"),
    }
}

/// A test folder per backend: SQLite, then PostgreSQL when there is a test server.
fn backends(label: &str) -> Vec<tempfile::TempDir> {
    let mut dirs = vec![tempfile::tempdir().expect("tempdir")];
    if let Some(url) = agora_store::scratch::postgres_url(label) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("postgres-url"), url).expect("write the URL");
        dirs.push(dir);
    }
    dirs
}

fn store(dir: &Path) -> Store {
    Store::open(&db(dir)).expect("store")
}

/// A token for `project`, expiring at `expires`.
fn token(dir: &Path, project: &str, expires: Option<Timestamp>) -> (i64, String) {
    let created = tokens::create(
        &store(dir),
        project,
        Action::Upload,
        "test",
        expires,
        Timestamp::now(),
    )
    .expect("token");
    (created.token.id, created.secret)
}

/// The upload of `results` (commit order beside it in `root`) to `server`.
fn request(
    server: &Running,
    project: &str,
    root: &Path,
    results: &Path,
    token: &str,
) -> UploadRequest {
    UploadRequest {
        server: server.url(),
        project: project.to_owned(),
        results: results.to_path_buf(),
        asv_config: Some(root.join("asv.conf.json")),
        revisions: root.join("revisions.tsv"),
        branches: vec![("main".to_owned(), root.join("branch-main-first-parent.txt"))],
        tags: Some(root.join("tags.tsv")),
        token: token.to_owned(),
        idempotency_key: None,
        attempts: 1,
    }
}

fn post(server: &Running, project: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut request = Client::new()
        .post(format!("{}/api/v1/projects/{project}/bench", server.url()))
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().expect("send");
    let status = response.status().as_u16();
    let text = response.text().expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn stored_files(dir: &Path, project: &str) -> usize {
    store(dir)
        .bench_file_digests(project)
        .map(|files| files.len())
        .unwrap_or(0)
}

#[test]
fn an_upload_is_ingested_and_its_regressions_served() {
    for dir in backends("an_upload_is_ingested_and_its_regressions_served") {
        let server = start(dir.path(), |_| {});
        let (_, secret) = token(dir.path(), "demo", None);
        let root = dir.path().join("demo");
        let results = make_project(&root, 20);
        let reply =
            client::upload(&request(&server, "demo", &root, &results, &secret)).expect("upload");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let outcome: Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(outcome["summary"]["added"], 20);
        assert_eq!(outcome["regressions"], 1);
        assert_eq!(stored_files(dir.path(), "demo"), 20);

        let http = Client::new();
        let report: Value = http
            .get(format!(
                "{}/api/v1/projects/demo/bench/regressions",
                server.url()
            ))
            .send()
            .expect("get")
            .text()
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
            .expect("json");
        assert_eq!(report["regressions"][0]["name"], "b.time_x", "{report}");
        let asv: Value = http
            .get(format!(
                "{}/api/v1/projects/demo/bench/regressions?format=asv",
                server.url()
            ))
            .send()
            .expect("get")
            .text()
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
            .expect("json");
        assert_eq!(asv["regressions"].as_array().map(Vec::len), Some(1));
        let missing = http
            .get(format!(
                "{}/api/v1/projects/nope/bench/regressions",
                server.url()
            ))
            .send()
            .expect("get");
        assert_eq!(missing.status().as_u16(), 404);

        let projects: Value = http
            .get(format!("{}/api/v1/projects", server.url()))
            .send()
            .expect("get")
            .text()
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
            .expect("json");
        let demo = projects
            .as_array()
            .expect("list")
            .iter()
            .find(|p| p["name"] == "demo")
            .expect("demo listed");
        assert_eq!(demo["benchmarks"], true);

        let openapi: Value = http
            .get(format!("{}/api/v1/openapi.json", server.url()))
            .send()
            .expect("get")
            .text()
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
            .expect("json");
        assert!(
            openapi["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3."))
        );
        for path in [
            "/api/v1/projects",
            "/api/v1/search",
            "/api/v1/projects/{project}/bench",
        ] {
            assert!(openapi["paths"][path].is_object(), "{path} documented");
        }
        let health = http
            .get(format!("{}/healthz", server.url()))
            .send()
            .expect("get");
        assert_eq!(health.text().expect("text"), "ok\n");
        let metrics = http
            .get(format!("{}/metrics", server.url()))
            .send()
            .expect("get")
            .text()
            .expect("text");
        assert!(
            metrics.contains("agora_uploads_total{outcome=\"ingested\"} 1"),
            "{metrics}"
        );
        assert!(metrics.contains(
        "agora_http_requests_total{method=\"POST\",route=\"/api/v1/projects/{project}/bench\",status=\"200\"} 1"
    ), "{metrics}");
        assert!(!metrics.contains("agora_upl_"));
        server.stop().expect("stop");
    }
}

#[test]
fn bad_tokens_get_401_or_403_and_store_nothing() {
    for dir in backends("bad_tokens_get_401_or_403_and_store_nothing") {
        let server = start(dir.path(), |s| s.uploads_per_minute = 2);
        let root = dir.path().join("demo");
        let results = make_project(&root, 12);
        let body = client::pack(&request(&server, "demo", &root, &results, "")).expect("pack");

        let (expired_id, expired) = token(
            dir.path(),
            "demo",
            Some(Timestamp::now() - jiff::SignedDuration::from_secs(60)),
        );
        let _ = expired_id;
        let (revoked_id, revoked) = token(dir.path(), "demo", None);
        assert!(tokens::revoke(&store(dir.path()), revoked_id, Timestamp::now()).expect("revoke"));
        let (_, other) = token(dir.path(), "numpy", None);
        let cases: [(Option<&str>, u16); 5] = [
            (None, 401),
            (Some("agora_upl_notatokenatall"), 401),
            (Some(&expired), 401),
            (Some(&revoked), 401),
            (Some(&other), 403),
        ];
        for (token, expected) in cases {
            let (status, answer) = post(&server, "demo", token, body.clone());
            assert_eq!(status, expected, "{answer}");
            assert!(answer["error"].is_string());
        }
        assert_eq!(stored_files(dir.path(), "demo"), 0);
        assert!(
            store(dir.path())
                .bench_projects()
                .expect("projects")
                .is_empty()
        );

        // The limit of uploads per token per minute.
        let (_, good) = token(dir.path(), "demo", None);
        assert_eq!(post(&server, "demo", Some(&good), body.clone()).0, 200);
        assert_eq!(post(&server, "demo", Some(&good), body.clone()).0, 200);
        assert_eq!(post(&server, "demo", Some(&good), body).0, 429);
        assert_eq!(stored_files(dir.path(), "demo"), 12);
    }
}

/// A gzip-compressed tar whose entries `build` appends.
fn tarball(build: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    build(&mut builder);
    let tar = builder.into_inner().expect("tar");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).expect("gzip");
    gz.finish().expect("gzip")
}

/// A file entry whose name is written as is (tar's own setters refuse `..` and `/`).
fn raw_file(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    builder.append(&header, data).expect("append");
}

#[test]
fn unsafe_tarballs_get_400_and_store_nothing() {
    for dir in backends("unsafe_tarballs_get_400_and_store_nothing") {
        let server = start(dir.path(), |s| {
            s.max_unpacked_bytes = 1 << 20;
            s.max_entries = 50;
            s.uploads_per_minute = 100;
        });
        let (_, secret) = token(dir.path(), "demo", None);
        let root = dir.path().join("demo");
        let results = make_project(&root, 12);
        let good = client::pack(&request(&server, "demo", &root, &results, "")).expect("pack");
        // The good upload's entries, then one bad entry.
        let with = |bad: &dyn Fn(&mut tar::Builder<Vec<u8>>)| {
            let mut plain = Vec::new();
            std::io::copy(&mut flate2::read::GzDecoder::new(&good[..]), &mut plain)
                .expect("gunzip");
            tarball(|builder| {
                let mut archive = tar::Archive::new(&plain[..]);
                for entry in archive.entries().expect("entries") {
                    let mut entry = entry.expect("entry");
                    let header = entry.header().clone();
                    let mut data = Vec::new();
                    std::io::Read::read_to_end(&mut entry, &mut data).expect("read");
                    builder.append(&header, &data[..]).expect("append");
                }
                bad(builder);
            })
        };
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "dot-dot",
                with(&|b| raw_file(b, "results/../../evil.json", b"{}")),
            ),
            ("absolute", with(&|b| raw_file(b, "/tmp/evil.json", b"{}"))),
            (
                "symlink",
                with(&|b| {
                    let mut header = tar::Header::new_gnu();
                    header.set_entry_type(tar::EntryType::Symlink);
                    header.set_size(0);
                    b.append_link(&mut header, "results/m/link.json", "/etc/passwd")
                        .expect("link");
                }),
            ),
            (
                "hardlink",
                with(&|b| {
                    let mut header = tar::Header::new_gnu();
                    header.set_entry_type(tar::EntryType::Link);
                    header.set_size(0);
                    b.append_link(&mut header, "results/m/hard.json", "results/m/machine.json")
                        .expect("link");
                }),
            ),
            (
                "bomb",
                with(&|b| raw_file(b, "results/m/zeros.json", &vec![b' '; 2 << 20])),
            ),
            (
                "too many entries",
                with(&|b| {
                    for i in 0..60 {
                        raw_file(b, &format!("results/extra/{i}.txt"), b"x");
                    }
                }),
            ),
            ("not a tarball", b"{\"not\": \"a tarball\"}".to_vec()),
        ];
        for (name, body) in cases {
            let (status, answer) = post(&server, "demo", Some(&secret), body);
            assert_eq!(status, 400, "{name}: {answer}");
            assert_eq!(stored_files(dir.path(), "demo"), 0, "{name}");
        }
        assert!(!dir.path().join("evil.json").exists());
        assert!(!Path::new("/tmp/evil.json").exists());
        assert_eq!(post(&server, "demo", Some(&secret), good).0, 200);
    }
}

#[test]
fn an_oversized_body_gets_413() {
    for dir in backends("an_oversized_body_gets_413") {
        let server = start(dir.path(), |s| s.max_body_bytes = 64 << 10);
        let (_, secret) = token(dir.path(), "demo", None);
        let (status, _) = post(&server, "demo", Some(&secret), vec![7u8; 100 << 10]);
        assert_eq!(status, 413);
        assert_eq!(stored_files(dir.path(), "demo"), 0);
    }
}

#[test]
fn a_retry_with_the_same_idempotency_key_completes_once() {
    for dir in backends("a_retry_with_the_same_idempotency_key_completes_once") {
        let server = start(dir.path(), |_| {});
        let (_, secret) = token(dir.path(), "demo", None);
        let root = dir.path().join("demo");
        let results = make_project(&root, 15);
        let upload = request(&server, "demo", &root, &results, &secret);
        let body = client::pack(&upload).expect("pack");
        let first = client::post(&upload, &body, "key-1").expect("first");
        assert_eq!(first.status, 200);
        assert!(!first.replayed);
        let again = client::post(&upload, &body, "key-1").expect("retry");
        assert_eq!(again.status, 200);
        assert!(again.replayed);
        assert_eq!(again.body, first.body);
        let outcome: Value = serde_json::from_str(&again.body).expect("json");
        assert_eq!(outcome["summary"]["added"], 15);
        assert_eq!(stored_files(dir.path(), "demo"), 15);
        // The same key with another body is a client's mistake.
        let other = client::pack(&UploadRequest {
            tags: None,
            ..upload.clone()
        })
        .expect("pack");
        assert_eq!(
            client::post(&upload, &other, "key-1")
                .expect("other")
                .status,
            422
        );
    }
}

fn hook(
    server: &Running,
    event: &str,
    delivery: &str,
    body: &str,
    signature: &str,
) -> (u16, Value) {
    let response = Client::new()
        .post(format!("{}/hooks/github", server.url()))
        .header("x-github-event", event)
        .header("x-github-delivery", delivery)
        .header("x-hub-signature-256", signature)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .expect("send");
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_str(&response.text().unwrap_or_default()).unwrap_or(Value::Null),
    )
}

#[test]
fn webhooks_are_verified_and_deduplicated() {
    for dir in backends("webhooks_are_verified_and_deduplicated") {
        let server = start(dir.path(), |_| {});
        let body = json!({"action": "opened", "repository": {"full_name": "octo/demo"},
        "issue": {"number": 1}})
        .to_string();
        let signature = agora_server::hooks::sign(SECRET, body.as_bytes());
        let wrong = agora_server::hooks::sign(b"another secret", body.as_bytes());
        assert_eq!(hook(&server, "issues", "d-1", &body, &wrong).0, 401);
        assert_eq!(hook(&server, "issues", "d-1", &body, "").0, 401);
        let (status, answer) = hook(&server, "issues", "d-1", &body, &signature);
        assert_eq!(status, 202, "{answer}");
        assert_eq!(answer["repo"], "octo/demo");
        let (status, answer) = hook(&server, "issues", "d-1", &body, &signature);
        assert_eq!(
            (status, answer["status"].as_str()),
            (200, Some("duplicate"))
        );
        let (status, answer) = hook(&server, "watch", "d-2", &body, &signature);
        assert_eq!((status, answer["status"].as_str()), (200, Some("ignored")));
    }
}

#[test]
fn the_static_site_has_etags_gzip_and_cache_headers() {
    for dir in backends("the_static_site_has_etags_gzip_and_cache_headers") {
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).expect("mkdir");
        std::fs::write(site.join("index.html"), "<p>agora</p>\n".repeat(200)).expect("write");
        let server = start(dir.path(), |s| s.site = Some(site.clone()));
        let http = Client::builder().gzip(true).build().expect("client");
        let first = http.get(format!("{}/", server.url())).send().expect("get");
        assert_eq!(first.status().as_u16(), 200);
        let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
        assert!(
            first.headers()["cache-control"]
                .to_str()
                .expect("cc")
                .contains("max-age")
        );
        assert!(first.text().expect("text").starts_with("<p>agora</p>"));
        let again = http
            .get(format!("{}/index.html", server.url()))
            .header("if-none-match", &etag)
            .send()
            .expect("get");
        assert_eq!(again.status().as_u16(), 304);
        let raw = Client::builder().gzip(false).build().expect("client");
        let zipped = raw
            .get(format!("{}/index.html", server.url()))
            .header("accept-encoding", "gzip")
            .send()
            .expect("get");
        assert_eq!(zipped.headers()["content-encoding"], "gzip");
        let missing = http
            .get(format!("{}/nope.html", server.url()))
            .send()
            .expect("get");
        assert_eq!(missing.status().as_u16(), 404);
        // A page rewritten (as a rebuild does: beside, then renamed) is served new (within the
        // second a page in memory goes unchecked), with another ETag; the old tag no longer
        // matches.
        std::fs::write(site.join("new.html"), "<p>rebuilt</p>\n".repeat(300)).expect("write");
        std::fs::rename(site.join("new.html"), site.join("index.html")).expect("rename");
        let started = std::time::Instant::now();
        let rebuilt = loop {
            let answer = http
                .get(format!("{}/index.html", server.url()))
                .header("if-none-match", &etag)
                .send()
                .expect("get");
            if answer.status().as_u16() != 304 {
                break answer;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "the rewritten page is served"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert_eq!(rebuilt.status().as_u16(), 200);
        assert_ne!(rebuilt.headers()["etag"].to_str().expect("etag"), etag);
        assert!(rebuilt.text().expect("text").starts_with("<p>rebuilt</p>"));
        // Paths that leave the folder are refused, encoded or not.
        for path in [
            "/../agora.db",
            "/%2e%2e/agora.db",
            "/a/%2E%2E/%2e%2e/agora.db",
        ] {
            let status = raw
                .get(format!("{}{path}", server.url()))
                .send()
                .expect("get")
                .status()
                .as_u16();
            assert!(status == 400 || status == 404, "{path}: {status}");
        }
    }
}

/// kedro's 424 result files uploaded in three batches (as three CI runs would) give the
/// regressions of asv's `expected/regressions.json`.
#[test]
fn kedro_uploaded_in_three_batches_gives_asvs_regressions() {
    let Some(root) = agora_corpus::folder("asv/kedro") else {
        return;
    };
    for dir in backends("kedro_uploaded_in_three_batches_gives_asvs_regressions") {
        let server = start(dir.path(), |_| {});
        let (_, secret) = token(dir.path(), "kedro", None);
        let source = root.join("results");
        let mut files: Vec<PathBuf> = agora_corpus::files_under(&source)
            .into_iter()
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name != "machine.json" && name != "benchmarks.json"
            })
            .collect();
        files.sort();
        let third = files.len().div_ceil(3);
        let mut total = 0;
        for (batch, chunk) in files.chunks(third).enumerate() {
            // Each CI run has only its own results folder.
            let results = dir.path().join(format!("batch-{batch}/results"));
            for file in chunk.iter().chain([
                &source.join("benchmarks.json"),
                &source.join("github-actions/machine.json"),
            ]) {
                let target = results.join(file.strip_prefix(&source).expect("inside"));
                std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                std::fs::copy(file, &target).expect("copy");
            }
            let mut upload = request(&server, "kedro", &root, &results, &secret);
            upload.attempts = 3;
            let reply = client::upload(&upload).expect("upload");
            assert_eq!(reply.status, 200, "batch {batch}: {}", reply.body);
            let outcome: Value = serde_json::from_str(&reply.body).expect("json");
            assert_eq!(outcome["summary"]["added"], chunk.len(), "batch {batch}");
            assert_eq!(outcome["summary"]["skipped"], json!([]), "batch {batch}");
            total += chunk.len();
        }
        assert_eq!(total, 424);
        let ours: Value = Client::new()
            .get(format!(
                "{}/api/v1/projects/kedro/bench/regressions?format=asv",
                server.url()
            ))
            .send()
            .expect("get")
            .text()
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
            .expect("json");
        agora_corpus::asv_demo::assert_regressions_as_expected(&ours, &root);
    }
}

/// A signed `issues` event from the fake GitHub's repository: one incremental sync, after which
/// the issue is in the store and found by the search API.
#[test]
fn a_webhook_event_syncs_the_repository_and_the_issue_is_searchable() {
    let issues = r#"[
 {"cursor": "a", "node": {"number": 1, "title": "Crash in solve", "state": "OPEN",
  "createdAt": "2021-01-01T00:00:00Z", "updatedAt": "2021-01-05T00:00:00Z", "closedAt": null,
  "labels": {"edges": [{"node": {"name": "bug"}}]},
  "timelineItems": {"totalCount": 0, "edges": []}}}
]"#;
    let fake = agora_fake_server::github::FakeGithub::from_dumps(
        "octo/demo",
        issues.as_bytes(),
        b"[]",
        |_| true,
    )
    .expect("fake GitHub");
    for dir in backends("a_webhook_event_syncs_the_repository_and_the_issue_is_searchable") {
        let api = fake.api_url();
        let server = start(dir.path(), |s| s.github_api_url = api);
        let body = json!({"action": "opened", "repository": {"full_name": "octo/demo"},
        "issue": {"number": 1}})
        .to_string();
        let signature = agora_server::hooks::sign(SECRET, body.as_bytes());
        let sent = std::time::Instant::now();
        assert_eq!(hook(&server, "issues", "d-1", &body, &signature).0, 202);
        let http = Client::new();
        let found = loop {
            let hits: Value = serde_json::from_str(
                &http
                    .get(format!("{}/api/v1/search", server.url()))
                    .query(&[("q", "solve repo:octo/demo")])
                    .send()
                    .expect("search")
                    .text()
                    .expect("text"),
            )
            .expect("json");
            if hits.to_string().contains("Crash in solve") {
                break true;
            }
            if sent.elapsed() > std::time::Duration::from_secs(10) {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(found, "the issue is found after the webhook");
        assert!(
            store(dir.path())
                .github_item("octo/demo", 1)
                .expect("query")
                .is_some()
        );
        let metrics = http
            .get(format!("{}/metrics", server.url()))
            .send()
            .expect("get")
            .text()
            .expect("text");
        assert!(metrics.contains("agora_syncs_total 1"), "{metrics}");
    }
}

/// Every HTML page of `site` that contains `needle`.
fn pages_with(site: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![site.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("list").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html")
                && std::fs::read_to_string(&path).is_ok_and(|text| text.contains(needle))
            {
                found.push(path);
            }
        }
    }
    found
}

/// A counter of `/metrics`.
fn metric(server: &Running, name: &str) -> u64 {
    let text = reqwest::blocking::get(format!("{}/metrics", server.url()))
        .and_then(|r| r.text())
        .expect("metrics");
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
}

/// A portal served by the server is rebuilt in the background after an upload changed a
/// project's results (and not after one that changed nothing); a site that is no portal is
/// left alone.
#[test]
fn the_portal_is_rebuilt_after_an_upload() {
    for dir in backends("the_portal_is_rebuilt_after_an_upload") {
        let ecosystem = Ecosystem::parse(
        "[ecosystem]\nname = \"Test\"\ninclude-defaults = false\n\n[[project]]\nname = \"demo\"\n",
        Path::new("agora.toml"),
    )
    .expect("ecosystem");
        let site = dir.path().join("site");
        let options = agora_ecosystem::portal::BuildOptions {
            out: site.clone(),
            as_of: "2026-12-07".parse().expect("date"),
            full: false,
        };
        agora_ecosystem::portal::build(&mut store(dir.path()), &ecosystem, &options, &mut |_| {})
            .expect("the portal builds");
        assert!(pages_with(&site, "b.time_x").is_empty());
        let server = start_with(dir.path(), ecosystem, |s| s.site = Some(site.clone()));
        let (_, secret) = token(dir.path(), "demo", None);
        let root = dir.path().join("demo");
        let results = make_project(&root, 20);
        let upload = request(&server, "demo", &root, &results, &secret);
        let reply = client::upload(&upload).expect("upload");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let started = std::time::Instant::now();
        while metric(&server, "agora_portal_builds_total") < 1 {
            assert_eq!(metric(&server, "agora_portal_build_failures_total"), 0);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "the portal is rebuilt"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(!pages_with(&site, "b.time_x").is_empty());
        // The same files again change nothing: no rebuild is asked for.
        let reply = client::upload(&upload).expect("upload");
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(metric(&server, "agora_portal_builds_total"), 1);
        server.stop().expect("stops");

        // A folder without the portal's manifest is served as it is.
        let other = tempfile::tempdir().expect("tempdir");
        let plain = other.path().join("site");
        std::fs::create_dir_all(&plain).expect("mkdir");
        std::fs::write(plain.join("index.html"), "<p>mine</p>").expect("write");
        let server = start(other.path(), |s| s.site = Some(plain.clone()));
        let (_, secret) = token(other.path(), "demo", None);
        let reply =
            client::upload(&request(&server, "demo", &root, &results, &secret)).expect("upload");
        assert_eq!(reply.status, 200, "{}", reply.body);
        server.stop().expect("stops");
        assert_eq!(files_of(&plain), vec![plain.join("index.html")]);
    }
}

/// The files of `site`, sorted.
fn files_of(site: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}
