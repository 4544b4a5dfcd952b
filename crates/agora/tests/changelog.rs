//! `agora changelog` end to end on a small repository made with git: without a mirror the
//! notes come from git alone and say what they could not know, `--check` exits 1 naming the
//! PRs whose labels are unknown, `--format json` is the model, and bad revisions, repository
//! names and configuration files are refused with a message naming them.

mod support;

use std::path::Path;
use std::process::Command as Process;

use support::{agora, assert_contains, stderr, stdout};

/// A repository with `v1` and three commits after it (two squash merges, a direct push).
fn repository(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("repo");
    let git = |args: &[&str]| {
        let status = Process::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["-c", "user.name=Ann", "-c", "user.email=ann@example.org"])
            .args(args)
            .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    };
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "Start"]);
    git(&["tag", "v1"]);
    git(&["commit", "-q", "--allow-empty", "-m", "Add `foo` (#3)"]);
    git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "Fix bar for issue #1 (#4)\n\nCo-authored-by: Bo <12+bo@users.noreply.github.com>",
    ]);
    git(&["commit", "-q", "--allow-empty", "-m", "Release"]);
    git(&["tag", "v2"]);
    repo
}

fn changelog(dir: &Path, repo: &Path, args: &[&str]) -> std::process::Output {
    agora(dir, "http://127.0.0.1:9/simple")
        .args(["--offline", "--db"])
        .arg(dir.join("agora.db"))
        .args(["changelog", "o/r", "v1", "v2", "--version", "2.0", "--git"])
        .arg(repo)
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn from_git_alone_the_notes_say_what_they_could_not_know() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = repository(dir.path());
    let output = changelog(dir.path(), &repo, &["--format", "md"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("# r 2.0\n\nWe're happy to announce the release of r 2.0!\n"));
    assert_contains(
        &text,
        "## Other\n\n- Add `foo` ([#3](https://github.com/o/r/pull/3)).\n- Fix bar for issue #1 ([#4](https://github.com/o/r/pull/4)).\n",
    );
    assert_contains(&text, "- Ann\n- Bo ([@bo](https://github.com/bo))\n");
    assert_contains(&text, "## What agora could not know");

    let output = changelog(dir.path(), &repo, &["--check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_contains(
        &stdout(&output),
        "#3 https://github.com/o/r/pull/3: its labels are unknown",
    );

    let output = changelog(dir.path(), &repo, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["origin"], "git");
    assert_eq!(json["pull_requests"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["commits"].as_array().map(Vec::len), Some(3));
}

#[test]
fn bad_input_is_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = repository(dir.path());
    let output = changelog(dir.path(), &repo, &["--changelist-config", "missing.toml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_contains(&stderr(&output), "missing.toml");
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[tool.changelist]\npr_summary_regex = \"(unclosed\"\n",
    )
    .expect("write");
    let output = changelog(
        dir.path(),
        &repo,
        &["--changelist-config", bad.to_str().expect("utf-8")],
    );
    assert_contains(&stderr(&output), "pr_summary_regex");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "changelog", "o/r", "v1", "nope", "--git"])
        .arg(&repo)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert_contains(&stderr(&output), "\"nope\" names no commit");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["--offline", "changelog", "not-a-repo", "v1", "v2", "--git"])
        .arg(&repo)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert_contains(&stderr(&output), "not-a-repo");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .args(["changelog", "--help"])
        .output()
        .expect("runs");
    assert_contains(&stdout(&output), "github sync --release-notes");
}
