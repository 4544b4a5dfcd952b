//! `agora token`, `agora serve` and `agora bench upload` through the binary: a token's secret
//! is printed once and never listed; a served store takes an upload from the CI client and
//! `agora bench regressions` reads it back; SIGTERM stops the server. Each test runs over a
//! SQLite store and again with `--db postgres://…` (see `support::backends`).

mod support;

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{agora, stderr, stdout};

const NO_INDEX: &str = "http://127.0.0.1:9/simple";

#[test]
fn a_token_serves_an_upload_from_the_ci_client() {
    for dir in support::backends("a_token_serves_an_upload_from_the_ci_client") {
        let created = agora(dir.path(), NO_INDEX)
            .args(["token", "create", "--project", "demo", "--note", "ci"])
            .output()
            .expect("agora runs");
        assert!(created.status.success(), "{}", stderr(&created));
        let secret = stdout(&created).trim().to_owned();
        assert!(secret.starts_with("agora_upl_"), "{secret}");
        let listed = agora(dir.path(), NO_INDEX)
            .args(["token", "list", "--json"])
            .output()
            .expect("agora runs");
        let list: Value = serde_json::from_slice(&listed.stdout).expect("json");
        assert_eq!(list[0]["project"], "demo");
        assert!(!stdout(&listed).contains(&secret[12..]));

        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // A plain child process (assert_cmd waits for its commands), with the environment of
        // `support::agora`.
        #[allow(deprecated)]
        let binary = assert_cmd::cargo::cargo_bin("agora");
        let mut server = std::process::Command::new(binary);
        server
            .current_dir(dir.path())
            .env("XDG_CACHE_HOME", support::user_cache(dir.path()))
            .env_remove("AGORA_DB")
            .env_remove("AGORA_CONFIG");
        if let Some(url) = support::postgres_url_of(dir.path()) {
            server.env("AGORA_DB", url);
        }
        let mut server = server
            .env("AGORA_INDEX_URL", NO_INDEX)
            .env("CI", "true")
            .args(["--quiet", "serve", "--bind", &format!("127.0.0.1:{port}")])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("agora serve starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "agora serve listens"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let root = dir.path().join("demo");
        agora_corpus::asv_demo::make_project(&root, 12, 12);
        let upload = |token: &str| {
            agora(dir.path(), NO_INDEX)
                .env("AGORA_TOKEN", token)
                .args(["bench", "upload", "demo/results", "--project", "demo"])
                .args(["--server", &format!("http://127.0.0.1:{port}")])
                .args(["--revisions", "demo/revisions.tsv"])
                .args(["--branch-file", "demo/branch-main-first-parent.txt"])
                .output()
                .expect("agora runs")
        };
        let refused = upload("agora_upl_wrong");
        assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
        let uploaded = upload(&secret);
        assert!(uploaded.status.success(), "{}", stderr(&uploaded));
        let outcome: Value = serde_json::from_slice(&uploaded.stdout).expect("json");
        assert_eq!(outcome["summary"]["added"], 12);

        #[cfg(unix)]
        {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &server.id().to_string()])
                .status();
            let status = server.wait().expect("agora serve ends");
            assert!(status.success(), "SIGTERM stops agora serve cleanly");
        }
        #[cfg(not(unix))]
        {
            let _ = server.kill();
        }

        let regressions = agora(dir.path(), NO_INDEX)
            .args([
                "bench",
                "regressions",
                "--project",
                "demo",
                "--format",
                "json",
            ])
            .output()
            .expect("agora runs");
        assert_eq!(
            regressions.status.code(),
            Some(1),
            "{}",
            stderr(&regressions)
        );
        assert!(stdout(&regressions).contains("b.time_x"));
        assert_eq!(
            agora(dir.path(), NO_INDEX)
                .args(["token", "revoke", "1"])
                .output()
                .expect("agora runs")
                .status
                .code(),
            Some(0)
        );
        assert_eq!(
            agora(dir.path(), NO_INDEX)
                .args(["token", "revoke", "1"])
                .output()
                .expect("agora runs")
                .status
                .code(),
            Some(2)
        );
    }
}

