//! `agora wheels` end to end: a fake PyPI serving the real PEP 691 pages of the ten core
//! projects (as of 2026-11-24), the store, the cache, offline runs, and bad input.

mod support;

use std::collections::BTreeMap;

use agora_fake_server::Reply;
use support::{agora, corpus, fake_pypi, queue, stderr, stdout};

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

/// The report the library computes from the corpus pages directly, without store or HTTP.
fn expected_from_pages(
    corpus: &std::path::Path,
    selection: &agora_wheels::Selection,
) -> agora_wheels::WheelsReport {
    let ecosystem = agora_config::Ecosystem::builtin();
    let projects: Vec<agora_wheels::ProjectFiles> = ecosystem
        .projects
        .iter()
        .map(|p| {
            let body = std::fs::read(corpus.join(format!("pypi/simple/{}.json", p.pypi)))
                .expect("corpus page");
            let page =
                agora_pypi::simple::parse_project_page(&body, "http://x/simple/").expect("page");
            agora_wheels::ProjectFiles {
                project: p.name.clone(),
                files: page.files,
            }
        })
        .collect();
    let releases: BTreeMap<String, jiff::civil::Date> = ecosystem
        .python
        .iter()
        .map(|p| (p.version.clone(), p.released))
        .collect();
    agora_wheels::WheelsReport::compute(&projects, selection, &releases)
}

#[test]
fn the_ecosystem_matrix_through_the_store_equals_the_pages() {
    let Some(corpus) = corpus() else { return };
    let (server, _) = fake_pypi(&corpus, 0);
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["wheels", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.request_count(), 10);
    let expected = expected_from_pages(&corpus, &agora_wheels::Selection::Latest);
    assert_eq!(stdout(&output), agora_wheels::render::json(&expected));
    let value = json_of(&output);
    assert_eq!(value["releases"].as_array().map(Vec::len), Some(10));
    assert_eq!(value["releases"][0]["project"], "numpy");

    // Offline, from the store alone: no request and the same answer.
    server.clear_requests();
    let offline = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "wheels", "--format", "json"])
        .output()
        .expect("runs");
    assert!(offline.status.success(), "{}", stderr(&offline));
    assert_eq!(stdout(&offline), stdout(&output));
    assert_eq!(server.request_count(), 0);

    // Online again: every page is revalidated (304), nothing downloaded again.
    let again = agora(dir.path(), &server.url("/simple"))
        .args(["wheels", "--format", "markdown"])
        .output()
        .expect("runs");
    assert!(again.status.success(), "{}", stderr(&again));
    let requests = server.requests();
    assert_eq!(requests.len(), 10);
    assert!(requests.iter().all(|r| r.header("if-none-match").is_some()));
    assert_eq!(stdout(&again), agora_wheels::render::markdown(&expected));
}

#[test]
fn history_of_one_project_by_its_pypi_name() {
    let Some(corpus) = corpus() else { return };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args(["wheels", "numpy", "--history"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    // numpy 2.1.0 (2024-08-18) was the first with 3.13 wheels: 7 platforms for 3.13
    // (manylinux and musllinux x86_64/aarch64, macOS x86_64/arm64, win_amd64), 6 for the
    // free-threaded 3.13t (no Windows wheel), none for 3.9 any more.
    let line = text
        .lines()
        .find(|l| l.starts_with("2.1.0 "))
        .expect("2.1.0 row");
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells[..3], ["2.1.0", "2024-08-18", "-"], "{line}");
    assert_eq!((cells[6], cells[9]), ("7", "6"), "{line}");
    assert!(text.starts_with("numpy: "), "{text}");
    assert!(text.contains("Readiness: days to the first wheel for each CPython"));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn one_version_and_an_html_grid() {
    let Some(corpus) = corpus() else { return };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), &server.url("/simple"))
        .args([
            "wheels",
            "scikit-image",
            "--version",
            "0.25.2",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let value = json_of(&output);
    let release = &value["releases"][0];
    assert_eq!(release["version"], "0.25.2");
    // scikit_image-0.25.2-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
    let cp313t = release["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["python"] == "3.13t"))
        .expect("3.13t row");
    assert_eq!(cp313t["cells"]["manylinux_x86_64"]["kind"], "specific");
    assert_eq!(cp313t["cells"]["manylinux_x86_64"]["floor"], "2.17");

    let html = agora(dir.path(), &server.url("/simple"))
        .args(["wheels", "scikit-image", "--format", "html"])
        .output()
        .expect("runs");
    assert!(html.status.success(), "{}", stderr(&html));
    let page = stdout(&html);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<td class=\"specific\">2.24</td>"), "{page}");
    assert!(page.contains("<td class=\"missing\">-</td>"));
}

#[test]
fn missing_projects_and_versions_exit_1_bad_arguments_exit_2() {
    let Some(corpus) = corpus() else { return };
    // max-age=0: every run asks the index again (and revalidates).
    let (server, overrides) = fake_pypi(&corpus, 0);
    let dir = tempfile::tempdir().expect("tempdir");
    let index = server.url("/simple");
    // A project the index does not know: named on stderr, the others still shown.
    let output = agora(dir.path(), &index)
        .args(["wheels", "zarr", "no-such-project"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("zarr 3.4.2"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("no-such-project"),
        "{}",
        stderr(&output)
    );

    let output = agora(dir.path(), &index)
        .args(["wheels", "zarr", "--version", "99.0"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("zarr: no release 99.0 on the index"),
        "{}",
        stderr(&output)
    );

    // A broken page on a later run: a warning, and the data stored before still answers.
    queue(
        &overrides,
        "/simple/zarr/",
        Reply::json_text(200, "{\"files\": [tru"),
    );
    server.clear_requests();
    let stale = agora(dir.path(), &index)
        .args(["wheels", "zarr"])
        .output()
        .expect("runs");
    assert_eq!(server.request_count(), 1);
    assert!(stale.status.success(), "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("warning:") && stderr(&stale).contains("zarr"),
        "{}",
        stderr(&stale)
    );
    assert!(
        stdout(&stale).starts_with("zarr 3.4.2"),
        "{}",
        stdout(&stale)
    );

    for args in [
        ["wheels", "--version", "not a version"].as_slice(),
        ["wheels", "--version", "1.0", "--history"].as_slice(),
    ] {
        let output = agora(dir.path(), &index).args(args).output().expect("runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn offline_without_data_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "wheels", "numpy"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("no PyPI data for numpy") && err.contains("agora pypi sync"),
        "{err}"
    );
}
