//! The command line itself: init, configuration errors, argument errors, exit codes, and
//! `schedule check` end to end.

mod support;

/// `agora schedule check --date 2026-11-24 --format FORMAT` in `dir`, against `server`.
fn check_at_2026_11_24(
    dir: &std::path::Path,
    server: &agora_fake_server::FakeServer,
    format: &str,
) -> assert_cmd::Command {
    let mut command = agora(dir, &server.url("/simple"));
    command.args([
        "schedule",
        "check",
        "--date",
        "2026-11-24",
        "--format",
        format,
    ]);
    command
}

use support::{agora, corpus, fake_pypi, stderr, stdout};

#[test]
fn init_writes_a_config_that_agora_reads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = || {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .arg("init")
            .output()
            .expect("runs")
    };
    let first = run();
    assert!(first.status.success(), "{}", stderr(&first));
    let text = std::fs::read_to_string(dir.path().join("agora.toml")).expect("written");
    assert!(
        text.contains("name = \"scikit-image\"") && text.contains("\"3.15\" = 2026-10-01"),
        "{text}"
    );
    let second = run();
    assert_eq!(second.status.code(), Some(2));
    assert!(stderr(&second).contains("--force"), "{}", stderr(&second));
}

#[test]
fn a_bad_config_names_line_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("agora.toml"),
        "[ecosystem]\nname = \"x\"\n\n[[project]]\nname = \"numpy\"\nrole = 3\n",
    )
    .expect("write");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "schedule"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("agora.toml:6:8: project[0].role: "), "{err}");
}

#[test]
fn a_bad_date_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "schedule", "--date", "2026-13-01"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--date `2026-13-01` is not a date"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn schedule_check_flags_floors_with_annotations() {
    let Some(corpus) = corpus() else { return };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"demo\"\nrequires-python = \">=3.12\"\ndependencies = [\n  \"numpy>=1.25\",\n  \"networkx>=3.5\",\n  \"requests\",\n]\n",
    )
    .expect("write");
    let output = check_at_2026_11_24(dir.path(), &server, "github")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    // On 2026-11-24 (2026 Q4) numpy 2.2.0 may be dropped (its support ends 2026-12-08, in
    // the quarter): numpy's floor may rise to 2.3.0, the schedule's minimum from 2026-10-01.
    // Python 3.12 drops 2026-10-01: the floor may rise to 3.13. networkx 3.4 drops
    // 2026-10-10: the floor is 3.5, as declared.
    let numpy = out
        .lines()
        .find(|l| l.contains("numpy"))
        .unwrap_or_default();
    assert!(
        numpy.starts_with("::warning file=")
            && numpy.contains(",line=5,")
            && numpy.contains("numpy>=2.3.0"),
        "{out}"
    );
    let python = out
        .lines()
        .find(|l| l.contains("ython"))
        .unwrap_or_default();
    assert!(
        python.contains(",line=3,") && python.contains("3.13"),
        "{out}"
    );
    assert!(!out.contains("networkx"), "{out}");

    let output = check_at_2026_11_24(dir.path(), &server, "json")
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let networkx = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["package"] == "networkx")
        .expect("networkx");
    assert_eq!(networkx["status"], "fine");
}

#[test]
fn schedule_check_on_scikit_image_real_tree() {
    let Some(corpus) = corpus() else { return };
    let (server, _) = fake_pypi(&corpus, 600);
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = corpus.join("repo-review/scikit-image");
    let output = check_at_2026_11_24(dir.path(), &server, "json")
        .arg(&tree)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    // Its own extras (scikit-image[data]) are not dependencies.
    assert!(
        findings.iter().all(|f| f["package"] != "scikit-image"),
        "{report}"
    );
    // pyproject.toml:28 `numpy>=2.1`: 2.1.0 dropped 2026-08-18 and 2.2.0 may be dropped in
    // 2026 Q4 (2026-12-08): 2.3.0 is the floor in force.
    let numpy = findings.iter().find(|f| f["line"] == 28).expect("line 28");
    assert_eq!(
        (numpy["package"].as_str(), numpy["status"].as_str()),
        (Some("numpy"), Some("may_raise"))
    );
    assert_eq!(numpy["allowed"], "2.3.0");
    // pyproject.toml:29 `scipy>=1.15; sys_platform != "emscripten"`: 1.15.0 drops 2027-01-03.
    let scipy = findings.iter().find(|f| f["line"] == 29).expect("line 29");
    assert_eq!(scipy["status"], "fine");
}
