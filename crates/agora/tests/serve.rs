//! `agora token`, `agora serve` and `agora bench upload` through the binary: a token's secret
//! is printed once and never listed; a served store takes an upload from the CI client and
//! `agora bench regressions` reads it back; SIGTERM stops the server.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{agora, stderr, stdout};

const NO_INDEX: &str = "http://127.0.0.1:9/simple";

/// A results folder of 12 commits (`b.time_x` doubles at commit 10) and its commit order.
fn make_project(root: &Path) {
    let sha = |i: usize| format!("{i:08x}{:032x}", 7);
    let results = root.join("results");
    std::fs::create_dir_all(results.join("m")).expect("mkdir");
    std::fs::write(
        results.join("benchmarks.json"),
        json!({"version": 2, "b.time_x": {"name": "b.time_x", "params": [], "param_names": [],
            "version": "1", "unit": "seconds", "type": "time"}})
        .to_string(),
    )
    .expect("benchmarks");
    std::fs::write(
        results.join("m/machine.json"),
        json!({"machine": "m", "version": 1}).to_string(),
    )
    .expect("machine");
    for i in 0..12 {
        let value = if i < 10 { 1.0 } else { 2.0 };
        let text = json!({"commit_hash": sha(i), "env_name": "py3.11", "date": 1_000_000 + i,
            "params": {"machine": "m", "python": "3.11"}, "python": "3.11", "requirements": {},
            "env_vars": {}, "version": 2,
            "result_columns": ["result", "params", "version", "started_at", "duration",
                "stats_ci_99_a", "stats_ci_99_b"],
            "results": {"b.time_x": [[value], [], "1", 2_000_000 + i, 1.0,
                [value * 0.99], [value * 1.01]]}});
        std::fs::write(
            results.join(format!("m/{}-py3.11.json", &sha(i)[..8])),
            text.to_string(),
        )
        .expect("result");
    }
    let revisions: String = (0..12)
        .map(|i| format!("{i}\t{}\t{}\n", sha(i), 1_000 + i))
        .collect();
    std::fs::write(root.join("revisions.tsv"), revisions).expect("revisions");
    let main: String = (0..12).rev().map(|i| format!("{}\n", sha(i))).collect();
    std::fs::write(root.join("branch-main-first-parent.txt"), main).expect("branch");
    std::fs::write(
        root.join("asv.conf.json"),
        r#"{"version": 1, "project": "demo", "branches": ["main"]}"#,
    )
    .expect("config");
}

#[test]
fn a_token_serves_an_upload_from_the_ci_client() {
    let dir = tempfile::tempdir().expect("tempdir");
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
    let mut server = std::process::Command::new(binary)
        .current_dir(dir.path())
        .env("XDG_CACHE_HOME", support::user_cache(dir.path()))
        .env_remove("AGORA_DB")
        .env_remove("AGORA_CONFIG")
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
    make_project(&root);
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
