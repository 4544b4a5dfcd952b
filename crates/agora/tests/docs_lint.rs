//! `agora docs lint` end to end: the configuration keys of pyproject.toml and setup.cfg, the
//! ignore comment, `--ignore`, the output formats, `--statistics`, directories with
//! `.gitignore`, syntax errors and exit codes. The fixture projects are in
//! `tests/fixtures/docs/`; where numpydoc 1.11.0 can run on them, its output (recorded by
//! running `numpydoc lint` in the fixture folder) is the expectation.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs")
        .join(name)
}

fn agora(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("agora").unwrap_or_else(|e| panic!("{e}"));
    command
        .current_dir(dir)
        .env("CI", "true")
        .env_remove("AGORA_CONFIG")
        .env_remove("GITHUB_STEP_SUMMARY");
    command
}

fn run(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let output = agora(dir)
        .args(["docs", "lint"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn pyproject_keys_and_ignore_comments_as_numpydoc() {
    // numpydoc 1.11.0 in this folder (without override_GL08, on which it crashes: it searches
    // the override regex in the docstring of objects that have none).
    let numpydoc = "pkg/mod.py:14: SS05 Summary must start with infinitive verb, not third person (e.g. use \"Generate\" instead of \"Generates\")\n\
                    pkg/mod.py:29: GL08 The object does not have a docstring\n";
    let (out, err, code) = run(&fixture("pyproject"), &["pkg/mod.py", "skipped/bad.py"]);
    assert_eq!(out, numpydoc, "{err}");
    assert_eq!(code, Some(1));
    // A directory: skipped/ is left out by exclude_files too.
    let (out, _, _) = run(&fixture("pyproject"), &["."]);
    assert_eq!(out, numpydoc);
}

#[test]
fn setup_cfg_keys() {
    let (out, err, code) = run(&fixture("setupcfg"), &["pkg/mod.py", "pkg/excluded.py"]);
    assert_eq!(code, Some(1), "{err}");
    insta::assert_snapshot!("setup_cfg", out);
    // exclude_files: nothing from pkg/excluded.py; exclude: not skip_me; checks: only the
    // three codes; override_SS03 silences keep() only.
    assert!(!out.contains("excluded.py"));
    assert!(out.contains("pkg/mod.py:9: SS03"));
    assert!(!out.contains("pkg/mod.py:5: SS03"));
}

#[test]
fn ignore_option_and_formats() {
    let dir = fixture("pyproject");
    let (out, _, code) = run(&dir, &["pkg/mod.py", "--ignore", "SS05,GL08"]);
    assert_eq!((out.as_str(), code), ("", Some(0)));
    let (out, _, _) = run(&dir, &["pkg/mod.py", "--ignore", "SS05"]);
    assert!(out.starts_with("pkg/mod.py:29: GL08"), "{out}");

    let (json, _, code) = run(&dir, &["pkg/mod.py", "--format", "json"]);
    assert_eq!(code, Some(1));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(parsed[1]["name"], "mod.Hidden.method");
    insta::assert_snapshot!("json", json);

    let (github, _, _) = run(&dir, &["pkg/mod.py", "--format", "github"]);
    insta::assert_snapshot!("github", github);

    let (statistics, _, _) = run(&dir, &["pkg/mod.py", "--statistics"]);
    insta::assert_snapshot!("statistics", statistics);
    let (statistics, _, _) = run(&dir, &["pkg/mod.py", "--statistics", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&statistics).unwrap_or_default();
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    let dir = fixture("pyproject");
    let (_, err, code) = run(&dir, &["pkg/mod.py", "--ignore", "XX01"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("XX01"), "{err}");
    let (_, err, code) = run(&dir, &["no/such/file.py"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no/such/file.py"), "{err}");
}

#[test]
fn directories_honour_gitignore_and_syntax_errors_do_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.numpydoc_validation]\nchecks = [\"GL08\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join(".gitignore"), "build/\n").unwrap_or_else(|e| panic!("{e}"));
    for sub in ["src", "build"] {
        std::fs::create_dir(root.join(sub)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join(sub).join("a.py"), "def f():\n    pass\n")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(root.join("src/broken.py"), "x = 1\ndef g(:\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("src/clean.py"), "\"\"\"Doc.\"\"\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let (out, err, code) = run(root, &["."]);
    assert_eq!(
        out,
        "src/a.py:1: GL08 The object does not have a docstring\nsrc/a.py:1: GL08 The object does not have a docstring\n"
    );
    assert!(
        err.contains("src/broken.py:2: error: cannot parse"),
        "{err}"
    );
    assert_eq!(code, Some(1));
    let (out, _, code) = run(root, &["src/clean.py"]);
    assert_eq!((out.as_str(), code), ("", Some(0)));
}

/// Writes `files` (path, bytes) under `root`, creating folders.
fn write_tree(root: &Path, files: &[(&str, &[u8])]) {
    for (path, bytes) in files {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn hidden_folders_are_linted_as_numpydoc_lints_the_same_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    let undocumented: &[u8] = b"def f():\n    pass\n";
    write_tree(
        root,
        &[
            (
                "pyproject.toml",
                b"[tool.numpydoc_validation]\nchecks = [\"GL08\"]\n",
            ),
            (".gitignore", b".venv/\n"),
            (".spin/cmds.py", undocumented),
            ("src/a.py", undocumented),
            (".git/hooks/x.py", undocumented),
            (".venv/lib/site.py", undocumented),
        ],
    );
    let (walked, err, code) = run(root, &["."]);
    assert_eq!(code, Some(1), "{err}");
    // The same as the files listed one by one (what numpydoc lints when pre-commit passes
    // every tracked file): `.spin/` is in, `.git/` and the ignored `.venv/` are not.
    let (listed, _, _) = run(root, &[".spin/cmds.py", "src/a.py"]);
    assert_eq!(walked, listed);
    assert!(walked.starts_with(".spin/cmds.py:1: GL08"), "{walked}");
    assert!(
        !walked.contains(".git/") && !walked.contains(".venv/"),
        "{walked}"
    );
}

#[test]
fn coding_declarations_are_honoured_with_lines_kept() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    write_tree(
        root,
        &[
            (
                "pyproject.toml",
                b"[tool.numpydoc_validation]\nchecks = [\"GL08\", \"SS03\"]\n",
            ),
            (
                "latin.py",
                b"# -*- coding: latin-1 -*-\n\"\"\"Module \xe9t\xe9.\"\"\"\n\n\ndef f():\n    \"\"\"Caf\xe9\"\"\"\n\n\ndef g():\n    pass\n",
            ),
            ("plain.py", b"\"\"\"Doc.\"\"\"\n\nX = '\xe9'\n"),
        ],
    );
    let (out, err, code) = run(root, &["latin.py", "plain.py"]);
    assert_eq!(
        out,
        "latin.py:5: SS03 Summary does not end with a period\nlatin.py:9: GL08 The object does not have a docstring\n",
        "{err}"
    );
    assert!(!err.contains("latin.py"), "{err}");
    // Without a declaration a non-UTF-8 byte is an error naming its line.
    assert!(
        err.contains("plain.py:3: error: not valid UTF-8 text"),
        "{err}"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn github_format_sums_up_and_writes_the_step_summary() {
    let dir = fixture("pyproject");
    let summary = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(summary.path(), "earlier step\n").unwrap_or_else(|e| panic!("{e}"));
    let output = agora(&dir)
        .args(["docs", "lint", "pkg/mod.py", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", summary.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = String::from_utf8_lossy(&output.stdout);
    let errors = out.lines().filter(|l| l.starts_with("::error")).count();
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!(
            "::notice title=agora docs lint::{errors} findings in 1 of 1 files (by code: "
        )),
        "{out}"
    );
    let written = std::fs::read_to_string(summary.path()).unwrap_or_default();
    assert!(
        written.starts_with("earlier step\n## agora docs lint\n"),
        "{written}"
    );
    assert!(
        written.contains("| GL08 | 1 | The object does not have a docstring |"),
        "{written}"
    );
    assert!(written.contains("| `pkg/mod.py` | 2 |"), "{written}");
    // At most one annotation a file, and one more saying what was left out.
    let (capped, _, _) = run(
        &dir,
        &[
            "pkg/mod.py",
            "--format",
            "github",
            "--max-annotations-per-file",
            "1",
        ],
    );
    assert!(
        capped.contains("::error file=pkg/mod.py,title=agora docs lint::1 more findings"),
        "{capped}"
    );
    assert_eq!(
        capped.lines().filter(|l| l.starts_with("::error")).count(),
        2
    );
}
