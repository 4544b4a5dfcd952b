//! `agora review` end to end on the real trees: the same results, descriptions and URLs as
//! repo-review 1.3.0 with sp-repo-review 2026.8.14 (`NAME.expected.json`; the failure messages
//! are agora's own words), exit codes, and the multi-repository table.

mod support;

use support::{agora, corpus, stderr, stdout};

const TREES: [&str; 3] = ["networkx", "scikit-image", "scipy"];

#[test]
fn every_reference_code_has_the_reference_result() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    for tree in TREES {
        let root = corpus.join("repo-review").join(tree);
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(corpus.join(format!("repo-review/{tree}.expected.json")))
                .expect("expected"),
        )
        .expect("expected json");
        let output = agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(["--offline", "review", "--format", "json"])
            .arg(&root)
            .output()
            .expect("runs");
        let got: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{tree}: {e}: {}", stderr(&output)));
        let expected_checks = expected["checks"].as_object().expect("checks");
        assert!(expected_checks.len() > 50, "{tree}");
        let mut failures = 0;
        for (code, want) in expected_checks {
            let have = &got["checks"][code];
            assert_eq!(
                have["result"], want["result"],
                "{tree} {code}: {have} vs {want}"
            );
            // The same check, described and linked as repo-review's consumers expect; the
            // message is agora's own, so only its presence is compared.
            for field in ["description", "url", "family"] {
                assert_eq!(have[field], want[field], "{tree} {code} {field}");
            }
            let message = have["err_msg"].as_str().unwrap_or_default();
            assert_eq!(
                message.is_empty(),
                want["result"] != false,
                "{tree} {code}: {message:?}"
            );
            failures += usize::from(want["result"] == false);
        }
        // repo-review's exit codes: 3 when a check failed.
        let code = if failures > 0 { 3 } else { 0 };
        assert_eq!(output.status.code(), Some(code), "{tree}");
        // agora's own family comes on top, with the SPEC 0 check skipped for want of data.
        assert!(
            got["checks"]["AG102"]["result"].is_boolean(),
            "{tree}: {}",
            got["checks"]["AG102"]
        );
        assert!(
            got["checks"]["AG100"]["result"].is_null(),
            "{tree}: {}",
            got["checks"]["AG100"]
        );
    }
}

#[test]
fn several_trees_make_one_table() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "review", "--select", "PY001,PY006,AG105"])
        .args(TREES.iter().map(|t| corpus.join("repo-review").join(t)))
        .output()
        .expect("runs");
    let out = stdout(&output);
    let header = out.lines().next().unwrap_or_default();
    assert!(
        header.contains("networkx") && header.contains("scikit-image") && header.contains("scipy"),
        "{out}"
    );
    // scipy has no .pre-commit-config.yaml (PY006); only scikit-image has a CITATION.cff.
    let row = |code: &str| {
        out.lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_default()
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(row("PY001"), "PY001 pass pass pass", "{out}");
    assert_eq!(row("PY006"), "PY006 pass pass FAIL", "{out}");
    assert_eq!(row("AG105"), "AG105 FAIL pass FAIL", "{out}");
    assert_eq!(output.status.code(), Some(3));
}

#[test]
fn a_missing_checkout_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["review", "no/such/dir"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no/such/dir is not a folder"),
        "{}",
        stderr(&output)
    );
}

/// Text with every run of whitespace made one space (help text is wrapped to the terminal).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The exit codes the help texts state are those `agora review` returns: on a tree where
/// checks fail, and on a path that is not a folder; and the global help says that review is
/// the exception to agora's 0/1/2.
#[test]
fn help_states_the_exit_codes_review_returns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        agora(dir.path(), "http://127.0.0.1:9/simple")
            .arg("--offline")
            .args(args)
            .output()
            .expect("runs")
    };
    let bad =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../agora-review/tests/fixtures/bad");
    let bad = bad.to_string_lossy();
    let review_help = one_line(&stdout(&run(&["review", "--help"])));
    let global_help = one_line(&stdout(&run(&["--help"])));
    let failed = run(&["review", &bad]).status.code().expect("an exit code");
    let not_run = run(&["review", "no/such/dir"])
        .status
        .code()
        .expect("an exit code");
    for help in [&review_help, &global_help] {
        assert!(
            help.contains(&format!("{failed} some check failed")),
            "{help}"
        );
        assert!(
            help.contains(&format!("{not_run} nothing was checked")),
            "{help}"
        );
    }
    assert!(
        review_help.contains("or the review could not run"),
        "{review_help}"
    );
    assert!(
        global_help.contains("Except `agora review`"),
        "{global_help}"
    );
}

/// An error names the missing path once and says its cause once (the library's message
/// already holds the operating system's reason; it is not printed again after it).
#[test]
fn a_missing_path_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        &["docs", "lint", "missing.py"][..],
        &["review", "missing/"][..],
        &["--config", "missing.toml", "review", "."][..],
    ] {
        let output = agora(dir.path(), "http://127.0.0.1:9/simple")
            .args(args)
            .output()
            .expect("runs");
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("missing"), "{args:?}: {err}");
        let os_reason = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
        for phrase in [os_reason.as_str(), "No such file or directory (os error 2)"] {
            assert!(err.matches(phrase).count() <= 1, "{args:?}: {err}");
        }
    }
}
