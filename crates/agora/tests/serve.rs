//! `agora token`, `agora serve` and `agora bench upload` through the binary: a token's secret
//! is printed once and never listed; a served store takes an upload from the CI client and
//! `agora bench regressions` reads it back; SIGTERM stops the server.

mod support;

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{agora, stderr, stdout};

const NO_INDEX: &str = "http://127.0.0.1:9/simple";

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
