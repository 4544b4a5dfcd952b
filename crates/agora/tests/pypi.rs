//! `agora pypi sync` against a fake index: caching, revalidation, and every failure the
//! issue names (a 500 then success, HTML instead of JSON, truncated bodies, 404, offline).

mod support;

use agora_fake_server::Reply;
use support::{agora, corpus, fake_pypi, queue, stderr, stdout};

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

#[test]
fn second_sync_revalidates_and_parses_nothing() {
    let Some(corpus) = corpus() else { return };
    // max-age=0: every run revalidates with the ETag.
    let (server, _) = fake_pypi(&corpus, 0);
    let dir = tempfile::tempdir().expect("tempdir");
    let first = agora(dir.path(), &server.url("/simple"))
        .args(["pypi", "sync", "--format", "json"])
        .output()
        .expect("runs");
    assert!(first.status.success(), "{}", stderr(&first));
    let first = json_of(&first);
    assert_eq!(first["requests"]["downloads"], 10);
    let numpy = &first["projects"][0];
    assert_eq!(
        (numpy["project"].as_str(), numpy["parsed"].as_bool()),
        (Some("numpy"), Some(true))
    );
    assert!(numpy["files"].as_u64().unwrap_or(0) > 1000, "{numpy}");

    server.clear_requests();
    let second = agora(dir.path(), &server.url("/simple"))
        .args(["pypi", "sync", "--format", "json"])
        .output()
        .expect("runs");
    assert!(second.status.success(), "{}", stderr(&second));
    let second = json_of(&second);
    assert_eq!(second["requests"]["downloads"], 0);
    assert_eq!(second["requests"]["revalidated"], 10);
    assert!(
        second["projects"]
            .as_array()
            .expect("list")
            .iter()
            .all(|p| p["parsed"] == false && p["origin"] == "revalidated")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 10);
    assert!(
        requests.iter().all(|r| r.header("if-none-match").is_some()),
        "{requests:?}"
    );
}

#[test]
fn fresh_cache_sends_no_request() {
    let Some(corpus) = corpus() else { return };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    let sync = || {
        agora(dir.path(), &server.url("/simple"))
            .args(["pypi", "sync", "numpy", "zarr"])
            .output()
            .expect("runs")
    };
    assert!(sync().status.success());
    assert_eq!(server.request_count(), 2);
    let again = sync();
    assert!(again.status.success());
    assert_eq!(server.request_count(), 2, "{}", stderr(&again));
    assert!(
        stdout(&again).contains("fresh in cache"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn a_500_is_retried() {
    let Some(corpus) = corpus() else { return };
    let (server, overrides) = fake_pypi(&corpus, 0);
    queue(
        &overrides,
        "/simple/networkx/",
        Reply::text(500, "upstream error"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["pypi", "sync", "networkx"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.requests_to("/simple/networkx/").len(), 2);
    assert!(stderr(&output).contains("1 retries"), "{}", stderr(&output));
}

#[test]
fn bad_answers_are_named_and_stored_data_survives() {
    let Some(corpus) = corpus() else { return };
    let (server, overrides) = fake_pypi(&corpus, 0);
    let dir = tempfile::tempdir().expect("tempdir");
    let index = server.url("/simple");
    let ok = agora(dir.path(), &index)
        .args(["pypi", "sync", "scipy", "zarr", "xarray"])
        .output()
        .expect("runs");
    assert!(ok.status.success(), "{}", stderr(&ok));

    // scipy: an HTML error page; zarr: a body cut short on the wire, every attempt;
    // xarray: complete on the wire but the JSON itself is truncated; plus an unknown project.
    queue(
        &overrides,
        "/simple/scipy/",
        Reply::html(200, "<html><body>Maintenance</body></html>"),
    );
    let page = std::fs::read(corpus.join("pypi/simple/zarr.json")).expect("zarr page");
    for _ in 0..4 {
        queue(
            &overrides,
            "/simple/zarr/",
            Reply::truncated(200, page.clone(), 1000)
                .header("content-type", "application/vnd.pypi.simple.v1+json"),
        );
    }
    queue(
        &overrides,
        "/simple/xarray/",
        Reply::new(200).header("content-type", "application/vnd.pypi.simple.v1+json").body(&b"{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"xarray\", \"files\": [{\"filename\""[..]),
    );
    let bad = agora(dir.path(), &index)
        .args(["pypi", "sync", "scipy", "zarr", "xarray", "nosuchproject"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    let err = stderr(&bad);
    eprintln!("{err}");
    let line = |needle: &str| {
        err.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_default()
            .to_string()
    };
    let scipy = line("scipy:");
    assert!(
        scipy.contains(&server.url("/simple/scipy/")) && scipy.contains("text/html"),
        "{err}"
    );
    let zarr = line("zarr:");
    assert!(zarr.contains("truncated") || zarr.contains("1000"), "{err}");
    let xarray = line("xarray:");
    assert!(
        xarray.contains(&server.url("/simple/xarray/")) && xarray.contains("line 1"),
        "{err}"
    );
    assert!(line("nosuchproject").contains("no such project"), "{err}");

    // What was stored before is intact: the offline schedule still sees all three.
    let offline = agora(dir.path(), &index)
        .args([
            "--offline",
            "pypi",
            "sync",
            "scipy",
            "zarr",
            "xarray",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(offline.status.success(), "{}", stderr(&offline));
    let report = json_of(&offline);
    assert_eq!(report["requests"]["sent"], 0);
    assert!(
        report["projects"]
            .as_array()
            .expect("list")
            .iter()
            .all(|p| p["ok"] == true)
    );
}

#[test]
fn offline_without_a_cache_says_what_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "pypi", "sync", "numpy"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("http://127.0.0.1:9/simple/numpy/") && err.contains("offline"),
        "{err}"
    );

    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "schedule"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("no release data for numpy, scipy,") && err.contains("agora pypi sync"),
        "{err}"
    );
}
