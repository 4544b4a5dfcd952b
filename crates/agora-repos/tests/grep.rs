//! `grep` against `git grep -n -E` itself, clone by clone: a plain clone (its index read
//! straight from `.git/index`) and a linked work tree (opened with gix instead), with a tracked file that `.gitignore` matches, an untracked file, a tracked
//! file deleted from the work tree, a binary file, a CRLF line and a file larger than the
//! threads' first read buffer; and a folder that is no git repository, walked.

mod support;

use std::path::{Path, PathBuf};

use agora_repos::grep::{GrepOptions, grep};
use support::git;

const PATTERN: &str = r"import (numpy|scipy) as|TODO\b";

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A repository, its files committed.
fn repository(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    write(dir, ".gitignore", b"*.pyi\n");
    write(
        dir,
        "pkg/a.py",
        b"import numpy as np\nx = 1  # TODO: more\n",
    );
    write(dir, "pkg/_stub.pyi", b"import scipy as sp\n");
    write(dir, "pkg/crlf.py", b"import numpy as np\r\nTODOs\r\n");
    write(dir, "data/table.bin", b"\0\x01\x02import numpy as np\n\0");
    write(dir, "gone.py", b"import numpy as np\n");
    // Larger than the first read buffer, the match near its end.
    let mut big = "# filler line\n".repeat(100_000).into_bytes();
    big.extend_from_slice(b"import scipy as sp\n");
    write(dir, "big.py", &big);
    git(dir, &["add", "."]);
    git(dir, &["add", "--force", "pkg/_stub.pyi"]);
    git(dir, &["commit", "--quiet", "-m", "files"]);
}

/// Deletes a tracked file from the work tree at `dir` and adds an untracked one.
fn touch_up(dir: &Path) {
    std::fs::remove_file(dir.join("gone.py")).expect("rm");
    write(dir, "untracked.py", b"import numpy as np\n");
}

/// `git grep -n -E PATTERN` in `dir`, as `grep` renders it, sorted.
fn git_grep(dir: &Path, repo: &str) -> Vec<String> {
    let mut lines: Vec<String> = git(dir, &["grep", "-n", "-E", PATTERN])
        .split_terminator('\n')
        .map(|line| format!("{repo}:{line}"))
        .collect();
    lines.sort();
    lines
}

#[test]
fn each_clone_as_git_grep_finds_it() {
    let base = tempfile::tempdir().expect("tempdir");
    let plain = base.path().join("org/plain");
    repository(&plain);
    let linked = base.path().join("org/linked");
    git(
        &plain,
        &[
            "worktree",
            "add",
            "--quiet",
            "-b",
            "other",
            &linked.display().to_string(),
        ],
    );
    assert!(linked.join(".git").is_file());
    touch_up(&plain);
    touch_up(&linked);
    let folder = base.path().join("org/folder");
    write(&folder, ".gitignore", b"skipped.py\n");
    write(&folder, "kept.py", b"import scipy as sp\n");
    write(&folder, "skipped.py", b"import scipy as sp\n");

    let clones: Vec<(String, PathBuf)> = ["plain", "linked", "folder"]
        .iter()
        .map(|name| (format!("org/{name}"), base.path().join("org").join(name)))
        .collect();
    let report = grep(
        &clones,
        PATTERN,
        GrepOptions {
            jobs: 3,
            ..GrepOptions::default()
        },
    )
    .expect("grep");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let rendered: Vec<String> = report.matches.iter().map(|m| m.render()).collect();
    for (repo, dir) in &clones[..2] {
        let ours: Vec<String> = rendered
            .iter()
            .filter(|line| line.starts_with(&format!("{repo}:")))
            .cloned()
            .collect();
        let mut sorted = ours.clone();
        sorted.sort();
        assert_eq!(sorted, git_grep(dir, repo), "{repo}");
        // By path and line, as the tracked files are listed.
        assert!(
            ours.iter()
                .any(|line| line.ends_with("Binary file data/table.bin matches"))
        );
        assert!(ours.iter().any(|line| line.contains("pkg/_stub.pyi:1:")));
        assert!(ours.iter().any(|line| line.contains("big.py:100001:")));
        assert!(!ours.iter().any(|line| line.contains("gone.py")));
    }
    assert_eq!(
        rendered
            .iter()
            .filter(|line| line.starts_with("org/folder:"))
            .collect::<Vec<_>>(),
        ["org/folder:kept.py:1:import scipy as sp"]
    );
    // Clones in the order given, each by path and line.
    let order: Vec<(&str, &str, u64)> = report
        .matches
        .iter()
        .map(|m| (m.repo.as_str(), m.path.as_str(), m.line))
        .collect();
    let mut expected = order.clone();
    expected.sort_by_key(|(repo, path, line)| {
        let clone = clones.iter().position(|(name, _)| name == repo);
        (clone, *path, *line)
    });
    assert_eq!(order, expected);
    // Files searched: seven tracked in each of the two (one of them gone), two walked.
    assert_eq!(report.files, 2 * 6 + 2);
}
