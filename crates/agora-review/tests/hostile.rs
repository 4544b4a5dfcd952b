//! Hostile inputs in a repository under review (issue 15): YAML nested 100,000 deep took
//! libyaml 44 s before `serde_yaml_ng` refused it; a multi-gigabyte `pyproject.toml` was read
//! whole. Both are now errors naming the file (and the line), found at once.

use agora_review::Repo;

mod common;

#[test]
fn deeply_nested_yaml_is_refused_with_its_line() {
    let deep = format!("repos:\n  - {}\n", "[".repeat(100_000));
    let mapping = format!("version: 2\nbuild: {}\n", "{a: ".repeat(100_000));
    let dir = common::tree(&[
        (".pre-commit-config.yaml", &deep),
        (".readthedocs.yaml", &mapping),
        (".github/workflows/ci.yml", "on: push\njobs: {}\n"),
    ]);
    let repo = Repo::load(dir.path());
    let error = repo.precommit.err();
    let seen = error.as_ref().map(|e| (e.file.as_str(), e.line));
    assert_eq!(seen, Some((".pre-commit-config.yaml", Some(2))));
    assert!(
        error.is_some_and(|e| e.message.contains("nested more than 1000 deep")),
        "the message says why"
    );
    let error = repo.readthedocs.err().map(|e| (e.file, e.line));
    assert_eq!(error, Some((".readthedocs.yaml".to_string(), Some(2))));
    // The other inputs are read as usual.
    assert_eq!(repo.workflows.map(|w| w.len()).ok(), Some(1));
}

#[test]
fn oversized_inputs_are_refused_not_read() {
    let big = "# padding padding padding padding padding padding padding padding\n"
        .repeat(17 * 1024 * 1024 / 66 + 1);
    let dir = common::tree(&[("pyproject.toml", &big)]);
    let repo = Repo::load(dir.path());
    let error = repo.pyproject.err();
    assert!(
        error
            .as_ref()
            .is_some_and(|e| e.file == "pyproject.toml" && e.message.contains("larger than")),
        "{error:?}"
    );
}