/// `agora serve` on `port` over the store of a run in `dir`, as a plain child process; its
/// log goes to `dir/serve.log`.
fn spawn_server(dir: &std::path::Path, port: u16) -> std::process::Child {
    #[allow(deprecated)]
    let binary = assert_cmd::cargo::cargo_bin("agora");
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("serve.log"))
        .expect("the log");
    let mut server = std::process::Command::new(binary);
    server
        .current_dir(dir)
        .env("XDG_CACHE_HOME", support::user_cache(dir))
        .env_remove("AGORA_DB")
        .env_remove("AGORA_CONFIG");
    if let Some(url) = support::postgres_url_of(dir) {
        server.env("AGORA_DB", url);
    }
    let server = server
        .env("AGORA_INDEX_URL", NO_INDEX)
        .env("CI", "true")
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stderr(log)
        .spawn()
        .expect("agora serve starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "agora serve listens"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

/// A free port on 127.0.0.1.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `GET path` on 127.0.0.1:`port`: the status and the body.
fn fetch(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read as _, Write as _};
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    let answer = String::from_utf8(answer).expect("UTF-8");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return (status, body.to_owned());
    }
    let mut rest = body;
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    (status, out)
}

/// `GET path` on 127.0.0.1:`port`: the body of a 200 answer.
fn get(port: u16, path: &str) -> String {
    let (status, body) = fetch(port, path);
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// Sends the head of an upload of `body` (its whole length announced) and its first `sent`
/// bytes; returns the open connection.
fn start_upload(port: u16, token: &str, key: &str, body: &[u8], sent: usize) -> TcpStream {
    use std::io::Write as _;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "POST /api/v1/projects/demo/bench HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {token}\r\nIdempotency-Key: {key}\r\n\
         Content-Type: application/gzip\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .expect("send the head");
    stream.write_all(&body[..sent]).expect("send the body");
    stream.flush().expect("flush");
    stream
}

/// Waits until `probe` holds, or fails naming `what`.
fn wait_for(what: &str, mut probe: impl FnMut() -> bool) {
    let started = Instant::now();
    while !probe() {
        assert!(started.elapsed() < Duration::from_secs(30), "{what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The upload of the made-up project in `root` as `demo` to 127.0.0.1:`port`, one attempt.
fn upload_request(
    root: &std::path::Path,
    port: u16,
    token: &str,
) -> agora_server::client::UploadRequest {
    agora_server::client::UploadRequest {
        server: format!("http://127.0.0.1:{port}"),
        project: "demo".into(),
        results: root.join("results"),
        asv_config: Some(root.join("asv.conf.json")),
        revisions: root.join("revisions.tsv"),
        branches: vec![("main".into(), root.join("branch-main-first-parent.txt"))],
        tags: Some(root.join("tags.tsv")),
        token: token.to_owned(),
        idempotency_key: None,
        attempts: 1,
    }
}

/// The store of the runs in `dir`: its SQLite file, or its PostgreSQL database.
fn db_of(dir: &std::path::Path) -> std::path::PathBuf {
    support::postgres_url_of(dir)
        .map_or_else(|| support::state_dir(dir).join("agora.db"), Into::into)
}

/// What an upload leaves in the store of `dir`: result files and their digests, whether the
/// idempotency key `batch-b` has an outcome, and (SQLite) the integrity check.
fn store_state(dir: &std::path::Path) -> (Vec<(String, String)>, bool) {
    let db = db_of(dir);
    if support::postgres_url_of(dir).is_none() {
        let conn = rusqlite::Connection::open(&db).expect("open the store");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .expect("integrity check");
        assert_eq!(check, "ok");
    }
    let store = agora_store::Store::open(&db).expect("open the store");
    let mut files: Vec<(String, String)> = store
        .bench_file_digests("demo")
        .expect("files")
        .into_iter()
        .collect();
    files.sort();
    let key = store
        .upload_outcome("demo", "batch-b")
        .expect("outcome")
        .is_some();
    (files, key)
}

/// The CLI's view of the project's regressions in the store of `dir`.
fn regressions_json(dir: &std::path::Path) -> String {
    let out = agora(dir, NO_INDEX)
        .args(["bench", "regressions", "--project", "demo"])
        .args(["--format", "json"])
        .output()
        .expect("agora runs");
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
    stdout(&out)
}

/// SIGKILL during an upload (mid-body; after the body, while the ingest waits for the store;
/// and right after the body, wherever the ingest is): the restarted server has the store as
/// before the upload or with the whole of it, never part, and the client's retry with the
/// same idempotency key completes it, storing every file once; one more retry is replayed.
#[cfg(unix)]
#[test]
fn a_server_killed_during_an_upload_restarts_consistent_and_the_retry_completes_it_once() {
    for dir in support::backends(
        "a_server_killed_during_an_upload_restarts_consistent_and_the_retry_completes_it_once",
    ) {
        let created = agora(dir.path(), NO_INDEX)
            .args(["token", "create", "--project", "demo"])
            .output()
            .expect("agora runs");
        assert!(created.status.success(), "{}", stderr(&created));
        let secret = stdout(&created).trim().to_owned();
        let db = db_of(dir.path());

        // Batch A: commits 0–7 (no regression yet); batch B: commits 0–19 (the step at 10).
        let root_a = dir.path().join("a");
        let root_b = dir.path().join("b");
        agora_corpus::asv_demo::make_project(&root_a, 8, 20);
        agora_corpus::asv_demo::make_project(&root_b, 20, 20);
        let request = |root: &std::path::Path, port: u16| upload_request(root, port, &secret);
        let body_b = agora_server::client::pack(&request(&root_b, 0)).expect("pack");

        // The clean run: batch B ingested straight into a store of its own.
        let clean = tempfile::tempdir().expect("tempdir");
        let ingested = agora(clean.path(), NO_INDEX)
            .args(["bench", "ingest"])
            .arg(root_b.join("results"))
            .args(["--project", "demo", "--revisions"])
            .arg(root_b.join("revisions.tsv"))
            .arg("--branch-file")
            .arg(format!(
                "main={}",
                root_b.join("branch-main-first-parent.txt").display()
            ))
            .arg("--tags")
            .arg(root_b.join("tags.tsv"))
            .output()
            .expect("agora runs");
        assert!(ingested.status.success(), "{}", stderr(&ingested));
        let clean_regressions = regressions_json(clean.path());
        assert!(
            clean_regressions.contains("b.time_x"),
            "{clean_regressions}"
        );

        let mut port = free_port();
        let mut server = spawn_server(dir.path(), port);
        let reply = agora_server::client::upload(&request(&root_a, port)).expect("batch A");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let before = store_state(dir.path());
        assert_eq!(before.0.len(), 8);
        let before_regressions = regressions_json(dir.path());
        assert!(!before_regressions.contains("b.time_x"));

        let kill = |server: &mut std::process::Child| {
            server.kill().expect("SIGKILL");
            server.wait().expect("the server ends");
        };
        let last_used = || {
            let store = agora_store::Store::open(&db).expect("open");
            store.tokens().expect("tokens")[0].last_used_at
        };

        // 1. Killed mid-body: half of batch B sent, the token checked, the rest never comes.
        let used = last_used();
        let stream = start_upload(port, &secret, "batch-b", &body_b, body_b.len() / 2);
        wait_for("the server checks the token", || last_used() != used);
        kill(&mut server);
        drop(stream);
        assert_eq!(
            store_state(dir.path()),
            before,
            "nothing of a half-sent upload"
        );
        assert_eq!(regressions_json(dir.path()), before_regressions);

        // 2. Killed after the whole body, while the ingest waits for the store (held here).
        port = free_port();
        server = spawn_server(dir.path(), port);
        let used = last_used();
        let mut stream = start_upload(port, &secret, "batch-b", &body_b, 0);
        wait_for("the server checks the token", || last_used() != used);
        // SQLite: the write lock; PostgreSQL: the project's lock, as another replica would.
        let holder = support::postgres_url_of(dir.path()).is_none().then(|| {
            let holder = rusqlite::Connection::open(&db).expect("open");
            holder
                .execute_batch("BEGIN IMMEDIATE")
                .expect("hold the store");
            holder
        });
        let lock_store = agora_store::Store::open(&db).expect("open");
        let project_lock = lock_store.lock_work("project:demo").expect("lock");
        {
            use std::io::Write as _;
            stream.write_all(&body_b).expect("send the body");
            stream.flush().expect("flush");
        }
        wait_for("the server ingests the upload", || {
            get(port, "/metrics").contains("\nagora_uploads_ingesting 1\n")
        });
        kill(&mut server);
        drop(stream);
        if let Some(holder) = holder {
            holder.execute_batch("ROLLBACK").expect("release the store");
        }
        drop(project_lock);
        assert_eq!(
            store_state(dir.path()),
            before,
            "nothing of an unfinished ingest"
        );

        // 3. Killed as soon as the whole body is sent, wherever the ingest then is: the store
        //    holds batch A alone or batch B whole.
        port = free_port();
        server = spawn_server(dir.path(), port);
        let stream = start_upload(port, &secret, "batch-b", &body_b, body_b.len());
        kill(&mut server);
        drop(stream);
        let (files, _) = store_state(dir.path());
        assert!(
            files == before.0 || files.len() == 20,
            "batch A alone or batch B whole, not {} files",
            files.len()
        );

        // The client's retry with the same key completes the upload; the files are stored once.
        port = free_port();
        server = spawn_server(dir.path(), port);
        let mut retry = request(&root_b, port);
        retry.attempts = 3;
        let reply = agora_server::client::post(&retry, &body_b, "batch-b").expect("the retry");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let outcome: Value = serde_json::from_str(&reply.body).expect("json");
        if !reply.replayed {
            let summary = &outcome["summary"];
            let stored =
                summary["added"].as_u64().unwrap_or(0) + summary["unchanged"].as_u64().unwrap_or(0);
            assert_eq!(stored, 20, "{outcome}");
        }
        assert_eq!(outcome["regressions"], 1, "{outcome}");
        let again = agora_server::client::post(&retry, &body_b, "batch-b").expect("again");
        assert!(again.replayed, "a second retry is replayed");
        assert_eq!(again.body, reply.body);
        // A token in a query string or a wrong one in the header stays out of the log too.
        fetch(
            port,
            &format!("/api/v1/projects/demo/bench/regressions?token={secret}"),
        );
        let mut wrong = retry.clone();
        wrong.token = format!("{secret}x");
        let refused = agora_server::client::post(&wrong, &body_b, "other").expect("refused");
        assert_eq!(refused.status, 401);
        kill(&mut server);
        let log = std::fs::read_to_string(dir.path().join("serve.log")).expect("the log");
        assert!(log.contains("route="), "the requests are logged: {log}");
        assert!(!log.contains(&secret[10..]), "a token is in the log: {log}");

        let (files, key) = store_state(dir.path());
        assert_eq!(files.len(), 20);
        assert!(key, "the outcome of batch-b is stored");
        assert_eq!(regressions_json(dir.path()), clean_regressions);
    }
}

/// The API's health, schedule and benchmark series answer what the command line prints with
/// `--format json` over the same store (scipy's mirror, the corpus' PyPI pages, the made-up
/// asv project), and the OpenAPI document lists them.
#[test]
fn the_api_answers_health_schedule_and_series_as_the_command_line_does() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let (index, _) = support::fake_pypi(&corpus, 600);
    let index = index.url("/simple");
    for dir in
        support::backends("the_api_answers_health_schedule_and_series_as_the_command_line_does")
    {
        let run = |args: &[&str]| {
            let out = agora(dir.path(), &index)
                .args(args)
                .output()
                .expect("agora runs");
            assert!(
                out.status.code().is_some_and(|c| c <= 1),
                "{}",
                stderr(&out)
            );
            stdout(&out)
        };
        let schedule = run(&["schedule", "--date", "2026-12-07", "--format", "json"]);
        let dumps = corpus.join("github/devstats");
        let imported = agora(dir.path(), &index)
            .args(["github", "import"])
            .arg(dumps.join("scipy_issues.json"))
            .arg(dumps.join("scipy_prs.json"))
            .args(["--repo", "scipy/scipy"])
            .output()
            .expect("agora runs");
        assert!(imported.status.success(), "{}", stderr(&imported));
        let health = run(&["health", "scipy", "--format", "json"]);
        let root = dir.path().join("demo");
        agora_corpus::asv_demo::make_project(&root, 20, 20);
        run(&[
            "bench",
            "ingest",
            "demo/results",
            "--project",
            "demo",
            "--revisions",
            "demo/revisions.tsv",
            "--branch-file",
            "demo/branch-main-first-parent.txt",
        ]);

        let port = free_port();
        let mut server = spawn_server(dir.path(), port);
        assert_eq!(get(port, "/api/v1/schedule?date=2026-12-07"), schedule);
        assert_eq!(get(port, "/api/v1/projects/scipy/health"), health);
        let series: Value =
            serde_json::from_str(&get(port, "/api/v1/projects/demo/bench/series/b.time_x"))
                .expect("json");
        assert_eq!(series.as_array().map(Vec::len), Some(1), "{series}");
        let points = series[0]["points"].as_array().expect("points");
        assert_eq!(points.len(), 20);
        assert_eq!(points[0]["commit"], agora_corpus::asv_demo::sha(0));
        assert_eq!(points[0]["values"][0], 1.0);
        assert_eq!(points[19]["values"][0], 2.0);
        let levels: Vec<f64> = series[0]["steps"][0]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|step| step["value"].as_f64())
            .collect();
        assert_eq!(levels, [1.0, 2.0]);

        for (path, status) in [
            ("/api/v1/projects/nope/health", 404),
            ("/api/v1/projects/demo/bench/series/b.nope", 404),
            ("/api/v1/projects/nope/bench/series/b.time_x", 404),
            ("/api/v1/schedule?date=tomorrow", 400),
        ] {
            let (got, body) = fetch(port, path);
            assert_eq!(got, status, "{path}: {body}");
            assert!(body.contains("\"error\""), "{path}: {body}");
        }
        let openapi: Value =
            serde_json::from_str(&get(port, "/api/v1/openapi.json")).expect("json");
        for path in [
            "/api/v1/schedule",
            "/api/v1/projects/{project}/health",
            "/api/v1/projects/{project}/bench/series/{benchmark}",
        ] {
            assert!(openapi["paths"][path]["get"].is_object(), "{path}");
        }
        server.kill().expect("SIGKILL");
        server.wait().expect("the server ends");
    }
}

/// `POST /hooks/github` on 127.0.0.1:`port`, signed with `secret`: the status.
fn webhook(port: u16, secret: &[u8], delivery: &str, body: &str) -> u16 {
    use std::io::{Read as _, Write as _};
    let signature = agora_server::hooks::sign(secret, body.as_bytes());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: issues\r\n\
         X-GitHub-Delivery: {delivery}\r\nX-Hub-Signature-256: {signature}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("read");
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Two `agora serve` replicas on one PostgreSQL database: an upload to A is served by B at
/// once and one to B by A; a webhook to A syncs the repository and B's search finds the issue
/// as soon as A's sync is done (B brings its own index up to date from the store's change
/// counter); SIGKILL of A in the middle of an ingest (held on the project's lock, as a third
/// replica's ingest would hold it) leaves B serving, and the client's retry on B completes the
/// upload once; one more retry is replayed.
#[cfg(unix)]
#[test]
fn two_replicas_on_one_database_share_uploads_webhooks_and_searches() {
    let Some(url) = agora_store::scratch::postgres_url("two_replicas") else {
        return;
    };
    const SECRET: &str = "webhook secret";
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
    let replica = || {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("postgres-url"), &url).expect("URL");
        std::fs::write(
            dir.path().join("agora.toml"),
            format!("[serve]\ngithub-api-url = \"{}\"\n", fake.api_url()),
        )
        .expect("agora.toml");
        dir
    };
    let (a, b) = (replica(), replica());
    let created = agora(a.path(), NO_INDEX)
        .args(["token", "create", "--project", "demo"])
        .output()
        .expect("agora runs");
    assert!(created.status.success(), "{}", stderr(&created));
    let secret = stdout(&created).trim().to_owned();
    let spawn = |dir: &std::path::Path, port: u16| {
        let child = {
            #[allow(deprecated)]
            let binary = assert_cmd::cargo::cargo_bin("agora");
            let log = std::fs::File::create(dir.join("serve.log")).expect("log");
            std::process::Command::new(binary)
                .current_dir(dir)
                .env("XDG_CACHE_HOME", support::user_cache(dir))
                .env("AGORA_DB", &url)
                .env_remove("AGORA_CONFIG")
                .env("AGORA_INDEX_URL", NO_INDEX)
                .env("AGORA_WEBHOOK_SECRET", SECRET)
                .env("CI", "true")
                .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
                .stderr(log)
                .spawn()
                .expect("agora serve starts")
        };
        wait_for("the replica listens", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        child
    };
    /// Replicas killed when the test ends, passed or not.
    struct Replicas(Vec<std::process::Child>);
    impl Drop for Replicas {
        fn drop(&mut self) {
            for child in &mut self.0 {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
    let (port_a, port_b) = (free_port(), free_port());
    let mut replicas = Replicas(vec![spawn(a.path(), port_a), spawn(b.path(), port_b)]);
    let projects = tempfile::tempdir().expect("tempdir");
    let make = |name: &str, count: usize| {
        let root = projects.path().join(name);
        agora_corpus::asv_demo::make_project(&root, count, 30);
        root
    };
    let (root_1, root_2, root_3) = (make("one", 8), make("two", 20), make("three", 26));
    let request = |root: &std::path::Path, port: u16| upload_request(root, port, &secret);
    let points = |port: u16| -> usize {
        let series: Value =
            serde_json::from_str(&get(port, "/api/v1/projects/demo/bench/series/b.time_x"))
                .expect("json");
        series[0]["points"].as_array().map_or(0, Vec::len)
    };

    // An upload to A, read back from B; one to B, read back from A: no wait in between.
    let reply = agora_server::client::upload(&request(&root_1, port_a)).expect("upload to A");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(points(port_b), 8);
    let reply = agora_server::client::upload(&request(&root_2, port_b)).expect("upload to B");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(points(port_a), 20);
    assert!(get(port_a, "/api/v1/projects/demo/bench/regressions").contains("b.time_x"));

    // A webhook to A; once A's sync is done, B's search finds the issue.
    let event =
        r#"{"action": "opened", "repository": {"full_name": "octo/demo"}, "issue": {"number": 1}}"#;
    assert_eq!(webhook(port_a, SECRET.as_bytes(), "d-1", event), 202);
    wait_for("A syncs the repository", || {
        get(port_a, "/metrics").contains("\nagora_syncs_total 1\n")
    });
    let hits = get(port_b, "/api/v1/search?q=solve%20repo%3Aocto%2Fdemo");
    assert!(hits.contains("Crash in solve"), "{hits}");
    // The same delivery to B is recognised as seen (200, ignored), as A stored it.
    assert_eq!(webhook(port_b, SECRET.as_bytes(), "d-1", event), 200);

    // SIGKILL of A in the middle of an ingest of batch three.
    let body_3 = agora_server::client::pack(&request(&root_3, 0)).expect("pack");
    let holder = agora_store::Store::open(std::path::Path::new(&url)).expect("open");
    let lock = holder.lock_work("project:demo").expect("lock");
    let stream = start_upload(port_a, &secret, "batch-3", &body_3, body_3.len());
    wait_for("A ingests the upload", || {
        get(port_a, "/metrics").contains("\nagora_uploads_ingesting 1\n")
    });
    replicas.0[0].kill().expect("SIGKILL");
    replicas.0[0].wait().expect("A ends");
    drop(stream);
    drop(lock);
    assert_eq!(points(port_b), 20, "nothing of A's unfinished ingest");
    let mut retry = request(&root_3, port_b);
    retry.attempts = 3;
    let reply = agora_server::client::post(&retry, &body_3, "batch-3").expect("the retry on B");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(!reply.replayed, "A never finished it");
    let outcome: Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(outcome["summary"]["added"], 6, "{outcome}");
    assert_eq!(points(port_b), 26);
    let again = agora_server::client::post(&retry, &body_3, "batch-3").expect("again");
    assert!(again.replayed, "a second retry is replayed");
    let files = holder.bench_file_digests("demo").expect("files");
    assert_eq!(files.len(), 26);
    drop(replicas);
}
