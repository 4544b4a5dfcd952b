//! `agora wheel check` end to end: files, a release on a fake index (downloads cached), exit
//! codes, and the text and JSON views.

mod support;

use std::io::{Cursor, Write};

use agora_fake_server::{FakeServer, RecordedRequest, Reply};
use sha2::{Digest, Sha256};
use support::{agora, stderr, stdout};
use zip::write::SimpleFileOptions;

fn b64(bytes: &[u8]) -> String {
    agora_wheel_check::record::urlsafe_b64(bytes)
}

/// A pure wheel `demo-1.0-py3-none-any.whl`; `tamper` edits RECORD before it is written.
fn wheel(tamper: impl Fn(String) -> String) -> Vec<u8> {
    let files: Vec<(&str, &[u8])> = vec![
        ("demo/__init__.py", b"ANSWER = 42\n"),
        (
            "demo-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Python: >=3.11\n\
Description-Content-Type: text/markdown\n\n# demo\n",
        ),
        (
            "demo-1.0.dist-info/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        ),
    ];
    let mut record = String::new();
    for (path, data) in &files {
        record.push_str(&format!(
            "{path},sha256={},{}\n",
            b64(&Sha256::digest(data)),
            data.len()
        ));
    }
    record.push_str("demo-1.0.dist-info/RECORD,,\n");
    let record = tamper(record);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (path, data) in files
        .iter()
        .copied()
        .chain([("demo-1.0.dist-info/RECORD", record.as_bytes())])
    {
        zip.start_file(path, options).expect("zip member");
        zip.write_all(data).expect("zip data");
    }
    zip.finish().expect("zip").into_inner()
}

const NAME: &str = "demo-1.0-py3-none-any.whl";

#[test]
fn a_good_wheel_exits_0_and_a_broken_one_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good");
    std::fs::create_dir(&good).expect("mkdir");
    std::fs::write(good.join(NAME), wheel(|r| r)).expect("write");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["wheel", "check"])
        .arg(good.join(NAME))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("no findings"),
        "{}",
        stdout(&output)
    );

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).expect("mkdir");
    std::fs::write(bad.join(NAME), wheel(|r| r.replace(",12\n", ",13\n"))).expect("write");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["wheel", "check", "--format", "json"])
        .arg(bad.join(NAME))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let finding = &json["wheels"][0]["findings"][0];
    assert_eq!(finding["code"], "WC106");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["path"], "demo/__init__.py");
    assert!(finding["hint"].as_str().is_some_and(|h| !h.is_empty()));
    assert_eq!(json["summary"]["errors"], 1);

    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["wheel", "check"])
        .arg(bad.join(NAME))
        .output()
        .expect("runs");
    let text = stdout(&output).replace(&bad.display().to_string(), "BAD");
    insta::assert_snapshot!("wheel_check_text", text);
}

