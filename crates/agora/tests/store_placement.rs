//! Where a command run without `agora.toml` keeps its store: at the root of the git
//! repository around the working directory, else in the user's cache folder, never in the
//! sub-folder it was run from.

mod support;

use std::path::Path;

use support::{agora, stderr};

/// `agora --offline schedule` in `cwd` with `XDG_CACHE_HOME` set to `cache` (it opens the
/// store, and needs no network).
fn schedule_offline(cwd: &Path, cache: &Path) -> std::process::Output {
    agora(cwd, "http://127.0.0.1:9/simple")
        .env("XDG_CACHE_HOME", cache)
        .args(["--offline", "schedule", "--date", "2026-12-07"])
        .output()
        .expect("runs")
}

#[test]
fn inside_a_checkout_the_store_is_at_the_repository_root() {
    // networkx/classes, with networkx's `.git` two levels up.
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("networkx");
    let classes = repo.join("networkx/classes");
    std::fs::create_dir_all(&classes).expect("mkdir");
    std::fs::create_dir(repo.join(".git")).expect("mkdir .git");
    let cache = dir.path().join("xdg-cache");
    let output = schedule_offline(&classes, &cache);
    // No release data is stored yet (exit 1, said on stderr); the store was opened.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        repo.join(".agora/agora.db").is_file(),
        "{}",
        stderr(&output)
    );
    assert!(!classes.join(".agora").exists());
    assert!(!cache.join("agora").exists());
    // git is told to ignore everything in it, so no untracked files appear.
    let ignore = std::fs::read_to_string(repo.join(".agora/.gitignore")).expect("gitignore");
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    // Run from another folder of the same checkout: the same store.
    let docs = repo.join("doc");
    std::fs::create_dir(&docs).expect("mkdir");
    schedule_offline(&docs, &cache);
    assert!(!docs.join(".agora").exists());
}

#[test]
fn outside_a_repository_the_store_is_in_the_user_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("some/folder");
    std::fs::create_dir_all(&work).expect("mkdir");
    let cache = dir.path().join("xdg-cache");
    let output = schedule_offline(&work, &cache);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        cache.join("agora/agora.db").is_file(),
        "{}",
        stderr(&output)
    );
    assert!(!work.join(".agora").exists());
}

#[test]
fn help_says_where_the_store_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = agora(dir.path(), "http://127.0.0.1:9/simple")
        .arg("--help")
        .output()
        .expect("runs");
    let help = support::stdout(&output);
    for needle in ["git repository", "XDG_CACHE_HOME", "~/.cache/agora"] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}