#[test]
fn nothing_checkable_exits_2_and_a_partial_run_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["wheel", "check", "missing-1.0-py3-none-any.whl"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stdout(&output).contains("could not be checked"));
    std::fs::write(dir.path().join(NAME), wheel(|r| r)).expect("write");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["wheel", "check", NAME, "missing-1.0-py3-none-any.whl"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

fn index(bytes: Vec<u8>, sha256: String) -> FakeServer {
    FakeServer::start(move |request: &RecordedRequest| match request.path_only() {
        "/simple/demo/" => {
            let page = serde_json::json!({
                "meta": {"api-version": "1.1"},
                "name": "demo",
                "files": [
                    {"filename": NAME, "url": format!("../../files/{NAME}"),
                     "hashes": {"sha256": sha256}},
                    {"filename": "demo-0.9-py3-none-any.whl", "url": "../../files/old.whl",
                     "hashes": {}},
                    {"filename": "demo-1.0.tar.gz", "url": "../../files/demo-1.0.tar.gz",
                     "hashes": {}},
                ],
            });
            Reply::json(200, &page)
                .header("content-type", "application/vnd.pypi.simple.v1+json")
                .header("cache-control", "max-age=600")
        }
        path if path == format!("/files/{NAME}") => Reply::new(200)
            .header("content-type", "application/octet-stream")
            .header("cache-control", "max-age=365000000, immutable")
            .body(bytes.clone()),
        _ => Reply::text(404, "Not Found"),
    })
}

#[test]
fn a_release_on_the_index_is_downloaded_once() {
    let bytes = wheel(|r| r);
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let server = index(bytes, digest);
    let dir = tempfile::tempdir().expect("tempdir");
    for _ in 0..2 {
        let output = agora(dir.path(), &server.url("/simple"))
            .args(["wheel", "check", "demo==1.0", "--format", "json"])
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}{}",
            stdout(&output),
            stderr(&output)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(
            json["summary"]["wheels"], 1,
            "only 1.0's wheel, not 0.9's or the sdist"
        );
        assert_eq!(json["wheels"][0]["wheel"], NAME);
    }
    assert_eq!(
        server.requests_to(&format!("/files/{NAME}")).len(),
        1,
        "the second run reads the wheel from agora's HTTP cache"
    );
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["wheel", "check", "demo==3.0"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("no wheel of this version"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_download_that_does_not_match_the_index_hash_is_an_error() {
    let server = index(wheel(|r| r), "00".repeat(32));
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["wheel", "check", "demo==1.0"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stdout(&output).contains("sha256"), "{}", stdout(&output));
}

#[test]
fn a_release_file_is_named_as_the_index_names_it_not_after_its_url() {
    // A mirror serving files under opaque URLs (`/files/<hash>/download`): the wheel's name is
    // the index's `filename`, so no false WC010.
    let bytes = wheel(|r| r);
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let server = FakeServer::start(move |request: &RecordedRequest| match request.path_only() {
        "/simple/demo/" => Reply::json(
            200,
            &serde_json::json!({
                "meta": {"api-version": "1.1"},
                "name": "demo",
                "files": [{"filename": NAME, "url": "../../files/9f86d081/download",
                           "hashes": {"sha256": digest}}],
            }),
        )
        .header("content-type", "application/vnd.pypi.simple.v1+json"),
        "/files/9f86d081/download" => Reply::new(200)
            .header("content-type", "application/octet-stream")
            .body(bytes.clone()),
        _ => Reply::text(404, "Not Found"),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["wheel", "check", "demo==1.0", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["wheels"][0]["wheel"], NAME);
    assert_eq!(json["summary"]["errors"], 0, "{json:#}");
}

#[test]
fn select_and_ignore_from_the_command_line_and_pyproject() {
    let dir = tempfile::tempdir().expect("tempdir");
    // RECORD without the module's row: WC103, an error.
    std::fs::write(
        dir.path().join(NAME),
        wheel(|r| r.lines().skip(1).map(|l| format!("{l}\n")).collect()),
    )
    .expect("write");
    let run = |extra: &[&str]| {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["wheel", "check", NAME])
            .args(extra)
            .output()
            .expect("runs")
    };
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stdout(&output).contains("WC103"), "{}", stdout(&output));
    let output = run(&["--ignore", "WC103"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = run(&["--select", "WC2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = run(&["--ignore", "WC999"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stderr(&output).contains("WC999"), "{}", stderr(&output));
    // The project's table, found from a sub-folder.
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"demo\"\n\n[tool.agora.wheel-check]\nignore = [\"WC1\"]\n",
    )
    .expect("write pyproject");
    let sub = dir.path().join("dist");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::copy(dir.path().join(NAME), sub.join(NAME)).expect("copy");
    let output = agora(&sub, "http://127.0.0.1:9/simple")
        .args(["wheel", "check", NAME])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    // A table naming an unknown code is an error naming the file.
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.agora.wheel-check]\nselect = [\"XX1\"]\n",
    )
    .expect("write pyproject");
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("pyproject.toml: select"),
        "{}",
        stderr(&output)
    );
}
